//! Widgets of a docs page sharing one cluster (`data-cluster`), in the browser.
//!
//! The group's first widget (member 0) is the owner: it holds the cluster and a terminal for
//! every other member, like terminal tabs over one cluster. A member frame runs nothing: it
//! sends what the reader does to the owner and shows what the owner sends back — its
//! terminal's lines and prompt, and a copy of the cluster for its live view, replaced whole
//! each time, so there is only ever one cluster.
//!
//! The frames find each other through the host page's frame list (`parent.frames`, readable
//! even when the host is another origin), and post to each other with their own origin as the
//! target, so only the playground's frames on that page receive them. Everything received is
//! checked: the sender's origin, the sender's window (the owner answers a member only from the
//! window it attached from; a member listens only to the owner that welcomed it), and the shape
//! (`crate::widget_group::Message::decode`).
//!
//! Invariant: nothing here runs on a member's copy of the cluster; untrusted text is only ever
//! shown as text.

use std::cell::RefCell;

use gloo::timers::callback::Interval;
use js_sys::{Object, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Window};

use super::state::{Action, LineKind, Mirror, Tab, Workbench, WorkbenchContext};
use crate::share::EmbedConfig;
use crate::widget_group::{Input, MAX_LINES, Message, Shown, history_tail};

/// A member asks for its terminal this often until the owner answers (the owner may still be
/// loading: it is created together with the first member that becomes visible).
const ATTACH_EVERY_MS: u32 = 300;
/// The cluster copy is sent at most this often (it is serialized whole).
const CLUSTER_EVERY_MS: f64 = 250.0;
/// Inputs a member keeps while its owner is not ready yet.
const MAX_QUEUED: usize = 200;
/// A member still unanswered after this long says so (a page whose first widget is missing).
const NOTE_AFTER_MS: f64 = 10_000.0;

/// This widget's part in its group (kept in the workbench).
pub struct Group {
    pub name: String,
    pub member: u32,
    pub role: Role,
    /// Messages the reducer made; sent once the page has rendered (`flush`), never from the
    /// reducer itself.
    pub outbox: Vec<Message>,
}

pub enum Role {
    /// Holds the cluster. `setup_done`: members whose commands have run; `sent`: what each
    /// attached member has been shown of its terminal.
    Owner {
        setup_done: Vec<u32>,
        sent: Vec<(u32, Sent)>,
    },
    /// Shows the owner's cluster; `attached` once the owner sent its first copy of it.
    Member { attached: bool, config: EmbedConfig },
}

/// What a member was last sent of its terminal.
#[derive(Clone, PartialEq)]
pub struct Sent {
    pushed: u64,
    cleared: u64,
    prompt: String,
    history: (usize, Option<String>),
    running: bool,
}

fn shown(kind: LineKind) -> Shown {
    match kind {
        LineKind::Input => Shown::Input,
        LineKind::Stdout => Shown::Stdout,
        LineKind::Stderr => Shown::Stderr,
        LineKind::Note => Shown::Note,
    }
}

fn line_kind(shown: Shown) -> LineKind {
    match shown {
        Shown::Input => LineKind::Input,
        Shown::Stdout => LineKind::Stdout,
        Shown::Stderr => LineKind::Stderr,
        Shown::Note => LineKind::Note,
    }
}

impl Workbench {
    /// The group's first widget: a terminal for each later widget, whose commands run now, in
    /// page order, after this widget's own (so they see its topics).
    pub(super) fn start_group(&mut self, config: &EmbedConfig) {
        let mut setup_done = vec![0];
        for (i, setup) in config.members.iter().enumerate() {
            let member = i as u32 + 1;
            self.in_member_tab(member, |wb| {
                for command in &setup.commands {
                    wb.enter(command);
                }
                if !setup.show_commands {
                    wb.tab_mut().clear();
                }
            });
            setup_done.push(member);
        }
        self.group = Some(Group {
            name: config.cluster.clone(),
            member: 0,
            role: Role::Owner {
                setup_done,
                sent: Vec::new(),
            },
            outbox: Vec::new(),
        });
    }

