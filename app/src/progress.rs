//! The practice loop's rules, shared by the server and the browser: a skill's ratings over
//! time, its trend, and which skills to practise next. Pure functions over plain data; the store
//! gathers the ratings (`store::progress`) and the progress page shows them.

use crate::model::{Difficulty, InterviewId, InterviewTypeId, SkillId};
use serde::{Deserialize, Serialize};

/// One rating of one skill: the report of one completed interview.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingPoint {
    pub interview_id: InterviewId,
    pub title: String,
    /// When the interview was completed (UTC, `YYYY-MM-DD HH:MM:SS`).
    pub at: String,
    /// 1–5.
    pub rating: u8,
    /// Questions on this skill the person answered in that interview.
    pub answered: u32,
}

/// Which way a skill's ratings are going.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Trend {
    Improving,
    Flat,
    Slipping,
    /// One rating: no direction yet.
    TooFew,
}

impl Trend {
    pub fn label(self) -> &'static str {
        match self {
            Trend::Improving => "Improving",
            Trend::Flat => "Flat",
            Trend::Slipping => "Slipping",
            Trend::TooFew => "One rating so far",
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Trend::Improving => "trend-up",
            Trend::Flat => "trend-flat",
            Trend::Slipping => "trend-down",
            Trend::TooFew => "trend-none",
        }
    }
}

/// How many of the latest ratings the trend is read from.
pub const TREND_WINDOW: usize = 5;
/// The least-squares slope, in rating points per interview, that counts as a direction.
pub const TREND_SLOPE: f64 = 0.25;

/// The trend of `ratings` (oldest first): the least-squares slope of the last
/// [`TREND_WINDOW`] ratings against their order. At least +[`TREND_SLOPE`] a rating is
/// improving, at most −[`TREND_SLOPE`] slipping, anything between flat; a single rating has no
/// trend. The slope, not "last against first", so one odd interview does not flip it.
pub fn trend(ratings: &[u8]) -> Trend {
    let recent = &ratings[ratings.len().saturating_sub(TREND_WINDOW)..];
    if recent.len() < 2 {
        return Trend::TooFew;
    }
    let n = recent.len() as f64;
    let mean_x = (n - 1.0) / 2.0;
    let mean_y = recent.iter().map(|&r| f64::from(r)).sum::<f64>() / n;
    let (mut num, mut den) = (0.0, 0.0);
    for (i, &r) in recent.iter().enumerate() {
        let dx = i as f64 - mean_x;
        num += dx * (f64::from(r) - mean_y);
        den += dx * dx;
    }
    let slope = num / den;
    if slope >= TREND_SLOPE {
        Trend::Improving
    } else if slope <= -TREND_SLOPE {
        Trend::Slipping
    } else {
        Trend::Flat
    }
}

/// How many of a skill's latest ratings the adaptive difficulty reads.
pub const ADAPTIVE_WINDOW: usize = 6;

/// The level to ask a skill at next, from its ratings (oldest first). Start at medium and walk
/// the last [`ADAPTIVE_WINDOW`] ratings: a 1 or 2 steps down one level; a second 4 or 5 in a
/// row steps up one level (and the count starts again); a 3 breaks a run. Easy and hard are
/// the ends. With no ratings, medium. Recent ratings decide: a slump long ago no longer
/// holds someone at easy.
pub fn adaptive_level(ratings: &[u8]) -> Difficulty {
    let recent = &ratings[ratings.len().saturating_sub(ADAPTIVE_WINDOW)..];
    let (mut level, mut run) = (1u8, 0u8);
    for &r in recent {
        match r {
            ..=2 => {
                level = level.saturating_sub(1);
                run = 0;
            }
            3 => run = 0,
            _ => {
                run += 1;
                if run == 2 {
                    level = (level + 1).min(2);
                    run = 0;
                }
            }
        }
    }
    [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard][usize::from(level)]
}

