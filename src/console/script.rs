//! Running a whole script through a terminal, as `kplay` and the transcript tests do.

use super::output::Output;
use super::session::Playground;
use super::terminal::{Prompt, Terminal};

/// Feeds every line of `script` to `terminal` and returns everything printed. With `echo`,
/// each command's first line is printed as `$ line` before its output (blank lines and
/// comments are not echoed).
pub fn run_script(
    pg: &mut Playground,
    terminal: &mut Terminal,
    script: &str,
    echo: bool,
) -> Output {
    let mut out = Output::new();
    for line in script.lines() {
        let starts_command = terminal.prompt() == Prompt::Shell;
        let trimmed = line.trim();
        if echo && starts_command && !trimmed.is_empty() && !trimmed.starts_with('#') {
            out.outln(&format!("$ {line}"));
        }
        out.append(terminal.enter(pg, line));
    }
    out.append(terminal.end_of_script(pg));
    out
}

/// A script may start with `#! --brokers N`: the cluster size it was written for.
pub fn header_brokers(script: &str) -> Option<i32> {
    let header = script.lines().next()?.strip_prefix("#!")?;
    let words: Vec<&str> = header.split_whitespace().collect();
    match words.as_slice() {
        ["--brokers", n] => n.parse().ok(),
        _ => None,
    }
}
