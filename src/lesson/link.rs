//! Lessons that reach a class by link: a lesson carried inside the address itself
//! (`#lesson=v1.<deflated Markdown>`, packed as share links are), one fetched from a URL
//! (`#lesson-url=…`), and a course (`#course-url=…`): a small JSON list of lessons, in order,
//! with their prerequisites.
//!
//! Invariant: decoding is bounded and never panics — a link and a course file are untrusted.

use serde::{Deserialize, Serialize};

use crate::share::{base64url_decode, base64url_encode};

/// The most a lesson carried in a link may unpack to (the parser's own limit).
const MAX_LESSON_BYTES: usize = 256 * 1024;
/// The most lessons a course may list.
const MAX_COURSE_LESSONS: usize = 200;

/// What a page address asks for (the fragment after `#`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkRequest {
    /// `#lesson=<code>`: the lesson's Markdown, packed into the link.
    Inline(String),
    /// `#lesson-url=<url>`: a lesson file to fetch.
    Url(String),
    /// `#course-url=<url>`: a course file to fetch.
    Course(String),
}

impl LinkRequest {
    /// Reads a fragment (with or without its `#`); `None` when it asks for no lesson.
    pub fn from_fragment(fragment: &str) -> Option<LinkRequest> {
        let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
        let (key, value) = fragment.split_once('=')?;
        let value = percent_decode(value);
        match key {
            "lesson" => Some(LinkRequest::Inline(value)),
            "lesson-url" => Some(LinkRequest::Url(value)),
            "course-url" => Some(LinkRequest::Course(value)),
            _ => None,
        }
    }
}

/// `%XX` escapes, as a browser or a chat program may write them into a copied address.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A lesson's Markdown packed for a link: `v1.` + base64url(deflate(text)).
pub fn encode(text: &str) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9);
    format!("v1.{}", base64url_encode(&packed))
}

/// The Markdown a lesson link carries, or why it cannot be read.
pub fn decode(code: &str) -> Result<String, String> {
    let body = code
        .trim()
        .strip_prefix("v1.")
        .ok_or("it is not a Kafka Playground lesson link (v1)")?;
    if body.len() > MAX_LESSON_BYTES {
        return Err(format!("the link is too large ({} characters)", body.len()));
    }
    let packed = base64url_decode(body).ok_or("the link is damaged (not base64url)")?;
    let text = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_LESSON_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => format!(
                "the lesson is too large (more than {} KB)",
                MAX_LESSON_BYTES / 1024
            ),
            _ => "the link is damaged (cannot inflate)".to_string(),
        })?;
    String::from_utf8(text).map_err(|_| "the link is damaged (not UTF-8)".to_string())
}

/// A course: lessons in the order a class follows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Course {
    pub title: String,
    pub lessons: Vec<CourseLesson>,
    /// Where the course file was fetched from: lesson URLs are relative to it.
    #[serde(default)]
    pub url: String,
    /// Ids of the course's lessons finished (lessons from links are not in the site's
    /// catalog, so their step count is known only while they run).
    #[serde(default)]
    pub completed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseLesson {
    /// The lesson's `id:` (progress is kept by id).
    pub id: String,
    pub title: String,
    /// The lesson file, relative to the course file or absolute; absent for a lesson of this
    /// site's own catalog.
    #[serde(default)]
    pub url: Option<String>,
    /// Ids of the lessons to finish first.
    #[serde(default)]
    pub requires: Vec<String>,
}

impl Course {
    /// Reads a course file fetched from `url`.
    pub fn parse(text: &str, url: &str) -> Result<Course, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut course: Course = serde_json::from_str(text).map_err(|e| {
            format!("it is not a course file (a JSON object with \"title\" and \"lessons\": {e})")
        })?;
        if course.lessons.is_empty() {
            return Err("the course lists no lessons".into());
        }
        if course.lessons.len() > MAX_COURSE_LESSONS {
            return Err(format!(
                "the course lists more than {MAX_COURSE_LESSONS} lessons"
            ));
        }
        for (i, lesson) in course.lessons.iter().enumerate() {
            if lesson.id.trim().is_empty() {
                return Err(format!("lesson {} of the course has no id", i + 1));
            }
            if lesson.url.is_none() && super::catalog::find(&lesson.id).is_none() {
                return Err(format!(
                    "the course's lesson '{}' has no url and is not a lesson of this site",
                    lesson.id
                ));
            }
            if let Some(missing) = lesson
                .requires
                .iter()
                .find(|r| !course.lessons[..i].iter().any(|l| &l.id == *r))
            {
                return Err(format!(
                    "the course's lesson '{}' requires '{missing}', which is not listed before it",
                    lesson.id
                ));
            }
        }
        course.url = url.to_string();
        Ok(course)
    }

    /// Whether lesson `id` is finished: noted as the learner finished it, or (a lesson of this
    /// site) all its steps are in the catalog's progress.
    pub fn completed(&self, id: &str, progress: &crate::snapshot::Progress) -> bool {
        self.completed.iter().any(|c| c == id)
            || super::catalog::find(id)
                .is_some_and(|e| progress.get(id).is_some_and(|done| *done >= e.steps))
    }

    /// Where lesson `index`'s file is: its url resolved against the course's own.
    pub fn lesson_url(&self, index: usize) -> Option<String> {
        let url = self.lessons.get(index)?.url.as_deref()?;
        Some(resolve(&self.url, url))
    }

    /// Whether lesson `index` may be opened: every lesson it requires is done.
    pub fn unlocked(&self, index: usize, done: &dyn Fn(&str) -> bool) -> bool {
        self.lessons
            .get(index)
            .is_some_and(|l| l.requires.iter().all(|r| done(r)))
    }

    /// The first lesson after `id` not yet done (in the course's order).
    pub fn next_after(&self, id: &str, done: &dyn Fn(&str) -> bool) -> Option<usize> {
        let at = self.lessons.iter().position(|l| l.id == id)?;
        (at + 1..self.lessons.len()).find(|&i| !done(&self.lessons[i].id))
    }
}

