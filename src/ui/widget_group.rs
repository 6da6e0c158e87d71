//! Widgets of a docs page sharing one cluster (`data-cluster`), in the browser: posting the
//! session's group messages (`session::Group`) between frames.
//!
//! The group's first widget (member 0) is the owner: it holds the cluster and a terminal for
//! every other member, like terminal tabs over one cluster. A member frame runs nothing: it
//! sends what the reader does to the owner and shows what the owner sends back — its
//! terminal's lines and prompt, and a copy of the cluster for its live view, replaced whole
//! each time, so there is only ever one cluster. What each message does is the session's
//! (the reducer's); this file only carries them.
//!
//! The frames find each other through the host page's frame list (`parent.frames`, readable
//! even when the host is another origin), and post to each other with their own origin as the
//! target, so only the playground's frames on that page receive them. Everything received is
//! checked: the sender's origin, the sender's window (the owner answers a member only from the
//! window it attached from; a member listens only to the owner that welcomed it), and the shape
//! (`crate::widget_group::Message::decode`).
//!
//! Invariant: nothing here runs on a member's copy of the cluster; untrusted text is only ever
//! shown as text.

use std::cell::RefCell;

use gloo::timers::callback::Interval;
use js_sys::{Object, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Window};

use super::state::{Action, WorkbenchContext};
use crate::session::MAX_QUEUED;
use crate::widget_group::Message;

/// A member asks for its terminal this often until the owner answers (the owner may still be
/// loading: it is created together with the first member that becomes visible).
const ATTACH_EVERY_MS: u32 = 300;
/// The cluster copy is sent at most this often (it is serialized whole).
const CLUSTER_EVERY_MS: f64 = 250.0;
/// A member still unanswered after this long says so (a page whose first widget is missing).
const NOTE_AFTER_MS: f64 = 10_000.0;

/// The link between this frame and the others of its group.
struct Link {
    handle: WorkbenchContext,
    name: String,
    /// The owner: the window each member attached from.
    members: Vec<(u32, Window)>,
    /// A member: the owner's window, once it answered.
    owner: Option<Window>,
    /// A member: the host page's `run` requests waiting for the owner's answer.
    host_runs: Vec<(u32, JsValue)>,
    next_run: u32,
    host_origin: String,
    last_cluster_ms: f64,
    cluster_pending: bool,
    /// When this frame started asking, and whether it said it is still waiting.
    started_ms: f64,
    waiting_noted: bool,
}

thread_local! {
    static LINK: RefCell<Option<Link>> = const { RefCell::new(None) };
}

/// Listens to the group's other frames (when this widget is in a group) and keeps the owner's
/// updates and a member's attach requests going.
pub fn install(handle: WorkbenchContext) {
    let (name, host_origin) = {
        let wb = handle.workbench.borrow();
        match (&wb.group, &wb.embed) {
            // Replies to the host go to the embedding page as the browser names it.
            (Some(g), Some(e)) => (
                g.name.clone(),
                super::share_link::host_origin(&e.origin).unwrap_or_default(),
            ),
            _ => return,
        }
    };
    let Some(window) = web_sys::window() else {
        return;
    };
    LINK.with(|l| {
        *l.borrow_mut() = Some(Link {
            handle,
            name,
            members: Vec::new(),
            owner: None,
            host_runs: Vec::new(),
            next_run: 0,
            host_origin,
            last_cluster_ms: 0.0,
            cluster_pending: true,
            started_ms: js_sys::Date::now(),
            waiting_noted: false,
        })
    });
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(receive);
    let _ = window.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    on_message.forget();
    // Attach requests until answered; the owner's throttled cluster copies.
    Interval::new(ATTACH_EVERY_MS, || {
        flush();
    })
    .forget();
    flush();
}

fn own_origin() -> Option<String> {
    web_sys::window()?.location().origin().ok()
}

fn receive(e: MessageEvent) {
    // Only the playground's own frames, only group messages of the exact shape.
    if own_origin().as_deref() != Some(e.origin().as_str()) {
        return;
    }
    let Some(text) = e.data().as_string() else {
        return;
    };
    let Ok(message) = Message::decode(&text) else {
        return;
    };
    // A WindowProxy of another frame: not an instance of this frame's `Window`, but it has
    // `postMessage`, which is all that is used of it.
    let Some(source) = e.source().map(|s| s.unchecked_into::<Window>()) else {
        return;
    };
    let dispatch = LINK.with(|l| {
        let mut link = l.borrow_mut();
        let link = link.as_mut()?;
        if message.group() != link.name {
            return None;
        }
        let me = {
            let wb = link.handle.workbench.borrow();
            wb.group
                .as_ref()
                .filter(|_| wb.is_group_member())
                .map(|g| g.member)
        };
        let is_member = me.is_some();
        let accepted = if is_member {
            match (&message, &link.owner) {
                (Message::Welcome { member, .. }, None) if Some(*member) == me => {
                    link.owner = Some(source);
                    true
                }
                (Message::Ran { id, output, .. }, Some(owner))
                    if JsValue::from(owner) == JsValue::from(&source) =>
                {
                    answer_host(link, *id, output);
                    false
                }
                (Message::Terminal { .. } | Message::Cluster { .. }, Some(owner)) => {
                    JsValue::from(owner) == JsValue::from(&source)
                }
                _ => false,
            }
        } else {
            match &message {
                Message::Attach { member, .. } if *member > 0 => {
                    link.members.retain(|(m, _)| m != member);
                    link.members.push((*member, source));
                    link.cluster_pending = true;
                    true
                }
                Message::Input { member, .. } => link
                    .members
                    .iter()
                    .any(|(m, w)| m == member && JsValue::from(w) == JsValue::from(&source)),
                _ => false,
            }
        };
        accepted.then(|| link.handle.clone())
    });
    if let Some(handle) = dispatch {
        handle.dispatch(Action::Group(message));
    }
}

