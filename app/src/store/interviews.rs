//! Interviews, their skills and their status.

use super::catalog::skill_from_row;
use super::{NOW_SQL, Result, StoreError, checked_text, id_array, parse_enum};
use crate::model::{
    DEFAULT_QUESTION_COUNT, DifficultySetting, Interview, InterviewFilter, InterviewId,
    InterviewPage, InterviewStatus, InterviewType, InterviewTypeId, QUESTION_COUNTS, Skill,
    SkillId, SkillLevel, UserId,
};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, TransactionBehavior, params};
use std::collections::HashMap;

// The setup form's limits, enforced here too for every other caller.
pub use crate::validate::{MAX_SKILLS as MAX_SKILLS_PER_INTERVIEW, MAX_TITLE_CHARS};
pub const MAX_PER_PAGE: u32 = 100;
pub const DEFAULT_PER_PAGE: u32 = 20;

/// What it takes to create an interview.
#[derive(Clone, Debug)]
pub struct NewInterview {
    pub user_id: UserId,
    pub title: String,
    /// Optional in the store because interviews made before types existed have none (plan §6);
    /// the setup form requires one.
    pub interview_type_id: Option<InterviewTypeId>,
    pub skill_ids: Vec<SkillId>,
    pub question_count: u8,
    pub difficulty: DifficultySetting,
    /// The per-question timer, one of `ANSWER_TIMES`; `None` for none.
    pub answer_seconds: Option<u16>,
}

impl Default for NewInterview {
    fn default() -> Self {
        NewInterview {
            user_id: UserId::default(),
            title: String::new(),
            interview_type_id: None,
            skill_ids: Vec::new(),
            question_count: DEFAULT_QUESTION_COUNT,
            difficulty: DifficultySetting::Mixed,
            answer_seconds: None,
        }
    }
}

/// The columns `interview_from_row` reads, in order; `t` is the joined interview type.
const INTERVIEW_COLUMNS: &str = "i.interview_id, i.user_id, i.title, i.status, \
     i.interview_type_id, t.type_name, t.description, i.created_at, i.updated_at, \
     i.started_at, i.completed_at, i.question_count, i.difficulty, i.adaptive, \
     i.answer_seconds";

fn interview_from_row(row: &Row<'_>) -> rusqlite::Result<Interview> {
    let type_id: Option<InterviewTypeId> = row.get(4)?;
    let interview_type = match type_id {
        Some(id) => Some(InterviewType {
            id,
            name: row.get(5)?,
            description: row.get(6)?,
        }),
        None => None,
    };
    Ok(Interview {
        id: row.get(0)?,
        user_id: row.get(1)?,
        title: row.get(2)?,
        status: parse_enum(row, 3)?,
        interview_type,
        skills: Vec::new(),
        created_at: row.get(7)?,
        updated_at: row.get(8)?,
        started_at: row.get(9)?,
        completed_at: row.get(10)?,
        question_count: row.get(11)?,
        // An adaptive interview stores 'mixed' with its flag (migration 0013).
        difficulty: if row.get(13)? {
            DifficultySetting::Adaptive
        } else {
            parse_enum(row, 12)?
        },
        skill_levels: Vec::new(),
        answer_seconds: row.get(14)?,
    })
}

/// Drops repeated ids (keeping first occurrences) and checks the count.
pub(crate) fn checked_skill_ids(skill_ids: &[SkillId]) -> Result<Vec<SkillId>> {
    let mut unique = Vec::with_capacity(skill_ids.len());
    for id in skill_ids {
        if !unique.contains(id) {
            unique.push(*id);
        }
    }
    if unique.is_empty() {
        return Err(StoreError::Invalid("choose at least one skill".into()));
    }
    if unique.len() > MAX_SKILLS_PER_INTERVIEW {
        return Err(StoreError::Invalid(format!(
            "choose at most {MAX_SKILLS_PER_INTERVIEW} skills (got {})",
            unique.len()
        )));
    }
    Ok(unique)
}

