//! Time: the cluster's clock follows the page's (at the chosen speed), running tools are polled
//! as it moves, and the charts take a sample once a second of page time.
//!
//! Invariant: what running tools do depends on the inputs and their simulated times only, not
//! on the steps the clock moved in. Tools are polled at the points of a fixed grid of simulated
//! time (100 ms of page time at the clock's speed) and right after each input, never at the
//! end of a page's tick: the page's ticks and a share replay's jumps between inputs then poll
//! at the same moments, and a replay reproduces what the page showed.

use super::Workbench;

/// The most simulated time one tick may move the clock.
const MAX_CATCH_UP_MS: f64 = 86_400_000.0;
/// Tools are polled every 100 ms of page time: this many simulated ms at speed 1.
pub const POLL_MS: i64 = 100;
/// The most polls one tick makes (a minute of page time); a longer tick (a page woken from
/// sleep) moves the clock in one leap, noted in the journal.
const MAX_TICK_POLLS: i64 = 600;

impl Workbench {
    /// Time passed: the pending save if due, the clock, the next slice of a paste, then what
    /// running tools print. Returns (whether anything was printed, whether to save now).
    pub(super) fn tick(&mut self, now_ms: f64) -> (bool, bool) {
        let playground = &self.playground;
        let verdict = self.save.tick(now_ms, || playground.json_size_hint());
        let noted = matches!(verdict, super::Verdict::TooLarge(_));
        let save = self.save_verdict(verdict);
        let wall = (now_ms - self.last_wall_ms).max(0.0);
        self.last_wall_ms = now_ms;
        // The clock runs at the chosen speed; a tab that slept in the background catches up
        // by at most a day per tick, so waking it never stalls the page.
        let delta = (wall * f64::from(self.playground.clock_speed)).min(MAX_CATCH_UP_MS) as i64;
        let now = self.playground.cluster.now_ms();
        let target = now.saturating_add(delta);
        if self.tools_running() && (target - now) / self.poll_step_ms() > MAX_TICK_POLLS {
            self.record(0, crate::share::Kind::Jump, &target.to_string());
            self.playground.cluster.advance_to(target);
        }
        let mut printed = noted | self.move_clock_to(target, &mut 0, usize::MAX);
        if self.playground.clock_speed == 0 && self.tools_running() {
            printed |= self.paused_poll();
        }
        if !self.pasted.1.is_empty() {
            self.enter_pasted();
            printed = true;
        }
        // A widget's setup goes on once what it started has finished.
        printed |= self.run_setups();
        (printed, save)
    }

    /// The poll grid's step: 100 ms of page time at the clock's speed (a paused clock moves
    /// only by commands; then the step is 100 ms).
    fn poll_step_ms(&self) -> i64 {
        POLL_MS.saturating_mul(i64::from(self.playground.clock_speed.max(1)))
    }

    /// Moves the clock to `to_ms`. While a tool runs, the clock stops at each grid point on
    /// the way and the tools catch up there; after `max_polls` polls (counted in `polls`) it
    /// goes straight on. Returns whether a tool printed.
    pub(super) fn move_clock_to(
        &mut self,
        to_ms: i64,
        polls: &mut usize,
        max_polls: usize,
    ) -> bool {
        // A link's times may lie past the clock's end (9999-12-31).
        let to_ms = to_ms.min(crate::engine::clock::MAX_MS);
        let mut printed = false;
        loop {
            let now = self.playground.cluster.now_ms();
            if now >= to_ms {
                return printed;
            }
            let step = self.poll_step_ms();
            let next = now.div_euclid(step).saturating_add(1).saturating_mul(step);
            if !self.tools_running() || *polls >= max_polls || next > to_ms {
                self.playground.cluster.advance_to(to_ms);
                return printed;
            }
            self.playground.cluster.advance_to(next);
            *polls += 1;
            printed |= self.poll_tabs();
        }
    }

    /// A tick while the clock is paused: the running tools work on at the same moment (noted
    /// in the journal, counted, so a replay polls as often).
    pub(super) fn paused_poll(&mut self) -> bool {
        let now = self.playground.cluster.now_ms();
        if let Some(j) = self.journal.as_mut() {
            j.record_poll(now);
        }
        self.poll_tabs()
    }

    /// After an input (a line, Ctrl+C, Ctrl+D, a closed tab, `undo`): running tools see its
    /// effect at once, at the same simulated moment, also when the clock is paused. A script
    /// (kplay) polls nothing: its tools finished before the next line.
    pub(super) fn after_input(&mut self) {
        if !self.is_script() && self.tools_running() {
            self.poll_tabs();
        }
    }

    /// Whether a tool runs in some tab (in the foreground or as a job).
    pub(super) fn tools_running(&self) -> bool {
        self.tabs.iter().any(|t| t.terminal.has_work())
    }

    /// Lets every tab's running tools catch up with the clock; returns whether any printed.
    pub(super) fn poll_tabs(&mut self) -> bool {
        let clock = self.wall_clock();
        let Workbench {
            playground,
            tabs,
            host,
            ..
        } = self;
        playground.wall_clock = clock;
        let mut printed = false;
        for tab in tabs.iter_mut() {
            let out = tab.terminal.poll(playground);
            printed |= !out.is_empty();
            tab.append(out, host.as_ref());
        }
        printed
    }

    /// Takes a chart sample once a second of page time; returns whether it did.
    pub(super) fn sample_metrics(&mut self, now_ms: f64) -> bool {
        if now_ms - self.last_sample_ms < 1000.0 {
            return false;
        }
        self.last_sample_ms = now_ms;
        self.metrics.sample(&self.playground.cluster);
        true
    }
}
