//! Tab completion: command names, their options, and the names the cluster knows — topics
//! after `--topic`, groups after `--group`, config keys after `--add-config`, playground
//! subcommands, files. What each command takes comes from `registry`.
//! Pure: it reads the playground and returns what the line could become.

use super::options::Opt;
use super::playground_cmd::{self, Subcommand};
use super::registry::{self, Args};
use super::session::Playground;
use crate::engine::config::TOPIC_CONFIGS;

/// What Tab offers for a line (the cursor is at its end).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The line with the last word completed as far as all candidates agree.
    pub line: String,
    /// Every candidate for the last word, when more than one remains (shown as a list).
    pub candidates: Vec<String>,
}

/// Completes the last word of `line`; `None` when nothing fits.
pub fn complete(line: &str, pg: &Playground) -> Option<Completion> {
    // Only the last command of a pipeline matters.
    let segment_start = line.rfind('|').map_or(0, |i| i + 1);
    let segment = &line[segment_start..];
    let words: Vec<&str> = segment.split_whitespace().collect();
    let ends_in_space = segment.ends_with(char::is_whitespace) || segment.trim().is_empty();
    let (current, before): (&str, &[&str]) = if ends_in_space {
        ("", &words[..])
    } else {
        match words.split_last() {
            Some((last, rest)) => (last, rest),
            None => ("", &[]),
        }
    };
    let candidates: Vec<String> = match before.split_first() {
        None => registry::COMMANDS
            .iter()
            .map(|c| c.name.to_string())
            .collect(),
        Some((first, rest)) => {
            let command = registry::find(first)?;
            match command.args {
                Args::Options(options) => {
                    let previous = before.last().copied().unwrap_or("");
                    match value_candidates(command.name, options, previous, before, pg) {
                        Some(values) => values,
                        None => options.iter().map(|o| format!("--{}", o.name)).collect(),
                    }
                }
                Args::Subcommands(subs) => subcommand_candidates(subs, rest, pg),
                Args::Files => pg.files.names().map(str::to_string).collect(),
                Args::Free => Vec::new(),
            }
        }
    };
    let mut matching: Vec<String> = candidates
        .into_iter()
        .filter(|c| c.starts_with(current))
        .collect();
    crate::sort::sort(&mut matching);
    matching.dedup();
    if matching.is_empty() {
        return None;
    }
    let prefix = common_prefix(&matching);
    let head = &line[..line.len() - current.len()];
    if matching.len() == 1 {
        // A config key completes to `key=`; everything else gets a space after it.
        let sep = if prefix.ends_with('=') { "" } else { " " };
        return Some(Completion {
            line: format!("{head}{prefix}{sep}"),
            candidates: Vec::new(),
        });
    }
    Some(Completion {
        line: format!("{head}{prefix}"),
        candidates: matching,
    })
}

/// What may follow `playground` and the words already typed after it: a subcommand's name,
/// the next literal word of one of its forms, or the values of a word to fill in (`N`).
fn subcommand_candidates(subs: &[Subcommand], typed: &[&str], pg: &Playground) -> Vec<String> {
    let Some((first, rest)) = typed.split_first() else {
        return subs.iter().map(|s| s.name.to_string()).collect();
    };
    let Some(sub) = playground_cmd::find(first) else {
        return Vec::new();
    };
    let forms: Vec<&str> = if sub.forms.is_empty() {
        vec![sub.usage]
    } else {
        sub.forms.iter().map(|(words, _)| *words).collect()
    };
    let is_value = |word: &str| word.chars().any(|c| c.is_ascii_uppercase());
    let mut out = Vec::new();
    for form in forms {
        let words: Vec<&str> = form
            .split_whitespace()
            .map(|w| w.trim_matches(['[', ']']))
            .collect();
        let fits = words.len() > rest.len()
            && words
                .iter()
                .zip(rest)
                .all(|(w, typed)| is_value(w) || w == typed);
        match words.get(rest.len()) {
            Some(&"N") if fits => out.extend(broker_ids(pg)),
            Some(&"SPEED") if fits => {
                out.extend(playground_cmd::SPEEDS.iter().map(|s| s.to_string()))
            }
            Some(word) if fits && !is_value(word) => out.push(word.to_string()),
            _ => {}
        }
    }
    out
}

