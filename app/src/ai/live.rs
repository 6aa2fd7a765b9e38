//! Running turns: deciding each one in a transaction, streaming the reply to whoever follows
//! it, and storing it whole — or not at all.
//!
//! A turn runs in its own task, so a browser that disconnects mid-reply does not stop it: the
//! reply is still completed and stored. Followers get the reply so far and then each new
//! piece through a `watch` channel; a tab that opens mid-reply joins where it is.

use super::bridge::{BridgeFilter, server_part, words};
use super::plan::seed_for;
use super::turn::{self, Decision, Loaded};
use super::{AiError, Piece, Provider, ReportInput};
use crate::model::{InterviewStatus, InterviewerInfo, LiveInterview, Progress, TurnAction};
use crate::stats::Histogram;
use crate::store::{
    self, AskedQuestion, Db, PendingTurn, ReportRows, StoreError, StoredReply, TurnState, Usage,
};
use futures::StreamExt;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::watch;

/// How many of the user's latest other interviews count as "recent" for the question plan.
pub const RECENT_INTERVIEWS: u32 = 10;

/// How long a finished turn's outcome stays available to followers.
pub const FINISHED_TURN_LINGER: std::time::Duration = std::time::Duration::from_secs(30);

/// The longest turn key accepted; the browser sends a UUID.
pub const MAX_TURN_KEY_CHARS: usize = 64;

/// Whether a request started a turn or named one already taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TurnStarted {
    New,
    Already,
}

fn check_turn_key(key: &str) -> Result<(), StoreError> {
    let ok = !key.is_empty()
        && key.len() <= MAX_TURN_KEY_CHARS
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "A turn key is 1 to {MAX_TURN_KEY_CHARS} letters, digits or dashes."
        )))
    }
}

/// A reply as followers see it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplyProgress {
    pub text: String,
    pub state: ReplyState,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ReplyState {
    #[default]
    Writing,
    /// Stored; the page reloads the interview.
    Done,
    /// Nothing was stored; the message says why.
    Failed(String),
}

/// What the interviewer's model may cost. Offline, nothing is limited.
#[derive(Clone, Copy, Debug)]
pub struct ModelLimits {
    /// Model calls running at once across the server...
    pub concurrent: usize,
    /// ...and how many more may wait for one; past that a turn fails at once with "busy".
    pub queue: usize,
    /// Tokens one interview's model calls may use. Past it the interview goes on with the
    /// offline interviewer's words and its report is the offline rules', labelled as such.
    pub token_budget: u64,
}

impl Default for ModelLimits {
    fn default() -> Self {
        ModelLimits {
            concurrent: 4,
            queue: 16,
            token_budget: 50_000,
        }
    }
}

/// The live-interview service: one per server, shared by server functions and the stream route.
#[derive(Clone)]
pub struct Live {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    provider: Provider,
    /// This app server's name among those sharing the database: it owns the leases of the
    /// turns it writes.
    node: String,
    turns: Mutex<HashMap<String, (u64, watch::Receiver<ReplyProgress>)>>,
    next_turn: AtomicU64,
    stats: ModelStats,
    limits: ModelLimits,
    /// Model calls running.
    calls: tokio::sync::Semaphore,
    /// Model calls running or waiting for a slot (each counted until its slot is dropped).
    queued: AtomicUsize,
}

/// What the interviewer's model calls cost, for `/metrics`.
#[derive(Default)]
pub struct ModelStats {
    /// From asking for a reply to its first streamed piece.
    pub first_token: Histogram,
    /// From asking for a reply to its last piece.
    pub reply: Histogram,
    /// A whole report call (checked).
    pub report: Histogram,
    /// Pieces streamed in replies: tokens, for a model that streams one token per event.
    pub reply_tokens: AtomicU64,
    /// Calls that failed (no reply, or no usable report).
    pub failed: AtomicU64,
}

impl Live {
    /// `node` names this app server among those sharing the database (`--node-id`).
    pub fn with_limits(db: Db, provider: Provider, limits: ModelLimits, node: String) -> Live {
        Live {
            inner: Arc::new(Inner {
                db,
                provider,
                node,
                turns: Mutex::new(HashMap::new()),
                next_turn: AtomicU64::new(1),
                stats: ModelStats::default(),
                calls: tokio::sync::Semaphore::new(limits.concurrent.max(1)),
                queued: AtomicUsize::new(0),
                limits,
            }),
        }
    }

    pub fn info(&self) -> InterviewerInfo {
        self.inner.provider.info()
    }

