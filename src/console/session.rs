//! How tools run: a tool gets a [`ToolContext`] and either finishes at once or hands back a
//! [`Session`] that the face drives (lines in, Ctrl+D, Ctrl+C, polling as time passes).
//!
//! Invariant: no session ever blocks; every call returns promptly with what it printed.

use super::files::Files;
use super::output::Output;
use super::playground_txn::HandsOnProducer;
use crate::engine::Cluster;
use crate::vec_map::VecMap;

/// Everything that persists across commands: the cluster and the in-memory files.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Playground {
    pub cluster: Cluster,
    pub files: Files,
    /// The Kafka Connect workers running (`connect-standalone.sh`).
    #[serde(
        default,
        skip_serializing_if = "crate::clients::connect::Connect::is_empty"
    )]
    pub connect: crate::clients::connect::Connect,
    /// The Kafka Streams applications running (`kafka-run-class.sh …WordCountDemo`).
    #[serde(
        default,
        skip_serializing_if = "crate::clients::streams::Streams::nothing_to_save"
    )]
    pub streams: crate::clients::streams::Streams,
    /// How fast the cluster's clock runs with the page's wall clock: 0 is paused, 1 is real
    /// time, 60 makes a minute pass every second. Only the browser follows the wall clock;
    /// kplay moves time only with `playground advance` and `sleep`.
    #[serde(default = "real_time")]
    pub clock_speed: u32,
    /// The hands-on transactional producers of `playground transaction`, by transactional id.
    #[serde(default, skip_serializing_if = "VecMap::is_empty")]
    pub transactional_producers: VecMap<String, HandsOnProducer>,
    /// The real clock the perf tools measure with, lent by the face; never saved.
    #[serde(skip)]
    pub wall_clock: WallClock,
}

fn real_time() -> u32 {
    1
}

/// The fastest the clock may run: a day per second.
pub const MAX_CLOCK_SPEED: u32 = 86_400;

impl Playground {
    pub fn new(cluster: Cluster) -> Self {
        Playground {
            cluster,
            files: Files::default(),
            connect: Default::default(),
            streams: Default::default(),
            clock_speed: real_time(),
            transactional_producers: VecMap::new(),
            wall_clock: WallClock::default(),
        }
    }

    /// A playground driven by a script (kplay, tests): no wall clock moves it, so its clock
    /// reads as paused and moves only with `playground advance` and `sleep`.
    pub fn scripted(cluster: Cluster) -> Self {
        Playground {
            clock_speed: 0,
            ..Playground::new(cluster)
        }
    }

    /// About how many characters this playground takes as JSON: its records' bytes plus the
    /// field names and numbers around each (see [`to_json`]).
    pub fn json_size_hint(&self) -> usize {
        self.cluster
            .topics()
            .flat_map(|t| t.partitions().iter())
            .map(|p| {
                let bytes: u64 = p.log().segments().iter().map(|s| s.size_bytes).sum();
                bytes as usize + p.log().len() * 60
            })
            .sum::<usize>()
            + 64 * 1024
    }
}

/// `value` as JSON, written into a buffer of `capacity` bytes reserved up front. A snapshot
/// of a million records is about 100 MB; grown by doubling, its text would be copied again at
/// every step (in WebAssembly each growth is a new allocation and a copy).
pub fn to_json<T: serde::Serialize + ?Sized>(value: &T, capacity: usize) -> String {
    let mut text = Vec::with_capacity(capacity);
    // Only a map with keys that are not strings or numbers fails, and no saved type has one.
    serde_json::to_writer(&mut text, value).expect("the saved types serialize");
    // serde_json writes UTF-8 only.
    String::from_utf8(text).unwrap_or_default()
}

/// The clock Kafka's perf tools measure their figures with, in milliseconds (any origin: only
/// differences count). The engine and the console never read a wall clock themselves — they
/// are deterministic, and `std::time` panics in WebAssembly — so the face lends one: kplay
/// `std::time::Instant`, the browser `performance.now()`. Without one (tests, transcripts)
/// the perf tools count work instead: every record they handle takes [`FAKE_US_PER_RECORD`]
/// µs of made-up time, so their figures are the same on every run.
#[derive(Clone, Copy, Default)]
pub struct WallClock(Option<fn() -> f64>);

