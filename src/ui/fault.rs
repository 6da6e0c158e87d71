//! The fault boundary: if anything panics, the page shows what happened instead of going
//! blank. The app cannot continue after a panic (the build aborts on panic, so the WebAssembly
//! instance is gone), but the session saved in browser storage — never written from a
//! half-changed state — is intact: the notice says when it was last saved (or that the last
//! save failed), offers to reload it, to start fresh, and a report to copy.
//!
//! A panic runs the hook installed here, which draws the notice with the panic's message and
//! location; then the instance aborts. A trap that is not a panic (out of memory, an
//! `unreachable` reached) runs no hook: it reaches the page as a `WebAssembly.RuntimeError`
//! thrown out of whatever called into the instance (an event, a timer, a promise), so the
//! notice is also drawn when such an error reaches the window, with the trap and its stack.
//! So is every other error nothing caught: a `RangeError` from an exhausted stack unwinds
//! through the instance without running any drop (its state cannot be trusted afterwards),
//! and an unexpected error or rejected promise means the same. `www/fault.js` draws a plainer
//! notice for what happens before the instance runs (a wasm that does not load) or if this
//! one cannot be drawn.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

thread_local! {
    /// The last command line entered, for the report (kept outside the workbench, which may
    /// be mid-change when a panic strikes).
    static LAST_COMMAND: RefCell<String> = const { RefCell::new(String::new()) };
    /// Set once a panic happened: nothing may be saved from the broken state afterwards.
    static PANICKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// How the last save ended: when it landed (page ms), or why it did not.
    static LAST_SAVE: RefCell<Option<Result<f64, String>>> = const { RefCell::new(None) };
}

/// Remembers how the last save ended, so the notice can say whether the session is saved.
pub fn note_save(result: &Result<(), crate::session::SaveError>) {
    let noted = match result {
        Ok(()) => Ok(js_sys::Date::now()),
        Err(crate::session::SaveError::Refused(why)) => Err(why.clone()),
        Err(crate::session::SaveError::Newer(_)) => {
            Err("newer work was saved in another tab".to_string())
        }
    };
    LAST_SAVE.with(|s| *s.borrow_mut() = Some(noted));
}

/// As [`note_save`], for a save whose answer is not otherwise needed.
pub fn note_save_ref(result: Result<(), crate::session::SaveError>) {
    note_save(&result);
}

/// What the notice says of the saved session.
fn save_state() -> String {
    let last = LAST_SAVE.with(|s| s.try_borrow().ok().and_then(|s| s.clone()));
    match last {
        Some(Ok(at)) => format!(
            "Your session was last saved {} s before this happened (what ran after that is not saved). Reload it to carry on, or start with a fresh cluster.",
            ((js_sys::Date::now() - at) / 1_000.0).max(0.0).round()
        ),
        Some(Err(why)) => format!(
            "The last save did not succeed ({why}): reloading opens the session as it was last saved in this browser, without the latest changes. Reload it to carry on, or start with a fresh cluster."
        ),
        None => "Nothing was saved since this page opened: reloading opens the session this browser kept before, if any. Reload it to carry on, or start with a fresh cluster.".to_string(),
    }
}

/// Whether a panic already stopped the app.
pub fn panicked() -> bool {
    PANICKED.with(|p| p.get())
}

/// Remembers the command being run, for a report if it panics.
pub fn note_command(line: &str) {
    LAST_COMMAND.with(|c| {
        let mut c = c.borrow_mut();
        c.clear();
        c.push_str(&line.chars().take(500).collect::<String>());
    });
}

