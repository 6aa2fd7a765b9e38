//! The judge's evaluation set: candidates' answers (`eval/answers.json`, written in candidates'
//! words by someone who never saw the rubrics) to bank questions, each labelled with the kind
//! of answer it is. Judged against the real bank (every migration applied to a real SQLite
//! file), it prints per kind the mean rating and the spread, and fails unless strong answers
//! average at least 4.0, concise correct ones 3.5, and every weak or gaming kind at most 1.5
//! with no gaming answer above 2. Answers in other languages must be "not assessed".
//!
//!     cargo test -p app --features ssr --test judge_eval -- --nocapture

use app::ai::judge::{JudgeInput, judge};
use app::model::Difficulty;
use app::store;
use std::collections::BTreeMap;

#[derive(serde::Deserialize)]
struct Case {
    question: String,
    kind: String,
    answer: String,
}

const GAMING: &[&str] = &[
    "off_topic",
    "keyword_stuffed",
    "pasted_question",
    "gibberish",
    "grader_directed",
];

#[test]
fn the_judge_rates_the_evaluation_set_as_an_interviewer_would() {
    let cases: Vec<Case> = serde_json::from_str(include_str!("eval/answers.json")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let conn = store::open_connection(&dir.path().join("eval.sqlite3")).unwrap();

    let mut by_kind: BTreeMap<&str, Vec<Option<u8>>> = BTreeMap::new();
    let mut questions = std::collections::HashSet::new();
    let mut failures = Vec::new();
    for c in &cases {
        let (id, difficulty): (app::model::QuestionId, Option<String>) = conn
            .query_row(
                "SELECT question_id, difficulty_level FROM Questions WHERE question_text = ?1",
                [&c.question],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap_or_else(|e| panic!("not in the bank ({e}): {}", c.question));
        questions.insert(id);
        let rubrics = store::question_rubrics(&conn, &[id]).unwrap();
        let j = judge(&JudgeInput {
            question: &c.question,
            difficulty: difficulty.and_then(|d| d.parse::<Difficulty>().ok()),
            rubric: rubrics.get(&id),
            answer: &c.answer,
            follow_up_answer: None,
            hints: 0,
        });
        let bad = match c.kind.as_str() {
            "strong" => j.rating.is_none_or(|r| r < 4),
            "concise" => j.rating.is_none_or(|r| r < 3),
            "foreign" => j.rating.is_some(),
            _ => j.rating.is_none_or(|r| r > 1),
        };
        if bad {
            failures.push(format!(
                "{} rated {:?} — {}\n    Q: {}\n    A: {}",
                c.kind,
                j.rating,
                j.note,
                c.question,
                c.answer.chars().take(300).collect::<String>()
            ));
        }
        by_kind.entry(c.kind.as_str()).or_default().push(j.rating);
    }

    println!("\n{} answers to {} questions", cases.len(), questions.len());
    println!(
        "{:<18} {:>3} {:>6} {:>6} {:>4} {:>4} {:>12}",
        "kind", "n", "mean", "sd", "min", "max", "not assessed"
    );
    let mut stats = BTreeMap::new();
    for (kind, ratings) in &by_kind {
        let rated: Vec<f64> = ratings.iter().flatten().map(|&r| f64::from(r)).collect();
        let n = rated.len().max(1) as f64;
        let mean = rated.iter().sum::<f64>() / n;
        let sd = (rated.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / n).sqrt();
        let min = rated.iter().copied().fold(f64::NAN, f64::min);
        let max = rated.iter().copied().fold(f64::NAN, f64::max);
        if rated.is_empty() {
            println!(
                "{kind:<18} {:>3} {:>6} {:>6} {:>4} {:>4} {:>12}",
                ratings.len(),
                "-",
                "-",
                "-",
                "-",
                ratings.len()
            );
        } else {
            println!(
                "{kind:<18} {:>3} {mean:>6.2} {sd:>6.2} {min:>4} {max:>4} {:>12}",
                ratings.len(),
                ratings.len() - rated.len()
            );
        }
        stats.insert(*kind, (mean, max, rated.len()));
    }
    if !failures.is_empty() {
        println!("\nAnswers rated against their kind ({}):", failures.len());
        for f in &failures {
            println!("- {f}");
        }
    }

    assert!(cases.len() >= 80 && questions.len() >= 25);
    let mean = |k: &str| stats.get(k).map_or(f64::NAN, |s| s.0);
    assert!(
        mean("strong") >= 4.0,
        "strong answers average {:.2}",
        mean("strong")
    );
    assert!(
        mean("concise") >= 3.5,
        "concise answers average {:.2}",
        mean("concise")
    );
    for kind in GAMING.iter().chain(&["weak"]) {
        assert!(
            mean(kind) <= 1.5,
            "{kind} answers average {:.2}",
            mean(kind)
        );
    }
    for kind in GAMING {
        let max = stats.get(kind).map_or(0.0, |s| s.1);
        assert!(max <= 2.0, "a {kind} answer was rated {max}");
    }
    let foreign = &by_kind["foreign"];
    assert!(
        foreign.iter().all(Option::is_none),
        "answers in other languages must be not assessed: {foreign:?}"
    );
}
