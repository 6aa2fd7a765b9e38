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
pub struct Tx<'a>(&'a Connection);

impl<'a> Tx<'a> {
    /// For tools and benchmarks that open a connection themselves ([`open_connection`]).
    pub fn on(conn: &'a Connection) -> Tx<'a> {
        Tx(conn)
    }

    pub fn turn_taken(&self, interview_id: &str, turn_key: &str) -> Result<bool> {
        turn_taken(self.0, interview_id, turn_key)
    }

    pub fn turn_state(&self, interview_id: &str) -> Result<TurnState> {
        turn_state(self.0, interview_id)
    }

    pub fn recent_question_ids(
        &self,
        user_id: &str,
        except_interview: &str,
        interviews: u32,
    ) -> Result<Vec<QuestionId>> {
        recent_question_ids(self.0, user_id, except_interview, interviews)
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
        question_candidates(
            self.0,
            interview_type_id,
            skill_ids,
            difficulty,
            seed,
            per_skill,
            recent,
        )
    }

    pub fn get_questions_by_ids(&self, ids: &[QuestionId]) -> Result<Vec<Question>> {
        get_questions_by_ids(self.0, ids)
    }

    pub fn insert_pending_turn(
        &self,
        interview_id: &str,
        user_id: &str,
        candidate_text: Option<&str>,
        turn_key: Option<&str>,
        node: &str,
    ) -> Result<PendingTurn> {
        insert_pending_turn(
            self.0,
            interview_id,
            user_id,
            candidate_text,
            turn_key,
            node,
        )
    }

    pub fn create_user(&self, new: &NewUser<'_>) -> Result<User> {
        create_user(self.0, new)
    }

    pub fn create_session(&self, id: &str, data: &[u8], expiry: i64) -> Result<bool> {
        create_session(self.0, id, data, expiry)
    }
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
    /// Runs `f` as one unit of work: a transaction begun `IMMEDIATE` on the writer, committed
    /// when `f` succeeds and rolled back when it fails, so what `f` reads cannot change under
    /// it and what it writes lands whole or not at all.
    pub async fn transaction<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Tx<'_>) -> Result<T> + Send + 'static,
    {
        self.write(move |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let out = f(&Tx(&tx))?;
            tx.commit()?;
            Ok(out)
        })
        .await
    }

