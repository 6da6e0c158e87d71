//! The live view's event feed: the engine's event log and the groups' rebalances merged into
//! lines a learner reads, newest first, with the simulated time of each.
//!
//! Invariant: read-only over the cluster; the same cluster gives the same lines (a reload and
//! a share link's replay show the same feed). Nothing here is console output.

use crate::engine::BrokerId;
use crate::engine::Cluster;
use crate::engine::clock::format_log_timestamp;
use crate::engine::events::EventKind;

use super::visible::visible;

/// One line of the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedLine {
    pub at_ms: i64,
    /// `MM-DD HH:MM:SS` of the simulated clock (UTC).
    pub time: String,
    /// What the line is about, for its colour: `retention`, `cleaner`, `leader`, `isr`,
    /// `group`, `broker`.
    pub topic: &'static str,
    pub text: String,
}

/// The newest `limit` lines, newest first.
pub fn feed(cluster: &Cluster, limit: usize) -> Vec<FeedLine> {
    let mut lines: Vec<(i64, usize, &'static str, String)> = Vec::new();
    for (i, e) in cluster.events().iter().enumerate() {
        let (topic, text) = describe(&e.what);
        lines.push((e.at_ms, i, topic, text));
    }
    // Rebalances are kept by the group coordinator (the latest per group); each says who
    // came and went.
    let base = lines.len();
    for g in cluster
        .group_ids()
        .iter()
        .filter_map(|id| cluster.group(id))
    {
        for (j, r) in g.history().iter().enumerate() {
            let group = visible(g.group_id()).into_owned();
            for change in &r.changes {
                let text = format!(
                    "group {group}: {} (generation {})",
                    visible(change),
                    r.generation
                );
                lines.push((r.at_ms, base + j, "group", text));
            }
        }
    }
    // Stable: events of the same moment keep their order.
    lines.sort_by_key(|l| (l.0, l.1));
    lines
        .into_iter()
        .rev()
        .take(limit)
        .map(|(at_ms, _, topic, text)| FeedLine {
            at_ms,
            time: short_time(at_ms),
            topic,
            text,
        })
        .collect()
}

fn short_time(ms: i64) -> String {
    let stamp = format_log_timestamp(ms);
    // "2025-01-01 10:00:00,123" → "01-01 10:00:00"
    stamp.get(5..19).map(str::to_string).unwrap_or(stamp)
}

fn brokers(ids: &[BrokerId]) -> String {
    let ids: Vec<String> = ids.iter().map(|b| b.to_string()).collect();
    ids.join(",")
}

fn more(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => " and 1 other partition".to_string(),
        n => format!(" and {n} other partitions"),
    }
}

fn describe(e: &EventKind) -> (&'static str, String) {
    let name = |t: &str| visible(t).into_owned();
    match e {
        EventKind::SegmentsDeleted {
            topic,
            segments,
            partitions,
        } => {
            let s = if *segments == 1 { "" } else { "s" };
            let p = if *partitions == 1 { "" } else { "s" };
            (
                "retention",
                format!(
                    "retention deleted {segments} segment{s} of {} ({partitions} partition{p})",
                    name(topic)
                ),
            )
        }
        EventKind::LogCleaned {
            topic,
            records,
            partitions,
        } => {
            let p = if *partitions == 1 { "" } else { "s" };
            (
                "cleaner",
                format!(
                    "log cleaner ran on {}: {records} record(s) removed ({partitions} partition{p})",
                    name(topic)
                ),
            )
        }
        EventKind::LeaderChanged {
            topic,
            partition,
            from,
            to,
            more: n,
        } => {
            let to = to.map_or("none (offline)".to_string(), |b| format!("broker {b}"));
            let from = from.map_or("none".to_string(), |b| format!("broker {b}"));
            (
                "leader",
                format!(
                    "leader of {}-{partition} changed from {from} to {to}{}",
                    name(topic),
                    more(*n)
                ),
            )
        }
        EventKind::IsrShrank {
            topic,
            partition,
            removed,
            isr,
            more: n,
        } => (
            "isr",
            format!(
                "ISR of {}-{partition} shrank: {} left, ISR [{}]{}",
                name(topic),
                brokers(removed),
                brokers(isr),
                more(*n)
            ),
        ),
        EventKind::IsrExpanded {
            topic,
            partition,
            added,
            isr,
            more: n,
        } => (
            "isr",
            format!(
                "ISR of {}-{partition} expanded: {} caught up, ISR [{}]{}",
                name(topic),
                brokers(added),
                brokers(isr),
                more(*n)
            ),
        ),
        EventKind::BrokerStopped {
            broker,
            crashed: false,
        } => ("broker", format!("broker {broker} stopped")),
        EventKind::BrokerStopped {
            broker,
            crashed: true,
        } => ("broker", format!("broker {broker} crashed (kill -9)")),
        EventKind::BrokerStarted { broker } => ("broker", format!("broker {broker} started")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::script::run_script;
    use crate::console::session::Playground;
    use crate::console::terminal::Terminal;
    use crate::engine::{Cluster, ClusterConfig};

    fn playground() -> Playground {
        Playground::new(Cluster::new(ClusterConfig::default()))
    }

    fn run(p: &mut Playground, lines: &[&str]) {
        run_script(p, &mut Terminal::batch(), &lines.join("\n"), false);
    }

    #[test]
    fn retention_after_a_day_shows_in_the_feed() {
        let mut p = playground();
        run(
            &mut p,
            &[
                "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic short --config retention.ms=60000 --config segment.ms=10000",
                "echo a | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic short",
                "playground advance 1m",
                "echo b | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic short",
                "playground advance 1d",
            ],
        );
        let lines = feed(&p.cluster, 50);
        let deleted: Vec<&FeedLine> = lines.iter().filter(|l| l.topic == "retention").collect();
        assert!(!deleted.is_empty(), "{lines:?}");
        // Both records are past retention.ms at the first check, 5 minutes after the start.
        assert_eq!(
            (deleted[0].time.as_str(), deleted[0].text.as_str()),
            (
                "01-01 00:05:00",
                "retention deleted 2 segments of short (1 partition)"
            )
        );
        // Same cluster, same feed: a reload (the snapshot read back) shows it unchanged.
        let json = serde_json::to_string(&p).unwrap();
        let back: Playground = serde_json::from_str(&json).unwrap();
        assert_eq!(feed(&back.cluster, 50), lines);
    }

    #[test]
    fn group_members_joining_and_leaving_show_with_their_generation() {
        let mut p = playground();
        run(
            &mut p,
            &[
                "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic t",
                "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic t --group g --timeout-ms 10000",
            ],
        );
        let lines = feed(&p.cluster, 50);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("group g: console-consumer-")
                    && t.ends_with("joined (generation 1)")),
            "{texts:?}"
        );
        assert!(
            texts.iter().all(|t| !t.contains('\u{202e}')),
            "names are shown made visible"
        );
    }
}
