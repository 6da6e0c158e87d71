//! kplay and share links run the same session core: a script run by kplay and its journal
//! replayed as a share link reach the same session, byte for byte of the saved snapshot, and
//! print the same text.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use kafka_playground::console::script::header_brokers;
use kafka_playground::engine::ClusterConfig;
use kafka_playground::session::{replay, script};
use kafka_playground::share::Journal;

fn transcripts() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts");
    let mut scripts: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/transcripts exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "kplay"))
        .collect();
    scripts.sort();
    scripts
}

/// Every transcript: what kplay leaves and what a replay of its journal leaves are the same
/// session (cluster, files, tabs, journal), and the replay printed what kplay printed.
#[test]
fn every_transcript_replays_from_its_journal_to_the_state_kplay_reached() {
    let scripts = transcripts();
    assert!(scripts.len() > 20, "{} transcripts", scripts.len());
    let mut differ = Vec::new();
    for path in &scripts {
        let text = std::fs::read_to_string(path).expect("readable");
        let mut config = ClusterConfig::default();
        if let Some(brokers) = header_brokers(&text) {
            config.brokers = brokers;
        }
        let (printed, kplay) = script::run(config, &text, false);
        let journal = kplay.journal.clone().expect("a script keeps a journal");
        assert!(journal.script);
        let replayed = replay(&journal);
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        if replayed.workbench.snapshot_text() != kplay.snapshot_text() {
            differ.push(format!("{name:?}: the state differs"));
        }
        let replay_printed: String = replayed.printed.iter().map(|(_, o)| o.text()).collect();
        if replay_printed != printed.text() {
            differ.push(format!("{name:?}: the output differs"));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

/// The kplay binary itself: `--export` writes the session a share link of its journal opens
/// to, with a seed and cluster size of its own, a background job, a heredoc left open at the
/// end and an `undo`.
#[test]
fn kplay_exports_the_session_its_share_link_replays_to() {
    let dir = std::env::temp_dir().join(format!("kplay-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let script = dir.join("s.kplay");
    let exported = dir.join("session.json");
    std::fs::write(
        &script,
        "\
kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders --partitions 4 --replication-factor 3
kafka-topics.sh --bootstrap-server localhost:9092 --create --topic gone
undo
kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic orders --group g --from-beginning &
seq 1 50 | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders
playground advance 20s
kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic orders
cat > notes.txt <<EOF
left open
",
    )
    .expect("script written");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_kplay"))
        .args(["--brokers", "5", "--seed", "7", "--fake-clock", "--export"])
        .arg(&exported)
        .arg(&script)
        .output()
        .expect("kplay runs");
    assert!(run.status.success(), "{run:?}");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stdout.contains("Undone: kafka-topics.sh"), "{stdout}");
    // Kafka: tools/src/main/java/org/apache/kafka/tools/consumer/ConsoleConsumer.java
    assert!(
        stderr.contains("Processed a total of 50 messages"),
        "{stderr}"
    );
    assert!(
        stderr.contains("here-document delimited by end-of-file"),
        "{stderr}"
    );

    let text = std::fs::read_to_string(&exported).expect("exported");
    let snapshot = kafka_playground::snapshot::parse(&text).expect("an importable session");
    let journal = snapshot.journal.clone().expect("its journal");
    assert_eq!((journal.brokers, journal.seed), (5, Some(7)));
    assert!(snapshot.playground.cluster.topic("gone").is_none());
    assert!(snapshot.playground.files.read("notes.txt").is_some());
    // Through a link's code, as a reader opens it.
    let link = Journal::decode(&journal.encode()).expect("the link opens");
    assert_eq!(replay(&link).workbench.snapshot_text(), text);
    let _ = std::fs::remove_dir_all(&dir);
}