    /// A later widget of a group: one terminal showing the owner's, waiting for it.
    pub(super) fn group_member(config: EmbedConfig, now_ms: f64) -> Self {
        let mut wb = Workbench::new(now_ms);
        let member = config.member;
        wb.tabs[0] = Tab::new(member as usize + 1);
        wb.tabs[0].mirror = Some(Mirror {
            prompt: "$ ".into(),
            ..Mirror::default()
        });
        wb.tabs[0].push(
            LineKind::Note,
            &format!(
                "[playground] Joining the cluster shared by this page's widgets (\"{}\")…",
                config.cluster
            ),
        );
        wb.group = Some(Group {
            name: config.cluster.clone(),
            member,
            role: Role::Member {
                attached: false,
                config: config.clone(),
            },
            outbox: Vec::new(),
        });
        wb.embed = Some(config);
        wb
    }

    pub fn is_group_member(&self) -> bool {
        matches!(
            self.group,
            Some(Group {
                role: Role::Member { .. },
                ..
            })
        )
    }

    /// Whether this is a member still waiting for its owner (its live view is not drawn yet).
    pub fn waiting_for_group(&self) -> bool {
        matches!(
            self.group,
            Some(Group {
                role: Role::Member {
                    attached: false,
                    ..
                },
                ..
            })
        )
    }

    /// In a member: sends `input` to the owner and returns true; elsewhere returns false.
    pub(super) fn forward(&mut self, input: Input) -> bool {
        let Some(group) = self.group.as_mut() else {
            return false;
        };
        if !matches!(group.role, Role::Member { .. }) {
            return false;
        }
        if group.outbox.len() < MAX_QUEUED {
            group.outbox.push(Message::Input {
                group: group.name.clone(),
                member: group.member,
                input,
            });
        }
        true
    }

    /// A member's reducer: returns whether anything changed (the page redraws then).
    pub(super) fn member_action(&mut self, action: Action) -> bool {
        match action {
            Action::Enter(line) => self.forward(Input::Line { text: line }),
            Action::Paste(text) => {
                for line in text.lines() {
                    self.forward(Input::Line {
                        text: line.to_string(),
                    });
                }
                true
            }
            Action::Control(text) => self.forward(Input::Control { text }),
            Action::RunCommand(text) => self.forward(Input::Line { text }),
            Action::Interrupt => self.forward(Input::Interrupt),
            Action::EndOfInput => self.forward(Input::EndOfInput),
            Action::Clear => self.forward(Input::Clear),
            Action::ShowCompletions(line, candidates) => {
                self.forward(Input::Completions { line, candidates })
            }
            // The copy's clock is the owner's: only the charts sample it.
            Action::Tick(now) => self.sample_metrics(now),
            Action::Group(message) => self.member_receive(message),
            Action::Refresh => true,
            Action::Lesson(_)
            | Action::Import(_)
            | Action::Share
            | Action::NewTab
            | Action::SelectTab(_)
            | Action::CloseTab(_) => false,
        }
    }

    fn member_receive(&mut self, message: Message) -> bool {
        let Some(group) = self.group.as_mut() else {
            return false;
        };
        let Role::Member { attached, .. } = &mut group.role else {
            return false;
        };
        match message {
            Message::Welcome { member, .. } => member == group.member,
            Message::Terminal {
                member,
                reset,
                lines,
                prompt,
                history,
                running,
                ..
            } if member == group.member => {
                let Some(tab) = self.tabs.first_mut() else {
                    return false;
                };
                if reset {
                    tab.clear();
                }
                for (kind, text) in lines {
                    tab.push(line_kind(kind), &text);
                }
                let mirror = tab.mirror.get_or_insert_with(Mirror::default);
                mirror.prompt = prompt;
                mirror.running = running;
                if let Some(history) = history {
                    mirror.history = history;
                }
                true
            }
            Message::Cluster { playground, .. } => {
                // The live view is drawn from the first copy on.
                *attached = true;
                self.playground = *playground;
                true
            }
            _ => false,
        }
    }

