//! `kafka-metadata-quorum.sh describe --status | --replication`: the KRaft quorum. In the
//! playground every node is a combined broker and controller, so every node is a voter.

use crate::console::output::Output;
use crate::console::session::{ToolContext, ToolResult};
use crate::console::tools::admin::{self, DEFAULT_TIMEOUTS};
use crate::engine::{BrokerId, Cluster};

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
    let status = flags.iter().any(|f| f == "--status");
    if !status && !flags.iter().any(|f| f == "--replication") {
        out.errln(
            "kafka-metadata-quorum: error: one of the arguments --status --replication is required",
        );
        return ToolResult::Exit(1);
    }
    let c = &mut ctx.playground.cluster;
    // --status asks the brokers for the cluster id first; either way the quorum's state comes
    // from the active controller (DescribeQuorum is forwarded to it).
    let no_broker = !c.brokers().iter().any(|b| b.running);
    let first_call = if status && no_broker {
        "describeCluster"
    } else {
        "describeMetadataQuorum"
    };
    if let Some(timeout) = admin::without_controller(c, first_call, DEFAULT_TIMEOUTS) {
        return failed(out, &timeout);
    }
    let Some(view) = QuorumView::of(c) else {
        return ToolResult::Exit(1);
    };
    if status {
        print_status(c, &view, out);
    } else {
        print_replication(c, &view, human, out);
    }
    ToolResult::Exit(0)
}

/// The tool's failure: the exception's message, then its stack trace's first line.
fn failed(out: &mut Output, timeout: &str) -> ToolResult {
    let error = format!("{}: {timeout}", admin::TIMEOUT_EXCEPTION);
    out.errln(&error);
    out.errln(&format!("java.util.concurrent.ExecutionException: {error}"));
    ToolResult::Exit(1)
}

/// What `DescribeQuorum` answers: the leader and every voter's replication state.
struct QuorumView {
    leader: BrokerId,
    epoch: i32,
    high_watermark: i64,
    /// (id, log end offset, last fetch, last caught up), by id; the leader's times are now.
    voters: Vec<(BrokerId, i64, i64, i64)>,
}

impl QuorumView {
    fn of(c: &mut Cluster) -> Option<QuorumView> {
        let now = c.now_ms();
        let q = c.metadata_quorum();
        let leader = q.leader()?;
        let voters = q
            .voters()
            .map(|(id, s)| {
                if id == leader {
                    (id, s.log_end_offset, now, now)
                } else {
                    (id, s.log_end_offset, s.last_fetch_ms, s.last_caught_up_ms)
                }
            })
            .collect();
        Some(QuorumView {
            leader,
            epoch: q.epoch(),
            high_watermark: q.high_watermark(),
            voters,
        })
    }

    fn leader_state(&self) -> (BrokerId, i64, i64, i64) {
        self.voters
            .iter()
            .copied()
            .find(|v| v.0 == self.leader)
            .unwrap_or((self.leader, 0, 0, 0))
    }

    /// `MaxFollowerLag` and `MaxFollowerLagTimeMs`: against the first voter with the
    /// shortest log, as `MetadataQuorumCommand` computes them.
    fn max_follower_lag(&self) -> (i64, i64) {
        let leader = self.leader_state();
        let Some(slowest) = self.voters.iter().copied().min_by_key(|v| v.1) else {
            return (0, 0);
        };
        let lag = leader.1 - slowest.1;
        if slowest.0 == leader.0 {
            return (lag, 0);
        }
        (lag, leader.3 - slowest.3)
    }
}

fn print_status(c: &Cluster, view: &QuorumView, out: &mut Output) {
    let voters: Vec<String> = view
        .voters
        .iter()
        .map(|(id, ..)| {
            format!(
                "{{\"id\": {id}, \"directoryId\": \"{}\", \"endpoints\": [\"CONTROLLER://localhost:{}\"]}}",
                c.directory_id(*id),
                29091 + id
            )
        })
        .collect();
    let (lag, lag_ms) = view.max_follower_lag();
    let rows = [
        ("ClusterId:", c.cluster_id()),
        ("LeaderId:", view.leader.to_string()),
        ("LeaderEpoch:", view.epoch.to_string()),
        ("HighWatermark:", view.high_watermark.to_string()),
        ("MaxFollowerLag:", lag.to_string()),
        ("MaxFollowerLagTimeMs:", lag_ms.to_string()),
        ("CurrentVoters:", format!("[{}]", voters.join(", "))),
        ("CurrentObservers:", "[]".into()),
    ];
    for (label, value) in rows {
        out.outln(&format!("{label:<24}{value}"));
    }
}

fn print_replication(c: &Cluster, view: &QuorumView, human: bool, out: &mut Output) {
    let now = c.now_ms();
    let ts = |ms: i64| {
        if human {
            format!("{} ms ago", now - ms)
        } else {
            ms.to_string()
        }
    };
    let mut table: Vec<[String; 7]> = vec![[
        "NodeId".into(),
        "DirectoryId".into(),
        "LogEndOffset".into(),
        "Lag".into(),
        "LastFetchTimestamp".into(),
        "LastCaughtUpTimestamp".into(),
        "Status".into(),
    ]];
    let leader_leo = view.leader_state().1;
    let mut nodes = view.voters.clone();
    crate::sort::sort_by_key(&mut nodes, |v| (v.0 != view.leader, v.0));
    for (id, leo, fetched, caught_up) in nodes {
        let status = if id == view.leader {
            "Leader"
        } else {
            "Follower"
        };
        table.push([
            id.to_string(),
            c.directory_id(id),
            leo.to_string(),
            (leader_leo - leo).to_string(),
            ts(fetched),
            ts(caught_up),
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
}
