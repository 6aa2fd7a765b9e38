//! Interviews, their skills and their status, as `store/interviews.rs` (whose rules, limits and
//! messages both use).
//!
//! Every write here that reads an interview's state before changing it (its status, its type,
//! its skills) first takes the interview's row lock with [`lock_interview`]: SQLite's single
//! writer made that read-then-write safe; PostgreSQL's concurrent writers need the lock.

use super::catalog::skill_from_row;
use super::{PgTx, parse_enum};
use crate::model::{
    DifficultySetting, Interview, InterviewFilter, InterviewId, InterviewPage, InterviewStatus,
    InterviewType, InterviewTypeId, Skill, SkillId, SkillLevel, UserId,
};
use crate::store::{
    DEFAULT_PER_PAGE, MAX_PER_PAGE, MAX_SKILLS_PER_INTERVIEW, MAX_TITLE_CHARS, NewInterview,
    Result, SKILLS_FIXED, StoreError, TYPE_FIXED, checked_skill_ids, checked_text, like_pattern,
};
use postgres::types::ToSql;

/// The columns `interview_from_row` reads, in order; `t` is the joined interview type. As the
/// SQLite store's, with the times read as its text (`pp_time`).
const INTERVIEW_COLUMNS: &str = "i.interview_id, i.user_id, i.title, i.status, \
     i.interview_type_id, t.type_name, t.description, pp_time(i.created_at), \
     pp_time(i.updated_at), pp_time(i.started_at), pp_time(i.completed_at), i.question_count, \
     i.difficulty, i.adaptive, i.answer_seconds";

fn interview_from_row(row: &postgres::Row) -> Result<Interview> {
    let type_id: Option<InterviewTypeId> = row.try_get(4)?;
    let interview_type = match type_id {
        Some(id) => Some(InterviewType {
            id,
            name: row.try_get(5)?,
            description: row.try_get(6)?,
        }),
        None => None,
    };
    // INTEGER columns, kept in range by the schema's CHECKs (3–12; 30–3600 seconds).
    let question_count: i32 = row.try_get(11)?;
    let answer_seconds: Option<i32> = row.try_get(14)?;
    Ok(Interview {
        id: row.try_get(0)?,
        user_id: row.try_get(1)?,
        title: row.try_get(2)?,
        status: parse_enum(row, 3)?,
        interview_type,
        skills: Vec::new(),
        created_at: row.try_get(7)?,
        updated_at: row.try_get(8)?,
        started_at: row.try_get(9)?,
        completed_at: row.try_get(10)?,
        question_count: question_count as u8,
        // An adaptive interview stores 'mixed' with its flag (SQLite migration 0013).
        difficulty: if row.try_get(13)? {
            DifficultySetting::Adaptive
        } else {
            parse_enum(row, 12)?
        },
        skill_levels: Vec::new(),
        answer_seconds: answer_seconds.map(|s| s as u16),
    })
}

/// Takes the interview's row lock for the rest of the transaction, so that a write that reads
/// the interview's state (its status, `max(seq) + 1`, a pending turn, its skills) and then
/// changes it cannot interleave with another such write: what SQLite's single writer gave.
/// A missing interview is not an error here: the caller's own check reports it.
pub(crate) fn lock_interview(c: &mut PgTx<'_>, interview_id: &str) -> Result<()> {
    c.execute(
        "SELECT 1 FROM interviews WHERE interview_id = $1 FOR UPDATE",
        &[&interview_id],
    )?;
    Ok(())
}

