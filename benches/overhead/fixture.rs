//! What the loopback responder answers: bodies built from the spec's examples with rich custom
//! data, and the responder itself (keep-alive HTTP/1.1, one thread per connection, answers at
//! once).

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

pub const WEBSITE: &str = "8c842203-7ed8-4e29-a608-7cf78a7d2fcc";
pub const SESSION: &str = "session_700c65e1-85e2-465a-b9ac-ecb5ec2c9881";
pub const PAGES: u32 = 50;
pub const PER_PAGE: usize = 20;

/// The spec's example `data` of an operation's success response.
fn example(path: &str, method: &str) -> Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    let spec = SPEC.get_or_init(|| {
        serde_json::from_str(include_str!("../../openapi/crisp-v1.json")).expect("spec")
    });
    spec["paths"][path][method]["responses"]["2XX"]["content"]["application/json"]["example"]
        ["data"]
        .clone()
}

/// Rich custom data: strings, integers, decimals and booleans.
fn custom_data(n: usize) -> Value {
    let mut map = serde_json::Map::new();
    for i in 0..6 {
        map.insert(format!("plan_{i}"), json!(format!("enterprise-{n}-{i}")));
        map.insert(format!("seats_{i}"), json!(25 + i + n));
        map.insert(
            format!("mrr_{i}"),
            json!(1249.9 + i as f64 + n as f64 / 7.0),
        );
        map.insert(format!("sso_{i}"), json!(i % 2 == 0));
    }
    map.insert("external_id".into(), json!(format!("cus_P8x2KfQ91LmZ{n}")));
    map.insert(
        "signed_up_at".into(),
        json!(1_732_101_220_118u64 + n as u64),
    );
    Value::Object(map)
}

fn conversation(n: usize) -> Value {
    let mut c = example("/website/{website_id}/conversations/{page_number}", "get")[0].clone();
    c["session_id"] = json!(format!("session_{n:08}-85e2-465a-b9ac-ecb5ec2c9881"));
    c["meta"]["data"] = custom_data(n);
    c
}

fn envelope(data: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({"error": false, "reason": "listed", "data": data})).unwrap()
}

pub struct Bodies {
    pub conversation: Vec<u8>,
    pub dispatched: Vec<u8>,
    /// Page `n` (1-based) at index `n - 1`; past the last, an empty list.
    pub pages: Vec<Vec<u8>>,
    pub empty: Vec<u8>,
    /// One page of 50 conversations, for decoding alone.
    pub page_50: Vec<u8>,
    /// The custom data of one conversation, for decoding alone.
    pub data: Vec<u8>,
}

pub fn bodies() -> &'static Bodies {
    static BODIES: OnceLock<Bodies> = OnceLock::new();
    BODIES.get_or_init(|| {
        let mut one = example("/website/{website_id}/conversation/{session_id}", "get");
        one["meta"]["data"] = custom_data(0);
        Bodies {
            conversation: envelope(one),
            dispatched: envelope(example(
                "/website/{website_id}/conversation/{session_id}/message",
                "post",
            )),
            pages: (0..PAGES as usize)
                .map(|p| envelope((0..PER_PAGE).map(|i| conversation(p * 100 + i)).collect()))
                .collect(),
            empty: envelope(json!([])),
            page_50: envelope((0..50).map(conversation).collect()),
            data: serde_json::to_vec(&custom_data(0)).unwrap(),
        }
    })
}

// ---------------------------------------------------------------------------------------------
// The loopback server

/// Connections the server accepted (each client should keep one alive).
pub static CONNECTIONS: AtomicUsize = AtomicUsize::new(0);

/// Starts the responder; returns its base URL.
pub fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            CONNECTIONS.fetch_add(1, Ordering::Relaxed);
            std::thread::spawn(move || {
                let _ = connection(stream);
            });
        }
    });
    format!("http://{address}")
}

fn connection(stream: TcpStream) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let bodies = bodies();
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let target = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
        let mut length = 0usize;
        loop {
            line.clear();
            reader.read_line(&mut line)?;
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        let answer = if target.ends_with("/message") {
            &bodies.dispatched
        } else if let Some(page) = target
            .strip_prefix(&format!("/website/{WEBSITE}/conversations/"))
            .and_then(|p| p.split('?').next()?.parse::<usize>().ok())
        {
            bodies
                .pages
                .get(page.wrapping_sub(1))
                .unwrap_or(&bodies.empty)
        } else {
            &bodies.conversation
        };
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\n\
             content-length: {}\r\n\r\n",
            answer.len()
        );
        writer.write_all(head.as_bytes())?;
        writer.write_all(answer)?;
    }
}
