//! kplay: runs a console script against one fresh cluster and prints exactly what the browser
//! console would show. Used by transcript tests and by lesson authors.
//!
//! ```text
//! kplay [--brokers N] [--seed S] [--echo] [--fake-clock] [--export FILE] [FILE | -]
//! kplay --check LESSON.md|DIR...
//! kplay --lesson-link LESSON.md [SITE-URL]
//! ```

use std::io::{Read, Write};
use std::process::ExitCode;
use std::rc::Rc;

use kafka_playground::console::{Output, Stream};
use kafka_playground::engine::ClusterConfig;
use kafka_playground::session::{Host, Workbench};

const USAGE: &str =
    "usage: kplay [--brokers N] [--seed S] [--echo] [--fake-clock] [--export FILE] [FILE | -]
       kplay --check LESSON.md|DIR...
       kplay --lesson-link LESSON.md [SITE-URL]

Runs a Kafka Playground console script (one command per line; blank lines and
lines starting with # are skipped; \\ continues a line; <<WORD heredocs) against
a fresh cluster and prints the console's output.

  --brokers N   number of brokers, node ids 1..N (default 3, at most 9, or
                what a first line '#! --brokers N' in the script says)
  --seed S      seed for topic ids and random choices (default fixed)
  --echo        print \"$ \" and each command's first line before its output
  --fake-clock  the perf tools count 1 µs per record instead of reading the real
                clock, as in the transcript tests (their figures repeat exactly)
  --export FILE the session at the script's end, as the browser's Export writes
                it (the browser's Import opens it; its journal replays the script)
  FILE | -      the script; - or nothing reads standard input
  --check       verify lessons: each starts its cluster, its first step's checks
                must fail, and every step's checks must pass after its solution
                (exit 1 if any lesson fails, 2 if one cannot be read or parsed)
  --lesson-link prints a link that carries the lesson itself (#lesson=…), after
                checking it as --check does; SITE-URL is the playground's address
                (default: just the part after #)";

struct Args {
    brokers: Option<i32>,
    seed: Option<u64>,
    echo: bool,
    fake_clock: bool,
    export: Option<String>,
    file: Option<String>,
}

fn parse_args(argv: &[String]) -> Result<Args, String> {
    let mut args = Args {
        brokers: None,
        seed: None,
        echo: false,
        fake_clock: false,
        export: None,
        file: None,
    };
    let mut it = argv.iter();
    while let Some(a) = it.next() {
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        let mut value = |what: &str| {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("kplay: {name} needs {what}"))
        };
        match name {
            "--brokers" => {
                let v = value("a number")?;
                args.brokers = Some(
                    v.parse()
                        .ok()
                        .filter(|n| (1..=9).contains(n))
                        .ok_or_else(|| format!("kplay: --brokers must be 1 to 9, not '{v}'"))?,
                );
            }
            "--seed" => {
                let v = value("a number")?;
                args.seed = Some(
                    v.parse()
                        .map_err(|_| format!("kplay: --seed must be a whole number, not '{v}'"))?,
                );
            }
            "--echo" => args.echo = true,
            "--fake-clock" => args.fake_clock = true,
            "--export" => args.export = Some(value("a file name")?),
            "-h" | "--help" => return Err(String::new()),
            "-" => args.file = None,
            f if f.starts_with("--") => return Err(format!("kplay: unknown option {f}")),
            f => {
                if args.file.is_some() {
                    return Err("kplay: only one script file may be given".into());
                }
                args.file = Some(f.to_string());
            }
        }
    }
    Ok(args)
}

fn read_script(file: Option<&str>) -> Result<String, String> {
    let mut bytes = Vec::new();
    match file {
        Some(path) => {
            bytes = std::fs::read(path).map_err(|e| format!("kplay: cannot read {path}: {e}"))?
        }
        None => {
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| format!("kplay: cannot read standard input: {e}"))?;
        }
    }
    String::from_utf8(bytes).map_err(|_| "kplay: the script is not valid UTF-8".to_string())
}

/// The lesson files named: a folder stands for its `*.md` files in name order; a folder's
/// `README.md` (the authors' guide, as in `lessons/`) is not a lesson and is passed over, so
/// `kplay --check lessons/*.md` and `kplay --check lessons` check the same lessons.
fn lesson_files(args: &[String]) -> Vec<String> {
    let is_readme = |p: &str| {
        std::path::Path::new(p)
            .file_name()
            .is_some_and(|n| n.eq_ignore_ascii_case("README.md"))
    };
    let mut files = Vec::new();
    for arg in args {
        match std::fs::read_dir(arg) {
            Ok(dir) => {
                let mut found: Vec<String> = dir
                    .filter_map(|e| e.ok())
                    .map(|e| e.path().to_string_lossy().into_owned())
                    .filter(|p| p.ends_with(".md") && !is_readme(p))
                    .collect();
                found.sort();
                files.extend(found);
            }
            Err(_) if is_readme(arg) => eprintln!("kplay: {arg}: not a lesson, passed over"),
            Err(_) => files.push(arg.clone()),
        }
    }
    files
}

/// `kplay --check FILE|DIR...`: verifies each lesson and prints its report.
fn check_lessons(files: &[String]) -> ExitCode {
    if files.is_empty() {
        eprintln!("kplay: --check needs at least one lesson file\n{USAGE}");
        return ExitCode::from(2);
    }
    let mut status = 0u8;
    for path in lesson_files(files) {
        let path = &path;
        let text = match read_script(Some(path)) {
            Ok(t) => t,
            Err(msg) => {
                eprintln!("{msg}");
                status = 2;
                continue;
            }
        };
        match kafka_playground::lesson::Lesson::parse(&text) {
            Ok(lesson) => {
                let report = kafka_playground::lesson::verify::verify(&lesson);
                print!("{}", report.text);
                if !report.ok && status == 0 {
                    status = 1;
                }
            }
            Err(e) => {
                eprintln!("kplay: {path}: {e}");
                status = 2;
            }
        }
    }
    ExitCode::from(status)
}

/// `--lesson-link FILE [SITE-URL]`: the lesson, checked, packed into a link.
fn lesson_link(args: &[String]) -> ExitCode {
    let (Some(path), site) = (args.first(), args.get(1)) else {
        eprintln!("kplay: --lesson-link needs a lesson file\n{USAGE}");
        return ExitCode::from(2);
    };
    let text = match read_script(Some(path)) {
        Ok(t) => t,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let lesson = match kafka_playground::lesson::Lesson::parse(&text) {
        Ok(lesson) => lesson,
        Err(e) => {
            eprintln!("kplay: {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let report = kafka_playground::lesson::verify::verify(&lesson);
    if !report.ok {
        eprint!("{}", report.text);
        eprintln!("kplay: {path}: no link for a lesson that fails its checks");
        return ExitCode::from(1);
    }
    let site = site.map(|s| s.split('#').next().unwrap_or(s)).unwrap_or("");
    println!(
        "{site}#lesson={}",
        kafka_playground::lesson::link::encode(&text)
    );
    ExitCode::SUCCESS
}

/// The real clock the perf tools measure with: milliseconds since kplay started.
fn elapsed_ms() -> f64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_secs_f64()
        * 1000.0
}

/// kplay as the session's page: what a tab prints goes to standard output or error as it
/// comes, and the perf tools measure with the real clock unless `--fake-clock`.
struct Console {
    real_clock: bool,
}

impl Host for Console {
    fn emit(&self, _tab: usize, out: &Output) {
        let (mut stdout, mut stderr) = (std::io::stdout().lock(), std::io::stderr().lock());
        for chunk in &out.chunks {
            // A closed pipe (`kplay … | head`) is not an error of the script's.
            let _ = match chunk.stream {
                Stream::Stdout => stdout
                    .write_all(chunk.text.as_bytes())
                    .and_then(|_| stdout.flush()),
                Stream::Stderr => stderr
                    .write_all(chunk.text.as_bytes())
                    .and_then(|_| stderr.flush()),
            };
        }
    }

    fn page_clock(&self) -> Option<fn() -> f64> {
        self.real_clock.then_some(elapsed_ms as fn() -> f64)
    }
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    if argv.first().map(String::as_str) == Some("--check") {
        return check_lessons(&argv[1..]);
    }
    if argv.first().map(String::as_str) == Some("--lesson-link") {
        return lesson_link(&argv[1..]);
    }
    let args = match parse_args(&argv) {
        Ok(a) => a,
        Err(msg) if msg.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
            eprintln!("{msg}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let script = match read_script(args.file.as_deref()) {
        Ok(s) => s,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    // The command line wins over a `#! --brokers N` header in the script.
    let brokers = args
        .brokers
        .or_else(|| kafka_playground::console::script::header_brokers(&script))
        .unwrap_or(3);
    let mut config = ClusterConfig {
        brokers,
        ..ClusterConfig::default()
    };
    if let Some(seed) = args.seed {
        config.seed = seed;
    }
    let console = Rc::new(Console {
        real_clock: !args.fake_clock,
    });
    // The session the browser runs, with one batch terminal: every line goes through
    // `Workbench::apply`, as typed lines do in the page.
    let mut session = Workbench::scripted(config, console);
    session.run_script(&script, args.echo);
    if let Some(path) = &args.export {
        if let Err(e) = std::fs::write(path, session.snapshot_text()) {
            eprintln!("kplay: cannot write {path}: {e}");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
