//! `playground transaction`: hands-on transactions from the console. Not a Kafka tool — Kafka
//! ships none that opens a transaction and leaves it open — but each form is one call of the
//! Java client's transactional producer (`initTransactions`, `beginTransaction`, `send` +
//! `flush`, `commitTransaction`, `abortTransaction`), made by a producer with
//! `transactional.id=ID` that the playground keeps between commands, so a learner can leave a
//! transaction open and watch `read_committed` consumers stop at the last stable offset.
//!
//! Invariant: a producer kept here is one the Java client could still use (a fenced or
//! failed one is closed and dropped, as an application must close it).

use super::output::Output;
use super::session::Playground;
use crate::clients::config::Properties;
use crate::clients::producer::KafkaProducer;
use crate::clients::producer::config::ProducerConfig;
use crate::clients::producer::transaction_manager::{State, TransactionManager};
use crate::engine::{ProducerRecord, TopicPartition};
use crate::vec_map::VecMap;

/// What the playground keeps of a hands-on transactional producer between commands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HandsOnProducer {
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub timeout_ms: i64,
    pub in_transaction: bool,
    #[serde(default)]
    pub added: Vec<TopicPartition>,
    #[serde(default)]
    pub sequences: Vec<(TopicPartition, i32)>,
    /// Set when a send failed: the transaction can only be aborted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abortable_error: Option<String>,
}

/// The forms, for `playground help`.
pub const FORMS: &[(&str, &str)] = &[
    (
        "init ID [TIMEOUT_MS]",
        "initTransactions() of a producer with transactional.id=ID (fences older ones)",
    ),
    ("begin ID", "beginTransaction()"),
    (
        "send ID TOPIC VALUE...",
        "send() each value (partition by the default partitioner), then flush()",
    ),
    ("commit ID", "commitTransaction(): COMMIT markers"),
    ("abort ID", "abortTransaction(): ABORT markers"),
    ("list", "the hands-on producers and their transactions"),
];

const USAGE: &str = "playground transaction: expected init|begin|send|commit|abort ID …, or list (not a Kafka tool: the Java producer's transactional calls)";

pub fn run(args: &[String], pg: &mut Playground, out: &mut Output) -> i32 {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        [] | ["list"] => list(pg, out),
        ["init", id] => init(pg, id, 60_000, out),
        ["init", id, timeout] => match timeout.parse::<i64>() {
            Ok(ms) => init(pg, id, ms, out),
            Err(_) => {
                out.errln(&format!(
                    "org.apache.kafka.common.config.ConfigException: Invalid value {timeout} for configuration transaction.timeout.ms: Not a number of type INT"
                ));
                1
            }
        },
        ["begin", id] => with_producer(pg, id, out, |p, _, _| p.begin_transaction()),
        ["send", id, topic, values @ ..] if !values.is_empty() => {
            let topic = topic.to_string();
            let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
            with_producer(pg, id, out, move |p, pg, out| {
                send(p, pg, &topic, &values, out)
            })
        }
        ["commit", id] => with_producer(pg, id, out, |p, pg, out| {
            let done = p.commit_transaction(&mut pg.cluster)?;
            report_failures(&done.failed, out);
            Ok(())
        }),
        ["abort", id] => with_producer(pg, id, out, |p, pg, out| {
            let done = p.abort_transaction(&mut pg.cluster)?;
            report_failures(&done.failed, out);
            Ok(())
        }),
        _ => {
            out.errln(USAGE);
            1
        }
    }
}

fn config(id: &str, timeout_ms: i64) -> Result<ProducerConfig, String> {
    let props = Properties::new(&[
        ("transactional.id".to_string(), id.to_string()),
        ("transaction.timeout.ms".to_string(), timeout_ms.to_string()),
        ("client.id".to_string(), format!("playground-{id}")),
    ]);
    ProducerConfig::new(&props)
}

/// A new producer for `id`: `initTransactions` fences any older one (a hands-on one kept
/// here included: it is replaced).
fn init(pg: &mut Playground, id: &str, timeout_ms: i64, out: &mut Output) -> i32 {
    let config = match config(id, timeout_ms) {
        Ok(c) => c,
        Err(e) => {
            out.errln(&e);
            return 1;
        }
    };
    let mut producer = KafkaProducer::new(config);
    pg.transactional_producers.remove(id);
    if let Err(e) = producer.init_transactions(&mut pg.cluster) {
        out.errln(&e);
        return 1;
    }
    keep(pg, id, &producer);
    let (pid, epoch) = producer
        .transaction_manager()
        .and_then(TransactionManager::producer_id_and_epoch)
        .unwrap_or((-1, -1));
    out.outln(&format!(
        "[playground] Producer with transactional.id {id} initialized: producerId {pid}, epoch {epoch}."
    ));
    0
}

