//! The store's units of work: what the rest of the app asks of the database, each one read
//! snapshot or one write, named for what it does. Nothing outside `store/` holds a
//! connection: the one unit that interleaves the app's own logic with the store's (starting a
//! turn) gets a [`Tx`], a handle whose methods are store functions and whose connection stays
//! private. A second store (issue 15's PostgreSQL) is a second implementation of these units.

use super::*;
use crate::model::{
    AccountExport, Interview, InterviewFilter, InterviewPage, InterviewStatus, InterviewType,
    InterviewTypeId, Message, Question, QuestionId, Skill, SkillId, SkillLevel, User,
};
use crate::progress::{ProgressFilter, SkillProgress};

/// One transaction, handed to a closure by [`Db::transaction`]: the store functions a unit
/// may combine with the app's own decisions, on a connection nobody else can reach.
pub struct Tx<'a>(TxOn<'a>);

enum TxOn<'a> {
    Sqlite(&'a Connection),
    #[cfg(feature = "postgres")]
    Postgres(&'a dyn super::pg::TxAccess),
}

/// Calls the store function `$f` of the transaction's engine: `store::$f` on SQLite,
/// `store::pg::$f` on PostgreSQL, with the same arguments.
macro_rules! on_tx {
    ($tx:expr, $f:ident ( $($arg:expr),* $(,)? )) => {
        match &$tx.0 {
            TxOn::Sqlite(c) => $f(c, $($arg),*),
            #[cfg(feature = "postgres")]
            TxOn::Postgres(tx) => {
                let mut out = None;
                tx.with(&mut |c| out = Some(super::pg::$f(c, $($arg),*)));
                out.expect("`with` calls its function")
            }
        }
    };
}

/// Runs `$body` as a closure of `$c` by the engine's `read`, `write` (or `transaction`): the
/// body is written once, and on PostgreSQL the names it calls are `store::pg`'s functions of
/// the same names and arguments (the glob import there shadows the store's own).
macro_rules! on_store {
    ($db:expr, $how:ident, move |$c:ident| $body:expr) => {
        match &$db.engine {
            Engine::Sqlite(s) => s.$how(move |$c| $body).await,
            #[cfg(feature = "postgres")]
            Engine::Postgres(p) => {
                #[allow(unused_imports)]
                use super::pg::*;
                p.$how(move |$c| $body).await
            }
        }
    };
}

impl<'a> Tx<'a> {
    /// For tools and benchmarks that open a connection themselves ([`open_connection`]).
    pub fn on(conn: &'a Connection) -> Tx<'a> {
        Tx(TxOn::Sqlite(conn))
    }

    /// Whether a turn with this key was already taken. Like [`Tx::turn_state`], it first
    /// locks the interview: the turn is decided from what these read.
    pub fn turn_taken(&self, interview_id: &str, turn_key: &str) -> Result<bool> {
        on_tx!(self, lock_interview(interview_id))?;
        on_tx!(self, turn_taken(interview_id, turn_key))
    }

    /// The state a turn is decided from, with the interview locked for the rest of the
    /// transaction (on SQLite the one writer is already alone; on PostgreSQL another server
    /// could otherwise start a turn between this read and the turn's writes).
    pub fn turn_state(&self, interview_id: &str) -> Result<TurnState> {
        on_tx!(self, lock_interview(interview_id))?;
        on_tx!(self, turn_state(interview_id))
    }

    pub fn recent_question_ids(
        &self,
        user_id: &str,
        except_interview: &str,
        interviews: u32,
    ) -> Result<Vec<QuestionId>> {
        on_tx!(
            self,
            recent_question_ids(user_id, except_interview, interviews)
        )
    }

    pub fn question_candidates(
        &self,
        interview_type_id: Option<InterviewTypeId>,
        skill_ids: &[SkillId],
        difficulty: crate::model::DifficultyPlan<'_>,
        seed: u64,
        per_skill: usize,
        recent: &[QuestionId],
    ) -> Result<Vec<Question>> {
        on_tx!(
            self,
            question_candidates(
                interview_type_id,
                skill_ids,
                difficulty,
                seed,
                per_skill,
                recent
            )
        )
    }

    pub fn get_questions_by_ids(&self, ids: &[QuestionId]) -> Result<Vec<Question>> {
        on_tx!(self, get_questions_by_ids(ids))
    }

    pub fn insert_pending_turn(
        &self,
        interview_id: &str,
        user_id: &str,
        candidate_text: Option<&str>,
        turn_key: Option<&str>,
        node: &str,
    ) -> Result<PendingTurn> {
        on_tx!(
            self,
            insert_pending_turn(interview_id, user_id, candidate_text, turn_key, node)
        )
    }

    pub fn create_user(&self, new: &NewUser<'_>) -> Result<User> {
        on_tx!(self, create_user(new))
    }

    pub fn create_session(&self, id: &str, data: &[u8], expiry: i64) -> Result<bool> {
        on_tx!(self, create_session(id, data, expiry))
    }
}

/// A piece of a reply being written: `text` found at byte `offset` of reply `reply`'s text.
/// Published by the node writing it where other nodes can receive it (PostgreSQL's `NOTIFY`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReplyPiece {
    pub reply: String,
    pub offset: usize,
    pub text: String,
}

/// What `/healthz` says of the store.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StoreHealth {
    pub store: &'static str,
    pub schema: i64,
}

