//! Option parsing as Kafka's tools do it with jopt-simple: each tool declares its options once
//! and gets parsing (`--name value`, `--name=value`, repeats, no abbreviations), jopt's error
//! texts, and the `--help` table laid out exactly as `BuiltinHelpFormatter` does (80 columns).
//!
//! Invariant: no input makes parsing panic; every error carries the text Kafka prints.

use super::output::Output;

/// Whether an option takes an argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    None,
    Required,
    Optional,
}

/// One declared option, with what `--help` shows for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opt {
    pub name: &'static str,
    pub help: &'static str,
    pub arg: Arg,
    /// `describedAs(...)`: the argument's description in the help table.
    pub arg_desc: &'static str,
    /// `ofType(...)`: `String`, `Integer`, `Long`.
    pub arg_type: &'static str,
    pub default: Option<&'static str>,
}

impl Opt {
    /// An option without argument (`parser.accepts(name, help)`).
    pub const fn flag(name: &'static str, help: &'static str) -> Opt {
        Opt {
            name,
            help,
            arg: Arg::None,
            arg_desc: "",
            arg_type: "String",
            default: None,
        }
    }

    /// `.withRequiredArg().describedAs(desc).ofType(String.class)`
    pub const fn string(name: &'static str, help: &'static str, desc: &'static str) -> Opt {
        Opt {
            name,
            help,
            arg: Arg::Required,
            arg_desc: desc,
            arg_type: "String",
            default: None,
        }
    }

    /// `.withRequiredArg().describedAs(desc).ofType(Integer.class)`
    pub const fn integer(name: &'static str, help: &'static str, desc: &'static str) -> Opt {
        Opt {
            arg_type: "Integer",
            ..Opt::string(name, help, desc)
        }
    }

    /// `.withRequiredArg().describedAs(desc).ofType(Long.class)`
    pub const fn long(name: &'static str, help: &'static str, desc: &'static str) -> Opt {
        Opt {
            arg_type: "Long",
            ..Opt::string(name, help, desc)
        }
    }

    /// `.withOptionalArg()`
    pub const fn optional(self) -> Opt {
        Opt {
            arg: Arg::Optional,
            ..self
        }
    }

    /// `.defaultsTo(value)`
    pub const fn default(self, value: &'static str) -> Opt {
        Opt {
            default: Some(value),
            ..self
        }
    }
}

/// `--help` and `--version`, which every Kafka tool has (`CommandDefaultOptions`).
pub const HELP: Opt = Opt::flag("help", "Print usage information.");
pub const VERSION: Opt = Opt::flag("version", "Display Kafka version.");

/// The Kafka release the playground simulates: what `--version` prints, what the jars report
/// (`AppInfoParser`) and what the page names. Texts are checked against this release's sources.
pub const KAFKA_VERSION: &str = "4.3.0";

/// The release without its patch number ("4.3"), as the page and `--release-version` name it.
pub fn kafka_release() -> &'static str {
    KAFKA_VERSION
        .rsplit_once('.')
        .map_or(KAFKA_VERSION, |(release, _)| release)
}

/// A parse failure, worded as jopt-simple words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptError {
    /// `UnrecognizedOptionException`
    Unrecognized(String),
    /// `OptionMissingRequiredArgumentException`
    MissingArgument(String),
    /// An argument given to an option that takes none.
    UnexpectedArgument(String),
}

impl OptError {
    pub fn message(&self) -> String {
        match self {
            OptError::Unrecognized(n) => format!("{n} is not a recognized option"),
            OptError::MissingArgument(n) => format!("Option {n} requires an argument"),
            OptError::UnexpectedArgument(n) => format!("Option {n} does not take an argument"),
        }
    }

    /// The Java exception class, for tools that print `class: message`.
    pub fn exception_class(&self) -> &'static str {
        match self {
            OptError::Unrecognized(_) => "joptsimple.UnrecognizedOptionException",
            OptError::MissingArgument(_) => "joptsimple.OptionMissingRequiredArgumentException",
            OptError::UnexpectedArgument(_) => "joptsimple.OptionException",
        }
    }
}

/// The options found on a command line, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    found: Vec<(&'static str, Option<String>)>,
    defaults: Vec<(&'static str, &'static str)>,
    pub non_options: Vec<String>,
    /// True when no argument at all was given.
    pub empty: bool,
}

