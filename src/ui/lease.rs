//! The writer's lease between tabs of this site: an exclusive Web Lock held for the page's
//! life by the one tab that saves the session. A page takes it if it is free; otherwise it
//! opens read only and may take it over (the page reloads with `steal`, so it continues from
//! the newest saved work, and the tab that held it hears it is no longer the writer). Where a
//! browser has no Web Locks every tab writes, and the generation stamped on each save (see
//! `session::stored`) still keeps older work from replacing newer.
//!
//! `navigator.locks` is called through `js_sys::Reflect`: web-sys binds it only behind its
//! unstable-API flag.

use std::cell::{Cell, RefCell};

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::session::Lease;

const LOCK: &str = "kafka-playground/writer";
/// Set (in this tab's session storage) by "Take over here" just before the page reloads.
const TAKE_OVER: &str = "kafka-playground/take-over";

thread_local! {
    static LEASE: Cell<Lease> = const { Cell::new(Lease::Writer) };
    /// Told when another tab takes the lease over.
    static ON_LOST: RefCell<Option<Box<dyn Fn()>>> = const { RefCell::new(None) };
}

/// Whether this page holds the lease (as [`acquire`] found it, or since it was lost).
pub fn lease() -> Lease {
    LEASE.with(Cell::get)
}

/// `then` runs when another tab takes the lease over.
pub fn on_lost(then: impl Fn() + 'static) {
    ON_LOST.with(|l| *l.borrow_mut() = Some(Box::new(then)));
}

/// Takes the lease if it is free (or, after "Take over here", from the tab holding it); call
/// once, before the saved session is read. Holds it until the page goes.
pub async fn acquire() {
    let Some(window) = web_sys::window() else {
        return;
    };
    // A widget never saves: it must not keep the site's app tab from writing.
    if window
        .location()
        .hash()
        .is_ok_and(|h| h.starts_with("#embed="))
    {
        return;
    }
    let locks = Reflect::get(&window.navigator(), &"locks".into()).unwrap_or_default();
    let Ok(request) =
        Reflect::get(&locks, &"request".into()).and_then(|r| r.dyn_into::<Function>())
    else {
        return;
    };
    let session = window.session_storage().ok().flatten();
    let steal = session
        .as_ref()
        .and_then(|s| s.get_item(TAKE_OVER).ok().flatten())
        .is_some();
    if let Some(s) = &session {
        let _ = s.remove_item(TAKE_OVER);
    }
    // A reloaded page may find the lease still held by the page it replaces for a moment:
    // it asks again a few times before calling the holder another tab.
    for attempt in 0..RETRIES {
        if attempt > 0 {
            sleep(RETRY_MS).await;
        }
        if let Some(true) = try_acquire(&locks, &request, steal).await {
            LEASE.with(|l| l.set(Lease::Writer));
            return;
        }
    }
    LEASE.with(|l| l.set(Lease::Elsewhere));
}

async fn sleep(ms: u32) {
    let wake = Promise::new(&mut |resolve, _| {
        gloo::timers::callback::Timeout::new(ms, move || {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        })
        .forget();
    });
    let _ = JsFuture::from(wake).await;
}

const RETRIES: u32 = 5;
const RETRY_MS: u32 = 150;

/// One request for the lock: whether it was granted (`None`: the browser refused to ask).
async fn try_acquire(locks: &JsValue, request: &Function, steal: bool) -> Option<bool> {
    let options = Object::new();
    let _ = Reflect::set(
        &options,
        &(if steal { "steal" } else { "ifAvailable" }).into(),
        &JsValue::TRUE,
    );
    let mut granted_to = None;
    let granted = Promise::new(&mut |resolve, _| granted_to = Some(resolve));
    let resolve = granted_to?;
    let callback = Closure::once_into_js(move |lock: JsValue| -> JsValue {
        let _ = resolve.call1(&JsValue::UNDEFINED, &JsValue::from_bool(!lock.is_null()));
        if lock.is_null() {
            JsValue::NULL
        } else {
            // Held until the page goes: a promise that never settles.
            Promise::new(&mut |_, _| {}).into()
        }
    });
    let held = request
        .call3(locks, &LOCK.into(), &options, &callback)
        .ok()?
        .dyn_into::<Promise>()
        .ok()?;
    // The promise of a held lock settles only when another tab steals it.
    let lost = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
        LEASE.with(|l| l.set(Lease::TakenOver));
        ON_LOST.with(|l| {
            if let Some(then) = l.borrow().as_ref() {
                then();
            }
        });
    });
    let _ = held.catch(&lost);
    lost.forget();
    Some(JsFuture::from(granted).await.is_ok_and(|g| g.is_truthy()))
}

/// "Take over here": the page reloads, takes the lease from the tab holding it, and opens the
/// newest saved session.
pub fn take_over() {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Some(s) = window.session_storage().ok().flatten() {
        let _ = s.set_item(TAKE_OVER, "1");
    }
    let _ = window.location().reload();
}
