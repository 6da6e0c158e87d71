//! The session in the browser's IndexedDB: a versioned snapshot of the playground and each
//! terminal's history, written after every change and read before the page first draws.
//!
//! IndexedDB rather than local storage because local storage keeps about 5 MB per site, and a
//! session with a million records is far larger. IndexedDB is asynchronous, so the page reads
//! the saved text once before the app mounts ([`preload`]) and the workbench takes it from there
//! ([`load`]); saves go out in the order they are made ([`save`]) and report a refusal through
//! a callback. An unreadable snapshot is reported and replaced, never a blank page; storage that
//! refuses writes (quota, private mode) is reported once and the session keeps working in memory.
//!
//! Sessions saved by earlier builds in local storage are read once and moved here.

use std::cell::RefCell;

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;

pub use crate::snapshot::{FORMAT, SavedTab, Snapshot, parse, to_text};

/// Where earlier builds kept the session (local storage).
const LEGACY_KEY: &str = "kafka-playground/session";
const DATABASE: &str = "kafka-playground";
const STORE: &str = "sessions";
/// The one record of [`STORE`] this page reads and writes: the current session.
const CURRENT: &str = "current";

thread_local! {
    /// The database, opened by [`preload`]; `None` where the browser offers no IndexedDB.
    static DB: RefCell<Option<Database>> = const { RefCell::new(None) };
    /// What [`preload`] read, until the workbench takes it.
    static PRELOADED: RefCell<Option<Result<Option<String>, String>>> = const { RefCell::new(None) };
    /// Why the last save failed, until the workbench reports it ([`take_refusal`]).
    static REFUSAL: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn unavailable() -> String {
    "this browser offers no IndexedDB storage".to_string()
}

async fn open() -> Result<Database, String> {
    Database::open(DATABASE)
        .with_version(1u8)
        .with_on_upgrade_needed(|event, db| {
            if event.old_version() < 1.0 {
                db.create_object_store(STORE).build()?;
            }
            Ok(())
        })
        .await
        .map_err(|e| format!("the browser refused to open its storage ({e})"))
}

async fn read(db: &Database) -> Result<Option<String>, String> {
    let tx = db
        .transaction(STORE)
        .build()
        .map_err(|e| format!("the browser refused to read it ({e})"))?;
    let store = tx
        .object_store(STORE)
        .map_err(|e| format!("the browser refused to read it ({e})"))?;
    store
        .get::<String, _, _>(CURRENT)
        .await
        .map_err(|e| format!("the browser refused to read it ({e})"))
}

/// Opens the database and reads the saved session; call once, before the app mounts.
pub async fn preload() {
    let result = match open().await {
        Ok(db) => {
            let mut result = read(&db).await;
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

/// The session read by [`preload`]: `Ok(None)` when nothing was saved; `Err` with the reason
/// when a snapshot is unreadable. Taken once: a later call finds nothing.
pub fn load() -> Result<Option<Snapshot>, String> {
    match PRELOADED.with(|p| p.borrow_mut().take()) {
        None | Some(Ok(None)) => Ok(None),
        Some(Err(why)) => Err(why),
        Some(Ok(Some(text))) => parse(&text).map(Some),
    }
}

/// Writes `text` as the saved session. Saves land in the order they are made, even when the
/// page is closing: each one's request goes out when its task first runs, and tasks start in
/// the order they were spawned. A failure is known afterwards through [`take_refusal`].
pub fn save(text: String) {
    let db = DB.with(|d| d.borrow().clone());
    wasm_bindgen_futures::spawn_local(async move {
        let result = match db {
            Some(db) => put(&db, text).await,
            None => Err(unavailable()),
        };
        match result {
            Ok(()) => forget_legacy(),
            Err(why) => REFUSAL.with(|r| *r.borrow_mut() = Some(why)),
        }
    });
}

async fn put(db: &Database, text: String) -> Result<(), String> {
    let refused = |e: indexed_db_futures::error::Error| {
        format!("the browser refused to store it (storage full or disabled: {e})")
    };
    let tx = db
        .transaction(STORE)
        .with_mode(TransactionMode::Readwrite)
        .build()
        .map_err(refused)?;
    let store = tx.object_store(STORE).map_err(refused)?;
    store
        .put(text)
        .with_key(CURRENT)
        .primitive()
        .map_err(refused)?;
    tx.commit().await.map_err(refused)
}

/// Why a save failed since the last call, if one did.
pub fn take_refusal() -> Option<String> {
    REFUSAL.with(|r| r.borrow_mut().take())
}

/// Deletes the saved session (the fault notice's "Start fresh"), then runs `then`.
pub fn clear(then: impl FnOnce() + 'static) {
    forget_legacy();
    let db = DB.with(|d| d.borrow().clone());
    wasm_bindgen_futures::spawn_local(async move {
        if let Some(db) = db {
            let _ = delete(&db).await;
        }
        then();
    });
}

async fn delete(db: &Database) -> indexed_db_futures::Result<()> {
    let tx = db
        .transaction(STORE)
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    tx.object_store(STORE)?.delete(CURRENT).primitive()?;
    tx.commit().await
}