impl Parsed {
    pub fn has(&self, name: &str) -> bool {
        self.found.iter().any(|(n, _)| *n == name)
    }

    /// The option's (first) argument, else its declared default.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.found
            .iter()
            .find(|(n, v)| *n == name && v.is_some())
            .and_then(|(_, v)| v.as_deref())
            .or_else(|| {
                self.defaults
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, d)| *d)
            })
    }

    /// The given options among `names`, in command-line order, with their arguments.
    pub fn in_order(&self, names: &[&str]) -> Vec<(&'static str, Option<&str>)> {
        self.found
            .iter()
            .filter(|(n, _)| names.contains(n))
            .map(|(n, v)| (*n, v.as_deref()))
            .collect()
    }

    /// Every argument given to a repeatable option, in order.
    pub fn values(&self, name: &str) -> Vec<&str> {
        self.found
            .iter()
            .filter(|(n, _)| *n == name)
            .filter_map(|(_, v)| v.as_deref())
            .collect()
    }

    /// An `Integer` option's value; jopt's conversion error text on a bad number.
    pub fn int(&self, name: &str) -> Result<Option<i32>, String> {
        self.number::<i32>(name)
    }

    /// A `Long` option's value.
    pub fn long(&self, name: &str) -> Result<Option<i64>, String> {
        self.number::<i64>(name)
    }

    fn number<N: std::str::FromStr>(&self, name: &str) -> Result<Option<N>, String> {
        match self.value(name) {
            None => Ok(None),
            Some(v) => v
                .parse::<N>()
                .map(Some)
                .map_err(|_| format!("Cannot parse argument '{v}' of option {name}")),
        }
    }
}

/// Parses `args` against `specs` as jopt-simple does (long options only, no abbreviations).
pub fn parse(specs: &[Opt], args: &[String]) -> Result<Parsed, OptError> {
    let mut parsed = Parsed {
        empty: args.is_empty(),
        defaults: specs
            .iter()
            .filter_map(|s| s.default.map(|d| (s.name, d)))
            .collect(),
        ..Parsed::default()
    };
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--" {
            parsed.non_options.extend(args[i..].iter().cloned());
            break;
        }
        let Some(body) = arg.strip_prefix('-').filter(|b| !b.is_empty()) else {
            parsed.non_options.push(arg.clone());
            continue;
        };
        let body = body.strip_prefix('-').unwrap_or(body);
        let (name, inline) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (body, None),
        };
        let Some(spec) = specs.iter().find(|s| s.name == name) else {
            return Err(OptError::Unrecognized(name.to_string()));
        };
        let value = match spec.arg {
            Arg::None => {
                if inline.is_some() {
                    return Err(OptError::UnexpectedArgument(name.to_string()));
                }
                None
            }
            Arg::Required => match inline {
                Some(v) => Some(v),
                None => match args.get(i) {
                    Some(next) => {
                        i += 1;
                        Some(next.clone())
                    }
                    None => return Err(OptError::MissingArgument(name.to_string())),
                },
            },
            Arg::Optional => match inline {
                Some(v) => Some(v),
                None => match args.get(i) {
                    Some(next) if !next.starts_with('-') => {
                        i += 1;
                        Some(next.clone())
                    }
                    _ => None,
                },
            },
        };
        parsed.found.push((spec.name, value));
    }
    Ok(parsed)
}

/// `parser.printHelpOn(...)`: the two-column option table, sorted by option name.
pub fn help_table(specs: &[Opt]) -> String {
    let mut sorted: Vec<&Opt> = specs.iter().collect();
    crate::sort::sort_by_key(&mut sorted, |s| s.name);
    let mut rows: Vec<(String, String)> = vec![
        ("Option".into(), "Description".into()),
        ("------".into(), "-----------".into()),
    ];
    for s in sorted {
        let mut left = format!("--{}", s.name);
        match s.arg {
            Arg::None => {}
            Arg::Required => left.push_str(&format!(" <{}>", type_and_desc(s))),
            Arg::Optional => left.push_str(&format!(" [{}]", type_and_desc(s))),
        }
        let right = match s.default {
            Some(d) => format!("{} (default: {d})", s.help).trim().to_string(),
            None => s.help.to_string(),
        };
        rows.push((left, right));
    }
    render_rows(&rows, 80, 2)
}

