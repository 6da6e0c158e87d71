//! Small charts of the session's samples (`session::Metrics`): throughput per topic, lag per
//! group.

use yew::prelude::*;

pub use crate::session::Metrics;

/// A small line chart of `values`, scaled to its own maximum; `label` describes it for screen
/// readers and as a tooltip.
pub fn sparkline(values: &[f64], label: &str, class: &'static str) -> Html {
    if values.len() < 2 {
        return html! {};
    }
    let (w, h) = (90.0, 20.0);
    let max = values.iter().cloned().fold(0.0, f64::max).max(1.0);
    let step = w / (values.len() - 1) as f64;
    let points: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            format!(
                "{:.1},{:.1}",
                i as f64 * step,
                h - 1.0 - v / max * (h - 2.0)
            )
        })
        .collect();
    html! {
        <svg class={classes!("spark", class)} width="90" height="20" viewBox="0 0 90 20" role="img" aria-label={label.to_string()}>
            <title>{ label.to_string() }</title>
            <polyline points={points.join(" ")} fill="none" stroke="currentColor" stroke-width="1.5" />
        </svg>
    }
}
