//! The lesson panel: the catalog (with progress and a way to open a lesson file from disk),
//! a built-in lesson on its way (loading, or why it could not be fetched, with a retry), or
//! the lesson being followed — its current step, a ✓ as soon as the step's checks pass, hints
//! on request, the solution, and commands that run when clicked.
//!
//! Lesson text is untrusted (an instructor's file): it is rendered from a tiny Markdown subset
//! into text nodes, never as HTML.

use gloo::file::File as GlooFile;
use gloo::file::callbacks::FileReader;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::state::{Action, LessonAction, WorkbenchContext, use_workbench};
use crate::lesson::{Outcome, catalog};
use crate::session::LessonFetch;
use crate::session::LessonRun;

#[component]
pub fn LessonView() -> Html {
    let workbench = use_workbench();
    // A file being read; kept alive until its callback runs.
    let reader = use_mut_ref(|| None::<FileReader>);
    let wb = workbench.workbench.borrow();
    if !wb.lessons_open {
        return html! {};
    }
    let body = match (&wb.lesson, &wb.lesson_fetch) {
        (Some(run), _) => lesson_panel(&workbench, run),
        (None, Some(fetch)) => fetch_panel(&workbench, fetch),
        (None, None) => catalog_panel(&workbench, &wb.progress, reader),
    };
    html! {
        <@{super::cluster_view::panel_tag(wb.embed.is_some())} class="lesson-panel" aria-label="Lesson" role={wb.embed.is_some().then_some("group")}>
            { body }
        </@>
    }
}

fn dispatch(
    workbench: &WorkbenchContext,
    action: impl Fn() -> LessonAction + 'static,
) -> Callback<MouseEvent> {
    let workbench = workbench.clone();
    Callback::from(move |_: MouseEvent| workbench.dispatch(Action::Lesson(action())))
}

fn open_file(
    workbench: &WorkbenchContext,
    reader: &std::rc::Rc<std::cell::RefCell<Option<FileReader>>>,
    file: web_sys::File,
) {
    let workbench = workbench.clone();
    let name = file.name();
    let file = GlooFile::from(file);
    let task = gloo::file::callbacks::read_as_text(&file, move |result| {
        let action = match result {
            Ok(text) => LessonAction::OpenFile { name, text },
            Err(e) => LessonAction::OpenFile {
                text: String::new(),
                name: format!("{name} (unreadable: {e})"),
            },
        };
        workbench.dispatch(Action::Lesson(action));
    });
    *reader.borrow_mut() = Some(task);
}

fn catalog_panel(
    workbench: &WorkbenchContext,
    progress: &crate::session::Progress,
    reader: std::rc::Rc<std::cell::RefCell<Option<FileReader>>>,
) -> Html {
    let onchange = {
        let workbench = workbench.clone();
        let reader = reader.clone();
        Callback::from(move |e: Event| {
            if let Some(file) = super::session_menu::chosen_files(&e).into_iter().next() {
                open_file(&workbench, &reader, file);
            }
        })
    };
    let ondrop = {
        let workbench = workbench.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if let Some(file) = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0))
            {
                open_file(&workbench, &reader, file);
            }
        })
    };
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    html! {
        <div class="catalog" {ondrop} {ondragover}>
            <div class="lesson-top">
                <h2 class="section-title">{"Lessons"}</h2>
                <button class="link-btn" onclick={dispatch(workbench, || LessonAction::Toggle)} aria-label="Hide lessons">{"×"}</button>
            </div>
            <p class="meta">{"Guided exercises, checked against the cluster after every command. Starting one replaces the cluster with the lesson's own."}</p>
            <ol class="lesson-list">
                // The build-time index: the files themselves are fetched when a lesson opens.
                { for catalog::INDEX.iter().map(|lesson| {
                    let done = progress.get(lesson.id).copied().unwrap_or(0);
                    let total = lesson.steps;
                    let id = lesson.id;
                    html! {
                        <li class={classes!("lesson-item", (done >= total).then_some("complete"))} data-lesson={id}>
                            <button class="lesson-start" onclick={dispatch(workbench, move || LessonAction::Start(id.to_string()))}>
                                <span class="lesson-title">{ lesson.title }</span>
                                <span class="meta">{ format!("{} · {} steps", lesson.level, total) }</span>
                                <span class="lesson-progress" aria-label={format!("{done} of {total} steps done")}>
                                    { if done >= total { "✓ done".to_string() } else if done > 0 { format!("{done}/{total}") } else { String::new() } }
                                </span>
                            </button>
                        </li>
                    }
                }) }
            </ol>
            <label class="open-file">
                {"Open a lesson file… "}
                <input type="file" accept=".md,.markdown,.txt,text/markdown" {onchange} aria-label="Open a lesson file" />
            </label>
            <p class="meta">{"or drop a lesson file here. Format: lessons/README.md."}</p>
        </div>
    }
}