    /// The owner's part of the reducer: a member attached or did something.
    pub(super) fn owner_receive(&mut self, message: Message) {
        let Some(Group {
            role: Role::Owner { setup_done, sent },
            ..
        }) = self.group.as_mut()
        else {
            return;
        };
        match message {
            Message::Attach {
                member,
                commands,
                show_commands,
                ..
            } if member > 0 => {
                // Shown from the start again: a member that reloads gets its whole terminal.
                sent.retain(|(m, _)| *m != member);
                let first_time = !setup_done.contains(&member);
                if first_time {
                    setup_done.push(member);
                }
                self.in_member_tab(member, |wb| {
                    if first_time {
                        for command in &commands {
                            wb.enter(command);
                        }
                        if !show_commands {
                            wb.tab_mut().clear();
                        }
                    }
                });
                self.post(Message::Welcome {
                    group: String::new(),
                    member,
                });
            }
            Message::Input { member, input, .. } if member > 0 => {
                self.in_member_tab(member, |wb| match input {
                    Input::Line { text } => wb.enter(&text),
                    Input::Control { text } => wb.control(&text),
                    Input::Interrupt => wb.interrupt(),
                    Input::EndOfInput => wb.end_of_input(),
                    Input::Clear => wb.tab_mut().clear(),
                    Input::Completions { line, candidates } => {
                        let prompt = wb.prompt();
                        let tab = wb.tab_mut();
                        tab.push(LineKind::Input, &format!("{prompt}{line}"));
                        tab.push(LineKind::Note, &candidates.join("  "));
                    }
                    Input::Run { id, text } => {
                        let output = wb.api_run(&text);
                        wb.post(Message::Ran {
                            group: String::new(),
                            member,
                            id,
                            output,
                        });
                    }
                });
            }
            _ => {}
        }
    }

    /// Queues a message of this widget's group (its name filled in).
    fn post(&mut self, mut message: Message) {
        if let Some(group) = self.group.as_mut() {
            match &mut message {
                Message::Welcome { group: g, .. } | Message::Ran { group: g, .. } => {
                    *g = group.name.clone()
                }
                _ => {}
            }
            group.outbox.push(message);
        }
    }

    /// Runs `f` with member `member`'s terminal as the active one (created when missing: a
    /// lesson reset replaces the terminals), then makes this widget's own active again.
    fn in_member_tab(&mut self, member: u32, f: impl FnOnce(&mut Workbench)) {
        let index = match self.tabs.iter().position(|t| t.member == Some(member)) {
            Some(i) => i,
            None => {
                let mut tab = Tab::new(member as usize + 1);
                tab.member = Some(member);
                self.tabs.push(tab);
                self.tabs.len() - 1
            }
        };
        let own = self.active;
        self.active = index;
        f(self);
        self.active = own.min(self.tabs.len().saturating_sub(1));
    }