fn type_and_desc(s: &Opt) -> String {
    if s.arg_desc.is_empty() {
        s.arg_type.to_string()
    } else {
        format!("{}: {}", s.arg_type, s.arg_desc)
    }
}

/// jopt-simple's `Rows.fitToWidth` + `render`.
fn render_rows(rows: &[(String, String)], overall: usize, separator: usize) -> String {
    let widest = |rows: &[(String, String)]| {
        let o = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
        let d = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
        (o, d)
    };
    let widths = |(o, d): (usize, usize)| {
        let option_width = ((overall - separator) / 2).min(o);
        (option_width, (overall - option_width - separator).min(d))
    };
    let (ow, dw) = widths(widest(rows));
    let mut fitted = Vec::new();
    for (option, description) in rows {
        let left = pieces(option, ow);
        let right = pieces(description, dw);
        for i in 0..left.len().max(right.len()) {
            fitted.push((
                left.get(i).cloned().unwrap_or_default(),
                right.get(i).cloned().unwrap_or_default(),
            ));
        }
    }
    let (ow, dw) = widths(widest(&fitted));
    let mut out = String::new();
    for (option, description) in &fitted {
        pad(&mut out, option, ow);
        out.push_str(&" ".repeat(separator));
        pad(&mut out, description, dw);
        out.push('\n');
    }
    out
}

fn pad(out: &mut String, s: &str, width: usize) {
    out.push_str(s);
    out.push_str(&" ".repeat(width.saturating_sub(s.chars().count())));
}

/// `Columns.piecesOf`: split on embedded newlines, then wrap at line-break opportunities
/// (after spaces and hyphens, as `BreakIterator.getLineInstance` allows), continuation lines
/// indented by two spaces.
fn pieces(raw: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for line in raw.trim().split('\n') {
        let mut next = String::new();
        for word in break_words(line) {
            if next.chars().count() + word.chars().count() > width {
                out.push(next.trim_end().to_string());
                next = format!("  {word}");
            } else {
                next.push_str(&word);
            }
        }
        if !next.is_empty() {
            out.push(next);
        }
    }
    out
}

/// Words with their trailing spaces; a hyphen between letters ends a word too.
fn break_words(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        current.push(c);
        let next = chars.get(i + 1).copied();
        let after_space = c.is_whitespace() && next.is_some_and(|n| !n.is_whitespace());
        // ASCII classes: the help texts are ASCII, and the Unicode ones would bring Unicode's
        // letter and digit tables into the wasm.
        let after_hyphen = c == '-'
            && i > 0
            && chars[i - 1].is_ascii_alphanumeric()
            && next.is_some_and(|n| n.is_ascii_alphanumeric());
        // `kafka.tools.Foo` breaks after each dot, as Java's line BreakIterator allows.
        let after_dot = c == '.'
            && i > 0
            && chars[i - 1].is_ascii_alphanumeric()
            && next.is_some_and(|n| n.is_ascii_alphabetic());
        if after_space || after_hyphen || after_dot {
            words.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `CommandLineUtils.printUsageAndExit`: the message, then the option table, on stderr; exit 1.
pub fn usage(out: &mut Output, message: &str, specs: &[Opt]) -> i32 {
    out.errln(message);
    out.usage(&help_table(specs));
    1
}

/// `Missing required argument "[name]"`
pub fn missing_required(name: &str) -> String {
    format!("Missing required argument \"[{name}]\"")
}

/// `Option "[a]" can't be used with option "[b]"`
pub fn cannot_combine(used: &str, other: &str) -> String {
    format!("Option \"[{used}]\" can't be used with option \"[{other}]\"")
}

/// `--version`: the version on stdout, exit 0.
pub fn version(out: &mut Output) -> i32 {
    out.outln(KAFKA_VERSION);
    0
}

/// Parses `key=value` arguments (`--property`, `--config`); a missing value is empty.
pub fn key_values<'a>(args: &[&'a str]) -> Vec<(&'a str, &'a str)> {
    args.iter()
        .map(|a| a.split_once('=').unwrap_or((a, "")))
        .collect()
}

/// A Java `.properties` file (`key=value`, `key: value` or `key value`; `#`/`!` comments).
pub fn parse_properties(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('!'))
        .map(|l| {
            let cut = l.find(['=', ':', ' ']).unwrap_or(l.len());
            let (k, v) = l.split_at(cut);
            let v = v.get(1..).unwrap_or("").trim_start();
            (k.trim().to_string(), v.to_string())
        })
        .collect()
}

