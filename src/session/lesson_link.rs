//! Lessons opened by link (`#lesson=`, `#lesson-url=`) and courses (`#course-url=`): what to
//! fetch, what arrived, and the course's order and progress.
//!
//! Opening a link never loses the opener's work: when a lesson from a link replaces the
//! cluster, the session it replaces is kept among the recent ones first (as an import does).
//!
//! Invariant: the session only records what to fetch (`Workbench::link_to_fetch`); the fetch
//! is the page's, and its answer comes back as `LessonAction::LinkFetched`.

use super::{LessonSource, LineKind, SavedMeta, SetAside, Workbench};
use crate::lesson::Lesson;
use crate::lesson::link::{Course, LinkRequest, decode};

/// A lesson or course file being fetched for a link (or whose fetch failed).
#[derive(Debug, Clone, PartialEq)]
pub struct LinkFetch {
    /// Empty for a lesson carried in the link itself (nothing to fetch or retry).
    pub url: String,
    pub what: Linked,
    /// A retry is a new attempt; an answer to an older one is ignored.
    pub attempt: u32,
    /// Why it could not be opened; nothing is fetched again until the learner retries.
    pub failed: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Linked {
    /// A lesson; from a course, the id the course expects it to have.
    Lesson {
        expect: Option<String>,
    },
    Course,
}

impl Workbench {
    /// What an address asked for: opened now, or fetched first.
    pub(super) fn open_link_request(&mut self, request: LinkRequest) {
        self.lessons_open = true;
        let (url, what) = match request {
            LinkRequest::Inline(code) => {
                match decode(&code) {
                    Ok(text) => self.open_linked_lesson(&text, "the link", None, true),
                    Err(why) => {
                        self.link_failed(String::new(), Linked::Lesson { expect: None }, why)
                    }
                }
                return;
            }
            LinkRequest::Url(url) => (url, Linked::Lesson { expect: None }),
            LinkRequest::Course(url) => (url, Linked::Course),
        };
        if let Err(why) = fetchable(&url) {
            self.link_failed(url, what, why);
            return;
        }
        self.link_fetch = Some(LinkFetch {
            url,
            what,
            attempt: 0,
            failed: None,
        });
    }

    /// What the page should fetch now: (attempt, url).
    pub fn link_to_fetch(&self) -> Option<(u32, String)> {
        let fetch = self.link_fetch.as_ref()?;
        (fetch.failed.is_none() && !fetch.url.is_empty())
            .then(|| (fetch.attempt, fetch.url.clone()))
    }

    /// A fetched file (or why there is none).
    pub(super) fn link_fetched(&mut self, attempt: u32, result: Result<String, String>) {
        let Some(fetch) = self.link_fetch.as_ref() else {
            return;
        };
        if fetch.attempt != attempt || fetch.failed.is_some() {
            return;
        }
        let (url, what) = (fetch.url.clone(), fetch.what.clone());
        let text = match result {
            Ok(text) => text,
            Err(why) => return self.link_failed(url, what, why),
        };
        match &what {
            Linked::Lesson { expect } => {
                let expect = expect.clone();
                let aside = expect.is_none();
                self.open_linked_lesson(&text, &url, expect.as_deref(), aside);
            }
            Linked::Course => match Course::parse(&text, &url) {
                Ok(course) => {
                    self.link_fetch = None;
                    self.lesson = None;
                    self.tab_mut().push(
                        LineKind::Note,
                        &format!(
                            "[playground] Opened the course '{}': {} lesson(s), listed in the lesson panel.",
                            course.title,
                            course.lessons.len()
                        ),
                    );
                    self.course = Some(course);
                    self.save.changed();
                }
                Err(why) => {
                    let why = format!("{url}: {why}");
                    self.link_failed(url, what, why)
                }
            },
        }
    }

