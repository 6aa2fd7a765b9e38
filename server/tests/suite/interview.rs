//! The live interview with the offline interviewer, through the server functions and the reply
//! stream over real HTTP, checked against the rows in the real SQLite file.

use crate::common::*;
use app::model::{InterviewStatus, QuestionOutcome, Role};
use reqwest::StatusCode;
use server::AppOptions;
use server::config::Interviewer;
use std::time::Duration;

const GOOD: &str = "For example, at my last job I led the migration of 40 services to a queue \
    because the synchronous calls kept timing out under load. First we measured the worst \
    paths, then we moved them one by one behind a feature flag, so that we could roll back \
    quickly. The result was a drop in p99 latency from 2 seconds to 300 milliseconds.";

fn slow(ms: u64) -> AppOptions {
    AppOptions {
        interviewer: Interviewer::Offline {
            word_delay: Duration::from_millis(ms),
        },
        ..default_options()
    }
}

#[tokio::test]
async fn a_whole_offline_interview_from_start_to_report() {
    let s = start().await;
    let c = browser();
    register(&s, &c, "ada", PASSWORD).await;
    // Technical: JavaScript, Python, Problem Solving; four questions.
    let i = new_interview(&s, &c, "Backend loop", 1, &[1, 2, 5], 4).await;
    let id = i.id.as_str();

    let l = live(&s, &c, id).await;
    assert_eq!(l.interview.status, InterviewStatus::Pending);
    assert_eq!((l.progress.current, l.progress.total), (0, 4));
    assert!(l.messages.is_empty() && l.interviewer.offline && l.report.is_none());
    let (status, body) = turn(&s, &c, id, "answer", Some("Too early")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("Start the interview first."), "{body}");

    // Start: the interviewer speaks first, greeting with the type and skills, then question 1.
    let l = turn_ok(&s, &c, id, "start", None).await;
    assert_eq!(l.interview.status, InterviewStatus::InProgress);
    assert!(l.interview.started_at.is_some());
    assert_eq!(l.messages.len(), 1);
    let greeting = &l.messages[0];
    assert_eq!(greeting.role, Role::Interviewer);
    assert!(
        greeting.content.contains("Technical practice interview"),
        "{}",
        greeting.content
    );
    assert!(
        greeting
            .content
            .contains("JavaScript, Problem Solving and Python"),
        "{}",
        greeting.content
    );
    assert!(
        greeting.content.contains("Question 1 of 4"),
        "{}",
        greeting.content
    );
    assert_eq!((l.progress.current, l.progress.total), (1, 4));
    let (snapshot, asked_by): (String, String) = db(&s)
        .query_row(
            "SELECT question_text_snapshot, ai_question_message_id FROM Interview_Questions
             WHERE interview_id = ?1 AND order_in_interview = 1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(greeting.content.ends_with(&snapshot));
    assert_eq!(asked_by, greeting.id);

    // A shrug gets one follow-up — the question's own probe, never a misquote; the answer to
    // it moves on.
    let (probes, _) = current_rubric(&s, id);
    let l = turn_ok(&s, &c, id, "answer", Some("Not sure, it depends.")).await;
    assert_eq!(l.messages.len(), 3);
    assert_eq!(l.messages[1].content, "Not sure, it depends.");
    let follow_up = &l.messages[2].content;
    assert!(
        probes.iter().any(|p| follow_up.contains(p.as_str())),
        "{follow_up} / {probes:?}"
    );
    assert!(!follow_up.contains("You said"), "{follow_up}");
    assert_eq!(l.progress.current, 1);
    assert!(l.progress.in_follow_up);
    let l = turn_ok(&s, &c, id, "answer", Some(&strong_answer(&s, id))).await;
    assert_eq!(l.progress.current, 2);
    assert!(!l.progress.in_follow_up);
    assert!(
        l.messages
            .last()
            .unwrap()
            .content
            .contains("Question 2 of 4")
    );
    let linked = count(
        &s,
        "SELECT count(*) FROM Interview_Questions WHERE interview_id = ?1 AND order_in_interview = 1
           AND user_answer_message_id IS NOT NULL AND follow_up_message_id IS NOT NULL
           AND follow_up_answer_message_id IS NOT NULL",
        id,
    );
    assert_eq!(
        linked, 1,
        "question 1 records its answer, follow-up and follow-up answer"
    );

    // One hint per question: the question's own.
    let (_, hint) = current_rubric(&s, id);
    let l = turn_ok(&s, &c, id, "hint", None).await;
    assert!(l.progress.hint_used);
    let said = &l.messages.last().unwrap().content;
    assert!(
        said.starts_with("Here is a hint") && said.contains(&hint),
        "{said}"
    );
    let (status, body) = turn(&s, &c, id, "hint", None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    // An answer that shows the key points needs no follow-up.
    let l = turn_ok(&s, &c, id, "answer", Some(&strong_answer(&s, id))).await;
    assert_eq!(l.progress.current, 3);
    // Skip question 3, then end during question 4.
    let l = turn_ok(&s, &c, id, "skip", None).await;
    assert_eq!(l.progress.current, 4);
    assert!(
        l.messages
            .last()
            .unwrap()
            .content
            .starts_with("No problem, let's move on.")
    );
    let l = turn_ok(&s, &c, id, "end", None).await;

    assert_eq!(l.interview.status, InterviewStatus::Completed);
    assert!(l.interview.completed_at.is_some());
    let report = l.report.expect("a report");
    assert_eq!(report.skills.len(), 3);
    let outcomes: Vec<QuestionOutcome> = report.questions.iter().map(|q| q.outcome).collect();
    use QuestionOutcome::*;
    assert_eq!(outcomes, [Answered, Answered, Skipped, NotAnswered]);
    assert!(report.questions[0].follow_up);
    assert_eq!(report.questions[1].hints, 1);
    for q in &report.questions {
        assert_eq!(q.rating.is_some(), q.outcome == Answered, "{q:?}");
    }
    // A skill is rated when a question on it was asked (skipped and unanswered ones count
    // against it), and says how many of its planned questions were answered.
    for skill in &report.skills {
        let mine = || {
            report
                .questions
                .iter()
                .filter(|q| q.skill_name.as_deref() == Some(&skill.skill.name))
        };
        assert_eq!(skill.rating.is_some(), mine().count() > 0, "{skill:?}");
        let answered = mine().filter(|q| q.outcome == Answered).count() as u32;
        assert_eq!(skill.answered, Some(answered), "{skill:?}");
        assert!(skill.planned.unwrap() >= mine().count() as u32, "{skill:?}");
    }
    // Answered questions show their key points and the model answer.
    let first = &report.questions[0];
    assert!(first.key_points.len() >= 3, "{first:?}");
    assert!(first.key_points.iter().any(|k| k.covered), "{first:?}");
    assert!(report.questions.iter().all(|q| q.model_answer.is_some()));
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM AI_Feedback WHERE interview_id = ?1",
            id
        ),
        3
    );

    // The conversation is whole and in order; nothing is left pending.
    let seqs: Vec<i64> = l.messages.iter().map(|m| m.seq).collect();
    assert_eq!(seqs, (1..=l.messages.len() as i64).collect::<Vec<_>>());
    assert_eq!(l.messages.len(), 13);
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM Messages WHERE interview_id = ?1 AND processing_status <> 'completed'",
            id
        ),
        0
    );
    let (status, body) = turn(&s, &c, id, "answer", Some("more")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("completed"), "{body}");
}