/// The answer to a change checked against the catalogue: saved, or the problems found
/// (nothing is stored then).
pub type Checked<T> = std::result::Result<T, Vec<String>>;

impl Db {
    /// Runs `f` as one unit of work: on SQLite a transaction begun `IMMEDIATE` on the writer
    /// (on PostgreSQL one whose functions lock the rows they decide from), committed when `f`
    /// succeeds and rolled back when it fails, so what `f` reads cannot change under it and
    /// what it writes lands whole or not at all.
    pub async fn transaction<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Tx<'_>) -> Result<T> + Send + 'static,
    {
        match &self.engine {
            Engine::Sqlite(s) => {
                s.write(move |c| {
                    let tx =
                        c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                    let out = f(&Tx(TxOn::Sqlite(&tx)))?;
                    tx.commit()?;
                    Ok(out)
                })
                .await
            }
            #[cfg(feature = "postgres")]
            Engine::Postgres(p) => p.transaction(move |tx| f(&Tx(TxOn::Postgres(tx)))).await,
        }
    }

    /// The store as `/healthz` reports it: which engine, and its schema's version (the number
    /// of migrations applied). Reading it is the health check's query.
    pub async fn health(&self) -> Result<StoreHealth> {
        match &self.engine {
            Engine::Sqlite(s) => {
                s.read(|c| {
                    let schema: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
                    Ok(StoreHealth {
                        store: "sqlite",
                        schema,
                    })
                })
                .await
            }
            #[cfg(feature = "postgres")]
            Engine::Postgres(p) => Ok(StoreHealth {
                store: "postgres",
                schema: p.schema_version().await?,
            }),
        }
    }

    // ------------------------------------------------------------------ the catalogue

    pub async fn interview_types(&self) -> Result<Vec<InterviewType>> {
        on_store!(self, read, move |c| get_interview_types(c))
    }

    pub async fn skills(&self) -> Result<Vec<Skill>> {
        on_store!(self, read, move |c| get_skills(c))
    }

    /// The interview types and the skills, in one read (the forms need both).
    pub async fn catalog(&self) -> Result<(Vec<InterviewType>, Vec<Skill>)> {
        on_store!(self, read, move |c| Ok((
            get_interview_types(c)?,
            get_skills(c)?
        )))
    }

    pub async fn suggested_skills(&self, type_id: InterviewTypeId) -> Result<Vec<Skill>> {
        on_store!(self, read, move |c| get_suggested_skills_for_type(
            c, type_id
        ))
    }

    pub async fn job_ad_terms(&self) -> Result<crate::jobad::Terms> {
        on_store!(self, read, move |c| job_ad_terms(c))
    }

    // ------------------------------------------------------------------ interviews

    pub async fn list_interviews(
        &self,
        user_id: &UserId,
        filter: InterviewFilter,
    ) -> Result<InterviewPage> {
        let user_id = user_id.clone();
        on_store!(self, read, move |c| list_interviews(c, &user_id, &filter))
    }

    /// `Ok` when `user_id` owns the interview; `NotFound` for anyone else's, exactly as for a
    /// missing one.
    pub async fn check_owner(&self, user_id: &UserId, interview_id: &InterviewId) -> Result<()> {
        let (user_id, id) = (user_id.clone(), interview_id.clone());
        on_store!(self, read, move |c| ensure_owner(c, &user_id, &id))
    }

    pub async fn owned_interview(&self, user_id: &UserId, id: &InterviewId) -> Result<Interview> {
        let (user_id, id) = (user_id.clone(), id.clone());
        on_store!(self, read, move |c| {
            ensure_owner(c, &user_id, &id)?;
            get_interview(c, &id)
        })
    }

