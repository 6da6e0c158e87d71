//! `playground`: the one command for what real Kafka has no tool for — looking at the
//! simulated cluster, moving its clock, starting over.

use super::output::Output;
use super::session::Playground;
use crate::engine::clock::format_log_timestamp;
use crate::engine::{Cluster, ClusterConfig};

const USAGE: &str = "\
Usage: playground [status]            show brokers, clock and topics
       playground advance DURATION    move the clock forward (e.g. 500ms, 30s, 5m, 2h, 7d)
       playground reset               start again with a fresh, empty cluster";

pub fn run(args: &[String], pg: &mut Playground, out: &mut Output) -> i32 {
    match args.first().map(String::as_str) {
        None | Some("status") => {
            status(pg, out);
            0
        }
        Some("advance") => match args.get(1).and_then(|d| parse_duration(d)) {
            Some(ms) => {
                pg.cluster.advance(ms);
                out.outln(&format!(
                    "Clock advanced by {} to {}",
                    args[1],
                    format_log_timestamp(pg.cluster.now_ms())
                ));
                0
            }
            None => {
                out.errln(
                    "playground advance: expected a duration such as 500ms, 30s, 5m, 2h or 7d",
                );
                1
            }
        },
        Some("reset") => {
            let brokers = pg.cluster.brokers().len() as i32;
            let config = ClusterConfig {
                brokers,
                start_ms: pg.cluster.now_ms(),
                ..ClusterConfig::default()
            };
            *pg = Playground::new(Cluster::new(config));
            out.outln(&format!("Started a fresh cluster with {brokers} brokers."));
            0
        }
        Some("help" | "--help") => {
            out.outln(USAGE);
            0
        }
        Some(other) => {
            out.errln(&format!("playground: unknown subcommand '{other}'"));
            out.errln(USAGE);
            1
        }
    }
}

fn status(pg: &Playground, out: &mut Output) {
    let c = &pg.cluster;
    let ids: Vec<String> = c.broker_ids().iter().map(|id| id.to_string()).collect();
    out.outln(&format!(
        "Cluster: {} brokers (node ids {}), KRaft, bootstrap server localhost:9092",
        ids.len(),
        ids.join(", ")
    ));
    out.outln(&format!("Clock:   {}", format_log_timestamp(c.now_ms())));
    let topics: Vec<String> = c
        .topics()
        .map(|t| {
            let records: usize = t.partitions.iter().map(|p| p.log.len()).sum();
            format!(
                "{} ({} partitions, {} records)",
                t.name,
                t.partitions.len(),
                records
            )
        })
        .collect();
    if topics.is_empty() {
        out.outln("Topics:  none yet");
    } else {
        out.outln(&format!("Topics:  {}", topics.join(", ")));
    }
}

/// `500ms`, `30s`, `5m`, `2h`, `7d`, or a bare number of milliseconds.
pub fn parse_duration(text: &str) -> Option<i64> {
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (num, unit) = text.split_at(split);
    let n: i64 = num.parse().ok()?;
    let factor = match unit {
        "" | "ms" => 1,
        "s" => 1_000,
        "m" | "min" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return None,
    };
    n.checked_mul(factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("7d"), Some(604_800_000));
        assert_eq!(parse_duration("1500"), Some(1500));
        assert_eq!(parse_duration("30s"), Some(30_000));
        assert_eq!(parse_duration("x"), None);
        assert_eq!(parse_duration("5y"), None);
        assert_eq!(parse_duration("99999999999999999999d"), None);
    }

    #[test]
    fn advance_moves_the_clock() {
        let mut pg = Playground::new(Cluster::new(ClusterConfig::default()));
        let mut out = Output::new();
        assert_eq!(run(&["advance".into(), "1h".into()], &mut pg, &mut out), 0);
        assert_eq!(
            out.text(),
            "Clock advanced by 1h to 2025-01-01 01:00:00,000\n"
        );
    }
}
