//! A small regular-expression matcher for the Java regexes Kafka's tools accept as topic
//! filters (`--topic 'orders.*'`, `--include 'a|b'`): literals, `.`, classes `[a-z]`, `[^…]`,
//! escapes (`\.`, `\d`, `\w`, `\s`), groups, alternation, and `* + ?` (greedy, backtracking).
//!
//! Invariant: never panics; a pattern it cannot parse is reported as Java would word it.
//! Invariant: bounded work for any pattern and text — groups nest at most `MAX_NESTING` deep,
//! and matching stops after `MAX_STEPS` steps or `MAX_DEPTH` nested calls, so a hostile
//! pattern from a share link can neither hang the page nor exhaust its stack.

/// How deep groups may nest. Java's parser recurses per group too and a deep enough pattern
/// ends in a `StackOverflowError`; here the limit is a syntax error, far above any real filter.
pub const MAX_NESTING: usize = 100;
/// The matcher's budget of steps: a catastrophic pattern gives up (no match) instead of hanging.
const MAX_STEPS: usize = 200_000;
/// The matcher's budget of nested calls: each repetition of a group goes one call deeper.
const MAX_DEPTH: usize = 2_000;

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Char(char),
    Any,
    Class(Vec<(char, char)>, bool),
    Group(Vec<Vec<Item>>),
}

#[derive(Debug, Clone, PartialEq)]
struct Item {
    node: Node,
    min: usize,
    max: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Regex {
    alternatives: Vec<Vec<Item>>,
}

impl Regex {
    pub fn new(pattern: &str) -> Result<Regex, String> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut pos = 0;
        let alternatives = parse_alternatives(&chars, &mut pos, pattern, 0)?;
        if pos < chars.len() {
            return Err(format!("Unmatched closing ')' near index {pos}\n{pattern}"));
        }
        Ok(Regex { alternatives })
    }

    /// Java's `Pattern.matcher(s).matches()`: the whole string must match.
    pub fn full_match(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        let matcher = Matcher {
            text: &chars,
            steps: std::cell::Cell::new(MAX_STEPS),
            depth: std::cell::Cell::new(0),
        };
        matcher.alternatives(&self.alternatives, 0, &mut |end| end == chars.len())
    }
}

/// `PatternSyntaxException.getMessage()`: the description, the index, the pattern and a caret
/// under the index when it falls inside the pattern.
fn syntax_error(desc: &str, index: usize, pattern: &str) -> String {
    let mut message = format!("{desc} near index {index}\n{pattern}");
    if index < pattern.chars().count() {
        message.push('\n');
        message.push_str(&" ".repeat(index));
        message.push('^');
    }
    message
}

fn parse_alternatives(
    c: &[char],
    pos: &mut usize,
    pattern: &str,
    nesting: usize,
) -> Result<Vec<Vec<Item>>, String> {
    let mut alts = vec![Vec::new()];
    while *pos < c.len() {
        match c[*pos] {
            '|' => {
                *pos += 1;
                alts.push(Vec::new());
            }
            ')' => break,
            _ => {
                let node = parse_atom(c, pos, pattern, nesting)?;
                let (min, max) = parse_quantifier(c, pos);
                if let Some(last) = alts.last_mut() {
                    last.push(Item { node, min, max });
                }
            }
        }
    }
    Ok(alts)
}

fn parse_quantifier(c: &[char], pos: &mut usize) -> (usize, usize) {
    let q = match c.get(*pos) {
        Some('*') => (0, usize::MAX),
        Some('+') => (1, usize::MAX),
        Some('?') => (0, 1),
        _ => return (1, 1),
    };
    *pos += 1;
    // A lazy or possessive suffix changes nothing for a full match.
    if matches!(c.get(*pos), Some('?') | Some('+')) {
        *pos += 1;
    }
    q
}

