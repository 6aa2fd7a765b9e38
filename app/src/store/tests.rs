//! Store tests on a real SQLite file with every migration applied.

use super::testing::{count, skill_id, test_db, type_id, user};
use super::*;
use crate::model::{
    Difficulty, InterviewFilter, InterviewId, InterviewStatus, InterviewTypeId, QuestionId, Role,
    SkillId, UserId,
};
use std::cell::Cell;

fn interview(
    conn: &mut Connection,
    user_id: &str,
    title: &str,
    type_name: &str,
    skills: &[&str],
) -> InterviewId {
    let skill_ids = skills.iter().map(|s| skill_id(conn, s)).collect();
    let interview_type_id = Some(type_id(conn, type_name));
    create_interview(
        conn,
        &NewInterview {
            user_id: user_id.into(),
            title: title.into(),
            interview_type_id,
            skill_ids,
            ..Default::default()
        },
    )
    .unwrap()
    .id
}

/// Every table's rows and the schema, as text: equal dumps mean nothing changed.
fn dump(conn: &Connection) -> String {
    let mut out = String::new();
    let mut stmt = conn
        .prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
        .unwrap();
    let rows: Vec<(String, String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (kind, name, sql) in &rows {
        out += &format!("{kind} {name} {sql:?}\n");
        if kind == "table" {
            out += &format!(
                "  rows: {}\n",
                count(conn, &format!("SELECT count(*) FROM \"{name}\""))
            );
        }
    }
    out
}

// ---------------------------------------------------------------- migrations and seed data

#[test]
fn every_migration_file_is_applied_and_named_in_order() {
    let db = test_db();
    let files = migration_files();
    let on_disk: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".sql"))
        .collect();
    assert_eq!(
        files.len(),
        on_disk.len(),
        "embedded migrations differ from migrations/"
    );
    for (i, (name, _)) in files.iter().enumerate() {
        let (number, rest) = name.split_once('_').expect("NNNN_name.sql");
        assert_eq!(number.len(), 4, "{name}: four-digit number");
        assert_eq!(
            number.parse::<usize>().unwrap(),
            i + 1,
            "{name}: numbers run 0001, 0002, …"
        );
        assert!(rest.len() > ".sql".len(), "{name}: has a name");
    }
    let version: i64 = db
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version as usize, files.len());
}

#[test]
fn applying_migrations_twice_changes_nothing() {
    let mut db = test_db();
    let before = dump(&db.conn);
    migrate(&mut db.conn).unwrap();
    assert_eq!(before, dump(&db.conn));
    // And reopening the file (as a restart does) applies nothing either.
    let path = db.dir.path().join("test.sqlite3");
    drop(db.conn);
    let reopened = open_connection(&path).unwrap();
    assert_eq!(before, dump(&reopened));
}

#[test]
fn seed_has_the_plans_types_and_skills() {
    let db = test_db();
    let types: Vec<(String, String)> = db
        .conn
        .prepare("SELECT type_name, description FROM Interview_Types ORDER BY interview_type_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        types,
        [
            (
                "Technical",
                "Assesses technical knowledge and problem-solving abilities in a specific domain."
            ),
            (
                "Behavioral",
                "Assesses soft skills, past experiences, and situational judgment."
            ),
            (
                "System Design",
                "Focuses on designing complex systems and architectural trade-offs."
            ),
            (
                "Product Sense",
                "Assesses understanding of product development, user needs, and market fit."
            ),
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    let plan_skills = [
        "JavaScript",
        "Python",
        "Java",
        "Go",
        "Problem Solving",
        "Communication",
        "Teamwork",
        "System Architecture",
        "Algorithms & Data Structures",
        "Databases (SQL)",
        "Databases (NoSQL)",
        "API Design",
        "Leadership",
    ];
    let names: Vec<String> = db
        .conn
        .prepare("SELECT skill_name FROM Skills ORDER BY skill_id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(&names[..13], plan_skills);
    assert_eq!(
        &names[13..],
        [
            "Product Strategy",
            "User Empathy",
            "Metrics & Analytics",
            "Prioritization"
        ]
    );
    let js = get_skill_by_id(&db.conn, skill_id(&db.conn, "JavaScript"))
        .unwrap()
        .unwrap();
    assert_eq!(
        js.description.as_deref(),
        Some("Proficiency in JavaScript programming language and its ecosystem.")
    );
}

#[test]
fn seed_links_each_type_to_its_suggested_skills() {
    let db = test_db();
    let suggested = |t: &str| -> Vec<String> {
        let mut v: Vec<String> = get_suggested_skills_for_type(&db.conn, type_id(&db.conn, t))
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        suggested("Technical"),
        [
            "Algorithms & Data Structures",
            "JavaScript",
            "Problem Solving",
            "Python"
        ]
    );
    assert_eq!(
        suggested("Behavioral"),
        ["Communication", "Leadership", "Teamwork"]
    );
    assert_eq!(
        suggested("System Design"),
        [
            "API Design",
            "Databases (NoSQL)",
            "Databases (SQL)",
            "System Architecture"
        ]
    );
    assert_eq!(
        suggested("Product Sense"),
        [
            "Metrics & Analytics",
            "Prioritization",
            "Product Strategy",
            "User Empathy"
        ]
    );
    assert_eq!(
        count(
            &db.conn,
            "SELECT count(*) FROM Interview_Type_Suggested_Skills"
        ),
        15
    );
}

#[test]
fn question_bank_covers_every_skill_at_every_difficulty() {
    let db = test_db();
    for skill in get_skills(&db.conn).unwrap() {
        let questions = get_questions_by_skill_ids(&db.conn, &[skill.id]).unwrap();
        assert!(
            questions.len() >= 8,
            "{} has {} questions",
            skill.name,
            questions.len()
        );
        for d in Difficulty::ALL {
            assert!(
                questions.iter().any(|q| q.difficulty == Some(*d)),
                "{} has no {d} question",
                skill.name
            );
        }
        for q in &questions {
            assert!(q.text.ends_with('?') || q.text.ends_with('.'), "{}", q.text);
            assert!(q.text.len() > 30, "too thin: {}", q.text);
        }
    }
    assert_eq!(
        count(
            &db.conn,
            "SELECT count(*) FROM Questions WHERE skill_id IS NULL OR difficulty_level IS NULL"
        ),
        0
    );
    assert_eq!(
        count(
            &db.conn,
            "SELECT count(*) - count(DISTINCT question_text) FROM Questions"
        ),
        0,
        "a question appears twice"
    );
}

#[test]
fn foreign_keys_are_enforced_on_every_connection() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fk.sqlite3");
    let conn = open_connection(&path).unwrap();
    let fk: i64 = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
    let err = conn
        .execute(
            "INSERT INTO Interview_Skills (interview_id, skill_id) VALUES ('nope', 1)",
            [],
        )
        .unwrap_err();
    assert!(err.to_string().contains("FOREIGN KEY"), "{err}");

    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let db = Db::open(&path).unwrap();
    let (reader_fk, query_only) = rt
        .block_on(db.read(|c| {
            Ok((
                c.query_row("PRAGMA foreign_keys", [], |r| r.get::<_, i64>(0))?,
                c.query_row("PRAGMA query_only", [], |r| r.get::<_, i64>(0))?,
            ))
        }))
        .unwrap();
    assert_eq!((reader_fk, query_only), (1, 1));
    let mode: String = rt
        .block_on(db.write(|c| Ok(c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?)))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_cached_statement_is_not_compiled_again_for_new_limits() {
    // Paging binds a new LIMIT and OFFSET on every request; each recompilation cost a parse and
    // a plan (a third of the list's time in a profile). Checked on the pool's connections.
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("plan.sqlite3")).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let reprepared = rt
        .block_on(db.read(|c| {
            let sql = "SELECT skill_id FROM Skills ORDER BY skill_name LIMIT ?1 OFFSET ?2";
            for page in 0..5_i64 {
                let mut stmt = c.prepare_cached(sql)?;
                let rows: Vec<i64> = stmt
                    .query_map([2, page * 2], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                assert_eq!(rows.len(), 2);
            }
            let stmt = c.prepare_cached(sql)?;
            Ok(stmt.get_status(rusqlite::StatementStatus::RePrepare))
        }))
        .unwrap();
    assert_eq!(reprepared, 0, "the statement was compiled again");
}

#[test]
fn a_read_sees_one_snapshot_even_when_a_write_lands_midway() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite3");
    let db = Db::open(&path).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let types = "SELECT count(*) FROM Interview_Types";
    let (before, after) = rt
        .block_on(db.read(move |c| {
            let before: i64 = c.query_row(types, [], |r| r.get(0))?;
            // Another connection commits between this read's two statements.
            let other = open_connection(&path)?;
            other.execute(
                "INSERT INTO Interview_Types (type_name) VALUES ('Midway')",
                [],
            )?;
            let after: i64 = c.query_row(types, [], |r| r.get(0))?;
            Ok((before, after))
        }))
        .unwrap();
    assert_eq!(before, after, "both statements read the same snapshot");
    let later: i64 = rt
        .block_on(db.read(move |c| Ok(c.query_row(types, [], |r| r.get(0))?)))
        .unwrap();
    assert_eq!(later, before + 1, "the next read sees the write");
}

// ---------------------------------------------------------------- types and skills

#[test]
fn interview_types_list_get_and_create() {
    let mut db = test_db();
    let names: Vec<String> = get_interview_types(&db.conn)
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(
        names,
        ["Behavioral", "Product Sense", "System Design", "Technical"]
    );

    let created =
        create_interview_type(&mut db.conn, "  Case Study ", Some("Business cases.")).unwrap();
    assert_eq!(created.name, "Case Study");
    assert_eq!(
        get_interview_type_by_id(&db.conn, created.id).unwrap(),
        Some(created.clone())
    );
    assert_eq!(
        get_interview_type_by_id(&db.conn, InterviewTypeId(9999)).unwrap(),
        None
    );

    let blank_description = create_interview_type(&mut db.conn, "Pairing", Some("   ")).unwrap();
    assert_eq!(blank_description.description, None);

    assert_eq!(
        create_interview_type(&mut db.conn, "technical", None).unwrap_err(),
        StoreError::Duplicate {
            entity: "interview type name",
            name: "technical".into()
        }
    );
    assert!(matches!(
        create_interview_type(&mut db.conn, "   ", None),
        Err(StoreError::Invalid(_))
    ));
    let long = "x".repeat(MAX_NAME_CHARS + 1);
    let err = create_interview_type(&mut db.conn, &long, None).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "interview type name must be at most {MAX_NAME_CHARS} characters (got {})",
            MAX_NAME_CHARS + 1
        )
    );
    assert_eq!(get_interview_types(&db.conn).unwrap().len(), 6);
}

