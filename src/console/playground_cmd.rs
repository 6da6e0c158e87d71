//! `playground`: the one command for what real Kafka has no tool for — looking at the
//! simulated cluster, moving its clock, starting over.

use super::output::Output;
use super::session::{MAX_CLOCK_SPEED, Playground};
use crate::engine::clock::format_log_timestamp;
use crate::engine::cluster::format_size;
use crate::engine::{Cluster, ClusterConfig};

/// One `playground` subcommand, declared once: the dispatch below, `help`, `playground help`
/// and Tab completion all read [`SUBCOMMANDS`].
#[derive(Debug, Clone, Copy)]
pub struct Subcommand {
    pub name: &'static str,
    /// Other words that name it.
    pub aliases: &'static [&'static str],
    /// What follows the name in `help`'s line (`DURATION`, `[LIMIT]`); upper-case words are
    /// values to fill in.
    pub usage: &'static str,
    /// `help`'s line.
    pub help: &'static str,
    /// Its forms for `playground help` (the words after the name, a line each); empty when
    /// `usage` and `help` say it all.
    pub forms: &'static [(&'static str, &'static str)],
    /// Runs it on the words after its name.
    pub run: fn(&[String], &mut Playground, &mut Output) -> i32,
}

/// Every subcommand; the first is what `playground` alone runs.
pub const SUBCOMMANDS: &[Subcommand] = &[
    Subcommand {
        name: "status",
        aliases: &[],
        usage: "",
        help: "show brokers, clock and topics",
        forms: &[],
        run: |_, pg, out| {
            status(pg, out);
            0
        },
    },
    Subcommand {
        name: "advance",
        aliases: &[],
        usage: "DURATION",
        help: "move the clock forward (e.g. 500ms, 30s, 5m, 2h, 7d)",
        forms: &[],
        run: advance,
    },
    Subcommand {
        name: "clock",
        aliases: &["time"],
        usage: "[speed SPEED]",
        help: "show the clock, or run it faster with the page (pause, 1x, 60x, 3600x)",
        forms: &[
            ("", "show the cluster's time and how fast it runs"),
            (
                "speed SPEED",
                "run the clock at SPEED× the page's time (pause, 1x, 60x, 3600x)",
            ),
            (
                "pause",
                "stop the clock: time moves only with advance and sleep",
            ),
            ("resume", "run the clock at real time again"),
        ],
        run: clock,
    },
    Subcommand {
        name: "reset",
        aliases: &[],
        usage: "",
        help: "start again with a fresh, empty cluster",
        forms: &[],
        run: |_, pg, out| reset(pg, out),
    },
    Subcommand {
        name: "memory",
        aliases: &[],
        usage: "[LIMIT]",
        help: "record data held and the limit; set it (e.g. 64MB, 1GB)",
        forms: &[],
        run: |args, pg, out| memory(args.first().map(String::as_str), pg, out),
    },
    Subcommand {
        name: "broker",
        aliases: &["brokers"],
        usage: "ACTION N",
        help: "stop, kill, start, isolate, heal, slow, fast, add, rack, remove brokers",
        forms: &[
            ("stop N", "controlled shutdown: leadership moves at once"),
            ("kill N", "crash: the controller notices after 9 s"),
            ("start N", "start a stopped or crashed broker"),
            (
                "isolate N",
                "cut it off from the others (network partition)",
            ),
            ("heal N", "reconnect an isolated broker"),
            (
                "slow N",
                "its followers stop fetching (fall out of the ISR in 30 s)",
            ),
            ("fast N", "its followers fetch again"),
            (
                "add [RACK]",
                "add a broker (at most 9), optionally with broker.rack",
            ),
            (
                "rack N RACK",
                "set broker.rack (rack-aware placement when all have one)",
            ),
            ("remove N", "remove a broker that hosts no replicas"),
        ],
        run: broker,
    },
    Subcommand {
        name: "transaction",
        aliases: &["txn"],
        usage: "ACTION ID …",
        help: "hands-on transactions (not a Kafka tool: the Java producer's calls)",
        forms: super::playground_txn::FORMS,
        run: super::playground_txn::run,
    },
    Subcommand {
        name: "authorizer",
        aliases: &[],
        usage: "[on|off]",
        help: "show or set the brokers' authorizer.class.name (kafka-acls.sh needs one)",
        forms: &[],
        run: |args, pg, out| authorizer(args.first().map(String::as_str), pg, out),
    },
    Subcommand {
        name: "answer",
        aliases: &[],
        usage: "TEXT",
        help: "answer the lesson step's question (the panel's Answer types this)",
        forms: &[],
        run: answer,
    },
    Subcommand {
        name: "help",
        aliases: &["--help"],
        usage: "",
        help: "every form of the playground command",
        forms: &[],
        run: |_, _, out| {
            out.outln(&usage());
            0
        },
    },
];

