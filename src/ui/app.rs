//! The root component: opens the session, provides it, runs the clock, carries out what the
//! reducer asks (saving, fetching a lesson, posting to other widgets), lays out the page.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Interval;
use yew::prelude::*;

use crate::session::{
    Lease, LinkStart, ReplayBudget, Start, Storage, Stored, Workbench, consent_question,
};

use super::clock_view::ClockView;
use super::cluster_view::ClusterView;
use super::console_view::ConsoleView;
use super::lesson_view::LessonView;
use super::replay_progress::{PendingReplay, ReplayProgress};
use super::session_menu::{LeaseNotice, SessionMenu};
use super::splitter::Splitter;
use super::state::{Action, LessonAction, WorkbenchContext, WorkbenchState};
use super::storage::IndexedDb;

/// How often the cluster clock follows the wall clock and running tools are polled.
const TICK_MS: u32 = 100;

/// What the page opens with (see [`open`]).
struct Opening {
    workbench: Workbench,
    /// Storage has yet to answer.
    awaiting_storage: bool,
    /// A link over the replay budget: its code and the question to ask.
    consent: Option<(String, String)>,
    /// A lesson or course link to open once storage has answered.
    lesson_link: Option<crate::lesson::link::LinkRequest>,
    /// A link's replay to run in slices after the first draw.
    replay: Option<PendingReplay>,
}

/// The session this page opens: a widget's, a share link's (opened as a session of its own:
/// the one this browser kept is set aside among the recent sessions), the one in storage, or
/// a fresh one. Also whether storage has yet to answer (then its answer comes as
/// `Action::Restored`). A link's replay runs after the first draw, in slices
/// (`replay_progress`); the reader's own session is what opens meanwhile. A lesson or course
/// link is returned to open once storage has answered.
fn open() -> Opening {
    let host = Rc::new(super::host::Browser);
    let now = js_sys::Date::now();
    match super::share_link::embed_from_location() {
        Some(Ok(config)) => {
            return Opening {
                workbench: Workbench::open(Start::Embed(config), now, host),
                awaiting_storage: false,
                consent: None,
                lesson_link: None,
                replay: None,
            };
        }
        Some(Err(why)) => {
            return Opening {
                workbench: Workbench::open(Start::EmbedRefused(why), now, host),
                awaiting_storage: false,
                consent: None,
                lesson_link: None,
                replay: None,
            };
        }
        None => {}
    }
    let answer = Rc::new(RefCell::new(None));
    let slot = answer.clone();
    IndexedDb.load(Box::new(move |stored| *slot.borrow_mut() = Some(stored)));
    let answer = answer.borrow_mut().take();
    let mut consent = None;
    let mut replaying = None;
    let (mut wb, waiting) = match (super::share_link::take_from_location(), answer) {
        (Some((code, consented)), stored) => {
            let stored = stored.unwrap_or(Ok(Stored::default()));
            // A link replays within the budget unless the reader agreed to more; over it,
            // the reader's own session opens and the page asks.
            let budget = ReplayBudget::default();
            let budget = (!consented).then_some(&budget);
            match Workbench::start_link(&code, stored.clone(), now, host.clone(), budget) {
                LinkStart::Opened(wb) => (*wb, false),
                LinkStart::Consent(over) => {
                    let question = consent_question(&over).unwrap_or_default();
                    consent = Some((code, question));
                    (Workbench::open(Start::Stored(stored), now, host), false)
                }
                LinkStart::Replaying(replay) => {
                    replaying = Some(PendingReplay {
                        replay,
                        stored: stored.clone(),
                        code,
                        host: host.clone(),
                    });
                    (Workbench::open(Start::Stored(stored), now, host), false)
                }
            }
        }
        (None, Some(stored)) => (Workbench::open(Start::Stored(stored), now, host), false),
        (None, None) => (Workbench::open(Start::Fresh, now, host), true),
    };
    wb.lease = super::lease::lease();
    // A lesson or course link opens on the session storage gave (once it has answered).
    let mut link = super::share_link::lesson_link_from_location();
    if !waiting {
        if let Some(request) = link.take() {
            wb.apply(crate::session::Action::Lesson(LessonAction::Link(request)));
        }
    }
    keep_aside(&mut wb);
    Opening {
        workbench: wb,
        awaiting_storage: waiting,
        consent,
        lesson_link: link,
        replay: replaying,
    }
}

/// A session to keep among the recent ones goes there before anything else is written.
pub(super) fn keep_aside(wb: &mut Workbench) {
    if let Some(aside) = wb.set_aside.take() {
        // Only the writer moves what storage holds.
        if wb.lease.writes() {
            super::storage::set_aside(aside, js_sys::Date::now());
        }
    }
}

