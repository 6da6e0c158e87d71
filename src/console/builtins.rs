//! The few shell utilities tutorials pipe into Kafka's tools (`echo`, `printf`, `seq`, `cat`)
//! the file commands (`ls`, `rm`) and `sleep`. Each reads optional stdin and writes to an
//! [`Output`]; `console::registry` names them.

use super::distribution;
use super::files::Kind;
use super::output::Output;
use super::session::Playground;

/// The most lines `seq` (or a pipe) may produce; beyond it the playground refuses politely
/// instead of freezing the tab.
pub const MAX_PIPE_LINES: i64 = 1_000_000;

/// The most bytes a pipe (or a here-document) carries, and a builtin prints: 16 MiB. Without
/// it `cat f f f …` or `printf` with a long format and many arguments could fill the tab's
/// memory from one short line.
pub const MAX_PIPE_BYTES: usize = 16 << 20;

pub type BuiltinFn = fn(&[String], Option<&str>, &mut Playground, &mut Output) -> i32;

/// `echo [-n] [-e] words…`
pub fn echo(args: &[String], _: Option<&str>, _: &mut Playground, out: &mut Output) -> i32 {
    let (mut newline, mut escapes, mut i) = (true, false, 0);
    while let Some(flag) = args.get(i) {
        match flag.as_str() {
            "-n" => newline = false,
            "-e" => escapes = true,
            "-E" => escapes = false,
            "-ne" | "-en" => (newline, escapes) = (false, true),
            _ => break,
        }
        i += 1;
    }
    let text = args[i..].join(" ");
    let text = if escapes { unescape(&text) } else { text };
    out.out(&text);
    if newline {
        out.out("\n");
    }
    0
}

/// `printf FORMAT [ARGS…]`: `%s %d %i %%` and backslash escapes; the format is reused while
/// arguments remain, as bash does.
pub fn printf(args: &[String], _: Option<&str>, _: &mut Playground, out: &mut Output) -> i32 {
    let Some(format) = args.first() else {
        out.errln("printf: usage: printf format [arguments]");
        return 2;
    };
    let format = unescape(format);
    let mut rest = args[1..].iter();
    let mut status = 0;
    loop {
        let mut used = false;
        let mut chars = format.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.out(c.encode_utf8(&mut [0; 4]));
                continue;
            }
            match chars.next() {
                Some('%') => out.out("%"),
                Some('s') => {
                    used = true;
                    out.out(rest.next().map_or("", String::as_str));
                }
                Some('d' | 'i') => {
                    used = true;
                    let arg = rest.next().map_or("0", String::as_str);
                    match arg.trim().parse::<i64>() {
                        Ok(n) => out.out(&n.to_string()),
                        Err(_) => {
                            out.errln(&format!("printf: {arg}: invalid number"));
                            out.out("0");
                            status = 1;
                        }
                    }
                }
                Some(other) => {
                    out.out("%");
                    out.out(other.encode_utf8(&mut [0; 4]));
                }
                None => out.out("%"),
            }
        }
        if !used || rest.len() == 0 {
            break;
        }
        if out.chunks.iter().map(|c| c.text.len()).sum::<usize>() > MAX_PIPE_BYTES {
            out.errln(&stopped("printf"));
            return 1;
        }
    }
    status
}

/// `seq LAST`, `seq FIRST LAST`, `seq FIRST INCREMENT LAST` (integers).
pub fn seq(args: &[String], _: Option<&str>, _: &mut Playground, out: &mut Output) -> i32 {
    let mut nums = Vec::new();
    for a in args {
        match a.parse::<i64>() {
            Ok(n) => nums.push(n),
            Err(_) => {
                out.errln(&format!("seq: invalid floating point argument: '{a}'"));
                out.errln("Try 'seq --help' for more information.");
                return 1;
            }
        }
    }
    let (first, step, last) = match nums.as_slice() {
        [last] => (1, 1, *last),
        [first, last] => (*first, 1, *last),
        [first, step, last] => (*first, *step, *last),
        _ => {
            out.errln(if nums.is_empty() {
                "seq: missing operand"
            } else {
                "seq: extra operand"
            });
            out.errln("Try 'seq --help' for more information.");
            return 1;
        }
    };
    if step == 0 {
        out.errln("seq: invalid Zero increment value: '0'");
        out.errln("Try 'seq --help' for more information.");
        return 1;
    }
    let count = if (step > 0 && first > last) || (step < 0 && first < last) {
        0
    } else {
        (last.abs_diff(first) / step.unsigned_abs()).saturating_add(1)
    };
    if count > MAX_PIPE_LINES as u64 {
        out.errln(&format!(
            "seq: the playground limits a pipe to {MAX_PIPE_LINES} lines ({count} asked for)"
        ));
        return 1;
    }
    let mut text = String::new();
    let mut n = first;
    for _ in 0..count {
        text.push_str(&n.to_string());
        text.push('\n');
        n = n.saturating_add(step);
    }
    out.out(&text);
    0
}

