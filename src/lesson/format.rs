//! The lesson file format: a `---` header of `key: value` lines, an introduction, then one
//! `## ` section per step. Inside a step, lines starting with `check:`, `message:`, `hint:`,
//! `solution:`, `question:` or `choice:` are directives; everything else is the instruction
//! text (Markdown).

use super::check::Check;

#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    pub id: String,
    pub title: String,
    pub level: String,
    /// Brokers in the cluster the lesson starts from (1 to 9).
    pub brokers: i32,
    /// Commands run before the learner starts (not shown in the console).
    pub setup: Vec<String>,
    /// `steps: open`: the learner may jump ahead (the skipped steps' solutions run first);
    /// by default a step opens once the ones before it have passed.
    pub open_steps: bool,
    pub intro: String,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub title: String,
    /// The instructions, as Markdown (paragraphs, `code`, fenced blocks).
    pub text: String,
    pub checks: Vec<Check>,
    pub hints: Vec<String>,
    /// Console lines that complete the step, run in order.
    pub solution: Vec<String>,
    /// A question the learner answers in the panel (`playground answer …`); `answer` checks
    /// judge it.
    pub question: Option<String>,
    /// Offered answers, shown as buttons; none means a free answer.
    pub choices: Vec<String>,
}

/// What is wrong with a lesson file, and on which line (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

fn error(line: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        line,
        message: message.into(),
    }
}

/// The most steps, checks and bytes a lesson may have: a lesson opened from disk is
/// untrusted input and must not be able to stall the page.
const MAX_BYTES: usize = 256 * 1024;
const MAX_STEPS: usize = 100;

