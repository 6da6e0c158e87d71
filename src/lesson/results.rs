//! What a learner hands in: a small results file and a completion code, and what the
//! instructor page makes of many of them.
//!
//! A static site has no server to trust, so nothing here can prevent cheating: the checksum
//! only catches a file or code edited by hand (a changed number no longer matches), which is
//! all it claims. The instructor page says so too.

use serde::{Deserialize, Serialize};

/// The `format` of a results file.
pub const FORMAT: &str = "kafka-playground-results";
/// The prefix of a completion code.
const CODE_PREFIX: &str = "kp1";

/// One lesson as the learner left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonResult {
    pub id: String,
    pub title: String,
    pub steps: usize,
    pub passed: usize,
    /// Commands run since the lesson started.
    pub attempts: usize,
    pub hints: usize,
    pub solutions: usize,
    /// Seconds from the lesson's start to its last step passing (or to the hand-in).
    pub seconds: u64,
}

/// A results file: who, which lessons, and a checksum over the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Results {
    pub format: String,
    pub version: u32,
    pub learner: String,
    pub lessons: Vec<LessonResult>,
    pub checksum: String,
}

/// FNV-1a, 64 bits: enough to notice an edited number, and the same in every build.
fn fnv64(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn checksum_of(learner: &str, lessons: &[LessonResult]) -> String {
    let body = serde_json::to_string(&(learner, lessons)).unwrap_or_default();
    format!("{:016x}", fnv64(&format!("{FORMAT}/1:{body}")))
}

impl Results {
    pub fn new(learner: &str, lessons: Vec<LessonResult>) -> Results {
        let learner = clean_name(learner);
        Results {
            format: FORMAT.into(),
            version: 1,
            checksum: checksum_of(&learner, &lessons),
            learner,
            lessons,
        }
    }

    /// The file's text (pretty JSON: an instructor may read it).
    pub fn to_text(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads a results file; a file that is not one, or was edited, says so.
    pub fn parse(text: &str) -> Result<Results, String> {
        if text.len() > 1024 * 1024 {
            return Err("too large for a results file".into());
        }
        let results: Results =
            serde_json::from_str(text).map_err(|e| format!("not a results file ({e})"))?;
        if results.format != FORMAT || results.version != 1 {
            return Err("not a results file of this version".into());
        }
        if checksum_of(&results.learner, &results.lessons) != results.checksum {
            return Err("the checksum does not match: the file was edited".into());
        }
        Ok(results)
    }

    /// One completion code per lesson: `kp1:LEARNER:LESSON:PASSED/STEPS:CHECK`.
    pub fn codes(&self) -> Vec<String> {
        self.lessons
            .iter()
            .map(|l| code(&self.learner, &l.id, l.passed, l.steps))
            .collect()
    }
}

/// A learner's name as it goes into a file and a code: no `:` or line breaks, at most 60
/// characters.
pub fn clean_name(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_control() && *c != ':')
        .take(60)
        .collect::<String>()
        .trim()
        .to_string()
}

fn code_check(learner: &str, lesson: &str, passed: usize, steps: usize) -> String {
    format!(
        "{:08x}",
        fnv64(&format!(
            "{CODE_PREFIX}:{learner}:{lesson}:{passed}/{steps}"
        )) >> 32
    )
}

pub fn code(learner: &str, lesson: &str, passed: usize, steps: usize) -> String {
    let check = code_check(learner, lesson, passed, steps);
    format!("{CODE_PREFIX}:{learner}:{lesson}:{passed}/{steps}:{check}")
}

/// A completion code read back: (learner, lesson, passed, steps).
pub fn parse_code(text: &str) -> Result<(String, String, usize, usize), String> {
    let text = text.trim();
    let parts: Vec<&str> = text.split(':').collect();
    let [prefix, learner, lesson, score, check] = parts.as_slice() else {
        return Err(format!("'{text}' is not a completion code"));
    };
    let (passed, steps) = score
        .split_once('/')
        .and_then(|(p, s)| Some((p.parse().ok()?, s.parse().ok()?)))
        .ok_or_else(|| format!("'{text}' is not a completion code"))?;
    if *prefix != CODE_PREFIX {
        return Err(format!("'{text}' is not a completion code"));
    }
    if code_check(learner, lesson, passed, steps) != *check {
        return Err(format!("'{text}': the check does not match (edited?)"));
    }
    Ok((learner.to_string(), lesson.to_string(), passed, steps))
}

/// One row of the class table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub learner: String,
    pub lesson: String,
    pub passed: usize,
    pub steps: usize,
    /// What only a results file tells (a code carries none of it).
    pub detail: Option<(usize, usize, usize, u64)>,
}

