//! Lesson Markdown (CommonMark with tables) drawn as Yew elements and text nodes. The parser
//! (pulldown-cmark) is about 65 KB gzipped, too much for the first load: it runs in a Web
//! Worker (src/bin/markdown_worker.rs), loaded when the first lesson text is shown, which sends
//! back each text's tree (kept per text). Until a text's tree is there, or if the worker cannot
//! load, a small subset is drawn instead: paragraphs, `- ` lists, fenced blocks, `code` and
//! **bold**. A lesson is untrusted (an instructor's file, a link): nothing in it is ever
//! interpreted as HTML — raw HTML shows as text, links open only http(s) addresses in a new
//! tab without access to this page, and images load only from the lesson's own folder.

use yew::prelude::*;

use super::lesson_view::{command_line, is_command};

/// Blocks of `text`. `images`: the folder the lesson's images load from (none: an image shows
/// as its alt text). With `inline`, paragraphs add no `<p>` (a hint, a question).
pub fn render(text: &str, images: Option<&str>, inline: bool, run: &Callback<String>) -> Html {
    html! {
        <Markdown
            text={AttrValue::from(text.to_string())}
            images={images.map(|i| AttrValue::from(i.to_string()))}
            {inline}
            run={run.clone()}
        />
    }
}

#[derive(Properties, PartialEq)]
struct Props {
    text: AttrValue,
    images: Option<AttrValue>,
    inline: bool,
    run: Callback<String>,
}

#[component]
fn Markdown(props: &Props) -> Html {
    let redraw = use_force_update();
    let parsed = worker::parsed(&props.text);
    let subset = parsed.is_none();
    use_effect_with(props.text.clone(), move |text| {
        if subset {
            worker::request(text, redraw);
        }
    });
    let images = props.images.as_deref();
    match parsed {
        Some(nodes) => tree::render(&nodes, images, props.inline, &props.run),
        None => subset::render(&props.text, images, props.inline, &props.run),
    }
}

mod subset {
    use super::*;

    /// Paragraphs, `- ` lists and fenced blocks; inline `code` and **bold**. Everything becomes
    /// text nodes: nothing in a lesson is ever interpreted as HTML.
    pub fn render(
        text: &str,
        _images: Option<&str>,
        inline_only: bool,
        run: &Callback<String>,
    ) -> Html {
        if inline_only {
            return inline(text, run);
        }
        let mut blocks: Vec<Html> = Vec::new();
        let mut para: Vec<String> = Vec::new();
        let mut list: Vec<String> = Vec::new();
        let mut fence: Option<Vec<&str>> = None;
        let flush = |para: &mut Vec<String>, list: &mut Vec<String>, blocks: &mut Vec<Html>| {
            if !para.is_empty() {
                blocks.push(html! { <p>{ inline(&para.join(" "), run) }</p> });
                para.clear();
            }
            if !list.is_empty() {
                blocks.push(html! { <ul>{ for list.iter().map(|i| html! { <li>{ inline(i, run) }</li> }) }</ul> });
                list.clear();
            }
        };
        for line in text.lines() {
            if line.trim_start().starts_with("```") {
                match fence.take() {
                    Some(lines) => blocks.push(html! {
                        <div class="code-block">{ for lines.iter().map(|l| command_line(l, run)) }</div>
                    }),
                    None => {
                        flush(&mut para, &mut list, &mut blocks);
                        fence = Some(Vec::new());
                    }
                }
                continue;
            }
            if let Some(lines) = fence.as_mut() {
                lines.push(line);
                continue;
            }
            let trimmed = line.trim();
            if trimmed.is_empty() {
                flush(&mut para, &mut list, &mut blocks);
            } else if let Some(item) = trimmed
                .strip_prefix("- ")
                .or_else(|| trimmed.strip_prefix("* "))
            {
                if !para.is_empty() {
                    flush(&mut para, &mut Vec::new(), &mut blocks);
                }
                list.push(item.to_string());
            } else if let (Some(last), true) = (list.last_mut(), line.starts_with("  ")) {
                // A list item's continuation line.
                last.push(' ');
                last.push_str(trimmed);
            } else {
                if !list.is_empty() {
                    flush(&mut Vec::new(), &mut list, &mut blocks);
                }
                para.push(trimmed.to_string());
            }
        }
        if let Some(lines) = fence {
            blocks.push(html! { <div class="code-block">{ for lines.iter().map(|l| command_line(l, run)) }</div> });
        }
        flush(&mut para, &mut list, &mut blocks);
        html! { <>{ for blocks }</> }
    }

