//! The small things: `--body @file`, `--limit 0`, path parameters checked against their
//! format, `example-body` placeholders refused, `crisp events` with its own flags only.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn body_at_file_is_read_like_curl() {
    let server = MockServer::start().await;
    let note =
        json!({"type": "note", "from": "operator", "origin": "chat", "content": "From a file"});
    Mock::given(method("POST"))
        .and(path(format!(
            "/website/{WEBSITE}/conversation/{SESSION}/message"
        )))
        .and(body_json(&note))
        .respond_with(ok(json!({"fingerprint": 1})))
        .expect(1)
        .mount(&server)
        .await;
    let dir = scratch_dir("body");
    let file = dir.join("note.json");
    std::fs::write(&file, note.to_string()).unwrap();
    let at_file = format!("@{}", file.display());
    let send = [
        "message",
        "send",
        "--website-id",
        WEBSITE,
        "--session-id",
        SESSION,
        "--body",
    ];
    let out = run_async(
        crisp_at(&server),
        &[&send[..], &[at_file.as_str()]].concat(),
        "",
    )
    .await;
    assert!(out.status.success(), "{}", stderr(&out));
    // A missing file names it.
    let missing = format!("@{}", dir.join("nope.json").display());
    let out = run_async(
        crisp_at(&server),
        &[&send[..], &[missing.as_str()]].concat(),
        "",
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nope.json"), "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limit_zero_means_no_limit_and_says_so() {
    let server = MockServer::start().await;
    for (n, items) in [
        (1, json!([{"session_id": "a"}, {"session_id": "b"}])),
        (2, json!([])),
    ] {
        Mock::given(method("GET"))
            .and(path(format!("/website/{WEBSITE}/conversations/{n}")))
            .respond_with(ok(items))
            .mount(&server)
            .await;
    }
    let list = ["conversation", "list", "--website-id", WEBSITE, "--limit"];
    let out = run_async(crisp_at(&server), &[&list[..], &["0"]].concat(), "").await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 2);
    let out = run(crisp(), &["conversation", "list", "--help"], "");
    assert!(stdout(&out).contains("0: no limit"), "{}", stdout(&out));
}

#[test]
fn path_parameters_are_checked_before_sending() {
    // Nothing listens at this URL: a refusal cannot come from a server.
    let mut cmd = crisp();
    cmd.env("CRISP_IDENTIFIER", IDENTIFIER)
        .env("CRISP_KEY", KEY)
        .env("CRISP_API_URL", "http://127.0.0.1:9");
    let out = run(
        cmd,
        &[
            "conversation",
            "get",
            "--website-id",
            "acme",
            "--session-id",
            SESSION,
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("`acme` is not a UUID"),
        "{}",
        stderr(&out)
    );
    let mut cmd = crisp();
    cmd.env("CRISP_IDENTIFIER", IDENTIFIER)
        .env("CRISP_KEY", KEY);
    let out = run(
        cmd,
        &[
            "conversation",
            "get",
            "--website-id",
            WEBSITE,
            "--session-id",
            "",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--session-id is empty"),
        "{}",
        stderr(&out)
    );
    let mut cmd = crisp();
    cmd.env("CRISP_WEBSITE_ID", "not-a-uuid");
    let out = run(cmd, &["website", "get", "--sandbox"], "");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("CRISP_WEBSITE_ID `not-a-uuid`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn example_body_placeholders_are_refused_as_is() {
    // A body without an example in the spec: a skeleton with placeholders to replace.
    let out = run(crisp(), &["example-body", "website", "create"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let skeleton = stdout(&out);
    assert!(skeleton.contains("\"<"), "{skeleton}");
    let out = run(
        crisp(),
        &["website", "create", "--sandbox", "--body", &skeleton],
        "",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("placeholder at `"),
        "{}",
        stderr(&out)
    );
    let body =
        json!({"type": "text", "from": "operator", "origin": "chat", "content": "<content>"});
    let send = [
        "message",
        "send",
        "--website-id",
        WEBSITE,
        "--session-id",
        SESSION,
        "--sandbox",
    ];
    let out = run(
        crisp(),
        &[&send[..], &["--body", &body.to_string()]].concat(),
        "",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("placeholder at `content`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn events_lists_only_its_own_flags() {
    let out = run(crisp(), &["events", "--help"], "");
    let help = stdout(&out);
    assert!(help.contains("--webhook-secret"), "{help}");
    for other in [
        "--identifier",
        "--key",
        "--sandbox",
        "--profile",
        "--api-url",
    ] {
        assert!(!help.contains(other), "{other}: {help}");
    }
}
