//! Interview types and skills for the setup page.

use super::AppError;
#[cfg(feature = "ssr")]
use super::db;
use crate::model::{InterviewType, InterviewTypeId, Skill};
use leptos::server;

/// The interview types and the skills together, for forms: one call and one read.
#[server(prefix = "/fn", endpoint = "catalog")]
pub async fn catalog() -> Result<(Vec<InterviewType>, Vec<Skill>), AppError> {
    Ok(db()?.catalog().await?)
}

#[server(prefix = "/fn", endpoint = "suggested_skills")]
pub async fn list_suggested_skills(
    interview_type_id: InterviewTypeId,
) -> Result<Vec<Skill>, AppError> {
    Ok(db()?.suggested_skills(interview_type_id).await?)
}

/// The catalogue skills a pasted job ad asks for, with the phrases that matched, and the
/// likely type (`jobad::match_job_ad`). Offline: no model is asked.
#[server(prefix = "/fn", endpoint = "match_job_ad")]
pub async fn match_job_ad(ad: String) -> Result<crate::jobad::JobAdMatch, AppError> {
    use crate::jobad::MAX_JOB_AD_CHARS;
    super::require_user().await?;
    let chars = ad.chars().count();
    if chars > MAX_JOB_AD_CHARS {
        return Err(AppError::Invalid(format!(
            "The job ad is {chars} characters long; paste at most {MAX_JOB_AD_CHARS}."
        )));
    }
    let terms = db()?.job_ad_terms().await?;
    let limit = crate::validate::MAX_SKILLS;
    let mut found = crate::jobad::match_job_ad(&ad, &terms, limit);
    // A configured model may add skills the phrases missed, from the catalogue only; when it
    // cannot be asked, the offline match stands and the page says why.
    let live: crate::ai::live::Live = super::from_context()?;
    let names = crate::jobad::skill_names(&terms);
    match live.propose_skills(&ad, &names).await {
        None => {}
        Some(Ok(proposed)) => {
            crate::jobad::add_proposals(&mut found, &proposed, &terms, limit);
            found.model_note = Some(format!(
                "Skills marked “Proposed by the model” were added by {} from the ad.",
                live.info().name
            ));
        }
        Some(Err(e)) => {
            tracing::warn!(error = %e, "the model could not propose skills from a job ad");
            found.model_note = Some(
                "The model could not be asked just now; these are the skills the ad names.".into(),
            );
        }
    }
    Ok(found)
}
