//! The offline interviewer: the default, with no network and no model. It words each turn's
//! bridge by fixed rules (the server adds the question, probe or hint, `bridge.rs`), and its
//! report is `rules::offline_report`.

use super::bridge::{join, server_part, words};
use super::{Ack, Piece, Step, TokenStream, TurnBrief};
use std::time::Duration;

pub struct Offline {
    /// The pause between words, so the reply reads as it is "written" (0 in tests).
    pub word_delay: Duration,
}

impl Offline {
    /// The bridge of a reply, streamed word by word; the server adds its own part after it.
    pub fn reply(&self, brief: &TurnBrief) -> TokenStream {
        let delay = self.word_delay;
        Box::pin(futures::stream::unfold(
            words(&bridge(brief)).into_iter(),
            move |mut it| async move {
                let piece = it.next()?;
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                Some((Ok(Piece::Text(piece)), it))
            },
        ))
    }
}

fn list(names: &[String]) -> String {
    match names {
        [] => "the skills you chose".into(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The offline interviewer's bridge for a turn, from the brief alone: also the words used
/// when a model's bridge is empty once filtered, or the interview's model budget is spent.
pub fn bridge(b: &TurnBrief) -> String {
    match &b.step {
        Step::Greet => format!(
            "Hello, and welcome to your {} practice interview. We will cover {}. I will ask {} \
             questions; take your time, and you can ask for a hint or skip a question whenever \
             you like.",
            b.type_name,
            list(&b.skills),
            b.total
        ),
        Step::Next => match b.ack {
            Ack::Skipped => "No problem, let's move on.",
            Ack::Strong => "Thank you, that is a clear answer.",
            Ack::Weak => "Let's move on.",
            Ack::Answered | Ack::None => "Thank you.",
        }
        .into(),
        // The server's part is the follow-up itself.
        Step::FollowUp => String::new(),
        Step::Hint => "Here is a hint; take your time with it, then give me your answer.".into(),
        Step::Finish { early: true } => "Let's stop here. Thank you for your time — I have \
             written feedback on the questions we covered, and your report is below."
            .into(),
        Step::Finish { early: false } => {
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

/// The whole offline reply: the bridge and the server's part.
pub fn compose(b: &TurnBrief) -> String {
    join(&bridge(b), server_part(b).as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ai::BriefQuestion;
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
        let pieces: Vec<String> = o
            .reply(&b)
            .map(|p| match p.unwrap() {
                Piece::Text(t) => t,
                other => panic!("{other:?}"),
            })
            .collect()
            .await;
        assert!(pieces.len() > 10);
        assert_eq!(pieces.concat(), bridge(&b));
        assert!(
            compose(&b).ends_with("\n\nThink about when the disagreement started."),
            "the server adds the hint verbatim"
        );
    }
}
