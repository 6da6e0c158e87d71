//! The browser as the session's [`Host`]: output to the JavaScript API's listeners, the page's
//! clock for the perf tools, the crash report's last command, share links and the clipboard.

use crate::console::Output;
use crate::session::Host;

pub struct Browser;

impl Host for Browser {
    fn emit(&self, tab: usize, out: &Output) {
        super::api::emit(tab, out);
    }

    fn page_clock(&self) -> Option<fn() -> f64> {
        Some(page_ms)
    }

    fn before_command(&self, line: &str, at_shell: bool) {
        super::fault::note_command(line);
        // A hidden command that proves the fault boundary works (see the e2e test).
        if at_shell && line.trim() == "__panic" {
            panic!("forced by the __panic debug command");
        }
    }

    fn share_url(&self, code: &str) -> String {
        super::share_link::url_for(code)
    }

    fn copy(&self, text: &str) {
        super::share_link::copy(text);
    }
}

/// The page's clock for the perf tools, in milliseconds: `performance.now()` (finer than a
/// millisecond), else `Date.now()`.
fn page_ms() -> f64 {
    use wasm_bindgen::JsCast;
    let global = js_sys::global();
    js_sys::Reflect::get(&global, &"performance".into())
        .ok()
        .and_then(|performance| {
            let now = js_sys::Reflect::get(&performance, &"now".into()).ok()?;
            let now: js_sys::Function = now.dyn_into().ok()?;
            now.call0(&performance).ok()?.as_f64()
        })
        .unwrap_or_else(js_sys::Date::now)
}
