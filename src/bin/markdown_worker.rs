//! The Markdown worker: parses lesson Markdown (CommonMark with tables, by pulldown-cmark) off
//! the page's own wasm, which loads it only when a lesson is shown (src/ui/markdown.rs), so
//! the parser is no part of the first load. Trunk builds it as a Web Worker (www/index.html).
//!
//! Protocol: once it listens, the worker posts `null`; then for each message (a Markdown
//! text) it posts the text's tree (`Vec<lesson::markdown::Node>`) as a JSON string, in the
//! order the texts came. Natively it reads a text on stdin and prints its tree.

use kafka_playground::lesson::markdown::{Element, Node};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The tree of `text`.
fn parse(text: &str) -> Vec<Node> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    // Open elements (none: one the page does not draw, whose children go to its parent).
    let mut stack: Vec<(Option<Element>, Vec<Node>)> = vec![(None, Vec::new())];
    let mut code: Option<String> = None;
    for event in Parser::new_ext(text, options) {
        let node = match event {
            Event::Start(Tag::CodeBlock(_)) => {
                code = Some(String::new());
                continue;
            }
            Event::End(TagEnd::CodeBlock) => Node::CodeBlock(code.take().unwrap_or_default()),
            Event::Start(tag) => {
                stack.push((element(tag), Vec::new()));
                continue;
            }
            Event::End(_) => {
                if stack.len() < 2 {
                    continue;
                }
                let Some((element, children)) = stack.pop() else {
                    continue;
                };
                match element {
                    Some(element) => Node::Element(element, children),
                    None => {
                        if let Some((_, parent)) = stack.last_mut() {
                            parent.extend(children);
                        }
                        continue;
                    }
                }
            }
            Event::Text(t) => {
                if let Some(code) = code.as_mut() {
                    code.push_str(&t);
                    continue;
                }
                Node::Text(t.into_string())
            }
            Event::Code(c) => Node::Code(c.into_string()),
            // Shown as written: a lesson never adds markup of its own.
            Event::Html(h) | Event::InlineHtml(h) => Node::Text(h.into_string()),
            Event::SoftBreak => Node::Text(" ".to_string()),
            Event::HardBreak => Node::HardBreak,
            Event::Rule => Node::Rule,
            _ => continue,
        };
        if let Some((_, children)) = stack.last_mut() {
            children.push(node);
        }
    }
    stack
        .into_iter()
        .flat_map(|(_, children)| children)
        .collect()
}

fn element(tag: Tag) -> Option<Element> {
    Some(match tag {
        Tag::Paragraph => Element::Paragraph,
        Tag::Heading { level, .. } => Element::Heading(level as u8),
        Tag::BlockQuote(_) => Element::BlockQuote,
        Tag::List(start) => Element::List(start),
        Tag::Item => Element::Item,
        Tag::Emphasis => Element::Emphasis,
        Tag::Strong => Element::Strong,
        Tag::Strikethrough => Element::Strikethrough,
        Tag::Link {
            dest_url, title, ..
        } => Element::Link {
            url: dest_url.into_string(),
            title: title.into_string(),
        },
        Tag::Image {
            dest_url, title, ..
        } => Element::Image {
            url: dest_url.into_string(),
            title: title.into_string(),
        },
        Tag::Table(_) => Element::Table,
        Tag::TableHead => Element::TableHead,
        Tag::TableRow => Element::TableRow,
        Tag::TableCell => Element::TableCell,
        _ => return None,
    })
}

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let text = event.data().as_string().unwrap_or_default();
        let tree = serde_json::to_string(&parse(&text)).unwrap_or_else(|_| "[]".to_string());
        // The page stops asking only if the worker itself fails (an error event).
        let _ = replies.post_message(&JsValue::from_str(&tree));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker listens for as long as it lives.
    on_message.forget();
    let _ = scope.post_message(&JsValue::NULL);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use std::io::Read;
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("markdown-worker: {e}");
        std::process::exit(1);
    }
    match serde_json::to_string_pretty(&parse(&text)) {
        Ok(json) => println!("{json}"),
        Err(e) => {
            eprintln!("markdown-worker: {e}");
            std::process::exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Node {
        Node::Text(t.to_string())
    }

    #[test]
    fn headings_lists_and_tables_become_elements() {
        let tree = parse("# Title\n\n3. one\n4. two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert_eq!(
            tree,
            vec![
                Node::Element(Element::Heading(1), vec![text("Title")]),
                Node::Element(
                    Element::List(Some(3)),
                    vec![
                        Node::Element(Element::Item, vec![text("one")]),
                        Node::Element(Element::Item, vec![text("two")]),
                    ]
                ),
                Node::Element(
                    Element::Table,
                    vec![
                        Node::Element(
                            Element::TableHead,
                            vec![
                                Node::Element(Element::TableCell, vec![text("a")]),
                                Node::Element(Element::TableCell, vec![text("b")]),
                            ]
                        ),
                        Node::Element(
                            Element::TableRow,
                            vec![
                                Node::Element(Element::TableCell, vec![text("1")]),
                                Node::Element(Element::TableCell, vec![text("2")]),
                            ]
                        ),
                    ]
                ),
            ]
        );
    }

    #[test]
    fn html_stays_text_and_code_blocks_keep_their_lines() {
        let tree =
            parse("<b>hi</b> [x](javascript:alert(1))\n\n```\nkafka-topics.sh --list\nls\n```\n");
        assert_eq!(
            tree,
            vec![
                Node::Element(
                    Element::Paragraph,
                    vec![
                        text("<b>"),
                        text("hi"),
                        text("</b>"),
                        text(" "),
                        // The address as written: the page refuses to follow it.
                        Node::Element(
                            Element::Link {
                                url: "javascript:alert(1)".to_string(),
                                title: String::new(),
                            },
                            vec![text("x")]
                        ),
                    ]
                ),
                Node::CodeBlock("kafka-topics.sh --list\nls\n".to_string()),
            ]
        );
    }
}
