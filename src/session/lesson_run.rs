//! A lesson in progress: which step the learner is on, what the checks say after every
//! command, hints shown, commands run. Saved with the session so a reload continues the lesson
//! (a built-in one once its file is fetched again: [`super::LessonFetch`]).

use crate::console::Playground;
use crate::lesson::check::Ran;
use crate::lesson::{Lesson, Outcome, verify};

pub use crate::snapshot::{LessonEffort, LessonSource, Progress, SavedLesson};

pub struct LessonRun {
    pub lesson: Lesson,
    pub source: LessonSource,
    pub step: usize,
    /// Steps whose checks have passed (they stay passed).
    pub passed: Vec<bool>,
    /// The current step's checks as of the last command.
    pub outcomes: Vec<Outcome>,
    pub hints_shown: usize,
    pub solution_shown: bool,
    /// Console lines run since the lesson started (for `ran …` checks).
    pub commands: Vec<String>,
    /// Indices into `commands` of the lines that failed.
    pub failed: Vec<usize>,
    pub effort: LessonEffort,
}

impl LessonRun {
    pub fn new(lesson: Lesson, source: LessonSource) -> Self {
        let steps = lesson.steps.len();
        LessonRun {
            lesson,
            source,
            step: 0,
            passed: vec![false; steps],
            outcomes: Vec::new(),
            hints_shown: 0,
            solution_shown: false,
            commands: Vec::new(),
            failed: Vec::new(),
            effort: LessonEffort::default(),
        }
    }

    /// Continues a saved run of `lesson` (the lesson it was saved from, read again).
    pub fn resume(lesson: Lesson, saved: SavedLesson) -> Self {
        let steps = lesson.steps.len();
        let mut run = LessonRun::new(lesson, saved.source);
        run.step = saved.step.min(steps.saturating_sub(1));
        run.passed = saved.passed;
        run.passed.resize(steps, false);
        run.commands = saved.commands;
        run.failed = saved.failed;
        run.effort = saved.effort;
        run
    }

    pub fn save(&self) -> SavedLesson {
        SavedLesson {
            source: self.source.clone(),
            step: self.step,
            passed: self.passed.clone(),
            commands: self.commands.clone(),
            failed: self.failed.clone(),
            effort: self.effort.clone(),
        }
    }

    pub fn id(&self) -> &str {
        &self.lesson.id
    }

    pub fn done_steps(&self) -> usize {
        self.passed.iter().filter(|p| **p).count()
    }

    pub fn finished(&self) -> bool {
        self.passed.iter().all(|p| *p)
    }

    /// Re-evaluates the current step; returns whether anything the panel shows changed.
    pub fn evaluate(&mut self, pg: &Playground) -> bool {
        let Some(step) = self.lesson.steps.get(self.step) else {
            return false;
        };
        let ran: Vec<Ran> = self
            .commands
            .iter()
            .enumerate()
            .map(|(i, line)| Ran {
                line,
                failed: self.failed.contains(&i),
            })
            .collect();
        let outcomes = verify::evaluate_step(step, pg, &ran);
        let now_passed = outcomes.iter().all(Outcome::passed);
        let changed = outcomes != self.outcomes || (now_passed && !self.passed[self.step]);
        if now_passed {
            self.passed[self.step] = true;
        }
        self.outcomes = outcomes;
        changed
    }

    /// What the learner hands in for this lesson (`now_ms`: the page's time).
    pub fn result(&self, now_ms: f64) -> crate::lesson::results::LessonResult {
        let end = self.effort.finished_ms.unwrap_or(now_ms);
        crate::lesson::results::LessonResult {
            id: self.lesson.id.clone(),
            title: self.lesson.title.clone(),
            steps: self.lesson.steps.len(),
            passed: self.done_steps(),
            attempts: self.commands.len(),
            hints: self.effort.hints,
            solutions: self.effort.solutions,
            seconds: ((end - self.effort.started_ms).max(0.0) / 1000.0) as u64,
        }
    }

    /// Whether the learner may open `step` now: any step up to the first one not yet passed,
    /// and any step at all in a lesson with `steps: open`.
    pub fn may_open(&self, step: usize) -> bool {
        step < self.lesson.steps.len()
            && (self.lesson.open_steps || self.passed[..step].iter().all(|p| *p))
    }

    /// The solutions of the steps a jump to `step` skips (those not passed yet), in order:
    /// run first, so the cluster is where that step expects it.
    pub fn skipped_solutions(&self, step: usize) -> Vec<String> {
        (self.step..step.min(self.lesson.steps.len()))
            .filter(|i| !self.passed[*i])
            .flat_map(|i| self.lesson.steps[i].solution.iter().cloned())
            .collect()
    }

    pub fn go_to(&mut self, step: usize, pg: &Playground) {
        if step < self.lesson.steps.len() {
            self.step = step;
            self.hints_shown = 0;
            self.solution_shown = false;
            self.outcomes.clear();
            self.evaluate(pg);
        }
    }

    /// Records what a learner ran (only lines typed at the shell prompt).
    pub fn record(&mut self, line: &str) -> bool {
        record(&mut self.commands, line)
    }

    /// The line recorded last has ended with `status` (see [`verify::failed`]).
    pub fn command_ended(&mut self, status: Option<i32>) {
        mark(&mut self.commands, &mut self.failed, status);
    }
}

impl SavedLesson {
    /// Records what a learner ran while the lesson's file is still being fetched, so its
    /// `ran …` checks see it once the lesson continues.
    pub fn record(&mut self, line: &str) -> bool {
        record(&mut self.commands, line)
    }

    pub fn command_ended(&mut self, status: Option<i32>) {
        mark(&mut self.commands, &mut self.failed, status);
    }
}

fn mark(commands: &mut [String], failed: &mut Vec<usize>, status: Option<i32>) {
    let last = commands.len().checked_sub(1);
    if let Some(i) = last.filter(|i| verify::failed(status) && !failed.contains(i)) {
        failed.push(i);
    }
}

fn record(commands: &mut Vec<String>, line: &str) -> bool {
    let line = line.trim();
    let kept = !line.is_empty() && commands.len() < 10_000;
    if kept {
        commands.push(line.to_string());
    }
    kept
}
