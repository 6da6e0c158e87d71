//! `kafka-server-start.sh [-daemon] server.properties [--override k=v]*`: the node the
//! properties file describes, in the foreground until Ctrl+C.
//!
//! The playground's cluster is already running; starting a server is how its node `node.id`
//! comes up after `kafka-storage.sh format`. The node must find a formatted log directory (as
//! Kafka does), takes the cluster id written there, and — if the playground's broker with
//! that id was stopped — starts it. It prints a few of Kafka's startup lines, each as Kafka
//! writes it, ending in `Kafka Server started`; Ctrl+C prints the shutdown lines and stops
//! the broker. In a script (kplay) the server keeps running after its startup lines, as if in
//! another terminal.
//!
//! Kafka: core/src/main/scala/kafka/Kafka.scala, core/src/main/scala/kafka/server/
//! {KafkaRaftServer,BrokerServer,ControllerServer}.scala, metadata/src/main/java/org/apache/
//! kafka/metadata/properties/MetaPropertiesEnsemble.java, bin/kafka-server-start.sh.

use super::storage::{NodeConfig, meta_properties};
use crate::console::options::KAFKA_VERSION;
use crate::console::output::Output;
use crate::console::session::{Playground, Session, Status, ToolContext, ToolResult};
use crate::engine::clock::format_log_timestamp;

const USAGE: &str =
    "USAGE: bin/kafka-server-start.sh [-daemon] server.properties [--override property=value]*";

/// A log line as `config/log4j2.yaml` writes it to the console: `[%d] %p %m (%c)%n`.
fn log(pg: &Playground, level: &str, message: &str, logger: &str, out: &mut Output) {
    out.outln(&format!(
        "[{}] {level} {message} ({logger})",
        format_log_timestamp(pg.cluster.now_ms())
    ));
}

pub fn run(args: &[String], ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    let daemon = args.first().is_some_and(|a| a == "-daemon");
    let args = if daemon { &args[1..] } else { args };
    let Some((path, rest)) = args.split_first() else {
        out.outln(USAGE);
        return ToolResult::Exit(1);
    };
    let mut overrides = Vec::new();
    let mut rest = rest.iter();
    while let Some(arg) = rest.next() {
        let pair = match arg.as_str() {
            "--override" => rest.next().cloned().unwrap_or_default(),
            other => other.to_string(),
        };
        if let Some((k, v)) = pair.split_once('=') {
            overrides.push((k.to_string(), v.to_string()));
        }
    }
    let pg = &mut *ctx.playground;
    let mut failed = Output::new();
    let started = start(pg, path, &overrides, &mut failed);
    // A daemon's output goes to logs/kafkaServer.out, not the terminal.
    if !daemon {
        out.append(failed);
    }
    match started {
        Some(node) if !daemon => ToolResult::Running(Box::new(Server { node })),
        Some(_) => ToolResult::Exit(0),
        None if daemon => ToolResult::Exit(0),
        None => ToolResult::Exit(1),
    }
}

