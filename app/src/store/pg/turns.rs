//! The live interview's rows, as `store/turns.rs` (whose structs, constants and id-list
//! parsing both use): pending turns, asked questions and the report.
//!
//! Where SQLite's single writer made "read the interview, then write" safe, each write that
//! decides from the interview's rows (starting a turn, completing it, aborting it, replacing
//! the report) first takes the interview's row lock, so app servers sharing the database
//! cannot interleave on one interview.

use super::PgTx;
use crate::model::{
    Difficulty, InterviewStatus, Message, QuestionId, Report, Role, Skill, SkillReport,
};
use crate::store::{
    AnswerSlot, AskedQuestion, PendingTurn, ReportRows, Result, StoreError, StoredReply,
    TURN_LEASE_SECONDS, TurnChanges, TurnState, Usage, id_array, parse_id_array, plan_skills,
    question_reports,
};

/// Everything a turn is decided from, as the SQLite store's. Reads only: it takes no lock (it
/// also runs in read-only transactions, e.g. the account export).
pub fn turn_state(c: &mut PgTx<'_>, interview_id: &str) -> Result<TurnState> {
    let interview = super::get_interview(c, interview_id)?;
    let row = c.query_one(
        "SELECT user_id, question_plan, report_error, report_fallback, prompt_tokens,
                completion_tokens
         FROM interviews WHERE interview_id = $1",
        &[&interview_id],
    )?;
    let user_id: String = row.try_get(0)?;
    let plan: Option<String> = row.try_get(1)?;
    let report_error: Option<String> = row.try_get(2)?;
    let report_fallback: Option<String> = row.try_get(3)?;
    let usage = usage_at(&row, 4)?;
    let plan: Option<Vec<QuestionId>> = plan.map(|p| parse_id_array(&p));
    // Seconds as SQLite's julianday arithmetic gave them: the answer time rounded, the time
    // waited truncated (CAST) and never below zero.
    let asked = c
        .query(
            "SELECT iq.interview_question_id, iq.order_in_interview, iq.question_bank_id,
                    iq.question_text_snapshot, iq.skill_id, s.skill_name, iq.difficulty_level,
                    a.content, iq.follow_up_message_id IS NOT NULL, f.content, iq.hints,
                    iq.skipped,
                    round(extract(epoch FROM a.timestamp - iq.timestamp_asked))::bigint,
                    greatest(0, trunc(extract(epoch FROM pp_now() - iq.timestamp_asked)))::bigint
             FROM interview_questions iq
             LEFT JOIN skills s ON s.skill_id = iq.skill_id
             LEFT JOIN messages a ON a.message_id = iq.user_answer_message_id
             LEFT JOIN messages f ON f.message_id = iq.follow_up_answer_message_id
             WHERE iq.interview_id = $1 ORDER BY iq.order_in_interview",
            &[&interview_id],
        )?
        .iter()
        .map(|r| {
            Ok(AskedQuestion {
                id: r.try_get(0)?,
                order: r.try_get::<_, i32>(1)? as u32,
                question_bank_id: r.try_get(2)?,
                text: r.try_get(3)?,
                skill_id: r.try_get(4)?,
                skill_name: r.try_get(5)?,
                difficulty: r
                    .try_get::<_, Option<String>>(6)?
                    .and_then(|d| d.parse().ok()),
                answer: r.try_get(7)?,
                follow_up_asked: r.try_get(8)?,
                follow_up_answer: r.try_get(9)?,
                hints: r.try_get::<_, i32>(10)? as u32,
                skipped: r.try_get(11)?,
                answer_seconds: r.try_get::<_, Option<i64>>(12)?.map(|s| s.max(0) as u32),
                waited_seconds: r.try_get::<_, i64>(13)? as u32,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let messages = super::list_messages(c, interview_id)?;
    // SQLite's scalar subquery takes the first of several rows where PostgreSQL's fails: one
    // turn at a time means one pending row, but LIMIT 1 keeps a stray second from failing
    // every read of the interview.
    let row = c.query_one(
        "SELECT EXISTS(SELECT 1 FROM messages WHERE interview_id = $1
                       AND processing_status = 'pending' AND role = 'interviewer'),
                (SELECT content FROM messages WHERE interview_id = $1
                       AND processing_status = 'pending' AND role = 'candidate'
                 ORDER BY seq LIMIT 1)",
        &[&interview_id],
    )?;
    let replying: bool = row.try_get(0)?;
    let pending_answer: Option<String> = row.try_get(1)?;
    let bank_ids: Vec<QuestionId> = asked.iter().filter_map(|q| q.question_bank_id).collect();
    let rubrics = super::question_rubrics(c, &bank_ids)?;
    let plan_skills = match &plan {
        Some(ids) => plan_skills(ids, &super::get_questions_by_ids(c, ids)?, &asked),
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

/// Question ids this user was asked in their `interviews` most recent other interviews.
pub fn recent_question_ids(
    c: &mut PgTx<'_>,
    user_id: &str,
    except_interview: &str,
    interviews: u32,
) -> Result<Vec<QuestionId>> {
    let rows = c.query(
        "SELECT DISTINCT iq.question_bank_id FROM interview_questions iq
         WHERE iq.question_bank_id IS NOT NULL AND iq.interview_id IN (
             SELECT interview_id FROM interviews
             WHERE user_id = $1 AND interview_id <> $2 AND started_at IS NOT NULL
             ORDER BY started_at DESC LIMIT $3)",
        &[&user_id, &except_interview, &i64::from(interviews)],
    )?;
    Ok(rows
        .iter()
        .map(|r| r.try_get(0))
        .collect::<std::result::Result<_, _>>()?)
}

/// Whether a turn with this key was taken in this interview and not rolled back, as the
/// SQLite store's.
pub fn turn_taken(c: &mut PgTx<'_>, interview_id: &str, turn_key: &str) -> Result<bool> {
    Ok(c.query_one(
        "SELECT EXISTS(SELECT 1 FROM messages WHERE interview_id = $1 AND turn_key = $2)",
        &[&interview_id, &turn_key],
    )?
    .try_get(0)?)
}

/// Adds the turn's pending messages; the reply carries the turn's key, if it has one. Call
/// inside the transaction that read the [`TurnState`] and found no turn in progress: on
/// PostgreSQL that transaction's `Tx::turn_taken` / `Tx::turn_state` locked the interview
/// before reading, so no other app server can have started a turn since (the lock is taken
/// again here for callers that did not).
pub fn insert_pending_turn(
    c: &mut PgTx<'_>,
    interview_id: &str,
    user_id: &str,
    candidate_text: Option<&str>,
    turn_key: Option<&str>,
    node: &str,
) -> Result<PendingTurn> {
    super::lock_interview(c, interview_id)?;
    let candidate_message_id = candidate_text
        .map(|t| insert_pending_message(c, interview_id, user_id, Role::Candidate, t, None, node))
        .transpose()?;
    let reply_message_id = insert_pending_message(
        c,
        interview_id,
        user_id,
        Role::Interviewer,
        "",
        turn_key,
        node,
    )?;
    Ok(PendingTurn {
        candidate_message_id,
        reply_message_id,
    })
}

/// One pending message at the end of the conversation, leased to `node`. The caller holds the
/// interview's lock, so `max(seq) + 1` is not raced.
fn insert_pending_message(
    c: &mut PgTx<'_>,
    interview_id: &str,
    user_id: &str,
    role: Role,
    content: &str,
    key: Option<&str>,
    node: &str,
) -> Result<String> {
    let id = uuid::Uuid::now_v7().to_string();
    c.execute(
        "INSERT INTO messages (message_id, interview_id, user_id, seq, role, content,
                               processing_status, turn_key, timestamp, created_at,
                               lease_owner, lease_until)
         VALUES ($1, $2, $3,
                 (SELECT coalesce(max(seq), 0) + 1 FROM messages WHERE interview_id = $2),
                 $4, $5, 'pending', $6, pp_now(), pp_now(), $7,
                 pp_now() + make_interval(secs => $8))",
        &[
            &id,
            &interview_id,
            &user_id,
            &role.as_str(),
            &content,
            &key,
            &node,
            &lease_seconds(),
        ],
    )?;
    Ok(id)
}

/// Writes a finished turn, as the SQLite store's: both messages become `completed`, the
/// question rows and status change, and on finishing the report is stored. Fails with
/// `Conflict` when the turn was abandoned meanwhile (the interview was cancelled or deleted).
/// Runs in the caller's transaction (the unit of work), under the interview's lock.
pub fn complete_turn(c: &mut PgTx<'_>, changes: &TurnChanges) -> Result<Message> {
    let pending = changes
        .pending
        .as_ref()
        .ok_or_else(|| StoreError::Internal("a turn without pending messages".into()))?;
    let interview_id = changes.interview_id.as_str();
    super::lock_interview(c, interview_id)?;
    let status = super::interview_status(c, interview_id)?;
    let expected = if changes.start_plan.is_some() {
        InterviewStatus::Pending
    } else {
        InterviewStatus::InProgress
    };
    // The status is checked before the reply is marked (SQLite checked both after), so a
    // conflict writes nothing even if the caller's transaction went on. The reply's UPDATE
    // stays conditional on `pending`: `expire_turns` deletes lapsed turns without the
    // interview's lock, and the row lock settles which of the two wins.
    let updated = if status == expected {
        c.execute(
            "UPDATE messages SET content = $2, processing_status = 'completed'
             WHERE message_id = $1 AND processing_status = 'pending'",
            &[&pending.reply_message_id, &changes.reply],
        )?
    } else {
        0
    };
    if updated != 1 {
        return Err(StoreError::Conflict(
            "this turn was abandoned: the interview changed while the reply was written".into(),
        ));
    }
    if let Some(id) = &pending.candidate_message_id {
        c.execute(
            "UPDATE messages SET processing_status = 'completed' WHERE message_id = $1",
            &[id],
        )?;
    }
    if let Some(plan) = &changes.start_plan {
        c.execute(
            "UPDATE interviews SET status = 'in_progress', question_plan = $2,
                 started_at = coalesce(started_at, pp_now()) WHERE interview_id = $1",
            &[&interview_id, &id_array(plan)],
        )?;
    }
    if let (Some((row, slot)), Some(msg)) = (&changes.answer, &pending.candidate_message_id) {
        let column = match slot {
            AnswerSlot::Answer => "user_answer_message_id",
            AnswerSlot::FollowUpAnswer => "follow_up_answer_message_id",
        };
        c.execute(
            &format!(
                "UPDATE interview_questions SET {column} = $2 WHERE interview_question_id = $1"
            ),
            &[row, msg],
        )?;
    }
    if let Some(row) = &changes.follow_up_on {
        c.execute(
            "UPDATE interview_questions SET follow_up_message_id = $2
             WHERE interview_question_id = $1",
            &[row, &pending.reply_message_id],
        )?;
    }
    if let Some(row) = &changes.hint_on {
        c.execute(
            "UPDATE interview_questions SET hints = hints + 1 WHERE interview_question_id = $1",
            &[row],
        )?;
    }
    if let Some(row) = &changes.skipped {
        c.execute(
            "UPDATE interview_questions SET skipped = true WHERE interview_question_id = $1",
            &[row],
        )?;
    }
    if let Some(q) = &changes.ask {
        c.execute(
            "INSERT INTO interview_questions (interview_question_id, interview_id,
                 question_bank_id, question_text_snapshot, order_in_interview, skill_id,
                 difficulty_level, ai_question_message_id, timestamp_asked, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, pp_now(), pp_now())",
            &[
                &uuid::Uuid::now_v7().to_string(),
                &interview_id,
                &q.question_bank_id,
                &q.text,
                &(q.order as i32),
                &q.skill_id,
                &q.difficulty.map(Difficulty::as_str),
                &pending.reply_message_id,
            ],
        )?;
    }
    if let Some(report) = &changes.finish {
        c.execute(
            "UPDATE interviews SET status = 'completed', completed_at = pp_now()
             WHERE interview_id = $1",
            &[&interview_id],
        )?;
        write_report(c, interview_id, report)?;
    }
    c.execute(
        "UPDATE interviews SET updated_at = pp_now() WHERE interview_id = $1",
        &[&interview_id],
    )?;
    add_usage(c, interview_id, changes.usage)?;
    super::list_messages(c, interview_id)?
        .into_iter()
        .find(|m| m.id == pending.reply_message_id)
        .ok_or_else(|| StoreError::Internal("the reply vanished".into()))
}

/// Stores a report (replacing any earlier one) or the reason there is none. The caller holds
/// the interview's lock, so two writers' delete-then-insert cannot interleave.
fn write_report(
    c: &mut PgTx<'_>,
    interview_id: &str,
    report: &std::result::Result<ReportRows, String>,
) -> Result<()> {
    c.execute(
        "DELETE FROM ai_feedback WHERE interview_id = $1",
        &[&interview_id],
    )?;
    c.execute(
        "UPDATE interview_questions SET rating = NULL, note = NULL, key_points_covered = NULL
         WHERE interview_id = $1",
        &[&interview_id],
    )?;
    let rows = match report {
        Ok(rows) => rows,
        Err(why) => {
            c.execute(
                "UPDATE interviews SET report_error = $2 WHERE interview_id = $1",
                &[&interview_id, why],
            )?;
            return Ok(());
        }
    };
    c.execute(
        "UPDATE interviews SET report_error = NULL, report_fallback = $2 WHERE interview_id = $1",
        &[&interview_id, &rows.fallback],
    )?;
    for s in &rows.skills {
        c.execute(
            "INSERT INTO ai_feedback (feedback_id, interview_id, skill_id, rating, strengths,
                 areas_for_improvement, feedback_text, answered, planned, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, pp_now())",
            &[
                &uuid::Uuid::now_v7().to_string(),
                &interview_id,
                &s.skill_id,
                &s.rating.map(i32::from),
                &s.strengths,
                &s.areas_for_improvement,
                &s.summary,
                &(s.answered as i32),
                &(s.planned as i32),
            ],
        )?;
    }
    for q in &rows.questions {
        // Stored 1-based, like the key points' positions.
        let covered = q.covered.as_ref().map(|c| {
            let positions: Vec<i64> = c.iter().map(|&i| i as i64 + 1).collect();
            id_array(&positions)
        });
        c.execute(
            "UPDATE interview_questions SET rating = $3, note = $4, key_points_covered = $5
             WHERE interview_question_id = $1 AND interview_id = $2",
            &[
                &q.interview_question_id,
                &interview_id,
                &q.rating.map(i32::from),
                &q.note,
                &covered,
            ],
        )?;
    }
    Ok(())
}

/// Replaces the report of a completed interview (regenerating it), as the SQLite store's; in
/// the caller's transaction, under the interview's lock (two servers regenerating at once
/// would otherwise interleave their deletes and inserts).
pub fn save_report(
    c: &mut PgTx<'_>,
    interview_id: &str,
    report: &std::result::Result<ReportRows, String>,
    usage: Usage,
) -> Result<()> {
    super::lock_interview(c, interview_id)?;
    write_report(c, interview_id, report)?;
    add_usage(c, interview_id, usage)
}

/// Adds a turn's tokens to the interview's counts (saturating at BIGINT's largest).
fn add_usage(c: &mut PgTx<'_>, interview_id: &str, usage: Usage) -> Result<()> {
    if usage != Usage::default() {
        c.execute(
            "UPDATE interviews SET prompt_tokens = prompt_tokens + $2,
                 completion_tokens = completion_tokens + $3 WHERE interview_id = $1",
            &[
                &interview_id,
                &i64::try_from(usage.prompt).unwrap_or(i64::MAX),
                &i64::try_from(usage.completion).unwrap_or(i64::MAX),
            ],
        )?;
    }
    Ok(())
}

/// The token counts stored at columns `i` and `i + 1` (BIGINT; a negative count reads as 0).
fn usage_at(r: &postgres::Row, i: usize) -> Result<Usage> {
    let count = |v: i64| u64::try_from(v).unwrap_or(0);
    Ok(Usage {
        prompt: count(r.try_get(i)?),
        completion: count(r.try_get(i + 1)?),
    })
}

/// Removes a turn's pending messages: the interview is as it was before the turn. In the
/// caller's transaction, under the interview's lock (found from the reply's row; a turn
/// already gone leaves nothing to do).
pub fn abort_turn(c: &mut PgTx<'_>, pending: &PendingTurn) -> Result<()> {
    let interview_id: Option<String> = c
        .query_opt(
            "SELECT interview_id FROM messages WHERE message_id = ANY($1) LIMIT 1",
            &[&pending_ids(pending)],
        )?
        .map(|r| r.try_get(0))
        .transpose()?;
    let Some(interview_id) = interview_id else {
        return Ok(());
    };
    super::lock_interview(c, &interview_id)?;
    c.execute(
        "DELETE FROM messages WHERE message_id = ANY($1) AND processing_status = 'pending'",
        &[&pending_ids(pending)],
    )?;
    Ok(())
}

/// A turn's message ids: the candidate's, if any, and the reply's.
fn pending_ids(pending: &PendingTurn) -> Vec<&str> {
    pending
        .candidate_message_id
        .iter()
        .chain([&pending.reply_message_id])
        .map(String::as_str)
        .collect()
}

/// A lease's length in seconds, for `make_interval(secs => …)` (double precision).
fn lease_seconds() -> f64 {
    f64::from(TURN_LEASE_SECONDS)
}

/// Extends the lease of a turn `node` is writing; `false` when the turn is gone, as the
/// SQLite store's. One conditional UPDATE: no read-then-write, so no interview lock.
pub fn renew_turn_lease(c: &mut PgTx<'_>, pending: &PendingTurn, node: &str) -> Result<bool> {
    let renewed = c.execute(
        "UPDATE messages SET lease_until = pp_now() + make_interval(secs => $3)
         WHERE message_id = ANY($1) AND processing_status = 'pending' AND lease_owner = $2",
        &[&pending_ids(pending), &node, &lease_seconds()],
    )?;
    Ok(renewed > 0)
}

/// Saves the text of a reply being written so far; `false` when the turn is no longer
/// pending, as the SQLite store's.
pub fn save_partial_reply(c: &mut PgTx<'_>, reply_message_id: &str, text: &str) -> Result<bool> {
    let saved = c.execute(
        "UPDATE messages SET content = $2
         WHERE message_id = $1 AND processing_status = 'pending'",
        &[&reply_message_id, &text],
    )?;
    Ok(saved > 0)
}

/// The pending reply of an interview, if one is being written: its message id and text so far.
pub fn pending_reply(c: &mut PgTx<'_>, interview_id: &str) -> Result<Option<(String, String)>> {
    // SQLite's query_row took the first of several rows where `query_opt` fails: LIMIT 1.
    c.query_opt(
        "SELECT message_id, content FROM messages
         WHERE interview_id = $1 AND role = 'interviewer' AND processing_status = 'pending'
         ORDER BY seq LIMIT 1",
        &[&interview_id],
    )?
    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
    .transpose()
}

/// Where the reply `reply_message_id` is now.
pub fn stored_reply(c: &mut PgTx<'_>, reply_message_id: &str) -> Result<StoredReply> {
    let row = c.query_opt(
        "SELECT processing_status, content FROM messages WHERE message_id = $1",
        &[&reply_message_id],
    )?;
    let row: Option<(String, String)> = match row {
        Some(r) => Some((r.try_get(0)?, r.try_get(1)?)),
        None => None,
    };
    Ok(match row {
        Some((status, text)) if status == "pending" => StoredReply::Writing(text),
        Some((status, text)) if status == "completed" => StoredReply::Done(text),
        _ => StoredReply::Gone,
    })
}

/// Removes pending turns nobody is writing any more, as the SQLite store's: those whose lease
/// ran out (or that have none), and all of `own_node`'s. Returns how many rows went. One
/// DELETE, no interview lock: it only removes pending rows, and `complete_turn`'s conditional
/// UPDATE of the same row settles, by the row lock, which of the two wins.
pub fn expire_turns(c: &mut PgTx<'_>, own_node: Option<&str>) -> Result<usize> {
    Ok(c.execute(
        "DELETE FROM messages WHERE processing_status = 'pending'
           AND (lease_until IS NULL OR lease_until < pp_now() OR lease_owner = $1)",
        &[&own_node],
    )? as usize)
}

/// The stored report of an interview, if it has one, read beside its already loaded state
/// (whose question rows and rubrics it shows), as the SQLite store's.
pub fn load_report(c: &mut PgTx<'_>, state: &TurnState) -> Result<Option<Report>> {
    let interview_id = state.interview.id.as_str();
    let skills = c
        .query(
            "SELECT s.skill_id, s.skill_name, s.description, f.rating, f.strengths,
                    f.areas_for_improvement, f.feedback_text, f.answered, f.planned
             FROM ai_feedback f JOIN skills s ON s.skill_id = f.skill_id
             WHERE f.interview_id = $1 ORDER BY s.skill_name",
            &[&interview_id],
        )?
        .iter()
        .map(|r| {
            Ok(SkillReport {
                skill: Skill {
                    id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    description: r.try_get(2)?,
                },
                rating: r.try_get::<_, Option<i32>>(3)?.map(|v| v as u8),
                strengths: r.try_get(4)?,
                areas_for_improvement: r.try_get(5)?,
                summary: r.try_get(6)?,
                answered: r.try_get::<_, Option<i32>>(7)?.map(|v| v as u32),
                planned: r.try_get::<_, Option<i32>>(8)?.map(|v| v as u32),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    if skills.is_empty() {
        return Ok(None);
    }
    let notes: Vec<(Option<u8>, Option<String>, Option<String>)> = c
        .query(
            "SELECT rating, note, key_points_covered FROM interview_questions
             WHERE interview_id = $1 ORDER BY order_in_interview",
            &[&interview_id],
        )?
        .iter()
        .map(|r| {
            Ok((
                r.try_get::<_, Option<i32>>(0)?.map(|v| v as u8),
                r.try_get(1)?,
                r.try_get(2)?,
            ))
        })
        .collect::<Result<_>>()?;
    Ok(Some(Report {
        skills,
        questions: question_reports(state, notes),
    }))
}