    /// This app server's name among those sharing the database.
    pub fn node(&self) -> &str {
        &self.inner.node
    }

    /// How many replies are being written now (finished ones that linger for late followers
    /// are not counted).
    pub fn replies_writing(&self) -> usize {
        let turns = self.inner.turns.lock().unwrap_or_else(|p| p.into_inner());
        turns
            .values()
            .filter(|(_, rx)| rx.borrow().state == ReplyState::Writing)
            .count()
    }

    /// The catalogue skills a job ad calls for, as the configured model proposes them, within
    /// the limits on model calls; `None` without a model.
    pub async fn propose_skills(
        &self,
        ad: &str,
        catalogue: &[String],
    ) -> Option<Result<Vec<String>, AiError>> {
        if !self.inner.provider.is_model() {
            return None;
        }
        let slot = match self.inner.call_slot().await {
            Ok(slot) => slot,
            Err(e) => return Some(Err(e)),
        };
        let (names, usage) = self.inner.provider.propose_skills(ad, catalogue).await?;
        drop(slot);
        if names.is_err() {
            self.inner.stats.failed.fetch_add(1, Ordering::Relaxed);
        }
        tracing::info!(
            prompt_tokens = usage.prompt,
            completion_tokens = usage.completion,
            "model tokens for a job ad"
        );
        Some(names)
    }

    pub fn model_stats(&self) -> &ModelStats {
        &self.inner.stats
    }

    /// The reply being written for an interview, if one is.
    pub fn follow(&self, interview_id: &str) -> Option<watch::Receiver<ReplyProgress>> {
        let turns = self.inner.turns.lock().unwrap_or_else(|p| p.into_inner());
        turns.get(interview_id).map(|(_, rx)| rx.clone())
    }

    /// The reply being written for an interview by this node or, on a shared database, by
    /// another: that one is read from the text its node saves every few hundred
    /// milliseconds. `None` when no reply is being written.
    pub async fn follow_anywhere(
        &self,
        interview_id: &str,
    ) -> Result<Option<watch::Receiver<ReplyProgress>>, StoreError> {
        let here = self.follow(interview_id);
        if let Some(rx) = &here
            && rx.borrow().state == ReplyState::Writing
        {
            return Ok(here);
        }
        // A turn this node finished lingers for late followers, but a newer one another node
        // is writing is the one to follow. Listening before reading the saved text, so no
        // piece falls between the two.
        let pieces = self.inner.db.reply_pieces();
        let Some((message_id, text)) = self.inner.db.pending_reply(interview_id).await? else {
            return Ok(here);
        };
        let (tx, rx) = watch::channel(ReplyProgress {
            text,
            state: ReplyState::Writing,
        });
        tokio::spawn(follow_stored(self.inner.db.clone(), message_id, tx, pieces));
        Ok(Some(rx))
    }

    /// Decides and starts a turn; the reply is written in the background (follow it with
    /// [`Live::follow`]). The caller has checked that the user owns the interview. Fails with
    /// `Conflict` while another turn is running, and `Invalid`/`Conflict` for an action the
    /// interview's state does not allow; nothing is stored then.
    ///
    /// `turn_key` is made by the browser once per turn it asks for. A request whose key names
    /// a turn already taken (running or stored) changes nothing and answers
    /// [`TurnStarted::Already`], so sending a turn again after a lost response is safe.
    pub async fn take_turn(
        &self,
        interview_id: &str,
        action: TurnAction,
        text: Option<String>,
        turn_key: Option<String>,
    ) -> Result<TurnStarted, StoreError> {
        if let Some(k) = &turn_key {
            check_turn_key(k)?;
        }
        let id = interview_id.to_owned();
        let node = self.inner.node.clone();
        let decided = self
            .inner
            .db
            .transaction(move |tx| {
                if let Some(k) = &turn_key
                    && tx.turn_taken(&id, k)?
                {
                    return Ok(None);
                }
                let state = tx.turn_state(&id)?;
                let loaded = load_turn(tx, state, action)?;
                let decision = turn::decide(&loaded, action, text)?;
                let state = &loaded.state;
                let used = state.usage;
                let pending = tx.insert_pending_turn(
                    &id,
                    &state.user_id,
                    decision.candidate_text.as_deref(),
                    turn_key.as_deref(),
                    &node,
                )?;
                Ok(Some((decision, pending, used)))
            })
            .await?;
        let Some((decision, pending, used)) = decided else {
            return Ok(TurnStarted::Already);
        };
        let (tx, rx) = watch::channel(ReplyProgress::default());
        let turn_no = self.inner.next_turn.fetch_add(1, Ordering::Relaxed);
        self.inner
            .turns
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(interview_id.to_owned(), (turn_no, rx));
        let inner = self.inner.clone();
        let id = interview_id.to_owned();
        tokio::spawn(async move {
            inner.run(&id, decision, pending, tx, used).await;
            // Kept a while after it ends, so a page that connects late (a fast failure, a slow
            // network) still learns how the turn ended instead of finding nothing.
            tokio::time::sleep(FINISHED_TURN_LINGER).await;
            let mut turns = inner.turns.lock().unwrap_or_else(|p| p.into_inner());
            if turns.get(&id).is_some_and(|(n, _)| *n == turn_no) {
                turns.remove(&id);
            }
        });
        Ok(TurnStarted::New)
    }

