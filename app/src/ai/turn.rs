//! The turn engine: what one turn does, decided from the loaded state alone — no I/O. `Live`
//! loads a [`Loaded`] inside the turn's write transaction, calls [`decide`], and stores the
//! result; the server, not the candidate's text, chooses whether to follow up, move on or
//! finish.

use super::judge::Judgement;
use super::plan::{PlanInput, plan_questions, seed_for};
use super::{Ack, BriefQuestion, ReportInput, Step, TurnBrief, prompt, rules};
use crate::model::{
    Interview, InterviewStatus, MAX_ANSWER_CHARS, Question, QuestionId, SkillId, TurnAction,
};
use crate::store::{AnswerSlot, AskedQuestion, NewAsked, StoreError, TurnChanges, TurnState};
use std::collections::HashSet;

/// Everything a turn is decided from, read in the turn's transaction.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub state: TurnState,
    /// For a start: the question pool of the interview's type and skills, and the questions
    /// this user met recently.
    pub pool: Vec<Question>,
    pub recent: HashSet<QuestionId>,
    /// The planned question after the current one, if there is one.
    pub next: Option<Question>,
}

/// Why a turn cannot be taken. `Display` is what the candidate reads.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TurnError {
    #[error("Start the interview first.")]
    NotStarted,
    #[error("This interview has already started.")]
    AlreadyStarted,
    #[error("This interview is {} and takes no more answers.", .0.label().to_lowercase())]
    Closed(InterviewStatus),
    #[error("The interviewer is still replying. Wait for the reply to finish.")]
    Replying,
    #[error("Write an answer first, or skip the question.")]
    EmptyAnswer,
    #[error("An answer can be at most {MAX_ANSWER_CHARS} characters (this one has {0}).")]
    TooLong(usize),
    #[error("You have already had the hint for this question.")]
    HintUsed,
    #[error("This question is already answered; the interviewer is moving on.")]
    AlreadyAnswered,
    #[error("There are no questions for these skills yet. Choose other skills.")]
    NoQuestions,
    #[error("an interview in progress has no question")]
    NoCurrentQuestion,
}

impl From<TurnError> for StoreError {
    fn from(e: TurnError) -> StoreError {
        match e {
            TurnError::EmptyAnswer | TurnError::TooLong(_) => StoreError::Invalid(e.to_string()),
            TurnError::NoCurrentQuestion => StoreError::Internal(e.to_string()),
            _ => StoreError::Conflict(e.to_string()),
        }
    }
}

/// A decided turn, before its reply is written.
#[derive(Clone, Debug)]
pub struct Decision {
    /// The candidate's message of this turn (typed, or what the action says).
    pub candidate_text: Option<String>,
    pub brief: TurnBrief,
    pub changes: TurnChanges,
    /// Set when this turn ends the interview: what its report is written from.
    pub report: Option<ReportInput>,
}

/// Decides a turn: one small function per action.
pub fn decide(l: &Loaded, action: TurnAction, text: Option<String>) -> Result<Decision, TurnError> {
    if l.state.replying {
        return Err(TurnError::Replying);
    }
    match (action, l.state.interview.status) {
        (TurnAction::Start, InterviewStatus::Pending) => return start(l),
        (TurnAction::Start, _) => return Err(TurnError::AlreadyStarted),
        (_, InterviewStatus::Pending) => return Err(TurnError::NotStarted),
        (_, InterviewStatus::InProgress) => {}
        (_, status) => return Err(TurnError::Closed(status)),
    }
    let turn = Turn::new(l, action, text)?;
    match action {
        TurnAction::Answer => answer(turn),
        TurnAction::Hint => hint(turn),
        TurnAction::Skip => skip(turn),
        TurnAction::End => end(turn),
        TurnAction::Start => unreachable!("decided above"),
    }
}

