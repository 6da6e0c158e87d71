//! One file per Kafka tool. Each exposes `run(args, ctx, out) -> ToolResult` and its
//! `OPTIONS`; the tools that parse with jopt-simple start with their `OPENING`. The console
//! knows them through `console::registry`.

pub mod acls;
pub mod admin;
mod argparse;
pub mod broker_api_versions;
pub mod cluster_tool;
pub mod configs;
pub mod connect_standalone;
pub mod console_consumer;
pub mod console_producer;
pub mod console_share_consumer;
pub mod consumer_groups;
pub mod consumer_perf;
mod default_record_batch;
pub mod delete_records;
pub mod dump_log;
pub mod features;
pub mod get_offsets;
mod group_configs;
pub mod leader_election;
pub mod log_dirs;
mod message_formatter;
pub mod metadata_quorum;
pub mod opening;
pub mod producer_perf;
mod quota_configs;
pub mod reassign_partitions;
pub mod run_class;
pub mod server_start;
pub mod share_groups;
pub mod storage;
pub mod streams_reset;
pub mod topics;
pub mod transactions;
pub mod verifiable_consumer;
pub mod verifiable_producer;

use super::options::Parsed;
use super::output::Output;
use super::session::{ToolContext, ToolResult};

pub use opening::{BadOption, Opening};

/// A tool that reads its own arguments.
pub type ToolFn = fn(&[String], &mut ToolContext, &mut Output) -> ToolResult;
/// A tool's body after its opening: it gets the parsed options.
pub type OpenedFn = fn(Parsed, &mut ToolContext, &mut Output) -> ToolResult;

/// How a Kafka tool starts.
#[derive(Clone, Copy)]
pub enum Start {
    /// It reads its own arguments (argparse4j's tools, and the consumer perf test, which
    /// draws its default group before it parses).
    Args(ToolFn),
    /// jopt-simple's: the opening runs first, and the tool gets the options it let through.
    Opened(&'static Opening, OpenedFn),
}

impl Start {
    pub fn run(self, args: &[String], ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
        match self {
            Start::Args(run) => run(args, ctx, out),
            Start::Opened(opening, run) => match opening.open(args, &ctx.playground.files, out) {
                Ok(opts) => run(opts, ctx, out),
                Err(code) => ToolResult::Exit(code),
            },
        }
    }
}
