//! The session in the browser's IndexedDB: the snapshot's text (as a Blob) under one key, written after
//! changes (when `session::SavePolicy` says so) and read before the page first draws.
//!
//! Keys of the `sessions` store (docs/RELIABILITY.md): `current` (the session's snapshot, a
//! Blob), `current-meta` (its stamp, `session::SavedMeta` as JSON: generation, when, summary),
//! `recent` (the index of recent sessions, `session::Recents` as JSON) and `recent/<id>` (each
//! one's snapshot). A save is written only if `current-meta`'s generation is older than its
//! own, checked in the same transaction.
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
use web_sys::{
    EventTarget, IdbDatabase, IdbObjectStore, IdbRequest, IdbTransaction, IdbTransactionMode,
};

use crate::session::{
    Recents, SaveError, SavedMeta, SetAside, Storage, Stored, may_write, recent_key,
};

/// Where earlier builds kept the session (local storage).
const LEGACY_KEY: &str = "kafka-playground/session";
const DATABASE: &str = "kafka-playground";
const STORE: &str = "sessions";
/// The one record of [`STORE`] this page reads and writes: the current session.
const CURRENT: &str = "current";
/// The current session's stamp.
const META: &str = "current-meta";
/// The index of recent sessions.
const RECENT: &str = "recent";