/// `NotFound` naming the first id in `ids` that is not a skill.
///
/// Only called in writes: the skills found are locked `FOR KEY SHARE` (as the foreign key
/// check would), so none can be deleted between this check and the caller's insert.
fn ensure_skills_exist(c: &mut PgTx<'_>, ids: &[SkillId]) -> Result<()> {
    let wanted: Vec<i64> = ids.iter().map(|i| i.0).collect();
    let found: Vec<i64> = c
        .query(
            "SELECT skill_id FROM skills WHERE skill_id = ANY($1) FOR KEY SHARE",
            &[&wanted],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    match wanted.iter().find(|id| !found.contains(id)) {
        Some(missing) => Err(StoreError::NotFound(format!("skill {missing}"))),
        None => Ok(()),
    }
}

/// Only called in writes: the type is locked `FOR KEY SHARE`, so it cannot be deleted between
/// this check and the caller's update.
fn ensure_type_exists(c: &mut PgTx<'_>, id: InterviewTypeId) -> Result<()> {
    let found = c
        .query_opt(
            "SELECT 1 FROM interview_types WHERE interview_type_id = $1 FOR KEY SHARE",
            &[&id],
        )?
        .is_some();
    if found {
        Ok(())
    } else {
        Err(StoreError::NotFound(format!("interview type {id}")))
    }
}

fn ensure_interview_exists(c: &mut PgTx<'_>, id: &str) -> Result<()> {
    let found: bool = c
        .query_one(
            "SELECT EXISTS(SELECT 1 FROM interviews WHERE interview_id = $1)",
            &[&id],
        )?
        .try_get(0)?;
    if found {
        Ok(())
    } else {
        Err(StoreError::NotFound(format!("interview {id}")))
    }
}

/// As the SQLite store's: `Conflict(why)` unless the interview has not started; `NotFound`
/// when there is no such interview. The caller holds the interview's lock.
fn ensure_pending(c: &mut PgTx<'_>, id: &str, why: &str) -> Result<()> {
    match interview_status(c, id)? {
        InterviewStatus::Pending => Ok(()),
        _ => Err(StoreError::Conflict(why.into())),
    }
}

/// An interview's skills change only before it starts.
fn ensure_skills_changeable(c: &mut PgTx<'_>, id: &str) -> Result<()> {
    ensure_pending(c, id, SKILLS_FIXED)
}

/// As the SQLite store's: a type may be changed while the interview is pending, and given at
/// any time to an interview that has none, but never changed after the start. `NotFound`
/// when there is no such interview. The caller holds the interview's lock.
fn ensure_type_settable(c: &mut PgTx<'_>, id: &str, type_id: InterviewTypeId) -> Result<()> {
    let current: Option<InterviewTypeId> = c
        .query_opt(
            "SELECT interview_type_id FROM interviews WHERE interview_id = $1",
            &[&id],
        )?
        .ok_or_else(|| StoreError::NotFound(format!("interview {id}")))?
        .try_get(0)?;
    match current {
        None => Ok(()),
        Some(t) if t == type_id => Ok(()),
        Some(_) => ensure_pending(c, id, TYPE_FIXED),
    }
}

/// An interview's status; `NotFound` when there is no such interview.
pub(crate) fn interview_status(c: &mut PgTx<'_>, id: &str) -> Result<InterviewStatus> {
    match c.query_opt(
        "SELECT status FROM interviews WHERE interview_id = $1",
        &[&id],
    )? {
        Some(row) => parse_enum(&row, 0),
        None => Err(StoreError::NotFound(format!("interview {id}"))),
    }
}

fn touch(c: &mut PgTx<'_>, interview_id: &str) -> Result<()> {
    c.execute(
        "UPDATE interviews SET updated_at = pp_now() WHERE interview_id = $1",
        &[&interview_id],
    )?;
    Ok(())
}

/// Creates an interview with its skills: either all of it is stored or, on any error (unknown
/// user, type or skill; invalid title), nothing is — the caller's transaction is not
/// committed on an error, so no transaction of its own is needed here.
pub fn create_interview(c: &mut PgTx<'_>, new: &NewInterview) -> Result<Interview> {
    let (title, skill_ids) = crate::store::checked_new_interview(new)?;
    // `FOR KEY SHARE`: the user cannot be deleted between this check and the insert.
    let user_found = c
        .query_opt(
            "SELECT 1 FROM users WHERE user_id = $1 FOR KEY SHARE",
            &[&new.user_id],
        )?
        .is_some();
    if !user_found {
        return Err(StoreError::NotFound(format!("user {}", new.user_id)));
    }
    if let Some(type_id) = new.interview_type_id {
        ensure_type_exists(c, type_id)?;
    }
    ensure_skills_exist(c, &skill_ids)?;
    let id = uuid::Uuid::now_v7().to_string();
    let adaptive = new.difficulty == DifficultySetting::Adaptive;
    let stored_difficulty = if adaptive {
        DifficultySetting::Mixed
    } else {
        new.difficulty
    };
    // One `pp_now()` for both times: it is the clock at each call, and SQLite's 'now' is one
    // value within a statement, so a new interview's two times are equal as in SQLite. (The
    // casts: parameters in a SELECT list are not typed by the insert's columns.)
    c.execute(
        "INSERT INTO interviews (interview_id, user_id, title, status, interview_type_id,
                                 question_count, difficulty, adaptive, answer_seconds,
                                 created_at, updated_at)
         SELECT $1::text, $2::text, $3::text, 'pending', $4::bigint, $5::integer, $6::text,
                $7::boolean, $8::integer, now_.t, now_.t
         FROM (SELECT pp_now() AS t) AS now_",
        &[
            &id,
            &new.user_id,
            &title,
            &new.interview_type_id,
            &i32::from(new.question_count),
            &stored_difficulty.as_str(),
            &adaptive,
            &new.answer_seconds.map(i32::from),
        ],
    )?;
    insert_skills(c, &id, &skill_ids)?;
    if adaptive {
        // Each skill's level from the ratings as they are now, kept with the interview so its
        // plan and report say what it was set up with.
        for (level, _) in super::adaptive_levels(c, &new.user_id, &skill_ids)? {
            c.execute(
                "UPDATE interview_skills SET difficulty_level = $3
                 WHERE interview_id = $1 AND skill_id = $2",
                &[&id, &level.skill_id, &level.difficulty.as_str()],
            )?;
        }
    }
    get_interview(c, &id)
}

