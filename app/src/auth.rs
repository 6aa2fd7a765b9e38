//! Accounts (server only): registration, credential checks and the signed-in user.
//! Passwords are hashed with Argon2id (password-auth's PHC strings) on a bounded pool of
//! blocking threads ([`HashPool`]), and are never logged or returned.

use crate::model::User;
use crate::store::{self, Db, NewUser, StoreError};
use crate::validate::{self, AccountError};
use std::sync::LazyLock;
use tower_sessions::Session;

/// The session key that holds the signed-in user's id.
pub const SESSION_USER_KEY: &str = "uid";

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("{0}")]
    Account(AccountError),
    /// Every password hasher is busy and the queue is full: try again in a moment.
    #[error("the server is busy checking passwords; please try again in a moment")]
    Busy,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<AccountError> for AuthError {
    fn from(e: AccountError) -> Self {
        AuthError::Account(e)
    }
}

/// Argon2id with password-auth's defaults takes 19 MiB per hash, so hashes run on a fixed set
/// of worker threads — as many as the machine has cores — behind a short queue. A request that
/// finds the queue full is refused at once ([`AuthError::Busy`]), costing no memory, rather
/// than waiting on a blocking thread of its own (96 concurrent sign-ins once took a server to
/// 1.8 GB). Dedicated threads also keep the allocator's per-thread arenas, each of which holds
/// on to a freed hash's memory, down to one per worker.
pub struct HashPool {
    jobs: std::sync::mpsc::SyncSender<Box<dyn FnOnce() + Send>>,
    /// Queued plus running.
    in_use: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl HashPool {
    pub fn new(workers: usize, queue: usize) -> HashPool {
        // (Where glibc's allocator is in use: the app's own tests and benches; the server runs
        // on mimalloc.) glibc serves a large block freed once from its heap afterwards (the mmap threshold
        // rises to the block's size), and the heap keeps it: each 19 MiB hash then stayed
        // resident, about 200 MB after a dozen sign-ins. A fixed threshold keeps such blocks
        // mapped on their own and returned to the system when freed.
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: mallopt only sets an allocator parameter; any value is valid.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
        }
        let (jobs, rx) = std::sync::mpsc::sync_channel::<Box<dyn FnOnce() + Send>>(queue);
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        for n in 0..workers.max(1) {
            let rx = rx.clone();
            std::thread::Builder::new()
                .name(format!("password-hash-{n}"))
                .spawn(move || {
                    loop {
                        // The lock is held only while taking a job, never while running it.
                        let job = rx.lock().unwrap_or_else(|p| p.into_inner()).recv();
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                })
                .expect("cannot start a password-hashing thread");
        }
        HashPool {
            jobs,
            in_use: Default::default(),
        }
    }

    /// Runs `f` on a hashing thread, or fails with `Busy` at once when the queue is full.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AuthError> {
        use std::sync::atomic::Ordering;
        let (done, result) = tokio::sync::oneshot::channel();
        let in_use = self.in_use.clone();
        in_use.fetch_add(1, Ordering::AcqRel);
        let job = Box::new(move || {
            let _ = done.send(f());
            in_use.fetch_sub(1, Ordering::AcqRel);
        });
        if let Err(e) = self.jobs.try_send(job) {
            self.in_use.fetch_sub(1, Ordering::AcqRel);
            return Err(match e {
                std::sync::mpsc::TrySendError::Full(_) => AuthError::Busy,
                std::sync::mpsc::TrySendError::Disconnected(_) => {
                    StoreError::Internal("the hashing threads stopped".into()).into()
                }
            });
        }
        result
            .await
            .map_err(|_| StoreError::Internal("a hashing job failed".into()).into())
    }

    /// Hashes queued or running now.
    pub fn in_use(&self) -> usize {
        self.in_use.load(std::sync::atomic::Ordering::Acquire)
    }
}

/// The process's hashing pool: one worker per core, and 64 waiting per worker — a queued
/// request costs no memory, and a full queue means several seconds of work already waiting.
pub static HASHING: LazyLock<HashPool> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    HashPool::new(cores, 64 * cores)
});

/// Creates an account. Every rule is checked before anything is stored. An email that another
/// account already has is dropped silently (the account is created without one), so
/// registration never reveals whether an address has an account.
pub async fn register(
    db: &Db,
    username: &str,
    email: &str,
    password: &str,
) -> Result<User, AuthError> {
    let (user, ()) = register_with(db, username, email, password, |_, _| Ok(())).await?;
    Ok(user)
}

