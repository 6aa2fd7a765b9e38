//! Store benchmark on a generated bank: 1,000 skills, 1,000,000 questions, one user with 10,000
//! interviews, in a real SQLite file (WAL). Prints latency percentiles and throughput.
//!
//!     cargo bench -p app --features ssr --bench store
//!
//! Targets: starting an interview — the plan for 5 skills, with type tags and themes, on the
//! path `take_turn` runs — p50 < 1 ms (issue 10, against the whole-pool baseline printed
//! beside it); creating interviews with 5 skills ≥ 3,000/s; one page of a 10,000-interview
//! history < 2 ms (issue 2).

use app::model::{InterviewFilter, InterviewStatus, InterviewTypeId, SkillId, TurnAction};
use app::store::{self, Db, NewInterview, NewUser};
use rusqlite::{Connection, params};
use std::time::{Duration, Instant};

const SKILLS: i64 = 1_000;
const QUESTIONS_PER_SKILL: i64 = 1_000;
const HISTORY: usize = 10_000;

/// A small deterministic generator (xorshift), so every run measures the same workload.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: i64) -> i64 {
        (self.next() % n as u64) as i64
    }
}

fn five_skills(rng: &mut Rng, first: i64) -> Vec<SkillId> {
    let mut ids = Vec::with_capacity(5);
    while ids.len() < 5 {
        let id = SkillId(first + rng.below(SKILLS));
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

struct Stats {
    samples: Vec<Duration>,
}

impl Stats {
    fn measure(iterations: usize, mut f: impl FnMut(usize)) -> Stats {
        for i in 0..iterations.min(20) {
            f(i); // warm the page cache and the statement cache
        }
        let mut samples = Vec::with_capacity(iterations);
        for i in 0..iterations {
            let start = Instant::now();
            f(i);
            samples.push(start.elapsed());
        }
        samples.sort();
        Stats { samples }
    }
    fn pct(&self, p: f64) -> Duration {
        let idx = ((self.samples.len() as f64 - 1.0) * p).round() as usize;
        self.samples[idx]
    }
    fn print(&self, name: &str, target: Option<Duration>) {
        let p50 = self.pct(0.50);
        let verdict = match target {
            Some(t) if p50 <= t => format!("  (target p50 < {t:?}: met)"),
            Some(t) => format!("  (target p50 < {t:?}: MISSED)"),
            None => String::new(),
        };
        println!(
            "{name:<58} p50 {:>9.3} ms  p99 {:>9.3} ms  max {:>9.3} ms{verdict}",
            ms(p50),
            ms(self.pct(0.99)),
            ms(*self.samples.last().unwrap()),
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn generate_bank(conn: &mut Connection) -> i64 {
    let start = Instant::now();
    let tx = conn.transaction().unwrap();
    let first_skill: i64 = {
        let mut insert = tx
            .prepare(
                "INSERT INTO Skills (skill_name, description) VALUES (?1, ?2) RETURNING skill_id",
            )
            .unwrap();
        let mut first = None;
        for s in 0..SKILLS {
            let id: i64 = insert
                .query_row(params![format!("Bench skill {s:04}"), "generated"], |r| {
                    r.get(0)
                })
                .unwrap();
            first.get_or_insert(id);
        }
        first.unwrap()
    };
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO Questions (skill_id, question_text, difficulty_level, theme)
                 VALUES (?1, ?2, ?3, ?4) RETURNING question_id",
            )
            .unwrap();
        let mut tag = tx
            .prepare("INSERT INTO Question_Interview_Types (question_id, interview_type_id) VALUES (?1, ?2)")
            .unwrap();
        let levels = ["easy", "medium", "hard"];
        for s in 0..SKILLS {
            for q in 0..QUESTIONS_PER_SKILL {
                let id: i64 = insert
                    .query_row(
                        params![
                            first_skill + s,
                            format!("Generated question {q} for skill {s}: explain the trade-offs of your approach and how you would test it?"),
                            levels[(q % 3) as usize],
                            // Themes shared across skills, so plans must skip some.
                            format!("theme-{}", (s * 7 + q) % 400)
                        ],
                        |r| r.get(0),
                    )
                    .unwrap();
                // A third of each skill suits Technical interviews, a third Behavioral.
                match q % 10 {
                    0..=2 => tag.execute(params![id, 1]).unwrap(),
                    3..=5 => tag.execute(params![id, 2]).unwrap(),
                    _ => 0,
                };
            }
        }
    }
    tx.commit().unwrap();
    conn.execute_batch("ANALYZE").unwrap();
    let n: i64 = conn
        .query_row("SELECT count(*) FROM Questions", [], |r| r.get(0))
        .unwrap();
    println!(
        "generated {n} questions over {SKILLS} new skills in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    first_skill
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.sqlite3");
    let mut conn = store::open_connection(&path).unwrap();
    let first_skill = generate_bank(&mut conn);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);

    println!("\n-- question selection (5 skills, {QUESTIONS_PER_SKILL} questions each)");
    let sets: Vec<Vec<SkillId>> = (0..1000)
        .map(|_| five_skills(&mut rng, first_skill))
        .collect();
    // Selection as starting an interview does it (`Live::take_turn` → `live::load_turn` →
    // `turn::decide`): the interview's state, the user's recent questions, a bounded sample of
    // candidates per skill and difficulty with theme and type tag, and the plan (type-tagged
    // first, no theme twice, easier first).
    let user = store::create_user(
        &conn,
        &NewUser {
            username: "starter",
            email: None,
            hashed_password: None,
        },
    )
    .unwrap()
    .id;
    let technical: InterviewTypeId = conn
        .query_row(
            "SELECT interview_type_id FROM Interview_Types WHERE type_name = 'Technical'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let pending: Vec<app::model::InterviewId> = sets
        .iter()
        .enumerate()
        .map(|(i, skills)| {
            store::create_interview(
                &mut conn,
                &NewInterview {
                    user_id: user.clone(),
                    title: format!("Start {i}"),
                    interview_type_id: Some(technical),
                    skill_ids: skills.clone(),
                    ..Default::default()
                },
            )
            .unwrap()
            .id
        })
        .collect();
    // Ten earlier interviews of six questions each: the "recent" questions a plan avoids.
    for (k, id) in pending.iter().take(10).enumerate() {
        conn.execute(
            "UPDATE Interviews SET status = 'completed', started_at = ?2 WHERE interview_id = ?1",
            params![id, format!("2026-01-{:02} 10:00:00", k + 1)],
        )
        .unwrap();
        for order in 1..=6i64 {
            conn.execute(
                "INSERT INTO Interview_Questions (interview_question_id, interview_id,
                     question_bank_id, question_text_snapshot, order_in_interview)
                 VALUES (?1, ?2, (SELECT question_id FROM Questions WHERE skill_id = ?3
                                  ORDER BY question_id LIMIT 1 OFFSET ?4), 'q', ?5)",
                params![format!("{id}-{order}"), id, sets[k][0], order * 13, order],
            )
            .unwrap();
        }
    }
    let starts = &pending[10..];
    let mut plans = 0;
    let stats = Stats::measure(starts.len() - 20, |i| {
        let state = store::turn_state(&conn, &starts[i]).unwrap();
        let loaded =
            app::ai::live::load_turn(&store::Tx::on(&conn), state, TurnAction::Start).unwrap();
        let d = app::ai::turn::decide(&loaded, TurnAction::Start, None).unwrap();
        plans += d.changes.start_plan.unwrap().len();
    });
    stats.print(
        "start: 6-question plan for 5 skills (as take_turn does)",
        Some(Duration::from_millis(1)),
    );
    let real_p50 = stats.pct(0.5);
    assert!(plans > 0);
    // Its parts, to see where the time goes.
    let stats = Stats::measure(starts.len() - 20, |i| {
        store::turn_state(&conn, &starts[i]).unwrap();
    });
    stats.print("  of which: the interview's state (turn_state)", None);
    let stats = Stats::measure(starts.len() - 20, |i| {
        store::recent_question_ids(&conn, &user, &starts[i], 10).unwrap();
    });
    stats.print("  of which: recent questions", None);
    let recent = store::recent_question_ids(&conn, &user, &starts[0], 10).unwrap();
    let stats = Stats::measure(starts.len() - 20, |i| {
        store::question_candidates(
            &conn,
            Some(technical),
            &sets[10 + i],
            app::model::DifficultySetting::Mixed.into(),
            i as u64,
            app::ai::live::candidates_per_skill(6, 5),
            &recent,
        )
        .unwrap();
    });
    stats.print(
        "  of which: candidates (a sample of each of 5 skills)",
        None,
    );
    // For comparison: the same plan from the whole pool of the five skills, with text, as the
    // plan's `getQuestionsByInterviewTypeAndSkillIds` returns it.
    let stats = Stats::measure(300, |i| {
        let qs = store::get_questions_by_interview_type_and_skill_ids(
            &conn,
            Some(technical),
            &sets[i % sets.len()],
        )
        .unwrap();
        assert_eq!(qs.len() as i64, 5 * QUESTIONS_PER_SKILL);
        let plan = app::ai::plan::plan_questions(&app::ai::plan::PlanInput {
            pool: &qs,
            count: 6,
            difficulty: app::model::DifficultySetting::Mixed.into(),
            recent: &Default::default(),
            seed: i as u64,
        });
        assert_eq!(plan.len(), 6);
    });
    stats.print(
        "baseline: the whole 5,000-question pool, then the plan",
        None,
    );
    println!(
        "{:<58} {:>9.1}x faster at p50",
        "start path against the baseline",
        ms(stats.pct(0.5)) / ms(real_p50)
    );

    println!("\n-- creating interviews with 5 skills");
    let user = store::create_user(
        &conn,
        &NewUser {
            username: "bench",
            email: None,
            hashed_password: None,
        },
    )
    .unwrap()
    .id;
    let creates = 10_000;
    let start = Instant::now();
    for i in 0..creates {
        store::create_interview(
            &mut conn,
            &NewInterview {
                user_id: user.clone(),
                title: format!("Bench interview {i}"),
                interview_type_id: Some(InterviewTypeId(1 + (i % 4) as i64)),
                skill_ids: five_skills(&mut rng, first_skill),
                ..Default::default()
            },
        )
        .unwrap();
    }
    let rate = creates as f64 / start.elapsed().as_secs_f64();
    println!(
        "{:<58} {rate:>9.0} /s  (target ≥ 3,000/s: {})",
        "create_interview, one connection (10,000 in a row)",
        if rate >= 3000.0 { "met" } else { "MISSED" }
    );

    // The same through the async pool the server uses, from 8 concurrent tasks.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let db = Db::open(&path).unwrap();
    let async_creates = 4_000;
    let start = Instant::now();
    rt.block_on(async {
        let mut tasks = Vec::new();
        for t in 0..8u64 {
            let db = db.clone();
            let user = user.clone();
            tasks.push(tokio::spawn(async move {
                let mut rng = Rng(0xA5A5_5A5A ^ (t + 1));
                for i in 0..async_creates / 8 {
                    let new = NewInterview {
                        user_id: user.clone(),
                        title: format!("Async interview {t}-{i}"),
                        interview_type_id: Some(InterviewTypeId(2)),
                        skill_ids: five_skills(&mut rng, first_skill),
                        ..Default::default()
                    };
                    db.create_interview_checked(new, |_, _| Vec::new())
                        .await
                        .unwrap()
                        .unwrap();
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
    });
    let rate = async_creates as f64 / start.elapsed().as_secs_f64();
    println!(
        "{:<58} {rate:>9.0} /s  (target ≥ 3,000/s: {})",
        "create_interview_checked via Db (8 concurrent tasks, 4,000)",
        if rate >= 3000.0 { "met" } else { "MISSED" }
    );

    // A second user whose history is exactly 10,000 interviews, a tenth of them completed.
    println!("\n-- listing a history of {HISTORY} interviews (20 per page)");
    let owner = store::create_user(
        &conn,
        &NewUser {
            username: "historian",
            email: None,
            hashed_password: None,
        },
    )
    .unwrap()
    .id;
    let mut sample_ids = Vec::new();
    for i in 0..HISTORY {
        let it = store::create_interview(
            &mut conn,
            &NewInterview {
                user_id: owner.clone(),
                title: format!(
                    "{} practice {i}",
                    ["Backend", "Frontend", "Leadership", "Product"][i % 4]
                ),
                interview_type_id: Some(InterviewTypeId(1 + (i % 4) as i64)),
                skill_ids: five_skills(&mut rng, first_skill),
                ..Default::default()
            },
        )
        .unwrap();
        if i % 10 == 0 {
            store::set_interview_status(&mut conn, &it.id, InterviewStatus::InProgress).unwrap();
            store::set_interview_status(&mut conn, &it.id, InterviewStatus::Completed).unwrap();
        }
        sample_ids.push(it.id);
    }
    conn.execute_batch("ANALYZE").unwrap();
    let popular_skill: SkillId = conn
        .query_row(
            "SELECT skill_id FROM Interview_Skills l JOIN Interviews i USING (interview_id)
             WHERE i.user_id = ?1 GROUP BY skill_id ORDER BY count(*) DESC LIMIT 1",
            [&owner],
            |r| r.get(0),
        )
        .unwrap();
    let filters: Vec<(&str, InterviewFilter)> = vec![
        (
            "page 1, no filter",
            InterviewFilter {
                page: 1,
                per_page: 20,
                ..Default::default()
            },
        ),
        (
            "page 250 (middle), no filter",
            InterviewFilter {
                page: 250,
                per_page: 20,
                ..Default::default()
            },
        ),
        (
            "page 500 (last), no filter",
            InterviewFilter {
                page: 500,
                per_page: 20,
                ..Default::default()
            },
        ),
        (
            "by type",
            InterviewFilter {
                interview_type_id: Some(InterviewTypeId(2)),
                per_page: 20,
                ..Default::default()
            },
        ),
        (
            "by status (completed)",
            InterviewFilter {
                status: Some(InterviewStatus::Completed),
                per_page: 20,
                ..Default::default()
            },
        ),
        (
            "by skill",
            InterviewFilter {
                skill_ids: vec![popular_skill],
                per_page: 20,
                ..Default::default()
            },
        ),
        (
            "by title word",
            InterviewFilter {
                title_query: Some("leader".into()),
                per_page: 20,
                ..Default::default()
            },
        ),
        (
            "type + status + title, page 3",
            InterviewFilter {
                interview_type_id: Some(InterviewTypeId(3)),
                status: Some(InterviewStatus::Completed),
                title_query: Some("leadership".into()),
                page: 3,
                per_page: 20,
                ..Default::default()
            },
        ),
    ];
    for (name, filter) in &filters {
        let stats = Stats::measure(300, |_| {
            let page = store::list_interviews(&conn, &owner, filter).unwrap();
            assert!(page.total > 0, "{name}: nothing matched");
        });
        stats.print(
            &format!("list_interviews: {name}"),
            Some(Duration::from_millis(2)),
        );
    }
    let stats = Stats::measure(1000, |i| {
        store::get_interview(&conn, &sample_ids[(i * 7919) % sample_ids.len()]).unwrap();
    });
    stats.print("get_interview (with type and skills)", None);
}
