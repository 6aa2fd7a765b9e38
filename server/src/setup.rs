//! `POST /interviews/new`: the setup form without JavaScript. Checked with the same rules as
//! the hydrated form; answers 303 to the new interview, or back to the form with the error
//! codes and the entered values, having stored nothing.

use crate::AppState;
use app::api::{SetupOutcome, edit_interview_for, setup_interview_for};
use app::validate::{SetupError, SetupInput};
use axum::extract::Path;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

/// Reads the posted form (checkbox lists repeat their key, so the pairs are read in order).
fn parse(body: &str) -> (SetupInput, Vec<SetupError>) {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(body).unwrap_or_default();
    SetupInput::from_pairs(pairs)
}

pub async fn create(State(state): State<AppState>, session: Session, body: String) -> Response {
    let user = match app::auth::session_user(&state.db, &session).await {
        Ok(Some(user)) => user,
        Ok(None) => return Redirect::to("/signin?next=%2Finterviews%2Fnew").into_response(),
        Err(e) => return internal(e),
    };
    let (input, unreadable) = parse(&body);
    let back = input.clone();
    match setup_interview_for(&state.db, user.id, input, unreadable).await {
        Ok(SetupOutcome::Saved(interview)) => {
            Redirect::to(&format!("/interviews/{}", interview.id)).into_response()
        }
        Ok(SetupOutcome::Invalid(codes)) => {
            // Back to the form with what was entered, in the form's own keys.
            let mut pairs = back.to_pairs();
            pairs.push(("errors", codes.join(",")));
            let query = serde_urlencoded::to_string(pairs).unwrap_or_default();
            Redirect::to(&format!("/interviews/new?{query}")).into_response()
        }
        Err(e) => internal(e),
    }
}

/// `POST /interviews/{id}/edit`: change an interview's type and skills (the form on its page).
pub async fn edit(
    State(state): State<AppState>,
    Path(interview_id): Path<app::model::InterviewId>,
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
    let (input, unreadable) = parse(&body);
    match edit_interview_for(
        &state.db,
        user.id,
        interview_id,
        input.interview_type_id,
        input.skill_ids,
        unreadable,
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
    use app::model::{DifficultySetting, InterviewTypeId, SkillId};

    #[test]
    fn repeated_checkbox_keys_become_a_list_and_junk_is_reported_beside_its_field() {
        let (input, unreadable) = parse(
            "title=+Loop+&interview_type_id=2&skill_ids=1&skill_ids=7&question_count=8&difficulty=hard",
        );
        assert!(unreadable.is_empty());
        assert_eq!(input.title, "Loop");
        assert_eq!(input.interview_type_id, Some(InterviewTypeId(2)));
        assert_eq!(input.skill_ids, vec![SkillId(1), SkillId(7)]);
        assert_eq!(
            (input.question_count, input.difficulty),
            (8, DifficultySetting::Hard)
        );
        let (junk, unreadable) =
            parse("interview_type_id=abc&skill_ids=x&question_count=lots&difficulty=extreme");
        assert_eq!(
            unreadable,
            vec![SetupError::TypeUnknown, SetupError::SkillUnknown]
        );
        assert_eq!(junk.interview_type_id, None);
        assert_eq!(junk.skill_ids, Vec::<SkillId>::new());
        assert_eq!(junk.question_count, 0);
        assert_eq!(junk.difficulty, DifficultySetting::Mixed);
        assert_eq!(parse("").0.skill_ids, Vec::<SkillId>::new());
    }
}
