//! The JavaScript API for host pages and automation:
//!
//! ```js
//! kafkaPlayground.run("kafka-topics.sh --bootstrap-server localhost:9092 --list") // → output text
//! kafkaPlayground.state()            // → { timeMs, brokers, topics, groups }
//! kafkaPlayground.onOutput((text, stream, tab) => …)
//! ```
//!
//! An embedded widget also answers `postMessage({type: "kafka-playground:run", id, command})`
//! from its host page — only from the window that embeds it, at the origin the browser gives for
//! it (which must be the one its embed settings name), and only messages of that exact shape —
//! with `{type: "kafka-playground:output", id, output}`.

use std::cell::RefCell;

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::state::{Action, WorkbenchContext};
use crate::console::{Output, Stream};

thread_local! {
    static HANDLE: RefCell<Option<WorkbenchContext>> = const { RefCell::new(None) };
    static LISTENERS: RefCell<Vec<Function>> = const { RefCell::new(Vec::new()) };
}

/// Longest command the API accepts (as a typed line would be).
const MAX_COMMAND: usize = 10_000;

/// Why a call cannot be answered now: it came while the session is being changed (from an
/// `onOutput` listener, which hears a command while it runs).
const BUSY: &str = "the playground is running a command: call this after it returns, not from an onOutput listener";

/// Runs `command` through the reducer, as if typed, and returns what it printed.
fn run(command: &str) -> Result<String, String> {
    let handle = HANDLE
        .with(|h| h.borrow().clone())
        .ok_or("the playground has not started yet")?;
    // The reducer changes the session in place; it must not be asked to from inside itself.
    if handle.workbench.try_borrow_mut().is_err() {
        return Err(BUSY.into());
    }
    handle.dispatch(Action::ApiRun(command.to_string()));
    let wb = handle
        .workbench
        .try_borrow()
        .map_err(|_| BUSY.to_string())?;
    Ok(wb.last_output.clone())
}

fn state() -> Result<String, String> {
    HANDLE.with(|h| {
        let h = h.borrow();
        let handle = h.as_ref().ok_or("the playground has not started yet")?;
        let wb = handle
            .workbench
            .try_borrow()
            .map_err(|_| BUSY.to_string())?;
        Ok(wb.api_state())
    })
}

/// Tells every `onOutput` listener what a tab printed.
pub fn emit(tab: usize, out: &Output) {
    LISTENERS.with(|listeners| {
        let listeners = listeners.borrow();
        if listeners.is_empty() {
            return;
        }
        for chunk in &out.chunks {
            let stream = match chunk.stream {
                Stream::Stdout => "stdout",
                Stream::Stderr => "stderr",
            };
            for f in listeners.iter() {
                let _ = f.call3(
                    &JsValue::NULL,
                    &JsValue::from_str(&chunk.text),
                    &JsValue::from_str(stream),
                    &JsValue::from_f64(tab as f64),
                );
            }
        }
    });
}

/// Publishes `window.kafkaPlayground` and, in a widget, answers its host's messages.
pub fn install(handle: WorkbenchContext) {
    // A widget answers the page that embeds it, as the browser names that page.
    let embed_origin =
        handle.workbench.borrow().embed.as_ref().and_then(
            |c| match super::share_link::host_origin(&c.origin) {
                Ok(origin) => Some(origin),
                Err(why) => {
                    web_sys::console::warn_1(
                        &format!("Kafka Playground: this widget answers no host page: {why}")
                            .into(),
                    );
                    None
                }
            },
        );
    HANDLE.with(|h| *h.borrow_mut() = Some(handle));
    let Some(window) = web_sys::window() else {
        return;
    };
    let api = Object::new();
    let run_fn =
        Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(
            |command: JsValue| match command.as_string() {
                Some(c) if c.len() <= MAX_COMMAND => run(&c)
                    .map(|out| JsValue::from_str(&out))
                    .map_err(|why| js_sys::Error::new(&why).into()),
                _ => Ok(JsValue::UNDEFINED),
            },
        );
    let state_fn = Closure::<dyn Fn() -> Result<JsValue, JsValue>>::new(|| {
        let text = state().map_err(|why| JsValue::from(js_sys::Error::new(&why)))?;
        Ok(js_sys::JSON::parse(&text).unwrap_or(JsValue::NULL))
    });
    let on_output = Closure::<dyn Fn(JsValue)>::new(|f: JsValue| {
        if let Ok(f) = f.dyn_into::<Function>() {
            LISTENERS.with(|l| l.borrow_mut().push(f));
        }
    });
    let _ = Reflect::set(&api, &"run".into(), run_fn.as_ref());
    let _ = Reflect::set(&api, &"state".into(), state_fn.as_ref());
    let _ = Reflect::set(&api, &"onOutput".into(), on_output.as_ref());
    let _ = Reflect::set(&window, &"kafkaPlayground".into(), &api);
    run_fn.forget();
    state_fn.forget();
    on_output.forget();

    if let Some(origin) = embed_origin.filter(|o| !o.is_empty()) {
        let host = origin.clone();
        let on_message =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                // Only the embedding page itself, only this message shape.
                if e.origin() != origin || !super::share_link::from_parent(&e) {
                    return;
                }
                let data = e.data();
                let field = |name: &str| Reflect::get(&data, &name.into()).ok();
                if field("type").and_then(|t| t.as_string()).as_deref()
                    != Some("kafka-playground:run")
                {
                    return;
                }
                let Some(command) = field("command").and_then(|c| c.as_string()) else {
                    return;
                };
                if command.len() > MAX_COMMAND {
                    return;
                }
                let id = field("id").filter(|v| v.as_f64().is_some() || v.as_string().is_some());
                // A widget showing another's cluster has that one run it, then answers.
                if super::widget_group::forward_host_run(
                    id.clone().unwrap_or(JsValue::NULL),
                    command.clone(),
                ) {
                    return;
                }
                let reply = Object::new();
                let _ = Reflect::set(&reply, &"type".into(), &"kafka-playground:output".into());
                let _ = Reflect::set(&reply, &"id".into(), &id.unwrap_or(JsValue::NULL));
                match run(&command) {
                    Ok(output) => {
                        let _ = Reflect::set(&reply, &"output".into(), &output.into());
                    }
                    Err(why) => {
                        let _ = Reflect::set(&reply, &"output".into(), &"".into());
                        let _ = Reflect::set(&reply, &"error".into(), &why.into());
                    }
                }
                if let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) {
                    let _ = parent.post_message(&reply, &origin);
                }
            });
        let _ =
            window.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
        on_message.forget();
        // Tell the host page the widget answers now (embed.js queues requests until then).
        let ready = Object::new();
        let _ = Reflect::set(&ready, &"type".into(), &"kafka-playground:ready".into());
        if let Some(parent) = window.parent().ok().flatten() {
            let _ = parent.post_message(&ready, &host);
        }
    }
}