/// `cat [FILE…]`: the files' contents, or stdin when no file is named.
pub fn cat(args: &[String], stdin: Option<&str>, pg: &mut Playground, out: &mut Output) -> i32 {
    if args.is_empty() || args == ["-"] {
        out.out(stdin.unwrap_or(""));
        return 0;
    }
    let mut status = 0;
    let mut written = 0;
    for path in args {
        if pg.files.kind(path) == Some(Kind::Dir) {
            out.errln(&format!("cat: {path}: Is a directory"));
            status = 1;
            continue;
        }
        if pg.files.only_listed(path) {
            out.errln(&format!(
                "cat: {path}: [playground] this file of the download is listed, but its contents are not kept here"
            ));
            status = 1;
            continue;
        }
        match pg.files.read(path) {
            Some(text) if written + text.len() > MAX_PIPE_BYTES => {
                out.errln(&stopped("cat"));
                return 1;
            }
            Some(text) => {
                written += text.len();
                out.out(text);
            }
            None => {
                out.errln(&format!("cat: {path}: No such file or directory"));
                status = 1;
            }
        }
    }
    status
}

/// `ls [-1aAl…] [PATH…]`: a folder's names (the current one by default), one a line as
/// `ls` writes them into a pipe; a file's own name.
pub fn ls(args: &[String], _: Option<&str>, pg: &mut Playground, out: &mut Output) -> i32 {
    let wanted: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let mut status = 0;
    if wanted.is_empty() {
        for name in pg.files.list(".") {
            out.outln(&name);
        }
    }
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for path in &wanted {
        match pg.files.kind(path) {
            None => {
                out.errln(&format!(
                    "ls: cannot access '{path}': No such file or directory"
                ));
                status = 2;
            }
            Some(Kind::File) => files.push(*path),
            Some(Kind::Dir) => dirs.push(*path),
        }
    }
    for path in &files {
        out.outln(path);
    }
    // Several operands: each folder's names under its name, as ls does.
    let titled = wanted.len() > 1;
    for (i, dir) in dirs.iter().enumerate() {
        if titled {
            if i > 0 || !files.is_empty() {
                out.outln("");
            }
            out.outln(&format!("{dir}:"));
        }
        for name in pg.files.list(dir) {
            out.outln(&name);
        }
    }
    status
}

/// `tar -xzf ARCHIVE`: only the Kafka download is an archive here. Extracting it again puts
/// its files back as they came (into the home directory), as GNU tar overwrites what it
/// extracts.
pub fn tar(args: &[String], _: Option<&str>, pg: &mut Playground, out: &mut Output) -> i32 {
    let no_mode = |out: &mut Output| {
        out.errln(
            "tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options",
        );
        out.errln("Try 'tar --help' or 'tar --usage' for more information.");
        2
    };
    let Some((flags, rest)) = args.split_first() else {
        return no_mode(out);
    };
    let flags = flags.trim_start_matches('-');
    if !flags.contains('x') && !flags.contains('t') {
        return no_mode(out);
    }
    let Some(archive) = rest.first().filter(|_| flags.contains('f')) else {
        out.errln("tar: Refusing to read archive contents from terminal (missing -f option?)");
        out.errln("tar: Error is not recoverable: exiting now");
        return 2;
    };
    let gzip = flags.contains('z');
    if pg.files.kind(archive).is_none() {
        let who = if gzip { "tar (child)" } else { "tar" };
        out.errln(&format!(
            "{who}: {archive}: Cannot open: No such file or directory"
        ));
        out.errln(&format!("{who}: Error is not recoverable: exiting now"));
        if gzip {
            out.errln("tar: Child returned status 2");
            out.errln("tar: Error is not recoverable: exiting now");
        }
        return 2;
    }
    let download =
        pg.files.absolute(archive) == format!("{}/{}", distribution::HOME, distribution::ARCHIVE);
    if !download {
        if gzip {
            out.errln("");
            out.errln("gzip: stdin: not in gzip format");
            out.errln("tar: Child returned status 1");
        } else {
            out.errln("tar: This does not look like a tar archive");
            out.errln("tar: Exiting with failure status due to previous errors");
            return 2;
        }
        out.errln("tar: Error is not recoverable: exiting now");
        return 2;
    }
    if flags.contains('x') {
        pg.files.extract_download();
    }
    if flags.contains('v') || flags.contains('t') {
        let mut names: Vec<String> = distribution::entries()
            .map(|(k, _)| k)
            .filter(|k| k.starts_with(distribution::FOLDER))
            .collect();
        crate::sort::sort(&mut names);
        for name in names {
            out.outln(&name);
        }
    }
    0
}

/// `rm [-f] FILE…`
pub fn rm(args: &[String], _: Option<&str>, pg: &mut Playground, out: &mut Output) -> i32 {
    let flags = |c: char| {
        args.iter()
            .any(|a| a.starts_with('-') && !a.starts_with("--") && a.contains(c))
    };
    let force = flags('f') || args.iter().any(|a| a == "--force");
    let recursive = flags('r') || flags('R') || args.iter().any(|a| a == "--recursive");
    let mut status = 0;
    for path in args.iter().filter(|a| !a.starts_with('-')) {
        if pg.files.kind(path) == Some(Kind::Dir) && recursive {
            pg.files.remove_tree(path);
            continue;
        }
        if pg.files.kind(path) == Some(Kind::Dir) {
            out.errln(&format!("rm: cannot remove '{path}': Is a directory"));
            status = 1;
            continue;
        }
        if !pg.files.remove(path) && !force {
            out.errln(&format!(
                "rm: cannot remove '{path}': No such file or directory"
            ));
            status = 1;
        }
    }
    status
}