#[tokio::test]
async fn bad_answers_are_refused_and_store_nothing() {
    let s = start().await;
    let c = browser();
    register(&s, &c, "ada", PASSWORD).await;
    let i = new_interview(&s, &c, "Loop", 2, &[6, 7], 3).await;
    turn_ok(&s, &c, &i.id, "start", None).await;
    let (status, body) = turn(&s, &c, &i.id, "answer", Some("   ")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("Write an answer first"), "{body}");
    let long = "x".repeat(4001);
    let (status, body) = turn(&s, &c, &i.id, "answer", Some(&long)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("at most 4000 characters"), "{body}");
    let (status, body) = turn(&s, &c, &i.id, "dance", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM Messages WHERE interview_id = ?1",
            &i.id
        ),
        1
    );
}

#[tokio::test]
async fn two_tabs_cannot_get_two_replies_to_one_answer() {
    let s = start_with(slow(20)).await;
    let c = browser();
    register(&s, &c, "ada", PASSWORD).await;
    let i = new_interview(&s, &c, "Loop", 2, &[6, 7], 3).await;
    turn_ok(&s, &c, &i.id, "start", None).await;
    let good = strong_answer(&s, &i.id);
    let (a, b) = tokio::join!(
        turn(&s, &c, &i.id, "answer", Some(&good)),
        turn(&s, &c, &i.id, "answer", Some(&good)),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{a:?} {b:?}"
    );
    let conflict = if a.0 == StatusCode::CONFLICT {
        a.1
    } else {
        b.1
    };
    assert!(conflict.contains("still replying"), "{conflict}");
    let l = wait_idle(&s, &c, &i.id).await;
    assert_eq!(l.messages.len(), 3, "one answer and one reply");
    assert_eq!(l.progress.current, 2);
}

