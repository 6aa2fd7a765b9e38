//! The server owns the question. A reply is the provider's *bridge* — a greeting, an
//! acknowledgement, a closing — followed by what the server itself adds verbatim: the planned
//! question ("Question 3 of 6, on API Design: …"), the follow-up probe it chose, or the
//! question's hint. A model writes only the bridge, and [`BridgeFilter`] keeps its text to
//! that job: the bridge is read a sentence at a time, and the first sentence that asks a
//! question or grades the candidate ends it (it and everything after are dropped, and the
//! model's stream is closed), as does reaching [`MAX_BRIDGE_CHARS`] or
//! [`MAX_BRIDGE_SENTENCES`]. A sentence is shown once it is complete, so nothing shown is ever
//! taken back.

use super::{BriefQuestion, Step, TurnBrief};

/// The longest bridge shown, in characters.
pub const MAX_BRIDGE_CHARS: usize = 400;
/// The most sentences a bridge has.
pub const MAX_BRIDGE_SENTENCES: usize = 3;

/// How the server asks a planned question.
pub fn ask(q: &BriefQuestion, total: u32) -> String {
    match &q.skill {
        Some(skill) => format!("Question {} of {total}, on {skill}: {}", q.order, q.text),
        None => format!("Question {} of {total}: {}", q.order, q.text),
    }
}

/// What the server adds after the bridge, verbatim, if anything.
pub fn server_part(b: &TurnBrief) -> Option<String> {
    match b.step {
        Step::Greet | Step::Next => b.next.as_ref().map(|q| ask(q, b.total)),
        Step::FollowUp => Some(b.follow_up.clone().unwrap_or_else(|| {
            "Could you go a little deeper? Walk me through what you would do, and why.".into()
        })),
        Step::Hint => Some(
            b.hint
                .clone()
                .filter(|h| !h.trim().is_empty())
                .unwrap_or_else(|| {
                    "Break the question into two or three parts and answer each with one \
                     concrete example."
                        .into()
                }),
        ),
        Step::Finish { .. } => None,
    }
}

/// The whole reply: the bridge, then the server's part as its own paragraph.
pub fn join(bridge: &str, server_part: Option<&str>) -> String {
    match (bridge.trim(), server_part) {
        ("", Some(part)) => part.to_owned(),
        (bridge, Some(part)) => format!("{bridge}\n\n{part}"),
        (bridge, None) => bridge.to_owned(),
    }
}

/// Splits text into words with their following whitespace, so the pieces join back to it.
pub fn words(text: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for w in chars.windows(2) {
        if w[0].1.is_whitespace() && !w[1].1.is_whitespace() {
            pieces.push(text[start..w[1].0].to_owned());
            start = w[1].0;
        }
    }
    if start < text.len() {
        pieces.push(text[start..].to_owned());
    }
    pieces
}

/// Words that grade the candidate; an interviewer does not grade during the interview.
const GRADING: [&str; 22] = [
    "out of 5",
    "out of five",
    "out of 10",
    "out of ten",
    "/5",
    "/10",
    "rating",
    "rate you",
    "rate this",
    "rate your",
    "score",
    "grade",
    "you pass",
    "you fail",
    "you passed",
    "you failed",
    "correct answer",
    "wrong answer",
    "that is correct",
    "that's correct",
    "that is wrong",
    "that's wrong",
];

/// Whether a sentence of the bridge oversteps it: asks something or grades.
pub fn oversteps(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    sentence.contains('?') || GRADING.iter().any(|g| lower.contains(g))
}

/// Keeps a model's bridge to its job, fed the stream's pieces as they come.
#[derive(Debug, Default)]
pub struct BridgeFilter {
    /// Text of the sentence not yet complete.
    pending: String,
    shown_chars: usize,
    sentences: usize,
    stopped: bool,
    /// Whether anything at all came from the model (an empty reply is an error, not a bridge).
    pub received: bool,
}

impl BridgeFilter {
    /// Takes a piece of the model's text; returns what may be shown now.
    pub fn push(&mut self, piece: &str) -> String {
        if self.stopped {
            return String::new();
        }
        self.received |= !piece.trim().is_empty();
        self.pending.push_str(piece);
        let mut out = String::new();
        while let Some(end) = sentence_end(&self.pending) {
            let sentence: String = self.pending.drain(..end).collect();
            if !self.take(&sentence, &mut out) {
                break;
            }
        }
        out
    }

    /// The model's text has ended; returns what may still be shown. A last sentence without
    /// its full stop is shown unless the model was cut off by its token limit mid-sentence.
    pub fn finish(&mut self, cut_off: bool) -> String {
        let mut out = String::new();
        let rest = std::mem::take(&mut self.pending);
        if !cut_off && !rest.trim().is_empty() {
            self.take(&rest, &mut out);
        }
        self.stopped = true;
        out
    }