    /// [`Db::transaction`] for the store's own functions, on the connection itself.
    async fn transaction_on<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        self.transaction(move |tx| f(tx.0)).await
    }

    /// The store as `/healthz` reports it: which engine, and its schema's version (the number
    /// of migrations applied). Reading it is the health check's query.
    pub async fn health(&self) -> Result<StoreHealth> {
        self.read(|c| {
            let schema: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            Ok(StoreHealth {
                store: "sqlite",
                schema,
            })
        })
        .await
    }

    // ------------------------------------------------------------------ the catalogue

    pub async fn interview_types(&self) -> Result<Vec<InterviewType>> {
        self.read(get_interview_types).await
    }

    pub async fn skills(&self) -> Result<Vec<Skill>> {
        self.read(get_skills).await
    }

    pub async fn suggested_skills(&self, type_id: InterviewTypeId) -> Result<Vec<Skill>> {
        self.read(move |c| get_suggested_skills_for_type(c, type_id))
            .await
    }

    pub async fn job_ad_terms(&self) -> Result<crate::jobad::Terms> {
        self.read(job_ad_terms).await
    }

    // ------------------------------------------------------------------ interviews

    pub async fn list_interviews(
        &self,
        user_id: &UserId,
        filter: InterviewFilter,
    ) -> Result<InterviewPage> {
        let user_id = user_id.clone();
        self.read(move |c| list_interviews(c, &user_id, &filter))
            .await
    }

    /// `Ok` when `user_id` owns the interview; `NotFound` for anyone else's, exactly as for a
    /// missing one.
    pub async fn check_owner(&self, user_id: &UserId, interview_id: &InterviewId) -> Result<()> {
        self.read_owned(user_id, interview_id, |_, _| Ok(())).await
    }

    pub async fn owned_interview(&self, user_id: &UserId, id: &InterviewId) -> Result<Interview> {
        self.read_owned(user_id, id, get_interview).await
    }

    /// Creates `new` if `check` finds no problem with it, given which of its type and skills
    /// exist (one query); both in one transaction.
    pub async fn create_interview_checked(
        &self,
        new: NewInterview,
        check: impl FnOnce(&[InterviewTypeId], &[SkillId]) -> Vec<String> + Send + 'static,
    ) -> Result<Checked<Interview>> {
        self.write(move |c| {
            let (types, skills) = known_catalogue_ids(c, new.interview_type_id, &new.skill_ids)?;
            let problems = check(&types, &skills);
            if !problems.is_empty() {
                return Ok(Err(problems));
            }
            create_interview(c, &new).map(Ok)
        })
        .await
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
        self.write_owned(user_id, id, move |c, id| {
            let (types, skills) = known_catalogue_ids(c, type_id, &skill_ids)?;
            let problems = check(&types, &skills);
            match type_id {
                Some(type_id) if problems.is_empty() => {
                    set_type_and_skills(c, id, type_id, &skill_ids).map(Ok)
                }
                _ => Ok(Err(problems)),
            }
        })
        .await
    }

    /// Renames and/or types an interview `user_id` owns.
    pub async fn update_owned_interview(
        &self,
        user_id: &UserId,
        id: &InterviewId,
        title: Option<String>,
        type_id: Option<InterviewTypeId>,
    ) -> Result<Interview> {
        self.write_owned(user_id, id, move |c, id| {
            update_interview(c, id, title.as_deref(), type_id)
        })
        .await
    }

    pub async fn cancel_interview(&self, user_id: &UserId, id: &InterviewId) -> Result<Interview> {
        self.write_owned(user_id, id, |c, id| {
            set_interview_status(c, id, InterviewStatus::Cancelled)
        })
        .await
    }

    pub async fn delete_owned_interview(&self, user_id: &UserId, id: &InterviewId) -> Result<()> {
        self.write_owned(user_id, id, delete_interview).await
    }

    /// Adds (`add`) or removes a skill of an interview `user_id` owns; its skills after.
    pub async fn change_interview_skill(
        &self,
        user_id: &UserId,
        id: &InterviewId,
        skill_id: SkillId,
        add: bool,
    ) -> Result<Vec<Skill>> {
        self.write_owned(user_id, id, move |c, id| {
            if add {
                add_skill_to_interview(c, id, skill_id)?;
            } else {
                remove_skill_from_interview(c, id, skill_id)?;
            }
            get_skills_for_interview(c, id)
        })
        .await
    }

    // ------------------------------------------------------------------ turns and reports

    pub async fn turn_state(&self, interview_id: &str) -> Result<TurnState> {
        let id = interview_id.to_owned();
        self.read(move |c| turn_state(c, &id)).await
    }

    /// The interview's state and its report (if it has one), from one snapshot.
    pub async fn state_and_report(
        &self,
        interview_id: &str,
    ) -> Result<(TurnState, Option<crate::model::Report>)> {
        let id = interview_id.to_owned();
        self.read(move |c| {
            let state = turn_state(c, &id)?;
            let report = load_report(c, &state)?;
            Ok((state, report))
        })
        .await
    }

    pub async fn complete_turn(&self, changes: TurnChanges) -> Result<Message> {
        self.write(move |c| complete_turn(c, &changes)).await
    }

    pub async fn abort_turn(&self, pending: PendingTurn) -> Result<()> {
        self.write(move |c| abort_turn(c, &pending)).await
    }

    pub async fn save_report(
        &self,
        interview_id: &str,
        report: std::result::Result<ReportRows, String>,
        usage: Usage,
    ) -> Result<()> {
        let id = interview_id.to_owned();
        self.write(move |c| save_report(c, &id, &report, usage))
            .await
    }

    /// Removes pending turns nobody is writing: lapsed leases, and `own_node`'s (at start-up);
    /// how many rows went.
    pub async fn expire_turns(&self, own_node: Option<&str>) -> Result<usize> {
        let own = own_node.map(str::to_owned);
        self.write(move |c| expire_turns(c, own.as_deref())).await
    }

    /// Saves a reply's text so far for followers on other nodes; `false` once it is not pending.
    pub async fn save_partial_reply(&self, reply_message_id: &str, text: String) -> Result<bool> {
        let id = reply_message_id.to_owned();
        self.write(move |c| save_partial_reply(c, &id, &text)).await
    }

    /// The reply being written for an interview, by any node: its message id and text so far.
    pub async fn pending_reply(&self, interview_id: &str) -> Result<Option<(String, String)>> {
        let id = interview_id.to_owned();
        self.read(move |c| pending_reply(c, &id)).await
    }

    pub async fn stored_reply(&self, reply_message_id: &str) -> Result<StoredReply> {
        let id = reply_message_id.to_owned();
        self.read(move |c| stored_reply(c, &id)).await
    }

    /// Extends the lease of a turn `node` is writing; `false` when it is gone.
    pub async fn renew_turn_lease(&self, pending: &PendingTurn, node: &str) -> Result<bool> {
        let (pending, node) = (pending.clone(), node.to_owned());
        self.write(move |c| renew_turn_lease(c, &pending, &node))
            .await
    }

    // ------------------------------------------------------------------ progress

    pub async fn progress(
        &self,
        user_id: &UserId,
        filter: ProgressFilter,
    ) -> Result<Vec<SkillProgress>> {
        let user_id = user_id.clone();
        self.read(move |c| progress(c, &user_id, &filter)).await
    }

    /// Progress in interviews of `filter`'s type when there is any, else in all of them: the
    /// ratings weak skills are picked from.
    pub async fn progress_or_all(
        &self,
        user_id: &UserId,
        filter: ProgressFilter,
    ) -> Result<Vec<SkillProgress>> {
        let user_id = user_id.clone();
        self.read(move |c| {
            let of_type = progress(c, &user_id, &filter)?;
            if of_type.is_empty() && filter.interview_type_id.is_some() {
                progress(c, &user_id, &ProgressFilter::default())
            } else {
                Ok(of_type)
            }
        })
        .await
    }

    /// For every skill in the catalogue, the level an adaptive interview would ask it at.
    pub async fn adaptive_levels(&self, user_id: &UserId) -> Result<Vec<(SkillLevel, String)>> {
        let user_id = user_id.clone();
        self.read(move |c| {
            let skills: Vec<_> = get_skills(c)?.iter().map(|s| s.id).collect();
            adaptive_levels(c, &user_id, &skills)
        })
        .await
    }

    // ------------------------------------------------------------------ accounts

    pub async fn user_by_id(&self, user_id: &str) -> Result<Option<User>> {
        let id = user_id.to_owned();
        self.read(move |c| get_user_by_id(c, &id)).await
    }

    /// The user and their password hash (if they have one).
    pub async fn user_by_username(&self, username: &str) -> Result<Option<(User, Option<String>)>> {
        let name = username.to_owned();
        self.read(move |c| get_user_by_username(c, &name)).await
    }

    pub async fn set_password_hash(&self, user_id: &UserId, hash: String) -> Result<()> {
        let id = user_id.clone();
        self.write(move |c| set_password_hash(c, &id, &hash)).await
    }

    /// Deletes the user and everything of theirs, in one transaction.
    pub async fn delete_user(&self, user_id: &UserId) -> Result<()> {
        let id = user_id.clone();
        self.write(move |c| delete_user(c, &id)).await
    }

    pub async fn export_user(&self, user_id: &UserId) -> Result<AccountExport> {
        let id = user_id.clone();
        self.read(move |c| export_user(c, &id)).await
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
        self.transaction_on(move |c| {
            let counts = failure_counts(c, &keys)?;
            let verdict = decide(&counts);
            if verdict.is_ok() {
                add_failures(c, &keys, forget_after)?;
            }
            Ok(verdict)
        })
        .await
    }

    /// The counts of `keys` that have any.
    pub async fn failure_counts(&self, keys: Vec<String>) -> Result<Vec<FailureCount>> {
        self.read(move |c| failure_counts(c, &keys)).await
    }

    /// A right password: `clear` keys go, and each of `take_one` loses one failure.
    pub async fn signin_succeeded(&self, clear: Vec<String>, take_one: Vec<String>) -> Result<()> {
        self.transaction_on(move |c| forgive_failures(c, &clear, &take_one))
            .await
    }

    /// Forgets counts older than `forget_after`; how many.
    pub async fn forget_old_failures(&self, forget_after: std::time::Duration) -> Result<usize> {
        self.write(move |c| forget_old_failures(c, forget_after))
            .await
    }

    // ------------------------------------------------------------------ sessions

    /// Stores a new session; `false` when its id is taken.
    pub async fn create_session(&self, id: String, data: Vec<u8>, expiry: i64) -> Result<bool> {
        self.write(move |c| create_session(c, &id, &data, expiry))
            .await
    }

    pub async fn save_session(&self, id: String, data: Vec<u8>, expiry: i64) -> Result<()> {
        self.write(move |c| save_session(c, &id, &data, expiry))
            .await
    }

    /// A session's data, unless it is missing or expired at `now`.
    pub async fn load_session(&self, id: String, now: i64) -> Result<Option<Vec<u8>>> {
        self.read(move |c| load_session(c, &id, now)).await
    }

    pub async fn delete_session(&self, id: String) -> Result<()> {
        self.write(move |c| delete_session(c, &id)).await
    }

    /// Deletes the sessions expired at `now`; how many.
    pub async fn delete_expired_sessions(&self, now: i64) -> Result<usize> {
        self.write(move |c| delete_expired_sessions(c, now)).await
    }
}