/// A member forwards the host page's `run` to the owner; the answer goes back to the host.
/// Returns false when this widget is not a member (it runs the command itself).
pub fn forward_host_run(id: JsValue, command: String) -> bool {
    let forwarded = LINK.with(|l| {
        let mut link = l.borrow_mut();
        let link = link.as_mut()?;
        if !link.handle.workbench.try_borrow().ok()?.is_group_member() {
            return None;
        }
        link.next_run = link.next_run.wrapping_add(1);
        let run = link.next_run;
        link.host_runs.push((run, id));
        if link.host_runs.len() > MAX_QUEUED {
            link.host_runs.remove(0);
        }
        Some((link.handle.clone(), run))
    });
    match forwarded {
        Some((handle, id)) => {
            handle.dispatch(Action::HostRun { id, text: command });
            true
        }
        None => false,
    }
}

fn answer_host(link: &mut Link, run: u32, output: &str) {
    let Some(i) = link.host_runs.iter().position(|(r, _)| *r == run) else {
        return;
    };
    let (_, id) = link.host_runs.remove(i);
    let reply = Object::new();
    let _ = Reflect::set(&reply, &"type".into(), &"kafka-playground:output".into());
    let _ = Reflect::set(&reply, &"id".into(), &id);
    let _ = Reflect::set(&reply, &"output".into(), &output.into());
    if let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) {
        let _ = parent.post_message(&reply, &link.host_origin);
    }
}

/// Sends what is due besides the reducer's messages: a member's attach request, the owner's
/// cluster copy (at most every 250 ms). Called after every render and on a timer.
pub fn flush() {
    if let Some((handle, action)) = LINK.with(send_due) {
        handle.dispatch(action);
    }
}

fn send_due(l: &RefCell<Option<Link>>) -> Option<(WorkbenchContext, Action)> {
    let mut link = l.borrow_mut();
    let link = link.as_mut()?;
    let Ok(wb) = link.handle.workbench.try_borrow() else {
        // Drawing or reducing right now: the timer comes back.
        return None;
    };
    let origin = own_origin()?;
    if wb.is_group_member() {
        // Not answered yet: ask every frame of the page (only the playground's own receive
        // it); what the reader typed waits.
        if link.owner.is_none() {
            let attach = wb.attach_request()?;
            for frame in sibling_frames() {
                let _ = frame.post_message(&attach.encode().into(), &origin);
            }
            if !link.waiting_noted && js_sys::Date::now() - link.started_ms > NOTE_AFTER_MS {
                link.waiting_noted = true;
                return Some((link.handle.clone(), Action::GroupWaiting));
            }
        }
        return None;
    }
    let now = js_sys::Date::now();
    // A copy is serialized whole: a cluster with many records is copied less often (a second
    // more per megabyte), so the page stays responsive.
    let megabytes = record_bytes(&wb.playground) as f64 / 1e6;
    if link.cluster_pending
        && !link.members.is_empty()
        && now - link.last_cluster_ms >= CLUSTER_EVERY_MS + 1_000.0 * megabytes
    {
        link.cluster_pending = false;
        link.last_cluster_ms = now;
        let copy = Message::encode_cluster(&link.name, &wb.playground);
        let copy = JsValue::from_str(&copy);
        for (_, w) in &link.members {
            let _ = w.post_message(&copy, &origin);
        }
    }
    None
}

/// Posts the reducer's messages: a member's inputs to its owner; the owner's welcomes,
/// answers and terminal updates to the member each is for.
fn post(link: &Link, outgoing: &[Message]) {
    let Some(origin) = own_origin() else {
        return;
    };
    for message in outgoing {
        let to = match message {
            Message::Input { .. } => link.owner.as_ref(),
            Message::Welcome { member, .. }
            | Message::Ran { member, .. }
            | Message::Terminal { member, .. } => link
                .members
                .iter()
                .find(|(m, _)| m == member)
                .map(|(_, w)| w),
            Message::Attach { .. } | Message::Cluster { .. } => None,
        };
        if let Some(window) = to {
            let _ = window.post_message(&message.encode().into(), &origin);
        }
    }
}

fn record_bytes(playground: &crate::console::Playground) -> u64 {
    playground
        .cluster
        .topics()
        .flat_map(|t| t.partitions().iter())
        .flat_map(|p| p.log().segments().iter())
        .map(|s| s.size_bytes)
        .sum()
}

/// After every render: posts the reducer's messages; something may have changed that members
/// should see.
pub fn changed(outgoing: &[Message]) {
    LINK.with(|l| {
        if let Some(link) = l.borrow_mut().as_mut() {
            post(link, outgoing);
            link.cluster_pending = true;
        }
    });
    flush();
}

/// The frames of the page this widget is on (its own included; it ignores its own messages
/// by their content). Readable whatever the host page's origin.
fn sibling_frames() -> Vec<Window> {
    let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) else {
        return Vec::new();
    };
    let count = Reflect::get(&parent, &"length".into())
        .ok()
        .and_then(|n| n.as_f64())
        .unwrap_or(0.0)
        .clamp(0.0, 1_000.0) as u32;
    (0..count)
        .filter_map(|i| Reflect::get_u32(&parent, i).ok())
        .filter(|w| w.is_object())
        .map(|w| w.unchecked_into::<Window>())
        .collect()
}
