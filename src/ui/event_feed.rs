//! The event feed in the live view: what happened to the cluster, newest first, stamped with
//! the simulated time (`session::feed` builds the lines from the engine's event log).

use yew::prelude::*;

use super::state::use_workbench;
use crate::session::feed::feed;

/// Lines shown; the engine keeps more.
const SHOWN: usize = 40;

#[component]
pub fn EventFeed() -> Html {
    let workbench = use_workbench();
    let wb = workbench.workbench.borrow();
    let lines = feed(&wb.playground.cluster, SHOWN);
    html! {
        <details class="event-feed" open=true>
            <summary>
                <h2 class="section-title">{"Events"}<span class="count">{ lines.len() }</span></h2>
            </summary>
            if lines.is_empty() {
                <p class="empty">{"Nothing yet: retention, the log cleaner, leader and ISR changes, group members and brokers show here."}</p>
            } else {
                <ol class="events" tabindex="0" aria-label="Cluster events, newest first">
                    { for lines.iter().map(|l| html! {
                        <li class={classes!("event", format!("event-{}", l.topic))} data-at-ms={l.at_ms.to_string()}>
                            <time title="Simulated time (UTC)">{ l.time.clone() }</time>
                            <span class="event-text">{ l.text.clone() }</span>
                        </li>
                    }) }
                </ol>
            }
        </details>
    }
}
