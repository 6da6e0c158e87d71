//! Widgets of one docs page that share a cluster (`data-cluster="name"`): the group's name rules
//! and the messages its frames exchange.
//!
//! One frame, the group's first widget (member 0), holds the cluster; every other member is a
//! terminal attached to it — its lines go to the owner, which runs them in a terminal of that
//! member's own, and sends back what the terminal shows and a copy of the cluster for the live
//! view. The copy is only ever replaced, never run, so the cluster cannot drift apart.
//!
//! Invariant: a message is untrusted text; decoding is bounded and checks every field, and a
//! message that is not exactly one of these shapes is refused (it does nothing).

use serde::{Deserialize, Serialize};

use crate::console::Playground;

/// The most widgets one shared cluster serves (the owner keeps a terminal for each).
pub const MAX_MEMBERS: u32 = 32;
/// Longest group name.
pub const MAX_NAME: usize = 64;
/// Longest line a member may send (as the console accepts a typed line).
const MAX_TEXT: usize = 10_000;
/// The most lines one terminal update carries (a terminal's scrollback keeps at most this many).
pub const MAX_LINES: usize = 5_000;
const MAX_HISTORY: usize = 1_000;
const MAX_COMMANDS: usize = 200;
/// Longest message accepted (a cluster copy with its records; the engine's memory limit keeps
/// real ones far smaller).
const MAX_MESSAGE: usize = 64 << 20;
/// Every group message starts with this, so other pages' messages are not even parsed.
const PREFIX: &str = "kafka-playground-group/2:";
/// What starts a cluster copy, after the prefix: `cluster <group>`, a newline, the JSON.
const CLUSTER: &str = "cluster ";

/// Whether `name` may name a shared cluster: 1–64 letters, digits, `.`, `_` or `-` — it is
/// written by a docs author and shown back in notes, so it stays short and plain.
pub fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > MAX_NAME {
        return Err(format!(
            "a shared cluster's name has 1 to {MAX_NAME} characters"
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Err(format!(
            "a shared cluster's name has only letters, digits, '.', '_' and '-' (not {c:?})"
        ));
    }
    Ok(())
}

/// How a line of a terminal is shown (the console's line kinds); `"stdout"` in a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Shown {
    Input,
    Stdout,
    Stderr,
    Note,
}

/// What a reader did in a member widget: `{"do": "line", "text": …}`, the action's name
/// beside its fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "do",
    rename_all = "snake_case",
    deny_unknown_fields,
    try_from = "InputFields"
)]
pub enum Input {
    /// Enter pressed on a line (or one line of a paste).
    Line {
        text: String,
    },
    Interrupt,
    EndOfInput,
    Clear,
    /// A button of the live view ran a `playground …` command.
    Control {
        text: String,
    },
    /// Tab found several completions: list them in the member's terminal.
    Completions {
        candidates: Vec<String>,
        line: String,
    },
    /// The host page's `element.kafkaPlayground.run(command)`; answered with [`Message::Ran`].
    Run {
        id: u32,
        text: String,
    },
}

/// How an [`Input`] is read: its fields side by side, then checked against the action. A
/// tagged enum is read by buffering the whole object in serde's generic `Content` first, which
/// took ~20 KB of the wasm for this one type; a plain struct is read in one pass. The result is
/// the same: an unknown action, a field missing, or one the action does not have is refused.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InputFields {
    #[serde(rename = "do")]
    action: Action,
    #[serde(default, deserialize_with = "present")]
    text: Option<String>,
    #[serde(default, deserialize_with = "present")]
    candidates: Option<Vec<String>>,
    #[serde(default, deserialize_with = "present")]
    line: Option<String>,
    #[serde(default, deserialize_with = "present")]
    id: Option<u32>,
}

#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Action {
    Line,
    Interrupt,
    EndOfInput,
    Clear,
    Control,
    Completions,
    Run,
}

/// A field that is there (`null` is not a value of any of them); `None` only when left out.
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

impl TryFrom<InputFields> for Input {
    type Error = String;

