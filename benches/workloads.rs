//! The benchmark workloads (`kafka_playground::bench`) natively: each is run a few times and
//! its median printed, as a line of JSON per workload (what `scripts/bench.sh` reads).
//!
//! `cargo bench --bench workloads -- [--records N] [--runs N] [--json FILE] [workload…]`
//! (defaults: 1,000,000 records, 3 runs, every workload). Built with `--features count-alloc`,
//! the counting allocator measures the bytes each record holds beyond its key and value; the
//! timed runs are built without it, as counting costs time on every allocation.
//!
//! Every run is a process of its own (this binary with `--once`): a heap that earlier runs grew
//! and freed would make later runs faster than the first, and the wasm runs each start in a
//! fresh page too.

use std::time::Instant;

use kafka_playground::bench::{self, Lent, Measurement, Workload};

/// The clock lent to the workloads: milliseconds since the first reading.
fn now_ms() -> f64 {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
}

struct Args {
    records: u64,
    runs: usize,
    json: Option<String>,
    workloads: Vec<Workload>,
    /// Run the (one) workload once in this process and print its JSON.
    once: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        records: 1_000_000,
        runs: 3,
        json: None,
        workloads: Vec::new(),
        once: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            // cargo bench passes it to every bench binary.
            "--bench" => {}
            "--records" => {
                let v = value("--records")?;
                args.records = v.parse().map_err(|_| format!("--records {v}"))?;
            }
            "--runs" => {
                let v = value("--runs")?;
                args.runs = v.parse().map_err(|_| format!("--runs {v}"))?;
            }
            "--json" => args.json = Some(value("--json")?),
            "--once" => args.once = true,
            name => args
                .workloads
                .push(Workload::parse(name).ok_or(format!("unknown workload {name}"))?),
        }
    }
    if args.workloads.is_empty() {
        args.workloads = Workload::ALL.to_vec();
    }
    args.runs = args.runs.max(1);
    Ok(args)
}

/// The run with the median time (the first run's memory figure: allocation is the same in
/// every run).
fn median(mut runs: Vec<Measurement>) -> Measurement {
    let overhead = runs[0].overhead_bytes_per_record;
    runs.sort_by(|a, b| a.elapsed_ms.total_cmp(&b.elapsed_ms));
    let mut m = runs.swap_remove(runs.len() / 2);
    m.overhead_bytes_per_record = overhead;
    m
}

/// One run in a process of its own.
fn run_once(w: Workload, records: u64) -> Result<Measurement, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = std::process::Command::new(exe)
        .args(["--once", "--records", &records.to_string(), w.name()])
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("the run failed ({})", out.status));
    }
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("its output: {e}"))?;
    let number = |k: &str| v[k].as_f64();
    Ok(Measurement {
        workload: w,
        records: number("records").unwrap_or_default() as u64,
        items: number("items").unwrap_or_default() as u64,
        elapsed_ms: number("elapsed_ms").ok_or("no elapsed_ms")?,
        overhead_bytes_per_record: number("overhead_bytes_per_record"),
        reported_per_second: number("reported_per_second"),
    })
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("workloads: {e}");
            std::process::exit(2);
        }
    };
    if args.once {
        let lent = Lent {
            now_ms,
            live_bytes: bench::live_bytes,
        };
        for w in &args.workloads {
            match bench::run(*w, args.records, lent) {
                Ok(m) => println!("{}", m.to_json()),
                Err(e) => {
                    eprintln!("{}: {e}", w.name());
                    std::process::exit(1);
                }
            }
        }
        return;
    }
    let mut lines = Vec::new();
    for w in &args.workloads {
        let mut runs = Vec::new();
        for _ in 0..args.runs {
            match run_once(*w, args.records) {
                Ok(m) => runs.push(m),
                Err(e) => {
                    eprintln!("{}: {e}", w.name());
                    std::process::exit(1);
                }
            }
        }
        let m = median(runs);
        eprintln!(
            "native {:<17} {:>10.1} ms {:>14.0} /s{}",
            w.name(),
            m.elapsed_ms,
            m.per_second(),
            m.overhead_bytes_per_record
                .map_or(String::new(), |b| format!(
                    "  {b:.1} bytes/record beyond key+value"
                ))
        );
        lines.push(m.to_json());
    }
    let text = lines.join("\n") + "\n";
    match &args.json {
        Some(path) => {
            if let Err(e) = std::fs::write(path, text) {
                eprintln!("workloads: cannot write {path}: {e}");
                std::process::exit(1);
            }
        }
        None => print!("{text}"),
    }
}
