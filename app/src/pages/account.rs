//! Sign in and registration. Both forms post to the server's `/auth/*` routes as plain HTML
//! forms, so they work without JavaScript; errors come back as codes in the query string.

use super::FieldError;
use crate::model::encode_query_value;
use crate::validate::{AccountError, PASSWORD_CHARS, USERNAME_CHARS, local_path};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The query's `error`, `next` and the named field values, read once.
pub(super) struct FormQuery {
    pub(super) error: Option<AccountError>,
    pub(super) retry: Option<u64>,
    next: String,
    value: std::collections::HashMap<String, String>,
}

pub(super) fn form_query() -> FormQuery {
    let q = use_query_map().get_untracked();
    let get = |k: &str| q.get(k).unwrap_or_default();
    FormQuery {
        error: AccountError::from_code(&get("error")),
        retry: get("retry").parse().ok(),
        next: local_path(&get("next")).unwrap_or_default().to_owned(),
        value: ["username", "email"]
            .into_iter()
            .map(|k| (k.to_owned(), get(k)))
            .collect(),
    }
}

/// An error paragraph for `field`, or nothing.
pub(super) fn field_error(
    error: Option<AccountError>,
    field: &'static str,
    retry: Option<u64>,
) -> impl IntoView {
    error.filter(|e| e.field() == field).map(|e| {
        let text = match (e, retry) {
            (AccountError::TooManyAttempts, Some(s)) => format!("{e} Try again in {s} seconds."),
            _ => e.to_string(),
        };
        view! { <FieldError id=format!("{field}-error") message=text /> }
    })
}

pub(super) fn invalid(error: Option<AccountError>, field: &str) -> &'static str {
    if error.is_some_and(|e| e.field() == field) {
        "true"
    } else {
        "false"
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let q = form_query();
    let register_href = if q.next.is_empty() {
        "/register".to_owned()
    } else {
        format!("/register?next={}", encode_query_value(&q.next))
    };
    view! {
        <Title text="Sign in" />
        <section class="panel narrow">
            <h1>"Sign in"</h1>
            <form method="post" action="/auth/signin" class="stack" novalidate>
                {field_error(q.error, "form", q.retry)}
                <label for="username">"Username"</label>
                <input id="username" name="username" autocomplete="username" required
                    maxlength=USERNAME_CHARS.end().to_string()
                    value=q.value["username"].clone()
                    aria-invalid=invalid(q.error, "form") />
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password"
                    required maxlength=PASSWORD_CHARS.end().to_string() />
                <input type="hidden" name="next" value=q.next.clone() />
                <button type="submit" class="primary">"Sign in"</button>
            </form>
            <p>"No account yet? "<a href=register_href>"Create one"</a></p>
        </section>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let q = form_query();
    let e = q.error;
    let describe = |field: &'static str, hint: &'static str| {
        if e.is_some_and(|e| e.field() == field) {
            format!("{field}-error {hint}")
        } else {
            hint.to_owned()
        }
    };
    view! {
        <Title text="Create an account" />
        <section class="panel narrow">
            <h1>"Create an account"</h1>
            <form method="post" action="/auth/register" class="stack" novalidate>
                {field_error(e, "form", q.retry)}
                <label for="username">"Username"</label>
                <input id="username" name="username" autocomplete="username" required
                    maxlength=USERNAME_CHARS.end().to_string()
                    value=q.value["username"].clone()
                    aria-invalid=invalid(e, "username")
                    aria-describedby=describe("username", "username-hint") />
                <p class="hint" id="username-hint">
                    {format!("{} to {} letters, digits, '.', '_' or '-'.", USERNAME_CHARS.start(), USERNAME_CHARS.end())}
                </p>
                {field_error(e, "username", None)}
                <label for="email">"Email "<span class="optional">"(optional)"</span></label>
                <input id="email" name="email" type="email" autocomplete="email"
                    value=q.value["email"].clone()
                    aria-invalid=invalid(e, "email")
                    aria-describedby=describe("email", "email-hint") />
                <p class="hint" id="email-hint">"Only used if you ask for it; never shown to anyone."</p>
                {field_error(e, "email", None)}
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="new-password" required
                    maxlength=PASSWORD_CHARS.end().to_string()
                    aria-invalid=invalid(e, "password")
                    aria-describedby=describe("password", "password-hint") />
                <p class="hint" id="password-hint">
                    {format!("At least {} characters. A few unrelated words work well.", PASSWORD_CHARS.start())}
                </p>
                {field_error(e, "password", None)}
                <input type="hidden" name="next" value=q.next.clone() />
                <button type="submit" class="primary">"Create account"</button>
            </form>
            <p>"Already have an account? "<a href="/signin">"Sign in"</a></p>
        </section>
    }
}
