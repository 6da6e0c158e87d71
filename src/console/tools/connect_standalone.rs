//! `connect-standalone.sh worker.properties [connector.properties ...]`: a Kafka Connect
//! worker in the foreground. It creates the connectors its files describe and runs their
//! tasks as time passes; Ctrl+C (or `kill %N`) stops them. In a script it runs on, as in
//! another terminal, and each later command lets it work.
//!
//! The worker itself lives in the playground ([`crate::clients::connect`]); this file reads
//! the command line and the worker's properties, and prints what the worker logs.

// Kafka: connect/runtime/src/main/java/org/apache/kafka/connect/cli/ConnectStandalone.java,
// AbstractConnectCli.java, runtime/Connect.java, runtime/rest/RestServer.java,
// runtime/standalone/StandaloneHerder.java, config/connect-log4j2.yaml ("[%d] %p %X{connector.context}%m (%c:%L)%n").

use crate::clients::LogLine;
use crate::clients::connect::distributed::DistributedTopics;
use crate::clients::connect::{Worker, WorkerConfig};
use crate::console::options::parse_properties;
use crate::console::output::Output;
use crate::console::session::{Playground, Session, Status, ToolContext, ToolResult};
use crate::engine::clock::format_log_timestamp;

const CLI: &str = "org.apache.kafka.connect.cli.AbstractConnectCli";
const STANDALONE: &str = "org.apache.kafka.connect.cli.ConnectStandalone";
const CONNECT: &str = "org.apache.kafka.connect.runtime.Connect";
const REST: &str = "org.apache.kafka.connect.runtime.rest.RestServer";
const HERDER: &str = "org.apache.kafka.connect.runtime.standalone.StandaloneHerder";
const DISTRIBUTED_HERDER: &str = "org.apache.kafka.connect.runtime.distributed.DistributedHerder";

fn print(lines: Vec<LogLine>, out: &mut Output) {
    for l in lines {
        // A throwable logged with the line before it: its text as Java prints it.
        if l.level.is_empty() {
            out.outln(&l.message);
            continue;
        }
        out.outln(&format!(
            "[{}] {} {} ({})",
            format_log_timestamp(l.time_ms),
            l.level,
            l.message,
            l.logger
        ));
    }
}

fn line(pg: &Playground, level: &'static str, message: &str, logger: &str, out: &mut Output) {
    out.outln(&format!(
        "[{}] {level} {message} ({logger})",
        format_log_timestamp(pg.cluster.now_ms())
    ));
}

pub fn run(args: &[String], ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    start(args, ctx, out, false)
}

/// `connect-distributed.sh worker.properties`: the same worker, its state kept in Kafka.
pub fn run_distributed(args: &[String], ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    start(args, ctx, out, true)
}

