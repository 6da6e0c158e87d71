//! Kafka Streams' demo applications of `libs/kafka-streams-examples-*.jar`, on the simulated
//! clock: `WordCountDemo` (lines → words → a repartition topic → counts in a state store,
//! its changelog, and the output topic) and `PipeDemo` (input copied to output).
//!
//! Each application is one `StreamThread`: a consumer in the group named by its
//! `application.id`, subscribed to its source topics (the input, and for WordCount its
//! repartition topic), and a producer for its sinks. Internal topics are named as Streams
//! names them: `<application.id>-<store or processor name>-repartition|-changelog`.
//!
//! Invariant: a record is processed once per poll, in offset order; a count store that
//! starts is restored from its changelog first, as Streams restores a state store.

// Kafka: streams/examples/src/main/java/org/apache/kafka/streams/examples/wordcount/WordCountDemo.java,
// pipe/PipeDemo.java; streams/src/main/java/org/apache/kafka/streams/kstream/internals/
// KGroupedStreamImpl.java (count(): store KSTREAM-AGGREGATE-STATE-STORE-0000000003, the
// repartition topic named after it), processor/internals/RepartitionTopicConfig.java,
// UnwindowedUnversionedChangelogTopicConfig.java, InternalTopicConfig.java (topic configs).

use crate::clients::config::Properties;
use crate::clients::connect::Live;
use crate::clients::consumer::coordinator::ConsumerCoordinator;
use crate::clients::producer::KafkaProducer;
use crate::clients::producer::config::ProducerConfig;
use crate::engine::assignor::Strategy;
use crate::engine::{Cluster, NewTopic, ProducerRecord, TopicPartition};
use crate::vec_map::{VecMap, VecSet};

pub const INPUT_TOPIC: &str = "streams-plaintext-input";
/// `count()`'s store, the fourth name the WordCount topology's builder hands out (after the
/// source, flatMapValues and groupBy's key selector).
pub const WORDCOUNT_STORE: &str = "KSTREAM-AGGREGATE-STATE-STORE-0000000003";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Demo {
    WordCount,
    Pipe,
}

impl Demo {
    /// The demo a `kafka-run-class.sh` class name starts.
    pub fn for_class(class: &str) -> Option<Demo> {
        match class {
            "org.apache.kafka.streams.examples.wordcount.WordCountDemo" => Some(Demo::WordCount),
            "org.apache.kafka.streams.examples.pipe.PipeDemo" => Some(Demo::Pipe),
            _ => None,
        }
    }

    pub fn application_id(self) -> &'static str {
        match self {
            Demo::WordCount => "streams-wordcount",
            Demo::Pipe => "streams-pipe",
        }
    }

    pub fn output_topic(self) -> &'static str {
        match self {
            Demo::WordCount => "streams-wordcount-output",
            Demo::Pipe => "streams-pipe-output",
        }
    }

    /// Its internal topics: (name, configs).
    pub fn internal_topics(self) -> Vec<(String, Vec<(String, String)>)> {
        let id = self.application_id();
        let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
        match self {
            Demo::WordCount => vec![
                (
                    format!("{id}-{WORDCOUNT_STORE}-changelog"),
                    vec![
                        pair("cleanup.policy", "compact"),
                        pair("message.timestamp.type", "CreateTime"),
                    ],
                ),
                (
                    format!("{id}-{WORDCOUNT_STORE}-repartition"),
                    vec![
                        pair("cleanup.policy", "delete"),
                        pair("message.timestamp.type", "CreateTime"),
                        pair("retention.ms", "-1"),
                        pair("segment.bytes", "52428800"),
                    ],
                ),
            ],
            Demo::Pipe => vec![],
        }
    }

    fn repartition_topic(self) -> Option<String> {
        match self {
            Demo::WordCount => Some(format!(
                "{}-{WORDCOUNT_STORE}-repartition",
                self.application_id()
            )),
            Demo::Pipe => None,
        }
    }

    fn changelog_topic(self) -> Option<String> {
        match self {
            Demo::WordCount => Some(format!(
                "{}-{WORDCOUNT_STORE}-changelog",
                self.application_id()
            )),
            Demo::Pipe => None,
        }
    }
}

