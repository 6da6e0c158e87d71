//! The saved session's JSON (format 1) is fixed: sessions saved in users' browsers and exported
//! files must keep loading. `tests/fixtures/snapshot-*.json` were written by the serde-derived
//! code of commit "Snapshot fixtures written by the current serde code", with `*.debug.txt` the
//! value serde read back from each; `snapshot-old-*` are shapes of earlier versions (fields left
//! out, byte arrays, an unknown field) with what serde read and wrote of them. The saved types'
//! serde impls must read each to the same value and write it back byte for byte. (The
//! `*.debug.txt` were written again at d5afe30, once logs kept their records in batches: a
//! log's `Debug` shows its batches.) Regenerate only when the format deliberately changes, with
//! `KPLAY_WRITE_FIXTURES=1 cargo test --test snapshot_format`.

use std::path::PathBuf;

use kafka_playground::console::script::run_script;
use kafka_playground::console::{Playground, Terminal};
use kafka_playground::engine::group::JoinRequest;
use kafka_playground::engine::{Cluster, ClusterConfig, Header, ProducerRecord, StickyPartitioner};
use kafka_playground::share::{Journal, Kind};
use kafka_playground::snapshot::{self, FORMAT, LessonSource, SavedLesson, SavedTab, Snapshot};
use kafka_playground::vec_map::VecMap;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Topics with compaction and retention configs, keyed, keyless, tombstone, binary records
/// and headers, groups with members and committed offsets, stopped, killed, isolated brokers,
/// broker configs, files with every kind of character, a moved clock.
fn rich_playground(brokers: i32) -> Playground {
    let mut pg = Playground::scripted(Cluster::new(ClusterConfig {
        brokers,
        ..ClusterConfig::default()
    }));
    let script = "\
kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders --partitions 3 --replication-factor 2 --config retention.ms=86400000 --config segment.bytes=1024
kafka-topics.sh --bootstrap-server localhost:9092 --create --topic users --partitions 2 --config cleanup.policy=compact --config min.cleanable.dirty.ratio=0.01 --config segment.ms=1000 --config delete.retention.ms=100
printf 'a:1\\nb:2\\nc:3\\nd:\\u00e9t\\u00e9 \\\"quoted\\\" \\\\\\\\ tab\\there\\n' | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders --property parse.key=true --property key.separator=:
printf 'k1:v1\\nk2:v2\\nk1:v3\\nk2:NULL\\n' | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic users --property parse.key=true --property key.separator=: --property null.marker=NULL
printf 'no key\\nanother\\n' | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders
kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic orders --group g --from-beginning --max-messages 3
kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic users --group other --from-beginning --max-messages 1
kafka-configs.sh --bootstrap-server localhost:9092 --alter --entity-type brokers --entity-name 1 --add-config log.cleaner.threads=2
kafka-configs.sh --bootstrap-server localhost:9092 --alter --entity-type brokers --entity-default --add-config log.retention.ms=604800000
echo hello > notes.txt
printf 'x=1\\ny=\"\\\\u0001\"\\n\\n' > client.properties
playground advance 1h
printf 'k3:v4\\n' | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic users --property parse.key=true --property key.separator=:
playground advance 1h
";
    run_script(&mut pg, &mut Terminal::batch(), script, false);
    let c = &mut pg.cluster;
    let mut partitioner = StickyPartitioner::new();
    let records = [
        (Some(vec![0xff, 0x00, 0x80]), Some(vec![1, 2, 3])),
        (Some(b"text".to_vec()), Some(vec![0xc3, 0x28])),
        (None, None),
        (
            Some("ключ".as_bytes().to_vec()),
            Some("\u{1}\u{1f}\u{7f}😀".as_bytes().to_vec()),
        ),
    ];
    for (i, (key, value)) in records.into_iter().enumerate() {
        let headers = match i {
            0 => vec![
                Header {
                    key: "h1".into(),
                    value: Some(b"v".to_vec()),
                },
                Header {
                    key: "null".into(),
                    value: None,
                },
            ],
            1 => vec![Header {
                key: "bin\n".into(),
                value: Some(vec![0, 255]),
            }],
            _ => Vec::new(),
        };
        let record = ProducerRecord {
            partition: Some(i as i32 % 3),
            key,
            value,
            headers,
            timestamp: (i == 2).then_some(42),
        };
        let _ = c.produce("orders", record, &mut partitioner);
    }
    let members = [
        ("m-1", None),
        ("m-2", Some("static-1".to_string())),
        ("m-3", None),
    ];
    for (i, (member, instance)) in members.into_iter().enumerate() {
        if i == 2 {
            // The third joins last: the group is left preparing a rebalance.
            c.advance(5_000);
            c.stop_heartbeats("live", "m-1");
        }
        let _ = c.join_group(
            "live",
            JoinRequest {
                member_id: member.into(),
                client_id: "console-consumer".into(),
                client_host: "/127.0.0.1".into(),
                topics: ["orders".to_string()].into_iter().collect(),
                strategies: vec![
                    kafka_playground::engine::assignor::Strategy::CooperativeSticky,
                    kafka_playground::engine::assignor::Strategy::Range,
                ],
                session_timeout_ms: 45_000,
                group_instance_id: instance,
                protocol: Default::default(),
            },
        );
    }
    if brokers >= 3 {
        let _ = c.stop_broker(2);
        let _ = c.kill_broker(3);
    }
    if brokers >= 4 {
        let _ = c.isolate_broker(4, true);
        let _ = c.set_rack(1, Some("rack-a".into()));
    }
    c.advance(1_000);
    pg
}

