//! Opening the setup page with skills already chosen for the person, each with the reason:
//! the weak skills from their ratings (`?focus=weak`, the "practise weak skills" links) or the
//! skills a pasted job ad asks for (`?job_ad=…`, from the GET form here, which works without
//! JavaScript).

use super::super::{CurrentUser, for_signed_in};
use crate::api::{AppError, match_job_ad, my_weak_skills};
use crate::jobad::MAX_JOB_AD_CHARS;
use crate::model::{InterviewTypeId, SkillId};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    WeakSkills,
    JobAd,
}

/// Skills chosen for the person, and why each.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prefill {
    pub source: Source,
    pub skills: Vec<(SkillId, String)>,
    /// The type to start with when the URL gives none (a job ad's likely type).
    pub interview_type_id: Option<InterviewTypeId>,
    /// Said under the note: what a configured model added, or that it could not be asked.
    #[serde(default)]
    pub model_note: Option<String>,
}

impl Prefill {
    pub fn reason(&self, skill: SkillId) -> Option<String> {
        self.skills
            .iter()
            .find(|(id, _)| *id == skill)
            .map(|(_, why)| why.clone())
    }
}

/// What the URL asks to pre-fill.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Ask {
    Nothing,
    Weak(Option<InterviewTypeId>),
    JobAd(String),
}

pub type PrefillResource = Resource<Result<Option<Prefill>, AppError>>;

/// The job ad in the URL, if any.
pub fn job_ad_in_url() -> Option<String> {
    use_query_map()
        .with_untracked(|q| q.get("job_ad"))
        .filter(|ad| !ad.trim().is_empty())
}

pub fn prefill_resource() -> PrefillResource {
    let user = expect_context::<CurrentUser>();
    let query = use_query_map();
    let ask = move || {
        query.with(
            |q| match q.get("job_ad").filter(|ad| !ad.trim().is_empty()) {
                Some(ad) => Ask::JobAd(ad),
                None if q.get("focus").as_deref() == Some("weak") => {
                    Ask::Weak(q.get("interview_type_id").and_then(|t| t.parse().ok()))
                }
                None => Ask::Nothing,
            },
        )
    };
    Resource::new(ask, move |ask| async move {
        let prefill = match ask {
            Ask::Nothing => return Ok(None),
            Ask::Weak(type_id) => for_signed_in(user, move || my_weak_skills(type_id))
                .await?
                .map(|weak| Prefill {
                    source: Source::WeakSkills,
                    skills: weak
                        .into_iter()
                        .map(|w| (w.skill_id, format!("Practise: {}", w.reason)))
                        .collect(),
                    interview_type_id: type_id,
                    model_note: None,
                }),
            Ask::JobAd(ad) => for_signed_in(user, move || match_job_ad(ad))
                .await?
                .map(|m| Prefill {
                    source: Source::JobAd,
                    skills: m
                        .skills
                        .into_iter()
                        .map(|s| {
                            if s.by_model {
                                return (s.skill_id, "Proposed by the model".to_owned());
                            }
                            let quoted: Vec<String> =
                                s.phrases.iter().map(|p| format!("“{p}”")).collect();
                            (s.skill_id, format!("In the ad: {}", quoted.join(", ")))
                        })
                        .collect(),
                    interview_type_id: m.interview_type_id,
                    model_note: m.model_note,
                }),
        };
        Ok(prefill)
    })
}

/// What the pre-fill did, said once above the skills.
#[component]
pub fn PrefillNote(source: Source, empty: bool, model_note: Option<String>) -> impl IntoView {
    let text = match (source, empty) {
        (Source::WeakSkills, false) => {
            "Pre-filled with your lowest-rated skills; the reason is beside each."
        }
        (Source::WeakSkills, true) => {
            "You have no ratings yet, so there are no weak skills to pre-fill: choose skills below."
        }
        (Source::JobAd, false) => {
            "Pre-filled with the skills the job ad asks for; the phrases that matched are beside each."
        }
        (Source::JobAd, true) => {
            "None of our skills were found in the job ad: choose skills below."
        }
    };
    view! {
        <p class="hint focus-note" role="status">{text}</p>
        {model_note.map(|n| view! { <p class="hint model-note">{n}</p> })}
    }
}

/// Paste a job ad to pre-select the skills it asks for. A GET form of its own (forms cannot
/// nest), so it works with JavaScript off; open when an ad was matched or refused.
#[component]
pub fn JobAdForm(ad: Option<String>, error: Option<String>) -> impl IntoView {
    let open = ad.is_some() || error.is_some();
    view! {
        <details class="job-ad" open=open>
            <summary>"Set up from a job ad"</summary>
            <form method="get" action="/interviews/new" class="stack">
                <label for="job_ad">"Paste the job ad"</label>
                <textarea id="job_ad" name="job_ad" rows="8" maxlength=MAX_JOB_AD_CHARS.to_string()
                    aria-describedby="job-ad-hint">{ad.unwrap_or_default()}</textarea>
                <p class="hint" id="job-ad-hint">{format!(
                    "We pick the skills it asks for and the likely interview type; you can change them before creating the interview. Up to {MAX_JOB_AD_CHARS} characters."
                )}</p>
                {error.map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                <button type="submit">"Match skills"</button>
            </form>
        </details>
    }
}
