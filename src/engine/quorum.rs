//! The KRaft metadata quorum. Every node is a voter (combined mode). A majority of the live
//! voters elects a leader, the active controller; each election raises the epoch and writes a
//! leader-change record. Raft keeps a leader that still reaches a majority, so a node coming
//! back never takes over by itself. Without a majority there is no leader and no metadata can
//! be written.
//!
//! Metadata changes are records in the `__cluster_metadata` log. The cluster hands the quorum a
//! digest of its metadata image after each change; every entry that appeared, changed or went
//! away is one record (a topic, a partition's leader and ISR, a config, a broker's fencing).
//! Live voters replicate the log at once; a stopped or cut-off voter keeps the log end it had.

use crate::vec_map::VecMap;

use super::BrokerId;

/// A voter's replication state, as `DescribeQuorum` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct VoterState {
    pub log_end_offset: i64,
    pub last_fetch_ms: i64,
    pub last_caught_up_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Quorum {
    leader: Option<BrokerId>,
    epoch: i32,
    /// The leader's log end offset: the records written so far.
    log_end_offset: i64,
    /// Records replicated to a majority of the voters.
    high_watermark: i64,
    voters: VecMap<BrokerId, VoterState>,
    /// The metadata image as last written to the log: entry name → digest of its value.
    image: VecMap<String, u64>,
}

/// A quorum nothing is known of yet (a snapshot from before the quorum was modelled): the
/// first update elects a leader and writes the whole image.
impl Default for Quorum {
    fn default() -> Self {
        Quorum {
            leader: None,
            epoch: 0,
            log_end_offset: 0,
            high_watermark: 0,
            voters: VecMap::new(),
            image: VecMap::new(),
        }
    }
}

impl Quorum {
    /// A freshly formatted quorum: the lowest node won the first election (epoch 1) and wrote
    /// its leader-change record.
    pub fn new(voters: &[BrokerId], now: i64) -> Self {
        let state = VoterState {
            log_end_offset: 1,
            last_fetch_ms: now,
            last_caught_up_ms: now,
        };
        Quorum {
            leader: voters.iter().copied().min(),
            epoch: 1,
            log_end_offset: 1,
            high_watermark: 1,
            voters: VecMap::from_iter(voters.iter().map(|v| (*v, state))),
            image: VecMap::new(),
        }
    }

    pub fn leader(&self) -> Option<BrokerId> {
        self.leader
    }

    pub fn epoch(&self) -> i32 {
        self.epoch
    }

    pub fn high_watermark(&self) -> i64 {
        self.high_watermark
    }

    pub fn log_end_offset(&self) -> i64 {
        self.log_end_offset
    }

    /// Every voter with its replication state, by id.
    pub fn voters(&self) -> impl Iterator<Item = (BrokerId, &VoterState)> {
        self.voters.iter().map(|(id, s)| (*id, s))
    }

    /// Brings the quorum up to date with which nodes are registered (`all`) and which of them
    /// can take part (`alive`: running and reachable). Returns true when a new leader was
    /// elected (the brokers' heartbeat timers start again with the new controller).
    pub fn update(&mut self, all: &[BrokerId], alive: &[BrokerId], now: i64) -> bool {
        self.sync_membership(all, now);
        let majority = alive.len() * 2 > self.voters.len();
        let leader_ok = self.leader.is_some_and(|l| alive.contains(&l));
        let elected = match (majority, leader_ok) {
            (true, true) => false,
            (true, false) => self.elect(alive),
            (false, _) => {
                // A leader that no longer reaches a majority resigns; no one can win a vote.
                self.leader = None;
                false
            }
        };
        self.replicate(alive, now);
        elected
    }

    /// Voters come and go with the nodes (`playground broker add/remove`).
    fn sync_membership(&mut self, all: &[BrokerId], now: i64) {
        self.voters.retain(|id, _| all.contains(id));
        for id in all {
            self.voters.entry(*id).or_insert(VoterState {
                log_end_offset: 0,
                last_fetch_ms: now,
                last_caught_up_ms: now,
            });
        }
    }

    /// Raft: a voter grants its vote only to a candidate whose log is at least as long as its
    /// own, so the live voter with the longest log wins (the lowest id among equals, standing
    /// for the one whose election timer fires first). The new leader writes a leader-change
    /// record in its new epoch.
    fn elect(&mut self, alive: &[BrokerId]) -> bool {
        let best = alive
            .iter()
            .filter_map(|id| self.voters.get(id).map(|s| (*id, s.log_end_offset)))
            .max_by_key(|(id, leo)| (*leo, std::cmp::Reverse(*id)));
        let Some((id, leo)) = best else {
            return false;
        };
        self.leader = Some(id);
        self.epoch += 1;
        self.log_end_offset = leo + 1;
        true
    }