fn journal() -> Journal {
    let mut j = Journal::new(1_735_689_600_000, 3);
    j.setup.push("kafka-topics.sh --list".into());
    j.record(1_735_689_600_000, 0, Kind::Line, "ls \"x\"\n");
    j.record(1_735_689_601_000, 1, Kind::Interrupt, "");
    j.record(1_735_689_602_000, 1, Kind::EndOfInput, "");
    j.record(1_735_689_603_000, 1, Kind::Close, "");
    j.record(1_735_689_604_000, 0, Kind::Undo, "");
    j
}

/// The saved sessions the fixtures hold, by name.
fn snapshots() -> Vec<(&'static str, Snapshot)> {
    let tabs = vec![
        SavedTab {
            id: 0,
            history: vec!["ls".into(), "cat > f <<EOF\n{\"a\": 1}\nEOF".into()],
            shell: None,
        },
        SavedTab {
            id: 3,
            history: Vec::new(),
            shell: None,
        },
    ];
    let mut progress = VecMap::new();
    progress.insert("first-topic".to_string(), 3usize);
    progress.insert("consumer-groups".to_string(), 0);
    vec![
        (
            "fresh",
            Snapshot {
                format: FORMAT,
                playground: Playground::new(Cluster::new(ClusterConfig::default())),
                tabs: vec![SavedTab {
                    id: 0,
                    history: Vec::new(),
                    shell: None,
                }],
                active: 0,
                lesson: None,
                progress: VecMap::new(),
                journal: None,
                course: None,
            },
        ),
        (
            "rich",
            Snapshot {
                format: FORMAT,
                playground: rich_playground(3),
                tabs: tabs.clone(),
                active: 3,
                lesson: Some(SavedLesson {
                    failed: Vec::new(),
                    effort: Default::default(),
                    source: LessonSource::BuiltIn("first-topic".into()),
                    step: 2,
                    passed: vec![true, true, false],
                    commands: vec!["kafka-topics.sh --list".into()],
                }),
                progress: progress.clone(),
                journal: Some(journal()),
                course: None,
            },
        ),
        (
            "five-brokers",
            Snapshot {
                format: FORMAT,
                playground: rich_playground(5),
                tabs,
                active: 0,
                lesson: Some(SavedLesson {
                    failed: Vec::new(),
                    effort: Default::default(),
                    source: LessonSource::File("# A lesson\n\n```\nls\n```\n".into()),
                    step: 0,
                    passed: Vec::new(),
                    commands: Vec::new(),
                }),
                progress,
                journal: Some(Journal::new(0, 5)),
                course: None,
            },
        ),
    ]
}

