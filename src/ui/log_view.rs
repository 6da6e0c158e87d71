//! A partition's whole log in a scrollable list: only the rows in view are drawn, so a
//! partition of a million records scrolls as smoothly as one of ten. Seek to an offset or a
//! timestamp (epoch milliseconds or `2025-01-01T10:00:00`).

use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use super::state::use_workbench;
use crate::engine::producer_batch::ControlRecordType;
use crate::engine::{Partition, RecordRef, TopicPartition};

/// Every row has this height (px): the scroll position maps straight to a record index.
const ROW: f64 = 24.0;
/// Rows drawn above and below the visible ones, so fast scrolling shows no gaps.
const OVERSCAN: usize = 10;

#[derive(Properties, PartialEq)]
pub struct LogViewProps {
    pub tp: TopicPartition,
    pub on_close: Callback<()>,
}

#[component]
pub fn LogView(props: &LogViewProps) -> Html {
    let workbench = use_workbench();
    let scroll_ref = use_node_ref();
    let seek_ref = use_node_ref();
    let scroll_top = use_state(|| 0.0f64);
    let view_height = use_state(|| 480.0f64);
    let seek_error = use_state(|| None::<String>);

    let wb = workbench.workbench.borrow();
    let cluster = &wb.playground.cluster;
    let Some(partition) = cluster
        .topic(&props.tp.topic)
        .and_then(|t| t.partition(props.tp.partition))
    else {
        let close = props.on_close.reform(|_: MouseEvent| ());
        return html! {
            <div class="log-view" role="dialog" aria-label="Partition log">
                <p>{ format!("{} no longer exists.", props.tp) }</p>
                <button class="btn" onclick={close}>{"Close"}</button>
            </div>
        };
    };
    let records = partition.log().records();
    let hw = partition.high_watermark();
    let total = records.len();

    let onscroll = {
        let scroll_top = scroll_top.clone();
        let view_height = view_height.clone();
        Callback::from(move |e: Event| {
            if let Some(el) = e.target_dyn_into::<HtmlElement>() {
                scroll_top.set(f64::from(el.scroll_top()));
                view_height.set(f64::from(el.client_height()));
            }
        })
    };
    let first = ((*scroll_top / ROW) as usize)
        .saturating_sub(OVERSCAN)
        .min(total);
    let visible = (*view_height / ROW).ceil() as usize + 2 * OVERSCAN;
    let last = (first + visible).min(total);

    let seek = {
        let scroll_ref = scroll_ref.clone();
        let seek_ref = seek_ref.clone();
        let seek_error = seek_error.clone();
        let workbench = workbench.clone();
        let tp = props.tp.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(input) = seek_ref.cast::<HtmlInputElement>() else {
                return;
            };
            let wb = workbench.workbench.borrow();
            let Some(p) = wb
                .playground
                .cluster
                .topic(&tp.topic)
                .and_then(|t| t.partition(tp.partition))
            else {
                return;
            };
            let records = p.log().records();
            let index = match parse_seek(&input.value()) {
                Some(Seek::Offset(o)) => records.partition_point(|r| r.offset < o),
                Some(Seek::Timestamp(ts)) => records.partition_point(|r| r.timestamp < ts),
                None => {
                    seek_error.set(Some(
                        "Type an offset (e.g. 500000) or a time (epoch ms, or 2025-01-01T10:00:00)"
                            .into(),
                    ));
                    return;
                }
            };
            seek_error.set(None);
            if let Some(el) = scroll_ref.cast::<HtmlElement>() {
                el.set_scroll_top((index as f64 * ROW) as i32);
            }
        })
    };
    let close = props.on_close.reform(|_: MouseEvent| ());
    let onkeydown = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                on_close.emit(());
            }
        })
    };
    html! {
        <div class="log-view" role="dialog" aria-modal="false" aria-label={format!("Log of {}", props.tp)} {onkeydown}>
            <div class="log-view-head">
                <strong>{ format!("{} · {} records · offsets {}–{} · high watermark {}{}", props.tp, total,
                    partition.log_start_offset(), partition.log_end_offset(), hw, lso_note(partition)) }</strong>
                <button class="link-btn" onclick={close} aria-label="Close the log">{"× Close"}</button>
            </div>
            <form class="log-seek" onsubmit={seek}>
                <label for="log-seek-input">{"Seek to offset or time "}</label>
                <input id="log-seek-input" ref={seek_ref} type="text" placeholder="offset or 2025-01-01T10:00:00" />
                <button class="btn" type="submit">{"Go"}</button>
                if let Some(err) = &*seek_error { <span class="seek-error" role="alert">{ err.clone() }</span> }
            </form>
            <div class="log-rows" ref={scroll_ref} {onscroll} tabindex="0" role="table" aria-rowcount={total.to_string()}>
                <div class="log-spacer" style={format!("height: {}px", total as f64 * ROW)}>
                    { for records.slice(first..last).iter().enumerate().map(|(i, r)| row(first + i, r, hw, partition)) }
                </div>
            </div>
        </div>
    }
}