/// `sleep N`: the playground does not make you wait — the cluster's clock jumps N seconds
/// (`s`, `m`, `h`, `d` suffixes and fractions work as in GNU sleep).
pub fn sleep(args: &[String], _: Option<&str>, pg: &mut Playground, out: &mut Output) -> i32 {
    if args.is_empty() {
        out.errln("sleep: missing operand");
        out.errln("Try 'sleep --help' for more information.");
        return 1;
    }
    let mut total_ms = 0i64;
    for arg in args {
        let (num, factor) = match arg.char_indices().last() {
            Some((i, 's')) => (&arg[..i], 1_000.0),
            Some((i, 'm')) => (&arg[..i], 60_000.0),
            Some((i, 'h')) => (&arg[..i], 3_600_000.0),
            Some((i, 'd')) => (&arg[..i], 86_400_000.0),
            _ => (arg.as_str(), 1_000.0),
        };
        match crate::decimal::parse_f64(num) {
            Some(n) if n >= 0.0 && n.is_finite() => {
                total_ms = total_ms.saturating_add((n * factor) as i64)
            }
            _ => {
                out.errln(&format!("sleep: invalid time interval '{arg}'"));
                out.errln("Try 'sleep --help' for more information.");
                return 1;
            }
        }
    }
    pg.cluster.advance(total_ms);
    0
}

/// What a builtin says when its output reaches [`MAX_PIPE_BYTES`].
fn stopped(name: &str) -> String {
    format!(
        "{name}: output stopped at {} MiB, the most the playground lets a command print or a pipe carry",
        MAX_PIPE_BYTES >> 20
    )
}

/// Backslash escapes of `echo -e` and `printf`: `\n \t \\ \r \0`.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('0') => out.push('\0'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Cluster, ClusterConfig};

    fn run(name: &str, args: &[&str], stdin: Option<&str>) -> (String, String, i32) {
        let mut pg = Playground::new(Cluster::new(ClusterConfig::default()));
        let mut out = Output::new();
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let Some(super::super::registry::Run::Builtin(builtin)) =
            super::super::registry::find(name).map(|c| c.run)
        else {
            panic!("{name} is not a builtin");
        };
        let status = builtin(&args, stdin, &mut pg, &mut out);
        use super::super::output::Stream;
        (
            out.stream_text(Stream::Stdout),
            out.stream_text(Stream::Stderr),
            status,
        )
    }

    #[test]
    fn echo_and_printf() {
        assert_eq!(run("echo", &["a", "b"], None).0, "a b\n");
        assert_eq!(run("echo", &["-n", "a"], None).0, "a");
        assert_eq!(run("echo", &["-e", "a\\nb"], None).0, "a\nb\n");
        assert_eq!(
            run("printf", &["k1:v1\\nk2:v2\\n"], None).0,
            "k1:v1\nk2:v2\n"
        );
        assert_eq!(
            run("printf", &["%s\\n", "a", "b", "c"], None).0,
            "a\nb\nc\n"
        );
        assert_eq!(
            run("printf", &["%d-%s|", "1", "x", "2", "y"], None).0,
            "1-x|2-y|"
        );
    }

    #[test]
    fn seq_counts() {
        assert_eq!(run("seq", &["3"], None).0, "1\n2\n3\n");
        assert_eq!(run("seq", &["2", "4"], None).0, "2\n3\n4\n");
        assert_eq!(run("seq", &["10", "-5", "0"], None).0, "10\n5\n0\n");
        assert_eq!(run("seq", &["5", "1"], None).0, "");
        assert_eq!(
            run("seq", &["x"], None).1,
            "seq: invalid floating point argument: 'x'\nTry 'seq --help' for more information.\n"
        );
        let (out, err, status) = run("seq", &["1", "100000000"], None);
        assert!(out.is_empty() && err.contains("limits a pipe") && status == 1);
    }

    #[test]
    fn output_is_bounded() {
        // 1 MiB of format, reused for each of 40 arguments: stopped past 16 MiB.
        let format = format!("{}%s", "x".repeat(1 << 20));
        let mut args = vec![format.as_str()];
        args.extend(["a"; 40]);
        let (out, err, status) = run("printf", &args, None);
        assert!(out.len() <= MAX_PIPE_BYTES + (2 << 20), "{}", out.len());
        assert_eq!(
            (err.as_str(), status),
            (
                "printf: output stopped at 16 MiB, the most the playground lets a command print or a pipe carry\n",
                1
            )
        );
    }

    #[test]
    fn cat_reads_files_and_stdin() {
        assert_eq!(run("cat", &[], Some("piped")).0, "piped");
        assert_eq!(
            run("cat", &["nope.json"], None).1,
            "cat: nope.json: No such file or directory\n"
        );
    }
}