fn write_fixtures() {
    let dir = fixtures();
    std::fs::create_dir_all(&dir).expect("fixtures directory");
    for (name, snapshot) in snapshots() {
        let text = snapshot::to_text(&snapshot);
        let read: Snapshot = serde_json::from_str(&text).expect("reads");
        std::fs::write(dir.join(format!("snapshot-{name}.json")), &text).expect("write");
        std::fs::write(
            dir.join(format!("snapshot-{name}.debug.txt")),
            format!("{read:#?}\n"),
        )
        .expect("write");
    }
    // Earlier shapes: fields that came later left out, keys and values as byte arrays.
    let text = std::fs::read_to_string(dir.join("snapshot-rich.json")).expect("rich fixture");
    let mut value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    if let Some(s) = value.as_object_mut() {
        for f in ["lesson", "progress", "journal"] {
            s.remove(f);
        }
    }
    let pg = &mut value["playground"];
    if let Some(p) = pg.as_object_mut() {
        p.remove("clock_speed");
    }
    if let Some(c) = pg["cluster"].as_object_mut() {
        for f in [
            "config_seed",
            "notices",
            "broker_configs",
            "broker_defaults",
            "next_retention_check_ms",
            "next_cleaner_run_ms",
            "next_leader_balance_ms",
            "quorum",
            "record_data_limit",
            "next_producer_id",
            // The event feed's log came with the live view's feed.
            "events",
        ] {
            c.remove(f);
        }
        c.insert(
            "unknown_later_field".into(),
            serde_json::json!({"a": [1, 2.5, null]}),
        );
    }
    for b in pg["cluster"]["brokers"]
        .as_array_mut()
        .into_iter()
        .flatten()
    {
        if let Some(b) = b.as_object_mut() {
            for f in [
                "rack",
                "running",
                "fenced",
                "isolated",
                "slow",
                "last_heartbeat_ms",
                "crashed",
            ] {
                b.remove(f);
            }
        }
    }
    for t in pg["cluster"]["topics"]
        .as_object_mut()
        .into_iter()
        .flat_map(|t| t.values_mut())
    {
        for p in t["partitions"].as_array_mut().into_iter().flatten() {
            if let Some(p) = p.as_object_mut() {
                for f in [
                    "elr",
                    "last_known_elr",
                    "replica_leo",
                    "caught_up_ms",
                    "high_watermark",
                    "adding",
                    "removing",
                ] {
                    p.remove(f);
                }
            }
            if let Some(log) = p["log"].as_object_mut() {
                log.remove("cleaner_checkpoint");
                // Producer batch headers came with the client layer.
                log.remove("batches");
            }
            for r in p["log"]["records"].as_array_mut().into_iter().flatten() {
                for f in ["key", "value"] {
                    if let Some(text) = r[f].as_str() {
                        r[f] = serde_json::json!(text.as_bytes());
                    } else if r[f].is_null() {
                        if let Some(r) = r.as_object_mut() {
                            r.remove(f);
                        }
                    }
                }
            }
        }
    }
    for g in pg["cluster"]["groups"]["groups"]
        .as_object_mut()
        .into_iter()
        .flat_map(|g| g.values_mut())
    {
        if let Some(g) = g.as_object_mut() {
            g.remove("history");
            g.remove("pending_changes");
        }
        for m in g["members"]
            .as_object_mut()
            .into_iter()
            .flat_map(|m| m.values_mut())
        {
            if let Some(m) = m.as_object_mut() {
                m.remove("group_instance_id");
                m.remove("heartbeating");
            }
        }
    }
    let old = serde_json::to_string_pretty(&value).expect("JSON");
    let read: Snapshot = serde_json::from_str(&old).expect("reads the old shape");
    std::fs::write(dir.join("snapshot-old-rich.json"), &old).expect("write");
    std::fs::write(
        dir.join("snapshot-old-rich.debug.txt"),
        format!("{read:#?}\n"),
    )
    .expect("write");
    std::fs::write(
        dir.join("snapshot-old-rich.rewritten.json"),
        snapshot::to_text(&read),
    )
    .expect("write");
}

#[test]
fn fixtures_are_read_and_written_as_serde_did() {
    if std::env::var_os("KPLAY_WRITE_FIXTURES").is_some() {
        write_fixtures();
    }
    let dir = fixtures();
    let read = |name: &str| {
        std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    for (name, snapshot) in snapshots() {
        let text = read(&format!("snapshot-{name}.json"));
        // The engine is deterministic: the same session is written the same way today.
        assert!(
            snapshot::to_text(&snapshot) == text,
            "{name}: written differently"
        );
        let back: Snapshot = serde_json::from_str(&text).expect("reads");
        assert!(
            format!("{back:#?}\n") == read(&format!("snapshot-{name}.debug.txt")),
            "{name}: read differently"
        );
        assert!(
            snapshot::to_text(&back) == text,
            "{name}: written back differently"
        );
        assert!(
            snapshot::parse(&text).is_ok_and(|s| s == back),
            "{name}: parse"
        );
        assert!(snapshot::to_text(&back) == text, "{name}: to_text");
    }
    let back: Snapshot = serde_json::from_str(&read("snapshot-old-rich.json")).expect("reads");
    assert!(format!("{back:#?}\n") == read("snapshot-old-rich.debug.txt"));
    assert!(snapshot::to_text(&back) == read("snapshot-old-rich.rewritten.json"));
}

#[test]
fn a_damaged_or_other_snapshot_is_refused_with_the_reason() {
    let text = std::fs::read_to_string(fixtures().join("snapshot-rich.json")).expect("fixture");
    let err = |t: &str| snapshot::parse(t).err().unwrap_or_default();
    assert!(err("{not json").starts_with("it is not a snapshot (key must be a string at line 1"));
    assert!(err("[]").starts_with("it is not a snapshot"));
    assert!(err(r#"{"tabs":[]}"#).starts_with("it is not a snapshot (missing field `format`"));
    assert!(
        err(&text.replacen(r#"{"format":1"#, r#"{"format":2"#, 1))
            .contains("(format 2, this one reads 1)")
    );
    assert!(err(&text[..text.len() / 2]).starts_with("it is damaged (EOF while parsing"));
    assert!(
        err(&text.replacen(r#""tabs":"#, r#""tabz":"#, 1))
            .starts_with("it is damaged (missing field `tabs`")
    );
    assert!(err(&format!("{text} x")).starts_with("it is damaged (trailing characters"));
    // Every cut of a snapshot is an error, never a panic.
    for cut in (0..text.len()).step_by(97) {
        if text.is_char_boundary(cut) {
            assert!(snapshot::parse(&text[..cut]).is_err());
        }
    }
}
