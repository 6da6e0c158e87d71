//! Bad input of every kind gets an answer, never a panic: random lines built from the pieces
//! people actually type (tool names, options, quotes, pipes, heredocs, numbers, odd bytes) are
//! fed to a terminal, in batch mode and interactively, and the playground must stay usable.

use kafka_playground::console::{Playground, Prompt, Terminal};
use kafka_playground::engine::{Cluster, ClusterConfig, Rng};

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

fn random_line(rng: &mut Rng) -> String {
    let words = 1 + rng.below(12) as usize;
    (0..words)
        .map(|_| PIECES[rng.below(PIECES.len() as u32) as usize])
        .collect::<Vec<_>>()
        .join(if rng.below(4) == 0 { "" } else { " " })
}

fn drive(terminal: &mut Terminal, pg: &mut Playground, rng: &mut Rng, lines: usize) {
    for _ in 0..lines {
        let line = random_line(rng);
        let _ = terminal.enter(pg, &line);
        match rng.below(6) {
            0 => {
                let _ = terminal.interrupt(pg);
            }
            1 => {
                let _ = terminal.end_of_input(pg);
            }
            2 => {
                pg.cluster.advance(rng.below(60_000) as i64);
                let _ = terminal.poll(pg);
            }
            _ => {}
        }
    }
}

#[test]
fn random_input_never_panics_in_batch_mode() {
    let mut rng = Rng::seeded(2024);
    let mut pg = Playground::new(Cluster::new(ClusterConfig::default()));
    let mut terminal = Terminal::batch();
    drive(&mut terminal, &mut pg, &mut rng, 4000);
    let _ = terminal.end_of_script(&mut pg);
}

#[test]
fn random_input_never_panics_interactively_and_the_shell_comes_back() {
    let mut rng = Rng::seeded(7);
    let mut pg = Playground::new(Cluster::new(ClusterConfig::default()));
    let mut terminal = Terminal::new();
    drive(&mut terminal, &mut pg, &mut rng, 4000);
    // Whatever state it was left in, Ctrl+C and Ctrl+D bring back the shell prompt.
    let _ = terminal.interrupt(&mut pg);
    let _ = terminal.end_of_input(&mut pg);
    let _ = terminal.interrupt(&mut pg);
    assert_eq!(terminal.prompt(), Prompt::Shell);
    let out = terminal.enter(&mut pg, "echo still here").text();
    assert_eq!(out, "still here\n");
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
