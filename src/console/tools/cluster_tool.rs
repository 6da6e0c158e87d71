//! `kafka-cluster.sh`: the cluster id, and unregistering a broker.

use crate::console::options::{self, HELP, Opt, VERSION};
use crate::console::output::Output;
use crate::console::session::{ToolContext, ToolResult};

pub const OPTIONS: &[Opt] = &[
    Opt::string(
        "bootstrap-server",
        "A list of host/port pairs to use for establishing the connection to the Kafka cluster.",
        "bootstrap-server",
    ),
    Opt::string(
        "bootstrap-controller",
        "A list of host/port pairs to use for establishing the connection to the KRaft controllers.",
        "bootstrap-controller",
    ),
    Opt::string(
        "config",
        "A property file containing configurations for the Admin client.",
        "config",
    ),
    Opt::integer("id", "The ID of the broker to unregister.", "id"),
    HELP,
    VERSION,
];

const USAGE: &str = "usage: kafka-cluster [-h] {cluster-id,unregister,list-endpoints} ...

The Kafka cluster tool.

positional arguments:
  {cluster-id,unregister,list-endpoints}
    cluster-id           Get information about the ID of a cluster.
    unregister           Unregister a broker.
    list-endpoints       List endpoints

optional arguments:
  -h, --help             show this help message and exit";

pub fn run(args: &[String], ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    let Some((command, rest)) = args.split_first() else {
        out.errln(USAGE);
        return ToolResult::Exit(1);
    };
    let opts = match options::parse(OPTIONS, rest) {
        Ok(o) => o,
        Err(e) => {
            out.errln(&format!(
                "kafka-cluster: error: unrecognized arguments: '{}'",
                e.message()
            ));
            return ToolResult::Exit(1);
        }
    };
    if !opts.has("bootstrap-server") && !opts.has("bootstrap-controller") {
        out.errln("kafka-cluster: error: one of the arguments --bootstrap-server --bootstrap-controller is required");
        return ToolResult::Exit(1);
    }
    let cluster = &mut ctx.playground.cluster;
    match command.as_str() {
        "cluster-id" => {
            out.outln(&format!("Cluster ID: {}", cluster.cluster_id()));
            ToolResult::Exit(0)
        }
        "unregister" => {
            let Ok(Some(id)) = opts.int("id") else {
                out.errln("kafka-cluster: error: argument --id/-i is required");
                return ToolResult::Exit(1);
            };
            match cluster.remove_broker(id) {
                Ok(()) => {
                    out.outln(&format!("Broker {id} is no longer registered."));
                    ToolResult::Exit(0)
                }
                Err(e) => {
                    out.errln(&e);
                    ToolResult::Exit(1)
                }
            }
        }
        "-h" | "--help" => {
            out.outln(USAGE);
            ToolResult::Exit(0)
        }
        other => {
            out.errln(USAGE);
            out.errln(&format!("kafka-cluster: error: argument command: invalid choice: '{other}' (choose from 'cluster-id', 'unregister', 'list-endpoints')"));
            ToolResult::Exit(1)
        }
    }
}