fn start(
    args: &[String],
    ctx: &mut ToolContext,
    out: &mut Output,
    distributed: bool,
) -> ToolResult {
    let pg = &mut *ctx.playground;
    if args.is_empty() || args.iter().any(|a| a == "--help") {
        let usage = if distributed {
            "Usage: ConnectDistributed worker.properties"
        } else {
            "Usage: ConnectStandalone worker.properties [connector1.properties connector2.json ...]"
        };
        line(pg, "INFO", usage, &format!("{CLI}:86"), out);
        return ToolResult::Exit(1);
    }
    let Some(text) = pg.files.read(&args[0]).map(str::to_string) else {
        line(
            pg,
            "ERROR",
            "Stopping due to error",
            &format!("{CLI}:102"),
            out,
        );
        out.outln(&format!("java.nio.file.NoSuchFileException: {}", args[0]));
        return ToolResult::Exit(2);
    };
    let props = parse_properties(&text);
    let get = |k: &str| {
        props
            .iter()
            .rev()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let cwd = pg.files.cwd().to_string();
    let port = get("listeners")
        .and_then(|l| l.rsplit(':').next().and_then(|p| p.parse().ok()))
        .unwrap_or(8083);
    let file_plugins = get("plugin.path").is_some_and(|p| {
        p.split(',').any(|entry| {
            let entry = entry.trim();
            let abs = pg.files.absolute(entry);
            let named = abs.ends_with("/connect-file-4.3.0.jar") || abs.ends_with("/libs");
            named && pg.files.kind(entry).is_some()
        })
    });
    line(
        pg,
        "INFO",
        "Kafka Connect worker initializing ...",
        &format!("{CLI}:114"),
        out,
    );
    line(
        pg,
        "INFO",
        "Scanning for plugin classes. This might take a moment ...",
        &format!("{CLI}:120"),
        out,
    );
    if pg.connect.workers.iter().any(|w| w.port == port) {
        line(
            pg,
            "ERROR",
            "Stopping due to error",
            &format!("{CLI}:102"),
            out,
        );
        out.outln(
            "org.apache.kafka.connect.errors.ConnectException: Unable to initialize REST server",
        );
        out.outln(&format!(
            "Caused by: java.io.IOException: Failed to bind to 0.0.0.0/0.0.0.0:{port}"
        ));
        return ToolResult::Exit(2);
    }
    let url = format!("http://127.0.0.1:{port}/");
    line(
        pg,
        "INFO",
        &format!("REST server listening at {url}, advertising URL {url}"),
        &format!("{REST}:216"),
        out,
    );
    line(
        pg,
        "INFO",
        "Kafka Connect worker initialization took 0ms",
        &format!("{CLI}:141"),
        out,
    );
    line(
        pg,
        "INFO",
        "Kafka Connect starting",
        &format!("{CONNECT}:67"),
        out,
    );
    let number = |k: &str, default: i64| {
        get(k)
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(default)
    };
    let topics = distributed.then(|| {
        let name = |k: &str, default: &str| get(k).unwrap_or_else(|| default.to_string());
        DistributedTopics::new(
            name("group.id", "connect-cluster"),
            name("config.storage.topic", "connect-configs"),
            name("offset.storage.topic", "connect-offsets"),
            name("status.storage.topic", "connect-status"),
            number("offset.storage.partitions", 25) as i32,
            number("status.storage.partitions", 5) as i32,
            number("config.storage.replication.factor", 3) as i16,
        )
    });
    if let Some(topics) = &topics {
        match topics.create_topics(&mut pg.cluster) {
            Ok(logs) => print(logs, out),
            Err(e) => {
                line(
                    pg,
                    "ERROR",
                    "Stopping due to error",
                    &format!("{CLI}:102"),
                    out,
                );
                out.outln(&format!("org.apache.kafka.connect.errors.ConnectException: Error while attempting to create/find topic(s) '{}'", topics.offsets));
                out.outln(&format!("Caused by: {e}"));
                return ToolResult::Exit(2);
            }
        }
        line(
            pg,
            "INFO",
            "Herder started",
            &format!("{DISTRIBUTED_HERDER}:389"),
            out,
        );
    } else {
        line(pg, "INFO", "Herder starting", &format!("{HERDER}:112"), out);
        line(pg, "INFO", "Herder started", &format!("{HERDER}:114"), out);
    }
    line(
        pg,
        "INFO",
        "Kafka Connect started",
        &format!("{CONNECT}:77"),
        out,
    );
    let offsets_file = pg
        .files
        .absolute(&get("offset.storage.file.filename").unwrap_or_default());
    let config = WorkerConfig {
        port,
        offsets_file,
        flush_interval_ms: get("offset.flush.interval.ms")
            .and_then(|v| v.parse().ok())
            .unwrap_or(60_000),
        key_schemas: get("key.converter.schemas.enable").is_none_or(|v| v == "true"),
        value_schemas: get("value.converter.schemas.enable").is_none_or(|v| v == "true"),
        file_plugins,
        cwd,
        distributed: topics,
    };
    let now = pg.cluster.now_ms();
    let id = pg.connect.start(config, &pg.files, &pg.cluster);
    let mut session = ConnectWorker { id, stopped: false };
    if distributed {
        restore_connectors(pg, id, out);
        return ToolResult::Running(Box::new(session));
    }
    for file in &args[1..] {
        let created = create_from_file(pg, id, file);
        if let Some(w) = pg.connect.get_mut(id) {
            print(w.take_logs(), out);
        }
        match created {
            Ok(name) => {
                line(
                    pg,
                    "INFO",
                    &format!("Created connector {name}"),
                    &format!("{STANDALONE}:89"),
                    out,
                );
                if let Some(w) = pg.connect.get_mut(id) {
                    w.task_started(&name, now);
                    print(w.take_logs(), out);
                }
            }
            Err(exception) => {
                line(
                    pg,
                    "ERROR",
                    &format!("Failed to create connector for {file}"),
                    &format!("{STANDALONE}:87"),
                    out,
                );
                line(
                    pg,
                    "ERROR",
                    "Stopping after connector error",
                    &format!("{STANDALONE}:99"),
                    out,
                );
                out.outln(&exception);
                session.stop(pg, out);
                return ToolResult::Exit(3);
            }
        }
    }
    ToolResult::Running(Box::new(session))
}

/// A distributed worker starts the connectors its config topic holds, in their target state.
fn restore_connectors(pg: &mut Playground, id: u32, out: &mut Output) {
    let Some(configs) = pg
        .connect
        .get_mut(id)
        .and_then(|w| w.distributed.as_ref().map(|d| d.configs.clone()))
    else {
        return;
    };
    let records = DistributedTopics::read(&pg.cluster, &configs);
    let Playground {
        connect,
        cluster,
        files,
        ..
    } = pg;
    let Some(worker) = connect.get_mut(id) else {
        return;
    };
    worker.restoring = true;
    for (key, value) in &records {
        let (Some(name), Some(value)) = (key.strip_prefix("connector-"), value) else {
            continue;
        };
        let Ok(parsed) = serde_json::from_str::<serde_json::Value>(value) else {
            continue;
        };
        let config: Vec<(String, String)> = parsed
            .get("properties")
            .and_then(|p| p.as_object())
            .map(|o| {
                o.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        if worker
            .put_connector(name, config, true, cluster, files)
            .is_ok()
        {
            let state = records
                .iter()
                .find(|(k, _)| *k == format!("target-state-{name}"))
                .and_then(|(_, v)| v.as_deref())
                .and_then(|v| serde_json::from_str::<serde_json::Value>(v).ok())
                .and_then(|v| v.get("state").and_then(|s| s.as_str()).map(str::to_string));
            if let Some(state) = state {
                let _ = worker.set_target_state(name, &state, cluster);
            }
            let now = cluster.now_ms();
            worker.task_started(name, now);
        }
    }
    worker.restoring = false;
    print(worker.take_logs(), out);
}

/// Reads a connector's file (a JSON object of strings, or properties) and creates it.
fn create_from_file(pg: &mut Playground, id: u32, file: &str) -> Result<String, String> {
    let missing = |what: &str| {
        format!(
            "java.util.concurrent.ExecutionException: org.apache.kafka.connect.errors.ConnectException: {what}"
        )
    };
    let Some(text) = pg.files.read(file).map(str::to_string) else {
        return Err(format!("java.nio.file.NoSuchFileException: {file}"));
    };
    let config: Vec<(String, String)> = match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(serde_json::Value::Object(o)) => o
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    v.as_str().map_or_else(|| v.to_string(), str::to_string),
                )
            })
            .collect(),
        _ => parse_properties(&text),
    };
    let Some(name) = config
        .iter()
        .find(|(k, _)| k == "name")
        .map(|(_, v)| v.clone())
    else {
        return Err(format!(
            "org.apache.kafka.connect.errors.ConnectException: Connector configuration at '{file}' is missing the mandatory 'name' configuration"
        ));
    };
    let Some(worker) = pg.connect.workers.iter_mut().find(|w| w.id == id) else {
        return Err(missing("the worker stopped"));
    };
    match worker.put_connector(&name, config, false, &mut pg.cluster, &mut pg.files) {
        Ok(_) => Ok(name),
        Err(e) => Err(format!(
            "java.util.concurrent.ExecutionException: {}: {}",
            e.exception, e.message
        )),
    }
}

