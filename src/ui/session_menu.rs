//! Export and import of the whole session as a file: the same versioned snapshot the browser
//! keeps, so a learner can move their work to another browser or hand it to an instructor.

use gloo::file::callbacks::FileReader;
use gloo::file::{Blob, File as GlooFile, ObjectUrl};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use super::state::{Action, use_workbench};

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
            let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                let workbench = workbench.clone();
                let task =
                    gloo::file::callbacks::read_as_text(&GlooFile::from(file), move |result| {
                        let text = result.unwrap_or_default();
                        workbench.dispatch(Action::Import(text));
                    });
                *reader.borrow_mut() = Some(task);
            }
            input.set_value("");
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
    html! {
        <div class="session-menu">
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

/// Offers `text` as a file download named `name`.
pub(super) fn download(text: &str, mime: &str, name: &str) {
    let blob = Blob::new_with_options(text, Some(mime));
    let url = ObjectUrl::from(blob);
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