/// `NotFound` naming the first id in `ids` that is not a skill.
fn ensure_skills_exist(conn: &Connection, ids: &[SkillId]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT value FROM json_each(?1) WHERE value NOT IN (SELECT skill_id FROM Skills) LIMIT 1",
    )?;
    match stmt
        .query_row([id_array(ids)], |r| r.get::<_, i64>(0))
        .optional()?
    {
        Some(missing) => Err(StoreError::NotFound(format!("skill {missing}"))),
        None => Ok(()),
    }
}

/// `NotFound(what)` unless `exists`, an `EXISTS` query on one parameter, finds a row.
fn ensure_found(
    conn: &Connection,
    exists: &str,
    param: impl rusqlite::ToSql,
    what: impl FnOnce() -> String,
) -> Result<()> {
    let found: bool = conn
        .prepare_cached(exists)?
        .query_row([param], |r| r.get(0))?;
    if found {
        Ok(())
    } else {
        Err(StoreError::NotFound(what()))
    }
}

fn ensure_type_exists(conn: &Connection, id: InterviewTypeId) -> Result<()> {
    ensure_found(
        conn,
        "SELECT EXISTS(SELECT 1 FROM Interview_Types WHERE interview_type_id = ?1)",
        id,
        || format!("interview type {id}"),
    )
}

fn ensure_interview_exists(conn: &Connection, id: &str) -> Result<()> {
    ensure_found(
        conn,
        "SELECT EXISTS(SELECT 1 FROM Interviews WHERE interview_id = ?1)",
        id,
        || format!("interview {id}"),
    )
}

/// The message when someone tries to change the skills of an interview that has started.
pub const SKILLS_FIXED: &str = "The skills of an interview are fixed once it has started: its \
    questions were chosen from them and its report rates them. Set up a new interview to \
    practise other skills.";

/// The one "still pending" rule: `Conflict(why)` unless the interview has not started (what
/// its questions were chosen from changes only before the start); `NotFound` when there is no
/// such interview.
fn ensure_pending(conn: &Connection, id: &str, why: &str) -> Result<()> {
    match interview_status(conn, id)? {
        InterviewStatus::Pending => Ok(()),
        _ => Err(StoreError::Conflict(why.into())),
    }
}

/// An interview's skills change only before it starts.
fn ensure_skills_changeable(conn: &Connection, id: &str) -> Result<()> {
    ensure_pending(conn, id, SKILLS_FIXED)
}

/// The message when someone tries to change the type of an interview that has started.
pub const TYPE_FIXED: &str = "The type of an interview is fixed once it has started: its \
    questions were chosen for it. An interview without a type can still be given one.";

/// The one rule for an interview's type: it may be changed while the interview is pending,
/// and given at any time to an interview that has none (older interviews get categorised,
/// plan §6), but never changed after the start. `NotFound` when there is no such interview.
fn ensure_type_settable(conn: &Connection, id: &str, type_id: InterviewTypeId) -> Result<()> {
    let current: Option<InterviewTypeId> = conn
        .query_row(
            "SELECT interview_type_id FROM Interviews WHERE interview_id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("interview {id}")))?;
    match current {
        None => Ok(()),
        Some(t) if t == type_id => Ok(()),
        Some(_) => ensure_pending(conn, id, TYPE_FIXED),
    }
}

/// An interview's status; `NotFound` when there is no such interview.
/// Nothing to do on SQLite: its one writer is alone while a transaction decides from what it
/// read. (PostgreSQL's store locks the interview's row here.)
pub fn lock_interview(_conn: &Connection, _interview_id: &str) -> Result<()> {
    Ok(())
}

pub(crate) fn interview_status(conn: &Connection, id: &str) -> Result<InterviewStatus> {
    conn.query_row(
        "SELECT status FROM Interviews WHERE interview_id = ?1",
        [id],
        |r| parse_enum(r, 0),
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("interview {id}")))
}

fn touch(tx: &Transaction<'_>, interview_id: &str) -> Result<()> {
    tx.execute(
        &format!("UPDATE Interviews SET updated_at = {NOW_SQL} WHERE interview_id = ?1"),
        [interview_id],
    )?;
    Ok(())
}

