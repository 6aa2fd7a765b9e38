//! The numbers the offline judge rates by, shared with the page that explains them, so the
//! explanation a candidate reads is rendered from the same constants the judge uses
//! (`ai::judge`, server-only) and cannot drift from it.

use crate::model::Difficulty;

/// The highest rating an answer given after a hint can get.
pub const HINT_CAP: u8 = 3;

/// The share of a question's key points an answer must show for 5, 4 and 3, by difficulty:
/// a hard question asks more of every point, so fewer points earn the same rating.
pub const fn coverage_thresholds(d: Difficulty) -> [f32; 3] {
    match d {
        Difficulty::Easy => [0.8, 0.6, 0.3],
        Difficulty::Medium => [0.7, 0.5, 0.25],
        Difficulty::Hard => [0.6, 0.4, 0.2],
    }
}

/// An answer of fewer than this many words can name a point but not show it: it rates at most
/// [`thin_cap`].
pub const THIN_WORDS: usize = 12;

/// The highest rating of an answer under [`THIN_WORDS`] words: a short answer can be enough for
/// an easy question, never for a harder one.
pub const fn thin_cap(d: Difficulty) -> u8 {
    match d {
        Difficulty::Easy => 3,
        Difficulty::Medium | Difficulty::Hard => 2,
    }
}

/// The rating of a relevant answer that shows none of the key points.
pub const RELEVANT_NO_POINTS: u8 = 2;

/// The rating of an answer that does not address the question, repeats it, is not made of
/// words, lists terms without explaining them, or speaks to the grader.
pub const NO_CREDIT: u8 = 1;

/// What a skipped or unanswered question counts as in its skill's rating.
pub const UNANSWERED_COUNTS_AS: u8 = 1;

/// How much a question weighs in its skill's rating: a hard question says more about a skill
/// than an easy one. A question not reached (its level unknown) weighs as a medium one.
pub const fn difficulty_weight(d: Option<Difficulty>) -> u32 {
    match d {
        Some(Difficulty::Easy) => 1,
        Some(Difficulty::Medium) | None => 2,
        Some(Difficulty::Hard) => 3,
    }
}

/// Explanation is held together by function words ("the", "so", "when", "if"): English prose
/// has about 45% of them, and rarely more than a handful of content words in a row. An answer
/// of at least [`LIST_MIN_WORDS`] words (single letters and numbers not counted) lists terms
/// instead of explaining when fewer than [`LIST_FUNCTION_WORD_SHARE`] of its words are
/// function words, or fewer than [`LIST_RUN_SHARE`] with a run of [`LIST_RUN`] or more
/// content words in a row.
pub const LIST_FUNCTION_WORD_SHARE: f32 = 0.12;
pub const LIST_RUN_SHARE: f32 = 0.3;
pub const LIST_RUN: usize = 10;
pub const LIST_MIN_WORDS: usize = 6;

/// A run of this many words copied from the question counts as the question pasted back.
pub const PASTED_RUN: usize = 4;

fn pct(x: f32) -> String {
    format!("{}%", (x * 100.0).round() as u32)
}

/// The scoring rules in words, for the report page.
pub fn explanation() -> Vec<String> {
    let [e5, e4, e3] = coverage_thresholds(Difficulty::Easy);
    let [m5, m4, m3] = coverage_thresholds(Difficulty::Medium);
    let [h5, h4, h3] = coverage_thresholds(Difficulty::Hard);
    vec![
        "Each question has 3 to 6 key points that an experienced interviewer listens for. \
         An answer shows a point when it says it in its own words (any form of the words, or a \
         listed synonym); length alone earns nothing, so a short answer that covers the points \
         rates as well as a long one."
            .into(),
        format!(
            "Rating by the share of key points shown — easy: {} for 5, {} for 4, {} for 3; \
             medium: {}, {}, {}; hard: {}, {}, {}. A relevant answer that shows none scores {}.",
            pct(e5),
            pct(e4),
            pct(e3),
            pct(m5),
            pct(m4),
            pct(m3),
            pct(h5),
            pct(h4),
            pct(h3),
            RELEVANT_NO_POINTS
        ),
        format!(
            "No credit ({NO_CREDIT}): an answer that does not address the question, the \
             question's own words pasted back (a run of {PASTED_RUN} or more), text that is not \
             words, instructions to the grader, or a list of terms with no explanation (under \
             {}% function words such as \"the\", \"so\", \"if\", or under {}% with {LIST_RUN} \
             or more terms in a row).",
            (LIST_FUNCTION_WORD_SHARE * 100.0).round(),
            (LIST_RUN_SHARE * 100.0).round()
        ),
        format!(
            "An answer of fewer than {THIN_WORDS} words scores at most {} on an easy question \
             and {} on a harder one; an answer given after a hint scores at most {HINT_CAP}.",
            thin_cap(Difficulty::Easy),
            thin_cap(Difficulty::Medium)
        ),
        "An answer in another language or script is marked \"not assessed offline\" rather than \
         given a score the offline judge cannot stand behind."
            .into(),
        format!(
            "A skill's rating is the mean over its planned questions weighted by difficulty \
             (easy {}, medium {}, hard {}), halves rounded down; each skipped or unanswered \
             question counts as {UNANSWERED_COUNTS_AS}, and the report says how many were \
             answered.",
            difficulty_weight(Some(Difficulty::Easy)),
            difficulty_weight(Some(Difficulty::Medium)),
            difficulty_weight(Some(Difficulty::Hard)),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_explanation_states_the_judges_numbers() {
        let text = explanation().join(" ");
        for d in Difficulty::ALL {
            for t in coverage_thresholds(*d) {
                assert!(text.contains(&pct(t)), "{} missing: {text}", pct(t));
            }
        }
        for n in [
            HINT_CAP,
            NO_CREDIT,
            RELEVANT_NO_POINTS,
            UNANSWERED_COUNTS_AS,
        ] {
            assert!(text.contains(&n.to_string()));
        }
        assert!(text.contains(&format!("{THIN_WORDS} words")));
        assert!(text.contains(&format!("{PASTED_RUN} or more")));
    }

    #[test]
    fn harder_questions_need_a_smaller_share_for_the_same_rating() {
        let [e, m, h] =
            [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard].map(coverage_thresholds);
        for i in 0..3 {
            assert!(e[i] >= m[i] && m[i] >= h[i]);
        }
        for t in [e, m, h] {
            assert!(t[0] > t[1] && t[1] > t[2] && t[2] > 0.0);
        }
    }
}
