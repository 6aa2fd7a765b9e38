//! Test fixtures shared by the AI module's tests: a question about an LRU cache and a small
//! rubric for it.

use crate::model::{KeyPoint, Probe, QuestionId, Rubric, SkillId};

pub const LRU_QUESTION: &str = "Design a least-recently-used cache with constant-time get and put.";

pub fn key_point(point: &str, phrases: &[&str]) -> KeyPoint {
    KeyPoint {
        point: point.into(),
        phrases: phrases.iter().map(|p| (*p).to_owned()).collect(),
    }
}

/// Three key points; the probe draws out the third (eviction).
pub fn lru_rubric() -> Rubric {
    Rubric {
        key_points: vec![
            key_point(
                "A hash map for lookup",
                &["hash map", "hashmap", "dictionary"],
            ),
            key_point("A doubly linked list for order", &["linked list", "deque"]),
            key_point(
                "Evict the least recent entry",
                &["evict", "remove the tail"],
            ),
        ],
        model_answer: "A hash map plus a doubly linked list; evict from the tail.".into(),
        hint: "Which structure keeps an order you can change cheaply?".into(),
        probes: vec![Probe {
            text: "What do you remove when the cache is full?".into(),
            key_point: 2,
        }],
    }
}

/// A report input with one question on the LRU cache, answered with `answer`.
pub fn report_input_with_answer(answer: &str) -> crate::ai::ReportInput {
    let asked = crate::store::AskedQuestion {
        id: "q1".into(),
        order: 1,
        question_bank_id: Some(QuestionId(7)),
        text: LRU_QUESTION.into(),
        skill_id: Some(SkillId(1)),
        skill_name: Some("Data Structures".into()),
        difficulty: Some(crate::model::Difficulty::Medium),
        answer: Some(answer.to_owned()),
        follow_up_asked: false,
        follow_up_answer: None,
        hints: 0,
        skipped: false,
        answer_seconds: Some(90),
        waited_seconds: 120,
    };
    crate::ai::ReportInput {
        type_name: "Technical".into(),
        skills: vec![(SkillId(1), "Data Structures".into())],
        questions: vec![asked],
        rubrics: [(QuestionId(7), lru_rubric())].into_iter().collect(),
        plan_skills: vec![Some(SkillId(1))],
    }
}
