//! Built-in lessons arrive from the site when they open: the wasm holds only the catalog's
//! index (`lesson::catalog`), and the Markdown is fetched from `lessons/<file>` next to the
//! page (offline, the service worker answers from its cache). Until it arrives the panel says
//! "Loading lesson…"; a failed fetch shows why, with a retry — and whatever waited for the
//! lesson (starting it, continuing the one saved before a reload, an embedded widget's setup)
//! happens once it is here.
//!
//! Invariant: the session only records what to fetch (`Workbench::lesson_to_fetch`); the fetch
//! itself is the page's (`ui::lesson_fetch`) and comes back as `LessonAction::Fetched`.

use super::{LessonRun, LessonSource, LineKind, SavedLesson, Workbench};
use crate::lesson::{Lesson, catalog};
use crate::share::EmbedConfig;

/// A built-in lesson being fetched (or whose fetch failed), and what happens when it is here.
pub struct LessonFetch {
    pub entry: &'static catalog::Entry,
    /// A retry is a new attempt: the App's effect fetches again, and an answer to an older
    /// attempt (or for a lesson no longer wanted) is ignored.
    pub attempt: u32,
    /// Why the last attempt failed; no new attempt starts until the learner retries.
    pub failed: Option<String>,
    pub then: AfterFetch,
}

pub enum AfterFetch {
    /// Start the lesson on a fresh cluster (the catalog, an API call).
    Start,
    /// Continue the lesson saved with the session (a reload, an imported session).
    Resume(SavedLesson),
    /// Start it, then finish an embedded widget's setup (its commands run on its cluster).
    Embed(EmbedConfig),
}

impl LessonFetch {
    /// The lesson in progress it will continue, as saved (so saving meanwhile keeps it).
    pub fn saved(&self) -> Option<&SavedLesson> {
        match &self.then {
            AfterFetch::Resume(saved) => Some(saved),
            _ => None,
        }
    }
}

impl Workbench {
    /// Built-in lesson `id`: now if this page has fetched it already, otherwise once fetched.
    pub(super) fn open_built_in(&mut self, id: &str, then: AfterFetch) {
        // Parsed again rather than kept parsed: cheaper in code than cloning a `Lesson`.
        let known = self
            .fetched
            .iter()
            .find(|(fetched_id, _)| *fetched_id == id);
        if let Some(lesson) = known.and_then(|(_, text)| Lesson::parse(text).ok()) {
            self.lesson_ready(lesson, then);
            return;
        }
        let Some(entry) = catalog::find(id) else {
            self.lesson_missing(id, then);
            return;
        };
        self.lessons_open = true;
        self.lesson_fetch = Some(LessonFetch {
            entry,
            attempt: 0,
            failed: None,
            then,
        });
    }

    /// What the App's effect should fetch now: (id, attempt, url).
    pub fn lesson_to_fetch(&self) -> Option<(String, u32, String)> {
        let fetch = self.lesson_fetch.as_ref()?;
        if fetch.failed.is_some() {
            return None;
        }
        Some((fetch.entry.id.to_string(), fetch.attempt, fetch.entry.url()))
    }

    /// An answer to a fetch: the lesson continues, or the panel shows why it cannot.
    pub(super) fn lesson_fetched(
        &mut self,
        id: &str,
        attempt: u32,
        result: Result<String, String>,
    ) {
        let Some(fetch) = self.lesson_fetch.as_mut() else {
            return;
        };
        if fetch.entry.id != id || fetch.attempt != attempt {
            return;
        }
        let url = fetch.entry.url();
        // The file comes from the site, not from this build: a host serving another version
        // (or an error page) must be reported, not trusted.
        let lesson = result.and_then(|text| {
            let lesson =
                Lesson::parse(&text).map_err(|e| format!("{url} is not a lesson file ({e})"))?;
            if lesson.id != id {
                return Err(format!(
                    "{url} holds the lesson '{}', not '{id}'",
                    lesson.id
                ));
            }
            Ok((lesson, text))
        });
        match lesson {
            Ok((lesson, text)) => {
                if let Some(fetch) = self.lesson_fetch.take() {
                    self.fetched.push((fetch.entry.id, text));
                    self.lesson_ready(lesson, fetch.then);
                }
            }
            Err(why) => fetch.failed = Some(why),
        }
    }

    /// The learner asked to try a failed fetch again.
    pub(super) fn retry_lesson_fetch(&mut self) {
        if let Some(fetch) = self.lesson_fetch.as_mut() {
            if fetch.failed.take().is_some() {
                fetch.attempt += 1;
            }
        }
    }

    /// The learner left a lesson that had not arrived yet: a widget's setup goes on without it.
    pub(super) fn abandon_lesson_fetch(&mut self) {
        if let Some(LessonFetch {
            then: AfterFetch::Embed(config),
            ..
        }) = self.lesson_fetch.take()
        {
            self.finish_embed(config);
        }
    }

    fn lesson_ready(&mut self, lesson: Lesson, then: AfterFetch) {
        let source = LessonSource::BuiltIn(lesson.id.clone());
        match then {
            AfterFetch::Start => self.start_lesson(lesson, source),
            AfterFetch::Resume(saved) => {
                let mut run = LessonRun::resume(lesson, saved);
                run.evaluate(&self.playground);
                self.lesson = Some(run);
                self.lessons_open = true;
            }
            AfterFetch::Embed(config) => {
                self.start_lesson(lesson, source);
                self.tabs[0].clear();
                self.finish_embed(config);
            }
        }
    }

    fn lesson_missing(&mut self, id: &str, then: AfterFetch) {
        let why = format!("[playground] The lesson could not be opened: there is no lesson '{id}'");
        match then {
            AfterFetch::Start => {
                self.lessons_open = true;
                self.tab_mut().push(LineKind::Stderr, &why);
            }
            // A lesson this site no longer has: the session goes on without it.
            AfterFetch::Resume(_) => {}
            AfterFetch::Embed(config) => {
                self.finish_embed(config);
                self.tab_mut().push(LineKind::Stderr, &why);
            }
        }
    }
}
