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

/// Embed settings from the address (`#embed=…`, written by embed.js); a damaged one is ignored
/// with a console message and the page opens normally.
pub fn embed_from_location() -> Option<crate::share::EmbedConfig> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let code = hash.strip_prefix("#embed=")?;
    match crate::share::EmbedConfig::decode(code) {
        Ok(config) => Some(config),
        Err(why) => {
            web_sys::console::warn_1(&format!("Kafka Playground: {why}").into());
            None
        }
    }
}
