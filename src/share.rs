//! A session as the list of what was typed, when and where: the journal. Because the engine
//! is deterministic, replaying a journal on a fresh cluster with the same start gives the same
//! state — which makes share links (the journal, deflated into a URL fragment) and a script
//! for a real cluster possible. Replaying one is the session's (`session::replay`).
//!
//! Invariant: decoding is bounded (size, entries) and never panics: a link is untrusted input,
//! and it can only type console lines.

use serde::{Deserialize, Serialize};

/// What happened in a terminal tab; in a link by its variant's name (`"k": "Line"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// A line entered (a command at the prompt, or input to a running tool).
    Line,
    /// Ctrl+C
    Interrupt,
    /// Ctrl+D
    EndOfInput,
    /// The tab was closed (what ran in it was stopped).
    Close,
    /// `undo` (the browser takes the cluster back to before the last change).
    Undo,
    /// The end of a script (kplay): a heredoc left open runs, background jobs finish.
    EndOfScript,
    /// A tab was opened (`+`).
    Open,
    /// While the clock was paused, the page's ticks let the running tools work this many
    /// times (`s`) at `t` (`w` is 0): a perf test or a large pipe goes on while time stands.
    Poll,
    /// The page's clock leapt (a page woken from sleep): the cluster's clock went from `t`
    /// straight to the time in `s`, without polling the tools on the way (`w` is 0).
    Jump,
    /// The page was reloaded or crashed, and the session came back from storage: every tool
    /// that ran ended without a goodbye (`w` is 0).
    Reload,
}

/// In a link: `{"k": kind, "s": text, "t": at_ms, "w": tab}` (`s` left out when empty).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Entry {
    /// The cluster's simulated time when it happened.
    #[serde(rename = "t")]
    pub at_ms: i64,
    #[serde(rename = "w")]
    pub tab: usize,
    #[serde(rename = "k")]
    pub kind: Kind,
    #[serde(rename = "s", default)]
    pub text: String,
}

/// In a link and in a saved session: `{"brokers", "entries", "script" (left out when false),
/// "seed" (left out when the default), "setup" (left out when empty), "start_ms"}`. Read in
/// any order; unknown fields are ignored.
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct Journal {
    pub start_ms: i64,
    pub brokers: i32,
    /// The cluster's seed (topic ids, member ids), when not the default (`kplay --seed`).
    #[serde(default)]
    pub seed: Option<u64>,
    /// Run as a script (kplay): batch terminals, where tools finish at once, and a clock that
    /// only commands move.
    #[serde(default)]
    pub script: bool,
    /// In a link: the cluster's time when it was made (the clock ran on after the last entry,
    /// and what ran meanwhile is part of what its author saw).
    #[serde(default)]
    pub until_ms: Option<i64>,
    /// Commands run before the session started (a lesson's setup), in a batch terminal.
    #[serde(default)]
    pub setup: Vec<String>,
    pub entries: Vec<Entry>,
}

// Journals and their entries are written with their keys in sorted order, as the journal was
// first written as a serde_json `Value` (a sorted map); links already shared must keep opening,
// so the shape is fixed. The structs keep their own field order (their `Debug` is what the
// snapshot fixtures record), so each is written through a copy of borrowed fields, sorted.

/// The fields as they were before `seed`, `script` and `until_ms` existed, those only when set: the
/// snapshot fixtures record a journal's `Debug`.
impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut s = f.debug_struct("Journal");
        s.field("start_ms", &self.start_ms)
            .field("brokers", &self.brokers);
        if let Some(seed) = &self.seed {
            s.field("seed", seed);
        }
        if self.script {
            s.field("script", &self.script);
        }
        s.field("setup", &self.setup)
            .field("entries", &self.entries);
        if let Some(until) = &self.until_ms {
            s.field("until_ms", until);
        }
        s.finish()
    }
}

impl Serialize for Journal {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Sorted<'a> {
            brokers: i32,
            entries: &'a [Entry],
            #[serde(skip_serializing_if = "std::ops::Not::not")]
            script: bool,
            #[serde(skip_serializing_if = "Option::is_none")]
            seed: Option<u64>,
            #[serde(skip_serializing_if = "<[String]>::is_empty")]
            setup: &'a [String],
            start_ms: i64,
            #[serde(skip_serializing_if = "Option::is_none")]
            until_ms: Option<i64>,
        }
        Sorted {
            brokers: self.brokers,
            entries: &self.entries,
            script: self.script,
            seed: self.seed,
            setup: &self.setup,
            start_ms: self.start_ms,
            until_ms: self.until_ms,
        }
        .serialize(s)
    }
}

