//! The store's units of work through `Db`, the seam both stores implement: one source, run on
//! SQLite always and on PostgreSQL too when `PP_TEST_POSTGRES` names a cluster (in a build with
//! `--features postgres`; `scripts/test.sh` does both). The SQLite store's own functions have
//! their unit tests beside them (`src/store/tests.rs`); these check that every engine keeps the
//! same contract.

use app::model::{
    DifficultySetting, InterviewFilter, InterviewStatus, InterviewTypeId, SkillId, UserId,
};
use app::store::{Db, NewInterview, NewUser, StoreError, StoredReply};
use std::time::Duration;

/// The stores to run on: a SQLite file, and a new PostgreSQL database when one is configured.
async fn stores(dir: &std::path::Path) -> Vec<Db> {
    let mut out = vec![Db::open(&dir.join("units.sqlite3")).unwrap()];
    if let Some(db) = postgres().await {
        out.push(db);
    }
    out
}

#[cfg(feature = "postgres")]
async fn postgres() -> Option<Db> {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let cluster = std::env::var("PP_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty())?;
    let (main, query) = cluster.split_once('?').unwrap_or((&cluster, ""));
    let (server, _) = main.rsplit_once('/').unwrap();
    let name = format!(
        "pp_units_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let admin = app::store::pg::connect(&format!("{server}/postgres?{query}"))
        .await
        .unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let url = format!("{server}/{name}?{query}");
    Some(
        Db::connect(&app::store::Location::Postgres(url), Default::default())
            .await
            .unwrap(),
    )
}

#[cfg(not(feature = "postgres"))]
async fn postgres() -> Option<Db> {
    assert!(
        std::env::var("PP_TEST_POSTGRES").is_err(),
        "PP_TEST_POSTGRES is set, but this build has no PostgreSQL store"
    );
    None
}

async fn user(db: &Db, name: &str) -> UserId {
    let name = name.to_owned();
    db.transaction(move |tx| {
        tx.create_user(&NewUser {
            username: &name,
            email: None,
            hashed_password: Some("$argon2id$stand-in"),
        })
    })
    .await
    .unwrap()
    .id
}

fn new_interview(user: &UserId, title: &str) -> NewInterview {
    NewInterview {
        user_id: user.clone(),
        title: title.into(),
        interview_type_id: Some(InterviewTypeId(1)),
        skill_ids: vec![SkillId(1), SkillId(2)],
        question_count: 3,
        difficulty: DifficultySetting::Mixed,
        answer_seconds: None,
    }
}

/// Every type and skill exists: the check finds no problem.
fn no_problem(_: &[InterviewTypeId], _: &[SkillId]) -> Vec<String> {
    Vec::new()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_are_unique_without_case_and_take_everything_with_them() {
    let dir = tempfile::tempdir().unwrap();
    for db in stores(dir.path()).await {
        let store = db.health().await.unwrap().store;
        let ada = user(&db, "Ada").await;
        let (found, hash) = db.user_by_username("ada").await.unwrap().unwrap();
        assert_eq!(
            (found.id.clone(), hash.as_deref()),
            (ada.clone(), Some("$argon2id$stand-in"))
        );
        let again = db
            .transaction(|tx| {
                tx.create_user(&NewUser {
                    username: "ADA",
                    email: None,
                    hashed_password: None,
                })
            })
            .await;
        assert!(
            matches!(
                again,
                Err(StoreError::Duplicate {
                    entity: "username",
                    ..
                })
            ),
            "{store}: {again:?}"
        );
        db.set_password_hash(&ada, "$argon2id$new".into())
            .await
            .unwrap();
        assert_eq!(
            db.user_by_username("ada")
                .await
                .unwrap()
                .unwrap()
                .1
                .as_deref(),
            Some("$argon2id$new")
        );
        let i = db
            .create_interview_checked(new_interview(&ada, "Loop"), no_problem)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(db.export_user(&ada).await.unwrap().interviews.len(), 1);
        db.delete_user(&ada).await.unwrap();
        assert_eq!(db.user_by_id(&ada).await.unwrap(), None, "{store}");
        assert!(matches!(
            db.owned_interview(&ada, &i.id).await,
            Err(StoreError::NotFound(_))
        ));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interviews_are_made_listed_changed_and_owned_alike() {
    let dir = tempfile::tempdir().unwrap();
    for db in stores(dir.path()).await {
        let store = db.health().await.unwrap().store;
        let (ada, bob) = (user(&db, "ada").await, user(&db, "bob").await);
        // A check that finds problems stores nothing.
        let refused = db
            .create_interview_checked(new_interview(&ada, "Refused"), |_, _| {
                vec!["no such skill".into()]
            })
            .await
            .unwrap();
        assert_eq!(refused.unwrap_err(), vec!["no such skill".to_owned()]);
        let mut ids = Vec::new();
        for title in ["Backend loop", "Frontend loop", "Behavioural"] {
            let i = db
                .create_interview_checked(new_interview(&ada, title), no_problem)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(i.status, InterviewStatus::Pending);
            assert_eq!(i.skills.len(), 2, "{store}");
            ids.push(i.id);
        }
        let all = db
            .list_interviews(&ada, InterviewFilter::default())
            .await
            .unwrap();
        assert_eq!(all.total, 3, "{store}");
        assert_eq!(
            all.interviews[0].title.as_deref(),
            Some("Behavioural"),
            "newest first"
        );
        let found = db
            .list_interviews(
                &ada,
                InterviewFilter {
                    title_query: Some("LOOP".into()),
                    per_page: 1,
                    page: 2,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!((found.total, found.interviews.len()), (2, 1), "{store}");
        assert_eq!(found.interviews[0].title.as_deref(), Some("Backend loop"));
        assert_eq!(
            db.list_interviews(&bob, InterviewFilter::default())
                .await
                .unwrap()
                .total,
            0
        );
        // Listed skills are in the catalogue's order, letters compared without case ("API"
        // after "Algorithms", which byte order would put first).
        let mut mixed = new_interview(&bob, "Mixed case");
        mixed.skill_ids = vec![SkillId(12), SkillId(2), SkillId(9)];
        db.create_interview_checked(mixed, no_problem)
            .await
            .unwrap()
            .unwrap();
        let listed = db
            .list_interviews(&bob, InterviewFilter::default())
            .await
            .unwrap();
        let names: Vec<&str> = listed.interviews[0]
            .skills
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(
            names,
            ["Algorithms & Data Structures", "API Design", "Python"],
            "{store}"
        );
        // Another user's interview answers exactly as a missing one.
        assert!(matches!(
            db.check_owner(&bob, &ids[0]).await,
            Err(StoreError::NotFound(_))
        ));
        let renamed = db
            .update_owned_interview(&ada, &ids[0], Some("Renamed".into()), None)
            .await
            .unwrap();
        assert_eq!(renamed.title.as_deref(), Some("Renamed"));
        let skills = db
            .change_interview_skill(&ada, &ids[0], SkillId(3), true)
            .await
            .unwrap();
        assert_eq!(skills.len(), 3, "{store}");
        let skills = db
            .change_interview_skill(&ada, &ids[0], SkillId(1), false)
            .await
            .unwrap();
        assert!(skills.iter().all(|s| s.id != SkillId(1)));
        let cancelled = db.cancel_interview(&ada, &ids[1]).await.unwrap();
        assert_eq!(cancelled.status, InterviewStatus::Cancelled);
        // A cancelled interview's skills are fixed.
        assert!(matches!(
            db.change_interview_skill(&ada, &ids[1], SkillId(3), true)
                .await,
            Err(StoreError::Conflict(_))
        ));
        db.delete_owned_interview(&ada, &ids[2]).await.unwrap();
        assert!(matches!(
            db.owned_interview(&ada, &ids[2]).await,
            Err(StoreError::NotFound(_))
        ));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_turn_is_pending_until_stored_or_rolled_back_and_leases_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    for db in stores(dir.path()).await {
        let store = db.health().await.unwrap().store;
        let ada = user(&db, "ada").await;
        let i = db
            .create_interview_checked(new_interview(&ada, "Loop"), no_problem)
            .await
            .unwrap()
            .unwrap();
        let (id, uid) = (i.id.0.clone(), ada.0.clone());
        let pending = db
            .transaction(move |tx| {
                assert!(!tx.turn_taken(&id, "key-1")?);
                let state = tx.turn_state(&id)?;
                assert!(!state.replying);
                tx.insert_pending_turn(&id, &uid, Some("my answer"), Some("key-1"), "node-a")
            })
            .await
            .unwrap();
        assert!(db.turn_state(&i.id).await.unwrap().replying, "{store}");
        // The pending reply is the lock: a second turn on the same interview sees it.
        let id = i.id.0.clone();
        assert!(
            db.transaction(move |tx| tx.turn_taken(&id, "key-1"))
                .await
                .unwrap()
        );
        let (reply_id, text) = db.pending_reply(&i.id).await.unwrap().unwrap();
        assert_eq!(
            (reply_id.as_str(), text.as_str()),
            (pending.reply_message_id.as_str(), "")
        );
        assert!(
            db.save_partial_reply(&reply_id, "Hello, and".into())
                .await
                .unwrap()
        );
        assert_eq!(
            db.stored_reply(&reply_id).await.unwrap(),
            StoredReply::Writing("Hello, and".into()),
            "{store}"
        );
        assert!(db.renew_turn_lease(&pending, "node-a").await.unwrap());
        // Another node's start-up leaves a turn with a live lease alone; its own node's
        // start-up takes it.
        assert_eq!(db.expire_turns(Some("node-b")).await.unwrap(), 0, "{store}");
        assert!(db.turn_state(&i.id).await.unwrap().replying);
        assert!(
            db.expire_turns(Some("node-a")).await.unwrap() >= 1,
            "{store}"
        );
        assert_eq!(db.stored_reply(&reply_id).await.unwrap(), StoredReply::Gone);
        assert!(!db.turn_state(&i.id).await.unwrap().replying);
        assert_eq!(db.pending_reply(&i.id).await.unwrap(), None);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_and_the_sign_in_slowdown_are_kept_alike() {
    let dir = tempfile::tempdir().unwrap();
    for db in stores(dir.path()).await {
        let store = db.health().await.unwrap().store;
        assert!(
            db.create_session("s1".into(), b"one".to_vec(), 100)
                .await
                .unwrap()
        );
        assert!(
            !db.create_session("s1".into(), b"two".to_vec(), 100)
                .await
                .unwrap()
        );
        assert_eq!(
            db.load_session("s1".into(), 50).await.unwrap(),
            Some(b"one".to_vec())
        );
        db.save_session("s1".into(), b"two".to_vec(), 200)
            .await
            .unwrap();
        assert_eq!(
            db.load_session("s1".into(), 150).await.unwrap(),
            Some(b"two".to_vec())
        );
        assert_eq!(
            db.load_session("s1".into(), 200).await.unwrap(),
            None,
            "{store}: expired"
        );
        assert_eq!(db.delete_expired_sessions(250).await.unwrap(), 1);

        // Each allowed attempt is counted at once, on every key.
        let keys = vec!["ip:127.0.0.1".to_owned(), "account:ada".to_owned()];
        let forget = Duration::from_secs(60);
        for n in 0..3u32 {
            let verdict = db
                .signin_attempt(keys.clone(), forget, move |counts| {
                    assert!(counts.iter().all(|c| c.failures == n), "{counts:?}");
                    Ok(())
                })
                .await
                .unwrap();
            assert_eq!(verdict, Ok(()));
        }
        let wait = db
            .signin_attempt(keys.clone(), forget, |_| Err(Duration::from_secs(2)))
            .await
            .unwrap();
        assert_eq!(
            wait,
            Err(Duration::from_secs(2)),
            "a refused attempt is not counted"
        );
        let counts = db.failure_counts(keys.clone()).await.unwrap();
        assert!(
            counts.iter().all(|c| c.failures == 3),
            "{store}: {counts:?}"
        );
        db.signin_succeeded(vec![keys[1].clone()], vec![keys[0].clone()])
            .await
            .unwrap();
        let counts = db.failure_counts(keys.clone()).await.unwrap();
        assert_eq!(counts.len(), 1, "{store}: {counts:?}");
        assert_eq!(
            (counts[0].key.as_str(), counts[0].failures),
            ("ip:127.0.0.1", 2)
        );
        assert_eq!(db.forget_old_failures(Duration::ZERO).await.unwrap(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_rate_limits_let_a_burst_through_then_say_how_long_to_wait() {
    let dir = tempfile::tempdir().unwrap();
    for db in stores(dir.path()).await {
        let store = db.health().await.unwrap().store;
        let minute = Duration::from_secs(60);
        let first = db.take_rate("api:user:ada", 3, minute).await.unwrap();
        let Some(first) = first else {
            assert_eq!(store, "sqlite", "only SQLite keeps its limits in memory");
            continue;
        };
        assert_eq!(first, Ok(()));
        for _ in 0..2 {
            assert_eq!(
                db.take_rate("api:user:ada", 3, minute).await.unwrap(),
                Some(Ok(()))
            );
        }
        let Some(Err(wait)) = db.take_rate("api:user:ada", 3, minute).await.unwrap() else {
            panic!("{store}: the fourth call in a minute is refused");
        };
        assert!(
            wait > Duration::from_secs(15) && wait <= Duration::from_secs(20),
            "one call's share of the minute: {wait:?}"
        );
        // Another key is not held back.
        assert_eq!(
            db.take_rate("api:user:bob", 3, minute).await.unwrap(),
            Some(Ok(()))
        );
        assert_eq!(
            db.forget_recovered_rates().await.unwrap(),
            0,
            "none recovered yet"
        );
    }
}

/// Two servers on one SQLite file each have their own writer: a sign-in attempt's read of the
/// counts and its write of the new failure must be one transaction, or attempts sent to both
/// at once read the same counts and are all let through (found by
/// `hostile::guesses_spread_over_two_servers_on_one_database_get_one_check`).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn attempts_on_two_servers_sharing_a_file_are_taken_one_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.sqlite3");
    let (a, b) = (Db::open(&path).unwrap(), Db::open(&path).unwrap());
    let forget = Duration::from_secs(60);
    for round in 0..20 {
        let keys = vec![format!("user:ada{round}")];
        let attempts = (0..8).map(|n| {
            let (db, keys) = (if n % 2 == 0 { a.clone() } else { b.clone() }, keys.clone());
            tokio::spawn(async move {
                // Only the first attempt on a key goes ahead.
                db.signin_attempt(keys, forget, |counts| match counts.first() {
                    Some(c) if c.failures > 0 => Err(Duration::from_secs(1)),
                    _ => Ok(()),
                })
                .await
                .unwrap()
                .is_ok()
            })
        });
        let allowed = futures::future::join_all(attempts)
            .await
            .into_iter()
            .filter(|r| *r.as_ref().unwrap())
            .count();
        assert_eq!(allowed, 1, "round {round}");
        let counts = a.failure_counts(keys).await.unwrap();
        assert_eq!(counts[0].failures, 1, "round {round}");
    }
}