fn brief(state: &TurnState, action: TurnAction) -> TurnBrief {
    let i = &state.interview;
    TurnBrief {
        step: Step::Greet,
        action,
        type_name: type_name(i),
        type_description: i
            .interview_type
            .as_ref()
            .and_then(|t| t.description.clone()),
        skills: i.skills.iter().map(|s| s.name.clone()).collect(),
        total: state.plan.as_ref().map_or(0, |p| p.len() as u32),
        current: state.asked.last().map(brief_question),
        next: None,
        candidate_text: None,
        history: prompt::bounded_history(&state.messages),
        follow_up: None,
        hint: None,
        ack: Ack::None,
        answered: 0,
    }
}

fn type_name(i: &Interview) -> String {
    i.interview_type
        .as_ref()
        .map(|t| t.name.clone())
        .unwrap_or_else(|| "general".into())
}

fn brief_question(q: &AskedQuestion) -> BriefQuestion {
    BriefQuestion {
        order: q.order,
        text: q.text.clone(),
        skill: q.skill_name.clone(),
    }
}

fn changes(state: &TurnState) -> TurnChanges {
    TurnChanges {
        interview_id: state.interview.id.clone(),
        ..TurnChanges::default()
    }
}

fn skill_name(i: &Interview, skill_id: Option<SkillId>) -> Option<String> {
    let id = skill_id?;
    i.skills.iter().find(|s| s.id == id).map(|s| s.name.clone())
}

fn new_asked(order: u32, q: &Question) -> NewAsked {
    NewAsked {
        order,
        question_bank_id: q.id,
        text: q.text.clone(),
        skill_id: q.skill_id,
        difficulty: q.difficulty,
    }
}

/// What a report is written from, with the question rows as this turn leaves them.
pub fn report_input(state: &TurnState, asked: Vec<AskedQuestion>) -> ReportInput {
    let i = &state.interview;
    ReportInput {
        type_name: type_name(i),
        skills: i.skills.iter().map(|s| (s.id, s.name.clone())).collect(),
        questions: asked,
        rubrics: state.rubrics.clone(),
        plan_skills: state.plan_skills.clone(),
    }
}

/// Start: fix the plan, greet, ask the first question.
fn start(l: &Loaded) -> Result<Decision, TurnError> {
    let i = &l.state.interview;
    let plan = plan_questions(&PlanInput {
        pool: &l.pool,
        count: usize::from(i.question_count),
        difficulty: i.difficulty_plan(),
        recent: &l.recent,
        seed: seed_for(&i.id),
    });
    let first = plan.first().ok_or(TurnError::NoQuestions)?;
    let mut brief = brief(&l.state, TurnAction::Start);
    let mut changes = changes(&l.state);
    brief.total = plan.len() as u32;
    brief.next = Some(BriefQuestion {
        order: 1,
        text: first.text.clone(),
        skill: skill_name(i, first.skill_id),
    });
    changes.ask = Some(new_asked(1, first));
    changes.start_plan = Some(plan.iter().map(|q| q.id).collect());
    Ok(Decision {
        candidate_text: None,
        brief,
        changes,
        report: None,
    })
}

/// A turn on the current question of an interview in progress, being built.
struct Turn<'a> {
    l: &'a Loaded,
    current: &'a AskedQuestion,
    text: String,
    brief: TurnBrief,
    changes: TurnChanges,
    /// The question rows as they will be once this turn is stored (for a final report).
    asked_after: Vec<AskedQuestion>,
}

