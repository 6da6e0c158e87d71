//! One terminal: a shell over the playground. It assembles typed or pasted lines into commands
//! (`\` continuations, heredocs), runs pipelines of builtins into Kafka tools, and routes input
//! to a running session.
//!
//! The browser UI and `kplay` drive a terminal through the same few calls, so both print the
//! same text. Invariant: no input makes a terminal panic or lose the playground's state.

use super::builtins;
use super::files::MAX_FILE_BYTES;
use super::output::{Output, Stream};
use super::registry::{self, Missing, Run};
use super::session::{Playground, Session, Status, Stdin, ToolContext, ToolResult};
use super::shell::{self, Heredoc, Pipeline, Redirect};
use super::variables::{self, Expander, ShellState};

/// The longest line the console takes (a command with its continuations, or a line typed
/// into a tool): 4 MiB, room for a 1 MiB record value with room to spare.
pub const MAX_LINE_BYTES: usize = 4 << 20;

/// What the terminal is waiting for, so a face can show the right prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    /// Ready for a command: `$ `.
    Shell,
    /// Inside a `\` continuation or a heredoc: `> `.
    Continuation,
    /// A session reading typed lines (the console producer's `>`).
    Session(String),
    /// A session that takes no input is running (a consumer): Ctrl+C stops it.
    Busy,
}

/// A background job (`cmd &`).
struct Job {
    number: usize,
    pid: u32,
    command: String,
    session: Box<dyn Session>,
}

/// A background job's output redirected as bash would: stdout to a file (or nowhere), stderr
/// dropped with `2>/dev/null`. The file was created (or truncated) when the job started.
struct Redirected {
    inner: Box<dyn Session>,
    /// `None`: the terminal; `Some(None)`: `/dev/null`; `Some(Some(path))`: a file.
    stdout: Option<Option<String>>,
    discard_stderr: bool,
}

impl Redirected {
    fn new(inner: Box<dyn Session>, redirects: &[Redirect]) -> Self {
        let mut stdout = None;
        let mut discard_stderr = false;
        for r in redirects {
            match r {
                Redirect::Stdout { path, .. } => stdout = Some(Some(path.clone())),
                Redirect::DiscardStdout => stdout = Some(None),
                Redirect::DiscardStderr => discard_stderr = true,
            }
        }
        Redirected {
            inner,
            stdout,
            discard_stderr,
        }
    }

    fn route(&self, pg: &mut Playground, produced: Output, out: &mut Output) {
        for chunk in produced.chunks {
            match (chunk.stream, &self.stdout) {
                (Stream::Stderr, _) if self.discard_stderr => {}
                (Stream::Stderr, _) => out.forward(chunk),
                (Stream::Stdout, None) => out.out(&chunk.text),
                (Stream::Stdout, Some(None)) => {}
                // A job's file stops growing at the limit (what does not fit is dropped).
                (Stream::Stdout, Some(Some(path)))
                    if pg.files.read(path).map_or(0, str::len) + chunk.text.len()
                        > MAX_FILE_BYTES => {}
                (Stream::Stdout, Some(Some(path))) => pg.files.append(path, &chunk.text),
            }
        }
    }

    fn through(
        &mut self,
        pg: &mut Playground,
        out: &mut Output,
        call: impl FnOnce(&mut dyn Session, &mut Playground, &mut Output) -> Status,
    ) -> Status {
        let mut produced = Output::new();
        let status = call(self.inner.as_mut(), pg, &mut produced);
        self.route(pg, produced, out);
        status
    }
}

impl Session for Redirected {
    fn prompt(&self) -> Option<&str> {
        self.inner.prompt()
    }
    fn line(&mut self, pg: &mut Playground, line: &str, out: &mut Output) -> Status {
        self.through(pg, out, |s, pg, o| s.line(pg, line, o))
    }
    fn end_of_input(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        self.through(pg, out, |s, pg, o| s.end_of_input(pg, o))
    }
    fn interrupt(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        self.through(pg, out, |s, pg, o| s.interrupt(pg, o))
    }
    fn poll(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        self.through(pg, out, |s, pg, o| s.poll(pg, o))
    }
    fn finish(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        self.through(pg, out, |s, pg, o| s.finish(pg, o))
    }
    fn kill(&mut self, pg: &mut Playground) {
        self.inner.kill(pg);
    }
    fn waiting(&self, pg: &Playground) -> Option<String> {
        self.inner.waiting(pg)
    }
}

/// A command still being typed: continued lines, or a heredoc body being collected.
struct Pending {
    text: String,
    heredoc: Option<(Pipeline, Heredoc, String)>,
}

