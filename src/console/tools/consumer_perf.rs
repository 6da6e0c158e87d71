//! `kafka-consumer-perf-test.sh` (`org.apache.kafka.tools.ConsumerPerformance`, Kafka 4.1):
//! consumes `--messages` records of a topic in a consumer group and prints Kafka's CSV line of
//! figures (or, with `--show-detailed-stats`, one line per reporting interval).
//!
//! Kafka 4.1 parses its options with jopt-simple: `--topic` and `--messages` are required
//! (`--include` and `--num-records` came in 4.2), `--bootstrap-server` is not checked (without
//! it the consumer's properties get a null and the tool ends with a `NullPointerException`),
//! and the group defaults to `perf-consumer-` and a random number.
//!
//! It runs as a session, as the console consumer does: it joins its group (the coordinator's
//! `group.initial.rebalance.delay.ms` passes on the cluster's clock, which Kafka reports as
//! `rebalance.time.ms`), reads as fast as the engine serves records, in slices of at most
//! 50 ms, and stops when it has read `--messages` records or when `--timeout` ms pass without
//! one. Ctrl+C kills it as it kills the JVM: no summary, and the group notices the member gone
//! after its session timeout. In a script it reads what is there, waits the timeout on the
//! cluster's clock if that is not enough, and stops.
//!
//! The figures are measured on [`PerfClock`], the cluster's clock plus the real time spent
//! reading: `fetch.time.ms` and the rates are the engine's own speed, the dates are the
//! cluster's (UTC), and transcripts count 1 µs per record instead of reading a real clock.

use crate::clients::consumer::auto_commit::AutoCommit;
use crate::clients::consumer::coordinator::{ConsumerCoordinator, group_protocol};
use crate::clients::consumer::subscription_state::SubscriptionState;
use crate::engine::TopicId;
use crate::engine::group::MemberProtocol;
use crate::vec_map::VecSet;

use super::Opening;
use crate::console::java::format_fixed;
use crate::console::options::{self, HELP, Opt, VERSION};
use crate::console::output::Output;
use crate::console::session::{PerfClock, Playground, Session, Status, ToolContext, ToolResult};
use crate::console::tools::producer_perf::print_metric_table;
use crate::engine::assignor::Strategy;
use crate::engine::clock::{civil_from_days, format_log_timestamp};
use crate::engine::error::ErrorCode;
use crate::engine::group::DEFAULT_SESSION_TIMEOUT_MS;
use crate::engine::{Cluster, TopicPartition};

const DESCRIPTION: &str = "This tool is used to verify the consumer performance.";

/// The `--group` default as declared; the help shows the number drawn for this run.
const GROUP_PLACEHOLDER: &str = "perf-consumer-00000";

pub const OPTIONS: &[Opt] = &[
    Opt::string(
        "bootstrap-server",
        "REQUIRED: The server(s) to connect to.",
        "server to connect to",
    ),
    Opt::string("topic", "REQUIRED: The topic to consume from.", "topic"),
    Opt::string("group", "The group id to consume on.", "gid").default(GROUP_PLACEHOLDER),
    Opt::integer(
        "fetch-size",
        "The amount of data to fetch in a single request.",
        "size",
    )
    .default("1048576"),
    Opt::flag(
        "from-latest",
        "If the consumer does not already have an established offset to consume from, start with the latest message present in the log rather than the earliest message.",
    ),
    Opt::integer("socket-buffer-size", "The size of the tcp RECV size.", "size").default("2097152"),
    Opt::string(
        "consumer.config",
        "Consumer config properties file.",
        "config file",
    ),
    Opt::flag("print-metrics", "Print out the metrics."),
    Opt::flag(
        "show-detailed-stats",
        "If set, stats are reported for each reporting interval as configured by reporting-interval",
    ),
    Opt::long(
        "timeout",
        "The maximum allowed time in milliseconds between returned records.",
        "milliseconds",
    )
    .optional()
    .default("10000"),
    Opt::long(
        "messages",
        "REQUIRED: The number of messages to send or consume",
        "count",
    ),
    Opt::long(
        "reporting-interval",
        "Interval in milliseconds at which to print progress info.",
        "interval_ms",
    )
    .default("5000"),
    Opt::string(
        "date-format",
        "The date format to use for formatting the time field. See java.text.SimpleDateFormat for options.",
        "date format",
    )
    .default("yyyy-MM-dd HH:mm:ss:SSS"),
    Opt::flag(
        "hide-header",
        "If set, skips printing the header for the stats",
    ),
    HELP,
    VERSION,
];

