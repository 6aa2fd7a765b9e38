//! The live interview's rows: pending turns, asked questions and the report.
//!
//! A turn is two steps. `insert_pending_turn` adds the candidate's message and an empty
//! interviewer message, both `pending` — the pending reply is the lock that stops a second tab
//! from starting another turn. `complete_turn` then writes everything the turn changes in one
//! transaction; `abort_turn` removes the pending rows, leaving the interview as it was.

use super::{NOW_SQL, Result, StoreError, get_interview, id_array};
use crate::model::{
    Difficulty, Interview, InterviewId, InterviewStatus, KeyPointResult, Message, Question,
    QuestionId, QuestionOutcome, QuestionReport, Report, Role, Rubric, Skill, SkillId, SkillReport,
};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;

/// One asked question with what happened to it so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AskedQuestion {
    pub id: String,
    pub order: u32,
    pub question_bank_id: Option<QuestionId>,
    pub text: String,
    pub skill_id: Option<SkillId>,
    pub skill_name: Option<String>,
    pub difficulty: Option<Difficulty>,
    pub answer: Option<String>,
    pub follow_up_asked: bool,
    pub follow_up_answer: Option<String>,
    pub hints: u32,
    pub skipped: bool,
    /// Seconds from the question being asked to its first answer being sent.
    pub answer_seconds: Option<u32>,
    /// Seconds since the question was asked, as of this read.
    pub waited_seconds: u32,
}

impl AskedQuestion {
    /// A follow-up was asked and neither answered nor skipped: the next answer is to it.
    pub fn awaiting_follow_up(&self) -> bool {
        self.follow_up_asked && self.follow_up_answer.is_none() && !self.skipped
    }

    pub fn outcome(&self) -> QuestionOutcome {
        if self.answer.is_some() {
            QuestionOutcome::Answered
        } else if self.skipped {
            QuestionOutcome::Skipped
        } else {
            QuestionOutcome::NotAnswered
        }
    }
}

/// Everything a turn is decided from, read inside the turn's transaction.
#[derive(Clone, Debug)]
pub struct TurnState {
    pub interview: Interview,
    pub user_id: String,
    /// The questions chosen at start (ids), `None` before.
    pub plan: Option<Vec<QuestionId>>,
    pub asked: Vec<AskedQuestion>,
    /// Finished messages in order.
    pub messages: Vec<Message>,
    /// The candidate's text of a turn in progress, and whether one is in progress.
    pub pending_answer: Option<String>,
    pub replying: bool,
    pub report_error: Option<String>,
    /// Why the report is the offline rules' instead of the model's, when it is.
    pub report_fallback: Option<String>,
    /// Tokens the model has used on this interview so far.
    pub usage: Usage,
    /// The rubrics of the asked questions, by bank id.
    pub rubrics: HashMap<QuestionId, Rubric>,
    /// The skill of each planned question, in plan order (empty before the start).
    pub plan_skills: Vec<Option<SkillId>>,
}