#[derive(Default)]
pub struct Terminal {
    history: Vec<String>,
    session: Option<Box<dyn Session>>,
    pending: Option<Pending>,
    clear_requested: bool,
    batch: bool,
    last_status: i32,
    jobs: Vec<Job>,
    next_pid: u32,
    /// Variables and the current directory.
    shell: ShellState,
    /// How deep in `$(…)` the command running is.
    depth: u8,
    /// The status of the last `$(…)` of the line being run (what `V=$(cmd)` returns).
    substituted: Option<i32>,
}

/// The deepest `$(…)` may nest, as the line's commands are run within each other.
const MAX_SUBSTITUTION_DEPTH: u8 = 8;

impl Terminal {
    /// An interactive terminal (the browser): tools without piped input read typed lines.
    pub fn new() -> Self {
        Terminal::default()
    }

    /// A batch terminal (kplay, tests): nobody types, so tools see a closed stdin and sessions
    /// are driven to completion as soon as they start.
    pub fn batch() -> Self {
        Terminal {
            batch: true,
            ..Terminal::default()
        }
    }

    /// An interactive terminal that remembers earlier commands (restored after a reload).
    pub fn with_history(history: Vec<String>) -> Self {
        Terminal {
            history,
            ..Terminal::default()
        }
    }

    /// A restored terminal: its history, variables and directory as they were saved.
    pub fn restored(history: Vec<String>, shell: ShellState) -> Self {
        Terminal {
            history,
            shell,
            ..Terminal::default()
        }
    }

    /// Its variables and current directory.
    pub fn shell(&self) -> &ShellState {
        &self.shell
    }

    /// Background jobs still running: (job number, command).
    pub fn jobs(&self) -> Vec<(usize, String)> {
        self.jobs
            .iter()
            .map(|j| (j.number, j.command.clone()))
            .collect()
    }

    /// One physical line typed (or one line of a paste) followed by Enter.
    pub fn enter(&mut self, pg: &mut Playground, line: &str) -> Output {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut out = Output::new();
        pg.files.set_cwd(&self.shell.cwd);
        // A runaway paste: a line longer than the console takes is dropped with a message
        // (and so is the command it was continuing), never parsed or sent.
        if line.len() > MAX_LINE_BYTES {
            out.errln(&format!(
                "[playground] a line of {} bytes was dropped: the console takes lines of up to {} MiB{}",
                line.len(),
                MAX_LINE_BYTES >> 20,
                if self.pending.take().is_some() {
                    " (the command it continued was abandoned)"
                } else {
                    ""
                }
            ));
            self.last_status = 1;
            return out;
        }
        if let Some(session) = self.session.as_mut() {
            if session.prompt().is_some() {
                let status = session.line(pg, line, &mut out);
                self.settle(status);
            }
            // A consumer ignores typed lines, as the real one does.
            return out;
        }
        let text = match self.pending.take() {
            Some(Pending {
                text,
                heredoc: Some((pipeline, heredoc, mut body)),
            }) => {
                let candidate = if heredoc.strip_tabs {
                    line.trim_start_matches('\t')
                } else {
                    line
                };
                if candidate == heredoc.delimiter {
                    let body = self.expand_heredoc(pg, &text, body, &mut out);
                    self.execute(pg, &text, pipeline, Some(body), &mut out);
                } else if body.len() + candidate.len() >= builtins::MAX_PIPE_BYTES {
                    out.errln(&format!(
                        "[playground] the here-document outgrew the {} MiB a pipe may carry: the command was abandoned",
                        builtins::MAX_PIPE_BYTES >> 20
                    ));
                    self.last_status = 1;
                } else {
                    body.push_str(candidate);
                    body.push('\n');
                    self.pending = Some(Pending {
                        text,
                        heredoc: Some((pipeline, heredoc, body)),
                    });
                }
                return out;
            }
            Some(Pending { mut text, .. }) => {
                if text.len() + line.len() >= MAX_LINE_BYTES {
                    out.errln(&format!(
                        "[playground] the continued command outgrew the {} MiB the console takes in one line: it was abandoned",
                        MAX_LINE_BYTES >> 20
                    ));
                    self.last_status = 1;
                    return out;
                }
                text.push('\n');
                text.push_str(line);
                text
            }
            None => line.to_string(),
        };
        if shell::continues(&text) {
            self.pending = Some(Pending {
                text,
                heredoc: None,
            });
            return out;
        }
        self.substituted = None;
        let expanded = match self.expand(pg, &text, &mut out) {
            Ok(expanded) => expanded,
            Err(e) => {
                self.remember(&text);
                out.errln(&format!("bash: {e}"));
                self.last_status = e.status();
                return out;
            }
        };
        match shell::parse(&expanded) {
            Err(e) => {
                self.remember(&text);
                out.errln(&format!("bash: {e}"));
                self.last_status = 2;
            }
            Ok(pipeline) if pipeline.heredoc.is_some() => {
                let heredoc = pipeline.heredoc.clone().unwrap_or_default();
                self.pending = Some(Pending {
                    text,
                    heredoc: Some((pipeline, heredoc, String::new())),
                });
            }
            Ok(pipeline) => self.execute(pg, &text, pipeline, None, &mut out),
        }
        out
    }