/// `max.poll.records`.
const MAX_POLL_RECORDS: usize = 500;
const CLIENT_ID: &str = "perf-consumer-client";
const MIB: f64 = 1024.0 * 1024.0;

/// `kafka-consumer-perf-test.sh`'s opening. Tutorials for Kafka 4.2 and later use the newer
/// names.
pub const OPENING: Opening = Opening::new(OPTIONS, DESCRIPTION)
    .required(&["topic", "messages"])
    .later_options(&[
        (
            "num-records",
            "[playground] Kafka 4.1 calls it --messages (--num-records came in Kafka 4.2).",
        ),
        (
            "include",
            "[playground] Kafka 4.1 reads one --topic (--include came in Kafka 4.2).",
        ),
    ]);

/// `CommandLineUtils.printUsageAndExit`, with this run's default group in the help.
fn usage(out: &mut Output, message: &str, group_number: u32) -> i32 {
    out.errln(message);
    let shown = format!("perf-consumer-{group_number})");
    let table = options::help_table(OPTIONS).replace(
        &format!("{GROUP_PLACEHOLDER})"),
        &format!("{shown:<width$}", width = GROUP_PLACEHOLDER.len() + 1),
    );
    out.err(&table);
    1
}

/// An exception caught by `main`: its message, then its stack trace's first line(s); exit 1.
fn caught(out: &mut Output, message: &str, trace: &[String]) -> ToolResult {
    out.errln(message);
    for line in trace {
        out.errln(line);
    }
    ToolResult::Exit(1)
}

/// A jopt `valueOf` that fails to convert, thrown from where the value is first read.
fn conversion(out: &mut Output, message: &str) -> ToolResult {
    caught(
        out,
        message,
        &[format!(
            "joptsimple.OptionArgumentConversionException: {message}"
        )],
    )
}

