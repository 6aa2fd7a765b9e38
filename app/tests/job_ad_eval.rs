//! The job-ad matcher's evaluation set: ten ads (`eval/job_ads/ad*.txt`) written the way
//! companies write them, by someone who had not seen the aliases, and labelled in
//! `eval/job_ads/expected.tsv` with the likely interview type, the skills a careful reader says
//! each ad asks for, and the skills it clearly does not. Matched against the real catalogue
//! (every migration applied to a real SQLite file), it prints recall, extra picks and the type
//! per ad, and fails if any ad gets a skill it clearly does not ask for, if fewer than 70 % of
//! the asked-for skills are found, or if fewer than 7 of the 10 types are right.
//!
//!     cargo test -p app --features ssr --test job_ad_eval -- --nocapture

use app::jobad::match_job_ad;
use app::model::InterviewTypeId;
use app::store;
use app::validate::MAX_SKILLS;
use std::collections::BTreeSet;
use std::path::Path;

fn ids(field: &str) -> BTreeSet<i64> {
    field
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse().unwrap())
        .collect()
}

#[test]
fn job_ads_find_the_skills_they_ask_for() {
    let dir = tempfile::tempdir().unwrap();
    let conn = store::open_connection(&dir.path().join("eval.sqlite3")).unwrap();
    let terms = store::job_ad_terms(&conn).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval/job_ads");
    let expected = std::fs::read_to_string(root.join("expected.tsv")).unwrap();

    let (mut asked, mut found, mut extra, mut types_right, mut ads) = (0, 0, 0, 0, 0);
    let mut wrong = Vec::new();
    for line in expected.lines().filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (file, type_id) = (cols[0], InterviewTypeId(cols[1].parse().unwrap()));
        let (want, never) = (ids(cols[2]), ids(cols[3]));
        let ad = std::fs::read_to_string(root.join(file)).unwrap();
        let m = match_job_ad(&ad, &terms, MAX_SKILLS);
        let got: BTreeSet<i64> = m.skills.iter().map(|s| s.skill_id.0).collect();
        let hits = got.intersection(&want).count();
        let forbidden: Vec<&i64> = got.intersection(&never).collect();
        ads += 1;
        asked += want.len();
        found += hits;
        extra += got.len() - hits;
        types_right += usize::from(m.interview_type_id == Some(type_id));
        println!(
            "{file}: found {hits}/{} asked, {} more, type {:?} (want {}){}",
            want.len(),
            got.len() - hits,
            m.interview_type_id.map(|t| t.0),
            type_id.0,
            if forbidden.is_empty() {
                String::new()
            } else {
                format!(", WRONG {forbidden:?}")
            },
        );
        for s in &m.skills {
            println!("    {} ← {}", s.name, s.phrases.join(", "));
        }
        if !forbidden.is_empty() {
            wrong.push((
                file.to_owned(),
                forbidden.into_iter().copied().collect::<Vec<_>>(),
            ));
        }
    }
    let recall = found as f64 / asked as f64;
    println!(
        "\n{ads} ads: recall {found}/{asked} ({:.0} %), {extra} further skills picked, \
         type right {types_right}/{ads}, clearly wrong picks {}",
        recall * 100.0,
        wrong.len()
    );
    assert!(
        wrong.is_empty(),
        "skills the ads clearly do not ask for: {wrong:?}"
    );
    assert!(recall >= 0.7, "recall {recall:.2}");
    assert!(types_right >= 7, "types right: {types_right}/{ads}");
}
