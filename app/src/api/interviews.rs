//! The signed-in user's interviews. Every function checks ownership; someone else's interview
//! answers 404 exactly as a missing one.

use super::AppError;
#[cfg(feature = "ssr")]
use super::{db, require_user};
use crate::model::{Interview, InterviewFilter, InterviewId, InterviewPage};
#[cfg(feature = "ssr")]
use crate::model::{InterviewTypeId, SkillId};
#[cfg(feature = "ssr")]
use crate::store;
use leptos::server;

#[server(prefix = "/fn", endpoint = "my_interviews")]
pub async fn my_interviews(
    #[server(default)] filter: InterviewFilter,
) -> Result<InterviewPage, AppError> {
    let user = require_user().await?;
    Ok(db()?.list_interviews(&user.id, filter).await?)
}

/// Cancels an interview (no report). Starting and completing happen through the conversation
/// (`take_turn`), never by setting a status, so an interview cannot be "in progress" without
/// its questions or "completed" without its report.
#[server(prefix = "/fn", endpoint = "cancel_interview")]
pub async fn cancel_interview(interview_id: InterviewId) -> Result<Interview, AppError> {
    let user = require_user().await?;
    Ok(db()?.cancel_interview(&user.id, &interview_id).await?)
}

/// The result of submitting the setup or edit form: the saved interview, or the problems to
/// show beside the fields (nothing is stored then).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SetupOutcome {
    Saved(Box<Interview>),
    Invalid(Vec<String>),
}

#[cfg(feature = "ssr")]
impl From<store::Checked<Interview>> for SetupOutcome {
    fn from(checked: store::Checked<Interview>) -> Self {
        match checked {
            Ok(i) => SetupOutcome::Saved(Box::new(i)),
            Err(problems) => SetupOutcome::Invalid(problems),
        }
    }
}

/// Validates a setup with the same rules as the form, against the types and skills that exist
/// now, and creates the interview for `user_id` in one transaction.
#[cfg(feature = "ssr")]
pub async fn setup_interview_for(
    db: &store::Db,
    user_id: crate::model::UserId,
    input: crate::validate::SetupInput,
    unreadable: Vec<crate::validate::SetupError>,
) -> Result<SetupOutcome, store::StoreError> {
    let new = store::NewInterview {
        user_id,
        title: input.title.clone(),
        interview_type_id: input.interview_type_id,
        skill_ids: input.skill_ids.clone(),
        question_count: input.question_count,
        difficulty: input.difficulty,
        answer_seconds: input.answer_seconds,
    };
    let checked = db
        .create_interview_checked(new, move |types, skills| {
            let errors = crate::validate::with_unreadable(
                crate::validate::setup(&input, types, skills),
                &unreadable,
            );
            errors.iter().map(|e| e.code().to_owned()).collect()
        })
        .await?;
    Ok(SetupOutcome::from(checked))
}

#[server(prefix = "/fn", endpoint = "setup_interview")]
pub async fn setup_interview(input: crate::validate::SetupInput) -> Result<SetupOutcome, AppError> {
    // `Invalid` is an answer, not a failure: it comes back as 200 so the form can show it.
    let user = require_user().await?;
    setup_interview_for(&db()?, user.id, input, Vec::new())
        .await
        .map_err(AppError::from)
}

/// Changes the type and skills of an interview `user_id` owns, with the setup form's rules;
/// `NotFound` for anyone else's. Nothing changes when anything is invalid.
#[cfg(feature = "ssr")]
pub async fn edit_interview_for(
    db: &store::Db,
    user_id: crate::model::UserId,
    interview_id: InterviewId,
    interview_type_id: Option<InterviewTypeId>,
    skill_ids: Vec<SkillId>,
    unreadable: Vec<crate::validate::SetupError>,
) -> Result<SetupOutcome, store::StoreError> {
    let chosen = skill_ids.clone();
    let checked = db
        .set_type_and_skills_checked(
            &user_id,
            &interview_id,
            interview_type_id,
            skill_ids,
            move |types, skills| {
                let found: Vec<_> = crate::validate::type_choice(interview_type_id, types)
                    .into_iter()
                    .chain(crate::validate::skill_choice(&chosen, skills))
                    .collect();
                crate::validate::with_unreadable(found, &unreadable)
                    .iter()
                    .map(|e| e.code().to_owned())
                    .collect()
            },
        )
        .await?;
    Ok(SetupOutcome::from(checked))
}