impl Lesson {
    pub fn parse(text: &str) -> Result<Lesson, ParseError> {
        if text.len() > MAX_BYTES {
            return Err(error(
                1,
                format!("the file is larger than {} KB", MAX_BYTES / 1024),
            ));
        }
        // Editors on Windows start files with a byte-order mark.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let lines: Vec<&str> = text.lines().collect();
        let mut i = 0;
        while i < lines.len() && lines[i].trim().is_empty() {
            i += 1;
        }
        if lines.get(i).map(|l| l.trim()) != Some("---") {
            return Err(error(
                i + 1,
                "a lesson starts with a '---' header (id, title, level, brokers, setup)",
            ));
        }
        i += 1;
        let mut lesson = Lesson {
            id: String::new(),
            title: String::new(),
            level: "beginner".into(),
            brokers: 3,
            setup: Vec::new(),
            open_steps: false,
            intro: String::new(),
            steps: Vec::new(),
        };
        let mut closed = false;
        while i < lines.len() {
            let line = lines[i].trim();
            i += 1;
            if line == "---" {
                closed = true;
                break;
            }
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((key, value)) = line.split_once(':') else {
                return Err(error(
                    i,
                    format!("expected 'key: value' in the header, not '{line}'"),
                ));
            };
            let raw_value = value;
            let value = header_value(value);
            match key.trim() {
                "id" => {
                    if value.is_empty()
                        || !value
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                    {
                        return Err(error(i, "id: use letters, digits, '-' and '_' only"));
                    }
                    lesson.id = value;
                }
                "title" => lesson.title = value,
                "level" => lesson.level = value,
                "brokers" => {
                    lesson.brokers = value
                        .parse()
                        .ok()
                        .filter(|n| (1..=9).contains(n))
                        .ok_or_else(|| error(i, "brokers: a number from 1 to 9"))?;
                }
                "steps" => {
                    lesson.open_steps = match value.as_str() {
                        "open" => true,
                        "locked" => false,
                        _ => return Err(error(i, "steps: open or locked")),
                    }
                }
                // A console line: the shell itself reads its quotes and comments.
                "setup" => lesson.setup.push(raw_value.trim().to_string()),
                other => {
                    return Err(error(
                        i,
                        format!(
                            "unknown header key '{other}' (id, title, level, brokers, steps, setup)"
                        ),
                    ));
                }
            }
        }
        if !closed {
            return Err(error(i, "the header is not closed with '---'"));
        }
        if lesson.id.is_empty() || lesson.title.is_empty() {
            return Err(error(1, "the header needs an id and a title"));
        }
        let mut intro = Vec::new();
        let mut step: Option<(Step, Vec<&str>)> = None;
        let mut fenced = false;
        for (n, raw) in lines.iter().enumerate().skip(i) {
            let line_no = n + 1;
            if raw.trim_start().starts_with("```") {
                fenced = !fenced;
            }
            if !fenced {
                if let Some(title) = raw.strip_prefix("## ") {
                    if let Some((s, text)) = step.take() {
                        lesson.steps.push(finish_step(s, &text));
                    }
                    if lesson.steps.len() >= MAX_STEPS {
                        return Err(error(
                            line_no,
                            format!("a lesson has at most {MAX_STEPS} steps"),
                        ));
                    }
                    step = Some((
                        Step {
                            title: title.trim().to_string(),
                            text: String::new(),
                            checks: Vec::new(),
                            hints: Vec::new(),
                            solution: Vec::new(),
                            question: None,
                            choices: Vec::new(),
                        },
                        Vec::new(),
                    ));
                    continue;
                }
                if let Some((s, _)) = step.as_mut() {
                    if let Some(rest) = raw.strip_prefix("check:") {
                        let check = Check::parse(rest.trim())
                            .map_err(|e| error(line_no, format!("check: {e}")))?;
                        s.checks.push(check);
                        continue;
                    }
                    if let Some(rest) = raw.strip_prefix("message:") {
                        let Some(last) = s.checks.last_mut() else {
                            return Err(error(
                                line_no,
                                "message: goes under the check it explains",
                            ));
                        };
                        last.message = Some(rest.trim().to_string());
                        continue;
                    }
                    if let Some(rest) = raw.strip_prefix("question:") {
                        if s.question.is_some() {
                            return Err(error(line_no, "a step asks at most one question:"));
                        }
                        s.question = Some(rest.trim().to_string());
                        continue;
                    }
                    if let Some(rest) = raw.strip_prefix("choice:") {
                        s.choices.push(rest.trim().to_string());
                        continue;
                    }
                    if let Some(rest) = raw.strip_prefix("hint:") {
                        s.hints.push(rest.trim().to_string());
                        continue;
                    }
                    if let Some(rest) = raw.strip_prefix("solution:") {
                        s.solution.push(rest.trim().to_string());
                        continue;
                    }
                }
            }
            match step.as_mut() {
                Some((_, text)) => text.push(raw),
                None => intro.push(*raw),
            }
        }
        if let Some((s, text)) = step.take() {
            lesson.steps.push(finish_step(s, &text));
        }
        lesson.intro = intro.join("\n").trim().to_string();
        if lesson.steps.is_empty() {
            return Err(error(lines.len(), "a lesson needs at least one '## ' step"));
        }
        for (n, s) in lesson.steps.iter().enumerate() {
            if s.checks.is_empty() {
                return Err(error(
                    1,
                    format!("step {} '{}' has no check: line", n + 1, s.title),
                ));
            }
            if !s.choices.is_empty() && s.question.is_none() {
                return Err(error(
                    1,
                    format!(
                        "step {} '{}' has choice: lines but no question:",
                        n + 1,
                        s.title
                    ),
                ));
            }
        }
        Ok(lesson)
    }
}

/// A header value without its `# comment` and without the quotes YAML allows around it.
fn header_value(raw: &str) -> String {
    let mut value = raw;
    let bytes = raw.as_bytes();
    if let Some(at) =
        (1..bytes.len()).find(|&i| bytes[i] == b'#' && bytes[i - 1].is_ascii_whitespace())
    {
        value = &raw[..at];
    }
    let value = value.trim();
    for q in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            if value.len() >= 2 {
                return inner.to_string();
            }
        }
    }
    value.to_string()
}

