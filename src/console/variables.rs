//! Shell variables and expansion: `$NAME`, `${NAME}`, `${NAME:-word}`, `$?`, `$(command)` and
//! `` `command` ``, with bash's quoting rules — nothing is expanded inside `'…'`; inside `"…"`
//! a value stays one word; unquoted, it is split at blanks.
//!
//! Expansion rewrites the line before [`super::shell::parse`] reads it: each value is written
//! back quoted so that the parser sees exactly the words bash would, and a value's quotes,
//! `$`, `|` or `>` are text, never syntax.
//!
//! Invariant: expansion never panics; a malformed `${…}` or an unclosed `$(` is an
//! [`ExpandError`] worded like bash's.

use std::fmt;

use crate::vec_map::VecMap;

use super::distribution::{FOLDER, HOME};

/// One variable: its value, and whether `export` gave it to the commands the shell runs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Var {
    pub value: String,
    #[serde(default)]
    pub exported: bool,
}

/// A terminal's shell state: its variables and current directory. Saved with the tab, so a
/// reload finds `$KAFKA_CLUSTER_ID` and the directory as they were.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ShellState {
    pub vars: VecMap<String, Var>,
    pub cwd: String,
}

impl Default for ShellState {
    fn default() -> Self {
        let exported = |name: &str, value: String| {
            (
                name.to_string(),
                Var {
                    value,
                    exported: true,
                },
            )
        };
        ShellState {
            vars: VecMap::from([
                exported("HOME", HOME.to_string()),
                exported("LANG", "C.UTF-8".to_string()),
                exported("LOGNAME", "kafka".to_string()),
                // The download's `bin/` is on the path: `kafka-topics.sh` alone runs it.
                exported(
                    "PATH",
                    format!("{HOME}/{FOLDER}/bin:/usr/local/bin:/usr/bin:/bin"),
                ),
                exported("PWD", HOME.to_string()),
                exported("SHELL", "/bin/bash".to_string()),
                exported("USER", "kafka".to_string()),
            ]),
            cwd: HOME.to_string(),
        }
    }
}

impl ShellState {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(|v| v.value.as_str())
    }

    /// `NAME=value`: sets the value, keeping whether it is exported.
    pub fn set(&mut self, name: &str, value: &str) {
        match self.vars.get_mut(name) {
            Some(var) => var.value = value.to_string(),
            None => {
                self.vars.insert(
                    name.to_string(),
                    Var {
                        value: value.to_string(),
                        exported: false,
                    },
                );
            }
        }
    }

    /// `export NAME[=value]`.
    pub fn export(&mut self, name: &str, value: Option<&str>) {
        let var = self.vars.entry(name.to_string()).or_insert_with(|| Var {
            value: String::new(),
            exported: true,
        });
        var.exported = true;
        if let Some(value) = value {
            var.value = value.to_string();
        }
    }

    pub fn unset(&mut self, name: &str) {
        self.vars.remove(name);
    }

    /// The exported variables, as `env` prints them.
    pub fn environment(&self) -> impl Iterator<Item = (&str, &str)> {
        self.vars
            .iter()
            .filter(|(_, v)| v.exported)
            .map(|(k, v)| (k.as_str(), v.value.as_str()))
    }

    /// The current directory as bash's `\w` shows it (`~` for the home directory).
    pub fn short_cwd(&self) -> String {
        match self.cwd.strip_prefix(HOME) {
            Some("") => "~".to_string(),
            Some(rest) if rest.starts_with('/') => format!("~{rest}"),
            _ => self.cwd.clone(),
        }
    }
}

/// Whether `word` is an assignment (`NAME=value`), and its parts.
pub fn assignment(word: &str) -> Option<(&str, &str)> {
    let (name, value) = word.split_once('=')?;
    is_name(name).then_some((name, value))
}

/// A variable name: a letter or `_`, then letters, digits and `_`.
pub fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExpandError {
    /// `${}`, `${a b}`.
    BadSubstitution(String),
    /// `${`, `$(` or `` ` `` without its end.
    Unclosed(char),
}

impl ExpandError {
    /// bash's exit status for it: 2 for a syntax error, 1 for a bad substitution.
    pub fn status(&self) -> i32 {
        match self {
            ExpandError::BadSubstitution(_) => 1,
            ExpandError::Unclosed(_) => 2,
        }
    }
}

impl fmt::Display for ExpandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExpandError::BadSubstitution(text) => write!(f, "{text}: bad substitution"),
            ExpandError::Unclosed(c) => {
                write!(f, "unexpected EOF while looking for matching `{c}'")
            }
        }
    }
}