/// The values Tab offers for `SPEED`.
pub const SPEEDS: &[&str] = &["pause", "1x", "60x", "3600x"];

/// The subcommand a word names (its name or an alias).
pub fn find(word: &str) -> Option<&'static Subcommand> {
    SUBCOMMANDS
        .iter()
        .find(|s| s.name == word || s.aliases.contains(&word))
}

/// `playground help`: every form, one line each.
pub fn usage() -> String {
    let mut lines = Vec::new();
    for (i, sub) in SUBCOMMANDS.iter().enumerate() {
        // The default subcommand is optional.
        let name = if i == 0 {
            format!("[{}]", sub.name)
        } else {
            sub.name.to_string()
        };
        let forms: &[(&str, &str)] = if sub.forms.is_empty() {
            &[(sub.usage, sub.help)]
        } else {
            sub.forms
        };
        for (words, help) in forms {
            let prefix = if lines.is_empty() {
                "Usage: "
            } else {
                "       "
            };
            let command = format!("playground {name} {words}");
            // A form longer than the column still leaves a space before its help.
            let command = format!("{} ", command.trim_end());
            lines.push(format!("{prefix}{command:<34}{help}"));
        }
    }
    lines.join("\n")
}

pub fn run(args: &[String], pg: &mut Playground, out: &mut Output) -> i32 {
    let (sub, rest) = match args.split_first() {
        None => (&SUBCOMMANDS[0], args),
        Some((word, rest)) => match find(word) {
            Some(sub) => (sub, rest),
            None => {
                out.errln(&format!("playground: unknown subcommand '{word}'"));
                out.errln(&usage());
                return 1;
            }
        },
    };
    (sub.run)(rest, pg, out)
}

/// The lesson panel reads the answer from the line itself (it is in the journal like every
/// command, so undo, reloads and share links keep it); this only confirms it.
fn answer(args: &[String], _: &mut Playground, out: &mut Output) -> i32 {
    if args.is_empty() {
        out.errln("playground answer: expected your answer, e.g. 'playground answer 2'");
        return 1;
    }
    out.outln(&format!("Your answer: {}", args.join(" ")));
    0
}

fn advance(args: &[String], pg: &mut Playground, out: &mut Output) -> i32 {
    match args.first().and_then(|d| parse_duration(d)) {
        Some(ms) => {
            let before = pg.cluster.now_ms();
            pg.cluster.advance(ms);
            let now = pg.cluster.now_ms();
            let to = format_log_timestamp(now);
            if now - before == ms {
                out.outln(&format!("Clock advanced by {} to {to}", args[0]));
                return 0;
            }
            // The simulated clock ends with the year 9999: say where it stopped.
            if now == before {
                out.errln(&format!(
                    "playground advance: the clock is at its end ({to}) and cannot move further"
                ));
                return 1;
            }
            out.outln(&format!(
                "Clock advanced by {} ms to {to}, its end: short of the {} asked for",
                now - before,
                args[0]
            ));
            0
        }
        None => {
            out.errln("playground advance: expected a duration such as 500ms, 30s, 5m, 2h or 7d");
            1
        }
    }
}

