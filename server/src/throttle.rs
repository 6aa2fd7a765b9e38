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
    pub fn retry_after(&self, keys: &[String]) -> Option<Duration> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        keys.iter()
            .filter_map(|k| entries.get(k))
            .filter(|e| e.last.elapsed() < self.policy.forget_after)
            .filter_map(|e| self.delay_after(e.failures).checked_sub(e.last.elapsed()))
            .filter(|d| !d.is_zero())
            .max()
    }

    pub fn record_failure(&self, keys: &[String]) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= MAX_ENTRIES {
            let forget = self.policy.forget_after;
            entries.retain(|_, e| e.last.elapsed() < forget);
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        let now = Instant::now();
        for key in keys {
            let entry = entries.entry(key.clone()).or_insert(Entry {
                failures: 0,
                last: now,
            });
            if entry.last.elapsed() >= self.policy.forget_after {
                entry.failures = 0;
            }
            entry.failures += 1;
            entry.last = now;
        }
    }

    /// A successful sign-in clears the account's failures (not the address's: one right
    /// password must not reset the count for guesses at other accounts).
    pub fn record_success(&self, key: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.remove(key);
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
    fn waits_apply_per_key_and_success_clears_the_account() {
        let t = Throttle::new(policy());
        let keys = ["user:ada".to_owned(), "ip:10.0.0.1".to_owned()];
        for _ in 0..3 {
            assert_eq!(t.retry_after(&keys), None);
            t.record_failure(&keys);
        }
        let wait = t.retry_after(&keys).expect("throttled after 3 failures");
        assert!(wait <= Duration::from_millis(200));
        // Another account from the same address waits too; the same account elsewhere too.
        assert!(
            t.retry_after(&["user:bob".into(), "ip:10.0.0.1".into()])
                .is_some()
        );
        assert!(
            t.retry_after(&["user:ada".into(), "ip:10.0.0.2".into()])
                .is_some()
        );
        assert_eq!(
            t.retry_after(&["user:bob".into(), "ip:10.0.0.2".into()]),
            None
        );

        std::thread::sleep(Duration::from_millis(220));
        assert_eq!(
            t.retry_after(&keys),
            None,
            "the wait is short, not a lock-out"
        );

        t.record_success("user:ada");
        assert_eq!(t.retry_after(&["user:ada".into()]), None);
        assert!(t.retry_after(&["ip:10.0.0.1".into()]).is_none());
        t.record_failure(&keys);
        assert!(
            t.retry_after(&["ip:10.0.0.1".into()]).is_some(),
            "the address keeps its count"
        );
    }
}
