//! `kafka-run-class.sh CLASS [ARGS]`: runs a class of the distribution's jars. The playground
//! runs the Kafka Streams demos of `libs/kafka-streams-examples-*.jar` (WordCountDemo,
//! PipeDemo) in the foreground until Ctrl+C; a class no jar has is Java's
//! `ClassNotFoundException`.
//!
//! The script logs with `config/tools-log4j2.yaml` (root level WARN, to stderr), so a demo
//! that runs well prints nothing, as the Streams quickstart says.

// Kafka: bin/kafka-run-class.sh (its USAGE line), docs/streams/quickstart.html,
// streams/src/main/java/org/apache/kafka/streams/KafkaStreams.java (SHUTDOWN_CLIENT's error,
// with its missing space), processor/internals/StreamsRebalanceListener.java.

use crate::clients::streams::{Demo, StreamsApp};
use crate::console::output::Output;
use crate::console::session::{Playground, Session, Status, ToolContext, ToolResult};
use crate::engine::clock::format_log_timestamp;

pub fn run(args: &[String], ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    let pg = &mut *ctx.playground;
    let class = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(String::as_str);
    let Some(class) = class else {
        out.outln(
            "USAGE: bin/kafka-run-class.sh [-daemon] [-name servicename] [-loggc] classname [opts]",
        );
        return ToolResult::Exit(1);
    };
    let Some(demo) = Demo::for_class(class) else {
        let known = class.starts_with("kafka.") || class.starts_with("org.apache.kafka.");
        let shipped = known && !class.starts_with("org.apache.kafka.streams.examples.");
        if shipped {
            out.errln(&format!(
                "kafka-run-class.sh: {class}: the playground runs only the Streams demos (WordCountDemo, PipeDemo) with it; type 'help' for the tools."
            ));
        } else {
            out.errln(&format!("Error: Could not find or load main class {class}"));
            out.errln(&format!(
                "Caused by: java.lang.ClassNotFoundException: {class}"
            ));
        }
        return ToolResult::Exit(1);
    };
    let process = pg.cluster.rng().java_uuid();
    let member = pg.cluster.rng().java_uuid();
    let id = pg.streams.iter().map(|a| a.id).max().unwrap_or(0) + 1;
    let app = StreamsApp::new(id, demo, &process, &member, pg.cluster.now_ms());
    let mut session = StreamsDemo { id, failed: false };
    if !app.missing_sources(&pg.cluster).is_empty() {
        // The first rebalance finds no input topic: the client shuts down in ERROR, and the
        // demo's main thread waits on for Ctrl+C.
        let ts = format_log_timestamp(pg.cluster.now_ms());
        out.errln(&format!(
            "[{ts}] ERROR stream-client [{}-{process}] Encountered the following exception during processing and the registered exception handleropted to SHUTDOWN_CLIENT. The streams client is going to shut down now. (org.apache.kafka.streams.KafkaStreams)",
            demo.application_id()
        ));
        out.errln("org.apache.kafka.streams.errors.MissingSourceTopicException: One or more source topics were missing during rebalance");
        session.failed = true;
        return ToolResult::Running(Box::new(session));
    }
    pg.streams.push(app);
    session.work(pg);
    ToolResult::Running(Box::new(session))
}

/// A demo application's terminal session.
pub struct StreamsDemo {
    id: u32,
    /// Shut down in ERROR: it does nothing until Ctrl+C.
    failed: bool,
}

impl StreamsDemo {
    fn work(&self, pg: &mut Playground) {
        let Playground {
            streams, cluster, ..
        } = pg;
        if let Some(app) = streams.iter_mut().find(|a| a.id == self.id) {
            app.poll(cluster);
        }
    }

    fn close(&self, pg: &mut Playground) {
        if let Some(i) = pg.streams.iter().position(|a| a.id == self.id) {
            let mut app = pg.streams.remove(i);
            app.close(&mut pg.cluster);
        }
    }
}

impl Session for StreamsDemo {
    /// The shutdown hook closes the application (a last commit, the group left); the JVM
    /// exits with 130 after SIGINT.
    fn interrupt(&mut self, pg: &mut Playground, _: &mut Output) -> Status {
        self.close(pg);
        Status::Exited(130)
    }

    fn poll(&mut self, pg: &mut Playground, _: &mut Output) -> Status {
        if !self.failed && !pg.streams.iter().any(|a| a.id == self.id) {
            return Status::Exited(130);
        }
        self.work(pg);
        Status::Running
    }

    /// In a script the application runs on, as in another terminal: it works now (after its
    /// group's first rebalance), and again after each later command.
    fn finish(&mut self, pg: &mut Playground, _: &mut Output) -> Status {
        if self.failed {
            return Status::Running;
        }
        self.work(pg);
        let wait = pg
            .streams
            .iter()
            .find(|a| a.id == self.id)
            .and_then(|a| a.rebalance_deadline(&pg.cluster))
            .map(|d| d - pg.cluster.now_ms());
        if let Some(wait) = wait.filter(|w| *w > 0) {
            pg.cluster.advance(wait);
        }
        self.work(pg);
        if let Some(app) = pg.streams.iter_mut().find(|a| a.id == self.id) {
            app.detached = true;
        }
        Status::Running
    }

    fn kill(&mut self, pg: &mut Playground) {
        if let Some(i) = pg.streams.iter().position(|a| a.id == self.id) {
            let app = pg.streams.remove(i);
            if app.joined {
                pg.cluster.stop_heartbeats(app.group(), &app.member_id);
            }
        }
    }
}

/// Applications whose script went on without them: they work after each command.
pub fn poll_detached(pg: &mut Playground) {
    let Playground {
        streams, cluster, ..
    } = pg;
    for app in streams.iter_mut().filter(|a| a.detached) {
        app.poll(cluster);
    }
}
