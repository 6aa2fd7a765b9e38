//! Interview types, skills, the type → suggested-skill links and the question bank, as
//! `store/catalog.rs` (whose column list for questions both use). Only what the app reads at
//! run time: the catalogue-editing functions (`create_interview_type`, `create_skill`,
//! `delete_skill`) and the test-only pool readers are SQLite-only for now.
//!
//! Names are ordered as SQLite's `COLLATE NOCASE` orders them: `lower(name) COLLATE "C"`,
//! bytewise on the lower-cased text, whatever the database's own collation (a linguistic one
//! would skip spaces and punctuation, and put "C#" and "C++" elsewhere). The one difference:
//! PostgreSQL's `lower` also folds non-ASCII letters, which NOCASE leaves alone.
//!
//! Lists of ids are one parameter, a slice of typed ids (a BIGINT[], through the ids'
//! `ToSql`), matched with `= ANY($n)` where SQLite read a JSON array with `json_each`.

use super::PgTx;
use crate::model::{
    Difficulty, InterviewType, InterviewTypeId, KeyPoint, Probe, Question, QuestionId, Rubric,
    Skill, SkillId,
};
use crate::store::{Fetch, Result, StoreError, question_columns};
use std::collections::HashMap;

pub(crate) fn interview_type_from_row(row: &postgres::Row) -> InterviewType {
    InterviewType {
        id: row.get(0),
        name: row.get(1),
        description: row.get(2),
    }
}

/// A skill from (skill_id, skill_name, description).
pub(crate) fn skill_from_row(row: &postgres::Row) -> Skill {
    Skill {
        id: row.get(0),
        name: row.get(1),
        description: row.get(2),
    }
}

/// A question from the columns of [`question_columns`].
pub(crate) fn question_from_row(row: &postgres::Row) -> Question {
    let difficulty: Option<String> = row.get(3);
    Question {
        id: row.get(0),
        skill_id: row.get(1),
        text: row.get(2),
        // The CHECK constraint admits only the three known names.
        difficulty: difficulty.and_then(|d| d.parse().ok()),
        theme: row.get(4),
        for_type: row.get(5),
    }
}

/// All interview types, by name.
pub fn get_interview_types(c: &mut PgTx<'_>) -> Result<Vec<InterviewType>> {
    Ok(c.query(
        r#"SELECT interview_type_id, type_name, description FROM interview_types
           ORDER BY lower(type_name) COLLATE "C""#,
        &[],
    )?
    .iter()
    .map(interview_type_from_row)
    .collect())
}

/// One interview type, or `None` when there is no such id.
pub fn get_interview_type_by_id(
    c: &mut PgTx<'_>,
    id: InterviewTypeId,
) -> Result<Option<InterviewType>> {
    Ok(c.query_opt(
        "SELECT interview_type_id, type_name, description FROM interview_types
         WHERE interview_type_id = $1",
        &[&id],
    )?
    .map(|r| interview_type_from_row(&r)))
}

/// All skills, by name.
pub fn get_skills(c: &mut PgTx<'_>) -> Result<Vec<Skill>> {
    Ok(c.query(
        r#"SELECT skill_id, skill_name, description FROM skills
           ORDER BY lower(skill_name) COLLATE "C""#,
        &[],
    )?
    .iter()
    .map(skill_from_row)
    .collect())
}

/// One skill, or `None` when there is no such id.
pub fn get_skill_by_id(c: &mut PgTx<'_>, id: SkillId) -> Result<Option<Skill>> {
    Ok(c.query_opt(
        "SELECT skill_id, skill_name, description FROM skills WHERE skill_id = $1",
        &[&id],
    )?
    .map(|r| skill_from_row(&r)))
}

/// The skills suggested for an interview type, by name. An unknown type is `NotFound`, so a
/// caller can tell it from a type that simply has no suggestions.
pub fn get_suggested_skills_for_type(
    c: &mut PgTx<'_>,
    interview_type_id: InterviewTypeId,
) -> Result<Vec<Skill>> {
    if get_interview_type_by_id(c, interview_type_id)?.is_none() {
        return Err(StoreError::NotFound(format!(
            "interview type {interview_type_id}"
        )));
    }
    Ok(c.query(
        r#"SELECT s.skill_id, s.skill_name, s.description
           FROM interview_type_suggested_skills l JOIN skills s ON s.skill_id = l.skill_id
           WHERE l.interview_type_id = $1
           ORDER BY lower(s.skill_name) COLLATE "C""#,
        &[&interview_type_id],
    )?
    .iter()
    .map(skill_from_row)
    .collect())
}

