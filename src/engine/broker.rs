//! A broker as the controller sees it: running or not, fenced or not, reachable or not.
//!
//! Fencing follows KRaft: a broker that stops heartbeating is fenced after
//! `broker.session.timeout.ms`; a controlled shutdown fences it at once. A broker restarted
//! after a crash registers again only once its old session has run out (KAFKA-19047), and the
//! controller then treats it as an unclean shutdown: it leaves every ISR and ELR.

use super::BrokerId;

/// `broker.session.timeout.ms`.
pub const BROKER_SESSION_TIMEOUT_MS: i64 = 9_000;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Broker {
    pub id: BrokerId,
    #[serde(default)]
    pub rack: Option<String>,
    /// The process is up.
    #[serde(default = "yes")]
    pub running: bool,
    /// The controller has fenced it: it leads nothing and is in no ISR.
    #[serde(default)]
    pub fenced: bool,
    /// Cut off from the other brokers and the controller (a network partition).
    #[serde(default)]
    pub isolated: bool,
    /// Its followers stop fetching (a slow disk or network), so they fall out of the ISR.
    #[serde(default)]
    pub slow: bool,
    /// When the controller last heard from it.
    #[serde(default)]
    pub last_heartbeat_ms: i64,
    /// It stopped without a clean shutdown (`kill`) and has not registered again since: no
    /// clean-shutdown marker vouches for its log.
    #[serde(default)]
    pub crashed: bool,
}

fn yes() -> bool {
    true
}

impl Broker {
    pub fn new(id: BrokerId, now_ms: i64) -> Self {
        Broker {
            id,
            rack: None,
            running: true,
            fenced: false,
            isolated: false,
            slow: false,
            last_heartbeat_ms: now_ms,
            crashed: false,
        }
    }

    /// Can serve clients as a leader right now (a restarted broker only once it registered).
    pub fn is_available(&self) -> bool {
        self.running && !self.fenced && !self.crashed
    }

    /// Alive as far as the controller knows (not fenced): may be elected leader. A crashed
    /// broker stays "alive" here until its session times out.
    pub fn is_registered_alive(&self) -> bool {
        !self.fenced
    }

    /// Heartbeats reach the controller.
    pub fn heartbeats(&self) -> bool {
        self.running && !self.isolated
    }

    /// The controller takes its heartbeats: they reach it, and a restart after a crash has
    /// been registered (until then the old session runs out first).
    pub fn heartbeats_accepted(&self) -> bool {
        self.heartbeats() && !self.crashed
    }

    /// A follower on this broker can fetch from a leader on `leader`.
    pub fn can_fetch_from(&self, leader: &Broker) -> bool {
        self.is_available()
            && !self.slow
            && !self.isolated
            && leader.is_available()
            && !leader.isolated
    }
}

/// The brokers as replication sees them: a small slice looked up by id (no allocation per
/// record on the produce path).
#[derive(Debug, Clone, Copy)]
pub struct Brokers<'a>(pub &'a [Broker]);

impl<'a> Brokers<'a> {
    pub fn get(&self, id: &BrokerId) -> Option<&'a Broker> {
        self.0.iter().find(|b| b.id == *id)
    }
}