/// One interview with its type and skills.
pub fn get_interview(c: &mut PgTx<'_>, interview_id: &str) -> Result<Interview> {
    let row = c
        .query_opt(
            &format!(
                "SELECT {INTERVIEW_COLUMNS} FROM interviews i
                 LEFT JOIN interview_types t ON t.interview_type_id = i.interview_type_id
                 WHERE i.interview_id = $1"
            ),
            &[&interview_id],
        )?
        .ok_or_else(|| StoreError::NotFound(format!("interview {interview_id}")))?;
    let mut interview = interview_from_row(&row)?;
    interview.skills = get_skills_for_interview(c, interview_id)?;
    interview.skill_levels = skill_levels(c, interview_id)?;
    Ok(interview)
}

/// An adaptive interview's level per skill (none for other interviews).
fn skill_levels(c: &mut PgTx<'_>, interview_id: &str) -> Result<Vec<SkillLevel>> {
    c.query(
        "SELECT skill_id, difficulty_level FROM interview_skills
         WHERE interview_id = $1 AND difficulty_level IS NOT NULL ORDER BY skill_id",
        &[&interview_id],
    )?
    .iter()
    .map(|r| {
        Ok(SkillLevel {
            skill_id: r.try_get(0)?,
            difficulty: parse_enum(r, 1)?,
        })
    })
    .collect()
}

/// The id of the user who owns an interview.
pub fn get_interview_owner(c: &mut PgTx<'_>, interview_id: &str) -> Result<UserId> {
    c.query_opt(
        "SELECT user_id FROM interviews WHERE interview_id = $1",
        &[&interview_id],
    )?
    .map(|r| r.get(0))
    .ok_or_else(|| StoreError::NotFound(format!("interview {interview_id}")))
}

/// `Ok` when `user_id` owns the interview. Someone else's interview is `NotFound`, exactly as a
/// missing one, so interview ids cannot be probed.
pub fn ensure_owner(c: &mut PgTx<'_>, user_id: &UserId, interview_id: &InterviewId) -> Result<()> {
    let owned: bool = c
        .query_one(
            "SELECT EXISTS(SELECT 1 FROM interviews WHERE interview_id = $1 AND user_id = $2)",
            &[interview_id, user_id],
        )?
        .try_get(0)?;
    if owned {
        Ok(())
    } else {
        Err(StoreError::NotFound(format!("interview {interview_id}")))
    }
}

