//! The AI interviewer (server-only): which questions to ask, what to say each turn, and the
//! feedback report, behind one [`Provider`] that is either the offline interviewer or an
//! OpenAI-compatible model server.
//!
//! The server decides the course of an interview — when to follow up, when to move on, when it
//! ends (`live`); a provider only words the reply it is told to give and drafts the report,
//! which `rules` then checks.

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
use crate::store::{AskedQuestion, ReportRows};
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
}

/// A reply as it is generated: pieces of text in order.
pub type TokenStream = Pin<Box<dyn Stream<Item = Result<String, AiError>> + Send>>;

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
    pub skills: Vec<(i64, String)>,
    pub questions: Vec<AskedQuestion>,
    /// The rubrics of the asked questions, by bank id.
    pub rubrics: std::collections::HashMap<i64, crate::model::Rubric>,
    /// The skill of each planned question, in plan order.
    pub plan_skills: Vec<Option<i64>>,
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

    /// A checked report: `rules` has validated it and applied the rules no provider may bend.
    pub async fn report(&self, input: &ReportInput) -> Result<ReportRows, AiError> {
        match self {
            Provider::Offline(_) => Ok(rules::offline_report(input)),
            Provider::OpenAi(p) => p.report(input).await,
        }
    }
}
