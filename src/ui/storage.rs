//! The session in the browser's IndexedDB: the snapshot's text (as a Blob) under one key, written after
//! changes (when `session::SavePolicy` says so) and read before the page first draws.
//!
//! IndexedDB rather than local storage because local storage keeps about 5 MB per site, and a
//! session with a million records is far larger. IndexedDB answers asynchronously, so the page
//! reads the saved text once before the app mounts ([`preload`]) and [`IndexedDb::load`]
//! answers from that at once. Each save is one `put` in a transaction of its own, whose request
//! goes out when the save is made: saves land in the order they are made, even from a page
//! that is closing. Sessions saved by earlier builds in local storage are read once and moved
//! here.
//!
//! web-sys's IndexedDB bindings are used as they are, with one helper ([`settled`]) that turns
//! a request's or a transaction's events into a future; each transaction is committed as soon
//! as its one request is made.

use std::cell::RefCell;

use js_sys::{Function, Promise};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{EventTarget, IdbDatabase, IdbRequest, IdbTransactionMode};

use crate::session::Storage;

/// Where earlier builds kept the session (local storage).
const LEGACY_KEY: &str = "kafka-playground/session";
const DATABASE: &str = "kafka-playground";
const STORE: &str = "sessions";
/// The one record of [`STORE`] this page reads and writes: the current session.
const CURRENT: &str = "current";

thread_local! {
    /// The database, opened by [`preload`]; `None` where the browser offers no IndexedDB.
    static DB: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
    /// What [`preload`] read, until the workbench takes it.
    static PRELOADED: RefCell<Option<Result<Option<String>, String>>> = const { RefCell::new(None) };
}

/// The browser's words for a failure (a `DOMException`'s name and message).
fn reason(error: &JsValue) -> String {
    match error.dyn_ref::<web_sys::DomException>() {
        Some(e) => format!("{}: {}", e.name(), e.message()),
        None => error
            .as_string()
            .unwrap_or_else(|| "no reason given".to_string()),
    }
}

/// Waits for `target` (a request or a transaction) to fire `ok` (then resolves) or one of
/// `failed` (then rejects with the event's target's `error`).
/// The listeners are added at once, so no event is missed however late the future is awaited.
fn settled(
    target: &EventTarget,
    ok: &str,
    failed: &[&str],
) -> impl Future<Output = Result<(), String>> + use<> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let on_ok = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        });
        let on_failed = Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| {
            let error = e
                .target()
                .and_then(|t| js_sys::Reflect::get(&t, &"error".into()).ok())
                .unwrap_or(JsValue::UNDEFINED);
            let _ = reject.call1(&JsValue::UNDEFINED, &error);
        })
        .into_js_value();
        let _ = target.add_event_listener_with_callback(ok, on_ok.unchecked_ref());
        for name in failed {
            let _ = target.add_event_listener_with_callback(name, on_failed.unchecked_ref());
        }
    });
    let done = JsFuture::from(promise);
    async move { done.await.map(drop).map_err(|e| reason(&e)) }
}

async fn request(req: &IdbRequest) -> Result<JsValue, String> {
    settled(req, "success", &["error"]).await?;
    req.result().map_err(|e| reason(&e))
}

async fn open() -> Result<IdbDatabase, String> {
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or("this browser offers no IndexedDB storage")?;
    let req = factory.open_with_u32(DATABASE, 1).map_err(|e| reason(&e))?;
    let upgrading = req.clone();
    let upgrade = Closure::once_into_js(move || {
        if let Some(db) = upgrading
            .result()
            .ok()
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok())
        {
            let _ = db.create_object_store(STORE);
        }
    });
    req.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let db = request(&req).await?;
    db.dyn_into::<IdbDatabase>()
        .map_err(|_| "the browser opened no database".to_string())
}

async fn read(db: &IdbDatabase) -> Result<Option<String>, String> {
    let store = db
        .transaction_with_str(STORE)
        .and_then(|tx| tx.object_store(STORE))
        .map_err(|e| reason(&e))?;
    let req = store.get(&CURRENT.into()).map_err(|e| reason(&e))?;
    let value = request(&req).await?;
    if let Some(blob) = value.dyn_ref::<web_sys::Blob>() {
        let text = JsFuture::from(blob.text()).await.map_err(|e| reason(&e))?;
        return Ok(text.as_string());
    }
    // Text as such: how a session of this build's first days was kept.
    Ok(value.as_string())
}

