//! Every command the console knows, declared once: its name, what Tab offers after it, its
//! line in `help`, and how it runs. Dispatch (`terminal.rs`), completion (`complete.rs`),
//! `help` (`help.rs`), the "did you mean" hint and the script export all read [`COMMANDS`].
//!
//! Invariant: no other file lists command names; a command added here is dispatched,
//! completed and listed by `help` without another edit.

use super::builtins::{self, BuiltinFn};
use super::options::Opt;
use super::output::Output;
use super::playground_cmd::{self, Subcommand};
use super::session::Playground;
use super::shell_commands;
use super::terminal::Terminal;
use super::tools::{self, OpenedFn, Opening, Start, ToolFn};

/// A command of the terminal itself (its history, screen, jobs): it ends a pipeline.
pub type TerminalFn = fn(&mut Terminal, &mut Playground, &[String], &mut Output) -> i32;

/// How a command runs.
#[derive(Clone, Copy)]
pub enum Run {
    /// A Kafka tool: it may keep running as a session (a consumer, a typed-into producer).
    Tool(Start),
    /// A shell utility: reads what is piped in, may stand anywhere in a pipeline.
    Builtin(BuiltinFn),
    /// The terminal's own: only at the end of a pipeline.
    Terminal(TerminalFn),
}

/// What Tab offers after the command's name.
#[derive(Clone, Copy)]
pub enum Args {
    /// Kafka's options (`--topic`), then the value the option expects.
    Options(&'static [Opt]),
    /// The session's files.
    Files,
    /// `playground`'s subcommands and their values.
    Subcommands(&'static [Subcommand]),
    /// Nothing Tab could guess.
    Free,
}

/// Where `help` lists a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Kafka,
    Shell,
    Playground,
}

#[derive(Clone, Copy)]
pub struct Command {
    pub name: &'static str,
    /// What follows the name in `help`'s line (`[-9] %N`); empty for the Kafka tools.
    pub usage: &'static str,
    /// `help`'s line.
    pub help: &'static str,
    pub section: Section,
    /// Whether a session exported as a bash script keeps it (the console's own commands
    /// become comments there).
    pub scripted: bool,
    pub args: Args,
    pub run: Run,
}

impl Command {
    /// The Kafka options it takes (none for the shell's commands).
    pub fn options(&self) -> &'static [Opt] {
        match self.args {
            Args::Options(options) => options,
            _ => &[],
        }
    }
}

/// A Kafka tool that opens as jopt-simple tools do.
const fn opened(
    name: &'static str,
    help: &'static str,
    opening: &'static Opening,
    run: OpenedFn,
) -> Command {
    Command {
        name,
        usage: "",
        help,
        section: Section::Kafka,
        scripted: true,
        args: Args::Options(opening.options),
        run: Run::Tool(Start::Opened(opening, run)),
    }
}

/// A Kafka tool that reads its own arguments.
const fn tool(
    name: &'static str,
    help: &'static str,
    options: &'static [Opt],
    run: ToolFn,
) -> Command {
    Command {
        name,
        usage: "",
        help,
        section: Section::Kafka,
        scripted: true,
        args: Args::Options(options),
        run: Run::Tool(Start::Args(run)),
    }
}

const fn shell(
    name: &'static str,
    usage: &'static str,
    help: &'static str,
    args: Args,
    run: Run,
) -> Command {
    Command {
        name,
        usage,
        help,
        section: Section::Shell,
        scripted: true,
        args,
        run,
    }
}

/// A command only the playground's console has: an exported script keeps it as a comment.
const fn console(
    section: Section,
    name: &'static str,
    usage: &'static str,
    help: &'static str,
    run: TerminalFn,
) -> Command {
    Command {
        name,
        usage,
        help,
        section,
        scripted: false,
        args: Args::Free,
        run: Run::Terminal(run),
    }
}

