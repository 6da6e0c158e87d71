//! The whole playground (cluster, groups, offsets, files) survives a JSON snapshot — what the
//! browser stores so a reload loses nothing — and a corrupt snapshot is an error, not a panic.

use kafka_playground::console::script::run_script;
use kafka_playground::console::{Playground, Terminal};
use kafka_playground::engine::{Cluster, ClusterConfig};

#[test]
fn a_busy_playground_round_trips_through_json() {
    let mut pg = Playground::new(Cluster::new(ClusterConfig::default()));
    let script = "\
kafka-topics.sh --bootstrap-server localhost:9092 --create --topic t --partitions 3 --replication-factor 2
printf 'a:1\\nb:2\\nc:3\\n' | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic t --property parse.key=true --property key.separator=:
kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic t --group g --from-beginning --max-messages 2
echo hello > notes.txt
playground broker stop 2
";
    run_script(&mut pg, &mut Terminal::batch(), script, false);
    let json = serde_json::to_string(&pg).unwrap();
    let back: Playground = serde_json::from_str(&json).expect("deserializes");
    assert_eq!(back, pg);
    // And it keeps working after the restore.
    let mut restored = back;
    let out = run_script(
        &mut restored,
        &mut Terminal::batch(),
        "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic t --group g\ncat notes.txt",
        false,
    )
    .text();
    // murmur2 puts a and c in partition 1 and b in partition 2; the first run read partition 1
    // (values 1 and 3), so the group resumes with b's value.
    assert_eq!(out, "2\nProcessed a total of 1 messages\nhello\n");
}

#[test]
fn corrupt_snapshots_are_errors() {
    for bad in ["", "{", "{\"cluster\": 1}", "[]", "null"] {
        assert!(serde_json::from_str::<Playground>(bad).is_err(), "{bad:?}");
    }
}

// Share groups, their share-partitions (start offsets, acquired records with their locks and
// delivery counts) and group configs survive a reload too.
#[test]
fn share_groups_round_trip_through_json() {
    let mut pg = Playground::new(Cluster::new(ClusterConfig::default()));
    let script = "\
kafka-topics.sh --bootstrap-server localhost:9092 --create --topic q
kafka-configs.sh --bootstrap-server localhost:9092 --alter --entity-type groups --entity-name s --add-config share.auto.offset.reset=earliest
printf 'a\\nb\\n' | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic q
kafka-console-share-consumer.sh --bootstrap-server localhost:9092 --topic q --group s --max-messages 1
";
    run_script(&mut pg, &mut Terminal::batch(), script, false);
    let json = serde_json::to_string(&pg).unwrap();
    let back: Playground = serde_json::from_str(&json).expect("deserializes");
    assert_eq!(back, pg);
    let mut restored = back;
    let out = run_script(
        &mut restored,
        &mut Terminal::batch(),
        "kafka-console-share-consumer.sh --bootstrap-server localhost:9092 --topic q --group s",
        false,
    )
    .text();
    // The first consumer printed a and acknowledged it; b, released when it closed, is left.
    assert_eq!(out, "b\nProcessed a total of 1 messages\n");
}