/// What expansion asks of the shell: a variable's value (`?` and `$` too) and a command's
/// output.
pub trait Expander {
    fn var(&mut self, name: &str) -> Option<String>;
    /// Runs `command` and returns what it printed to stdout.
    fn substitute(&mut self, command: &str) -> String;
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Double,
}

/// `line` with every expansion done, quoted for the parser.
pub fn expand(line: &str, shell: &mut dyn Expander) -> Result<String, ExpandError> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut quote = Quote::None;
    // The unquoted word so far, to tell an assignment (whose value is not split) and a
    // comment (`#` starting a word).
    let mut word = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match (quote, c) {
            (Quote::None, '\'') => {
                // Copied as is, quotes and all: nothing is expanded inside.
                let end = chars[i + 1..]
                    .iter()
                    .position(|&ch| ch == '\'')
                    .map_or(chars.len(), |p| i + 1 + p + 1);
                let text: String = chars[i..end].iter().collect();
                out.push_str(&text);
                word.push_str(&text);
                i = end;
                continue;
            }
            (Quote::None, '#') if word.is_empty() => {
                out.extend(&chars[i..]);
                break;
            }
            (_, '\\') => {
                out.push('\\');
                word.push('\\');
                if let Some(&next) = chars.get(i + 1) {
                    out.push(next);
                    word.push(next);
                }
                i += 2;
                continue;
            }
            (Quote::None, '"') => quote = Quote::Double,
            (Quote::Double, '"') => quote = Quote::None,
            (_, '$') => {
                if let Some((value, next)) = dollar(&chars, i, shell)? {
                    let split = quote == Quote::None && assignment_start(&word).is_none();
                    push_value(&mut out, &value, quote, split);
                    word.push_str(&value);
                    i = next;
                    continue;
                }
            }
            (_, '`') => {
                let (command, next) = backquoted(&chars, i)?;
                let value = trim_newlines(shell.substitute(&command));
                let split = quote == Quote::None && assignment_start(&word).is_none();
                push_value(&mut out, &value, quote, split);
                word.push_str(&value);
                i = next;
                continue;
            }
            (Quote::None, ' ' | '\t' | '\n' | ';' | '|' | '&' | '<' | '>' | '(' | ')') => {
                word.clear();
                out.push(c);
                i += 1;
                continue;
            }
            _ => {}
        }
        out.push(c);
        word.push(c);
        i += 1;
    }
    Ok(out)
}