/// Runs `call` on the kept producer of `id`, then keeps it again (or drops it after a fatal
/// error, printing the exception the call threw).
fn with_producer(
    pg: &mut Playground,
    id: &str,
    out: &mut Output,
    call: impl FnOnce(&mut KafkaProducer, &mut Playground, &mut Output) -> Result<(), String>,
) -> i32 {
    let Some(kept) = pg.transactional_producers.get(id).cloned() else {
        out.errln(&format!(
            "playground transaction: no producer for transactional.id {id}: run 'playground transaction init {id}' first (initTransactions)"
        ));
        return 1;
    };
    let Ok(config) = config(id, kept.timeout_ms) else {
        return 1;
    };
    let manager = TransactionManager::resume(
        id.to_string(),
        kept.timeout_ms,
        (kept.producer_id, kept.producer_epoch),
        kept.in_transaction,
        kept.added.clone(),
        kept.abortable_error.clone(),
    );
    let sequences: VecMap<TopicPartition, i32> = kept.sequences.iter().cloned().collect();
    let mut producer = KafkaProducer::resume_transactional(config, manager, sequences);
    let result = call(&mut producer, pg, out);
    let fatal = producer
        .transaction_manager()
        .is_some_and(|t| t.state() == State::FatalError);
    if fatal {
        pg.transactional_producers.remove(id);
    } else {
        keep(pg, id, &producer);
    }
    match result {
        Ok(()) => 0,
        Err(e) => {
            out.errln(&e);
            if fatal {
                out.errln(&format!(
                    "[playground] The producer is closed, as a fenced producer must be; 'playground transaction init {id}' starts a new one."
                ));
            }
            1
        }
    }
}

fn keep(pg: &mut Playground, id: &str, producer: &KafkaProducer) {
    let Some(tm) = producer.transaction_manager() else {
        return;
    };
    let Some((producer_id, producer_epoch)) = tm.producer_id_and_epoch() else {
        return;
    };
    pg.transactional_producers.insert(
        id.to_string(),
        HandsOnProducer {
            producer_id,
            producer_epoch,
            timeout_ms: tm.timeout_ms,
            in_transaction: matches!(tm.state(), State::InTransaction | State::AbortableError),
            abortable_error: tm.abortable_error(),
            added: tm.added_partitions().to_vec(),
            sequences: producer
                .sequences()
                .iter()
                .map(|(tp, s)| (tp.clone(), *s))
                .collect(),
        },
    );
}

fn send(
    producer: &mut KafkaProducer,
    pg: &mut Playground,
    topic: &str,
    values: &[String],
    out: &mut Output,
) -> Result<(), String> {
    let mut failed = Vec::new();
    let mut acknowledged = 0;
    for v in values {
        let record = ProducerRecord {
            value: Some(v.as_bytes().to_vec()),
            ..Default::default()
        };
        let done = producer.send(&mut pg.cluster, topic, record);
        if let Some(thrown) = done.thrown {
            return Err(thrown);
        }
        acknowledged += done.acknowledged.iter().map(|(_, n)| n).sum::<usize>();
        failed.extend(done.failed);
    }
    let done = producer.flush(&mut pg.cluster);
    acknowledged += done.acknowledged.iter().map(|(_, n)| n).sum::<usize>();
    failed.extend(done.failed);
    for l in producer.take_logs() {
        out.errln(&format!(
            "[{}] {} {} ({})",
            crate::engine::clock::format_log_timestamp(l.time_ms),
            l.level,
            l.message,
            l.logger
        ));
    }
    report_failures(&failed, out);
    if acknowledged > 0 {
        out.outln(&format!(
            "[playground] {acknowledged} record(s) written to {topic} in the open transaction."
        ));
    }
    Ok(())
}

fn report_failures(failed: &[crate::clients::producer::SendFailure], out: &mut Output) {
    for f in failed {
        for _ in &f.records {
            out.errln(&f.exception);
        }
    }
}

/// The hands-on producers, and what their coordinator says of each.
fn list(pg: &Playground, out: &mut Output) -> i32 {
    if pg.transactional_producers.is_empty() {
        out.outln("[playground] No hands-on transactional producer: 'playground transaction init ID' makes one.");
        return 0;
    }
    for (id, p) in &pg.transactional_producers {
        let state = pg
            .cluster
            .transaction_coordinator()
            .get(id)
            .map_or("unknown", |m| m.state.name());
        let partitions: Vec<String> = p.added.iter().map(ToString::to_string).collect();
        out.outln(&format!(
            "{id}: producerId {} epoch {}, {} (coordinator: {state}){}",
            p.producer_id,
            p.producer_epoch,
            if p.in_transaction {
                "in a transaction"
            } else {
                "no transaction open"
            },
            if partitions.is_empty() {
                String::new()
            } else {
                format!(", partitions {}", partitions.join(","))
            }
        ));
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Cluster, ClusterConfig};

    fn run_words(pg: &mut Playground, line: &str) -> (i32, String) {
        let mut out = Output::new();
        let args: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        let code = run(&args, pg, &mut out);
        (code, out.text())
    }

    #[test]
    fn an_open_transaction_survives_a_saved_session() {
        let mut pg = Playground::scripted(Cluster::new(ClusterConfig::default()));
        assert_eq!(run_words(&mut pg, "init t1").0, 0);
        assert_eq!(run_words(&mut pg, "begin t1").0, 0);
        assert_eq!(run_words(&mut pg, "send t1 events a b").0, 0);
        let saved = serde_json::to_string(&pg).unwrap();
        let mut back: Playground = serde_json::from_str(&saved).unwrap();
        assert_eq!(back, pg);
        let (code, text) = run_words(&mut back, "commit t1");
        assert_eq!((code, text.as_str()), (0, ""));
        let p = back.cluster.topic("events").unwrap().partition(0).unwrap();
        assert_eq!((p.last_stable_offset(), p.high_watermark()), (3, 3));
        // Without init, Kafka's client refuses; unknown forms print the usage.
        assert_eq!(run_words(&mut back, "begin t9").0, 1);
        assert_eq!(run_words(&mut back, "frob").0, 1);
    }
}