/// `relative` as seen from the file at `base` (an absolute URL or a page-relative path).
fn resolve(base: &str, relative: &str) -> String {
    if relative.contains("://") || relative.starts_with('/') || base.is_empty() {
        return relative.to_string();
    }
    let dir = match base.rfind('/') {
        Some(at) => &base[..=at],
        None => "",
    };
    format!("{dir}{}", relative.strip_prefix("./").unwrap_or(relative))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_lesson_travels_in_a_link_and_comes_back_the_same() {
        let text = super::super::catalog::INDEX[0].text();
        let code = encode(text);
        assert!(code.starts_with("v1."));
        assert!(
            code.len() < text.len(),
            "packed: {} of {}",
            code.len(),
            text.len()
        );
        assert_eq!(decode(&code).as_deref(), Ok(text));
        let fragment = format!("#lesson={code}");
        assert_eq!(
            LinkRequest::from_fragment(&fragment),
            Some(LinkRequest::Inline(code))
        );
    }

    #[test]
    fn bad_links_are_refused_with_a_reason() {
        assert!(
            decode("v2.abc")
                .unwrap_err()
                .contains("not a Kafka Playground lesson link")
        );
        assert!(decode("v1.***").unwrap_err().contains("not base64url"));
        assert!(decode("v1.AAAA").unwrap_err().contains("cannot inflate"));
        let bomb = vec![b'a'; MAX_LESSON_BYTES + 10];
        let packed = miniz_oxide::deflate::compress_to_vec(&bomb, 9);
        let code = format!("v1.{}", base64url_encode(&packed));
        assert!(decode(&code).unwrap_err().contains("too large"));
        assert_eq!(LinkRequest::from_fragment("#s=v1.x"), None);
        assert_eq!(
            LinkRequest::from_fragment("#lesson-url=https%3A%2F%2Fex.org%2Fa.md"),
            Some(LinkRequest::Url("https://ex.org/a.md".into()))
        );
    }

    const COURSE: &str = r#"{"title": "Kafka in a day", "lessons": [
        {"id": "first-topic", "title": "Your first topic"},
        {"id": "mine", "title": "Our own", "url": "mine.md", "requires": ["first-topic"]},
        {"id": "abs", "title": "Elsewhere", "url": "https://other.example/abs.md"}
    ]}"#;

    #[test]
    fn a_course_lists_lessons_in_order_with_their_prerequisites() {
        let course =
            Course::parse(COURSE, "https://uni.example/kafka/course.json").expect("parses");
        assert_eq!(course.lesson_url(0), None);
        assert_eq!(
            course.lesson_url(1).as_deref(),
            Some("https://uni.example/kafka/mine.md")
        );
        assert_eq!(
            course.lesson_url(2).as_deref(),
            Some("https://other.example/abs.md")
        );
        let nothing_done = |_: &str| false;
        assert!(course.unlocked(0, &nothing_done));
        assert!(!course.unlocked(1, &nothing_done));
        assert!(course.unlocked(1, &|id: &str| id == "first-topic"));
        assert_eq!(course.next_after("first-topic", &nothing_done), Some(1));
        assert_eq!(course.next_after("abs", &nothing_done), None);
    }

    #[test]
    fn a_bad_course_file_says_what_is_wrong() {
        let e = |text: &str| Course::parse(text, "c.json").unwrap_err();
        assert!(e("<html>").contains("not a course file"));
        assert!(e(r#"{"title": "t", "lessons": []}"#).contains("no lessons"));
        assert!(
            e(r#"{"title": "t", "lessons": [{"id": "nope", "title": "x"}]}"#)
                .contains("has no url and is not a lesson of this site")
        );
        assert!(e(r#"{"title": "t", "lessons": [{"id": "a", "title": "x", "url": "a.md", "requires": ["b"]}]}"#)
            .contains("requires 'b', which is not listed before it"));
    }
}
