//! Runs the `crisp` binary: against wiremock for the request shapes, exit codes and output
//! formats, and against `--sandbox` for every operation's happy path. One binary: the
//! modules below are its parts, one per concern.

#[path = "cli/errors.rs"]
mod errors;
#[path = "cli/listen.rs"]
mod listen;
#[path = "cli/output.rs"]
mod output;
#[path = "cli/sandbox.rs"]
mod sandbox;
#[path = "cli/settings.rs"]
mod settings;
#[path = "cli/small.rs"]
mod small;
#[path = "cli/tree.rs"]
mod tree;

use serde_json::{Value, json};
use std::io::Write;
use std::process::{Command, Output, Stdio};
use wiremock::matchers::{
    body_json, header, method, path, path_regex, query_param, query_param_is_missing,
};
use wiremock::{Mock, MockServer, ResponseTemplate};

const WEBSITE: &str = "8c842203-7ed8-4e29-a608-7cf78a7d2fcc";
const SESSION: &str = "session_700c65e1-85e2-465a-b9ac-ecb5ec2c9881";
const IDENTIFIER: &str = "7c3ef21c-1e04-41ce-8c06-5605c346f73e";
const KEY: &str = "secret-key";

/// The binary, with none of the configuration variables of the test's environment and a
/// config file that does not exist (never the user's own), help at 100 columns.
fn crisp() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_crisp"));
    for var in [
        "CRISP_IDENTIFIER",
        "CRISP_KEY",
        "CRISP_TIER",
        "CRISP_API_URL",
        "CRISP_WEBHOOK_SECRET",
        "CRISP_WEBSITE_ID",
        "CRISP_PROFILE",
        "CRISP_PROGRESS",
    ] {
        cmd.env_remove(var);
    }
    let none = std::env::temp_dir().join("crisp-cli-test-no-config");
    cmd.env("CRISP_CONFIG", none.join("config.toml"))
        .env("COLUMNS", "100");
    cmd
}

