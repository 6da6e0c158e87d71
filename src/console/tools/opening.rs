//! The start every jopt-simple tool shares, declared as data: parse the options, answer
//! `--help` (or no arguments at all) with the description and the option table, `--version`
//! with the version, then insist on the options `checkRequiredArgs` checks and on the
//! `--command-config` file. Each tool states only where it differs: how it reports an option
//! jopt rejects, which options it requires. The registry runs the opening before the tool.
//!
//! Invariant: a tool's body only ever sees options that parsed and are not `--help`/`--version`.

use crate::console::Files;
use crate::console::options::{self, Opt, OptError, Parsed};
use crate::console::output::Output;

/// How a tool reports an option jopt-simple rejects: each Kafka tool catches the exception in
/// its own place, so each prints it its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadOption {
    /// `printUsageAndExit`: the message, then the option table.
    Usage,
    /// The message alone, after a prefix (`Error occurred: `, or none).
    Message(&'static str),
    /// Caught and logged: the message, then `class: message`.
    Caught,
    /// Escaping `main`: `Exception in thread "main" class: message`.
    Uncaught,
}

/// Pre-4.0 habits every tool rejects the same way: Kafka 4 has no ZooKeeper, and its tools
/// take `--bootstrap-server`.
pub const EARLIER_OPTIONS: &[(&str, &str)] = &[
    (
        "zookeeper",
        "[playground] --zookeeper is from Kafka before 4.0: Kafka 4 runs without ZooKeeper (KRaft). Use --bootstrap-server localhost:9092.",
    ),
    (
        "broker-list",
        "[playground] --broker-list is from Kafka before 4.0: use --bootstrap-server localhost:9092.",
    ),
];

/// One tool's opening. Built with `Opening::new(OPTIONS, DESCRIPTION)` and the few settings
/// that differ.
#[derive(Debug, Clone, Copy)]
pub struct Opening {
    pub options: &'static [Opt],
    /// What `--help` prints above the option table.
    pub description: &'static str,
    /// What no arguments at all print instead, where the tool says something shorter.
    pub bare: Option<&'static str>,
    pub bad_option: BadOption,
    /// Options without which the tool prints `Missing required argument` and its usage,
    /// checked in this order.
    pub required: &'static [&'static str],
    /// Options a later Kafka has (that this one rejects), with the playground's line about
    /// each, printed after the rejection.
    pub later_options: &'static [(&'static str, &'static str)],
    /// Whether the tool reads `--command-config`'s file before anything else (a missing one
    /// ends it with Java's `NoSuchFileException`, caught and logged).
    pub reads_command_config: bool,
}

impl Opening {
    pub const fn new(options: &'static [Opt], description: &'static str) -> Opening {
        Opening {
            options,
            description,
            bare: None,
            bad_option: BadOption::Usage,
            required: &[],
            later_options: &[],
            reads_command_config: false,
        }
    }

    pub const fn bare(self, text: &'static str) -> Opening {
        Opening {
            bare: Some(text),
            ..self
        }
    }

    pub const fn bad_option(self, bad_option: BadOption) -> Opening {
        Opening { bad_option, ..self }
    }