impl Serialize for Entry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Sorted<'a> {
            k: &'a Kind,
            #[serde(skip_serializing_if = "str::is_empty")]
            s: &'a str,
            t: i64,
            w: usize,
        }
        Sorted {
            k: &self.kind,
            s: &self.text,
            t: self.at_ms,
            w: self.tab,
        }
        .serialize(s)
    }
}

/// Longest share link fragment we produce: longer URLs break in chat apps and some browsers.
pub const MAX_LINK_CHARS: usize = 8_000;
/// Bounds on what a decoded link may hold.
const MAX_DECODED_BYTES: usize = 1 << 20;
const MAX_ENTRIES: usize = 10_000;
impl Journal {
    pub fn new(start_ms: i64, brokers: i32) -> Self {
        Journal {
            start_ms,
            brokers,
            seed: None,
            script: false,
            until_ms: None,
            setup: Vec::new(),
            entries: Vec::new(),
        }
    }

    pub fn record(&mut self, at_ms: i64, tab: usize, kind: Kind, text: &str) {
        if self.entries.len() < MAX_ENTRIES {
            self.entries.push(Entry {
                at_ms,
                tab,
                kind,
                text: text.to_string(),
            });
        }
    }

    /// One more paused poll at `at_ms`: counted in the last entry when it is one at that time.
    pub fn record_poll(&mut self, at_ms: i64) {
        if let Some(last) = self.entries.last_mut()
            && last.kind == Kind::Poll
            && last.at_ms == at_ms
        {
            let n: u64 = last.text.parse().unwrap_or(0);
            last.text = n.saturating_add(1).to_string();
            return;
        }
        self.record(at_ms, 0, Kind::Poll, "1");
    }

    /// `v1.` + base64url(deflate(JSON)).
    pub fn encode(&self) -> String {
        let json = crate::console::session::to_json(self, 256).into_bytes();
        let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
        format!("v1.{}", base64url_encode(&packed))
    }

    pub fn decode(text: &str) -> Result<Journal, String> {
        let body = text
            .strip_prefix("v1.")
            .ok_or("it is not a Kafka Playground share link (v1)")?;
        // Too large and damaged are told apart: a long link is not a broken one.
        if body.len() > MAX_DECODED_BYTES {
            return Err(format!(
                "the link is too large ({} characters; the playground opens links up to {MAX_DECODED_BYTES})",
                body.len()
            ));
        }
        let packed = base64url_decode(body).ok_or("the link is damaged (not base64url)")?;
        let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_DECODED_BYTES)
            .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                format!("the link is too large (it unpacks to more than {MAX_DECODED_BYTES} bytes)")
            }
            _ => "the link is damaged (cannot inflate)".to_string(),
        })?;
        // Read as text, as the saved session is: one JSON reader in the wasm instead of two.
        let json = std::str::from_utf8(&json).map_err(|_| "the link is damaged (not UTF-8)")?;
        let journal: Journal = serde_json::from_str(json)
            .map_err(|e| format!("the link is damaged (not a Kafka Playground session: {e})"))?;
        if journal.entries.len() > MAX_ENTRIES || !(1..=9).contains(&journal.brokers) {
            return Err("the link describes more than the playground replays".into());
        }
        Ok(journal)
    }
}

