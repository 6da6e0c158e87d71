//! The workbench's side of a lesson: starting it on its own cluster, checking its step after
//! every change, the lesson panel's buttons.

use super::{
    AfterFetch, LessonAction, LessonRun, LessonSource, LineKind, SavedLesson, Tab, Workbench,
};
use crate::console::{Prompt, Terminal};
use crate::lesson::Lesson;
use crate::share::Journal;

impl Workbench {
    /// Continues the lesson saved with the session: a file's at once, a built-in one when
    /// its file has been fetched. A lesson that cannot be read any more is dropped, as is
    /// one this site no longer has.
    pub(super) fn resume_lesson(&mut self, saved: SavedLesson) {
        match &saved.source {
            LessonSource::BuiltIn(id) => {
                let id = id.clone();
                self.open_built_in(&id, AfterFetch::Resume(saved));
            }
            LessonSource::File(text) => {
                if let Ok(lesson) = Lesson::parse(text) {
                    let mut run = LessonRun::resume(lesson, saved);
                    run.evaluate(&self.playground);
                    self.lesson = Some(run);
                    self.lessons_open = true;
                }
            }
        }
    }

    /// Starts a lesson on the cluster it describes; the previous session's cluster is
    /// replaced.
    pub(super) fn start_lesson(&mut self, lesson: Lesson, source: LessonSource) {
        self.check_report = None;
        for tab in &mut self.tabs {
            let _ = tab.terminal.interrupt(&mut self.playground);
        }
        let start_ms = self.playground.cluster.now_ms();
        let mut pg = crate::lesson::verify::prepare(&lesson, start_ms);
        pg.clock_speed = 1;
        self.playground = pg;
        let mut first = Tab::new(1);
        first.push(
            LineKind::Note,
            &format!(
                "Lesson: {} — a fresh {}-broker cluster is ready. Follow the steps in the lesson panel; each one is checked after every command.",
                lesson.title, lesson.brokers
            ),
        );
        self.tabs = vec![first];
        self.active = 0;
        self.next_tab = 2;
        let mut journal = Journal::new(start_ms, lesson.brokers);
        journal.setup = lesson.setup.clone();
        self.journal = Some(journal);
        self.control_terminal = Terminal::new();
        let mut run = LessonRun::new(lesson, source);
        run.effort.started_ms = self.last_wall_ms;
        run.evaluate(&self.playground);
        self.lesson = Some(run);
        self.lessons_open = true;
    }

    /// After anything that may have changed the cluster: re-checks the lesson's current
    /// step and keeps the best progress; returns whether the panel changed.
    pub(super) fn check_lesson(&mut self) -> bool {
        let Some(run) = self.lesson.as_mut() else {
            return false;
        };
        let changed = run.evaluate(&self.playground);
        if run.finished() && run.effort.finished_ms.is_none() {
            run.effort.finished_ms = Some(self.last_wall_ms);
        }
        let done = run.done_steps();
        let id = run.id().to_string();
        let finished = run.finished();
        if finished {
            self.note_course_progress(&id);
        }
        let best = self.progress.entry(id).or_insert(0);
        *best = (*best).max(done);
        changed
    }

    /// Runs solution lines in the active tab as a script runs: each once the one before has
    /// finished (a consumer with `--timeout-ms` ends before the next line is typed).
    fn run_solution_lines(&mut self, lines: Vec<String>) {
        if !matches!(self.tab().terminal.prompt(), Prompt::Shell) {
            self.run_command("");
            return;
        }
        self.queue_setup(&lines, false, None);
        self.run_setups();
    }

    pub(super) fn lesson_action(&mut self, action: LessonAction) {
        match action {
            LessonAction::Start(id) => self.open_built_in(&id, AfterFetch::Start),
            LessonAction::Fetched {
                id,
                attempt,
                result,
            } => self.lesson_fetched(&id, attempt, result),
            LessonAction::Retry => {
                self.retry_lesson_fetch();
                self.retry_link_fetch();
            }
            LessonAction::Link(request) => self.open_link_request(request),
            LessonAction::LinkFetched { attempt, result } => self.link_fetched(attempt, result),
            LessonAction::OpenCourseLesson(index) => self.open_course_lesson(index),
            LessonAction::OpenFile { name, text } => {
                // Checked before anything is replaced: a bad file leaves the session as it
                // is.
                match Lesson::parse(&text) {
                    Ok(lesson) => {
                        // The author's preview: the file checked as `kplay --check` checks it.
                        let report = crate::lesson::verify::verify(&lesson);
                        self.start_lesson(lesson, LessonSource::File(text));
                        self.check_report = Some((report.ok, report.text));
                    }
                    Err(e) => {
                        self.lessons_open = true;
                        self.check_report = Some((false, format!("{name}: {e}")));
                        self.tab_mut().push(
                            LineKind::Stderr,
                            &format!("[playground] The lesson file {name} could not be opened: {e}. Lesson format: lessons/README.md."),
                        );
                    }
                }
            }
            LessonAction::Toggle => self.lessons_open = !self.lessons_open,
            LessonAction::Close => {
                self.lesson = None;
                self.check_report = None;
                self.link_fetch = None;
                self.abandon_lesson_fetch();
            }
            LessonAction::Reset => {
                if let Some(run) = self.lesson.take() {
                    self.start_lesson(run.lesson, run.source);
                }
            }
            LessonAction::GoTo(step) => {
                let Some(run) = self.lesson.as_ref() else {
                    return;
                };
                if !run.may_open(step) {
                    return;
                }
                // A jump ahead runs the skipped steps' solutions first, one after another.
                let skipped = run.skipped_solutions(step);
                if !skipped.is_empty() {
                    self.run_solution_lines(skipped);
                }
                let Workbench {
                    lesson, playground, ..
                } = self;
                if let Some(run) = lesson.as_mut() {
                    run.go_to(step, playground);
                }
            }
            LessonAction::Hint => {
                if let Some(run) = self.lesson.as_mut() {
                    run.hints_shown += 1;
                    run.effort.hints += 1;
                }
            }
            LessonAction::ShowSolution => {
                if let Some(run) = self.lesson.as_mut() {
                    if !run.solution_shown {
                        run.effort.solutions += 1;
                    }
                    run.solution_shown = true;
                }
            }
            LessonAction::RunSolution => {
                let lines = self
                    .lesson
                    .as_ref()
                    .and_then(|r| r.lesson.steps.get(r.step))
                    .map(|s| s.solution.clone())
                    .unwrap_or_default();
                self.run_solution_lines(lines);
            }
        }
    }
}