/// A built-in lesson not here yet: "Loading lesson…", or why it could not be fetched with a
/// retry — never an empty panel.
fn fetch_panel(workbench: &WorkbenchContext, fetch: &LessonFetch) -> Html {
    html! {
        <div class="lesson-fetch" data-lesson-fetch={fetch.entry.id} aria-busy={fetch.failed.is_none().to_string()}>
            <div class="lesson-top">
                <button class="link-btn" onclick={dispatch(workbench, || LessonAction::Close)} title="Back to the lesson list">{"← Lessons"}</button>
            </div>
            <h2 class="lesson-name">{ fetch.entry.title }</h2>
            if let Some(why) = &fetch.failed {
                <div class="lesson-error" role="alert">
                    <p>{ format!("This lesson could not be loaded: {why}.") }</p>
                    <p class="meta">{"Lessons are downloaded from the site when they open (after a first visit online, also offline)."}</p>
                    <button class="btn primary" onclick={dispatch(workbench, || LessonAction::Retry)}>{"Retry"}</button>
                </div>
            } else {
                <p class="meta lesson-loading" role="status">{"Loading lesson…"}</p>
            }
        </div>
    }
}

fn lesson_panel(workbench: &WorkbenchContext, run: &LessonRun) -> Html {
    let lesson = &run.lesson;
    let Some(step) = lesson.steps.get(run.step) else {
        return html! {};
    };
    let n = run.step;
    let total = lesson.steps.len();
    let passed = run.passed[n];
    let run_cmd = {
        let workbench = workbench.clone();
        Callback::from(move |command: String| workbench.dispatch(Action::RunCommand(command)))
    };
    html! {
        <div class="lesson" data-lesson={lesson.id.clone()} data-step={n.to_string()}>
            <div class="lesson-top">
                <button class="link-btn" onclick={dispatch(workbench, || LessonAction::Close)} title="Back to the lesson list">{"← Lessons"}</button>
                <button class="link-btn" onclick={dispatch(workbench, || LessonAction::Reset)} title="Start this lesson again on a fresh cluster">{"↺ Reset"}</button>
            </div>
            <h2 class="lesson-name">{ lesson.title.clone() }</h2>
            <ol class="steps-nav" aria-label="Steps">
                { for (0..total).map(|i| {
                    let class = classes!("step-dot", (i == n).then_some("current"), run.passed[i].then_some("passed"));
                    html! {
                        <li><button class={class} onclick={dispatch(workbench, move || LessonAction::GoTo(i))}
                            disabled={!run.may_open(i)}
                            title={if run.may_open(i) { "" } else { "Opens once the steps before it are done" }}
                            aria-label={format!("Step {}{}", i + 1, if run.passed[i] { ", done" } else { "" })}
                            aria-current={(i == n).then_some("step")}>{ if run.passed[i] { "✓".to_string() } else { (i + 1).to_string() } }</button></li>
                    }
                }) }
            </ol>
            if n == 0 && !lesson.intro.is_empty() {
                <div class="lesson-intro">{ markdown(&lesson.intro, &run_cmd) }</div>
            }
            <section class={classes!("step", passed.then_some("passed"))} aria-live="polite">
                <h3 class="step-title">
                    { format!("Step {} of {}: {}", n + 1, total, step.title) }
                    if passed { <span class="step-check" aria-label="done">{" ✓"}</span> }
                </h3>
                <div class="step-text">{ markdown(&step.text, &run_cmd) }</div>
                <ul class="checks" aria-label="Checks">
                    { for step.checks.iter().enumerate().map(|(i, c)| {
                        let outcome = run.outcomes.get(i);
                        let ok = outcome.is_some_and(Outcome::passed);
                        let why = match outcome { Some(Outcome::Fail(why)) => why.clone(), _ => String::new() };
                        html! {
                            <li class={classes!("check", ok.then_some("ok"))}>
                                <span class="check-mark" aria-hidden="true">{ if ok { "✓" } else { "○" } }</span>
                                <code>{ c.text.clone() }</code>
                                if !ok && !why.is_empty() { <div class="check-why">{ why }</div> }
                            </li>
                        }
                    }) }
                </ul>
                if let Some(question) = &step.question {
                    { question_form(workbench, question, &step.choices, &run_cmd) }
                }
                { for step.hints.iter().take(run.hints_shown).map(|h| html! {
                    <div class="hint"><strong>{"Hint: "}</strong>{ inline(h, &run_cmd) }</div>
                }) }
                if run.solution_shown {
                    <div class="solution">
                        <div class="meta">{"Solution:"}</div>
                        { for step.solution.iter().map(|l| command_line(l, &run_cmd)) }
                    </div>
                }
                <div class="lesson-actions">
                    if run.hints_shown < step.hints.len() {
                        <button class="btn" onclick={dispatch(workbench, || LessonAction::Hint)}>{ if run.hints_shown == 0 { "Hint" } else { "Another hint" } }</button>
                    }
                    if !run.solution_shown {
                        <button class="btn" onclick={dispatch(workbench, || LessonAction::ShowSolution)}>{"Show solution"}</button>
                    } else {
                        <button class="btn" onclick={dispatch(workbench, || LessonAction::RunSolution)}>{"Run solution"}</button>
                    }
                    if n + 1 < total {
                        <button class={classes!("btn", passed.then_some("primary"))} onclick={dispatch(workbench, move || LessonAction::GoTo(n + 1))}
                            disabled={!run.may_open(n + 1)}
                            title={if run.may_open(n + 1) { "" } else { "Do this step first (or run its solution)" }}>{"Next step →"}</button>
                    } else if run.finished() {
                        <span class="lesson-done" role="status">{"✓ Lesson complete"}</span>
                    }
                </div>
                <super::hand_in::HandIn />
            </section>
        </div>
    }
}

