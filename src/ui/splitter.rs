//! The handle between the console and the live view: drag it (or focus it and use ←/→) to
//! give one more room than the other.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, PointerEvent};
use yew::prelude::*;

/// Narrowest either side may become (px).
const MIN_SIDE: f64 = 300.0;
const STEP: f64 = 40.0;

#[derive(Properties, PartialEq)]
pub struct SplitterProps {
    /// The live view's new width in pixels.
    pub on_resize: Callback<f64>,
}

/// The width the live view gets when the splitter is at `x` (clamped so both sides stay usable).
fn width_at(handle: &Element, x: f64) -> Option<f64> {
    let main = handle.closest("main").ok().flatten()?;
    let rect = main.get_bounding_client_rect();
    let max = (rect.width() - MIN_SIDE).max(MIN_SIDE);
    Some((rect.right() - x - 14.0).clamp(MIN_SIDE, max))
}

#[component]
pub fn Splitter(props: &SplitterProps) -> Html {
    let dragging = use_mut_ref(|| false);
    let onpointerdown = {
        let dragging = dragging.clone();
        Callback::from(move |e: PointerEvent| {
            if let Some(el) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) {
                let _ = el.set_pointer_capture(e.pointer_id());
                *dragging.borrow_mut() = true;
                e.prevent_default();
            }
        })
    };
    let onpointermove = {
        let dragging = dragging.clone();
        let on_resize = props.on_resize.clone();
        Callback::from(move |e: PointerEvent| {
            if !*dragging.borrow() {
                return;
            }
            if let Some(el) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) {
                if let Some(w) = width_at(&el, f64::from(e.client_x())) {
                    on_resize.emit(w);
                }
            }
        })
    };
    let onpointerup = {
        let dragging = dragging.clone();
        Callback::from(move |_: PointerEvent| *dragging.borrow_mut() = false)
    };
    let onkeydown = {
        let on_resize = props.on_resize.clone();
        Callback::from(move |e: KeyboardEvent| {
            let delta = match e.key().as_str() {
                "ArrowLeft" => STEP,
                "ArrowRight" => -STEP,
                _ => return,
            };
            e.prevent_default();
            let Some(handle) = e.target().and_then(|t| t.dyn_into::<HtmlElement>().ok()) else {
                return;
            };
            let x = handle.get_bounding_client_rect().left() - delta;
            if let Some(w) = width_at(&handle, x) {
                on_resize.emit(w);
            }
        })
    };
    html! {
        // A focusable separator must say where it is (aria-valuenow), in percent here.
        <div class="splitter" role="separator" aria-orientation="vertical" tabindex="0"
             aria-valuemin="0" aria-valuemax="100" aria-valuenow="50"
             aria-label="Resize the console and the cluster view (← →)"
             {onpointerdown} {onpointermove} {onpointerup} {onkeydown}></div>
    }
}
