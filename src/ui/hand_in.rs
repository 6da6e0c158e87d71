//! "Hand in": the learner's results for the lesson in progress, as a file and as a completion
//! code to paste into a chat — what the instructor page (`#instructor`) reads.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::state::use_workbench;

#[component]
pub fn HandIn() -> Html {
    let workbench = use_workbench();
    let name = use_state(String::new);
    let oninput = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                name.set(input.value());
            }
        })
    };
    let results = workbench.workbench.borrow().results(&name);
    let Some(results) = results else {
        return html! {};
    };
    let code = results.codes().join("\n");
    let file_name = format!(
        "results-{}-{}.json",
        results.lessons.first().map_or("lesson", |l| l.id.as_str()),
        if results.learner.is_empty() {
            "learner"
        } else {
            "named"
        }
    );
    let download = {
        let text = results.to_text();
        Callback::from(move |_: MouseEvent| {
            super::session_menu::download(&text, "application/json", &file_name)
        })
    };
    let copy = {
        let code = code.clone();
        Callback::from(move |_: MouseEvent| super::share_link::copy(&code))
    };
    let named = !results.learner.is_empty();
    html! {
        <details class="hand-in">
            <summary>{"Hand in your results"}</summary>
            <label class="hand-in-row">{"Your name "}
                <input class="answer-input" type="text" value={(*name).clone()} {oninput} maxlength="60" autocomplete="name" />
            </label>
            <div class="hand-in-row">
                <button class="btn" onclick={download} disabled={!named}>{"Download results"}</button>
                <button class="btn" onclick={copy} disabled={!named}>{"Copy code"}</button>
            </div>
            if named {
                <code class="completion-code" aria-label="Completion code">{ code }</code>
            }
            <p class="meta">{"Your instructor opens these on the instructor page. A checksum shows a file was edited; it cannot prove who did the work."}</p>
        </details>
    }
}