/// What one record costs on the stand-in clock: 1 µs, so a transcript shows a million
/// records a second.
pub const FAKE_US_PER_RECORD: f64 = 1.0;

impl WallClock {
    pub const fn real(now_ms: fn() -> f64) -> Self {
        WallClock(Some(now_ms))
    }

    pub fn is_real(self) -> bool {
        self.0.is_some()
    }

    fn read(self) -> f64 {
        self.0.map_or(0.0, |now| now())
    }
}

/// A lent clock is not part of the playground's state: playgrounds compare equal whatever
/// clock they were lent.
impl PartialEq for WallClock {
    fn eq(&self, _: &WallClock) -> bool {
        true
    }
}

impl std::fmt::Debug for WallClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.is_real() {
            "WallClock(real)"
        } else {
            "WallClock(counted)"
        })
    }
}

/// How long a perf tool works in one call before it hands control back (the page stays
/// responsive; the work goes on at the next poll).
pub const SLICE_MS: f64 = 50.0;

/// What a perf tool reads as `System.currentTimeMillis()`: the cluster's clock plus the real
/// time the tool has spent working. What the tool *does* (how much a slice sends, when a
/// throttled send is due, when it times out) is decided on the counted time instead
/// ([`PerfClock::pace_ms`], [`PerfClock::slice_spent`]): the real clock differs from run to
/// run, and a share link must replay the same records; only the printed figures measure. The tool works in slices; between them the page (or
/// kplay) does other things, and only the cluster's clock moves. So a throttled run, paced by
/// the cluster's clock, shows its rate on that clock, and an unthrottled one, which only
/// works, shows how fast the engine is. The real clock is read every 1024 records, not for
/// each.
#[derive(Debug, Clone)]
pub struct PerfClock {
    wall: WallClock,
    /// Real milliseconds spent in finished slices.
    busy_ms: f64,
    /// The slice under way: when it started, the work done in it, its length so far.
    slice_start: f64,
    slice_work: u64,
    next_read: u64,
    slice_ms: f64,
    /// The same on the counted clock ([`FAKE_US_PER_RECORD`]), whatever clock was lent.
    counted_busy_ms: f64,
}

impl PerfClock {
    pub fn new(wall: WallClock) -> Self {
        PerfClock {
            wall,
            busy_ms: 0.0,
            slice_start: 0.0,
            slice_work: 0,
            next_read: 0,
            slice_ms: 0.0,
            counted_busy_ms: 0.0,
        }
    }

    /// Starts a slice of work.
    pub fn begin(&mut self) {
        self.slice_start = self.wall.read();
        self.slice_work = 0;
        self.next_read = 1024;
        self.slice_ms = 0.0;
    }

    /// Counts `records` handled in this slice.
    pub fn work(&mut self, records: u64) {
        self.slice_work += records;
        if !self.wall.is_real() {
            self.slice_ms = self.slice_work as f64 * FAKE_US_PER_RECORD / 1000.0;
        } else if self.slice_work >= self.next_read {
            self.read();
        }
    }

    /// Reads the real clock now (a tool calls it where a fresh reading matters).
    pub fn read(&mut self) {
        if self.wall.is_real() {
            self.slice_ms = (self.wall.read() - self.slice_start).max(0.0);
            self.next_read = self.slice_work + 1024;
        }
    }

    /// Ends the slice: its time counts as time spent working.
    pub fn end(&mut self) {
        self.read();
        self.busy_ms += self.slice_ms;
        self.slice_ms = 0.0;
        self.counted_busy_ms += self.counted_slice_ms();
        self.slice_work = 0;
    }

    /// Whether this slice has run its course ([`SLICE_MS`]).
    pub fn slice_spent(&self) -> bool {
        self.counted_slice_ms() >= SLICE_MS
    }

    fn counted_slice_ms(&self) -> f64 {
        self.slice_work as f64 * FAKE_US_PER_RECORD / 1000.0
    }