    /// Everything the interview page shows.
    pub async fn live_state(&self, interview_id: &str) -> Result<LiveInterview, StoreError> {
        let (state, report) = self.inner.db.state_and_report(interview_id).await?;
        Ok(live_view(state, report, self.info()))
    }

    /// Writes the report of a completed interview again (after a malformed one).
    pub async fn regenerate_report(&self, interview_id: &str) -> Result<(), StoreError> {
        let state = self.inner.db.turn_state(interview_id).await?;
        if state.interview.status != InterviewStatus::Completed {
            return Err(StoreError::Conflict(
                "Only a completed interview has a report.".into(),
            ));
        }
        let input = turn::report_input(&state, state.asked.clone());
        let (rows, usage) = self.inner.report(&input, state.usage).await;
        self.inner
            .db
            .save_report(interview_id, Ok(rows), usage)
            .await
    }
}

/// A place among the model calls running; given back when dropped.
struct CallSlot<'a> {
    _permit: tokio::sync::SemaphorePermit<'a>,
    queued: &'a AtomicUsize,
}

impl Drop for CallSlot<'_> {
    fn drop(&mut self) {
        self.queued.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Inner {
    /// A place for a model call: waits while `concurrent` calls run, unless `queue` more
    /// already wait — then the interviewer is busy.
    async fn call_slot(&self) -> Result<CallSlot<'_>, AiError> {
        let l = self.limits;
        if self.queued.fetch_add(1, Ordering::AcqRel) >= l.concurrent.max(1) + l.queue {
            self.queued.fetch_sub(1, Ordering::AcqRel);
            return Err(AiError::Busy);
        }
        match self.calls.acquire().await {
            Ok(permit) => Ok(CallSlot {
                _permit: permit,
                queued: &self.queued,
            }),
            Err(_) => {
                self.queued.fetch_sub(1, Ordering::AcqRel);
                Err(AiError::Unexpected)
            }
        }
    }

    fn over_budget(&self, used: Usage) -> bool {
        self.provider.is_model() && used.total() >= self.limits.token_budget
    }

    /// A report, within the model's limits, timed; with the tokens it used.
    async fn report(&self, input: &ReportInput, used: Usage) -> (ReportRows, Usage) {
        if self.over_budget(used) {
            let why = AiError::Budget(self.limits.token_budget);
            return (super::offline_fallback(input, &why), Usage::default());
        }
        let slot = if self.provider.is_model() {
            match self.call_slot().await {
                Ok(slot) => Some(slot),
                Err(e) => return (super::offline_fallback(input, &e), Usage::default()),
            }
        } else {
            None
        };
        let asked = Instant::now();
        let (rows, usage) = self.provider.report(input).await;
        drop(slot);
        if rows.fallback.is_some() {
            self.stats.failed.fetch_add(1, Ordering::Relaxed);
        } else {
            self.stats.report.observe(asked.elapsed());
        }
        (rows, usage)
    }

    /// Writes a turn's reply: the provider's bridge (a model's kept to its job by
    /// `BridgeFilter`), then the server's own part, streamed to followers as it comes.
    async fn write_reply(
        &self,
        brief: &super::TurnBrief,
        used: Usage,
        tx: &watch::Sender<ReplyProgress>,
        usage: &mut Usage,
    ) -> Result<String, AiError> {
        let asked = Instant::now();
        let mut shown = String::new();
        let emit = |shown: &mut String, text: &str| {
            if text.is_empty() {
                return;
            }
            if shown.is_empty() {
                self.stats.first_token.observe(asked.elapsed());
            }
            shown.push_str(text);
            tx.send_modify(|p| p.text.push_str(text));
        };
        if self.over_budget(used) {
            tracing::warn!(
                budget = self.limits.token_budget,
                "the interview's model budget is spent; the offline interviewer words this turn"
            );
        } else if self.provider.is_model() {
            let _slot = self.call_slot().await?;
            let mut stream = self.provider.reply(brief).await?;
            let mut filter = BridgeFilter::default();
            let (mut cut_off, mut streamed, mut reported) = (false, 0u64, false);
            while let Some(piece) = stream.next().await {
                match piece? {
                    Piece::Text(t) => {
                        streamed += 1;
                        self.stats.reply_tokens.fetch_add(1, Ordering::Relaxed);
                        emit(&mut shown, &filter.push(&t));
                        if filter.stopped() {
                            // The rest would overstep the bridge: stop the model writing it.
                            break;
                        }
                    }
                    Piece::Usage(u) => {
                        *usage += u;
                        reported = true;
                    }
                    Piece::CutOff => cut_off = true,
                }
            }
            if !filter.stopped() {
                emit(&mut shown, &filter.finish(cut_off));
            }
            if !reported {
                // Closed before the usage chunk: each streamed piece is a token, and the prompt
                // is estimated from its length.
                usage.completion += streamed;
                usage.prompt += super::prompt::estimated_prompt_tokens(brief);
            }
            if !filter.received {
                return Err(AiError::Empty);
            }
        } else {
            let mut stream = self.provider.reply(brief).await?;
            while let Some(piece) = stream.next().await {
                if let Piece::Text(t) = piece? {
                    emit(&mut shown, &t);
                }
            }
        }
        if shown.trim().is_empty() {
            // A model bridge with nothing left once filtered: the offline words instead.
            for w in words(&super::offline::bridge(brief)) {
                emit(&mut shown, &w);
            }
        }
        if let Some(part) = server_part(brief) {
            // Its own paragraph (what was shown cannot be taken back, so a bridge's trailing
            // line break counts towards it).
            let sep = if shown.ends_with("\n\n") {
                ""
            } else if shown.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            };
            emit(&mut shown, sep);
            let delay = self.provider.word_delay();
            for w in words(&part) {
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                emit(&mut shown, &w);
            }
        }
        Ok(shown)
    }

    async fn run(
        &self,
        interview_id: &str,
        d: Decision,
        pending: PendingTurn,
        tx: watch::Sender<ReplyProgress>,
        used: Usage,
    ) {
        let asked = Instant::now();
        let mut usage = Usage::default();
        let keeper = tokio::spawn(keep_turn(
            self.db.clone(),
            pending.clone(),
            self.node.clone(),
            tx.subscribe(),
        ));
        let _stop_keeping = AbortOnDrop(keeper);
        let _stop_publishing = self.db.publishes_pieces().then(|| {
            AbortOnDrop(tokio::spawn(publish_pieces(
                self.db.clone(),
                pending.reply_message_id.clone(),
                tx.subscribe(),
            )))
        });
        let written = self.write_reply(&d.brief, used, &tx, &mut usage).await;
        match &written {
            Ok(_) => self.stats.reply.observe(asked.elapsed()),
            Err(_) => _ = self.stats.failed.fetch_add(1, Ordering::Relaxed),
        }
        let outcome = match written {
            Ok(text) => {
                let mut changes = d.changes;
                changes.reply = text;
                changes.pending = Some(pending.clone());
                if let Some(input) = &d.report {
                    let (rows, report_usage) = self.report(input, add(used, usage)).await;
                    usage += report_usage;
                    changes.finish = Some(Ok(rows));
                }
                changes.usage = usage;
                if self.provider.is_model() {
                    let total = add(used, usage);
                    tracing::info!(
                        interview = interview_id,
                        prompt_tokens = usage.prompt,
                        completion_tokens = usage.completion,
                        interview_tokens = total.total(),
                        "model tokens for a turn"
                    );
                }
                self.db
                    .complete_turn(changes)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
            Err(e) => Err(e.to_string()),
        };
        match outcome {
            Ok(()) => tx.send_modify(|p| p.state = ReplyState::Done),
            Err(why) => {
                tracing::warn!(interview = interview_id, reason = %why, "turn failed, rolled back");
                if let Err(e) = self.db.abort_turn(pending).await {
                    tracing::error!(error = %e, "could not roll back a failed turn");
                }
                tx.send_modify(|p| p.state = ReplyState::Failed(why));
            }
        }
    }
}

