//! Lesson Markdown (CommonMark with tables, parsed by pulldown-cmark) drawn as Yew elements
//! and text nodes. Built without the `cmark` feature (the parser costs about 65 KB gzipped of
//! the first load), a small subset is drawn instead: paragraphs, `- ` lists, fenced blocks,
//! `code` and **bold**. A lesson is untrusted (an instructor's file, a link): nothing in it is ever
//! interpreted as HTML — raw HTML shows as text, links open only http(s) addresses in a new
//! tab without access to this page, and images load only from the lesson's own folder.

use yew::prelude::*;

use super::lesson_view::{command_line, is_command};

#[cfg(feature = "cmark")]
pub use cmark::render;
#[cfg(not(feature = "cmark"))]
pub use subset::render;

#[cfg(not(feature = "cmark"))]
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

#[cfg(feature = "cmark")]
mod cmark {
    use super::*;
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

    /// An element being built: its tag, its children, and its plain text (an image's alt text).
    struct Frame<'a> {
        tag: Option<Tag<'a>>,
        children: Vec<Html>,
        text: String,
    }

    /// Blocks of `text`. `images`: the folder the lesson's images load from (none: an image shows
    /// as its alt text). With `inline`, paragraphs add no `<p>` (a hint, a question).
    pub fn render(text: &str, images: Option<&str>, inline: bool, run: &Callback<String>) -> Html {
        let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
        let mut stack = vec![Frame {
            tag: None,
            children: Vec::new(),
            text: String::new(),
        }];
        // A fenced or indented block's text: its lines become console commands to click.
        let mut code: Option<String> = None;
        let mut in_head = false;
        for event in Parser::new_ext(text, options) {
            let node = match event {
                Event::Start(Tag::CodeBlock(_)) => {
                    code = Some(String::new());
                    continue;
                }
                Event::End(TagEnd::CodeBlock) => {
                    let lines = code.take().unwrap_or_default();
                    html! { <div class="code-block">{ for lines.lines().map(|l| command_line(l, run)) }</div> }
                }
                Event::Start(tag) => {
                    in_head |= matches!(tag, Tag::TableHead);
                    stack.push(Frame {
                        tag: Some(tag),
                        children: Vec::new(),
                        text: String::new(),
                    });
                    continue;
                }
                Event::End(end) => {
                    if stack.len() < 2 {
                        continue;
                    }
                    let Some(frame) = stack.pop() else { continue };
                    if matches!(end, TagEnd::TableHead) {
                        in_head = false;
                    }
                    if let Some(parent) = stack.last_mut() {
                        parent.text.push_str(&frame.text);
                    }
                    element(frame, images, inline, in_head)
                }
                Event::Text(t) => {
                    if let Some(code) = code.as_mut() {
                        code.push_str(&t);
                        continue;
                    }
                    if let Some(top) = stack.last_mut() {
                        top.text.push_str(&t);
                    }
                    html! { { t.to_string() } }
                }
                Event::Code(c) if is_command(&c) => command_line(&c, run),
                Event::Code(c) => html! { <code>{ c.to_string() }</code> },
                // Shown as written: a lesson never adds markup of its own.
                Event::Html(h) | Event::InlineHtml(h) => html! { { h.to_string() } },
                Event::SoftBreak => html! { {" "} },
                Event::HardBreak => html! { <br/> },
                Event::Rule => html! { <hr/> },
                _ => continue,
            };
            if let Some(top) = stack.last_mut() {
                top.children.push(node);
            }
        }
        let children = stack.into_iter().flat_map(|f| f.children);
        html! { <>{ for children }</> }
    }

    fn element(frame: Frame, images: Option<&str>, inline: bool, in_head: bool) -> Html {
        let Frame {
            tag,
            mut children,
            text,
        } = frame;
        let kids = || html! { <>{ for children.clone() }</> };
        let Some(tag) = tag else { return kids() };
        match tag {
            Tag::Paragraph if inline => kids(),
            Tag::Paragraph => html! { <p>{ kids() }</p> },
            // `## ` starts a step, and the step's title is an h3: a lesson's own headings go below.
            Tag::Heading { level, .. } => {
                let name = format!("h{}", (level as usize + 2).min(6));
                html! { <@{name} class="md-heading">{ kids() }</@> }
            }
            Tag::BlockQuote(_) => html! { <blockquote>{ kids() }</blockquote> },
            Tag::List(Some(start)) => html! { <ol start={start.to_string()}>{ kids() }</ol> },
            Tag::List(None) => html! { <ul>{ kids() }</ul> },
            Tag::Item => html! { <li>{ kids() }</li> },
            Tag::Emphasis => html! { <em>{ kids() }</em> },
            Tag::Strong => html! { <strong>{ kids() }</strong> },
            Tag::Strikethrough => html! { <del>{ kids() }</del> },
            Tag::Link {
                dest_url, title, ..
            } if web_address(&dest_url) => html! {
                <a href={dest_url.to_string()} title={title.to_string()} target="_blank" rel="noopener noreferrer">{ kids() }</a>
            },
            Tag::Image {
                dest_url, title, ..
            } => match images.filter(|_| in_folder(&dest_url)) {
                Some(folder) => html! {
                    <img class="md-image" src={format!("{folder}{dest_url}")} alt={text} title={title.to_string()} loading="lazy" />
                },
                None => html! { <span class="md-image-alt">{ format!("[image: {text}]") }</span> },
            },
            Tag::Table(_) => {
                // The head comes first; the rows after it are the body.
                let head = if children.is_empty() {
                    Html::default()
                } else {
                    children.remove(0)
                };
                html! {
                    <div class="md-table-wrap"><table class="md-table">{ head }<tbody>{ for children }</tbody></table></div>
                }
            }
            Tag::TableHead => html! { <thead><tr>{ kids() }</tr></thead> },
            Tag::TableRow => html! { <tr>{ kids() }</tr> },
            Tag::TableCell if in_head => html! { <th>{ kids() }</th> },
            Tag::TableCell => html! { <td>{ kids() }</td> },
            _ => kids(),
        }
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
