//! The worker's REST API (`ConnectorsResource`, `ConnectorPluginsResource`): a request's
//! method, path and body in, a status and a JSON body out, as Jackson writes them.
//!
//! Invariant: every request gets an answer; errors are `{"error_code":…,"message":…}` as
//! `ConnectExceptionMapper` writes them.

// Kafka: connect/runtime/src/main/java/org/apache/kafka/connect/runtime/rest/resources/
// ConnectorsResource.java, ConnectorPluginsResource.java, errors/ConnectExceptionMapper.java,
// entities/ConnectorInfo.java, ConnectorStateInfo.java, ErrorMessage.java, PluginInfo.java.

use super::{Connector, RestError, VERSION, Worker, java_map, plugins};
use crate::console::Files;
use crate::engine::Cluster;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub body: String,
}

/// The reason phrase of a status line.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        415 => "Unsupported Media Type",
        500 => "Server Error",
        _ => "",
    }
}

fn json(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

fn error(e: RestError) -> Response {
    Response {
        status: e.code,
        body: format!(
            r#"{{"error_code":{},"message":{}}}"#,
            e.code,
            json(&e.message)
        ),
    }
}

/// What Jersey answers itself (an unknown path, a method the path does not take).
fn http_error(status: u16) -> Response {
    error(RestError {
        code: status,
        message: format!("HTTP {status} {}", reason(status)),
        exception: "javax.ws.rs.WebApplicationException",
    })
}

fn ok(status: u16, body: String) -> Response {
    Response { status, body }
}

/// A config as Jackson writes the `HashMap` holding it.
fn config_json(config: &[(String, String)], linked: bool) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for (k, _) in config {
        if !seen.contains(&k.as_str()) {
            seen.push(k);
        }
    }
    let value = |key: &str| {
        config
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
    };
    let order = if linked { seen } else { java_map::order(seen) };
    let fields: Vec<String> = order
        .into_iter()
        .map(|k| format!("{}:{}", json(k), json(value(k))))
        .collect();
    format!("{{{}}}", fields.join(","))
}

fn info_json(c: &Connector) -> String {
    format!(
        r#"{{"name":{},"config":{},"tasks":[{{"connector":{},"task":0}}],"type":"{}"}}"#,
        json(&c.name),
        config_json(&c.config, c.linked),
        json(&c.name),
        c.kind.name()
    )
}

fn status_json(c: &Connector, worker_id: &str) -> String {
    let trace = c
        .trace
        .as_ref()
        .map(|t| format!(",\"trace\":{}", json(t)))
        .unwrap_or_default();
    format!(
        r#"{{"name":{},"connector":{{"state":"{}","worker_id":"{worker_id}"}},"tasks":[{{"id":0,"state":"{}"{trace},"worker_id":"{worker_id}"}}],"type":"{}"}}"#,
        json(&c.name),
        c.state,
        c.task_state,
        c.kind.name()
    )
}

/// A request body's JSON with its objects' keys in the order written (Jackson reads a
/// config into a `LinkedHashMap`, which keeps it; `serde_json::Map` would sort them).
#[derive(Debug, Clone, PartialEq)]
enum Json {
    Object(Vec<(String, Json)>),
    Other(serde_json::Value),
}

impl Json {
    fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            Json::Other(_) => None,
        }
    }
    fn as_str(&self) -> Option<&str> {
        match self {
            Json::Other(serde_json::Value::String(s)) => Some(s),
            _ => None,
        }
    }
}