pub const COMMANDS: &[Command] = &[
    opened(
        "kafka-topics.sh",
        "create, list, describe, alter and delete topics",
        &tools::topics::OPENING,
        tools::topics::run,
    ),
    opened(
        "kafka-console-producer.sh",
        "send records, one per line (Ctrl+D ends input)",
        &tools::console_producer::OPENING,
        tools::console_producer::run,
    ),
    opened(
        "kafka-console-consumer.sh",
        "read records (Ctrl+C stops)",
        &tools::console_consumer::OPENING,
        tools::console_consumer::run,
    ),
    opened(
        "kafka-consumer-groups.sh",
        "list, describe, delete groups; reset their offsets",
        &tools::consumer_groups::OPENING,
        tools::consumer_groups::run,
    ),
    opened(
        "kafka-share-groups.sh",
        "list, describe, delete share groups; reset their start offsets",
        &tools::share_groups::OPENING,
        tools::share_groups::run,
    ),
    opened(
        "kafka-console-share-consumer.sh",
        "read records as a member of a share group (Ctrl+C stops)",
        &tools::console_share_consumer::OPENING,
        tools::console_share_consumer::run,
    ),
    opened(
        "kafka-leader-election.sh",
        "preferred or unclean leader elections",
        &tools::leader_election::OPENING,
        tools::leader_election::run,
    ),
    opened(
        "kafka-reassign-partitions.sh",
        "move partitions between brokers (generate, execute, verify)",
        &tools::reassign_partitions::OPENING,
        tools::reassign_partitions::run,
    ),
    tool(
        "kafka-metadata-quorum.sh",
        "the KRaft controller quorum (describe --status/--replication)",
        &[],
        tools::metadata_quorum::run,
    ),
    opened(
        "kafka-acls.sh",
        "add, list and remove ACLs (with playground authorizer on)",
        &tools::acls::OPENING,
        tools::acls::run,
    ),
    tool(
        "kafka-features.sh",
        "feature flags: describe, upgrade, downgrade, disable, version-mapping",
        &[],
        tools::features::run,
    ),
    tool(
        "kafka-cluster.sh",
        "cluster-id, unregister",
        tools::cluster_tool::OPTIONS,
        tools::cluster_tool::run,
    ),
    tool(
        "kafka-configs.sh",
        "describe and alter topic and broker configs",
        tools::configs::OPENING.options,
        tools::configs::run,
    ),
    opened(
        "kafka-get-offsets.sh",
        "offsets by time (latest, earliest, max-timestamp, a timestamp)",
        &tools::get_offsets::OPENING,
        tools::get_offsets::run,
    ),
    opened(
        "kafka-delete-records.sh",
        "move partitions' log start offsets up",
        &tools::delete_records::OPENING,
        tools::delete_records::run,
    ),
    opened(
        "kafka-log-dirs.sh",
        "log directories and partition sizes per broker (JSON)",
        &tools::log_dirs::OPENING,
        tools::log_dirs::run,
    ),
    opened(
        "kafka-dump-log.sh",
        "print a segment file's batches and records",
        &tools::dump_log::OPENING,
        tools::dump_log::run,
    ),
    opened(
        "kafka-broker-api-versions.sh",
        "the API versions each broker supports",
        &tools::broker_api_versions::OPENING,
        tools::broker_api_versions::run,
    ),
    tool(
        "kafka-storage.sh",
        "random-uuid; format a node's log directories; info",
        &[],
        tools::storage::run,
    ),
    tool(
        "kafka-server-start.sh",
        "start the node a server.properties describes (after kafka-storage.sh format)",
        &[],
        tools::server_start::run,
    ),
    tool(
        "connect-standalone.sh",
        "a Kafka Connect worker and the connectors its files describe (Ctrl+C stops it)",
        &[],
        tools::connect_standalone::run,
    ),
    tool(
        "connect-distributed.sh",
        "a Kafka Connect worker keeping its connectors in Kafka (REST: curl localhost:8083)",
        &[],
        tools::connect_standalone::run_distributed,
    ),
    tool(
        "kafka-run-class.sh",
        "run a Kafka Streams demo (…wordcount.WordCountDemo, …pipe.PipeDemo; Ctrl+C stops it)",
        &[],
        tools::run_class::run,
    ),
    tool(
        "kafka-streams-application-reset.sh",
        "reset a stopped Streams application: input offsets, internal topics",
        &[],
        tools::streams_reset::run,
    ),
    tool(
        "kafka-producer-perf-test.sh",
        "send N records, at full speed or a set rate; print throughput",
        tools::producer_perf::OPTIONS,
        tools::producer_perf::run,
    ),
    tool(
        "kafka-verifiable-producer.sh",
        "produce 0, 1, 2, ... and print each send's outcome as JSON",
        tools::verifiable_producer::OPTIONS,
        tools::verifiable_producer::run,
    ),
    tool(
        "kafka-verifiable-consumer.sh",
        "read a topic in a group; print rebalances, records and commits as JSON",
        tools::verifiable_consumer::OPTIONS,
        tools::verifiable_consumer::run,
    ),
    tool(
        "kafka-consumer-perf-test.sh",
        "read N records in a group; print throughput and fetch time",
        tools::consumer_perf::OPTIONS,
        tools::consumer_perf::run,
    ),
    tool(
        "kafka-transactions.sh",
        "list, describe transactions; producers of a partition; find and abort hanging ones",
        tools::transactions::OPTIONS,
        tools::transactions::run,
    ),
    shell(
        "echo",
        "[-n] [-e] WORDS",
        "print words (pipe them into a tool)",
        Args::Free,
        Run::Builtin(builtins::echo),
    ),
    shell(
        "printf",
        "FORMAT [ARGS]",
        "print formatted text (%s %d \\n), the format once per set of arguments",
        Args::Free,
        Run::Builtin(builtins::printf),
    ),
    shell(
        "seq",
        "[FIRST [STEP]] LAST",
        "print numbers, one a line",
        Args::Free,
        Run::Builtin(builtins::seq),
    ),
    shell(
        "cat",
        "[FILE...]",
        "print files, or what is piped in; cat > f <<EOF writes one",
        Args::Files,
        Run::Builtin(builtins::cat),
    ),
    shell(
        "more",
        "[FILE...]",
        "print files (as cat does when not on a terminal)",
        Args::Files,
        Run::Builtin(builtins::cat),
    ),
    shell(
        "curl",
        "[-X METHOD] [-H HEADER] [-d DATA] [-i] URL",
        "talk to a Kafka Connect worker's REST API (localhost:8083)",
        Args::Free,
        Run::Builtin(super::curl::curl),
    ),
    shell(
        "ls",
        "[FILE...]",
        "list the files written in this session",
        Args::Files,
        Run::Builtin(builtins::ls),
    ),
    shell(
        "rm",
        "[-f] FILE...",
        "remove files",
        Args::Files,
        Run::Builtin(builtins::rm),
    ),
    shell(
        "tar",
        "-xzf ARCHIVE",
        "extract the Kafka download (again: its files as they came)",
        Args::Files,
        Run::Builtin(builtins::tar),
    ),
    shell(
        "cd",
        "[DIR | -]",
        "change the current directory",
        Args::Files,
        Run::Terminal(shell_commands::cd),
    ),
    shell(
        "pwd",
        "",
        "print the current directory",
        Args::Free,
        Run::Terminal(shell_commands::pwd),
    ),
    shell(
        "export",
        "[NAME[=VALUE]...]",
        "set a variable for the commands run from here ($NAME, ${NAME}, $(cmd) expand)",
        Args::Free,
        Run::Terminal(shell_commands::export),
    ),
    shell(
        "unset",
        "NAME...",
        "remove variables",
        Args::Free,
        Run::Terminal(shell_commands::unset),
    ),
    shell(
        "env",
        "",
        "print the exported variables",
        Args::Free,
        Run::Terminal(shell_commands::env),
    ),
    shell(
        "printenv",
        "[NAME...]",
        "print exported variables' values",
        Args::Free,
        Run::Terminal(shell_commands::printenv),
    ),
    shell(
        "true",
        "",
        "do nothing, successfully",
        Args::Free,
        Run::Builtin(|_, _, _, _| 0),
    ),
    shell(
        ":",
        "",
        "do nothing, successfully",
        Args::Free,
        Run::Builtin(|_, _, _, _| 0),
    ),
    shell(
        "false",
        "",
        "do nothing, unsuccessfully (exit status 1)",
        Args::Free,
        Run::Builtin(|_, _, _, _| 1),
    ),
    shell(
        "sleep",
        "SECONDS",
        "let time pass on the cluster's clock, instantly (s, m, h, d suffixes)",
        Args::Free,
        Run::Builtin(builtins::sleep),
    ),
    shell(
        "jobs",
        "",
        "list background jobs (CMD & starts one)",
        Args::Free,
        Run::Terminal(Terminal::list_jobs),
    ),
    shell(
        "fg",
        "[%N]",
        "bring a background job to the foreground",
        Args::Free,
        Run::Terminal(Terminal::foreground),
    ),
    shell(
        "kill",
        "[-9] %N",
        "stop a background job (-9: no clean leave)",
        Args::Free,
        Run::Terminal(Terminal::kill),
    ),
    console(
        Section::Shell,
        "history",
        "",
        "past commands",
        Terminal::print_history,
    ),
    console(
        Section::Shell,
        "clear",
        "",
        "clear the screen (Ctrl+L)",
        Terminal::request_clear,
    ),
    Command {
        name: "playground",
        usage: "[SUBCOMMAND]",
        help: "the simulated cluster: its brokers, its clock, a fresh start",
        section: Section::Playground,
        scripted: false,
        args: Args::Subcommands(playground_cmd::SUBCOMMANDS),
        run: Run::Terminal(|_, pg, args, out| playground_cmd::run(args, pg, out)),
    },
    // The browser's workbench answers `undo` itself (it keeps the earlier states).
    console(
        Section::Playground,
        "undo",
        "",
        "(browser) take back the last command that changed the cluster",
        |_, _, _, out| {
            out.errln("undo: only in the browser console, which keeps the cluster's last states");
            1
        },
    ),
    console(
        Section::Playground,
        "help",
        "",
        "this list",
        |_, _, _, out| {
            out.out(&super::help::help());
            0
        },
    ),
];

