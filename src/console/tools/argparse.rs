//! A small argparse4j, for the tools Kafka parses with it and that have only plain arguments
//! and one required, mutually exclusive "Connection Group" (the verifiable producer and
//! consumer): the usage line, `defaultHelp(true)`'s help, the parse and `handleError`.
//!
//! The help is laid out as on a terminal wide enough for its longest line, as the other
//! argparse4j tools here are (see `producer_perf`).

use crate::console::output::Output;
use crate::vec_map::VecMap;

/// What an argument's value is converted to (`type(...)`, `storeTrue()`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Integer,
    Long,
    Flag,
}

/// One argument, in the order `argParser()` adds it.
pub struct Arg {
    pub flag: &'static str,
    pub metavar: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// In the required, mutually exclusive group.
    pub grouped: bool,
    pub help: &'static str,
    /// What `defaultHelp(true)` appends as `(default: …)`.
    pub default: Option<&'static str>,
    /// `choices(...)`, as argparse4j lists them.
    pub choices: &'static [&'static str],
}

pub const fn arg(flag: &'static str, metavar: &'static str, kind: Kind, help: &'static str) -> Arg {
    Arg {
        flag,
        metavar,
        kind,
        required: false,
        grouped: false,
        help,
        default: None,
        choices: &[],
    }
}

/// A parser: `newArgumentParser(prog).defaultHelp(true).description(…)`, its arguments and
/// its one required mutually exclusive group (title, description).
pub struct Parser {
    pub prog: &'static str,
    pub description: &'static str,
    pub group: (&'static str, &'static str),
    pub args: &'static [Arg],
}

/// A converted value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Integer(i32),
    Long(i64),
    Flag,
}

/// Why parsing stopped.
#[derive(Debug, Clone, PartialEq)]
pub enum ParseError {
    Help,
    /// An `ArgumentParserException`; `unrecognized` is the argument behind an
    /// `UnrecognizedArgumentException` (argparse4j then suggests flags).
    Invalid {
        message: String,
        unrecognized: Option<String>,
    },
}

fn invalid(message: String) -> ParseError {
    ParseError::Invalid {
        message,
        unrecognized: None,
    }
}

impl Arg {
    /// `formatShortSyntaxNoBracket()`: `--topic TOPIC`, or the bare flag for `storeTrue()`.
    fn syntax(&self) -> String {
        match self.kind {
            Kind::Flag => self.flag.to_string(),
            _ => format!("{} {}", self.flag, self.metavar),
        }
    }

    fn help_row(&self) -> String {
        let help = match self.default {
            Some(d) => format!("{} (default: {d})", self.help),
            None => self.help.to_string(),
        };
        help_row(&self.syntax(), &help)
    }
}

/// One argument's help (`TextHelper.printHelp`): the title, then the help from column 25, or
/// on the next line when the title is wider than 21.
fn help_row(title: &str, help: &str) -> String {
    let width = title.chars().count();
    if width <= 21 {
        format!("  {title}{}{help}\n", " ".repeat(23 - width))
    } else {
        format!("  {title}\n{}{help}\n", " ".repeat(25))
    }
}

/// argparse4j's `NEG_NUM_PATTERN`: `-1` is a value, not a flag.
fn is_flag(term: &str) -> bool {
    term.starts_with('-') && term.len() > 1 && !(term[1..].bytes().all(|b| b.is_ascii_digit()))
}

impl Parser {
    /// `printUsage`: the ungrouped arguments in order, then the group.
    pub fn usage_line(&self) -> String {
        let mut parts = vec![format!("usage: {}", self.prog), "[-h]".to_string()];
        for a in self.args.iter().filter(|a| !a.grouped) {
            parts.push(if a.required {
                a.syntax()
            } else {
                format!("[{}]", a.syntax())
            });
        }
        let grouped: Vec<String> = self
            .args
            .iter()
            .filter(|a| a.grouped)
            .map(Arg::syntax)
            .collect();
        // A required group of one argument has no parentheses.
        parts.push(match grouped.as_slice() {
            [one] => one.clone(),
            _ => format!("({})", grouped.join(" | ")),
        });
        parts.join(" ")
    }

