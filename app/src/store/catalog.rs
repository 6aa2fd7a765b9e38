//! Interview types, skills, the type → suggested-skill links and the question bank
//! (plan §3.1).

use super::{Result, StoreError, checked_optional_text, checked_text, id_array};
use crate::model::{
    Difficulty, InterviewType, InterviewTypeId, KeyPoint, Probe, Question, QuestionId, Rubric,
    Skill, SkillId,
};
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use std::collections::HashMap;

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
        theme: row.get(4)?,
        for_type: row.get(5)?,
    })
}

/// The columns [`question_from_row`] reads, with the type tag checked against the statement's
/// parameter `type_param` (e.g. `"?2"`; NULL tags nothing).
pub(crate) fn question_columns(type_param: &str) -> String {
    format!(
        "q.question_id, q.skill_id, q.question_text, q.difficulty_level, q.theme,
         EXISTS(SELECT 1 FROM Question_Interview_Types qt
                WHERE qt.question_id = q.question_id AND qt.interview_type_id = {type_param})"
    )
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
pub fn get_interview_type_by_id(
    conn: &Connection,
    id: InterviewTypeId,
) -> Result<Option<InterviewType>> {
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
    create_named(
        conn,
        &INTERVIEW_TYPES,
        name,
        description,
        interview_type_from_row,
    )
}

/// A table of named, described things: interview types and skills share their rules.
struct NamedTable {
    table: &'static str,
    id: &'static str,
    name: &'static str,
    entity: &'static str,
}

const INTERVIEW_TYPES: NamedTable = NamedTable {
    table: "Interview_Types",
    id: "interview_type_id",
    name: "type_name",
    entity: "interview type name",
};

const SKILLS: NamedTable = NamedTable {
    table: "Skills",
    id: "skill_id",
    name: "skill_name",
    entity: "skill name",
};

/// Inserts a named row after checking the name (trimmed, 1–60 characters, unique regardless
/// of case) and the description, in one write transaction.
fn create_named<T>(
    conn: &mut Connection,
    t: &NamedTable,
    name: &str,
    description: Option<&str>,
    from_row: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<T> {
    let name = checked_text(t.entity, name, MAX_NAME_CHARS)?;
    let description = checked_optional_text("description", description, MAX_DESCRIPTION_CHARS)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Table and column names come from the constants above, never from input.
    let taken: bool = tx.query_row(
        &format!(
            "SELECT EXISTS(SELECT 1 FROM {} WHERE {} = ?1 COLLATE NOCASE)",
            t.table, t.name
        ),
        [&name],
        |r| r.get(0),
    )?;
    if taken {
        return Err(StoreError::Duplicate {
            entity: t.entity,
            name,
        });
    }
    let created = tx.query_row(
        &format!(
            "INSERT INTO {} ({}, description) VALUES (?1, ?2) RETURNING {}, {}, description",
            t.table, t.name, t.id, t.name
        ),
        params![name, description],
        from_row,
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
pub fn get_skill_by_id(conn: &Connection, id: SkillId) -> Result<Option<Skill>> {
    let mut stmt = conn.prepare_cached(
        "SELECT skill_id, skill_name, description FROM Skills WHERE skill_id = ?1",
    )?;
    Ok(stmt.query_row([id], skill_from_row).optional()?)
}

/// Creates a skill. Names are trimmed and unique regardless of case.
pub fn create_skill(conn: &mut Connection, name: &str, description: Option<&str>) -> Result<Skill> {
    create_named(conn, &SKILLS, name, description, skill_from_row)
}

/// Deletes a skill. Its interview links and suggestions go with it (ON DELETE CASCADE); its
/// questions stay in the bank with no skill (ON DELETE SET NULL).
pub fn delete_skill(conn: &mut Connection, id: SkillId) -> Result<()> {
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
    interview_type_id: InterviewTypeId,
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
pub fn get_questions_by_skill_ids(
    conn: &Connection,
    skill_ids: &[SkillId],
) -> Result<Vec<Question>> {
    get_questions_by_interview_type_and_skill_ids(conn, None, skill_ids)
}

/// The question pool for an interview of type `interview_type_id` on `skill_ids`.
///
/// Each question carries its theme and whether it is tagged with the given type
/// (`Question::for_type`), which the question plan prefers.
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
    interview_type_id: Option<InterviewTypeId>,
    skill_ids: &[SkillId],
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
    let mut stmt = conn.prepare_cached(&format!(
        "WITH suggested(skill_id) AS (
             SELECT skill_id FROM Interview_Type_Suggested_Skills WHERE interview_type_id = ?2
         ),
         chosen(skill_id) AS (
             SELECT value FROM json_each(?1) WHERE ?1 IS NOT NULL
             UNION SELECT skill_id FROM suggested WHERE ?1 IS NULL
         )
         SELECT {}
         FROM Questions q
         WHERE q.skill_id IN chosen
         ORDER BY q.skill_id NOT IN suggested, q.skill_id, {DIFFICULTY_RANK_SQL}, q.question_id",
        question_columns("?2")
    ))?;
    let rows = stmt.query_map(params![chosen, interview_type_id], question_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Up to `limit` questions of one skill (and difficulty, when given), none of them in
/// `exclude`, in question-id order from a point chosen by `seed`, wrapping around to the start
/// of the skill's range. Each carries its theme and whether it is tagged with `type_id`.
///
/// The same arguments give the same questions; different seeds start at different places. The
/// reads are index seeks, so the cost does not grow with the size of the bank.
pub fn sample_questions(
    conn: &Connection,
    skill_id: SkillId,
    difficulty: Option<Difficulty>,
    type_id: Option<InterviewTypeId>,
    seed: u64,
    limit: usize,
    exclude: &[QuestionId],
) -> Result<Vec<Question>> {
    // Two forms rather than `(?2 IS NULL OR …)`, which would hide the index from SQLite's
    // min/max optimisation and turn each seek into a scan of the skill's range.
    let level_sql = if difficulty.is_some() {
        "AND difficulty_level = ?2"
    } else {
        "AND ?2 IS NULL"
    };
    let level = difficulty.map(Difficulty::as_str);
    let (lowest, highest): (Option<i64>, Option<i64>) = conn
        .prepare_cached(&format!(
            "SELECT (SELECT min(question_id) FROM Questions WHERE skill_id = ?1 {level_sql}),
                    (SELECT max(question_id) FROM Questions WHERE skill_id = ?1 {level_sql})"
        ))?
        .query_row(params![skill_id, level], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let (Some(lowest), Some(highest)) = (lowest, highest) else {
        return Ok(Vec::new());
    };
    let span = (highest - lowest + 1) as u64;
    let start = lowest + (seed % span) as i64;
    let excluded = id_array(exclude);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {}
         FROM Questions q
         WHERE skill_id = ?1 {level_sql}
           AND question_id >= ?3 AND question_id < ?4
           AND question_id NOT IN (SELECT value FROM json_each(?5))
         ORDER BY question_id LIMIT ?6",
        question_columns("?7")
    ))?;
    let mut read = |from: i64, to: i64, n: usize| -> Result<Vec<Question>> {
        let rows = stmt.query_map(
            params![skill_id, level, from, to, excluded, n as i64, type_id],
            question_from_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let mut picked = read(start, highest + 1, limit)?;
    if picked.len() < limit {
        picked.extend(read(lowest, start, limit - picked.len())?);
    }
    Ok(picked)
}

/// The questions an interview's plan is chosen from, without reading whole skills: for each
/// skill (the type's suggested skills first, as in
/// [`get_questions_by_interview_type_and_skill_ids`]), up to `per_skill` questions the user has
/// not met recently, from a point chosen by `seed` — of the chosen difficulty when it is fixed
/// or adaptive (the skill's level in `levels`; others only when the skill runs short of it),
/// of any difficulty when it is mixed. Where
/// that takes every fresh question of a skill (the pool is small), the skill's recent questions
/// are added too, so the plan can fall back on them exactly as it would with the whole pool.
/// The cost is one or two index seeks per skill, whatever the bank's size.
pub fn question_candidates(
    conn: &Connection,
    interview_type_id: Option<InterviewTypeId>,
    skill_ids: &[SkillId],
    difficulty: crate::model::DifficultyPlan<'_>,
    seed: u64,
    per_skill: usize,
    recent: &[QuestionId],
) -> Result<Vec<Question>> {
    let suggested: Vec<SkillId> = match interview_type_id {
        Some(t) => get_suggested_skills_for_type(conn, t)?
            .into_iter()
            .map(|s| s.id)
            .collect(),
        None => Vec::new(),
    };
    gather_candidates(
        &suggested,
        skill_ids,
        difficulty,
        seed,
        per_skill,
        recent,
        |fetch| match fetch {
            Fetch::Sample { skill, level, seed } => sample_questions(
                conn,
                skill,
                level,
                interview_type_id,
                seed,
                per_skill,
                recent,
            ),
            Fetch::Met(skill) => {
                let mut met = conn.prepare_cached(&format!(
                    "SELECT {}
                     FROM json_each(?2) AS r JOIN Questions q ON q.question_id = r.value
                     WHERE q.skill_id = ?1",
                    question_columns("?3")
                ))?;
                met.query_map(
                    params![skill, id_array(recent), interview_type_id],
                    question_from_row,
                )?
                .map(|q| q.map_err(Into::into))
                .collect()
            }
        },
    )
}

/// What [`gather_candidates`] asks its store for.
pub(crate) enum Fetch {
    /// Up to `per_skill` fresh questions of `skill` (of `level`, or any), from a point `seed`
    /// chooses.
    Sample {
        skill: SkillId,
        level: Option<crate::model::Difficulty>,
        seed: u64,
    },
    /// The skill's questions the user met recently.
    Met(SkillId),
}

/// [`question_candidates`]' rules, for either store's queries (`fetch`): the skills in order
/// (the type's `suggested` ones first), each sampled at its level, falling back on the other
/// levels and then on recent questions when it runs short; the pool in the order the plan
/// expects.
pub(crate) fn gather_candidates(
    suggested: &[SkillId],
    skill_ids: &[SkillId],
    difficulty: crate::model::DifficultyPlan<'_>,
    seed: u64,
    per_skill: usize,
    recent: &[QuestionId],
    mut fetch: impl FnMut(Fetch) -> Result<Vec<Question>>,
) -> Result<Vec<Question>> {
    let mut skills: Vec<SkillId> = if skill_ids.is_empty() {
        suggested.to_vec()
    } else {
        skill_ids.to_vec()
    };
    skills.sort_by_key(|s| (!suggested.contains(s), *s));
    skills.dedup();
    let mut out = Vec::new();
    for (k, skill) in skills.iter().enumerate() {
        let level = difficulty.level_for(*skill);
        let seed = seed.wrapping_add(k as u64 * 0x9e37_79b9);
        let skill = *skill;
        let mut got = fetch(Fetch::Sample { skill, level, seed })?;
        // Fewer than asked for: that was every fresh question there is.
        let mut whole = got.len() < per_skill;
        if level.is_some() && whole {
            // Short of the chosen difficulty: the others, for the plan to fall back on.
            let any = fetch(Fetch::Sample {
                skill,
                level: None,
                seed,
            })?;
            whole = any.len() < per_skill;
            got.extend(any);
        }
        out.extend(got);
        if whole && !recent.is_empty() {
            out.extend(fetch(Fetch::Met(skill))?);
        }
    }
    // The pool order the plan expects: skill (as above), then difficulty, then id.
    let rank = |q: &Question| {
        (
            skills.iter().position(|s| Some(*s) == q.skill_id),
            crate::model::difficulty_rank(q.difficulty),
            q.id,
        )
    };
    out.sort_by_key(rank);
    out.dedup_by_key(|q| q.id);
    Ok(out)
}

/// Questions by id, in the order of `ids`; ids that are not in the bank are left out.
pub fn get_questions_by_ids(conn: &Connection, ids: &[QuestionId]) -> Result<Vec<Question>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {}
         FROM json_each(?1) AS wanted JOIN Questions q ON q.question_id = wanted.value
         ORDER BY wanted.key",
        question_columns("NULL")
    ))?;
    let rows = stmt.query_map([id_array(ids)], question_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The rubrics of the given bank questions, by question id. A question without key points has
/// no rubric (the judge then says it cannot assess it); ids not in the bank are left out.
pub fn question_rubrics(
    conn: &Connection,
    ids: &[QuestionId],
) -> Result<HashMap<QuestionId, Rubric>> {
    let wanted = id_array(ids);
    let mut rubrics: HashMap<QuestionId, Rubric> = HashMap::new();
    let mut points = conn.prepare_cached(
        "SELECT k.question_id, k.point, k.phrases, q.model_answer, q.hint
         FROM json_each(?1) AS w
         JOIN Question_Key_Points k ON k.question_id = w.value
         JOIN Questions q ON q.question_id = k.question_id
         ORDER BY k.question_id, k.position",
    )?;
    let rows = points.query_map([&wanted], |r| {
        Ok((
            r.get::<_, QuestionId>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<String>>(4)?,
        ))
    })?;
    for row in rows {
        let (id, point, phrases, model_answer, hint) = row?;
        let phrases: Vec<String> = serde_json::from_str(&phrases).map_err(|e| {
            StoreError::Internal(format!("question {id} has malformed key phrases: {e}"))
        })?;
        let rubric = rubrics.entry(id).or_insert_with(|| Rubric {
            model_answer: model_answer.unwrap_or_default(),
            hint: hint.unwrap_or_default(),
            ..Rubric::default()
        });
        rubric.key_points.push(KeyPoint { point, phrases });
    }
    let mut probes = conn.prepare_cached(
        "SELECT p.question_id, p.probe_text, p.key_point
         FROM json_each(?1) AS w JOIN Question_Probes p ON p.question_id = w.value
         ORDER BY p.question_id, p.position",
    )?;
    let rows = probes.query_map([&wanted], |r| {
        Ok((
            r.get::<_, QuestionId>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    for row in rows {
        let (id, text, key_point) = row?;
        if let Some(rubric) = rubrics.get_mut(&id) {
            // Stored 1-based, like the positions it names.
            let key_point = usize::try_from(key_point - 1).unwrap_or(0);
            rubric.probes.push(Probe { text, key_point });
        }
    }
    Ok(rubrics)
}

/// Which of a setup's type and skills exist, in one query: the known type (if `type_id` is
/// one) and the known skills among `skill_ids`.
pub fn known_catalogue_ids(
    conn: &Connection,
    type_id: Option<InterviewTypeId>,
    skill_ids: &[SkillId],
) -> Result<(Vec<InterviewTypeId>, Vec<SkillId>)> {
    let mut stmt = conn.prepare_cached(
        "SELECT 0, interview_type_id FROM Interview_Types WHERE interview_type_id = ?1
         UNION ALL
         SELECT 1, skill_id FROM Skills WHERE skill_id IN (SELECT value FROM json_each(?2))",
    )?;
    let mut rows = stmt.query(params![type_id, id_array(skill_ids)])?;
    let (mut types, mut skills) = (Vec::new(), Vec::new());
    while let Some(row) = rows.next()? {
        let (kind, id): (i64, i64) = (row.get(0)?, row.get(1)?);
        if kind == 0 {
            types.push(InterviewTypeId(id))
        } else {
            skills.push(SkillId(id))
        }
    }
    Ok((types, skills))
}

/// Every skill with its name and aliases (lower-case), and every type with its name and the
/// skills it suggests: what a job ad is matched against (`jobad::match_job_ad`). Skills by name, aliases
/// longest first, types by id.
pub fn job_ad_terms(conn: &Connection) -> Result<crate::jobad::Terms> {
    let mut terms = crate::jobad::Terms::default();
    let mut stmt = conn.prepare_cached(
        "SELECT s.skill_id, s.skill_name, a.alias
         FROM Skills s LEFT JOIN Skill_Aliases a ON a.skill_id = s.skill_id
         ORDER BY s.skill_name COLLATE NOCASE, s.skill_id, length(a.alias) DESC, a.alias",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let (id, name, alias): (SkillId, String, Option<String>) =
            (row.get(0)?, row.get(1)?, row.get(2)?);
        if terms.skills.last().is_none_or(|(last, _, _)| *last != id) {
            terms.skills.push((id, name, Vec::new()));
        }
        if let (Some(alias), Some((_, _, aliases))) = (alias, terms.skills.last_mut()) {
            aliases.push(alias.to_lowercase());
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT t.interview_type_id, t.type_name, l.skill_id
         FROM Interview_Types t
         LEFT JOIN Interview_Type_Suggested_Skills l ON l.interview_type_id = t.interview_type_id
         ORDER BY t.interview_type_id, l.skill_id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let (type_id, name, skill_id): (InterviewTypeId, String, Option<SkillId>) =
            (row.get(0)?, row.get(1)?, row.get(2)?);
        if terms
            .types
            .last()
            .is_none_or(|(last, _, _)| *last != type_id)
        {
            terms.types.push((type_id, name, Vec::new()));
        }
        if let (Some(skill_id), Some((_, _, skills))) = (skill_id, terms.types.last_mut()) {
            skills.push(skill_id);
        }
    }
    Ok(terms)
}