pub fn run(args: &[String], ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    // `RND.nextInt(100_000)`, drawn when the class loads: the default group.
    let group_number = ctx.playground.cluster.rng().below(100_000);
    let files = &ctx.playground.files;
    let opts = match OPENING.open_with(args, files, out, |out, m| usage(out, m, group_number)) {
        Ok(o) => o,
        Err(code) => return ToolResult::Exit(code),
    };
    let detailed = opts.has("show-detailed-stats");
    if !opts.has("hide-header") {
        let extra = ", rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec";
        if detailed {
            out.outln(&format!(
                "time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec{extra}"
            ));
        } else {
            out.outln(&format!(
                "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec{extra}"
            ));
        }
    }
    // `options.props()` and `new KafkaConsumer<>(props)`.
    let pg = &mut *ctx.playground;
    let mut props = Vec::new();
    if let Some(file) = opts.value("consumer.config") {
        match pg.files.read(file) {
            Some(text) => props = options::parse_properties(text),
            None => {
                return caught(
                    out,
                    file,
                    &[format!("java.nio.file.NoSuchFileException: {file}")],
                );
            }
        }
    }
    let Some(servers) = opts.value("bootstrap-server") else {
        return caught(out, "null", &["java.lang.NullPointerException".into()]);
    };
    let group_id = if opts.has("group") {
        opts.value("group").unwrap_or_default().to_string()
    } else {
        format!("perf-consumer-{group_number}")
    };
    for name in ["socket-buffer-size", "fetch-size"] {
        if let Err(e) = opts.int(name) {
            return conversion(out, &e);
        }
    }
    if let Err(e) = validate_bootstrap(servers) {
        return caught(
            out,
            "Failed to construct kafka consumer",
            &[
                "org.apache.kafka.common.KafkaException: Failed to construct kafka consumer".into(),
                format!("Caused by: org.apache.kafka.common.config.ConfigException: {e}"),
            ],
        );
    }
    let client_id = props
        .iter()
        .rev()
        .find(|(k, _)| k == "client.id")
        .map_or(CLIENT_ID.to_string(), |(_, v)| v.clone());
    // `consume()`: the values it reads before subscribing.
    let mut numbers = [0i64; 3];
    for (slot, name) in numbers
        .iter_mut()
        .zip(["messages", "timeout", "reporting-interval"])
    {
        match opts.long(name) {
            Ok(v) => *slot = v.unwrap_or_default(),
            Err(e) => return conversion(out, &e),
        }
    }
    let [num_messages, timeout_ms, reporting_interval_ms] = numbers;
    // `isolation.level` from --consumer.config: read_committed reads to the last stable offset.
    let read_committed = props
        .iter()
        .rev()
        .find(|(k, _)| k == "isolation.level")
        .is_some_and(|(_, v)| v.trim() == "read_committed");
    if reporting_interval_ms <= 0 {
        let message = "Reporting interval must be greater than 0.";
        return caught(
            out,
            message,
            &[format!("java.lang.IllegalArgumentException: {message}")],
        );
    }
    let date_format = match DateFormat::compile(opts.value("date-format").unwrap_or_default()) {
        Ok(f) => f,
        Err(message) => {
            return caught(
                out,
                &message,
                &[format!("java.lang.IllegalArgumentException: {message}")],
            );
        }
    };
    let cluster = &mut pg.cluster;
    let mut clock = PerfClock::new(pg.wall_clock);
    clock.begin();
    clock.end();
    let start_ms = clock.millis(cluster.now_ms());
    let pace_ms = clock.pace_ms(cluster.now_ms()) as i64;
    let prop = |name: &str| {
        props
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
    };
    let (protocol, remote_assignor) = match group_protocol(
        prop("group.protocol").as_deref(),
        prop("group.remote.assignor").as_deref(),
    ) {
        Ok(p) => p,
        Err(e) => {
            return caught(
                out,
                "Failed to construct kafka consumer",
                &[
                    "org.apache.kafka.common.KafkaException: Failed to construct kafka consumer"
                        .into(),
                    format!("Caused by: {e}"),
                ],
            );
        }
    };
    let member_id = match protocol {
        MemberProtocol::Consumer(_) => TopicId::random(cluster.rng()).to_string(),
        MemberProtocol::Classic => format!("{client_id}-{}", cluster.rng().java_uuid()),
    };
    let mut coordinator = ConsumerCoordinator::new(
        group_id,
        member_id,
        client_id,
        vec![Strategy::Range, Strategy::CooperativeSticky],
        None,
        DEFAULT_SESSION_TIMEOUT_MS,
        cluster.now_ms(),
    );
    coordinator.protocol = protocol;
    coordinator.remote_assignor = remote_assignor;
    let mut perf = ConsumerPerf {
        topic: opts.value("topic").unwrap_or_default().to_string(),
        coordinator,
        num_messages,
        timeout_ms,
        reporting_interval_ms,
        detailed,
        date_format,
        print_metrics: opts.has("print-metrics"),
        latest: opts.has("from-latest"),
        clock,
        start_ms,
        assigned: Vec::new(),
        join_start_ms: start_ms,
        join_time_ms: 0,
        join_time_single_round: 0,
        single_round_live: true,
        current_ms: pace_ms,
        last_report_ms: pace_ms,
        last_consumed_ms: pace_ms,
        messages_read: 0,
        bytes_read: 0,
        last_messages_read: 0,
        last_bytes_read: 0,
        // The tool sets no consumer property of the commit: Kafka's defaults.
        subscription: SubscriptionState::new(AutoCommit::defaults(cluster.now_ms())),
        polled: Vec::with_capacity(MAX_POLL_RECORDS),
        read_committed,
    };
    if let Err(e) = perf.subscribe(cluster, out) {
        return caught(out, e.message(), &[e.to_string()]);
    }
    match perf.slice(cluster, out, true) {
        Status::Exited(code) => ToolResult::Exit(code),
        Status::Running => ToolResult::Running(Box::new(perf)),
    }
}