fn row(index: usize, r: RecordRef<'_>, hw: i64, p: &Partition) -> Html {
    let text = |b: Option<&[u8]>, null: &str| match b {
        None => null.to_string(),
        Some(b) => String::from_utf8_lossy(b).chars().take(200).collect(),
    };
    let time = crate::engine::clock::format_log_timestamp(r.timestamp);
    let (mark, title) = txn_mark(p, r.offset);
    let (key, value) = match mark {
        TxnMark::Control(kind) => (String::new(), format!("{kind} marker (control record)")),
        _ => (text(r.key, "null"), text(r.value, "null (tombstone)")),
    };
    html! {
        <div class={classes!("log-row", (r.offset >= hw).then_some("uncommitted"), mark.class())} role="row"
             style={format!("top: {}px", index as f64 * ROW)} data-offset={r.offset.to_string()} title={title}>
            <span class="log-offset" role="cell">{ r.offset }</span>
            <span class="log-time" role="cell">{ time }</span>
            <span class="log-key" role="cell">{ key }</span>
            <span class="log-value" role="cell">{ value }</span>
        </div>
    }
}

/// What a record is to transactions, for drawing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TxnMark {
    Plain,
    /// A COMMIT or ABORT marker.
    Control(&'static str),
    /// In a transaction still open (at or above the last stable offset).
    Open,
    /// In an aborted transaction: `read_committed` consumers skip it.
    Aborted,
}

impl TxnMark {
    pub(super) fn class(self) -> Option<&'static str> {
        match self {
            TxnMark::Plain => None,
            TxnMark::Control(_) => Some("control"),
            TxnMark::Open => Some("open-txn"),
            TxnMark::Aborted => Some("aborted"),
        }
    }
}

/// The record's mark, and the hover text of the producer batch holding it (its producer id).
pub(super) fn txn_mark(p: &Partition, offset: i64) -> (TxnMark, Option<String>) {
    let Some(h) = p.log().batch_header_at(offset) else {
        return (TxnMark::Plain, None);
    };
    let mut title = format!(
        "batch {}–{} · producerId {} · epoch {}",
        h.base_offset, h.last_offset, h.producer_id, h.producer_epoch
    );
    let mark = if h.is_control {
        let kind = p
            .log()
            .read(offset, 1)
            .first()
            .and_then(|r| r.key)
            .and_then(ControlRecordType::parse_key)
            .map_or("control", ControlRecordType::name);
        TxnMark::Control(kind)
    } else if !h.is_transactional {
        TxnMark::Plain
    } else if p.producer_state().is_aborted(h.producer_id, offset) {
        TxnMark::Aborted
    } else if p
        .producer_state()
        .ongoing_first_offset(h.producer_id)
        .is_some_and(|first| offset >= first)
    {
        TxnMark::Open
    } else {
        TxnMark::Plain
    };
    match mark {
        TxnMark::Control(_) => title.push_str(" · transaction marker"),
        TxnMark::Open => title.push_str(" · transactional, open"),
        TxnMark::Aborted => title.push_str(" · transactional, aborted"),
        TxnMark::Plain if h.is_transactional => title.push_str(" · transactional, committed"),
        TxnMark::Plain => {}
    }
    (mark, Some(title))
}

/// The last stable offset, where an open transaction holds it below the high watermark.
pub(super) fn lso_note(p: &Partition) -> String {
    let lso = p.last_stable_offset();
    if lso == p.high_watermark() {
        String::new()
    } else {
        format!(" · last stable offset {lso} (open transaction)")
    }
}

#[derive(Debug, PartialEq)]
enum Seek {
    Offset(i64),
    Timestamp(i64),
}

/// A bare number below 10^12 is an offset; a larger one is epoch milliseconds; a date-time
/// (`2025-01-01T10:00:00`, as `--to-datetime` takes it) is a time.
fn parse_seek(text: &str) -> Option<Seek> {
    let text = text.trim();
    if let Ok(n) = text.parse::<i64>() {
        return Some(if n < 1_000_000_000_000 {
            Seek::Offset(n)
        } else {
            Seek::Timestamp(n)
        });
    }
    crate::console::tools::consumer_groups::parse_datetime(text).map(Seek::Timestamp)
}