/// How often the text of a reply being written is saved for followers on other nodes, and
/// how often they read it.
pub const PARTIAL_REPLY_EVERY: std::time::Duration = std::time::Duration::from_millis(300);

/// Until the turn is stored or rolled back (then it is stopped): saves the reply's text so far
/// when it grew, for followers on other nodes, and renews the turn's lease, so no node's sweep
/// takes it while it is being written (a model's report can take minutes).
async fn keep_turn(
    db: Db,
    pending: PendingTurn,
    node: String,
    mut progress: watch::Receiver<ReplyProgress>,
) {
    let (mut saved, mut renewed) = (0usize, Instant::now());
    loop {
        tokio::time::sleep(PARTIAL_REPLY_EVERY).await;
        let grown = {
            let p = progress.borrow_and_update();
            (p.text.len() != saved).then(|| p.text.clone())
        };
        if let Some(text) = grown {
            let len = text.len();
            match db.save_partial_reply(&pending.reply_message_id, text).await {
                Ok(true) => saved = len,
                Ok(false) => return,
                Err(e) => tracing::warn!(error = %e, "could not save a reply's text so far"),
            }
        }
        if renewed.elapsed() >= store::TURN_LEASE_RENEWAL {
            renewed = Instant::now();
            match db.renew_turn_lease(&pending, &node).await {
                Ok(true) => {}
                Ok(false) => return,
                Err(e) => tracing::warn!(error = %e, "could not renew a turn's lease"),
            }
        }
    }
}