/// `ClientUtils.parseAndValidateAddresses`.
fn validate_bootstrap(servers: &str) -> Result<(), String> {
    let mut any = false;
    for url in servers.split(',').map(str::trim).filter(|u| !u.is_empty()) {
        let valid = url.rsplit_once(':').filter(|(host, port)| {
            !host.is_empty() && !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())
        });
        let Some((_, port)) = valid else {
            return Err(format!("Invalid url in bootstrap.servers: {url}"));
        };
        if port.parse::<u32>().map_or(true, |p| p > 65_535) {
            return Err(format!("Invalid port in bootstrap.servers: {url}"));
        }
        any = true;
    }
    if any {
        Ok(())
    } else {
        Err("No resolvable bootstrap urls given in bootstrap.servers".into())
    }
}

/// A running `ConsumerPerformance`: `consume()`'s loop state and its rebalance listener's.
pub struct ConsumerPerf {
    topic: String,
    /// `isolation.level=read_committed`.
    read_committed: bool,
    /// The group membership (`group.id`, the member id, `client.id`).
    coordinator: ConsumerCoordinator,
    num_messages: i64,
    timeout_ms: i64,
    reporting_interval_ms: i64,
    detailed: bool,
    date_format: DateFormat,
    print_metrics: bool,
    latest: bool,
    clock: PerfClock,
    start_ms: i64,
    // `ConsumerPerfRebListener`
    assigned: Vec<TopicPartition>,
    join_start_ms: i64,
    join_time_ms: i64,
    join_time_single_round: i64,
    /// `consume()` replaces its `joinTimeMsInSingleRound` after the first report, but the
    /// listener keeps adding to the original: later reports show 0.
    single_round_live: bool,
    // `consume()`
    current_ms: i64,
    last_report_ms: i64,
    last_consumed_ms: i64,
    messages_read: i64,
    bytes_read: i64,
    last_messages_read: i64,
    last_bytes_read: i64,
    /// Positions and the auto-commit timer.
    subscription: SubscriptionState,
    /// The key and value bytes of each record the last poll returned.
    polled: Vec<i64>,
}

impl ConsumerPerf {
    fn now(&self, cluster: &Cluster) -> i64 {
        self.clock.millis(cluster.now_ms())
    }

    /// The clock the loop decides by (its timeout, its reports): counted, so a replay ends
    /// the run at the same poll.
    fn pace(&self, cluster: &Cluster) -> i64 {
        self.clock.pace_ms(cluster.now_ms()) as i64
    }

    /// `consumer.subscribe(topics, listener)`: the topic's metadata (a missing topic is
    /// created by the broker), then the group join.
    fn subscribe(
        &mut self,
        cluster: &mut Cluster,
        out: &mut Output,
    ) -> Result<(), crate::engine::KafkaError> {
        let outcome = match cluster.auto_create_topic(&self.topic) {
            Ok(false) => None,
            Ok(true) => Some("LEADER_NOT_AVAILABLE"),
            Err(e) if e.code == ErrorCode::NotController => Some("LEADER_NOT_AVAILABLE"),
            Err(_) => Some("INVALID_TOPIC_EXCEPTION"),
        };
        if let Some(outcome) = outcome {
            out.errln(&format!(
                "[{}] WARN [Consumer clientId={}, groupId={}] Error while fetching metadata with correlation id 1 : {{{}={outcome}}} (org.apache.kafka.clients.NetworkClient)",
                format_log_timestamp(cluster.now_ms()),
                self.coordinator.client_id,
                self.coordinator.group_id,
                self.topic
            ));
        }
        self.join(cluster)
    }

    fn join(&mut self, cluster: &mut Cluster) -> Result<(), crate::engine::KafkaError> {
        self.coordinator.join(cluster, self.topics(cluster))
    }

    /// The subscription: the topic, once it exists.
    fn topics(&self, cluster: &Cluster) -> VecSet<String> {
        VecSet::from_iter(cluster.topic(&self.topic).map(|t| t.name().to_string()))
    }