/// A fresh directory under the system's temporary directory.
fn scratch_dir(name: &str) -> std::path::PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("crisp-cli-{}-{name}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The binary configured for a mock server.
fn crisp_at(server: &MockServer) -> Command {
    let mut cmd = crisp();
    cmd.env("CRISP_IDENTIFIER", IDENTIFIER)
        .env("CRISP_KEY", KEY)
        .env("CRISP_TIER", "website")
        .env("CRISP_API_URL", server.uri());
    cmd
}

/// Runs a command to completion, feeding `stdin`.
fn run(mut cmd: Command, args: &[&str], stdin: &str) -> Output {
    let mut child = cmd
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Runs the binary off the async runtime, so the mock server keeps answering.
async fn run_async(cmd: Command, args: &[&str], stdin: &str) -> Output {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let stdin = stdin.to_owned();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(cmd, &args, &stdin)
    })
    .await
    .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn ok(data: Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"error": false, "reason": "resolved", "data": data}))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_sends_auth_tier_encoded_path_and_prints_data() {
    let server = MockServer::start().await;
    let profile = json!({"people_id": "p1", "email": "valerie@acme-inc.com"});
    Mock::given(method("GET"))
        // `@` may stay as is in a path segment; a `/` in a value is encoded (one segment).
        .and(path_regex(format!(
            "^/website/{WEBSITE}/people/profile/(valerie@acme-inc.com|a%2Fb)$"
        )))
        .and(header(
            "authorization",
            "Basic N2MzZWYyMWMtMWUwNC00MWNlLThjMDYtNTYwNWMzNDZmNzNlOnNlY3JldC1rZXk=",
        ))
        .and(header("x-crisp-tier", "website"))
        .respond_with(ok(profile.clone()))
        .expect(2)
        .mount(&server)
        .await;
    let out = run_async(
        crisp_at(&server),
        &[
            "people",
            "get",
            "--website-id",
            WEBSITE,
            "--people-id",
            "valerie@acme-inc.com",
        ],
        "",
    )
    .await;
    assert!(out.status.success(), "{}", stderr(&out));
    // Not a terminal: compact JSON, the envelope's data only.
    assert_eq!(stdout(&out), format!("{profile}\n"));
    let out = run_async(
        crisp_at(&server),
        &[
            "people",
            "get",
            "--website-id",
            WEBSITE,
            "--people-id",
            "a/b",
        ],
        "",
    )
    .await;
    assert!(out.status.success(), "{}", stderr(&out));

    // --raw prints the envelope; query flags are sent as Crisp's 1/0.
    Mock::given(method("GET"))
        .and(path(format!("/website/{WEBSITE}/conversations/1")))
        .and(query_param("filter_unread", "1"))
        .and(query_param("filter_resolved", "0"))
        .and(query_param("per_page", "20"))
        .respond_with(ok(json!([{"session_id": SESSION}])))
        .expect(1)
        .mount(&server)
        .await;
    let out = run_async(
        crisp_at(&server),
        &[
            "conversation",
            "list",
            "--website-id",
            WEBSITE,
            "--filter-unread",
            "--filter-resolved=false",
            "--per-page",
            "20",
            "--raw",
        ],
        "",
    )
    .await;
    assert!(out.status.success(), "{}", stderr(&out));
    let envelope: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        envelope,
        json!({"error": false, "reason": "resolved", "data": [{"session_id": SESSION}]})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_reads_the_body_from_stdin_and_checks_it_first() {
    let server = MockServer::start().await;
    let note =
        json!({"type": "note", "from": "operator", "origin": "chat", "content": "Escalated"});
    Mock::given(method("POST"))
        .and(path(format!(
            "/website/{WEBSITE}/conversation/{SESSION}/message"
        )))
        .and(body_json(&note))
        .respond_with(ResponseTemplate::new(202).set_body_json(
            json!({"error": false, "reason": "dispatched", "data": {"fingerprint": 163408}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let args = [
        "message",
        "send",
        "--website-id",
        WEBSITE,
        "--session-id",
        SESSION,
        "--body",
        "-",
    ];
    let out = run_async(crisp_at(&server), &args, &note.to_string()).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "{\"fingerprint\":163408}\n");

    // A body that does not fit the schema is refused before sending, naming the field.
    let bad = json!({"type": "note", "from": "operator", "content": "no origin"});
    let out = run_async(crisp_at(&server), &args, &bad.to_string()).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("`origin` is required"),
        "{}",
        stderr(&out)
    );
    let out = run_async(crisp_at(&server), &args, "{not json").await;
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not valid JSON"), "{}", stderr(&out));
    // A required body that is missing is a usage error too.
    let out = run_async(crisp_at(&server), &args[..6], "").await;
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--body"), "{}", stderr(&out));
    // Only the valid body reached the server (`expect(1)` checks it on drop).
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_walks_every_page_as_json_lines() {
    let server = MockServer::start().await;
    let page = |n: u32, status: u16, items: Value| {
        Mock::given(method("GET"))
            .and(path(format!("/website/{WEBSITE}/conversations/{n}")))
            .and(query_param("filter_unread", "1"))
            .respond_with(
                ResponseTemplate::new(status)
                    .set_body_json(json!({"error": false, "reason": "listed", "data": items})),
            )
    };
    page(1, 206, json!([{"session_id": "a"}, {"session_id": "b"}]))
        .mount(&server)
        .await;
    page(2, 206, json!([{"session_id": "c"}]))
        .mount(&server)
        .await;
    page(3, 200, json!([])).mount(&server).await;
    let args = [
        "conversation",
        "list",
        "--website-id",
        WEBSITE,
        "--filter-unread",
        "--all",
    ];
    let out = run_async(crisp_at(&server), &args, "").await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "{\"session_id\":\"a\"}\n{\"session_id\":\"b\"}\n{\"session_id\":\"c\"}\n"
    );
    // No progress line when stderr is not a terminal.
    assert_eq!(stderr(&out), "");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);

    // --limit stops early, without asking for more pages than needed.
    let out = run_async(
        crisp_at(&server),
        &[&args[..5], &["--limit", "2"]].concat(),
        "",
    )
    .await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 2);
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_walks_a_message_history_back_in_time() {
    let server = MockServer::start().await;
    let messages = format!("/website/{WEBSITE}/conversation/{SESSION}/messages");
    let batch = |status: u16, items: Value| {
        ResponseTemplate::new(status)
            .set_body_json(json!({"error": false, "reason": "listed", "data": items}))
    };
    // The latest batch (no cursor), then each batch's oldest timestamp as the next cursor.
    Mock::given(method("GET"))
        .and(path(messages.clone()))
        .and(query_param_is_missing("timestamp_before"))
        .respond_with(batch(
            206,
            json!([{"timestamp": 200, "content": "b"}, {"timestamp": 300, "content": "c"}]),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(messages.clone()))
        .and(query_param("timestamp_before", "200"))
        .respond_with(batch(206, json!([{"timestamp": 100, "content": "a"}])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(messages.clone()))
        .and(query_param("timestamp_before", "100"))
        .respond_with(batch(200, json!([])))
        .mount(&server)
        .await;
    let args = [
        "message",
        "list",
        "--website-id",
        WEBSITE,
        "--session-id",
        SESSION,
        "--all",
    ];
    let out = run_async(crisp_at(&server), &args, "").await;
    assert!(out.status.success(), "{}", stderr(&out));
    let contents: Vec<String> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["content"].to_string())
        .collect();
    assert_eq!(contents, ["\"b\"", "\"c\"", "\"a\""]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);

    // From a given point, and a batch that does not go back in time stops the walk.
    Mock::given(method("GET"))
        .and(path(messages))
        .and(query_param("timestamp_before", "50"))
        .respond_with(batch(206, json!([{"timestamp": 60, "content": "late"}])))
        .mount(&server)
        .await;
    let out = run_async(
        crisp_at(&server),
        &[&args[..], &["--timestamp-before", "50"]].concat(),
        "",
    )
    .await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("does not go back in time"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_errors_exit_3_with_crisps_reason() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "error": true,
            "reason": "not_found",
            "data": {"namespace": "response", "message": "the conversation does not exist"}
        })))
        .mount(&server)
        .await;
    let out = run_async(
        crisp_at(&server),
        &[
            "conversation",
            "get",
            "--website-id",
            WEBSITE,
            "--session-id",
            SESSION,
        ],
        "",
    )
    .await;
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert!(err.contains("404 not_found"), "{err}");
    assert!(err.contains("the conversation does not exist"), "{err}");
    // A HEAD check says `false` for a 404, successfully.
    let out = run_async(
        crisp_at(&server),
        &[
            "conversation",
            "check-exists",
            "--website-id",
            WEBSITE,
            "--session-id",
            SESSION,
        ],
        "",
    )
    .await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "false\n");
}

