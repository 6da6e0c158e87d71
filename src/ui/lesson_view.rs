//! The lesson panel: the catalog (with progress and a way to open a lesson file from disk),
//! a built-in lesson on its way (loading, or why it could not be fetched, with a retry), or
//! the lesson being followed — its current step, a ✓ as soon as the step's checks pass, hints
//! on request, the solution, and commands that run when clicked.
//!
//! Lesson text is untrusted (an instructor's file, a link): `markdown` draws it as elements
//! and text nodes, never as HTML.

use gloo::file::File as GlooFile;
use gloo::file::callbacks::FileReader;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::markdown::render as markdown;
use super::state::{Action, LessonAction, WorkbenchContext, use_workbench};
use crate::lesson::link::Course;
use crate::lesson::{Outcome, catalog};
use crate::session::LessonRun;
use crate::session::{LessonFetch, LinkFetch, Linked};

#[component]
pub fn LessonView() -> Html {
    let workbench = use_workbench();
    // A file being read; kept alive until its callback runs.
    let reader = use_mut_ref(|| None::<FileReader>);
    let wb = workbench.workbench.borrow();
    if !wb.lessons_open {
        return html! {};
    }
    let body = match (&wb.lesson, &wb.lesson_fetch, &wb.link_fetch) {
        (_, _, Some(link)) => link_panel(&workbench, link),
        (Some(run), _, _) => html! {
            <>
                { preview_report(&workbench, wb.check_report.as_ref()) }
                { lesson_panel(&workbench, run, wb.next_course_lesson()) }
            </>
        },
        (None, Some(fetch), _) => fetch_panel(&workbench, fetch),
        (None, None, _) => html! {
            <>
                { preview_report(&workbench, wb.check_report.as_ref()) }
                { catalog_panel(&workbench, &wb.progress, wb.course.as_ref(), reader) }
            </>
        },
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
    course: Option<&Course>,
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
            if let Some(course) = course {
                { course_list(workbench, course, progress) }
            }
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
            if super::lesson_preview::available() {
                <button class="btn" title="Re-opens and re-checks the file each time you save it"
                    onclick={{ let workbench = workbench.clone(); Callback::from(move |_: MouseEvent| super::lesson_preview::watch(workbench.clone())) }}>
                    {"Watch a lesson file…"}</button>
            }
        </div>
    }
}

/// An author's preview of a lesson file: `kplay --check`'s verdict and report, and the file
/// being watched (if any).
fn preview_report(workbench: &WorkbenchContext, report: Option<&(bool, String)>) -> Html {
    let Some((ok, text)) = report else {
        return html! {};
    };
    let watching = super::lesson_preview::watching();
    let stop = {
        let workbench = workbench.clone();
        Callback::from(move |_: MouseEvent| {
            super::lesson_preview::stop();
            workbench.dispatch(Action::Refresh);
        })
    };
    html! {
        <details class={classes!("preview-report", (!*ok).then_some("failed"))} open={!*ok} role="status">
            <summary>{ if *ok { "✓ Preview: every step passes kplay --check" } else { "✗ Preview: kplay --check fails" } }</summary>
            <pre>{ text.clone() }</pre>
            if watching.is_some() {
                <p class="meta">{"Watching the file: each save opens it again."}
                    <button class="link-btn" onclick={stop}>{"Stop watching"}</button></p>
            } else {
                <p class="meta">{"Saved a change? Open the file again to re-check it."}</p>
            }
        </details>
    }
}