/// Why a script a tutorial may name is not a command here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// A script of the distribution a tab cannot hold (it needs a JVM, a second cluster or a
    /// security setup): what it does, for one honest line instead of "command not found".
    Elsewhere(&'static str),
    /// ZooKeeper's scripts: gone from Kafka 4, which runs in KRaft mode only.
    ZooKeeper,
    /// Starts or stops servers: the playground's cluster is always running.
    Server,
}

/// Scripts tutorials name that are no command here, by name without `.sh`.
pub const MISSING: &[(&str, Missing)] = &[
    (
        "connect-mirror-maker",
        Missing::Elsewhere(
            "runs MirrorMaker 2, which copies topics from one Kafka cluster to another (the playground has one cluster)",
        ),
    ),
    (
        "connect-plugin-path",
        Missing::Elsewhere(
            "lists and migrates the Connect plugins on a worker's plugin.path (KIP-898)",
        ),
    ),
    (
        "kafka-client-metrics",
        Missing::Elsewhere(
            "manages client metrics subscriptions, which a metrics reporter plugin on the brokers serves (KIP-714)",
        ),
    ),
    (
        "kafka-delegation-tokens",
        Missing::Elsewhere(
            "creates, renews, expires and describes delegation tokens, which need SASL authentication",
        ),
    ),
    (
        "kafka-e2e-latency",
        Missing::Elsewhere(
            "measures the time from producing a record to consuming it, on a real network",
        ),
    ),
    (
        "kafka-groups",
        Missing::Elsewhere(
            "lists groups of every type (KIP-1043); here kafka-consumer-groups.sh --list and kafka-share-groups.sh --list show them",
        ),
    ),
    (
        "kafka-jmx",
        Missing::Elsewhere("reads JMX metrics from a running Kafka JVM"),
    ),
    (
        "kafka-metadata-shell",
        Missing::Elsewhere(
            "browses a KRaft metadata log's files offline; here kafka-metadata-quorum.sh describes the quorum",
        ),
    ),
    (
        "kafka-replica-verification",
        Missing::Elsewhere(
            "fetches every replica of some topics and checks they hold the same records",
        ),
    ),
    (
        "kafka-share-consumer-perf-test",
        Missing::Elsewhere("measures share consumers' throughput"),
    ),
    (
        "kafka-streams-groups",
        Missing::Elsewhere(
            "describes and manages groups of the streams rebalance protocol (KIP-1071)",
        ),
    ),
    (
        "kafka-verifiable-share-consumer",
        Missing::Elsewhere("a share consumer for Kafka's system tests that prints JSON events"),
    ),
    (
        "trogdor",
        Missing::Elsewhere(
            "starts Trogdor, Kafka's fault-injection and workload framework for system tests",
        ),
    ),
    ("kafka-server-stop", Missing::Server),
    ("zookeeper-server-start", Missing::ZooKeeper),
    ("zookeeper-server-stop", Missing::ZooKeeper),
    ("zookeeper-shell", Missing::ZooKeeper),
];

