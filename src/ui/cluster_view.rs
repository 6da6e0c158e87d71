//! The live picture: brokers, topics drawn as partitions of offset cells, consumer groups.
//! Drawn from the engine after every change, in the same frame as the command's output.

use yew::prelude::*;

use super::event_feed::EventFeed;
use super::log_view::LogView;
use super::state::{Action, use_workbench};
use crate::engine::{Cluster, Partition, RecordRef, Topic};

/// How many of a partition's newest records are drawn.
const CELLS: usize = 8;

#[component]
pub fn ClusterView() -> Html {
    let workbench = use_workbench();
    // Buttons run the same console command a learner could type, so it shows in the history.
    let run = {
        let workbench = workbench.clone();
        Callback::from(move |command: String| workbench.dispatch(Action::Control(command)))
    };
    // The partition whose whole log is open, if any.
    let viewing = use_state(|| None::<crate::engine::TopicPartition>);
    let open = {
        let viewing = viewing.clone();
        Callback::from(move |tp| viewing.set(Some(tp)))
    };
    let close = {
        let viewing = viewing.clone();
        Callback::from(move |()| viewing.set(None))
    };
    let wb = workbench.workbench.borrow();
    let cluster = &wb.playground.cluster;
    let (internal, user): (Vec<&Topic>, Vec<&Topic>) =
        cluster.topics().partition(|t| t.is_internal());
    html! {
        <@{panel_tag(wb.embed.is_some())} class="cluster" aria-label="Cluster view" role={wb.embed.is_some().then_some("group")}>
            if let Some(tp) = (*viewing).clone() {
                <LogView {tp} on_close={close} />
            }
            <h2 class="section-title">{"Brokers"}</h2>
            { brokers(cluster, &run, wb.read_only()) }
            <h2 class="section-title">{"Topics"}<span class="count">{ user.len() }</span></h2>
            if user.is_empty() {
                <p class="empty">{"No topics yet. Create one with "}<code>{"kafka-topics.sh --create"}</code>{"."}</p>
            }
            { for user.iter().map(|t| topic_card(cluster, t, &open, &wb.metrics)) }
            { groups(cluster, &wb.metrics) }
            { super::share_groups_view::share_groups(cluster) }
            { super::apps_view::apps(&wb.playground) }
            <EventFeed />
            if !internal.is_empty() {
                <details class="internal">
                    <summary>{ format!("Internal topics ({})", internal.len()) }</summary>
                    { for internal.iter().map(|t| html! {
                        <div class="internal-topic">
                            <span class="topic-name">{ t.name().to_string() }</span>
                            <span class="meta">{ format!("{} partitions · RF {}", t.partitions().len(), t.replication_factor()) }</span>
                        </div>
                    }) }
                </details>
            }
        </@>
    }
}

/// A complementary landmark on the page; in a widget, a plain group (a docs page holds several
/// widgets: their panels would be landmarks of the same name).
pub(super) fn panel_tag(embedded: bool) -> &'static str {
    if embedded { "div" } else { "aside" }
}

fn brokers(cluster: &Cluster, run: &Callback<String>, read_only: bool) -> Html {
    let controller = cluster.active_controller();
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
                    .flat_map(|t| t.partitions().iter())
                    .filter(|p| p.leader() == Some(b.id))
                    .count();
                let (leads, internal) = (leads_in(false), leads_in(true));
                let (verb, label) = if b.running { ("stop", "Stop") } else { ("start", "Start") };
                let onclick = {
                    let run = run.clone();
                    let command = format!("playground broker {verb} {}", b.id);
                    Callback::from(move |_: MouseEvent| run.emit(command.clone()))
                };
                html! {
                    <div class={class} data-broker={b.id.to_string()} title={format!("Broker {}: {state}; leader of {leads} partition(s) and {internal} internal one(s)", b.id)}>
                        <span class="broker-id">{ format!("Broker {}", b.id) }</span>
                        // Beside the state, not the name: the name's line holds the Stop button.
                        <span class="broker-state">
                            { state }
                            if controller == Some(b.id) { <span class="badge controller" title="active KRaft controller">{"controller"}</span> }
                        </span>
                        <span class="broker-leads">{ format!("leads {leads}") }</span>
                        <button class="broker-action" {onclick} disabled={read_only} aria-label={format!("{label} broker {}", b.id)}>{ label }</button>
                    </div>
                }
            }) }
        </div>
    }
}