    /// Creates `new` if `check` finds no problem with it, given which of its type and skills
    /// exist (one query); both in one transaction.
    pub async fn create_interview_checked(
        &self,
        new: NewInterview,
        check: impl FnOnce(&[InterviewTypeId], &[SkillId]) -> Vec<String> + Send + 'static,
    ) -> Result<Checked<Interview>> {
        on_store!(self, write, move |c| {
            let (types, skills) = known_catalogue_ids(c, new.interview_type_id, &new.skill_ids)?;
            let problems = check(&types, &skills);
            if !problems.is_empty() {
                return Ok(Err(problems));
            }
            create_interview(c, &new).map(Ok)
        })
    }

    /// Gives an interview `user_id` owns the type and skills, if `check` finds no problem
    /// with them (given which exist) and a type is given; nothing changes otherwise.
    pub async fn set_type_and_skills_checked(
        &self,
        user_id: &UserId,
        id: &InterviewId,
        type_id: Option<InterviewTypeId>,
        skill_ids: Vec<SkillId>,
        check: impl FnOnce(&[InterviewTypeId], &[SkillId]) -> Vec<String> + Send + 'static,
    ) -> Result<Checked<Interview>> {
        let (user_id, id) = (user_id.clone(), id.clone());
        on_store!(self, write, move |c| {
            ensure_owner(c, &user_id, &id)?;
            let (types, skills) = known_catalogue_ids(c, type_id, &skill_ids)?;
            let problems = check(&types, &skills);
            match type_id {
                Some(type_id) if problems.is_empty() => {
                    set_type_and_skills(c, &id, type_id, &skill_ids).map(Ok)
                }
                _ => Ok(Err(problems)),
            }
        })
    }

    /// Renames and/or types an interview `user_id` owns.
    pub async fn update_owned_interview(
        &self,
        user_id: &UserId,
        id: &InterviewId,
        title: Option<String>,
        type_id: Option<InterviewTypeId>,
    ) -> Result<Interview> {
        let (user_id, id) = (user_id.clone(), id.clone());
        on_store!(self, write, move |c| {
            ensure_owner(c, &user_id, &id)?;
            update_interview(c, &id, title.as_deref(), type_id)
        })
    }

    pub async fn cancel_interview(&self, user_id: &UserId, id: &InterviewId) -> Result<Interview> {
        let (user_id, id) = (user_id.clone(), id.clone());
        on_store!(self, write, move |c| {
            ensure_owner(c, &user_id, &id)?;
            set_interview_status(c, &id, InterviewStatus::Cancelled)
        })
    }

    pub async fn delete_owned_interview(&self, user_id: &UserId, id: &InterviewId) -> Result<()> {
        let (user_id, id) = (user_id.clone(), id.clone());
        on_store!(self, write, move |c| {
            ensure_owner(c, &user_id, &id)?;
            delete_interview(c, &id)
        })
    }

    /// Adds (`add`) or removes a skill of an interview `user_id` owns; its skills after.
    pub async fn change_interview_skill(
        &self,
        user_id: &UserId,
        id: &InterviewId,
        skill_id: SkillId,
        add: bool,
    ) -> Result<Vec<Skill>> {
        let (user_id, id) = (user_id.clone(), id.clone());
        on_store!(self, write, move |c| {
            ensure_owner(c, &user_id, &id)?;
            if add {
                add_skill_to_interview(c, &id, skill_id)?;
            } else {
                remove_skill_from_interview(c, &id, skill_id)?;
            }
            get_skills_for_interview(c, &id)
        })
    }

    // ------------------------------------------------------------------ turns and reports

    pub async fn turn_state(&self, interview_id: &str) -> Result<TurnState> {
        let id = interview_id.to_owned();
        on_store!(self, read, move |c| turn_state(c, &id))
    }

    /// The interview's state and its report (if it has one), from one snapshot.
    pub async fn state_and_report(
        &self,
        interview_id: &str,
    ) -> Result<(TurnState, Option<crate::model::Report>)> {
        let id = interview_id.to_owned();
        on_store!(self, read, move |c| {
            let state = turn_state(c, &id)?;
            let report = load_report(c, &state)?;
            Ok((state, report))
        })
    }

    pub async fn complete_turn(&self, changes: TurnChanges) -> Result<Message> {
        on_store!(self, write, move |c| complete_turn(c, &changes))
    }

    pub async fn abort_turn(&self, pending: PendingTurn) -> Result<()> {
        on_store!(self, write, move |c| abort_turn(c, &pending))
    }

    pub async fn save_report(
        &self,
        interview_id: &str,
        report: std::result::Result<ReportRows, String>,
        usage: Usage,
    ) -> Result<()> {
        let id = interview_id.to_owned();
        on_store!(self, write, move |c| save_report(c, &id, &report, usage))
    }

