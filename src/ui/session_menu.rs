//! Export and import of the whole session as a file: the same versioned snapshot the browser
//! keeps, so a learner can move their work to another browser or hand it to an instructor.
//! The recent sessions this browser kept (one click opens one again; an unreadable one can be
//! exported), and the notice of a tab that does not write the saved session.

use gloo::file::callbacks::FileReader;
use gloo::file::{Blob, File as GlooFile, ObjectUrl};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use super::state::{Action, use_workbench};
use crate::session::{Lease, Recent, Storage};

#[component]
pub fn SessionMenu() -> Html {
    let workbench = use_workbench();
    let reader = use_mut_ref(|| None::<FileReader>);
    let export = {
        let workbench = workbench.clone();
        Callback::from(move |_: MouseEvent| {
            let snapshot = workbench.workbench.borrow().snapshot();
            let text = crate::snapshot::to_text(&snapshot);
            download(&text, "application/json", "kafka-playground-session.json");
        })
    };
    let import = {
        let workbench = workbench.clone();
        Callback::from(move |e: Event| {
            if let Some(file) = chosen_files(&e).into_iter().next() {
                let workbench = workbench.clone();
                let task =
                    gloo::file::callbacks::read_as_text(&GlooFile::from(file), move |result| {
                        let text = result.unwrap_or_default();
                        workbench.dispatch(Action::Import(text));
                    });
                *reader.borrow_mut() = Some(task);
            }
        })
    };
    let share = {
        let workbench = workbench.clone();
        Callback::from(move |_: MouseEvent| workbench.dispatch(Action::Share))
    };
    let script = {
        let workbench = workbench.clone();
        Callback::from(move |_: MouseEvent| {
            let text = workbench.workbench.borrow().script();
            match text {
                Some(text) => download(&text, "text/x-shellscript", "kafka-session.sh"),
                None => workbench.dispatch(Action::Share),
            }
        })
    };
    let recents = use_state(|| None::<Vec<Recent>>);
    // Only the tab that writes the saved session changes which one is current.
    let writes = workbench.workbench.borrow().lease.writes();
    let toggle_recents = {
        let recents = recents.clone();
        Callback::from(move |_: MouseEvent| {
            if recents.is_some() {
                recents.set(None);
                return;
            }
            let recents = recents.clone();
            wasm_bindgen_futures::spawn_local(async move {
                recents.set(Some(super::storage::recents().await.sessions));
            });
        })
    };
    let open_recent = {
        let workbench = workbench.clone();
        Callback::from(move |id: u64| {
            // This session's latest changes are saved first, then it joins the recent ones.
            let unsaved = workbench
                .workbench
                .try_borrow_mut()
                .ok()
                .and_then(|mut wb| wb.text_to_keep());
            if let Some((text, meta)) = unsaved {
                super::storage::IndexedDb.save(text, meta, Box::new(super::fault::note_save_ref));
            }
            super::storage::open_recent(id, js_sys::Date::now(), move |result| match result {
                Ok(()) => {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().reload();
                    }
                }
                Err(why) => {
                    if let Some(w) = web_sys::window() {
                        let _ = w.alert_with_message(&format!(
                            "That recent session could not be opened ({why}). Your session is unchanged."
                        ));
                    }
                }
            });
        })
    };
    let export_recent = Callback::from(move |id: u64| {
        wasm_bindgen_futures::spawn_local(async move {
            if let Some(blob) = super::storage::recent_blob(id).await {
                download_blob(blob, &format!("kafka-playground-session-{id}.json"));
            }
        });
    });
    html! {
        <div class="session-menu">
            <button class="clock-btn" onclick={toggle_recents} aria-expanded={recents.is_some().to_string()}
                title="Recent sessions this browser kept: one click opens one again">{"Sessions"}</button>
            if let Some(list) = &*recents {
                <div class="recent-sessions" role="region" aria-label="Recent sessions">
                    <p class="recent-title">{"Recent sessions in this browser"}</p>
                    if list.is_empty() {
                        <p class="recent-none">{"None yet. A session is kept here when a share link, an imported file or another recent session takes its place, or when its saved copy cannot be read."}</p>
                    }
                    <ul>
                    { for list.iter().map(|r| {
                        let id = r.id;
                        let open = open_recent.reform(move |_: MouseEvent| id);
                        let export = export_recent.reform(move |_: MouseEvent| id);
                        let what = if r.readable {
                            if r.meta.summary.is_empty() { "A session".to_string() } else { r.meta.summary.clone() }
                        } else {
                            "Unreadable saved session".to_string()
                        };
                        let when = match r.meta.saved_at_ms {
                            Some(at) => format!("saved {}", local_time(at)),
                            None => format!("kept {}", local_time(r.set_aside_ms)),
                        };
                        html! {
                            <li class="recent-session" data-recent={id.to_string()}>
                                <span class="recent-what">{what}</span>
                                <span class="recent-when">{when}</span>
                                if r.readable {
                                    <button class="clock-btn recent-open" onclick={open} disabled={!writes}
                                        title={if writes { "Open this session; the current one joins this list" } else { "This tab is read only: take over here first" }}>{"Open"}</button>
                                }
                                <button class="clock-btn recent-export" onclick={export}>{"Export"}</button>
                            </li>
                        }
                    }) }
                    </ul>
                </div>
            }
            <button class="clock-btn" onclick={share} title="A link that replays this session on a fresh cluster">{"Share"}</button>
            <button class="clock-btn" onclick={script} title="Download this session's commands as a bash script for a real Kafka cluster">{"Script"}</button>
            <button class="clock-btn" onclick={export} title="Download this session (cluster, files, history, lesson progress) as a file">{"Export"}</button>
            <label class="clock-btn import-label" title="Replace this session with an exported one">
                {"Import"}
                <input type="file" accept=".json,application/json" class="visually-hidden" onchange={import} aria-label="Import a session file" />
            </label>
        </div>
    }
}

