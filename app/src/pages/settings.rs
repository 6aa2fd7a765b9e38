//! The account page (`/account`): who you are here, changing the password, downloading all
//! your data as JSON, and deleting the account with everything in it. Plain forms posting to
//! the server's `/account/*` routes, so it works without JavaScript; errors come back as codes,
//! with `form` naming which form they belong to.

use super::account::{field_error, form_query, invalid};
use super::{CurrentUser, RequireUser};
use crate::validate::PASSWORD_CHARS;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AccountPage() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    let saved = use_query_map()
        .with_untracked(|q| q.get("saved"))
        .as_deref()
        == Some("password");
    view! {
        <Title text="Your account" />
        <RequireUser>
            <section class="panel narrow">
                <h1>"Your account"</h1>
                {saved.then(|| view! { <p class="notice" role="status">"Your password was changed."</p> })}
                <Suspense fallback=|| ()>
                    {Suspend::new(async move { user.await.ok().flatten().map(|u| view! {
                        <dl class="facts">
                            <dt>"Username"</dt><dd>{u.username}</dd>
                            <dt>"Email"</dt><dd>{u.email.unwrap_or_else(|| "none".into())}</dd>
                            <dt>"Member since"</dt><dd>{u.created_at.chars().take(10).collect::<String>()}</dd>
                        </dl>
                    })})}
                </Suspense>
            </section>
            <ChangePassword />
            <section class="panel narrow">
                <h2>"Your data"</h2>
                <p>"Everything stored about you: your account (never your password) and every interview with its conversation and report."</p>
                <a class="button" href="/account/export.json" download>"Download all your data (JSON)"</a>
            </section>
            <DeleteAccount />
        </RequireUser>
    }
}

/// The error code in the query, when it belongs to the form named `form`.
fn error_for(form: &str) -> (Option<crate::validate::AccountError>, Option<u64>) {
    let q = form_query();
    let mine = use_query_map().with_untracked(|p| p.get("form")).as_deref() == Some(form);
    (q.error.filter(|_| mine), q.retry)
}

/// The field asking for the password the account has now, before a change it confirms.
#[component]
fn PasswordCheck(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    error: Option<crate::validate::AccountError>,
) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <input id=id name=name type="password" autocomplete="current-password" required
            maxlength=PASSWORD_CHARS.end().to_string() aria-invalid=invalid(error, "form") />
    }
}

#[component]
fn ChangePassword() -> impl IntoView {
    let (e, retry) = error_for("password");
    view! {
        <section class="panel narrow">
            <h2>"Change your password"</h2>
            <form method="post" action="/account/password" class="stack" novalidate>
                {field_error(e, "form", retry)}
                <PasswordCheck id="current_password" name="current_password" label="Current password" error=e />
                <label for="new_password">"New password"</label>
                <input id="new_password" name="new_password" type="password" autocomplete="new-password"
                    required maxlength=PASSWORD_CHARS.end().to_string()
                    aria-invalid=invalid(e, "password") aria-describedby="new-password-hint" />
                <p class="hint" id="new-password-hint">
                    {format!("At least {} characters. A few unrelated words work well.", PASSWORD_CHARS.start())}
                </p>
                {field_error(e, "password", None)}
                <button type="submit" class="primary">"Change password"</button>
            </form>
        </section>
    }
}

#[component]
fn DeleteAccount() -> impl IntoView {
    let (e, retry) = error_for("delete");
    view! {
        <section class="panel narrow danger-zone">
            <h2>"Delete your account"</h2>
            <p>"This deletes your account and every interview, answer and report in it, at once and for good. Download your data first if you want to keep it."</p>
            <form method="post" action="/account/delete" class="stack" novalidate>
                {field_error(e, "form", retry)}
                <PasswordCheck id="delete_password" name="password" label="Your password" error=e />
                <label class="check">
                    <input type="checkbox" name="confirm" value="yes" required />
                    " I understand that everything will be deleted"
                </label>
                <button type="submit" class="danger-solid">"Delete my account"</button>
            </form>
        </section>
    }
}