/// Why `base` (a script's name without its folder and `.sh`) is not a command, if it is one
/// tutorials name.
pub fn missing(base: &str) -> Option<Missing> {
    MISSING.iter().find(|(n, _)| *n == base).map(|(_, m)| *m)
}

/// The command a word names. A Kafka tool answers to `kafka-topics.sh`, `bin/kafka-topics.sh`,
/// `./bin/kafka-topics.sh` and `kafka-topics`; the others to their exact name.
pub fn find(word: &str) -> Option<&'static Command> {
    if let Some(command) = COMMANDS.iter().find(|c| c.name == word) {
        return Some(command);
    }
    let base = word.rsplit('/').next().unwrap_or(word);
    let base = base.strip_suffix(".sh").unwrap_or(base);
    COMMANDS
        .iter()
        .filter(|c| c.section == Section::Kafka)
        .find(|c| c.name.strip_suffix(".sh") == Some(base))
}

/// The Kafka tool a word names, with its canonical name.
pub fn tool_named(word: &str) -> Option<(&'static str, Start)> {
    match find(word)? {
        Command {
            name,
            run: Run::Tool(run),
            ..
        } => Some((name, *run)),
        _ => None,
    }
}

/// The Kafka tools, in `help`'s order.
pub fn tools() -> impl Iterator<Item = &'static Command> {
    COMMANDS.iter().filter(|c| c.section == Section::Kafka)
}