/// [`register`], with `also` run in the same transaction once the account exists: what fails
/// there (say, storing the new session) leaves no account behind.
pub async fn register_with<T: Send + 'static>(
    db: &Db,
    username: &str,
    email: &str,
    password: &str,
    also: impl FnOnce(&store::Tx<'_>, &User) -> Result<T, StoreError> + Send + 'static,
) -> Result<(User, T), AuthError> {
    let username = validate::username(username)?;
    let email = validate::email(email)?;
    validate::new_password(password, &username)?;
    let password = password.to_owned();
    let hash = HASHING
        .run(move || password_auth::generate_hash(password))
        .await?;
    db.transaction(move |tx| {
        let mut user = NewUser {
            username: &username,
            email: email.as_deref(),
            hashed_password: Some(&hash),
        };
        let created = match tx.create_user(&user) {
            // An email that already has an account is not kept, and not mentioned either: the
            // answer must not tell anyone which addresses have accounts here.
            Err(StoreError::Duplicate {
                entity: "email", ..
            }) => {
                user.email = None;
                tx.create_user(&user)
            }
            other => other,
        }?;
        let more = also(tx, &created)?;
        Ok((created, more))
    })
    .await
    .map_err(|e| match e {
        StoreError::Duplicate { .. } => AccountError::UsernameTaken.into(),
        other => other.into(),
    })
}

/// A hash to verify against when the user does not exist, so that an unknown username costs
/// the same time as a wrong password and cannot be told apart by timing.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| password_auth::generate_hash("not a real password"));

/// The user whose credentials these are, or `WrongCredentials` for an unknown user and for a
/// wrong password alike.
pub async fn verify_credentials(
    db: &Db,
    username: &str,
    password: &str,
) -> Result<User, AuthError> {
    let name = username.trim().to_owned();
    let found = db.user_by_username(&name).await?;
    let password = password.to_owned();
    let (user, hash) = match found {
        Some((user, Some(hash))) => (Some(user), hash),
        _ => (None, DUMMY_HASH.clone()),
    };
    let matches = HASHING
        .run(move || password_auth::verify_password(password, &hash).is_ok())
        .await?;
    match user {
        Some(user) if matches => Ok(user),
        _ => Err(AccountError::WrongCredentials.into()),
    }
}

/// Makes `user` the session's user under a fresh session id (against session fixation).
pub async fn start_session(session: &Session, user: &User) -> Result<(), AuthError> {
    session
        .cycle_id()
        .await
        .and(session.insert(SESSION_USER_KEY, &user.id).await)
        .map_err(|e| StoreError::Internal(format!("session: {e}")).into())
}

/// The signed-in user, if the session has one whose account still exists.
pub async fn session_user(db: &Db, session: &Session) -> Result<Option<User>, StoreError> {
    let Some(user_id) = session
        .get::<String>(SESSION_USER_KEY)
        .await
        .map_err(|e| StoreError::Internal(format!("session: {e}")))?
    else {
        return Ok(None);
    };
    db.user_by_id(&user_id).await
}

/// Creates the demo account if it does not exist yet; an existing one is left as it is.
pub async fn ensure_demo_account(db: &Db, username: &str, password: &str) -> Result<(), AuthError> {
    if db.user_by_username(username).await?.is_some() {
        return Ok(());
    }
    match register(db, username, "", password).await {
        Ok(_) | Err(AuthError::Account(AccountError::UsernameTaken)) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Changes `user`'s password after checking the current one; the new one follows the same
/// rules as at registration. `WrongCredentials` when the current password is wrong.
pub async fn change_password(
    db: &Db,
    user: &User,
    current: &str,
    new: &str,
) -> Result<(), AuthError> {
    // The new password's rules first: cheap, and a refused new password is not a failed
    // check of the current one.
    validate::new_password(new, &user.username)?;
    verify_credentials(db, &user.username, current).await?;
    let new = new.to_owned();
    let hash = HASHING
        .run(move || password_auth::generate_hash(new))
        .await?;
    db.set_password_hash(&user.id, hash).await?;
    Ok(())
}

/// Deletes `user` and everything of theirs, after checking their password.
pub async fn delete_account(db: &Db, user: &User, password: &str) -> Result<(), AuthError> {
    verify_credentials(db, &user.username, password).await?;
    db.delete_user(&user.id).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Duration;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_hashing_queue_refuses_at_once_and_frees_its_places() {
        let pool = Arc::new(HashPool::new(1, 2));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let hold = Arc::new(std::sync::Mutex::new(hold));
        // One running (held until released) and two waiting fill it.
        let mut tasks = Vec::new();
        for n in 0..3 {
            let (worker_pool, hold) = (pool.clone(), hold.clone());
            tasks.push(tokio::spawn(async move {
                worker_pool
                    .run(move || hold.lock().unwrap().recv().ok())
                    .await
            }));
            if n == 0 {
                // Let the worker take the first, so the other two wait in the queue.
                while pool.in_use() < 1 {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        while pool.in_use() < 3 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let started = std::time::Instant::now();
        assert!(matches!(pool.run(|| ()).await, Err(AuthError::Busy)));
        assert!(
            started.elapsed() < Duration::from_millis(50),
            "refused without waiting"
        );
        for _ in 0..3 {
            release.send(()).unwrap();
        }
        for t in tasks {
            assert!(t.await.unwrap().is_ok());
        }
        while pool.in_use() > 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert!(pool.run(|| 7).await.is_ok_and(|v| v == 7));
    }
}
