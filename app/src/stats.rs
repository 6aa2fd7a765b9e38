//! Latency histograms kept with atomics, so the hot paths that feed them (every request, every
//! database write, every model call) never take a lock, and rendered in Prometheus's text
//! format by the server's `/metrics`.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds (seconds) of every histogram's buckets: from a cached page to a slow model.
pub const BUCKETS: [f64; 11] = [
    0.0001, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0, 5.0, 30.0,
];

#[derive(Default)]
pub struct Histogram {
    /// Observations at or under each bound in `BUCKETS` (cumulative, as Prometheus wants).
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

impl Histogram {
    pub fn observe(&self, took: Duration) {
        let seconds = took.as_secs_f64();
        for (bound, n) in BUCKETS.iter().zip(&self.buckets) {
            if seconds <= *bound {
                n.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        self.sum_micros.fetch_add(micros, Ordering::Relaxed);
    }

    pub fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    /// Appends the `_bucket`, `_sum` and `_count` lines of `name` with `labels` (already
    /// formatted, `key="value",…`, or empty).
    pub fn render(&self, out: &mut String, name: &str, labels: &str) {
        let sep = if labels.is_empty() { "" } else { "," };
        for (bound, n) in BUCKETS.iter().zip(&self.buckets) {
            let _ = writeln!(
                out,
                "{name}_bucket{{{labels}{sep}le=\"{bound}\"}} {}",
                n.load(Ordering::Relaxed)
            );
        }
        let count = self.count();
        let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {count}");
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let braces = |l: &str| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{{{l}}}")
            }
        };
        let _ = writeln!(out, "{name}_sum{} {sum}", braces(labels));
        let _ = writeln!(out, "{name}_count{} {count}", braces(labels));
    }
}

/// The `# HELP` and `# TYPE` lines of a metric.
pub fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_cumulative_and_the_sum_is_in_seconds() {
        let h = Histogram::default();
        h.observe(Duration::from_millis(3));
        h.observe(Duration::from_millis(200));
        h.observe(Duration::from_secs(60));
        let mut out = String::new();
        h.render(&mut out, "t", "kind=\"x\"");
        assert!(
            out.contains("t_bucket{kind=\"x\",le=\"0.001\"} 0\n"),
            "{out}"
        );
        assert!(
            out.contains("t_bucket{kind=\"x\",le=\"0.005\"} 1\n"),
            "{out}"
        );
        assert!(out.contains("t_bucket{kind=\"x\",le=\"0.5\"} 2\n"), "{out}");
        assert!(out.contains("t_bucket{kind=\"x\",le=\"30\"} 2\n"), "{out}");
        assert!(
            out.contains("t_bucket{kind=\"x\",le=\"+Inf\"} 3\n"),
            "{out}"
        );
        assert!(out.contains("t_sum{kind=\"x\"} 60.203\n"), "{out}");
        assert!(out.contains("t_count{kind=\"x\"} 3\n"), "{out}");
        let mut bare = String::new();
        Histogram::default().render(&mut bare, "u", "");
        assert!(bare.contains("u_bucket{le=\"+Inf\"} 0\n"), "{bare}");
        assert!(bare.contains("u_count 0\n"), "{bare}");
    }
}