/// Opens the database and reads the saved session; call once, before the app mounts.
pub async fn preload() {
    let result = match open().await {
        Ok(db) => {
            let mut result = read(&db)
                .await
                .map_err(|why| format!("the browser refused to read it ({why})"));
            if let Ok(None) = result {
                result = Ok(take_legacy());
            }
            DB.with(|d| *d.borrow_mut() = Some(db));
            result
        }
        // No IndexedDB (some private modes): a session from local storage still opens.
        Err(_) => Ok(take_legacy()),
    };
    PRELOADED.with(|p| *p.borrow_mut() = Some(result));
}

/// A session an earlier build left in local storage; removed once it is written here.
fn take_legacy() -> Option<String> {
    let store = web_sys::window()?.local_storage().ok().flatten()?;
    store.get_item(LEGACY_KEY).ok().flatten()
}

fn forget_legacy() {
    if let Some(store) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = store.remove_item(LEGACY_KEY);
    }
}

/// One `put` (or, without a value, `delete`) of the current session, in a transaction of its
/// own. The request goes out at once, so writes land in the order they are made, even from a
/// page that is closing; the future tells how the transaction ended.
fn write(value: Option<&str>) -> Result<impl Future<Output = Result<(), String>> + use<>, String> {
    let db = DB
        .with(|d| d.borrow().clone())
        .ok_or("this browser offers no IndexedDB storage")?;
    let tx = db
        .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
        .map_err(|e| reason(&e))?;
    let store = tx.object_store(STORE).map_err(|e| reason(&e))?;
    match value {
        // As a Blob: the browser keeps a Blob's bytes beside the record, so a session larger
        // than the most one record may hold (Chromium: 133 MB, about 800,000 records) is kept.
        Some(text) => {
            let parts = js_sys::Array::of1(&JsValue::from_str(text));
            let blob = web_sys::Blob::new_with_str_sequence(&parts).map_err(|e| reason(&e))?;
            store.put_with_key(&blob, &CURRENT.into())
        }
        None => store.delete(&CURRENT.into()),
    }
    .map_err(|e| reason(&e))?;
    // Committed at once rather than when the browser next finds the transaction idle: a save
    // made as the page goes (pagehide) must not be dropped with the page, and the next page's
    // read must find it. (web-sys marks `commit` deprecated; it is standard since IndexedDB 3.0
    // and in every current browser.)
    #[allow(deprecated)]
    let _ = tx.commit();
    Ok(settled(&tx, "complete", &["error", "abort"]))
}

/// IndexedDB, read by [`preload`] before the app mounts.
pub struct IndexedDb;

impl Storage for IndexedDb {
    fn load(&self, done: Box<dyn FnOnce(Result<Option<String>, String>)>) {
        match PRELOADED.with(|p| p.borrow_mut().take()) {
            Some(read) => done(read),
            // Not preloaded (a test mounting the app itself): read it now.
            None => wasm_bindgen_futures::spawn_local(async move {
                preload().await;
                done(
                    PRELOADED
                        .with(|p| p.borrow_mut().take())
                        .unwrap_or(Ok(None)),
                );
            }),
        }
    }

    fn save(&self, text: String, done: Box<dyn FnOnce(Result<(), String>)>) {
        let refused = |why: String| format!("the browser refused to store it ({why})");
        match write(Some(&text)) {
            Ok(written) => {
                drop(text);
                wasm_bindgen_futures::spawn_local(async move {
                    let result = written.await;
                    if result.is_ok() {
                        forget_legacy();
                    }
                    done(result.map_err(refused));
                })
            }
            Err(why) => done(Err(refused(why))),
        }
    }

    fn delete(&self) {
        forget_legacy();
        if let Ok(deleted) = write(None) {
            wasm_bindgen_futures::spawn_local(async move {
                let _ = deleted.await;
            });
        }
    }
}

/// Forgets the saved session, then runs `then` (the fault notice's "Start fresh" reloads the
/// page only once the delete has landed).
pub fn clear(then: impl FnOnce() + 'static) {
    forget_legacy();
    let deleted = write(None);
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(deleted) = deleted {
            let _ = deleted.await;
        }
        then();
    });
}
