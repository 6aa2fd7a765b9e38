//! Slows down repeated failed sign-ins, per account and per client address.
//!
//! Written here rather than taken from a rate-limit crate: those limit request rates, while
//! this counts only failures and forgives them on success. The first few failures are free;
//! after that each attempt must wait twice as long as the last, up to a short maximum, so an
//! attacker gets a handful of guesses a minute while the real user is never locked out for
//! more than `max_delay`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

struct Entry {
    failures: u32,
    last: Instant,
}

/// Bounds memory under a flood of distinct usernames or addresses.
const MAX_ENTRIES: usize = 50_000;

pub struct Throttle {
    policy: ThrottlePolicy,
    entries: Mutex<HashMap<String, Entry>>,
}

impl Throttle {
    pub fn new(policy: ThrottlePolicy) -> Self {
        Throttle {
            policy,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn delay_after(&self, failures: u32) -> Duration {
        if failures < self.policy.free_failures {
            return Duration::ZERO;
        }
        let doublings = (failures - self.policy.free_failures).min(20);
        self.policy
            .base_delay
            .saturating_mul(1 << doublings)
            .min(self.policy.max_delay)
    }

    /// How long the caller must still wait before an attempt for any of `keys`, if at all.
    fn wait(&self, entries: &HashMap<String, Entry>, keys: &[&str]) -> Option<Duration> {
        keys.iter()
            .filter_map(|k| entries.get(*k))
            .filter(|e| e.last.elapsed() < self.policy.forget_after)
            .filter_map(|e| self.delay_after(e.failures).checked_sub(e.last.elapsed()))
            .filter(|d| !d.is_zero())
            .max()
    }

    /// Starts a sign-in for `account` from `address`: either the wait still owed, or the go
    /// ahead — in which case the attempt is already counted as a failure, so that guesses sent
    /// together after a wait get one check between them, not one each. A right password takes
    /// it back with [`Throttle::succeeded`].
    ///
    /// Three counts: the address (guesses at any account), the account from this address, and
    /// the account from everywhere. The account-wide count only slows addresses that have
    /// themselves failed on the account, so nobody can lock the owner out: from an address
    /// that has not failed, the owner's password is always checked. A guesser spread over many
    /// addresses gets `free_failures` tries from each before each is slowed, and the
    /// account-wide count then slows each of them further.
    pub fn begin(&self, account: &str, address: &str) -> Result<(), Duration> {
        let keys = Keys::new(account, address);
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let failed_here = entries
            .get(&keys.account_here)
            .is_some_and(|e| e.failures > 0 && e.last.elapsed() < self.policy.forget_after);
        let mut applies = vec![keys.address.as_str(), keys.account_here.as_str()];
        if failed_here {
            applies.push(keys.account.as_str());
        }
        if let Some(wait) = self.wait(&entries, &applies) {
            return Err(wait);
        }
        self.make_room(&mut entries);
        let now = Instant::now();
        for key in keys.all() {
            let entry = entries.entry(key.to_owned()).or_insert(Entry {
                failures: 0,
                last: now,
            });
            if entry.last.elapsed() >= self.policy.forget_after {
                entry.failures = 0;
            }
            entry.failures += 1;
            entry.last = now;
        }
        Ok(())
    }

    /// The password was right: the account's counts are cleared, and the address's count
    /// loses the attempt `begin` put on it (not more: one right password must not reset the
    /// count for guesses at other accounts).
    pub fn succeeded(&self, account: &str, address: &str) {
        let keys = Keys::new(account, address);
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.remove(&keys.account);
        entries.remove(&keys.account_here);
        if let Some(e) = entries.get_mut(&keys.address) {
            e.failures = e.failures.saturating_sub(1);
        }
    }

    fn make_room(&self, entries: &mut HashMap<String, Entry>) {
        if entries.len() + 3 >= MAX_ENTRIES {
            let forget = self.policy.forget_after;
            entries.retain(|_, e| e.last.elapsed() < forget);
            if entries.len() + 3 >= MAX_ENTRIES {
                entries.clear();
            }
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

    fn all(&self) -> [&str; 3] {
        [&self.address, &self.account_here, &self.account]
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

    #[test]
    fn free_failures_then_doubling_delays_up_to_the_maximum() {
        let t = Throttle::new(policy());
        assert_eq!(t.delay_after(2), Duration::ZERO);
        assert_eq!(t.delay_after(3), Duration::from_millis(200));
        assert_eq!(t.delay_after(4), Duration::from_millis(400));
        assert_eq!(t.delay_after(5), Duration::from_millis(800));
        assert_eq!(t.delay_after(50), Duration::from_millis(800));
    }

    #[test]
    fn waits_apply_per_address_and_per_account_and_success_clears_the_account() {
        let t = Throttle::new(policy());
        for _ in 0..3 {
            assert_eq!(t.begin("ada", "10.0.0.1"), Ok(()));
        }
        let wait = t
            .begin("ada", "10.0.0.1")
            .expect_err("slowed after 3 failures");
        assert!(wait <= Duration::from_millis(200));
        // Another account from the same address waits too.
        assert!(t.begin("bob", "10.0.0.1").is_err());
        std::thread::sleep(Duration::from_millis(220));
        assert_eq!(
            t.begin("ada", "10.0.0.1"),
            Ok(()),
            "the wait is short, not a lock-out"
        );
        t.succeeded("ada", "10.0.0.1");
        let entries = t.entries.lock().unwrap();
        assert!(!entries.contains_key("user:ada") && !entries.contains_key("user:ada@10.0.0.1"));
        assert_eq!(
            entries["ip:10.0.0.1"].failures, 3,
            "the address keeps its earlier count"
        );
    }

    #[test]
    fn a_burst_after_the_wait_gets_one_check() {
        let t = Throttle::new(policy());
        for _ in 0..3 {
            t.begin("ada", "10.0.0.1").unwrap();
        }
        std::thread::sleep(Duration::from_millis(220));
        let allowed = (0..16)
            .filter(|_| t.begin("ada", "10.0.0.1").is_ok())
            .count();
        assert_eq!(allowed, 1);
    }

    #[test]
    fn guesses_from_elsewhere_never_lock_the_owner_out() {
        let t = Throttle::new(policy());
        // An attacker fails many times on ada's account from several addresses.
        for n in 0..12 {
            let _ = t.begin("ada", &format!("10.6.6.{}", n % 4));
        }
        assert!(
            t.begin("ada", "10.6.6.1").is_err(),
            "the attacker is slowed"
        );
        // The owner, from an address that has not failed, is checked at once, every time.
        for _ in 0..5 {
            assert_eq!(t.begin("ada", "192.0.2.7"), Ok(()));
            t.succeeded("ada", "192.0.2.7");
        }
    }
}