/// Java's `value.toLowerCase().split("\\W+")`: a leading separator leaves an empty first
/// word, trailing ones leave none, and an empty line is one empty word.
pub fn split_words(line: &str) -> Vec<String> {
    let lower = line.to_lowercase();
    let mut words: Vec<String> = lower
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map(str::to_string)
        .collect();
    // Runs of separators are one match: drop the empty pieces between them (not the first).
    let first_empty = words.first().is_some_and(String::is_empty) && !lower.is_empty();
    words.retain(|w| !w.is_empty());
    if first_empty && !words.is_empty() {
        words.insert(0, String::new());
    }
    if lower.is_empty() {
        words = vec![String::new()];
    }
    words
}

/// The application's state: one stream thread, its positions and its count store.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamsApp {
    /// Which terminal session drives it.
    pub id: u32,
    /// Runs on without a terminal session (a script went on, as in another terminal).
    pub detached: bool,
    pub demo: Demo,
    /// `<application.id>-<process uuid>`: the thread's clients are named after it.
    pub client_id_prefix: String,
    pub member_id: String,
    pub positions: Vec<(TopicPartition, i64)>,
    pub store: VecMap<String, i64>,
    pub joined: bool,
    pub next_commit_ms: i64,
    /// Whether the store was restored from its changelog.
    pub restored: bool,
    producer: Live<KafkaProducer>,
}

/// The Streams applications running in the playground. As with Connect's workers, a saved
/// session keeps only which ran (their application ids): a closed page stopped them, and
/// their topics and committed offsets are saved with the cluster.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Streams {
    pub apps: Vec<StreamsApp>,
    /// Applications of a saved session, stopped when its page closed.
    gone: Vec<String>,
}

impl std::ops::Deref for Streams {
    type Target = Vec<StreamsApp>;
    fn deref(&self) -> &Vec<StreamsApp> {
        &self.apps
    }
}

impl std::ops::DerefMut for Streams {
    fn deref_mut(&mut self) -> &mut Vec<StreamsApp> {
        &mut self.apps
    }
}

impl Streams {
    pub fn nothing_to_save(&self) -> bool {
        self.apps.is_empty() && self.gone.is_empty()
    }

    /// The page closed: every application stopped. Returns what stopped, one line each.
    pub fn apps_gone(&mut self) -> Vec<String> {
        let mut gone: Vec<String> = std::mem::take(&mut self.gone)
            .into_iter()
            .map(|id| format!("the Kafka Streams application {id}"))
            .collect();
        gone.extend(
            std::mem::take(&mut self.apps)
                .iter()
                .map(|a| format!("the Kafka Streams application {}", a.group())),
        );
        gone
    }
}

impl serde::Serialize for Streams {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut ids = self.gone.clone();
        ids.extend(self.apps.iter().map(|a| a.group().to_string()));
        ids.serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Streams {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Streams, D::Error> {
        Ok(Streams {
            apps: Vec::new(),
            gone: Vec::<String>::deserialize(d)?,
        })
    }
}

/// `commit.interval.ms` under at-least-once.
const COMMIT_INTERVAL_MS: i64 = 30_000;

impl StreamsApp {
    pub fn new(id: u32, demo: Demo, process_id: &str, member_uuid: &str, now: i64) -> Self {
        let client_id_prefix = format!("{}-{process_id}", demo.application_id());
        StreamsApp {
            id,
            detached: false,
            demo,
            member_id: format!("{client_id_prefix}-StreamThread-1-consumer-{member_uuid}"),
            client_id_prefix,
            positions: Vec::new(),
            store: VecMap::new(),
            joined: false,
            next_commit_ms: now + COMMIT_INTERVAL_MS,
            restored: false,
            producer: Live::default(),
        }
    }

    pub fn group(&self) -> &'static str {
        self.demo.application_id()
    }

    fn source_topics(&self) -> VecSet<String> {
        let mut topics: VecSet<String> = VecSet::new();
        topics.insert(INPUT_TOPIC.to_string());
        if let Some(r) = self.demo.repartition_topic() {
            topics.insert(r);
        }
        topics
    }

