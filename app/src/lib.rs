//! Perfect Pitch's isomorphic crate: pages, components and server functions, compiled with
//! `ssr` for the server and with `hydrate` to wasm for the browser. Server-only modules
//! (`store`) are behind `ssr`.

#![recursion_limit = "256"]

#[cfg(feature = "ssr")]
pub mod ai;
pub mod api;
#[cfg(feature = "ssr")]
pub mod auth;
pub mod error;
pub mod export;
pub mod jobad;
pub mod model;
pub mod pages;
pub mod progress;
pub mod scoring;
pub mod selection;
#[cfg(feature = "ssr")]
pub mod stats;
#[cfg(feature = "ssr")]
pub mod store;
pub mod validate;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};
#[cfg(feature = "ssr")]
use std::sync::Arc;

/// The HTML document around the app, rendered on the server. Only a page with an island
/// (`pages::has_islands`) loads the script and the wasm; the others are complete as HTML.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let path = use_context::<axum::http::request::Parts>()
        .map(|p| p.uri.path().to_owned())
        .unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let path = String::new();
    // Options are cloned only where a component takes them by value: `AutoReload` gets them
    // last, by move.
    let href = stylesheet_href(&options);
    let scripts = pages::has_islands(&path)
        .then(|| view! { <HydrationScripts options=options.clone() islands=true /> });
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="description" content="Practise job interviews with an AI interviewer." />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <AutoReload options />
                // The stylesheet's hashed name is known only on the server, so it is linked here.
                <link id="leptos" rel="stylesheet" href=href />
                {scripts}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The stylesheet's address, with cargo-leptos's hash in its name when files are hashed.
/// Leptos's `HashedStylesheet` finds the executable and reads the hash file on every render;
/// the name cannot change while the process runs, so it is worked out once.
#[cfg(feature = "ssr")]
fn stylesheet_href(options: &LeptosOptions) -> String {
    /// The options it was worked out for, and the address.
    type Cached = ((Arc<str>, Arc<str>, bool), String);
    static HREF: std::sync::OnceLock<Cached> = std::sync::OnceLock::new();
    let key = || {
        (
            options.site_pkg_dir.clone(),
            options.output_name.clone(),
            options.hash_files,
        )
    };
    let ((pkg_dir, output_name, hash_files), href) =
        HREF.get_or_init(|| (key(), hashed_stylesheet_href(options)));
    if *pkg_dir == options.site_pkg_dir
        && *output_name == options.output_name
        && *hash_files == options.hash_files
    {
        href.clone()
    } else {
        // Another configuration in the same process (tests start several servers).
        hashed_stylesheet_href(options)
    }
}

#[cfg(feature = "ssr")]
fn hashed_stylesheet_href(options: &LeptosOptions) -> String {
    let mut name = options.output_name.to_string();
    let hashes = options
        .hash_files
        .then(|| std::env::current_exe().ok())
        .flatten()
        .and_then(|exe| exe.parent().map(|d| d.join(options.hash_file.as_ref())))
        .and_then(|path| std::fs::read_to_string(path).ok())
        .unwrap_or_default();
    if let Some(hash) = hashes
        .lines()
        .filter_map(|l| l.trim().split_once(':'))
        .find_map(|(file, hash)| (file == "css").then(|| hash.trim()))
    {
        name = format!("{name}.{hash}");
    }
    format!("/{}/{name}.css", options.site_pkg_dir)
}

#[cfg(not(feature = "ssr"))]
fn stylesheet_href(_: &LeptosOptions) -> String {
    String::new()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let user: pages::CurrentUser = Resource::new(|| (), |_| api::current_user());
    provide_context(user);
    view! {
        // Each page names itself (`<Title text=…>`); the site's name follows.
        <Title formatter=|page: String| format!("{page} · Perfect Pitch") />
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="site-header">
                <a class="brand" href="/">"Perfect Pitch"</a>
                <pages::UserMenu />
            </header>
            <main id="main">
                <Routes fallback=pages::NotFound>
                    // Async: the server waits for the page's data and sends complete HTML, so
                    // pages read (and forms post) without JavaScript; hydration takes over after.
                    <Route path=StaticSegment("") view=pages::HomePage ssr=SsrMode::Async />
                    <Route path=StaticSegment("signin") view=pages::SignInPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("register") view=pages::RegisterPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("interviews") view=pages::InterviewsPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("progress") view=pages::ProgressPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("account") view=pages::AccountPage ssr=SsrMode::Async />
                    <Route
                        path=(StaticSegment("interviews"), StaticSegment("new"))
                        view=pages::SetupPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("interviews"), ParamSegment("id"))
                        view=pages::InterviewPage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </main>
        </Router>
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