    pub const fn required(self, required: &'static [&'static str]) -> Opening {
        Opening { required, ..self }
    }

    pub const fn later_options(self, later: &'static [(&'static str, &'static str)]) -> Opening {
        Opening {
            later_options: later,
            ..self
        }
    }

    pub const fn reads_command_config(self) -> Opening {
        Opening {
            reads_command_config: true,
            ..self
        }
    }

    /// The parsed options, or the exit status once the opening has answered (help, version,
    /// a usage error, a missing file).
    pub fn open(&self, args: &[String], files: &Files, out: &mut Output) -> Result<Parsed, i32> {
        self.open_with(args, files, out, |out, message| {
            options::usage(out, message, self.options)
        })
    }

    /// As [`Opening::open`], with the tool's own usage printer (a table that shows a value
    /// drawn for this run).
    pub fn open_with(
        &self,
        args: &[String],
        files: &Files,
        out: &mut Output,
        usage: impl Fn(&mut Output, &str) -> i32,
    ) -> Result<Parsed, i32> {
        let opts = match options::parse(self.options, args) {
            Ok(opts) => opts,
            Err(e) => {
                let status = self.reject(&e, out, &usage);
                if let OptError::Unrecognized(name) = &e {
                    for (_, line) in self
                        .later_options
                        .iter()
                        .chain(EARLIER_OPTIONS)
                        .filter(|(n, _)| n == name)
                        .take(1)
                    {
                        out.note(line);
                    }
                }
                return Err(status);
            }
        };
        // Help asked for (or no arguments at all) is shown whole; after an error it may fold.
        let from = out.chunks.len();
        if opts.empty {
            let status = usage(out, self.bare.unwrap_or(self.description));
            out.unfold_usage(from);
            return Err(status);
        }
        if opts.has("help") {
            let status = usage(out, self.description);
            out.unfold_usage(from);
            return Err(status);
        }
        if opts.has("version") {
            return Err(options::version(out));
        }
        if let Some(missing) = self.required.iter().find(|r| !opts.has(r)) {
            return Err(usage(out, &options::missing_required(missing)));
        }
        if let Some(path) = opts
            .value("command-config")
            .filter(|_| self.reads_command_config)
        {
            if files.read(path).is_none() {
                out.errln(path);
                out.errln(&format!("java.nio.file.NoSuchFileException: {path}"));
                return Err(1);
            }
        }
        Ok(opts)
    }

    fn reject(
        &self,
        e: &OptError,
        out: &mut Output,
        usage: &impl Fn(&mut Output, &str) -> i32,
    ) -> i32 {
        match self.bad_option {
            BadOption::Usage => return usage(out, &e.message()),
            BadOption::Message(prefix) => out.errln(&format!("{prefix}{}", e.message())),
            BadOption::Caught => {
                out.errln(&e.message());
                out.errln(&format!("{}: {}", e.exception_class(), e.message()));
            }
            BadOption::Uncaught => out.errln(&format!(
                "Exception in thread \"main\" {}: {}",
                e.exception_class(),
                e.message()
            )),
        }
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::options::{HELP, VERSION};
    use crate::console::output::{Part, Stream};

    const OPTIONS: &[Opt] = &[
        Opt::string("bootstrap-server", "The server.", "server"),
        Opt::string("topic", "The topic.", "topic"),
        HELP,
        VERSION,
    ];

    fn open(opening: Opening, line: &str) -> (Result<Vec<String>, i32>, String, String) {
        let args: Vec<String> = line.split_whitespace().map(String::from).collect();
        let mut out = Output::new();
        let result = opening
            .open(&args, &Files::default(), &mut out)
            .map(|p| p.non_options);
        (
            result,
            out.stream_text(Stream::Stdout),
            out.stream_text(Stream::Stderr),
        )
    }

    #[test]
    fn help_version_and_required_options() {
        let opening = Opening::new(OPTIONS, "A tool.")
            .bare("Short.")
            .required(&["bootstrap-server", "topic"]);
        let table = options::help_table(OPTIONS);
        assert_eq!(
            open(opening, "--help"),
            (Err(1), String::new(), format!("A tool.\n{table}"))
        );
        assert_eq!(
            open(opening, ""),
            (Err(1), String::new(), format!("Short.\n{table}"))
        );
        assert_eq!(
            open(opening, "--version --topic t"),
            (Err(0), "4.3.0\n".into(), String::new())
        );
        assert_eq!(
            open(opening, "--topic t"),
            (
                Err(1),
                String::new(),
                format!("Missing required argument \"[bootstrap-server]\"\n{table}")
            )
        );
        assert_eq!(
            open(opening, "--bootstrap-server b --topic t x"),
            (Ok(vec!["x".to_string()]), String::new(), String::new())
        );
    }

    /// The parts of what was printed: (part, text) per chunk.
    fn parts(opening: Opening, line: &str) -> Vec<(Part, String)> {
        let args: Vec<String> = line.split_whitespace().map(String::from).collect();
        let mut out = Output::new();
        let _ = opening.open(&args, &Files::default(), &mut out);
        out.chunks.into_iter().map(|c| (c.part, c.text)).collect()
    }

    #[test]
    fn usage_after_an_error_is_marked_and_asked_for_help_is_not() {
        let opening = Opening::new(OPTIONS, "A tool.").required(&["topic"]);
        let table = options::help_table(OPTIONS);
        assert_eq!(
            parts(opening, "--bootstrap-server b"),
            vec![
                (
                    Part::Printed,
                    "Missing required argument \"[topic]\"\n".to_string()
                ),
                (Part::Usage, table.clone()),
            ]
        );
        assert_eq!(
            parts(opening, "--nope"),
            vec![
                (
                    Part::Printed,
                    "nope is not a recognized option\n".to_string()
                ),
                (Part::Usage, table.clone()),
            ]
        );
        // The text is the same either way: only the mark differs.
        assert_eq!(
            parts(opening, "--help"),
            vec![(Part::Printed, format!("A tool.\n{table}"))]
        );
        assert_eq!(
            parts(opening, ""),
            vec![(Part::Printed, format!("A tool.\n{table}"))]
        );
    }

    #[test]
    fn pre_4_0_options_get_the_playgrounds_pointer_after_kafkas_text() {
        let opening = Opening::new(OPTIONS, "A tool.").bad_option(BadOption::Caught);
        assert_eq!(
            parts(opening, "--zookeeper localhost:2181"),
            vec![
                (
                    Part::Printed,
                    "zookeeper is not a recognized option\njoptsimple.UnrecognizedOptionException: zookeeper is not a recognized option\n".to_string()
                ),
                (Part::Note, format!("{}\n", EARLIER_OPTIONS[0].1)),
            ]
        );
        assert!(
            parts(opening, "--broker-list b")[1]
                .1
                .contains("--broker-list is from Kafka before 4.0")
        );
    }

    #[test]
    fn a_missing_command_config_file_ends_the_tool() {
        const WITH_FILE: &[Opt] = &[
            Opt::string("command-config", "Configs.", "file"),
            HELP,
            VERSION,
        ];
        let opening = Opening::new(WITH_FILE, "A tool.").reads_command_config();
        let args = [
            "--command-config".to_string(),
            "admin.properties".to_string(),
        ];
        let mut files = Files::default();
        let mut out = Output::new();
        assert_eq!(opening.open(&args, &files, &mut out).map(|_| ()), Err(1));
        assert_eq!(
            out.text(),
            "admin.properties\njava.nio.file.NoSuchFileException: admin.properties\n"
        );
        files.write("admin.properties", "retries=1\n".into());
        assert!(opening.open(&args, &files, &mut Output::new()).is_ok());
        // A tool that does not read it does not check it.
        let ignoring = Opening::new(WITH_FILE, "A tool.");
        assert!(
            ignoring
                .open(&args, &Files::default(), &mut Output::new())
                .is_ok()
        );
    }

    #[test]
    fn each_tool_reports_a_bad_option_its_own_way() {
        let err = |bad: BadOption| open(Opening::new(OPTIONS, "A tool.").bad_option(bad), "--x").2;
        assert!(err(BadOption::Usage).starts_with("x is not a recognized option\nOption "));
        assert_eq!(
            err(BadOption::Message("Error occurred: ")),
            "Error occurred: x is not a recognized option\n"
        );
        assert_eq!(
            err(BadOption::Caught),
            "x is not a recognized option\njoptsimple.UnrecognizedOptionException: x is not a recognized option\n"
        );
        assert_eq!(
            err(BadOption::Uncaught),
            "Exception in thread \"main\" joptsimple.UnrecognizedOptionException: x is not a recognized option\n"
        );
        let later = Opening::new(OPTIONS, "A tool.")
            .bad_option(BadOption::Message(""))
            .later_options(&[("x", "[playground] x came later.")]);
        assert_eq!(
            open(later, "--x").2,
            "x is not a recognized option\n[playground] x came later.\n"
        );
    }
}