    fn coordinator(&self, now: i64) -> ConsumerCoordinator {
        ConsumerCoordinator::new(
            self.group().to_string(),
            self.member_id.clone(),
            format!("{}-StreamThread-1-consumer", self.client_id_prefix),
            vec![Strategy::Range],
            None,
            45_000,
            now,
        )
    }

    /// Which source topics are missing (the application cannot start without them).
    pub fn missing_sources(&self, cluster: &Cluster) -> Vec<String> {
        match cluster.topic(INPUT_TOPIC) {
            Some(_) => vec![],
            None => vec![INPUT_TOPIC.to_string()],
        }
    }

    /// The group leader's part of the first rebalance: the internal topics, with as many
    /// partitions as the input topic.
    fn create_internal_topics(&self, cluster: &mut Cluster) {
        let partitions = cluster
            .topic(INPUT_TOPIC)
            .map_or(1, |t| t.partitions().len() as i32);
        for (name, configs) in self.demo.internal_topics() {
            if cluster.topic(&name).is_none() {
                let _ = cluster.create_topic(
                    &name,
                    NewTopic {
                        partitions: Some(partitions),
                        replication_factor: None,
                        configs,
                    },
                );
            }
        }
    }

    fn send(
        &mut self,
        cluster: &mut Cluster,
        topic: &str,
        key: Option<Vec<u8>>,
        value: Option<Vec<u8>>,
        timestamp: i64,
    ) {
        if self.producer.0.is_none() {
            let mut props = Properties::default();
            props.put(
                "client.id",
                &format!("{}-StreamThread-1-producer", self.client_id_prefix),
            );
            props.put("linger.ms", "0");
            let Ok(config) = ProducerConfig::new(&props) else {
                return;
            };
            self.producer.0 = Some(KafkaProducer::new(config));
        }
        if let Some(p) = self.producer.0.as_mut() {
            let record = ProducerRecord {
                partition: None,
                key,
                value,
                headers: Vec::new(),
                timestamp: Some(timestamp),
            };
            let _ = p.send(cluster, topic, record);
            let _ = p.flush(cluster);
            let _ = p.take_logs();
        }
    }

    /// Restores the count store from its changelog (the last value of each key).
    fn restore(&mut self, cluster: &Cluster) {
        self.restored = true;
        let Some(changelog) = self.demo.changelog_topic() else {
            return;
        };
        let partitions = cluster
            .topic(&changelog)
            .map_or(0, |t| t.partitions().len() as i32);
        for p in 0..partitions {
            let tp = TopicPartition::new(&changelog, p);
            let Ok((start, end)) = cluster.offsets_of(&tp) else {
                continue;
            };
            let Ok(records) = cluster.fetch(&tp, start, (end - start).max(0) as usize) else {
                continue;
            };
            for r in records {
                let (Some(k), Some(v)) = (r.key, r.value) else {
                    continue;
                };
                let word = String::from_utf8_lossy(k).into_owned();
                let count = <[u8; 8]>::try_from(v).map_or(0, i64::from_be_bytes);
                self.store.insert(word, count);
            }
        }
    }