/// Why [`adaptive_level`] chose its level, for the setup page and the report.
pub fn adaptive_reason(ratings: &[u8]) -> String {
    match ratings.len() {
        0 => "medium (no ratings yet)".to_owned(),
        n => {
            let recent = &ratings[n.saturating_sub(ADAPTIVE_WINDOW)..];
            let shown: Vec<String> = recent.iter().map(u8::to_string).collect();
            format!(
                "{} (from your ratings {})",
                adaptive_level(ratings).as_str(),
                shown.join(", ")
            )
        }
    }
}

/// One skill's history, as the progress page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillProgress {
    pub skill_id: SkillId,
    /// The skill's name now (a renamed skill keeps its history).
    pub name: String,
    /// Oldest first.
    pub points: Vec<RatingPoint>,
    pub trend: Trend,
    /// The latest rating, 1–5.
    pub latest: u8,
    /// Questions on this skill answered across `points`.
    pub answered: u32,
}

impl SkillProgress {
    /// Builds a skill's summary from its points (oldest first); `None` without any.
    pub fn from_points(skill_id: SkillId, name: String, points: Vec<RatingPoint>) -> Option<Self> {
        let latest = points.last()?.rating;
        let ratings: Vec<u8> = points.iter().map(|p| p.rating).collect();
        Some(SkillProgress {
            skill_id,
            name,
            trend: trend(&ratings),
            latest,
            answered: points.iter().map(|p| p.answered).sum(),
            points,
        })
    }
}

/// Which ratings the progress page counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressFilter {
    /// Only interviews of this type.
    pub interview_type_id: Option<InterviewTypeId>,
    /// Only interviews completed within this many days (counted back from now).
    pub days: Option<u32>,
}

/// The time ranges the progress page offers, in days (`None`: all time).
pub const RANGES: [(Option<u32>, &str); 4] = [
    (None, "All time"),
    (Some(7), "Last 7 days"),
    (Some(30), "Last 30 days"),
    (Some(90), "Last 90 days"),
];

/// How many skills "practise weak skills" picks.
pub const WEAK_SKILLS: usize = 3;

/// A skill chosen for practice, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeakSkill {
    pub skill_id: SkillId,
    pub name: String,
    pub reason: String,
}

/// The skills to practise next: the [`WEAK_SKILLS`] lowest by latest rating; among equal
/// ratings a slipping one first, then the one with fewer answered questions behind it (less
/// practised), then by name so the choice is stable. Each comes with the reason it was chosen.
pub fn weak_skills(skills: &[SkillProgress]) -> Vec<WeakSkill> {
    let mut ranked: Vec<&SkillProgress> = skills.iter().collect();
    ranked.sort_by(|a, b| {
        (a.latest, a.trend != Trend::Slipping, a.answered, &a.name).cmp(&(
            b.latest,
            b.trend != Trend::Slipping,
            b.answered,
            &b.name,
        ))
    });
    ranked
        .into_iter()
        .take(WEAK_SKILLS)
        .map(|s| WeakSkill {
            skill_id: s.skill_id,
            name: s.name.clone(),
            reason: reason(s),
        })
        .collect()
}