    fn try_from(f: InputFields) -> Result<Input, String> {
        let input = match (f.action, f.text, f.candidates, f.line, f.id) {
            (Action::Line, Some(text), None, None, None) => Input::Line { text },
            (Action::Interrupt, None, None, None, None) => Input::Interrupt,
            (Action::EndOfInput, None, None, None, None) => Input::EndOfInput,
            (Action::Clear, None, None, None, None) => Input::Clear,
            (Action::Control, Some(text), None, None, None) => Input::Control { text },
            (Action::Completions, None, Some(candidates), Some(line), None) => {
                Input::Completions { candidates, line }
            }
            (Action::Run, Some(text), None, None, Some(id)) => Input::Run { id, text },
            _ => return Err("the input's fields do not match its action".into()),
        };
        Ok(input)
    }
}

/// Written as `{"welcome": {…}}` ([`Message::encode`]); a cluster copy as a line naming the
/// group, then the saved-session JSON ([`Message::encode_cluster`]). Each variant's fields are
/// declared in sorted order, as their keys were written when these were serde_json `Value`s;
/// a field missing or extra refuses the message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Message {
    /// A member asks the group's owner for its terminal (sent again until welcomed). Its
    /// commands run now unless the owner ran them when the group started.
    Attach {
        commands: Vec<String>,
        group: String,
        member: u32,
        show_commands: bool,
    },
    /// The owner has the member's terminal ready.
    Welcome { group: String, member: u32 },
    /// Member → owner: something the reader did.
    Input {
        group: String,
        input: Input,
        member: u32,
    },
    /// Owner → member: what its terminal shows. `reset`: the lines replace the scrollback
    /// (first update, or the terminal was cleared); otherwise they are appended.
    Terminal {
        group: String,
        /// The terminal's command history (for ↑ and Ctrl+R), when it changed. Always written
        /// (`null` when unchanged): read with an explicit reader, so it may not be left out.
        #[serde(deserialize_with = "Option::deserialize")]
        history: Option<Vec<String>>,
        lines: Vec<(Shown, String)>,
        member: u32,
        prompt: String,
        reset: bool,
        running: bool,
    },
    /// Owner → members: the cluster as it is now, for the live view.
    #[serde(skip)]
    Cluster {
        group: String,
        playground: Box<Playground>,
    },
    /// Owner → member: what a [`Input::Run`] printed.
    Ran {
        group: String,
        id: u32,
        member: u32,
        output: String,
    },
}

impl Message {
    pub fn group(&self) -> &str {
        match self {
            Message::Attach { group, .. }
            | Message::Welcome { group, .. }
            | Message::Input { group, .. }
            | Message::Terminal { group, .. }
            | Message::Cluster { group, .. }
            | Message::Ran { group, .. } => group,
        }
    }

    /// The message as the text posted to another frame: JSON, `{"welcome": {…}}`. A cluster
    /// copy is framed apart ([`Message::encode_cluster`]).
    pub fn encode(&self) -> String {
        if let Message::Cluster { group, playground } = self {
            return Message::encode_cluster(group, playground);
        }
        format!("{PREFIX}{}", crate::console::session::to_json(self, 256))
    }

    /// `Message::Cluster { group, playground }` without copying the playground: the line
    /// `cluster <group>`, then the playground as the session is saved (the same reader and
    /// writer as storage, so the wasm holds them once).
    pub fn encode_cluster(group: &str, playground: &Playground) -> String {
        let json = crate::console::session::to_json(playground, playground.json_size_hint());
        format!("{PREFIX}{CLUSTER}{group}\n{json}")
    }

    /// Reads a message; anything else (another page's message, a damaged or oversized one,
    /// a field out of bounds) is refused.
    pub fn decode(text: &str) -> Result<Message, String> {
        let body = text
            .strip_prefix(PREFIX)
            .ok_or("not a widget group message")?;
        if body.len() > MAX_MESSAGE {
            return Err("the message is too long".into());
        }
        let message = match body.strip_prefix(CLUSTER) {
            Some(rest) => {
                let (group, json) = rest.split_once('\n').ok_or("bad cluster copy")?;
                let playground: Playground =
                    serde_json::from_str(json).map_err(|e| format!("bad cluster copy ({e})"))?;
                Message::Cluster {
                    group: group.to_string(),
                    playground: Box::new(playground),
                }
            }
            None => {
                serde_json::from_str(body).map_err(|e| format!("bad widget group message ({e})"))?
            }
        };
        message.check()?;
        Ok(message)
    }

