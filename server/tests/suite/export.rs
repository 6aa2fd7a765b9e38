//! The report as a Markdown download, over real HTTP, after a whole interview with the offline
//! interviewer: its parts, markup in an answer escaped, and only for the owner.

use crate::common::*;
use reqwest::StatusCode;

#[tokio::test]
async fn a_finished_interview_downloads_as_markdown_for_its_owner_only() {
    let s = start().await;
    let c = browser();
    register(&s, &c, "mara", PASSWORD).await;
    let i = new_interview(&s, &c, "Backend: final round!", 1, &[2], 3).await;
    let id = i.id.as_str();
    turn_ok(&s, &c, id, "start", None).await;
    let answer = "# Heading <script>alert(1)</script> I'd use a [dict](http://x) for O(1) lookups.";
    turn_ok(&s, &c, id, "answer", Some(answer)).await;
    let done = turn_ok(&s, &c, id, "end", None).await;
    assert!(done.report.is_some(), "the offline report is written");

    let resp = c
        .get(s.url(&format!("/interviews/{id}/report.md")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let header = |name: &str| resp.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(header("content-type"), "text/markdown; charset=utf-8");
    assert_eq!(
        header("content-disposition"),
        r#"attachment; filename="backend-final-round-report.md""#
    );
    let md = resp.text().await.unwrap();
    assert!(md.starts_with("# Backend: final round\\!\n"), "{md}");
    for part in [
        "- Type: Technical",
        "- Skills: Python",
        "## Ratings",
        "| Python |",
        "## Questions",
        "## Conversation",
        "**You:**",
    ] {
        assert!(md.contains(part), "no {part:?} in:\n{md}");
    }
    // The answer is quoted with its markup escaped, never rendered.
    assert!(
        md.contains(r"> \# Heading \<script\>alert(1)\</script\> I'd use a \[dict\](http://x)"),
        "{md}"
    );
    assert!(!md.contains("<script>"));
    // The first question's key points and model answer, from the bank.
    assert!(
        md.contains("Key points:") && md.contains("Model answer:"),
        "{md}"
    );

    // Someone else: the same 404 as a missing interview; nobody signed in: 401.
    let other = browser();
    register(&s, &other, "nosy", PASSWORD).await;
    let theirs = other
        .get(s.url(&format!("/interviews/{id}/report.md")))
        .send()
        .await
        .unwrap();
    assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
    let missing = other
        .get(s.url("/interviews/nope/report.md"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        theirs.text().await.unwrap(),
        missing.text().await.unwrap().replace("nope", id)
    );
    let anonymous = browser()
        .get(s.url(&format!("/interviews/{id}/report.md")))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}