/// Installs the panic hook that draws the notice.
pub fn install() {
    // Yew installs its own hook when it renders unless given one: give it ours.
    yew::set_custom_panic_hook(Box::new(|info| {
        // Later calls into the dead instance panic again: one notice is enough.
        if PANICKED.with(|p| p.replace(true)) {
            return;
        }
        let command = LAST_COMMAND.with(|c| c.try_borrow().map(|c| c.clone()).unwrap_or_default());
        let report = format!(
            "Kafka Playground {} crashed.\nPanic: {info}\nLast command: {command}\nBrowser: {}",
            env!("CARGO_PKG_VERSION"),
            web_sys::window()
                .and_then(|w| w.navigator().user_agent().ok())
                .unwrap_or_default()
        );
        web_sys::console::error_1(&report.clone().into());
        show_notice(&report);
    }));
    let Some(window) = web_sys::window() else {
        return;
    };
    // A trap thrown out of an event or a timer is an `error` event; out of a promise job, an
    // `unhandledrejection` (its `reason`).
    for (event, field) in [("error", "error"), ("unhandledrejection", "reason")] {
        gloo::events::EventListener::new(&window, event, move |e| {
            let error = js_sys::Reflect::get(e, &field.into()).unwrap_or_default();
            // A cross-origin script's error carries no error object, only its message.
            let error = if error.is_undefined() || error.is_null() {
                js_sys::Reflect::get(e, &"message".into()).unwrap_or_default()
            } else {
                error
            };
            // The browser's own notice that a resize observer deferred work: nothing failed.
            if error
                .as_string()
                .is_some_and(|m| m.starts_with("ResizeObserver loop"))
            {
                return;
            }
            trapped(&error);
        })
        .forget();
    }
}

/// The instance trapped (out of memory, or the abort after a panic), or an error nothing
/// caught reached the page: the notice, unless the panic hook drew it already.
fn trapped(error: &wasm_bindgen::JsValue) {
    if PANICKED.with(|p| p.replace(true)) {
        return;
    }
    let message = if error.is_instance_of::<js_sys::Error>() {
        String::from(error.unchecked_ref::<js_sys::Error>().to_string())
    } else {
        error.as_string().unwrap_or_else(|| format!("{error:?}"))
    };
    let kind = if error.is_instance_of::<js_sys::WebAssembly::RuntimeError>() {
        "Trap"
    } else {
        "Uncaught error"
    };
    let stack = js_sys::Reflect::get(error, &"stack".into())
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default();
    // Where it happened: the wasm functions' numbers in this build (Chrome's stack repeats
    // the message first).
    let mut at = String::new();
    for line in stack.lines().filter(|l| *l != message).take(10) {
        at.push('\n');
        at.push_str(line.trim());
    }
    let command = LAST_COMMAND.with(|c| c.try_borrow().map(|c| c.clone()).unwrap_or_default());
    let report = format!(
        "Kafka Playground {} crashed.\n{kind}: {message}{at}\nLast command: {command}\nBrowser: {}",
        env!("CARGO_PKG_VERSION"),
        web_sys::window()
            .and_then(|w| w.navigator().user_agent().ok())
            .unwrap_or_default()
    );
    show_notice(&report);
}

/// Builds the notice with plain DOM calls (Yew is not usable any more); every text is set as
/// text, never as HTML.
fn show_notice(report: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else {
        return;
    };
    let el = |tag: &str, class: &str, text: &str| {
        let e = document.create_element(tag).ok()?;
        e.set_class_name(class);
        if !text.is_empty() {
            e.set_text_content(Some(text));
        }
        Some(e)
    };
    let Some(panel) = el("div", "fault", "") else {
        return;
    };
    let _ = panel.set_attribute("role", "alertdialog");
    let _ = panel.set_attribute("aria-label", "The playground stopped");
    let parts = [
        el(
            "h2",
            "fault-title",
            "Something went wrong — the playground stopped.",
        ),
        el(
            "p",
            "fault-saved",
            &format!("{} If you report this, copy the text below.", save_state()),
        ),
        el("textarea", "fault-report", report),
    ];
    for part in parts.into_iter().flatten() {
        let _ = panel.append_child(&part);
    }
    if let Some(area) = panel
        .query_selector(".fault-report")
        .ok()
        .flatten()
        .and_then(|a| a.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    {
        area.set_read_only(true);
        area.set_value(report);
    }
    let button = |label: &str, class: &str, fresh: bool| {
        let b = el("button", class, label)?;
        let on_click = Closure::<dyn Fn()>::new(move || {
            let Some(window) = web_sys::window() else {
                return;
            };
            if fresh {
                super::storage::clear(move || {
                    let _ = window.location().reload();
                });
            } else {
                let _ = window.location().reload();
            }
        });
        let _ = b.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
        on_click.forget();
        Some(b)
    };
    for b in [
        button("Reload my session", "btn primary fault-restore", false),
        button("Start fresh", "btn fault-fresh", true),
    ]
    .into_iter()
    .flatten()
    {
        let _ = panel.append_child(&b);
    }
    let _ = body.append_child(&panel);
}