/// A bash script that runs the journal's commands against a real cluster. Playground-only
/// commands become comments; lines typed into a running producer become a heredoc.
pub fn to_script(journal: &Journal) -> String {
    let mut s = String::from(
        "#!/usr/bin/env bash\n\
         # Commands from a Kafka Playground session, for a real Kafka 4.x cluster.\n\
         # Usage: BOOTSTRAP=host:9092 KAFKA_BIN=/opt/kafka/bin bash kafka-session.sh\n\
         # Consumers without --max-messages or --timeout-ms run until you press Ctrl+C.\n\
         set -u\n\
         BOOTSTRAP=\"${BOOTSTRAP:-localhost:9092}\"\n\
         KAFKA_BIN=\"${KAFKA_BIN:-bin}\"\n\n",
    );
    for line in &journal.setup {
        s.push_str(&script_line(line));
    }
    // Lines typed into a running tool (an interactive producer) follow its command.
    let mut i = 0;
    let entries = &journal.entries;
    while i < entries.len() {
        let e = &entries[i];
        match e.kind {
            Kind::Line => {
                let mut input = Vec::new();
                let mut j = i + 1;
                while j < entries.len()
                    && entries[j].tab == e.tab
                    && entries[j].kind == Kind::Line
                    && is_tool_input(&entries[i..=j], e.tab)
                {
                    input.push(entries[j].text.clone());
                    j += 1;
                }
                if input.is_empty() {
                    s.push_str(&script_line(&e.text));
                } else {
                    let mut cmd = script_line(&e.text);
                    cmd.pop();
                    s.push_str(&format!("{cmd} <<'PLAYGROUND_INPUT'\n"));
                    for l in input {
                        s.push_str(&l);
                        s.push('\n');
                    }
                    s.push_str("PLAYGROUND_INPUT\n");
                }
                i = j;
                continue;
            }
            Kind::Undo => {
                s.push_str("# (undo in the playground: the previous command was taken back)\n")
            }
            Kind::Interrupt
            | Kind::EndOfInput
            | Kind::Close
            | Kind::EndOfScript
            | Kind::Open
            | Kind::Poll
            | Kind::Jump
            | Kind::Reload => {}
        }
        i += 1;
    }
    s
}

/// Whether the last line of `run` (all in `tab`) is input to the tool its first line started:
/// the first line starts an interactive producer without piped or redirected input.
fn is_tool_input(run: &[Entry], tab: usize) -> bool {
    let first = &run[0].text;
    let interactive = first.contains("kafka-console-producer")
        && !first.contains('|')
        && !first.contains('<')
        && !first.trim_end().ends_with('&');
    // The run continues until Ctrl+D/Ctrl+C in that tab, which ends the producer.
    interactive && run.iter().all(|e| e.tab == tab && e.kind == Kind::Line)
}

/// One console line as a bash line: the real tools under `$KAFKA_BIN`, the bootstrap server
/// from `$BOOTSTRAP`, playground commands as comments.
fn script_line(line: &str) -> String {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return String::new();
    }
    let first = trimmed.split_whitespace().next().unwrap_or("");
    if crate::console::registry::find(first).is_some_and(|c| !c.scripted) || first.starts_with('#')
    {
        return format!("# playground only: {trimmed}\n");
    }
    let stages: Vec<String> = trimmed
        .split('|')
        .map(|stage| {
            let lead = stage.len() - stage.trim_start().len();
            let (space, rest) = stage.split_at(lead);
            let tool = rest.split_whitespace().next().unwrap_or("");
            let base = tool.rsplit('/').next().unwrap_or(tool);
            if base.starts_with("kafka-") {
                let name = if base.ends_with(".sh") {
                    base.to_string()
                } else {
                    format!("{base}.sh")
                };
                format!("{space}\"$KAFKA_BIN\"/{name}{}", &rest[tool.len()..])
            } else {
                stage.to_string()
            }
        })
        .collect();
    format!(
        "{}\n",
        stages.join("|").replace("localhost:9092", "\"$BOOTSTRAP\"")
    )
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

pub(crate) fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