    /// One iteration of the stream thread: poll, process, commit when due. Returns how many
    /// records it processed.
    pub fn poll(&mut self, cluster: &mut Cluster) -> usize {
        let now = cluster.now_ms();
        let mut coordinator = self.coordinator(now);
        if !self.joined {
            if !self.missing_sources(cluster).is_empty() {
                return 0;
            }
            self.create_internal_topics(cluster);
            if coordinator.join(cluster, self.source_topics()).is_err() {
                return 0;
            }
            self.joined = true;
        }
        if !self.restored {
            self.restore(cluster);
        }
        let Some(assignment) = coordinator.poll(cluster, &self.source_topics()) else {
            let _ = coordinator.join(cluster, self.source_topics());
            return 0;
        };
        self.positions.retain(|(tp, _)| assignment.contains(tp));
        let mut processed = 0;
        // The input first, then the repartition topic it feeds, as one poll returns both.
        let mut ordered = assignment.clone();
        ordered.sort_by_key(|tp| tp.topic != INPUT_TOPIC);
        for tp in ordered {
            let position = match self.positions.iter().find(|(p, _)| *p == tp) {
                Some((_, p)) => *p,
                None => {
                    let start = cluster
                        .committed_offset(self.group(), &tp)
                        .or_else(|| cluster.offsets_of(&tp).ok().map(|(s, _)| s));
                    let Some(start) = start else { continue };
                    self.positions.push((tp.clone(), start));
                    start
                }
            };
            type Fetched = (i64, i64, Option<Vec<u8>>, Option<Vec<u8>>);
            let records: Vec<Fetched> = cluster
                .fetch(&tp, position, 1000)
                .map(|rs| {
                    rs.into_iter()
                        .map(|r| {
                            (
                                r.offset,
                                r.timestamp,
                                r.key.map(<[u8]>::to_vec),
                                r.value.map(<[u8]>::to_vec),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            for (offset, timestamp, key, value) in records {
                self.process(cluster, &tp.topic, key, value, timestamp);
                processed += 1;
                if let Some(p) = self.positions.iter_mut().find(|(p, _)| *p == tp) {
                    p.1 = offset + 1;
                }
            }
        }
        if cluster.now_ms() >= self.next_commit_ms {
            self.commit(cluster);
            while self.next_commit_ms <= cluster.now_ms() {
                self.next_commit_ms += COMMIT_INTERVAL_MS;
            }
        }
        processed
    }

    fn process(
        &mut self,
        cluster: &mut Cluster,
        topic: &str,
        key: Option<Vec<u8>>,
        value: Option<Vec<u8>>,
        timestamp: i64,
    ) {
        match self.demo {
            Demo::Pipe => self.send(cluster, Demo::Pipe.output_topic(), key, value, timestamp),
            Demo::WordCount if topic == INPUT_TOPIC => {
                // flatMapValues, then groupBy's key selector: each word to the repartition topic.
                let Some(value) = value else { return };
                let Some(repartition) = self.demo.repartition_topic() else {
                    return;
                };
                for word in split_words(&String::from_utf8_lossy(&value)) {
                    let bytes = word.into_bytes();
                    self.send(
                        cluster,
                        &repartition,
                        Some(bytes.clone()),
                        Some(bytes),
                        timestamp,
                    );
                }
            }
            Demo::WordCount => {
                // count(): the store, its changelog, then the output (the cache is off).
                let Some(key) = key else { return };
                let word = String::from_utf8_lossy(&key).into_owned();
                let count = self.store.get(&word).copied().unwrap_or(0) + 1;
                self.store.insert(word, count);
                let bytes = count.to_be_bytes().to_vec();
                if let Some(changelog) = self.demo.changelog_topic() {
                    self.send(
                        cluster,
                        &changelog,
                        Some(key.clone()),
                        Some(bytes.clone()),
                        timestamp,
                    );
                }
                self.send(
                    cluster,
                    self.demo.output_topic(),
                    Some(key),
                    Some(bytes),
                    timestamp,
                );
            }
        }
    }

    /// Commits the thread's positions for its group.
    pub fn commit(&self, cluster: &mut Cluster) {
        for (tp, offset) in &self.positions {
            if cluster.committed_offset(self.group(), tp) != Some(*offset) {
                cluster.commit_offset(self.group(), tp.clone(), *offset);
            }
        }
    }

    /// `KafkaStreams.close()`: a last commit, then the consumer leaves the group.
    pub fn close(&mut self, cluster: &mut Cluster) {
        self.commit(cluster);
        if self.joined {
            self.coordinator(cluster.now_ms()).close(cluster);
            self.joined = false;
        }
    }

    /// When a pending rebalance of its group completes.
    pub fn rebalance_deadline(&self, cluster: &Cluster) -> Option<i64> {
        self.coordinator(cluster.now_ms())
            .rebalance_deadline(cluster)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_as_java_splits_them() {
        // Kafka: WordCountDemo.java (value.toLowerCase(...).split("\\W+")).
        assert_eq!(
            split_words("all streams lead to kafka"),
            ["all", "streams", "lead", "to", "kafka"]
        );
        assert_eq!(split_words("Hello, Kafka!"), ["hello", "kafka"]);
        assert_eq!(split_words("  two  spaces"), ["", "two", "spaces"]);
        assert_eq!(split_words(""), [""]);
        assert_eq!(split_words("a_b-c"), ["a_b", "c"]);
        assert!(split_words(", !").is_empty());
    }
}
