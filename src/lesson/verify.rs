//! Proving a lesson solvable: start its cluster, see the first step fail, then run each step's
//! solution and see its checks pass. `kplay --check` prints this report; CI runs it on every
//! lesson.

use super::check::{Context, Outcome, Ran};
use super::format::{Lesson, Step};
use crate::console::script::run_script;
use crate::console::terminal::Prompt;
use crate::console::{Output, Playground, Terminal};
use crate::engine::{Cluster, ClusterConfig};

/// A fresh playground as the lesson starts: its brokers, its setup commands already run.
/// `start_ms` is where the clock starts (the page's time in the browser, a fixed time in CI).
pub fn prepare(lesson: &Lesson, start_ms: i64) -> Playground {
    prepare_reporting(lesson, start_ms).0
}

/// [`prepare`], and each setup line that failed with what it printed: a lesson whose setup
/// breaks would otherwise show up later as a confusing step failure.
pub fn prepare_reporting(lesson: &Lesson, start_ms: i64) -> (Playground, Vec<String>) {
    let config = ClusterConfig {
        brokers: lesson.brokers,
        start_ms,
        ..ClusterConfig::default()
    };
    let mut pg = Playground::new(Cluster::new(config));
    let mut terminal = Terminal::batch();
    let mut failures = Vec::new();
    for line in &lesson.setup {
        let out = terminal.enter(&mut pg, line);
        if let Some(status) = finished_status(&terminal).filter(|s| *s != 0) {
            let mut report = format!("setup: {line} — exit status {status}");
            for printed in out.text().lines().take(10) {
                report.push_str(&format!("\n    | {printed}"));
            }
            failures.push(report);
        }
    }
    let _ = run_script(&mut pg, &mut terminal, "", false);
    (pg, failures)
}

/// The exit status of the command just entered, once it has finished (a consumer left
/// running has none yet).
pub fn finished_status(terminal: &Terminal) -> Option<i32> {
    matches!(terminal.prompt(), Prompt::Shell).then(|| terminal.last_status())
}

/// Whether a finished command failed, as a `ran` check sees it: an interrupted tool (Ctrl+C,
/// status 130) did what it was started for.
pub fn failed(status: Option<i32>) -> bool {
    status.is_some_and(|s| s != 0 && s != 130)
}

/// The outcome of every check of a step, in order.
pub fn evaluate_step(step: &Step, pg: &Playground, commands: &[Ran]) -> Vec<Outcome> {
    let ctx = Context {
        cluster: &pg.cluster,
        commands,
    };
    step.checks.iter().map(|c| c.evaluate(&ctx)).collect()
}

pub struct Report {
    pub text: String,
    pub ok: bool,
}

/// Runs the lesson as CI does; the report says what passed and what did not.
pub fn verify(lesson: &Lesson) -> Report {
    let mut text = format!(
        "lesson {} — {} ({} steps, {} broker{})\n",
        lesson.id,
        lesson.title,
        lesson.steps.len(),
        lesson.brokers,
        if lesson.brokers == 1 { "" } else { "s" }
    );
    let mut ok = true;
    let (mut pg, setup_failures) =
        prepare_reporting(lesson, crate::engine::clock::DEFAULT_START_MS);
    for failure in setup_failures {
        ok = false;
        text.push_str(&format!("  FAIL — {failure}\n"));
    }
    pg.clock_speed = 0;
    let mut terminal = Terminal::batch();
    let mut commands: Vec<(String, bool)> = Vec::new();
    for (n, step) in lesson.steps.iter().enumerate() {
        let before = evaluate_step(step, &pg, &as_ran(&commands));
        let already = before.iter().all(Outcome::passed);
        if n == 0 && already {
            ok = false;
            text.push_str(&format!(
                "  step 1 '{}': FAIL — its checks already pass on the fresh cluster\n",
                step.title
            ));
        }
        if step.solution.is_empty() {
            ok = false;
            text.push_str(&format!(
                "  step {} '{}': FAIL — no solution: line\n",
                n + 1,
                step.title
            ));
            continue;
        }
        // Line by line, as a learner types them: background jobs (`… &`) keep running into
        // the next steps, as consumers in another tab would.
        let mut out = Output::new();
        for line in &step.solution {
            out.append(terminal.enter(&mut pg, line));
            commands.push((line.clone(), failed(finished_status(&terminal))));
        }
        let after = evaluate_step(step, &pg, &as_ran(&commands));
        let failures: Vec<String> = step
            .checks
            .iter()
            .zip(&after)
            .filter_map(|(c, o)| match o {
                Outcome::Pass => None,
                Outcome::Fail(why) => Some(format!("      ✗ {} — {why}", c.text)),
            })
            .collect();
        if failures.is_empty() {
            let note = if already && n > 0 {
                " (already passed before its solution)"
            } else {
                ""
            };
            text.push_str(&format!("  step {} '{}': ok{note}\n", n + 1, step.title));
        } else {
            ok = false;
            text.push_str(&format!(
                "  step {} '{}': FAIL after its solution\n{}\n",
                n + 1,
                step.title,
                failures.join("\n")
            ));
            let printed = out.text();
            if !printed.is_empty() {
                text.push_str("    the solution printed:\n");
                for line in printed.lines().take(20) {
                    text.push_str(&format!("    | {line}\n"));
                }
            }
        }
    }
    let _ = terminal.end_of_script(&mut pg);
    text.push_str(if ok { "ok\n" } else { "FAILED\n" });
    Report { text, ok }
}

fn as_ran(commands: &[(String, bool)]) -> Vec<Ran<'_>> {
    commands
        .iter()
        .map(|(line, failed)| Ran {
            line,
            failed: *failed,
        })
        .collect()
}