fn parse_atom(c: &[char], pos: &mut usize, pattern: &str, nesting: usize) -> Result<Node, String> {
    let ch = c[*pos];
    *pos += 1;
    Ok(match ch {
        '.' => Node::Any,
        '(' => {
            if c.get(*pos) == Some(&'?') && c.get(*pos + 1) == Some(&':') {
                *pos += 2;
            }
            if nesting >= MAX_NESTING {
                return Err(syntax_error(
                    &format!("Groups nested more than {MAX_NESTING} deep"),
                    *pos - 1,
                    pattern,
                ));
            }
            let inner = parse_alternatives(c, pos, pattern, nesting + 1)?;
            if c.get(*pos) != Some(&')') {
                return Err(format!("Unclosed group near index {}\n{pattern}", c.len()));
            }
            *pos += 1;
            Node::Group(inner)
        }
        '[' => parse_class(c, pos, pattern)?,
        '\\' => {
            let Some(&e) = c.get(*pos) else {
                return Err(format!(
                    "Unexpected internal error near index {}\n{pattern}",
                    c.len()
                ));
            };
            *pos += 1;
            escape(e)
        }
        '*' | '+' | '?' => {
            return Err(format!(
                "Dangling meta character '{ch}' near index {}\n{pattern}\n{}^",
                *pos - 1,
                " ".repeat(*pos - 1)
            ));
        }
        '^' | '$' => Node::Group(vec![vec![]]),
        other => Node::Char(other),
    })
}

fn escape(e: char) -> Node {
    let ranges = |r: &[(char, char)]| Node::Class(r.to_vec(), false);
    match e {
        'd' => ranges(&[('0', '9')]),
        'D' => Node::Class(vec![('0', '9')], true),
        'w' => ranges(&[('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')]),
        'W' => Node::Class(vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')], true),
        's' => ranges(&[(' ', ' '), ('\t', '\t'), ('\n', '\n'), ('\r', '\r')]),
        'n' => Node::Char('\n'),
        't' => Node::Char('\t'),
        other => Node::Char(other),
    }
}

fn parse_class(c: &[char], pos: &mut usize, pattern: &str) -> Result<Node, String> {
    let negated = c.get(*pos) == Some(&'^');
    if negated {
        *pos += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    loop {
        let Some(&ch) = c.get(*pos) else {
            return Err(format!(
                "Unclosed character class near index {}\n{pattern}",
                c.len() - 1
            ));
        };
        *pos += 1;
        if ch == ']' && !first {
            break;
        }
        first = false;
        let lo = if ch == '\\' {
            let e = c.get(*pos).copied().unwrap_or('\\');
            *pos += 1;
            match escape(e) {
                Node::Class(r, false) => {
                    ranges.extend(r);
                    continue;
                }
                Node::Char(x) => x,
                _ => e,
            }
        } else {
            ch
        };
        if c.get(*pos) == Some(&'-') && c.get(*pos + 1).is_some_and(|x| *x != ']') {
            let hi = c[*pos + 1];
            *pos += 2;
            ranges.push((lo, hi));
        } else {
            ranges.push((lo, lo));
        }
    }
    Ok(Node::Class(ranges, negated))
}

fn single(node: &Node, ch: char) -> bool {
    match node {
        Node::Char(x) => *x == ch,
        Node::Any => ch != '\n',
        Node::Class(ranges, negated) => {
            ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&ch)) != *negated
        }
        Node::Group(_) => false,
    }
}

/// Backtracking over the parsed pattern; `steps` bounds the work so no pattern can hang, and
/// `depth` the nesting of calls so none can exhaust the stack.
struct Matcher<'t> {
    text: &'t [char],
    steps: std::cell::Cell<usize>,
    depth: std::cell::Cell<usize>,
}