    /// The partitions the coordinator gives this member now, calling the rebalance
    /// listener's `onPartitionsRevoked`/`onPartitionsAssigned` as they change.
    fn rebalance(&mut self, cluster: &mut Cluster) {
        let topics = self.topics(cluster);
        let wanted = match self.coordinator.poll(cluster, &topics) {
            Some(partitions) => partitions,
            None => {
                // Removed by the coordinator (session timeout), or the topic changed: join
                // again, owning nothing meanwhile.
                let _ = self.join(cluster);
                Vec::new()
            }
        };
        if wanted == self.assigned {
            return;
        }
        let now = self.now(cluster);
        let revoked: Vec<TopicPartition> = self
            .assigned
            .iter()
            .filter(|tp| !wanted.contains(tp))
            .cloned()
            .collect();
        if !revoked.is_empty() {
            // Auto-commit before the partitions go.
            self.commit(cluster);
            self.assigned.retain(|tp| !revoked.contains(tp));
            self.subscription.retain(|tp| !revoked.contains(tp));
            if self.assigned.is_empty() {
                self.join_start_ms = now;
            }
        }
        let added: Vec<TopicPartition> = wanted
            .iter()
            .filter(|tp| !self.assigned.contains(tp))
            .cloned()
            .collect();
        if !added.is_empty() {
            if self.assigned.is_empty() {
                let elapsed = now - self.join_start_ms;
                self.join_time_ms += elapsed;
                if self.single_round_live {
                    self.join_time_single_round += elapsed;
                }
            }
            self.assigned.extend(added);
        }
    }

    /// Where a partition is read from: the group's committed offset, else `auto.offset.reset`
    /// (`earliest`, or `latest` with `--from-latest`); a position outside the log resets too.
    fn position(&mut self, cluster: &Cluster, tp: &TopicPartition) -> Option<i64> {
        let (start, end) = cluster.offsets_of(tp).ok()?;
        let reset = if self.latest { end } else { start };
        let position = match self.subscription.position(tp) {
            Some(p) => p,
            None => cluster
                .committed_offset(&self.coordinator.group_id, tp)
                .unwrap_or(reset),
        };
        let log_end = cluster
            .topic(&tp.topic)
            .and_then(|t| t.partition(tp.partition))
            .map_or(end, |p| p.log_end_offset());
        let position = if (start..=log_end).contains(&position) {
            position
        } else {
            reset
        };
        self.subscription.seek(tp, position);
        Some(position)
    }

    /// One `consumer.poll()`: up to `max.poll.records` records; leaves each one's key and
    /// value bytes in `polled`.
    fn fetch(&mut self, cluster: &mut Cluster) {
        self.rebalance(cluster);
        self.polled.clear();
        for tp in self.assigned.clone() {
            let count = self.polled.len();
            let room = MAX_POLL_RECORDS - count;
            if room == 0 {
                break;
            }
            let Some(position) = self.position(cluster, &tp) else {
                continue;
            };
            let Ok(fetched) = cluster.fetch_isolated(&tp, position, room, self.read_committed)
            else {
                continue;
            };
            if fetched.next_offset == position {
                continue;
            }
            self.polled
                .extend(fetched.records.iter().map(|r| r.data_size() as i64));
            self.subscription.seek(&tp, fetched.next_offset);
        }
    }

    fn commit(&mut self, cluster: &mut Cluster) {
        self.subscription
            .commit(cluster, &self.coordinator.group_id);
    }

    /// `consume()`'s loop for one slice (or, in a script, for as long as there are records):
    /// polls while fewer than `--messages` were read and the last record came at most
    /// `--timeout` ms ago; ends the run when either stops holding.
    fn slice(&mut self, cluster: &mut Cluster, out: &mut Output, bounded: bool) -> Status {
        self.clock.begin();
        loop {
            if self.messages_read >= self.num_messages
                || self.current_ms - self.last_consumed_ms > self.timeout_ms
            {
                self.clock.end();
                return self.close(cluster, out);
            }
            self.fetch(cluster);
            let count = self.polled.len();
            self.clock.work(count as u64);
            self.clock.read();
            self.current_ms = self.pace(cluster);
            if count > 0 {
                self.last_consumed_ms = self.current_ms;
            }
            // Each record counts, and may trigger a report (all of a poll share its time).
            for i in 0..count {
                self.messages_read += 1;
                self.bytes_read += self.polled[i];
                if self.current_ms - self.last_report_ms >= self.reporting_interval_ms {
                    if self.detailed {
                        self.print_progress(out);
                    }
                    self.join_time_single_round = 0;
                    self.single_round_live = false;
                    self.last_report_ms = self.current_ms;
                    self.last_messages_read = self.messages_read;
                    self.last_bytes_read = self.bytes_read;
                }
            }
            if count == 0 || (bounded && self.clock.slice_spent()) {
                break;
            }
        }
        self.clock.end();
        self.subscription
            .maybe_auto_commit(cluster, &self.coordinator.group_id);
        Status::Running
    }

