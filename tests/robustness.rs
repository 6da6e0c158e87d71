//! Bad input of every kind gets an answer, never a panic: generated lines built from the pieces
//! people actually type (tool names, options, quotes, pipes, heredocs, numbers, odd bytes) are
//! fed to a terminal, in batch mode and interactively, and the playground must stay usable.
//!
//! The lines are `proptest` strategies: a panic shrinks to the fewest, shortest lines that
//! still cause it, printed as the lines typed.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use kafka_playground::console::{Playground, Prompt, Terminal};
use kafka_playground::engine::{Cluster, ClusterConfig};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

const PIECES: &[&str] = &[
    "kafka-topics.sh",
    "kafka-console-producer.sh",
    "kafka-console-consumer.sh",
    "bin/kafka-topics.sh",
    "--bootstrap-server",
    "localhost:9092",
    "localhost",
    "--create",
    "--list",
    "--describe",
    "--delete",
    "--alter",
    "--topic",
    "t",
    "orders",
    "a.b",
    "a_b",
    "bad@name",
    "--partitions",
    "--replication-factor",
    "0",
    "-1",
    "3",
    "99999999999999999999",
    "--config",
    "cleanup.policy=compact",
    "retention.ms=abc",
    "=",
    "--property",
    "parse.key=true",
    "key.separator=:",
    "print.key=true",
    "parse.headers=true",
    "null.marker=NULL",
    "--from-beginning",
    "--partition",
    "--offset",
    "earliest",
    "--max-messages",
    "--timeout-ms",
    "--group",
    "g1",
    "--help",
    "--version",
    "--zookeeper",
    "--if-exists",
    "--if-not-exists",
    "|",
    "echo",
    "printf",
    "'k:v\\n'",
    "seq",
    "1",
    "5",
    "cat",
    ">",
    "f.txt",
    "<",
    "<<EOF",
    "EOF",
    "'",
    "\"",
    "\\",
    "&&",
    ";",
    "#",
    "é",
    "\u{0}",
    "playground",
    "advance",
    "7d",
    "help",
    "history",
];

/// A line typed, and what the person does next.
#[derive(Debug, Clone)]
struct Typed {
    line: String,
    then: Then,
}

#[derive(Debug, Clone)]
enum Then {
    Nothing,
    CtrlC,
    CtrlD,
    /// Time passes (milliseconds), then the terminal is polled.
    Wait(i64),
}

fn typed() -> impl Strategy<Value = Typed> {
    let line = (vec(select(PIECES), 1..=12), prop::bool::weighted(0.25))
        .prop_map(|(words, glued)| words.join(if glued { "" } else { " " }));
    let then = prop_oneof![
        3 => Just(Then::Nothing),
        1 => Just(Then::CtrlC),
        1 => Just(Then::CtrlD),
        1 => (0..60_000i64).prop_map(Then::Wait),
    ];
    (line, then).prop_map(|(line, then)| Typed { line, then })
}

fn drive(terminal: &mut Terminal, pg: &mut Playground, lines: &[Typed]) {
    for typed in lines {
        let _ = terminal.enter(pg, &typed.line);
        match typed.then {
            Then::Nothing => {}
            Then::CtrlC => {
                let _ = terminal.interrupt(pg);
            }
            Then::CtrlD => {
                let _ = terminal.end_of_input(pg);
            }
            Then::Wait(ms) => {
                pg.cluster.advance(ms);
                let _ = terminal.poll(pg);
            }
        }
    }
}

proptest! {
    // As many lines as one session of 4,000 (sessions are 1 to 100 lines long).
    #![proptest_config(common::config(80))]

    #[test]
    fn any_input_is_answered_without_a_panic_in_batch_mode(lines in vec(typed(), 1..=100)) {
        let mut pg = Playground::new(Cluster::new(ClusterConfig::default()));
        let mut terminal = Terminal::batch();
        drive(&mut terminal, &mut pg, &lines);
        let _ = terminal.end_of_script(&mut pg);
    }

    #[test]
    fn any_input_is_answered_interactively_and_the_shell_comes_back(
        lines in vec(typed(), 1..=100),
    ) {
        let mut pg = Playground::new(Cluster::new(ClusterConfig::default()));
        let mut terminal = Terminal::new();
        drive(&mut terminal, &mut pg, &lines);
        // Whatever state it was left in, Ctrl+C and Ctrl+D bring back the shell prompt.
        let _ = terminal.interrupt(&mut pg);
        let _ = terminal.end_of_input(&mut pg);
        let _ = terminal.interrupt(&mut pg);
        prop_assert_eq!(terminal.prompt(), Prompt::Shell);
        let out = terminal.enter(&mut pg, "echo still here").text();
        prop_assert_eq!(out, "still here\n");
    }
}

#[test]
fn huge_lines_and_pastes_are_answered() {
    let mut pg = Playground::new(Cluster::new(ClusterConfig::default()));
    let mut terminal = Terminal::batch();
    let long_option = format!(
        "kafka-topics.sh --bootstrap-server localhost:9092 --{}",
        "x".repeat(100_000)
    );
    assert!(!terminal.enter(&mut pg, &long_option).text().is_empty());
    let long_topic = format!(
        "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic {}",
        "t".repeat(100_000)
    );
    let out = terminal.enter(&mut pg, &long_topic).text();
    assert!(
        out.contains("longer than the max allowed length 249"),
        "{}",
        &out[..out.len().min(300)]
    );
}

/// What a hostile share link can send nested thousands deep is refused with the tool's error,
/// in a stack no larger than the browser's (about 1 MB; a debug build's frames are the
/// largest), so neither the page nor kplay can overflow its stack.
#[test]
fn deep_nesting_is_refused_in_a_small_stack() {
    let n = 50_000;
    let regex = format!("{}t{}", "(".repeat(n), ")".repeat(n));
    let script = format!(
        "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic t
kafka-topics.sh --bootstrap-server localhost:9092 --list --topic '{regex}'
cat > deep.json <<EOF
{}
EOF
kafka-reassign-partitions.sh --bootstrap-server localhost:9092 --reassignment-json-file deep.json --execute
echo {} | cat{}
echo still here",
        "[".repeat(n),
        "'\"".repeat(n / 2) + &"\"'".repeat(n / 2),
        " | cat".repeat(1_000),
    );
    let out = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || {
            let mut pg = Playground::new(Cluster::new(ClusterConfig::default()));
            let mut terminal = Terminal::batch();
            kafka_playground::console::script::run_script(&mut pg, &mut terminal, &script, false)
                .text()
        })
        .expect("a thread")
        .join()
        .expect("the script overflowed a 1 MiB stack");
    // Kafka: tools/src/main/java/org/apache/kafka/tools/TopicCommand.java prints the
    // PatternSyntaxException's message after "Error while executing topic command : ".
    assert!(out.contains(
        "Error while executing topic command : Groups nested more than 100 deep near index 100\n"
    ));
    assert!(out.contains("Document nesting depth (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)"));
    assert!(
        out.ends_with("still here\n"),
        "{}",
        &out[out.len().saturating_sub(300)..]
    );
}