pub fn turn_state(conn: &Connection, interview_id: &str) -> Result<TurnState> {
    let interview = get_interview(conn, interview_id)?;
    let (user_id, plan, report_error, report_fallback, usage) = conn.query_row(
        "SELECT user_id, question_plan, report_error, report_fallback, prompt_tokens,
                completion_tokens
         FROM Interviews WHERE interview_id = ?1",
        [interview_id],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                usage_at(r, 4)?,
            ))
        },
    )?;
    let plan: Option<Vec<QuestionId>> = plan.map(|p| parse_id_array(&p));
    let mut stmt = conn.prepare_cached(
        "SELECT iq.interview_question_id, iq.order_in_interview, iq.question_bank_id,
                iq.question_text_snapshot, iq.skill_id, s.skill_name, iq.difficulty_level,
                a.content, iq.follow_up_message_id IS NOT NULL, f.content, iq.hints, iq.skipped,
                CAST(round((julianday(a.timestamp) - julianday(iq.timestamp_asked)) * 86400)
                     AS INTEGER),
                max(0, CAST((julianday('now') - julianday(iq.timestamp_asked)) * 86400
                     AS INTEGER))
         FROM Interview_Questions iq
         LEFT JOIN Skills s ON s.skill_id = iq.skill_id
         LEFT JOIN Messages a ON a.message_id = iq.user_answer_message_id
         LEFT JOIN Messages f ON f.message_id = iq.follow_up_answer_message_id
         WHERE iq.interview_id = ?1 ORDER BY iq.order_in_interview",
    )?;
    let asked = stmt
        .query_map([interview_id], |r| {
            Ok(AskedQuestion {
                id: r.get(0)?,
                order: r.get(1)?,
                question_bank_id: r.get(2)?,
                text: r.get(3)?,
                skill_id: r.get(4)?,
                skill_name: r.get(5)?,
                difficulty: r.get::<_, Option<String>>(6)?.and_then(|d| d.parse().ok()),
                answer: r.get(7)?,
                follow_up_asked: r.get(8)?,
                follow_up_answer: r.get(9)?,
                hints: r.get(10)?,
                skipped: r.get(11)?,
                answer_seconds: r.get::<_, Option<i64>>(12)?.map(|s| s.max(0) as u32),
                waited_seconds: r.get::<_, i64>(13)? as u32,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let messages = super::list_messages(conn, interview_id)?;
    let (replying, pending_answer): (bool, Option<String>) = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM Messages WHERE interview_id = ?1
                       AND processing_status = 'pending' AND role = 'interviewer'),
                (SELECT content FROM Messages WHERE interview_id = ?1
                       AND processing_status = 'pending' AND role = 'candidate')",
        [interview_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let bank_ids: Vec<QuestionId> = asked.iter().filter_map(|q| q.question_bank_id).collect();
    let rubrics = super::question_rubrics(conn, &bank_ids)?;
    let plan_skills = match &plan {
        Some(ids) => plan_skills(ids, &super::get_questions_by_ids(conn, ids)?, &asked),
        None => Vec::new(),
    };
    Ok(TurnState {
        interview,
        user_id,
        plan,
        asked,
        messages,
        pending_answer,
        replying,
        report_error,
        report_fallback,
        usage,
        rubrics,
        plan_skills,
    })
}

pub(crate) fn parse_id_array<T: std::str::FromStr>(s: &str) -> Vec<T> {
    s.trim_matches(['[', ']'])
        .split(',')
        .filter_map(|p| p.trim().parse().ok())
        .collect()
}

/// The skill of each planned question, from the bank's rows of them (`bank`); a planned
/// question since deleted from the bank keeps its asked row's skill.
pub(crate) fn plan_skills(
    plan: &[QuestionId],
    bank: &[Question],
    asked: &[AskedQuestion],
) -> Vec<Option<SkillId>> {
    let skills: HashMap<QuestionId, Option<SkillId>> =
        bank.iter().map(|q| (q.id, q.skill_id)).collect();
    plan.iter()
        .map(|id| {
            skills.get(id).copied().flatten().or_else(|| {
                asked
                    .iter()
                    .find(|q| q.question_bank_id == Some(*id))
                    .and_then(|q| q.skill_id)
            })
        })
        .collect()
}

/// Question ids this user was asked in their `interviews` most recent other interviews.
pub fn recent_question_ids(
    conn: &Connection,
    user_id: &str,
    except_interview: &str,
    interviews: u32,
) -> Result<Vec<QuestionId>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT iq.question_bank_id FROM Interview_Questions iq
         WHERE iq.question_bank_id IS NOT NULL AND iq.interview_id IN (
             SELECT interview_id FROM Interviews
             WHERE user_id = ?1 AND interview_id <> ?2 AND started_at IS NOT NULL
             ORDER BY started_at DESC LIMIT ?3)",
    )?;
    let ids = stmt
        .query_map(params![user_id, except_interview, interviews], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// The ids of a turn's pending messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingTurn {
    pub candidate_message_id: Option<String>,
    pub reply_message_id: String,
}

/// Whether a turn with this key was taken in this interview and not rolled back (it is being
/// replied to, or its reply is stored).
pub fn turn_taken(conn: &Connection, interview_id: &str, turn_key: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS(SELECT 1 FROM Messages WHERE interview_id = ?1 AND turn_key = ?2)",
        )?
        .query_row(params![interview_id, turn_key], |r| r.get(0))?)
}