/// The course's lessons in order: done, open, or locked until their prerequisites are done.
fn course_list(
    workbench: &WorkbenchContext,
    course: &Course,
    progress: &crate::session::Progress,
) -> Html {
    let done = |id: &str| course.completed(id, progress);
    let finished = course.lessons.iter().filter(|l| done(&l.id)).count();
    html! {
        <section class="course" aria-label="Course">
            <h3 class="course-title">{ course.title.clone() }</h3>
            <p class="meta course-progress">{ format!("{finished} of {} lessons done", course.lessons.len()) }</p>
            <ol class="lesson-list">
                { for course.lessons.iter().enumerate().map(|(i, lesson)| {
                    let complete = done(&lesson.id);
                    let open = course.unlocked(i, &done);
                    let needs = lesson.requires.join(", ");
                    html! {
                        <li class={classes!("lesson-item", complete.then_some("complete"))} data-course-lesson={lesson.id.clone()}>
                            <button class="lesson-start" disabled={!open}
                                title={if open { String::new() } else { format!("Finish {needs} first") }}
                                onclick={dispatch(workbench, move || LessonAction::OpenCourseLesson(i))}>
                                <span class="lesson-title">{ lesson.title.clone() }</span>
                                if !open { <span class="meta">{ format!("after {needs}") }</span> }
                                <span class="lesson-progress">{ if complete { "✓ done" } else { "" } }</span>
                            </button>
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}

/// A lesson or course a link asked for: loading, or why it cannot be opened (with a retry
/// when there is a file to fetch again).
fn link_panel(workbench: &WorkbenchContext, link: &LinkFetch) -> Html {
    let what = match link.what {
        Linked::Course => "course",
        Linked::Lesson { .. } => "lesson",
    };
    html! {
        <div class="lesson-fetch" data-link-fetch={link.url.clone()} aria-busy={link.failed.is_none().to_string()}>
            <div class="lesson-top">
                <button class="link-btn" onclick={dispatch(workbench, || LessonAction::Close)} title="Back to the lesson list">{"← Lessons"}</button>
            </div>
            if let Some(why) = &link.failed {
                <div class="lesson-error" role="alert">
                    <p>{ format!("This {what} could not be opened: {why}.") }</p>
                    <p class="meta">{"Your own session is unchanged."}</p>
                    if !link.url.is_empty() {
                        <button class="btn primary" onclick={dispatch(workbench, || LessonAction::Retry)}>{"Retry"}</button>
                    }
                </div>
            } else {
                <p class="meta lesson-loading" role="status">{ format!("Loading the {what} from {}…", link.url) }</p>
            }
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

fn lesson_panel(
    workbench: &WorkbenchContext,
    run: &LessonRun,
    next: Option<(usize, &str)>,
) -> Html {
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
    // A lesson of the site shows images from its folder; a file or a link has none here.
    let images = match run.source {
        crate::session::LessonSource::BuiltIn(_) => Some("lessons/"),
        crate::session::LessonSource::File(_) => None,
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
                <div class="lesson-intro">{ markdown(&lesson.intro, images, false, &run_cmd) }</div>
            }
            <section class={classes!("step", passed.then_some("passed"))} aria-live="polite">
                <h3 class="step-title">
                    { format!("Step {} of {}: {}", n + 1, total, step.title) }
                    if passed { <span class="step-check" aria-label="done">{" ✓"}</span> }
                </h3>
                <div class="step-text">{ markdown(&step.text, images, false, &run_cmd) }</div>
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
                    <div class="hint"><strong>{"Hint: "}</strong>{ markdown(h, images, true, &run_cmd) }</div>
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
                        if let Some((next, title)) = next {
                            <button class="btn primary next-lesson" onclick={dispatch(workbench, move || LessonAction::OpenCourseLesson(next))}>
                                { format!("Next lesson: {title} →") }</button>
                        }
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
            <label class="question-text" for="lesson-answer">{ markdown(question, None, true, run) }</label>
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
pub(super) fn is_command(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("");
    let base = first.rsplit('/').next().unwrap_or(first);
    text.contains(' ')
        && (base.starts_with("kafka-")
            || matches!(
                base,
                "playground" | "seq" | "echo" | "printf" | "sleep" | "jobs" | "kill" | "fg" | "cat"
            ))
}

pub(super) fn command_line(line: &str, run: &Callback<String>) -> Html {
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
