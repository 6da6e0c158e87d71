//! The live view's client applications: each running Kafka Connect worker with its connectors
//! and their tasks, and each Kafka Streams application with its topics and state store. Plain
//! lines of text: markup costs the page's first load code for every element.

use yew::prelude::*;

use crate::clients::streams::INPUT_TOPIC;
use crate::console::Playground;

pub fn apps(pg: &Playground) -> Html {
    let mut cards: Vec<(String, Vec<String>)> = Vec::new();
    for w in &pg.connect.workers {
        let mode = if w.distributed.is_some() {
            "distributed"
        } else {
            "standalone"
        };
        let lines = w
            .connectors
            .iter()
            .map(|c| {
                let flow = match (&c.source, &c.sink) {
                    (Some(s), _) => {
                        format!("{} → {} (position {})", s.filename, s.topic, s.position)
                    }
                    (_, Some(s)) => format!(
                        "{} → {}",
                        s.topics.join(","),
                        s.path.rsplit('/').next().unwrap_or("")
                    ),
                    _ => String::new(),
                };
                format!(
                    "{} ({}) · task 0 {} · {flow}",
                    c.name,
                    c.kind.name(),
                    c.task_state
                )
            })
            .collect();
        cards.push((format!("Connect worker {} · {mode}", w.worker_id()), lines));
    }
    for app in pg.streams.iter() {
        let mut lines: Vec<String> = app
            .demo
            .internal_topics()
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        lines.push(format!("state store: {} key(s)", app.store.len()));
        cards.push((
            format!(
                "Streams app {} · {INPUT_TOPIC} → {}",
                app.group(),
                app.demo.output_topic()
            ),
            lines,
        ));
    }
    if cards.is_empty() {
        return html! {};
    }
    html! {
        <>
            <h2 class="section-title">{"Connect and Streams"}<span class="count">{ cards.len() }</span></h2>
            { for cards.into_iter().map(|(head, lines)| html! {
                <div class="group client-app">
                    <div class="group-head"><span class="group-name">{ head }</span></div>
                    { for lines.into_iter().map(|l| html! { <div class="member meta">{ l }</div> }) }
                </div>
            }) }
        </>
    }
}