impl<'de> serde::Deserialize<'de> for Json {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Json, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Json;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
                let mut fields = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Json>()? {
                    fields.push((k, v));
                }
                Ok(Json::Object(fields))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
                let mut items = Vec::new();
                while let Some(v) = seq.next_element::<serde_json::Value>()? {
                    items.push(v);
                }
                Ok(Json::Other(serde_json::Value::Array(items)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Json, E> {
                Ok(Json::Other(serde_json::Value::String(v.to_string())))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
                Ok(Json::Other(serde_json::Value::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
                Ok(Json::Other(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
                Ok(Json::Other(v.into()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
                Ok(Json::Other(serde_json::Value::from(v)))
            }
            fn visit_unit<E>(self) -> Result<Json, E> {
                Ok(Json::Other(serde_json::Value::Null))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// A JSON object of strings (a connector config in a request body), in its order.
fn string_map(value: &Json) -> Result<Vec<(String, String)>, RestError> {
    let Json::Object(fields) = value else {
        return Err(bad_json());
    };
    fields
        .iter()
        .map(|(k, v)| match v {
            Json::Other(serde_json::Value::String(s)) => Ok((k.clone(), s.clone())),
            Json::Other(serde_json::Value::Null) | Json::Object(_) => Err(bad_json()),
            Json::Other(other) => Ok((k.clone(), other.to_string())),
        })
        .collect()
}

fn bad_json() -> RestError {
    RestError {
        code: 500,
        message: "Cannot deserialize value of type `java.util.LinkedHashMap<java.lang.String,java.lang.String>` from Array value (token `JsonToken.START_ARRAY`)".into(),
        exception: "com.fasterxml.jackson.databind.exc.MismatchedInputException",
    }
}

fn parse_body(body: Option<&str>) -> Result<Json, Response> {
    let text = body.unwrap_or("");
    serde_json::from_str(text).map_err(|e| {
        error(RestError {
            code: 500,
            message: format!("Unexpected character: {e}"),
            exception: "com.fasterxml.jackson.core.JsonParseException",
        })
    })
}

/// One request to the worker. `json_body`: whether the request said
/// `Content-Type: application/json` (the resources take nothing else).
pub fn handle(
    worker: &mut Worker,
    cluster: &mut Cluster,
    files: &mut Files,
    method: &str,
    path: &str,
    body: Option<&str>,
    json_body: bool,
) -> Response {
    let path = path.split('?').next().unwrap_or("");
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let parts: Vec<&str> = if parts == [""] { vec![] } else { parts };
    let needs_json = matches!(method, "POST" | "PUT") && body.is_some();
    match (method, parts.as_slice()) {
        ("GET", ["connectors"]) => {
            let names: Vec<&str> = worker.connectors.iter().map(|c| c.name.as_str()).collect();
            let list: Vec<String> = java_map::order(names).into_iter().map(json).collect();
            ok(200, format!("[{}]", list.join(",")))
        }
        ("GET", ["connector-plugins"]) => {
            let list: Vec<String> = plugins(worker.file_plugins)
                .into_iter()
                .map(|(class, kind)| {
                    format!(r#"{{"class":"{class}","type":"{kind}","version":"{VERSION}"}}"#)
                })
                .collect();
            ok(200, format!("[{}]", list.join(",")))
        }
        ("POST", ["connectors"]) => {
            if !json_body {
                return http_error(415);
            }
            let value = match parse_body(body) {
                Ok(v) => v,
                Err(r) => return r,
            };
            let Some(name) = value.get("name").and_then(Json::as_str) else {
                return error(RestError {
                    code: 400,
                    message: "Connector name was not provided".into(),
                    exception: "org.apache.kafka.connect.runtime.rest.errors.BadRequestException",
                });
            };
            let config = match value.get("config").map(string_map) {
                Some(Ok(c)) => c,
                Some(Err(e)) => return error(e),
                None => Vec::new(),
            };
            create(worker, cluster, files, name, config, false)
        }
        (_, ["connectors"]) | (_, ["connector-plugins"]) => http_error(405),
        ("GET", ["connectors", name]) => match worker.connector(name) {
            Some(c) => ok(200, info_json(c)),
            None => error(RestError::not_found(name)),
        },
        ("DELETE", ["connectors", name]) => match worker.delete_connector(name, cluster, files) {
            Ok(()) => ok(204, String::new()),
            Err(e) => error(e),
        },
        ("GET", ["connectors", name, "config"]) => match worker.connector(name) {
            Some(c) => ok(200, config_json(&c.config, c.linked)),
            None => error(RestError::not_found(name)),
        },
        ("PUT", ["connectors", name, "config"]) => {
            if needs_json && !json_body {
                return http_error(415);
            }
            let value = match parse_body(body) {
                Ok(v) => v,
                Err(r) => return r,
            };
            let config = match string_map(&value) {
                Ok(c) => c,
                Err(e) => return error(e),
            };
            if let Some((_, n)) = config.iter().find(|(k, _)| k == "name") {
                if n != name {
                    return error(RestError {
                        code: 400,
                        message: format!(
                            "Connector name configuration ({n}) doesn't match connector name in the URL ({name})"
                        ),
                        exception: "org.apache.kafka.connect.runtime.rest.errors.BadRequestException",
                    });
                }
            }
            create(worker, cluster, files, name, config, true)
        }
        ("GET", ["connectors", name, "status"]) => {
            let id = worker.worker_id();
            match worker.connector(name) {
                Some(c) => ok(200, status_json(c, &id)),
                None => error(RestError::not_found(name)),
            }
        }
        ("PUT", ["connectors", name, "pause"]) => target(worker, cluster, name, "PAUSED"),
        ("PUT", ["connectors", name, "resume"]) => target(worker, cluster, name, "RUNNING"),
        ("POST", ["connectors", name, "restart"]) => {
            let Some(c) = worker.connectors.iter_mut().find(|c| c.name == *name) else {
                return error(RestError::not_found(name));
            };
            if c.task_state == "FAILED" {
                c.task_state = c.state.clone();
                c.trace = None;
            }
            ok(204, String::new())
        }
        (_, ["connectors", _])
        | (
            _,
            [
                "connectors",
                _,
                "config" | "status" | "pause" | "resume" | "restart",
            ],
        ) => http_error(405),
        _ => http_error(404),
    }
}

fn target(worker: &mut Worker, cluster: &mut Cluster, name: &str, state: &str) -> Response {
    match worker.set_target_state(name, state, cluster) {
        Ok(()) => ok(202, String::new()),
        Err(e) => error(e),
    }
}

fn create(
    worker: &mut Worker,
    cluster: &mut Cluster,
    files: &mut Files,
    name: &str,
    config: Vec<(String, String)>,
    allow_replace: bool,
) -> Response {
    match worker.put_connector(name, config, allow_replace, cluster, files) {
        Ok(created) => {
            if let Some(c) = worker.connectors.iter_mut().find(|c| c.name == name) {
                c.linked = true;
            }
            let now = cluster.now_ms();
            worker.task_started(name, now);
            match worker.connector(name) {
                Some(c) => ok(if created { 201 } else { 200 }, info_json(c)),
                None => error(RestError::not_found(name)),
            }
        }
        Err(e) => error(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_config_keeps_the_order_it_was_written_in() {
        // Kafka: ConnectorsResource.createConnector reads a CreateConnectorRequest whose
        // config Jackson fills as a LinkedHashMap.
        let body = r#"{"name":"file", "config" : {"topics":"t","file" :"x","connector.class":"FileStreamSink"}}"#;
        let parsed = parse_body(Some(body)).unwrap_or(Json::Other(serde_json::Value::Null));
        assert_eq!(parsed.get("name").and_then(Json::as_str), Some("file"));
        let config = parsed.get("config").map(string_map);
        let keys: Vec<String> = config
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(keys, ["topics", "file", "connector.class"]);
    }
}
