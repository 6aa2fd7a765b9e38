//! The per-question countdown of a timed interview. The server says how long the question has
//! waited; the page counts on from there, so the browser's clock does not matter. Time running
//! out changes nothing but the display: the answer can still be sent, and the report shows how
//! long it took. Without JavaScript the time left when the page was loaded is shown.

use super::conversation::Conversation;
use leptos::prelude::*;
use std::time::Duration;

#[component]
pub(super) fn AnswerTimer(talk: Conversation) -> impl IntoView {
    let clock = Memo::new(move |_| talk.state.with(|s| s.progress.answer_clock));
    // Seconds counted here since the server's figure arrived.
    let ticks = RwSignal::new(0u32);
    Effect::new(move |_| {
        clock.track();
        ticks.set(0);
    });
    // Effects run only in the browser, where there is a window to tick in.
    Effect::new(move |_| {
        if let Ok(handle) =
            set_interval_with_handle(move || ticks.update(|t| *t += 1), Duration::from_secs(1))
        {
            on_cleanup(move || handle.clear());
        }
    });
    let left = move || {
        clock.get().map(|c| {
            i64::from(c.limit_seconds) - i64::from(c.waited_seconds) - i64::from(ticks.get())
        })
    };
    let timed = Memo::new(move |_| clock.with(Option::is_some));
    move || {
        timed.get().then(|| {
            view! {
                <div class="answer-timer"
                    class:near=move || left().is_some_and(|l| l > 0 && l <= 30)
                    class:over=move || left().is_some_and(|l| l <= 0)>
                    <p role="timer" data-testid="answer-timer">{move || left().map(timer_text)}</p>
                    // Changes twice, so a screen reader hears these and not every second.
                    <p class="visually-hidden" aria-live="polite">{move || left().map(announcement)}</p>
                </div>
            }
        })
    }
}

fn clock_face(seconds: i64) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// "1:42 left", then "Time is up (0:15 over): you can still send your answer".
fn timer_text(left: i64) -> String {
    if left > 0 {
        format!("{} left for this answer", clock_face(left))
    } else {
        format!(
            "Time is up ({} over): you can still send your answer",
            clock_face(-left)
        )
    }
}

fn announcement(left: i64) -> &'static str {
    match left {
        l if l <= 0 => "Time is up for this answer.",
        l if l <= 30 => "30 seconds left for this answer.",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timer_counts_down_then_over() {
        assert_eq!(timer_text(102), "1:42 left for this answer");
        assert_eq!(timer_text(5), "0:05 left for this answer");
        assert_eq!(
            timer_text(-15),
            "Time is up (0:15 over): you can still send your answer"
        );
        assert_eq!(announcement(31), "");
        assert_eq!(announcement(30), "30 seconds left for this answer.");
        assert_eq!(announcement(0), "Time is up for this answer.");
    }
}