/// The skills of an interview, by name. An unknown interview is `NotFound`.
pub fn get_skills_for_interview(c: &mut PgTx<'_>, interview_id: &str) -> Result<Vec<Skill>> {
    ensure_interview_exists(c, interview_id)?;
    // SQLite's `COLLATE NOCASE`, as `pg/catalog.rs` orders names.
    Ok(c.query(
        "SELECT s.skill_id, s.skill_name, s.description
             FROM interview_skills l JOIN skills s ON s.skill_id = l.skill_id
             WHERE l.interview_id = $1 ORDER BY lower(s.skill_name) COLLATE \"C\"",
        &[&interview_id],
    )?
    .iter()
    .map(skill_from_row)
    .collect())
}

/// How many skills an interview has, and whether `skill_id` is one of them.
fn skill_count_and_membership(
    c: &mut PgTx<'_>,
    interview_id: &str,
    skill_id: SkillId,
) -> Result<(usize, bool)> {
    let row = c.query_one(
        "SELECT count(*), coalesce(bool_or(skill_id = $2), false) FROM interview_skills
         WHERE interview_id = $1",
        &[&interview_id, &skill_id],
    )?;
    let count: i64 = row.try_get(0)?;
    Ok((count as usize, row.try_get(1)?))
}

/// Adds a skill to an interview. Adding a skill it already has changes nothing. `Conflict` once
/// the interview has started.
pub fn add_skill_to_interview(
    c: &mut PgTx<'_>,
    interview_id: &str,
    skill_id: SkillId,
) -> Result<()> {
    lock_interview(c, interview_id)?;
    ensure_skills_changeable(c, interview_id)?;
    ensure_skills_exist(c, &[skill_id])?;
    let (count, has_it) = skill_count_and_membership(c, interview_id, skill_id)?;
    if has_it {
        return Ok(());
    }
    if count >= MAX_SKILLS_PER_INTERVIEW {
        return Err(StoreError::Invalid(format!(
            "an interview can have at most {MAX_SKILLS_PER_INTERVIEW} skills"
        )));
    }
    c.execute(
        "INSERT INTO interview_skills (interview_id, skill_id) VALUES ($1, $2)",
        &[&interview_id, &skill_id],
    )?;
    touch(c, interview_id)
}

/// Removes a skill from an interview. `NotFound` when the interview does not have that skill;
/// `Invalid` when it is the interview's last skill (an interview is about at least one skill);
/// `Conflict` once the interview has started.
pub fn remove_skill_from_interview(
    c: &mut PgTx<'_>,
    interview_id: &str,
    skill_id: SkillId,
) -> Result<()> {
    lock_interview(c, interview_id)?;
    ensure_skills_changeable(c, interview_id)?;
    let (count, has_it) = skill_count_and_membership(c, interview_id, skill_id)?;
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
    c.execute(
        "DELETE FROM interview_skills WHERE interview_id = $1 AND skill_id = $2",
        &[&interview_id, &skill_id],
    )?;
    touch(c, interview_id)
}

/// Links `skill_ids` (already checked) to the interview, in one statement.
fn insert_skills(c: &mut PgTx<'_>, interview_id: &str, skill_ids: &[SkillId]) -> Result<()> {
    let ids: Vec<i64> = skill_ids.iter().map(|i| i.0).collect();
    c.execute(
        "INSERT INTO interview_skills (interview_id, skill_id) SELECT $1::text, unnest($2::bigint[])",
        &[&interview_id, &ids],
    )?;
    Ok(())
}

/// Makes `skill_ids` (already checked) the interview's skills, inside the caller's transaction.
fn replace_skills(c: &mut PgTx<'_>, interview_id: &str, skill_ids: &[SkillId]) -> Result<()> {
    c.execute(
        "DELETE FROM interview_skills WHERE interview_id = $1",
        &[&interview_id],
    )?;
    insert_skills(c, interview_id, skill_ids)
}