fn reason(s: &SkillProgress) -> String {
    let ratings = match s.points.len() {
        1 => "1 rating".to_owned(),
        n => format!("{n} ratings"),
    };
    let direction = match s.trend {
        Trend::Slipping => ", slipping",
        Trend::Flat => ", flat",
        Trend::Improving => ", improving",
        Trend::TooFew => "",
    };
    format!("latest rating {}/5 ({ratings}{direction})", s.latest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trend_reads_the_slope_of_the_latest_ratings() {
        let cases: &[(&[u8], Trend)] = &[
            (&[], Trend::TooFew),
            (&[3], Trend::TooFew),
            (&[2, 3], Trend::Improving),
            (&[3, 2], Trend::Slipping),
            (&[3, 3], Trend::Flat),
            (&[1, 2, 3, 4, 5], Trend::Improving),
            (&[5, 4, 3, 2, 1], Trend::Slipping),
            // One bad interview among steady ones: flat, not slipping.
            (&[4, 4, 2, 4, 4], Trend::Flat),
            // Up and down around the same level.
            (&[2, 4, 2, 4, 3], Trend::Flat),
            // Only the last five count: an early slump no longer drags the trend.
            (&[5, 1, 1, 2, 3, 4, 4], Trend::Improving),
            (&[1, 1, 1, 1, 1, 5, 5, 4, 4, 3], Trend::Slipping),
            // A gentle climb (0.3 a rating) is improving; one late step up (0.2) is not yet.
            (&[2, 2, 3, 3, 3], Trend::Improving),
            (&[3, 3, 3, 3, 4], Trend::Flat),
        ];
        for (ratings, want) in cases {
            assert_eq!(trend(ratings), *want, "{ratings:?}");
        }
    }

    #[test]
    fn adaptive_level_follows_the_documented_rule() {
        use Difficulty::*;
        let cases: &[(&[u8], Difficulty)] = &[
            (&[], Medium),
            (&[3], Medium),
            // Up after two 4+ ratings in a row, not after one.
            (&[4], Medium),
            (&[4, 5], Hard),
            (&[5, 4, 5, 5], Hard),
            // Down after a 1 or 2, whatever came before.
            (&[2], Easy),
            (&[4, 5, 1], Medium),
            (&[1, 1, 1], Easy),
            // A 3 breaks a run: 4, 3, 4 is not two in a row.
            (&[4, 3, 4], Medium),
            // Back up from easy after two good ones.
            (&[2, 4, 4], Medium),
            (&[2, 4, 4, 5, 5], Hard),
            // Only the last six count: the early 1s are forgotten.
            (&[1, 1, 1, 1, 3, 3, 3, 3, 4, 4], Hard),
        ];
        for (ratings, want) in cases {
            assert_eq!(adaptive_level(ratings), *want, "{ratings:?}");
        }
        assert_eq!(adaptive_reason(&[]), "medium (no ratings yet)");
        assert_eq!(
            adaptive_reason(&[2, 4, 4, 5, 5]),
            "hard (from your ratings 2, 4, 4, 5, 5)"
        );
    }

    fn skill(id: i64, name: &str, ratings: &[u8], answered_each: u32) -> SkillProgress {
        let points = ratings
            .iter()
            .enumerate()
            .map(|(i, &rating)| RatingPoint {
                interview_id: format!("i{i}").into(),
                title: format!("Interview {i}"),
                at: format!("2026-11-{:02} 10:00:00", i + 1),
                rating,
                answered: answered_each,
            })
            .collect();
        SkillProgress::from_points(SkillId(id), name.into(), points).unwrap()
    }

    #[test]
    fn a_summary_holds_the_latest_rating_and_every_answered_question() {
        let s = skill(4, "Go", &[2, 3, 4], 2);
        assert_eq!((s.latest, s.answered, s.trend), (4, 6, Trend::Improving));
        assert!(SkillProgress::from_points(SkillId(4), "Go".into(), Vec::new()).is_none());
    }

    #[test]
    fn weak_skills_are_the_lowest_rated_with_their_reasons() {
        let skills = vec![
            skill(1, "JavaScript", &[4, 5], 2),
            skill(2, "Python", &[3, 2], 2),
            skill(3, "Java", &[2], 1),
            skill(4, "Go", &[2, 2], 3),
            skill(5, "Communication", &[3, 3], 2),
        ];
        let picked = weak_skills(&skills);
        let names: Vec<&str> = picked.iter().map(|w| w.name.as_str()).collect();
        // Rated 2: Python slipping first, then Java (fewer answers) before Go.
        assert_eq!(names, ["Python", "Java", "Go"]);
        assert_eq!(picked[0].reason, "latest rating 2/5 (2 ratings, slipping)");
        assert_eq!(picked[1].reason, "latest rating 2/5 (1 rating)");
        assert_eq!(picked[2].reason, "latest rating 2/5 (2 ratings, flat)");
        assert!(weak_skills(&[]).is_empty());
        // Fewer skills than the number picked: all of them.
        assert_eq!(weak_skills(&skills[..1]).len(), 1);
    }
}