impl<'a> Turn<'a> {
    fn new(
        l: &'a Loaded,
        action: TurnAction,
        typed: Option<String>,
    ) -> Result<Turn<'a>, TurnError> {
        let text = match action {
            TurnAction::Answer => {
                let typed = typed.unwrap_or_default();
                let t = typed.trim();
                if t.is_empty() {
                    return Err(TurnError::EmptyAnswer);
                }
                let n = t.chars().count();
                if n > MAX_ANSWER_CHARS {
                    return Err(TurnError::TooLong(n));
                }
                t.to_owned()
            }
            other => other.spoken().unwrap_or_default().to_owned(),
        };
        let current = l.state.asked.last().ok_or(TurnError::NoCurrentQuestion)?;
        let mut brief = brief(&l.state, action);
        brief.candidate_text = Some(text.clone());
        Ok(Turn {
            l,
            current,
            text,
            brief,
            changes: changes(&l.state),
            asked_after: l.state.asked.clone(),
        })
    }

    fn rubric(&self) -> Option<&'a crate::model::Rubric> {
        self.current
            .question_bank_id
            .and_then(|id| self.l.state.rubrics.get(&id))
    }

    fn last_after(&mut self) -> &mut AskedQuestion {
        self.asked_after
            .last_mut()
            .expect("a turn has a current question")
    }

    fn judged_after(&self) -> Option<Judgement> {
        rules::judge_asked(self.asked_after.last()?, self.rubric())
    }

    /// Ask the next planned question, or finish when there is none.
    fn move_on(mut self) -> Decision {
        match &self.l.next {
            Some(q) => {
                let order = self.current.order + 1;
                self.brief.step = Step::Next;
                self.brief.next = Some(BriefQuestion {
                    order,
                    text: q.text.clone(),
                    skill: skill_name(&self.l.state.interview, q.skill_id),
                });
                self.changes.ask = Some(new_asked(order, q));
            }
            None => self.brief.step = Step::Finish { early: false },
        }
        self.done()
    }

    fn done(mut self) -> Decision {
        self.brief.answered = self
            .asked_after
            .iter()
            .filter(|q| q.answer.is_some())
            .count() as u32;
        let report = matches!(self.brief.step, Step::Finish { .. })
            .then(|| report_input(&self.l.state, self.asked_after));
        Decision {
            candidate_text: Some(self.text),
            brief: self.brief,
            changes: self.changes,
            report,
        }
    }
}

fn ack(j: Option<&Judgement>) -> Ack {
    match j {
        Some(j) if j.no_credit() => Ack::Weak,
        Some(j) if j.rating.is_some_and(|r| r >= 4) => Ack::Strong,
        _ => Ack::Answered,
    }
}

/// An answer: to the question (judged; one follow-up when it missed the question or key
/// points), or to the follow-up (then on to the next question).
fn answer(mut t: Turn<'_>) -> Result<Decision, TurnError> {
    let current = t.current;
    if current.answer.is_none() {
        t.changes.answer = Some((current.id.clone(), AnswerSlot::Answer));
        t.last_after().answer = Some(t.text.clone());
        let verdict = t.judged_after();
        let follow = verdict
            .as_ref()
            .and_then(|j| rules::follow_up(&current.text, t.rubric(), j));
        if let Some(f) = follow {
            t.brief.step = Step::FollowUp;
            t.brief.follow_up = Some(f);
            t.changes.follow_up_on = Some(current.id.clone());
            return Ok(t.done());
        }
        t.brief.ack = ack(verdict.as_ref());
        return Ok(t.move_on());
    }
    if current.awaiting_follow_up() {
        t.changes.answer = Some((current.id.clone(), AnswerSlot::FollowUpAnswer));
        t.last_after().follow_up_answer = Some(t.text.clone());
        t.brief.ack = ack(t.judged_after().as_ref());
        return Ok(t.move_on());
    }
    Err(TurnError::AlreadyAnswered)
}

/// The question's own hint, once per question.
fn hint(mut t: Turn<'_>) -> Result<Decision, TurnError> {
    if t.current.hints > 0 {
        return Err(TurnError::HintUsed);
    }
    t.brief.step = Step::Hint;
    t.brief.hint = t.rubric().map(|r| r.hint.clone()).filter(|h| !h.is_empty());
    t.changes.hint_on = Some(t.current.id.clone());
    Ok(t.done())
}