/// Changes an interview's type and skills together (the edit form). `Conflict` once the
/// interview has started.
pub fn set_type_and_skills(
    c: &mut PgTx<'_>,
    interview_id: &str,
    interview_type_id: InterviewTypeId,
    skill_ids: &[SkillId],
) -> Result<Interview> {
    let skill_ids = checked_skill_ids(skill_ids)?;
    lock_interview(c, interview_id)?;
    ensure_skills_changeable(c, interview_id)?;
    ensure_type_exists(c, interview_type_id)?;
    ensure_skills_exist(c, &skill_ids)?;
    c.execute(
        "UPDATE interviews SET interview_type_id = $2 WHERE interview_id = $1",
        &[&interview_id, &interview_type_id],
    )?;
    replace_skills(c, interview_id, &skill_ids)?;
    touch(c, interview_id)?;
    get_interview(c, interview_id)
}

/// Sets an interview's type — how older interviews get categorised (plan §6); `Conflict` when
/// it would change the type of an interview that has started.
pub fn set_interview_type_for_interview(
    c: &mut PgTx<'_>,
    interview_id: &str,
    interview_type_id: InterviewTypeId,
) -> Result<()> {
    lock_interview(c, interview_id)?;
    ensure_type_settable(c, interview_id, interview_type_id)?;
    ensure_type_exists(c, interview_type_id)?;
    c.execute(
        "UPDATE interviews SET interview_type_id = $2, updated_at = pp_now()
         WHERE interview_id = $1",
        &[&interview_id, &interview_type_id],
    )?;
    Ok(())
}

/// Renames an interview and/or sets its type; `None` leaves a field as it is.
pub fn update_interview(
    c: &mut PgTx<'_>,
    interview_id: &str,
    title: Option<&str>,
    interview_type_id: Option<InterviewTypeId>,
) -> Result<Interview> {
    let title = title
        .map(|t| checked_text("title", t, MAX_TITLE_CHARS))
        .transpose()?;
    lock_interview(c, interview_id)?;
    ensure_interview_exists(c, interview_id)?;
    if let Some(type_id) = interview_type_id {
        ensure_type_settable(c, interview_id, type_id)?;
        ensure_type_exists(c, type_id)?;
    }
    c.execute(
        "UPDATE interviews SET title = coalesce($2::text, title),
             interview_type_id = coalesce($3::bigint, interview_type_id), updated_at = pp_now()
         WHERE interview_id = $1",
        &[&interview_id, &title, &interview_type_id],
    )?;
    get_interview(c, interview_id)
}

/// Moves an interview to `next`, refusing transitions the lifecycle does not allow
/// ([`InterviewStatus::can_become`]). Starting sets `started_at` (once); completing sets
/// `completed_at`.
pub fn set_interview_status(
    c: &mut PgTx<'_>,
    interview_id: &str,
    next: InterviewStatus,
) -> Result<Interview> {
    lock_interview(c, interview_id)?;
    let current = interview_status(c, interview_id)?;
    if !current.can_become(next) {
        return Err(StoreError::Conflict(format!(
            "an interview that is {} cannot become {}",
            current.label().to_lowercase(),
            next.label().to_lowercase()
        )));
    }
    // One `pp_now()` for every time set here, as SQLite's 'now' is one value in a statement.
    c.execute(
        "UPDATE interviews SET status = $2::text, updated_at = now_.t,
             started_at = CASE WHEN $2::text = 'in_progress' THEN coalesce(started_at, now_.t)
                               ELSE started_at END,
             completed_at = CASE WHEN $2::text = 'completed' THEN now_.t ELSE completed_at END
         FROM (SELECT pp_now() AS t) AS now_
         WHERE interview_id = $1",
        &[&interview_id, &next.as_str()],
    )?;
    get_interview(c, interview_id)
}

/// Deletes an interview; its skill links, messages, question rows and feedback go with it.
pub fn delete_interview(c: &mut PgTx<'_>, interview_id: &str) -> Result<()> {
    let deleted = c.execute(
        "DELETE FROM interviews WHERE interview_id = $1",
        &[&interview_id],
    )?;
    if deleted == 0 {
        return Err(StoreError::NotFound(format!("interview {interview_id}")));
    }
    Ok(())
}

