//! The instructor page (`index.html#instructor`): results files and completion codes from a
//! class in, a table out (and a CSV of it). Static like the rest of the site: nothing is sent
//! anywhere, and nothing touches this browser's own session.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::file::File as GlooFile;
use gloo::file::callbacks::FileReader;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::lesson::results::{class_table, to_csv};

#[component]
pub fn InstructorView() -> Html {
    // Each file read so far, and the pasted codes.
    let files = use_state(Vec::<String>::new);
    let pasted = use_state(String::new);
    let readers = use_mut_ref(Vec::<FileReader>::new);
    let onchange = {
        let files = files.clone();
        Callback::from(move |e: Event| {
            let read: Rc<RefCell<Vec<String>>> = Rc::new(RefCell::new((*files).clone()));
            for file in super::session_menu::chosen_files(&e) {
                let (files, read) = (files.clone(), read.clone());
                let task = gloo::file::callbacks::read_as_text(&GlooFile::from(file), move |r| {
                    read.borrow_mut().push(r.unwrap_or_default());
                    files.set(read.borrow().clone());
                });
                readers.borrow_mut().push(task);
            }
        })
    };
    let oninput = {
        let pasted = pasted.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                pasted.set(area.value());
            }
        })
    };
    let mut inputs = (*files).clone();
    if !pasted.trim().is_empty() {
        inputs.push((*pasted).clone());
    }
    let (rows, problems) = class_table(&inputs);
    let csv = to_csv(&rows);
    let download = Callback::from(move |_: MouseEvent| {
        super::session_menu::download(&csv, "text/csv", "class-results.csv")
    });
    html! {
        <main class="instructor">
            <h1>{"Class results"}</h1>
            <p class="meta">{"Results files and completion codes from your learners. Everything stays in this page. A checksum shows when a file or code was edited by hand; a static site cannot prove who did the work."}</p>
            <label class="btn">{"Add results files… "}
                <input type="file" multiple=true accept=".json,application/json" class="visually-hidden" {onchange} aria-label="Add results files" />
            </label>
            <label class="instructor-codes">{"Completion codes, one per line"}
                <textarea rows="5" {oninput} spellcheck="false" aria-label="Completion codes" />
            </label>
            if !problems.is_empty() {
                <ul class="problems" aria-label="Not read">
                    { for problems.iter().map(|p| html! { <li>{ p.clone() }</li> }) }
                </ul>
            }
            // A phone scrolls the table sideways rather than the page.
            <div class="class-table-wrap">
            <table class="class-table">
                <thead><tr>
                    <th>{"Learner"}</th><th>{"Lesson"}</th><th>{"Steps"}</th><th>{"Attempts"}</th><th>{"Hints"}</th><th>{"Solutions"}</th><th>{"Time"}</th>
                </tr></thead>
                <tbody>
                    { for rows.iter().map(|r| {
                        let (attempts, hints, solutions, time) = match r.detail {
                            Some((a, h, s, t)) => (a.to_string(), h.to_string(), s.to_string(), format!("{}m {:02}s", t / 60, t % 60)),
                            None => ("–".into(), "–".into(), "–".into(), "–".into()),
                        };
                        html! {
                            <tr data-learner={r.learner.clone()}>
                                <td>{ r.learner.clone() }</td><td>{ r.lesson.clone() }</td>
                                <td>{ format!("{}/{}", r.passed, r.steps) }</td>
                                <td>{ attempts }</td><td>{ hints }</td><td>{ solutions }</td><td>{ time }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            </div>
            <button class="btn primary" onclick={download} disabled={rows.is_empty()}>{"Download CSV"}</button>
            <LessonLink />
        </main>
    }
}

/// A lesson an instructor wrote, checked as `kplay --check` checks it, then packed into a
/// link to send to a class (`#lesson=…`): no site to host it on is needed.
#[component]
fn LessonLink() -> Html {
    let text = use_state(String::new);
    // The link, or why there is none (the check's report).
    let made = use_state(|| None::<Result<String, String>>);
    let reader = use_mut_ref(|| None::<FileReader>);
    let onchange = {
        let (text, made) = (text.clone(), made.clone());
        Callback::from(move |e: Event| {
            if let Some(file) = super::session_menu::chosen_files(&e).into_iter().next() {
                let (text, made) = (text.clone(), made.clone());
                let task = gloo::file::callbacks::read_as_text(&GlooFile::from(file), move |r| {
                    let read = r.unwrap_or_default();
                    made.set(Some(lesson_link(&read)));
                    text.set(read);
                });
                *reader.borrow_mut() = Some(task);
            }
        })
    };
    let oninput = {
        let (text, made) = (text.clone(), made.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                text.set(area.value());
                made.set(None);
            }
        })
    };
    let check = {
        let (text, made) = (text.clone(), made.clone());
        Callback::from(move |_: MouseEvent| made.set(Some(lesson_link(&text))))
    };
    html! {
        <section class="lesson-link" aria-label="Lesson link">
            <h2>{"Send a lesson by link"}</h2>
            <p class="meta">{"Choose or paste a lesson file (format: lessons/README.md). It is checked as kplay --check checks it — every step solvable — then packed into a link that carries the whole lesson: no site to host it on is needed. A learner's own session is kept when the link opens."}</p>
            <label class="btn">{"Choose a lesson file… "}
                <input type="file" accept=".md,.markdown,.txt,text/markdown" class="visually-hidden" {onchange} aria-label="Choose a lesson file" />
            </label>
            <label class="lesson-link-text">{"or paste it here"}
                <textarea rows="8" {oninput} value={(*text).clone()} spellcheck="false" aria-label="Lesson text" />
            </label>
            <button class="btn" onclick={check} disabled={text.trim().is_empty()}>{"Check and make link"}</button>
            { match &*made {
                Some(Ok(link)) => {
                    let copy = { let link = link.clone(); Callback::from(move |_: MouseEvent| super::share_link::copy(&link)) };
                    html! {
                        <div class="lesson-link-out" role="status">
                            <p>{ format!("✓ The lesson passes its checks. Its link ({} characters):", link.len()) }</p>
                            <input class="share-url" type="text" readonly=true value={link.clone()} aria-label="Lesson link" />
                            <button class="btn primary" onclick={copy}>{"Copy lesson link"}</button>
                        </div>
                    }
                }
                Some(Err(why)) => html! {
                    <div class="lesson-error" role="alert"><p>{"No link: the lesson does not pass its checks."}</p><pre>{ why.clone() }</pre></div>
                },
                None => html! {},
            } }
        </section>
    }
}

/// The lesson's link, or the check's report when it fails.
fn lesson_link(text: &str) -> Result<String, String> {
    let lesson = crate::lesson::Lesson::parse(text).map_err(|e| format!("{e}"))?;
    let report = crate::lesson::verify::verify(&lesson);
    if !report.ok {
        return Err(report.text);
    }
    Ok(super::share_link::lesson_url_for(
        &crate::lesson::link::encode(text),
    ))
}