    /// `printConsumerProgress`: one line per reporting interval.
    fn print_progress(&self, out: &mut Output) {
        let (start, end) = (self.last_report_ms, self.current_ms);
        let elapsed_ms = (end - start) as f64;
        let total_mb = self.bytes_read as f64 / MIB;
        let interval_mb = (self.bytes_read - self.last_bytes_read) as f64 / MIB;
        let interval_messages = self.messages_read - self.last_messages_read;
        let fetch_ms = end - start - self.join_time_single_round;
        let (fetch_mb_sec, fetch_msg_sec) = if fetch_ms <= 0 {
            (0.0, 0.0)
        } else {
            (
                1000.0 * interval_mb / fetch_ms as f64,
                1000.0 * interval_messages as f64 / fetch_ms as f64,
            )
        };
        out.outln(&format!(
            "{}, 0, {}, {}, {}, {}, {}, {fetch_ms}, {}, {}",
            self.date_format.format(end),
            format_fixed(total_mb, 4),
            format_fixed(1000.0 * interval_mb / elapsed_ms, 4),
            self.messages_read,
            format_fixed(interval_messages as f64 / elapsed_ms * 1000.0, 4),
            self.join_time_single_round,
            format_fixed(fetch_mb_sec, 4),
            format_fixed(fetch_msg_sec, 4),
        ));
    }

    /// The end of `consume()` and of `main`: the warning if it timed out, the consumer's
    /// close (commit, leave the group), the summary line and the metrics.
    fn close(&mut self, cluster: &mut Cluster, out: &mut Output) -> Status {
        if self.messages_read < self.num_messages {
            out.outln(&format!(
                "WARNING: Exiting before consuming the expected number of messages: timeout ({} ms) exceeded. You can use the --timeout option to increase the timeout.",
                self.timeout_ms
            ));
        }
        let end_ms = self.now(cluster);
        self.commit(cluster);
        self.coordinator.close(cluster);
        if !self.detailed {
            let elapsed_sec = (end_ms - self.start_ms) as f64 / 1000.0;
            let fetch_ms = (end_ms - self.start_ms) - self.join_time_ms;
            let total_mb = self.bytes_read as f64 / MIB;
            let messages = self.messages_read as f64;
            out.outln(&format!(
                "{}, {}, {}, {}, {}, {}, {}, {fetch_ms}, {}, {}",
                self.date_format.format(self.start_ms),
                self.date_format.format(end_ms),
                format_fixed(total_mb, 4),
                format_fixed(total_mb / elapsed_sec, 4),
                self.messages_read,
                format_fixed(messages / elapsed_sec, 4),
                self.join_time_ms,
                format_fixed(total_mb / (fetch_ms as f64 / 1000.0), 4),
                format_fixed(messages / (fetch_ms as f64 / 1000.0), 4),
            ));
        }
        if self.print_metrics {
            let client_id = &self.coordinator.client_id;
            let tags = format!("{{client-id={client_id}}}");
            let topic_tags = format!("{{client-id={client_id}, topic={}}}", self.topic);
            let (records, bytes) = (self.messages_read as f64, self.bytes_read as f64);
            let metrics = [
                (
                    format!("consumer-fetch-manager-metrics:bytes-consumed-total:{tags}"),
                    bytes,
                ),
                (
                    format!("consumer-fetch-manager-metrics:bytes-consumed-total:{topic_tags}"),
                    bytes,
                ),
                (
                    format!("consumer-fetch-manager-metrics:records-consumed-total:{tags}"),
                    records,
                ),
                (
                    format!("consumer-fetch-manager-metrics:records-consumed-total:{topic_tags}"),
                    records,
                ),
            ];
            print_metric_table(&metrics, out);
            out.errln("[playground] Kafka prints every consumer metric here; the playground prints the ones it keeps.");
        }
        Status::Exited(0)
    }