#[test]
fn skills_list_get_and_create() {
    let mut db = test_db();
    let skills = get_skills(&db.conn).unwrap();
    assert_eq!(skills.len(), 17);
    let mut sorted = skills.clone();
    sorted.sort_by_key(|s| s.name.to_lowercase());
    assert_eq!(skills, sorted, "skills come by name");

    let rust = create_skill(&mut db.conn, "Rust", Some("Ownership and all that.")).unwrap();
    assert_eq!(get_skill_by_id(&db.conn, rust.id).unwrap(), Some(rust));
    assert_eq!(get_skill_by_id(&db.conn, SkillId(-1)).unwrap(), None);
    assert!(matches!(
        create_skill(&mut db.conn, "PYTHON", None),
        Err(StoreError::Duplicate {
            entity: "skill name",
            ..
        })
    ));
    let long_description = "d".repeat(MAX_DESCRIPTION_CHARS + 1);
    assert!(matches!(
        create_skill(&mut db.conn, "Zig", Some(&long_description)),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(get_skills(&db.conn).unwrap().len(), 18);
}

#[test]
fn suggested_skills_for_unknown_or_empty_type() {
    let mut db = test_db();
    assert_eq!(
        get_suggested_skills_for_type(&db.conn, InterviewTypeId(4242)).unwrap_err(),
        StoreError::NotFound("interview type 4242".into())
    );
    let bare = create_interview_type(&mut db.conn, "Bare", None).unwrap();
    assert_eq!(
        get_suggested_skills_for_type(&db.conn, bare.id).unwrap(),
        vec![]
    );
}

// ---------------------------------------------------------------- questions

#[test]
fn questions_by_skill_ids_are_ordered_and_complete() {
    let db = test_db();
    let (go, sql) = (
        skill_id(&db.conn, "Go"),
        skill_id(&db.conn, "Databases (SQL)"),
    );
    let questions = get_questions_by_skill_ids(&db.conn, &[sql, go, SkillId(9999)]).unwrap();
    let in_bank = |ids: &str| {
        count(
            &db.conn,
            &format!("SELECT count(*) FROM Questions WHERE skill_id IN ({ids})"),
        )
    };
    assert_eq!(questions.len() as i64, in_bank(&format!("{sql}, {go}")));
    let key =
        |q: &crate::model::Question| (q.skill_id.unwrap(), q.difficulty.map(|d| d as u8), q.id);
    assert!(
        questions.windows(2).all(|w| key(&w[0]) < key(&w[1])),
        "skill, difficulty, id order"
    );
    assert_eq!(
        questions,
        get_questions_by_skill_ids(&db.conn, &[go, sql]).unwrap(),
        "input order does not matter"
    );
    assert!(
        get_questions_by_skill_ids(&db.conn, &[])
            .unwrap()
            .is_empty()
    );
}

#[test]
fn questions_by_type_and_skills_follows_its_documented_rules() {
    let db = test_db();
    let technical = type_id(&db.conn, "Technical");
    let suggested: Vec<SkillId> = get_suggested_skills_for_type(&db.conn, technical)
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();

    // No skills: the type's suggested skills.
    let pool =
        get_questions_by_interview_type_and_skill_ids(&db.conn, Some(technical), &[]).unwrap();
    let in_bank = |ids: &[SkillId]| {
        let ids: Vec<String> = ids.iter().map(SkillId::to_string).collect();
        count(
            &db.conn,
            &format!(
                "SELECT count(*) FROM Questions WHERE skill_id IN ({})",
                ids.join(", ")
            ),
        ) as usize
    };
    assert_eq!(pool.len(), in_bank(&suggested));
    assert!(
        pool.iter()
            .all(|q| suggested.contains(&q.skill_id.unwrap()))
    );
    assert_eq!(
        pool,
        get_questions_by_interview_type_and_skill_ids(&db.conn, Some(technical), &[]).unwrap(),
        "deterministic"
    );

    // Skills given: those skills only, the type's suggestions first.
    let (go, python) = (skill_id(&db.conn, "Go"), skill_id(&db.conn, "Python"));
    let pool =
        get_questions_by_interview_type_and_skill_ids(&db.conn, Some(technical), &[go, python])
            .unwrap();
    assert_eq!(pool.len(), in_bank(&[go, python]));
    let n_python = in_bank(&[python]);
    assert!(
        pool[..n_python].iter().all(|q| q.skill_id == Some(python)),
        "suggested Python before Go"
    );
    assert!(pool[n_python..].iter().all(|q| q.skill_id == Some(go)));
    assert_eq!(pool[0].difficulty, Some(Difficulty::Easy));

    // No type: same as by skills.
    assert_eq!(
        get_questions_by_interview_type_and_skill_ids(&db.conn, None, &[go]).unwrap(),
        get_questions_by_skill_ids(&db.conn, &[go]).unwrap()
    );
    assert!(
        get_questions_by_interview_type_and_skill_ids(&db.conn, None, &[])
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        get_questions_by_interview_type_and_skill_ids(&db.conn, Some(InterviewTypeId(777)), &[go])
            .unwrap_err(),
        StoreError::NotFound("interview type 777".into())
    );
}

#[test]
fn sampling_is_seeded_wraps_around_and_respects_exclusions() {
    let db = test_db();
    let go = skill_id(&db.conn, "Go");
    let pool = get_questions_by_skill_ids(&db.conn, &[go]).unwrap();
    let mut pool_ids: Vec<QuestionId> = pool.iter().map(|q| q.id).collect();
    pool_ids.sort();

    let sample = |d, seed, n, ex: &[QuestionId]| {
        sample_questions(&db.conn, go, d, None, seed, n, ex).unwrap()
    };
    let all = sample(None, 0, 100, &[]);
    assert_eq!(
        all.iter().map(|r| r.id).collect::<Vec<_>>(),
        pool_ids,
        "seed 0 starts at the lowest id"
    );
    assert_eq!(
        sample(None, 5, 3, &[]),
        sample(None, 5, 3, &[]),
        "deterministic"
    );
    assert_ne!(
        sample(None, 5, 3, &[]),
        sample(None, 6, 3, &[]),
        "another seed starts elsewhere"
    );

    // From a point near the end it wraps to the start, and never repeats.
    let last = pool_ids.len() - 1;
    let span = (pool_ids[last].0 - pool_ids[0].0 + 1) as u64;
    let wrapped = sample(None, span - 1, 4, &[]);
    assert_eq!(
        wrapped.iter().map(|r| r.id).collect::<Vec<_>>(),
        [pool_ids[last], pool_ids[0], pool_ids[1], pool_ids[2]]
    );
    let everything = sample(None, 4, 50, &[]);
    assert_eq!(everything.len(), pool_ids.len());

    let hard = sample(Some(Difficulty::Hard), 1, 10, &[]);
    let hard_in_pool = pool
        .iter()
        .filter(|q| q.difficulty == Some(Difficulty::Hard))
        .count();
    assert!(hard_in_pool >= 3);
    assert_eq!(hard.len(), hard_in_pool);
    assert!(
        hard.iter()
            .all(|r| r.difficulty == Some(Difficulty::Hard) && r.skill_id == Some(go))
    );
    let all_but_second: Vec<QuestionId> = hard
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .map(|(_, r)| r.id)
        .collect();
    let excluded = sample(Some(Difficulty::Hard), 1, 10, &all_but_second);
    assert_eq!(
        excluded.iter().map(|r| r.id).collect::<Vec<_>>(),
        [hard[1].id]
    );
    assert!(
        sample(None, 1, 5, &pool_ids).is_empty(),
        "everything excluded"
    );
    assert!(
        sample_questions(&db.conn, SkillId(9999), None, None, 1, 5, &[])
            .unwrap()
            .is_empty(),
        "unknown skill"
    );

    let texts =
        get_questions_by_ids(&db.conn, &[pool_ids[5], QuestionId(999_999), pool_ids[0]]).unwrap();
    assert_eq!(
        texts.iter().map(|q| q.id).collect::<Vec<_>>(),
        [pool_ids[5], pool_ids[0]],
        "asked order, unknown left out"
    );
    assert!(get_questions_by_ids(&db.conn, &[]).unwrap().is_empty());
}

#[test]
fn questions_of_a_deleted_skill_stay_in_the_bank_but_are_never_selected() {
    let mut db = test_db();
    let go = skill_id(&db.conn, "Go");
    let go_questions = get_questions_by_skill_ids(&db.conn, &[go]).unwrap();
    delete_skill(&mut db.conn, go).unwrap();
    assert_eq!(get_skill_by_id(&db.conn, go).unwrap(), None);
    assert_eq!(
        count(
            &db.conn,
            &format!(
                "SELECT count(*) FROM Questions WHERE skill_id IS NULL AND question_id IN ({})",
                go_questions
                    .iter()
                    .map(|q| q.id.to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            )
        ),
        go_questions.len() as i64
    );
    assert!(
        get_questions_by_skill_ids(&db.conn, &[go])
            .unwrap()
            .is_empty()
    );
    let all_ids: Vec<SkillId> = (1..=100).map(SkillId).collect();
    assert!(
        get_questions_by_skill_ids(&db.conn, &all_ids)
            .unwrap()
            .iter()
            .all(|q| q.skill_id.is_some())
    );
    assert_eq!(
        delete_skill(&mut db.conn, go).unwrap_err(),
        StoreError::NotFound(format!("skill {go}"))
    );
}

// ---------------------------------------------------------------- interviews

#[test]
fn create_and_get_an_interview() {
    let mut db = test_db();
    let ada = user(&db.conn, "ada");
    let skills = [skill_id(&db.conn, "Python"), skill_id(&db.conn, "Go")];
    let technical = type_id(&db.conn, "Technical");
    let created = create_interview(
        &mut db.conn,
        &NewInterview {
            user_id: ada.clone(),
            title: "  Backend loop  ".into(),
            interview_type_id: Some(technical),
            skill_ids: vec![skills[0], skills[1], skills[0]],
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(created.title.as_deref(), Some("Backend loop"));
    assert_eq!(created.status, InterviewStatus::Pending);
    assert_eq!(created.interview_type.as_ref().unwrap().name, "Technical");
    assert_eq!(
        created
            .skills
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
        ["Go", "Python"]
    );
    assert_eq!(created.user_id, ada);
    assert!(created.started_at.is_none() && created.completed_at.is_none());
    assert_eq!(get_interview(&db.conn, &created.id).unwrap(), created);
    assert_eq!(get_interview_owner(&db.conn, &created.id).unwrap(), ada);
    assert_eq!(
        get_interview(&db.conn, "missing").unwrap_err(),
        StoreError::NotFound("interview missing".into())
    );
}

#[test]
fn the_timer_is_stored_when_it_is_one_of_the_choices_and_refused_otherwise() {
    let mut db = test_db();
    let ada = user(&db.conn, "ada");
    let python = skill_id(&db.conn, "Python");
    let new = |answer_seconds| NewInterview {
        user_id: ada.clone(),
        title: "Timed".into(),
        skill_ids: vec![python],
        answer_seconds,
        ..Default::default()
    };
    let timed = create_interview(&mut db.conn, &new(Some(300))).unwrap();
    assert_eq!(
        get_interview(&db.conn, &timed.id).unwrap().answer_seconds,
        Some(300)
    );
    let untimed = create_interview(&mut db.conn, &new(None)).unwrap();
    assert_eq!(untimed.answer_seconds, None);
    let before = dump(&db.conn);
    for bad in [0, 59, 61, 3600] {
        let err = create_interview(&mut db.conn, &new(Some(bad))).unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid(ref m) if m.contains("time per answer")),
            "{bad}: {err:?}"
        );
    }
    assert_eq!(dump(&db.conn), before, "a refused timer stores nothing");
}

#[test]
fn a_failed_create_stores_nothing() {
    let mut db = test_db();
    let ada = user(&db.conn, "ada");
    let python = skill_id(&db.conn, "Python");
    let technical = type_id(&db.conn, "Technical");
    let base = NewInterview {
        user_id: ada.clone(),
        title: "T".into(),
        interview_type_id: Some(technical),
        skill_ids: vec![python],
        ..Default::default()
    };
    let cases: Vec<(NewInterview, StoreError)> = vec![
        (
            NewInterview {
                skill_ids: vec![python, SkillId(9999)],
                ..base.clone()
            },
            StoreError::NotFound("skill 9999".into()),
        ),
        (
            NewInterview {
                interview_type_id: Some(InterviewTypeId(9999)),
                ..base.clone()
            },
            StoreError::NotFound("interview type 9999".into()),
        ),
        (
            NewInterview {
                user_id: "ghost".into(),
                ..base.clone()
            },
            StoreError::NotFound("user ghost".into()),
        ),
        (
            NewInterview {
                title: " \t ".into(),
                ..base.clone()
            },
            StoreError::Invalid("title must not be empty".into()),
        ),
        (
            NewInterview {
                title: "é".repeat(121),
                ..base.clone()
            },
            StoreError::Invalid("title must be at most 120 characters (got 121)".into()),
        ),
        (
            NewInterview {
                skill_ids: vec![],
                ..base.clone()
            },
            StoreError::Invalid("choose at least one skill".into()),
        ),
        (
            NewInterview {
                skill_ids: (1..=11).map(SkillId).collect(),
                ..base.clone()
            },
            StoreError::Invalid("choose at most 10 skills (got 11)".into()),
        ),
    ];
    let before = dump(&db.conn);
    for (input, expected) in cases {
        assert_eq!(
            create_interview(&mut db.conn, &input).unwrap_err(),
            expected
        );
    }
    assert_eq!(dump(&db.conn), before, "nothing stored by failed creates");
    // 120 characters of a multi-byte letter is fine: the limit counts characters, not bytes.
    create_interview(
        &mut db.conn,
        &NewInterview {
            title: "é".repeat(120),
            ..base
        },
    )
    .unwrap();
}

#[test]
fn skills_of_an_interview_can_be_added_removed_and_replaced() {
    let mut db = test_db();
    let ada = user(&db.conn, "ada");
    let id = interview(&mut db.conn, &ada, "Loop", "Technical", &["Python"]);
    let (python, go) = (skill_id(&db.conn, "Python"), skill_id(&db.conn, "Go"));

    add_skill_to_interview(&mut db.conn, &id, go).unwrap();
    add_skill_to_interview(&mut db.conn, &id, go).unwrap(); // again: no change
    let names = |db: &super::testing::TestDb| -> Vec<String> {
        get_skills_for_interview(&db.conn, &id)
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect()
    };
    assert_eq!(names(&db), ["Go", "Python"]);

    assert_eq!(
        add_skill_to_interview(&mut db.conn, &id, SkillId(9999)).unwrap_err(),
        StoreError::NotFound("skill 9999".into())
    );
    assert_eq!(
        add_skill_to_interview(&mut db.conn, "nope", go).unwrap_err(),
        StoreError::NotFound("interview nope".into())
    );
    assert_eq!(
        get_skills_for_interview(&db.conn, "nope").unwrap_err(),
        StoreError::NotFound("interview nope".into())
    );

    remove_skill_from_interview(&mut db.conn, &id, python).unwrap();
    assert_eq!(names(&db), ["Go"]);
    assert!(matches!(
        remove_skill_from_interview(&mut db.conn, &id, python),
        Err(StoreError::NotFound(_))
    ));
    assert!(
        matches!(
            remove_skill_from_interview(&mut db.conn, &id, go),
            Err(StoreError::Invalid(_))
        ),
        "last skill stays"
    );
    assert_eq!(names(&db), ["Go"]);

    let ten: Vec<SkillId> = (1..=10).map(SkillId).collect();
    let technical = type_id(&db.conn, "Technical");
    assert_eq!(
        set_type_and_skills(&mut db.conn, &id, technical, &ten)
            .unwrap()
            .skills
            .len(),
        10
    );
    let eleventh = skill_id(&db.conn, "Prioritization");
    assert!(matches!(
        add_skill_to_interview(&mut db.conn, &id, eleventh),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        set_type_and_skills(&mut db.conn, &id, technical, &[go, SkillId(9999)]),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        names(&db).len(),
        10,
        "a failed replace keeps the old skills"
    );
}

#[test]
fn type_and_skills_change_together_or_not_at_all() {
    let mut db = test_db();
    let ada = user(&db.conn, "ada");
    let id = interview(&mut db.conn, &ada, "Loop", "Technical", &["Python"]);
    let (behavioral, leadership, go) = (
        type_id(&db.conn, "Behavioral"),
        skill_id(&db.conn, "Leadership"),
        skill_id(&db.conn, "Go"),
    );
    let before = get_interview(&db.conn, &id).unwrap();
    for bad in [
        set_type_and_skills(&mut db.conn, &id, InterviewTypeId(999), &[leadership]).unwrap_err(),
        set_type_and_skills(&mut db.conn, &id, behavioral, &[leadership, SkillId(999)])
            .unwrap_err(),
        set_type_and_skills(&mut db.conn, &id, behavioral, &[]).unwrap_err(),
    ] {
        assert!(
            matches!(bad, StoreError::NotFound(_) | StoreError::Invalid(_)),
            "{bad:?}"
        );
    }
    assert_eq!(
        get_interview(&db.conn, &id).unwrap(),
        before,
        "nothing changed"
    );
    let after = set_type_and_skills(&mut db.conn, &id, behavioral, &[leadership, go]).unwrap();
    assert_eq!(after.interview_type.unwrap().name, "Behavioral");
    assert_eq!(
        after
            .skills
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
        ["Go", "Leadership"]
    );
    assert!(matches!(
        set_type_and_skills(&mut db.conn, "nope", behavioral, &[go]),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn skills_are_fixed_once_the_interview_has_started() {
    let mut db = test_db();
    let ada = user(&db.conn, "ada");
    let id = interview(&mut db.conn, &ada, "Loop", "Technical", &["Python", "Go"]);
    let (behavioral, python, leadership) = (
        type_id(&db.conn, "Behavioral"),
        skill_id(&db.conn, "Python"),
        skill_id(&db.conn, "Leadership"),
    );
    set_interview_status(&mut db.conn, &id, InterviewStatus::InProgress).unwrap();
    let before = get_interview(&db.conn, &id).unwrap();
    for refused in [
        add_skill_to_interview(&mut db.conn, &id, leadership).unwrap_err(),
        remove_skill_from_interview(&mut db.conn, &id, python).unwrap_err(),
        set_type_and_skills(&mut db.conn, &id, behavioral, &[leadership]).unwrap_err(),
    ] {
        assert_eq!(refused, StoreError::Conflict(SKILLS_FIXED.into()));
    }
    assert_eq!(get_interview(&db.conn, &id).unwrap(), before);
    // A missing interview is still "not found", not "started".
    assert!(matches!(
        add_skill_to_interview(&mut db.conn, "nope", leadership),
        Err(StoreError::NotFound(_))
    ));
}

/// An older interview with no type (plan §6).
fn untyped_interview(conn: &mut Connection, user_id: UserId) -> crate::model::Interview {
    create_interview(
        conn,
        &NewInterview {
            user_id,
            title: "Old".into(),
            interview_type_id: None,
            skill_ids: vec![SkillId(1)],
            ..Default::default()
        },
    )
    .unwrap()
}

#[test]
fn an_interviews_type_and_title_can_be_changed() {
    let mut db = test_db();
    let ada = user(&db.conn, "ada");
    // An older interview with no type (plan §6) gets categorised.
    let untyped = untyped_interview(&mut db.conn, ada);
    assert!(untyped.interview_type.is_none());
    let behavioral = type_id(&db.conn, "Behavioral");
    set_interview_type_for_interview(&mut db.conn, &untyped.id, behavioral).unwrap();
    let after = get_interview(&db.conn, &untyped.id).unwrap();
    assert_eq!(after.interview_type.unwrap().name, "Behavioral");
    assert!(after.updated_at >= untyped.updated_at);
    assert!(matches!(
        set_interview_type_for_interview(&mut db.conn, &untyped.id, InterviewTypeId(9999)),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        set_interview_type_for_interview(&mut db.conn, "nope", behavioral),
        Err(StoreError::NotFound(_))
    ));

    update_interview(&mut db.conn, &untyped.id, Some(" New title "), None).unwrap();
    assert_eq!(
        get_interview(&db.conn, &untyped.id)
            .unwrap()
            .title
            .as_deref(),
        Some("New title")
    );
    assert!(matches!(
        update_interview(&mut db.conn, &untyped.id, Some(""), None),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        update_interview(&mut db.conn, "nope", Some("x"), None),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn a_started_interviews_type_is_fixed_but_a_typeless_one_can_be_given_one() {
    let mut db = test_db();
    let ada = user(&db.conn, "ada");
    let id = interview(&mut db.conn, &ada, "Loop", "Technical", &["Python"]);
    let behavioral = type_id(&db.conn, "Behavioral");
    let technical = type_id(&db.conn, "Technical");
    set_interview_status(&mut db.conn, &id, InterviewStatus::InProgress).unwrap();
    for refused in [
        update_interview(&mut db.conn, &id, Some("Renamed"), Some(behavioral)).map(|_| ()),
        set_interview_type_for_interview(&mut db.conn, &id, behavioral),
    ] {
        assert_eq!(refused, Err(StoreError::Conflict(TYPE_FIXED.into())));
    }
    let after = get_interview(&db.conn, &id).unwrap();
    assert_eq!(after.interview_type.unwrap().name, "Technical");
    assert_eq!(after.title.as_deref(), Some("Loop"), "nothing changed");
    // Naming the type it has, or only the title, is fine.
    update_interview(&mut db.conn, &id, Some("Renamed"), Some(technical)).unwrap();

    // A completed interview with no type (an older one) is given one.
    let untyped = untyped_interview(&mut db.conn, ada);
    set_interview_status(&mut db.conn, &untyped.id, InterviewStatus::InProgress).unwrap();
    set_interview_status(&mut db.conn, &untyped.id, InterviewStatus::Completed).unwrap();
    let typed = update_interview(&mut db.conn, &untyped.id, None, Some(behavioral)).unwrap();
    assert_eq!(typed.interview_type.unwrap().name, "Behavioral");
    // ...once: after that it is fixed like any other.
    assert_eq!(
        set_interview_type_for_interview(&mut db.conn, &untyped.id, technical),
        Err(StoreError::Conflict(TYPE_FIXED.into()))
    );
}

#[test]
fn status_changes_follow_the_lifecycle() {
    let mut db = test_db();
    let ada = user(&db.conn, "ada");
    let id = interview(&mut db.conn, &ada, "Loop", "Technical", &["Python"]);

    let err = set_interview_status(&mut db.conn, &id, InterviewStatus::Completed).unwrap_err();
    assert_eq!(
        err,
        StoreError::Conflict("an interview that is not started cannot become completed".into())
    );
    assert_eq!(
        get_interview(&db.conn, &id).unwrap().status,
        InterviewStatus::Pending
    );

    let started = set_interview_status(&mut db.conn, &id, InterviewStatus::InProgress).unwrap();
    let started_at = started.started_at.clone().expect("started_at set");
    let interrupted = set_interview_status(&mut db.conn, &id, InterviewStatus::Error).unwrap();
    assert_eq!(interrupted.status, InterviewStatus::Error);
    let resumed = set_interview_status(&mut db.conn, &id, InterviewStatus::InProgress).unwrap();
    assert_eq!(
        resumed.started_at.as_deref(),
        Some(started_at.as_str()),
        "started_at is set once"
    );

    let done = set_interview_status(&mut db.conn, &id, InterviewStatus::Completed).unwrap();
    assert!(done.completed_at.is_some());
    for next in InterviewStatus::ALL {
        assert!(matches!(
            set_interview_status(&mut db.conn, &id, *next),
            Err(StoreError::Conflict(_))
        ));
    }
    assert_eq!(get_interview(&db.conn, &id).unwrap(), done);
    assert!(matches!(
        set_interview_status(&mut db.conn, "nope", InterviewStatus::InProgress),
        Err(StoreError::NotFound(_))
    ));

    let other = interview(&mut db.conn, &ada, "Other", "Technical", &["Python"]);
    let cancelled = set_interview_status(&mut db.conn, &other, InterviewStatus::Cancelled).unwrap();
    assert!(cancelled.completed_at.is_none() && cancelled.started_at.is_none());
}

// ---------------------------------------------------------------- listing

thread_local! {
    static STATEMENTS: Cell<usize> = const { Cell::new(0) };
}

fn count_statement(_event: rusqlite::trace::TraceEvent<'_>) {
    STATEMENTS.with(|c| c.set(c.get() + 1));
}

/// How many SQL statements `f` runs on `conn`.
fn statements_run<T>(conn: &mut Connection, f: impl FnOnce(&Connection) -> T) -> (usize, T) {
    STATEMENTS.with(|c| c.set(0));
    conn.trace_v2(
        rusqlite::trace::TraceEventCodes::SQLITE_TRACE_STMT,
        Some(count_statement),
    );
    let out = f(conn);
    conn.trace_v2(rusqlite::trace::TraceEventCodes::empty(), None);
    (STATEMENTS.with(Cell::get), out)
}

#[test]
fn listing_filters_pages_and_orders_newest_first() {
    let mut db = test_db();
    let ada = user(&db.conn, "ada");
    let bob = user(&db.conn, "bob");
    let a = interview(
        &mut db.conn,
        &ada,
        "Python warm-up",
        "Technical",
        &["Python", "Problem Solving"],
    );
    let b = interview(
        &mut db.conn,
        &ada,
        "Leadership loop",
        "Behavioral",
        &["Leadership", "Communication"],
    );
    let c = interview(
        &mut db.conn,
        &ada,
        "100% python_and go",
        "Technical",
        &["Python", "Go"],
    );
    interview(&mut db.conn, &bob, "Bob's python", "Technical", &["Python"]);
    set_interview_status(&mut db.conn, &b, InterviewStatus::InProgress).unwrap();

    let ids = |f: InterviewFilter| -> Vec<InterviewId> {
        list_interviews(&db.conn, &ada, &f)
            .unwrap()
            .interviews
            .into_iter()
            .map(|i| i.id)
            .collect()
    };
    assert_eq!(
        ids(InterviewFilter::default()),
        [c.clone(), b.clone(), a.clone()],
        "newest first, only ada's"
    );
    let technical = type_id(&db.conn, "Technical");
    assert_eq!(
        ids(InterviewFilter {
            interview_type_id: Some(technical),
            ..Default::default()
        }),
        [c.clone(), a.clone()]
    );
    let python = skill_id(&db.conn, "Python");
    let go = skill_id(&db.conn, "Go");
    assert_eq!(
        ids(InterviewFilter {
            skill_ids: vec![python],
            ..Default::default()
        }),
        [c.clone(), a.clone()]
    );
    assert_eq!(
        ids(InterviewFilter {
            skill_ids: vec![python, go, python],
            ..Default::default()
        }),
        vec![c.clone()],
        "all of the skills"
    );
    assert_eq!(
        ids(InterviewFilter {
            status: Some(InterviewStatus::InProgress),
            ..Default::default()
        }),
        vec![b.clone()]
    );
    assert_eq!(
        ids(InterviewFilter {
            title_query: Some("PYTHON".into()),
            ..Default::default()
        }),
        [c.clone(), a.clone()]
    );
    assert_eq!(
        ids(InterviewFilter {
            title_query: Some("100%".into()),
            ..Default::default()
        }),
        vec![c.clone()]
    );
    assert_eq!(
        ids(InterviewFilter {
            title_query: Some("p_thon".into()),
            ..Default::default()
        }),
        Vec::<String>::new(),
        "_ is literal"
    );
    assert_eq!(
        ids(InterviewFilter {
            title_query: Some("   ".into()),
            ..Default::default()
        })
        .len(),
        3,
        "blank search is no search"
    );
    assert!(
        ids(InterviewFilter {
            status: Some(InterviewStatus::Completed),
            ..Default::default()
        })
        .is_empty()
    );

    let page = list_interviews(
        &db.conn,
        &ada,
        &InterviewFilter {
            page: 2,
            per_page: 2,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        (page.total, page.page, page.per_page, page.page_count()),
        (3, 2, 2, 2)
    );
    assert_eq!(
        page.interviews
            .iter()
            .map(|i| i.id.clone())
            .collect::<Vec<_>>(),
        vec![a.clone()]
    );
    assert_eq!(
        page.interviews[0]
            .skills
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
        ["Problem Solving", "Python"]
    );
    assert_eq!(
        page.interviews[0],
        get_interview(&db.conn, &a).unwrap(),
        "a listed interview is whole"
    );
    let beyond = list_interviews(
        &db.conn,
        &ada,
        &InterviewFilter {
            page: 9,
            per_page: 2,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(beyond.interviews.is_empty());
    assert_eq!(beyond.total, 3);
    let clamped = list_interviews(
        &db.conn,
        &ada,
        &InterviewFilter {
            per_page: 10_000,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(clamped.per_page, MAX_PER_PAGE);
}

#[test]
fn listing_runs_the_same_number_of_queries_for_any_page_size() {
    let mut db = test_db();
    let ada = user(&db.conn, "ada");
    for i in 0..60 {
        interview(
            &mut db.conn,
            &ada,
            &format!("Interview {i}"),
            "Technical",
            &["Python", "Go", "Java"],
        );
    }
    let skills = vec![skill_id(&db.conn, "Python"), skill_id(&db.conn, "Go")];
    let mut runs = Vec::new();
    for per_page in [1, 10, 60] {
        let (n, page) = statements_run(&mut db.conn, |c| {
            list_interviews(
                c,
                &ada,
                &InterviewFilter {
                    per_page,
                    skill_ids: skills.clone(),
                    ..Default::default()
                },
            )
            .unwrap()
        });
        assert_eq!(page.interviews.len(), per_page as usize);
        runs.push(n);
    }
    assert!(
        runs.iter().all(|n| *n == runs[0] && *n <= 3),
        "statements per listing: {runs:?}"
    );
}

// ---------------------------------------------------------------- messages and cascades

#[test]
fn messages_append_in_order_and_list_back() {
    let mut db = test_db();
    let ada = user(&db.conn, "ada");
    let id = interview(&mut db.conn, &ada, "Loop", "Technical", &["Python"]);
    set_interview_status(&mut db.conn, &id, InterviewStatus::InProgress).unwrap();
    let roles = [
        Role::Interviewer,
        Role::Candidate,
        Role::Interviewer,
        Role::Candidate,
    ];
    for (i, role) in roles.iter().enumerate() {
        let m = append_message(&mut db.conn, &id, *role, &format!("message {i}")).unwrap();
        assert_eq!(m.seq, i as i64 + 1);
    }
    let listed = list_messages(&db.conn, &id).unwrap();
    assert_eq!(
        listed.iter().map(|m| m.content.clone()).collect::<Vec<_>>(),
        ["message 0", "message 1", "message 2", "message 3"]
    );
    assert_eq!(listed.iter().map(|m| m.role).collect::<Vec<_>>(), roles);

    assert!(matches!(
        append_message(&mut db.conn, &id, Role::Candidate, "  \n "),
        Err(StoreError::Invalid(_))
    ));
    let huge = "a".repeat(MAX_MESSAGE_CHARS + 1);
    assert!(matches!(
        append_message(&mut db.conn, &id, Role::Candidate, &huge),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        append_message(&mut db.conn, "nope", Role::Candidate, "hi"),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        list_messages(&db.conn, "nope"),
        Err(StoreError::NotFound(_))
    ));

    set_interview_status(&mut db.conn, &id, InterviewStatus::Completed).unwrap();
    assert!(matches!(
        append_message(&mut db.conn, &id, Role::Candidate, "late"),
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(list_messages(&db.conn, &id).unwrap().len(), 4);
}

#[test]
fn deleting_an_interview_removes_its_skill_links_and_messages() {
    let mut db = test_db();
    let ada = user(&db.conn, "ada");
    let keep = interview(&mut db.conn, &ada, "Keep", "Technical", &["Python"]);
    let gone = interview(&mut db.conn, &ada, "Gone", "Technical", &["Python", "Go"]);
    append_message(&mut db.conn, &gone, Role::Interviewer, "Hello").unwrap();
    append_message(&mut db.conn, &keep, Role::Interviewer, "Hello").unwrap();
    db.conn
        .execute(
            "INSERT INTO Interview_Questions (interview_question_id, interview_id, question_bank_id,
             question_text_snapshot, order_in_interview) VALUES ('q1', ?1, 1, 'Q?', 1)",
            [&gone],
        )
        .unwrap();
    db.conn
        .execute(
            "INSERT INTO AI_Feedback (feedback_id, interview_id, skill_id, rating) VALUES ('f1', ?1, 1, 3)",
            [&gone],
        )
        .unwrap();

    delete_interview(&mut db.conn, &gone).unwrap();
    for table in [
        "Interview_Skills",
        "Messages",
        "Interview_Questions",
        "AI_Feedback",
    ] {
        assert_eq!(
            count(
                &db.conn,
                &format!("SELECT count(*) FROM {table} WHERE interview_id = '{gone}'")
            ),
            0,
            "{table}"
        );
    }
    assert_eq!(
        count(
            &db.conn,
            &format!("SELECT count(*) FROM Messages WHERE interview_id = '{keep}'")
        ),
        1
    );
    assert_eq!(get_skills_for_interview(&db.conn, &keep).unwrap().len(), 1);
    assert_eq!(
        delete_interview(&mut db.conn, &gone).unwrap_err(),
        StoreError::NotFound(format!("interview {gone}"))
    );
}

#[test]
fn deleting_a_skill_unlinks_it_from_interviews_and_types() {
    let mut db = test_db();
    let ada = user(&db.conn, "ada");
    let id = interview(&mut db.conn, &ada, "Loop", "Technical", &["Python", "Go"]);
    let python = skill_id(&db.conn, "Python");
    delete_skill(&mut db.conn, python).unwrap();
    assert_eq!(
        get_skills_for_interview(&db.conn, &id)
            .unwrap()
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
        ["Go"]
    );
    assert_eq!(
        get_suggested_skills_for_type(&db.conn, type_id(&db.conn, "Technical"))
            .unwrap()
            .len(),
        3
    );
}

// ---------------------------------------------------------------- turn leases

#[test]
fn a_turn_is_removed_when_its_lease_runs_out_or_its_own_node_restarts_not_before() {
    let mut db = test_db();
    let ada = user(&db.conn, "ada");
    let id = interview(&mut db.conn, &ada, "Leased", "Technical", &["Python"]);
    let pending =
        insert_pending_turn(&db.conn, &id, &ada, Some("my answer"), None, "node-a").unwrap();
    let pending_rows = |c: &Connection| {
        count(
            c,
            "SELECT count(*) FROM Messages WHERE processing_status = 'pending'",
        )
    };
    assert_eq!(pending_rows(&db.conn), 2);

    // Another node starting, and a sweep, leave a live lease alone.
    assert_eq!(expire_turns(&mut db.conn, Some("node-b")).unwrap(), 0);
    assert_eq!(expire_turns(&mut db.conn, None).unwrap(), 0);
    assert_eq!(pending_rows(&db.conn), 2);

    // A lapsed lease goes at the next sweep; renewing first keeps it.
    let lapse = |c: &Connection| {
        c.execute(
            "UPDATE Messages SET lease_until = strftime('%Y-%m-%d %H:%M:%f', 'now', '-1 seconds')",
            [],
        )
        .unwrap();
    };
    lapse(&db.conn);
    assert!(renew_turn_lease(&db.conn, &pending, "node-a").unwrap());
    assert!(
        !renew_turn_lease(&db.conn, &pending, "node-b").unwrap(),
        "only its owner renews it"
    );
    assert_eq!(expire_turns(&mut db.conn, None).unwrap(), 0);
    lapse(&db.conn);
    assert_eq!(expire_turns(&mut db.conn, None).unwrap(), 2);
    assert_eq!(pending_rows(&db.conn), 0);
    assert!(
        !renew_turn_lease(&db.conn, &pending, "node-a").unwrap(),
        "gone"
    );

    // Its own node restarting removes it at once, lease or not.
    insert_pending_turn(&db.conn, &id, &ada, None, None, "node-a").unwrap();
    assert_eq!(expire_turns(&mut db.conn, Some("node-a")).unwrap(), 1);
    // Rows from before leases have none: lapsed.
    insert_pending_turn(&db.conn, &id, &ada, None, None, "node-a").unwrap();
    db.conn
        .execute(
            "UPDATE Messages SET lease_until = NULL, lease_owner = NULL",
            [],
        )
        .unwrap();
    assert_eq!(expire_turns(&mut db.conn, None).unwrap(), 1);
}

#[test]
fn a_reply_being_written_is_readable_by_followers_elsewhere_until_stored_or_gone() {
    let mut db = test_db();
    let ada = user(&db.conn, "ada");
    let id = interview(&mut db.conn, &ada, "Followed", "Technical", &["Python"]);
    assert_eq!(pending_reply(&db.conn, &id).unwrap(), None);
    let pending = insert_pending_turn(&db.conn, &id, &ada, None, None, "node-a").unwrap();
    let reply = pending.reply_message_id.as_str();
    assert!(save_partial_reply(&db.conn, reply, "Hello and").unwrap());
    assert_eq!(
        pending_reply(&db.conn, &id).unwrap(),
        Some((reply.to_owned(), "Hello and".to_owned()))
    );
    assert_eq!(
        stored_reply(&db.conn, reply).unwrap(),
        StoredReply::Writing("Hello and".into())
    );
    db.conn
        .execute(
            "UPDATE Messages SET processing_status = 'completed', content = 'Hello and welcome.'",
            [],
        )
        .unwrap();
    assert_eq!(
        stored_reply(&db.conn, reply).unwrap(),
        StoredReply::Done("Hello and welcome.".into())
    );
    assert!(
        !save_partial_reply(&db.conn, reply, "late").unwrap(),
        "a stored reply stays"
    );
    let pending = insert_pending_turn(&db.conn, &id, &ada, None, None, "node-a").unwrap();
    abort_turn(&mut db.conn, &pending).unwrap();
    assert_eq!(
        stored_reply(&db.conn, &pending.reply_message_id).unwrap(),
        StoredReply::Gone
    );
}

// ---------------------------------------------------------------- the sign-in slowdown

#[test]
fn failure_counts_grow_restart_after_the_memory_and_are_forgiven_and_forgotten() {
    let db = test_db();
    let forget = std::time::Duration::from_secs(900);
    let keys = |k: &[&str]| k.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let of = |key: &str| {
        failure_counts(&db.conn, &keys(&[key]))
            .unwrap()
            .first()
            .map(|c| c.failures)
    };
    add_failures(&db.conn, &keys(&["ip:a", "user:ada"]), forget).unwrap();
    add_failures(&db.conn, &keys(&["ip:a", "user:ada"]), forget).unwrap();
    assert_eq!(
        (of("ip:a"), of("user:ada"), of("user:bob")),
        (Some(2), Some(2), None)
    );
    let age = |c: &Connection| {
        c.execute(
            "UPDATE Signin_Failures SET last_failure =
                 strftime('%Y-%m-%d %H:%M:%f', 'now', '-901 seconds') WHERE key = 'ip:a'",
            [],
        )
        .unwrap();
    };
    age(&db.conn);
    let counted = failure_counts(&db.conn, &keys(&["ip:a"])).unwrap();
    assert!(counted[0].since_last >= forget, "{counted:?}");
    add_failures(&db.conn, &keys(&["ip:a"]), forget).unwrap();
    assert_eq!(of("ip:a"), Some(1), "an old count starts again");
    forgive_failures(&db.conn, &keys(&["user:ada"]), &keys(&["ip:a"])).unwrap();
    assert_eq!((of("ip:a"), of("user:ada")), (Some(0), None));
    age(&db.conn);
    assert_eq!(forget_old_failures(&db.conn, forget).unwrap(), 1);
    assert_eq!(of("ip:a"), None);
}

// ---------------------------------------------------------------- users

#[test]
fn users_are_unique_and_validated() {
    let db = test_db();
    let new = |username, email| NewUser {
        username,
        email,
        hashed_password: Some("$argon2id$v=19$fake"),
    };
    let ada = create_user(&db.conn, &new("ada", Some("ada@example.com"))).unwrap();
    assert_eq!(
        get_user_by_id(&db.conn, &ada.id).unwrap(),
        Some(ada.clone())
    );
    let (found, hash) = get_user_by_username(&db.conn, "ADA").unwrap().unwrap();
    assert_eq!((found, hash.as_deref()), (ada, Some("$argon2id$v=19$fake")));
    assert_eq!(
        create_user(&db.conn, &new("Ada", None)).unwrap_err(),
        StoreError::Duplicate {
            entity: "username",
            name: "Ada".into()
        }
    );
    assert_eq!(
        create_user(&db.conn, &new("ada2", Some("ADA@example.com")))
            .unwrap_err()
            .to_string(),
        "email 'ADA@example.com' is already taken"
    );
    let too_long = "x".repeat(33);
    for bad in ["ab", "has space", "émile", too_long.as_str()] {
        assert!(
            matches!(
                create_user(&db.conn, &new(bad, None)),
                Err(StoreError::Invalid(_))
            ),
            "{bad}"
        );
    }
    assert!(matches!(
        create_user(&db.conn, &new("carol", Some("not-an-email"))),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(count(&db.conn, "SELECT count(*) FROM Users"), 1);
    assert_eq!(get_user_by_username(&db.conn, "nobody").unwrap(), None);
}

#[test]
fn deleting_a_user_removes_their_interviews() {
    let mut db = test_db();
    let ada = user(&db.conn, "ada");
    let id = interview(&mut db.conn, &ada, "Loop", "Technical", &["Python"]);
    db.conn
        .execute("DELETE FROM Users WHERE user_id = ?1", [&ada])
        .unwrap();
    assert!(matches!(
        get_interview(&db.conn, &id),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(count(&db.conn, "SELECT count(*) FROM Interview_Skills"), 0);
}

// ---------------------------------------------------------------- errors and concurrency

#[test]
fn internal_errors_never_show_sqlite_text() {
    let e: StoreError = rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
        Some("database disk image is malformed: table Users".into()),
    )
    .into();
    assert_eq!(e.to_string(), "internal storage error");
    let busy: StoreError =
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY), None)
            .into();
    assert_eq!(busy, StoreError::Busy);
}

#[test]
fn concurrent_requests_do_not_fail_with_database_is_locked() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("c.sqlite3")).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let ada = db
            .write(|c| {
                create_user(
                    c,
                    &NewUser {
                        username: "ada",
                        email: None,
                        hashed_password: None,
                    },
                )
            })
            .await
            .unwrap()
            .id;
        let mut tasks = Vec::new();
        for t in 0..16 {
            let db = db.clone();
            let ada = ada.clone();
            tasks.push(tokio::spawn(async move {
                for i in 0..25 {
                    let new = NewInterview {
                        user_id: ada.clone(),
                        title: format!("t{t} i{i}"),
                        interview_type_id: Some(InterviewTypeId(1)),
                        skill_ids: (1..=5).map(SkillId).collect(),
                        ..Default::default()
                    };
                    let id = db.write(move |c| create_interview(c, &new)).await?.id;
                    db.write({
                        let id = id.clone();
                        move |c| append_message(c, &id, Role::Interviewer, "Hi")
                    })
                    .await?;
                    let ada = ada.clone();
                    db.read(move |c| list_interviews(c, &ada, &InterviewFilter::default()))
                        .await?;
                    db.read(move |c| get_interview(c, &id)).await?;
                }
                Ok::<_, StoreError>(())
            }));
        }
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        let total = db
            .read(move |c| list_interviews(c, &ada, &InterviewFilter::default()))
            .await
            .unwrap()
            .total;
        assert_eq!(total, 16 * 25);
    });
}
