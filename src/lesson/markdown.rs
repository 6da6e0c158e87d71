//! A lesson text's Markdown as a tree: what the Markdown worker (src/bin/markdown_worker.rs)
//! parses a text into and sends to the page as JSON, and what the page draws
//! (src/ui/markdown.rs). Text and addresses are as written: the page decides what it shows and
//! which addresses it follows.

use serde::{Deserialize, Serialize};

/// One node of the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Node {
    /// Text as written, raw HTML included.
    Text(String),
    /// Inline `code`.
    Code(String),
    /// A fenced or indented block's text.
    CodeBlock(String),
    HardBreak,
    Rule,
    /// An element and its children.
    Element(Element, Vec<Node>),
}

/// The elements a lesson can use: CommonMark's, tables and ~~strikethrough~~.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Element {
    Paragraph,
    /// The Markdown level, 1 to 6.
    Heading(u8),
    BlockQuote,
    /// The first number of a numbered list; none for a bulleted one.
    List(Option<u64>),
    Item,
    Emphasis,
    Strong,
    Strikethrough,
    Link {
        url: String,
        title: String,
    },
    /// Its alt text is the text of its children.
    Image {
        url: String,
        title: String,
    },
    /// The head first, then the body's rows.
    Table,
    TableHead,
    TableRow,
    TableCell,
}
