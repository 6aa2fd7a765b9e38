//! Running turns: deciding each one in a transaction, streaming the reply to whoever follows
//! it, and storing it whole — or not at all.
//!
//! A turn runs in its own task, so a browser that disconnects mid-reply does not stop it: the
//! reply is still completed and stored. Followers get the reply so far and then each new
//! piece through a `watch` channel; a tab that opens mid-reply joins where it is.

use super::plan::{PlanInput, plan_questions, seed_for};
use super::{AiError, BriefQuestion, Provider, ReportInput, Step, TurnBrief, prompt};
use crate::model::{
    InterviewStatus, InterviewerInfo, LiveInterview, MAX_ANSWER_CHARS, Progress, TurnAction,
};
use crate::store::{
    self, AnswerSlot, Db, NewAsked, PendingTurn, StoreError, TurnChanges, TurnState,
};
use futures::StreamExt;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::watch;

/// How many of the user's latest other interviews count as "recent" for the question plan.
pub const RECENT_INTERVIEWS: u32 = 10;

/// How long a finished turn's outcome stays available to followers.
pub const FINISHED_TURN_LINGER: std::time::Duration = std::time::Duration::from_secs(30);

/// The longest turn key accepted; the browser sends a UUID.
pub const MAX_TURN_KEY_CHARS: usize = 64;

/// Whether a request started a turn or named one already taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TurnStarted {
    New,
    Already,
}

fn check_turn_key(key: &str) -> Result<(), StoreError> {
    let ok = !key.is_empty()
        && key.len() <= MAX_TURN_KEY_CHARS
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "A turn key is 1 to {MAX_TURN_KEY_CHARS} letters, digits or dashes."
        )))
    }
}

/// A reply as followers see it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplyProgress {
    pub text: String,
    pub state: ReplyState,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ReplyState {
    #[default]
    Writing,
    /// Stored; the page reloads the interview.
    Done,
    /// Nothing was stored; the message says why.
    Failed(String),
}

/// The live-interview service: one per server, shared by server functions and the stream route.
#[derive(Clone)]
pub struct Live {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    provider: Provider,
    turns: Mutex<HashMap<String, (u64, watch::Receiver<ReplyProgress>)>>,
    next_turn: AtomicU64,
}

/// A decided turn, before its reply is written.
struct Decision {
    candidate_text: Option<String>,
    brief: TurnBrief,
    changes: TurnChanges,
    report: Option<ReportInput>,
}

impl Live {
    pub fn new(db: Db, provider: Provider) -> Live {
        Live {
            inner: Arc::new(Inner {
                db,
                provider,
                turns: Mutex::new(HashMap::new()),
                next_turn: AtomicU64::new(1),
            }),
        }
    }

    pub fn info(&self) -> InterviewerInfo {
        self.inner.provider.info()
    }

    /// The reply being written for an interview, if one is.
    pub fn follow(&self, interview_id: &str) -> Option<watch::Receiver<ReplyProgress>> {
        let turns = self.inner.turns.lock().unwrap_or_else(|p| p.into_inner());
        turns.get(interview_id).map(|(_, rx)| rx.clone())
    }