/// The closest command to a mistyped word, if it is close enough to be a typo.
pub fn suggest(typed: &str) -> Option<&'static str> {
    COMMANDS
        .iter()
        .map(|c| {
            let name = c.name.trim_end_matches(".sh");
            (edit_distance(typed, name), c.name, name.chars().count())
        })
        // Short names are close to every short word: a typo changes at most half of one.
        .filter(|(d, _, len)| *d <= 3 && d * 2 <= *len)
        .min()
        .map(|(_, name, _)| name)
}

pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for j in 0..b.len() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != b[j]))
                .min(row[j] + 1)
                .min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    /// The README's table of `bin/` lists every script of the download once, and says "yes"
    /// (or names what runs) exactly for the scripts that are commands here.
    #[test]
    fn the_readme_table_of_scripts_matches_the_registry() {
        let readme = include_str!("../../README.md");
        let start = readme
            .find("### Every script of `bin/`")
            .expect("README has the table of scripts");
        let rows: Vec<(&str, &str)> = readme[start..]
            .lines()
            .skip_while(|l| !l.starts_with("|--"))
            .skip(1)
            .take_while(|l| l.starts_with('|'))
            .filter_map(|l| {
                let mut cells = l.split('|').map(str::trim).skip(1);
                Some((cells.next()?.trim_matches('`'), cells.next()?))
            })
            .collect();
        let listed: Vec<&str> = rows.iter().map(|(s, _)| *s).collect();
        assert_eq!(listed, super::super::distribution::SCRIPTS, "README rows");
        for (script, runs) in rows {
            let runs_here = !matches!(runs, "no" | "not yet");
            assert_eq!(super::find(script).is_some(), runs_here, "{script}: {runs}");
        }
    }

    /// Every script of the download's `bin/` is a command here or answers with why it is not:
    /// none is "command not found".
    #[test]
    fn every_script_of_the_distribution_answers() {
        for script in super::super::distribution::SCRIPTS {
            let base = script.strip_suffix(".sh").unwrap_or(script);
            assert!(
                super::find(script).is_some() || super::missing(base).is_some(),
                "{script} is neither a command nor listed as missing"
            );
        }
    }

    use super::*;
    use crate::console::complete::complete;
    use crate::console::help::{help, join};
    use crate::console::script::run_script;
    use crate::engine::{Cluster, ClusterConfig};

    fn pg() -> Playground {
        Playground::scripted(Cluster::new(ClusterConfig::default()))
    }

    /// Runs one line in a batch terminal: (stdout and stderr, exit status).
    fn run(line: &str) -> (String, i32) {
        let mut pg = pg();
        let mut t = Terminal::batch();
        let text = t.enter(&mut pg, line).text() + &t.end_of_script(&mut pg).text();
        (text, t.last_status())
    }

    #[test]
    fn no_two_commands_share_a_name() {
        let mut names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
        names.sort_unstable();
        let count = names.len();
        names.dedup();
        assert_eq!(names.len(), count, "{names:?}");
        let mut subs: Vec<&str> = playground_cmd::SUBCOMMANDS
            .iter()
            .flat_map(|s| std::iter::once(s.name).chain(s.aliases.iter().copied()))
            .collect();
        subs.sort_unstable();
        let count = subs.len();
        subs.dedup();
        assert_eq!(subs.len(), count, "{subs:?}");
    }

    #[test]
    fn every_command_completes() {
        for c in COMMANDS {
            let completion = complete(c.name, &pg()).map(|c| c.line);
            let other_name_extends_it = COMMANDS
                .iter()
                .any(|o| o.name != c.name && o.name.starts_with(c.name));
            if other_name_extends_it {
                // Tab stops at the name and lists the longer ones too.
                assert_eq!(completion.as_deref(), Some(c.name), "{}", c.name);
            } else {
                assert_eq!(completion, Some(format!("{} ", c.name)), "{}", c.name);
            }
        }
        for sub in playground_cmd::SUBCOMMANDS {
            let line = format!("playground {}", sub.name);
            assert_eq!(
                complete(&line, &pg()).map(|c| c.line),
                Some(format!("{line} ")),
                "{line}"
            );
        }
        // Every Kafka option of every tool.
        for c in tools() {
            for option in c.options() {
                let line = format!("{} --{}", c.name, option.name);
                let completion = complete(&line, &pg()).map(|c| c.line).unwrap_or_default();
                assert!(completion.starts_with(&line), "{line}: {completion}");
            }
        }
    }

    #[test]
    fn every_command_is_in_help() {
        let help = help();
        // A row: two spaces, the command and its usage, spaces, its help line.
        let has_row = |left: &str, right: &str| {
            help.lines().any(|l| {
                l.strip_prefix("  ")
                    .and_then(|l| l.strip_prefix(left))
                    .and_then(|l| l.strip_suffix(right))
                    .is_some_and(|gap| gap.len() >= 2 && gap.trim().is_empty())
            })
        };
        for c in COMMANDS {
            assert!(has_row(&join(&[c.name, c.usage]), c.help), "{}", c.name);
            if let Args::Subcommands(subs) = c.args {
                for sub in subs {
                    let left = join(&[c.name, sub.name, sub.usage]);
                    assert!(has_row(&left, sub.help), "{left}");
                    let listed = playground_cmd::usage().lines().any(|l| {
                        let mut words = l.split_whitespace().skip_while(|w| *w != "playground");
                        words.nth(1).map(|w| w.trim_matches(['[', ']'])) == Some(sub.name)
                    });
                    assert!(listed, "playground help lacks {}", sub.name);
                }
            }
        }
        assert_eq!(run("help"), (help.clone(), 0));
    }

    #[test]
    fn every_command_dispatches() {
        for c in COMMANDS {
            let (text, _) = run(c.name);
            assert!(!text.contains("command not found"), "{}: {text}", c.name);
        }
        for sub in playground_cmd::SUBCOMMANDS {
            let (text, _) = run(&format!("playground {}", sub.name));
            assert!(!text.contains("unknown subcommand"), "{}: {text}", sub.name);
        }
        // Every broker action `playground help` lists is one the command takes.
        let broker = playground_cmd::find("broker").expect("declared");
        for (form, _) in broker.forms {
            let action = form.split(' ').next().unwrap_or_default();
            let (text, _) = run(&format!("playground broker {action} 1"));
            assert!(!text.contains("unknown action"), "{action}: {text}");
        }
    }

    #[test]
    fn what_runs_is_what_is_declared() {
        // Words a person may type at a shell: each is a registered command, a script the
        // registry says is missing, or not found. A command dispatched without being
        // registered (so missing from help and Tab) fails here.
        let words = "exit quit logout cd pwd export source alias unalias set unset env read \
            test type which man help2 bg wait disown time watch grep head tail wc sort uniq tee \
            xargs sed awk cut tr curl jq kcat kafkacat docker vi vim nano less more touch mkdir \
            cp mv chmod date whoami ps top status advance broker reset clock memory redo q \
            kafka-acls.sh kafka-acl.sh kafka-storage.sh zookeeper-shell.sh kafka-server-start.sh \
            kafka-streams.sh kafka-mirror-maker.sh connect-standalone.sh";
        for word in words.split_whitespace() {
            let (text, status) = run(word);
            let base = word.strip_suffix(".sh").unwrap_or(word);
            if find(word).is_none() && missing(base).is_none() {
                assert_eq!(status, 127, "{word}: {text}");
                assert!(
                    text.starts_with(&format!("bash: {word}: command not found\n")),
                    "{word}: {text}"
                );
            }
        }
        assert_eq!(run("kafka-acls.sh").1, 1);
        assert_eq!(run("kafka-server-stop.sh").1, 0);
        assert_eq!(run("kafka-server-start.sh").1, 1);
        assert_eq!(
            find("./bin/kafka-topics").map(|c| c.name),
            Some("kafka-topics.sh")
        );
        assert!(find("bin/echo").is_none());
        // Builtins pipe; the terminal's own commands and tools end a pipeline.
        assert_eq!(run("echo a | cat"), ("a\n".into(), 0));
        assert_eq!(
            run("kafka-topics.sh | cat").0,
            "bash: kafka-topics.sh: the playground runs Kafka tools only at the end of a pipeline\n"
        );
    }

    #[test]
    fn suggestions_come_from_the_registry() {
        assert_eq!(suggest("kafka-topic"), Some("kafka-topics.sh"));
        assert_eq!(suggest("hepl"), Some("help"));
        assert_eq!(suggest("histroy"), Some("history"));
        assert_eq!(suggest("nosuchcommand"), None);
        assert_eq!(suggest("vim"), None);
    }

    #[test]
    fn scripts_keep_what_bash_can_run() {
        let kept: Vec<&str> = COMMANDS
            .iter()
            .filter(|c| !c.scripted)
            .map(|c| c.name)
            .collect();
        assert_eq!(kept, ["history", "clear", "playground", "undo", "help"]);
        let mut pg = pg();
        let out = run_script(&mut pg, &mut Terminal::batch(), "undo", false).text();
        assert!(out.contains("only in the browser console"), "{out}");
    }
}
