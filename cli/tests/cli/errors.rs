//! Errors a person can act on: the host on transport errors, an HTML error page by its
//! status and title, a hint on 401/403, retries shown, `--raw` with the error envelope.

use super::*;

const GET: [&str; 6] = [
    "conversation",
    "get",
    "--website-id",
    WEBSITE,
    "--session-id",
    SESSION,
];

#[test]
fn a_connection_error_names_the_host() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut cmd = crisp();
    cmd.env("CRISP_IDENTIFIER", IDENTIFIER)
        .env("CRISP_KEY", KEY)
        .env("CRISP_API_URL", format!("http://127.0.0.1:{port}/v1"));
    let body = r#"{"type":"text","from":"operator","origin":"chat","content":"hi"}"#;
    let send = [
        "message",
        "send",
        "--website-id",
        WEBSITE,
        "--session-id",
        SESSION,
        "--body",
        body,
    ];
    let out = run(cmd, &send, "");
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
    assert!(!err.contains("raw:"), "no internal label: {err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_html_error_page_is_summarised_by_status_and_title() {
    let server = MockServer::start().await;
    let page = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\
                <body><h1>502 Bad Gateway</h1><hr>nginx</body></html>";
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(page, "text/html"))
        .mount(&server)
        .await;
    let mut cmd = crisp_at(&server);
    cmd.env("CRISP_PROGRESS", "0");
    let out = run_async(cmd, &GET, "").await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("502") && err.contains("\"502 Bad Gateway\""),
        "{err}"
    );
    assert!(
        err.contains("HTML page") && !err.contains("ErrorEnvelope"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unauthorized_hints_at_auth_status_and_the_tier_and_raw_prints_the_envelope() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": true, "reason": "invalid_session", "data": {"message": "bad token"}
        })))
        .mount(&server)
        .await;
    let out = run_async(crisp_at(&server), &GET, "").await;
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(
        err.contains("401") && err.contains("invalid_session"),
        "{err}"
    );
    assert!(
        err.contains("crisp auth status") && err.contains("--tier"),
        "{err}"
    );
    assert!(err.contains("`website`"), "the tier in force: {err}");
    assert_eq!(stdout(&out), "");
    // --raw: the error envelope on stdout too.
    let out = run_async(crisp_at(&server), &[&GET[..], &["--raw"]].concat(), "").await;
    assert_eq!(out.status.code(), Some(3));
    let envelope: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(envelope["error"], true);
    assert_eq!(envelope["reason"], "invalid_session");
    assert_eq!(envelope["data"]["message"], "bad token");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_are_shown_on_a_terminal() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "0")
                .set_body_json(json!({"error": true, "reason": "rate_limited", "data": {}})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ok(json!({"session_id": SESSION})))
        .mount(&server)
        .await;
    // CRISP_PROGRESS=1 shows what a terminal shows.
    let mut cmd = crisp_at(&server);
    cmd.env("CRISP_PROGRESS", "1");
    let out = run_async(cmd, &GET, "").await;
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("crisp: retrying") && err.contains("attempt 2"),
        "{err}"
    );
    // Not a terminal: quiet.
    let out = run_async(crisp_at(&server), &GET, "").await;
    assert!(out.status.success());
    assert!(!stderr(&out).contains("retrying"), "{}", stderr(&out));
}