    /// The owner's updates for its attached members: each one's terminal, what changed since
    /// the last update.
    fn terminal_updates(&mut self) -> Vec<Message> {
        let Some(Group {
            name,
            role: Role::Owner { sent, .. },
            ..
        }) = self.group.as_mut()
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (member, last) in sent.iter_mut() {
            let Some(tab) = self.tabs.iter().find(|t| t.member == Some(*member)) else {
                continue;
            };
            let history = tab.terminal.history();
            let now = Sent {
                pushed: tab.pushed,
                cleared: tab.cleared,
                prompt: tab.prompt(),
                history: (history.len(), history.last().cloned()),
                running: tab.running(),
            };
            if *last == now {
                continue;
            }
            let new = now.pushed.saturating_sub(last.pushed);
            // Cleared, replaced (a lesson reset) or more new lines than it keeps: send all.
            let reset = now.cleared != last.cleared
                || now.pushed < last.pushed
                || new > tab.lines.len() as u64
                || last.pushed == u64::MAX;
            let from = if reset {
                0
            } else {
                tab.lines.len() - new as usize
            };
            let from = from.max(tab.lines.len().saturating_sub(MAX_LINES));
            out.push(Message::Terminal {
                group: name.clone(),
                member: *member,
                reset,
                lines: tab
                    .lines
                    .range(from..)
                    .map(|l| (shown(l.kind), l.text.clone()))
                    .collect(),
                prompt: now.prompt.clone(),
                history: (now.history != last.history).then(|| history_tail(history)),
                running: now.running,
            });
            *last = now;
        }
        out
    }
}

/// What a member sends until its owner answers.
fn attach_message(config: &EmbedConfig) -> Message {
    Message::Attach {
        group: config.cluster.clone(),
        member: config.member,
        commands: config.commands.clone(),
        show_commands: config.show_commands,
    }
}

/// The link between this frame and the others of its group.
struct Link {
    handle: WorkbenchContext,
    name: String,
    /// The owner: the window each member attached from.
    members: Vec<(u32, Window)>,
    /// A member: the owner's window, once it answered.
    owner: Option<Window>,
    /// A member: the host page's `run` requests waiting for the owner's answer.
    host_runs: Vec<(u32, JsValue)>,
    next_run: u32,
    host_origin: String,
    last_cluster_ms: f64,
    cluster_pending: bool,
    /// When this frame started asking, and whether it said it is still waiting.
    started_ms: f64,
    waiting_noted: bool,
}

thread_local! {
    static LINK: RefCell<Option<Link>> = const { RefCell::new(None) };
}

/// Listens to the group's other frames (when this widget is in a group) and keeps the owner's
/// updates and a member's attach requests going.
pub fn install(handle: WorkbenchContext) {
    let (name, host_origin) = {
        let wb = handle.workbench.borrow();
        match (&wb.group, &wb.embed) {
            (Some(g), Some(e)) => (g.name.clone(), e.origin.clone()),
            _ => return,
        }
    };
    let Some(window) = web_sys::window() else {
        return;
    };
    LINK.with(|l| {
        *l.borrow_mut() = Some(Link {
            handle,
            name,
            members: Vec::new(),
            owner: None,
            host_runs: Vec::new(),
            next_run: 0,
            host_origin,
            last_cluster_ms: 0.0,
            cluster_pending: true,
            started_ms: js_sys::Date::now(),
            waiting_noted: false,
        })
    });
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(receive);
    let _ = window.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    on_message.forget();
    // Attach requests until answered; the owner's throttled cluster copies.
    Interval::new(ATTACH_EVERY_MS, || {
        flush();
    })
    .forget();
    flush();
}

fn own_origin() -> Option<String> {
    web_sys::window()?.location().origin().ok()
}