    fn check(&self) -> Result<(), String> {
        check_name(self.group())?;
        let member = match self {
            Message::Attach { member, .. }
            | Message::Welcome { member, .. }
            | Message::Input { member, .. }
            | Message::Terminal { member, .. }
            | Message::Ran { member, .. } => *member,
            Message::Cluster { .. } => 0,
        };
        if member >= MAX_MEMBERS {
            return Err(format!("a group has at most {MAX_MEMBERS} widgets"));
        }
        let short = |s: &String| s.len() <= MAX_TEXT;
        let ok = match self {
            Message::Attach { commands, .. } => {
                commands.len() <= MAX_COMMANDS && commands.iter().all(short)
            }
            Message::Welcome { .. } | Message::Cluster { .. } => true,
            Message::Input { input, .. } => match input {
                Input::Line { text } | Input::Control { text } | Input::Run { text, .. } => {
                    short(text)
                }
                Input::Completions { line, candidates } => {
                    short(line) && candidates.len() <= 1_000 && candidates.iter().all(short)
                }
                Input::Interrupt | Input::EndOfInput | Input::Clear => true,
            },
            Message::Terminal {
                lines,
                prompt,
                history,
                ..
            } => {
                lines.len() <= MAX_LINES
                    && short(prompt)
                    && history
                        .as_ref()
                        .is_none_or(|h| h.len() <= MAX_HISTORY && h.iter().all(short))
            }
            Message::Ran { .. } => true,
        };
        if ok {
            Ok(())
        } else {
            Err("the message holds more than a widget sends".into())
        }
    }
}

