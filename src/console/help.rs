//! `help`: the playground's introduction, then every command the registry declares, by
//! section, a line each, and the shell syntax no command owns.

use super::registry::{Args, COMMANDS, Section};

const INTRO: &str = "\
Kafka Playground: a Kafka cluster (3 brokers, KRaft) running in this page.
Type the commands from any Kafka tutorial; the bootstrap server is localhost:9092.
KRaft, not ZooKeeper: Kafka 4 keeps the cluster's metadata (topics, partitions, leaders, ISRs,
configs) in its own replicated log, __cluster_metadata, which a quorum of controllers keeps
with the Raft protocol; brokers follow it from the active controller. Here each broker is also
a controller (combined mode, process.roles=broker,controller). A broker whose heartbeats stop
for 9 s (broker.session.timeout.ms) is fenced and loses its leaderships. ZooKeeper scripts and
--zookeeper options answer as Kafka 4 does: use --bootstrap-server localhost:9092 instead.
";

/// The shell's syntax, which no command owns.
const SYNTAX: &[(&str, &str)] = &[
    (
        "CMD | CMD",
        "pipe lines into a tool:  seq 1 5 | kafka-console-producer.sh ...",
    ),
    (
        "cat > f <<EOF ... EOF",
        "write a file; also  echo ... > f,  >> f,  < f",
    ),
    ("\\ at a line end", "continue the command on the next line"),
    (
        "CMD &",
        "run a tool in the background (e.g. a second consumer of a group);\n\
         in the browser, + opens another terminal tab on the same cluster",
    ),
    (
        "Tab, Ctrl+R",
        "(browser) complete a name or option; search the history",
    ),
    (
        "Esc then Tab",
        "(browser) leave the console for the page's other controls",
    ),
];

const TRY: &str = "\
Try:
  kafka-topics.sh --bootstrap-server localhost:9092 --create --topic quickstart-events --partitions 3
  kafka-console-producer.sh --bootstrap-server localhost:9092 --topic quickstart-events
  kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic quickstart-events --from-beginning
";

/// `help`: the introduction, then every command by section, a line each.
pub fn help() -> String {
    let mut text = String::from(INTRO);
    let mut section = |title: &str, rows: Vec<(String, &str)>| {
        text.push('\n');
        text.push_str(title);
        text.push('\n');
        for (left, right) in rows {
            for (i, line) in right.lines().enumerate() {
                let left = if i == 0 { left.as_str() } else { "" };
                text.push_str(&format!("  {left:<26}  {line}\n"));
            }
        }
    };
    let rows = |s: Section| -> Vec<(String, &str)> {
        COMMANDS
            .iter()
            .filter(|c| c.section == s)
            .flat_map(|c| {
                let own = (join(&[c.name, c.usage]), c.help);
                let subs: &[_] = match c.args {
                    Args::Subcommands(subs) => subs,
                    _ => &[],
                };
                std::iter::once(own).chain(
                    subs.iter()
                        .map(|sub| (join(&[c.name, sub.name, sub.usage]), sub.help)),
                )
            })
            .collect()
    };
    section("Kafka tools (each takes --help):", rows(Section::Kafka));
    section("Shell:", rows(Section::Shell));
    section(
        "Shell syntax:",
        SYNTAX.iter().map(|(l, r)| (l.to_string(), *r)).collect(),
    );
    section("Playground:", rows(Section::Playground));
    text.push('\n');
    text.push_str(TRY);
    text
}

pub(super) fn join(words: &[&str]) -> String {
    words
        .iter()
        .filter(|w| !w.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}