pub(crate) fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| ALPHABET.iter().position(|a| *a == c).map(|p| p as u32);
    let bytes = text.trim_end_matches('=').as_bytes();
    if bytes.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= value(*c)? << (18 - 6 * i);
        }
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn journal() -> Journal {
        let mut j = Journal::new(crate::engine::clock::DEFAULT_START_MS, 3);
        let t0 = j.start_ms;
        j.record(t0 + 1_000, 1, Kind::Line, "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders --partitions 3");
        j.record(
            t0 + 2_000,
            1,
            Kind::Line,
            "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders",
        );
        j.record(t0 + 3_000, 1, Kind::Line, "first");
        j.record(t0 + 3_500, 1, Kind::Line, "second");
        j.record(t0 + 4_000, 1, Kind::EndOfInput, "");
        j.record(t0 + 5_000, 2, Kind::Line, "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic orders --group g --from-beginning");
        j.record(t0 + 12_000, 2, Kind::Interrupt, "");
        j.record(t0 + 13_000, 1, Kind::Line, "playground broker stop 2");
        j.record(
            t0 + 14_000,
            1,
            Kind::Line,
            "kafka-topics.sh --bootstrap-server localhost:9092 --delete --topic orders",
        );
        j.record(t0 + 15_000, 1, Kind::Undo, "");
        j
    }

    #[test]
    fn links_round_trip_and_bad_links_are_refused() {
        let j = journal();
        let link = j.encode();
        assert!(link.len() < 1_000, "{}", link.len());
        assert_eq!(Journal::decode(&link), Ok(j));
        assert!(Journal::decode("v2.abc").is_err());
        assert!(Journal::decode("v1.!!!").is_err());
        assert!(Journal::decode("v1.AAAA").is_err());
        for n in 0..64 {
            assert_eq!(
                base64url_decode(&base64url_encode(&[n as u8; 7][..n % 7])),
                Some(vec![n as u8; n % 7])
            );
        }
    }

    #[test]
    fn the_script_runs_the_same_commands_on_a_real_cluster() {
        let s = to_script(&journal());
        assert!(s.contains("\"$KAFKA_BIN\"/kafka-topics.sh --bootstrap-server \"$BOOTSTRAP\" --create --topic orders --partitions 3\n"));
        assert!(s.contains("\"$KAFKA_BIN\"/kafka-console-producer.sh --bootstrap-server \"$BOOTSTRAP\" --topic orders <<'PLAYGROUND_INPUT'\nfirst\nsecond\nPLAYGROUND_INPUT\n"));
        assert!(s.contains("# playground only: playground broker stop 2\n"));
        assert!(s.contains("# (undo in the playground"));
        // Valid bash: `bash -n` parses it without running anything.
        let path = std::env::temp_dir().join("kplay-share-script.sh");
        std::fs::write(&path, &s).expect("temp file");
        let status = std::process::Command::new("bash")
            .arg("-n")
            .arg(&path)
            .status();
        if let Ok(status) = status {
            assert!(status.success(), "bash -n rejected:\n{s}");
        }
    }
}

/// How a docs page embeds a console (`#embed=` + base64url(JSON) in the iframe's address, written
/// by `embed.js` from the element's `data-` attributes). Every field may be left out; unknown
/// ones are ignored. Fields are declared in the order of their keys, sorted, as they were
/// written when this was a serde_json `Value` (`embed.js` and pages made before read and write
/// this shape).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmbedConfig {
    pub brokers: i32,
    /// The shared cluster this widget uses (`data-cluster`); empty: a cluster of its own.
    pub cluster: String,
    /// Why `cluster` was not used (an unusable name or place): shown in the widget. Not
    /// written.
    #[serde(skip)]
    pub cluster_refused: Option<String>,
    /// The settings could not be read: the widget shows why and nothing else. Not written.
    #[serde(skip)]
    pub refused: bool,
    /// Commands run when the widget loads.
    pub commands: Vec<String>,
    /// A lesson to open.
    pub lesson: String,
    /// Its place among the page's widgets of that cluster: 0 (the first) holds the cluster,
    /// the others attach to it.
    pub member: u32,
    /// Given to member 0 by `embed.js`: the setup of members 1, 2, … in page order, run when
    /// the group starts (so a later widget's commands see an earlier one's topics).
    pub members: Vec<MemberSetup>,
    /// The host page's origin: the only one whose messages the widget answers.
    pub origin: String,
    /// Whether the reader may type.
    pub readonly: bool,
    /// Whether those commands and their output are shown (false: the reader starts after them).
    pub show_commands: bool,
    /// `light`, `dark` or empty (follow the system).
    pub theme: String,
}

/// One later widget's commands, as the group's first widget runs them at start.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MemberSetup {
    pub commands: Vec<String>,
    pub show_commands: bool,
}

/// At most this many commands per widget, each at most this long.
const MAX_EMBED_COMMANDS: usize = 200;
const MAX_EMBED_COMMAND: usize = 10_000;