fn reset(pg: &mut Playground, out: &mut Output) -> i32 {
    let brokers = pg.cluster.brokers().len() as i32;
    let config = ClusterConfig {
        brokers,
        start_ms: pg.cluster.now_ms(),
        ..ClusterConfig::default()
    };
    let (speed, wall_clock) = (pg.clock_speed, pg.wall_clock);
    let limit = pg.cluster.record_data_limit();
    *pg = Playground::new(Cluster::new(config));
    pg.clock_speed = speed;
    pg.wall_clock = wall_clock;
    pg.cluster.set_record_data_limit(limit);
    out.outln(&format!("Started a fresh cluster with {brokers} brokers."));
    0
}

fn broker(args: &[String], pg: &mut Playground, out: &mut Output) -> i32 {
    let action = args.first().map(String::as_str).unwrap_or("");
    if action == "add" {
        return match pg.cluster.add_broker() {
            Ok(id) => {
                let rack = args.get(1).cloned();
                let _ = pg.cluster.set_rack(id, rack.clone());
                let with_rack = rack.map_or(String::new(), |r| format!(" (broker.rack={r})"));
                out.outln(&format!(
                    "Broker {id} started and registered with the controller{with_rack}."
                ));
                0
            }
            Err(e) => {
                out.errln(&format!("playground broker add: {e}"));
                1
            }
        };
    }
    let Some(id) = args.get(1).and_then(|a| a.parse::<i32>().ok()) else {
        out.errln(&format!(
            "playground broker {action}: expected a broker id (one of {})",
            ids(pg)
        ));
        out.errln(&usage());
        return 1;
    };
    let c = &mut pg.cluster;
    let controller_before = c.active_controller();
    // After a crash the old registration stays until the controller fences its session.
    let restart_after_crash = c
        .broker(id)
        .is_some_and(|b| b.crashed && !b.fenced && !b.running);
    let (result, done) = match action {
        "stop" if controller_before.is_none() => (
            c.stop_broker(id),
            format!(
                "Broker {id} stopped without a controlled shutdown: there is no active controller to move its partitions."
            ),
        ),
        "stop" => (
            c.stop_broker(id),
            format!(
                "Broker {id} shut down cleanly: its partitions moved to other in-sync replicas where there were any."
            ),
        ),
        "kill" => (
            c.kill_broker(id),
            format!("Broker {id} crashed. The controller fences it after 9 s without heartbeats."),
        ),
        "start" if restart_after_crash => (
            c.start_broker(id),
            format!(
                "Broker {id} started after a crash: it registers again once the controller has fenced its old session (9 s without heartbeats); then its replicas catch up and rejoin the ISR."
            ),
        ),
        "start" => (
            c.start_broker(id),
            format!("Broker {id} started; its replicas catch up and rejoin the ISR."),
        ),
        "isolate" => (
            c.isolate_broker(id, true),
            format!("Broker {id} is cut off from the cluster."),
        ),
        "heal" => (
            c.isolate_broker(id, false),
            format!("Broker {id} is reconnected."),
        ),
        "slow" => (
            c.slow_broker(id, true),
            format!("Broker {id}'s followers stopped fetching."),
        ),
        "fast" => (
            c.slow_broker(id, false),
            format!("Broker {id}'s followers fetch again."),
        ),
        "remove" => (
            c.remove_broker(id),
            format!("Broker {id} removed from the cluster."),
        ),
        "rack" => match args.get(2) {
            Some(rack) => (
                c.set_rack(id, Some(rack.clone())),
                format!("Broker {id} now has broker.rack={rack}."),
            ),
            None => (
                c.set_rack(id, None),
                format!("Broker {id} has no broker.rack now."),
            ),
        },
        _ => {
            out.errln(&format!("playground broker: unknown action '{action}'"));
            out.errln(&usage());
            return 1;
        }
    };
    match result {
        Ok(()) => {
            out.outln(&done);
            if matches!(action, "stop" | "kill") && !c.brokers().iter().any(|b| b.running) {
                out.outln("No broker is running now: clients cannot reach the cluster until one starts (playground broker start N).");
            }
            quorum_note(controller_before, c, out);
            0
        }
        Err(e) => {
            out.errln(&format!("playground broker {action}: {e}"));
            1
        }
    }
}

