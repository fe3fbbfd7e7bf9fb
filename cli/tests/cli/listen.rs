//! `crisp listen` against a loopback Socket.IO server (the repository's RTM fake, on
//! socketioxide) and a local receiver that verifies each delivery with `crisp_api::webhook`.

use super::*;
use crisp_api::webhook::Verifier;
use std::io::{BufRead, BufReader};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wiremock::{Request, Respond};

#[path = "../../../examples/support/rtm_server.rs"]
mod rtm_server;

const SECRET: &str = "hook-secret";

/// Answers 204 to a delivery whose signature checks, 403 otherwise; keeps the events.
#[derive(Clone, Default)]
struct Receiver(Arc<Mutex<Vec<Value>>>);

impl Respond for Receiver {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        match Verifier::new(SECRET).receive(&request.headers, &request.body) {
            Ok(delivery) => {
                self.0.lock().unwrap().push(json!({
                    "event": delivery.event.name(),
                    "website_id": delivery.website_id,
                }));
                ResponseTemplate::new(204)
            }
            Err(e) => ResponseTemplate::new(403).set_body_string(e.to_string()),
        }
    }
}

/// Waits for `condition`, at most 15 s.
async fn until(what: &str, condition: impl Fn() -> bool) {
    let start = Instant::now();
    while !condition() {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "timed out: {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Runs `crisp listen` with `args`, emits two events once it is authenticated, and returns
/// its stdout lines.
async fn listen(server: &rtm_server::Server, rest: &MockServer, args: &[&str]) -> Vec<String> {
    let mut cmd = crisp_at(rest);
    cmd.env("CRISP_TIER", "plugin");
    let mut child = cmd
        .args(["listen", "--count", "2"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let lines = tokio::task::spawn_blocking(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<String>>()
    });
    until("authenticated", || !server.authentications().is_empty()).await;
    let authentication = &server.authentications()[0];
    assert_eq!(
        authentication["events"],
        json!(["message:send", "session:set_state"])
    );
    server
        .emit("message:send", &rtm_server::message_send(1))
        .await;
    server
        .emit(
            "session:set_state",
            &json!({"website_id": WEBSITE, "session_id": SESSION, "state": "resolved"}),
        )
        .await;
    let lines = tokio::time::timeout(Duration::from_secs(15), lines)
        .await
        .expect("listen stops after --count events")
        .unwrap();
    let status = child.wait().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(status.success(), "{err}");
    lines
}

async fn servers() -> (rtm_server::Server, MockServer) {
    let sio =
        rtm_server::Server::start("127.0.0.1:0".parse().unwrap(), rtm_server::accept_all()).await;
    let rest = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/plugin/connect/endpoints"))
        .respond_with(ok(json!({"socket": {"app": sio.endpoint()}})))
        .mount(&rest)
        .await;
    (sio, rest)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn listen_forwards_signed_deliveries_to_a_local_url() {
    let (sio, rest) = servers().await;
    let hooks = MockServer::start().await;
    let receiver = Receiver::default();
    Mock::given(method("POST"))
        .and(path("/hooks"))
        .respond_with(receiver.clone())
        .mount(&hooks)
        .await;
    let url = format!("{}/hooks", hooks.uri());
    let lines = listen(
        &sio,
        &rest,
        &[
            "--events",
            "message:send,session:set_state",
            "--forward-to",
            &url,
            "--secret",
            SECRET,
        ],
    )
    .await;
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].starts_with("message:send → ") && lines[0].contains("204"),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("session:set_state → ") && lines[1].contains("204"),
        "{lines:?}"
    );
    // The receiver verified both signatures with crisp_api::webhook.
    let received = receiver.0.lock().unwrap().clone();
    assert_eq!(
        received,
        [
            json!({"event": "message:send", "website_id": WEBSITE}),
            json!({"event": "session:set_state", "website_id": WEBSITE}),
        ]
    );
    sio.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn listen_prints_json_lines_without_forward_to() {
    let (sio, rest) = servers().await;
    let lines = listen(&sio, &rest, &["--events", "message:send,session:set_state"]).await;
    assert_eq!(lines.len(), 2, "{lines:?}");
    let first: Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(first["event"], "message:send");
    assert_eq!(first["data"]["content"], "Hello, message 1");
    let second: Value = serde_json::from_str(&lines[1]).unwrap();
    assert_eq!(second["data"]["state"], "resolved");
    sio.stop().await;
    // A forward without a secret is refused before connecting.
    let out = run(
        crisp(),
        &["listen", "--forward-to", "http://127.0.0.1:9/hooks"],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--secret"), "{}", stderr(&out));
}
