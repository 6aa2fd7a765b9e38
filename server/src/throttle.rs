//! Slows down repeated failed sign-ins, per account and per client address.
//!
//! Written here rather than taken from a rate-limit crate: those limit request rates, while
//! this counts only failures and forgives them on success. The counts live in the database
//! (`store::signin`), shared by every app server on it. The first few failures are free;
//! after that each attempt must wait twice as long as the last, up to a short maximum, so an
//! attacker gets a handful of guesses a minute while the real user is never locked out for
//! more than `max_delay`.

use app::store::{Db, FailureCount};
use std::time::Duration;

#[derive(Clone, Copy, Debug)]
pub struct ThrottlePolicy {
    pub free_failures: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// Failures older than this are forgotten.
    pub forget_after: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            free_failures: 5,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            forget_after: Duration::from_secs(15 * 60),
        }
    }
}

impl ThrottlePolicy {
    fn delay_after(&self, failures: u32) -> Duration {
        if failures < self.free_failures {
            return Duration::ZERO;
        }
        let doublings = (failures - self.free_failures).min(20);
        self.base_delay
            .saturating_mul(1 << doublings)
            .min(self.max_delay)
    }

    /// How long an attempt for `keys` must still wait, given their counts, if at all.
    ///
    /// Three counts: the address (guesses at any account), the account from this address, and
    /// the account from everywhere. The account-wide count only slows addresses that have
    /// themselves failed on the account, so nobody can lock the owner out: from an address
    /// that has not failed, the owner's password is always checked. A guesser spread over many
    /// addresses gets `free_failures` tries from each before each is slowed, and the
    /// account-wide count then slows each of them further.
    fn decide(&self, keys: &Keys, counts: &[FailureCount]) -> Result<(), Duration> {
        let recent = |key: &str| {
            counts
                .iter()
                .find(|c| c.key == key && c.since_last < self.forget_after)
        };
        let failed_here = recent(&keys.account_here).is_some_and(|c| c.failures > 0);
        let mut applies = vec![keys.address.as_str(), keys.account_here.as_str()];
        if failed_here {
            applies.push(keys.account.as_str());
        }
        match applies
            .into_iter()
            .filter_map(recent)
            .filter_map(|c| self.delay_after(c.failures).checked_sub(c.since_last))
            .filter(|d| !d.is_zero())
            .max()
        {
            Some(wait) => Err(wait),
            None => Ok(()),
        }
    }
}

/// Why a password check may not go ahead now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hold {
    /// The account or the address must wait this long.
    Wait(Duration),
    /// The slowdown's counts could not be kept: try again in a moment.
    Unavailable,
}

/// The slowdown, its counts kept in the shared database (`store::signin`), so every app
/// server on it slows the same guesser and a burst spread over servers still gets one check.
pub struct Throttle {
    policy: ThrottlePolicy,
    db: Db,
}

impl Throttle {
    pub fn new(policy: ThrottlePolicy, db: Db) -> Self {
        Throttle { policy, db }
    }

    /// Starts a sign-in for `account` from `address`: either the hold on it, or the go
    /// ahead — in which case the attempt is already counted as a failure (in the same write
    /// as the check), so that guesses sent together after a wait get one check between them,
    /// not one each. A right password takes it back with [`Throttle::succeeded`]. If the
    /// counts cannot be read or written, no password is checked (`Hold::Unavailable`): a
    /// guesser who can make the database slow must not get unslowed guesses.
    pub async fn begin(&self, account: &str, address: &str) -> Result<(), Hold> {
        let keys = Keys::new(account, address);
        let policy = self.policy;
        match self
            .db
            .signin_attempt(keys.all(), policy.forget_after, move |counts| {
                policy.decide(&keys, counts)
            })
            .await
        {
            Ok(verdict) => verdict.map_err(Hold::Wait),
            Err(e) => {
                tracing::error!(error = %e, "the sign-in slowdown could not read its counts");
                Err(Hold::Unavailable)
            }
        }
    }

    /// The password was right: the account's counts are cleared, and the address's count
    /// loses the attempt `begin` put on it (not more: one right password must not reset the
    /// count for guesses at other accounts).
    pub async fn succeeded(&self, account: &str, address: &str) {
        let keys = Keys::new(account, address);
        if let Err(e) = self
            .db
            .signin_succeeded(vec![keys.account, keys.account_here], vec![keys.address])
            .await
        {
            tracing::error!(error = %e, "the sign-in slowdown could not forgive a right password");
        }
    }
}