/// Where the store carries them to other nodes: publishes the reply's text as it grows, each
/// new part as a piece with its offset (parts that arrive while one is being sent go together).
async fn publish_pieces(db: Db, reply: String, mut progress: watch::Receiver<ReplyProgress>) {
    let mut sent = 0;
    while progress.changed().await.is_ok() {
        let new = {
            let p = progress.borrow_and_update();
            p.text
                .get(sent..)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
        };
        let Some(text) = new else { continue };
        let piece = store::ReplyPiece {
            reply: reply.clone(),
            offset: sent,
            text,
        };
        sent += piece.text.len();
        if let Err(e) = db.publish_reply_piece(piece).await {
            // Followers elsewhere catch up from the saved text.
            tracing::warn!(error = %e, "could not publish a reply's piece");
        }
    }
}

/// Follows, from the database, a reply another node is writing: the pieces that node
/// publishes, where the store carries them (`pieces`), and its saved text as it grows (which
/// also fills any piece missed); then stored or gone.
async fn follow_stored(
    db: Db,
    reply_message_id: String,
    tx: watch::Sender<ReplyProgress>,
    mut pieces: Option<tokio::sync::broadcast::Receiver<store::ReplyPiece>>,
) {
    let extend = |text: &str| {
        tx.send_if_modified(|p| {
            let longer = text.len() > p.text.len() && text.starts_with(p.text.as_str());
            if longer {
                p.text = text.to_owned();
            }
            longer
        });
    };
    let mut next_read = tokio::time::Instant::now() + PARTIAL_REPLY_EVERY;
    loop {
        let piece = async {
            match pieces.as_mut() {
                Some(rx) => rx.recv().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            received = piece => {
                use tokio::sync::broadcast::error::RecvError;
                match received {
                    Ok(piece) if piece.reply == reply_message_id => {
                        tx.send_if_modified(|p| apply_piece(&mut p.text, &piece));
                    }
                    // Another reply's, or some missed: the saved text fills the gap.
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => pieces = None,
                }
                continue;
            }
            _ = tokio::time::sleep_until(next_read) => {}
        }
        next_read = tokio::time::Instant::now() + PARTIAL_REPLY_EVERY;
        if tx.is_closed() {
            return;
        }
        match db.stored_reply(&reply_message_id).await {
            Ok(StoredReply::Writing(text)) => extend(&text),
            Ok(StoredReply::Done(text)) => {
                extend(&text);
                tx.send_modify(|p| p.state = ReplyState::Done);
                return;
            }
            Ok(StoredReply::Gone) => {
                tx.send_modify(|p| {
                    p.state = ReplyState::Failed(
                        "The reply could not be written. Please try again.".into(),
                    )
                });
                return;
            }
            Err(e) => tracing::warn!(error = %e, "could not read a reply another node writes"),
        }
    }
}

/// Adds the part of `piece` that follows `text`, if it follows on from it; whether it did.
fn apply_piece(text: &mut String, piece: &store::ReplyPiece) -> bool {
    let end = piece.offset + piece.text.len();
    if piece.offset > text.len() || end <= text.len() {
        return false;
    }
    match piece.text.get(text.len() - piece.offset..) {
        Some(new) => {
            text.push_str(new);
            true
        }
        None => false,
    }
}

/// Stops a task when dropped: however a turn ends, it stops being kept.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn add(mut a: Usage, b: Usage) -> Usage {
    a += b;
    a
}

