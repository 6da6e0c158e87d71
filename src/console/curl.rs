//! `curl`, for the one server a tutorial talks to with it: a Kafka Connect worker's REST API
//! (`curl localhost:8083/connectors`). Any other URL gets curl's own error.
//!
//! Invariant: nothing leaves the playground; the body is printed as curl prints it (no
//! newline added), with `-i` the status line and headers first.

// curl's wording: curl(1) "EXIT CODES" and its error strings (7: "Couldn't connect to
// server", 6: "Could not resolve host", 3: "URL rejected: Malformed input to a URL function").

use super::output::Output;
use super::session::Playground;
use crate::clients::connect::rest::{self, reason};

pub fn curl(args: &[String], _: Option<&str>, pg: &mut Playground, out: &mut Output) -> i32 {
    let mut method: Option<String> = None;
    let mut data: Option<String> = None;
    let mut headers: Vec<String> = Vec::new();
    let mut include = false;
    let mut silent = false;
    let mut url: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let mut value = || {
            i += 1;
            args.get(i).cloned()
        };
        match a {
            "-X" | "--request" => method = value(),
            "-H" | "--header" => headers.extend(value()),
            "-d" | "--data" | "--data-raw" | "--data-binary" => {
                let v = value().unwrap_or_default();
                let v = match v.strip_prefix('@') {
                    Some(path) => match pg.files.read(path) {
                        Some(t) => t.replace(['\n', '\r'], ""),
                        None => {
                            out.errln(&format!("Warning: Couldn't read data from file \"{path}\", this makes an empty POST."));
                            String::new()
                        }
                    },
                    None => v,
                };
                data = Some(match data {
                    Some(d) => format!("{d}&{v}"),
                    None => v,
                });
            }
            "-i" | "--include" => include = true,
            "-s" | "--silent" | "-S" | "--show-error" | "-sS" | "-L" | "--location" | "-f" => {
                silent |= a.starts_with("-s");
            }
            u if !u.starts_with('-') => url = Some(u.to_string()),
            other => {
                out.errln(&format!("curl: option {other}: is unknown"));
                out.errln("curl: try 'curl --help' or 'curl --manual' for more information");
                return 2;
            }
        }
        i += 1;
    }
    let _ = silent;
    let Some(url) = url else {
        out.errln("curl: no URL specified");
        out.errln("curl: try 'curl --help' or 'curl --manual' for more information");
        return 2;
    };
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .unwrap_or(&url);
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => match p.parse::<u16>() {
            Ok(p) => (h, p),
            Err(_) => {
                out.errln("curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535");
                return 3;
            }
        },
        None => (
            authority,
            if url.starts_with("https://") { 443 } else { 80 },
        ),
    };
    if !matches!(host, "localhost" | "127.0.0.1" | "0.0.0.0" | "[::1]") {
        out.errln(&format!("curl: (6) Could not resolve host: {host}"));
        return 6;
    }
    let Some(worker) = pg.connect.on_port(port) else {
        out.errln(&format!(
            "curl: (7) Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server"
        ));
        return 7;
    };
    let method = method.unwrap_or_else(|| if data.is_some() { "POST" } else { "GET" }.into());
    let json = headers.iter().any(|h| {
        h.split_once(':').is_some_and(|(k, v)| {
            k.trim().eq_ignore_ascii_case("content-type")
                && v.trim()
                    .to_ascii_lowercase()
                    .starts_with("application/json")
        })
    });
    let response = rest::handle(
        worker,
        &mut pg.cluster,
        &mut pg.files,
        &method,
        path,
        data.as_deref(),
        json,
    );
    // What the worker logged while answering shows in its own terminal, at its next poll.
    if include {
        // Jetty also sends a Date header; the playground leaves it out (less code in the page).
        out.out(&format!(
            "HTTP/1.1 {} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            response.status,
            reason(response.status),
            response.body.len()
        ));
    }
    out.out(&response.body);
    0
}