impl Matcher<'_> {
    fn tick(&self) -> bool {
        let left = self.steps.get();
        if left == 0 || self.depth.get() >= MAX_DEPTH {
            // Out of budget: every open call fails, so the match ends as "no match".
            self.steps.set(0);
            return false;
        }
        self.steps.set(left - 1);
        true
    }

    /// Runs `f` one call deeper.
    fn deeper(&self, f: impl FnOnce() -> bool) -> bool {
        self.depth.set(self.depth.get() + 1);
        let matched = f();
        self.depth.set(self.depth.get() - 1);
        matched
    }

    /// Tries every alternative at `at`; `k` continues with the position after the match.
    fn alternatives(
        &self,
        alts: &[Vec<Item>],
        at: usize,
        k: &mut dyn FnMut(usize) -> bool,
    ) -> bool {
        alts.iter().any(|seq| self.seq(seq, at, k))
    }

    fn seq(&self, seq: &[Item], at: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
        if !self.tick() {
            return false;
        }
        self.deeper(|| match seq.split_first() {
            None => k(at),
            Some((first, rest)) => self.repeat(first, 0, rest, at, k),
        })
    }

    /// Greedy repetition of `item`, having matched it `count` times so far.
    fn repeat(
        &self,
        item: &Item,
        count: usize,
        rest: &[Item],
        at: usize,
        k: &mut dyn FnMut(usize) -> bool,
    ) -> bool {
        if !self.tick() {
            return false;
        }
        self.deeper(|| self.repeat_at(item, count, rest, at, k))
    }

    fn repeat_at(
        &self,
        item: &Item,
        count: usize,
        rest: &[Item],
        at: usize,
        k: &mut dyn FnMut(usize) -> bool,
    ) -> bool {
        if count < item.max {
            let more = match &item.node {
                Node::Group(alts) => self.alternatives(alts, at, &mut |end| {
                    // An empty iteration would repeat forever.
                    end > at && self.repeat(item, count + 1, rest, end, k)
                }),
                node => {
                    at < self.text.len()
                        && single(node, self.text[at])
                        && self.repeat(item, count + 1, rest, at + 1, k)
                }
            };
            if more {
                return true;
            }
        }
        count >= item.min && self.seq(rest, at, k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, t: &str) -> bool {
        Regex::new(p).unwrap().full_match(t)
    }

    #[test]
    fn matches_like_java() {
        assert!(m("orders", "orders") && !m("orders", "orders2"));
        assert!(m("my.topic", "my-topic") && m("my.topic", "my.topic"));
        assert!(m("my\\.topic", "my.topic") && !m("my\\.topic", "my-topic"));
        assert!(m("orders|payments", "payments") && !m("orders|payments", "users"));
        assert!(m("orders.*", "orders") && m("orders.*", "orders-eu"));
        assert!(m("t[0-9]+", "t42") && !m("t[0-9]+", "t"));
        assert!(m("[^_].*", "a") && !m("[^_].*", "__consumer_offsets"));
        assert!(m("(ab)*c", "ababc") && m("(a|b)?c", "c"));
        assert!(m("a\\d\\w", "a1_"));
        assert!(m(".*", ""));
    }

    #[test]
    fn bad_patterns_are_errors_not_panics() {
        assert!(Regex::new("*a").is_err());
        assert!(Regex::new("(a").is_err());
        assert!(Regex::new("a)").is_err());
        assert!(Regex::new("[a").is_err());
        assert!(Regex::new("a\\").is_err());
        // Catastrophic patterns stop after a bounded amount of work.
        let evil = Regex::new("(a*)*b").unwrap();
        assert!(!evil.full_match(&"a".repeat(40)));
    }

    #[test]
    fn groups_nest_at_most_max_nesting_deep() {
        let nested = |n: usize| format!("{}a{}", "(".repeat(n), ")".repeat(n));
        assert!(m(&nested(MAX_NESTING), "a"));
        let deep = nested(MAX_NESTING + 1);
        assert_eq!(
            Regex::new(&deep),
            Err(format!(
                "Groups nested more than {MAX_NESTING} deep near index {MAX_NESTING}\n{deep}\n{}^",
                " ".repeat(MAX_NESTING)
            ))
        );
        // A link's worth of nesting is an error, not a stack overflow.
        assert!(Regex::new(&nested(100_000)).is_err());
    }

    #[test]
    fn matching_runs_in_a_small_stack() {
        // The browser's stack is about 1 MB; a debug build's frames are the largest there are.
        let worst = [
            format!("{}a*{}", "(".repeat(MAX_NESTING), ")*".repeat(MAX_NESTING)),
            format!(
                "{}a{}",
                "(?:a|".repeat(MAX_NESTING),
                ")*".repeat(MAX_NESTING)
            ),
            "(a|b|.)*(.)*.*(a*)*c".to_string(),
        ];
        let text = "a".repeat(249);
        let run = std::thread::Builder::new()
            .stack_size(1024 * 1024)
            .spawn(move || {
                worst
                    .iter()
                    .map(|p| Regex::new(p).map(|r| r.full_match(&text)))
                    .collect::<Vec<_>>()
            })
            .unwrap();
        let results = run.join().expect("matching overflowed a 1 MiB stack");
        assert_eq!(results.len(), 3);
        assert!(results.iter().all(|r| r.is_ok()));
    }
}