#[test]
fn usage_and_transport_errors_have_their_own_exit_codes() {
    // A missing required flag: clap's usage error, exit 2, naming the flag.
    let out = run(
        crisp(),
        &["conversation", "get", "--website-id", WEBSITE],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--session-id"), "{}", stderr(&out));
    // An unknown enum value, an out-of-range page.
    let out = run(
        crisp(),
        &[
            "conversation",
            "list",
            "--website-id",
            WEBSITE,
            "--page-number",
            "0",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    // Half the credentials: a configuration error naming the variable.
    let mut half = crisp();
    half.env("CRISP_IDENTIFIER", "id");
    let out = run(half, &["website", "get", "--website-id", WEBSITE], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("CRISP_KEY"), "{}", stderr(&out));
    // Nothing listens: a transport error (a POST, which is not retried).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = run(
        crisp(),
        &[
            "message",
            "send",
            "--identifier",
            "id",
            "--key",
            "key",
            "--api-url",
            &format!("http://127.0.0.1:{port}"),
            "--website-id",
            WEBSITE,
            "--session-id",
            SESSION,
            "--body",
            r#"{"type":"text","from":"operator","origin":"chat","content":"hi"}"#,
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("transport error"), "{}", stderr(&out));
}

#[test]
fn events_verifies_a_delivery_from_stdin() {
    let secret = "hook-secret";
    let body = json!({
        "website_id": WEBSITE,
        "event": "message:send",
        "timestamp": 1_700_000_000_000i64,
        "data": {
            "website_id": WEBSITE, "session_id": SESSION, "type": "text", "from": "user",
            "origin": "chat", "content": "Hello", "fingerprint": 1, "timestamp": 1_700_000_000_000i64,
            "user": {"user_id": "u1", "nickname": "Valerie"}
        }
    })
    .to_string();
    let timestamp = "1700000000000";
    let signature = crisp_api::webhook::sign(secret, timestamp, body.as_bytes());
    let args = [
        "events",
        "--webhook-secret",
        secret,
        "--timestamp",
        timestamp,
        "--signature",
        &signature,
    ];
    let out = run(crisp(), &args, &body);
    assert!(out.status.success(), "{}", stderr(&out));
    let event: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(event["event"], "message:send");
    assert_eq!(event["website_id"], WEBSITE);
    assert_eq!(event["data"]["content"], "Hello");
    // One byte changed: refused, exit 5.
    let out = run(crisp(), &args, &body.replace("Hello", "Hellp"));
    assert_eq!(out.status.code(), Some(5));
    assert!(stderr(&out).contains("signature"), "{}", stderr(&out));
    // Without the signature header: a usage error.
    let out = run(crisp(), &args[..5], &body);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn events_reads_lone_surrogates_mistyped_payloads_and_says_ages_in_words() {
    let secret = "hook-secret";
    let timestamp = "1700000000000";
    // A preview cut in the middle of an emoji, as Node writes it; and a payload that does not
    // fit `session:request:initiated`.
    for (body, check) in [
        (
            r#"{"event":"message:send","data":{"website_id":"w","session_id":"s","type":"text","from":"user","origin":"chat","content":"Hello \ud83d","fingerprint":1,"timestamp":1}}"#,
            "content",
        ),
        (
            r#"{"event":"session:request:initiated","data":{}}"#,
            "mistyped",
        ),
    ] {
        let signature = crisp_api::webhook::sign(secret, timestamp, body.as_bytes());
        let args = [
            "events",
            "--webhook-secret",
            secret,
            "--timestamp",
            timestamp,
            "--signature",
            &signature,
        ];
        let out = run(crisp(), &args, body);
        assert!(out.status.success(), "{}", stderr(&out));
        let event: Value = serde_json::from_str(&stdout(&out)).unwrap();
        match check {
            "content" => assert_eq!(event["data"]["content"], "Hello \u{FFFD}"),
            _ => assert!(event["mistyped"].as_str().is_some(), "{event}"),
        }
        // Years old against a 5-minute window: said in words.
        let mut stale = args.to_vec();
        stale.extend(["--max-age", "300"]);
        let out = run(crisp(), &stale, body);
        assert_eq!(out.status.code(), Some(5));
        let err = stderr(&out);
        assert!(
            err.contains(" days ") && err.contains("old, beyond the 5-minute window"),
            "{err}"
        );
    }
}

#[test]
fn completions_and_help() {
    for shell in ["bash", "zsh", "fish"] {
        let out = run(crisp(), &["completions", shell], "");
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        assert!(stdout(&out).contains("list-conversations"), "{shell}");
    }
    let out = run(crisp(), &["conversation", "list", "--help"], "");
    assert!(out.status.success());
    let help = stdout(&out);
    assert!(help.contains("--filter-unread"), "{help}");
    assert!(help.contains("--all"), "{help}");
    assert!(help.contains("Exit codes"), "{help}");
}