/// Starts node `node.id` of the properties file; `None` (with Kafka's fatal lines printed)
/// when it cannot.
fn start(
    pg: &mut Playground,
    path: &str,
    overrides: &[(String, String)],
    out: &mut Output,
) -> Option<i32> {
    let fatal = |pg: &Playground, out: &mut Output, exception: &str| {
        log(
            pg,
            "ERROR",
            "Exiting Kafka due to fatal exception",
            "kafka.Kafka$",
            out,
        );
        out.outln(exception);
        None
    };
    let config = match NodeConfig::read(pg, path, overrides) {
        Ok(c) => c,
        Err(_) => {
            return fatal(
                pg,
                out,
                &format!("java.nio.file.NoSuchFileException: {path}"),
            );
        }
    };
    if config.process_roles.is_empty() {
        return fatal(
            pg,
            out,
            "org.apache.kafka.common.config.ConfigException: Missing required configuration \"process.roles\" which has no default value.",
        );
    }
    let metas: Vec<(String, i32)> = config
        .directories
        .iter()
        .filter_map(|d| meta_properties(pg, d))
        .collect();
    let Some((cluster_id, stored_node)) = metas.first().cloned() else {
        return fatal(
            pg,
            out,
            "java.lang.RuntimeException: No readable meta.properties files found.",
        );
    };
    if meta_properties(pg, &config.metadata_directory).is_none() {
        return fatal(
            pg,
            out,
            "java.lang.RuntimeException: No metadata log directory was specified.",
        );
    }
    if stored_node != config.node_id {
        return fatal(
            pg,
            out,
            &format!(
                "java.lang.RuntimeException: Stored node id {stored_node} doesn't match previous node id {} in {}/meta.properties. If you moved your data, make sure your configured node id matches. If you intend to create a new node, you should remove all data in your data directories.",
                config.node_id, config.metadata_directory
            ),
        );
    }
    let node = config.node_id;
    pg.cluster.set_cluster_id(&cluster_id);
    if pg.cluster.broker(node).is_some_and(|b| !b.running) {
        let _ = pg.cluster.start_broker(node);
    }
    let controller = format!("[ControllerServer id={node}] ");
    let broker = format!("[BrokerServer id={node}] ");
    const BROKER: &str = "kafka.server.BrokerServer";
    if config.is_controller() {
        log(
            pg,
            "INFO",
            &format!("{controller}Starting controller"),
            "kafka.server.ControllerServer",
            out,
        );
    }
    log(
        pg,
        "INFO",
        &format!("{broker}Transition from SHUTDOWN to STARTING"),
        BROKER,
        out,
    );
    log(pg, "INFO", &format!("{broker}Starting broker"), BROKER, out);
    log(
        pg,
        "INFO",
        &format!("{broker}Waiting for the broker to be unfenced"),
        BROKER,
        out,
    );
    log(
        pg,
        "INFO",
        &format!("{broker}Finished waiting for the broker to be unfenced"),
        BROKER,
        out,
    );
    log(
        pg,
        "INFO",
        &format!("{broker}Transition from STARTING to STARTED"),
        BROKER,
        out,
    );
    const APP_INFO: &str = "org.apache.kafka.common.utils.AppInfoParser";
    log(
        pg,
        "INFO",
        &format!("Kafka version: {KAFKA_VERSION}"),
        APP_INFO,
        out,
    );
    log(
        pg,
        "INFO",
        &format!("Kafka startTimeMs: {}", pg.cluster.now_ms()),
        APP_INFO,
        out,
    );
    log(
        pg,
        "INFO",
        &format!("[KafkaRaftServer nodeId={node}] Kafka Server started"),
        "kafka.server.KafkaRaftServer",
        out,
    );
    Some(node)
}

/// A server in the foreground: Ctrl+C shuts it down.
struct Server {
    node: i32,
}

impl Session for Server {
    fn interrupt(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        let node = self.node;
        let broker = format!("[BrokerServer id={node}] ");
        const BROKER: &str = "kafka.server.BrokerServer";
        log(
            pg,
            "INFO",
            "Terminating process due to signal SIGINT",
            "org.apache.kafka.common.utils.LoggingSignalHandler",
            out,
        );
        log(
            pg,
            "INFO",
            &format!("{broker}Transition from STARTED to SHUTTING_DOWN"),
            BROKER,
            out,
        );
        log(pg, "INFO", &format!("{broker}shutting down"), BROKER, out);
        log(
            pg,
            "INFO",
            &format!("{broker}shut down completed"),
            BROKER,
            out,
        );
        log(
            pg,
            "INFO",
            &format!("{broker}Transition from SHUTTING_DOWN to SHUTDOWN"),
            BROKER,
            out,
        );
        log(
            pg,
            "INFO",
            &format!("[ControllerServer id={node}] shutting down"),
            "kafka.server.ControllerServer",
            out,
        );
        log(
            pg,
            "INFO",
            &format!("App info kafka.server for {node} unregistered"),
            "org.apache.kafka.common.utils.AppInfoParser",
            out,
        );
        let _ = pg.cluster.stop_broker(node);
        // The JVM exits with 130 after SIGINT (128 + 2), as bash reports it.
        Status::Exited(130)
    }

