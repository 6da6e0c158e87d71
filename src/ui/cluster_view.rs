//! The live picture: brokers, topics drawn as partitions of offset cells, consumer groups.
//! Drawn from the engine after every change, in the same frame as the command's output.

use yew::prelude::*;

use super::state::use_workbench;
use crate::engine::{Cluster, Partition, Record, Topic};

/// How many of a partition's newest records are drawn.
const CELLS: usize = 8;

#[component]
pub fn ClusterView() -> Html {
    let workbench = use_workbench();
    let wb = workbench.workbench.borrow();
    let cluster = &wb.playground.cluster;
    let (internal, user): (Vec<&Topic>, Vec<&Topic>) =
        cluster.topics().partition(|t| t.is_internal());
    html! {
        <aside class="cluster" aria-label="Cluster view">
            <h2 class="section-title">{"Brokers"}</h2>
            { brokers(cluster) }
            <h2 class="section-title">{"Topics"}<span class="count">{ user.len() }</span></h2>
            if user.is_empty() {
                <p class="empty">{"No topics yet. Create one with "}<code>{"kafka-topics.sh --create"}</code>{"."}</p>
            }
            { for user.iter().map(|t| topic_card(cluster, t)) }
            { groups(cluster) }
            if !internal.is_empty() {
                <details class="internal">
                    <summary>{ format!("Internal topics ({})", internal.len()) }</summary>
                    { for internal.iter().map(|t| html! {
                        <div class="internal-topic">
                            <span class="topic-name">{ t.name.clone() }</span>
                            <span class="meta">{ format!("{} partitions · RF {}", t.partitions.len(), t.replication_factor()) }</span>
                        </div>
                    }) }
                </details>
            }
        </aside>
    }
}

fn brokers(cluster: &Cluster) -> Html {
    html! {
        <div class="brokers">
            { for cluster.brokers().iter().map(|b| {
                let (state, class) = match (b.running, b.fenced, b.isolated) {
                    (true, false, false) => ("running", "broker up"),
                    (true, _, true) => ("isolated", "broker warn"),
                    (false, false, _) => ("crashed", "broker down"),
                    (_, true, _) => ("stopped", "broker down"),
                };
                let leads_in = |internal: bool| cluster
                    .topics()
                    .filter(|t| t.is_internal() == internal)
                    .flat_map(|t| t.partitions.iter())
                    .filter(|p| p.leader == Some(b.id))
                    .count();
                let (leads, internal) = (leads_in(false), leads_in(true));
                html! {
                    <div class={class} title={format!("Broker {}: {state}; leader of {leads} partition(s) and {internal} internal one(s)", b.id)}>
                        <span class="broker-id">{ format!("Broker {}", b.id) }</span>
                        <span class="broker-state">{ state }</span>
                        <span class="broker-leads">{ format!("leads {leads}") }</span>
                    </div>
                }
            }) }
        </div>
    }
}

fn topic_card(cluster: &Cluster, topic: &Topic) -> Html {
    let records: usize = topic.partitions.iter().map(|p| p.log.len()).sum();
    html! {
        <article class="topic" data-topic={topic.name.clone()}>
            <header class="topic-head">
                <span class="topic-name">{ topic.name.clone() }</span>
                <span class="meta">{ format!("{} partition{} · RF {} · {records} record{}",
                    topic.partitions.len(), if topic.partitions.len() == 1 { "" } else { "s" },
                    topic.replication_factor(), if records == 1 { "" } else { "s" }) }</span>
            </header>
            { for topic.partitions.iter().map(|p| partition_row(cluster, &topic.name, p)) }
        </article>
    }
}

fn short(bytes: &Option<Vec<u8>>, null: &str) -> String {
    match bytes {
        None => null.to_string(),
        Some(b) => {
            let s = String::from_utf8_lossy(b);
            if s.chars().count() > 14 {
                format!("{}…", s.chars().take(13).collect::<String>())
            } else {
                s.into_owned()
            }
        }
    }
}

