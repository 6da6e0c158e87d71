//! The terminal: scrollback, the prompt and one input line. Enter runs, ↑/↓ walk the history,
//! Ctrl+C interrupts, Ctrl+D ends input, Ctrl+L clears, a multi-line paste runs line by line.
//! Tab completes; Esc then Tab leaves the console (the keyboard is never trapped).
//! Output is rendered as text, never as HTML: record values are untrusted. Each command's output
//! is a block that scrolls sideways, as a terminal wider than the page would show it (Kafka's
//! tables never wrap), and a usage printed after an error is folded below the error.

use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use std::collections::{HashMap, HashSet};

use super::state::{Action, Line, LineKind, use_workbench};

#[component]
pub fn ConsoleView() -> Html {
    let workbench = use_workbench();
    let input_ref = use_node_ref();
    let scroll_ref = use_node_ref();
    // How far back in the history ↑ has gone (0 = the line being typed).
    let history_pos = use_mut_ref(|| 0usize);
    // Ctrl+R: the text searched for and how many matches back we are.
    let search = use_state(|| None::<(String, usize)>);
    // Esc was the last key: the next Tab leaves the console instead of completing.
    let escaped = use_mut_ref(|| false);
    // Folded usages the user opened: (tab id, the number of the fold's first line).
    let unfolded = use_state(HashSet::<(usize, u64)>::new);
    // The console fills the page.
    let maximised = use_state(|| false);

    let tabs_ref = use_node_ref();
    // Keep the newest output in view, and the active tab in the strip's view.
    {
        let scroll_ref = scroll_ref.clone();
        let tabs_ref = tabs_ref.clone();
        use_effect_with(workbench.version, move |_| {
            if let Some(el) = scroll_ref.cast::<HtmlElement>() {
                el.set_scroll_top(el.scroll_height());
            }
            let active = tabs_ref.cast::<HtmlElement>().and_then(|strip| {
                strip
                    .query_selector(".tab.active")
                    .ok()
                    .flatten()
                    .map(|t| (strip, t))
            });
            if let Some((strip, tab)) =
                active.and_then(|(s, t)| Some((s, t.dyn_into::<HtmlElement>().ok()?)))
            {
                // Scrolls the strip only, never the page.
                let (left, width) = (tab.offset_left(), tab.offset_width());
                let (shown, seen) = (strip.scroll_left(), strip.client_width());
                if left < shown {
                    strip.set_scroll_left(left);
                } else if left + width > shown + seen {
                    strip.set_scroll_left(left + width - seen);
                }
            }
        });
    }

    // Which blocks are wider than the console changes with the output, a fold opened or
    // closed, and the console widened.
    {
        let scroll_ref = scroll_ref.clone();
        let shape = (workbench.version, unfolded.len(), *maximised);
        use_effect_with(shape, move |_| {
            if let Some(el) = scroll_ref.cast::<HtmlElement>() {
                reachable_blocks(&el);
            }
        });
    }

    let onkeydown = {
        let workbench = workbench.clone();
        let input_ref = input_ref.clone();
        let history_pos = history_pos.clone();
        let search = search.clone();
        let escaped = escaped.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(input) = input_ref.cast::<HtmlInputElement>() else {
                return;
            };
            let ctrl = e.ctrl_key() || e.meta_key();
            let key = e.key();
            // A modifier pressed on its way to Shift+Tab keeps the Esc.
            let modifier = matches!(key.as_str(), "Shift" | "Control" | "Alt" | "Meta");
            let after_escape = if modifier {
                *escaped.borrow()
            } else {
                std::mem::replace(&mut *escaped.borrow_mut(), key == "Escape")
            };
            if key == "Tab" && after_escape {
                // Esc then Tab (or Shift+Tab): the browser moves the focus on.
                return;
            }
            if search.is_some()
                && !(ctrl && (key == "r" || key == "R"))
                && key != "Shift"
                && key != "Control"
            {
                // Any other key ends the search, keeping the found line to edit or run.
                search.set(None);
            }
            match (key.as_str(), ctrl) {
                ("r" | "R", true) => {
                    // Reverse search: the typed text (or the previous search) against the
                    // history, newest first; Ctrl+R again goes further back.
                    e.prevent_default();
                    let history = workbench.workbench.borrow().tab().history().to_vec();
                    let (query, skip) = match &*search {
                        Some((q, n)) => (q.clone(), n + 1),
                        None => (input.value(), 0),
                    };
                    let found = history
                        .iter()
                        .rev()
                        .filter(|h| h.contains(query.as_str()))
                        .nth(skip)
                        .cloned();
                    match found {
                        Some(line) => {
                            input.set_value(&line);
                            search.set(Some((query, skip)));
                        }
                        None => search.set(Some((query, skip.saturating_sub(1)))),
                    }
                }
                ("Enter", _) => {
                    e.prevent_default();
                    let line = input.value();
                    input.set_value("");
                    *history_pos.borrow_mut() = 0;
                    workbench.dispatch(Action::Enter(line));
                }
                ("ArrowUp" | "ArrowDown", false) => {
                    e.prevent_default();
                    let history = workbench.workbench.borrow().tab().history().to_vec();
                    let mut pos = history_pos.borrow_mut();
                    if e.key() == "ArrowUp" {
                        *pos = (*pos + 1).min(history.len());
                    } else {
                        *pos = pos.saturating_sub(1);
                    }
                    let text = if *pos == 0 {
                        String::new()
                    } else {
                        history[history.len() - *pos].clone()
                    };
                    input.set_value(&text);
                }
                ("c" | "C", true) => {
                    // With a selection, Ctrl+C copies as usual.
                    let has_selection = input
                        .selection_start()
                        .ok()
                        .flatten()
                        .zip(input.selection_end().ok().flatten())
                        .is_some_and(|(a, b)| a != b);
                    if !has_selection {
                        e.prevent_default();
                        input.set_value("");
                        workbench.dispatch(Action::Interrupt);
                    }
                }
                ("d" | "D", true) => {
                    e.prevent_default();
                    workbench.dispatch(Action::EndOfInput);
                }
                ("l" | "L", true) => {
                    e.prevent_default();
                    workbench.dispatch(Action::Clear);
                }
                ("Tab", _) => {
                    e.prevent_default();
                    let line = input.value();
                    let completion = {
                        let wb = workbench.workbench.borrow();
                        if !wb.tab().at_shell() {
                            return;
                        }
                        crate::console::complete::complete(&line, &wb.playground)
                    };
                    if let Some(c) = completion {
                        input.set_value(&c.line);
                        if !c.candidates.is_empty() && c.line == line {
                            workbench.dispatch(Action::ShowCompletions(line, c.candidates));
                        }
                    }
                }
                _ => {}
            }
        })
    };

    let onpaste = {
        let workbench = workbench.clone();
        let input_ref = input_ref.clone();
        Callback::from(move |e: Event| {
            let Some(e) = e.dyn_ref::<web_sys::ClipboardEvent>() else {
                return;
            };
            let Some(text) = e.clipboard_data().and_then(|d| d.get_data("text").ok()) else {
                return;
            };
            if !text.contains('\n') {
                return;
            }
            e.prevent_default();
            let Some(input) = input_ref.cast::<HtmlInputElement>() else {
                return;
            };
            let mut text = format!("{}{text}", input.value());
            input.set_value("");
            // A trailing newline runs the last line too; otherwise it stays in the input.
            let keep = if text.ends_with('\n') {
                String::new()
            } else {
                let cut = text.rfind('\n').map_or(0, |i| i + 1);
                text.split_off(cut)
            };
            workbench.dispatch(Action::Paste(text));
            input.set_value(&keep);
        })
    };

    let focus = {
        let input_ref = input_ref.clone();
        Callback::from(move |_: MouseEvent| {
            // Clicking the console focuses the input, unless the user is selecting text.
            let selecting = web_sys::window()
                .and_then(|w| w.get_selection().ok().flatten())
                .is_some_and(|s| !s.is_collapsed());
            if !selecting {
                if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                    let _ = input.focus();
                }
            }
        })
    };

    let wb = workbench.workbench.borrow();
    let prompt = wb.prompt();
    let busy = prompt.is_empty();
    let waiting = wb.tab().terminal.waiting(&wb.playground);
    // A docs page may embed a console the reader can only watch.
    let readonly = wb.read_only();
    // A shared widget's owner keeps its other widgets' terminals out of its tab bar.
    let visible = wb.tabs.iter().filter(|t| t.member.is_none()).count();
    let tabs = wb.tabs.iter().enumerate().filter(|(_, t)| t.member.is_none()).map(|(i, t)| {
        let selected = i == wb.active;
        let select = {
            let workbench = workbench.clone();
            let input_ref = input_ref.clone();
            Callback::from(move |e: MouseEvent| {
                e.stop_propagation();
                workbench.dispatch(Action::SelectTab(i));
                if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                    let _ = input.focus();
                }
            })
        };
        let close = {
            let workbench = workbench.clone();
            Callback::from(move |e: MouseEvent| {
                e.stop_propagation();
                workbench.dispatch(Action::CloseTab(i));
            })
        };
        let running = t.running();
        html! {
            <div class={classes!("tab", selected.then_some("active"))} role="presentation">
                <button class="tab-label" role="tab" aria-selected={selected.to_string()} onclick={select} data-tab={t.id.to_string()}>
                    if running { <span class="tab-dot" aria-label="running"></span> }
                    { t.title() }
                </button>
                if visible > 1 {
                    <button class="tab-close" onclick={close} aria-label={format!("Close terminal {}", t.id)}>{"×"}</button>
                }
            </div>
        }
    });
    let new_tab = {
        let workbench = workbench.clone();
        let input_ref = input_ref.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            workbench.dispatch(Action::NewTab);
            // What is typed next goes to the new terminal, not to the button.
            if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                let _ = input.focus();
            }
        })
    };
    let toggle_maximised = {
        let maximised = maximised.clone();
        let input_ref = input_ref.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            maximised.set(!*maximised);
            if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                let _ = input.focus();
            }
        })
    };
    // A widget sharing a page's cluster is one terminal of it: the next widget is the next one.
    let can_add = visible < super::state::MAX_TABS && wb.group.is_none() && !readonly;
    // Topic and group names in output are links to their cards in the cluster view.
    let cluster = &wb.playground.cluster;
    let mut names: HashMap<String, &'static str> = cluster
        .topics()
        .filter(|t| !t.is_internal())
        .map(|t| (t.name().to_string(), "data-topic"))
        .collect();
    for g in cluster.group_ids() {
        names.entry(g).or_insert("data-group");
    }
    let tab = wb.tab();
    let line_html = |l: &Line| {
        let class = match l.kind {
            LineKind::Input => "line input",
            LineKind::Stdout => "line stdout",
            LineKind::Stderr => "line stderr",
            LineKind::Note => "line note",
        };
        if l.kind == LineKind::Stdout && !names.is_empty() && l.text.len() < 2_000 {
            html! { <div class={class}>{ linked(&l.text, &names) }</div> }
        } else {
            html! { <div class={class}>{ l.text.clone() }</div> }
        }
    };
    // Consecutive output lines form a block; a fold is drawn as its toggle, then its lines
    // when opened.
    let first = tab.first_kept();
    let mut blocks: Vec<Html> = Vec::new();
    let mut block: Vec<Html> = Vec::new();
    let mut folds = tab.folds.iter().peekable();
    let mut skip_to = 0u64;
    let flush = |block: &mut Vec<Html>, blocks: &mut Vec<Html>| {
        if !block.is_empty() {
            let lines = std::mem::take(block);
            blocks.push(html! { <div class="out-block">{ for lines }</div> });
        }
    };
    for (i, l) in tab.lines.iter().enumerate() {
        let n = first + i as u64;
        if n < skip_to {
            continue;
        }
        if l.kind == LineKind::Input {
            flush(&mut block, &mut blocks);
            blocks.push(line_html(l));
            continue;
        }
        while folds.peek().is_some_and(|(f, len)| f + *len as u64 <= n) {
            folds.next();
        }
        match folds.peek() {
            Some(&&(start, len)) if start <= n => {
                let key = (tab.id, start);
                let open = unfolded.contains(&key);
                let toggle = {
                    let unfolded = unfolded.clone();
                    Callback::from(move |e: MouseEvent| {
                        e.stop_propagation();
                        let mut set = (*unfolded).clone();
                        if !set.remove(&key) {
                            set.insert(key);
                        }
                        unfolded.set(set);
                    })
                };
                let label = if open {
                    "hide usage".to_string()
                } else {
                    format!("show usage ({len} lines)")
                };
                block.push(html! {
                    <button class="fold-toggle" aria-expanded={open.to_string()} onclick={toggle}>{ label }</button>
                });
                if open {
                    let from = (n - first) as usize;
                    let upto = ((start + len as u64 - first) as usize).min(tab.lines.len());
                    block.extend(tab.lines.range(from..upto).map(line_html));
                }
                skip_to = start + len as u64;
                folds.next();
            }
            _ => block.push(line_html(l)),
        }
    }
    flush(&mut block, &mut blocks);
    html! {
        <section class={classes!("console", maximised.then_some("maximised"))} aria-label="Kafka console" onclick={focus}
            role={wb.embed.is_some().then_some("group")}>
            <div class="console-bar">
                <span class="dot red"></span><span class="dot amber"></span><span class="dot green"></span>
                <div class="tabs" role="tablist" aria-label="Terminals" ref={tabs_ref}>
                    { for tabs }
                </div>
                if can_add {
                    <button class="tab-new" onclick={new_tab} title="Open another terminal" aria-label="Open another terminal">{"+"}</button>
                }
                if busy {
                    <span class="running" role="status">{"running · Ctrl+C to stop"}</span>
                }
                <button class="console-max" onclick={toggle_maximised} aria-pressed={maximised.to_string()}
                    title={if *maximised { "Restore the console's size" } else { "Widen the console to the whole page" }}
                    aria-label="Widen the console">{ if *maximised { "⤡" } else { "⤢" } }</button>
            </div>
            <div class="scrollback" ref={scroll_ref} role="log" aria-live="polite">
                { for blocks }
                if let Some(note) = waiting {
                    <p class="line note waiting-note" role="status">{ note }</p>
                }
                <div class="input-line">
                    if let Some((query, _)) = &*search {
                        <span class="search-label" role="status">{ format!("(reverse-i-search)`{query}'") }</span>
                    }
                    <label class="prompt" for="console-input">{ prompt }</label>
                    <input id="console-input" class="console-input" ref={input_ref}
                        type="text" autocomplete="off" autocapitalize="off" spellcheck="false"
                        aria-label="Command line" autofocus={wb.embed.is_none()} disabled={readonly}
                        placeholder={if readonly { "read-only example" } else { "" }}
                        {onkeydown} {onpaste} />
                </div>
            </div>
        </section>
    }
}