    /// Ends a script (kplay): a heredoc or continuation still open is reported, as bash warns.
    pub fn end_of_script(&mut self, pg: &mut Playground) -> Output {
        let mut out = Output::new();
        match self.pending.take() {
            Some(Pending {
                text,
                heredoc: Some((pipeline, heredoc, body)),
            }) => {
                out.errln(&format!(
                    "bash: warning: here-document delimited by end-of-file (wanted `{}')",
                    heredoc.delimiter
                ));
                let body = self.expand_heredoc(pg, &text, body, &mut out);
                self.execute(pg, &text, pipeline, Some(body), &mut out);
            }
            Some(Pending { text, .. }) => {
                let text = text.trim_end_matches('\\').to_string();
                let expanded = self.expand(pg, &text, &mut out).unwrap_or_default();
                if let Ok(p) = shell::parse(&expanded) {
                    self.execute(pg, &text, p, None, &mut out);
                }
            }
            None => {}
        }
        // A script's background jobs read what is left and stop, so every run ends the same way.
        for mut job in std::mem::take(&mut self.jobs) {
            let status = job.session.finish(pg, &mut out);
            if let Status::Exited(code) = status {
                out.errln(&job_line(job.number, '+', &exit_word(code), &job.command));
            }
        }
        out
    }

    /// Ctrl+C: stops a running session, or abandons a half-typed command.
    pub fn interrupt(&mut self, pg: &mut Playground) -> Output {
        let mut out = Output::new();
        self.pending = None;
        if let Some(s) = self.session.as_mut() {
            let status = s.interrupt(pg, &mut out);
            self.settle(status);
        }
        out
    }

    /// Ctrl+D: end of input for a session reading typed lines.
    pub fn end_of_input(&mut self, pg: &mut Playground) -> Output {
        let mut out = Output::new();
        if let Some(s) = self.session.as_mut() {
            let status = s.end_of_input(pg, &mut out);
            self.settle(status);
        }
        out
    }

    /// Time has passed (the UI calls this on a timer after advancing the cluster clock).
    pub fn poll(&mut self, pg: &mut Playground) -> Output {
        let mut out = Output::new();
        if let Some(s) = self.session.as_mut() {
            let status = s.poll(pg, &mut out);
            self.settle(status);
        }
        self.poll_jobs(pg, &mut out);
        report_notices(pg, &mut out);
        out
    }

    /// Lets background jobs print what they have; reports the ones that ended, as bash does
    /// before its next prompt.
    fn poll_jobs(&mut self, pg: &mut Playground, out: &mut Output) {
        super::tools::connect_standalone::poll_detached(pg, out);
        super::tools::run_class::poll_detached(pg);
        let mut finished = Vec::new();
        for (i, job) in self.jobs.iter_mut().enumerate() {
            if let Status::Exited(code) = job.session.poll(pg, out) {
                finished.push((i, code));
            }
        }
        for (i, code) in finished.into_iter().rev() {
            let job = self.jobs.remove(i);
            out.errln(&job_line(job.number, '+', &exit_word(code), &job.command));
        }
    }

    /// True when something is running, in the foreground or in the background.
    pub fn has_work(&self) -> bool {
        self.session.is_some() || !self.jobs.is_empty()
    }

    pub fn prompt(&self) -> Prompt {
        match (&self.session, &self.pending) {
            (Some(s), _) => match s.prompt() {
                Some(p) => Prompt::Session(p.to_string()),
                None => Prompt::Busy,
            },
            (None, Some(_)) => Prompt::Continuation,
            (None, None) => Prompt::Shell,
        }
    }

    pub fn is_running(&self) -> bool {
        self.session.is_some()
    }

    /// What the foreground tool is waiting for, if it says (`Session::waiting`).
    pub fn waiting(&self, pg: &Playground) -> Option<String> {
        self.session.as_ref()?.waiting(pg)
    }

    /// Commands entered so far, oldest first (for ↑/↓ and `history`).
    pub fn history(&self) -> &[String] {
        &self.history
    }

    /// Exit status of the last command (`$?`).
    pub fn last_status(&self) -> i32 {
        self.last_status
    }

    /// True once after `clear`: the face empties its scrollback.
    pub fn take_clear_request(&mut self) -> bool {
        std::mem::take(&mut self.clear_requested)
    }

    fn settle(&mut self, status: Status) {
        if let Status::Exited(code) = status {
            self.session = None;
            self.last_status = code;
        }
    }

    fn remember(&mut self, text: &str) {
        if !text.trim().is_empty() {
            self.history.push(text.to_string());
        }
    }

    /// Its variables and current directory, to change (`cd`, `export`, `unset`).
    pub(super) fn shell_mut(&mut self) -> &mut ShellState {
        &mut self.shell
    }