/// The step's question: a button per choice, or a free answer. Answering types
/// `playground answer …` (so the answer is in the journal, and undo and reloads keep it).
fn question_form(
    workbench: &WorkbenchContext,
    question: &str,
    choices: &[String],
    run: &Callback<String>,
) -> Html {
    let answer = {
        let workbench = workbench.clone();
        move |text: &str| workbench.dispatch(Action::Control(answer_command(text)))
    };
    let onsubmit = {
        let answer = answer.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = e
                .target_dyn_into::<web_sys::Element>()
                .and_then(|form| form.query_selector("input").ok().flatten())
                .and_then(|el| el.dyn_into::<HtmlInputElement>().ok());
            if let Some(input) = input {
                if !input.value().trim().is_empty() {
                    answer(&input.value());
                    input.set_value("");
                }
            }
        })
    };
    html! {
        <form class="question" {onsubmit} aria-label="Question">
            <label class="question-text" for="lesson-answer">{ inline(question, run) }</label>
            if choices.is_empty() {
                <div class="question-row">
                    <input id="lesson-answer" class="answer-input" type="text" autocomplete="off" spellcheck="false" />
                    <button class="btn primary" type="submit">{"Answer"}</button>
                </div>
            } else {
                <div class="choices" role="group" aria-label="Choices">
                    { for choices.iter().map(|choice| {
                        let answer = answer.clone();
                        let text = choice.clone();
                        html! {
                            <button class="btn choice" type="button" onclick={Callback::from(move |_: MouseEvent| answer(&text))}>{ choice.clone() }</button>
                        }
                    }) }
                </div>
            }
        </form>
    }
}

