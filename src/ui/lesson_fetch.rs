//! Fetching a built-in lesson's Markdown from the site, for the session
//! (`session::LessonFetch` says what to fetch; the answer goes back as
//! `LessonAction::Fetched`).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The text at `url` (relative to the page). Revalidated with the server when online
/// (`no-cache`): lesson files keep their names from one version of the site to the next.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("there is no window to fetch from")?;
    let init = web_sys::RequestInit::new();
    init.set_cache(web_sys::RequestCache::NoCache);
    let unreachable = |_| format!("the site could not be reached for {url} (are you offline?)");
    let response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(unreachable)?;
    let response: web_sys::Response = response
        .dyn_into()
        .map_err(|_| format!("fetching {url} gave no response"))?;
    if !response.ok() {
        let status = format!("{} {}", response.status(), response.status_text());
        return Err(format!("the site answered {} for {url}", status.trim()));
    }
    let text = response.text().map_err(unreachable)?;
    let text = JsFuture::from(text).await.map_err(unreachable)?;
    text.as_string().ok_or_else(|| format!("{url} is not text"))
}

/// A lesson or course file a link names, on this site or another (which must allow it:
/// CORS). The reasons say which side to fix.
pub async fn fetch_linked(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("there is no window to fetch from")?;
    let init = web_sys::RequestInit::new();
    init.set_cache(web_sys::RequestCache::NoCache);
    // The browser tells a refused cross-site read and an unreachable host apart to no page.
    let refused = |_| {
        format!(
            "{url} could not be read: its host refused to share it with this page or could not be reached (a host must send Access-Control-Allow-Origin for other sites to read a lesson; are you offline?)"
        )
    };
    let response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(refused)?;
    let response: web_sys::Response = response
        .dyn_into()
        .map_err(|_| format!("fetching {url} gave no response"))?;
    if !response.ok() {
        let status = format!("{} {}", response.status(), response.status_text());
        return Err(format!("its host answered {} for {url}", status.trim()));
    }
    let text = response.text().map_err(refused)?;
    let text = JsFuture::from(text).await.map_err(refused)?;
    text.as_string().ok_or_else(|| format!("{url} is not text"))
}