/// Up to `limit` questions of one skill (and difficulty, when given), none of them in
/// `exclude`, in question-id order from a point chosen by `seed`, wrapping around to the start
/// of the skill's range; as the SQLite store's.
///
/// The seeded order is the SQLite store's own, so both stores pick the same questions from the
/// same bank: the start is `lowest + seed % (highest - lowest + 1)` over the skill's (and
/// level's) question ids, which spreads evenly over the range for seeds spread evenly; the
/// same seed always gives the same start. The reads are ranges of
/// `idx_questions_skill_difficulty` (skill, level, id), not scans of the bank.
pub fn sample_questions(
    c: &mut PgTx<'_>,
    skill_id: SkillId,
    difficulty: Option<Difficulty>,
    type_id: Option<InterviewTypeId>,
    seed: u64,
    limit: usize,
    exclude: &[QuestionId],
) -> Result<Vec<Question>> {
    // Two forms rather than `($2 IS NULL OR …)`, so each is a plain index range on
    // (skill_id, difficulty_level, question_id). `$2::text`: a bare NULL has no type.
    let level_sql = if difficulty.is_some() {
        "AND difficulty_level = $2::text"
    } else {
        "AND $2::text IS NULL"
    };
    let level = difficulty.map(Difficulty::as_str);
    let row = c.query_one(
        &format!(
            "SELECT (SELECT min(question_id) FROM questions WHERE skill_id = $1 {level_sql}),
                    (SELECT max(question_id) FROM questions WHERE skill_id = $1 {level_sql})"
        ),
        &[&skill_id, &level],
    )?;
    let bounds: (Option<i64>, Option<i64>) = (row.get(0), row.get(1));
    let (Some(lowest), Some(highest)) = bounds else {
        return Ok(Vec::new());
    };
    let span = (highest - lowest + 1) as u64;
    let start = lowest + (seed % span) as i64;
    let sql = format!(
        "SELECT {}
         FROM questions q
         WHERE skill_id = $1 {level_sql}
           AND question_id >= $3 AND question_id < $4
           AND question_id <> ALL($5)
         ORDER BY question_id LIMIT $6",
        question_columns("$7")
    );
    let mut read = |from: i64, to: i64, n: usize| -> Result<Vec<Question>> {
        Ok(c.query(
            &sql,
            &[
                &skill_id,
                &level,
                &from,
                &to,
                &exclude,
                &(n as i64),
                &type_id,
            ],
        )?
        .iter()
        .map(question_from_row)
        .collect())
    };
    let mut picked = read(start, highest + 1, limit)?;
    if picked.len() < limit {
        picked.extend(read(lowest, start, limit - picked.len())?);
    }
    Ok(picked)
}

/// The questions an interview's plan is chosen from, without reading whole skills; as the
/// SQLite store's: for each skill (the type's suggested skills first), up to `per_skill`
/// questions the user has not met recently, from a point chosen by `seed` — of the chosen
/// difficulty when it is fixed or adaptive (others only when the skill runs short of it), of
/// any difficulty when it is mixed. Where that takes every fresh question of a skill, the
/// skill's recent questions are added too.
pub fn question_candidates(
    c: &mut PgTx<'_>,
    interview_type_id: Option<InterviewTypeId>,
    skill_ids: &[SkillId],
    difficulty: crate::model::DifficultyPlan<'_>,
    seed: u64,
    per_skill: usize,
    recent: &[QuestionId],
) -> Result<Vec<Question>> {
    let suggested: Vec<SkillId> = match interview_type_id {
        Some(t) => get_suggested_skills_for_type(c, t)?
            .into_iter()
            .map(|s| s.id)
            .collect(),
        None => Vec::new(),
    };
    let met_sql = format!(
        "SELECT {} FROM questions q WHERE q.question_id = ANY($2) AND q.skill_id = $1",
        question_columns("$3")
    );
    crate::store::gather_candidates(
        &suggested,
        skill_ids,
        difficulty,
        seed,
        per_skill,
        recent,
        |fetch| match fetch {
            Fetch::Sample { skill, level, seed } => {
                sample_questions(c, skill, level, interview_type_id, seed, per_skill, recent)
            }
            Fetch::Met(skill) => Ok(c
                .query(&met_sql, &[&skill, &recent, &interview_type_id])?
                .iter()
                .map(question_from_row)
                .collect()),
        },
    )
}

/// Questions by id, in the order of `ids`; ids that are not in the bank are left out.
pub fn get_questions_by_ids(c: &mut PgTx<'_>, ids: &[QuestionId]) -> Result<Vec<Question>> {
    // `WITH ORDINALITY` numbers the ids as given, as `json_each`'s key did.
    Ok(c.query(
        &format!(
            "SELECT {}
             FROM unnest($1::bigint[]) WITH ORDINALITY AS wanted(id, n)
             JOIN questions q ON q.question_id = wanted.id
             ORDER BY wanted.n",
            question_columns("NULL")
        ),
        &[&ids],
    )?
    .iter()
    .map(question_from_row)
    .collect())
}

