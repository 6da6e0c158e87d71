//! Share links in the address bar: `…/#s=v1.<deflated journal>`. Opening one replays the
//! session; the fragment is then removed so a reload restores the saved session instead of
//! replaying the link again.

use wasm_bindgen::JsCast;

/// The address of a link the reader agreed to replay beyond the replay budget (one load only).
const CONSENTED: &str = "#s-consented=";

/// The link code from the page's address, and whether the reader already agreed to replay it
/// whatever it holds; the address bar loses it.
pub fn take_from_location() -> Option<(String, bool)> {
    let window = web_sys::window()?;
    let hash = window.location().hash().ok()?;
    let (code, consented) = match hash.strip_prefix(CONSENTED) {
        Some(code) => (code.to_string(), true),
        None => (hash.strip_prefix("#s=")?.to_string(), false),
    };
    if let Ok(history) = window.history() {
        let path = window.location().pathname().unwrap_or_default();
        let search = window.location().search().unwrap_or_default();
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{search}")),
        );
    }
    Some((code, consented))
}

/// A lesson or course link in the page's address (`#lesson=`, `#lesson-url=`,
/// `#course-url=`); the address bar loses it, so a reload continues the saved session.
pub fn lesson_link_from_location() -> Option<crate::lesson::link::LinkRequest> {
    let window = web_sys::window()?;
    let hash = window.location().hash().ok()?;
    let request = crate::lesson::link::LinkRequest::from_fragment(&hash)?;
    if let Ok(history) = window.history() {
        let path = window.location().pathname().unwrap_or_default();
        let search = window.location().search().unwrap_or_default();
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{search}")),
        );
    }
    Some(request)
}

/// The full URL that opens a lesson packed into a link.
pub fn lesson_url_for(code: &str) -> String {
    url_for(code).replacen("#s=", "#lesson=", 1)
}

/// Opens the link again, replayed whatever it holds: the reader said yes.
pub fn replay_consented(code: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window
            .location()
            .set_hash(&format!("{}{code}", &CONSENTED[1..]));
        let _ = window.location().reload();
    }
}

/// The full URL that opens `code`.
pub fn url_for(code: &str) -> String {
    let Some(window) = web_sys::window() else {
        return format!("#s={code}");
    };
    let location = window.location();
    format!(
        "{}{}#s={code}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    )
}

/// Puts `text` on the clipboard where the browser allows it (it may refuse silently).
pub fn copy(text: &str) {
    if let Some(window) = web_sys::window() {
        // Refused without focus or permission: the link stays on screen to copy by hand.
        let ignore =
            wasm_bindgen::closure::Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(|_| {});
        let _ = window
            .navigator()
            .clipboard()
            .write_text(text)
            .catch(&ignore);
        ignore.forget();
    }
}

/// Embed settings from the address (`#embed=…`, written by embed.js), or why they cannot be
/// read (the widget then shows only that: an address that asks for a widget never opens the
/// full app on this browser's saved session).
pub fn embed_from_location() -> Option<Result<crate::share::EmbedConfig, String>> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let code = hash.strip_prefix("#embed=")?;
    Some(crate::share::EmbedConfig::decode(code))
}

/// The origin of the page embedding this widget, as the browser tells it: the frame's first
/// ancestor (`location.ancestorOrigins`), or the referrer where that list is missing. Never the
/// origin written in the widget's own address — a page that frames a docs page can navigate
/// the widget's frame to a fragment naming itself. When the address names another origin than
/// the embedding page's, the widget answers no host at all.
pub fn host_origin(claimed: &str) -> Result<String, String> {
    if claimed.is_empty() {
        return Err("its settings name no host page".into());
    }
    let window = web_sys::window().ok_or("no window")?;
    let location = window.location();
    // Not in every browser's interface definitions (web-sys has no binding): read it as a
    // property.
    let from_ancestors = js_sys::Reflect::get(&location, &"ancestorOrigins".into())
        .ok()
        .and_then(|list| list.dyn_into::<web_sys::DomStringList>().ok())
        .and_then(|list| list.item(0));
    let from_referrer = || {
        let referrer = window.document()?.referrer();
        web_sys::Url::new(&referrer).ok().map(|u| u.origin())
    };
    let actual = from_ancestors
        .or_else(from_referrer)
        .filter(|o| !o.is_empty() && o != "null")
        .ok_or("the page embedding this widget is unknown")?;
    if claimed != actual {
        return Err(format!(
            "its settings name {claimed}, but it is embedded by {actual}"
        ));
    }
    Ok(actual)
}

/// Whether a message came from the window that embeds this one (not from another frame or
/// a page that frames the embedding page).
pub fn from_parent(e: &web_sys::MessageEvent) -> bool {
    let parent = web_sys::window().and_then(|w| w.parent().ok().flatten());
    match (e.source(), parent) {
        (Some(source), Some(parent)) => js_sys::Object::is(&source, &parent),
        _ => false,
    }
}