/// Adds the turn's pending messages; the reply carries the turn's key, if it has one. Call
/// inside the transaction that read the [`TurnState`] and found no turn in progress.
pub fn insert_pending_turn(
    conn: &Connection,
    interview_id: &str,
    user_id: &str,
    candidate_text: Option<&str>,
    turn_key: Option<&str>,
    node: &str,
) -> Result<PendingTurn> {
    let insert = |role: Role, content: &str, key: Option<&str>| -> Result<String> {
        let id = uuid::Uuid::now_v7().to_string();
        conn.prepare_cached(&format!(
            "INSERT INTO Messages (message_id, interview_id, user_id, seq, role, content,
                                   processing_status, turn_key, timestamp, created_at,
                                   lease_owner, lease_until)
             VALUES (?1, ?2, ?3,
                     (SELECT coalesce(max(seq), 0) + 1 FROM Messages WHERE interview_id = ?2),
                     ?4, ?5, 'pending', ?6, {NOW_SQL}, {NOW_SQL}, ?7,
                     strftime('%Y-%m-%d %H:%M:%f', 'now', ?8))"
        ))?
        .execute(params![
            id,
            interview_id,
            user_id,
            role.as_str(),
            content,
            key,
            node,
            lease_length()
        ])?;
        Ok(id)
    };
    let candidate_message_id = candidate_text
        .map(|t| insert(Role::Candidate, t, None))
        .transpose()?;
    let reply_message_id = insert(Role::Interviewer, "", turn_key)?;
    Ok(PendingTurn {
        candidate_message_id,
        reply_message_id,
    })
}

/// A question to record as asked by this turn's reply.
#[derive(Clone, Debug)]
pub struct NewAsked {
    pub order: u32,
    pub question_bank_id: QuestionId,
    pub text: String,
    pub skill_id: Option<SkillId>,
    pub difficulty: Option<Difficulty>,
}

/// Which slot of the current question the candidate's message fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnswerSlot {
    Answer,
    FollowUpAnswer,
}

/// The report as rows: per skill, and per asked question.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportRows {
    pub skills: Vec<SkillRow>,
    pub questions: Vec<QuestionRow>,
    /// Set when these rows are the offline rules' because the model's report was unusable:
    /// why it was. The page says so beside the report.
    pub fallback: Option<String>,
}

/// Tokens a model call (or several) used, as the model server reported them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    pub prompt: u64,
    pub completion: u64,
}

impl std::ops::AddAssign for Usage {
    fn add_assign(&mut self, other: Usage) {
        self.prompt += other.prompt;
        self.completion += other.completion;
    }
}