/// Says when the KRaft quorum loses or regains its active controller: no Kafka tool prints
/// it, but it changes what every admin tool can do.
fn quorum_note(before: Option<i32>, c: &Cluster, out: &mut Output) {
    match (before, c.active_controller()) {
        (Some(_), None) => out.outln(
            "No active controller: a majority of the KRaft controllers is down. Metadata changes (topics, configs, elections, fencing) wait until enough of them are back.",
        ),
        (None, Some(leader)) => out.outln(&format!(
            "A majority of the KRaft controllers is up again: node {leader} is the active controller."
        )),
        _ => {}
    }
}

/// `playground clock [speed SPEED | pause | resume | advance DURATION]`.
fn clock(args: &[String], pg: &mut Playground, out: &mut Output) -> i32 {
    let speed = match args.first().map(String::as_str) {
        None => {
            out.outln(&format!(
                "Cluster time: {} UTC, {}",
                format_log_timestamp(pg.cluster.now_ms()),
                describe_speed(pg.clock_speed)
            ));
            return 0;
        }
        Some("advance") => return advance(&args[1..], pg, out),
        Some("pause") => Some(0),
        Some("resume") => Some(1),
        Some("speed") => args.get(1).and_then(|s| parse_speed(s)),
        Some(_) => None,
    };
    match speed {
        Some(speed) => {
            pg.clock_speed = speed;
            out.outln(&format!("Clock {}.", describe_speed(speed)));
            0
        }
        None => {
            out.errln(&format!(
                "playground clock: expected 'speed' and one of pause, 1x, 60x, 3600x (any whole number up to {MAX_CLOCK_SPEED})"
            ));
            1
        }
    }
}

/// `playground memory [LIMIT]`: the record data (keys and values) the cluster holds, and the
/// limit beyond which produces are refused, so a runaway producer cannot take the page down.
fn memory(limit: Option<&str>, pg: &mut Playground, out: &mut Output) -> i32 {
    let held = pg.cluster.record_data_bytes();
    let Some(text) = limit else {
        let limit = pg.cluster.record_data_limit();
        let share = if limit == 0 {
            100.0
        } else {
            held as f64 * 100.0 / limit as f64
        };
        out.outln(&format!(
            "Record data (keys and values): {} of {} ({share:.1}%).",
            format_size(held),
            format_size(limit)
        ));
        out.outln("Produces are refused (KAFKA_STORAGE_ERROR) once the limit is reached. Change it with: playground memory LIMIT (e.g. 64MB, 512MB, 1GB).");
        return 0;
    };
    let Some(bytes) = parse_size(text) else {
        out.errln(&format!(
            "playground memory: expected a size such as 64MB, 512MB or 1GB (at most {}), not '{text}'",
            format_size(MAX_RECORD_DATA_LIMIT)
        ));
        return 1;
    };
    pg.cluster.set_record_data_limit(bytes);
    out.outln(&format!(
        "Memory limit set to {} of record data (the cluster holds {}).",
        format_size(bytes),
        format_size(held)
    ));
    if held > bytes {
        out.outln("It already holds more: produces are refused until retention, compaction, kafka-delete-records.sh or deleted topics free enough.");
    }
    0
}

/// `playground authorizer`: what `server.properties` would set on every broker before a
/// restart, `authorizer.class.name` (KRaft's `StandardAuthorizer`) with the PLAINTEXT
/// listener's `User:ANONYMOUS` as a super user, so the tools keep working.
fn authorizer(action: Option<&str>, pg: &mut Playground, out: &mut Output) -> i32 {
    use crate::engine::acls::STANDARD_AUTHORIZER;
    let acls = pg.cluster.acls_mut();
    match action {
        None => {}
        Some("on") => acls.authorizer = Some(STANDARD_AUTHORIZER.to_string()),
        Some("off") => acls.authorizer = None,
        Some(other) => {
            out.errln(&format!(
                "playground authorizer: expected on or off, not '{other}'"
            ));
            return 1;
        }
    }
    match &pg.cluster.acls().authorizer {
        Some(class) => {
            out.outln(&format!("authorizer.class.name={class}"));
            out.outln("super.users=User:ANONYMOUS");
        }
        None => out.outln(
            "No authorizer: the brokers answer kafka-acls.sh with SecurityDisabledException. Turn one on with: playground authorizer on",
        ),
    }
    0
}

