//! A finished interview as a Markdown document to keep: the conversation, the ratings per
//! skill with their notes, and per question the key points covered or missed and the model
//! answer. Pure; served by `GET /interviews/{id}/report.md`.

use crate::model::{LiveInterview, QuestionOutcome, Role};

/// Text from the conversation or the report, made safe to put in Markdown: characters that
/// would start markup at a line's start or inline are escaped, so an answer cannot turn into
/// headings, links or HTML in a Markdown viewer.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// As [`text`], each line quoted (`> `), for the conversation.
fn quoted(s: &str) -> String {
    s.lines()
        .map(|l| format!("> {}", text(l)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn stars(rating: Option<u8>) -> String {
    match rating {
        Some(r) => format!("{r}/5"),
        None => "not rated".to_owned(),
    }
}

/// The file name offered for the download: the title's letters and digits, dashed.
pub fn file_name(live: &LiveInterview) -> String {
    let slug: String = live
        .interview
        .display_title()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    format!(
        "{}-report.md",
        if slug.is_empty() { "interview" } else { &slug }
    )
}

pub fn report_markdown(live: &LiveInterview) -> String {
    let i = &live.interview;
    let mut md = format!("# {}\n\n", text(&i.display_title()));
    md += &format!("- Type: {}\n", text(&i.type_label()));
    let skills: Vec<String> = i.skills.iter().map(|s| text(&s.name)).collect();
    md += &format!("- Skills: {}\n", skills.join(", "));
    md += &format!("- Difficulty: {}\n", text(&i.difficulty_label()));
    if let Some(limit) = i.answer_seconds {
        md += &format!(
            "- Time per answer: {}\n",
            crate::model::duration_label(u32::from(limit))
        );
    }
    if let Some(done) = &i.completed_at {
        md += &format!("- Completed: {done} UTC\n");
    }

    match &live.report {
        None => md += "\n_No report yet: the interview is not finished._\n",
        Some(report) => {
            md += "\n## Ratings\n\n| Skill | Rating | Answered |\n|---|---|---|\n";
            for s in &report.skills {
                let answered = match (s.answered, s.planned) {
                    (Some(a), Some(p)) => format!("{a} of {p}"),
                    _ => "—".to_owned(),
                };
                md += &format!(
                    "| {} | {} | {answered} |\n",
                    text(&s.skill.name),
                    stars(s.rating)
                );
            }
            for s in &report.skills {
                md += &format!("\n### {}: {}\n\n", text(&s.skill.name), stars(s.rating));
                for (label, body) in [
                    ("Summary", &s.summary),
                    ("Strengths", &s.strengths),
                    ("To work on", &s.areas_for_improvement),
                ] {
                    if !body.trim().is_empty() {
                        md += &format!("**{label}:** {}\n\n", text(body.trim()));
                    }
                }
            }
            md += "\n## Questions\n";
            for q in &report.questions {
                md += &format!("\n### {}. {}\n\n", q.order, text(&q.text));
                let outcome = match q.outcome {
                    QuestionOutcome::Answered => format!("answered, {}", stars(q.rating)),
                    QuestionOutcome::Skipped => "skipped".to_owned(),
                    QuestionOutcome::NotAnswered => "not answered".to_owned(),
                };
                let skill = q.skill_name.as_deref().map(text).unwrap_or_default();
                let took = q
                    .time_label(i.answer_seconds)
                    .map(|t| format!(" · {}", t.to_lowercase()))
                    .unwrap_or_default();
                md += &format!(
                    "_{skill}{}{outcome}{took}_\n\n",
                    if skill.is_empty() { "" } else { " · " }
                );
                if !q.note.trim().is_empty() {
                    md += &format!("{}\n\n", text(q.note.trim()));
                }
                if !q.key_points.is_empty() {
                    md += "Key points:\n\n";
                    for k in &q.key_points {
                        let mark = if k.covered { "[x]" } else { "[ ]" };
                        md += &format!("- {mark} {}\n", text(&k.point));
                    }
                    md += "\n";
                }
                if let Some(answer) = q.model_answer.as_deref().filter(|a| !a.trim().is_empty()) {
                    md += &format!("Model answer:\n\n{}\n\n", quoted(answer.trim()));
                }
            }
        }
    }

    md += "\n## Conversation\n";
    for m in &live.messages {
        let who = match m.role {
            Role::Interviewer => "Interviewer",
            Role::Candidate => "You",
            Role::System => continue,
        };
        md += &format!("\n**{who}:**\n\n{}\n", quoted(&m.content));
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_answers_is_escaped_not_rendered() {
        assert_eq!(text("# <b>[x](y)</b> *a*"), r"\# \<b\>\[x\](y)\</b\> \*a\*");
        assert_eq!(quoted("one\n# two"), "> one\n> \\# two");
    }
}