/// The most history entries a terminal update carries (the newest ones).
pub fn history_tail(history: &[String]) -> Vec<String> {
    history[history.len().saturating_sub(MAX_HISTORY)..]
        .iter()
        .filter(|h| h.len() <= MAX_TEXT)
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for good in ["tutorial", "a", "ch-2.orders_v1", &"x".repeat(64)] {
            assert_eq!(check_name(good), Ok(()), "{good}");
        }
        for bad in ["", "two words", "<b>", "ünï", &"x".repeat(65), "a/b"] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn messages_round_trip() {
        let input = Message::Input {
            group: "tutorial".into(),
            member: 2,
            input: Input::Line {
                text: "kafka-topics.sh --bootstrap-server localhost:9092 --list".into(),
            },
        };
        assert_eq!(Message::decode(&input.encode()), Ok(input));
        let terminal = Message::Terminal {
            group: "t".into(),
            member: 1,
            reset: true,
            lines: vec![(Shown::Input, "$ ls".into()), (Shown::Stderr, "<b>".into())],
            prompt: "$ ".into(),
            history: Some(vec!["ls".into()]),
            running: false,
        };
        assert_eq!(Message::decode(&terminal.encode()), Ok(terminal));
        let quiet = Message::Terminal {
            group: "t".into(),
            member: 3,
            reset: false,
            lines: vec![(Shown::Stdout, "x".into()), (Shown::Note, "y".into())],
            prompt: "> ".into(),
            history: None,
            running: true,
        };
        assert_eq!(Message::decode(&quiet.encode()), Ok(quiet));
        let inputs = [
            Input::Line { text: "ls".into() },
            Input::Interrupt,
            Input::EndOfInput,
            Input::Clear,
            Input::Control {
                text: "playground broker stop 2".into(),
            },
            Input::Completions {
                line: "kafka-".into(),
                candidates: vec!["kafka-topics.sh".into(), "kafka-configs.sh".into()],
            },
            Input::Run {
                id: 7,
                text: "ls".into(),
            },
        ];
        for input in inputs {
            let m = Message::Input {
                group: "g".into(),
                member: 1,
                input,
            };
            assert_eq!(Message::decode(&m.encode()), Ok(m));
        }
        let attach = Message::Attach {
            group: "g".into(),
            member: 4,
            commands: vec!["ls".into()],
            show_commands: false,
        };
        assert_eq!(Message::decode(&attach.encode()), Ok(attach));
        let ran = Message::Ran {
            group: "g".into(),
            member: 4,
            id: 9,
            output: "Created topic t.\n".into(),
        };
        assert_eq!(Message::decode(&ran.encode()), Ok(ran));
        let cluster = Message::Cluster {
            group: "t".into(),
            playground: Box::new(Playground::new(crate::engine::Cluster::new(
                crate::engine::ClusterConfig::default(),
            ))),
        };
        assert_eq!(Message::decode(&cluster.encode()), Ok(cluster.clone()));
        if let Message::Cluster { playground, .. } = &cluster {
            assert_eq!(
                Message::decode(&Message::encode_cluster("t", playground)),
                Ok(cluster)
            );
        }
    }

    #[test]
    fn wrong_shapes_are_refused() {
        let refused = |body: &str| Message::decode(&format!("{PREFIX}{body}")).is_err();
        // Not ours at all.
        assert!(Message::decode("{\"welcome\":{\"group\":\"t\",\"member\":1}}").is_err());
        assert!(Message::decode("").is_err());
        assert!(refused("not json"));
        assert!(!refused(r#"{"welcome":{"group":"t","member":1}}"#));
        assert!(refused(r#"{"welcome":{"group":"t"}}"#));
        assert!(refused(
            r#"{"terminal":{"group":"t","member":1,"reset":true,"lines":[],"prompt":"","running":false}}"#
        ));
        assert!(refused(r#"{"welcome":{"group":"t","member":1,"extra":1}}"#));
        assert!(refused(r#"{"explode":{"group":"t","member":1}}"#));
        assert!(refused(r#"{"welcome":{"group":"t","member":-1}}"#));
        assert!(refused(r#"{"welcome":{"group":"t","member":32}}"#));
        assert!(refused(r#"{"welcome":{"group":"two words","member":1}}"#));
        assert!(refused(
            r#"{"input":{"group":"t","member":1,"input":{"do":"format_disk"}}}"#
        ));
        assert!(refused(r#"{"welcome":{"group":"t","member":1},"ran":{}}"#));
        assert!(refused(r#"{"welcome":{"group":"t","member":"1"}}"#));
        assert!(refused(r#"{"welcome":{"group":"t","member":4294967296}}"#));
        assert!(refused(
            r#"{"input":{"group":"t","member":1,"input":{"do":"line","text":"ls","x":1}}}"#
        ));
        // A field of another action, a field left out, or null for one, is refused.
        for input in [
            r#"{"do":"clear","text":"ls"}"#,
            r#"{"do":"line","text":"ls","id":1}"#,
            r#"{"do":"line"}"#,
            r#"{"do":"run","text":"ls"}"#,
            r#"{"do":"completions","line":"kafka-"}"#,
            r#"{"do":"interrupt","text":null}"#,
            r#"{"do":"line","text":null}"#,
            r#"{"do":"line","text":"ls","text":"ls"}"#,
            r#"{"text":"ls"}"#,
        ] {
            let message = format!(r#"{{"input":{{"group":"t","member":1,"input":{input}}}}}"#);
            assert!(refused(&message), "{input}");
        }
        assert!(!refused(
            r#"{"input":{"group":"t","member":1,"input":{"text":"ls","do":"run","id":7}}}"#
        ));
        assert!(refused(
            r#"{"terminal":{"group":"t","member":1,"reset":true,"lines":[["shout","x"]],"prompt":"","history":null,"running":false}}"#
        ));
        assert!(refused(
            r#"{"terminal":{"group":"t","member":1,"reset":true,"lines":[],"prompt":"","history":[1],"running":false}}"#
        ));
        assert!(refused("cluster t\n{\"not\": \"a playground\"}"));
        assert!(refused("cluster t"));
        assert!(refused("cluster two words\n{}"));
        let long = Message::Input {
            group: "t".into(),
            member: 1,
            input: Input::Line {
                text: "x".repeat(10_001),
            },
        };
        assert!(Message::decode(&long.encode()).is_err());
        let many = Message::Attach {
            group: "t".into(),
            member: 1,
            commands: vec!["ls".into(); 201],
            show_commands: true,
        };
        assert!(Message::decode(&many.encode()).is_err());
    }

    /// The messages serde_json's `json!` wrote before, as a page with an older copy of the
    /// widget may still send and expect them.
    fn written_before(message: &Message) -> String {
        use serde_json::{Value, json};
        let input_value = |input: &Input| match input {
            Input::Line { text } => json!({"do": "line", "text": text}),
            Input::Interrupt => json!({"do": "interrupt"}),
            Input::EndOfInput => json!({"do": "end_of_input"}),
            Input::Clear => json!({"do": "clear"}),
            Input::Control { text } => json!({"do": "control", "text": text}),
            Input::Completions { line, candidates } => {
                json!({"do": "completions", "line": line, "candidates": candidates})
            }
            Input::Run { id, text } => json!({"do": "run", "id": id, "text": text}),
        };
        let (tag, body) = match message {
            Message::Attach {
                group,
                member,
                commands,
                show_commands,
            } => (
                "attach",
                json!({"group": group, "member": member, "commands": commands, "show_commands": show_commands}),
            ),
            Message::Welcome { group, member } => {
                ("welcome", json!({"group": group, "member": member}))
            }
            Message::Input {
                group,
                member,
                input,
            } => (
                "input",
                json!({"group": group, "member": member, "input": input_value(input)}),
            ),
            Message::Terminal {
                group,
                member,
                reset,
                lines,
                prompt,
                history,
                running,
            } => {
                let lines: Vec<Value> = lines
                    .iter()
                    .map(|(shown, text)| json!([shown, text]))
                    .collect();
                (
                    "terminal",
                    json!({"group": group, "member": member, "reset": reset, "lines": lines,
                        "prompt": prompt, "history": history, "running": running}),
                )
            }
            Message::Ran {
                group,
                member,
                id,
                output,
            } => (
                "ran",
                json!({"group": group, "member": member, "id": id, "output": output}),
            ),
            Message::Cluster { .. } => unreachable!("framed apart"),
        };
        format!("{PREFIX}{}", json!({ tag: body }))
    }

    #[test]
    fn messages_are_written_as_before() {
        let odd = "tab\t \"quoted\" \\ é😀 \u{1}";
        let mut messages = vec![
            Message::Attach {
                group: "g".into(),
                member: 4,
                commands: vec!["ls".into(), odd.into()],
                show_commands: true,
            },
            Message::Welcome {
                group: "g".into(),
                member: 31,
            },
            Message::Ran {
                group: "g".into(),
                member: 0,
                id: u32::MAX,
                output: odd.into(),
            },
        ];
        for history in [None, Some(vec![]), Some(vec![odd.to_string()])] {
            messages.push(Message::Terminal {
                group: "t".into(),
                member: 1,
                reset: history.is_some(),
                lines: vec![(Shown::Input, "$ ls".into()), (Shown::Note, odd.into())],
                prompt: "$ ".into(),
                history,
                running: true,
            });
        }
        for input in [
            Input::Line { text: odd.into() },
            Input::Interrupt,
            Input::EndOfInput,
            Input::Clear,
            Input::Control { text: "x".into() },
            Input::Completions {
                line: "kafka-".into(),
                candidates: vec!["a".into(), odd.into()],
            },
            Input::Run {
                id: 7,
                text: "ls".into(),
            },
        ] {
            messages.push(Message::Input {
                group: "g".into(),
                member: 2,
                input,
            });
        }
        // As values: an internally tagged `do` is now written first, and the readers of every
        // version take an object's keys in any order.
        let value = |text: &str| {
            let json = text.strip_prefix(PREFIX).unwrap_or(text);
            serde_json::from_str::<serde_json::Value>(json).ok()
        };
        for m in messages {
            assert_eq!(value(&m.encode()), value(&written_before(&m)));
            assert_eq!(Message::decode(&written_before(&m)), Ok(m));
        }
    }
}
