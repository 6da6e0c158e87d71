//! An author's live preview: **Watch a lesson file…** keeps a file chosen with the File System
//! Access API (where the browser has it) and, each time it is saved, opens it again — the
//! session checks it as `kplay --check` does (`Workbench::check_report`). Elsewhere the author
//! chooses the file again after saving.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::timers::callback::Interval;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::state::{Action, LessonAction, WorkbenchContext};

/// How often the watched file is looked at.
const POLL_MS: u32 = 1000;

thread_local! {
    /// The file being watched, and the timer that looks at it.
    static WATCH: RefCell<Option<(String, Interval)>> = const { RefCell::new(None) };
}

/// Whether this browser can watch a file.
pub fn available() -> bool {
    web_sys::window()
        .and_then(|w| Reflect::get(&w, &"showOpenFilePicker".into()).ok())
        .is_some_and(|f| f.is_function())
}

/// The name of the file being watched.
pub fn watching() -> Option<String> {
    WATCH.with(|w| w.borrow().as_ref().map(|(name, _)| name.clone()))
}

pub fn stop() {
    WATCH.with(|w| w.borrow_mut().take());
}

/// Asks for a file, opens it, and opens it again whenever it changes.
pub fn watch(workbench: WorkbenchContext) {
    wasm_bindgen_futures::spawn_local(async move {
        // The picker refused or was cancelled: nothing to watch.
        let Ok(handle) = pick().await else { return };
        let seen = Rc::new(Cell::new(f64::NAN));
        let busy = Rc::new(Cell::new(false));
        let look = move || {
            if busy.replace(true) {
                return;
            }
            let (handle, seen, busy, workbench) = (
                handle.clone(),
                seen.clone(),
                busy.clone(),
                workbench.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok((modified, name, text)) = read(&handle).await {
                    if modified != seen.get() {
                        seen.set(modified);
                        workbench.dispatch(Action::Lesson(LessonAction::OpenFile { name, text }));
                    }
                }
                busy.set(false);
            });
        };
        look();
        let interval = Interval::new(POLL_MS, look);
        let name = "the watched file".to_string();
        WATCH.with(|w| *w.borrow_mut() = Some((name, interval)));
    });
}

async fn pick() -> Result<JsValue, JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let picker: Function = Reflect::get(&window, &"showOpenFilePicker".into())?.dyn_into()?;
    let handles = JsFuture::from(picker.call0(&window)?.dyn_into::<Promise>()?).await?;
    Ok(js_sys::Array::from(&handles).get(0))
}

/// The file's last-modified time, name and text.
async fn read(handle: &JsValue) -> Result<(f64, String, String), JsValue> {
    let get_file: Function = Reflect::get(handle, &"getFile".into())?.dyn_into()?;
    let file: web_sys::File = JsFuture::from(get_file.call0(handle)?.dyn_into::<Promise>()?)
        .await?
        .dyn_into()?;
    let text = JsFuture::from(file.text()).await?;
    Ok((
        file.last_modified(),
        file.name(),
        text.as_string().unwrap_or_default(),
    ))
}
