//! `crisp fake serve`: the fake starts, prints where it is and the credentials it accepts, and
//! the CLI itself (any client, really) keeps state across calls against it.

use super::*;
use std::io::{BufRead, BufReader};

/// Kills the server when the test ends, passed or not.
struct Serving(std::process::Child);

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn fake_serve_prints_its_address_and_keeps_state_between_calls() {
    let mut child = crisp()
        .args(["fake", "serve", "--seed", "7"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let out = child.stdout.take().unwrap();
    let _serving = Serving(child);
    let mut lines = BufReader::new(out).lines();
    let mut field = std::collections::HashMap::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some((name, value)) = line.split_once(' ') {
            field.insert(name.to_owned(), value.trim().to_owned());
        }
        if line.starts_with("key ") {
            break;
        }
    }
    let api = field.get("API").expect("the API line");
    assert!(
        api.starts_with("http://127.0.0.1:") && api.ends_with("/v1"),
        "{api}"
    );
    assert!(field.get("socket").is_some_and(|s| s.starts_with("http")));
    let at_fake = || {
        let mut cmd = crisp();
        cmd.env("CRISP_IDENTIFIER", &field["identifier"])
            .env("CRISP_KEY", &field["key"])
            .env("CRISP_API_URL", api);
        cmd
    };
    let created = run(
        at_fake(),
        &["conversation", "create", "--website-id", WEBSITE],
        "",
    );
    assert!(created.status.success(), "{}", stderr(&created));
    let session: Value = serde_json::from_str(&stdout(&created)).unwrap();
    let session = session["session_id"].as_str().expect("a session id");
    assert!(session.starts_with("session_"), "{session}");
    let body = r#"{"type": "text", "from": "user", "origin": "chat", "content": "Hello"}"#;
    let sent = run(
        at_fake(),
        &[
            "message",
            "send",
            "--website-id",
            WEBSITE,
            "--session-id",
            session,
            "--body",
            body,
        ],
        "",
    );
    assert!(sent.status.success(), "{}", stderr(&sent));
    let listed = run(
        at_fake(),
        &[
            "conversation",
            "list",
            "--website-id",
            WEBSITE,
            "--page-number",
            "1",
        ],
        "",
    );
    assert!(listed.status.success(), "{}", stderr(&listed));
    assert!(stdout(&listed).contains(session), "{}", stdout(&listed));
    // Wrong credentials: the fake answers as Crisp does.
    let mut wrong = at_fake();
    wrong.env("CRISP_KEY", "not-the-key");
    let refused = run(
        wrong,
        &[
            "conversation",
            "list",
            "--website-id",
            WEBSITE,
            "--page-number",
            "1",
        ],
        "",
    );
    assert_eq!(refused.status.code(), Some(3), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("invalid_session"),
        "{}",
        stderr(&refused)
    );
    assert!(!stderr(&refused).contains("not-the-key"));
}