    /// Retry a failed fetch (a lesson carried in the link has nothing to retry).
    pub(super) fn retry_link_fetch(&mut self) {
        if let Some(fetch) = self.link_fetch.as_mut() {
            if !fetch.url.is_empty() && fetch.failed.take().is_some() {
                fetch.attempt += 1;
            }
        }
    }

    /// Lesson `index` of the course: a lesson of this site's catalog, or fetched from its url.
    pub(super) fn open_course_lesson(&mut self, index: usize) {
        let Some(course) = self.course.as_ref() else {
            return;
        };
        let progress = &self.progress;
        let done = |id: &str| course.completed(id, progress);
        if !course.unlocked(index, &done) {
            return;
        }
        let Some(entry) = course.lessons.get(index) else {
            return;
        };
        let id = entry.id.clone();
        match course.lesson_url(index) {
            None => self.open_built_in(&id, super::AfterFetch::Start),
            Some(url) => {
                self.lessons_open = true;
                self.link_fetch = Some(LinkFetch {
                    url,
                    what: Linked::Lesson { expect: Some(id) },
                    attempt: 0,
                    failed: None,
                });
            }
        }
    }

    /// The course lesson to offer after the one in progress, once it is finished.
    pub fn next_course_lesson(&self) -> Option<(usize, &str)> {
        let course = self.course.as_ref()?;
        let run = self.lesson.as_ref().filter(|r| r.finished())?;
        let done = |id: &str| course.completed(id, &self.progress);
        let next = course.next_after(run.id(), &done)?;
        Some((next, course.lessons[next].title.as_str()))
    }

    /// Notes a finished lesson in the course's progress.
    pub(super) fn note_course_progress(&mut self, id: &str) {
        if let Some(course) = self.course.as_mut() {
            if course.lessons.iter().any(|l| l.id == id)
                && !course.completed.iter().any(|c| c == id)
            {
                course.completed.push(id.to_string());
            }
        }
    }

    fn open_linked_lesson(&mut self, text: &str, origin: &str, expect: Option<&str>, aside: bool) {
        let lesson = Lesson::parse(text)
            .map_err(|e| {
                format!(
                    "{origin} does not hold a lesson file ({e}); lesson format: lessons/README.md"
                )
            })
            .and_then(|lesson| match expect {
                Some(id) if lesson.id != id => Err(format!(
                    "{origin} holds the lesson '{}', not '{id}' as the course says",
                    lesson.id
                )),
                _ => Ok(lesson),
            });
        let lesson = match lesson {
            Ok(lesson) => lesson,
            Err(why) => {
                let what = Linked::Lesson {
                    expect: expect.map(str::to_string),
                };
                let url = self
                    .link_fetch
                    .as_ref()
                    .map(|f| f.url.clone())
                    .unwrap_or_default();
                return self.link_failed(url, what, why);
            }
        };
        self.link_fetch = None;
        let kept = aside && self.keep_aside_for_link();
        let title = lesson.title.clone();
        self.start_lesson(lesson, LessonSource::File(text.to_string()));
        self.save.changed();
        let yours = if kept {
            " Your own session is kept: Sessions lists it, one click opens it again."
        } else {
            ""
        };
        self.tab_mut().push(
            LineKind::Note,
            &format!("[playground] Opened the lesson '{title}' from {origin}.{yours}"),
        );
    }

    /// Keeps this session among the recent ones before a lesson from a link replaces it;
    /// whether there was anything to keep.
    fn keep_aside_for_link(&mut self) -> bool {
        let worked = self.lesson.is_some()
            || self.journal.as_ref().is_some_and(|j| !j.entries.is_empty())
            || self.playground.cluster.topics().any(|t| !t.is_internal());
        if !worked || self.embed.is_some() || !self.lease.writes() {
            return false;
        }
        self.set_aside = Some(SetAside {
            text: self.snapshot_text(),
            meta: SavedMeta {
                generation: self.generation,
                saved_at_ms: Some(self.last_wall_ms),
                summary: self.summary(),
            },
            readable: true,
        });
        true
    }

