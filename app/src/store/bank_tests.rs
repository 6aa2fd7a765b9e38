//! The question bank after every migration: each question carries a full rubric, themes keep
//! plans varied, and type tags steer selection.

use super::testing::{count, skill_id, test_db, type_id};
use super::*;
use crate::ai::plan::{PlanInput, plan_questions};
use crate::model::{DifficultySetting, Question, QuestionId, SkillId};
use std::collections::HashSet;

fn all_questions(conn: &Connection) -> Vec<(QuestionId, String, Option<String>)> {
    conn.prepare("SELECT question_id, question_text, theme FROM Questions ORDER BY question_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn every_question_has_key_points_a_model_answer_a_hint_probes_and_a_theme() {
    let db = test_db();
    let questions = all_questions(&db.conn);
    assert!(questions.len() >= 170, "{} questions", questions.len());
    let ids: Vec<QuestionId> = questions.iter().map(|q| q.0).collect();
    let rubrics = question_rubrics(&db.conn, &ids).unwrap();
    for (id, text, theme) in &questions {
        let r = rubrics
            .get(id)
            .unwrap_or_else(|| panic!("no rubric: {text}"));
        assert!(
            (3..=6).contains(&r.key_points.len()),
            "{} key points: {text}",
            r.key_points.len()
        );
        for kp in &r.key_points {
            assert!(!kp.point.trim().is_empty(), "{text}");
            assert!(kp.phrases.len() >= 3, "few phrases for {:?}", kp.point);
            assert!(kp.phrases.iter().all(|p| !p.trim().is_empty()));
        }
        assert!(r.model_answer.split_whitespace().count() >= 30, "{text}");
        assert!(r.hint.split_whitespace().count() >= 5, "{text}");
        assert!((1..=2).contains(&r.probes.len()), "{text}");
        for p in &r.probes {
            assert!(p.text.trim_end().ends_with('?'), "{}", p.text);
            assert!(p.key_point < r.key_points.len(), "{text}");
        }
        let theme = theme
            .as_deref()
            .unwrap_or_else(|| panic!("no theme: {text}"));
        assert!(
            theme
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{theme}"
        );
        let types = count(
            &db.conn,
            &format!("SELECT count(*) FROM Question_Interview_Types WHERE question_id = {id}"),
        );
        assert!(types >= 1, "no interview type: {text}");
    }
}

#[test]
fn each_type_has_at_least_twelve_tagged_questions_on_its_suggested_skills() {
    let db = test_db();
    for t in get_interview_types(&db.conn).unwrap() {
        let n = count(
            &db.conn,
            &format!(
                "SELECT count(*) FROM Question_Interview_Types qt
                 JOIN Questions q ON q.question_id = qt.question_id
                 JOIN Interview_Type_Suggested_Skills s
                   ON s.skill_id = q.skill_id AND s.interview_type_id = qt.interview_type_id
                 WHERE qt.interview_type_id = {}",
                t.id
            ),
        );
        assert!(n >= 12, "{} has {n} tagged questions", t.name);
    }
}

#[test]
fn levels_that_were_wrong_are_corrected() {
    let db = test_db();
    let level = |start: &str| -> String {
        db.conn
            .query_row(
                "SELECT difficulty_level FROM Questions WHERE question_text LIKE ?1 || '%'",
                [start],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(level("Given a list of numbers and a target"), "easy");
    assert_ne!(
        level("How would you decide whether a company should build a feature"),
        "easy"
    );
    assert_eq!(
        level("What do the isolation levels protect against"),
        "hard"
    );
    assert_eq!(
        level("Explain the difference between a shallow copy and a deep copy"),
        "easy"
    );
    assert_eq!(
        level("When would you use streams instead of a plain loop"),
        "easy"
    );
}

fn plan(
    conn: &Connection,
    type_name: &str,
    skills: &[&str],
    count: usize,
    seed: u64,
) -> Vec<Question> {
    let skill_ids: Vec<SkillId> = skills.iter().map(|s| skill_id(conn, s)).collect();
    let pool = get_questions_by_interview_type_and_skill_ids(
        conn,
        Some(type_id(conn, type_name)),
        &skill_ids,
    )
    .unwrap();
    plan_questions(&PlanInput {
        pool: &pool,
        count,
        difficulty: DifficultySetting::Mixed.into(),
        recent: &HashSet::new(),
        seed,
    })
}

#[test]
fn no_interview_plan_repeats_a_theme() {
    let db = test_db();
    let types = get_interview_types(&db.conn).unwrap();
    let skills = get_skills(&db.conn).unwrap();
    let mut checked = 0;
    for seed in 0..300u64 {
        let t = &types[seed as usize % types.len()];
        // Several skills, chosen by the seed, so shared themes meet across skills.
        let chosen: Vec<&str> = (0..4)
            .map(|k| {
                skills[((seed * 7 + k * 5) as usize) % skills.len()]
                    .name
                    .as_str()
            })
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let p = plan(&db.conn, &t.name, &chosen, 12, seed);
        assert!(p.len() >= 10, "{} questions for {chosen:?}", p.len());
        let themes: Vec<&str> = p.iter().filter_map(|q| q.theme.as_deref()).collect();
        assert_eq!(themes.len(), p.len(), "every bank question has a theme");
        let distinct: HashSet<&str> = themes.iter().copied().collect();
        assert_eq!(distinct.len(), themes.len(), "{themes:?}");
        checked += 1;
    }
    assert_eq!(checked, 300);
    // The overlaps the bank once had: money transfer under SQL and NoSQL, stories of
    // disagreement and of failure across the behavioural skills.
    for (skills, theme) in [
        (
            &["Databases (SQL)", "Databases (NoSQL)"][..],
            "money-transfer",
        ),
        (
            &["Communication", "Teamwork", "Leadership"][..],
            "disagreement",
        ),
        (
            &["Teamwork", "Leadership", "Problem Solving"][..],
            "failure-story",
        ),
    ] {
        for seed in 0..50 {
            let p = plan(&db.conn, "Behavioral", skills, 12, seed);
            let n = p
                .iter()
                .filter(|q| q.theme.as_deref() == Some(theme))
                .count();
            assert!(n <= 1, "{theme} asked {n} times");
        }
    }
}

#[test]
fn a_behavioral_interview_on_a_technical_skill_draws_type_tagged_questions_first() {
    let db = test_db();
    let behavioral = type_id(&db.conn, "Behavioral");
    for seed in 0..40 {
        let p = plan(
            &db.conn,
            "Behavioral",
            &["Python", "Communication"],
            4,
            seed,
        );
        let python: Vec<&Question> = p
            .iter()
            .filter(|q| q.skill_id == Some(skill_id(&db.conn, "Python")))
            .collect();
        assert!(!python.is_empty());
        for q in python {
            assert!(q.for_type, "not tagged Behavioral: {}", q.text);
            let tagged = count(
                &db.conn,
                &format!(
                    "SELECT count(*) FROM Question_Interview_Types
                     WHERE question_id = {} AND interview_type_id = {behavioral}",
                    q.id
                ),
            );
            assert_eq!(tagged, 1);
        }
    }
    // And a Technical interview on Python asks the Technical ones.
    let p = plan(&db.conn, "Technical", &["Python"], 3, 1);
    assert!(p.iter().all(|q| q.for_type), "{p:?}");
}

#[test]
fn each_model_answer_shows_its_own_key_points_and_the_question_pasted_shows_none() {
    use crate::ai::judge::{JudgeInput, judge};
    let db = test_db();
    let questions = all_questions(&db.conn);
    let ids: Vec<QuestionId> = questions.iter().map(|q| q.0).collect();
    let rubrics = question_rubrics(&db.conn, &ids).unwrap();
    let mut weak = Vec::new();
    for (id, text, _) in &questions {
        let r = &rubrics[id];
        let difficulty = get_questions_by_ids(&db.conn, &[*id]).unwrap()[0].difficulty;
        let rate = |answer: &str| {
            judge(&JudgeInput {
                question: text,
                difficulty,
                rubric: Some(r),
                answer,
                follow_up_answer: None,
                hints: 0,
            })
        };
        let own = rate(&r.model_answer);
        if own.rating.is_none_or(|x| x < 4) {
            weak.push(format!("{text}: {:?} — {}", own.rating, own.note));
        }
        let pasted = rate(text);
        assert_eq!(pasted.rating, Some(1), "pasting the question: {text}");
    }
    assert!(
        weak.is_empty(),
        "model answers the judge rates below 4:\n{}",
        weak.join("\n")
    );
}

#[test]
fn candidates_of_small_skills_are_the_whole_pool_in_pool_order() {
    let db = test_db();
    let recent: Vec<QuestionId> =
        get_questions_by_skill_ids(&db.conn, &[skill_id(&db.conn, "Python")])
            .unwrap()
            .iter()
            .step_by(3)
            .map(|q| q.id)
            .collect();
    for (type_name, skills) in [
        ("Technical", &["Python", "Go", "Problem Solving"][..]),
        ("Behavioral", &["Python", "Leadership"][..]),
        ("System Design", &[][..]),
    ] {
        let t = type_id(&db.conn, type_name);
        let ids: Vec<SkillId> = skills.iter().map(|s| skill_id(&db.conn, s)).collect();
        let pool = get_questions_by_interview_type_and_skill_ids(&db.conn, Some(t), &ids).unwrap();
        for seed in [0, 7, 12345] {
            for d in DifficultySetting::ALL {
                let got =
                    question_candidates(&db.conn, Some(t), &ids, (*d).into(), seed, 16, &recent)
                        .unwrap();
                assert_eq!(got, pool, "{type_name} {skills:?} {d} seed {seed}");
            }
        }
    }
}

#[test]
fn candidates_of_a_large_skill_are_a_bounded_fresh_sample() {
    let mut db = test_db();
    let tx = db.conn.transaction().unwrap();
    tx.execute("INSERT INTO Skills (skill_name) VALUES ('Huge')", [])
        .unwrap();
    let huge = skill_id(&tx, "Huge");
    for n in 0..90 {
        let level = ["easy", "medium", "hard"][n % 3];
        tx.execute(
            "INSERT INTO Questions (skill_id, question_text, difficulty_level, theme)
             VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![
                huge,
                format!("Generated question {n}?"),
                level,
                format!("t{n}")
            ],
        )
        .unwrap();
    }
    tx.commit().unwrap();
    let all = get_questions_by_skill_ids(&db.conn, &[huge]).unwrap();
    let recent: Vec<QuestionId> = all.iter().step_by(4).map(|q| q.id).collect();
    let got = question_candidates(
        &db.conn,
        None,
        &[huge],
        DifficultySetting::Mixed.into(),
        3,
        15,
        &recent,
    )
    .unwrap();
    assert_eq!(got.len(), 15);
    assert!(got.iter().all(|q| !recent.contains(&q.id)), "fresh only");
    // A fixed difficulty reads that difficulty only, while the skill has enough of it.
    let hard = question_candidates(
        &db.conn,
        None,
        &[huge],
        DifficultySetting::Hard.into(),
        3,
        5,
        &recent,
    )
    .unwrap();
    assert_eq!(hard.len(), 5);
    assert!(
        hard.iter()
            .all(|q| q.difficulty == Some(crate::model::Difficulty::Hard))
    );
    assert_ne!(
        got,
        question_candidates(
            &db.conn,
            None,
            &[huge],
            DifficultySetting::Mixed.into(),
            4,
            15,
            &recent
        )
        .unwrap(),
        "another seed, another sample"
    );
}
