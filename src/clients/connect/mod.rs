//! Kafka Connect on the simulated clock: a worker (`connect-standalone.sh`) that runs the
//! file connectors' tasks, keeps their source offsets in its offsets file, and answers the
//! REST API on its port (`curl localhost:8083/connectors`).
//!
//! The workers live in the playground, so `curl` in any tab reaches them; the terminal that
//! started one drives it (its session polls it as time passes, Ctrl+C stops it).
//!
//! Invariant: a worker only runs while its terminal session does; a stopped worker is gone
//! from [`Connect::workers`], and what outlives it is what Kafka keeps: the topic's records,
//! the sink file, the sink group's committed offsets and the offsets file.

// Kafka: connect/runtime/src/main/java/org/apache/kafka/connect/cli/ConnectStandalone.java,
// AbstractConnectCli.java, runtime/Connect.java, runtime/Worker.java,
// runtime/standalone/StandaloneHerder.java, storage/FileOffsetBackingStore.java.

pub mod distributed;
pub mod file_stream;
pub mod java_map;
pub mod json_converter;
pub mod rest;

use crate::clients::LogLine;
use crate::console::Files;
use crate::console::files::resolve;
use crate::engine::Cluster;
use distributed::DistributedTopics;
use file_stream::{FileSink, FileSource};

/// What runs beside the saved state and is rebuilt when needed (a client's buffers): never
/// saved, and playgrounds compare equal whatever it holds.
#[derive(Debug, Clone)]
pub struct Live<T>(pub Option<T>);

impl<T> Default for Live<T> {
    fn default() -> Self {
        Live(None)
    }
}

impl<T> PartialEq for Live<T> {
    fn eq(&self, _: &Live<T>) -> bool {
        true
    }
}

/// The Connect workers running in the playground. A saved session keeps only what each
/// was (one line each, see [`Connect::workers_gone`]): a worker runs in a terminal, and a
/// page that closes stops it; what Kafka keeps of it (topics, group offsets, the offsets file)
/// is saved with the cluster and the files.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Connect {
    pub workers: Vec<Worker>,
    next_id: u32,
    /// Workers of a saved session, stopped when its page closed.
    gone: Vec<String>,
}