    fn poll(&mut self, _: &mut Playground, _: &mut Output) -> Status {
        Status::Running
    }

    /// In a script the server runs on, as in another terminal.
    fn finish(&mut self, _: &mut Playground, _: &mut Output) -> Status {
        Status::Running
    }

    fn kill(&mut self, pg: &mut Playground) {
        let _ = pg.cluster.stop_broker(self.node);
    }
}

#[cfg(test)]
mod tests {
    use crate::console::{Playground, Prompt, Terminal};
    use crate::engine::{Cluster, ClusterConfig};

    #[test]
    fn the_server_runs_in_the_foreground_until_ctrl_c_stops_its_broker() {
        let mut pg = Playground::scripted(Cluster::new(ClusterConfig {
            brokers: 1,
            ..ClusterConfig::default()
        }));
        let mut t = Terminal::new();
        t.enter(&mut pg, "cd kafka_2.13-4.3.0");
        t.enter(
            &mut pg,
            "bin/kafka-storage.sh format --standalone -t MkU3OEVBNTcwNTJENDM2Qg -c config/server.properties",
        );
        let started = t
            .enter(
                &mut pg,
                "bin/kafka-server-start.sh config/server.properties",
            )
            .text();
        assert!(started.ends_with(
            "INFO [KafkaRaftServer nodeId=1] Kafka Server started (kafka.server.KafkaRaftServer)\n"
        ));
        assert_eq!(t.prompt(), Prompt::Busy);
        // Typed lines go nowhere while it runs, as in a terminal running a server.
        assert_eq!(t.enter(&mut pg, "ls").text(), "");
        let stopped = t.interrupt(&mut pg).text();
        let lines: Vec<&str> = stopped.lines().map(|l| &l[26..]).collect();
        assert_eq!(
            lines,
            [
                "INFO Terminating process due to signal SIGINT (org.apache.kafka.common.utils.LoggingSignalHandler)",
                "INFO [BrokerServer id=1] Transition from STARTED to SHUTTING_DOWN (kafka.server.BrokerServer)",
                "INFO [BrokerServer id=1] shutting down (kafka.server.BrokerServer)",
                "INFO [BrokerServer id=1] shut down completed (kafka.server.BrokerServer)",
                "INFO [BrokerServer id=1] Transition from SHUTTING_DOWN to SHUTDOWN (kafka.server.BrokerServer)",
                "INFO [ControllerServer id=1] shutting down (kafka.server.ControllerServer)",
                "INFO App info kafka.server for 1 unregistered (org.apache.kafka.common.utils.AppInfoParser)",
            ]
        );
        assert_eq!((t.prompt(), t.last_status()), (Prompt::Shell, 130));
        assert!(pg.cluster.broker(1).is_some_and(|b| !b.running));
        assert_eq!(pg.cluster.cluster_id(), "MkU3OEVBNTcwNTJENDM2Qg");
        // Started again, the broker is back; `-daemon` returns at once and prints nothing.
        t.enter(
            &mut pg,
            "bin/kafka-server-start.sh config/server.properties",
        );
        assert!(pg.cluster.broker(1).is_some_and(|b| b.running));
        t.interrupt(&mut pg);
        let daemon = t
            .enter(
                &mut pg,
                "bin/kafka-server-start.sh -daemon config/server.properties",
            )
            .text();
        assert_eq!((daemon.as_str(), t.prompt()), ("", Prompt::Shell));
        assert!(pg.cluster.broker(1).is_some_and(|b| b.running));
    }
}
