//! `POST /interviews/new`: the setup form without JavaScript. Checked with the same rules as
//! the hydrated form; answers 303 to the new interview, or back to the form with the error
//! codes and the entered values, having stored nothing.

use crate::AppState;
use app::api::{SetupOutcome, edit_interview_for, setup_interview_for};
use app::model::{DEFAULT_QUESTION_COUNT, DifficultySetting};
use app::validate::SetupInput;
use axum::extract::Path;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

/// Reads the posted form. Checkbox lists repeat their key (`skill_ids=1&skill_ids=2`), which
/// a struct-shaped form decoder cannot take, so the pairs are read in order.
fn parse(body: &str) -> SetupInput {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(body).unwrap_or_default();
    let one = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    SetupInput {
        title: one("title"),
        // A value that is not a number is an unknown type, which the rules report.
        interview_type_id: match one("interview_type_id").as_str() {
            "" => None,
            v => Some(v.parse().unwrap_or(-1)),
        },
        skill_ids: pairs
            .iter()
            .filter(|(k, _)| k == "skill_ids")
            .map(|(_, v)| v.trim().parse().unwrap_or(-1))
            .collect(),
        question_count: match one("question_count").as_str() {
            "" => DEFAULT_QUESTION_COUNT,
            v => v.parse().unwrap_or(0),
        },
        difficulty: one("difficulty")
            .parse()
            .unwrap_or(DifficultySetting::Mixed),
    }
}

pub async fn create(State(state): State<AppState>, session: Session, body: String) -> Response {
    let user = match app::auth::session_user(&state.db, &session).await {
        Ok(Some(user)) => user,
        Ok(None) => return Redirect::to("/signin?next=%2Finterviews%2Fnew").into_response(),
        Err(e) => return internal(e),
    };
    let input = parse(&body);
    let back = input.clone();
    match setup_interview_for(&state.db, user.id, input).await {
        Ok(SetupOutcome::Saved(interview)) => {
            Redirect::to(&format!("/interviews/{}", interview.id)).into_response()
        }
        Ok(SetupOutcome::Invalid(codes)) => {
            let skills: Vec<String> = back.skill_ids.iter().map(i64::to_string).collect();
            let query = serde_urlencoded::to_string([
                ("errors", codes.join(",")),
                ("title", back.title),
                (
                    "interview_type_id",
                    back.interview_type_id
                        .map(|t| t.to_string())
                        .unwrap_or_default(),
                ),
                ("skills", skills.join(",")),
                ("question_count", back.question_count.to_string()),
                ("difficulty", back.difficulty.as_str().to_owned()),
            ])
            .unwrap_or_default();
            Redirect::to(&format!("/interviews/new?{query}")).into_response()
        }
        Err(e) => internal(e),
    }
}

/// `POST /interviews/{id}/edit`: change an interview's type and skills (the form on its page).
pub async fn edit(
    State(state): State<AppState>,
    Path(interview_id): Path<String>,
    session: Session,
    body: String,
) -> Response {
    let page = format!("/interviews/{interview_id}");
    let user = match app::auth::session_user(&state.db, &session).await {
        Ok(Some(user)) => user,
        Ok(None) => {
            let next = app::model::encode_query_value(&page);
            return Redirect::to(&format!("/signin?next={next}")).into_response();
        }
        Err(e) => return internal(e),
    };
    let input = parse(&body);
    match edit_interview_for(
        &state.db,
        user.id,
        interview_id,
        input.interview_type_id,
        input.skill_ids,
    )
    .await
    {
        Ok(SetupOutcome::Saved(_)) => Redirect::to(&format!("{page}?saved=1")).into_response(),
        Ok(SetupOutcome::Invalid(codes)) => {
            Redirect::to(&format!("{page}?edit_errors={}", codes.join("%2C"))).into_response()
        }
        // Someone else's interview answers exactly as a missing one (404); one that started
        // meanwhile (say, in another tab) has its skills fixed now (409).
        Err(e) => crate::plain_error(e.into()),
    }
}

fn internal(e: impl std::fmt::Display) -> Response {
    crate::internal_error("setup failed", e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_checkbox_keys_become_a_list_and_junk_becomes_a_reportable_value() {
        let input = parse(
            "title=+Loop+&interview_type_id=2&skill_ids=1&skill_ids=7&question_count=8&difficulty=hard",
        );
        assert_eq!(input.title, "Loop");
        assert_eq!(input.interview_type_id, Some(2));
        assert_eq!(input.skill_ids, vec![1, 7]);
        assert_eq!(
            (input.question_count, input.difficulty),
            (8, DifficultySetting::Hard)
        );
        let junk =
            parse("interview_type_id=abc&skill_ids=x&question_count=lots&difficulty=extreme");
        assert_eq!(junk.interview_type_id, Some(-1));
        assert_eq!(junk.skill_ids, vec![-1]);
        assert_eq!(junk.question_count, 0);
        assert_eq!(junk.difficulty, DifficultySetting::Mixed);
        assert_eq!(parse("").skill_ids, Vec::<i64>::new());
    }
}
