//! The AI interviewer (server-only): which questions to ask, what to say each turn, and the
//! feedback report, behind one [`Provider`] that is either the offline interviewer or an
//! OpenAI-compatible model server.
//!
//! The server decides the course of an interview — when to follow up, when to move on, when it
//! ends (`live`); a provider only words the reply it is told to give and drafts the report,
//! which `rules` then checks.

pub mod bridge;
#[cfg(test)]
mod fixtures;
pub mod judge;
pub mod live;
pub mod offline;
pub mod openai;
pub mod plan;
pub mod prompt;
pub mod rules;
pub mod turn;

use crate::model::{InterviewerInfo, TurnAction};
use crate::store::{AskedQuestion, ReportRows, Usage};
use futures::Stream;
use std::pin::Pin;

/// Why a reply or report could not be had. `Display` is what the candidate reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AiError {
    #[error("The interviewer did not answer in time. Please try again.")]
    Timeout,
    #[error("The interviewer's service answered with an error ({0}). Please try again.")]
    Status(u16),
    #[error("The interviewer's reply was cut off. Please try again.")]
    Cut,
    #[error("The interviewer sent an empty reply. Please try again.")]
    Empty,
    #[error("The interviewer's service could not be reached. Please try again.")]
    Unreachable,
    #[error("The interviewer's service sent something unexpected. Please try again.")]
    Unexpected,
    #[error("The report could not be read: {0}")]
    Malformed(String),
    #[error("The interviewer is busy with other interviews. Please try again in a moment.")]
    Busy,
    #[error("This interview has used its budget of {0} model tokens.")]
    Budget(u64),
}

/// What a reply's stream carries, in order: its text, then what the call cost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    /// Tokens the call used, as the model server reported them at its end.
    Usage(crate::store::Usage),
    /// The model stopped at its token limit (`max_tokens`), perhaps mid-sentence.
    CutOff,
}

/// A reply as it is generated.
pub type TokenStream = Pin<Box<dyn Stream<Item = Result<Piece, AiError>> + Send>>;

/// What happens in a turn, decided by the server before any text is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Greet, name the type and skills, ask the first question.
    Greet,
    /// One follow-up on the current question.
    FollowUp,
    /// Acknowledge and ask the next question.
    Next,
    /// A hint on the current question.
    Hint,
    /// Close the interview; `early` when the candidate ended it.
    Finish { early: bool },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BriefQuestion {
    pub order: u32,
    pub text: String,
    pub skill: Option<String>,
}

/// Everything a provider needs to word one reply.
#[derive(Clone, Debug)]
pub struct TurnBrief {
    pub step: Step,
    pub action: TurnAction,
    pub type_name: String,
    pub type_description: Option<String>,
    /// Skill names (never ids), in the order shown.
    pub skills: Vec<String>,
    pub total: u32,
    /// The question being discussed (hint, follow-up) or just finished.
    pub current: Option<BriefQuestion>,
    /// The question this reply asks (greet, next).
    pub next: Option<BriefQuestion>,
    /// The candidate's message of this turn.
    pub candidate_text: Option<String>,
    /// Earlier conversation, bounded (`prompt::bounded_history`), oldest first.
    pub history: Vec<(crate::model::Role, String)>,
    /// The follow-up question the server chose (`Step::FollowUp`): a probe from the bank, or
    /// what the question asked when the answer missed it.
    pub follow_up: Option<String>,
    /// The current question's own hint (`Step::Hint`).
    pub hint: Option<String>,
    /// How the last answer went, so an acknowledgement praises only what the judge found.
    pub ack: Ack,
    /// Questions answered so far, for the closing words.
    pub answered: u32,
}

/// How the interviewer acknowledges the candidate's last message before moving on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Ack {
    /// Nothing to acknowledge (the greeting, a hint).
    #[default]
    None,
    /// The judge rated the answer 4 or 5.
    Strong,
    /// An answer with something in it.
    Answered,
    /// An answer that earned nothing (off-topic, pasted, a shrug): move on without praise.
    Weak,
    Skipped,
}

/// What a report is written from.
#[derive(Clone, Debug)]
pub struct ReportInput {
    pub type_name: String,
    /// (id, name) of every selected skill.
    pub skills: Vec<(crate::model::SkillId, String)>,
    pub questions: Vec<AskedQuestion>,
    /// The rubrics of the asked questions, by bank id.
    pub rubrics: std::collections::HashMap<crate::model::QuestionId, crate::model::Rubric>,
    /// The skill of each planned question, in plan order.
    pub plan_skills: Vec<Option<crate::model::SkillId>>,
}

/// The interviewer in use, chosen by configuration.
pub enum Provider {
    Offline(offline::Offline),
    OpenAi(Box<openai::OpenAiProvider>),
}

impl Provider {
    pub fn info(&self) -> InterviewerInfo {
        match self {
            Provider::Offline(_) => InterviewerInfo {
                name: "Offline interviewer".into(),
                offline: true,
            },
            Provider::OpenAi(p) => InterviewerInfo {
                name: p.model().to_owned(),
                offline: false,
            },
        }
    }

    pub async fn reply(&self, brief: &TurnBrief) -> Result<TokenStream, AiError> {
        match self {
            Provider::Offline(p) => Ok(p.reply(brief)),
            Provider::OpenAi(p) => p.reply(brief).await,
        }
    }

    /// The pause between the words the server adds after the bridge: the offline
    /// interviewer's pace, or after a model's bridge a short one, so the question streams in
    /// word by word like the rest rather than landing in the same piece as the bridge's last
    /// sentence.
    pub fn word_delay(&self) -> std::time::Duration {
        match self {
            Provider::Offline(p) => p.word_delay,
            Provider::OpenAi(_) => std::time::Duration::from_millis(10),
        }
    }

    /// The catalogue skills a job ad calls for, as a model proposes them; `None` offline.
    pub async fn propose_skills(
        &self,
        ad: &str,
        catalogue: &[String],
    ) -> Option<(Result<Vec<String>, AiError>, Usage)> {
        match self {
            Provider::Offline(_) => None,
            Provider::OpenAi(p) => Some(p.propose_skills(ad, catalogue).await),
        }
    }

    /// Whether replies and reports come from a model (whose bridge is filtered, whose calls
    /// are capped and counted).
    pub fn is_model(&self) -> bool {
        matches!(self, Provider::OpenAi(_))
    }

    /// A checked report, never none: a model's report that fails twice (malformed, cut off,
    /// or the service failing) gives way to the offline rules' report, labelled with why
    /// ([`ReportRows::fallback`]) so the page says so and offers to regenerate. Also returns
    /// the tokens the attempts used.
    pub async fn report(&self, input: &ReportInput) -> (ReportRows, Usage) {
        let p = match self {
            Provider::Offline(_) => return (rules::offline_report(input), Usage::default()),
            Provider::OpenAi(p) => p,
        };
        let mut usage = Usage::default();
        let mut why = AiError::Unexpected;
        for attempt in 1..=2 {
            let (outcome, used) = p.report(input).await;
            usage += used;
            match outcome {
                Ok(rows) => return (rows, usage),
                Err(e) => {
                    tracing::warn!(attempt, reason = %e, "the model's report was unusable");
                    why = e;
                }
            }
        }
        (offline_fallback(input, &why), usage)
    }
}

/// The offline rules' report, labelled with why the model's could not be used.
pub fn offline_fallback(input: &ReportInput, why: &AiError) -> ReportRows {
    let mut rows = rules::offline_report(input);
    rows.fallback = Some(why.to_string());
    rows
}