    /// Decides and starts a turn; the reply is written in the background (follow it with
    /// [`Live::follow`]). The caller has checked that the user owns the interview. Fails with
    /// `Conflict` while another turn is running, and `Invalid`/`Conflict` for an action the
    /// interview's state does not allow; nothing is stored then.
    ///
    /// `turn_key` is made by the browser once per turn it asks for. A request whose key names
    /// a turn already taken (running or stored) changes nothing and answers
    /// [`TurnStarted::Already`], so sending a turn again after a lost response is safe.
    pub async fn take_turn(
        &self,
        interview_id: &str,
        action: TurnAction,
        text: Option<String>,
        turn_key: Option<String>,
    ) -> Result<TurnStarted, StoreError> {
        if let Some(k) = &turn_key {
            check_turn_key(k)?;
        }
        let id = interview_id.to_owned();
        let decided = self
            .inner
            .db
            .write(move |c| {
                let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                if let Some(k) = &turn_key
                    && store::turn_taken(&tx, &id, k)?
                {
                    return Ok(None);
                }
                let state = store::turn_state(&tx, &id)?;
                if state.replying {
                    return Err(StoreError::Conflict(
                        "The interviewer is still replying. Wait for the reply to finish.".into(),
                    ));
                }
                let decision = decide(&tx, &state, action, text)?;
                let pending = store::insert_pending_turn(
                    &tx,
                    &id,
                    &state.user_id,
                    decision.candidate_text.as_deref(),
                    turn_key.as_deref(),
                )?;
                tx.commit()?;
                Ok(Some((decision, pending)))
            })
            .await?;
        let Some((decision, pending)) = decided else {
            return Ok(TurnStarted::Already);
        };
        let (tx, rx) = watch::channel(ReplyProgress::default());
        let turn_no = self.inner.next_turn.fetch_add(1, Ordering::Relaxed);
        self.inner
            .turns
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(interview_id.to_owned(), (turn_no, rx));
        let inner = self.inner.clone();
        let id = interview_id.to_owned();
        tokio::spawn(async move {
            inner.run(&id, decision, pending, tx).await;
            // Kept a while after it ends, so a page that connects late (a fast failure, a slow
            // network) still learns how the turn ended instead of finding nothing.
            tokio::time::sleep(FINISHED_TURN_LINGER).await;
            let mut turns = inner.turns.lock().unwrap_or_else(|p| p.into_inner());
            if turns.get(&id).is_some_and(|(n, _)| *n == turn_no) {
                turns.remove(&id);
            }
        });
        Ok(TurnStarted::New)
    }

    /// Everything the interview page shows.
    pub async fn live_state(&self, interview_id: &str) -> Result<LiveInterview, StoreError> {
        let id = interview_id.to_owned();
        let info = self.info();
        self.inner
            .db
            .read(move |c| {
                let state = store::turn_state(c, &id)?;
                let report = store::load_report(c, &id)?;
                Ok(live_view(state, report, info))
            })
            .await
    }

    /// Writes the report of a completed interview again (after a malformed one).
    pub async fn regenerate_report(&self, interview_id: &str) -> Result<(), StoreError> {
        let id = interview_id.to_owned();
        let state = self
            .inner
            .db
            .read(move |c| store::turn_state(c, &id))
            .await?;
        if state.interview.status != InterviewStatus::Completed {
            return Err(StoreError::Conflict(
                "Only a completed interview has a report.".into(),
            ));
        }
        let input = report_input(&state, state.asked.clone());
        let report = self
            .inner
            .provider
            .report(&input)
            .await
            .map_err(|e| e.to_string());
        let id = interview_id.to_owned();
        self.inner
            .db
            .write(move |c| store::save_report(c, &id, &report))
            .await
    }
}