    /// Inline `code` (clickable when it is a command) and **bold**.
    fn inline(text: &str, run: &Callback<String>) -> Html {
        let mut parts: Vec<Html> = Vec::new();
        for (i, piece) in text.split('`').enumerate() {
            if i % 2 == 1 {
                parts.push(if is_command(piece) {
                    command_line(piece, run)
                } else {
                    html! { <code>{ piece.to_string() }</code> }
                });
                continue;
            }
            for (j, bit) in piece.split("**").enumerate() {
                if j % 2 == 1 {
                    parts.push(html! { <strong>{ bit.to_string() }</strong> });
                } else if !bit.is_empty() {
                    parts.push(html! { { bit.to_string() } });
                }
            }
        }
        html! { <>{ for parts }</> }
    }
}

/// The lesson text's tree, as the worker parsed it.
mod tree {
    use super::*;
    use crate::lesson::markdown::{Element, Node};

    pub fn render(
        nodes: &[Node],
        images: Option<&str>,
        inline: bool,
        run: &Callback<String>,
    ) -> Html {
        let draw = Draw {
            images,
            inline,
            run,
        };
        draw.all(nodes, false)
    }

    struct Draw<'a> {
        images: Option<&'a str>,
        inline: bool,
        run: &'a Callback<String>,
    }

    impl Draw<'_> {
        /// `head`: inside a table's head, where cells are headers.
        fn all(&self, nodes: &[Node], head: bool) -> Html {
            html! { <>{ for nodes.iter().map(|n| self.node(n, head)) }</> }
        }

        fn node(&self, node: &Node, head: bool) -> Html {
            match node {
                Node::Text(t) => html! { { t.clone() } },
                Node::Code(c) if is_command(c) => command_line(c, self.run),
                Node::Code(c) => html! { <code>{ c.clone() }</code> },
                Node::CodeBlock(lines) => html! {
                    <div class="code-block">{ for lines.lines().map(|l| command_line(l, self.run)) }</div>
                },
                Node::HardBreak => html! { <br/> },
                Node::Rule => html! { <hr/> },
                Node::Element(element, children) => self.element(element, children, head),
            }
        }

        fn element(&self, element: &Element, children: &[Node], head: bool) -> Html {
            let kids = || self.all(children, head);
            match element {
                Element::Paragraph if self.inline => kids(),
                Element::Paragraph => html! { <p>{ kids() }</p> },
                // `## ` starts a step, and the step's title is an h3: a lesson's own headings go below.
                Element::Heading(level) => {
                    let name = format!("h{}", (*level as usize + 2).min(6));
                    html! { <@{name} class="md-heading">{ kids() }</@> }
                }
                Element::BlockQuote => html! { <blockquote>{ kids() }</blockquote> },
                Element::List(Some(start)) => {
                    html! { <ol start={start.to_string()}>{ kids() }</ol> }
                }
                Element::List(None) => html! { <ul>{ kids() }</ul> },
                Element::Item => html! { <li>{ kids() }</li> },
                Element::Emphasis => html! { <em>{ kids() }</em> },
                Element::Strong => html! { <strong>{ kids() }</strong> },
                Element::Strikethrough => html! { <del>{ kids() }</del> },
                Element::Link { url, title } if web_address(url) => html! {
                    <a href={url.clone()} title={title.clone()} target="_blank" rel="noopener noreferrer">{ kids() }</a>
                },
                Element::Link { .. } => kids(),
                Element::Image { url, title } => {
                    let alt = plain_text(children);
                    match self.images.filter(|_| in_folder(url)) {
                        Some(folder) => html! {
                            <img class="md-image" src={format!("{folder}{url}")} alt={alt} title={title.clone()} loading="lazy" />
                        },
                        None => {
                            html! { <span class="md-image-alt">{ format!("[image: {alt}]") }</span> }
                        }
                    }
                }
                // The head comes first; the rows after it are the body.
                Element::Table => {
                    let (first, rows) = match children.split_first() {
                        Some((first @ Node::Element(Element::TableHead, _), rows)) => {
                            (self.node(first, false), rows)
                        }
                        _ => (Html::default(), children),
                    };
                    html! {
                        <div class="md-table-wrap"><table class="md-table">{ first }<tbody>{ self.all(rows, false) }</tbody></table></div>
                    }
                }
                Element::TableHead => {
                    html! { <thead><tr>{ self.all(children, true) }</tr></thead> }
                }
                Element::TableRow => html! { <tr>{ kids() }</tr> },
                Element::TableCell if head => html! { <th>{ kids() }</th> },
                Element::TableCell => html! { <td>{ kids() }</td> },
            }
        }
    }

    /// The text of `nodes` and of their children (an image's alt text).
    fn plain_text(nodes: &[Node]) -> String {
        let mut text = String::new();
        for node in nodes {
            match node {
                Node::Text(t) => text.push_str(t),
                Node::Element(_, children) => text.push_str(&plain_text(children)),
                _ => {}
            }
        }
        text
    }

    /// Links open only web addresses (never `javascript:`, `data:` or a file).
    fn web_address(url: &str) -> bool {
        let lower = url.trim_start().to_ascii_lowercase();
        lower.starts_with("https://") || lower.starts_with("http://")
    }

    /// An image path inside the lesson's folder: relative, without a scheme, `..` or a query.
    fn in_folder(path: &str) -> bool {
        !path.is_empty()
            && !path.starts_with('/')
            && !path.contains(':')
            && !path.contains('\\')
            && !path.split('/').any(|part| part == "..")
            && !path.contains(['?', '#'])
    }
}

