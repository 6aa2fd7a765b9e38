//! A person's ratings over time, per skill: what the progress page charts and what "practise
//! weak skills" chooses from. One query over the completed interviews' reports.

use super::Result;
use crate::model::{SkillId, SkillLevel, UNTITLED};
use crate::progress::{
    ProgressFilter, RatingPoint, SkillProgress, adaptive_level, adaptive_reason,
};
use rusqlite::{Connection, params};

/// Every skill `user_id` has been rated on in completed interviews matching `filter`, by
/// name, each with its ratings oldest first. A skill renamed since shows its new name with its
/// whole history; a deleted skill's ratings went with it (its reports cascade). Unrated skills
/// (nothing answered on them) are left out: there is nothing to chart.
pub fn progress(
    conn: &Connection,
    user_id: &str,
    filter: &ProgressFilter,
) -> Result<Vec<SkillProgress>> {
    // `?3` is a modifier for SQLite's date functions, e.g. '-30 days'.
    let since = filter.days.map(|d| format!("-{d} days"));
    let mut stmt = conn.prepare_cached(
        "SELECT f.skill_id, s.skill_name, i.interview_id, i.title,
                strftime('%Y-%m-%d %H:%M:%S', coalesce(i.completed_at, f.created_at)) AS at,
                f.rating, f.answered
         FROM Interviews i
         JOIN AI_Feedback f ON f.interview_id = i.interview_id
         JOIN Skills s ON s.skill_id = f.skill_id
         WHERE i.user_id = ?1 AND i.status = 'completed' AND f.rating IS NOT NULL
           AND (?2 IS NULL OR i.interview_type_id = ?2)
           AND (?3 IS NULL OR coalesce(i.completed_at, f.created_at)
                              >= strftime('%Y-%m-%d %H:%M:%f', 'now', ?3))
         ORDER BY s.skill_name COLLATE NOCASE, f.skill_id, at, i.interview_id",
    )?;
    let mut rows = stmt.query(params![user_id, filter.interview_type_id, since])?;
    let mut points = Vec::new();
    while let Some(row) = rows.next()? {
        let point = RatingPoint {
            interview_id: row.get(2)?,
            title: row
                .get::<_, Option<String>>(3)?
                .unwrap_or_else(|| UNTITLED.to_owned()),
            at: row.get(4)?,
            rating: row.get(5)?,
            answered: row.get::<_, Option<u32>>(6)?.unwrap_or(0),
        };
        points.push((row.get(0)?, row.get(1)?, point));
    }
    Ok(series(points))
}

/// Ratings (skill, its name, the rating), ordered by skill and then time, as one series per
/// skill.
pub(crate) fn series(points: Vec<(SkillId, String, RatingPoint)>) -> Vec<SkillProgress> {
    let mut out = Vec::new();
    let mut current: Option<(SkillId, String, Vec<RatingPoint>)> = None;
    for (skill_id, name, point) in points {
        match &mut current {
            Some((id, _, points)) if *id == skill_id => points.push(point),
            _ => {
                out.extend(
                    current.take().and_then(|(id, name, points)| {
                        SkillProgress::from_points(id, name, points)
                    }),
                );
                current = Some((skill_id, name, vec![point]));
            }
        }
    }
    out.extend(current.and_then(|(id, name, points)| SkillProgress::from_points(id, name, points)));
    out
}

/// For each of `skills`, the level an adaptive interview would ask it at now, and why
/// (`progress::adaptive_level` over the person's ratings of it, any type, all time).
pub fn adaptive_levels(
    conn: &Connection,
    user_id: &str,
    skills: &[SkillId],
) -> Result<Vec<(SkillLevel, String)>> {
    let rated = progress(conn, user_id, &ProgressFilter::default())?;
    Ok(levels_from(&rated, skills))
}

/// Each of `skills`' adaptive level and why, from the person's progress (`rated`).
pub(crate) fn levels_from(
    rated: &[SkillProgress],
    skills: &[SkillId],
) -> Vec<(SkillLevel, String)> {
    skills
        .iter()
        .map(|&skill_id| {
            let ratings: Vec<u8> = rated
                .iter()
                .find(|p| p.skill_id == skill_id)
                .map(|p| p.points.iter().map(|r| r.rating).collect())
                .unwrap_or_default();
            (
                SkillLevel {
                    skill_id,
                    difficulty: adaptive_level(&ratings),
                },
                adaptive_reason(&ratings),
            )
        })
        .collect()
}