    /// The tool's clock for what it decides (pacing, timeouts): the cluster's clock plus the
    /// counted time of its work. The same as [`PerfClock::now_ms`] on the counted clock.
    pub fn pace_ms(&self, cluster_ms: i64) -> f64 {
        cluster_ms as f64 + self.counted_busy_ms + self.counted_slice_ms()
    }

    /// The tool's `System.currentTimeMillis()`, given the cluster's clock.
    pub fn millis(&self, cluster_ms: i64) -> i64 {
        self.now_ms(cluster_ms) as i64
    }

    /// The same, to the fraction of a millisecond.
    pub fn now_ms(&self, cluster_ms: i64) -> f64 {
        cluster_ms as f64 + self.busy_ms + self.slice_ms
    }
}

/// Where a tool's standard input comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stdin {
    /// A pipe, heredoc or `< file`: the whole input is known, EOF follows it.
    Data(String),
    /// The terminal: the user types lines (the tool becomes an interactive session).
    Terminal,
    /// Nothing will ever come (kplay with no piped input): EOF at once.
    Closed,
}

pub struct ToolContext<'a> {
    pub playground: &'a mut Playground,
    pub stdin: Stdin,
    /// Batch mode (kplay, transcript tests, pasted scripts): sessions are driven to completion
    /// right away — a consumer without `--max-messages`/`--timeout-ms` stops once it has read
    /// everything available.
    pub batch: bool,
}

/// The outcome of starting a tool.
pub enum ToolResult {
    /// Finished with this exit status.
    Exit(i32),
    /// Still running: the face drives the session.
    Running(Box<dyn Session>),
}

/// Whether a session is still running after a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Running,
    Exited(i32),
}

/// A long-running tool (console consumer, interactive producer).
pub trait Session {
    /// The prompt shown while the session waits for a typed line (`>` for the producer), or
    /// `None` if it takes no input (the default: consumers and perf tests read no lines).
    fn prompt(&self) -> Option<&str> {
        None
    }

    /// A line typed by the user (only called when `prompt()` is `Some`).
    fn line(&mut self, pg: &mut Playground, line: &str, out: &mut Output) -> Status {
        let _ = (pg, line, out);
        Status::Running
    }

    /// Ctrl+D: end of input (ignored by tools that read none).
    fn end_of_input(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        let _ = (pg, out);
        Status::Running
    }

    /// Ctrl+C: stop now, printing what the tool prints when interrupted.
    fn interrupt(&mut self, pg: &mut Playground, out: &mut Output) -> Status;

    /// Called as (simulated) time passes: deliver new records, fire timeouts.
    fn poll(&mut self, pg: &mut Playground, out: &mut Output) -> Status;

    /// Batch mode: no more input will come and nobody will press a key; finish as kplay's
    /// contract says (read what is available, then stop as if interrupted or timed out).
    fn finish(&mut self, pg: &mut Playground, out: &mut Output) -> Status;

    /// What the tool is waiting for while it shows nothing, as a `[playground]` note a face
    /// may show dimmed under it (never printed; see `console::waiting`).
    fn waiting(&self, pg: &Playground) -> Option<String> {
        let _ = pg;
        None
    }

    /// `kill -9`: the process dies at once, printing nothing and saying goodbye to no one
    /// (a consumer does not leave its group; the coordinator notices after the session timeout).
    fn kill(&mut self, pg: &mut Playground) {
        let _ = pg;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::Terminal;
    use crate::engine::ClusterConfig;

    #[test]
    fn json_is_serde_json_and_its_buffer_is_reserved_big_enough() {
        let mut pg = Playground::new(Cluster::new(ClusterConfig::default()));
        let mut term = Terminal::batch();
        term.enter(
            &mut pg,
            "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic t --partitions 3",
        );
        term.enter(
            &mut pg,
            "seq 100000000000 100000002000 | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic t",
        );
        let json = to_json(&pg, pg.json_size_hint());
        assert_eq!(
            serde_json::from_str::<Playground>(&json).ok(),
            Some(pg.clone())
        );
        assert!(
            pg.json_size_hint() >= json.len(),
            "{} < {}",
            pg.json_size_hint(),
            json.len()
        );
    }
}