/// The worker's terminal session.
pub struct ConnectWorker {
    id: u32,
    stopped: bool,
}

impl ConnectWorker {
    fn worker<'a>(&self, pg: &'a mut Playground) -> Option<&'a mut Worker> {
        pg.connect.get_mut(self.id)
    }

    fn stop(&mut self, pg: &mut Playground, out: &mut Output) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        line(
            pg,
            "INFO",
            "Kafka Connect stopping",
            &format!("{CONNECT}:87"),
            out,
        );
        line(
            pg,
            "INFO",
            "Stopping REST server",
            &format!("{REST}:358"),
            out,
        );
        line(
            pg,
            "INFO",
            "REST server stopped",
            &format!("{REST}:387"),
            out,
        );
        let distributed = pg
            .connect
            .workers
            .iter()
            .any(|w| w.id == self.id && w.distributed.is_some());
        // Kafka: DistributedHerder.java: stop() logs these at lines 853 and 860 (4.0 sources).
        let (herder, stopping, stopped) = if distributed {
            (DISTRIBUTED_HERDER, 853, 860)
        } else {
            (HERDER, 119, 130)
        };
        line(
            pg,
            "INFO",
            "Herder stopping",
            &format!("{herder}:{stopping}"),
            out,
        );
        if let Some(mut worker) = pg
            .connect
            .workers
            .iter()
            .position(|w| w.id == self.id)
            .map(|i| pg.connect.workers.remove(i))
        {
            worker.stop(&mut pg.cluster, &mut pg.files);
            print(worker.take_logs(), out);
        }
        line(
            pg,
            "INFO",
            "Herder stopped",
            &format!("{herder}:{stopped}"),
            out,
        );
        line(
            pg,
            "INFO",
            "Kafka Connect stopped",
            &format!("{CONNECT}:92"),
            out,
        );
    }

    fn work(&mut self, pg: &mut Playground, out: &mut Output) {
        let Playground {
            connect,
            cluster,
            files,
            ..
        } = pg;
        if let Some(w) = connect.get_mut(self.id) {
            w.poll(cluster, files);
            print(w.take_logs(), out);
        }
    }
}

