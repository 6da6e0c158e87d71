//! Brokers: starting, stopping, crashing, isolating them, and the controller fencing them.

use super::{Cluster, MAX_BROKERS};
use crate::engine::BrokerId;
use crate::engine::broker::{BROKER_SESSION_TIMEOUT_MS, Broker};
use crate::engine::events::EventKind;
use crate::engine::partition_change::{self, Change};
use crate::engine::replication;

impl Cluster {
    /// The controller unfences brokers whose heartbeats reach it and fences those it has not
    /// heard from for `broker.session.timeout.ms`. A broker restarted after a crash is not
    /// heard from until it has registered again.
    pub(super) fn update_fencing(&mut self, now: i64) {
        for b in &mut self.brokers {
            if b.heartbeats_accepted() {
                b.last_heartbeat_ms = now;
                b.fenced = false;
            }
        }
        let expired: Vec<BrokerId> = self
            .brokers
            .iter()
            .filter(|b| !b.fenced && now - b.last_heartbeat_ms >= BROKER_SESSION_TIMEOUT_MS)
            .map(|b| b.id)
            .collect();
        // The controller fences one stale broker at a time: the others are still unfenced
        // while it handles the first, and may take over its leaderships.
        for id in expired {
            self.fence(id);
        }
    }

    /// Fences a broker (session expired or controlled shutdown): it leaves every ISR, and the
    /// partitions it led get a new leader, or none (`handleBrokerFenced`).
    fn fence(&mut self, id: BrokerId) {
        if let Ok(b) = self.broker_mut(id) {
            b.fenced = true;
        }
        self.for_each_partition(|p, brokers, cfg| {
            if !p.isr.contains(&id) {
                return;
            }
            let target = p.isr.iter().copied().filter(|r| *r != id).collect();
            let acceptable = |r: BrokerId| r != id && replication::can_lead(brokers, r);
            partition_change::apply(p, cfg.change(target), &acceptable);
        });
        self.collect_truncations();
    }

    /// Brokers restarted after a crash register once their old session has run out (the
    /// controller refuses a second registration while the first is live, KAFKA-19047). No
    /// clean-shutdown marker vouches for their logs, so the controller takes them out of every
    /// ISR and ELR (`handleBrokerUncleanShutdown`); then their heartbeats unfence them.
    pub(super) fn register_restarted_brokers(&mut self, now: i64) {
        let ready: Vec<BrokerId> = self
            .brokers
            .iter()
            .filter(|b| b.crashed && b.heartbeats() && b.fenced)
            .map(|b| b.id)
            .collect();
        for id in ready {
            self.remove_uncleanly_shutdown(id);
            if let Ok(b) = self.broker_mut(id) {
                b.crashed = false;
                b.last_heartbeat_ms = now;
                b.fenced = false;
            }
        }
    }

    /// The partition changes for a broker that shut down uncleanly: it leaves the ISR (a new
    /// leader is elected if it led) and the ELR.
    fn remove_uncleanly_shutdown(&mut self, id: BrokerId) {
        self.for_each_partition(|p, brokers, cfg| {
            if !p.isr.contains(&id) && !p.elr.contains(&id) {
                return;
            }
            let target = p.isr.iter().copied().filter(|r| *r != id).collect();
            let change = Change {
                unclean_shutdown: Some(id),
                ..cfg.change(target)
            };
            let acceptable = |r: BrokerId| r != id && replication::can_lead(brokers, r);
            partition_change::apply(p, change, &acceptable);
        });
        self.collect_truncations();
    }

    pub fn brokers(&self) -> &[Broker] {
        &self.brokers
    }

    pub fn broker_ids(&self) -> Vec<BrokerId> {
        self.brokers.iter().map(|b| b.id).collect()
    }

    pub fn broker(&self, id: BrokerId) -> Option<&Broker> {
        self.brokers.iter().find(|b| b.id == id)
    }

    fn broker_mut(&mut self, id: BrokerId) -> Result<&mut Broker, String> {
        self.brokers
            .iter_mut()
            .find(|b| b.id == id)
            .ok_or_else(|| format!("There is no broker {id}."))
    }

