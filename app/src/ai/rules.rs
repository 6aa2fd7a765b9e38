//! The transparent rules: how an answer is judged thin, how the offline interviewer scores, and
//! the checks every report passes whoever wrote it. The interview page explains them.

use super::ReportInput;
use crate::model::QuestionOutcome;
use crate::store::{AskedQuestion, QuestionRow, ReportRows, SkillRow};

/// What the rules look at in an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Assessment {
    pub words: usize,
    /// A number, or words that introduce an example or the speaker's own actions.
    pub concrete: bool,
    /// Words that give reasons or structure.
    pub reasoned: bool,
    /// Hedges with nothing behind them ("it depends", "not sure").
    pub vague: bool,
}

const CONCRETE: &[&str] = &[
    "for example",
    "for instance",
    "e.g.",
    "such as",
    "when i ",
    "i built",
    "i led",
    "i wrote",
    "i designed",
    "i worked",
    "we built",
    "in my last",
    "at my",
    "last year",
    "once ",
];
const REASONED: &[&str] = &[
    "because",
    "so that",
    "therefore",
    "trade-off",
    "tradeoff",
    "first",
    "then",
    "finally",
    "result",
    "which meant",
    "instead of",
];
const VAGUE: &[&str] = &[
    "it depends",
    "not sure",
    "i don't know",
    "i dont know",
    "no idea",
    "maybe",
    "probably",
    "something like",
    "stuff",
    "whatever",
];

pub fn assess(text: &str) -> Assessment {
    let lower = text.to_lowercase();
    let words = text.split_whitespace().count();
    Assessment {
        words,
        concrete: lower.chars().any(|c| c.is_ascii_digit())
            || CONCRETE.iter().any(|w| lower.contains(w)),
        reasoned: REASONED.iter().any(|w| lower.contains(w)),
        vague: VAGUE.iter().any(|w| lower.contains(w)),
    }
}

/// An answer is worth one follow-up when it is short (under 30 words) or hedges without a
/// concrete example.
pub fn needs_follow_up(text: &str) -> bool {
    let a = assess(text);
    a.words < 30 || (a.vague && !a.concrete)
}

/// The offline score of an answered question (its answer and any follow-up answer together),
/// with the reason in words.
pub fn score_answer(text: &str, hints: u32) -> (u8, String) {
    let a = assess(text);
    if a.words <= 1 {
        return (
            1,
            "A one-word answer gives an interviewer nothing to assess.".into(),
        );
    }
    if a.words < 15 {
        return (
            2,
            "Too brief to show how you think: say what you would do and why.".into(),
        );
    }
    let mut score: i32 = 3;
    let mut notes = Vec::new();
    if a.concrete {
        score += 1;
        notes.push("grounded in a concrete example or number");
    } else {
        notes.push("add a concrete example or a number");
    }
    if a.reasoned && a.words >= 60 {
        score += 1;
        notes.push("reasons and structure are clear");
    } else if !a.reasoned {
        notes.push("explain why, not only what");
    }
    if a.vague && !a.concrete {
        score -= 1;
        notes.push("hedging without specifics weakens it");
    }
    if hints > 0 {
        notes.push("answered with a hint");
    }
    let score = score.clamp(1, 5) as u8;
    let mut note = notes.join("; ");
    if let Some(first) = note.get(..1) {
        note = first.to_uppercase() + &note[1..] + ".";
    }
    (score, note)
}

/// Everything the candidate said on a question, or `None` when it was not answered.
pub fn answer_text(q: &AskedQuestion) -> Option<String> {
    let answer = q.answer.as_ref()?;
    Some(match &q.follow_up_answer {
        Some(more) => format!("{answer}\n{more}"),
        None => answer.clone(),
    })
}

