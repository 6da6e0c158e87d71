//! `kafka-delete-records.sh`: moves partitions' log start offsets up, as a JSON file says.

use super::Opening;
use crate::console::java;
use crate::console::json_file;
use crate::console::options::{HELP, Opt, Parsed, VERSION};
use crate::console::output::Output;
use crate::console::session::{ToolContext, ToolResult};
use crate::engine::TopicPartition;

pub const OPTIONS: &[Opt] = &[
    Opt::string(
        "bootstrap-server",
        "REQUIRED: The server to connect to.",
        "server(s) to use for bootstrapping",
    ),
    Opt::string(
        "command-config",
        "A property file containing configs to be passed to Admin Client.",
        "command config property file path",
    ),
    HELP,
    Opt::string(
        "offset-json-file",
        "REQUIRED: The JSON file with offset per partition. The format to use is:\n{\"partitions\":\n  [{\"topic\": \"foo\", \"partition\": 1, \"offset\": 1}],\n \"version\":1\n}",
        "Offset json file path",
    ),
    VERSION,
];

fn parse(text: &str) -> Result<Vec<(TopicPartition, i64)>, String> {
    let value =
        json_file::parse(text).map_err(|_| "The input string is not a valid JSON".to_string())?;
    if let Some(v) = value.get("version") {
        if v.as_i64() != Some(1) {
            return Err(format!("Not supported version field value {v}"));
        }
    }
    let parts = value
        .get("partitions")
        .and_then(|p| p.as_array())
        .ok_or("Missing partitions field")?;
    let mut out: Vec<(TopicPartition, i64)> = Vec::new();
    for p in parts {
        let topic = p
            .get("topic")
            .and_then(|t| t.as_str())
            .ok_or("Missing topic field")?;
        let partition = p
            .get("partition")
            .and_then(|t| t.as_i64())
            .ok_or("Missing partition field")? as i32;
        let offset = p
            .get("offset")
            .and_then(|t| t.as_i64())
            .ok_or("Missing offset field")?;
        let tp = TopicPartition::new(topic, partition);
        if out.iter().any(|(x, _)| *x == tp) {
            return Err(format!(
                "Offset json file contains duplicate topic partitions: {tp}"
            ));
        }
        out.push((tp, offset));
    }
    Ok(out)
}

/// `kafka-delete-records.sh`'s opening.
pub const OPENING: Opening = Opening::new(
    OPTIONS,
    "This tool helps to delete records of the given partitions down to the specified offset.",
)
.required(&["bootstrap-server", "offset-json-file"]);

pub fn run(opts: Parsed, ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    let path = opts.value("offset-json-file").unwrap_or_default();
    let Some(text) = ctx.playground.files.read(path).map(str::to_string) else {
        out.errln(&format!("java.nio.file.NoSuchFileException: {path}"));
        return ToolResult::Exit(1);
    };
    let plan = match parse(&text) {
        Ok(p) => p,
        Err(e) => {
            out.errln(&format!(
                "org.apache.kafka.server.common.AdminOperationException: {e}"
            ));
            return ToolResult::Exit(1);
        }
    };
    out.outln("Executing records delete operation");
    let mut results: Vec<((TopicPartition, String), i32)> = Vec::new();
    for (tp, offset) in plan {
        let line = match ctx.playground.cluster.delete_records(&tp, offset) {
            Ok(low) => format!("partition: {tp}\tlow_watermark: {low}"),
            Err(e) => format!("partition: {tp}\terror: {e}"),
        };
        let h = java::topic_partition_hash(&tp.topic, tp.partition);
        results.push(((tp, line), h));
    }
    out.outln("Records delete operation completed:");
    for (_, line) in java::hashmap_order(&results, None) {
        out.outln(&line);
    }
    ToolResult::Exit(0)
}