thread_local! {
    /// The database, opened by [`preload`]; `None` where the browser offers no IndexedDB.
    static DB: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
    /// What [`preload`] read, until the workbench takes it.
    static PRELOADED: RefCell<Option<Result<Stored, String>>> = const { RefCell::new(None) };
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

async fn read(db: &IdbDatabase) -> Result<Stored, String> {
    let store = db
        .transaction_with_str(STORE)
        .and_then(|tx| tx.object_store(STORE))
        .map_err(|e| reason(&e))?;
    let text = store.get(&CURRENT.into()).map_err(|e| reason(&e))?;
    let meta = store.get(&META.into()).map_err(|e| reason(&e))?;
    let value = request(&text).await?;
    let meta = request(&meta)
        .await?
        .as_string()
        .map(|m| SavedMeta::parse(&m))
        .unwrap_or_default();
    let text = if let Some(blob) = value.dyn_ref::<web_sys::Blob>() {
        let text = JsFuture::from(blob.text()).await.map_err(|e| {
            // A string longer than the browser's JavaScript strings hold.
            if e.is_instance_of::<js_sys::RangeError>() {
                "it is too large for this browser to read".to_string()
            } else {
                reason(&e)
            }
        })?;
        text.as_string()
    } else {
        // Text as such: how a session of this build's first days was kept.
        value.as_string()
    };
    Ok(Stored { text, meta })
}

/// Opens the database and reads the saved session; call once, before the app mounts.
pub async fn preload() {
    // The lease first: a page that takes it over then reads what the last writer saved.
    super::lease::acquire().await;
    let result = match open().await {
        Ok(db) => {
            let mut result = read(&db)
                .await
                .map_err(|why| format!("the browser refused to read it ({why})"));
            if let Ok(stored @ Stored { text: None, .. }) = &mut result {
                stored.text = take_legacy();
            }
            DB.with(|d| *d.borrow_mut() = Some(db));
            result
        }
        // No IndexedDB (some private modes): a session from local storage still opens.
        Err(_) => Ok(Stored {
            text: take_legacy(),
            meta: SavedMeta::default(),
        }),
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

thread_local! {
    /// Set once the page is leaving for another session: nothing more is written from it.
    static LEAVING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the page is leaving for another session (its last state is saved already).
pub fn leaving() -> bool {
    LEAVING.with(|l| l.get())
}

/// A read-write transaction on the store, committed as soon as its requests are made: a save
/// made as the page goes (pagehide) must not be dropped with the page, and the next page's
/// read must find it. (web-sys marks `commit` deprecated; it is standard since IndexedDB 3.0
/// and in every current browser.)
fn transaction() -> Result<(IdbTransaction, IdbObjectStore), String> {
    let db = DB
        .with(|d| d.borrow().clone())
        .ok_or("this browser offers no IndexedDB storage")?;
    let tx = db
        .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
        .map_err(|e| reason(&e))?;
    let store = tx.object_store(STORE).map_err(|e| reason(&e))?;
    Ok((tx, store))
}

#[allow(deprecated)]
fn commit(tx: &IdbTransaction) {
    let _ = tx.commit();
}

/// As a Blob: the browser keeps a Blob's bytes beside the record, so a session larger than
/// the most one record may hold (Chromium: 133 MB, about 800,000 records) is kept.
fn blob(text: &str) -> Result<web_sys::Blob, String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    web_sys::Blob::new_with_str_sequence(&parts).map_err(|e| reason(&e))
}

/// Runs `then` with the results of `gets` (keys read in one transaction) once the last has
/// arrived: a transaction's requests are answered in order. `then` makes its writes at once,
/// while the transaction is still active.
fn with_values(
    store: &IdbObjectStore,
    keys: &[&str],
    then: impl FnOnce(Vec<JsValue>) + 'static,
) -> Result<(), String> {
    let mut requests = Vec::new();
    for key in keys {
        requests.push(store.get(&(*key).into()).map_err(|e| reason(&e))?);
    }
    let Some(last) = requests.last().cloned() else {
        return Ok(());
    };
    let on_last = Closure::once_into_js(move || {
        then(
            requests
                .iter()
                .map(|r| r.result().unwrap_or(JsValue::UNDEFINED))
                .collect(),
        );
    });
    last.set_onsuccess(Some(on_last.unchecked_ref()));
    Ok(())
}

/// A stored stamp or index (kept as JSON text).
fn text_of(value: &JsValue) -> String {
    value.as_string().unwrap_or_default()
}

/// Writes the session and its stamp, unless `current-meta` holds a generation as new or newer
/// (checked in the same transaction, so no other tab's save lands in between). The future
/// tells how it ended.
fn write_checked(
    text: &str,
    meta: SavedMeta,
) -> Result<impl Future<Output = Result<(), SaveError>> + use<>, String> {
    let (tx, store) = transaction()?;
    let blob = blob(text)?;
    // Why the transaction was aborted here, if it was: a newer save, or a refused write.
    let aborted = std::rc::Rc::new(RefCell::new(None));
    let found = aborted.clone();
    let writing = tx.clone();
    with_values(&store.clone(), &[META], move |values| {
        let stored = SavedMeta::parse(&text_of(&values[0])).generation;
        let outcome = if !may_write(stored, meta.generation) {
            Err(SaveError::Newer(stored))
        } else {
            store
                .put_with_key(&blob, &CURRENT.into())
                .and_then(|_| store.put_with_key(&meta.to_json().into(), &META.into()))
                .map_err(|e| {
                    SaveError::Refused(format!("the browser refused to store it ({})", reason(&e)))
                })
        };
        match outcome {
            Ok(_) => commit(&writing),
            Err(e) => {
                *found.borrow_mut() = Some(e);
                let _ = writing.abort();
            }
        }
    })?;
    let done = settled(&tx, "complete", &["error", "abort"]);
    Ok(async move {
        done.await.map_err(|why| {
            aborted.borrow_mut().take().unwrap_or_else(|| {
                SaveError::Refused(format!("the browser refused to store it ({why})"))
            })
        })
    })
}

/// IndexedDB, read by [`preload`] before the app mounts.
pub struct IndexedDb;

impl Storage for IndexedDb {
    fn load(&self, done: Box<dyn FnOnce(Result<Stored, String>)>) {
        match PRELOADED.with(|p| p.borrow_mut().take()) {
            Some(read) => done(read),
            // Not preloaded (a test mounting the app itself): read it now.
            None => wasm_bindgen_futures::spawn_local(async move {
                preload().await;
                done(
                    PRELOADED
                        .with(|p| p.borrow_mut().take())
                        .unwrap_or(Ok(Stored::default())),
                );
            }),
        }
    }

    fn save(&self, text: String, meta: SavedMeta, done: Box<dyn FnOnce(Result<(), SaveError>)>) {
        match write_checked(&text, meta) {
            Ok(written) => {
                drop(text);
                wasm_bindgen_futures::spawn_local(async move {
                    let result = written.await;
                    if result.is_ok() {
                        forget_legacy();
                    }
                    done(result);
                })
            }
            Err(why) => done(Err(SaveError::Refused(format!(
                "the browser refused to store it ({why})"
            )))),
        }
    }

    fn delete(&self) {
        forget_legacy();
        if let Ok((tx, store)) = transaction() {
            let _ = store.delete(&CURRENT.into());
            commit(&tx);
        }
    }
}

/// The save made as the page goes (pagehide), by the tab holding the writer's lease: written
/// without first reading the stamp, so its request goes out before the page is gone.
pub fn save_as_page_goes(text: &str, meta: &SavedMeta) {
    if let (Ok((tx, store)), Ok(blob)) = (transaction(), blob(text)) {
        let _ = store.put_with_key(&blob, &CURRENT.into());
        let _ = store.put_with_key(&meta.to_json().into(), &META.into());
        commit(&tx);
    }
}

/// Keeps a saved session among the recent ones and clears `current` (its stamp stays, so
/// older work is still refused); the oldest recent ones beyond `session::MAX_RECENT` go.
pub fn set_aside(aside: SetAside, now_ms: f64) {
    let Ok((tx, store)) = transaction() else {
        return;
    };
    let Ok(blob) = blob(&aside.text) else {
        return;
    };
    drop(aside.text);
    let (meta, readable) = (aside.meta, aside.readable);
    let writing = tx.clone();
    let _ = with_values(&store.clone(), &[RECENT], move |values| {
        let mut recents = Recents::parse(&text_of(&values[0]));
        let (id, evicted) = recents.add(meta, readable, now_ms);
        let _ = store.put_with_key(&blob, &recent_key(id).into());
        for old in evicted {
            let _ = store.delete(&recent_key(old).into());
        }
        let _ = store.put_with_key(&recents.to_json().into(), &RECENT.into());
        let _ = store.delete(&CURRENT.into());
        commit(&writing);
    });
    forget_legacy();
}

/// The list of recent sessions (empty where nothing is kept).
pub async fn recents() -> Recents {
    let Ok((_, store)) = transaction() else {
        return Recents::default();
    };
    match store.get(&RECENT.into()) {
        Ok(req) => request(&req)
            .await
            .map(|v| Recents::parse(&text_of(&v)))
            .unwrap_or_default(),
        Err(_) => Recents::default(),
    }
}

/// A recent session's snapshot as it is kept (a Blob), for export.
pub async fn recent_blob(id: u64) -> Option<web_sys::Blob> {
    let (_, store) = transaction().ok()?;
    let req = store.get(&recent_key(id).into()).ok()?;
    let value = request(&req).await.ok()?;
    match value.dyn_into::<web_sys::Blob>() {
        Ok(blob) => Some(blob),
        Err(value) => blob(&value.as_string()?).ok(),
    }
}

/// Makes recent session `id` the current one, keeping the current one among the recent ones
/// (one transaction), then runs `then` (the page reloads to open it). Nothing more is saved
/// from this page.
pub fn open_recent(id: u64, now_ms: f64, then: impl FnOnce(Result<(), String>) + 'static) {
    LEAVING.with(|l| l.set(true));
    let started = transaction().and_then(|(tx, store)| {
        let writing = tx.clone();
        with_values(
            &store.clone(),
            &[&recent_key(id), RECENT, CURRENT, META],
            move |v| {
                let mut recents = Recents::parse(&text_of(&v[1]));
                let Some(entry) = recents.take(id) else {
                    let _ = writing.abort();
                    return;
                };
                if v[0].is_undefined() {
                    let _ = writing.abort();
                    return;
                }
                let meta = SavedMeta::parse(&text_of(&v[3]));
                if !v[2].is_undefined() {
                    let (kept, evicted) = recents.add(meta.clone(), true, now_ms);
                    let _ = store.put_with_key(&v[2], &recent_key(kept).into());
                    for old in evicted {
                        let _ = store.delete(&recent_key(old).into());
                    }
                }
                let opened = SavedMeta {
                    generation: meta.generation + 1,
                    ..entry.meta
                };
                let _ = store.put_with_key(&v[0], &CURRENT.into());
                let _ = store.put_with_key(&opened.to_json().into(), &META.into());
                let _ = store.delete(&recent_key(id).into());
                let _ = store.put_with_key(&recents.to_json().into(), &RECENT.into());
                commit(&writing);
            },
        )?;
        Ok(settled(&tx, "complete", &["error", "abort"]))
    });
    wasm_bindgen_futures::spawn_local(async move {
        let result = match started {
            Ok(done) => done.await,
            Err(why) => Err(why),
        };
        if result.is_err() {
            LEAVING.with(|l| l.set(false));
        }
        then(result);
    });
}

/// Moves the saved session to the recent ones, then runs `then` (the fault notice's "Start
/// fresh" reloads the page only once that has landed).
pub fn clear(then: impl FnOnce() + 'static) {
    forget_legacy();
    // What is cleared is kept first among the recent sessions (one click brings it back), in
    // the same transaction: "Start fresh" never loses work the user did not replace.
    let deleted = transaction().map(|(tx, store)| {
        let writing = tx.clone();
        let kept = store.clone();
        let _ = with_values(&store, &[CURRENT, META, RECENT], move |values| {
            if !values[0].is_undefined() && !values[0].is_null() {
                let meta = SavedMeta::parse(&text_of(&values[1]));
                let mut recents = Recents::parse(&text_of(&values[2]));
                let (id, evicted) = recents.add(meta, true, js_sys::Date::now());
                let _ = kept.put_with_key(&values[0], &recent_key(id).into());
                for old in evicted {
                    let _ = kept.delete(&recent_key(old).into());
                }
                let _ = kept.put_with_key(&recents.to_json().into(), &RECENT.into());
            }
            let _ = kept.delete(&CURRENT.into());
            commit(&writing);
        });
        settled(&tx, "complete", &["error", "abort"])
    });
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(deleted) = deleted {
            let _ = deleted.await;
        }
        then();
    });
}