/// One page of a user's interviews, newest first, with the total that match.
///
/// Three queries whatever the page size: the count, the page, and the skills of the page's
/// interviews. Filters combine with AND; `skill_ids` keeps interviews that have all of them.
pub fn list_interviews(
    c: &mut PgTx<'_>,
    user_id: &str,
    filter: &InterviewFilter,
) -> Result<InterviewPage> {
    let per_page = match filter.per_page {
        0 => DEFAULT_PER_PAGE,
        n => n.min(MAX_PER_PAGE),
    };
    let page = filter.page.max(1);

    // Only fixed SQL fragments are assembled here; every value is a bound parameter.
    let mut conditions = vec!["i.user_id = $1".to_owned()];
    let mut args: Vec<Box<dyn ToSql + Sync>> = vec![Box::new(user_id.to_owned())];
    if let Some(type_id) = filter.interview_type_id {
        args.push(Box::new(type_id));
        conditions.push(format!("i.interview_type_id = ${}", args.len()));
    }
    if let Some(status) = filter.status {
        args.push(Box::new(status.as_str().to_owned()));
        conditions.push(format!("i.status = ${}", args.len()));
    }
    if let Some(query) = filter
        .title_query
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
    {
        args.push(Box::new(like_pattern(query)));
        // ILIKE: SQLite's LIKE ignores (ASCII) case.
        conditions.push(format!("i.title ILIKE ${} ESCAPE '\\'", args.len()));
    }
    let mut skill_ids: Vec<i64> = filter.skill_ids.iter().map(|i| i.0).collect();
    skill_ids.sort_unstable();
    skill_ids.dedup();
    if !skill_ids.is_empty() {
        let wanted = skill_ids.len() as i64;
        args.push(Box::new(skill_ids));
        let n = args.len();
        args.push(Box::new(wanted));
        conditions.push(format!(
            "i.interview_id IN (SELECT interview_id FROM interview_skills
                                WHERE skill_id = ANY(${n})
                                GROUP BY interview_id HAVING count(*) = ${})",
            n + 1
        ));
    }
    let where_sql = conditions.join(" AND ");

    let params: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a.as_ref()).collect();
    let total: i64 = c
        .query_one(
            &format!("SELECT count(*) FROM interviews i WHERE {where_sql}"),
            &params,
        )?
        .try_get(0)?;

    let limit_at = args.len() + 1;
    let limit = i64::from(per_page);
    let offset = i64::from(page - 1) * i64::from(per_page);
    let mut page_params = params;
    page_params.push(&limit);
    page_params.push(&offset);
    // Newest first; ties (one millisecond) by id, newest first: the ids are UUIDv7, in the
    // order they were made, where SQLite broke ties by rowid. SQLite's deferred join paged
    // over its (user_id, created_at) index alone; PostgreSQL's index holds no interview_id, so
    // one plain query reads the same rows.
    let rows = c.query(
        &format!(
            "SELECT {INTERVIEW_COLUMNS} FROM interviews i
             LEFT JOIN interview_types t ON t.interview_type_id = i.interview_type_id
             WHERE {where_sql}
             ORDER BY i.created_at DESC, i.interview_id COLLATE \"C\" DESC
             LIMIT ${limit_at} OFFSET ${}",
            limit_at + 1
        ),
        &page_params,
    )?;
    let mut interviews = rows
        .iter()
        .map(interview_from_row)
        .collect::<Result<Vec<_>>>()?;

    if !interviews.is_empty() {
        let ids: Vec<&str> = interviews.iter().map(|i| i.id.as_str()).collect();
        let links = c
            .query(
                "SELECT l.interview_id, s.skill_id, s.skill_name, s.description, l.difficulty_level
                 FROM interview_skills l JOIN skills s ON s.skill_id = l.skill_id
                 WHERE l.interview_id = ANY($1)",
                &[&ids],
            )?
            .iter()
            .map(|row| {
                let skill = Skill {
                    id: row.try_get(1)?,
                    name: row.try_get(2)?,
                    description: row.try_get(3)?,
                };
                Ok((row.try_get(0)?, skill, row.try_get(4)?))
            })
            .collect::<Result<_>>()?;
        crate::store::attach_skills(&mut interviews, links)?;
    }

    Ok(InterviewPage {
        interviews,
        total: total as u64,
        page,
        per_page,
    })
}
