//! Interview types, skills, the type → suggested-skill links and the question bank
//! (plan §3.1).

use super::{Result, StoreError, checked_optional_text, checked_text, id_array};
use crate::model::{InterviewType, Question, Skill};
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

pub const MAX_NAME_CHARS: usize = 60;
pub const MAX_DESCRIPTION_CHARS: usize = 500;

fn interview_type_from_row(row: &Row<'_>) -> rusqlite::Result<InterviewType> {
    Ok(InterviewType {
        id: row.get(0)?,
        name: row.get(1)?,
        description: row.get(2)?,
    })
}

pub(crate) fn skill_from_row(row: &Row<'_>) -> rusqlite::Result<Skill> {
    Ok(Skill {
        id: row.get(0)?,
        name: row.get(1)?,
        description: row.get(2)?,
    })
}

fn question_from_row(row: &Row<'_>) -> rusqlite::Result<Question> {
    let difficulty: Option<String> = row.get(3)?;
    Ok(Question {
        id: row.get(0)?,
        skill_id: row.get(1)?,
        text: row.get(2)?,
        // The CHECK constraint admits only the three known names.
        difficulty: difficulty.and_then(|d| d.parse().ok()),
    })
}

/// All interview types, by name.
pub fn get_interview_types(conn: &Connection) -> Result<Vec<InterviewType>> {
    let mut stmt = conn.prepare_cached(
        "SELECT interview_type_id, type_name, description FROM Interview_Types
         ORDER BY type_name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([], interview_type_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One interview type, or `None` when there is no such id.
pub fn get_interview_type_by_id(conn: &Connection, id: i64) -> Result<Option<InterviewType>> {
    let mut stmt = conn.prepare_cached(
        "SELECT interview_type_id, type_name, description FROM Interview_Types
         WHERE interview_type_id = ?1",
    )?;
    Ok(stmt.query_row([id], interview_type_from_row).optional()?)
}

/// Creates an interview type. Names are trimmed and unique regardless of case.
pub fn create_interview_type(
    conn: &mut Connection,
    name: &str,
    description: Option<&str>,
) -> Result<InterviewType> {
    let name = checked_text("interview type name", name, MAX_NAME_CHARS)?;
    let description = checked_optional_text("description", description, MAX_DESCRIPTION_CHARS)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let taken: bool = tx.query_row(
        "SELECT EXISTS(SELECT 1 FROM Interview_Types WHERE type_name = ?1 COLLATE NOCASE)",
        [&name],
        |r| r.get(0),
    )?;
    if taken {
        return Err(StoreError::Duplicate {
            entity: "interview type name",
            name,
        });
    }
    let created = tx.query_row(
        "INSERT INTO Interview_Types (type_name, description) VALUES (?1, ?2)
         RETURNING interview_type_id, type_name, description",
        params![name, description],
        interview_type_from_row,
    )?;
    tx.commit()?;
    Ok(created)
}

/// All skills, by name.
pub fn get_skills(conn: &Connection) -> Result<Vec<Skill>> {
    let mut stmt = conn.prepare_cached(
        "SELECT skill_id, skill_name, description FROM Skills ORDER BY skill_name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([], skill_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One skill, or `None` when there is no such id.
pub fn get_skill_by_id(conn: &Connection, id: i64) -> Result<Option<Skill>> {
    let mut stmt = conn.prepare_cached(
        "SELECT skill_id, skill_name, description FROM Skills WHERE skill_id = ?1",
    )?;
    Ok(stmt.query_row([id], skill_from_row).optional()?)
}

/// Creates a skill. Names are trimmed and unique regardless of case.
pub fn create_skill(conn: &mut Connection, name: &str, description: Option<&str>) -> Result<Skill> {
    let name = checked_text("skill name", name, MAX_NAME_CHARS)?;
    let description = checked_optional_text("description", description, MAX_DESCRIPTION_CHARS)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let taken: bool = tx.query_row(
        "SELECT EXISTS(SELECT 1 FROM Skills WHERE skill_name = ?1 COLLATE NOCASE)",
        [&name],
        |r| r.get(0),
    )?;
    if taken {
        return Err(StoreError::Duplicate {
            entity: "skill name",
            name,
        });
    }
    let created = tx.query_row(
        "INSERT INTO Skills (skill_name, description) VALUES (?1, ?2)
         RETURNING skill_id, skill_name, description",
        params![name, description],
        skill_from_row,
    )?;
    tx.commit()?;
    Ok(created)
}

/// Deletes a skill. Its interview links and suggestions go with it (ON DELETE CASCADE); its
/// questions stay in the bank with no skill (ON DELETE SET NULL).
pub fn delete_skill(conn: &mut Connection, id: i64) -> Result<()> {
    let deleted = conn.execute("DELETE FROM Skills WHERE skill_id = ?1", [id])?;
    if deleted == 0 {
        return Err(StoreError::NotFound(format!("skill {id}")));
    }
    Ok(())
}

/// The skills suggested for an interview type, by name. An unknown type is `NotFound`, so a
/// caller can tell it from a type that simply has no suggestions.
pub fn get_suggested_skills_for_type(
    conn: &Connection,
    interview_type_id: i64,
) -> Result<Vec<Skill>> {
    if get_interview_type_by_id(conn, interview_type_id)?.is_none() {
        return Err(StoreError::NotFound(format!(
            "interview type {interview_type_id}"
        )));
    }
    let mut stmt = conn.prepare_cached(
        "SELECT s.skill_id, s.skill_name, s.description
         FROM Interview_Type_Suggested_Skills l JOIN Skills s ON s.skill_id = l.skill_id
         WHERE l.interview_type_id = ?1
         ORDER BY s.skill_name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([interview_type_id], skill_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Easy before medium before hard; questions without a difficulty last.
const DIFFICULTY_RANK_SQL: &str = "CASE q.difficulty_level WHEN 'easy' THEN 0 \
     WHEN 'medium' THEN 1 WHEN 'hard' THEN 2 ELSE 3 END";

/// The bank's questions for any of `skill_ids`, ordered by skill id, then difficulty (easy
/// first), then question id. Ids that match no skill contribute nothing.
pub fn get_questions_by_skill_ids(conn: &Connection, skill_ids: &[i64]) -> Result<Vec<Question>> {
    get_questions_by_interview_type_and_skill_ids(conn, None, skill_ids)
}

/// The question pool for an interview of type `interview_type_id` on `skill_ids`.
///
/// - With skills: the questions of those skills. When a type is given, the skills it suggests
///   come first, so a caller that takes a prefix gets the type's core skills.
/// - With no skills and a type: the questions of the type's suggested skills.
/// - With neither: nothing.
///
/// Within that, the order is fixed — skill id, then difficulty (easy, medium, hard), then
/// question id — so the same inputs always give the same list. Questions whose skill was
/// deleted have no skill and are never returned. An unknown type is `NotFound`.
pub fn get_questions_by_interview_type_and_skill_ids(
    conn: &Connection,
    interview_type_id: Option<i64>,
    skill_ids: &[i64],
) -> Result<Vec<Question>> {
    if let Some(type_id) = interview_type_id
        && get_interview_type_by_id(conn, type_id)?.is_none()
    {
        return Err(StoreError::NotFound(format!("interview type {type_id}")));
    }
    if skill_ids.is_empty() && interview_type_id.is_none() {
        return Ok(Vec::new());
    }
    // ?1 is the chosen skills (a JSON array), or NULL for "the type's suggestions".
    let chosen = (!skill_ids.is_empty()).then(|| id_array(skill_ids));
    let sql = format!(
        "WITH suggested(skill_id) AS (
             SELECT skill_id FROM Interview_Type_Suggested_Skills WHERE interview_type_id = ?2
         ),
         chosen(skill_id) AS (
             SELECT value FROM json_each(?1) WHERE ?1 IS NOT NULL
             UNION SELECT skill_id FROM suggested WHERE ?1 IS NULL
         )
         SELECT q.question_id, q.skill_id, q.question_text, q.difficulty_level
         FROM Questions q
         WHERE q.skill_id IN chosen
         ORDER BY q.skill_id NOT IN suggested, q.skill_id, {DIFFICULTY_RANK_SQL}, q.question_id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![chosen, interview_type_id], question_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
