//! Time: the cluster's clock follows the page's (at the chosen speed), running tools are polled
//! after it moves, and the charts take a sample once a second of page time.

use super::Workbench;

/// The most simulated time one tick may move the clock.
const MAX_CATCH_UP_MS: f64 = 86_400_000.0;

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
        self.playground.cluster.advance(delta);
        let mut printed = noted;
        if !self.pasted.1.is_empty() {
            self.enter_pasted();
            printed = true;
        }
        printed |= self.poll_tabs();
        // A widget's setup goes on once what it started has finished.
        printed |= self.run_setups();
        (printed, save)
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