impl Usage {
    pub fn total(&self) -> u64 {
        self.prompt + self.completion
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkillRow {
    pub skill_id: SkillId,
    pub rating: Option<u8>,
    pub strengths: String,
    pub areas_for_improvement: String,
    pub summary: String,
    /// Planned questions on the skill that were answered, and how many were planned.
    pub answered: u32,
    pub planned: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuestionRow {
    pub interview_question_id: String,
    pub rating: Option<u8>,
    pub note: String,
    /// Indexes of the key points the answer showed; `None` when it was not judged.
    pub covered: Option<Vec<usize>>,
}

/// Everything one turn changes, written at once by [`complete_turn`].
#[derive(Clone, Debug, Default)]
pub struct TurnChanges {
    pub interview_id: InterviewId,
    pub pending: Option<PendingTurn>,
    pub reply: String,
    /// Start: the plan to fix and the move to in progress.
    pub start_plan: Option<Vec<QuestionId>>,
    /// The current question's row and the slot the candidate's message fills.
    pub answer: Option<(String, AnswerSlot)>,
    /// The current question's row, which this reply follows up on.
    pub follow_up_on: Option<String>,
    pub hint_on: Option<String>,
    pub skipped: Option<String>,
    /// The question this reply asks.
    pub ask: Option<NewAsked>,
    /// Ends the interview, with the report or why it could not be written.
    pub finish: Option<Result<ReportRows, String>>,
    /// Tokens the model used for this turn (its reply and any report).
    pub usage: Usage,
}

/// Writes a finished turn in one transaction: both messages become `completed`, the question
/// rows and status change, and on finishing the report is stored. Fails with `Conflict` when
/// the turn was abandoned meanwhile (the interview was cancelled or deleted).
pub fn complete_turn(conn: &mut Connection, c: &TurnChanges) -> Result<Message> {
    let pending = c
        .pending
        .as_ref()
        .ok_or_else(|| StoreError::Internal("a turn without pending messages".into()))?;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let status = super::interviews::interview_status(&tx, &c.interview_id)?;
    let expected = if c.start_plan.is_some() {
        InterviewStatus::Pending
    } else {
        InterviewStatus::InProgress
    };
    let updated = tx.execute(
        "UPDATE Messages SET content = ?2, processing_status = 'completed'
         WHERE message_id = ?1 AND processing_status = 'pending'",
        params![pending.reply_message_id, c.reply],
    )?;
    if updated != 1 || status != expected {
        return Err(StoreError::Conflict(
            "this turn was abandoned: the interview changed while the reply was written".into(),
        ));
    }
    if let Some(id) = &pending.candidate_message_id {
        tx.execute(
            "UPDATE Messages SET processing_status = 'completed' WHERE message_id = ?1",
            [id],
        )?;
    }
    if let Some(plan) = &c.start_plan {
        tx.execute(
            &format!(
                "UPDATE Interviews SET status = 'in_progress', question_plan = ?2,
                     started_at = coalesce(started_at, {NOW_SQL}) WHERE interview_id = ?1"
            ),
            params![c.interview_id, id_array(plan)],
        )?;
    }
    if let (Some((row, slot)), Some(msg)) = (&c.answer, &pending.candidate_message_id) {
        let column = match slot {
            AnswerSlot::Answer => "user_answer_message_id",
            AnswerSlot::FollowUpAnswer => "follow_up_answer_message_id",
        };
        tx.execute(
            &format!(
                "UPDATE Interview_Questions SET {column} = ?2 WHERE interview_question_id = ?1"
            ),
            params![row, msg],
        )?;
    }
    if let Some(row) = &c.follow_up_on {
        tx.execute(
            "UPDATE Interview_Questions SET follow_up_message_id = ?2
             WHERE interview_question_id = ?1",
            params![row, pending.reply_message_id],
        )?;
    }
    if let Some(row) = &c.hint_on {
        tx.execute(
            "UPDATE Interview_Questions SET hints = hints + 1 WHERE interview_question_id = ?1",
            [row],
        )?;
    }
    if let Some(row) = &c.skipped {
        tx.execute(
            "UPDATE Interview_Questions SET skipped = 1 WHERE interview_question_id = ?1",
            [row],
        )?;
    }
    if let Some(q) = &c.ask {
        tx.execute(
            &format!(
                "INSERT INTO Interview_Questions (interview_question_id, interview_id,
                     question_bank_id, question_text_snapshot, order_in_interview, skill_id,
                     difficulty_level, ai_question_message_id, timestamp_asked, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, {NOW_SQL}, {NOW_SQL})"
            ),
            params![
                uuid::Uuid::now_v7().to_string(),
                c.interview_id,
                q.question_bank_id,
                q.text,
                q.order,
                q.skill_id,
                q.difficulty.map(Difficulty::as_str),
                pending.reply_message_id
            ],
        )?;
    }
    if let Some(report) = &c.finish {
        tx.execute(
            &format!(
                "UPDATE Interviews SET status = 'completed', completed_at = {NOW_SQL}
                 WHERE interview_id = ?1"
            ),
            [&c.interview_id],
        )?;
        write_report(&tx, &c.interview_id, report)?;
    }
    tx.execute(
        &format!("UPDATE Interviews SET updated_at = {NOW_SQL} WHERE interview_id = ?1"),
        [&c.interview_id],
    )?;
    add_usage(&tx, &c.interview_id, c.usage)?;
    let message = super::list_messages(&tx, &c.interview_id)?
        .into_iter()
        .find(|m| m.id == pending.reply_message_id)
        .ok_or_else(|| StoreError::Internal("the reply vanished".into()))?;
    tx.commit()?;
    Ok(message)
}

/// Stores a report (replacing any earlier one) or the reason there is none.
fn write_report(
    conn: &Connection,
    interview_id: &str,
    report: &Result<ReportRows, String>,
) -> Result<()> {
    conn.execute(
        "DELETE FROM AI_Feedback WHERE interview_id = ?1",
        [interview_id],
    )?;
    conn.execute(
        "UPDATE Interview_Questions SET rating = NULL, note = NULL, key_points_covered = NULL
         WHERE interview_id = ?1",
        [interview_id],
    )?;
    let rows = match report {
        Ok(rows) => rows,
        Err(why) => {
            conn.execute(
                "UPDATE Interviews SET report_error = ?2 WHERE interview_id = ?1",
                params![interview_id, why],
            )?;
            return Ok(());
        }
    };
    conn.execute(
        "UPDATE Interviews SET report_error = NULL, report_fallback = ?2 WHERE interview_id = ?1",
        params![interview_id, rows.fallback],
    )?;
    for s in &rows.skills {
        conn.prepare_cached(&format!(
            "INSERT INTO AI_Feedback (feedback_id, interview_id, skill_id, rating, strengths,
                 areas_for_improvement, feedback_text, answered, planned, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, {NOW_SQL})"
        ))?
        .execute(params![
            uuid::Uuid::now_v7().to_string(),
            interview_id,
            s.skill_id,
            s.rating,
            s.strengths,
            s.areas_for_improvement,
            s.summary,
            s.answered,
            s.planned
        ])?;
    }
    for q in &rows.questions {
        // Stored 1-based, like the key points' positions.
        let covered = q.covered.as_ref().map(|c| {
            let positions: Vec<i64> = c.iter().map(|&i| i as i64 + 1).collect();
            id_array(&positions)
        });
        conn.execute(
            "UPDATE Interview_Questions SET rating = ?3, note = ?4, key_points_covered = ?5
             WHERE interview_question_id = ?1 AND interview_id = ?2",
            params![
                q.interview_question_id,
                interview_id,
                q.rating,
                q.note,
                covered
            ],
        )?;
    }
    Ok(())
}

/// Replaces the report of a completed interview (regenerating it).
pub fn save_report(
    conn: &mut Connection,
    interview_id: &str,
    report: &Result<ReportRows, String>,
    usage: Usage,
) -> Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    write_report(&tx, interview_id, report)?;
    add_usage(&tx, interview_id, usage)?;
    tx.commit()?;
    Ok(())
}

