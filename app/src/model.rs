//! Plain data shared by the server and the browser: what the store returns and the pages show.
//! No I/O and no UI here.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InterviewType {
    pub id: InterviewTypeId,
    pub name: String,
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Skill {
    pub id: SkillId,
    pub name: String,
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: QuestionId,
    /// `None` once the question's skill has been deleted (the plan's ON DELETE SET NULL).
    pub skill_id: Option<SkillId>,
    pub text: String,
    pub difficulty: Option<Difficulty>,
    /// What the question is really about; one interview never asks two on one theme.
    pub theme: Option<String>,
    /// Tagged with the interview type it was selected for (selection prefers these).
    pub for_type: bool,
}

/// An id that is a string on the wire and in the database, typed so that a user's id cannot
/// be passed where an interview's is expected (or the other way round).
macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name(s)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_owned())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

/// A catalogue id: an integer on the wire and in the database, typed like the string ids so
/// that a skill's id cannot be passed where an interview type's is expected.
macro_rules! int_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    };
}

int_id!(
    /// An interview type's id.
    InterviewTypeId
);
int_id!(
    /// A skill's id.
    SkillId
);
int_id!(
    /// A question's id in the question bank.
    QuestionId
);

string_id!(
    /// A user's id (a UUID).
    UserId
);
string_id!(
    /// An interview's id (a UUID, time-ordered).
    InterviewId
);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub email: Option<String>,
    pub created_at: String,
}

/// One interview with its type and skills, as the interview and history pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Interview {
    pub id: InterviewId,
    pub user_id: UserId,
    pub title: Option<String>,
    pub status: InterviewStatus,
    pub interview_type: Option<InterviewType>,
    /// Ordered by skill name.
    pub skills: Vec<Skill>,
    pub created_at: String,
    pub updated_at: String,
    pub started_at: Option<String>,
    pub completed_at: Option<String>,
    /// How many questions the interview asks (3–12).
    pub question_count: u8,
    pub difficulty: DifficultySetting,
    /// With the adaptive setting, the level of each skill; empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skill_levels: Vec<SkillLevel>,
    /// The per-question timer (one of `ANSWER_TIMES`), if the person set one.
    #[serde(default)]
    pub answer_seconds: Option<u16>,
}

/// Everything stored about one person, as `GET /account/export.json` hands it to them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountExport {
    pub user: User,
    pub interviews: Vec<InterviewExport>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterviewExport {
    pub interview: Interview,
    pub messages: Vec<Message>,
    pub report: Option<Report>,
}

/// A stored UTC time (`YYYY-MM-DD HH:MM:SS[.fff]`) as ISO 8601 with its zone, for a `<time
/// datetime>` the browser can read without guessing the zone.
pub fn iso_utc(stored: &str) -> String {
    format!("{}Z", stored.trim().replacen(' ', "T", 1))
}

/// What pages call an interview that has no title.
pub const UNTITLED: &str = "Untitled interview";

impl Interview {
    /// The title as pages show it.
    pub fn display_title(&self) -> String {
        self.title.clone().unwrap_or_else(|| UNTITLED.into())
    }

    /// The difficulty its questions are planned with.
    pub fn difficulty_plan(&self) -> DifficultyPlan<'_> {
        DifficultyPlan {
            setting: self.difficulty,
            levels: &self.skill_levels,
        }
    }

    /// The level `skill`'s questions are asked at (`DifficultyPlan::level_for`).
    pub fn level_of(&self, skill: SkillId) -> Option<Difficulty> {
        self.difficulty_plan().level_for(skill)
    }

    /// The difficulty as pages show it: an adaptive interview names each skill's level.
    pub fn difficulty_label(&self) -> String {
        if self.difficulty != DifficultySetting::Adaptive || self.skill_levels.is_empty() {
            return self.difficulty.label().to_owned();
        }
        let levels: Vec<String> = self
            .skills
            .iter()
            .filter_map(|s| Some(format!("{} {}", s.name, self.level_of(s.id)?.as_str())))
            .collect();
        format!("Adaptive: {}", levels.join(", "))
    }

    /// The type's name as pages show it.
    pub fn type_label(&self) -> String {
        self.interview_type
            .as_ref()
            .map_or_else(|| "No type".into(), |t| t.name.clone())
    }
}