    /// When the group's pending rebalance completes, if one is pending.
    fn rebalance_deadline(&self, cluster: &Cluster) -> Option<i64> {
        self.coordinator.rebalance_deadline(cluster)
    }
}

impl Session for ConsumerPerf {
    /// Ctrl+C ends the JVM: no summary, no commit, no LeaveGroup (the tool has no shutdown
    /// hook); the coordinator notices after the session timeout.
    fn interrupt(&mut self, pg: &mut Playground, _: &mut Output) -> Status {
        self.kill(pg);
        Status::Exited(130)
    }

    fn poll(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        self.slice(&mut pg.cluster, out, true)
    }

    /// In a script: wait for the group's rebalance, read what is there, and if that is not
    /// enough, let the timeout pass on the cluster's clock.
    fn finish(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        let cluster = &mut pg.cluster;
        loop {
            if let Some(deadline) = self.rebalance_deadline(cluster) {
                cluster.advance_to(deadline);
            }
            let before = (self.messages_read, self.assigned.len());
            if let Status::Exited(code) = self.slice(cluster, out, false) {
                return Status::Exited(code);
            }
            if (self.messages_read, self.assigned.len()) != before
                || self.rebalance_deadline(cluster).is_some()
            {
                continue;
            }
            // Nothing more to read: time passes until the timeout ends the loop, in steps the
            // member's heartbeats keep up with (a very long timeout passes in one jump).
            let wait = self
                .last_consumed_ms
                .saturating_add(self.timeout_ms)
                .saturating_add(1)
                .saturating_sub(self.current_ms)
                .max(1);
            let at = cluster.now_ms();
            cluster.advance(if wait > 3_000_000 {
                wait
            } else {
                wait.min(30_000)
            });
            cluster.heartbeat(&self.coordinator.group_id, &self.coordinator.member_id);
            self.current_ms = self.pace(cluster);
            if cluster.now_ms() == at {
                // The clock is at its end.
                return self.close(cluster, out);
            }
        }
    }

    fn kill(&mut self, pg: &mut Playground) {
        self.coordinator.kill(&mut pg.cluster);
    }
}

/// `java.text.SimpleDateFormat` for the playground's time zone (UTC) and English names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFormat {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Field(char, usize),
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