/// The properties of a `--….config` file from the playground's files, then the `key=value`
/// options on top (the command line wins, as Kafka merges them). A missing file is Kafka's
/// `NoSuchFileException`.
pub fn merged_properties(
    files: &super::Files,
    file: Option<&str>,
    overrides: &[&str],
) -> Result<Vec<(String, String)>, String> {
    let mut props = match file {
        Some(path) => match files.read(path) {
            Some(text) => parse_properties(text),
            None => return Err(format!("java.nio.file.NoSuchFileException: {path}")),
        },
        None => Vec::new(),
    };
    props.extend(
        key_values(overrides)
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string())),
    );
    Ok(props)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[Opt] = &[
        Opt::string("topic", "The topic id to produce messages to.", "topic"),
        Opt::integer("partitions", "The number of partitions.", "# of partitions"),
        Opt::flag("list", "List all available topics."),
        Opt::string("property", "A mechanism to pass properties.", "prop"),
        Opt::string("timeout", "Timeout in ms.", "timeout_ms")
            .optional()
            .default("1000"),
        HELP,
    ];

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parses_like_jopt() {
        let p = parse(
            SPECS,
            &args("--topic t --list --property a=b --property=c=d x"),
        )
        .unwrap();
        assert!(p.has("list") && !p.has("help"));
        assert_eq!(p.value("topic"), Some("t"));
        assert_eq!(p.values("property"), vec!["a=b", "c=d"]);
        assert_eq!(p.non_options, vec!["x"]);
        assert_eq!(p.value("timeout"), Some("1000"));
        // A required argument is taken even when it looks like an option.
        assert_eq!(
            parse(SPECS, &args("--topic --list"))
                .unwrap()
                .value("topic"),
            Some("--list")
        );
        assert_eq!(
            parse(SPECS, &args("--partitions x"))
                .unwrap()
                .int("partitions"),
            Err("Cannot parse argument 'x' of option partitions".into())
        );
    }

    #[test]
    fn jopt_error_texts() {
        let err = |l: &str| parse(SPECS, &args(l)).unwrap_err().message();
        assert_eq!(
            err("--zookeeper localhost:2181"),
            "zookeeper is not a recognized option"
        );
        assert_eq!(err("--top t"), "top is not a recognized option");
        assert_eq!(err("-x"), "x is not a recognized option");
        assert_eq!(err("--topic"), "Option topic requires an argument");
        assert_eq!(
            missing_required("topic"),
            "Missing required argument \"[topic]\""
        );
        assert_eq!(
            cannot_combine("partitions", "describe"),
            "Option \"[partitions]\" can't be used with option \"[describe]\""
        );
    }

    #[test]
    fn help_table_layout() {
        let table = help_table(SPECS);
        let lines: Vec<&str> = table.lines().collect();
        // The option column is as wide as the widest option (at most 39), then two spaces.
        assert_eq!(lines[0].trim_end(), format!("{:<41}Description", "Option"));
        assert_eq!(lines[1].trim_end(), format!("{:<41}-----------", "------"));
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("--partitions <Integer: # of partitions>  The"))
        );
        assert!(table.contains(&format!(
            "{:<41}Timeout in ms. (default: 1000)",
            "--timeout [String: timeout_ms]"
        )));
        // Every line is padded to the same width, as jopt pads both columns.
        let width = lines[0].len();
        assert!(lines.iter().all(|l| l.len() == width), "{table}");
    }

    #[test]
    fn properties_files() {
        let p = parse_properties("# c\nacks=all\nclient.id: me\n! x\nlinger.ms 5\nempty=\n");
        let p: Vec<(&str, &str)> = p.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            p,
            vec![
                ("acks", "all"),
                ("client.id", "me"),
                ("linger.ms", "5"),
                ("empty", "")
            ]
        );
    }

    #[test]
    fn never_panics() {
        for line in [
            "",
            "-",
            "--",
            "---",
            "--=",
            "=",
            "--topic=",
            "--help=x",
            "-- --topic",
        ] {
            let _ = parse(SPECS, &args(line));
        }
        assert_eq!(
            parse(SPECS, &["--topic=".to_string()])
                .unwrap()
                .value("topic"),
            Some("")
        );
    }
}