fn add_usage(conn: &Connection, interview_id: &str, usage: Usage) -> Result<()> {
    if usage != Usage::default() {
        conn.prepare_cached(
            "UPDATE Interviews SET prompt_tokens = prompt_tokens + ?2,
                 completion_tokens = completion_tokens + ?3 WHERE interview_id = ?1",
        )?
        .execute(params![
            interview_id,
            i64::try_from(usage.prompt).unwrap_or(i64::MAX),
            i64::try_from(usage.completion).unwrap_or(i64::MAX)
        ])?;
    }
    Ok(())
}

/// The token counts stored at columns `i` and `i + 1`.
fn usage_at(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Usage> {
    let count = |v: i64| u64::try_from(v).unwrap_or(0);
    Ok(Usage {
        prompt: count(r.get(i)?),
        completion: count(r.get(i + 1)?),
    })
}

/// Removes a turn's pending messages: the interview is as it was before the turn.
pub fn abort_turn(conn: &mut Connection, pending: &PendingTurn) -> Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    for id in pending
        .candidate_message_id
        .iter()
        .chain([&pending.reply_message_id])
    {
        tx.execute(
            "DELETE FROM Messages WHERE message_id = ?1 AND processing_status = 'pending'",
            [id],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// How long a pending turn's lease lasts; the node writing it renews it every
/// [`TURN_LEASE_RENEWAL`], so a live turn never comes near the end of its lease.
pub const TURN_LEASE_SECONDS: u32 = 30;
pub const TURN_LEASE_RENEWAL: std::time::Duration = std::time::Duration::from_secs(10);

/// A lease's length as an SQLite date modifier ('+30 seconds').
fn lease_length() -> String {
    format!("+{TURN_LEASE_SECONDS} seconds")
}

/// Extends the lease of a turn `node` is writing; `false` when the turn is gone (the sweep
/// took it after a long stall, or it was stored).
pub fn renew_turn_lease(conn: &Connection, pending: &PendingTurn, node: &str) -> Result<bool> {
    let renewed = conn
        .prepare_cached(
            "UPDATE Messages SET lease_until = strftime('%Y-%m-%d %H:%M:%f', 'now', ?4)
             WHERE message_id IN (?1, ?2) AND processing_status = 'pending' AND lease_owner = ?3",
        )?
        .execute(params![
            pending.reply_message_id,
            pending.candidate_message_id,
            node,
            lease_length()
        ])?;
    Ok(renewed > 0)
}

/// Saves the text of a reply being written so far, for followers on other nodes; `false` when
/// the turn is no longer pending.
pub fn save_partial_reply(conn: &Connection, reply_message_id: &str, text: &str) -> Result<bool> {
    let saved = conn
        .prepare_cached(
            "UPDATE Messages SET content = ?2
             WHERE message_id = ?1 AND processing_status = 'pending'",
        )?
        .execute(params![reply_message_id, text])?;
    Ok(saved > 0)
}

/// A reply as a follower on any node sees it in the database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoredReply {
    /// Being written; the text saved so far.
    Writing(String),
    /// Stored whole.
    Done(String),
    /// Gone: the turn was rolled back (or its lease ran out).
    Gone,
}

/// The pending reply of an interview, if one is being written: its message id and text so far.
pub fn pending_reply(conn: &Connection, interview_id: &str) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT message_id, content FROM Messages
             WHERE interview_id = ?1 AND role = 'interviewer' AND processing_status = 'pending'",
        )?
        .query_row([interview_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Where the reply `reply_message_id` is now.
pub fn stored_reply(conn: &Connection, reply_message_id: &str) -> Result<StoredReply> {
    let row: Option<(String, String)> = conn
        .prepare_cached("SELECT processing_status, content FROM Messages WHERE message_id = ?1")?
        .query_row([reply_message_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(match row {
        Some((status, text)) if status == "pending" => StoredReply::Writing(text),
        Some((status, text)) if status == "completed" => StoredReply::Done(text),
        _ => StoredReply::Gone,
    })
}

/// Removes pending turns nobody is writing any more, leaving their interviews as before those
/// turns: those whose lease ran out (or that have none, from before leases), and all of
/// `own_node`'s — at start-up a node is writing none of its own. Other nodes' live turns stay.
/// Returns how many rows went.
pub fn expire_turns(conn: &mut Connection, own_node: Option<&str>) -> Result<usize> {
    Ok(conn.execute(
        &format!(
            "DELETE FROM Messages WHERE processing_status = 'pending'
               AND (lease_until IS NULL OR lease_until < {NOW_SQL} OR lease_owner = ?1)"
        ),
        [own_node],
    )?)
}

/// The stored report of an interview, if it has one, read beside its already loaded state
/// (whose question rows and rubrics it shows).
pub fn load_report(conn: &Connection, state: &TurnState) -> Result<Option<Report>> {
    let interview_id = state.interview.id.as_str();
    let mut stmt = conn.prepare_cached(
        "SELECT s.skill_id, s.skill_name, s.description, f.rating, f.strengths,
                f.areas_for_improvement, f.feedback_text, f.answered, f.planned
         FROM AI_Feedback f JOIN Skills s ON s.skill_id = f.skill_id
         WHERE f.interview_id = ?1 ORDER BY s.skill_name",
    )?;
    let skills = stmt
        .query_map([interview_id], |r| {
            Ok(SkillReport {
                skill: Skill {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    description: r.get(2)?,
                },
                rating: r.get(3)?,
                strengths: r.get(4)?,
                areas_for_improvement: r.get(5)?,
                summary: r.get(6)?,
                answered: r.get(7)?,
                planned: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if skills.is_empty() {
        return Ok(None);
    }
    let notes: Vec<(Option<u8>, Option<String>, Option<String>)> = conn
        .prepare_cached(
            "SELECT rating, note, key_points_covered FROM Interview_Questions
             WHERE interview_id = ?1 ORDER BY order_in_interview",
        )?
        .query_map([interview_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(Report {
        skills,
        questions: question_reports(state, notes),
    }))
}

/// The report's questions: each asked question with its stored rating, note and covered key
/// points (`notes`, in the order asked).
pub(crate) fn question_reports(
    state: &TurnState,
    notes: Vec<(Option<u8>, Option<String>, Option<String>)>,
) -> Vec<QuestionReport> {
    state
        .asked
        .iter()
        .zip(notes)
        .map(|(q, (rating, note, covered))| {
            let rubric = q.question_bank_id.and_then(|id| state.rubrics.get(&id));
            // An unanswered question missed every point; an answer the judge could not assess
            // (another language) is not marked either way.
            let covered = covered
                .map(|c| parse_id_array::<i64>(&c))
                .or_else(|| (q.outcome() != QuestionOutcome::Answered).then(Vec::new));
            let key_points = match (rubric, covered) {
                (Some(r), Some(covered)) => r
                    .key_points
                    .iter()
                    .enumerate()
                    .map(|(i, kp)| KeyPointResult {
                        point: kp.point.clone(),
                        covered: covered.contains(&(i as i64 + 1)),
                    })
                    .collect(),
                _ => Vec::new(),
            };
            QuestionReport {
                order: q.order,
                skill_name: q.skill_name.clone(),
                text: q.text.clone(),
                outcome: q.outcome(),
                rating: rating.filter(|_| q.outcome() == QuestionOutcome::Answered),
                note: note.unwrap_or_default(),
                hints: q.hints,
                follow_up: q.follow_up_asked,
                key_points,
                model_answer: rubric
                    .map(|r| r.model_answer.clone())
                    .filter(|m| !m.is_empty()),
                answer_seconds: q.answer_seconds,
            }
        })
        .collect()
}