    /// `line` with its variables and `$(…)` expanded (see [`variables::expand`]).
    fn expand(
        &mut self,
        pg: &mut Playground,
        line: &str,
        out: &mut Output,
    ) -> Result<String, variables::ExpandError> {
        // Most lines have nothing to expand.
        if !line.contains(['$', '`']) {
            return Ok(line.to_string());
        }
        variables::expand(
            line,
            &mut Expanding {
                terminal: self,
                pg,
                out,
            },
        )
    }

    /// The body of the here-document `line` opened, expanded unless its delimiter is quoted.
    fn expand_heredoc(
        &mut self,
        pg: &mut Playground,
        line: &str,
        body: String,
        out: &mut Output,
    ) -> String {
        if variables::heredoc_quoted(line) || !body.contains(['$', '`']) {
            return body;
        }
        self.substituted = None;
        variables::expand_heredoc(
            &body,
            &mut Expanding {
                terminal: self,
                pg,
                out,
            },
        )
    }

    /// `$(command)`: runs it as a script would (no prompt, stdin closed) and returns its
    /// stdout; its stderr goes to the terminal.
    fn capture(&mut self, pg: &mut Playground, command: &str, out: &mut Output) -> String {
        if self.depth >= MAX_SUBSTITUTION_DEPTH {
            out.errln("bash: command substitution: nested too deeply");
            self.substituted = Some(1);
            return String::new();
        }
        self.depth += 1;
        let batch = std::mem::replace(&mut self.batch, true);
        let mut produced = Output::new();
        let status = match self
            .expand(pg, command, &mut produced)
            .map_err(|e| e.to_string())
            .and_then(|c| shell::parse(&c).map_err(|e| e.to_string()))
        {
            Err(e) => {
                produced.errln(&format!("bash: command substitution: {e}"));
                1
            }
            Ok(pipeline) if pipeline.is_empty() => 0,
            Ok(pipeline) => self.run_pipeline(pg, &pipeline, None, &mut produced),
        };
        self.batch = batch;
        self.depth -= 1;
        self.substituted = Some(status);
        let mut stdout = String::new();
        for chunk in produced.chunks {
            match chunk.stream {
                Stream::Stdout => stdout.push_str(&chunk.text),
                Stream::Stderr => out.err(&chunk.text),
            }
        }
        stdout
    }

    /// Runs a parsed pipeline: builtins feed each other's stdin; the last stage may be a Kafka
    /// tool. Redirections apply to the last stage.
    fn execute(
        &mut self,
        pg: &mut Playground,
        text: &str,
        pipeline: Pipeline,
        heredoc_body: Option<String>,
        out: &mut Output,
    ) {
        if pipeline.is_empty() {
            return;
        }
        self.remember(text);
        let mut pipeline = pipeline;
        // In a pipeline each command runs in a subshell: its assignments are lost.
        let single = pipeline.stages.len() == 1;
        for stage in &mut pipeline.stages {
            let assignments = stage
                .iter()
                .take_while(|w| variables::assignment(w).is_some())
                .count();
            // `NAME=value` alone sets a variable; before a command it would be that command's
            // environment, which no tool here reads.
            let set: Vec<String> = stage.drain(..assignments).collect();
            if stage.is_empty() && single {
                for word in &set {
                    if let Some((name, value)) = variables::assignment(word) {
                        self.shell.set(name, value);
                    }
                }
            }
        }
        pipeline.stages.retain(|s| !s.is_empty());
        if pipeline.stages.is_empty() {
            self.last_status = self.substituted.unwrap_or(0);
            return;
        }
        // bash opens the file before it runs the command: a missing folder runs nothing.
        if let Some(Redirect::Stdout { path, .. }) = pipeline
            .redirects
            .iter()
            .find(|r| matches!(r, Redirect::Stdout { .. }))
        {
            if let Some(why) = unwritable(pg, path) {
                out.errln(&format!("bash: {path}: {why}"));
                self.last_status = 1;
                return;
            }
        }
        let mut stage_out = Output::new();
        let status = self.run_pipeline(pg, &pipeline, heredoc_body, &mut stage_out);
        self.last_status = status;
        let discard_stderr = pipeline.redirects.contains(&Redirect::DiscardStderr);
        let stdout_target = pipeline
            .redirects
            .iter()
            .find(|r| !matches!(r, Redirect::DiscardStderr));
        // Streams keep their interleaving on the terminal; only a redirected stdout is diverted.
        let mut diverted = String::new();
        for chunk in stage_out.chunks {
            match (chunk.stream, stdout_target) {
                (Stream::Stderr, _) if discard_stderr => {}
                (Stream::Stderr, _) => out.forward(chunk),
                (Stream::Stdout, None) => out.out(&chunk.text),
                (Stream::Stdout, Some(_)) => diverted.push_str(&chunk.text),
            }
        }
        if let Some(Redirect::Stdout { path, append }) = stdout_target {
            let kept = if *append {
                pg.files.read(path).map_or(0, str::len)
            } else {
                0
            };
            if kept + diverted.len() > MAX_FILE_BYTES {
                out.errln(&format!(
                    "bash: {path}: the playground limits a file to {} MiB ({} bytes); nothing was written",
                    MAX_FILE_BYTES >> 20,
                    kept + diverted.len()
                ));
                self.last_status = 1;
            } else if *append {
                pg.files.append(path, &diverted);
            } else {
                pg.files.write(path, diverted);
            }
        }
        self.poll_jobs(pg, out);
        report_notices(pg, out);
    }