#[tokio::test]
async fn a_turn_sent_again_with_its_key_is_taken_once() {
    let s = start_with(slow(20)).await;
    let c = browser();
    register(&s, &c, "ada", PASSWORD).await;
    let i = new_interview(&s, &c, "Loop", 2, &[6, 7], 3).await;
    let id = i.id.as_str();
    // The start sent again while its greeting is being written, and again after it is stored
    // (a response lost on the way, a double click): one greeting.
    let started = turn_keyed(&s, &c, id, "start", None, Some("start-1")).await;
    assert_eq!(started, (StatusCode::OK, "true".into()));
    let again = turn_keyed(&s, &c, id, "start", None, Some("start-1")).await;
    assert_eq!(again, (StatusCode::OK, "false".into()));
    assert!(
        live(&s, &c, id).await.replying,
        "the resend arrived mid-reply"
    );
    wait_idle(&s, &c, id).await;
    let again = turn_keyed(&s, &c, id, "start", None, Some("start-1")).await;
    assert_eq!(again, (StatusCode::OK, "false".into()));

    // An answer sent twice is one answer to question 1, never also the answer to question 2.
    let good = strong_answer(&s, id);
    let first = turn_keyed(&s, &c, id, "answer", Some(&good), Some("answer-1")).await;
    assert_eq!(first, (StatusCode::OK, "true".into()));
    wait_idle(&s, &c, id).await;
    let again = turn_keyed(&s, &c, id, "answer", Some(&good), Some("answer-1")).await;
    assert_eq!(again, (StatusCode::OK, "false".into()));
    let l = wait_idle(&s, &c, id).await;
    assert_eq!(l.messages.len(), 3, "greeting, one answer, one reply");
    assert_eq!(l.progress.current, 2);
    let answered = count(
        &s,
        "SELECT count(*) FROM Interview_Questions WHERE interview_id = ?1 AND user_answer_message_id IS NOT NULL",
        id,
    );
    assert_eq!(answered, 1);

    // A key is the same turn only within its interview.
    let other = new_interview(&s, &c, "Other", 2, &[6, 7], 3).await;
    let fresh = turn_keyed(&s, &c, &other.id, "start", None, Some("start-1")).await;
    assert_eq!(fresh, (StatusCode::OK, "true".into()));
    wait_idle(&s, &c, &other.id).await;

    // Malformed keys are refused, and store nothing. (An empty one is no key, as with any
    // optional server-function argument sent empty.)
    for bad in ["has space", "ümlaut", &"k".repeat(65)] {
        let (status, body) = turn_keyed(&s, &c, id, "answer", Some(GOOD), Some(bad)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}: {body}");
        assert!(body.contains("turn key"), "{body}");
    }
    assert_eq!(live(&s, &c, id).await.messages, l.messages);
}