/// The Markdown worker, started on the first request, and the trees it sent, per text.
mod worker {
    use std::cell::RefCell;
    use std::collections::{HashMap, VecDeque};
    use std::rc::Rc;

    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use web_sys::{MessageEvent, Worker};
    use yew::functional::UseForceUpdateHandle;

    use crate::lesson::markdown::Node;

    /// Trunk's loader for the worker bin (www/index.html), next to the page.
    const SCRIPT: &str = "./markdown-worker_loader.js";

    #[derive(Default)]
    struct Parser {
        worker: Option<Worker>,
        /// The worker listens (it posts `null` when it does).
        ready: bool,
        /// It could not start, or failed: the subset stays.
        failed: bool,
        /// Texts to send once the worker listens.
        unsent: Vec<String>,
        /// Texts sent, in order: the worker answers in the same order.
        sent: VecDeque<String>,
        /// The components drawing each text still unparsed.
        waiting: Vec<(String, UseForceUpdateHandle)>,
        parsed: HashMap<String, Rc<Vec<Node>>>,
    }

    thread_local! {
        static PARSER: RefCell<Parser> = RefCell::new(Parser::default());
    }

    /// The tree of `text`, if the worker has sent it.
    pub fn parsed(text: &str) -> Option<Rc<Vec<Node>>> {
        PARSER.with(|p| p.borrow().parsed.get(text).cloned())
    }

    /// Asks the worker for `text`'s tree, drawn as the subset so far; `redraw` is called when
    /// the tree is there.
    pub fn request(text: &str, redraw: UseForceUpdateHandle) {
        let arrived = PARSER.with(|p| p.borrow().parsed.contains_key(text));
        if arrived {
            // Between the component's drawing and now.
            redraw.force_update();
            return;
        }
        PARSER.with(|p| {
            let mut p = p.borrow_mut();
            if p.failed {
                return;
            }
            p.waiting.push((text.to_string(), redraw));
            if p.unsent.iter().chain(p.sent.iter()).any(|t| t == text) {
                return;
            }
            if p.worker.is_none() {
                match start() {
                    Some(worker) => p.worker = Some(worker),
                    None => {
                        p.failed = true;
                        p.waiting.clear();
                        return;
                    }
                }
            }
            if p.ready {
                send(&mut p, text.to_string());
            } else {
                p.unsent.push(text.to_string());
            }
        });
    }

    fn send(p: &mut Parser, text: String) {
        if let Some(worker) = &p.worker {
            if worker.post_message(&JsValue::from_str(&text)).is_ok() {
                p.sent.push_back(text);
            }
        }
    }

    fn start() -> Option<Worker> {
        let worker = Worker::new(SCRIPT).ok()?;
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(|event: MessageEvent| {
            received(event.data().as_string());
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        // Its script or wasm missing (offline before the service worker cached them), or a
        // panic in it: lessons keep the subset.
        let on_error = Closure::<dyn Fn(web_sys::Event)>::new(|_| {
            PARSER.with(|p| {
                let mut p = p.borrow_mut();
                if let Some(worker) = p.worker.take() {
                    worker.terminate();
                }
                p.failed = true;
                p.unsent.clear();
                p.sent.clear();
                p.waiting.clear();
            });
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        Some(worker)
    }

    /// A message from the worker: `None` when it listens, else the next text's tree as JSON.
    fn received(message: Option<String>) {
        let redraw: Vec<UseForceUpdateHandle> = PARSER.with(|p| {
            let mut p = p.borrow_mut();
            let Some(json) = message else {
                p.ready = true;
                for text in std::mem::take(&mut p.unsent) {
                    send(&mut p, text);
                }
                return Vec::new();
            };
            let Some(text) = p.sent.pop_front() else {
                return Vec::new();
            };
            let Ok(nodes) = serde_json::from_str::<Vec<Node>>(&json) else {
                return Vec::new();
            };
            p.parsed.insert(text.clone(), Rc::new(nodes));
            let (done, still): (Vec<_>, Vec<_>) = std::mem::take(&mut p.waiting)
                .into_iter()
                .partition(|(t, _)| *t == text);
            p.waiting = still;
            done.into_iter().map(|(_, redraw)| redraw).collect()
        });
        // Outside the borrow: a redraw may ask for another text at once.
        for r in redraw {
            r.force_update();
        }
    }
}
