//! The session as it leaves the page: saved to storage (when: `SavePolicy`), exported to a
//! file and imported back, shared as a link, written out as a script for a real cluster.

use super::{
    LessonFetch, LessonRun, LineKind, SavePolicy, SavedMeta, SetAside, Verdict, Workbench,
};
use crate::snapshot::{FORMAT, SavedTab, Snapshot};

impl Workbench {
    /// Whether the session should be written now (at most once a second; a pending change is
    /// written on a later tick). A session too large for the store is reported once. `apply`
    /// asks after every change; a page asks once when it opens (a share link is kept at once).
    pub fn request_save(&mut self) -> bool {
        if self.embed.is_some() || !self.lease.writes() {
            return false;
        }
        let playground = &self.playground;
        let verdict = self
            .save
            .request(self.last_wall_ms, || playground.json_size_hint());
        self.save_verdict(verdict)
    }

    pub(super) fn save_verdict(&mut self, verdict: Verdict) -> bool {
        match verdict {
            Verdict::Wait => false,
            Verdict::Save => self.embed.is_none(),
            Verdict::TooLarge(size) => {
                self.tab_mut().push(
                    LineKind::Stderr,
                    &format!("[playground] This session, about {:.1} MB as text, is more than browser storage keeps: it keeps working until you close the page (Export saves it to a file; playground reset starts small again).", size as f64 / 1e6),
                );
                false
            }
        }
    }

    /// The snapshot's text to keep when the page closes, and its stamp — unless nothing
    /// changed since the last save, this page does not write the saved session (a widget,
    /// another tab holds it), or it is too large for the store.
    pub fn text_to_keep(&mut self) -> Option<(String, SavedMeta)> {
        if self.embed.is_some()
            || !self.lease.writes()
            || !self.save.unsaved()
            || !SavePolicy::fits(self.playground.json_size_hint())
        {
            return None;
        }
        Some(self.to_save())
    }

    /// The snapshot's text to write now, stamped one generation above the last save.
    pub fn to_save(&mut self) -> (String, SavedMeta) {
        self.save.taken();
        self.generation += 1;
        let meta = SavedMeta {
            generation: self.generation,
            saved_at_ms: Some(self.last_wall_ms),
            summary: self.summary(),
        };
        (self.snapshot_text(), meta)
    }

    /// A few words on what the session holds, for the list of recent sessions.
    pub fn summary(&self) -> String {
        let topics = self
            .playground
            .cluster
            .topics()
            .filter(|t| !t.is_internal())
            .count();
        let commands: usize = self.tabs.iter().map(|t| t.terminal.history().len()).sum();
        let plural = |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
        format!(
            "{} · {}",
            plural(topics, "topic"),
            plural(commands, "command")
        )
    }

    /// The session as a snapshot (what is saved, exported and imported).
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            format: FORMAT,
            playground: self.playground.clone(),
            tabs: self
                .tabs
                .iter()
                .map(|t| SavedTab {
                    id: t.id,
                    history: t.terminal.history().to_vec(),
                    shell: Some(t.terminal.shell().clone())
                        .filter(|s| *s != crate::console::variables::ShellState::default()),
                })
                .collect(),
            active: self.active,
            // A lesson still being fetched after a reload is kept as it was saved.
            lesson: self.lesson.as_ref().map(LessonRun::save).or_else(|| {
                self.lesson_fetch
                    .as_ref()
                    .and_then(LessonFetch::saved)
                    .cloned()
            }),
            progress: self.progress.clone(),
            journal: self.journal.clone(),
            course: self.course.clone(),
        }
    }

    /// The snapshot as the text kept in storage and in exported files.
    pub fn snapshot_text(&self) -> String {
        crate::snapshot::to_text(&self.snapshot())
    }

    /// Replaces the session with an exported one; a file that is not one is reported.
    pub(super) fn import(&mut self, text: &str) {
        match crate::snapshot::parse(text) {
            Ok(snapshot) => {
                let now = self.last_wall_ms;
                let host = self.host.clone();
                let (lease, generation) = (self.lease, self.generation);
                // The session it replaces is kept among the recent ones.
                let replaced = SetAside {
                    text: self.snapshot_text(),
                    meta: SavedMeta {
                        generation,
                        saved_at_ms: Some(now),
                        summary: self.summary(),
                    },
                    readable: true,
                };
                *self = Workbench::restore(snapshot, now, host, "from the imported file");
                // The same page goes on writing the same saved session, and the import is
                // saved (the restored workbench starts with nothing to save).
                (self.lease, self.generation) = (lease, generation);
                self.save.changed();
                if self.embed.is_none() && lease.writes() {
                    self.set_aside = Some(replaced);
                    self.tab_mut().push(
                        LineKind::Note,
                        "[playground] The session it replaced is kept: Sessions lists it, one click opens it again.",
                    );
                }
            }
            Err(why) => self.tab_mut().push(
                LineKind::Stderr,
                &format!("[playground] That file could not be imported: {why}. Your session is unchanged."),
            ),
        }
    }

    /// The journal as a share link carries it: what was typed, and the cluster's time now.
    pub fn share_journal(&self) -> Option<crate::share::Journal> {
        let mut journal = self.journal.clone()?;
        journal.until_ms = Some(self.playground.cluster.now_ms());
        Some(journal)
    }

    /// A share link for this session, or why there is none.
    pub(super) fn share(&mut self) {
        let message = match &self.share_journal() {
            None => Err("this session was restored from before share links existed; Export saves it as a file".to_string()),
            Some(j) => {
                let code = j.encode();
                if code.len() > crate::share::MAX_LINK_CHARS {
                    Err(format!("this session is too long for a link ({} characters); Export saves it as a file instead", code.len()))
                } else {
                    Ok(self.host.share_url(&code))
                }
            }
        };
        match message {
            Ok(url) => {
                self.host.copy(&url);
                let tab = self.tab_mut();
                tab.push(LineKind::Note, "[playground] Share link (copied to the clipboard where the browser allows): opening it replays this session on a fresh cluster.");
                tab.push(LineKind::Stdout, &url);
            }
            Err(why) => self.tab_mut().push(
                LineKind::Stderr,
                &format!("[playground] No share link: {why}."),
            ),
        }
    }

    /// The session's commands as a bash script for a real cluster.
    pub fn script(&self) -> Option<String> {
        self.journal.as_ref().map(crate::share::to_script)
    }
}