fn finish_step(mut step: Step, text: &[&str]) -> Step {
    step.text = text.join("\n").trim().to_string();
    step
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "---
id: sample
title: A sample
level: beginner
brokers: 1
setup: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic seed
---
Welcome.

## Create a topic
Run this:

```
check: not a directive inside a fence
```
check: topic orders partitions 3
hint: Use --partitions.
solution: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders --partitions 3

## Look at it
check: ran kafka-topics.sh --describe
solution: kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic orders
";

    #[test]
    fn parses_header_steps_and_directives() {
        let lesson = Lesson::parse(SAMPLE).expect("parses");
        assert_eq!(lesson.id, "sample");
        assert_eq!(lesson.brokers, 1);
        assert_eq!(lesson.setup.len(), 1);
        assert_eq!(lesson.intro, "Welcome.");
        assert_eq!(lesson.steps.len(), 2);
        let first = &lesson.steps[0];
        assert_eq!(first.title, "Create a topic");
        assert_eq!(first.checks.len(), 1);
        assert_eq!(first.hints, ["Use --partitions."]);
        assert!(first.text.contains("check: not a directive inside a fence"));
        assert_eq!(lesson.steps[1].solution.len(), 1);
    }

    #[test]
    fn reports_mistakes_with_line_numbers() {
        let bad = SAMPLE.replace("brokers: 1", "brokers: 12");
        assert_eq!(Lesson::parse(&bad).unwrap_err().line, 5);
        let bad = SAMPLE.replace(
            "check: topic orders partitions 3",
            "check: topic orders colour blue",
        );
        let e = Lesson::parse(&bad).unwrap_err();
        assert_eq!(e.line, 16);
        assert!(Lesson::parse("no header").is_err());
        assert!(Lesson::parse("---\nid: x\ntitle: y\n---\nno steps").is_err());
        assert!(Lesson::parse("---\nid: x\ntitle: y\n").is_err());
    }

    #[test]
    fn header_comments_quotes_and_a_byte_order_mark() {
        let text = "\u{feff}---\n\
                    id: q   # letters, digits, - and _\n\
                    title: \"C# for Kafka: a 'quoted' title\"\n\
                    brokers: 1            # one broker\n\
                    setup: echo '# kept' # the shell reads its own comments\n\
                    ---\n\
                    ## Step\n\
                    check: brokers 1\n";
        let lesson = Lesson::parse(text).expect("parses");
        assert_eq!(lesson.id, "q");
        assert_eq!(lesson.title, "C# for Kafka: a 'quoted' title");
        assert_eq!(lesson.brokers, 1);
        assert_eq!(
            lesson.setup,
            ["echo '# kept' # the shell reads its own comments"]
        );
    }

    #[test]
    fn questions_choices_and_messages() {
        let text = "---\nid: q\ntitle: Q\n---\n\
                    ## Where did erin go?\n\
                    question: Which partition holds erin's record?\n\
                    choice: 0\n\
                    choice: 1\n\
                    check: answer = key erin partition in users\n\
                    message: Look at the PARTITION column of the consumer's output.\n\
                    solution: playground answer 1\n";
        let lesson = Lesson::parse(text).expect("parses");
        let step = &lesson.steps[0];
        assert_eq!(
            step.question.as_deref(),
            Some("Which partition holds erin's record?")
        );
        assert_eq!(step.choices, ["0", "1"]);
        assert_eq!(
            step.checks[0].message.as_deref(),
            Some("Look at the PARTITION column of the consumer's output.")
        );
        let orphan = "---\nid: q\ntitle: Q\n---\n## S\nmessage: why\ncheck: brokers 1\n";
        assert_eq!(Lesson::parse(orphan).unwrap_err().line, 6);
        let no_question = "---\nid: q\ntitle: Q\n---\n## S\nchoice: a\ncheck: brokers 1\n";
        assert!(Lesson::parse(no_question).is_err());
    }
}
