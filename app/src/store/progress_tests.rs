//! The progress series on a real SQLite file: reports are written as the report step writes
//! them (one AI_Feedback row per skill), then read back through `progress`.

use super::testing::{skill_id, test_db, type_id, user};
use super::*;
use crate::model::{InterviewId, InterviewTypeId, SkillId, UserId};
use crate::progress::{ProgressFilter, Trend};
use rusqlite::params;

/// A completed interview `days_ago`, its report rating each `(skill, rating, answered)`;
/// `None` is a skill nothing was answered on (not rated).
fn completed(
    conn: &mut Connection,
    user_id: &UserId,
    title: &str,
    type_id: InterviewTypeId,
    days_ago: u32,
    ratings: &[(SkillId, Option<u8>, u32)],
) -> InterviewId {
    let id = create_interview(
        conn,
        &NewInterview {
            user_id: user_id.clone(),
            title: title.into(),
            interview_type_id: Some(type_id),
            skill_ids: ratings.iter().map(|r| r.0).collect(),
            ..Default::default()
        },
    )
    .unwrap()
    .id;
    conn.execute(
        "UPDATE Interviews SET status = 'completed',
             completed_at = strftime('%Y-%m-%d %H:%M:%f', 'now', ?2)
         WHERE interview_id = ?1",
        params![id, format!("-{days_ago} days")],
    )
    .unwrap();
    for (skill, rating, answered) in ratings {
        conn.execute(
            "INSERT INTO AI_Feedback (feedback_id, interview_id, skill_id, rating, answered)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                uuid::Uuid::now_v7().to_string(),
                id,
                skill,
                rating,
                answered
            ],
        )
        .unwrap();
    }
    id
}

fn all(conn: &Connection, user_id: &UserId) -> Vec<crate::progress::SkillProgress> {
    progress(conn, user_id, &ProgressFilter::default()).unwrap()
}

#[test]
fn no_rated_interview_gives_no_skills() {
    let mut db = test_db();
    let ann = user(&db.conn, "ann");
    assert!(all(&db.conn, &ann).is_empty());
    // A pending interview and a completed one whose only skill went unanswered: still nothing.
    let go = skill_id(&db.conn, "Go");
    let technical = type_id(&db.conn, "Technical");
    create_interview(
        &mut db.conn,
        &NewInterview {
            user_id: ann.clone(),
            title: "Not started".into(),
            interview_type_id: Some(technical),
            skill_ids: vec![go],
            ..Default::default()
        },
    )
    .unwrap();
    completed(&mut db.conn, &ann, "Silent", technical, 1, &[(go, None, 0)]);
    assert!(all(&db.conn, &ann).is_empty());
}

#[test]
fn one_rated_interview_gives_one_point_per_rated_skill() {
    let mut db = test_db();
    let ann = user(&db.conn, "ann");
    let (go, sql) = (
        skill_id(&db.conn, "Go"),
        skill_id(&db.conn, "Databases (SQL)"),
    );
    let technical = type_id(&db.conn, "Technical");
    let id = completed(
        &mut db.conn,
        &ann,
        "First try",
        technical,
        0,
        &[(go, Some(3), 2), (sql, None, 0)],
    );
    let skills = all(&db.conn, &ann);
    assert_eq!(skills.len(), 1, "the unrated skill is left out");
    let s = &skills[0];
    assert_eq!((s.skill_id, s.name.as_str()), (go, "Go"));
    assert_eq!((s.latest, s.answered, s.trend), (3, 2, Trend::TooFew));
    assert_eq!(s.points.len(), 1);
    assert_eq!(s.points[0].interview_id, id);
    assert_eq!(s.points[0].title, "First try");
}

