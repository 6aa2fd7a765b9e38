//! Interview types and skills for the setup page.

use super::AppError;
#[cfg(feature = "ssr")]
use super::db;
use crate::model::{InterviewType, InterviewTypeId, Skill};
use leptos::server;

#[server(prefix = "/fn", endpoint = "interview_types")]
pub async fn list_interview_types() -> Result<Vec<InterviewType>, AppError> {
    db()?
        .read(crate::store::get_interview_types)
        .await
        .map_err(AppError::from)
}

#[server(prefix = "/fn", endpoint = "skills")]
pub async fn list_skills() -> Result<Vec<Skill>, AppError> {
    db()?
        .read(crate::store::get_skills)
        .await
        .map_err(AppError::from)
}

#[server(prefix = "/fn", endpoint = "suggested_skills")]
pub async fn list_suggested_skills(
    interview_type_id: InterviewTypeId,
) -> Result<Vec<Skill>, AppError> {
    db()?
        .read(move |c| crate::store::get_suggested_skills_for_type(c, interview_type_id))
        .await
        .map_err(AppError::from)
}