fn topic_card(
    cluster: &Cluster,
    topic: &Topic,
    open: &Callback<crate::engine::TopicPartition>,
    metrics: &super::metrics::Metrics,
) -> Html {
    let rates = metrics.throughput(topic.name());
    let rate = rates.last().copied().unwrap_or(0.0);
    let records: usize = topic.partitions().iter().map(|p| p.log().len()).sum();
    html! {
        <article class="topic" data-topic={topic.name().to_string()}>
            <header class="topic-head">
                <span class="topic-name">{ topic.name().to_string() }</span>
                { super::metrics::sparkline(&rates, &format!("{}: records per second over the last minute, now {rate:.0}/s", topic.name()), "rate") }
                <span class="meta">{ format!("{} partition{} · RF {} · {records} record{}",
                    topic.partitions().len(), if topic.partitions().len() == 1 { "" } else { "s" },
                    topic.replication_factor(), if records == 1 { "" } else { "s" }) }</span>
            </header>
            if !topic.configs().is_empty() {
                <div class="topic-overrides" aria-label="Topic config overrides">
                    { for topic.configs().iter().map(|(k, v)| html! {
                        <span class="config-chip" title="set on this topic (DYNAMIC_TOPIC_CONFIG)">{ format!("{k}={v}") }</span>
                    }) }
                </div>
            }
            { for topic.partitions().iter().map(|p| partition_row(cluster, topic.name(), p, open)) }
            { topic_configs(cluster, topic) }
        </article>
    }
}

/// The configs that decide what a learner sees happen to a topic: retention, compaction,
/// segments, durability. Shown with where each value comes from, as `kafka-configs.sh
/// --describe --all` would say.
const SHOWN_CONFIGS: &[&str] = &[
    "cleanup.policy",
    "retention.ms",
    "retention.bytes",
    "segment.bytes",
    "segment.ms",
    "min.insync.replicas",
    "unclean.leader.election.enable",
    "min.cleanable.dirty.ratio",
    "min.compaction.lag.ms",
    "max.compaction.lag.ms",
    "delete.retention.ms",
    "max.message.bytes",
    "message.timestamp.type",
];

