//! One file per Kafka tool. Each exposes `run(args, ctx, out) -> ToolResult` and its
//! `OPTIONS`; the tools that parse with jopt-simple start with their `OPENING`. The console
//! knows them through `console::registry`.

pub mod admin;
pub mod broker_api_versions;
pub mod cluster_tool;
pub mod configs;
pub mod console_consumer;
pub mod console_producer;
pub mod consumer_groups;
pub mod consumer_perf;
pub mod delete_records;
pub mod dump_log;
pub mod get_offsets;
pub mod leader_election;
pub mod log_dirs;
pub mod metadata_quorum;
pub mod opening;
pub mod producer_perf;
pub mod reassign_partitions;
pub mod topics;

use super::output::Output;
use super::session::{ToolContext, ToolResult};

pub use opening::{BadOption, Opening};

pub type ToolFn = fn(&[String], &mut ToolContext, &mut Output) -> ToolResult;