#[tokio::test]
async fn the_reply_streams_piece_by_piece_and_matches_what_is_stored() {
    let s = start_with(slow(10)).await;
    let c = browser();
    register(&s, &c, "ada", PASSWORD).await;
    let i = new_interview(&s, &c, "Loop", 2, &[6, 7], 3).await;
    let (status, _) = turn(&s, &c, &i.id, "start", None).await;
    assert_eq!(status, StatusCode::OK);
    let events = reply_events(&s, &c, &i.id).await;
    assert_eq!(events[0].0, "snapshot");
    assert_eq!(events.last().unwrap().0, "done");
    let tokens = events.iter().filter(|(n, _)| n == "token").count();
    assert!(tokens > 10, "streamed in pieces: {events:?}");
    let streamed: String = events
        .iter()
        .filter(|(n, _)| n == "snapshot" || n == "token")
        .map(|(_, d)| d.as_str())
        .collect();
    let l = wait_idle(&s, &c, &i.id).await;
    assert_eq!(l.messages[0].content, streamed);
    // A page that connects after the reply is stored still learns how it ended...
    let again = reply_events(&s, &c, &i.id).await;
    assert_eq!(again.len(), 2, "{again:?}");
    assert_eq!(
        (again[0].0.as_str(), again[0].1.as_str()),
        ("snapshot", streamed.as_str())
    );
    assert_eq!(again[1].0, "done");
    // ...and with no turn at all, the stream says so at once.
    let other = new_interview(&s, &c, "Other", 2, &[6], 3).await;
    assert_eq!(
        reply_events(&s, &c, &other.id).await,
        [("idle".to_owned(), String::new())]
    );
    // Someone else's interview has no stream to follow.
    let bob = browser();
    register(&s, &bob, "bob", PASSWORD).await;
    let resp = bob
        .get(s.url(&format!("/interviews/{}/reply", i.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_reply_is_completed_and_stored_when_the_browser_disconnects() {
    use futures::StreamExt;
    let s = start_with(slow(30)).await;
    let c = browser();
    register(&s, &c, "ada", PASSWORD).await;
    let i = new_interview(&s, &c, "Loop", 2, &[6, 7], 3).await;
    turn(&s, &c, &i.id, "start", None).await;
    {
        let resp = c
            .get(s.url(&format!("/interviews/{}/reply", i.id)))
            .send()
            .await
            .unwrap();
        let mut body = resp.bytes_stream();
        let first = body.next().await.unwrap().unwrap();
        assert!(String::from_utf8_lossy(&first).contains("event: snapshot"));
        // Dropped here, mid-reply: the browser went away.
    }
    assert!(live(&s, &c, &i.id).await.replying, "still being written");
    let l = wait_idle(&s, &c, &i.id).await;
    let snapshot: String = db(&s)
        .query_row(
            "SELECT question_text_snapshot FROM Interview_Questions WHERE interview_id = ?1",
            [&i.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(l.messages.len(), 1);
    assert!(
        l.messages[0].content.ends_with(&snapshot),
        "the whole reply is stored"
    );
    assert_eq!(l.interview.status, InterviewStatus::InProgress);
}

#[tokio::test]
async fn turns_cut_short_by_a_restart_are_rolled_back() {
    let dir = tempfile::tempdir().unwrap();
    let database = fresh_database(dir.path()).await;
    let s = start_on(&database, default_options()).await;
    let c = browser();
    register(&s, &c, "ada", PASSWORD).await;
    let i = new_interview(&s, &c, "Loop", 2, &[6, 7], 3).await;
    turn_ok(&s, &c, &i.id, "start", None).await;
    s.stop().await;
    // As a crash mid-turn leaves it: the candidate's answer and an empty reply, both pending.
    for (seq, role, content) in [(2, "candidate", "half"), (3, "interviewer", "")] {
        let sql = format!(
            "INSERT INTO Messages (message_id, interview_id, user_id, seq, role, content, processing_status)
             SELECT 'm{seq}', interview_id, user_id, {seq}, '{role}', '{content}', 'pending'
             FROM Interviews WHERE interview_id = '{}'",
            i.id
        );
        execute(&database, &sql).await;
    }
    let s = start_on(&database, default_options()).await;
    sign_in(&s, &c, "ada", PASSWORD).await;
    let l = live(&s, &c, &i.id).await;
    assert!(!l.replying && l.pending_answer.is_none());
    assert_eq!(l.messages.len(), 1);
    // And the interview goes on.
    let l = turn_ok(&s, &c, &i.id, "answer", Some(GOOD)).await;
    assert_eq!(l.messages.len(), 3);
    s.stop().await;
}

#[tokio::test]
async fn questions_met_recently_are_avoided_while_the_pool_allows() {
    let s = start().await;
    let c = browser();
    register(&s, &c, "ada", PASSWORD).await;
    // JavaScript alone has 9 questions. The first interview asks 3 (all skipped).
    let first = new_interview(&s, &c, "First", 1, &[1], 3).await;
    turn_ok(&s, &c, &first.id, "start", None).await;
    turn_ok(&s, &c, &first.id, "skip", None).await;
    turn_ok(&s, &c, &first.id, "skip", None).await;
    let l = turn_ok(&s, &c, &first.id, "skip", None).await;
    assert_eq!(l.interview.status, InterviewStatus::Completed);
    let asked = |id: &str| -> Vec<i64> {
        let conn = db(&s);
        let mut stmt = conn
            .prepare("SELECT question_bank_id FROM Interview_Questions WHERE interview_id = ?1")
            .unwrap();
        stmt.query_map([id], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let plan = |id: &str| -> Vec<i64> {
        let p: String = db(&s)
            .query_row(
                "SELECT question_plan FROM Interviews WHERE interview_id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap();
        serde_json::from_str(&p).unwrap()
    };
    let met = asked(&first.id);
    assert_eq!(met.len(), 3);
    // Six more fit in the pool without repeats: none of the three comes back.
    let second = new_interview(&s, &c, "Second", 1, &[1], 6).await;
    turn_ok(&s, &c, &second.id, "start", None).await;
    let p = plan(&second.id);
    assert_eq!(p.len(), 6);
    assert!(p.iter().all(|q| !met.contains(q)), "{p:?} repeats {met:?}");
    // Nine need the whole pool: the three come back, once each.
    let third = new_interview(&s, &c, "Third", 1, &[1], 9).await;
    turn_ok(&s, &c, &third.id, "start", None).await;
    let p = plan(&third.id);
    let mut unique = p.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((p.len(), unique.len()), (9, 9));
}

#[tokio::test]
async fn cancelling_ends_the_interview_without_a_report() {
    let s = start().await;
    let c = browser();
    register(&s, &c, "ada", PASSWORD).await;
    let i = new_interview(&s, &c, "Loop", 2, &[6, 7], 3).await;
    turn_ok(&s, &c, &i.id, "start", None).await;
    let (status, body) = call(&s, &c, "cancel_interview", &[("interview_id", &i.id)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let l = live(&s, &c, &i.id).await;
    assert_eq!(l.interview.status, InterviewStatus::Cancelled);
    assert!(l.report.is_none());
    let (status, body) = turn(&s, &c, &i.id, "answer", Some(GOOD)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("cancelled"), "{body}");
}

#[tokio::test]
async fn skills_are_fixed_once_the_interview_has_started() {
    let s = start().await;
    let c = browser();
    register(&s, &c, "ada", PASSWORD).await;
    let i = new_interview(&s, &c, "Loop", 2, &[6, 7], 3).await;
    let path = format!("/interviews/{}", i.id);
    let html = page(&s, &c, &path).await.text().await.unwrap();
    assert!(
        html.contains("Change type or skills"),
        "editable while pending"
    );

    turn_ok(&s, &c, &i.id, "start", None).await;
    let html = page(&s, &c, &path).await.text().await.unwrap();
    assert!(
        !html.contains("Change type or skills"),
        "no edit form once started"
    );

    // Every way in refuses, with the reason, and changes nothing.
    let api = c
        .put(s.url(&format!("/api/v1{path}/skills/1")))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::CONFLICT);
    let body = api.text().await.unwrap();
    assert!(body.contains("fixed once it has started"), "{body}");
    let form = c
        .post(s.url(&format!("{path}/edit")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("interview_type_id=1&skill_ids=1")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::CONFLICT);
    assert!(
        form.text()
            .await
            .unwrap()
            .contains("fixed once it has started")
    );
    let l = live(&s, &c, &i.id).await;
    assert_eq!(l.interview.skills, i.skills);
    assert_eq!(l.interview.interview_type, i.interview_type);
}
