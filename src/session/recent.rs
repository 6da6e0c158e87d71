//! The recent sessions a browser keeps beside the current one: a session a share link opened
//! in place of, one the user left for another recent one, or a saved session that could not
//! be read (kept to export as a file). The index lists them newest first; each snapshot is
//! kept under its own key ([`key`]). The newest [`MAX_RECENT`] are kept.

use super::SavedMeta;

/// How many recent sessions are kept.
pub const MAX_RECENT: usize = 8;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Recent {
    pub id: u64,
    /// The session's last save (its wall-clock time and summary).
    pub meta: SavedMeta,
    /// When it was set aside (page wall-clock ms).
    pub set_aside_ms: f64,
    /// `false`: its text could not be read as a session; it can be exported, not opened.
    pub readable: bool,
}

/// The index of recent sessions (`recent` in the browser's store).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Recents {
    next_id: u64,
    /// Newest first.
    pub sessions: Vec<Recent>,
}

/// Where a recent session's snapshot is kept.
pub fn key(id: u64) -> String {
    format!("recent/{id}")
}

impl Recents {
    /// Reads the index; an unreadable one is an empty list (its snapshots stay unlisted).
    pub fn parse(text: &str) -> Recents {
        serde_json::from_str(text).unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Lists a session set aside now; returns its id and the ids no longer kept (their
    /// snapshots are to be deleted).
    pub fn add(&mut self, meta: SavedMeta, readable: bool, now_ms: f64) -> (u64, Vec<u64>) {
        let id = self.next_id;
        self.next_id += 1;
        self.sessions.insert(
            0,
            Recent {
                id,
                meta,
                set_aside_ms: now_ms,
                readable,
            },
        );
        let evicted = self
            .sessions
            .split_off(self.sessions.len().min(MAX_RECENT))
            .into_iter()
            .map(|r| r.id)
            .collect();
        (id, evicted)
    }

    /// Takes a session off the list (it is being opened).
    pub fn take(&mut self, id: u64) -> Option<Recent> {
        let at = self.sessions.iter().position(|r| r.id == id)?;
        Some(self.sessions.remove(at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(summary: &str) -> SavedMeta {
        SavedMeta {
            summary: summary.into(),
            ..SavedMeta::default()
        }
    }

    #[test]
    fn the_newest_are_listed_first_and_the_oldest_beyond_the_limit_are_dropped() {
        let mut recents = Recents::default();
        let mut dropped = Vec::new();
        for n in 0..MAX_RECENT + 2 {
            let (id, evicted) = recents.add(meta(&format!("s{n}")), true, n as f64);
            assert_eq!(id, n as u64, "ids are never reused");
            dropped.extend(evicted);
        }
        assert_eq!(recents.sessions.len(), MAX_RECENT);
        assert_eq!(
            recents.sessions[0].meta.summary,
            format!("s{}", MAX_RECENT + 1)
        );
        assert_eq!(dropped, [0, 1]);
    }

    #[test]
    fn a_session_taken_off_the_list_is_gone_and_the_index_reads_back() {
        let mut recents = Recents::default();
        recents.add(meta("kept"), true, 1.0);
        let (damaged, _) = recents.add(meta(""), false, 2.0);
        let again = Recents::parse(&recents.to_json());
        assert_eq!(again, recents);
        assert!(recents.take(damaged).is_some_and(|r| !r.readable));
        assert!(recents.take(damaged).is_none());
        assert_eq!(recents.sessions.len(), 1);
        assert_eq!(Recents::parse("not json"), Recents::default());
    }
}