impl Session for ConnectWorker {
    fn interrupt(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        self.stop(pg, out);
        // The JVM exits with 130 after SIGINT (128 + 2).
        Status::Exited(130)
    }

    fn poll(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        if self.worker(pg).is_none() {
            return Status::Exited(130);
        }
        self.work(pg, out);
        Status::Running
    }

    /// In a script the worker runs on, as in another terminal: it works now (after its sink
    /// groups' first rebalance), and again after each later command.
    fn finish(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        self.work(pg, out);
        let wait = {
            let Playground {
                connect, cluster, ..
            } = &*pg;
            connect
                .workers
                .iter()
                .find(|w| w.id == self.id)
                .and_then(|w| w.rebalance_deadline(cluster))
                .map(|d| d - cluster.now_ms())
        };
        if let Some(wait) = wait.filter(|w| *w > 0) {
            pg.cluster.advance(wait);
        }
        self.work(pg, out);
        if let Some(w) = self.worker(pg) {
            w.detached = true;
        }
        Status::Running
    }

    fn kill(&mut self, pg: &mut Playground) {
        self.stopped = true;
        pg.connect.remove(self.id);
    }
}

/// Workers whose script went on without them (see [`ConnectWorker::finish`]): they work
/// after each command, printing what they log.
pub fn poll_detached(pg: &mut Playground, out: &mut Output) {
    let Playground {
        connect,
        cluster,
        files,
        ..
    } = pg;
    for w in connect.workers.iter_mut().filter(|w| w.detached) {
        w.poll(cluster, files);
        print(w.take_logs(), out);
    }
}

