//! The shell's own commands, which change or read the terminal's variables and directory:
//! `cd`, `pwd`, `export`, `unset`, `env`, `printenv`. Messages are bash's (bash 5,
//! `builtins/cd.def`, `builtins/setattr.def`, `variables.c`) and GNU coreutils'.

use super::files::Kind;
use super::output::Output;
use super::session::Playground;
use super::terminal::Terminal;
use super::variables::{assignment, is_name};

/// `cd [DIR | -]`: to the home directory, `DIR`, or the previous directory (printed).
pub fn cd(t: &mut Terminal, pg: &mut Playground, args: &[String], out: &mut Output) -> i32 {
    let args: Vec<&String> = args
        .iter()
        .filter(|a| !matches!(a.as_str(), "-L" | "-P" | "--"))
        .collect();
    let shell = t.shell_mut();
    let (target, print) = match args.as_slice() {
        [] => match shell.get("HOME") {
            Some(home) => (home.to_string(), false),
            None => {
                out.errln("bash: cd: HOME not set");
                return 1;
            }
        },
        [dash] if dash.as_str() == "-" => match shell.get("OLDPWD") {
            Some(old) => (old.to_string(), true),
            None => {
                out.errln("bash: cd: OLDPWD not set");
                return 1;
            }
        },
        [dir] => (dir.to_string(), false),
        _ => {
            out.errln("bash: cd: too many arguments");
            return 1;
        }
    };
    if target.is_empty() {
        return 0;
    }
    pg.files.set_cwd(&shell.cwd);
    match pg.files.kind(&target) {
        None => {
            out.errln(&format!("bash: cd: {target}: No such file or directory"));
            1
        }
        Some(Kind::File) => {
            out.errln(&format!("bash: cd: {target}: Not a directory"));
            1
        }
        Some(Kind::Dir) => {
            let new = pg.files.absolute(&target);
            let old = std::mem::replace(&mut shell.cwd, new.clone());
            shell.export("OLDPWD", Some(&old));
            shell.export("PWD", Some(&new));
            pg.files.set_cwd(&new);
            if print {
                out.outln(&new);
            }
            0
        }
    }
}

/// `pwd`: the current directory.
pub fn pwd(t: &mut Terminal, _: &mut Playground, _: &[String], out: &mut Output) -> i32 {
    out.outln(&t.shell().cwd);
    0
}

/// `export [NAME[=VALUE]…]`; alone (or `-p`), the exported variables as `declare -x`.
pub fn export(t: &mut Terminal, _: &mut Playground, args: &[String], out: &mut Output) -> i32 {
    let names: Vec<&String> = args.iter().filter(|a| a.as_str() != "-p").collect();
    let shell = t.shell_mut();
    if names.is_empty() {
        for (name, value) in shell.environment() {
            out.outln(&format!(
                "declare -x {name}=\"{}\"",
                quote_for_declare(value)
            ));
        }
        return 0;
    }
    let mut status = 0;
    for arg in names {
        match assignment(arg) {
            Some((name, value)) => shell.export(name, Some(value)),
            None if is_name(arg) => shell.export(arg, None),
            None => {
                out.errln(&format!("bash: export: `{arg}': not a valid identifier"));
                status = 1;
            }
        }
    }
    status
}

/// `declare -x` writes a value between `"…"` with `"`, `\`, `$` and `` ` `` escaped.
fn quote_for_declare(value: &str) -> String {
    let mut quoted = String::with_capacity(value.len());
    for c in value.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted
}

/// `unset [-v] NAME…`: a name that cannot be a variable is an error only with `-v` (without
/// it, bash also tries it as a function name).
pub fn unset(t: &mut Terminal, _: &mut Playground, args: &[String], out: &mut Output) -> i32 {
    let mut status = 0;
    let strict = args.first().is_some_and(|a| a == "-v");
    for name in args.iter().filter(|a| !matches!(a.as_str(), "-v" | "-f")) {
        if is_name(name) {
            t.shell_mut().unset(name);
        } else if strict {
            out.errln(&format!("bash: unset: `{name}': not a valid identifier"));
            status = 1;
        }
    }
    status
}

/// `env`: the exported variables; `env NAME=value… COMMAND` runs the command.
pub fn env(t: &mut Terminal, pg: &mut Playground, args: &[String], out: &mut Output) -> i32 {
    let command: Vec<String> = args
        .iter()
        .skip_while(|a| assignment(a).is_some())
        .cloned()
        .collect();
    if let Some((name, rest)) = command.split_first() {
        return t.run_command(pg, name, rest, None, false, out);
    }
    for (name, value) in t.shell().environment() {
        out.outln(&format!("{name}={value}"));
    }
    for arg in args {
        out.outln(arg);
    }
    0
}

/// `printenv [NAME…]`: the named exported variables' values (status 1 if one is not set).
pub fn printenv(t: &mut Terminal, _: &mut Playground, args: &[String], out: &mut Output) -> i32 {
    if args.is_empty() {
        for (name, value) in t.shell().environment() {
            out.outln(&format!("{name}={value}"));
        }
        return 0;
    }
    let mut status = 0;
    for name in args {
        match t.shell().environment().find(|(n, _)| n == name) {
            Some((_, value)) => out.outln(value),
            None => status = 1,
        }
    }
    status
}