fn cell(r: &Record, hw: i64) -> Html {
    let committed = r.offset < hw;
    let class = if committed {
        "cell"
    } else {
        "cell uncommitted"
    };
    let key = r.key.as_ref().map(|_| short(&r.key, ""));
    let title = format!(
        "offset {} · key {} · value {}",
        r.offset,
        short(&r.key, "null"),
        short(&r.value, "null (tombstone)")
    );
    html! {
        <div class={class} title={title} data-offset={r.offset.to_string()}>
            <span class="cell-offset">{ r.offset }</span>
            if let Some(k) = key { <span class="cell-key">{ k }</span> }
            <span class="cell-value">{ short(&r.value, "∅") }</span>
        </div>
    }
}

fn partition_row(cluster: &Cluster, topic: &str, p: &Partition) -> Html {
    let leader = p.leader.map_or("none".to_string(), |l| l.to_string());
    let replicas: Vec<String> = p
        .replicas
        .iter()
        .map(|r| {
            let mark = if Some(*r) == p.leader {
                "★"
            } else if p.isr.contains(r) {
                ""
            } else {
                "✗"
            };
            format!("{r}{mark}")
        })
        .collect();
    let tail = p.log.tail(CELLS);
    let hidden = p.log.len().saturating_sub(tail.len());
    let under = p.isr.len() < p.replicas.len();
    let _ = cluster;
    html! {
        <div class="partition" data-partition={format!("{topic}-{}", p.index)}>
            <div class="partition-head">
                <span class="pname">{ format!("P{}", p.index) }</span>
                <span class={if p.leader.is_some() { "leader" } else { "leader none" }}>{ format!("leader {leader}") }</span>
                <span class="replicas">{ format!("replicas {}", replicas.join(" ")) }</span>
                if under { <span class="badge warn">{"under-replicated"}</span> }
                <span class="offsets">{ format!("start {} · end {} · hw {}", p.log_start_offset(), p.log_end_offset(), p.high_watermark()) }</span>
            </div>
            <div class="log" aria-label={format!("Log of partition {}", p.index)}>
                if hidden > 0 { <div class="cell more">{ format!("… {hidden}") }</div> }
                if tail.is_empty() { <div class="cell empty-log">{"empty"}</div> }
                { for tail.iter().map(|r| cell(r, p.high_watermark())) }
                <div class="cell next" title="the next record's offset (log end)">{ p.log_end_offset() }</div>
            </div>
        </div>
    }
}

fn groups(cluster: &Cluster) -> Html {
    let ids = cluster.group_ids();
    if ids.is_empty() {
        return html! {};
    }
    html! {
        <>
            <h2 class="section-title">{"Consumer groups"}<span class="count">{ ids.len() }</span></h2>
            { for ids.iter().map(|id| {
                let group = cluster.group(id);
                let state = group.map_or("Empty", |g| g.state.name());
                let members = group.map_or(0, |g| g.members.len());
                let offsets: Vec<String> = cluster
                    .offset_store()
                    .offsets(id)
                    .map(|(tp, o)| {
                        let end = cluster.offsets_of(tp).map_or(o.offset, |(_, e)| e);
                        format!("{tp}: {} (lag {})", o.offset, end - o.offset)
                    })
                    .collect();
                html! {
                    <div class="group" data-group={id.clone()}>
                        <div class="group-head">
                            <span class="group-name">{ id.clone() }</span>
                            <span class={format!("badge state-{}", state.to_lowercase())}>{ state }</span>
                            <span class="meta">{ format!("{members} member{}", if members == 1 { "" } else { "s" }) }</span>
                        </div>
                        if let Some(g) = group {
                            { for g.members.values().map(|m| {
                                let parts: Vec<String> = m.assignment.iter().map(|tp| tp.to_string()).collect();
                                html! { <div class="member">{ format!("{} → {}", short_member(&m.member_id), if parts.is_empty() { "-".to_string() } else { parts.join(", ") }) }</div> }
                            }) }
                        }
                        if !offsets.is_empty() {
                            <div class="committed">{ format!("committed: {}", offsets.join(" · ")) }</div>
                        }
                    </div>
                }
            }) }
        </>
    }
}

fn short_member(id: &str) -> String {
    if id.len() > 26 {
        format!("{}…", &id[..26])
    } else {
        id.to_string()
    }
}
