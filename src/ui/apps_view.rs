//! The live view's client applications: each running Kafka Connect worker with its connectors
//! and their tasks, and each Kafka Streams application with its topics and state store.

use yew::prelude::*;

use crate::clients::connect::Worker;
use crate::clients::streams::{INPUT_TOPIC, StreamsApp};
use crate::console::Playground;

pub fn apps(pg: &Playground) -> Html {
    if pg.connect.workers.is_empty() && pg.streams.is_empty() {
        return html! {};
    }
    html! {
        <>
            if !pg.connect.workers.is_empty() {
                <h2 class="section-title">{"Kafka Connect"}<span class="count">{ pg.connect.workers.len() }</span></h2>
                { for pg.connect.workers.iter().map(worker) }
            }
            if !pg.streams.is_empty() {
                <h2 class="section-title">{"Kafka Streams"}<span class="count">{ pg.streams.len() }</span></h2>
                { for pg.streams.iter().map(streams_app) }
            }
        </>
    }
}

fn worker(w: &Worker) -> Html {
    let mode = if w.distributed.is_some() {
        "distributed"
    } else {
        "standalone"
    };
    html! {
        <div class="group connect-worker" data-worker={w.worker_id()}>
            <div class="group-head">
                <span class="group-name">{ format!("worker {}", w.worker_id()) }</span>
                <span class="meta">{ format!("{mode} · {} connector{}", w.connectors.len(), if w.connectors.len() == 1 { "" } else { "s" }) }</span>
            </div>
            { for w.connectors.iter().map(|c| {
                let flow = match (&c.source, &c.sink) {
                    (Some(s), _) => format!("{} → {} (position {})", s.filename, s.topic, s.position),
                    (_, Some(s)) => format!("{} → {}", s.topics.join(","), s.path.rsplit('/').next().unwrap_or("")),
                    _ => String::new(),
                };
                let state = c.task_state.to_ascii_lowercase();
                html! {
                    <div class="member" data-connector={c.name.clone()}>
                        <span class="member-id">{ format!("{} ({}) · task 0", c.name, c.kind.name()) }</span>
                        {" "}<span class={format!("badge state-{state}")}>{ c.task_state.clone() }</span>
                        {" "}<span class="meta">{ flow }</span>
                    </div>
                }
            }) }
        </div>
    }
}

fn streams_app(app: &StreamsApp) -> Html {
    let internal: Vec<String> = app
        .demo
        .internal_topics()
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    html! {
        <div class="group streams-app" data-application={app.group()}>
            <div class="group-head">
                <span class="group-name">{ app.group() }</span>
                <span class="meta">{ format!("{INPUT_TOPIC} → {}", app.demo.output_topic()) }</span>
            </div>
            { for internal.iter().map(|t| html! {
                <div class="member"><span class="meta">{ t.clone() }</span></div>
            }) }
            if !app.store.is_empty() {
                <div class="member">
                    <span class="meta">{ format!("state store: {} key{}", app.store.len(), if app.store.len() == 1 { "" } else { "s" }) }</span>
                </div>
            }
        </div>
    }
}
