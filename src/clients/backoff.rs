//! The clients' retry backoff on the simulated clock: `ExponentialBackoff(retry.backoff.ms,
//! 2, retry.backoff.max.ms)` without its random jitter (±20 % in Kafka), so the times in
//! messages are deterministic.

use crate::engine::Cluster;

/// `retry.backoff.ms` and `retry.backoff.max.ms` defaults.
pub const RETRY_BACKOFF_MS: i64 = 100;
pub const RETRY_BACKOFF_MAX_MS: i64 = 1_000;

/// The backoff after so many attempts: 100, 200, 400, 800 ms, then every second.
pub fn backoff(attempts: i64) -> i64 {
    let factor = 1i64 << attempts.clamp(0, 20);
    (RETRY_BACKOFF_MS.saturating_mul(factor)).min(RETRY_BACKOFF_MAX_MS)
}

/// Retries with [`backoff`] until `ready` holds or `timeout_ms` has passed; true if it held in
/// time. The clock moves on to the successful retry, or past the deadline.
pub fn retry_until(
    cluster: &mut Cluster,
    timeout_ms: i64,
    mut ready: impl FnMut(&Cluster) -> bool,
) -> bool {
    let deadline = cluster.now_ms().saturating_add(timeout_ms.max(0));
    let mut attempts = 0;
    while !ready(cluster) {
        let next = cluster.now_ms() + backoff(attempts);
        attempts += 1;
        if next > deadline {
            // The call times out once the deadline has passed.
            cluster.advance_to(deadline.saturating_add(1));
            return false;
        }
        cluster.advance_to(next);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_up_to_a_second() {
        let steps: Vec<i64> = (0..6).map(backoff).collect();
        assert_eq!(steps, [100, 200, 400, 800, 1000, 1000]);
    }
}
