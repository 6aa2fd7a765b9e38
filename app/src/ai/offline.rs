//! The offline interviewer: the default, with no network and no model. It asks the planned
//! questions, follows up and hints by fixed rules, and its report is `rules::offline_report`.

use super::{BriefQuestion, Step, TokenStream, TurnBrief};
use crate::model::TurnAction;
use std::time::Duration;

pub struct Offline {
    /// The pause between words, so the reply reads as it is "written" (0 in tests).
    pub word_delay: Duration,
}

impl Offline {
    pub fn reply(&self, brief: &TurnBrief) -> TokenStream {
        let text = compose(brief);
        let delay = self.word_delay;
        // Words with their following whitespace, so the pieces join back to the exact text.
        let mut pieces = Vec::new();
        let mut start = 0;
        let bytes: Vec<(usize, char)> = text.char_indices().collect();
        for w in bytes.windows(2) {
            if w[0].1.is_whitespace() && !w[1].1.is_whitespace() {
                pieces.push(text[start..w[1].0].to_owned());
                start = w[1].0;
            }
        }
        pieces.push(text[start..].to_owned());
        Box::pin(futures::stream::unfold(
            pieces.into_iter(),
            move |mut it| async move {
                let piece = it.next()?;
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                Some((Ok(piece), it))
            },
        ))
    }
}

fn ask(q: &BriefQuestion, total: u32) -> String {
    match &q.skill {
        Some(skill) => format!("Question {} of {total}, on {skill}: {}", q.order, q.text),
        None => format!("Question {} of {total}: {}", q.order, q.text),
    }
}

fn list(names: &[String]) -> String {
    match names {
        [] => "the skills you chose".into(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The reply for a turn, from the brief alone.
pub fn compose(b: &TurnBrief) -> String {
    let next = b.next.as_ref().map(|q| ask(q, b.total));
    match (&b.step, next) {
        (Step::Greet, Some(q)) => format!(
            "Hello, and welcome to your {} practice interview. We will cover {}. I will ask {} \
             questions; take your time, and you can ask for a hint or skip a question whenever \
             you like.\n\n{q}",
            b.type_name,
            list(&b.skills),
            b.total
        ),
        (Step::Next, Some(q)) => {
            let ack = match (b.action, b.candidate_text.as_deref()) {
                (TurnAction::Skip, _) => "No problem, let's move on.",
                (_, Some(t)) if !super::rules::needs_follow_up(t) => {
                    "Thank you, that is a clear answer."
                }
                _ => "Thank you.",
            };
            format!("{ack}\n\n{q}")
        }
        (Step::FollowUp, _) => {
            let vague = b
                .candidate_text
                .as_deref()
                .is_some_and(|t| super::rules::assess(t).vague);
            if vague {
                "You said it depends — on what, exactly? Pick one situation, and tell me what you \
                 would do and why."
                    .into()
            } else {
                "Could you go a little deeper? Walk me through a specific example: what you did, \
                 why you did it, and what the result was."
                    .into()
            }
        }
        (Step::Hint, _) => {
            let skill = b
                .current
                .as_ref()
                .and_then(|q| q.skill.as_deref())
                .unwrap_or("");
            format!(
                "Here is a hint: {} Take your time, then give me your answer.",
                hint_for(skill)
            )
        }
        (Step::Finish { early: true }, _) => "Let's stop here. Thank you for your time — I have \
             written feedback on the questions we covered, and your report is below."
            .into(),
        (Step::Finish { early: false }, _) | (Step::Greet | Step::Next, None) => {
            "That was the last question — thank you, well done for seeing it through. Your \
             feedback report is below."
                .into()
        }
    }
}

/// A hint that fits the kind of skill, named by its words.
fn hint_for(skill: &str) -> &'static str {
    let s = skill.to_lowercase();
    let any = |words: &[&str]| words.iter().any(|w| s.contains(w));
    if any(&["communication", "teamwork", "leadership", "empathy"]) {
        "use the STAR shape — the Situation, your Task, the Action you took and the Result — \
         and give one detail only you would know."
    } else if any(&["design", "architecture", "api", "database"]) {
        "start from the requirements and the expected load, sketch the main parts and how data \
         flows between them, then name one trade-off you are making."
    } else if any(&["product", "metric", "prioriti"]) {
        "start from the user and the goal, choose one metric that would show success, and say \
         what you would deliberately not do."
    } else if any(&["algorithm", "problem", "python", "javascript", "java", "go"]) {
        "state the simplest approach that works and its cost first, then improve one step at a \
         time, saying what each step buys you."
    } else {
        "break the question into two or three parts and answer each with one concrete example."
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

    fn brief(step: Step) -> TurnBrief {
        TurnBrief {
            step,
            action: TurnAction::Start,
            type_name: "Behavioral".into(),
            type_description: None,
            skills: vec![
                "Communication".into(),
                "Teamwork".into(),
                "Leadership".into(),
            ],
            total: 4,
            current: Some(BriefQuestion {
                order: 1,
                text: "Tell me about a conflict.".into(),
                skill: Some("Teamwork".into()),
            }),
            next: Some(BriefQuestion {
                order: 1,
                text: "Tell me about a conflict.".into(),
                skill: Some("Teamwork".into()),
            }),
            candidate_text: None,
            history: vec![],
        }
    }

    #[test]
    fn the_greeting_names_type_and_skills_then_asks_the_first_question() {
        let t = compose(&brief(Step::Greet));
        assert!(t.contains("Behavioral practice interview"));
        assert!(t.contains("Communication, Teamwork and Leadership"));
        assert!(t.ends_with("Question 1 of 4, on Teamwork: Tell me about a conflict."));
    }

    #[tokio::test]
    async fn the_stream_joins_back_to_the_whole_reply() {
        let b = brief(Step::Hint);
        let o = Offline {
            word_delay: Duration::ZERO,
        };
        let pieces: Vec<String> = o.reply(&b).map(|p| p.unwrap()).collect().await;
        assert!(pieces.len() > 10);
        assert_eq!(pieces.concat(), compose(&b));
        assert!(pieces.concat().contains("STAR"));
    }
}