    fn run_pipeline(
        &mut self,
        pg: &mut Playground,
        pipeline: &Pipeline,
        heredoc_body: Option<String>,
        out: &mut Output,
    ) -> i32 {
        let mut input: Option<String> = heredoc_body;
        if let Some(path) = &pipeline.stdin_file {
            match pg.files.read(path) {
                Some(text) => input = Some(text.to_string()),
                None => {
                    out.errln(&format!("bash: {path}: No such file or directory"));
                    return 1;
                }
            }
        }
        let last = pipeline.stages.len() - 1;
        for (i, words) in pipeline.stages.iter().enumerate() {
            let Some((name, args)) = words.split_first() else {
                continue;
            };
            if i < last {
                let builtin = match registry::find(name).map(|c| c.run) {
                    Some(Run::Builtin(builtin)) => builtin,
                    Some(Run::Tool(_)) => {
                        out.errln(&format!(
                            "bash: {name}: the playground runs Kafka tools only at the end of a pipeline"
                        ));
                        return 127;
                    }
                    _ => {
                        out.errln(&format!("bash: {name}: command not found"));
                        return 127;
                    }
                };
                let mut piped = Output::new();
                builtin(args, input.as_deref(), pg, &mut piped);
                let mut next = String::new();
                for chunk in piped.chunks {
                    match chunk.stream {
                        Stream::Stderr => out.err(&chunk.text),
                        Stream::Stdout => next.push_str(&chunk.text),
                    }
                }
                if next.len() > builtins::MAX_PIPE_BYTES {
                    out.errln(&format!(
                        "bash: {name}: the playground limits a pipe to {} MiB ({} bytes); nothing was run after it",
                        builtins::MAX_PIPE_BYTES >> 20,
                        next.len()
                    ));
                    return 1;
                }
                input = Some(next);
            } else {
                let redirected = !pipeline.redirects.is_empty();
                if pipeline.background {
                    return self.run_background(pg, words, input.take(), &pipeline.redirects, out);
                }
                return self.run_command(pg, name, args, input.take(), redirected, out);
            }
        }
        0
    }

    /// `cmd &`: starts a Kafka tool as a background job, printing `[N] PID` as bash does.
    fn run_background(
        &mut self,
        pg: &mut Playground,
        words: &[String],
        input: Option<String>,
        redirects: &[Redirect],
        out: &mut Output,
    ) -> i32 {
        let command = words.join(" ");
        let Some((name, args)) = words.split_first() else {
            return 0;
        };
        let number = self.jobs.last().map_or(1, |j| j.number + 1);
        self.next_pid = self.next_pid.max(4200) + 1;
        out.errln(&format!("[{number}] {}", self.next_pid));
        let Some((_, tool)) = registry::tool_named(name) else {
            // Builtins finish at once: run them and report the job done.
            let status = self.run_command(pg, name, args, input, true, out);
            out.errln(&job_line(number, '+', &exit_word(status), &command));
            return 0;
        };
        let mut ctx = ToolContext {
            playground: pg,
            stdin: input.map_or(Stdin::Closed, Stdin::Data),
            batch: false,
        };
        match tool.run(args, &mut ctx, out) {
            ToolResult::Exit(code) => {
                out.errln(&job_line(number, '+', &exit_word(code), &command));
            }
            ToolResult::Running(session) => {
                // `cmd > f &`: what the job prints later goes where its redirections say.
                let session: Box<dyn Session> = if redirects.is_empty() {
                    session
                } else {
                    Box::new(Redirected::new(session, redirects))
                };
                self.jobs.push(Job {
                    number,
                    pid: self.next_pid,
                    command,
                    session,
                })
            }
        }
        0
    }

    /// `history`: the commands entered so far, numbered as bash numbers them.
    pub(super) fn print_history(
        &mut self,
        _: &mut Playground,
        _: &[String],
        out: &mut Output,
    ) -> i32 {
        for (i, line) in self.history.iter().enumerate() {
            out.outln(&format!("{:5}  {}", i + 1, line));
        }
        0
    }

