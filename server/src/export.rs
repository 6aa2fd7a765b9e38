//! `GET /interviews/{id}/report.md`: the interview and its report as a Markdown file to keep
//! (`app::export`). Someone else's interview answers 404 like a missing one.

use crate::AppState;
use crate::api::{ApiError, OwnedInterview};
use app::api::AppError;
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

pub async fn report(
    State(state): State<AppState>,
    OwnedInterview(_, id): OwnedInterview,
) -> Response {
    match state.live.live_state(&id).await {
        Ok(live) => (
            [
                (CONTENT_TYPE, "text/markdown; charset=utf-8".to_owned()),
                (
                    CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}\"", app::export::file_name(&live)),
                ),
            ],
            app::export::report_markdown(&live),
        )
            .into_response(),
        Err(e) => ApiError::from(AppError::from(e)).into_response(),
    }
}
