//! Setting up an interview from a job ad: which catalogue skills a pasted ad asks for (by the
//! skills' names and aliases, as whole words), the phrases that matched, and the likely
//! interview type. Pure and offline; the store supplies the terms (`store::job_ad_terms`).
//!
//! Descriptions are not matched: they are sentences ("Proficiency in Java programming language
//! and its ecosystem") that never occur in an ad as written, and their single words would match
//! everything. Aliases carry what descriptions would.

use crate::model::{InterviewTypeId, SkillId};
use serde::{Deserialize, Serialize};

/// The longest ad the matcher reads, in characters: a long ad is about 1,000 words.
pub const MAX_JOB_AD_CHARS: usize = 8_000;
/// Phrases shown beside a matched skill.
const PHRASES_SHOWN: usize = 3;

/// What an ad is matched against.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Terms {
    /// Each skill with the phrases that name it: its name and its aliases, lower-case.
    pub skills: Vec<(SkillId, String, Vec<String>)>,
    /// Each type with its name and the skills it suggests.
    pub types: Vec<(InterviewTypeId, String, Vec<SkillId>)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillMatch {
    pub skill_id: SkillId,
    pub name: String,
    /// Distinct phrases found, as they appear in the ad, most frequent first.
    pub phrases: Vec<String>,
    /// Proposed by the configured model, not found by phrase (`phrases` is empty then).
    #[serde(default)]
    pub by_model: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobAdMatch {
    /// Strongest first (most distinct phrases, then most mentions), at most `limit`.
    pub skills: Vec<SkillMatch>,
    /// The likely interview type: from the role in the ad's title when it names one, else
    /// the type whose suggested skills the ad asks for most; `None` when neither says.
    pub interview_type_id: Option<InterviewTypeId>,
    /// With a model configured: which model proposed skills, or why it could not.
    #[serde(default)]
    pub model_note: Option<String>,
}

/// The ad with every run of whitespace made one space, lower-cased.
fn normalise(text: &str) -> String {
    one_spaced(text).to_lowercase()
}

/// The ad with every run of whitespace made one space.
fn one_spaced(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where `phrase` occurs in `text` as whole words: not inside a longer word ("java" is not
/// found in "javascript", nor "sql" in "nosql").
fn occurrences(text: &str, phrase: &str) -> Vec<usize> {
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    text.match_indices(phrase)
        .map(|(at, _)| at)
        .filter(|&at| {
            boundary(text[..at].chars().next_back())
                && boundary(text[at + phrase.len()..].chars().next())
        })
        .collect()
}

/// Whether a skill's name is worth matching on its own: a two-letter name ("Go") is an
/// ordinary word in any ad; aliases such as "golang" stand in for it.
fn name_is_distinctive(name: &str) -> bool {
    name.chars().filter(|c| c.is_alphanumeric()).count() >= 3
}

/// Matches `ad` (already length-checked) against `terms`, keeping at most `limit` skills.
pub fn match_job_ad(ad: &str, terms: &Terms, limit: usize) -> JobAdMatch {
    let plain = one_spaced(ad);
    let text = plain.to_lowercase();
    // Offsets into the lower-cased text are offsets into the original only when lower-casing
    // kept every length (ASCII, in practice); otherwise the alias itself is shown.
    let same_offsets = plain.len() == text.len();
    let mut found: Vec<(SkillMatch, usize)> = Vec::new();
    for (skill_id, name, aliases) in &terms.skills {
        let lower_name = name.to_lowercase();
        let mut phrases: Vec<(String, usize)> = Vec::new();
        let named = name_is_distinctive(name).then_some(&lower_name);
        for phrase in named.into_iter().chain(aliases) {
            let at = occurrences(&text, phrase);
            let Some(&first) = at.first() else { continue };
            let shown = if same_offsets {
                plain[first..first + phrase.len()].to_owned()
            } else {
                phrase.clone()
            };
            if !phrases.iter().any(|(p, _)| p.eq_ignore_ascii_case(&shown)) {
                phrases.push((shown, at.len()));
            }
        }
        if phrases.is_empty() {
            continue;
        }
        // A phrase inside a longer matched one ("react" in "react native") is not more
        // evidence; keep the longer.
        let all: Vec<String> = phrases.iter().map(|(p, _)| p.to_lowercase()).collect();
        phrases.retain(|(p, _)| {
            let p = p.to_lowercase();
            !all.iter()
                .any(|q| q.len() > p.len() && !occurrences(q, &p).is_empty())
        });
        let mentions = phrases.iter().map(|(_, n)| n).sum();
        phrases.sort_by_key(|p| std::cmp::Reverse(p.1));
        found.push((
            SkillMatch {
                skill_id: *skill_id,
                name: name.clone(),
                phrases: phrases
                    .into_iter()
                    .take(PHRASES_SHOWN)
                    .map(|(p, _)| p)
                    .collect(),
                by_model: false,
            },
            mentions,
        ));
    }
    found.sort_by(|(a, am), (b, bm)| {
        (b.phrases.len(), bm)
            .cmp(&(a.phrases.len(), am))
            .then(a.name.cmp(&b.name))
    });
    found.truncate(limit);
    let interview_type_id =
        type_from_title(ad, &terms.types).or_else(|| likely_type(&found, &terms.types));
    JobAdMatch {
        skills: found.into_iter().map(|(m, _)| m).collect(),
        interview_type_id,
        model_note: None,
    }
}

/// Adds the skills a model proposed that the phrases did not find, after them, up to `limit`
/// in all. Only catalogue skills, by name (any case): a name the catalogue lacks — a model
/// inventing one, or a name from the ad passed through — is dropped.
pub fn add_proposals(found: &mut JobAdMatch, proposed: &[String], terms: &Terms, limit: usize) {
    for name in proposed {
        if found.skills.len() >= limit {
            break;
        }
        let Some((id, name, _)) = terms
            .skills
            .iter()
            .find(|(_, n, _)| n.eq_ignore_ascii_case(name.trim()))
        else {
            continue;
        };
        if found.skills.iter().any(|s| s.skill_id == *id) {
            continue;
        }
        found.skills.push(SkillMatch {
            skill_id: *id,
            name: name.clone(),
            phrases: Vec::new(),
            by_model: true,
        });
    }
}

/// The catalogue's skill names, for a model to choose from.
pub fn skill_names(terms: &Terms) -> Vec<String> {
    terms.skills.iter().map(|(_, n, _)| n.clone()).collect()
}

/// Roles a job title names, checked in this order, and the interview type each is usually
/// practised with: a product manager is asked product-sense questions, a staff engineer or
/// architect system design, a manager or team lead behavioural ones, an engineer technical
/// ones. Matched as whole words in the ad's first line; a type missing from the catalogue (by
/// name) is skipped.
const ROLE_CUES: &[(&[&str], &str)] = &[
    (
        &[
            "product manager",
            "product owner",
            "head of product",
            "product lead",
        ],
        "Product Sense",
    ),
    (
        &[
            "architect",
            "staff engineer",
            "principal engineer",
            "staff software",
        ],
        "System Design",
    ),
    (
        &["manager", "director", "head of", "team lead"],
        "Behavioral",
    ),
    (
        &["engineer", "developer", "programmer", "scientist", "sre"],
        "Technical",
    ),
];

/// The type the role in the ad's title (its first non-blank line) points to.
fn type_from_title(
    ad: &str,
    types: &[(InterviewTypeId, String, Vec<SkillId>)],
) -> Option<InterviewTypeId> {
    let title = normalise(ad.lines().find(|l| !l.trim().is_empty())?);
    ROLE_CUES.iter().find_map(|(cues, type_name)| {
        cues.iter()
            .any(|cue| !occurrences(&title, cue).is_empty())
            .then(|| {
                types
                    .iter()
                    .find(|(_, name, _)| name.eq_ignore_ascii_case(type_name))
                    .map(|(id, _, _)| *id)
            })
            .flatten()
    })
}

/// The type whose suggested skills have the most evidence (mentions) in the ad; the first
/// such type (catalogue order) on a tie.
fn likely_type(
    found: &[(SkillMatch, usize)],
    types: &[(InterviewTypeId, String, Vec<SkillId>)],
) -> Option<InterviewTypeId> {
    let mut best: Option<(InterviewTypeId, usize)> = None;
    for (type_id, _, suggested) in types {
        let score: usize = found
            .iter()
            .filter(|(m, _)| suggested.contains(&m.skill_id))
            .map(|(_, mentions)| mentions)
            .sum();
        if score > 0 && best.is_none_or(|(_, b)| score > b) {
            best = Some((*type_id, score));
        }
    }
    best.map(|(t, _)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms() -> Terms {
        let skill = |id, name: &str, aliases: &[&str]| {
            (
                SkillId(id),
                name.to_owned(),
                aliases.iter().map(|a| a.to_string()).collect(),
            )
        };
        Terms {
            skills: vec![
                skill(1, "JavaScript", &["js", "node.js", "react", "react native"]),
                skill(3, "Java", &["spring boot", "kotlin"]),
                skill(4, "Go", &["golang"]),
                skill(10, "Databases (SQL)", &["sql", "postgres"]),
                skill(11, "Databases (NoSQL)", &["nosql", "redis"]),
                skill(13, "Leadership", &["mentor", "mentoring"]),
            ],
            types: vec![
                (
                    InterviewTypeId(1),
                    "Technical".into(),
                    vec![SkillId(1), SkillId(3), SkillId(4)],
                ),
                (InterviewTypeId(2), "Behavioral".into(), vec![SkillId(13)]),
            ],
        }
    }

    fn names(m: &JobAdMatch) -> Vec<&str> {
        m.skills.iter().map(|s| s.name.as_str()).collect()
    }

    #[test]
    fn whole_words_only() {
        let m = match_job_ad(
            "We use JavaScript and NoSQL stores; you will go far. Our javanese office.",
            &terms(),
            10,
        );
        // Not Java (inside "JavaScript" and "javanese"), not SQL (inside "NoSQL"), not Go.
        assert_eq!(names(&m), ["Databases (NoSQL)", "JavaScript"]);
    }

    #[test]
    fn phrases_are_shown_as_written_strongest_skill_first() {
        let m = match_job_ad(
            "Senior engineer: Golang services on Postgres.\nYou will mentor two juniors, \
             write SQL daily, and tune\n  postgres queries.",
            &terms(),
            10,
        );
        assert_eq!(names(&m), ["Databases (SQL)", "Go", "Leadership"]);
        // Most mentioned first; as written in the ad.
        assert_eq!(m.skills[0].phrases, ["Postgres", "SQL"]);
        assert_eq!(m.skills[1].phrases, ["Golang"]);
        assert_eq!(m.interview_type_id, Some(InterviewTypeId(1)));
    }

    #[test]
    fn a_phrase_inside_a_longer_match_is_not_counted_twice() {
        let m = match_job_ad("React Native developer", &terms(), 10);
        assert_eq!(m.skills[0].phrases, ["React Native"]);
    }

    #[test]
    fn the_limit_keeps_the_strongest_and_no_match_means_no_type() {
        let m = match_job_ad("Golang, Kotlin and Spring Boot, mentoring", &terms(), 1);
        assert_eq!(names(&m), ["Java"]);
        let none = match_job_ad("We sell artisanal bread.", &terms(), 10);
        assert!(none.skills.is_empty());
        assert_eq!(none.interview_type_id, None);
    }

    #[test]
    fn the_role_in_the_title_decides_the_type() {
        // The skills point to the technical type; the title names a manager.
        let m = match_job_ad(
            "\n  Engineering Manager, Payments\nGolang and Kotlin; you will mentor.",
            &terms(),
            10,
        );
        assert_eq!(m.interview_type_id, Some(InterviewTypeId(2)));
        // A role whose type the catalogue lacks falls back to the skills.
        let m = match_job_ad("Principal Architect\nGolang, Kotlin.", &terms(), 10);
        assert_eq!(m.interview_type_id, Some(InterviewTypeId(1)));
    }
}
