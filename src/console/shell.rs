//! The shell subset people paste from Kafka tutorials: words with `'…'`/`"…"` quoting and `\`
//! escapes, `#` comments, pipelines (`a | b`), output redirection (`> f`, `>> f`, `2>&1`,
//! `2>/dev/null`), input from a file (`< f`) and heredocs (`<<EOF`, `<<'EOF'`, `<<-EOF`).
//!
//! Invariant: parsing never panics; every malformed line yields a [`ShellError`] saying what
//! was wrong, worded like bash.

use std::fmt;

/// One command of a pipeline: its words after quote removal.
pub type Words = Vec<String>;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Heredoc {
    pub delimiter: String,
    /// `<<-WORD`: leading tabs are stripped from body lines and the delimiter line.
    pub strip_tabs: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redirect {
    /// `> f` or `>> f` (append).
    Stdout { path: String, append: bool },
    /// `2>/dev/null`: stderr is dropped.
    DiscardStderr,
    /// `> /dev/null`.
    DiscardStdout,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pipeline {
    pub stages: Vec<Words>,
    pub heredoc: Option<Heredoc>,
    pub stdin_file: Option<String>,
    pub redirects: Vec<Redirect>,
    /// `cmd &`: run as a background job.
    pub background: bool,
}

impl Pipeline {
    pub fn is_empty(&self) -> bool {
        self.stages.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShellError {
    UnclosedQuote(char),
    /// `syntax error near unexpected token `|'`
    UnexpectedToken(String),
    UnsupportedOperator(String),
}

impl fmt::Display for ShellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShellError::UnclosedQuote(q) => {
                write!(f, "unexpected EOF while looking for matching `{q}'")
            }
            ShellError::UnexpectedToken(t) => write!(f, "syntax error near unexpected token `{t}'"),
            ShellError::UnsupportedOperator(op) => write!(
                f,
                "`{op}' is not supported by the playground shell (it runs one pipeline per line)"
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Pipe,
    Out {
        append: bool,
        fd: u8,
    },
    In,
    HereDoc {
        strip_tabs: bool,
    },
    /// `2>&1`
    DupErr,
    /// A trailing `&`.
    Background,
}

/// Splits a command line into tokens. A `\` before a newline joins the lines.
// `finish_word!` resets `in_word` even where the loop ends right after.
#[allow(unused_assignments)]
fn tokenize(line: &str) -> Result<Vec<Token>, ShellError> {
    let mut tokens = Vec::new();
    let mut chars = line.chars().peekable();
    let mut word = String::new();
    let mut in_word = false;

    macro_rules! finish_word {
        () => {
            if in_word {
                tokens.push(Token::Word(std::mem::take(&mut word)));
                in_word = false;
            }
        };
    }

    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => finish_word!(),
            '#' if !in_word => break,
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => word.push(ch),
                        None => return Err(ShellError::UnclosedQuote('\'')),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(ch @ ('"' | '\\' | '$' | '`')) => word.push(ch),
                            Some('\n') => {}
                            Some(ch) => {
                                word.push('\\');
                                word.push(ch);
                            }
                            None => return Err(ShellError::UnclosedQuote('"')),
                        },
                        Some(ch) => word.push(ch),
                        None => return Err(ShellError::UnclosedQuote('"')),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') => {}
                Some(ch) => {
                    in_word = true;
                    word.push(ch);
                }
                None => {}
            },
            '|' => {
                finish_word!();
                if chars.peek() == Some(&'|') {
                    return Err(ShellError::UnsupportedOperator("||".into()));
                }
                tokens.push(Token::Pipe);
            }
            ';' => {
                finish_word!();
                return Err(ShellError::UnsupportedOperator(";".into()));
            }
            '&' => {
                finish_word!();
                if chars.peek() == Some(&'&') {
                    return Err(ShellError::UnsupportedOperator("&&".into()));
                }
                tokens.push(Token::Background);
            }
            '>' => {
                // `2>` and `1>` when the digit stands alone as the current word.
                let fd = if in_word && (word == "2" || word == "1") {
                    let fd = if word == "2" { 2 } else { 1 };
                    word.clear();
                    in_word = false;
                    fd
                } else {
                    finish_word!();
                    1
                };
                if chars.peek() == Some(&'&') {
                    chars.next();
                    match chars.next() {
                        Some('1') if fd == 2 => tokens.push(Token::DupErr),
                        _ => return Err(ShellError::UnsupportedOperator(">&".into())),
                    }
                    continue;
                }
                let append = chars.peek() == Some(&'>');
                if append {
                    chars.next();
                }
                tokens.push(Token::Out { append, fd });
            }
            '<' => {
                finish_word!();
                if chars.peek() == Some(&'<') {
                    chars.next();
                    if chars.peek() == Some(&'<') {
                        return Err(ShellError::UnsupportedOperator("<<<".into()));
                    }
                    let strip_tabs = chars.peek() == Some(&'-');
                    if strip_tabs {
                        chars.next();
                    }
                    tokens.push(Token::HereDoc { strip_tabs });
                } else {
                    tokens.push(Token::In);
                }
            }
            '(' | ')' | '`' => {
                finish_word!();
                return Err(ShellError::UnsupportedOperator(c.to_string()));
            }
            _ => {
                in_word = true;
                word.push(c);
            }
        }
    }
    finish_word!();
    Ok(tokens)
}