    /// `clear`: the face empties its scrollback.
    pub(super) fn request_clear(
        &mut self,
        _: &mut Playground,
        _: &[String],
        _: &mut Output,
    ) -> i32 {
        self.clear_requested = true;
        0
    }

    /// `jobs`: the background jobs still running.
    pub(super) fn list_jobs(&mut self, _: &mut Playground, _: &[String], out: &mut Output) -> i32 {
        let count = self.jobs.len();
        for (i, job) in self.jobs.iter().enumerate() {
            let mark = current_mark(i, count);
            out.outln(&job_line(
                job.number,
                mark,
                "Running",
                &format!("{} &", job.command),
            ));
        }
        0
    }

    /// `kill [-9] %N|PID…`: stops background jobs. Plain `kill` (SIGTERM) lets a Kafka tool shut
    /// down cleanly (a consumer leaves its group); `-9` kills it on the spot.
    pub(super) fn kill(&mut self, pg: &mut Playground, args: &[String], out: &mut Output) -> i32 {
        let hard = args
            .iter()
            .any(|a| matches!(a.as_str(), "-9" | "-KILL" | "-SIGKILL"));
        let targets: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        if targets.is_empty() {
            out.errln("kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]");
            return 2;
        }
        let mut status = 0;
        for target in targets {
            let index = match target.strip_prefix('%') {
                Some(n) => n
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| self.jobs.iter().position(|j| j.number == n)),
                None => target
                    .parse::<u32>()
                    .ok()
                    .and_then(|pid| self.jobs.iter().position(|j| j.pid == pid)),
            };
            let Some(index) = index else {
                if target.starts_with('%') {
                    out.errln(&format!("bash: kill: {target}: no such job"));
                } else {
                    out.errln(&format!("bash: kill: ({target}) - No such process"));
                }
                status = 1;
                continue;
            };
            let mut job = self.jobs.remove(index);
            let word = if hard {
                job.session.kill(pg);
                "Killed"
            } else {
                let _ = job.session.interrupt(pg, out);
                "Terminated"
            };
            out.errln(&job_line(job.number, '+', word, &job.command));
        }
        status
    }

    /// `fg [%N]`: brings a background job to the foreground (in a script it reads what is
    /// available and stops, as a foreground tool does there).
    pub(super) fn foreground(
        &mut self,
        pg: &mut Playground,
        args: &[String],
        out: &mut Output,
    ) -> i32 {
        let index = match args.first() {
            None => self.jobs.len().checked_sub(1),
            Some(spec) => spec
                .trim_start_matches('%')
                .parse::<usize>()
                .ok()
                .and_then(|n| self.jobs.iter().position(|j| j.number == n)),
        };
        let Some(index) = index else {
            let spec = args.first().map_or("current", String::as_str);
            out.errln(&format!("bash: fg: {spec}: no such job"));
            return 1;
        };
        let mut job = self.jobs.remove(index);
        out.outln(&job.command);
        if self.batch {
            match job.session.finish(pg, out) {
                Status::Exited(code) => code,
                Status::Running => 0,
            }
        } else {
            self.session = Some(job.session);
            0
        }
    }

    /// Runs the last command of a pipeline: a terminal command, a builtin or a Kafka tool.
    pub(super) fn run_command(
        &mut self,
        pg: &mut Playground,
        name: &str,
        args: &[String],
        input: Option<String>,
        redirected: bool,
        out: &mut Output,
    ) -> i32 {
        let tool = match registry::find(name).map(|c| c.run) {
            Some(Run::Terminal(command)) => return command(self, pg, args, out),
            Some(Run::Builtin(builtin)) => return builtin(args, input.as_deref(), pg, out),
            Some(Run::Tool(tool)) => Some(tool),
            None => None,
        };
        if let Some(tool) = tool {
            let stdin = match input {
                Some(data) => Stdin::Data(data),
                None if self.batch || redirected => Stdin::Closed,
                None => Stdin::Terminal,
            };
            let mut ctx = ToolContext {
                playground: pg,
                stdin,
                batch: self.batch || redirected,
            };
            return match tool.run(args, &mut ctx, out) {
                ToolResult::Exit(code) => code,
                ToolResult::Running(mut session) => {
                    if self.batch || redirected {
                        match session.finish(pg, out) {
                            Status::Exited(code) => code,
                            Status::Running => 0,
                        }
                    } else {
                        self.session = Some(session);
                        0
                    }
                }
            };
        }
        let base = name.rsplit('/').next().unwrap_or(name);
        let base = base.strip_suffix(".sh").unwrap_or(base);
        match registry::missing(base) {
            Some(Missing::Elsewhere(what)) => {
                out.errln(&format!(
                    "{name}: {what}. The playground does not run it; try it on a Kafka {} download.",
                    super::options::KAFKA_VERSION
                ));
                return 127;
            }
            Some(Missing::ZooKeeper) => {
                out.errln(&format!("bash: {name}: No such file or directory"));
                out.errln("Kafka 4 has no ZooKeeper: the cluster runs in KRaft mode, where the brokers' own controller quorum keeps the metadata (see kafka-metadata-quorum.sh). Tutorials' ZooKeeper steps can be skipped; use --bootstrap-server localhost:9092 where they say --zookeeper.");
                return 127;
            }
            Some(Missing::Server) => {
                out.errln(&format!(
                    "{name}: no need here: the playground's brokers are already running (KRaft mode, listening on localhost:9092). Type 'playground' to see them."
                ));
                return 0;
            }
            None => {}
        }
        out.errln(&format!("bash: {name}: command not found"));
        if let Some(hint) = registry::suggest(base) {
            out.errln(&format!(
                "Did you mean '{hint}'? Type 'help' for the list of commands."
            ));
        } else {
            out.errln("Type 'help' for the list of commands.");
        }
        127
    }
}