/// Creates an interview with its skills in one transaction: either all of it is stored or,
/// on any error (unknown user, type or skill; invalid title), nothing is.
/// The checks a new interview passes before anything is stored: its title and skills
/// (returned cleaned), question count and answer time.
pub(crate) fn checked_new_interview(new: &NewInterview) -> Result<(String, Vec<SkillId>)> {
    let title = checked_text("title", &new.title, MAX_TITLE_CHARS)?;
    let skill_ids = checked_skill_ids(&new.skill_ids)?;
    if !QUESTION_COUNTS.contains(&new.question_count) {
        return Err(StoreError::Invalid(format!(
            "the number of questions must be {} to {} (got {})",
            QUESTION_COUNTS.start(),
            QUESTION_COUNTS.end(),
            new.question_count
        )));
    }
    if !crate::model::answer_time_allowed(new.answer_seconds) {
        return Err(StoreError::Invalid(format!(
            "the time per answer must be one of {:?} seconds, or none",
            crate::model::ANSWER_TIMES
        )));
    }
    Ok((title, skill_ids))
}

pub fn create_interview(conn: &mut Connection, new: &NewInterview) -> Result<Interview> {
    let (title, skill_ids) = checked_new_interview(new)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let user_found: bool = tx.query_row(
        "SELECT EXISTS(SELECT 1 FROM Users WHERE user_id = ?1)",
        [&new.user_id],
        |r| r.get(0),
    )?;
    if !user_found {
        return Err(StoreError::NotFound(format!("user {}", new.user_id)));
    }
    if let Some(type_id) = new.interview_type_id {
        ensure_type_exists(&tx, type_id)?;
    }
    ensure_skills_exist(&tx, &skill_ids)?;
    let id = uuid::Uuid::now_v7().to_string();
    let adaptive = new.difficulty == DifficultySetting::Adaptive;
    let stored_difficulty = if adaptive {
        DifficultySetting::Mixed
    } else {
        new.difficulty
    };
    tx.prepare_cached(&format!(
        "INSERT INTO Interviews (interview_id, user_id, title, status, interview_type_id,
                                 question_count, difficulty, adaptive, answer_seconds,
                                 created_at, updated_at)
         VALUES (?1, ?2, ?3, 'pending', ?4, ?5, ?6, ?7, ?8, {NOW_SQL}, {NOW_SQL})"
    ))?
    .execute(params![
        id,
        new.user_id,
        title,
        new.interview_type_id,
        new.question_count,
        stored_difficulty.as_str(),
        adaptive,
        new.answer_seconds
    ])?;
    tx.prepare_cached(
        "INSERT INTO Interview_Skills (interview_id, skill_id) SELECT ?1, value FROM json_each(?2)",
    )?
    .execute(params![id, id_array(&skill_ids)])?;
    if adaptive {
        // Each skill's level from the ratings as they are now, kept with the interview so its
        // plan and report say what it was set up with.
        for (level, _) in super::adaptive_levels(&tx, &new.user_id, &skill_ids)? {
            tx.prepare_cached(
                "UPDATE Interview_Skills SET difficulty_level = ?3
                 WHERE interview_id = ?1 AND skill_id = ?2",
            )?
            .execute(params![id, level.skill_id, level.difficulty.as_str()])?;
        }
    }
    let interview = get_interview(&tx, &id)?;
    tx.commit()?;
    Ok(interview)
}

/// One interview with its type and skills.
pub fn get_interview(conn: &Connection, interview_id: &str) -> Result<Interview> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {INTERVIEW_COLUMNS} FROM Interviews i
         LEFT JOIN Interview_Types t ON t.interview_type_id = i.interview_type_id
         WHERE i.interview_id = ?1"
    ))?;
    let mut interview = stmt
        .query_row([interview_id], interview_from_row)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("interview {interview_id}")))?;
    interview.skills = get_skills_for_interview(conn, interview_id)?;
    interview.skill_levels = skill_levels(conn, interview_id)?;
    Ok(interview)
}