/// Parses one command line (continuations already joined) into a pipeline.
pub fn parse(line: &str) -> Result<Pipeline, ShellError> {
    let tokens = tokenize(line)?;
    let mut pipeline = Pipeline::default();
    let mut current: Words = Vec::new();
    let mut iter = tokens.into_iter().peekable();
    let token_text = |t: Option<&Token>| match t {
        None => "newline".to_string(),
        Some(Token::Pipe) => "|".into(),
        Some(Token::Out { append: true, .. }) => ">>".into(),
        Some(Token::Out { .. }) => ">".into(),
        Some(Token::In) => "<".into(),
        Some(Token::HereDoc { .. }) => "<<".into(),
        Some(Token::DupErr) => "2>&1".into(),
        Some(Token::Background) => "&".into(),
        Some(Token::Word(w)) => w.clone(),
    };
    while let Some(tok) = iter.next() {
        match tok {
            Token::Word(w) => current.push(w),
            Token::Pipe => {
                if current.is_empty() {
                    return Err(ShellError::UnexpectedToken("|".into()));
                }
                pipeline.stages.push(std::mem::take(&mut current));
            }
            Token::Out { append, fd } => match iter.next() {
                Some(Token::Word(path)) => pipeline.redirects.push(match (fd, path.as_str()) {
                    (2, "/dev/null") => Redirect::DiscardStderr,
                    (2, _) => return Err(ShellError::UnsupportedOperator("2> file".into())),
                    (_, "/dev/null") => Redirect::DiscardStdout,
                    _ => Redirect::Stdout { path, append },
                }),
                other => return Err(ShellError::UnexpectedToken(token_text(other.as_ref()))),
            },
            Token::DupErr => {}
            Token::Background => {
                if current.is_empty() || iter.peek().is_some() {
                    return Err(ShellError::UnexpectedToken("&".into()));
                }
                pipeline.background = true;
            }
            Token::In => match iter.next() {
                Some(Token::Word(path)) => pipeline.stdin_file = Some(path),
                other => return Err(ShellError::UnexpectedToken(token_text(other.as_ref()))),
            },
            Token::HereDoc { strip_tabs } => match iter.next() {
                Some(Token::Word(delimiter)) => {
                    pipeline.heredoc = Some(Heredoc {
                        delimiter,
                        strip_tabs,
                    })
                }
                other => return Err(ShellError::UnexpectedToken(token_text(other.as_ref()))),
            },
        }
    }
    if current.is_empty() {
        if !pipeline.stages.is_empty() {
            // `a |` with nothing after the pipe.
            return Err(ShellError::UnexpectedToken("newline".into()));
        }
        if pipeline.heredoc.is_some()
            || pipeline.stdin_file.is_some()
            || !pipeline.redirects.is_empty()
        {
            // A bare redirection (`> f`) or heredoc creates/reads nothing useful; treat as no-op
            // command like bash's `: > f` only for `> f`.
            if let Some(Redirect::Stdout { .. }) = pipeline.redirects.first() {
                pipeline.stages.push(vec![":".to_string()]);
            }
        }
    } else {
        pipeline.stages.push(current);
    }
    Ok(pipeline)
}

