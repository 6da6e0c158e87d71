//! The clock control: the cluster's simulated time, how fast it runs, and buttons that jump
//! ahead. Every button runs the `playground clock …`/`playground advance …` command a learner
//! could type, so the console's history shows what happened.

use gloo::timers::callback::Interval;
use yew::prelude::*;

use super::state::{Action, use_workbench};
use crate::engine::clock::format_log_timestamp;

/// Speeds offered as buttons: (label, command argument, description).
const SPEEDS: &[(&str, u32, &str)] = &[
    ("pause", 0, "Pause the cluster's clock"),
    ("1×", 1, "Real time"),
    ("60×", 60, "A minute per second"),
    ("3600×", 3600, "An hour per second"),
];

/// Jumps offered as buttons: (label, duration).
const JUMPS: &[(&str, &str)] = &[("+1h", "1h"), ("+1d", "1d"), ("+7d", "7d")];

#[component]
pub fn ClockView() -> Html {
    let workbench = use_workbench();
    // The clock moves on every tick without re-rendering the page; this widget redraws
    // itself twice a second to show it.
    let redraw = use_force_update();
    use_effect_with((), move |_| {
        let interval = Interval::new(500, move || redraw.force_update());
        move || drop(interval)
    });
    let run = {
        let workbench = workbench.clone();
        move |command: String| {
            let workbench = workbench.clone();
            Callback::from(move |_: MouseEvent| {
                workbench.dispatch(Action::Control(command.clone()))
            })
        }
    };
    let (now, speed) = {
        let wb = workbench.workbench.borrow();
        (wb.playground.cluster.now_ms(), wb.playground.clock_speed)
    };
    let stamp = format_log_timestamp(now);
    let shown = stamp.split(',').next().unwrap_or(&stamp).to_string();
    html! {
        <div class="clock" role="group" aria-label="Cluster clock">
            <span class="clock-time" title="The cluster's simulated time (UTC)" data-clock-ms={now.to_string()}
                aria-label={format!("Cluster time {shown} UTC")} role="timer">
                { shown }
            </span>
            <span class="clock-speeds">
                { for SPEEDS.iter().map(|(label, value, what)| {
                    let arg = if *value == 0 { "pause".to_string() } else { format!("{value}x") };
                    html! {
                        <button class={classes!("clock-btn", (speed == *value).then_some("on"))}
                            aria-pressed={(speed == *value).to_string()}
                            title={*what} aria-label={format!("Clock speed {label}: {what}")}
                            onclick={run(format!("playground clock speed {arg}"))}>{ *label }</button>
                    }
                }) }
            </span>
            <span class="clock-jumps">
                { for JUMPS.iter().map(|(label, d)| html! {
                    <button class="clock-btn jump" title={format!("Move the clock forward by {d}")}
                        aria-label={format!("{label}: move the clock forward by {d}")}
                        onclick={run(format!("playground advance {d}"))}>{ *label }</button>
                }) }
            </span>
        </div>
    }
}