/// The events of a reply's stream (`GET /interviews/{id}/reply`): the server sends them, the
/// page and the tests listen for them, by these names. Each carries a JSON string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplyEvent {
    /// The reply so far (first, once): empty while the interviewer is thinking.
    Snapshot,
    /// A new piece of the reply.
    Token,
    /// The reply is stored.
    Done,
    /// Nothing was stored; the data says why.
    Failed,
    /// No reply is being written.
    Idle,
}

impl ReplyEvent {
    pub const ALL: [ReplyEvent; 5] = [
        ReplyEvent::Snapshot,
        ReplyEvent::Token,
        ReplyEvent::Done,
        ReplyEvent::Failed,
        ReplyEvent::Idle,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            ReplyEvent::Snapshot => "snapshot",
            ReplyEvent::Token => "token",
            ReplyEvent::Done => "done",
            ReplyEvent::Failed => "failed",
            ReplyEvent::Idle => "idle",
        }
    }

    pub fn from_name(name: &str) -> Option<ReplyEvent> {
        ReplyEvent::ALL.into_iter().find(|e| e.name() == name)
    }

    /// Whether the stream ends with this event.
    pub const fn is_final(self) -> bool {
        matches!(
            self,
            ReplyEvent::Done | ReplyEvent::Failed | ReplyEvent::Idle
        )
    }
}

pub const QUESTION_COUNTS: std::ops::RangeInclusive<u8> = 3..=12;
pub const DEFAULT_QUESTION_COUNT: u8 = 6;

/// The per-question timer's choices, in seconds (none: no timer).
pub const ANSWER_TIMES: [u16; 5] = [60, 120, 180, 300, 600];

/// The timer rule: none, or one of the choices.
pub fn answer_time_allowed(seconds: Option<u16>) -> bool {
    seconds.is_none_or(|s| ANSWER_TIMES.contains(&s))
}

/// A number of seconds as people say it: "45 s", "2 min", "1 min 42 s".
pub fn duration_label(seconds: u32) -> String {
    match (seconds / 60, seconds % 60) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m} min {s} s"),
    }
}

/// The timer of the question waiting for its answer: its limit and how long it has waited,
/// both as the server counts them (the page counts down from these, so the browser's clock
/// does not matter).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerClock {
    pub limit_seconds: u32,
    pub waited_seconds: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: String,
    pub interview_id: InterviewId,
    /// Position in the conversation, from 1; the order on every reload.
    pub seq: i64,
    pub role: Role,
    pub content: String,
    pub created_at: String,
}

/// A filtered, paged listing of one user's interviews. Every field may be left out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InterviewFilter {
    pub interview_type_id: Option<InterviewTypeId>,
    /// Interviews that have every one of these skills.
    pub skill_ids: Vec<SkillId>,
    pub status: Option<InterviewStatus>,
    /// Case-insensitive substring of the title.
    pub title_query: Option<String>,
    /// From 1.
    pub page: u32,
    pub per_page: u32,
}

impl InterviewFilter {
    /// Reads the filters from query pairs: `type`, `skill` (repeatable), `status`, `q`,
    /// `page`, `per_page`. Values that do not parse are left out and described in the second
    /// part, so a page can ignore them and an API can refuse them.
    pub fn from_query<K: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> (Self, Vec<String>) {
        let mut f = InterviewFilter::default();
        let mut problems = Vec::new();
        for (key, value) in pairs {
            let (key, value) = (key.as_ref(), value.as_ref().trim());
            if value.is_empty() {
                continue;
            }
            let number = |what: &str, problems: &mut Vec<String>| -> Option<i64> {
                let n = value.parse::<i64>().ok().filter(|n| *n > 0);
                if n.is_none() {
                    problems.push(format!(
                        "{what} must be a positive whole number (got '{value}')"
                    ));
                }
                n
            };
            match key {
                "type" => f.interview_type_id = number("type", &mut problems).map(InterviewTypeId),
                "skill" => f
                    .skill_ids
                    .extend(number("skill", &mut problems).map(SkillId)),
                "status" => match value.parse() {
                    Ok(s) => f.status = Some(s),
                    Err(e) => problems.push(e),
                },
                "q" => f.title_query = Some(value.to_owned()),
                "page" => {
                    f.page =
                        number("page", &mut problems).map_or(0, |n| n.min(u32::MAX as i64) as u32)
                }
                "per_page" => {
                    f.per_page = number("per_page", &mut problems)
                        .map_or(0, |n| n.min(u32::MAX as i64) as u32)
                }
                _ => {}
            }
        }
        (f, problems)
    }