/// `playground answer TEXT`, quoted for the shell. A single quote inside becomes ’ so the
/// answer stays one quoted word.
fn answer_command(text: &str) -> String {
    let text = text.trim().replace('\'', "’").replace(['\n', '\r'], " ");
    format!("playground answer '{text}'")
}

/// Words that start a console command: such code spans and lines can be clicked to run.
fn is_command(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("");
    let base = first.rsplit('/').next().unwrap_or(first);
    text.contains(' ')
        && (base.starts_with("kafka-")
            || matches!(
                base,
                "playground" | "seq" | "echo" | "printf" | "sleep" | "jobs" | "kill" | "fg" | "cat"
            ))
}

fn command_line(line: &str, run: &Callback<String>) -> Html {
    if is_command(line) {
        let (run, command) = (run.clone(), line.to_string());
        html! {
            <button class="cmd" title="Run this command in the console" onclick={Callback::from(move |_: MouseEvent| run.emit(command.clone()))}>
                <code>{ line.to_string() }</code>
            </button>
        }
    } else {
        html! { <code class="code-line">{ line.to_string() }</code> }
    }
}

/// Paragraphs, `- ` lists and fenced blocks; inline `code` and **bold**. Everything becomes
/// text nodes: nothing in a lesson is ever interpreted as HTML.
fn markdown(text: &str, run: &Callback<String>) -> Html {
    let mut blocks: Vec<Html> = Vec::new();
    let mut para: Vec<String> = Vec::new();
    let mut list: Vec<String> = Vec::new();
    let mut fence: Option<Vec<&str>> = None;
    let flush = |para: &mut Vec<String>, list: &mut Vec<String>, blocks: &mut Vec<Html>| {
        if !para.is_empty() {
            blocks.push(html! { <p>{ inline(&para.join(" "), run) }</p> });
            para.clear();
        }
        if !list.is_empty() {
            blocks.push(html! { <ul>{ for list.iter().map(|i| html! { <li>{ inline(i, run) }</li> }) }</ul> });
            list.clear();
        }
    };
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            match fence.take() {
                Some(lines) => blocks.push(html! {
                    <div class="code-block">{ for lines.iter().map(|l| command_line(l, run)) }</div>
                }),
                None => {
                    flush(&mut para, &mut list, &mut blocks);
                    fence = Some(Vec::new());
                }
            }
            continue;
        }
        if let Some(lines) = fence.as_mut() {
            lines.push(line);
            continue;
        }
        let trimmed = line.trim();
        if trimmed.is_empty() {
            flush(&mut para, &mut list, &mut blocks);
        } else if let Some(item) = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
        {
            if !para.is_empty() {
                flush(&mut para, &mut Vec::new(), &mut blocks);
            }
            list.push(item.to_string());
        } else if let (Some(last), true) = (list.last_mut(), line.starts_with("  ")) {
            // A list item's continuation line.
            last.push(' ');
            last.push_str(trimmed);
        } else {
            if !list.is_empty() {
                flush(&mut Vec::new(), &mut list, &mut blocks);
            }
            para.push(trimmed.to_string());
        }
    }
    if let Some(lines) = fence {
        blocks.push(html! { <div class="code-block">{ for lines.iter().map(|l| command_line(l, run)) }</div> });
    }
    flush(&mut para, &mut list, &mut blocks);
    html! { <>{ for blocks }</> }
}

/// Inline `code` (clickable when it is a command) and **bold**.
fn inline(text: &str, run: &Callback<String>) -> Html {
    let mut parts: Vec<Html> = Vec::new();
    for (i, piece) in text.split('`').enumerate() {
        if i % 2 == 1 {
            parts.push(if is_command(piece) {
                command_line(piece, run)
            } else {
                html! { <code>{ piece.to_string() }</code> }
            });
            continue;
        }
        for (j, bit) in piece.split("**").enumerate() {
            if j % 2 == 1 {
                parts.push(html! { <strong>{ bit.to_string() }</strong> });
            } else if !bit.is_empty() {
                parts.push(html! { { bit.to_string() } });
            }
        }
    }
    html! { <>{ for parts }</> }
}
