//! A whole interview against a real model: SmolLM2-135M-Instruct served by llama.cpp's own
//! OpenAI-compatible server (`scripts/model-server.py`, installed from PyPI by
//! `scripts/setup.sh --model`), started and stopped here on a free port. The model is tiny and
//! words things poorly; this shows the real protocol, the real streaming and the guards: the
//! server asks every planned question verbatim, no reply runs past the token limit, an
//! off-topic answer gets a follow-up, and the report comes back through the strict schema with
//! the skill ratings computed by the server.
//!
//! Ignored by plain `cargo test` (it needs the model installed); `scripts/test.sh` runs it with
//! `cargo test -p server --test suite local_model -- --ignored`.

use crate::common::local_model::{app_options, start_model};
use crate::common::*;
use app::model::InterviewStatus;
use std::time::Duration;

const MAX_TOKENS: u32 = 200;

/// Takes a turn and waits for its reply; a real model on one thread writing a report (one
/// or two attempts) takes far longer than the mock.
async fn real_turn(
    s: &TestServer,
    c: &reqwest::Client,
    id: &str,
    answer: &str,
) -> app::model::LiveInterview {
    let started = std::time::Instant::now();
    let (status, body) = turn(s, c, id, "answer", Some(answer)).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    loop {
        let l = live(s, c, id).await;
        if !l.replying {
            eprintln!(
                "turn on question {} took {:.1} s",
                l.progress.current,
                started.elapsed().as_secs_f64()
            );
            return l;
        }
        assert!(started.elapsed() < Duration::from_secs(300), "no reply");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn tokens(s: &TestServer) -> (i64, i64) {
    db(s)
        .query_row(
            "SELECT prompt_tokens, completion_tokens FROM Interviews",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

#[tokio::test]
#[ignore = "needs the local model: scripts/setup.sh --model"]
async fn a_whole_interview_with_a_real_local_model() {
    let model = start_model();
    let s = start_with(app_options(&model, MAX_TOKENS)).await;
    let c = browser();
    register(&s, &c, "ada", PASSWORD).await;

    // A job ad: the real server accepts the schema (an `enum` of the catalogue's names), and
    // whatever the model proposes is a catalogue skill.
    let ad = "Senior backend engineer\n\nWe build our services in Python on PostgreSQL and \
        expose them as REST APIs; you will design new endpoints and review schema changes.";
    let (status, body) = call(&s, &c, "match_job_ad", &[("ad", ad)]).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    let m: app::jobad::JobAdMatch = serde_json::from_str(&body).unwrap();
    eprintln!("job ad with the real model: {body}");
    assert!(
        m.model_note
            .as_deref()
            .unwrap_or_default()
            .contains("were added by"),
        "the model's answer was not usable: {body}"
    );
    let skills: Vec<String> = db(&s)
        .prepare("SELECT skill_name FROM Skills")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(m.skills.iter().all(|f| skills.contains(&f.name)), "{body}");
    assert!(
        m.skills.iter().any(|f| f.name == "Python" && !f.by_model),
        "{body}"
    );

    let i = new_interview(&s, &c, "Real model", 1, &[1, 2], 3).await;

    // The greeting streams: the model's sentences, then the server's question.
    let (status, body) = turn(&s, &c, &i.id, "start", None).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    let events = reply_events(&s, &c, &i.id).await;
    assert_eq!(events.last().unwrap().0, "done", "{events:?}");
    assert!(
        events.iter().filter(|(n, _)| n == "token").count() >= 2,
        "streamed in pieces: {events:?}"
    );
    let streamed: String = events
        .iter()
        .filter(|(n, _)| n == "snapshot" || n == "token")
        .map(|(_, d)| d.as_str())
        .collect();
    let mut l = wait_idle(&s, &c, &i.id).await;
    assert_eq!(
        l.messages[0].content, streamed,
        "the stream is the stored reply"
    );
    let mut before = tokens(&s);
    assert!(before.0 > 0 && before.1 > 0, "usage stored: {before:?}");
    assert!(before.1 <= i64::from(MAX_TOKENS), "{before:?}");

    let mut followed_up = false;
    for _ in 0..12 {
        if l.interview.status == InterviewStatus::Completed {
            break;
        }
        let answer = if l.progress.current == 1 && !l.progress.in_follow_up && !followed_up {
            "I spent the weekend gardening and repainting the fence; the tomatoes are coming \
             along nicely this year."
                .to_owned()
        } else {
            strong_answer(&s, &i.id)
        };
        let off_topic = answer.contains("tomatoes");
        l = real_turn(&s, &c, &i.id, &answer).await;
        if off_topic {
            assert!(
                l.progress.in_follow_up && l.progress.current == 1,
                "an off-topic answer gets a follow-up: {:?}",
                l.messages.last()
            );
            followed_up = true;
        }
        let after = tokens(&s);
        if l.interview.status == InterviewStatus::Completed {
            eprintln!(
                "the closing turn and report: {} tokens written",
                after.1 - before.1
            );
        } else {
            assert!(
                after.1 - before.1 <= i64::from(MAX_TOKENS),
                "a reply within the token limit: {before:?} -> {after:?}"
            );
        }
        before = after;
    }
    assert!(followed_up);
    assert_eq!(l.interview.status, InterviewStatus::Completed, "{l:?}");

    // Every planned question was asked verbatim, by the server.
    let interviewer: Vec<&str> = l
        .messages
        .iter()
        .filter(|m| m.role == app::model::Role::Interviewer)
        .map(|m| m.content.as_str())
        .collect();
    let planned = planned_questions(&s, &i.id);
    assert_eq!(planned.len(), 3);
    for q in &planned {
        assert!(
            interviewer.iter().any(|m| m.contains(q.as_str())),
            "{q} never asked: {interviewer:#?}"
        );
    }

    // The report came through the schema; skill ratings are the server's.
    assert!(
        l.report_fallback.is_none(),
        "the model's report was used: {:?}",
        l.report_fallback
    );
    let report = l.report.expect("a report");
    assert_eq!(report.questions.len(), 3);
    for q in &report.questions {
        assert!(q.rating.is_some(), "{q:?}");
    }
    for sk in &report.skills {
        assert!(sk.rating.is_some(), "{sk:?}");
        assert_eq!(sk.planned, Some(sk.answered.unwrap_or(0)), "{sk:?}");
    }
    let (prompt, completion) = tokens(&s);
    assert!(prompt > 500 && completion > 50, "{prompt} {completion}");
    s.stop().await;
}