    /// The query string for these filters (without `?`), `page` included when past the first.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(q) = self.title_query.as_deref().filter(|q| !q.trim().is_empty()) {
            parts.push(format!("q={}", encode_query_value(q)));
        }
        if let Some(t) = self.interview_type_id {
            parts.push(format!("type={t}"));
        }
        for s in &self.skill_ids {
            parts.push(format!("skill={s}"));
        }
        if let Some(s) = self.status {
            parts.push(format!("status={s}"));
        }
        if self.page > 1 {
            parts.push(format!("page={}", self.page));
        }
        parts.join("&")
    }

    /// Whether any filter narrows the list (paging aside).
    pub fn is_filtered(&self) -> bool {
        self.interview_type_id.is_some()
            || !self.skill_ids.is_empty()
            || self.status.is_some()
            || self
                .title_query
                .as_deref()
                .is_some_and(|q| !q.trim().is_empty())
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters pass through).
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InterviewPage {
    pub interviews: Vec<Interview>,
    /// How many interviews match the filter, over all pages.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

impl InterviewPage {
    pub fn page_count(&self) -> u32 {
        if self.per_page == 0 {
            return 0;
        }
        self.total.div_ceil(u64::from(self.per_page)) as u32
    }
}

/// Generates a string enum's `as_str`, `FromStr`, `Display` and `ALL` from one table, so the
/// names stored in SQLite and shown in URLs cannot drift apart.
macro_rules! string_enum {
    ($name:ident, $what:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!(
                        concat!("unknown ", $what, " '{}' (expected one of: {})"),
                        other,
                        [$($text),+].join(", ")
                    )),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum!(Difficulty, "difficulty" {
    Easy => "easy",
    Medium => "medium",
    Hard => "hard",
});

/// Easy before medium before hard; no difficulty last.
pub fn difficulty_rank(d: Option<Difficulty>) -> u8 {
    match d {
        Some(Difficulty::Easy) => 0,
        Some(Difficulty::Medium) => 1,
        Some(Difficulty::Hard) => 2,
        None => 3,
    }
}

string_enum!(DifficultySetting, "difficulty" {
    Easy => "easy",
    Medium => "medium",
    Hard => "hard",
    Mixed => "mixed",
    Adaptive => "adaptive",
});

impl DifficultySetting {
    pub fn label(self) -> &'static str {
        match self {
            DifficultySetting::Easy => "Easy",
            DifficultySetting::Medium => "Medium",
            DifficultySetting::Hard => "Hard",
            DifficultySetting::Mixed => "Mixed (easier questions first)",
            DifficultySetting::Adaptive => "Adaptive (from your ratings, per skill)",
        }
    }

    /// The level every question is asked at, for a fixed setting; `None` for mixed (easier
    /// first) and adaptive (each skill at its own level, `SkillLevel`).
    pub fn fixed(self) -> Option<Difficulty> {
        match self {
            DifficultySetting::Easy => Some(Difficulty::Easy),
            DifficultySetting::Medium => Some(Difficulty::Medium),
            DifficultySetting::Hard => Some(Difficulty::Hard),
            DifficultySetting::Mixed | DifficultySetting::Adaptive => None,
        }
    }
}

/// How hard an interview's questions are: its setting and, when adaptive, each skill's level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DifficultyPlan<'a> {
    pub setting: DifficultySetting,
    pub levels: &'a [SkillLevel],
}

impl DifficultyPlan<'_> {
    /// The level `skill`'s questions are asked at: the setting's for a fixed one, the skill's
    /// own when adaptive; `None` for mixed (and for a skill an adaptive plan has no level for).
    pub fn level_for(&self, skill: SkillId) -> Option<Difficulty> {
        match self.setting {
            DifficultySetting::Adaptive => self
                .levels
                .iter()
                .find(|l| l.skill_id == skill)
                .map(|l| l.difficulty),
            fixed => fixed.fixed(),
        }
    }
}

impl From<DifficultySetting> for DifficultyPlan<'static> {
    fn from(setting: DifficultySetting) -> Self {
        DifficultyPlan {
            setting,
            levels: &[],
        }
    }
}

/// The level an adaptive interview asks one skill at, chosen from the person's ratings when
/// it was set up (`progress::adaptive_level`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SkillLevel {
    pub skill_id: SkillId,
    pub difficulty: Difficulty,
}

string_enum!(Role, "role" {
    Interviewer => "interviewer",
    Candidate => "candidate",
    System => "system",
});

