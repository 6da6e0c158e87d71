//! A share link's replay, run in slices between animation frames: each slice replays entries
//! for about 25 ms of the page's clock, then the page draws the progress and answers clicks.
//! Cancel drops the replay; the reader's own session, open behind it, stays as it was.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use crate::session::{Host, LinkReplay, Stored, Workbench, consent_question};

use super::state::{Action, WorkbenchContext};

/// How long one slice replays before the page draws again (ms of the page's clock).
const SLICE_MS: f64 = 25.0;

/// A link whose replay has not finished, with what finishing it needs.
pub struct PendingReplay {
    pub replay: Box<LinkReplay>,
    pub stored: Result<Stored, String>,
    pub code: String,
    pub host: Rc<dyn Host>,
}

/// The pending replay, shared by the App and the slices (compared by identity).
#[derive(Clone)]
pub struct Pending(pub Rc<RefCell<Option<PendingReplay>>>);

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
pub struct ReplayProgressProps {
    pub pending: Pending,
    pub state: WorkbenchContext,
    /// (entries replayed, entries in all) while the replay runs; `None` once it is over.
    pub progress: UseStateHandle<Option<(usize, usize)>>,
    pub consent: UseStateHandle<Option<(String, String)>>,
}

#[component]
pub fn ReplayProgress(props: &ReplayProgressProps) -> Html {
    {
        let slices = Slices {
            pending: props.pending.clone(),
            state: props.state.clone(),
            progress: props.progress.clone(),
            consent: props.consent.clone(),
        };
        use_effect_with((), move |_| next_frame(Rc::new(slices)));
    }
    let cancel = {
        let pending = props.pending.clone();
        let state = props.state.clone();
        let progress = props.progress.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(p) = pending.0.borrow_mut().take() else {
                return;
            };
            let (done, total) = p.replay.progress();
            state
                .workbench
                .borrow_mut()
                .link_replay_cancelled(done, total);
            progress.set(None);
            state.dispatch(Action::Refresh);
        })
    };
    let (done, total) = (*props.progress).unwrap_or((0, 0));
    let percent = (done * 100).checked_div(total).unwrap_or(100);
    html! {
        <div class="app">
            <header class="topbar" role="banner">
                <div class="brand">
                    <span class="logo" aria-hidden="true">{"◆"}</span>
                    <h1 class="title">{"Kafka Playground"}</h1>
                </div>
            </header>
            <main class="replay-page">
                <section class="replay-progress" aria-labelledby="replay-title">
                    <h2 id="replay-title">{"Opening a shared session"}</h2>
                    <p class="replay-status" role="status" aria-live="polite">
                        { format!("Replaying the link on a fresh cluster: {done} of {total} entries ({percent}%)") }
                    </p>
                    <progress max={total.max(1).to_string()} value={done.to_string()}
                        aria-label="Replay progress"></progress>
                    <p class="replay-hint">{"Your own session is not touched while this runs; Cancel opens it as it was."}</p>
                    <button class="btn" onclick={cancel}>{"Cancel"}</button>
                </section>
            </main>
        </div>
    }
}

/// What a slice needs.
struct Slices {
    pending: Pending,
    state: WorkbenchContext,
    progress: UseStateHandle<Option<(usize, usize)>>,
    consent: UseStateHandle<Option<(String, String)>>,
}

fn next_frame(slices: Rc<Slices>) {
    let run = Closure::once_into_js(move || slice(slices));
    if let Some(w) = web_sys::window() {
        let _ = w.request_animation_frame(run.unchecked_ref());
    }
}

/// Replays for about [`SLICE_MS`], then shows the progress and asks for the next frame; the
/// last slice builds the link's session and puts it in place.
fn slice(slices: Rc<Slices>) {
    // Cancelled: nothing more to do.
    let Some(mut p) = slices.pending.0.borrow_mut().take() else {
        return;
    };
    let start = js_sys::Date::now();
    let done = loop {
        if p.replay.step(1) {
            break true;
        }
        if js_sys::Date::now() - start >= SLICE_MS {
            break false;
        }
    };
    if !done {
        slices.progress.set(Some(p.replay.progress()));
        *slices.pending.0.borrow_mut() = Some(p);
        next_frame(slices);
        return;
    }
    let PendingReplay {
        replay,
        stored,
        code,
        host,
    } = p;
    let now = js_sys::Date::now();
    match Workbench::finish_link(replay, stored, now, host) {
        Ok(mut wb) => {
            let lease = slices.state.workbench.borrow().lease;
            wb.lease = lease;
            super::app::keep_aside(&mut wb);
            *slices.state.workbench.borrow_mut() = wb;
            // The new session is saved by the reducer's next answer (it asks to be).
            slices.state.save.set(true);
        }
        // Only running it showed the link over the budget: the reader is asked, as before.
        Err(over) => {
            let question = consent_question(&over).unwrap_or_default();
            slices.consent.set(Some((code, question)));
        }
    }
    slices.progress.set(None);
    slices.state.dispatch(Action::Refresh);
}