/// The highest memory limit: 64 GB, far beyond what a browser tab can hold.
const MAX_RECORD_DATA_LIMIT: u64 = 64 << 30;

/// `512MB`, `1.5GB`, `64m`, `100KB`, `4096B`; a bare number is megabytes.
pub fn parse_size(text: &str) -> Option<u64> {
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (num, unit) = text.split_at(split);
    let n: f64 = crate::decimal::parse_f64(num).filter(|n: &f64| n.is_finite())?;
    let factor: u64 = match unit.to_ascii_lowercase().as_str() {
        "b" | "bytes" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "" | "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return None,
    };
    let bytes = (n * factor as f64).round();
    (bytes <= MAX_RECORD_DATA_LIMIT as f64).then_some(bytes as u64)
}

fn describe_speed(speed: u32) -> String {
    match speed {
        0 => "paused: time moves only with 'playground advance' and 'sleep'".to_string(),
        1 => "running at real time (1×)".to_string(),
        n => format!("running {n}× faster than real time"),
    }
}

/// `pause`, `0`, `1`, `1x`, `60x`, `3600×`.
fn parse_speed(text: &str) -> Option<u32> {
    if matches!(text, "pause" | "paused" | "stop") {
        return Some(0);
    }
    let digits = text.strip_suffix(['x', 'X', '×']).unwrap_or(text);
    digits.parse::<u32>().ok().filter(|n| *n <= MAX_CLOCK_SPEED)
}