/// A wall-clock time in the reader's locale and time zone.
fn local_time(ms: f64) -> String {
    js_sys::Date::new(&ms.into())
        .to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED)
        .into()
}

/// The files chosen in the `<input type="file">` that sent `e`; the input is emptied, so
/// choosing the same file again is a change too.
pub(super) fn chosen_files(e: &Event) -> Vec<web_sys::File> {
    let Some(input) = e
        .target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
    else {
        return Vec::new();
    };
    let files = input.files().map_or_else(Vec::new, |list| {
        (0..list.length()).filter_map(|i| list.get(i)).collect()
    });
    input.set_value("");
    files
}

/// Offers `text` as a file download named `name`.
pub(super) fn download(text: &str, mime: &str, name: &str) {
    offer(
        ObjectUrl::from(Blob::new_with_options(text, Some(mime))),
        name,
    );
}

/// Offers a Blob as it is kept (a large session is never copied into the wasm's memory).
fn download_blob(blob: web_sys::Blob, name: &str) {
    offer(ObjectUrl::from(blob), name);
}

fn offer(url: ObjectUrl, name: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(link) = document.create_element("a") else {
        return;
    };
    let _ = link.set_attribute("href", &url);
    let _ = link.set_attribute("download", name);
    if let Ok(link) = link.dyn_into::<HtmlElement>() {
        link.click();
    }
    // The URL must outlive the click: revoke it once the download has surely started.
    gloo::timers::callback::Timeout::new(10_000, move || drop(url)).forget();
}

/// Said in a tab that does not write the saved session: another tab holds it, took it over,
/// or saved newer work.
#[component]
pub fn LeaseNotice() -> Html {
    let workbench = use_workbench();
    let lease = workbench.workbench.borrow().lease;
    let compact = use_state(|| false);
    let text = match lease {
        Lease::Writer => return html! {},
        Lease::Elsewhere => {
            "This session is open in another tab. This tab is read only: what you do here is not saved."
        }
        Lease::TakenOver => {
            "This session was taken over in another tab. What you do here is no longer saved."
        }
        Lease::Stale => {
            "Newer work on this session was saved in another tab; this tab no longer saves (nothing was written over it)."
        }
    };
    let take_over = Callback::from(|_: MouseEvent| super::lease::take_over());
    let read_only = {
        let compact = compact.clone();
        Callback::from(move |_: MouseEvent| compact.set(true))
    };
    if *compact {
        return html! {
            <div class="lease-notice compact" role="status">
                <span>{"Read only: not saved"}</span>
                <button class="clock-btn lease-take" onclick={take_over}>{"Take over here"}</button>
            </div>
        };
    }
    html! {
        <div class="lease-notice" role="alert">
            <span>{text}</span>
            <button class="btn primary lease-take" onclick={take_over}
                title="Reload this tab with the newest saved work; the other tab stops saving">{"Take over here"}</button>
            if lease == Lease::Elsewhere {
                <button class="btn lease-read-only" onclick={read_only}>{"Read only"}</button>
            }
        </div>
    }
}
