//! Routed pages.

mod account;
#[cfg(feature = "hydrate")]
mod clock;
mod history;
mod home;
mod interview;
mod live;
mod progress;
mod settings;
mod setup;

pub use crate::model::encode_query_value;
pub use account::{RegisterPage, SignInPage};
pub use history::InterviewsPage;
pub use home::HomePage;
pub use interview::InterviewPage;
pub use progress::ProgressPage;
pub use settings::AccountPage;
pub use setup::SetupPage;

use crate::error::AppError;
use crate::model::User;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

/// The signed-in user, fetched once per page load and shared through context.
pub type CurrentUser = Resource<Result<Option<User>, AppError>>;

/// Runs `load` only for a signed-in visitor (`None` otherwise), so a page's resource never asks
/// the server for a user's data on a visitor's behalf while `RequireUser` redirects them.
pub async fn for_signed_in<T, F>(
    user: CurrentUser,
    load: impl FnOnce() -> F,
) -> Result<Option<T>, AppError>
where
    F: std::future::Future<Output = Result<T, AppError>>,
{
    match user.await {
        Ok(Some(_)) => load().await.map(Some),
        _ => Ok(None),
    }
}

/// The interview types and skills, for forms. Public data.
pub type Catalog =
    Resource<Result<(Vec<crate::model::InterviewType>, Vec<crate::model::Skill>), AppError>>;

pub fn catalog_resource() -> Catalog {
    Resource::new(|| (), |_| crate::api::catalog())
}

/// Shows its children to a signed-in user; sends anyone else to sign in, and back here after.
#[component]
pub fn RequireUser(children: ChildrenFn) -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    let location = use_location();
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Checking your session…"</p> }>
            // A `Suspend` itself, not a closure making one: Leptos's `Suspense` walks its
            // children twice on the server before it renders them (`dry_resolve`), and a
            // closure would build the whole page each time (measured: three builds of the setup
            // form a request); a `Suspend` keeps what it built. Pages are server-rendered
            // (only islands hydrate), so nothing here needs to re-run in the browser.
            {Suspend::new(async move {
                match user.await {
                    Ok(Some(_)) => children().into_any(),
                    Ok(None) => {
                        // `search` comes without its leading '?'.
                        let search = location.search.get_untracked();
                        let search = search.trim_start_matches('?');
                        let mut here = location.pathname.get_untracked();
                        if !search.is_empty() {
                            here = format!("{here}?{search}");
                        }
                        view! { <Redirect path=format!("/signin?next={}", encode_query_value(&here)) /> }.into_any()
                    }
                    Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The header's account area: who is signed in, or the way to sign in.
#[component]
pub fn UserMenu() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move { match user.await {
                Ok(Some(u)) => view! {
                    <nav class="user-menu" aria-label="Account">
                        <a href="/interviews/new">"New interview"</a>
                        <a href="/interviews">"My interviews"</a>
                        <a href="/progress">"Progress"</a>
                        <a href="/account">"Account"</a>
                        <span class="who">"Signed in as "<strong>{u.username}</strong></span>
                        <form method="post" action="/auth/signout">
                            <button type="submit" class="link">"Sign out"</button>
                        </form>
                    </nav>
                }.into_any(),
                _ => view! {
                    <nav class="user-menu" aria-label="Account">
                        <a href="/signin">"Sign in"</a>
                        <a href="/register" class="button">"Create account"</a>
                    </nav>
                }.into_any(),
            }})}
        </Suspense>
    }
}

/// Sets the status of the page being rendered on the server (nothing in the browser).
fn set_page_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(resp), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::StatusCode::from_u16(status),
    ) {
        resp.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

#[component]
pub fn NotFound() -> impl IntoView {
    set_page_status(404);
    view! {
        <Title text="Not found" />
        <section class="panel not-found">
            <h1>"Not found"</h1>
            <p>"There is nothing at this address. "<a href="/">"Back to the start"</a></p>
        </section>
    }
}

/// An error in place of what could not be shown; a page rendered on the server with it
/// answers the error's status. A missing interview (or someone else's) is the "Not found" page.
#[component]
pub fn ErrorNote(error: AppError) -> impl IntoView {
    if let AppError::NotFound(_) = error {
        return view! { <NotFound /> }.into_any();
    }
    set_page_status(error.status());
    view! { <Alert message=error.to_string() /> }.into_any()
}

/// Whether the page at `path` holds an island (a part that hydrates): the history's filter
/// form, the setup form and the interview. Every other page is server-rendered HTML and loads
/// no script. Keep in step with the `#[island]`s under `pages/`.
pub fn has_islands(path: &str) -> bool {
    path == "/interviews" || path.starts_with("/interviews/")
}

/// The message beside a form field, `{id}` being what the field's `aria-describedby` names.
#[component]
pub fn FieldError(id: String, message: String) -> impl IntoView {
    view! { <p class="field-error" id=id role="alert">{message}</p> }
}

/// A failure of the page's own request (not an `AppError` from loading it), read out at once.
#[component]
pub fn Alert(message: String) -> impl IntoView {
    view! { <p class="error" role="alert">{message}</p> }
}

/// Loads `path` as a new page (islands have no client-side router).
pub fn go_to(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_href(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// Becomes `true` once the page has hydrated (effects run only in the browser). Rendered as
/// `data-hydrated` so tests and styles can tell a live page from server HTML.
pub fn hydrated_signal() -> ReadSignal<bool> {
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    hydrated
}