/// The offline interviewer's report, by the rules above.
pub fn offline_report(input: &ReportInput) -> ReportRows {
    let questions: Vec<(QuestionRow, Option<i64>, Option<Assessment>)> = input
        .questions
        .iter()
        .map(|q| {
            let (rating, note, assessment) = match answer_text(q) {
                Some(text) => {
                    let (score, note) = score_answer(&text, q.hints);
                    (Some(score), note, Some(assess(&text)))
                }
                None => (None, not_answered_note(q), None),
            };
            let row = QuestionRow {
                interview_question_id: q.id.clone(),
                rating,
                note,
            };
            (row, q.skill_id, assessment)
        })
        .collect();
    let skills = input
        .skills
        .iter()
        .map(|(skill_id, name)| {
            let mine: Vec<_> = questions
                .iter()
                .filter(|(_, s, _)| *s == Some(*skill_id))
                .collect();
            let rated: Vec<u8> = mine.iter().filter_map(|(r, _, _)| r.rating).collect();
            if rated.is_empty() {
                let why = if mine.is_empty() {
                    format!("No question on {name} was reached in this interview.")
                } else {
                    format!("The questions on {name} were not answered, so it is not rated.")
                };
                return SkillRow {
                    skill_id: *skill_id,
                    rating: None,
                    strengths: String::new(),
                    areas_for_improvement: format!("Answer a question on {name} to get a rating."),
                    summary: why,
                };
            }
            // Rounded mean, halves rounding down: a report should not flatter.
            let sum: u32 = rated.iter().map(|&r| u32::from(r)).sum();
            let n = rated.len() as u32;
            let rating = ((2 * sum + n - 1) / (2 * n)).clamp(1, 5) as u8;
            let assessed: Vec<Assessment> = mine.iter().filter_map(|(_, _, a)| *a).collect();
            let mut strengths = Vec::new();
            let mut areas = Vec::new();
            if assessed.iter().any(|a| a.concrete) {
                strengths.push("You backed answers with concrete examples or numbers.");
            } else {
                areas.push("Back each answer with a concrete example or a number.");
            }
            if assessed.iter().any(|a| a.reasoned) {
                strengths.push("You explained your reasoning.");
            } else {
                areas.push("Say why, not only what: give the reasons behind your choices.");
            }
            if assessed.iter().all(|a| a.words >= 60) {
                strengths.push("Your answers were thorough.");
            } else {
                areas.push("Develop answers further: aim for a minute or two of substance.");
            }
            if assessed.iter().any(|a| a.vague) {
                areas.push("Replace hedges (\"it depends\", \"maybe\") with a stated assumption.");
            }
            let unanswered = mine.len() - rated.len();
            let mut summary = format!(
                "{rating} out of 5 on {name}, from {} answered question{}.",
                rated.len(),
                if rated.len() == 1 { "" } else { "s" }
            );
            if unanswered > 0 {
                summary.push_str(&format!(" {unanswered} not answered, not scored."));
            }
            SkillRow {
                skill_id: *skill_id,
                rating: Some(rating),
                strengths: strengths.join(" "),
                areas_for_improvement: areas.join(" "),
                summary,
            }
        })
        .collect();
    ReportRows {
        skills,
        questions: questions.into_iter().map(|(r, _, _)| r).collect(),
    }
}

fn not_answered_note(q: &AskedQuestion) -> String {
    match q.outcome() {
        QuestionOutcome::Skipped => "Skipped — not answered, so not scored.".into(),
        _ => "Not answered — the interview ended first, so not scored.".into(),
    }
}