struct Keys {
    address: String,
    account_here: String,
    account: String,
}

impl Keys {
    fn new(account: &str, address: &str) -> Keys {
        Keys {
            address: format!("ip:{address}"),
            account_here: format!("user:{account}@{address}"),
            account: format!("user:{account}"),
        }
    }

    fn all(&self) -> Vec<String> {
        vec![
            self.address.clone(),
            self.account_here.clone(),
            self.account.clone(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> ThrottlePolicy {
        ThrottlePolicy {
            free_failures: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_millis(800),
            forget_after: Duration::from_secs(60),
        }
    }

    /// A throttle over a fresh database file (kept while the directory lives).
    fn throttle() -> (Throttle, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("t.sqlite3")).unwrap();
        (Throttle::new(policy(), db), dir)
    }

    async fn failures(t: &Throttle, key: &str) -> Option<u32> {
        let counts = t.db.failure_counts(vec![key.to_owned()]).await.unwrap();
        counts.first().map(|c| c.failures)
    }

    #[test]
    fn free_failures_then_doubling_delays_up_to_the_maximum() {
        let p = policy();
        assert_eq!(p.delay_after(2), Duration::ZERO);
        assert_eq!(p.delay_after(3), Duration::from_millis(200));
        assert_eq!(p.delay_after(4), Duration::from_millis(400));
        assert_eq!(p.delay_after(5), Duration::from_millis(800));
        assert_eq!(p.delay_after(50), Duration::from_millis(800));
    }

    #[tokio::test]
    async fn waits_apply_per_address_and_per_account_and_success_clears_the_account() {
        let (t, _dir) = throttle();
        for _ in 0..3 {
            assert_eq!(t.begin("ada", "10.0.0.1").await, Ok(()));
        }
        let Err(Hold::Wait(wait)) = t.begin("ada", "10.0.0.1").await else {
            panic!("slowed after 3 failures");
        };
        assert!(wait <= Duration::from_millis(200));
        // Another account from the same address waits too.
        assert!(t.begin("bob", "10.0.0.1").await.is_err());
        tokio::time::sleep(Duration::from_millis(220)).await;
        assert_eq!(
            t.begin("ada", "10.0.0.1").await,
            Ok(()),
            "the wait is short, not a lock-out"
        );
        t.succeeded("ada", "10.0.0.1").await;
        assert_eq!(failures(&t, "user:ada").await, None);
        assert_eq!(failures(&t, "user:ada@10.0.0.1").await, None);
        assert_eq!(
            failures(&t, "ip:10.0.0.1").await,
            Some(3),
            "the address keeps its earlier count"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_burst_after_the_wait_gets_one_check() {
        let (t, _dir) = throttle();
        for _ in 0..3 {
            t.begin("ada", "10.0.0.1").await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(220)).await;
        let t = std::sync::Arc::new(t);
        let burst: Vec<_> = (0..16)
            .map(|_| {
                let t = t.clone();
                tokio::spawn(async move { t.begin("ada", "10.0.0.1").await.is_ok() })
            })
            .collect();
        let mut allowed = 0;
        for b in burst {
            allowed += usize::from(b.await.unwrap());
        }
        assert_eq!(allowed, 1);
    }

    #[tokio::test]
    async fn guesses_from_elsewhere_never_lock_the_owner_out() {
        let (t, _dir) = throttle();
        // An attacker fails many times on ada's account from several addresses.
        for n in 0..12 {
            let _ = t.begin("ada", &format!("10.6.6.{}", n % 4)).await;
        }
        assert!(
            t.begin("ada", "10.6.6.1").await.is_err(),
            "the attacker is slowed"
        );
        // The owner, from an address that has not failed, is checked at once, every time.
        for _ in 0..5 {
            assert_eq!(t.begin("ada", "192.0.2.7").await, Ok(()));
            t.succeeded("ada", "192.0.2.7").await;
        }
    }

    #[tokio::test]
    async fn two_servers_on_one_database_slow_the_same_guesser() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shared.sqlite3");
        let a = Throttle::new(policy(), Db::open(&path).unwrap());
        let b = Throttle::new(policy(), Db::open(&path).unwrap());
        for server in [&a, &b, &a] {
            assert_eq!(server.begin("ada", "10.0.0.1").await, Ok(()));
        }
        assert!(a.begin("ada", "10.0.0.1").await.is_err());
        assert!(
            b.begin("ada", "10.0.0.1").await.is_err(),
            "the other server knows the count"
        );
    }
}