/// Why `path` cannot be written to, if it cannot: it is a folder, or its folder is missing.
fn unwritable(pg: &Playground, path: &str) -> Option<&'static str> {
    use super::files::Kind;
    if pg.files.kind(path) == Some(Kind::Dir) {
        return Some("Is a directory");
    }
    let abs = pg.files.absolute(path);
    let parent = abs.rsplit_once('/').map_or("/", |(p, _)| p);
    let parent = if parent.is_empty() { "/" } else { parent };
    (pg.files.kind(parent) != Some(Kind::Dir)).then_some("No such file or directory")
}

/// A terminal expanding a line: variables from its shell, `$(…)` run in it.
struct Expanding<'a> {
    terminal: &'a mut Terminal,
    pg: &'a mut Playground,
    out: &'a mut Output,
}

impl Expander for Expanding<'_> {
    fn var(&mut self, name: &str) -> Option<String> {
        let t = &self.terminal;
        match name {
            "?" => Some(t.substituted.unwrap_or(t.last_status).to_string()),
            "$" => Some(SHELL_PID.to_string()),
            "0" => Some("bash".to_string()),
            "#" => Some("0".to_string()),
            "-" => Some("himBHs".to_string()),
            "!" => t.jobs.last().map(|j| j.pid.to_string()),
            _ => t.shell.get(name).map(str::to_string),
        }
    }

    fn substitute(&mut self, command: &str) -> String {
        self.terminal.capture(self.pg, command, self.out)
    }
}

/// The shell's own process id (`$$`), below the jobs' (4201 on).
const SHELL_PID: u32 = 4200;

/// What the engine noticed that no Kafka tool would print (data lost to an unclean election).
fn report_notices(pg: &mut Playground, out: &mut Output) {
    for notice in pg.cluster.take_notices() {
        out.errln(&format!("[playground] {notice}"));
    }
}

/// A bash job notice: `[1]+  Done                    cmd`.
fn job_line(number: usize, mark: char, state: &str, command: &str) -> String {
    format!("[{number}]{mark}  {state:<24}{command}")
}

fn exit_word(code: i32) -> String {
    if code == 0 {
        "Done".to_string()
    } else {
        format!("Exit {code}")
    }
}

