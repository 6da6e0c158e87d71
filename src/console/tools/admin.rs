//! How the Java admin client gives up, on the simulated clock. A call that cannot complete is
//! retried until its deadline (`default.api.timeout.ms`, or the tool's own timeout), so the
//! tool blocks that long: the cluster's clock moves on by the same amount before the error is
//! printed. Backoffs are taken without their random jitter (±20 % in Kafka), which makes the
//! numbers in the messages deterministic.

use crate::engine::Cluster;

/// `default.api.timeout.ms`.
pub const DEFAULT_API_TIMEOUT_MS: i64 = 60_000;
/// The admin client's `request.timeout.ms`.
const REQUEST_TIMEOUT_MS: i64 = 30_000;

pub const TIMEOUT_EXCEPTION: &str = "org.apache.kafka.common.errors.TimeoutException";

/// Retries as the admin client does (after 100, 200, 400, 800 ms, then every second) until
/// `ready` holds or `timeout_ms` has passed; true if it held in time. The clock moves on to
/// the successful retry, or past the deadline.
pub fn retry_until(
    cluster: &mut Cluster,
    timeout_ms: i64,
    ready: impl FnMut(&Cluster) -> bool,
) -> bool {
    crate::clients::backoff::retry_until(cluster, timeout_ms, ready)
}

/// The failure of a call whose partition-leader lookup never succeeded (`ListOffsets` for a
/// partition without a leader): the metadata keeps answering "no leader", the lookup waits in
/// the pending queue between retries, and the deadline catches it there.
pub fn leader_lookup_timeout(api: &str) -> String {
    format!(
        "{TIMEOUT_EXCEPTION}: Timed out waiting for a node assignment. Call: {api}(api=METADATA)"
    )
}

/// A call no node can be found for (no broker reachable): it never leaves the pending queue.
fn node_assignment_timeout(cluster: &mut Cluster, call: &str, timeout_ms: i64) -> String {
    cluster.advance(timeout_ms.max(0) + 1);
    format!("Timed out waiting for a node assignment. Call: {call}")
}

/// A request the brokers forward to the active controller, when there is none (a majority
/// of the KRaft controllers is down): the broker holds it and the client's request times out,
/// again and again until the call's deadline. Returns the `TimeoutException`'s message, or
/// `None` when a controller is there to answer. With no broker running at all, the call never
/// even finds a node to go to.
pub fn without_controller(cluster: &mut Cluster, call: &str, timeouts: Timeouts) -> Option<String> {
    if cluster.active_controller().is_some() {
        return None;
    }
    if !cluster.brokers().iter().any(|b| b.running) {
        return Some(node_assignment_timeout(cluster, call, timeouts.api_ms));
    }
    Some(unanswered_call_timeout(cluster, call, timeouts))
}

/// An admin client's `default.api.timeout.ms` and `request.timeout.ms`.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub api_ms: i64,
    pub request_ms: i64,
}

/// The admin client's defaults.
pub const DEFAULT_TIMEOUTS: Timeouts = Timeouts {
    api_ms: DEFAULT_API_TIMEOUT_MS,
    request_ms: REQUEST_TIMEOUT_MS,
};

/// A call sent to a broker that never answers it: each attempt times out after
/// `request.timeout.ms` (or what is left before the deadline), the connection is dropped and
/// the call retried after a backoff, until the deadline passes. Blocks until then and returns
/// `Call(...) timed out at ...` (the message).
fn unanswered_call_timeout(cluster: &mut Cluster, call: &str, timeouts: Timeouts) -> String {
    let deadline = cluster.now_ms() + timeouts.api_ms.max(0);
    let (tries, failed_at, next_try) =
        unanswered_attempts(cluster.now_ms(), deadline, timeouts.request_ms);
    cluster.advance_to(failed_at);
    format!(
        "Call(callName={call}, deadlineMs={deadline}, tries={tries}, nextAllowedTryMs={next_try}) timed out at {failed_at} after {tries} attempt(s)"
    )
}

/// Plays the attempts of an unanswered call: (tries, when the last failed, next allowed try).
fn unanswered_attempts(start: i64, deadline: i64, request_timeout_ms: i64) -> (i64, i64, i64) {
    let (mut now, mut tries) = (start, 0);
    loop {
        // A request times out once more than its timeout has passed since it was sent.
        let request_timeout = request_timeout_ms.min(deadline - now).max(0);
        now += request_timeout + 1;
        let next_try = now + backoff(tries);
        tries += 1;
        if deadline - now <= 0 {
            return (tries, now, next_try);
        }
        now = next_try;
    }
}

/// The clients' retry backoff after so many attempts (metadata refreshes, admin calls).
pub fn retry_backoff(attempts: i64) -> i64 {
    backoff(attempts)
}

/// `ExponentialBackoff(retry.backoff.ms, 2, retry.backoff.max.ms)` for the given attempt.
fn backoff(attempts: i64) -> i64 {
    crate::clients::backoff::backoff(attempts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unanswered_call_is_tried_twice_in_a_minute() {
        // Sent at 0, times out at 30 001; retried at 30 101 with the 29 899 ms left, which
        // run out at 60 001.
        assert_eq!(unanswered_attempts(0, 60_000, 30_000), (2, 60_001, 60_201));
        assert_eq!(unanswered_attempts(0, 5_000, 30_000), (1, 5_001, 5_101));
        // kafka-leader-election.sh: 30 s, requests of 15 s.
        assert_eq!(unanswered_attempts(0, 30_000, 15_000), (2, 30_001, 30_201));
    }
}
