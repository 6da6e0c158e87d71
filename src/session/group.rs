//! A widget's part in a group of widgets sharing one cluster (`data-cluster`): the owner
//! holds the cluster and a terminal per member; a member runs nothing and shows what the owner
//! sends. This is the session's side — what each message does to the workbench, and which
//! messages are due; posting them between frames is the page's (`ui::widget_group`).
//!
//! Invariant: nothing here runs on a member's copy of the cluster; untrusted text is only ever
//! shown as text.

use std::rc::Rc;

use super::{Action, Host, LineKind, Mirror, Tab, Workbench};
use crate::share::EmbedConfig;
use crate::widget_group::{Input, MAX_LINES, Message, Shown, history_tail};

/// Inputs a member keeps while its owner is not ready yet.
pub const MAX_QUEUED: usize = 200;

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
    /// Shows the owner's cluster; `welcomed` once the owner answered (what the reader typed
    /// waits until then), `attached` once it sent its first copy of the cluster.
    Member {
        welcomed: bool,
        attached: bool,
        config: EmbedConfig,
    },
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
                wb.queue_setup(&setup.commands, !setup.show_commands, None);
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
    pub(super) fn group_member(config: EmbedConfig, now_ms: f64, host: Rc<dyn Host>) -> Self {
        let mut wb = Workbench::fresh(now_ms, host);
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
                welcomed: false,
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
            Action::ApiRun(text) => self.forward(Input::Line { text }),
            Action::HostRun { id, text } => self.forward(Input::Run { id, text }),
            Action::GroupWaiting => {
                let name = self
                    .group
                    .as_ref()
                    .map(|g| g.name.clone())
                    .unwrap_or_default();
                if let Some(tab) = self.tabs.first_mut() {
                    tab.push(
                        LineKind::Note,
                        &format!("[playground] Still waiting for the widget that holds the shared cluster \"{name}\" (the page's first widget with that data-cluster, member 0). What you type runs once it answers."),
                    );
                }
                true
            }
            Action::Refresh => true,
            Action::Restored(_) | Action::SaveFailed(_) | Action::Lease(_) => false,
            Action::Lesson(_)
            | Action::EndOfScript
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
        let Role::Member {
            attached, welcomed, ..
        } = &mut group.role
        else {
            return false;
        };
        match message {
            Message::Welcome { member, .. } if member == group.member => {
                *welcomed = true;
                true
            }
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
                        wb.queue_setup(&commands, !show_commands, None);
                    }
                });
                if first_time {
                    self.run_setups();
                }
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

impl Workbench {
    /// The messages due to the group's other frames: what was queued (a member's inputs; the
    /// owner's welcomes and answers), then the owner's news of each attached member's terminal.
    /// A welcomed member is shown its whole terminal next.
    pub fn group_outgoing(&mut self) -> Vec<Message> {
        let Some(group) = self.group.as_mut() else {
            return Vec::new();
        };
        if matches!(
            group.role,
            Role::Member {
                welcomed: false,
                ..
            }
        ) {
            return Vec::new();
        }
        let mut out = std::mem::take(&mut group.outbox);
        if let Role::Owner { sent, .. } = &mut group.role {
            for message in &out {
                if let Message::Welcome { member, .. } = message {
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
            out.extend(self.terminal_updates());
        }
        out
    }

    /// A member's request for its terminal, sent until the owner answers.
    pub fn attach_request(&self) -> Option<Message> {
        match &self.group {
            Some(Group {
                role: Role::Member { config, .. },
                ..
            }) => Some(attach_message(config)),
            _ => None,
        }
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
