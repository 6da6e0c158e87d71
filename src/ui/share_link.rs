//! Share links in the address bar: `…/#s=v1.<deflated journal>`. Opening one replays the
//! session; the fragment is then removed so a reload restores the saved session instead of
//! replaying the link again.

/// The link code from the page's address, removing it from the address bar.
pub fn take_from_location() -> Option<String> {
    let window = web_sys::window()?;
    let hash = window.location().hash().ok()?;
    let code = hash.strip_prefix("#s=")?.to_string();
    if let Ok(history) = window.history() {
        let path = window.location().pathname().unwrap_or_default();
        let search = window.location().search().unwrap_or_default();
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{search}")),
        );
    }
    Some(code)
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
        let _ = window.navigator().clipboard().write_text(text);
    }
}