/// An adaptive interview's level per skill (none for other interviews).
fn skill_levels(conn: &Connection, interview_id: &str) -> Result<Vec<SkillLevel>> {
    let mut stmt = conn.prepare_cached(
        "SELECT skill_id, difficulty_level FROM Interview_Skills
         WHERE interview_id = ?1 AND difficulty_level IS NOT NULL ORDER BY skill_id",
    )?;
    let rows = stmt.query_map([interview_id], |r| {
        Ok(SkillLevel {
            skill_id: r.get(0)?,
            difficulty: parse_enum(r, 1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The id of the user who owns an interview.
pub fn get_interview_owner(conn: &Connection, interview_id: &str) -> Result<UserId> {
    conn.prepare_cached("SELECT user_id FROM Interviews WHERE interview_id = ?1")?
        .query_row([interview_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("interview {interview_id}")))
}

/// `Ok` when `user_id` owns the interview. Someone else's interview is `NotFound`, exactly as a
/// missing one, so interview ids cannot be probed.
pub fn ensure_owner(conn: &Connection, user_id: &UserId, interview_id: &InterviewId) -> Result<()> {
    let owned: bool = conn
        .prepare_cached(
            "SELECT EXISTS(SELECT 1 FROM Interviews WHERE interview_id = ?1 AND user_id = ?2)",
        )?
        .query_row(params![interview_id, user_id], |r| r.get(0))?;
    if owned {
        Ok(())
    } else {
        Err(StoreError::NotFound(format!("interview {interview_id}")))
    }
}

/// The skills of an interview, by name. An unknown interview is `NotFound`.
pub fn get_skills_for_interview(conn: &Connection, interview_id: &str) -> Result<Vec<Skill>> {
    ensure_interview_exists(conn, interview_id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT s.skill_id, s.skill_name, s.description
         FROM Interview_Skills l JOIN Skills s ON s.skill_id = l.skill_id
         WHERE l.interview_id = ?1 ORDER BY s.skill_name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([interview_id], skill_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many skills an interview has, and whether `skill_id` is one of them.
fn skill_count_and_membership(
    conn: &Connection,
    interview_id: &str,
    skill_id: SkillId,
) -> Result<(usize, bool)> {
    let (count, has_it): (i64, bool) = conn.query_row(
        "SELECT count(*), coalesce(max(skill_id = ?2), 0) FROM Interview_Skills
         WHERE interview_id = ?1",
        params![interview_id, skill_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((count as usize, has_it))
}

/// Adds a skill to an interview. Adding a skill it already has changes nothing. `Conflict` once
/// the interview has started.
pub fn add_skill_to_interview(
    conn: &mut Connection,
    interview_id: &str,
    skill_id: SkillId,
) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    ensure_skills_changeable(&tx, interview_id)?;
    ensure_skills_exist(&tx, &[skill_id])?;
    let (count, has_it) = skill_count_and_membership(&tx, interview_id, skill_id)?;
    if has_it {
        return Ok(());
    }
    if count >= MAX_SKILLS_PER_INTERVIEW {
        return Err(StoreError::Invalid(format!(
            "an interview can have at most {MAX_SKILLS_PER_INTERVIEW} skills"
        )));
    }
    tx.execute(
        "INSERT INTO Interview_Skills (interview_id, skill_id) VALUES (?1, ?2)",
        params![interview_id, skill_id],
    )?;
    touch(&tx, interview_id)?;
    tx.commit()?;
    Ok(())
}

/// Removes a skill from an interview. `NotFound` when the interview does not have that skill;
/// `Invalid` when it is the interview's last skill (an interview is about at least one skill);
/// `Conflict` once the interview has started.
pub fn remove_skill_from_interview(
    conn: &mut Connection,
    interview_id: &str,
    skill_id: SkillId,
) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    ensure_skills_changeable(&tx, interview_id)?;
    let (count, has_it) = skill_count_and_membership(&tx, interview_id, skill_id)?;
    if !has_it {
        return Err(StoreError::NotFound(format!(
            "skill {skill_id} on interview {interview_id}"
        )));
    }
    if count == 1 {
        return Err(StoreError::Invalid(
            "an interview needs at least one skill; add another before removing this one".into(),
        ));
    }
    tx.execute(
        "DELETE FROM Interview_Skills WHERE interview_id = ?1 AND skill_id = ?2",
        params![interview_id, skill_id],
    )?;
    touch(&tx, interview_id)?;
    tx.commit()?;
    Ok(())
}

/// Makes `skill_ids` (already checked) the interview's skills, inside the caller's transaction.
fn replace_skills(tx: &Transaction<'_>, interview_id: &str, skill_ids: &[SkillId]) -> Result<()> {
    tx.execute(
        "DELETE FROM Interview_Skills WHERE interview_id = ?1",
        [interview_id],
    )?;
    tx.execute(
        "INSERT INTO Interview_Skills (interview_id, skill_id) SELECT ?1, value FROM json_each(?2)",
        params![interview_id, id_array(skill_ids)],
    )?;
    Ok(())
}

/// Changes an interview's type and skills together, in one transaction (the edit form).
/// `Conflict` once the interview has started.
pub fn set_type_and_skills(
    conn: &mut Connection,
    interview_id: &str,
    interview_type_id: InterviewTypeId,
    skill_ids: &[SkillId],
) -> Result<Interview> {
    let skill_ids = checked_skill_ids(skill_ids)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    ensure_skills_changeable(&tx, interview_id)?;
    ensure_type_exists(&tx, interview_type_id)?;
    ensure_skills_exist(&tx, &skill_ids)?;
    tx.execute(
        "UPDATE Interviews SET interview_type_id = ?2 WHERE interview_id = ?1",
        params![interview_id, interview_type_id],
    )?;
    replace_skills(&tx, interview_id, &skill_ids)?;
    touch(&tx, interview_id)?;
    let interview = get_interview(&tx, interview_id)?;
    tx.commit()?;
    Ok(interview)
}

/// Sets an interview's type — how older interviews get categorised (plan §6); `Conflict` when
/// it would change the type of an interview that has started.
pub fn set_interview_type_for_interview(
    conn: &mut Connection,
    interview_id: &str,
    interview_type_id: InterviewTypeId,
) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    ensure_type_settable(&tx, interview_id, interview_type_id)?;
    ensure_type_exists(&tx, interview_type_id)?;
    tx.execute(
        &format!(
            "UPDATE Interviews SET interview_type_id = ?2, updated_at = {NOW_SQL}
             WHERE interview_id = ?1"
        ),
        params![interview_id, interview_type_id],
    )?;
    tx.commit()?;
    Ok(())
}

/// Renames an interview and/or sets its type in one transaction; `None` leaves a field as it is.
pub fn update_interview(
    conn: &mut Connection,
    interview_id: &str,
    title: Option<&str>,
    interview_type_id: Option<InterviewTypeId>,
) -> Result<Interview> {
    let title = title
        .map(|t| checked_text("title", t, MAX_TITLE_CHARS))
        .transpose()?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    ensure_interview_exists(&tx, interview_id)?;
    if let Some(type_id) = interview_type_id {
        ensure_type_settable(&tx, interview_id, type_id)?;
        ensure_type_exists(&tx, type_id)?;
    }
    tx.execute(
        &format!(
            "UPDATE Interviews SET title = coalesce(?2, title),
                 interview_type_id = coalesce(?3, interview_type_id), updated_at = {NOW_SQL}
             WHERE interview_id = ?1"
        ),
        params![interview_id, title, interview_type_id],
    )?;
    let interview = get_interview(&tx, interview_id)?;
    tx.commit()?;
    Ok(interview)
}

/// Moves an interview to `next`, refusing transitions the lifecycle does not allow
/// ([`InterviewStatus::can_become`]). Starting sets `started_at` (once); completing sets
/// `completed_at`.
pub fn set_interview_status(
    conn: &mut Connection,
    interview_id: &str,
    next: InterviewStatus,
) -> Result<Interview> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let current = interview_status(&tx, interview_id)?;
    if !current.can_become(next) {
        return Err(StoreError::Conflict(format!(
            "an interview that is {} cannot become {}",
            current.label().to_lowercase(),
            next.label().to_lowercase()
        )));
    }
    tx.execute(
        &format!(
            "UPDATE Interviews SET status = ?2, updated_at = {NOW_SQL},
                 started_at = CASE WHEN ?2 = 'in_progress' THEN coalesce(started_at, {NOW_SQL})
                                   ELSE started_at END,
                 completed_at = CASE WHEN ?2 = 'completed' THEN {NOW_SQL} ELSE completed_at END
             WHERE interview_id = ?1"
        ),
        params![interview_id, next.as_str()],
    )?;
    let interview = get_interview(&tx, interview_id)?;
    tx.commit()?;
    Ok(interview)
}

/// Deletes an interview; its skill links, messages, question rows and feedback go with it.
pub fn delete_interview(conn: &mut Connection, interview_id: &str) -> Result<()> {
    let deleted = conn.execute(
        "DELETE FROM Interviews WHERE interview_id = ?1",
        [interview_id],
    )?;
    if deleted == 0 {
        return Err(StoreError::NotFound(format!("interview {interview_id}")));
    }
    Ok(())
}

/// Gives each of `interviews` its skills and their levels from `links` (interview, skill,
/// level if set), which come in the order the skills are shown.
pub(crate) fn attach_skills(
    interviews: &mut [Interview],
    links: Vec<(InterviewId, Skill, Option<String>)>,
) -> Result<()> {
    let mut by_interview: HashMap<InterviewId, (Vec<Skill>, Vec<SkillLevel>)> = HashMap::new();
    for (interview_id, skill, level) in links {
        let (skills, levels) = by_interview.entry(interview_id).or_default();
        if let Some(level) = level {
            levels.push(SkillLevel {
                skill_id: skill.id,
                difficulty: level.parse().map_err(|e: String| StoreError::Internal(e))?,
            });
        }
        skills.push(skill);
    }
    for interview in interviews {
        let (mut skills, mut levels) = by_interview.remove(&interview.id).unwrap_or_default();
        // Here rather than in SQL: sorting a page's links in the query took a fifth of the
        // JSON list's time (a temporary B-tree with a case-folding collation).
        skills.sort_by(|a, b| by_name(&a.name, &b.name));
        levels.sort_by_key(|l| l.skill_id);
        (interview.skills, interview.skill_levels) = (skills, levels);
    }
    Ok(())
}

/// Skill names in the catalogue's order: ASCII letters folded, as SQLite's `NOCASE` and
/// PostgreSQL's `lower(…) COLLATE "C"` order them.
fn by_name(a: &str, b: &str) -> std::cmp::Ordering {
    let (a, b) = (a.bytes(), b.bytes());
    a.map(|c| c.to_ascii_lowercase())
        .cmp(b.map(|c| c.to_ascii_lowercase()))
}

/// Escapes LIKE's wildcards so a search for "100%" finds that text, not everything.
pub(crate) fn like_pattern(query: &str) -> String {
    let mut out = String::with_capacity(query.len() + 2);
    out.push('%');
    for c in query.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// One page of a user's interviews, newest first, with the total that match.
///
/// Three queries whatever the page size: the count, the page, and the skills of the page's
/// interviews. Filters combine with AND; `skill_ids` keeps interviews that have all of them.
pub fn list_interviews(
    conn: &Connection,
    user_id: &str,
    filter: &InterviewFilter,
) -> Result<InterviewPage> {
    let per_page = match filter.per_page {
        0 => DEFAULT_PER_PAGE,
        n => n.min(MAX_PER_PAGE),
    };
    let page = filter.page.max(1);

    // Only fixed SQL fragments are assembled here; every value is a bound parameter.
    let mut conditions = vec!["i.user_id = ?1".to_owned()];
    let mut args: Vec<Value> = vec![Value::Text(user_id.to_owned())];
    if let Some(type_id) = filter.interview_type_id {
        args.push(Value::Integer(type_id.0));
        conditions.push(format!("i.interview_type_id = ?{}", args.len()));
    }
    if let Some(status) = filter.status {
        args.push(Value::Text(status.as_str().to_owned()));
        conditions.push(format!("i.status = ?{}", args.len()));
    }
    if let Some(query) = filter
        .title_query
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
    {
        args.push(Value::Text(like_pattern(query)));
        conditions.push(format!("i.title LIKE ?{} ESCAPE '\\'", args.len()));
    }
    let mut skill_ids = filter.skill_ids.clone();
    skill_ids.sort_unstable();
    skill_ids.dedup();
    if !skill_ids.is_empty() {
        args.push(Value::Text(id_array(&skill_ids)));
        let n = args.len();
        args.push(Value::Integer(skill_ids.len() as i64));
        conditions.push(format!(
            "i.interview_id IN (SELECT interview_id FROM Interview_Skills
                                WHERE skill_id IN (SELECT value FROM json_each(?{n}))
                                GROUP BY interview_id HAVING count(*) = ?{})",
            n + 1
        ));
    }
    let where_sql = conditions.join(" AND ");

    let total: i64 = conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM Interviews i WHERE {where_sql}"
        ))?
        .query_row(rusqlite::params_from_iter(&args), |r| r.get(0))?;

    let limit_at = args.len() + 1;
    let mut page_args = args;
    page_args.push(Value::Integer(i64::from(per_page)));
    page_args.push(Value::Integer(i64::from(page - 1) * i64::from(per_page)));
    // A deferred join: the inner query pages over the (user_id, created_at) index alone, so a
    // deep OFFSET skips index entries rather than whole rows; only the page's rows are read.
    // The page's order is restored here, not by an outer ORDER BY: SQLite sorted the joined
    // rows again in a temporary B-tree, a sixth of the JSON list's time.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {INTERVIEW_COLUMNS}, page.rid
         FROM (SELECT i.rowid AS rid FROM Interviews i WHERE {where_sql}
               ORDER BY i.created_at DESC, i.rowid DESC
               LIMIT ?{limit_at} OFFSET ?{}) AS page
         JOIN Interviews i ON i.rowid = page.rid
         LEFT JOIN Interview_Types t ON t.interview_type_id = i.interview_type_id",
        limit_at + 1
    ))?;
    let rid_column = stmt.column_count() - 1;
    let mut rows: Vec<(Interview, i64)> = stmt
        .query_map(rusqlite::params_from_iter(&page_args), |row| {
            Ok((interview_from_row(row)?, row.get(rid_column)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    rows.sort_by(|(a, a_rid), (b, b_rid)| (&b.created_at, b_rid).cmp(&(&a.created_at, a_rid)));
    let mut interviews: Vec<Interview> = rows.into_iter().map(|(i, _)| i).collect();

    if !interviews.is_empty() {
        let ids: Vec<&str> = interviews.iter().map(|i| i.id.as_str()).collect();
        let ids_json = format!(
            "[{}]",
            ids.iter()
                .map(|id| format!("\"{}\"", id.replace('\\', "\\\\").replace('"', "\\\"")))
                .collect::<Vec<_>>()
                .join(",")
        );
        let mut stmt = conn.prepare_cached(
            "SELECT l.interview_id, s.skill_id, s.skill_name, s.description, l.difficulty_level
             FROM Interview_Skills l JOIN Skills s ON s.skill_id = l.skill_id
             WHERE l.interview_id IN (SELECT value FROM json_each(?1))",
        )?;
        let links = stmt
            .query_map([ids_json], |row| {
                let skill = Skill {
                    id: row.get(1)?,
                    name: row.get(2)?,
                    description: row.get(3)?,
                };
                Ok((row.get(0)?, skill, row.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        attach_skills(&mut interviews, links)?;
    }

    Ok(InterviewPage {
        interviews,
        total: total as u64,
        page,
        per_page,
    })
}