#[component]
pub fn App() -> Html {
    let awaiting_storage = use_mut_ref(|| false);
    let asked = use_mut_ref(|| None::<(String, String)>);
    let pending_link = use_mut_ref(|| None::<crate::lesson::link::LinkRequest>);
    let pending = use_mut_ref(|| None::<PendingReplay>);
    let state = {
        let awaiting = awaiting_storage.clone();
        let asked = asked.clone();
        let pending_link = pending_link.clone();
        let pending = pending.clone();
        use_reducer_eq(move || {
            let opening = open();
            *awaiting.borrow_mut() = opening.awaiting_storage;
            *asked.borrow_mut() = opening.consent;
            *pending_link.borrow_mut() = opening.lesson_link;
            *pending.borrow_mut() = opening.replay;
            let workbench = opening.workbench;
            WorkbenchState::new(workbench)
        })
    };
    // A share link over the replay budget waits for the reader's yes.
    let consent = use_state(|| asked.borrow_mut().take());
    // A link's replay runs in slices after the first draw; until it is done only its progress
    // shows (the reader's session behind it is not touched).
    let replay_shown = use_state(|| pending.borrow().as_ref().map(|p| p.replay.progress()));
    if replay_shown.is_some() {
        return html! {
            <ReplayProgress pending={super::replay_progress::Pending(pending)} state={state.clone()}
                progress={replay_shown.clone()} consent={consent.clone()} />
        };
    }
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            if *awaiting_storage.borrow() {
                IndexedDb.load(Box::new(move |stored| {
                    state.dispatch(Action::Restored(stored));
                    if let Some(request) = pending_link.borrow_mut().take() {
                        state.dispatch(Action::Lesson(LessonAction::Link(request)));
                    }
                }));
            }
        });
    }
    // Another tab may take the writer's lease over: this page then saves nothing more.
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            super::lease::on_lost(move || state.dispatch(Action::Lease(Lease::TakenOver)));
        });
    }
    // window.kafkaPlayground for host pages and automation.
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            // The group link first: a host page's request to a shared widget goes through it.
            super::widget_group::install(state.clone());
            super::api::install(state);
        });
    }
    // A built-in lesson's file, fetched when the workbench asks for it (a lesson opened, the
    // one in progress before a reload, a widget's lesson); a retry asks again.
    {
        let wanted = state.workbench.borrow().lesson_to_fetch();
        let state = state.clone();
        use_effect_with(wanted, move |wanted| {
            if let Some((id, attempt, url)) = wanted.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    let result = super::lesson_fetch::fetch_text(&url).await;
                    state.dispatch(Action::Lesson(LessonAction::Fetched {
                        id,
                        attempt,
                        result,
                    }));
                });
            }
        });
    }
    // A lesson or course file a link asked for (another site's: fetched with CORS).
    {
        let wanted = state.workbench.borrow().link_to_fetch();
        let state = state.clone();
        use_effect_with(wanted, move |wanted| {
            if let Some((attempt, url)) = wanted.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    let result = super::lesson_fetch::fetch_linked(&url).await;
                    state.dispatch(Action::Lesson(LessonAction::LinkFetched {
                        attempt,
                        result,
                    }));
                });
            }
        });
    }
    // Widgets sharing this one's cluster see each change.
    {
        let outgoing = state.outgoing.clone();
        use_effect_with(state.version, move |_| {
            let outgoing = std::mem::take(&mut *outgoing.borrow_mut());
            super::widget_group::changed(&outgoing)
        });
    }
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            let interval = Interval::new(TICK_MS, move || {
                state.dispatch(Action::Tick(js_sys::Date::now()));
            });
            move || drop(interval)
        });
    }
    // Every change is saved (at most once a second, and when the page is hidden or closed),
    // so a reload or a browser restart loses nothing.
    {
        let state = state.clone();
        use_effect_with(state.version, move |_| {
            if !state.save.replace(false) {
                return;
            }
            let (text, meta) = match state.workbench.try_borrow_mut() {
                Ok(mut wb) => {
                    // A saved session that arrived late may have to be kept aside first.
                    keep_aside(&mut wb);
                    wb.to_save()
                }
                Err(_) => {
                    web_sys::console::error_1(
                        &"Kafka Playground: the session was busy when it was to be saved".into(),
                    );
                    return;
                }
            };
            IndexedDb.save(
                text,
                meta,
                Box::new(move |result| {
                    super::fault::note_save(&result);
                    if let Err(why) = result {
                        state.dispatch(Action::SaveFailed(why));
                    }
                }),
            );
        });
    }
    {
        let workbench = state.workbench.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                gloo::events::EventListener::new(&w, "pagehide", move |_| {
                    // After a panic the last good snapshot is what is in storage: keep it.
                    // Leaving for another session: that one is what storage holds now.
                    // Another tab took the lease over (even if this page has not drawn it yet).
                    if super::fault::panicked()
                        || super::storage::leaving()
                        || !super::lease::lease().writes()
                    {
                        return;
                    }
                    match workbench.try_borrow_mut() {
                        Ok(mut wb) => {
                            keep_aside(&mut wb);
                            if let Some((text, meta)) = wb.text_to_keep() {
                                super::storage::save_as_page_goes(&text, &meta);
                            }
                        }
                        Err(_) => web_sys::console::error_1(
                            &"Kafka Playground: the session was busy when the page closed; the last save is kept".into(),
                        ),
                    }
                })
            });
            move || drop(listener)
        });
    }
    let (lessons_open, embed, waiting, brokers) = {
        let wb = state.workbench.borrow();
        let brokers = wb.playground.cluster.brokers().len();
        (
            wb.lessons_open,
            wb.embed.clone(),
            wb.waiting_for_group(),
            brokers,
        )
    };
    // A widget may fix its theme; otherwise the page follows the system.
    {
        let theme = embed.as_ref().map(|e| e.theme.clone()).unwrap_or_default();
        use_effect_with(theme, move |theme| {
            if let Some(root) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
            {
                if !theme.is_empty() {
                    let _ = root.set_attribute("data-theme", theme);
                }
            }
        });
    }
    if embed.is_some() {
        return html! {
            <ContextProvider<WorkbenchContext> context={state}>
                <div class="app embed">
                    // Not landmarks: a docs page holds several widgets, and its own <main>.
                    <div class={classes!("workbench", "embed", lessons_open.then_some("with-lesson"))}>
                        <LessonView />
                        <ConsoleView />
                        // A widget joining a shared cluster draws it once it has a copy; one
                        // whose settings were refused shows only why.
                        if !waiting && !embed.as_ref().is_some_and(|e| e.refused) { <ClusterView /> }
                    </div>
                </div>
            </ContextProvider<WorkbenchContext>>
        };
    }
    // The live view's width, set by dragging the splitter (None: the layout's default).
    let width = use_state(|| None::<f64>);
    let on_resize = {
        let width = width.clone();
        Callback::from(move |w: f64| width.set(Some(w)))
    };
    let cluster_width = width.map_or(String::new(), |w| format!("--cluster-width: {w:.0}px"));
    let run_help = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            state.dispatch(Action::RunCommand("help".into()));
            // The answer is in the console: the keyboard goes there too.
            if let Some(input) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("console-input"))
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
            {
                let _ = input.focus();
            }
        })
    };
    let toggle_lessons = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::Lesson(LessonAction::Toggle)))
    };
    let consent_banner = (*consent).clone().map(|(code, question)| {
        let replay =
            Callback::from(move |_: MouseEvent| super::share_link::replay_consented(&code));
        let keep = {
            let consent = consent.clone();
            Callback::from(move |_: MouseEvent| consent.set(None))
        };
        html! {
            <div class="consent" role="alertdialog" aria-label="A large share link">
                <p>{ question }{" Your own session is open meanwhile and stays as it is."}</p>
                <button class="btn primary" onclick={replay}>{"Replay it"}</button>
                <button class="btn" onclick={keep}>{"Keep my session"}</button>
            </div>
        }
    });
    html! {
        <ContextProvider<WorkbenchContext> context={state}>
            <div class="app">
                <header class="topbar" role="banner">
                    <div class="brand">
                        <span class="logo" aria-hidden="true">{"◆"}</span>
                        <h1 class="title">{"Kafka Playground"}</h1>
                        <span class="subtitle">{ format!("Apache Kafka {} in your browser · KRaft · {brokers} broker{}",
                            crate::console::options::kafka_release(),
                            if brokers == 1 { "" } else { "s" }) }</span>
                    </div>
                    <ClockView />
                    <SessionMenu />
                    <button class={classes!("lessons-btn", lessons_open.then_some("on"))} onclick={toggle_lessons}
                        aria-pressed={lessons_open.to_string()} aria-label="Lessons">{"Lessons"}</button>
                    <button class="help-link" onclick={run_help} title="Run 'help' in the console">
                        {"type "}<code>{"help"}</code>{" to start"}</button>
                </header>
                <LeaseNotice />
                { for consent_banner }
                <main class={classes!("workbench", lessons_open.then_some("with-lesson"))} style={cluster_width}>
                    <LessonView />
                    <ConsoleView />
                    <div class="cluster-wrap">
                        <Splitter on_resize={on_resize} />
                        <ClusterView />
                    </div>
                </main>
            </div>
        </ContextProvider<WorkbenchContext>>
    }
}
