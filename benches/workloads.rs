//! The benchmark workloads (`kafka_playground::bench`) natively: each is run a few times and
//! its median printed, as a line of JSON per workload (what `scripts/bench.sh` reads).
//!
//! `cargo bench --bench workloads -- [--records N] [--runs N] [--json FILE] [workload…]`
//! (defaults: 1,000,000 records, 3 runs, every workload). The counting allocator measures the
//! bytes each record holds beyond its key and value.

use std::time::Instant;

use kafka_playground::bench::{self, CountingAlloc, Lent, Measurement, Workload};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

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
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        records: 1_000_000,
        runs: 3,
        json: None,
        workloads: Vec::new(),
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

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("workloads: {e}");
            std::process::exit(2);
        }
    };
    let lent = Lent {
        now_ms,
        live_bytes: CountingAlloc::live_bytes,
    };
    let mut lines = Vec::new();
    for w in &args.workloads {
        let mut runs = Vec::new();
        for _ in 0..args.runs {
            match bench::run(*w, args.records, lent) {
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
