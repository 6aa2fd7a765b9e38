//! The history page over real HTTP: filters from the URL, empty states, paging.

use crate::common::*;
use reqwest::{Client, StatusCode};

async fn create(s: &TestServer, c: &Client, body: &str) -> String {
    let resp = c
        .post(s.url("/interviews/new"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    location(&resp)
        .trim_start_matches("/interviews/")
        .to_owned()
}

async fn titles(s: &TestServer, c: &Client, query: &str) -> Vec<String> {
    let resp = page(s, c, &format!("/interviews{query}")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let html = resp.text().await.unwrap();
    html.split(r#"class="interview-title">"#)
        .skip(1)
        .map(|chunk| chunk.split('<').next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn filters_in_the_url_narrow_the_list() {
    let s = start().await;
    let c = browser();
    register(&s, &c, "ada", PASSWORD).await;
    create(
        &s,
        &c,
        "title=Python+warm-up&interview_type_id=1&skill_ids=2&skill_ids=5",
    )
    .await;
    let lead = create(
        &s,
        &c,
        "title=Leadership+loop&interview_type_id=2&skill_ids=13&skill_ids=6",
    )
    .await;
    create(
        &s,
        &c,
        "title=Go+and+Python&interview_type_id=1&skill_ids=2&skill_ids=4",
    )
    .await;
    turn_ok(&s, &c, &lead, "start", None).await;

    assert_eq!(
        titles(&s, &c, "").await,
        ["Go and Python", "Leadership loop", "Python warm-up"]
    );
    assert_eq!(
        titles(&s, &c, "?type=1").await,
        ["Go and Python", "Python warm-up"]
    );
    assert_eq!(
        titles(&s, &c, "?skill=2").await,
        ["Go and Python", "Python warm-up"]
    );
    assert_eq!(titles(&s, &c, "?skill=2&skill=4").await, ["Go and Python"]);
    assert_eq!(
        titles(&s, &c, "?status=in_progress").await,
        ["Leadership loop"]
    );
    assert_eq!(
        titles(&s, &c, "?q=python").await,
        ["Go and Python", "Python warm-up"]
    );
    assert_eq!(
        titles(&s, &c, "?q=python&type=1&skill=5").await,
        ["Python warm-up"]
    );
    // Junk in the URL is ignored rather than failing the page.
    assert_eq!(titles(&s, &c, "?type=abc&status=nope").await.len(), 3);

    let html = page(&s, &c, "/interviews?q=zzz")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Nothing matches these filters."));
    assert!(!html.contains("No interviews yet."));
    // The form shows the filters it came from.
    let html = page(&s, &c, "/interviews?type=2&q=loop")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(r#"<option value="2" selected"#),
        "type shown as chosen"
    );
    assert!(html.contains(r#"value="loop""#), "search shown");
    let html = page(&s, &c, "/interviews?skill=4&status=completed")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(r#"value="4" checked"#),
        "skill shown as chosen"
    );
    assert!(
        html.contains(r#"<option value="completed" selected"#),
        "status shown as chosen"
    );
}

#[tokio::test]
async fn an_empty_history_differs_from_no_matches_and_pages_link_with_filters() {
    let s = start().await;
    let c = browser();
    register(&s, &c, "ada", PASSWORD).await;
    let html = page(&s, &c, "/interviews").await.text().await.unwrap();
    assert!(html.contains("No interviews yet."));
    for i in 0..23 {
        create(
            &s,
            &c,
            &format!("title=Loop+{i:02}&interview_type_id=1&skill_ids=1"),
        )
        .await;
    }
    let html = page(&s, &c, "/interviews?q=loop")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("23 interviews") && html.contains("Page 1 of 2"));
    assert!(
        html.contains(r#"href="/interviews?q=loop&amp;page=2""#),
        "next page keeps the filter: {html}"
    );
    assert_eq!(
        titles(&s, &c, "?q=loop&page=2").await,
        ["Loop 02", "Loop 01", "Loop 00"]
    );
    let html = page(&s, &c, "/interviews?page=9")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("There is no page 9."));
}