impl Inner {
    async fn run(
        &self,
        interview_id: &str,
        d: Decision,
        pending: PendingTurn,
        tx: watch::Sender<ReplyProgress>,
    ) {
        let written = async {
            let mut stream = self.provider.reply(&d.brief).await?;
            let mut text = String::new();
            while let Some(piece) = stream.next().await {
                let piece = piece?;
                if piece.is_empty() {
                    continue;
                }
                text.push_str(&piece);
                tx.send_modify(|p| p.text.push_str(&piece));
            }
            if text.trim().is_empty() {
                return Err(AiError::Empty);
            }
            Ok::<_, AiError>(text)
        }
        .await;
        let outcome = match written {
            Ok(text) => {
                let mut changes = d.changes;
                changes.reply = text;
                changes.pending = Some(pending.clone());
                if let Some(input) = &d.report {
                    changes.finish =
                        Some(self.provider.report(input).await.map_err(|e| e.to_string()));
                }
                self.db
                    .write(move |c| store::complete_turn(c, &changes))
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
            Err(e) => Err(e.to_string()),
        };
        match outcome {
            Ok(()) => tx.send_modify(|p| p.state = ReplyState::Done),
            Err(why) => {
                tracing::warn!(interview = interview_id, reason = %why, "turn failed, rolled back");
                if let Err(e) = self.db.write(move |c| store::abort_turn(c, &pending)).await {
                    tracing::error!(error = %e, "could not roll back a failed turn");
                }
                tx.send_modify(|p| p.state = ReplyState::Failed(why));
            }
        }
    }
}

fn brief_question(q: &store::AskedQuestion) -> BriefQuestion {
    BriefQuestion {
        order: q.order,
        text: q.text.clone(),
        skill: q.skill_name.clone(),
    }
}

/// Decides a turn from the interview's state: the server, not the candidate's text, chooses
/// whether to follow up, move on or finish.
fn decide(
    conn: &rusqlite::Connection,
    state: &TurnState,
    action: TurnAction,
    text: Option<String>,
) -> Result<Decision, StoreError> {
    let i = &state.interview;
    let skill_names: Vec<String> = i.skills.iter().map(|s| s.name.clone()).collect();
    let mut brief = TurnBrief {
        step: Step::Greet,
        action,
        type_name: i
            .interview_type
            .as_ref()
            .map(|t| t.name.clone())
            .unwrap_or_else(|| "general".into()),
        type_description: i
            .interview_type
            .as_ref()
            .and_then(|t| t.description.clone()),
        skills: skill_names,
        total: 0,
        current: state.asked.last().map(brief_question),
        next: None,
        candidate_text: None,
        history: prompt::bounded_history(&state.messages),
    };
    let mut changes = TurnChanges {
        interview_id: i.id.clone(),
        ..TurnChanges::default()
    };
    match (action, i.status) {
        (TurnAction::Start, InterviewStatus::Pending) => {}
        (TurnAction::Start, _) => {
            return Err(StoreError::Conflict(
                "This interview has already started.".into(),
            ));
        }
        (_, InterviewStatus::Pending) => {
            return Err(StoreError::Conflict("Start the interview first.".into()));
        }
        (_, InterviewStatus::InProgress) => {}
        (_, status) => {
            return Err(StoreError::Conflict(format!(
                "This interview is {} and takes no more answers.",
                status.label().to_lowercase()
            )));
        }
    }
    if action == TurnAction::Start {
        let pool = store::get_questions_by_interview_type_and_skill_ids(
            conn,
            i.interview_type.as_ref().map(|t| t.id),
            &i.skills.iter().map(|s| s.id).collect::<Vec<_>>(),
        )?;
        let recent: HashSet<i64> =
            store::recent_question_ids(conn, &state.user_id, &i.id, RECENT_INTERVIEWS)?
                .into_iter()
                .collect();
        let plan = plan_questions(&PlanInput {
            pool: &pool,
            count: usize::from(i.question_count),
            difficulty: i.difficulty,
            recent: &recent,
            seed: seed_for(&i.id),
        });
        let Some(first) = plan.first() else {
            return Err(StoreError::Conflict(
                "There are no questions for these skills yet. Choose other skills.".into(),
            ));
        };
        brief.total = plan.len() as u32;
        changes.ask = Some(new_asked(1, first));
        brief.next = changes.ask.as_ref().map(|q| BriefQuestion {
            order: 1,
            text: q.text.clone(),
            skill: skill_name(i, q.skill_id),
        });
        changes.start_plan = Some(plan.iter().map(|q| q.id).collect());
        return Ok(Decision {
            candidate_text: None,
            brief,
            changes,
            report: None,
        });
    }
    let plan = state.plan.clone().unwrap_or_default();
    brief.total = plan.len() as u32;
    let current = state
        .asked
        .last()
        .ok_or_else(|| StoreError::Internal("an interview in progress with no question".into()))?;
    let awaiting_follow_up = current.follow_up_asked && current.follow_up_answer.is_none();
    let candidate_text = match action {
        TurnAction::Answer => {
            let t = text.unwrap_or_default();
            let t = t.trim();
            if t.is_empty() {
                return Err(StoreError::Invalid(
                    "Write an answer first, or skip the question.".into(),
                ));
            }
            let n = t.chars().count();
            if n > MAX_ANSWER_CHARS {
                return Err(StoreError::Invalid(format!(
                    "An answer can be at most {MAX_ANSWER_CHARS} characters (this one has {n})."
                )));
            }
            t.to_owned()
        }
        other => other.spoken().unwrap_or_default().to_owned(),
    };
    brief.candidate_text = Some(candidate_text.clone());
    // The question rows as they will be once this turn's answer or skip is recorded, for a
    // report written at the end of this turn.
    let mut asked_after = state.asked.clone();
    let last = asked_after.len() - 1;
    let mut move_on = false;
    match action {
        TurnAction::Answer if current.answer.is_none() => {
            changes.answer = Some((current.id.clone(), AnswerSlot::Answer));
            asked_after[last].answer = Some(candidate_text.clone());
            if crate::ai::rules::needs_follow_up(&candidate_text) && !current.follow_up_asked {
                brief.step = Step::FollowUp;
                changes.follow_up_on = Some(current.id.clone());
            } else {
                move_on = true;
            }
        }
        TurnAction::Answer if awaiting_follow_up => {
            changes.answer = Some((current.id.clone(), AnswerSlot::FollowUpAnswer));
            asked_after[last].follow_up_answer = Some(candidate_text.clone());
            move_on = true;
        }
        TurnAction::Answer => {
            return Err(StoreError::Conflict(
                "This question is already answered; the interviewer is moving on.".into(),
            ));
        }
        TurnAction::Hint => {
            if current.hints > 0 {
                return Err(StoreError::Conflict(
                    "You have already had the hint for this question.".into(),
                ));
            }
            brief.step = Step::Hint;
            changes.hint_on = Some(current.id.clone());
        }
        TurnAction::Skip => {
            if current.answer.is_none() {
                changes.skipped = Some(current.id.clone());
                asked_after[last].skipped = true;
            }
            move_on = true;
        }
        TurnAction::End => {
            brief.step = Step::Finish { early: true };
        }
        TurnAction::Start => unreachable!("handled above"),
    }
    if move_on {
        let next_order = current.order + 1;
        let next = plan.get(current.order as usize).copied();
        let next = match next {
            Some(qid) => store::get_questions_by_ids(conn, &[qid])?
                .into_iter()
                .next(),
            None => None,
        };
        match next {
            Some(q) => {
                brief.step = Step::Next;
                let asked = new_asked(next_order, &q);
                brief.next = Some(BriefQuestion {
                    order: next_order,
                    text: asked.text.clone(),
                    skill: skill_name(i, asked.skill_id),
                });
                changes.ask = Some(asked);
            }
            None => brief.step = Step::Finish { early: false },
        }
    }
    let report =
        matches!(brief.step, Step::Finish { .. }).then(|| report_input(state, asked_after));
    Ok(Decision {
        candidate_text: Some(candidate_text),
        brief,
        changes,
        report,
    })
}

fn skill_name(i: &crate::model::Interview, skill_id: Option<i64>) -> Option<String> {
    let id = skill_id?;
    i.skills.iter().find(|s| s.id == id).map(|s| s.name.clone())
}

fn new_asked(order: u32, q: &crate::model::Question) -> NewAsked {
    NewAsked {
        order,
        question_bank_id: q.id,
        text: q.text.clone(),
        skill_id: q.skill_id,
        difficulty: q.difficulty,
    }
}

fn report_input(state: &TurnState, asked: Vec<store::AskedQuestion>) -> ReportInput {
    let i = &state.interview;
    ReportInput {
        type_name: i
            .interview_type
            .as_ref()
            .map(|t| t.name.clone())
            .unwrap_or_else(|| "general".into()),
        skills: i.skills.iter().map(|s| (s.id, s.name.clone())).collect(),
        questions: asked,
    }
}

fn live_view(
    state: TurnState,
    report: Option<crate::model::Report>,
    interviewer: InterviewerInfo,
) -> LiveInterview {
    let current = state.asked.last();
    let total = match &state.plan {
        Some(p) => p.len() as u32,
        None => u32::from(state.interview.question_count),
    };
    LiveInterview {
        progress: Progress {
            current: current.map_or(0, |q| q.order),
            total,
            hint_used: current.is_some_and(|q| q.hints > 0),
            in_follow_up: current
                .is_some_and(|q| q.follow_up_asked && q.follow_up_answer.is_none() && !q.skipped),
        },
        interview: state.interview,
        messages: state.messages,
        pending_answer: state.pending_answer,
        replying: state.replying,
        interviewer,
        report,
        report_error: state.report_error,
    }
}