string_enum!(InterviewStatus, "status" {
    Pending => "pending",
    InProgress => "in_progress",
    Completed => "completed",
    Cancelled => "cancelled",
    Error => "error",
});

impl InterviewStatus {
    /// The lifecycle: pending → in progress → completed, with cancel from either open state,
    /// and an error state that can be resumed. Completed and cancelled are final.
    pub fn can_become(self, next: InterviewStatus) -> bool {
        use InterviewStatus::*;
        matches!(
            (self, next),
            (Pending, InProgress)
                | (Pending, Cancelled)
                | (InProgress, Completed)
                | (InProgress, Cancelled)
                | (InProgress, Error)
                | (Error, InProgress)
                | (Error, Cancelled)
        )
    }

    pub fn label(self) -> &'static str {
        match self {
            InterviewStatus::Pending => "Not started",
            InterviewStatus::InProgress => "In progress",
            InterviewStatus::Completed => "Completed",
            InterviewStatus::Cancelled => "Cancelled",
            InterviewStatus::Error => "Interrupted",
        }
    }
}

string_enum!(TurnAction, "action" {
    Start => "start",
    Answer => "answer",
    Hint => "hint",
    Skip => "skip",
    End => "end",
});

impl TurnAction {
    /// What the candidate's message says for an action without typed text.
    pub fn spoken(self) -> Option<&'static str> {
        match self {
            TurnAction::Hint => Some("Could I have a hint?"),
            TurnAction::Skip => Some("I'd like to skip this question."),
            TurnAction::End => Some("I'd like to end the interview here."),
            TurnAction::Start | TurnAction::Answer => None,
        }
    }
}

string_enum!(QuestionOutcome, "outcome" {
    Answered => "answered",
    Skipped => "skipped",
    NotAnswered => "not_answered",
});

/// The longest answer the candidate can send in one turn.
pub const MAX_ANSWER_CHARS: usize = 4000;

