//! The signed-in user's progress: ratings per skill over time, and the skills to practise next.

use super::AppError;
#[cfg(feature = "ssr")]
use super::{db, require_user};
use crate::model::{InterviewTypeId, SkillLevel};
use crate::progress::{ProgressFilter, SkillProgress, WeakSkill};
use leptos::server;

#[server(prefix = "/fn", endpoint = "my_progress")]
pub async fn my_progress(
    #[server(default)] filter: ProgressFilter,
) -> Result<Vec<SkillProgress>, AppError> {
    let user = require_user().await?;
    Ok(db()?.progress(&user.id, filter).await?)
}

/// The skills to practise next (lowest rated first, with why), from interviews of
/// `interview_type_id` when given and rated, else from all.
#[server(prefix = "/fn", endpoint = "weak_skills")]
pub async fn my_weak_skills(
    interview_type_id: Option<InterviewTypeId>,
) -> Result<Vec<WeakSkill>, AppError> {
    let user = require_user().await?;
    let filter = ProgressFilter {
        interview_type_id,
        days: None,
    };
    let skills = db()?.progress_or_all(&user.id, filter).await?;
    Ok(crate::progress::weak_skills(&skills))
}

/// For every skill in the catalogue, the level an adaptive interview would ask it at for the
/// signed-in user now, and why: what the setup page shows when "Adaptive" is chosen.
#[server(prefix = "/fn", endpoint = "adaptive_levels")]
pub async fn my_adaptive_levels() -> Result<Vec<(SkillLevel, String)>, AppError> {
    let user = require_user().await?;
    Ok(db()?.adaptive_levels(&user.id).await?)
}