/// The rules a report keeps whoever drafted it: an unanswered question has no rating and says
/// so; an empty or one-word answer gets the lowest rating; a skill with no answered question is
/// not rated.
pub fn enforce(input: &ReportInput, mut rows: ReportRows) -> ReportRows {
    for row in &mut rows.questions {
        let Some(q) = input
            .questions
            .iter()
            .find(|q| q.id == row.interview_question_id)
        else {
            continue;
        };
        match answer_text(q) {
            None => {
                row.rating = None;
                row.note = not_answered_note(q);
            }
            Some(text) if text.split_whitespace().count() <= 1 => row.rating = Some(1),
            Some(_) => {}
        }
    }
    for skill in &mut rows.skills {
        let answered = input
            .questions
            .iter()
            .any(|q| q.skill_id == Some(skill.skill_id) && q.answer.is_some());
        if !answered {
            skill.rating = None;
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(id: &str, skill: i64, answer: Option<&str>, skipped: bool) -> AskedQuestion {
        AskedQuestion {
            id: id.into(),
            order: 1,
            question_bank_id: Some(1),
            text: "Q".into(),
            skill_id: Some(skill),
            skill_name: Some("S".into()),
            difficulty: None,
            answer: answer.map(str::to_owned),
            follow_up_asked: false,
            follow_up_answer: None,
            hints: 0,
            skipped,
        }
    }

    const GOOD: &str = "For example, at my last job I led the migration of 40 services to a \
        queue because the synchronous calls kept timing out under load. First we measured the \
        worst paths, then we moved them one by one behind a feature flag, so that we could roll \
        back quickly. The result was a drop in p99 latency from 2 seconds to 300 milliseconds, \
        and the on-call pages for timeouts went away within a month of finishing the work.";

    #[test]
    fn thin_and_vague_answers_get_a_follow_up_and_good_ones_do_not() {
        assert!(needs_follow_up(""));
        assert!(needs_follow_up("Yes."));
        assert!(needs_follow_up(
            "It depends on the situation really, maybe I would look at it and see what the team \
             thinks about it and then we could decide together what seems best overall for all."
        ));
        assert!(!needs_follow_up(GOOD));
    }

    #[test]
    fn empty_and_one_word_answers_get_the_lowest_rating() {
        assert_eq!(score_answer("yes", 0).0, 1);
        assert_eq!(score_answer("   ", 0).0, 1);
        assert_eq!(score_answer("I would use a hash map here.", 0).0, 2);
        assert_eq!(score_answer(GOOD, 0).0, 5);
    }

    #[test]
    fn unanswered_questions_and_skills_are_not_scored() {
        let input = ReportInput {
            type_name: "Technical".into(),
            skills: vec![(1, "Python".into()), (2, "Go".into()), (3, "Java".into())],
            questions: vec![
                asked("a", 1, Some(GOOD), false),
                asked("b", 2, None, true),
                asked("c", 1, None, false),
            ],
        };
        let r = offline_report(&input);
        assert_eq!(r.questions[0].rating, Some(5));
        assert_eq!(r.questions[1].rating, None);
        assert!(r.questions[1].note.starts_with("Skipped"));
        assert_eq!(r.questions[2].rating, None);
        assert!(r.questions[2].note.starts_with("Not answered"));
        let rating = |id| r.skills.iter().find(|s| s.skill_id == id).unwrap().rating;
        assert_eq!(
            rating(1),
            Some(5),
            "the unanswered question does not pull it down"
        );
        assert_eq!(rating(2), None);
        assert_eq!(rating(3), None);
        assert!(r.skills[2].summary.contains("No question on Java"));
    }

    #[test]
    fn enforce_overrides_a_kind_or_invented_rating() {
        let input = ReportInput {
            type_name: "T".into(),
            skills: vec![(1, "A".into()), (2, "B".into())],
            questions: vec![
                asked("a", 1, Some("fine"), false),
                asked("b", 2, None, true),
            ],
        };
        let drafted = ReportRows {
            skills: vec![
                SkillRow {
                    skill_id: 1,
                    rating: Some(4),
                    strengths: "s".into(),
                    areas_for_improvement: "a".into(),
                    summary: "x".into(),
                },
                SkillRow {
                    skill_id: 2,
                    rating: Some(5),
                    strengths: "s".into(),
                    areas_for_improvement: "a".into(),
                    summary: "x".into(),
                },
            ],
            questions: vec![
                QuestionRow {
                    interview_question_id: "a".into(),
                    rating: Some(5),
                    note: "great".into(),
                },
                QuestionRow {
                    interview_question_id: "b".into(),
                    rating: Some(4),
                    note: "good".into(),
                },
            ],
        };
        let r = enforce(&input, drafted);
        assert_eq!(r.questions[0].rating, Some(1));
        assert_eq!(r.questions[1].rating, None);
        assert!(r.questions[1].note.starts_with("Skipped"));
        assert_eq!(r.skills[1].rating, None);
    }
}