/// `+` marks the most recent job, `-` the one before.
fn current_mark(index: usize, count: usize) -> char {
    match count - index {
        1 => '+',
        2 => '-',
        _ => ' ',
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Cluster, ClusterConfig};

    fn fresh() -> (Terminal, Playground) {
        (
            Terminal::batch(),
            Playground::new(Cluster::new(ClusterConfig::default())),
        )
    }

    fn run(t: &mut Terminal, pg: &mut Playground, lines: &str) -> String {
        let mut text = String::new();
        for line in lines.lines() {
            text.push_str(&t.enter(pg, line).text());
        }
        text.push_str(&t.end_of_script(pg).text());
        text
    }

    #[test]
    fn heredoc_writes_a_file() {
        let (mut t, mut pg) = fresh();
        let out = run(
            &mut t,
            &mut pg,
            "cat > f.json <<EOF\n{\"a\": 1}\n\n# kept\nEOF\ncat f.json",
        );
        assert_eq!(out, "{\"a\": 1}\n\n# kept\n");
        assert_eq!(t.history(), ["cat > f.json <<EOF", "cat f.json"]);
    }

    #[test]
    fn continuation_joins_lines() {
        let (mut t, mut pg) = fresh();
        assert_eq!(t.enter(&mut pg, "echo a \\").text(), "");
        assert_eq!(t.prompt(), Prompt::Continuation);
        assert_eq!(t.enter(&mut pg, "  b").text(), "a b\n");
        assert_eq!(t.prompt(), Prompt::Shell);
    }

    #[test]
    fn pipes_and_redirects() {
        let (mut t, mut pg) = fresh();
        let out = run(
            &mut t,
            &mut pg,
            "seq 1 3 | cat > n.txt\nprintf 'x\\n' >> n.txt\ncat < n.txt",
        );
        assert_eq!(out, "1\n2\n3\nx\n");
    }

    #[test]
    fn bad_input_gets_clear_messages() {
        let (mut t, mut pg) = fresh();
        let out = run(&mut t, &mut pg, "kafka-topic.sh --list");
        assert_eq!(
            out,
            "bash: kafka-topic.sh: command not found\nDid you mean 'kafka-topics.sh'? Type 'help' for the list of commands.\n"
        );
        assert_eq!(t.last_status(), 127);
        let out = run(&mut t, &mut pg, "echo 'oops");
        assert_eq!(out, "bash: unexpected EOF while looking for matching `''\n");
        let out = run(&mut t, &mut pg, "kafka-jmx.sh --help");
        assert_eq!(
            out,
            "kafka-jmx.sh: reads JMX metrics from a running Kafka JVM. The playground does not run it; try it on a Kafka 4.3.0 download.\n"
        );
        assert_eq!(t.last_status(), 127);
        assert_eq!(run(&mut t, &mut pg, ""), "");
        let long = format!("echo {}", "y".repeat(100_000));
        assert_eq!(run(&mut t, &mut pg, &long).len(), 100_001);
    }

    #[test]
    fn unterminated_heredoc_is_reported_at_end_of_script() {
        let (mut t, mut pg) = fresh();
        let out = run(&mut t, &mut pg, "cat <<EOF\nline");
        assert_eq!(
            out,
            "bash: warning: here-document delimited by end-of-file (wanted `EOF')\nline\n"
        );
    }

    #[test]
    fn background_builtins_and_job_errors() {
        let (mut t, mut pg) = fresh();
        let out = run(
            &mut t,
            &mut pg,
            "echo hi &\njobs\nkill %3\nkill\nfg\nsleep 90\nsleep x",
        );
        assert_eq!(
            out,
            "[1] 4201\nhi\n[1]+  Done                    echo hi\n\
             bash: kill: %3: no such job\n\
             kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n\
             bash: fg: current: no such job\n\
             sleep: invalid time interval 'x'\nTry 'sleep --help' for more information.\n"
        );
        assert_eq!(
            pg.cluster.now_ms(),
            crate::engine::clock::DEFAULT_START_MS + 90_000
        );
    }

    #[test]
    fn runaway_lines_pastes_and_files_are_bounded() {
        let (mut t, mut pg) = fresh();
        let huge = format!("echo {}", "y".repeat(MAX_LINE_BYTES));
        assert_eq!(
            t.enter(&mut pg, &huge).text(),
            format!(
                "[playground] a line of {} bytes was dropped: the console takes lines of up to 4 MiB\n",
                MAX_LINE_BYTES + 5
            )
        );
        // A command continued past the limit is abandoned; the shell is back.
        let half = format!("echo {} \\", "y".repeat(MAX_LINE_BYTES / 2));
        assert_eq!(t.enter(&mut pg, &half).text(), "");
        assert!(
            t.enter(&mut pg, &half)
                .text()
                .contains("the continued command outgrew the 4 MiB")
        );
        assert_eq!(t.prompt(), Prompt::Shell);
        // So is a here-document that outgrows a pipe.
        assert_eq!(t.enter(&mut pg, "cat > big.txt <<EOF").text(), "");
        let line = "z".repeat(MAX_LINE_BYTES - 1);
        let mut said = String::new();
        for _ in 0..5 {
            said.push_str(&t.enter(&mut pg, &line).text());
        }
        assert!(
            said.contains("the here-document outgrew the 16 MiB"),
            "{said}"
        );
        assert_eq!(t.prompt(), Prompt::Shell);
        assert!(pg.files.read("big.txt").is_none());
        // Files stop at 16 MiB: seq's 6.9 MB twice is fine; a third copy stops cat (what it
        // printed before stopping is written, as bash would) and an append past it is refused.
        let out = run(
            &mut t,
            &mut pg,
            "seq 1 1000000 > n.txt\ncat n.txt n.txt > two.txt\ncat n.txt n.txt n.txt > three.txt\ncat n.txt >> two.txt",
        );
        assert_eq!(
            out,
            "cat: output stopped at 16 MiB, the most the playground lets a command print or a pipe carry\n\
             bash: two.txt: the playground limits a file to 16 MiB (20666688 bytes); nothing was written\n"
        );
        assert_eq!(pg.files.read("two.txt").map(str::len), Some(13_777_792));
        assert_eq!(pg.files.read("three.txt").map(str::len), Some(13_777_792));
    }

    #[test]
    fn help_lists_the_tools() {
        let (mut t, mut pg) = fresh();
        let out = run(&mut t, &mut pg, "help");
        assert!(out.contains("kafka-topics.sh") && out.contains("playground advance"));
    }
}