    /// Removes pending turns nobody is writing: lapsed leases, and `own_node`'s (at start-up);
    /// how many rows went.
    pub async fn expire_turns(&self, own_node: Option<&str>) -> Result<usize> {
        let own = own_node.map(str::to_owned);
        on_store!(self, write, move |c| expire_turns(c, own.as_deref()))
    }

    /// Saves a reply's text so far for followers on other nodes; `false` once it is not pending.
    pub async fn save_partial_reply(&self, reply_message_id: &str, text: String) -> Result<bool> {
        let id = reply_message_id.to_owned();
        on_store!(self, write, move |c| save_partial_reply(c, &id, &text))
    }

    /// The reply being written for an interview, by any node: its message id and text so far.
    pub async fn pending_reply(&self, interview_id: &str) -> Result<Option<(String, String)>> {
        let id = interview_id.to_owned();
        on_store!(self, read, move |c| pending_reply(c, &id))
    }

    pub async fn stored_reply(&self, reply_message_id: &str) -> Result<StoredReply> {
        let id = reply_message_id.to_owned();
        on_store!(self, read, move |c| stored_reply(c, &id))
    }

    /// Whether pieces published here reach other nodes (PostgreSQL); on SQLite followers on
    /// other servers read the saved text instead.
    pub fn publishes_pieces(&self) -> bool {
        !matches!(self.engine, Engine::Sqlite(_))
    }

    /// Publishes a piece of a reply being written to every node's followers.
    pub async fn publish_reply_piece(&self, piece: ReplyPiece) -> Result<()> {
        match &self.engine {
            Engine::Sqlite(_) => {
                let _ = piece;
                Ok(())
            }
            #[cfg(feature = "postgres")]
            Engine::Postgres(p) => {
                p.write(move |c| {
                    super::pg::publish_piece(c, &piece.reply, piece.offset, &piece.text)
                })
                .await
            }
        }
    }

    /// The pieces of replies being written on any node, from now on; `None` where they are
    /// not published.
    pub fn reply_pieces(&self) -> Option<tokio::sync::broadcast::Receiver<ReplyPiece>> {
        match &self.engine {
            Engine::Sqlite(_) => None,
            #[cfg(feature = "postgres")]
            Engine::Postgres(p) => Some(p.reply_pieces()),
        }
    }

    /// Extends the lease of a turn `node` is writing; `false` when it is gone.
    pub async fn renew_turn_lease(&self, pending: &PendingTurn, node: &str) -> Result<bool> {
        let (pending, node) = (pending.clone(), node.to_owned());
        on_store!(self, write, move |c| renew_turn_lease(c, &pending, &node))
    }

    // ------------------------------------------------------------------ progress

    pub async fn progress(
        &self,
        user_id: &UserId,
        filter: ProgressFilter,
    ) -> Result<Vec<SkillProgress>> {
        let user_id = user_id.clone();
        on_store!(self, read, move |c| progress(c, &user_id, &filter))
    }

    /// Progress in interviews of `filter`'s type when there is any, else in all of them: the
    /// ratings weak skills are picked from.
    pub async fn progress_or_all(
        &self,
        user_id: &UserId,
        filter: ProgressFilter,
    ) -> Result<Vec<SkillProgress>> {
        let user_id = user_id.clone();
        on_store!(self, read, move |c| {
            let of_type = progress(c, &user_id, &filter)?;
            if of_type.is_empty() && filter.interview_type_id.is_some() {
                progress(c, &user_id, &ProgressFilter::default())
            } else {
                Ok(of_type)
            }
        })
    }

    /// For every skill in the catalogue, the level an adaptive interview would ask it at.
    pub async fn adaptive_levels(&self, user_id: &UserId) -> Result<Vec<(SkillLevel, String)>> {
        let user_id = user_id.clone();
        on_store!(self, read, move |c| {
            let skills: Vec<_> = get_skills(c)?.iter().map(|s| s.id).collect();
            adaptive_levels(c, &user_id, &skills)
        })
    }

    // ------------------------------------------------------------------ accounts

    pub async fn user_by_id(&self, user_id: &str) -> Result<Option<User>> {
        let id = user_id.to_owned();
        on_store!(self, read, move |c| get_user_by_id(c, &id))
    }

    /// The user and their password hash (if they have one).
    pub async fn user_by_username(&self, username: &str) -> Result<Option<(User, Option<String>)>> {
        let name = username.to_owned();
        on_store!(self, read, move |c| get_user_by_username(c, &name))
    }

    pub async fn set_password_hash(&self, user_id: &UserId, hash: String) -> Result<()> {
        let id = user_id.clone();
        on_store!(self, write, move |c| set_password_hash(c, &id, &hash))
    }

