//! The browser face (wasm32 only): a terminal-like console beside a live picture of the
//! cluster. It holds no Kafka logic and no session logic — every change goes through the
//! reducer into `session::Workbench`, and the picture is drawn from its state after every
//! change. Dependencies run one way: `app` → the views, `api`, `widget_group`, `host` →
//! `state` → `crate::session`.

mod api;
mod app;
mod apps_view;
mod clock_view;
mod cluster_view;
mod console_view;
mod event_feed;
mod fault;
mod hand_in;
mod host;
mod instructor;
mod lease;
mod lesson_fetch;
mod lesson_preview;
mod lesson_view;
mod log_view;
mod markdown;
mod metrics;
mod replay_progress;
mod session_menu;
mod share_groups_view;
mod share_link;
mod splitter;
mod state;
mod storage;
mod widget_group;

pub use app::App;
pub use state::{Action, Line, LineKind};

/// Mounts the app on the page's `<body>`.
pub fn start() {
    fault::install();
    register_service_worker();
    // The saved session is read (asynchronously, from IndexedDB) before the first draw, so the
    // page never shows a fresh cluster that is then replaced.
    // The instructor page reads results files; it never opens (or saves) a session.
    let instructor = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .is_some_and(|h| h == "#instructor");
    if instructor {
        yew::Renderer::<instructor::InstructorView>::new().render();
        return;
    }
    wasm_bindgen_futures::spawn_local(async {
        storage::preload().await;
        yew::Renderer::<App>::new().render();
    });
}

/// Mounts the app into `root` (tests mount it into an element of their own).
pub fn mount_into(root: web_sys::Element) -> yew::AppHandle<App> {
    yew::Renderer::<App>::with_root(root).render()
}

/// Offline after the first visit: `sw.js` caches the page and its assets (where the browser
/// allows service workers: https or localhost).
fn register_service_worker() {
    if let Some(window) = web_sys::window() {
        let container = window.navigator().service_worker();
        // Refused where service workers are not allowed (plain http): the page works online
        // only, and the refusal is not an error for the fault boundary.
        let ignore =
            wasm_bindgen::closure::Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(|_| {});
        let _ = container.register("./sw.js").catch(&ignore);
        ignore.forget();
    }
}