/// Output blocks wider than the console can be scrolled from the keyboard too: each one that
/// overflows takes the focus (←/→ then scroll it).
fn reachable_blocks(scrollback: &HtmlElement) {
    let Ok(blocks) = scrollback.query_selector_all(".out-block") else {
        return;
    };
    // A group, not a region: one landmark per output block would crowd the page's landmarks;
    // each still gets a name of its own.
    let mut shown = 0;
    for i in 0..blocks.length() {
        let Some(block) = blocks
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let wide = block.scroll_width() > block.client_width();
        if wide {
            shown += 1;
            let label = format!("Wide output {shown} (scroll sideways)");
            if block.get_attribute("aria-label").as_deref() != Some(label.as_str()) {
                let _ = block.set_attribute("aria-label", &label);
            }
        }
        if wide != block.has_attribute("tabindex") {
            if wide {
                let _ = block.set_attribute("tabindex", "0");
                let _ = block.set_attribute("role", "group");
            } else {
                let _ = block.remove_attribute("tabindex");
                let _ = block.remove_attribute("aria-label");
                let _ = block.remove_attribute("role");
            }
        }
    }
}

/// A line of output with every word that names a topic or a group turned into a link to its
/// card (as text nodes and buttons: output is never HTML).
fn linked(text: &str, names: &HashMap<String, &'static str>) -> Html {
    let mut parts: Vec<Html> = Vec::new();
    let mut plain = String::new();
    let is_sep = |c: char| {
        c.is_whitespace()
            || matches!(
                c,
                ',' | ':' | '\'' | '"' | '(' | ')' | '[' | ']' | '{' | '}' | '='
            )
    };
    let mut rest = text;
    while !rest.is_empty() {
        let word_len = rest.find(is_sep).unwrap_or(rest.len());
        if word_len == 0 {
            let c = rest.chars().next().map_or(1, char::len_utf8);
            plain.push_str(&rest[..c]);
            rest = &rest[c..];
            continue;
        }
        let word = &rest[..word_len];
        match names.get(word) {
            Some(attr) => {
                if !plain.is_empty() {
                    parts.push(html! { { std::mem::take(&mut plain) } });
                }
                let (attr, name) = (*attr, word.to_string());
                let onclick = Callback::from(move |e: MouseEvent| {
                    e.stop_propagation();
                    reveal(attr, &name);
                });
                parts.push(html! {
                    <button class="name-link" {onclick} title={format!("Show {word} in the cluster view")}>{ word.to_string() }</button>
                });
            }
            None => plain.push_str(word),
        }
        rest = &rest[word_len..];
    }
    if !plain.is_empty() {
        parts.push(html! { { plain } });
    }
    html! { <>{ for parts }</> }
}

/// Scrolls the card whose `attr` attribute equals `name` into view and flashes it.
fn reveal(attr: &str, name: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(cards) = document.query_selector_all(&format!("[{attr}]")) else {
        return;
    };
    for i in 0..cards.length() {
        let Some(el) = cards
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        if el.get_attribute(attr).as_deref() == Some(name) {
            el.scroll_into_view();
            let _ = el.class_list().add_1("flash");
            let el = el.clone();
            gloo::timers::callback::Timeout::new(1_500, move || {
                let _ = el.class_list().remove_1("flash");
            })
            .forget();
            return;
        }
    }
}