impl DateFormat {
    /// `new SimpleDateFormat(pattern)`, with its errors.
    pub fn compile(pattern: &str) -> Result<DateFormat, String> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut parts = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '\'' {
                if chars.get(i + 1) == Some(&'\'') {
                    parts.push(Part::Literal("'".into()));
                    i += 2;
                    continue;
                }
                let mut text = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err("Unterminated quote".into()),
                        Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                            text.push('\'');
                            i += 2;
                        }
                        Some('\'') => {
                            i += 1;
                            break;
                        }
                        Some(ch) => {
                            text.push(*ch);
                            i += 1;
                        }
                    }
                }
                parts.push(Part::Literal(text));
            } else if c.is_ascii_alphabetic() {
                if !"GyYMLwWDdFEuaHkKhmsSzZX".contains(c) {
                    return Err(format!("Illegal pattern character '{c}'"));
                }
                let mut n = 1;
                while chars.get(i + n) == Some(&c) {
                    n += 1;
                }
                parts.push(Part::Field(c, n));
                i += n;
            } else {
                parts.push(Part::Literal(c.to_string()));
                i += 1;
            }
        }
        Ok(DateFormat { parts })
    }

    /// `format(new Date(ms))` in UTC.
    pub fn format(&self, ms: i64) -> String {
        let days = ms.div_euclid(86_400_000);
        let in_day = ms.rem_euclid(86_400_000);
        let (year, month, day) = civil_from_days(days);
        let (hour, minute, second, milli) = (
            in_day / 3_600_000,
            in_day / 60_000 % 60,
            in_day / 1000 % 60,
            in_day % 1000,
        );
        // 1970-01-01 was a Thursday; Sunday is 0.
        let weekday = (days + 4).rem_euclid(7) as usize;
        let year_start = days - i64::from(day_of_year(year, month, day)) + 1;
        let jan1_weekday = (year_start + 4).rem_euclid(7);
        let day_of_year = days - year_start + 1;
        let month_start_weekday = (days - i64::from(day) + 1 + 4).rem_euclid(7);
        let mut out = String::new();
        for part in &self.parts {
            let (c, n) = match part {
                Part::Literal(text) => {
                    out.push_str(text);
                    continue;
                }
                Part::Field(c, n) => (*c, *n),
            };
            let number = |v: i64| format!("{v:0n$}");
            let text = match c {
                'G' => "AD".to_string(),
                'y' | 'Y' if n == 2 => format!("{:02}", year.rem_euclid(100)),
                'y' | 'Y' => number(year),
                'M' | 'L' if n >= 4 => MONTHS[month as usize - 1].to_string(),
                'M' | 'L' if n == 3 => MONTHS[month as usize - 1][..3].to_string(),
                'M' | 'L' => number(i64::from(month)),
                'w' => number((day_of_year - 1 + jan1_weekday) / 7 + 1),
                'W' => number((i64::from(day) - 1 + month_start_weekday) / 7 + 1),
                'D' => number(day_of_year),
                'd' => number(i64::from(day)),
                'F' => number((i64::from(day) - 1) / 7 + 1),
                'E' if n >= 4 => DAYS[weekday].to_string(),
                'E' => DAYS[weekday][..3].to_string(),
                'u' => number(if weekday == 0 { 7 } else { weekday as i64 }),
                'a' => if hour < 12 { "AM" } else { "PM" }.to_string(),
                'H' => number(hour),
                'k' => number(if hour == 0 { 24 } else { hour }),
                'K' => number(hour % 12),
                'h' => number(if hour % 12 == 0 { 12 } else { hour % 12 }),
                'm' => number(minute),
                's' => number(second),
                'S' => number(milli),
                'z' if n >= 4 => "Coordinated Universal Time".to_string(),
                'z' => "UTC".to_string(),
                'Z' => "+0000".to_string(),
                _ => "Z".to_string(),
            };
            out.push_str(&text);
        }
        out
    }
}

fn day_of_year(year: i64, month: u32, day: u32) -> u32 {
    const BEFORE: [u32; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    BEFORE[month as usize - 1] + day + u32::from(leap && month > 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::clock::DEFAULT_START_MS;

    #[test]
    fn simple_date_format() {
        let default = DateFormat::compile("yyyy-MM-dd HH:mm:ss:SSS").unwrap();
        assert_eq!(
            default.format(DEFAULT_START_MS + 3_723_045),
            "2025-01-01 01:02:03:045"
        );
        let names = DateFormat::compile("EEE, d MMM yy h:mm a 'at' z ''D''").unwrap();
        assert_eq!(
            names.format(DEFAULT_START_MS + 13 * 3_600_000),
            "Wed, 1 Jan 25 1:00 PM at UTC '1'"
        );
        let leap = DateFormat::compile("D w u").unwrap();
        assert_eq!(leap.format(951_782_400_000), "60 10 2");
        assert_eq!(
            DateFormat::compile("yyyy-qq").unwrap_err(),
            "Illegal pattern character 'q'"
        );
        assert_eq!(
            DateFormat::compile("HH 'o''clock").unwrap_err(),
            "Unterminated quote"
        );
    }

    #[test]
    fn bootstrap_addresses() {
        assert!(validate_bootstrap("localhost:9092,b:1").is_ok());
        assert_eq!(
            validate_bootstrap("localhost"),
            Err("Invalid url in bootstrap.servers: localhost".into())
        );
        assert_eq!(
            validate_bootstrap("h:99999"),
            Err("Invalid port in bootstrap.servers: h:99999".into())
        );
        assert_eq!(
            validate_bootstrap(" , "),
            Err("No resolvable bootstrap urls given in bootstrap.servers".into())
        );
    }
}