    /// `printHelp()`.
    pub fn help_text(&self) -> String {
        let mut out = format!(
            "{}\n\n{}\n\noptional arguments:\n",
            self.usage_line(),
            self.description
        );
        out.push_str(&help_row("-h, --help", "show this help message and exit"));
        for a in self.args.iter().filter(|a| !a.grouped) {
            out.push_str(&a.help_row());
        }
        let (title, description) = self.group;
        out.push_str(&format!("\n{title}:\n  {description}\n\n"));
        for a in self.args.iter().filter(|a| a.grouped) {
            out.push_str(&a.help_row());
        }
        out
    }

    /// Parses as argparse4j does: flags match exactly, `--flag=value` embeds the value, a
    /// value may not look like a flag, the last occurrence wins; then the required arguments
    /// (the first one missing, in the order they were added, grouped or not) and the group.
    pub fn parse(&self, args: &[String]) -> Result<VecMap<&'static str, Value>, ParseError> {
        let mut values = VecMap::new();
        let mut i = 0;
        while i < args.len() {
            let term = &args[i];
            if !is_flag(term) || term == "--" {
                let rest = args[i..].join(" ");
                return Err(invalid(format!("unrecognized arguments: '{rest}'")));
            }
            let (flag, embedded) = match term.split_once('=') {
                Some((f, v)) => (f, Some(v.to_string())),
                None => (term.as_str(), None),
            };
            if flag == "-h"
                || flag == "--help"
                || (term.starts_with("-h") && !term.starts_with("--"))
            {
                return Err(ParseError::Help);
            }
            let Some(a) = self.args.iter().find(|a| a.flag == flag) else {
                return Err(ParseError::Invalid {
                    message: format!("unrecognized arguments: '{term}'"),
                    unrecognized: Some(term.clone()),
                });
            };
            i += 1;
            let value = if a.kind == Kind::Flag {
                if let Some(v) = embedded {
                    return Err(invalid(format!(
                        "argument {}: ignore implicit argument '{v}'",
                        a.flag
                    )));
                }
                Value::Flag
            } else {
                let raw = match embedded {
                    Some(v) => v,
                    None if i < args.len() && !is_flag(&args[i]) => {
                        i += 1;
                        args[i - 1].clone()
                    }
                    None => {
                        return Err(invalid(format!(
                            "argument {}: expected one argument",
                            a.flag
                        )));
                    }
                };
                let value = convert(a.flag, a.kind, &raw)?;
                // `CollectionArgumentChoice`: the converted value is looked up; the choices
                // are listed as `{0,1,-1}`.
                let chosen = |c: &&str| match convert(a.flag, a.kind, c) {
                    Ok(v) => v == value,
                    Err(_) => false,
                };
                if !a.choices.is_empty() && !a.choices.iter().any(chosen) {
                    return Err(invalid(format!(
                        "argument {}: invalid choice: '{raw}' (choose from {{{}}})",
                        a.flag,
                        a.choices.join(",")
                    )));
                }
                value
            };
            values.insert(a.flag, value);
        }
        if let Some(missing) = self
            .args
            .iter()
            .find(|a| a.required && !values.contains_key(a.flag))
        {
            return Err(invalid(format!("argument {} is required", missing.flag)));
        }
        if !self
            .args
            .iter()
            .any(|a| a.grouped && values.contains_key(a.flag))
        {
            let names: String = self
                .args
                .iter()
                .filter(|a| a.grouped)
                .map(|a| format!("{} ", a.flag))
                .collect();
            return Err(invalid(format!("one of the arguments {names}is required")));
        }
        Ok(values)
    }

    /// `parser.handleError(e)`: the usage line and the error on stderr, and argparse4j's
    /// suggestions for an unknown flag.
    /// A tool's opening: no arguments prints the help (exit 0); `-h` prints it and exits 1, as
    /// argparse4j's HelpScreenException reaches the tools' `main` catch; a bad argument prints
    /// the usage and the error (exit 1). `Err` carries the exit code.
    pub fn parse_or_exit(
        &self,
        args: &[String],
        out: &mut Output,
    ) -> Result<VecMap<&'static str, Value>, i32> {
        if args.is_empty() {
            out.out(&self.help_text());
            return Err(0);
        }
        match self.parse(args) {
            Ok(values) => Ok(values),
            Err(ParseError::Help) => {
                out.out(&self.help_text());
                Err(1)
            }
            Err(ParseError::Invalid {
                message,
                unrecognized,
            }) => {
                self.print_error(&message, unrecognized.as_deref(), out);
                Err(1)
            }
        }
    }

    pub fn print_error(&self, message: &str, unrecognized: Option<&str>, out: &mut Output) {
        out.errln(&self.usage_line());
        out.errln(&format!("{}: error: {message}", self.prog));
        let suggested = unrecognized
            .map(|t| self.suggestions(t))
            .unwrap_or_default();
        if !suggested.is_empty() {
            out.errln("");
            out.errln("Did you mean:");
            for flag in suggested {
                out.errln(&format!("\t{flag}"));
            }
        }
    }

    /// The "Did you mean" list: the flags the unknown one's body starts, or the nearest by
    /// git's edit costs.
    fn suggestions(&self, term: &str) -> Vec<&'static str> {
        let body = term.trim_start_matches('-');
        if body.chars().count() < 2 {
            return Vec::new();
        }
        let mut candidates: Vec<(usize, &'static str)> = std::iter::once("--help")
            .chain(self.args.iter().map(|a| a.flag))
            .map(|flag| {
                let name = flag.trim_start_matches('-');
                let cost = if name.starts_with(body) {
                    0
                } else {
                    super::producer_perf::edit_cost(body, name)
                };
                (cost, flag)
            })
            .collect();
        crate::sort::sort(&mut candidates);
        let best = candidates.first().map_or(usize::MAX, |c| c.0);
        if best >= 7 {
            return Vec::new();
        }
        candidates
            .into_iter()
            .take_while(|c| c.0 == best)
            .map(|c| c.1)
            .collect()
    }
}