/// A here-document's body with an unquoted delimiter (`<<EOF`): `$…`, `$(…)` and `` `…` ``
/// expand and their values stay as they are; quotes are text; `\` escapes only `$`, `` ` ``
/// and `\`. A malformed expansion is left as written.
pub fn expand_heredoc(body: &str, shell: &mut dyn Expander) -> String {
    let chars: Vec<char> = body.chars().collect();
    let mut out = String::with_capacity(body.len());
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if matches!(chars.get(i + 1), Some('$' | '`' | '\\')) => {
                out.push(chars[i + 1]);
                i += 2;
                continue;
            }
            '$' => {
                if let Ok(Some((value, next))) = dollar(&chars, i, shell) {
                    out.push_str(&value);
                    i = next;
                    continue;
                }
            }
            '`' => {
                if let Ok((command, next)) = backquoted(&chars, i) {
                    out.push_str(&trim_newlines(shell.substitute(&command)));
                    i = next;
                    continue;
                }
            }
            _ => {}
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Whether the here-document `line` opens has a quoted delimiter (`<<'EOF'`, `<<"EOF"`,
/// `<<\EOF`): then its body is taken as written.
pub fn heredoc_quoted(line: &str) -> bool {
    line.split_once("<<").is_some_and(|(_, rest)| {
        let word = rest.trim_start_matches('-').trim_start();
        let word = word
            .split([' ', '\t', '|', '>', '<', ';', '&'])
            .next()
            .unwrap_or("");
        word.contains(['\'', '"', '\\'])
    })
}

/// The `NAME=` an unquoted word starts with, if it is an assignment so far.
fn assignment_start(word: &str) -> Option<&str> {
    let (name, _) = word.split_once('=')?;
    is_name(name).then_some(name)
}

/// Expands the `$…` at `chars[i]`: its value and where the text goes on, or `None` when the
/// `$` is just a character (`$` before a blank, at the end, or before `"`).
fn dollar(
    chars: &[char],
    i: usize,
    shell: &mut dyn Expander,
) -> Result<Option<(String, usize)>, ExpandError> {
    let Some(&next) = chars.get(i + 1) else {
        return Ok(None);
    };
    match next {
        '(' => {
            let end = closing_paren(chars, i + 2).ok_or(ExpandError::Unclosed(')'))?;
            let command: String = chars[i + 2..end].iter().collect();
            Ok(Some((trim_newlines(shell.substitute(&command)), end + 1)))
        }
        '{' => {
            let end = chars[i + 2..]
                .iter()
                .position(|&c| c == '}')
                .map(|p| i + 2 + p)
                .ok_or(ExpandError::Unclosed('}'))?;
            let inner: String = chars[i + 2..end].iter().collect();
            let bad = || ExpandError::BadSubstitution(format!("${{{inner}}}"));
            let value = if let Some(name) = inner.strip_prefix('#') {
                if !is_name(name) {
                    return Err(bad());
                }
                shell.var(name).map_or(0, |v| v.chars().count()).to_string()
            } else if let Some((name, default)) = inner.split_once(":-") {
                if !is_name(name) {
                    return Err(bad());
                }
                shell
                    .var(name)
                    .filter(|v| !v.is_empty())
                    .unwrap_or_else(|| default.to_string())
            } else if is_name(&inner) || is_special(&inner) {
                shell.var(&inner).unwrap_or_default()
            } else {
                return Err(bad());
            };
            Ok(Some((value, end + 1)))
        }
        c if c.is_ascii_alphabetic() || c == '_' => {
            let len = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .count();
            let name: String = chars[i + 1..i + 1 + len].iter().collect();
            Ok(Some((shell.var(&name).unwrap_or_default(), i + 1 + len)))
        }
        c if is_special(c.encode_utf8(&mut [0; 4])) => Ok(Some((
            shell.var(c.encode_utf8(&mut [0; 4])).unwrap_or_default(),
            i + 2,
        ))),
        _ => Ok(None),
    }
}

/// `$?`, `$$`, `$#`, `$0`… `$9`, `$@`, `$*`, `$-`, `$!`.
fn is_special(name: &str) -> bool {
    matches!(name, "?" | "$" | "#" | "@" | "*" | "-" | "!")
        || (name.len() == 1 && name.chars().all(|c| c.is_ascii_digit()))
}

/// The `)` closing a `$(` whose text starts at `start`, minding quotes and nested parentheses.
fn closing_paren(chars: &[char], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = start;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '\'' => {
                i += chars[i + 1..].iter().position(|&c| c == '\'')? + 1;
            }
            '"' => {
                let mut j = i + 1;
                while j < chars.len() && chars[j] != '"' {
                    if chars[j] == '\\' {
                        j += 1;
                    }
                    j += 1;
                }
                if j >= chars.len() {
                    return None;
                }
                i = j;
            }
            '(' => depth += 1,
            ')' if depth == 0 => return Some(i),
            ')' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The command between backquotes from `chars[i]`, with `` \` ``, `\\` and `\$` unescaped,
/// and where the text goes on.
fn backquoted(chars: &[char], i: usize) -> Result<(String, usize), ExpandError> {
    let mut command = String::new();
    let mut j = i + 1;
    while j < chars.len() {
        match chars[j] {
            '`' => return Ok((command, j + 1)),
            '\\' if matches!(chars.get(j + 1), Some('`' | '\\' | '$')) => {
                command.push(chars[j + 1]);
                j += 2;
                continue;
            }
            c => command.push(c),
        }
        j += 1;
    }
    Err(ExpandError::Unclosed('`'))
}

/// Command substitution drops the output's trailing newlines.
fn trim_newlines(mut text: String) -> String {
    let kept = text.trim_end_matches('\n').len();
    text.truncate(kept);
    text
}