/// The rubrics of the given bank questions, by question id. A question without key points has
/// no rubric (the judge then says it cannot assess it); ids not in the bank are left out.
pub fn question_rubrics(
    c: &mut PgTx<'_>,
    ids: &[QuestionId],
) -> Result<HashMap<QuestionId, Rubric>> {
    let mut rubrics: HashMap<QuestionId, Rubric> = HashMap::new();
    let points = c.query(
        "SELECT k.question_id, k.point, k.phrases, q.model_answer, q.hint
         FROM question_key_points k JOIN questions q ON q.question_id = k.question_id
         WHERE k.question_id = ANY($1)
         ORDER BY k.question_id, k.position",
        &[&ids],
    )?;
    for r in &points {
        let id: QuestionId = r.get(0);
        let phrases: String = r.get(2);
        let phrases: Vec<String> = serde_json::from_str(&phrases).map_err(|e| {
            StoreError::Internal(format!("question {id} has malformed key phrases: {e}"))
        })?;
        let rubric = rubrics.entry(id).or_insert_with(|| Rubric {
            model_answer: r.get::<_, Option<String>>(3).unwrap_or_default(),
            hint: r.get::<_, Option<String>>(4).unwrap_or_default(),
            ..Rubric::default()
        });
        rubric.key_points.push(KeyPoint {
            point: r.get(1),
            phrases,
        });
    }
    let probes = c.query(
        "SELECT question_id, probe_text, key_point FROM question_probes
         WHERE question_id = ANY($1)
         ORDER BY question_id, position",
        &[&ids],
    )?;
    for r in &probes {
        let id: QuestionId = r.get(0);
        if let Some(rubric) = rubrics.get_mut(&id) {
            // Stored 1-based, like the positions it names.
            let key_point = usize::try_from(r.get::<_, i32>(2) - 1).unwrap_or(0);
            rubric.probes.push(Probe {
                text: r.get(1),
                key_point,
            });
        }
    }
    Ok(rubrics)
}

/// Which of a setup's type and skills exist, in one query: the known type (if `type_id` is
/// one) and the known skills among `skill_ids`.
pub fn known_catalogue_ids(
    c: &mut PgTx<'_>,
    type_id: Option<InterviewTypeId>,
    skill_ids: &[SkillId],
) -> Result<(Vec<InterviewTypeId>, Vec<SkillId>)> {
    // Ordered, so the answer does not depend on the plan.
    let rows = c.query(
        "SELECT 0, interview_type_id FROM interview_types WHERE interview_type_id = $1
         UNION ALL
         SELECT 1, skill_id FROM skills WHERE skill_id = ANY($2)
         ORDER BY 1, 2",
        &[&type_id, &skill_ids],
    )?;
    let (mut types, mut skills) = (Vec::new(), Vec::new());
    for row in &rows {
        let (kind, id): (i32, i64) = (row.get(0), row.get(1));
        if kind == 0 {
            types.push(InterviewTypeId(id))
        } else {
            skills.push(SkillId(id))
        }
    }
    Ok((types, skills))
}

/// Every skill with its name and aliases (lower-case), and every type with its name and the
/// skills it suggests: what a job ad is matched against (`jobad::match_job_ad`). Skills by
/// name, aliases longest first, types by id.
pub fn job_ad_terms(c: &mut PgTx<'_>) -> Result<crate::jobad::Terms> {
    let mut terms = crate::jobad::Terms::default();
    // `a.alias COLLATE "C"`: SQLite's BINARY order for aliases of one length.
    let rows = c.query(
        r#"SELECT s.skill_id, s.skill_name, a.alias
           FROM skills s LEFT JOIN skill_aliases a ON a.skill_id = s.skill_id
           ORDER BY lower(s.skill_name) COLLATE "C", s.skill_id, length(a.alias) DESC,
                    a.alias COLLATE "C""#,
        &[],
    )?;
    for row in &rows {
        let (id, name, alias): (SkillId, String, Option<String>) =
            (row.get(0), row.get(1), row.get(2));
        if terms.skills.last().is_none_or(|(last, _, _)| *last != id) {
            terms.skills.push((id, name, Vec::new()));
        }
        if let (Some(alias), Some((_, _, aliases))) = (alias, terms.skills.last_mut()) {
            aliases.push(alias.to_lowercase());
        }
    }
    let rows = c.query(
        "SELECT t.interview_type_id, t.type_name, l.skill_id
         FROM interview_types t
         LEFT JOIN interview_type_suggested_skills l
                ON l.interview_type_id = t.interview_type_id
         ORDER BY t.interview_type_id, l.skill_id",
        &[],
    )?;
    for row in &rows {
        let (type_id, name, skill_id): (InterviewTypeId, String, Option<SkillId>) =
            (row.get(0), row.get(1), row.get(2));
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