fn topic_configs(cluster: &Cluster, topic: &Topic) -> Html {
    let rows: Vec<(&str, String, &'static str)> = SHOWN_CONFIGS
        .iter()
        .filter_map(|name| {
            let sources = cluster.topic_config_sources(topic, name);
            let (source, _, value) = sources.into_iter().next()?;
            let from = match source {
                "DYNAMIC_TOPIC_CONFIG" => "topic",
                "DYNAMIC_DEFAULT_BROKER_CONFIG" => "broker default",
                "STATIC_BROKER_CONFIG" => "server.properties",
                _ => "default",
            };
            Some((*name, value, from))
        })
        .collect();
    html! {
        <details class="topic-configs">
            <summary>{ format!("Configs ({} set on this topic)", topic.configs().len()) }</summary>
            <table class="config-table">
                <thead><tr><th scope="col">{"config"}</th><th scope="col">{"value"}</th><th scope="col">{"from"}</th></tr></thead>
                <tbody>
                    { for rows.iter().map(|(name, value, from)| html! {
                        <tr class={classes!((*from == "topic").then_some("override"))}>
                            <td>{ *name }</td><td>{ value.clone() }</td><td class="meta">{ *from }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <p class="config-hint">{ format!("Change one: kafka-configs.sh --bootstrap-server localhost:9092 --alter --entity-type topics --entity-name {} --add-config retention.ms=60000", topic.name()) }</p>
        </details>
    }
}

fn short(bytes: Option<&[u8]>, null: &str) -> String {
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

/// Groups whose committed offset (the next record they will read) is `offset`.
fn readers_at(marks: &[(String, i64)], offset: i64) -> Vec<String> {
    marks
        .iter()
        .filter(|(_, o)| *o == offset)
        .map(|(g, _)| g.clone())
        .collect()
}

fn cell(
    r: RecordRef<'_>,
    p: &Partition,
    marks: &[(String, i64)],
    segment_file: Option<String>,
    gap_before: bool,
) -> Html {
    let segment_start = segment_file.is_some();
    let committed = r.offset < p.high_watermark();
    let readers = readers_at(marks, r.offset);
    let (txn, batch) = super::log_view::txn_mark(p, r.offset);
    let class = classes!(
        "cell",
        (!committed).then_some("uncommitted"),
        txn.class(),
        (!readers.is_empty()).then_some("group-mark"),
        segment_start.then_some("seg-start"),
        gap_before.then_some("gap-before")
    );
    let control = match txn {
        super::log_view::TxnMark::Control(kind) => Some(kind),
        _ => None,
    };
    let key = r
        .key
        .filter(|_| control.is_none())
        .map(|_| short(r.key, ""));
    let value = control.map_or_else(|| short(r.value, "∅"), str::to_string);
    let mut title = match control {
        Some(kind) => format!("offset {} · {kind} marker", r.offset),
        None => format!(
            "offset {} · key {} · value {}",
            r.offset,
            short(r.key, "null"),
            short(r.value, "null (tombstone)")
        ),
    };
    if let Some(batch) = batch {
        title.push_str(&format!(" · {batch}"));
    }
    if let Some(file) = segment_file {
        // The file kafka-dump-log.sh --files reads for this segment.
        title.push_str(&format!(" · first record of segment {file}"));
    }
    html! {
        <div class={class} title={title} data-offset={r.offset.to_string()}>
            <span class="cell-offset">{ r.offset }</span>
            if let Some(k) = key { <span class="cell-key">{ k }</span> }
            <span class="cell-value">{ value }</span>
            if !readers.is_empty() {
                <span class="cell-group" title="committed offset of these groups: the next record they read">{ format!("▲ {}", readers.join(", ")) }</span>
            }
        </div>
    }
}

fn partition_row(
    cluster: &Cluster,
    topic: &str,
    p: &Partition,
    open: &Callback<crate::engine::TopicPartition>,
) -> Html {
    let leader = p.leader().map_or("none".to_string(), |l| l.to_string());
    let replicas: Vec<String> = p
        .replicas()
        .iter()
        .map(|r| {
            let mark = if Some(*r) == p.leader() {
                "★"
            } else if p.isr().contains(r) {
                ""
            } else {
                "✗"
            };
            format!("{r}{mark}")
        })
        .collect();
    let tail = p.log().tail(CELLS);
    let hidden = p.log().len().saturating_sub(tail.len());
    let under = p.is_under_replicated();
    let tp = crate::engine::TopicPartition::new(topic, p.index());
    let marks: Vec<(String, i64)> = cluster
        .group_ids()
        .into_iter()
        .filter_map(|g| cluster.committed_offset(&g, &tp).map(|o| (g, o)))
        .collect();
    let at_end = readers_at(&marks, p.log_end_offset());
    let bases: Vec<i64> = p.log().segments().iter().map(|s| s.base_offset).collect();
    let segments = bases.len().max(1);
    html! {
        <div class="partition" data-partition={format!("{topic}-{}", p.index())}>
            <div class="partition-head">
                <button class="pname" onclick={open.reform({ let tp = tp.clone(); move |_: MouseEvent| tp.clone() })}
                    title="Open the whole log (scroll, seek to an offset or a time)"
                    aria-label={format!("P{}: open the log of {tp}", p.index())}>
                    { format!("P{}", p.index()) }<span aria-hidden="true">{" ⤢"}</span></button>
                <span class={if p.leader().is_some() { "leader" } else { "leader none" }}>{ format!("leader {leader}") }</span>
                <span class="replicas">{ format!("replicas {}", replicas.join(" ")) }</span>
                if under { <span class="badge warn">{"under-replicated"}</span> }
                <span class="offsets" title="log start, log end, high watermark; segments">{ format!("start {} · end {} · hw {} · {segments} seg", p.log_start_offset(), p.log_end_offset(), p.high_watermark()) }</span>
                if p.last_stable_offset() != p.high_watermark() {
                    <span class="badge lso" title="last stable offset: an open transaction holds read_committed consumers here">{ format!("lso {}", p.last_stable_offset()) }</span>
                }
            </div>
            <div class="log" aria-label={format!("Log of partition {}", p.index())}>
                if hidden > 0 { <div class="cell more">{ format!("… {hidden}") }</div> }
                if tail.is_empty() { <div class="cell empty-log">{"empty"}</div> }
                { for tail.iter().enumerate().map(|(i, r)| {
                    let seg_file = bases.contains(&r.offset).then(|| {
                        format!("/tmp/kraft-combined-logs/{topic}-{}/{:020}.log", p.index(), r.offset)
                    });
                    // Offsets removed by compaction leave a gap before this record.
                    let gap = i > 0 && tail.get(i - 1).is_some_and(|q| q.offset + 1 != r.offset);
                    cell(r, p, &marks, seg_file, gap)
                }) }
                <div class={classes!("cell", "next", (!at_end.is_empty()).then_some("group-mark"))} title="the next record's offset (log end)">
                    <span>{ p.log_end_offset() }</span>
                    if !at_end.is_empty() { <span class="cell-group">{ format!("▲ {}", at_end.join(", ")) }</span> }
                </div>
            </div>
        </div>
    }
}

fn groups(cluster: &Cluster, metrics: &super::metrics::Metrics) -> Html {
    let ids = cluster.group_ids();
    if ids.is_empty() {
        return html! {};
    }
    html! {
        <>
            <h2 class="section-title">{"Consumer groups"}<span class="count">{ ids.len() }</span></h2>
            { for ids.iter().map(|id| {
                let group = cluster.group(id);
                let state = group.map_or("Empty", |g| g.state().name());
                let members = group.map_or(0, |g| g.members().len());
                let lags = cluster.group_lag(id);
                let total: i64 = lags.iter().filter_map(|l| l.lag()).sum();
                let history = group.map(|g| g.history().to_vec()).unwrap_or_default();
                html! {
                    <div class="group" data-group={id.clone()}>
                        <div class="group-head">
                            <span class="group-name">{ crate::session::visible::visible(id).into_owned() }</span>
                            <span class={format!("badge state-{}", state.to_ascii_lowercase())}>{ state }</span>
                            <span class="meta">{ format!("{members} member{}", if members == 1 { "" } else { "s" }) }</span>
                            // KIP-848 groups: the protocol, the group epoch and the server-side assignor.
                            if let Some((g, c)) = group.and_then(|g| g.consumer().map(|c| (g, c))) {
                                <span class="meta protocol">{ format!("consumer protocol · epoch {} · {}", g.generation_id(), c.assignor().name()) }</span>
                            }
                            if !lags.is_empty() {
                                { super::metrics::sparkline(&metrics.lag(id), &format!("lag of {id} over the last minute, now {total}"), "lag-chart") }
                                <span class={if total > 0 { "lag lagging" } else { "lag" }} data-lag={total.to_string()}>{ format!("lag {total}") }</span>
                            }
                        </div>
                        if let Some(g) = group {
                            { for g.members().values().map(|m| {
                                let parts: Vec<String> = if g.state() == crate::engine::group::GroupState::Stable || g.consumer().is_some() {
                                    m.assignment.iter().map(|tp| tp.to_string()).collect()
                                } else {
                                    vec![]
                                };
                                let list = |parts: &[String]| if parts.is_empty() { "-".to_string() } else { parts.join(", ") };
                                // A consumer-protocol member: its epoch, and its target while it reconciles.
                                let epochs = g.consumer().and_then(|c| c.member(&m.member_id).map(|cm| {
                                    let target: Vec<String> = cm.target.iter().map(|tp| tp.to_string()).collect();
                                    if target == parts {
                                        format!(" · epoch {}", cm.member_epoch)
                                    } else {
                                        format!(" · epoch {} · target {} (epoch {})", cm.member_epoch, list(&target), c.target_assignment_epoch())
                                    }
                                })).unwrap_or_default();
                                html! { <div class="member">{ format!("{} → {}{epochs}", crate::session::visible::visible(&short_member(&m.member_id)), list(&parts)) }</div> }
                            }) }
                        }
                        if !lags.is_empty() {
                            <div class="committed">
                                { for lags.iter().map(|l| {
                                    let (tp, o) = (&l.tp, l.committed.unwrap_or_default());
                                    // Unknown while no leader answers for the partition.
                                    let lag = l.lag().map_or("?".to_string(), |n| n.to_string());
                                    html! {
                                        <span class="offset-chip" title={format!("committed offset {o}, lag {lag}")}>{ format!("{tp} @{o} lag {lag}") }</span>
                                    }
                                }) }
                            </div>
                        }
                        if !history.is_empty() {
                            <details class="timeline">
                                <summary>{ format!("Rebalances ({})", history.len()) }</summary>
                                <ol>
                                    { for history.iter().rev().map(|r| html! {
                                        <li>
                                            <span class="gen">{ format!("generation {}", r.generation) }</span>
                                            <span class="meta">{ format!(" · {} · {}", clock_time(r.at_ms), r.protocol.name()) }</span>
                                            <div class="changes">{ r.changes.iter().map(|c| short_change(c)).collect::<Vec<_>>().join("; ") }</div>
                                            { for r.assignment.iter().map(|(m, tps)| {
                                                let parts: Vec<String> = tps.iter().map(|tp| tp.to_string()).collect();
                                                html! { <div class="member">{ format!("{} → {}", short_member(m), if parts.is_empty() { "-".to_string() } else { parts.join(", ") }) }</div> }
                                            }) }
                                        </li>
                                    }) }
                                </ol>
                            </details>
                        }
                    </div>
                }
            }) }
        </>
    }
}

/// `HH:MM:SS` of a simulated-clock time.
fn clock_time(ms: i64) -> String {
    crate::engine::clock::format_log_timestamp(ms)
        .split(' ')
        .nth(1)
        .and_then(|t| t.split(',').next())
        .unwrap_or_default()
        .to_string()
}

/// A change note with its member id shortened (`console-consumer-1a2b… joined`).
fn short_change(change: &str) -> String {
    match change.split_once(' ') {
        Some((member, rest)) => format!("{} {rest}", short_member(member)),
        None => change.to_string(),
    }
}

fn short_member(id: &str) -> String {
    // A client id may hold any characters: cut at a character, not a byte.
    match id.char_indices().nth(26) {
        Some((at, _)) => format!("{}…", &id[..at]),
        None => id.to_string(),
    }
}
