//! The offline interviewer: the default, with no network and no model. It asks the planned
//! questions, follows up and hints by fixed rules, and its report is `rules::offline_report`.

use super::{Ack, BriefQuestion, Step, TokenStream, TurnBrief};
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
            let ack = match b.ack {
                Ack::Skipped => "No problem, let's move on.",
                Ack::Strong => "Thank you, that is a clear answer.",
                Ack::Weak => "Let's move on.",
                Ack::Answered | Ack::None => "Thank you.",
            };
            format!("{ack}\n\n{q}")
        }
        // The server chose the follow-up (a probe from the bank, or what the question asked).
        (Step::FollowUp, _) => b.follow_up.clone().unwrap_or_else(|| {
            "Could you go a little deeper? Walk me through what you would do, and why.".into()
        }),
        (Step::Hint, _) => match b.hint.as_deref().filter(|h| !h.trim().is_empty()) {
            Some(hint) => {
                format!("Here is a hint: {hint} Take your time, then give me your answer.")
            }
            None => "Here is a hint: break the question into two or three parts and answer each \
                     with one concrete example. Take your time, then give me your answer."
                .into(),
        },
        (Step::Finish { early: true }, _) => "Let's stop here. Thank you for your time — I have \
             written feedback on the questions we covered, and your report is below."
            .into(),
        (Step::Finish { early: false }, _) | (Step::Greet | Step::Next, None) => {
            // Credit for seeing it through only when most questions were answered.
            if b.answered * 2 >= b.total.max(1) {
                "That was the last question — thank you, well done for seeing it through. Your \
                 feedback report is below."
                    .into()
            } else {
                format!(
                    "That was the last question — thank you. You answered {} of {}; your \
                     feedback report is below.",
                    b.answered, b.total
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

    fn brief(step: Step) -> TurnBrief {
        TurnBrief {
            step,
            action: crate::model::TurnAction::Start,
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
            follow_up: None,
            hint: Some("Think about when the disagreement started.".into()),
            ack: Ack::None,
            answered: 0,
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
        assert!(
            pieces
                .concat()
                .contains("Think about when the disagreement started.")
        );
    }
}