    /// Live voters fetch everything from the leader; the others keep what they had. The high
    /// watermark follows once a majority has the records (at once, with a leader).
    fn replicate(&mut self, alive: &[BrokerId], now: i64) {
        let Some(leader) = self.leader else {
            return;
        };
        for (id, state) in self.voters.iter_mut() {
            if *id == leader || alive.contains(id) {
                state.log_end_offset = self.log_end_offset;
                state.last_fetch_ms = now;
                state.last_caught_up_ms = now;
            }
        }
        self.high_watermark = self.log_end_offset;
    }

    /// Writes the records that turn the last written image into `image`: one per entry that
    /// appeared, changed or went away — except the partitions and configs of a removed topic,
    /// which its one removal record covers. Nothing is written without a leader.
    pub fn write_changes(&mut self, image: VecMap<String, u64>, alive: &[BrokerId], now: i64) {
        if self.leader.is_none() {
            return;
        }
        let records = changed_entries(&self.image, &image);
        if records == 0 {
            return;
        }
        self.image = image;
        self.log_end_offset += records;
        self.replicate(alive, now);
    }
}

/// The number of records between two images.
fn changed_entries(old: &VecMap<String, u64>, new: &VecMap<String, u64>) -> i64 {
    // Both are sorted by name: one walk side by side (a cluster of 10,000 partitions compares
    // its image on every tick).
    let mut added_or_changed = 0;
    let mut gone: Vec<&str> = Vec::new();
    let mut olds = old.iter().peekable();
    for (k, v) in new.iter() {
        while let Some((o, _)) = olds.next_if(|(o, _)| *o < k) {
            gone.push(o);
        }
        if olds.next_if(|(o, _)| *o == k).is_none_or(|(_, w)| w != v) {
            added_or_changed += 1;
        }
    }
    gone.extend(olds.map(|(o, _)| o.as_str()));
    let removed_topics: Vec<&str> = gone
        .iter()
        .filter_map(|k| k.strip_prefix("topic/"))
        .collect();
    let covered = |k: &str| {
        removed_topics.iter().any(|t| {
            [format!("partition/{t}/"), format!("config/{t}/")]
                .iter()
                .any(|prefix| k.starts_with(prefix.as_str()))
        })
    };
    let removed = gone.iter().filter(|k| !covered(k)).count();
    (added_or_changed + removed) as i64
}

/// A stable digest of an image entry's value (FNV-1a), so the image stays small.
pub fn digest(text: &str) -> u64 {
    let mut d = Digest::default();
    d.add(text.as_bytes());
    d.0
}

/// [`digest`] of formatted text, without building the text.
pub fn digest_fmt(args: std::fmt::Arguments<'_>) -> u64 {
    let mut d = Digest::default();
    let _ = std::fmt::Write::write_fmt(&mut d, args);
    d.0
}

struct Digest(u64);

impl Default for Digest {
    fn default() -> Self {
        Digest(0xcbf2_9ce4_8422_2325)
    }
}

impl Digest {
    fn add(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

impl std::fmt::Write for Digest {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.add(s.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_leader_keeps_its_place_and_the_epoch_rises_with_each_election() {
        let mut q = Quorum::new(&[1, 2, 3], 0);
        assert_eq!((q.leader(), q.epoch()), (Some(1), 1));
        assert!(q.update(&[1, 2, 3], &[2, 3], 10), "1 is gone: 2 takes over");
        assert_eq!((q.leader(), q.epoch()), (Some(2), 2));
        assert!(!q.update(&[1, 2, 3], &[1, 2, 3], 20), "1 is back: 2 stays");
        assert_eq!((q.leader(), q.epoch()), (Some(2), 2));
        q.update(&[1, 2, 3], &[3], 30);
        assert_eq!(q.leader(), None, "no majority, no leader");
        assert_eq!(q.epoch(), 2, "pre-vote: a lost vote raises no epoch");
        q.update(&[1, 2, 3], &[1, 3], 40);
        assert_eq!((q.leader(), q.epoch()), (Some(1), 3));
    }

    #[test]
    fn changes_are_records_and_a_stopped_voter_falls_behind() {
        let mut q = Quorum::new(&[1, 2, 3], 0);
        let image = |entries: &[(&str, &str)]| {
            VecMap::from_iter(entries.iter().map(|(k, v)| (k.to_string(), digest(v))))
        };
        let topic = image(&[
            ("topic/t", "id"),
            ("partition/t/0", "1"),
            ("partition/t/1", "2"),
        ]);
        q.write_changes(topic.clone(), &[1, 2, 3], 0);
        assert_eq!(q.high_watermark(), 4);
        q.update(&[1, 2, 3], &[1, 2], 5);
        let mut moved = topic.clone();
        moved.insert("partition/t/0".into(), digest("2"));
        q.write_changes(moved, &[1, 2], 5);
        assert_eq!(q.high_watermark(), 5);
        let lag: Vec<i64> = q.voters().map(|(_, s)| s.log_end_offset).collect();
        assert_eq!(lag, vec![5, 5, 4]);
        q.write_changes(VecMap::new(), &[1, 2], 6);
        assert_eq!(q.high_watermark(), 6, "one record removes the topic");
    }
}