/// How many questions of each skill a start reads: three times the plan's fair share per
/// skill (a spread of difficulties), with room for themes and untagged questions it may pass
/// over.
pub fn candidates_per_skill(question_count: u8, skills: usize) -> usize {
    3 * usize::from(question_count).div_ceil(skills.max(1)) + 4
}

/// Reads what a turn is decided from, beyond the interview's state: the pool and recent
/// questions for a start, and the next planned question otherwise.
pub fn load_turn(
    tx: &store::Tx<'_>,
    state: TurnState,
    action: TurnAction,
) -> Result<Loaded, StoreError> {
    let i = &state.interview;
    let (pool, recent) = if action == TurnAction::Start && i.status == InterviewStatus::Pending {
        let recent = tx.recent_question_ids(&state.user_id, &i.id, RECENT_INTERVIEWS)?;
        let pool = tx.question_candidates(
            i.interview_type.as_ref().map(|t| t.id),
            &i.skills.iter().map(|s| s.id).collect::<Vec<_>>(),
            i.difficulty_plan(),
            seed_for(&i.id),
            candidates_per_skill(i.question_count, i.skills.len()),
            &recent,
        )?;
        (pool, recent.into_iter().collect())
    } else {
        (Vec::new(), HashSet::new())
    };
    let next = match (&state.plan, state.asked.last()) {
        (Some(plan), Some(current)) => match plan.get(current.order as usize) {
            Some(id) => tx.get_questions_by_ids(&[*id])?.into_iter().next(),
            None => None,
        },
        _ => None,
    };
    Ok(Loaded {
        state,
        pool,
        recent,
        next,
    })
}

/// The timer of the current question, while a timed interview waits for its first answer.
fn answer_clock(
    interview: &crate::model::Interview,
    current: Option<&AskedQuestion>,
) -> Option<crate::model::AnswerClock> {
    let limit = interview.answer_seconds?;
    let q = current.filter(|q| q.answer.is_none() && !q.skipped)?;
    (interview.status == InterviewStatus::InProgress).then_some(crate::model::AnswerClock {
        limit_seconds: u32::from(limit),
        waited_seconds: q.waited_seconds,
    })
}

fn live_view(
    state: TurnState,
    report: Option<crate::model::Report>,
    interviewer: InterviewerInfo,
) -> LiveInterview {
    let current = state.asked.last();
    let total = match &state.plan {
        Some(p) => p.len() as u32,
        None => u32::from(state.interview.question_count),
    };
    LiveInterview {
        progress: Progress {
            current: current.map_or(0, |q| q.order),
            total,
            hint_used: current.is_some_and(|q| q.hints > 0),
            in_follow_up: current.is_some_and(AskedQuestion::awaiting_follow_up),
            answer_clock: answer_clock(&state.interview, current),
        },
        interview: state.interview,
        messages: state.messages,
        pending_answer: state.pending_answer,
        replying: state.replying,
        interviewer,
        report,
        report_error: state.report_error,
        report_fallback: state.report_fallback,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(offset: usize, text: &str) -> store::ReplyPiece {
        store::ReplyPiece {
            reply: "m1".into(),
            offset,
            text: text.into(),
        }
    }

    #[test]
    fn a_piece_adds_only_what_follows_the_text_so_far() {
        let mut text = "Hello, ".to_owned();
        assert!(apply_piece(&mut text, &piece(7, "Ada.")), "follows on");
        assert_eq!(text, "Hello, Ada.");
        assert!(!apply_piece(&mut text, &piece(0, "Hello")), "already shown");
        assert!(
            apply_piece(&mut text, &piece(7, "Ada. Welcome")),
            "overlaps"
        );
        assert_eq!(text, "Hello, Ada. Welcome");
        assert!(
            !apply_piece(&mut text, &piece(40, "later")),
            "a gap is not bridged"
        );
        assert_eq!(text, "Hello, Ada. Welcome");
        // A piece whose text would be cut inside a character is not applied.
        let mut text = "Ca".to_owned();
        assert!(!apply_piece(&mut text, &piece(1, "éa")));
        assert_eq!(text, "Ca");
    }
}
