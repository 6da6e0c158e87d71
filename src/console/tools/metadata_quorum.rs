//! `kafka-metadata-quorum.sh describe --status | --replication`: the KRaft quorum. In the
//! playground every node is a combined broker and controller, so every node is a voter.

use crate::console::output::Output;
use crate::console::session::{ToolContext, ToolResult};

const USAGE: &str = "usage: kafka-metadata-quorum [-h] --bootstrap-server BOOTSTRAP_SERVER [--command-config COMMAND_CONFIG] {describe,add-controller,remove-controller} ...";

pub fn run(args: &[String], ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    let mut bootstrap = false;
    let mut command = None;
    let mut flags = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--bootstrap-server" | "--bootstrap-controller" | "--command-config" => {
                bootstrap |= args[i] != "--command-config";
                i += 1;
            }
            "-h" | "--help" => {
                out.outln(USAGE);
                return ToolResult::Exit(0);
            }
            a if a.starts_with("--") => flags.push(a.to_string()),
            a if command.is_none() => command = Some(a.to_string()),
            a => {
                out.errln(USAGE);
                out.errln(&format!(
                    "kafka-metadata-quorum: error: unrecognized arguments: '{a}'"
                ));
                return ToolResult::Exit(1);
            }
        }
        i += 1;
    }
    if !bootstrap {
        out.errln(USAGE);
        out.errln("kafka-metadata-quorum: error: one of the arguments --bootstrap-server --bootstrap-controller is required");
        return ToolResult::Exit(1);
    }
    if command.as_deref() != Some("describe") {
        out.errln(USAGE);
        out.errln("kafka-metadata-quorum: error: too few arguments");
        return ToolResult::Exit(1);
    }
    let human = flags.iter().any(|f| f == "--human-readable");
    let c = &ctx.playground.cluster;
    let leader = c.active_controller();
    let hw = c
        .topics()
        .map(|t| 1 + t.partitions.len() as i64)
        .sum::<i64>()
        + c.brokers().len() as i64;
    if flags.iter().any(|f| f == "--status") {
        let voters: Vec<String> = c
            .brokers()
            .iter()
            .map(|b| {
                format!(
                    "{{\"id\": {}, \"directoryId\": \"{}\", \"endpoints\": [\"CONTROLLER://localhost:{}\"]}}",
                    b.id,
                    c.directory_id(b.id),
                    29091 + b.id
                )
            })
            .collect();
        let rows = [
            ("ClusterId:", c.cluster_id()),
            ("LeaderId:", leader.map_or("-1".into(), |l| l.to_string())),
            ("LeaderEpoch:", "1".into()),
            ("HighWatermark:", hw.to_string()),
            ("MaxFollowerLag:", "0".into()),
            ("MaxFollowerLagTimeMs:", "0".into()),
            ("CurrentVoters:", format!("[{}]", voters.join(", "))),
            ("CurrentObservers:", "[]".into()),
        ];
        for (label, value) in rows {
            out.outln(&format!("{label:<24}{value}"));
        }
        return ToolResult::Exit(0);
    }
    if flags.iter().any(|f| f == "--replication") {
        let now = c.now_ms();
        let mut table: Vec<[String; 7]> = vec![[
            "NodeId".into(),
            "DirectoryId".into(),
            "LogEndOffset".into(),
            "Lag".into(),
            "LastFetchTimestamp".into(),
            "LastCaughtUpTimestamp".into(),
            "Status".into(),
        ]];
        let mut nodes: Vec<_> = c.brokers().iter().collect();
        nodes.sort_by_key(|b| (Some(b.id) != leader, b.id));
        for b in nodes {
            let live = b.running && !b.isolated;
            let (leo, lag) = if live {
                (hw, 0)
            } else {
                (hw.min(1), hw - hw.min(1))
            };
            let ts = |ms: i64| {
                if human {
                    format!("{} ms ago", now - ms)
                } else {
                    ms.to_string()
                }
            };
            let fetched = if live { now } else { b.last_heartbeat_ms };
            let status = if Some(b.id) == leader {
                "Leader"
            } else {
                "Follower"
            };
            table.push([
                b.id.to_string(),
                c.directory_id(b.id),
                leo.to_string(),
                lag.to_string(),
                ts(fetched),
                ts(fetched),
                status.into(),
            ]);
        }
        let widths: Vec<usize> = (0..7)
            .map(|i| table.iter().map(|r| r[i].len()).max().unwrap_or(0))
            .collect();
        for row in table {
            let line: String = row
                .iter()
                .enumerate()
                .map(|(i, cell)| format!("{cell:<w$}\t", w = widths[i]))
                .collect();
            out.outln(&line);
        }
        return ToolResult::Exit(0);
    }
    out.errln(
        "kafka-metadata-quorum: error: one of the arguments --status --replication is required",
    );
    ToolResult::Exit(1)
}