    /// Whether the bridge has ended (the model's stream need not be read further).
    pub fn stopped(&self) -> bool {
        self.stopped
    }

    /// Shows `sentence` if it keeps to the bridge's job; otherwise ends the bridge.
    fn take(&mut self, sentence: &str, out: &mut String) -> bool {
        let chars = sentence.chars().count();
        if oversteps(sentence)
            || self.sentences >= MAX_BRIDGE_SENTENCES
            || self.shown_chars + chars > MAX_BRIDGE_CHARS
        {
            self.stopped = true;
            self.pending.clear();
            return false;
        }
        // Markdown emphasis and headings are not the interviewer's voice.
        let clean = sentence.replace(['*', '#'], "");
        if self.shown_chars == 0 {
            out.push_str(clean.trim_start());
        } else {
            out.push_str(&clean);
        }
        self.shown_chars += chars;
        if !sentence.trim().is_empty() {
            self.sentences += 1;
        }
        true
    }
}

/// Where the first complete sentence of `text` ends (after its terminator and the whitespace
/// that follows it), if one is complete. A full stop counts once whitespace follows it, so
/// "3.12" does not end a sentence; a line break always does.
fn sentence_end(text: &str) -> Option<usize> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (i, &(_, c)) in chars.iter().enumerate() {
        let ends = c == '\n'
            || (matches!(c, '.' | '!' | '?')
                && chars.get(i + 1).is_some_and(|(_, n)| n.is_whitespace()));
        if ends {
            let after = chars[i + 1..]
                .iter()
                .find(|(_, n)| !n.is_whitespace())
                .map_or(text.len(), |(at, _)| *at);
            return Some(after);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(pieces: &[&str], cut_off: bool) -> (String, bool) {
        let mut f = BridgeFilter::default();
        let mut shown = String::new();
        for p in pieces {
            shown.push_str(&f.push(p));
            if f.stopped() {
                return (shown, true);
            }
        }
        shown.push_str(&f.finish(cut_off));
        (shown, false)
    }

    #[test]
    fn a_plain_acknowledgement_is_shown_sentence_by_sentence() {
        let mut f = BridgeFilter::default();
        assert_eq!(f.push("Thank you for"), "");
        assert_eq!(f.push(" that. It was"), "Thank you for that. ");
        assert_eq!(f.push(" thorough.\n"), "It was thorough.\n");
        assert_eq!(f.finish(false), "");
        assert!(f.received);
    }

    #[test]
    fn a_question_the_server_did_not_plan_ends_the_bridge() {
        let (shown, stopped) = run(
            &[
                "Thanks. ",
                "Now, can you tell me about ",
                "your favourite language? ",
                "Also more.",
            ],
            false,
        );
        assert_eq!(shown, "Thanks. ");
        assert!(stopped, "the model's stream is closed");
    }

    #[test]
    fn grading_ends_the_bridge() {
        for graded in [
            "Great, I would give that a 5 out of 5.",
            "That is correct, well reasoned.",
            "My rating for this answer: excellent.",
            "Score: 4/5.",
        ] {
            let (shown, _) = run(&["Thank you. ", graded, " Let's go on."], false);
            assert_eq!(shown, "Thank you. ", "{graded}");
        }
    }

    #[test]
    fn length_and_sentence_limits_hold() {
        let long = "This sentence is long enough to matter here. ".repeat(20);
        let (shown, _) = run(&[&long], false);
        assert!(shown.chars().count() <= MAX_BRIDGE_CHARS, "{shown}");
        let (shown, _) = run(&["One. Two. Three. Four. Five."], false);
        assert_eq!(shown, "One. Two. Three. ");
    }

    #[test]
    fn a_sentence_cut_by_the_token_limit_is_dropped_but_an_unpunctuated_ending_is_kept() {
        assert_eq!(
            run(&["Thank you. And the", " next part is"], true).0,
            "Thank you. "
        );
        assert_eq!(
            run(&["Thank you. Let's continue"], false).0,
            "Thank you. Let's continue"
        );
    }

    #[test]
    fn decimals_do_not_end_a_sentence_and_markdown_is_dropped() {
        assert_eq!(
            run(&["**Nice** — Python 3.12 was", " mentioned. "], false).0,
            "Nice — Python 3.12 was mentioned. "
        );
    }

    #[test]
    fn the_server_part_is_its_own_paragraph() {
        assert_eq!(
            join("Thank you. ", Some("Question 2 of 3: Why?")),
            "Thank you.\n\nQuestion 2 of 3: Why?"
        );
        assert_eq!(join("  ", Some("Q")), "Q");
        assert_eq!(join("Bye.", None), "Bye.");
        assert_eq!(words("a b  c").concat(), "a b  c");
        assert_eq!(words("a b  c"), ["a ", "b  ", "c"]);
    }
}