/// Skip: an unanswered question is marked skipped (a follow-up can be skipped too); on to the
/// next.
fn skip(mut t: Turn<'_>) -> Result<Decision, TurnError> {
    if t.current.answer.is_none() {
        t.changes.skipped = Some(t.current.id.clone());
        t.last_after().skipped = true;
    }
    t.brief.ack = Ack::Skipped;
    Ok(t.move_on())
}

/// End early: close with a report on what was covered.
fn end(mut t: Turn<'_>) -> Result<Decision, TurnError> {
    t.brief.step = Step::Finish { early: true };
    Ok(t.done())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ai::fixtures::{LRU_QUESTION, lru_rubric};
    use crate::model::{
        Difficulty, DifficultySetting, InterviewType, InterviewTypeId, Rubric, Skill,
    };
    use std::collections::HashMap;

    /// The state of the current question before the turn.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Q {
        /// No question yet (before the start).
        None,
        Fresh,
        Hinted,
        AwaitingFollowUp,
        FollowedUp,
        Answered,
        Skipped,
    }

    const QUESTION: &str = LRU_QUESTION;
    const STRONG: &str = "A hash map from key to a node in a doubly linked list; on every get \
        the node moves to the head, and when the cache is full we evict the tail node.";
    const PARTIAL: &str = "I would keep all the entries in a hash map keyed by the cache key.";

    fn rubric() -> Rubric {
        lru_rubric()
    }

    fn question(id: i64) -> Question {
        Question {
            id: QuestionId(id),
            skill_id: Some(SkillId(1)),
            text: format!("{QUESTION} ({id})"),
            difficulty: Some(Difficulty::Medium),
            theme: Some(format!("theme-{id}")),
            for_type: true,
        }
    }

    fn loaded(status: InterviewStatus, q: Q, has_next: bool) -> Loaded {
        let asked = |answer: Option<&str>| AskedQuestion {
            id: "row-1".into(),
            order: 1,
            question_bank_id: Some(QuestionId(10)),
            text: QUESTION.into(),
            skill_id: Some(SkillId(1)),
            skill_name: Some("Algorithms".into()),
            difficulty: Some(Difficulty::Medium),
            answer: answer.map(str::to_owned),
            follow_up_asked: false,
            follow_up_answer: None,
            hints: 0,
            skipped: false,
            answer_seconds: answer.map(|_| 60),
            waited_seconds: 60,
        };
        let asked = match q {
            Q::None => vec![],
            Q::Fresh => vec![asked(None)],
            Q::Hinted => vec![AskedQuestion {
                hints: 1,
                ..asked(None)
            }],
            Q::AwaitingFollowUp => vec![AskedQuestion {
                follow_up_asked: true,
                ..asked(Some(PARTIAL))
            }],
            Q::FollowedUp => vec![AskedQuestion {
                follow_up_asked: true,
                follow_up_answer: Some("evict the tail".into()),
                ..asked(Some(PARTIAL))
            }],
            Q::Answered => vec![asked(Some(STRONG))],
            Q::Skipped => vec![AskedQuestion {
                skipped: true,
                ..asked(None)
            }],
        };
        let started = q != Q::None;
        Loaded {
            state: TurnState {
                interview: Interview {
                    id: "iv".into(),
                    user_id: "u".into(),
                    title: None,
                    status,
                    interview_type: Some(InterviewType {
                        id: InterviewTypeId(1),
                        name: "Technical".into(),
                        description: None,
                    }),
                    skills: vec![Skill {
                        id: SkillId(1),
                        name: "Algorithms".into(),
                        description: None,
                    }],
                    created_at: String::new(),
                    updated_at: String::new(),
                    started_at: None,
                    completed_at: None,
                    question_count: 3,
                    difficulty: DifficultySetting::Mixed,
                    skill_levels: Vec::new(),
                    answer_seconds: None,
                },
                user_id: "u".into(),
                plan: started.then(|| vec![QuestionId(10), QuestionId(11), QuestionId(12)]),
                asked,
                messages: vec![],
                pending_answer: None,
                replying: false,
                report_error: None,
                report_fallback: None,
                usage: Default::default(),
                rubrics: HashMap::from([(QuestionId(10), rubric())]),
                plan_skills: if started {
                    vec![Some(SkillId(1)); 3]
                } else {
                    vec![]
                },
            },
            pool: vec![question(10), question(11), question(12)],
            recent: HashSet::new(),
            next: has_next.then(|| question(11)),
        }
    }

    /// What the turn should do, in short.
    #[derive(Debug, PartialEq, Eq)]
    enum Want {
        Err(TurnError),
        Greet,
        FollowUp,
        Next,
        Finish,
        Hint,
        End,
    }

    fn outcome(r: Result<Decision, TurnError>) -> Want {
        match r {
            Err(e) => Want::Err(e),
            Ok(d) => match d.brief.step {
                Step::Greet => Want::Greet,
                Step::FollowUp => Want::FollowUp,
                Step::Next => Want::Next,
                Step::Hint => Want::Hint,
                Step::Finish { early: true } => Want::End,
                Step::Finish { early: false } => Want::Finish,
            },
        }
    }

    #[test]
    fn every_action_in_every_status_and_question_state() {
        use InterviewStatus::*;
        use TurnAction::*;
        use Want as W;
        let closed = |s| W::Err(TurnError::Closed(s));
        // (action, status, question state, answer text, a next question planned, expected)
        let table: Vec<(TurnAction, InterviewStatus, Q, &str, bool, Want)> = vec![
            (Start, Pending, Q::None, "", true, W::Greet),
            (
                Start,
                InProgress,
                Q::Fresh,
                "",
                true,
                W::Err(TurnError::AlreadyStarted),
            ),
            (
                Start,
                Completed,
                Q::Answered,
                "",
                false,
                W::Err(TurnError::AlreadyStarted),
            ),
            (
                Start,
                Cancelled,
                Q::None,
                "",
                false,
                W::Err(TurnError::AlreadyStarted),
            ),
            (
                Answer,
                Pending,
                Q::None,
                STRONG,
                true,
                W::Err(TurnError::NotStarted),
            ),
            (
                Hint,
                Pending,
                Q::None,
                "",
                true,
                W::Err(TurnError::NotStarted),
            ),
            (
                Skip,
                Pending,
                Q::None,
                "",
                true,
                W::Err(TurnError::NotStarted),
            ),
            (
                End,
                Pending,
                Q::None,
                "",
                true,
                W::Err(TurnError::NotStarted),
            ),
            (
                Answer,
                Completed,
                Q::Answered,
                STRONG,
                false,
                closed(Completed),
            ),
            (Hint, Cancelled, Q::Fresh, "", true, closed(Cancelled)),
            (Skip, Error, Q::Fresh, "", true, closed(Error)),
            (End, Completed, Q::Answered, "", false, closed(Completed)),
            (Answer, InProgress, Q::Fresh, STRONG, true, W::Next),
            (Answer, InProgress, Q::Fresh, STRONG, false, W::Finish),
            (Answer, InProgress, Q::Fresh, PARTIAL, true, W::FollowUp),
            (Answer, InProgress, Q::Fresh, PARTIAL, false, W::FollowUp),
            (Answer, InProgress, Q::Hinted, PARTIAL, true, W::FollowUp),
            (
                Answer,
                InProgress,
                Q::Fresh,
                "   ",
                true,
                W::Err(TurnError::EmptyAnswer),
            ),
            (
                Answer,
                InProgress,
                Q::AwaitingFollowUp,
                "evict the tail",
                true,
                W::Next,
            ),
            (
                Answer,
                InProgress,
                Q::AwaitingFollowUp,
                "evict the tail",
                false,
                W::Finish,
            ),
            (
                Answer,
                InProgress,
                Q::FollowedUp,
                STRONG,
                true,
                W::Err(TurnError::AlreadyAnswered),
            ),
            (
                Answer,
                InProgress,
                Q::Answered,
                STRONG,
                true,
                W::Err(TurnError::AlreadyAnswered),
            ),
            (
                Answer,
                InProgress,
                Q::None,
                STRONG,
                true,
                W::Err(TurnError::NoCurrentQuestion),
            ),
            (Hint, InProgress, Q::Fresh, "", true, W::Hint),
            (
                Hint,
                InProgress,
                Q::Hinted,
                "",
                true,
                W::Err(TurnError::HintUsed),
            ),
            (Hint, InProgress, Q::AwaitingFollowUp, "", true, W::Hint),
            (Skip, InProgress, Q::Fresh, "", true, W::Next),
            (Skip, InProgress, Q::Fresh, "", false, W::Finish),
            (Skip, InProgress, Q::Hinted, "", true, W::Next),
            (Skip, InProgress, Q::AwaitingFollowUp, "", true, W::Next),
            (Skip, InProgress, Q::Skipped, "", true, W::Next),
            (End, InProgress, Q::Fresh, "", true, W::End),
            (End, InProgress, Q::AwaitingFollowUp, "", true, W::End),
            (End, InProgress, Q::Answered, "", false, W::End),
        ];
        for (action, status, q, text, next, want) in table {
            let l = loaded(status, q, next);
            let text = (action == Answer).then(|| text.to_owned());
            let got = outcome(decide(&l, action, text));
            assert_eq!(
                got, want,
                "{action:?} in {status:?} with {q:?}, next {next}"
            );
        }
    }

    const EVERY_Q: [Q; 7] = [
        Q::None,
        Q::Fresh,
        Q::Hinted,
        Q::AwaitingFollowUp,
        Q::FollowedUp,
        Q::Answered,
        Q::Skipped,
    ];

    #[test]
    fn outside_an_interview_in_progress_only_a_pending_start_goes_ahead_whatever_the_question() {
        use InterviewStatus::*;
        for action in TurnAction::ALL {
            for status in [Pending, Completed, Cancelled, Error] {
                for q in EVERY_Q {
                    let want = match (*action, status) {
                        (TurnAction::Start, Pending) => Want::Greet,
                        (TurnAction::Start, _) => Want::Err(TurnError::AlreadyStarted),
                        (_, Pending) => Want::Err(TurnError::NotStarted),
                        (_, s) => Want::Err(TurnError::Closed(s)),
                    };
                    let got = outcome(decide(
                        &loaded(status, q, true),
                        *action,
                        Some(STRONG.into()),
                    ));
                    assert_eq!(got, want, "{action:?} in {status:?} with {q:?}");
                }
            }
        }
    }

    #[test]
    fn in_progress_every_action_and_question_state_gives_a_decision_or_a_typed_error() {
        for action in TurnAction::ALL {
            for q in EVERY_Q {
                for next in [true, false] {
                    let l = loaded(InterviewStatus::InProgress, q, next);
                    let got = outcome(decide(&l, *action, Some(PARTIAL.into())));
                    match (*action, q) {
                        (TurnAction::Start, _) => {
                            assert_eq!(got, Want::Err(TurnError::AlreadyStarted))
                        }
                        (_, Q::None) => assert_eq!(got, Want::Err(TurnError::NoCurrentQuestion)),
                        (TurnAction::End, _) => assert_eq!(got, Want::End),
                        // Moving on asks the next question, or finishes when there is none.
                        (TurnAction::Skip, _) => {
                            assert_eq!(got, if next { Want::Next } else { Want::Finish })
                        }
                        _ => assert!(
                            !matches!(got, Want::Greet | Want::End),
                            "{action:?} with {q:?}: {got:?}"
                        ),
                    }
                }
            }
        }
    }

    #[test]
    fn a_reply_in_progress_blocks_every_action() {
        for action in TurnAction::ALL {
            for status in InterviewStatus::ALL {
                let mut l = loaded(*status, Q::Fresh, true);
                l.state.replying = true;
                let r = decide(&l, *action, Some(STRONG.into()));
                assert_eq!(r.unwrap_err(), TurnError::Replying);
            }
        }
    }

    #[test]
    fn a_too_long_answer_is_refused_with_its_length() {
        let l = loaded(InterviewStatus::InProgress, Q::Fresh, true);
        let long = "a".repeat(MAX_ANSWER_CHARS + 1);
        assert_eq!(
            decide(&l, TurnAction::Answer, Some(long)).unwrap_err(),
            TurnError::TooLong(MAX_ANSWER_CHARS + 1)
        );
        let err: StoreError = TurnError::TooLong(5000).into();
        assert!(matches!(err, StoreError::Invalid(_)));
        let err: StoreError = TurnError::HintUsed.into();
        assert!(matches!(err, StoreError::Conflict(_)));
    }

    #[test]
    fn the_follow_up_uses_the_probe_for_a_missed_point() {
        let l = loaded(InterviewStatus::InProgress, Q::Fresh, true);
        let d = decide(&l, TurnAction::Answer, Some(PARTIAL.into())).unwrap();
        let f = d.brief.follow_up.unwrap();
        assert!(
            f.contains("What do you remove when the cache is full?"),
            "{f}"
        );
        assert_eq!(d.changes.follow_up_on.as_deref(), Some("row-1"));
        assert!(d.changes.ask.is_none() && d.report.is_none());
    }

    #[test]
    fn the_hint_is_the_questions_own() {
        let l = loaded(InterviewStatus::InProgress, Q::Fresh, true);
        let d = decide(&l, TurnAction::Hint, None).unwrap();
        assert_eq!(d.brief.hint.as_deref(), Some(rubric().hint.as_str()));
        assert_eq!(d.changes.hint_on.as_deref(), Some("row-1"));
    }

    #[test]
    fn acknowledgements_praise_only_what_the_judge_found() {
        let l = loaded(InterviewStatus::InProgress, Q::Fresh, true);
        let strong = decide(&l, TurnAction::Answer, Some(STRONG.into())).unwrap();
        assert_eq!(strong.brief.ack, Ack::Strong);
        let l = loaded(InterviewStatus::InProgress, Q::AwaitingFollowUp, true);
        let weak = decide(&l, TurnAction::Answer, Some("pass".into())).unwrap();
        assert_ne!(weak.brief.ack, Ack::Strong);
        let skip = decide(&l, TurnAction::Skip, None).unwrap();
        assert_eq!(skip.brief.ack, Ack::Skipped);
    }

    #[test]
    fn finishing_carries_the_report_input_with_this_turns_answer() {
        let l = loaded(InterviewStatus::InProgress, Q::Fresh, false);
        let d = decide(&l, TurnAction::Answer, Some(STRONG.into())).unwrap();
        let r = d.report.unwrap();
        assert_eq!(r.questions[0].answer.as_deref(), Some(STRONG));
        assert_eq!(r.plan_skills.len(), 3);
        assert_eq!(d.brief.answered, 1);
        let d = decide(&l, TurnAction::Skip, None).unwrap();
        assert!(d.report.unwrap().questions[0].skipped);
        assert_eq!(d.changes.skipped.as_deref(), Some("row-1"));
    }

    #[test]
    fn a_start_fixes_the_plan_and_asks_the_first_question() {
        let l = loaded(InterviewStatus::Pending, Q::None, true);
        let d = decide(&l, TurnAction::Start, None).unwrap();
        assert_eq!(d.changes.start_plan.as_ref().unwrap().len(), 3);
        assert_eq!(d.brief.total, 3);
        assert_eq!(d.changes.ask.as_ref().unwrap().order, 1);
        let mut empty = l.clone();
        empty.pool.clear();
        assert_eq!(
            decide(&empty, TurnAction::Start, None).unwrap_err(),
            TurnError::NoQuestions
        );
    }
}