    fn link_failed(&mut self, url: String, what: Linked, why: String) {
        let thing = match what {
            Linked::Course => "course",
            Linked::Lesson { .. } => "lesson",
        };
        self.tab_mut().push(
            LineKind::Stderr,
            &format!(
                "[playground] The {thing} could not be opened: {why}. Your session is unchanged."
            ),
        );
        let attempt = self.link_fetch.as_ref().map_or(0, |f| f.attempt);
        self.link_fetch = Some(LinkFetch {
            url,
            what,
            attempt,
            failed: Some(why),
        });
    }
}

/// Only web addresses (or paths on this site) are fetched.
fn fetchable(url: &str) -> Result<(), String> {
    let scheme = url.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("http") | Some("https") => Ok(()),
        Some(s) if !s.contains('/') && !s.is_empty() => Err(format!(
            "'{url}' is not a web address (only http and https lessons are fetched)"
        )),
        _ if url.trim().is_empty() => Err("the link names no file".into()),
        _ => Ok(()),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::session::{Action, LessonAction};

    const START: f64 = 1_700_000_000_000.0;
    const LESSON: &str = "---\nid: link-demo\ntitle: By link\nbrokers: 1\n---\n\
                          ## Make a topic\n\
                          check: topic orders exists\n\
                          solution: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders\n";

    fn shown(wb: &Workbench) -> String {
        let lines = wb.tabs[wb.active].lines.iter().map(|l| l.text.as_str());
        lines.collect::<Vec<_>>().join("\n")
    }

    fn link(wb: &mut Workbench, request: LinkRequest) {
        wb.apply(Action::Lesson(LessonAction::Link(request)));
    }

    #[test]
    fn a_lesson_in_the_link_opens_and_the_openers_session_is_kept_aside() {
        let mut wb = Workbench::new(START);
        wb.apply(Action::Enter(
            "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic mine".into(),
        ));
        link(
            &mut wb,
            LinkRequest::Inline(crate::lesson::link::encode(LESSON)),
        );
        assert_eq!(wb.lesson.as_ref().map(|r| r.id()), Some("link-demo"));
        let aside = wb.set_aside.take().expect("the opener's session is kept");
        assert!(
            aside.text.contains("mine"),
            "its cluster is in what is kept"
        );
        assert!(
            shown(&wb)
                .contains("Opened the lesson 'By link' from the link. Your own session is kept")
        );
        // The lesson travels with the saved session (a reload continues it).
        assert!(wb.snapshot_text().contains("link-demo"));
    }

    #[test]
    fn a_fresh_browser_has_nothing_to_keep_aside() {
        let mut wb = Workbench::new(START);
        link(
            &mut wb,
            LinkRequest::Inline(crate::lesson::link::encode(LESSON)),
        );
        assert!(wb.lesson.is_some());
        assert!(wb.set_aside.is_none());
    }

    #[test]
    fn a_damaged_link_or_a_file_that_is_no_lesson_changes_nothing_and_says_why() {
        let mut wb = Workbench::new(START);
        link(&mut wb, LinkRequest::Inline("v1.%%%".into()));
        assert!(wb.lesson.is_none() && wb.set_aside.is_none());
        assert!(shown(&wb).contains("[playground] The lesson could not be opened: the link is damaged (not base64url). Your session is unchanged."));
        assert_eq!(wb.link_to_fetch(), None, "nothing to fetch or retry");

        link(
            &mut wb,
            LinkRequest::Url("https://host.example/l.md".into()),
        );
        assert_eq!(
            wb.link_to_fetch(),
            Some((0, "https://host.example/l.md".into()))
        );
        wb.apply(Action::Lesson(LessonAction::LinkFetched {
            attempt: 0,
            result: Ok("<html>404</html>".into()),
        }));
        assert!(wb.lesson.is_none());
        assert!(
            shown(&wb).contains("https://host.example/l.md does not hold a lesson file (line 1:")
        );
        wb.apply(Action::Lesson(LessonAction::Retry));
        assert_eq!(
            wb.link_to_fetch(),
            Some((1, "https://host.example/l.md".into()))
        );
        wb.apply(Action::Lesson(LessonAction::LinkFetched {
            attempt: 1,
            result: Ok(LESSON.into()),
        }));
        assert_eq!(wb.lesson.as_ref().map(|r| r.id()), Some("link-demo"));
        assert_eq!(wb.link_to_fetch(), None);

        link(&mut wb, LinkRequest::Url("javascript:alert(1)".into()));
        assert!(shown(&wb).contains("is not a web address"));
        assert_eq!(wb.link_to_fetch(), None);
    }

    #[test]
    fn a_course_orders_lessons_unlocks_them_and_offers_the_next() {
        let mut wb = Workbench::new(START);
        link(
            &mut wb,
            LinkRequest::Course("https://uni.example/c/course.json".into()),
        );
        let course = r#"{"title": "Day one", "lessons": [
            {"id": "link-demo", "title": "By link", "url": "demo.md"},
            {"id": "first-topic", "title": "Your first topic", "requires": ["link-demo"]}
        ]}"#;
        wb.apply(Action::Lesson(LessonAction::LinkFetched {
            attempt: 0,
            result: Ok(course.into()),
        }));
        assert_eq!(
            wb.course.as_ref().map(|c| c.title.as_str()),
            Some("Day one")
        );
        // Locked until its prerequisite is done.
        wb.apply(Action::Lesson(LessonAction::OpenCourseLesson(1)));
        assert!(wb.lesson_fetch.is_none() && wb.lesson.is_none());
        wb.apply(Action::Lesson(LessonAction::OpenCourseLesson(0)));
        assert_eq!(
            wb.link_to_fetch(),
            Some((0, "https://uni.example/c/demo.md".into()))
        );
        wb.apply(Action::Lesson(LessonAction::LinkFetched {
            attempt: 0,
            result: Ok(LESSON.into()),
        }));
        assert_eq!(wb.next_course_lesson(), None, "not finished yet");
        wb.apply(Action::Enter(
            "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders".into(),
        ));
        assert_eq!(wb.next_course_lesson(), Some((1, "Your first topic")));
        // Course progress is saved with the session.
        let snapshot = crate::snapshot::parse(&wb.snapshot_text()).expect("reads back");
        assert_eq!(
            snapshot.course.map(|c| c.completed),
            Some(vec!["link-demo".to_string()])
        );
        wb.apply(Action::Lesson(LessonAction::OpenCourseLesson(1)));
        assert!(
            wb.lesson_fetch.is_some(),
            "the built-in lesson is fetched from the site"
        );
    }

    #[test]
    fn an_authors_file_is_checked_as_kplay_checks_it_each_time_it_opens() {
        let mut wb = Workbench::new(START);
        let open = |wb: &mut Workbench, text: &str| {
            wb.apply(Action::Lesson(LessonAction::OpenFile {
                name: "draft.md".into(),
                text: text.into(),
            }));
        };
        open(&mut wb, LESSON);
        let (ok, report) = wb.check_report.clone().expect("a report");
        assert!(ok, "{report}");
        open(
            &mut wb,
            &LESSON.replace("topic orders exists", "topic orders partitions 2"),
        );
        let (ok, report) = wb.check_report.clone().expect("a report");
        assert!(!ok);
        assert!(
            report.contains("the number of partitions of orders is 1, expected 2"),
            "{report}"
        );
        open(&mut wb, "no header");
        let (ok, report) = wb.check_report.clone().expect("a report");
        assert!(!ok && report.starts_with("draft.md: line 1:"), "{report}");
        wb.apply(Action::Lesson(LessonAction::Close));
        assert_eq!(wb.check_report, None);
    }
}