/// Values for the option just typed, or `None` when the next word is an option.
fn value_candidates(
    tool: &str,
    options: &[Opt],
    previous: &str,
    before: &[&str],
    pg: &Playground,
) -> Option<Vec<String>> {
    let topics = || {
        pg.cluster
            .topics()
            .map(|t| t.name().to_string())
            .collect::<Vec<_>>()
    };
    Some(match previous {
        "--bootstrap-server" => vec!["localhost:9092".into()],
        "--topic" | "--include" => topics(),
        "--group" => pg.cluster.group_ids(),
        "--add-config" | "--delete-config" | "--config" => TOPIC_CONFIGS
            .iter()
            .map(|k| format!("{}=", k.name))
            .collect(),
        "--entity-type" => vec!["topics".into(), "brokers".into()],
        "--entity-name" => {
            if before.contains(&"brokers") {
                broker_ids(pg)
            } else {
                topics()
            }
        }
        "--election-type" => vec!["preferred".into(), "unclean".into()],
        "--property" | "--reader-property" | "--formatter-property" if tool.contains("console") => {
            [
                "print.key=true",
                "print.partition=true",
                "print.offset=true",
                "print.timestamp=true",
                "print.headers=true",
                "parse.key=true",
                "key.separator=",
                "null.marker=",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect()
        }
        "--broker-list" | "--broker" | "--broker-id" => broker_ids(pg),
        _ => {
            // An option that takes an argument expects a value we cannot guess.
            let takes_value = options.iter().any(|o| {
                previous.strip_prefix("--") == Some(o.name) && o.arg != super::options::Arg::None
            });
            if takes_value {
                Vec::new()
            } else {
                return None;
            }
        }
    })
}

fn broker_ids(pg: &Playground) -> Vec<String> {
    pg.cluster
        .broker_ids()
        .iter()
        .map(|id| id.to_string())
        .collect()
}

fn common_prefix(words: &[String]) -> String {
    let Some(first) = words.first() else {
        return String::new();
    };
    let mut end = first.len();
    for w in &words[1..] {
        end = first
            .char_indices()
            .zip(w.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(end);
    }
    first[..end].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::Terminal;
    use crate::console::script::run_script;
    use crate::engine::{Cluster, ClusterConfig};

    fn pg() -> Playground {
        let mut pg = Playground::scripted(Cluster::new(ClusterConfig::default()));
        run_script(
            &mut pg,
            &mut Terminal::batch(),
            "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders\n\
             kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders-dlq",
            false,
        );
        pg
    }

    fn line(l: &str) -> String {
        complete(l, &pg()).map(|c| c.line).unwrap_or_default()
    }

    #[test]
    fn tools_options_and_names() {
        assert_eq!(line("kafka-to"), "kafka-topics.sh ");
        assert_eq!(
            line("kafka-topics.sh --bootstrap-s"),
            "kafka-topics.sh --bootstrap-server "
        );
        assert_eq!(
            line("kafka-topics.sh --bootstrap-server "),
            "kafka-topics.sh --bootstrap-server localhost:9092 "
        );
        let c = complete("kafka-topics.sh --describe --topic ord", &pg()).expect("some");
        assert_eq!(c.line, "kafka-topics.sh --describe --topic orders");
        assert_eq!(c.candidates, ["orders", "orders-dlq"]);
        assert_eq!(
            line("kafka-configs.sh --alter --add-config retention.m"),
            "kafka-configs.sh --alter --add-config retention.ms="
        );
        assert_eq!(line("playground br"), "playground broker ");
        assert_eq!(line("playground broker st"), "playground broker st");
        assert_eq!(
            line("seq 1 3 | kafka-console-pro"),
            "seq 1 3 | kafka-console-producer.sh "
        );
        assert!(complete("kafka-topics.sh --nope", &pg()).is_none());
        assert!(complete("unknown-tool --x", &pg()).is_none());
        // A value nobody can guess: nothing offered rather than options.
        assert!(complete("kafka-topics.sh --partitions ", &pg()).is_none());
    }
}