/// Writes `value` back into the line so the parser reads it as text: inside `"…"` with
/// `"`, `\`, `$` and `` ` `` escaped; unquoted with every character that is not plainly a
/// word character quoted, and blanks left to split words (unless `split` is false).
fn push_value(out: &mut String, value: &str, quote: Quote, split: bool) {
    for c in value.chars() {
        match (quote, c) {
            (Quote::Double, '"' | '\\' | '$' | '`') => {
                out.push('\\');
                out.push(c);
            }
            (Quote::Double, _) => out.push(c),
            (Quote::None, ' ' | '\t' | '\n') if split => out.push(' '),
            (Quote::None, '\'') => out.push_str("\\'"),
            (Quote::None, '\n') => out.push_str("'\n'"),
            (Quote::None, c) if c.is_alphanumeric() || "-_./:=,@%+".contains(c) => out.push(c),
            (Quote::None, c) => {
                out.push('\\');
                out.push(c);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::shell::parse;

    /// Variables from a list; `$(…)` prints its command back in brackets.
    struct Fixed(Vec<(&'static str, &'static str)>);

    impl Expander for Fixed {
        fn var(&mut self, name: &str) -> Option<String> {
            self.0
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
        fn substitute(&mut self, command: &str) -> String {
            format!("[{command}]\n\n")
        }
    }

    /// The words bash would run for `line`.
    fn words(line: &str) -> Vec<String> {
        let mut shell = Fixed(vec![
            ("ID", "MkU3OEVBNTcwNTJENDM2Qg"),
            ("TWO", "a  b"),
            ("EMPTY", ""),
            ("TRICKY", "x'y\"z $HOME | > #"),
            ("?", "1"),
        ]);
        let line = match expand(line, &mut shell) {
            Ok(line) => line,
            Err(e) => return vec![e.to_string()],
        };
        parse(&line)
            .map(|p| p.stages.concat())
            .unwrap_or_else(|e| vec![e.to_string()])
    }

    #[test]
    fn variables_expand_by_bash_quoting_rules() {
        assert_eq!(words("echo $ID"), ["echo", "MkU3OEVBNTcwNTJENDM2Qg"]);
        assert_eq!(words("echo ${ID}x"), ["echo", "MkU3OEVBNTcwNTJENDM2Qgx"]);
        assert_eq!(words("echo $IDx"), ["echo"]);
        // Unquoted values split at blanks; quoted ones stay one word.
        assert_eq!(words("echo $TWO"), ["echo", "a", "b"]);
        assert_eq!(words("echo \"$TWO\""), ["echo", "a  b"]);
        assert_eq!(words("echo '$TWO'"), ["echo", "$TWO"]);
        assert_eq!(
            words("echo \"'$ID'\""),
            ["echo", "'MkU3OEVBNTcwNTJENDM2Qg'"]
        );
        assert_eq!(words("echo \\$ID"), ["echo", "$ID"]);
        // An empty unquoted value is no word; a quoted one is an empty word.
        assert_eq!(words("x $EMPTY $NOPE y"), ["x", "y"]);
        assert_eq!(words("x \"$EMPTY\""), ["x", ""]);
        // A value's quotes and operators are text.
        assert_eq!(
            words("echo $TRICKY"),
            ["echo", "x'y\"z", "$HOME", "|", ">", "#"]
        );
        assert_eq!(words("echo \"$TRICKY\""), ["echo", "x'y\"z $HOME | > #"]);
        // An assignment's value is not split.
        assert_eq!(words("V=$TWO"), ["V=a  b"]);
        assert_eq!(words("echo $? ${?}"), ["echo", "1", "1"]);
        assert_eq!(words("echo ${NOPE:-dflt} ${#ID}"), ["echo", "dflt", "22"]);
        // A lone `$` and one before a blank are text.
        assert_eq!(words("echo $ a$"), ["echo", "$", "a$"]);
        // Comments are not expanded.
        assert_eq!(words("echo a # $(rm)"), ["echo", "a"]);
    }

    #[test]
    fn command_substitution() {
        assert_eq!(
            words("K=\"$(bin/kafka-storage.sh random-uuid)\""),
            ["K=[bin/kafka-storage.sh random-uuid]"]
        );
        assert_eq!(
            words("echo $(a (b) \")\")"),
            ["echo", "[a", "(b)", "\")\"]"]
        );
        assert_eq!(words("echo `a \\`b\\``"), ["echo", "[a", "`b`]"]);
        assert_eq!(words("echo \"`x`\""), ["echo", "[x]"]);
    }

    #[test]
    fn heredoc_bodies() {
        let mut shell = Fixed(vec![("ID", "abc"), ("Q", "it's \"x\"")]);
        assert_eq!(
            expand_heredoc("id=$ID '$Q' \\$ID ${ID}s $(cmd)\n", &mut shell),
            "id=abc 'it's \"x\"' $ID abcs [cmd]\n"
        );
        assert!(heredoc_quoted("cat > f <<'EOF'"));
        assert!(heredoc_quoted("cat <<-\"EOF\" > f"));
        assert!(heredoc_quoted("cat <<\\EOF"));
        assert!(!heredoc_quoted("cat > f.json <<EOF"));
        assert!(!heredoc_quoted("cat <<-EOF > 'f'"));
    }

    #[test]
    fn malformed_expansions_read_like_bash() {
        assert_eq!(
            words("echo ${ID"),
            ["unexpected EOF while looking for matching `}'"]
        );
        assert_eq!(words("echo ${a b}"), ["${a b}: bad substitution"]);
        assert_eq!(words("echo ${}"), ["${}: bad substitution"]);
        assert_eq!(
            words("echo $(date"),
            ["unexpected EOF while looking for matching `)'"]
        );
        assert_eq!(
            words("echo `date"),
            ["unexpected EOF while looking for matching ``'"]
        );
        for line in [
            "$", "${", "$(", "`", "\"$", "'$", "\\", "$((", "${#}", "é$é",
        ] {
            let _ = expand(line, &mut Fixed(vec![]));
        }
    }
}