impl EmbedConfig {
    /// Reads an embed fragment; everything in it is untrusted and bounded.
    pub fn decode(text: &str) -> Result<EmbedConfig, String> {
        if text.len() > 64 * 1024 {
            return Err("the embed settings are too long".into());
        }
        let bytes = base64url_decode(text).ok_or("the embed settings are damaged")?;
        let text = std::str::from_utf8(&bytes).map_err(|_| "bad embed settings (not UTF-8)")?;
        let mut config: EmbedConfig =
            serde_json::from_str(text).map_err(|e| format!("bad embed settings ({e})"))?;
        config.commands.truncate(MAX_EMBED_COMMANDS);
        config.commands.retain(|c| c.len() <= MAX_EMBED_COMMAND);
        config
            .members
            .truncate(crate::widget_group::MAX_MEMBERS as usize - 1);
        for m in &mut config.members {
            m.commands.truncate(MAX_EMBED_COMMANDS);
            m.commands.retain(|c| c.len() <= MAX_EMBED_COMMAND);
        }
        // A name the group cannot use leaves the widget on a cluster of its own, saying why.
        if !config.cluster.is_empty() {
            let refused = crate::widget_group::check_name(&config.cluster)
                .err()
                .or_else(|| {
                    (config.member >= crate::widget_group::MAX_MEMBERS).then(|| {
                        format!(
                            "a shared cluster serves at most {} widgets",
                            crate::widget_group::MAX_MEMBERS
                        )
                    })
                });
            if refused.is_some() {
                config.cluster.clear();
                config.member = 0;
                config.members.clear();
                config.cluster_refused = refused;
            }
        }
        if config.cluster.is_empty() {
            config.member = 0;
        }
        if !(1..=9).contains(&config.brokers) {
            config.brokers = 3;
        }
        if !matches!(config.theme.as_str(), "light" | "dark") {
            config.theme.clear();
        }
        Ok(config)
    }

    /// The settings as base64url(JSON).
    pub fn encode(&self) -> String {
        base64url_encode(crate::console::session::to_json(self, 256).as_bytes())
    }
}

#[cfg(test)]
mod embed_tests {
    use super::*;