    /// Controlled shutdown: the broker hands over leadership and leaves every ISR at once.
    pub fn stop_broker(&mut self, id: BrokerId) -> Result<(), String> {
        let b = self.broker_mut(id)?;
        if !b.running {
            return Err(format!("Broker {id} is not running."));
        }
        // The controller handles the controlled shutdown while the broker is still up: it is
        // fenced, leaves every ISR and hands its leaderships over. Without a controller the
        // broker gives up waiting and stops as if it had crashed.
        self.record_event(EventKind::BrokerStopped {
            broker: id,
            crashed: false,
        });
        if self.has_controller() {
            self.fence(id);
            let now = self.now_ms();
            self.replicate_all(now);
            self.collect_truncations();
            self.sync_metadata();
        }
        self.broker_mut(id)?.running = false;
        self.tick();
        Ok(())
    }

    /// A crash (`kill -9`): nothing is handed over; the controller notices only when the
    /// broker's session times out (9 s), and until then its partitions have a dead leader. No
    /// clean-shutdown marker is written, so its next registration counts as unclean.
    pub fn kill_broker(&mut self, id: BrokerId) -> Result<(), String> {
        let b = self.broker_mut(id)?;
        if !b.running {
            return Err(format!("Broker {id} is not running."));
        }
        b.running = false;
        b.crashed = true;
        self.record_event(EventKind::BrokerStopped {
            broker: id,
            crashed: true,
        });
        self.tick();
        Ok(())
    }

    /// Starts a stopped broker: it registers, the controller unfences it (once there is an
    /// active controller), and its replicas catch up and rejoin the ISR. After a crash it
    /// registers only once its old session has run out, as an unclean shutdown.
    pub fn start_broker(&mut self, id: BrokerId) -> Result<(), String> {
        let now = self.now_ms();
        let b = self.broker_mut(id)?;
        if b.running {
            return Err(format!("Broker {id} is already running."));
        }
        b.running = true;
        if !b.crashed {
            b.last_heartbeat_ms = now;
        }
        self.record_event(EventKind::BrokerStarted { broker: id });
        self.tick();
        self.elect_offline_partitions();
        Ok(())
    }

    /// Cuts the broker off from the others and the controller; `heal` reconnects it.
    pub fn isolate_broker(&mut self, id: BrokerId, isolated: bool) -> Result<(), String> {
        let now = self.now_ms();
        let b = self.broker_mut(id)?;
        b.isolated = isolated;
        if !isolated && b.running {
            // Its heartbeats reach the controller again, which unfences it.
            b.last_heartbeat_ms = now;
        }
        self.tick();
        if !isolated {
            self.elect_offline_partitions();
        }
        Ok(())
    }

    /// Makes the broker's followers stop (or resume) fetching.
    pub fn slow_broker(&mut self, id: BrokerId, slow: bool) -> Result<(), String> {
        self.broker_mut(id)?.slow = slow;
        self.tick();
        Ok(())
    }

    /// Adds a broker with the next node id (it hosts nothing until topics are created or
    /// partitions reassigned, as in Kafka).
    pub fn add_broker(&mut self) -> Result<BrokerId, String> {
        if self.brokers.len() as i32 >= MAX_BROKERS {
            return Err(format!(
                "The playground runs at most {MAX_BROKERS} brokers."
            ));
        }
        let id = self.brokers.iter().map(|b| b.id).max().unwrap_or(0) + 1;
        let now = self.now_ms();
        let mut broker = Broker::new(id, now);
        // It registers fenced; the controller unfences it once its heartbeats arrive.
        broker.fenced = !self.has_controller();
        self.brokers.push(broker);
        self.tick();
        Ok(id)
    }

    /// Removes (unregisters) a broker that hosts no replica.
    pub fn remove_broker(&mut self, id: BrokerId) -> Result<(), String> {
        self.broker_mut(id)?;
        if self.brokers.len() == 1 {
            return Err("The last broker cannot be removed.".into());
        }
        if !self.has_controller() {
            return Err(
                "There is no active controller to unregister it: start enough brokers for a majority of the controllers first."
                    .into(),
            );
        }
        let hosted = self
            .topics
            .values()
            .flat_map(|t| t.partitions.iter())
            .filter(|p| p.replicas.contains(&id))
            .count();
        if hosted > 0 {
            return Err(format!(
                "Broker {id} still hosts {hosted} replica(s); move them away first (kafka-reassign-partitions.sh)."
            ));
        }
        self.brokers.retain(|b| b.id != id);
        self.tick();
        Ok(())
    }

    /// Sets (or clears) a broker's `broker.rack`.
    pub fn set_rack(&mut self, id: BrokerId, rack: Option<String>) -> Result<(), String> {
        self.broker_mut(id)?.rack = rack;
        Ok(())
    }
}
