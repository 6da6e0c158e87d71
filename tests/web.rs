//! Browser tests (wasm-bindgen-test in headless Chromium): the app is mounted into the page and
//! driven through the same DOM events a user's keyboard produces; assertions read the DOM.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

async fn mount() -> Element {
    // Each test starts without a saved session.
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.clear();
    }
    let root = document().create_element("div").expect("a div");
    document()
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("appended");
    kafka_playground::ui::mount_into(root.clone());
    yew::scheduler::flush().await;
    root
}

fn input(root: &Element) -> HtmlInputElement {
    root.query_selector("#console-input")
        .ok()
        .flatten()
        .expect("the console input")
        .dyn_into()
        .expect("an input element")
}

fn key(root: &Element, key: &str, ctrl: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_ctrl_key(ctrl);
    init.set_bubbles(true);
    let event =
        KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("an event");
    input(root).dispatch_event(&event).expect("dispatched");
}

async fn type_line(root: &Element, line: &str) {
    input(root).set_value(line);
    key(root, "Enter", false);
    yew::scheduler::flush().await;
}

fn text(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn create_produce_consume_in_the_mounted_app() {
    let root = mount().await;
    type_line(
        &root,
        "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic t --partitions 3",
    )
    .await;
    assert!(text(&root, ".scrollback").contains("Created topic t."));
    let partitions = root
        .query_selector_all("[data-topic=\"t\"] .partition")
        .expect("query");
    assert_eq!(
        partitions.length(),
        3,
        "the live view shows the new topic's partitions"
    );

    // A pasted heredoc runs line by line, like a script.
    type_line(&root, "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic t --property parse.key=true --property key.separator=: <<EOF").await;
    type_line(&root, "alice:1").await;
    type_line(&root, "carol:3").await;
    type_line(&root, "EOF").await;
    assert_eq!(
        text(
            &root,
            "[data-partition=\"t-0\"] .cell[data-offset=\"0\"] .cell-key"
        ),
        "alice"
    );
    assert_eq!(
        text(
            &root,
            "[data-partition=\"t-2\"] .cell[data-offset=\"0\"] .cell-value"
        ),
        "3"
    );

    // A consumer on one partition (no group, no rebalance wait) prints at once; Ctrl+C stops it.
    type_line(&root, "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic t --partition 2 --offset earliest --property print.key=true").await;
    assert!(text(&root, ".scrollback").contains("carol\t3"));
    assert_eq!(
        text(&root, ".prompt"),
        "",
        "no prompt while the consumer runs"
    );
    key(&root, "c", true);
    yew::scheduler::flush().await;
    assert!(text(&root, ".scrollback").contains("Processed a total of 1 messages"));
    assert_eq!(text(&root, ".prompt"), "$ ");
}

#[wasm_bindgen_test]
async fn interactive_producer_prompt_and_ctrl_d() {
    let root = mount().await;
    type_line(
        &root,
        "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic events",
    )
    .await;
    assert_eq!(text(&root, ".prompt"), ">");
    type_line(&root, "hello").await;
    key(&root, "d", true);
    yew::scheduler::flush().await;
    assert_eq!(text(&root, ".prompt"), "$ ");
    // The unknown topic was auto-created by the broker, with Kafka's warning.
    assert!(text(&root, ".scrollback").contains("{events=LEADER_NOT_AVAILABLE}"));
    assert_eq!(
        text(
            &root,
            "[data-partition=\"events-0\"] .cell[data-offset=\"0\"] .cell-value"
        ),
        "hello"
    );
}

#[wasm_bindgen_test]
async fn record_values_are_shown_as_text_never_html() {
    let root = mount().await;
    type_line(&root, "echo '<img src=x onerror=alert(1)>' | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic x").await;
    assert!(root.query_selector("img").expect("query").is_none());
    assert!(text(&root, "[data-topic=\"x\"]").contains("<img src=x"));
}