/// `ReflectArgumentType.convert`: `Integer.valueOf`, `Long.valueOf`.
fn convert(flag: &str, kind: Kind, raw: &str) -> Result<Value, ParseError> {
    let failed = |type_name: &str| {
        invalid(format!(
            "argument {flag}: could not convert '{raw}' to {type_name} (For input string: \"{raw}\")"
        ))
    };
    match kind {
        Kind::Integer => raw
            .parse::<i32>()
            .map(Value::Integer)
            .map_err(|_| failed("Integer")),
        Kind::Long => raw
            .parse::<i64>()
            .map(Value::Long)
            .map_err(|_| failed("Long")),
        _ => Ok(Value::Text(raw.to_string())),
    }
}

/// Typed reads of the parsed values (the defaults are the caller's).
pub fn text(values: &VecMap<&'static str, Value>, flag: &str) -> Option<String> {
    match values.get(flag) {
        Some(Value::Text(t)) => Some(t.clone()),
        _ => None,
    }
}

pub fn integer(values: &VecMap<&'static str, Value>, flag: &str) -> Option<i32> {
    match values.get(flag) {
        Some(Value::Integer(n)) => Some(*n),
        _ => None,
    }
}

pub fn long(values: &VecMap<&'static str, Value>, flag: &str) -> Option<i64> {
    match values.get(flag) {
        Some(Value::Long(n)) => Some(*n),
        _ => None,
    }
}

pub fn flag(values: &VecMap<&'static str, Value>, flag: &str) -> bool {
    matches!(values.get(flag), Some(Value::Flag))
}