impl serde::Serialize for Connect {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut lines = self.gone.clone();
        lines.extend(self.workers.iter().map(Worker::summary));
        lines.serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Connect {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Connect, D::Error> {
        Ok(Connect {
            gone: Vec::<String>::deserialize(d)?,
            ..Connect::default()
        })
    }
}

/// A worker's settings, from its properties file.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerConfig {
    pub port: u16,
    /// `offset.storage.file.filename`, absolute.
    pub offsets_file: String,
    pub flush_interval_ms: i64,
    pub key_schemas: bool,
    pub value_schemas: bool,
    /// Whether `plugin.path` holds the file connectors' jar.
    pub file_plugins: bool,
    /// The directory it was started in: relative connector files are resolved from it.
    pub cwd: String,
    /// `connect-distributed.sh`: where it keeps its state in Kafka.
    pub distributed: Option<DistributedTopics>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Worker {
    pub id: u32,
    pub port: u16,
    pub offsets_file: String,
    pub flush_interval_ms: i64,
    pub next_flush_ms: i64,
    pub key_schemas: bool,
    pub value_schemas: bool,
    pub file_plugins: bool,
    pub cwd: String,
    pub connectors: Vec<Connector>,
    /// Source offsets as the offsets file holds them: (connector, filename, position).
    pub offsets: Vec<(String, String, u64)>,
    /// Runs on without a terminal session (a script went on, as in another terminal).
    pub detached: bool,
    /// A distributed worker's topics (a standalone one keeps its state in memory and its
    /// offsets file).
    pub distributed: Option<DistributedTopics>,
    /// Source offsets as last written to the offsets topic.
    written_offsets: Vec<(String, String, u64)>,
    /// Set while a distributed worker recreates the connectors its config topic holds.
    pub restoring: bool,
    logs: Vec<LogLine>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectorType {
    Source,
    Sink,
}

impl ConnectorType {
    pub fn name(self) -> &'static str {
        match self {
            ConnectorType::Source => "source",
            ConnectorType::Sink => "sink",
        }
    }
    fn class(self) -> &'static str {
        match self {
            ConnectorType::Source => "org.apache.kafka.connect.file.FileStreamSourceConnector",
            ConnectorType::Sink => "org.apache.kafka.connect.file.FileStreamSinkConnector",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Connector {
    pub name: String,
    /// As given, in the order given.
    pub config: Vec<(String, String)>,
    pub kind: ConnectorType,
    /// `RUNNING` or `PAUSED` (the target state).
    pub state: String,
    /// The task's state: the connector's, or `FAILED` with its trace.
    pub task_state: String,
    pub trace: Option<String>,
    /// Whether its config came as JSON over REST (Jackson's `LinkedHashMap`, which keeps the
    /// order given) rather than from a properties file (a `HashMap`).
    pub linked: bool,
    pub source: Option<FileSource>,
    pub sink: Option<FileSink>,
}

impl Connector {
    fn get(&self, key: &str) -> Option<&str> {
        self.config
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// An error the REST API answers with (`ConnectRestException`'s code and message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestError {
    pub code: u16,
    pub message: String,
    /// The exception class a log line names.
    pub exception: &'static str,
}

impl RestError {
    fn new(code: u16, exception: &'static str, message: String) -> Self {
        RestError {
            code,
            message,
            exception,
        }
    }
    pub fn not_found(name: &str) -> Self {
        RestError::new(
            404,
            "org.apache.kafka.connect.errors.NotFoundException",
            format!("Connector {name} not found"),
        )
    }
}

const VERSION: &str = "4.3.0";

/// The connector plugins on the classpath of a 4.x worker (MirrorMaker's), and the file
/// connectors when `plugin.path` names their jar.
pub fn plugins(file_plugins: bool) -> Vec<(&'static str, &'static str)> {
    let mut list = Vec::new();
    if file_plugins {
        list.push((ConnectorType::Sink.class(), "sink"));
        list.push((ConnectorType::Source.class(), "source"));
    }
    list.extend([
        (
            "org.apache.kafka.connect.mirror.MirrorCheckpointConnector",
            "source",
        ),
        (
            "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector",
            "source",
        ),
        (
            "org.apache.kafka.connect.mirror.MirrorSourceConnector",
            "source",
        ),
    ]);
    list
}

/// `Plugins.connectorClass`: a class name, or its simple name with or without `Connector`.
fn connector_class(class: &str, file_plugins: bool) -> Result<ConnectorType, RestError> {
    let simple = class.rsplit('.').next().unwrap_or(class);
    let matches = |full: &str| {
        let s = full.rsplit('.').next().unwrap_or(full);
        full == class
            || s == simple && class == simple
            || s == format!("{simple}Connector") && class == simple
    };
    for (full, _) in plugins(file_plugins) {
        if matches(full) {
            return match full {
                f if f == ConnectorType::Source.class() => Ok(ConnectorType::Source),
                f if f == ConnectorType::Sink.class() => Ok(ConnectorType::Sink),
                _ => Err(RestError::new(
                    500,
                    "org.apache.kafka.connect.errors.ConnectException",
                    format!(
                        "{full}: the playground runs only the file connectors (FileStreamSource, FileStreamSink)"
                    ),
                )),
            };
        }
    }
    let available = plugins(file_plugins)
        .iter()
        .map(|(full, kind)| {
            format!(
                "PluginDesc{{klass=class {full}, name='{full}', version='{VERSION}', encodedVersion={VERSION}, type={kind}, typeName='{kind}', location='classpath'}}"
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    Err(RestError::new(
        500,
        "org.apache.kafka.connect.errors.ConnectException",
        format!(
            "Failed to find any class that implements Connector and which name matches {class}, available connectors are: {available}"
        ),
    ))
}

impl Connect {
    pub fn is_empty(&self) -> bool {
        self.workers.is_empty() && self.gone.is_empty()
    }

    pub fn on_port(&mut self, port: u16) -> Option<&mut Worker> {
        self.workers.iter_mut().find(|w| w.port == port)
    }

    pub fn get_mut(&mut self, id: u32) -> Option<&mut Worker> {
        self.workers.iter_mut().find(|w| w.id == id)
    }

    /// Starts a worker: its offsets come back from its offsets file.
    pub fn start(&mut self, config: WorkerConfig, files: &Files, cluster: &Cluster) -> u32 {
        self.next_id += 1;
        let now = cluster.now_ms();
        let offsets = match &config.distributed {
            Some(d) => DistributedTopics::read(cluster, &d.offsets)
                .into_iter()
                .filter_map(|(k, v)| read_offset(&k, &v?))
                .collect(),
            None => files
                .read(&config.offsets_file)
                .map(read_offsets)
                .unwrap_or_default(),
        };
        self.workers.push(Worker {
            id: self.next_id,
            port: config.port,
            offsets_file: config.offsets_file,
            flush_interval_ms: config.flush_interval_ms,
            next_flush_ms: now + config.flush_interval_ms,
            key_schemas: config.key_schemas,
            value_schemas: config.value_schemas,
            file_plugins: config.file_plugins,
            cwd: config.cwd,
            connectors: Vec::new(),
            written_offsets: offsets.clone(),
            offsets,
            detached: false,
            distributed: config.distributed,
            restoring: false,
            logs: Vec::new(),
        });
        self.next_id
    }

    pub fn remove(&mut self, id: u32) {
        self.workers.retain(|w| w.id != id);
    }

    /// The page closed with the workers' terminals: each stopped without a goodbye (no last
    /// flush, its sink consumers noticed by their group after the session timeout). Returns
    /// what stopped, one line each.
    pub fn workers_gone(&mut self) -> Vec<String> {
        let mut gone = std::mem::take(&mut self.gone);
        gone.extend(
            std::mem::take(&mut self.workers)
                .iter()
                .map(Worker::summary),
        );
        gone
    }
}

/// The offsets file: the real one is a Java-serialized map of the key's and value's bytes;
/// here each entry is its two JSON texts on a line, separated by a tab.
fn read_offsets(text: &str) -> Vec<(String, String, u64)> {
    text.lines()
        .filter_map(|line| {
            let (key, value) = line.split_once('\t')?;
            read_offset(key, value)
        })
        .collect()
}

/// An offset's key (`["connector",{"filename":…}]`) and value (`{"position":…}`).
fn read_offset(key: &str, value: &str) -> Option<(String, String, u64)> {
    let key: serde_json::Value = serde_json::from_str(key).ok()?;
    let value: serde_json::Value = serde_json::from_str(value).ok()?;
    Some((
        key.get(0)?.as_str()?.to_string(),
        key.get(1)?.get("filename")?.as_str()?.to_string(),
        value.get("position")?.as_u64()?,
    ))
}

fn offset_key(connector: &str, filename: &str) -> String {
    serde_json::json!([connector, { "filename": filename }]).to_string()
}

fn write_offsets(offsets: &[(String, String, u64)]) -> String {
    offsets
        .iter()
        .map(|(connector, filename, position)| {
            let key = offset_key(connector, filename);
            format!("{key}\t{{\"position\":{position}}}\n")
        })
        .collect()
}

impl Worker {
    /// What it is, in a line: what a reload says stopped.
    pub fn summary(&self) -> String {
        let names: Vec<&str> = self.connectors.iter().map(|c| c.name.as_str()).collect();
        format!(
            "the Kafka Connect worker on port {} ({})",
            self.port,
            if names.is_empty() {
                "no connectors".to_string()
            } else {
                format!("connectors {}", names.join(", "))
            }
        )
    }

    /// `host:port`, as the status shows it.
    pub fn worker_id(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    pub fn take_logs(&mut self) -> Vec<LogLine> {
        std::mem::take(&mut self.logs)
    }

    pub fn log(&mut self, now: i64, level: &'static str, message: String, logger: &'static str) {
        self.logs.push(LogLine {
            time_ms: now,
            level,
            message,
            logger,
        });
    }

    pub fn connector(&self, name: &str) -> Option<&Connector> {
        self.connectors.iter().find(|c| c.name == name)
    }

    /// `putConnectorConfig`: validates the config, then (re)starts the connector and its task.
    /// Returns whether it was created (not replaced).
    pub fn put_connector(
        &mut self,
        name: &str,
        config: Vec<(String, String)>,
        allow_replace: bool,
        cluster: &mut Cluster,
        files: &mut Files,
    ) -> Result<bool, RestError> {
        let get = |key: &str| {
            config
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        };
        let Some(class) = get("connector.class") else {
            let map = config
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(RestError::new(
                400,
                "org.apache.kafka.connect.runtime.rest.errors.BadRequestException",
                format!("Connector config {{{map}}} contains no connector type"),
            ));
        };
        let kind = connector_class(&class, self.file_plugins)?;
        let mut errors = Vec::new();
        let topics: Vec<String> = match kind {
            ConnectorType::Source => match get("topic").filter(|t| !t.is_empty()) {
                Some(t) => vec![t],
                None => {
                    errors.push(
                        "Missing required configuration \"topic\" which has no default value."
                            .to_string(),
                    );
                    vec![]
                }
            },
            ConnectorType::Sink => {
                let topics: Vec<String> = get("topics")
                    .unwrap_or_default()
                    .split(',')
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect();
                if topics.is_empty() {
                    errors.push("Must configure one of topics or topics.regex".to_string());
                }
                topics
            }
        };
        if !errors.is_empty() {
            let mut message = format!(
                "Connector configuration is invalid and contains the following {} error(s):",
                errors.len()
            );
            for e in &errors {
                message.push('\n');
                message.push_str(e);
            }
            message.push_str("\nYou can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`");
            return Err(RestError::new(
                400,
                "org.apache.kafka.connect.runtime.rest.errors.BadRequestException",
                message,
            ));
        }
        let created = match self.connectors.iter().position(|c| c.name == name) {
            Some(_) if !allow_replace => {
                return Err(RestError::new(
                    409,
                    "org.apache.kafka.connect.errors.AlreadyExistsException",
                    format!("Connector {name} already exists"),
                ));
            }
            Some(i) => {
                let mut old = self.connectors.remove(i);
                self.stop_connector(&mut old, cluster, files);
                false
            }
            None => true,
        };
        let now = cluster.now_ms();
        let mut connector = Connector {
            name: name.to_string(),
            config,
            kind,
            state: "RUNNING".into(),
            task_state: "RUNNING".into(),
            trace: None,
            linked: false,
            source: None,
            sink: None,
        };
        if !connector.config.iter().any(|(k, _)| k == "name") {
            connector.config.push(("name".into(), name.to_string()));
        }
        self.log(
            now,
            "INFO",
            format!("[{name}|worker] Creating connector {name} of type {class}"),
            "org.apache.kafka.connect.runtime.Worker:313",
        );
        self.log(
            now,
            "INFO",
            format!("[{name}|task-0] Creating task {name}-0"),
            "org.apache.kafka.connect.runtime.Worker:646",
        );
        let file = connector.get("file").unwrap_or("").to_string();
        let path = resolve(&self.cwd, &file);
        match kind {
            ConnectorType::Source => {
                let position = self
                    .offsets
                    .iter()
                    .find(|(c, f, _)| c == name && *f == file)
                    .map_or(0, |(_, _, p)| *p);
                connector.source = Some(FileSource::new(
                    file,
                    path,
                    topics.first().cloned().unwrap_or_default(),
                    position,
                ));
            }
            ConnectorType::Sink => {
                // The task opens its file for appending: it exists from now on.
                files.append(&path, "");
                let client_id = format!("connector-consumer-{name}-0");
                let member_id = format!("{client_id}-{}", cluster.rng().java_uuid());
                connector.sink = Some(FileSink {
                    path,
                    topics,
                    group: format!("connect-{name}"),
                    member_id,
                    client_id,
                    positions: Vec::new(),
                    joined: false,
                });
            }
        }
        let config = connector.config.clone();
        self.connectors.push(connector);
        if !self.restoring {
            self.record_state(cluster, name, Some(&config), Some("RUNNING"), false);
        }
        Ok(created)
    }

    /// The line a started task logs, once its connector was created.
    pub fn task_started(&mut self, name: &str, now: i64) {
        let Some(kind) = self.connector(name).map(|c| c.kind) else {
            return;
        };
        let (what, logger) = match kind {
            ConnectorType::Source => (
                format!(
                    "WorkerSourceTask{{id={name}-0}} Source task finished initialization and start"
                ),
                "org.apache.kafka.connect.runtime.AbstractWorkerSourceTask:280",
            ),
            ConnectorType::Sink => (
                format!(
                    "WorkerSinkTask{{id={name}-0}} Sink task finished initialization and start"
                ),
                "org.apache.kafka.connect.runtime.WorkerSinkTask:325",
            ),
        };
        self.log(now, "INFO", format!("[{name}|task-0] {what}"), logger);
    }

    fn stop_connector(
        &mut self,
        connector: &mut Connector,
        cluster: &mut Cluster,
        files: &mut Files,
    ) {
        let now = cluster.now_ms();
        let name = connector.name.clone();
        self.log(
            now,
            "INFO",
            format!("[{name}|worker] Stopping connector {name}"),
            "org.apache.kafka.connect.runtime.Worker:452",
        );
        self.log(
            now,
            "INFO",
            format!("[{name}|task-0] Stopping task {name}-0"),
            "org.apache.kafka.connect.runtime.Worker:1048",
        );
        if let Some(source) = &connector.source {
            self.record_offset(&name, &source.filename, source.position);
            self.flush_offsets(cluster, files);
        }
        if let Some(sink) = &mut connector.sink {
            sink.close(cluster);
        }
    }

    fn record_offset(&mut self, connector: &str, filename: &str, position: u64) {
        match self
            .offsets
            .iter_mut()
            .find(|(c, f, _)| c == connector && f == filename)
        {
            Some(entry) => entry.2 = position,
            None => self
                .offsets
                .push((connector.to_string(), filename.to_string(), position)),
        }
    }

    /// Writes the source offsets where the worker keeps them: its offsets file, or (a
    /// distributed worker) the offsets topic, the ones that changed.
    fn flush_offsets(&mut self, cluster: &mut Cluster, files: &mut Files) {
        let Some(d) = self.distributed.as_mut() else {
            files.write(&self.offsets_file, write_offsets(&self.offsets));
            return;
        };
        for (c, f, p) in &self.offsets {
            if self
                .written_offsets
                .iter()
                .any(|w| w.0 == *c && w.1 == *f && w.2 == *p)
            {
                continue;
            }
            let topic = d.offsets.clone();
            d.write(
                cluster,
                &topic,
                &offset_key(c, f),
                Some(format!("{{\"position\":{p}}}")),
            );
        }
        self.written_offsets = self.offsets.clone();
    }

    /// A distributed worker records a connector's config, target state or status in its
    /// topics; a standalone one keeps them in memory only.
    fn record_state(
        &mut self,
        cluster: &mut Cluster,
        name: &str,
        config: Option<&[(String, String)]>,
        state: Option<&str>,
        deleted: bool,
    ) {
        let worker_id = self.worker_id();
        let Some(d) = self.distributed.as_mut() else {
            return;
        };
        let (configs, status) = (d.configs.clone(), d.status.clone());
        if deleted {
            d.write(cluster, &configs, &format!("connector-{name}"), None);
            d.write(cluster, &configs, &format!("target-state-{name}"), None);
            return;
        }
        if let Some(config) = config {
            // The order the config came in (Jackson writes the map as it iterates).
            let fields: Vec<String> = config
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}:{}",
                        serde_json::Value::String(k.clone()),
                        serde_json::Value::String(v.clone())
                    )
                })
                .collect();
            let value = format!(r#"{{"properties":{{{}}}}}"#, fields.join(","));
            d.write(cluster, &configs, &format!("connector-{name}"), Some(value));
        }
        if let Some(state) = state {
            if state != "RUNNING" || config.is_none() {
                let value = format!(r#"{{"state":"{state}","state.v2":"{state}"}}"#);
                d.write(
                    cluster,
                    &configs,
                    &format!("target-state-{name}"),
                    Some(value),
                );
            }
            let value = format!(
                r#"{{"state":"{state}","trace":null,"worker_id":"{worker_id}","generation":1}}"#
            );
            d.write(
                cluster,
                &status,
                &format!("status-connector-{name}"),
                Some(value.clone()),
            );
            d.write(
                cluster,
                &status,
                &format!("status-task-{name}-0"),
                Some(value),
            );
        }
    }

    /// `DELETE /connectors/NAME`.
    pub fn delete_connector(
        &mut self,
        name: &str,
        cluster: &mut Cluster,
        files: &mut Files,
    ) -> Result<(), RestError> {
        let i = self
            .connectors
            .iter()
            .position(|c| c.name == name)
            .ok_or_else(|| RestError::not_found(name))?;
        let mut connector = self.connectors.remove(i);
        self.stop_connector(&mut connector, cluster, files);
        self.record_state(cluster, name, None, None, true);
        Ok(())
    }

    /// `PUT /connectors/NAME/pause|resume`.
    pub fn set_target_state(
        &mut self,
        name: &str,
        state: &str,
        cluster: &mut Cluster,
    ) -> Result<(), RestError> {
        let c = self
            .connectors
            .iter_mut()
            .find(|c| c.name == name)
            .ok_or_else(|| RestError::not_found(name))?;
        c.state = state.to_string();
        if c.task_state != "FAILED" {
            c.task_state = state.to_string();
        }
        self.record_state(cluster, name, None, Some(state), false);
        Ok(())
    }

    /// When its sink tasks' groups finish a pending rebalance (a script waits for it).
    pub fn rebalance_deadline(&self, cluster: &Cluster) -> Option<i64> {
        self.connectors
            .iter()
            .filter_map(|c| c.sink.as_ref())
            .filter_map(|s| s.rebalance_deadline(cluster))
            .max()
    }

    /// As time passes: each running task polls, and offsets are flushed on their interval.
    pub fn poll(&mut self, cluster: &mut Cluster, files: &mut Files) {
        let mut connectors = std::mem::take(&mut self.connectors);
        for c in &mut connectors {
            if c.state != "RUNNING" || c.task_state != "RUNNING" {
                continue;
            }
            if let Some(source) = &mut c.source {
                let missing = files.read(&source.path).is_none();
                if missing && !source.missing_reported {
                    source.missing_reported = true;
                    self.log(
                        cluster.now_ms(),
                        "WARN",
                        format!(
                            "[{}|task-0] Couldn't find file {} for FileStreamSourceTask, sleeping to wait for it to be created",
                            c.name, source.filename
                        ),
                        "org.apache.kafka.connect.file.FileStreamSourceTask:110",
                    );
                }
                let _ = source.poll(cluster, files, self.value_schemas);
            }
            if let Some(sink) = &mut c.sink {
                if let Err(trace) = sink.poll(cluster, files, self.value_schemas) {
                    let name = c.name.clone();
                    self.log(
                        cluster.now_ms(),
                        "ERROR",
                        format!(
                            "[{name}|task-0] WorkerSinkTask{{id={name}-0}} Task threw an uncaught and unrecoverable exception. Task is being killed and will not recover until manually restarted"
                        ),
                        "org.apache.kafka.connect.runtime.WorkerTask:234",
                    );
                    // RetryWithToleranceOperator wraps the converter's exception (errors.tolerance=none);
                    // the stack frames are not kept.
                    let trace = format!(
                        "org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded in error handler\nCaused by: {trace}"
                    );
                    // The throwable's lines follow the log line as they are (no level).
                    self.log(cluster.now_ms(), "", trace.clone(), "");
                    c.task_state = "FAILED".into();
                    c.trace = Some(trace);
                    sink.close(cluster);
                }
            }
        }
        self.connectors = connectors;
        if cluster.now_ms() >= self.next_flush_ms {
            self.flush(cluster, files);
            let interval = self.flush_interval_ms.max(1);
            while self.next_flush_ms <= cluster.now_ms() {
                self.next_flush_ms += interval;
            }
        }
    }

    /// Commits what the tasks did: source positions to the offsets file, sink positions to
    /// their groups.
    fn flush(&mut self, cluster: &mut Cluster, files: &mut Files) {
        let sources: Vec<(String, String, u64)> = self
            .connectors
            .iter()
            .filter_map(|c| {
                c.source
                    .as_ref()
                    .map(|s| (c.name.clone(), s.filename.clone(), s.position))
            })
            .collect();
        if !sources.is_empty() {
            for (c, f, p) in sources {
                self.record_offset(&c, &f, p);
            }
            self.flush_offsets(cluster, files);
        }
        for c in &self.connectors {
            if let Some(sink) = &c.sink {
                sink.commit(cluster);
            }
        }
    }

    /// The worker stops (Ctrl+C, `kill`): every connector and task stops after a last flush.
    pub fn stop(&mut self, cluster: &mut Cluster, files: &mut Files) {
        let mut connectors = std::mem::take(&mut self.connectors);
        for c in &mut connectors {
            self.stop_connector(c, cluster, files);
        }
    }
}