    /// Deletes the user and everything of theirs, in one transaction.
    pub async fn delete_user(&self, user_id: &UserId) -> Result<()> {
        let id = user_id.clone();
        on_store!(self, write, move |c| delete_user(c, &id))
    }

    pub async fn export_user(&self, user_id: &UserId) -> Result<AccountExport> {
        let id = user_id.clone();
        on_store!(self, read, move |c| export_user(c, &id))
    }

    // ------------------------------------------------------------------ the sign-in slowdown

    /// One sign-in attempt, as one write: `decide` sees the counts of `keys` and either allows
    /// the attempt — which is then counted as a failure on each key at once, so attempts sent
    /// together get one check between them on every node — or says how long to wait.
    pub async fn signin_attempt(
        &self,
        keys: Vec<String>,
        forget_after: std::time::Duration,
        decide: impl FnOnce(&[FailureCount]) -> std::result::Result<(), std::time::Duration>
        + Send
        + 'static,
    ) -> Result<std::result::Result<(), std::time::Duration>> {
        // Attempts on the same keys go one at a time on every server (`as_one_attempt`: an
        // immediate transaction on SQLite, the keys' locks on PostgreSQL).
        on_store!(self, write, move |c| as_one_attempt(c, &keys, |c| {
            let counts = failure_counts(c, &keys)?;
            let verdict = decide(&counts);
            if verdict.is_ok() {
                add_failures(c, &keys, forget_after)?;
            }
            Ok(verdict)
        }))
    }

    /// The counts of `keys` that have any.
    pub async fn failure_counts(&self, keys: Vec<String>) -> Result<Vec<FailureCount>> {
        on_store!(self, read, move |c| failure_counts(c, &keys))
    }

    /// A right password: `clear` keys go, and each of `take_one` loses one failure.
    pub async fn signin_succeeded(&self, clear: Vec<String>, take_one: Vec<String>) -> Result<()> {
        on_store!(self, write, move |c| forgive_failures(c, &clear, &take_one))
    }

    /// Forgets counts older than `forget_after`; how many.
    pub async fn forget_old_failures(&self, forget_after: std::time::Duration) -> Result<usize> {
        on_store!(self, write, move |c| forget_old_failures(c, forget_after))
    }

    // ------------------------------------------------------------------ shared rate limits

    /// Takes one request for `key` under a limit of `burst` per `per`, where the store keeps
    /// the limits for every server (PostgreSQL): `Some(Ok(()))`, or `Some(Err(wait))`. `None`
    /// where it does not (SQLite: each server limits in its own memory).
    pub async fn take_rate(
        &self,
        key: &str,
        burst: u32,
        per: std::time::Duration,
    ) -> Result<Option<std::result::Result<(), std::time::Duration>>> {
        match &self.engine {
            Engine::Sqlite(_) => {
                let _ = (key, burst, per);
                Ok(None)
            }
            #[cfg(feature = "postgres")]
            Engine::Postgres(p) => {
                let key = key.to_owned();
                p.write(move |c| super::pg::take_rate(c, &key, burst, per))
                    .await
                    .map(Some)
            }
        }
    }

    /// Forgets shared limits that have fully recovered; how many.
    pub async fn forget_recovered_rates(&self) -> Result<usize> {
        match &self.engine {
            Engine::Sqlite(_) => Ok(0),
            #[cfg(feature = "postgres")]
            Engine::Postgres(p) => p.write(super::pg::forget_recovered_rates).await,
        }
    }

    // ------------------------------------------------------------------ sessions

    /// Stores a new session; `false` when its id is taken.
    pub async fn create_session(&self, id: String, data: Vec<u8>, expiry: i64) -> Result<bool> {
        on_store!(self, write, move |c| create_session(c, &id, &data, expiry))
    }

    pub async fn save_session(&self, id: String, data: Vec<u8>, expiry: i64) -> Result<()> {
        on_store!(self, write, move |c| save_session(c, &id, &data, expiry))
    }

    /// A session's data, unless it is missing or expired at `now`.
    pub async fn load_session(&self, id: String, now: i64) -> Result<Option<Vec<u8>>> {
        on_store!(self, read, move |c| load_session(c, &id, now))
    }

    pub async fn delete_session(&self, id: String) -> Result<()> {
        on_store!(self, write, move |c| delete_session(c, &id))
    }

    /// Deletes the sessions expired at `now`; how many.
    pub async fn delete_expired_sessions(&self, now: i64) -> Result<usize> {
        on_store!(self, write, move |c| delete_expired_sessions(c, now))
    }
}