    /// Links and embeds written by earlier versions still open.
    #[test]
    fn earlier_shapes_are_read() {
        let old = r#"{"start_ms":1735689600000,"brokers":3,"setup":["kafka-topics.sh --list"],"entries":[{"t":1735689600000,"w":0,"k":"Line","s":"ls"},{"t":1735689601000,"w":1,"k":"Interrupt"},{"t":1735689602000,"w":1,"k":"EndOfInput"},{"t":1735689603000,"w":1,"k":"Close"},{"t":1735689604000,"w":0,"k":"Undo"}]}"#;
        let packed = miniz_oxide::deflate::compress_to_vec(old.as_bytes(), 9);
        let link = format!("v1.{}", base64url_encode(&packed));
        let journal = Journal::decode(&link).expect("an earlier link opens");
        assert_eq!(journal.setup, vec!["kafka-topics.sh --list".to_string()]);
        let kinds: Vec<Kind> = journal.entries.iter().map(|e| e.kind.clone()).collect();
        assert_eq!(
            kinds,
            [
                Kind::Line,
                Kind::Interrupt,
                Kind::EndOfInput,
                Kind::Close,
                Kind::Undo
            ]
        );
        assert_eq!(journal.entries[0].text, "ls");
        assert_eq!(journal.entries[1].text, "");
        assert_eq!(Journal::decode(&journal.encode()), Ok(journal));
        // Fields of the wrong type are refused, unknown ones ignored.
        for bad in [
            r#"{"start_ms":0,"brokers":3,"entries":[{"t":0,"w":0,"k":"Explode"}]}"#,
            r#"{"start_ms":0,"brokers":"3","entries":[]}"#,
            r#"{"start_ms":0,"brokers":3}"#,
            r#"{"start_ms":0,"brokers":3,"entries":[{"t":0,"w":-1,"k":"Line"}]}"#,
        ] {
            assert!(serde_json::from_str::<Journal>(bad).is_err(), "{bad}");
        }
        let later = r#"{"start_ms":0,"brokers":3,"entries":[],"later":1}"#;
        assert!(serde_json::from_str::<Journal>(later).is_ok());

        let old_embed = r#"{"commands":["ls"],"show_commands":true,"brokers":1,"theme":"dark","readonly":false,"lesson":"","origin":"https://docs.example","cluster":"tour","member":0,"members":[{"commands":["pwd"],"show_commands":false}]}"#;
        let c = EmbedConfig::decode(&base64url_encode(old_embed.as_bytes())).expect("opens");
        assert_eq!(c.commands, vec!["ls".to_string()]);
        assert_eq!(
            (c.brokers, c.theme.as_str(), c.cluster.as_str()),
            (1, "dark", "tour")
        );
        assert_eq!(c.members[0].commands, vec!["pwd".to_string()]);
        assert_eq!(EmbedConfig::decode(&c.encode()), Ok(c));
        let empty = EmbedConfig::decode(&base64url_encode(b"{}")).expect("all defaults");
        assert_eq!(empty.brokers, 3);
        assert!(EmbedConfig::decode(&base64url_encode(br#"{"readonly":"yes"}"#)).is_err());
    }

    /// Embed settings are written as serde_json's `json!` wrote them (`embed.js` and pages
    /// made before read and write this shape).
    #[test]
    fn embed_settings_are_written_as_before() {
        let c = EmbedConfig {
            commands: vec!["ls".into(), "echo \"é😀\" \\ \t".into()],
            show_commands: true,
            brokers: 5,
            theme: "dark".into(),
            readonly: true,
            lesson: "intro".into(),
            origin: "https://docs.example".into(),
            cluster: "tour".into(),
            member: 3,
            members: vec![
                MemberSetup {
                    commands: vec!["pwd".into()],
                    show_commands: false,
                },
                MemberSetup::default(),
            ],
            cluster_refused: None,
            refused: false,
        };
        for c in [c, EmbedConfig::default()] {
            let members: Vec<serde_json::Value> = c
                .members
                .iter()
                .map(|m| {
                    serde_json::json!({"commands": m.commands, "show_commands": m.show_commands})
                })
                .collect();
            let before = serde_json::json!({
                "commands": c.commands, "show_commands": c.show_commands,
                "brokers": c.brokers, "theme": c.theme, "readonly": c.readonly,
                "lesson": c.lesson, "origin": c.origin, "cluster": c.cluster,
                "member": c.member, "members": members,
            });
            assert_eq!(c.encode(), base64url_encode(before.to_string().as_bytes()));
        }
    }

    #[test]
    fn embed_settings_round_trip_and_are_bounded() {
        let c = EmbedConfig {
            commands: vec!["kafka-topics.sh --bootstrap-server localhost:9092 --list".into()],
            show_commands: true,
            brokers: 1,
            theme: "dark".into(),
            readonly: false,
            lesson: String::new(),
            origin: "https://docs.example".into(),
            ..EmbedConfig::default()
        };
        assert_eq!(EmbedConfig::decode(&c.encode()), Ok(c));
        let odd = EmbedConfig {
            brokers: 99,
            theme: "<script>".into(),
            ..EmbedConfig::default()
        };
        let back = EmbedConfig::decode(&odd.encode()).expect("decodes");
        assert_eq!((back.brokers, back.theme.as_str()), (3, ""));
        assert!(EmbedConfig::decode("%%%").is_err());
    }

    #[test]
    fn a_shared_cluster_is_named_and_a_bad_name_is_refused_with_the_reason() {
        let shared = EmbedConfig {
            brokers: 3,
            cluster: "tutorial".into(),
            member: 0,
            members: vec![MemberSetup {
                commands: vec!["kafka-topics.sh --bootstrap-server localhost:9092 --list".into()],
                show_commands: true,
            }],
            ..EmbedConfig::default()
        };
        assert_eq!(EmbedConfig::decode(&shared.encode()), Ok(shared));
        // From embed.js as JSON: the fields a later member gets.
        let json = r#"{"commands":["ls"],"show_commands":true,"brokers":3,"cluster":"ch-1.orders","member":2}"#;
        let member = EmbedConfig::decode(&base64url_encode(json.as_bytes())).expect("decodes");
        assert_eq!((member.cluster.as_str(), member.member), ("ch-1.orders", 2));
        assert_eq!(member.cluster_refused, None);
        for (name, member) in [
            ("two words", 1),
            ("<img src=x>", 0),
            (&"x".repeat(65)[..], 0),
            ("fine", 32),
        ] {
            let bad = EmbedConfig {
                cluster: name.into(),
                member,
                members: vec![MemberSetup::default()],
                ..EmbedConfig::default()
            };
            let back = EmbedConfig::decode(&bad.encode()).expect("still a widget");
            assert_eq!(
                (back.cluster.as_str(), back.member, back.members.len()),
                ("", 0, 0),
                "{name}"
            );
            assert!(back.cluster_refused.is_some(), "{name}");
        }
        // No name: a cluster of its own, whatever place was given.
        let own = EmbedConfig {
            member: 5,
            ..EmbedConfig::default()
        };
        assert_eq!(EmbedConfig::decode(&own.encode()).map(|c| c.member), Ok(0));
    }
}
