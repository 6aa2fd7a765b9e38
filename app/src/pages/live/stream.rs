//! The reply stream in the browser: `GET /interviews/{id}/reply` through gloo-net's
//! `EventSource`, which closes the connection and removes its listeners when dropped — when a
//! reply ends, nothing of it is left behind. The server never follows a reply, so the server
//! build has an empty `follow`.

use crate::model::ReplyEvent;

/// What the page learns from the stream of one reply.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))] // made only in the browser
pub enum StreamEvent {
    /// The reply so far (empty while the interviewer is thinking).
    Snapshot(String),
    /// A new piece of the reply.
    Token(String),
    /// The reply is stored, or no reply was being written.
    Done,
    /// Nothing was stored; why, for the person.
    Failed(String),
    /// The connection closed for good (the browser gives up reconnecting).
    Lost,
}

impl StreamEvent {
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn new(event: ReplyEvent, data: String) -> StreamEvent {
        match event {
            ReplyEvent::Snapshot => StreamEvent::Snapshot(data),
            ReplyEvent::Token => StreamEvent::Token(data),
            ReplyEvent::Done | ReplyEvent::Idle => StreamEvent::Done,
            ReplyEvent::Failed => StreamEvent::Failed(data),
        }
    }
}

/// Follows the reply being written for interview `id`, giving each event to `on`, until the
/// reply is stored, fails or the connection is lost; the stream is closed when this returns.
#[cfg(feature = "hydrate")]
pub async fn follow(id: &str, mut on: impl FnMut(StreamEvent)) {
    use futures::StreamExt;
    use gloo_net::eventsource::futures::EventSource;
    let Ok(mut source) = EventSource::new(&format!("/interviews/{id}/reply")) else {
        on(StreamEvent::Lost);
        return;
    };
    let subscriptions: Vec<_> = ReplyEvent::ALL
        .iter()
        .filter_map(|e| source.subscribe(e.name()).ok())
        .collect();
    let mut events = futures::stream::select_all(subscriptions);
    // The browser reconnects by itself after a dropped connection (the server replays the
    // reply from its start); gloo-net reports an error only once the source is closed.
    while let Some(item) = events.next().await {
        let Ok((name, message)) = item else {
            on(StreamEvent::Lost);
            return;
        };
        let Some(event) = ReplyEvent::from_name(&name) else {
            continue;
        };
        // Each event's data is a JSON string (so newlines survive).
        let data = message
            .data()
            .as_string()
            .and_then(|d| js_sys::JSON::parse(&d).ok())
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        on(StreamEvent::new(event, data));
        if event.is_final() {
            return;
        }
    }
}

#[cfg(not(feature = "hydrate"))]
pub async fn follow(_id: &str, _on: impl FnMut(StreamEvent)) {}

/// A fresh turn key: 128 random bits as hex. Only uniqueness within one interview matters, not
/// secrecy, so `Math.random` does (`crypto.randomUUID` is missing on plain-http origins).
#[cfg(feature = "hydrate")]
pub fn new_turn_key() -> String {
    (0..4)
        .map(|_| format!("{:08x}", (js_sys::Math::random() * 4_294_967_296.0) as u32))
        .collect()
}

/// Turns are only ever asked for from the browser.
#[cfg(not(feature = "hydrate"))]
pub fn new_turn_key() -> String {
    String::new()
}