fn receive(e: MessageEvent) {
    // Only the playground's own frames, only group messages of the exact shape.
    if own_origin().as_deref() != Some(e.origin().as_str()) {
        return;
    }
    let Some(text) = e.data().as_string() else {
        return;
    };
    let Ok(message) = Message::decode(&text) else {
        return;
    };
    // A WindowProxy of another frame: not an instance of this frame's `Window`, but it has
    // `postMessage`, which is all that is used of it.
    let Some(source) = e.source().map(|s| s.unchecked_into::<Window>()) else {
        return;
    };
    let dispatch = LINK.with(|l| {
        let mut link = l.borrow_mut();
        let link = link.as_mut()?;
        if message.group() != link.name {
            return None;
        }
        let me = {
            let wb = link.handle.workbench.borrow();
            wb.group
                .as_ref()
                .filter(|_| wb.is_group_member())
                .map(|g| g.member)
        };
        let is_member = me.is_some();
        let accepted = if is_member {
            match (&message, &link.owner) {
                (Message::Welcome { member, .. }, None) if Some(*member) == me => {
                    link.owner = Some(source);
                    true
                }
                (Message::Ran { id, output, .. }, Some(owner))
                    if JsValue::from(owner) == JsValue::from(&source) =>
                {
                    answer_host(link, *id, output);
                    false
                }
                (Message::Terminal { .. } | Message::Cluster { .. }, Some(owner)) => {
                    JsValue::from(owner) == JsValue::from(&source)
                }
                _ => false,
            }
        } else {
            match &message {
                Message::Attach { member, .. } if *member > 0 => {
                    link.members.retain(|(m, _)| m != member);
                    link.members.push((*member, source));
                    link.cluster_pending = true;
                    true
                }
                Message::Input { member, .. } => link
                    .members
                    .iter()
                    .any(|(m, w)| m == member && JsValue::from(w) == JsValue::from(&source)),
                _ => false,
            }
        };
        accepted.then(|| link.handle.clone())
    });
    if let Some(handle) = dispatch {
        handle.dispatch(Action::Group(message));
    }
}

/// A member forwards the host page's `run` to the owner; the answer goes back to the host.
/// Returns false when this widget is not a member (it runs the command itself).
pub fn forward_host_run(id: JsValue, command: String) -> bool {
    let forwarded = LINK.with(|l| {
        let mut link = l.borrow_mut();
        let link = link.as_mut()?;
        let mut wb = link.handle.workbench.try_borrow_mut().ok()?;
        if !wb.is_group_member() {
            return None;
        }
        link.next_run = link.next_run.wrapping_add(1);
        let run = link.next_run;
        link.host_runs.push((run, id));
        if link.host_runs.len() > MAX_QUEUED {
            link.host_runs.remove(0);
        }
        wb.forward(Input::Run {
            id: run,
            text: command,
        });
        Some(link.handle.clone())
    });
    match forwarded {
        Some(handle) => {
            handle.dispatch(Action::Refresh);
            true
        }
        None => false,
    }
}

fn answer_host(link: &mut Link, run: u32, output: &str) {
    let Some(i) = link.host_runs.iter().position(|(r, _)| *r == run) else {
        return;
    };
    let (_, id) = link.host_runs.remove(i);
    let reply = Object::new();
    let _ = Reflect::set(&reply, &"type".into(), &"kafka-playground:output".into());
    let _ = Reflect::set(&reply, &"id".into(), &id);
    let _ = Reflect::set(&reply, &"output".into(), &output.into());
    if let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) {
        let _ = parent.post_message(&reply, &link.host_origin);
    }
}

/// Sends what is due: the reducer's messages, a member's attach request, the owner's terminal
/// updates and (at most every 250 ms) the cluster copy. Called after every render and on a
/// timer.
pub fn flush() {
    // A note was added outside the reducer: draw it.
    if let Some(handle) = LINK.with(send_due) {
        handle.dispatch(Action::Refresh);
    }
}