/// True when the line ends with an unescaped `\` (outside quotes): the command continues on the
/// next line.
pub fn continues(line: &str) -> bool {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut last_backslash = false;
    for c in line.chars() {
        last_backslash = false;
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (None, '\\') | (Some('"'), '\\') => {
                escaped = true;
                last_backslash = true;
            }
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), ch) if ch == q => quote = None,
            (None, '#') => return false,
            _ => {}
        }
    }
    last_backslash && escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<Words> {
        parse(line).unwrap().stages
    }

    fn w(list: &[&str]) -> Words {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn quoting() {
        assert_eq!(words("a 'b c' \"d e\""), vec![w(&["a", "b c", "d e"])]);
        assert_eq!(words(r#"x "a\"b" 'c\d'"#), vec![w(&["x", "a\"b", r"c\d"])]);
        assert_eq!(words(r"echo a\ b"), vec![w(&["echo", "a b"])]);
        assert_eq!(
            words("--property key.separator=:"),
            vec![w(&["--property", "key.separator=:"])]
        );
        assert_eq!(words("a''b"), vec![w(&["ab"])]);
        assert_eq!(words("x ''"), vec![w(&["x", ""])]);
    }

    #[test]
    fn comments_and_blanks() {
        assert!(parse("   ").unwrap().is_empty());
        assert!(parse("# a comment").unwrap().is_empty());
        assert_eq!(words("ls # trailing"), vec![w(&["ls"])]);
        assert_eq!(words("a#b"), vec![w(&["a#b"])]);
    }

    #[test]
    fn pipelines_and_redirects() {
        let p = parse("seq 1 5 | kafka-console-producer.sh --topic t").unwrap();
        assert_eq!(
            p.stages,
            vec![
                w(&["seq", "1", "5"]),
                w(&["kafka-console-producer.sh", "--topic", "t"])
            ]
        );
        let p = parse("echo hi > f.txt").unwrap();
        assert_eq!(
            p.redirects,
            vec![Redirect::Stdout {
                path: "f.txt".into(),
                append: false
            }]
        );
        let p = parse("echo hi >> f.txt 2>&1").unwrap();
        assert_eq!(
            p.redirects,
            vec![Redirect::Stdout {
                path: "f.txt".into(),
                append: true
            }]
        );
        assert_eq!(
            parse("cmd 2>/dev/null").unwrap().redirects,
            vec![Redirect::DiscardStderr]
        );
        assert_eq!(
            parse("cmd < in.txt").unwrap().stdin_file.as_deref(),
            Some("in.txt")
        );
    }

    #[test]
    fn heredocs() {
        let p = parse("cat > f.json <<EOF").unwrap();
        assert_eq!(
            p.heredoc,
            Some(Heredoc {
                delimiter: "EOF".into(),
                strip_tabs: false
            })
        );
        let p = parse("kafka-console-producer.sh --topic t <<'END'").unwrap();
        assert_eq!(p.heredoc.unwrap().delimiter, "END");
        assert!(parse("cat <<-EOF").unwrap().heredoc.unwrap().strip_tabs);
    }

    #[test]
    fn errors_read_like_bash() {
        let err = |l: &str| parse(l).unwrap_err().to_string();
        assert_eq!(
            err("echo 'abc"),
            "unexpected EOF while looking for matching `''"
        );
        assert_eq!(
            err("echo \"abc"),
            "unexpected EOF while looking for matching `\"'"
        );
        assert_eq!(err("| a"), "syntax error near unexpected token `|'");
        assert_eq!(err("a |"), "syntax error near unexpected token `newline'");
        assert_eq!(err("a >"), "syntax error near unexpected token `newline'");
        assert!(err("a && b").contains("`&&' is not supported"));
        assert_eq!(err("& a"), "syntax error near unexpected token `&'");
        assert_eq!(err("a & b"), "syntax error near unexpected token `&'");
        assert!(
            parse("kafka-console-consumer.sh --topic t &")
                .unwrap()
                .background
        );
        assert!(parse("a&").unwrap().background);
    }

    #[test]
    fn continuation() {
        assert!(continues("kafka-topics.sh --create \\"));
        assert!(!continues("echo a\\\\"));
        assert!(!continues("echo 'a \\'"));
        assert!(!continues("echo a"));
        assert_eq!(words("a \\\n b"), vec![w(&["a", "b"])]);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for line in [
            "\\", "'", "\"", "<", "<<", ">", "2>", "|||", "&", "a\\", "\"\\", "<<-", "é'ü",
        ] {
            let _ = parse(line);
            let _ = continues(line);
        }
        let long = "x".repeat(100_000);
        assert_eq!(parse(&long).unwrap().stages[0][0].len(), 100_000);
    }
}