#[cfg(test)]
mod tests {
    use crate::console::{Playground, Prompt, Terminal};
    use crate::engine::{Cluster, ClusterConfig};

    fn worker_running() -> (Playground, Terminal) {
        let mut pg = Playground::scripted(Cluster::new(ClusterConfig {
            brokers: 1,
            ..ClusterConfig::default()
        }));
        let mut t = Terminal::new();
        for line in [
            "cd kafka_2.13-4.3.0",
            "echo \"plugin.path=libs/connect-file-4.3.0.jar\" >> config/connect-standalone.properties",
            "echo -e \"foo\\nbar\" > test.txt",
            "bin/connect-standalone.sh config/connect-standalone.properties config/connect-file-source.properties config/connect-file-sink.properties",
        ] {
            t.enter(&mut pg, line);
        }
        (pg, t)
    }

    #[test]
    fn lines_flow_on_the_clock_and_ctrl_c_stops_the_connectors() {
        // Kafka: docs/quickstart.html (step 6), connect/file/.../FileStreamSinkTask.java.
        let (mut pg, mut t) = worker_running();
        assert_eq!(t.prompt(), Prompt::Busy);
        // The sink's group waits for its first rebalance (group.initial.rebalance.delay.ms).
        t.poll(&mut pg);
        pg.cluster.advance(3_000);
        t.poll(&mut pg);
        let sink = "/home/kafka/kafka_2.13-4.3.0/test.sink.txt";
        assert_eq!(pg.files.read(sink), Some("foo\nbar\n"));
        pg.files
            .append("/home/kafka/kafka_2.13-4.3.0/test.txt", "Another line\n");
        pg.cluster.advance(1_000);
        t.poll(&mut pg);
        assert_eq!(pg.files.read(sink), Some("foo\nbar\nAnother line\n"));
        let stopped = t.interrupt(&mut pg).text();
        assert!(stopped.contains("INFO Kafka Connect stopped"), "{stopped}");
        assert!(stopped.contains("[local-file-sink|task-0] Stopping task local-file-sink-0"));
        assert_eq!((t.prompt(), t.last_status()), (Prompt::Shell, 130));
        assert!(pg.connect.workers.is_empty());
        // On stop the source's position was flushed, and the sink's group has no members.
        assert_eq!(
            pg.files.read("/tmp/connect.offsets"),
            Some("[\"local-file-source\",{\"filename\":\"test.txt\"}]\t{\"position\":21}\n")
        );
        assert!(
            pg.cluster
                .group("connect-local-file-sink")
                .is_none_or(|g| g.members().is_empty())
        );
        // Nothing answers on 8083 any more.
        let refused = t.enter(&mut pg, "curl localhost:8083/connectors").text();
        assert_eq!(
            refused,
            "curl: (7) Failed to connect to localhost port 8083 after 0 ms: Couldn't connect to server\n"
        );
    }

    #[test]
    fn a_saved_worker_is_reported_stopped_after_a_reload() {
        let (pg, _t) = worker_running();
        let json = serde_json::to_string(&pg).unwrap_or_default();
        let mut restored: Playground =
            serde_json::from_str(&json).expect("the snapshot reads back");
        assert_eq!(
            restored.connect.workers_gone(),
            [
                "the Kafka Connect worker on port 8083 (connectors local-file-source, local-file-sink)"
            ]
        );
        assert!(restored.connect.workers.is_empty());
        // A snapshot from before Connect existed has none.
        let old = json.replace(",\"connect\":", ",\"connect_gone\":");
        let old: Playground = serde_json::from_str(&old).expect("an older snapshot reads");
        assert!(old.connect.workers.is_empty());
    }
}