/// The class table from results files and codes (anything else is listed as a problem);
/// the best result per learner and lesson is kept.
pub fn class_table(inputs: &[String]) -> (Vec<Row>, Vec<String>) {
    let mut rows: Vec<Row> = Vec::new();
    let mut problems = Vec::new();
    let mut add = |row: Row| match rows
        .iter_mut()
        .find(|r| r.learner == row.learner && r.lesson == row.lesson)
    {
        Some(r) if (row.passed, row.detail.is_some()) > (r.passed, r.detail.is_some()) => *r = row,
        Some(_) => {}
        None => rows.push(row),
    };
    for input in inputs {
        let text = input.trim();
        if text.starts_with('{') {
            match Results::parse(text) {
                Ok(results) => {
                    for l in results.lessons {
                        add(Row {
                            learner: results.learner.clone(),
                            lesson: l.id,
                            passed: l.passed,
                            steps: l.steps,
                            detail: Some((l.attempts, l.hints, l.solutions, l.seconds)),
                        });
                    }
                }
                Err(why) => problems.push(why),
            }
            continue;
        }
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            match parse_code(line) {
                Ok((learner, lesson, passed, steps)) => add(Row {
                    learner,
                    lesson,
                    passed,
                    steps,
                    detail: None,
                }),
                Err(why) => problems.push(why),
            }
        }
    }
    crate::sort::sort_by(&mut rows, |a, b| {
        (&a.learner, &a.lesson).cmp(&(&b.learner, &b.lesson))
    });
    (rows, problems)
}

/// The table as CSV (RFC 4180 quoting), for a spreadsheet.
pub fn to_csv(rows: &[Row]) -> String {
    let quote = |s: &str| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut csv =
        String::from("learner,lesson,steps passed,steps,attempts,hints,solutions,seconds\n");
    for r in rows {
        let detail = match r.detail {
            Some((a, h, s, t)) => format!("{a},{h},{s},{t}"),
            None => ",,,".into(),
        };
        csv.push_str(&format!(
            "{},{},{},{},{detail}\n",
            quote(&r.learner),
            quote(&r.lesson),
            r.passed,
            r.steps
        ));
    }
    csv
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson(id: &str, passed: usize) -> LessonResult {
        LessonResult {
            id: id.into(),
            title: format!("Lesson {id}"),
            steps: 4,
            passed,
            attempts: 12,
            hints: 1,
            solutions: 0,
            seconds: 300,
        }
    }

    #[test]
    fn a_results_file_reads_back_and_an_edit_is_caught() {
        let results = Results::new("Ada: Lovelace\n", vec![lesson("first-topic", 4)]);
        assert_eq!(results.learner, "Ada Lovelace");
        let text = results.to_text();
        assert_eq!(Results::parse(&text), Ok(results.clone()));
        let edited = text.replace("\"passed\": 4", "\"passed\": 5");
        assert_ne!(edited, text);
        assert_eq!(
            Results::parse(&edited),
            Err("the checksum does not match: the file was edited".into())
        );
        assert!(Results::parse("{}").is_err());
        assert!(Results::parse("not json").is_err());
    }

    #[test]
    fn completion_codes_carry_the_score_and_catch_edits() {
        let results = Results::new("Ada", vec![lesson("first-topic", 3)]);
        let codes = results.codes();
        assert_eq!(codes.len(), 1);
        assert!(codes[0].starts_with("kp1:Ada:first-topic:3/4:"));
        assert_eq!(
            parse_code(&codes[0]),
            Ok(("Ada".into(), "first-topic".into(), 3, 4))
        );
        let edited = codes[0].replace(":3/4:", ":4/4:");
        assert!(
            parse_code(&edited)
                .unwrap_err()
                .contains("the check does not match")
        );
        assert!(parse_code("hello").is_err());
    }

    #[test]
    fn the_class_table_keeps_the_best_and_lists_problems() {
        let ada = Results::new("Ada", vec![lesson("first-topic", 4), lesson("offsets", 2)]);
        let bob_code = code("Bob", "first-topic", 1, 4);
        let bob_better = code("Bob", "first-topic", 3, 4);
        let inputs = vec![
            ada.to_text(),
            format!("{bob_code}\n{bob_better}\nkp1:Eve:first-topic:4/4:00000000"),
            "{\"format\":\"x\"}".into(),
        ];
        let (rows, problems) = class_table(&inputs);
        let summary: Vec<(String, String, usize)> = rows
            .iter()
            .map(|r| (r.learner.clone(), r.lesson.clone(), r.passed))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("Ada".into(), "first-topic".into(), 4),
                ("Ada".into(), "offsets".into(), 2),
                ("Bob".into(), "first-topic".into(), 3),
            ]
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
        let csv = to_csv(&rows);
        assert_eq!(
            csv.lines().collect::<Vec<_>>(),
            [
                "learner,lesson,steps passed,steps,attempts,hints,solutions,seconds",
                "Ada,first-topic,4,4,12,1,0,300",
                "Ada,offsets,2,4,12,1,0,300",
                "Bob,first-topic,3,4,,,,",
            ]
        );
    }
}