fn send_due(l: &RefCell<Option<Link>>) -> Option<WorkbenchContext> {
    {
        let mut link = l.borrow_mut();
        let link = link.as_mut()?;
        let mut wb = link.handle.workbench.try_borrow_mut().ok()?;
        let origin = own_origin()?;
        if wb.is_group_member() {
            let attach = match &wb.group {
                Some(Group {
                    role: Role::Member { config, .. },
                    ..
                }) => attach_message(config),
                _ => return None,
            };
            match &link.owner {
                // Not answered yet: ask every frame of the page (only the playground's own
                // receive it); what the reader typed waits.
                None => {
                    for frame in sibling_frames() {
                        let _ = frame.post_message(&attach.encode().into(), &origin);
                    }
                    if !link.waiting_noted && js_sys::Date::now() - link.started_ms > NOTE_AFTER_MS
                    {
                        link.waiting_noted = true;
                        if let Some(tab) = wb.tabs.first_mut() {
                            tab.push(
                                LineKind::Note,
                                &format!("[playground] Still waiting for the widget that holds the shared cluster \"{}\" (the page's first widget with that data-cluster, member 0). What you type runs once it answers.", link.name),
                            );
                        }
                        return Some(link.handle.clone());
                    }
                }
                Some(owner) => {
                    let outbox = wb
                        .group
                        .as_mut()
                        .map(|g| std::mem::take(&mut g.outbox))
                        .unwrap_or_default();
                    for message in outbox {
                        if !matches!(message, Message::Attach { .. }) {
                            let _ = owner.post_message(&message.encode().into(), &origin);
                        }
                    }
                }
            }
            return None;
        }
        // The owner.
        let outbox = wb
            .group
            .as_mut()
            .map(|g| std::mem::take(&mut g.outbox))
            .unwrap_or_default();
        let send_to = |member: u32, message: &Message| {
            if let Some((_, w)) = link.members.iter().find(|(m, _)| *m == member) {
                let _ = w.post_message(&message.encode().into(), &origin);
            }
        };
        for message in &outbox {
            match message {
                Message::Welcome { member, .. } => {
                    send_to(*member, message);
                    // A welcomed member is shown its whole terminal next.
                    if let Some(Group {
                        role: Role::Owner { sent, .. },
                        ..
                    }) = wb.group.as_mut()
                    {
                        sent.retain(|(m, _)| m != member);
                        sent.push((
                            *member,
                            Sent {
                                pushed: u64::MAX,
                                cleared: 0,
                                prompt: String::new(),
                                history: (usize::MAX, None),
                                running: false,
                            },
                        ));
                    }
                }
                Message::Ran { member, .. } => send_to(*member, message),
                _ => {}
            }
        }
        for update in wb.terminal_updates() {
            if let Message::Terminal { member, .. } = &update {
                send_to(*member, &update);
            }
        }
        link.cluster_pending |= !outbox.is_empty();
        let now = js_sys::Date::now();
        // A copy is serialized whole: a cluster with many records is copied less often (a
        // second more per megabyte), so the page stays responsive.
        let megabytes = record_bytes(&wb.playground) as f64 / 1e6;
        if link.cluster_pending
            && !link.members.is_empty()
            && now - link.last_cluster_ms >= CLUSTER_EVERY_MS + 1_000.0 * megabytes
        {
            link.cluster_pending = false;
            link.last_cluster_ms = now;
            let copy = Message::encode_cluster(&link.name, &wb.playground);
            let copy = JsValue::from_str(&copy);
            for (_, w) in &link.members {
                let _ = w.post_message(&copy, &origin);
            }
        }
    }
    None
}

fn record_bytes(playground: &crate::console::Playground) -> u64 {
    playground
        .cluster
        .topics()
        .flat_map(|t| t.partitions().iter())
        .flat_map(|p| p.log().segments().iter())
        .map(|s| s.size_bytes)
        .sum()
}

/// After every render: something may have changed that members should see.
pub fn changed() {
    LINK.with(|l| {
        if let Some(link) = l.borrow_mut().as_mut() {
            link.cluster_pending = true;
        }
    });
    flush();
}

/// The frames of the page this widget is on (its own included; it ignores its own messages
/// by their content). Readable whatever the host page's origin.
fn sibling_frames() -> Vec<Window> {
    let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) else {
        return Vec::new();
    };
    let count = Reflect::get(&parent, &"length".into())
        .ok()
        .and_then(|n| n.as_f64())
        .unwrap_or(0.0)
        .clamp(0.0, 1_000.0) as u32;
    (0..count)
        .filter_map(|i| Reflect::get_u32(&parent, i).ok())
        .filter(|w| w.is_object())
        .map(|w| w.unchecked_into::<Window>())
        .collect()
}
