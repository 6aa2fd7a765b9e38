//! A person's ratings over time, per skill, as `store/progress.rs`: what the progress page
//! charts and what "practise weak skills" chooses from. One query over the completed
//! interviews' reports.

use super::PgTx;
use crate::model::{SkillId, SkillLevel, UNTITLED};
use crate::progress::{ProgressFilter, RatingPoint, SkillProgress};
use crate::store::{Result, StoreError};

/// The longest look back in days the query computes: older than that is all time anyway, and
/// it keeps `now - days` inside PostgreSQL's timestamp range (a client may send any `u32`).
const MAX_DAYS: u32 = 1_000_000;

/// Every skill `user_id` has been rated on in completed interviews matching `filter`, by
/// name, each with its ratings oldest first; as the SQLite store's. A skill renamed since
/// shows its new name with its whole history; a deleted skill's ratings went with it.
/// Unrated skills are left out: there is nothing to chart.
pub fn progress(
    c: &mut PgTx<'_>,
    user_id: &str,
    filter: &ProgressFilter,
) -> Result<Vec<SkillProgress>> {
    // `$3`: days back from now (SQLite's '-N days' modifier), or NULL for all time.
    let since: Option<i32> = filter.days.map(|d| d.min(MAX_DAYS) as i32);
    // Times to the second, as SQLite's strftime('%Y-%m-%d %H:%M:%S') (to_char truncates the
    // milliseconds as it did); names as NOCASE orders them and ids bytewise (COLLATE "C"),
    // whatever the database's collation.
    let rows = c.query(
        r#"SELECT f.skill_id, s.skill_name, i.interview_id, i.title,
                  to_char(coalesce(i.completed_at, f.created_at), 'YYYY-MM-DD HH24:MI:SS'),
                  f.rating, f.answered
           FROM interviews i
           JOIN ai_feedback f ON f.interview_id = i.interview_id
           JOIN skills s ON s.skill_id = f.skill_id
           WHERE i.user_id = $1 AND i.status = 'completed' AND f.rating IS NOT NULL
             AND ($2::bigint IS NULL OR i.interview_type_id = $2)
             AND ($3::int IS NULL OR coalesce(i.completed_at, f.created_at)
                                     >= pp_now() - make_interval(days => $3))
           ORDER BY lower(s.skill_name) COLLATE "C", f.skill_id,
                    date_trunc('second', coalesce(i.completed_at, f.created_at)),
                    i.interview_id COLLATE "C""#,
        &[&user_id, &filter.interview_type_id, &since],
    )?;
    let mut points = Vec::new();
    for row in &rows {
        // INTEGER columns; the schema's CHECKs keep them in range (rating 1–5, answered ≥ 0).
        let rating: i32 = row.try_get(5)?;
        let point = RatingPoint {
            interview_id: row.try_get(2)?,
            title: row
                .try_get::<_, Option<String>>(3)?
                .unwrap_or_else(|| UNTITLED.to_owned()),
            at: row.try_get(4)?,
            rating: u8::try_from(rating)
                .map_err(|_| StoreError::Internal(format!("rating {rating} out of range")))?,
            answered: row
                .try_get::<_, Option<i32>>(6)?
                .map_or(0, |n| u32::try_from(n).unwrap_or(0)),
        };
        points.push((row.try_get(0)?, row.try_get(1)?, point));
    }
    Ok(crate::store::series(points))
}

/// For each of `skills`, the level an adaptive interview would ask it at now, and why
/// (`progress::adaptive_level` over the person's ratings of it, any type, all time).
pub fn adaptive_levels(
    c: &mut PgTx<'_>,
    user_id: &str,
    skills: &[SkillId],
) -> Result<Vec<(SkillLevel, String)>> {
    let rated = progress(c, user_id, &ProgressFilter::default())?;
    Ok(crate::store::levels_from(&rated, skills))
}