fn ids(pg: &Playground) -> String {
    pg.cluster
        .broker_ids()
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn status(pg: &Playground, out: &mut Output) {
    let c = &pg.cluster;
    let ids: Vec<String> = c.broker_ids().iter().map(|id| id.to_string()).collect();
    out.outln(&format!(
        "Cluster: {} brokers (node ids {}), KRaft, bootstrap server localhost:9092",
        ids.len(),
        ids.join(", ")
    ));
    for b in c.brokers() {
        let state = match (b.running, b.fenced, b.isolated, b.slow) {
            (false, true, _, _) => "stopped",
            (false, false, _, _) => "crashed (not fenced yet)",
            (true, true, true, _) => "isolated, fenced",
            (true, false, true, _) => "isolated",
            (true, true, false, _) => "fenced",
            (true, false, false, true) => "running, slow follower",
            (true, false, false, false) => "running",
        };
        let leads = c
            .topics()
            .flat_map(|t| t.partitions().iter())
            .filter(|p| p.leader() == Some(b.id))
            .count();
        let rack = b
            .rack
            .as_ref()
            .map_or(String::new(), |r| format!(", rack {r}"));
        out.outln(&format!(
            "  broker {}: {state}{rack}, leader of {leads} partition(s)",
            b.id
        ));
    }
    out.outln(&format!(
        "Clock:   {} UTC, {}",
        format_log_timestamp(c.now_ms()),
        describe_speed(pg.clock_speed)
    ));
    let topics: Vec<String> = c
        .topics()
        .map(|t| {
            let records: usize = t.partitions().iter().map(|p| p.log().len()).sum();
            format!(
                "{} ({} partitions, {} records)",
                t.name(),
                t.partitions().len(),
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

    /// Runs `playground LINE`, returning its exit status and what it printed.
    fn run_line(pg: &mut Playground, line: &str) -> (i32, String) {
        let mut out = Output::new();
        let args: Vec<String> = line.split_whitespace().map(String::from).collect();
        let code = run(&args, pg, &mut out);
        (code, out.text())
    }

    #[test]
    fn the_authorizer_goes_on_and_off() {
        let mut pg = Playground::new(Cluster::new(ClusterConfig::default()));
        assert!(pg.cluster.acls().authorizer.is_none());
        assert_eq!(run_line(&mut pg, "authorizer on").0, 0);
        assert_eq!(
            pg.cluster.acls().authorizer.as_deref(),
            Some("org.apache.kafka.metadata.authorizer.StandardAuthorizer")
        );
        assert_eq!(
            run_line(&mut pg, "authorizer maybe"),
            (
                1,
                "playground authorizer: expected on or off, not 'maybe'\n".into()
            )
        );
        assert_eq!(run_line(&mut pg, "authorizer off").0, 0);
        assert!(pg.cluster.acls().authorizer.is_none());
    }

    #[test]
    fn the_clock_says_where_it_ends() {
        let mut pg = Playground::new(Cluster::new(ClusterConfig::default()));
        let (code, text) = run_line(&mut pg, "advance 3000000d");
        assert_eq!(code, 0);
        assert!(
            text.ends_with(
                "to 9999-12-31 23:59:59,999, its end: short of the 3000000d asked for\n"
            ),
            "{text}"
        );
        let (code, text) = run_line(&mut pg, "advance 1s");
        assert_eq!(code, 1);
        assert_eq!(
            text,
            "playground advance: the clock is at its end (9999-12-31 23:59:59,999) and cannot move further\n"
        );
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("512MB"), Some(512 << 20));
        assert_eq!(parse_size("1.5gb"), Some(3 << 29));
        assert_eq!(parse_size("64"), Some(64 << 20));
        assert_eq!(parse_size("100KB"), Some(102_400));
        assert_eq!(parse_size("4096b"), Some(4096));
        assert_eq!(parse_size("0"), Some(0));
        assert_eq!(parse_size("65GB"), None);
        assert_eq!(parse_size("x"), None);
        assert_eq!(parse_size("5TB"), None);
        assert_eq!(parse_size(""), None);
    }

    #[test]
    fn memory_limit() {
        let mut pg = Playground::new(Cluster::new(ClusterConfig::default()));
        let mut run_text = |line: &str| run_line(&mut pg, line);
        assert!(
            run_text("memory")
                .1
                .starts_with("Record data (keys and values): 0 bytes of 256 MB (0.0%).\n")
        );
        assert_eq!(
            run_text("memory 1GB"),
            (
                0,
                "Memory limit set to 1 GB of record data (the cluster holds 0 bytes).\n".into()
            )
        );
        assert_eq!(run_text("memory lots").0, 1);
        // A fresh cluster keeps the limit.
        run_text("reset");
        assert!(run_text("memory").1.contains(" of 1 GB "));
    }

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
    fn broker_commands() {
        let mut pg = Playground::new(Cluster::new(ClusterConfig::default()));
        let mut run_text = |line: &str| run_line(&mut pg, line);
        assert_eq!(
            run_text("broker stop 2"),
            (
                0,
                "Broker 2 shut down cleanly: its partitions moved to other in-sync replicas where there were any.\n".into()
            )
        );
        assert_eq!(
            run_text("broker stop 2"),
            (
                1,
                "playground broker stop: Broker 2 is not running.\n".into()
            )
        );
        assert_eq!(run_text("broker start 7").0, 1);
        assert!(
            run_text("broker stop")
                .1
                .starts_with("playground broker stop: expected a broker id (one of 1, 2, 3)")
        );
        assert_eq!(
            run_text("broker add"),
            (
                0,
                "Broker 4 started and registered with the controller.\n".into()
            )
        );
        assert!(
            run_text("status")
                .1
                .contains("  broker 2: stopped, leader of 0 partition(s)")
        );
    }

    #[test]
    fn clock_speed() {
        let mut pg = Playground::new(Cluster::new(ClusterConfig::default()));
        let mut run_text = |line: &str| run_line(&mut pg, line);
        assert_eq!(
            run_text("clock"),
            (
                0,
                "Cluster time: 2025-01-01 00:00:00,000 UTC, running at real time (1×)\n".into()
            )
        );
        assert_eq!(
            run_text("clock speed 60x"),
            (0, "Clock running 60× faster than real time.\n".into())
        );
        assert_eq!(run_text("clock pause").0, 0);
        assert_eq!(run_text("clock speed 100000").0, 1);
        assert_eq!(run_text("clock speed fast").0, 1);
        assert!(run_text("reset").1.starts_with("Started a fresh cluster"));
        assert!(run_text("clock").1.contains("paused"));
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
