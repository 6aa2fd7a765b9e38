//! The live interview: its state, its turns and its report. A turn returns as soon as it is
//! decided; the reply streams from `GET /interviews/{id}/reply` (server crate).

use super::AppError;
use crate::model::{InterviewId, LiveInterview, TurnAction};
use leptos::server;

#[cfg(feature = "ssr")]
fn live() -> Result<crate::ai::live::Live, AppError> {
    super::from_context()
}

/// Checks that the signed-in user owns the interview (404 otherwise).
#[cfg(feature = "ssr")]
async fn owned(interview_id: &InterviewId) -> Result<(), AppError> {
    let user = super::require_user().await?;
    Ok(super::db()?.check_owner(&user.id, interview_id).await?)
}

#[server(prefix = "/fn", endpoint = "interview_live")]
pub async fn interview_live(interview_id: InterviewId) -> Result<LiveInterview, AppError> {
    owned(&interview_id).await?;
    live()?
        .live_state(&interview_id)
        .await
        .map_err(AppError::from)
}

/// Starts a turn: `start`, `answer` (with `text`), `hint`, `skip` or `end`. 409 while the
/// interviewer is still replying or when the interview's state does not allow the action; 422
/// for an empty or over-long answer or a malformed key. Nothing is stored then.
///
/// `turn_key`, made by the browser once per turn, makes sending the same turn again harmless:
/// a key already taken answers 200 and changes nothing, and the page follows that turn's reply.
/// Answers `true` when this request started the turn, `false` when its key was already taken.
#[server(prefix = "/fn", endpoint = "take_turn")]
pub async fn take_turn(
    interview_id: InterviewId,
    action: TurnAction,
    #[server(default)] text: Option<String>,
    #[server(default)] turn_key: Option<String>,
) -> Result<bool, AppError> {
    owned(&interview_id).await?;
    live()?
        .take_turn(&interview_id, action, text, turn_key)
        .await
        .map(|started| started == crate::ai::live::TurnStarted::New)
        .map_err(AppError::from)
}

#[server(prefix = "/fn", endpoint = "regenerate_report")]
pub async fn regenerate_report(interview_id: InterviewId) -> Result<(), AppError> {
    owned(&interview_id).await?;
    live()?
        .regenerate_report(&interview_id)
        .await
        .map_err(AppError::from)
}