#[test]
fn many_interviews_give_each_skill_its_series_oldest_first() {
    let mut db = test_db();
    let ann = user(&db.conn, "ann");
    let bob = user(&db.conn, "bob");
    let (go, python) = (skill_id(&db.conn, "Go"), skill_id(&db.conn, "Python"));
    let (technical, behavioral) = (
        type_id(&db.conn, "Technical"),
        type_id(&db.conn, "Behavioral"),
    );
    // Written out of order: the series follows completion time, not insertion.
    completed(
        &mut db.conn,
        &ann,
        "Third",
        technical,
        1,
        &[(go, Some(4), 3)],
    );
    completed(
        &mut db.conn,
        &ann,
        "First",
        technical,
        20,
        &[(go, Some(2), 2), (python, Some(4), 2)],
    );
    completed(
        &mut db.conn,
        &ann,
        "Second",
        behavioral,
        10,
        &[(go, Some(3), 1), (python, Some(2), 2)],
    );
    completed(
        &mut db.conn,
        &bob,
        "Bob's",
        technical,
        1,
        &[(go, Some(1), 1)],
    );

    let skills = all(&db.conn, &ann);
    let names: Vec<&str> = skills.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Go", "Python"]);
    let go_series: Vec<(&str, u8)> = skills[0]
        .points
        .iter()
        .map(|p| (p.title.as_str(), p.rating))
        .collect();
    assert_eq!(go_series, [("First", 2), ("Second", 3), ("Third", 4)]);
    assert_eq!(
        (skills[0].latest, skills[0].answered, skills[0].trend),
        (4, 6, Trend::Improving)
    );
    assert_eq!((skills[1].latest, skills[1].trend), (2, Trend::Slipping));

    // By type: only the technical interviews.
    let technical_only = progress(
        &db.conn,
        &ann,
        &ProgressFilter {
            interview_type_id: Some(technical),
            days: None,
        },
    )
    .unwrap();
    let go_ratings: Vec<u8> = technical_only[0].points.iter().map(|p| p.rating).collect();
    assert_eq!(go_ratings, [2, 4]);
    assert_eq!(technical_only[1].points.len(), 1);

    // By time: the last 14 days drop the first interview.
    let recent = progress(
        &db.conn,
        &ann,
        &ProgressFilter {
            interview_type_id: None,
            days: Some(14),
        },
    )
    .unwrap();
    let go_ratings: Vec<u8> = recent[0].points.iter().map(|p| p.rating).collect();
    assert_eq!(go_ratings, [3, 4]);
    assert_eq!(recent[1].points.len(), 1);
}

#[test]
fn a_renamed_skill_keeps_its_history_and_a_deleted_one_leaves() {
    let mut db = test_db();
    let ann = user(&db.conn, "ann");
    let (go, java) = (skill_id(&db.conn, "Go"), skill_id(&db.conn, "Java"));
    let technical = type_id(&db.conn, "Technical");
    completed(
        &mut db.conn,
        &ann,
        "One",
        technical,
        5,
        &[(go, Some(2), 1), (java, Some(3), 1)],
    );
    completed(
        &mut db.conn,
        &ann,
        "Two",
        technical,
        1,
        &[(go, Some(3), 1), (java, Some(4), 1)],
    );
    db.conn
        .execute(
            "UPDATE Skills SET skill_name = 'Golang' WHERE skill_id = ?1",
            [go],
        )
        .unwrap();
    delete_skill(&mut db.conn, java).unwrap();
    let skills = all(&db.conn, &ann);
    assert_eq!(skills.len(), 1);
    assert_eq!(skills[0].name, "Golang");
    assert_eq!(skills[0].points.len(), 2);
}

#[test]
fn an_adaptive_interview_keeps_each_skills_level_from_the_ratings_at_set_up() {
    use crate::model::{Difficulty, DifficultySetting};
    let mut db = test_db();
    let ann = user(&db.conn, "ann");
    let (go, python, java) = (
        skill_id(&db.conn, "Go"),
        skill_id(&db.conn, "Python"),
        skill_id(&db.conn, "Java"),
    );
    let technical = type_id(&db.conn, "Technical");
    completed(
        &mut db.conn,
        &ann,
        "One",
        technical,
        3,
        &[(go, Some(4), 1), (python, Some(2), 1)],
    );
    completed(
        &mut db.conn,
        &ann,
        "Two",
        technical,
        2,
        &[(go, Some(5), 1), (python, Some(3), 1)],
    );
    let created = create_interview(
        &mut db.conn,
        &NewInterview {
            user_id: ann.clone(),
            title: "Adaptive".into(),
            interview_type_id: Some(technical),
            skill_ids: vec![go, python, java],
            difficulty: DifficultySetting::Adaptive,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(created.difficulty, DifficultySetting::Adaptive);
    // Go: 4 then 5, up to hard; Python: a 2 takes it down to easy; Java: unrated, medium.
    let levels = [
        (go, Difficulty::Hard),
        (python, Difficulty::Easy),
        (java, Difficulty::Medium),
    ];
    for (skill, want) in levels {
        assert_eq!(created.level_of(skill), Some(want), "{skill}");
    }
    // Read back the same, alone and in the list; later ratings do not change it.
    completed(
        &mut db.conn,
        &ann,
        "Three",
        technical,
        1,
        &[(python, Some(5), 1), (go, Some(1), 1)],
    );
    let again = get_interview(&db.conn, &created.id).unwrap();
    assert_eq!(again.skill_levels, created.skill_levels);
    let listed = list_interviews(&db.conn, &ann, &Default::default()).unwrap();
    let row = listed
        .interviews
        .iter()
        .find(|i| i.id == created.id)
        .unwrap();
    assert_eq!(row.skill_levels, created.skill_levels);
    assert_eq!(row.difficulty, DifficultySetting::Adaptive);
    // Other interviews carry no levels.
    assert!(
        listed
            .interviews
            .iter()
            .filter(|i| i.id != created.id)
            .all(|i| i.skill_levels.is_empty())
    );
}
