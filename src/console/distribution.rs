//! The Kafka binary download as it lies in the learner's home directory: the archive and the
//! folder `tar -xzf` made of it. The folder's `config/` files hold the 4.x texts (read from
//! apache/kafka's `config/`); scripts, jars and the license files are listed, not held.
//!
//! Invariant: every path here is relative to [`HOME`] and names a file; folders are the
//! paths' parents.

/// The learner's home directory, where the prompt starts.
pub const HOME: &str = "/home/kafka";
/// The distribution's folder and archive, in [`HOME`].
pub const FOLDER: &str = "kafka_2.13-4.3.0";
pub const ARCHIVE: &str = "kafka_2.13-4.3.0.tgz";

/// A file of the distribution: its text, or `None` for one only listed (a jar, a script).
pub type Entry = (&'static str, Option<&'static str>);

/// The scripts of `bin/` in a 4.3 download (ZooKeeper's went in 4.0).
pub const SCRIPTS: &[&str] = &[
    "connect-distributed.sh",
    "connect-mirror-maker.sh",
    "connect-plugin-path.sh",
    "connect-standalone.sh",
    "kafka-acls.sh",
    "kafka-broker-api-versions.sh",
    "kafka-client-metrics.sh",
    "kafka-cluster.sh",
    "kafka-configs.sh",
    "kafka-console-consumer.sh",
    "kafka-console-producer.sh",
    "kafka-console-share-consumer.sh",
    "kafka-consumer-groups.sh",
    "kafka-consumer-perf-test.sh",
    "kafka-delegation-tokens.sh",
    "kafka-delete-records.sh",
    "kafka-dump-log.sh",
    "kafka-e2e-latency.sh",
    "kafka-features.sh",
    "kafka-get-offsets.sh",
    "kafka-groups.sh",
    "kafka-jmx.sh",
    "kafka-leader-election.sh",
    "kafka-log-dirs.sh",
    "kafka-metadata-quorum.sh",
    "kafka-metadata-shell.sh",
    "kafka-producer-perf-test.sh",
    "kafka-reassign-partitions.sh",
    "kafka-replica-verification.sh",
    "kafka-run-class.sh",
    "kafka-server-start.sh",
    "kafka-server-stop.sh",
    "kafka-share-consumer-perf-test.sh",
    "kafka-share-groups.sh",
    "kafka-storage.sh",
    "kafka-streams-application-reset.sh",
    "kafka-streams-groups.sh",
    "kafka-topics.sh",
    "kafka-transactions.sh",
    "kafka-verifiable-consumer.sh",
    "kafka-verifiable-producer.sh",
    "kafka-verifiable-share-consumer.sh",
    "trogdor.sh",
];

/// Kafka's own jars in `libs/` (the third-party jars beside them are not listed).
const JARS: &[&str] = &[
    "connect-api",
    "connect-basic-auth-extension",
    "connect-file",
    "connect-json",
    "connect-mirror",
    "connect-mirror-client",
    "connect-runtime",
    "connect-transforms",
    "kafka-clients",
    "kafka-coordinator-common",
    "kafka-group-coordinator",
    "kafka-group-coordinator-api",
    "kafka-metadata",
    "kafka-raft",
    "kafka-server",
    "kafka-server-common",
    "kafka-share-coordinator",
    "kafka-shell",
    "kafka-storage",
    "kafka-storage-api",
    "kafka-streams",
    "kafka-streams-examples",
    "kafka-streams-scala_2.13",
    "kafka-tools",
    "kafka-tools-api",
    "kafka-transaction-coordinator",
    "kafka_2.13",
    "trogdor",
];

/// The `config/` files, with the text of those the quickstart and the Connect steps read.
const CONFIG: &[Entry] = &[
    ("broker.properties", None),
    (
        "connect-file-sink.properties",
        Some(include_str!("distribution/connect-file-sink.properties")),
    ),
    (
        "connect-file-source.properties",
        Some(include_str!("distribution/connect-file-source.properties")),
    ),
    (
        "connect-distributed.properties",
        Some(include_str!("distribution/connect-distributed.properties")),
    ),
    ("connect-log4j2.yaml", None),
    ("connect-mirror-maker.properties", None),
    (
        "connect-standalone.properties",
        Some(include_str!("distribution/connect-standalone.properties")),
    ),
    (
        "consumer.properties",
        Some(include_str!("distribution/consumer.properties")),
    ),
    ("controller.properties", None),
    ("log4j2.yaml", None),
    (
        "producer.properties",
        Some(include_str!("distribution/producer.properties")),
    ),
    (
        "server.properties",
        Some(include_str!("distribution/server.properties")),
    ),
    ("tools-log4j2.yaml", None),
    ("trogdor.conf", None),
];

/// Every file of the download, relative to [`HOME`], in no particular order.
pub fn entries() -> impl Iterator<Item = (String, Option<&'static str>)> {
    let folder = |rest: String| format!("{FOLDER}/{rest}");
    std::iter::once((ARCHIVE.to_string(), None))
        .chain(["LICENSE", "NOTICE"].map(|f| (folder(f.to_string()), None)))
        .chain(
            SCRIPTS
                .iter()
                .map(move |s| (folder(format!("bin/{s}")), None)),
        )
        .chain(SCRIPTS.iter().filter_map(move |s| {
            // The Windows scripts: one per tool, none for the shell-only helpers.
            let bat = s.strip_suffix(".sh")?;
            (!matches!(bat, "kafka-run-class" | "trogdor"))
                .then(|| (folder(format!("bin/windows/{bat}.bat")), None))
        }))
        .chain(
            CONFIG
                .iter()
                .map(move |(name, text)| (folder(format!("config/{name}")), *text)),
        )
        .chain(
            JARS.iter()
                .map(move |j| (folder(format!("libs/{j}-4.3.0.jar")), None)),
        )
}

/// The download's file at `key` (relative to [`HOME`]): `Some(None)` when it is only listed.
pub fn file(key: &str) -> Option<Option<&'static str>> {
    entries().find(|(k, _)| k == key).map(|(_, text)| text)
}

/// Whether `key` (relative to [`HOME`]) is a folder of the download.
pub fn is_folder(key: &str) -> bool {
    entries().any(|(k, _)| {
        k.strip_prefix(key)
            .is_some_and(|rest| rest.starts_with('/'))
    })
}