/// Everything the interview page shows: the interview, its conversation, where it stands, who
/// is interviewing and, once completed, the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveInterview {
    pub interview: Interview,
    /// Finished messages in order.
    pub messages: Vec<Message>,
    /// The candidate's words of the turn being answered right now, until the reply is stored.
    pub pending_answer: Option<String>,
    /// A reply is being written (by this tab or another); the page follows its stream.
    pub replying: bool,
    pub progress: Progress,
    pub interviewer: InterviewerInfo,
    pub report: Option<Report>,
    /// Why the report could not be written; it can be regenerated.
    pub report_error: Option<String>,
    /// Set when the report is the offline rules' because the model's was unusable: why.
    #[serde(default)]
    pub report_fallback: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// The number of the question being asked (1-based); 0 before the interview starts.
    pub current: u32,
    pub total: u32,
    /// A hint was already given for the current question (one per question).
    pub hint_used: bool,
    /// The current question is waiting for an answer to a follow-up.
    pub in_follow_up: bool,
    /// Set while a timed interview's current question waits for its first answer (follow-ups
    /// are not timed).
    #[serde(default)]
    pub answer_clock: Option<AnswerClock>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterviewerInfo {
    /// "Offline interviewer" or the model's name.
    pub name: String,
    pub offline: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// One entry per selected skill, ordered by skill name.
    pub skills: Vec<SkillReport>,
    /// One entry per asked question, in the order asked.
    pub questions: Vec<QuestionReport>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillReport {
    pub skill: Skill,
    /// 1–5; `None` when no question on the skill was answered (not rated, not scored low).
    pub rating: Option<u8>,
    pub strengths: String,
    pub areas_for_improvement: String,
    pub summary: String,
    /// How many of the skill's planned questions were answered, of how many (`None` in
    /// reports written before this was kept).
    pub answered: Option<u32>,
    pub planned: Option<u32>,
}

/// What an experienced interviewer listens for in answers to one bank question.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rubric {
    /// 3–6 points a strong answer covers.
    pub key_points: Vec<KeyPoint>,
    /// What a strong candidate might say, shown after the interview.
    pub model_answer: String,
    /// A nudge written for this question.
    pub hint: String,
    /// Follow-up questions, each drawing out one key point.
    pub probes: Vec<Probe>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyPoint {
    pub point: String,
    /// Words and phrases that show the point (matched on word stems).
    pub phrases: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Probe {
    pub text: String,
    /// The key point it draws out, as an index into `Rubric::key_points`.
    pub key_point: usize,
}

/// A key point of a question in the report, and whether the answer showed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyPointResult {
    pub point: String,
    pub covered: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionReport {
    pub order: u32,
    pub skill_name: Option<String>,
    pub text: String,
    pub outcome: QuestionOutcome,
    /// `None` unless answered.
    pub rating: Option<u8>,
    pub note: String,
    pub hints: u32,
    pub follow_up: bool,
    /// The question's key points, marked covered or missed (empty when it was not judged).
    pub key_points: Vec<KeyPointResult>,
    /// The bank's model answer, when the question still has one.
    pub model_answer: Option<String>,
    /// How long the first answer took, from the question being asked to the answer sent.
    #[serde(default)]
    pub answer_seconds: Option<u32>,
}

impl QuestionReport {
    /// "Answered in 1 min 42 s", with "over the 2 min limit" when a timer was set and passed.
    pub fn time_label(&self, limit: Option<u16>) -> Option<String> {
        let took = self.answer_seconds?;
        let mut label = format!("Answered in {}", duration_label(took));
        if let Some(limit) = limit.filter(|l| took > u32::from(*l)) {
            label += &format!(", over the {} limit", duration_label(u32::from(limit)));
        }
        Some(label)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn reply_events_round_trip_by_name_and_three_end_the_stream() {
        for e in ReplyEvent::ALL {
            assert_eq!(ReplyEvent::from_name(e.name()), Some(e));
        }
        let finals: Vec<_> = ReplyEvent::ALL
            .into_iter()
            .filter(|e| e.is_final())
            .collect();
        assert_eq!(
            finals,
            [ReplyEvent::Done, ReplyEvent::Failed, ReplyEvent::Idle]
        );
        assert_eq!(ReplyEvent::from_name("message"), None);
    }

    use super::*;

    #[test]
    fn enums_round_trip_through_their_names() {
        for s in InterviewStatus::ALL {
            assert_eq!(s.as_str().parse::<InterviewStatus>().unwrap(), *s);
        }
        for d in Difficulty::ALL {
            assert_eq!(d.as_str().parse::<Difficulty>().unwrap(), *d);
        }
        let err = "nope".parse::<Role>().unwrap_err();
        assert!(err.contains("interviewer, candidate, system"), "{err}");
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(
            encode_query_value("/interviews/a b?x=1&y"),
            "%2Finterviews%2Fa%20b%3Fx%3D1%26y"
        );
        assert_eq!(encode_query_value("é"), "%C3%A9");
    }

    #[test]
    fn final_states_go_nowhere() {
        use InterviewStatus::*;
        for next in InterviewStatus::ALL {
            assert!(!Completed.can_become(*next));
            assert!(!Cancelled.can_become(*next));
        }
        assert!(!Pending.can_become(Completed));
        assert!(Pending.can_become(InProgress));
    }

    #[test]
    fn filters_round_trip_through_the_query() {
        let f = InterviewFilter {
            interview_type_id: Some(InterviewTypeId(2)),
            skill_ids: vec![SkillId(3), SkillId(9)],
            status: Some(InterviewStatus::Completed),
            title_query: Some("back end & more".into()),
            page: 3,
            per_page: 0,
        };
        let q = f.to_query();
        assert_eq!(
            q,
            "q=back%20end%20%26%20more&type=2&skill=3&skill=9&status=completed&page=3"
        );
        let pairs: Vec<(String, String)> = q
            .split('&')
            .map(|kv| kv.split_once('=').unwrap())
            .map(|(k, v)| (k.to_owned(), v.replace("%20", " ").replace("%26", "&")))
            .collect();
        assert_eq!(InterviewFilter::from_query(pairs), (f.clone(), vec![]));
        assert!(f.is_filtered());
        assert!(!InterviewFilter::default().is_filtered());
    }

    #[test]
    fn bad_filter_values_are_described_and_left_out() {
        let (f, problems) = InterviewFilter::from_query([
            ("type", "x"),
            ("status", "done"),
            ("skill", "-1"),
            ("q", "  "),
        ]);
        assert_eq!(f, InterviewFilter::default());
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[1].contains("unknown status 'done'"));
    }

    #[test]
    fn page_count_rounds_up() {
        let page = |total| InterviewPage {
            interviews: vec![],
            total,
            page: 1,
            per_page: 20,
        };
        assert_eq!(page(0).page_count(), 0);
        assert_eq!(page(20).page_count(), 1);
        assert_eq!(page(21).page_count(), 2);
    }
}
