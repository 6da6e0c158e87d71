//! The Kafka command line: turns console lines into engine calls and engine results into the
//! exact text Kafka's tools print.
//!
//! Invariant: no web dependencies; parsing never panics; output is a sequence of stdout/stderr
//! chunks, identical in the browser and in `kplay`.

pub mod builtins;
pub mod complete;
pub mod curl;
pub mod distribution;
pub mod files;
pub mod help;
pub mod java;
pub mod json_file;
pub mod near_miss;
pub mod options;
pub mod output;
pub mod playground_cmd;
pub mod playground_txn;
pub mod regex;
pub mod registry;
pub mod script;
pub mod session;
pub mod shell;
pub mod shell_commands;
pub mod terminal;
pub mod tools;
pub mod variables;
pub mod waiting;

pub use files::Files;
pub use output::{Chunk, Output, Part, Stream};
pub use session::{Playground, Session, Status, Stdin, ToolContext, ToolResult};
pub use terminal::{Prompt, Terminal};
