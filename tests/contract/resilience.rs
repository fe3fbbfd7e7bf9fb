//! The runtime layer under fault injection: retries, `Retry-After`, deadlines, rate limits,
//! streams over pages and message history, and tracing. Waits go through a `VirtualClock`, so
//! these tests never sleep for real (except where a real per-attempt timeout is the point).

use crate::support::{
    ExactQuery, IDENTIFIER, KEY, SESSION, WEBSITE, catch_all, conversation_path, refused_url,
};
use crisp_api::clock::VirtualClock;
use crisp_api::{Client, Error, RateLimit, RetryPolicy};
use futures::{StreamExt, TryStreamExt};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::{method, path, path_regex, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server whose unmatched requests fail the test, and a client on a virtual clock.
async fn setup() -> (MockServer, VirtualClock) {
    let server = MockServer::start().await;
    catch_all(&server).await;
    (server, VirtualClock::new())
}

fn client(server: &MockServer, clock: &VirtualClock) -> crisp_api::ClientBuilder {
    Client::builder()
        .credentials(IDENTIFIER, KEY)
        .base_url(server.uri())
        .clock(clock.clone())
}

fn ok(data: Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"error": false, "reason": "resolved", "data": data}))
}

fn fail(status: u16, reason: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({"error": true, "reason": reason}))
}

fn conversation() -> Value {
    json!({"session_id": SESSION, "website_id": WEBSITE, "state": "pending"})
}

/// Mounts `response` for the next `times` matching requests, expecting exactly that many.
async fn answer(server: &MockServer, verb: &str, p: &str, times: u64, response: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(p))
        .respond_with(response)
        .up_to_n_times(times)
        .expect(times)
        .mount(server)
        .await;
}

// ------------------------------------------------------------------ retries

#[tokio::test]
async fn get_is_retried_through_two_503s() {
    let (server, clock) = setup().await;
    answer(
        &server,
        "GET",
        &conversation_path(),
        2,
        fail(503, "service_unavailable"),
    )
    .await;
    answer(&server, "GET", &conversation_path(), 1, ok(conversation())).await;
    let client = client(&server, &clock).build().unwrap();
    let data = client
        .get_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .call()
        .await
        .expect("third attempt succeeds");
    assert_eq!(data.session_id, SESSION);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    // Two back-offs with full jitter, each inside its window (0.5 s, then 1 s).
    let sleeps = clock.sleeps();
    assert_eq!(sleeps.len(), 2, "{sleeps:?}");
    assert!(sleeps[0] <= Duration::from_millis(500), "{sleeps:?}");
    assert!(sleeps[1] <= Duration::from_secs(1), "{sleeps:?}");
}

#[tokio::test]
async fn post_is_sent_once_by_default() {
    let (server, clock) = setup().await;
    let p = format!("{}/message", conversation_path());
    answer(&server, "POST", &p, 1, fail(503, "service_unavailable")).await;
    let client = client(&server, &clock).build().unwrap();
    let err = send_note(&client)
        .await
        .expect_err("503 is returned, not retried");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.reason(), Some("service_unavailable"));
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn patch_is_sent_once_by_default() {
    let (server, clock) = setup().await;
    let p = format!("{}/state", conversation_path());
    answer(&server, "PATCH", &p, 1, fail(502, "bad_gateway")).await;
    let client = client(&server, &clock).build().unwrap();
    let err = client
        .change_conversation_state()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body_map(|b| b.state("resolved"))
        .call()
        .await
        .expect_err("not retried");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
}

#[tokio::test]
async fn post_is_retried_when_the_call_opts_in() {
    let (server, clock) = setup().await;
    let p = format!("{}/message", conversation_path());
    answer(&server, "POST", &p, 1, fail(503, "service_unavailable")).await;
    answer(
        &server,
        "POST",
        &p,
        1,
        ok(json!({"fingerprint": 524653764345_i64})),
    )
    .await;
    let client = client(&server, &clock).build().unwrap();
    let retrying = client.with_retry(RetryPolicy::default().retry_post_and_patch(true));
    let sent = send_note(&retrying).await.expect("second attempt succeeds");
    assert_eq!(sent.fingerprint, 524653764345);
    // The original client keeps its policy.
    assert_eq!(client.retry_policy(), RetryPolicy::default());
}

async fn send_note(client: &Client) -> Result<crisp_api::types::MessageDispatched, Error> {
    use crisp_api::message::{NewMessage, Sender};
    client
        .send_message_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body(NewMessage::note(Sender::Operator, "retry me?"))
        .call()
        .await
}

#[tokio::test]
async fn retry_after_seconds_is_waited_on_the_clock() {
    let (server, clock) = setup().await;
    answer(
        &server,
        "GET",
        &conversation_path(),
        1,
        fail(429, "rate_limited").insert_header("Retry-After", "2"),
    )
    .await;
    answer(&server, "GET", &conversation_path(), 1, ok(conversation())).await;
    let client = client(&server, &clock).build().unwrap();
    get(&client).await.expect("retried after the wait");
    assert_eq!(clock.sleeps(), vec![Duration::from_secs(2)]);
}

#[tokio::test]
async fn retry_after_http_date_is_waited_and_capped() {
    let (server, clock) = setup().await;
    let when = httpdate_in(&clock, Duration::from_secs(120));
    answer(
        &server,
        "GET",
        &conversation_path(),
        1,
        fail(503, "maintenance").insert_header("Retry-After", when.as_str()),
    )
    .await;
    answer(&server, "GET", &conversation_path(), 1, ok(conversation())).await;
    let policy = RetryPolicy::default().max_delay(Duration::from_secs(30));
    let client = client(&server, &clock).retry(policy).build().unwrap();
    get(&client).await.expect("retried");
    assert_eq!(clock.sleeps(), vec![Duration::from_secs(30)]);
}

fn httpdate_in(clock: &VirtualClock, after: Duration) -> String {
    use crisp_api::clock::Clock;
    // HTTP dates have whole seconds; round up so the wait is at least `after`.
    httpdate::fmt_http_date(clock.system_time() + after + Duration::from_secs(1))
}

async fn get(client: &Client) -> Result<crisp_api::types::Conversation, Error> {
    client
        .get_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .call()
        .await
}

#[tokio::test]
async fn retries_stop_at_max_attempts_with_the_last_error() {
    let (server, clock) = setup().await;
    answer(
        &server,
        "GET",
        &conversation_path(),
        4,
        fail(500, "internal_error"),
    )
    .await;
    let client = client(&server, &clock)
        .retry(RetryPolicy::default().max_attempts(4))
        .build()
        .unwrap();
    let err = get(&client).await.expect_err("every attempt fails");
    assert_eq!(err.reason(), Some("internal_error"));
    assert_eq!(clock.sleeps().len(), 3);
}

#[tokio::test]
async fn no_retries_with_policy_none_or_on_final_errors() {
    let (server, clock) = setup().await;
    answer(
        &server,
        "GET",
        &conversation_path(),
        1,
        fail(503, "service_unavailable"),
    )
    .await;
    let none = client(&server, &clock)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    assert!(get(&none).await.is_err());
    server.verify().await;
    server.reset().await;
    answer(
        &server,
        "GET",
        &conversation_path(),
        1,
        fail(404, "conversation_not_found"),
    )
    .await;
    let default = client(&server, &clock).build().unwrap();
    assert!(get(&default).await.unwrap_err().is_not_found());
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn the_deadline_stops_retries() {
    let (server, clock) = setup().await;
    answer(
        &server,
        "GET",
        &conversation_path(),
        1,
        fail(503, "service_unavailable").insert_header("Retry-After", "5"),
    )
    .await;
    let client = client(&server, &clock)
        .deadline(Duration::from_secs(3))
        .build()
        .unwrap();
    let err = get(&client).await.expect_err("no time left for a retry");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn an_attempt_that_times_out_is_retried() {
    let (server, clock) = setup().await;
    answer(
        &server,
        "GET",
        &conversation_path(),
        1,
        ok(conversation()).set_delay(Duration::from_secs(5)),
    )
    .await;
    answer(&server, "GET", &conversation_path(), 1, ok(conversation())).await;
    let client = client(&server, &clock)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let data = get(&client).await.expect("second attempt in time");
    assert_eq!(data.website_id, WEBSITE);
    assert_eq!(clock.sleeps().len(), 1);
}

#[tokio::test]
async fn a_timeout_on_post_is_not_retried() {
    let (server, clock) = setup().await;
    let p = format!("{}/message", conversation_path());
    answer(
        &server,
        "POST",
        &p,
        1,
        ok(json!({})).set_delay(Duration::from_secs(5)),
    )
    .await;
    let client = client(&server, &clock)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = send_note(&client).await.expect_err("timed out");
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(
        err.to_string(),
        "send_message_in_conversation (POST /website/{website_id}/conversation/{session_id}/message): timed out after 200 ms"
    );
}

/// A loopback server that drops the first `resets` connections without answering, then
/// answers every request with `body`. Returns its base URL and a connection counter.
async fn flaky_server(resets: usize, body: Value) -> (String, Arc<Mutex<usize>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(Mutex::new(0usize));
    let seen = count.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let n = {
                let mut c = seen.lock().unwrap();
                *c += 1;
                *c
            };
            let body = body.to_string();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16 * 1024];
                let _ = socket.read(&mut buf).await;
                if n <= resets {
                    // Close without a response: the client sees the connection closed.
                    drop(socket);
                    return;
                }
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    (url, count)
}

#[tokio::test]
async fn connection_resets_are_retried_for_get() {
    let envelope = json!({"error": false, "reason": "resolved", "data": conversation()});
    let (url, count) = flaky_server(2, envelope).await;
    let clock = VirtualClock::new();
    let client = Client::builder()
        .credentials(IDENTIFIER, KEY)
        .base_url(url)
        .clock(clock.clone())
        .build()
        .unwrap();
    let data = get(&client).await.expect("third connection answers");
    assert_eq!(data.session_id, SESSION);
    assert_eq!(*count.lock().unwrap(), 3);
}

#[tokio::test]
async fn connection_resets_are_not_retried_for_post() {
    let (url, count) = flaky_server(
        1,
        json!({"error": false, "reason": "dispatched", "data": {}}),
    )
    .await;
    let client = Client::builder()
        .credentials(IDENTIFIER, KEY)
        .base_url(url)
        .clock(VirtualClock::new())
        .build()
        .unwrap();
    let err = send_note(&client).await.expect_err("reset");
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(*count.lock().unwrap(), 1);
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported() {
    let clock = VirtualClock::new();
    let client = Client::builder()
        .credentials(IDENTIFIER, KEY)
        .base_url(refused_url())
        .clock(clock.clone())
        .build()
        .unwrap();
    let err = get(&client).await.expect_err("nobody listens");
    assert!(
        err.is_connect() && err.to_string().ends_with("connection refused"),
        "{err:?}"
    );
    assert_eq!(clock.sleeps().len(), 2, "three attempts");
}

// --------------------------------------------------------------- rate limit

#[tokio::test]
async fn the_rate_limit_is_shared_by_clones() {
    let (server, clock) = setup().await;
    answer(&server, "GET", &conversation_path(), 3, ok(conversation())).await;
    let client = client(&server, &clock)
        .rate_limit(RateLimit::per_second(2.0))
        .build()
        .unwrap();
    let clone = client.clone();
    let other = client.with_retry(RetryPolicy::none());
    get(&client).await.unwrap();
    get(&clone).await.unwrap();
    get(&other).await.unwrap();
    // One request at once, two per second: the 2nd and 3rd wait half a second each.
    assert_eq!(clock.sleeps(), vec![Duration::from_millis(500); 2]);
}

#[tokio::test]
async fn an_invalid_rate_limit_is_a_config_error() {
    let err = Client::builder()
        .credentials(IDENTIFIER, KEY)
        .rate_limit(RateLimit::per_second(0.0))
        .build()
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Config {
                name: "rate_limit",
                ..
            }
        ),
        "{err}"
    );
}

// ------------------------------------------------------------------ streams

fn conversations_page(page: u32, count: usize) -> Value {
    (0..count)
        .map(|i| {
            json!({
                "session_id": format!("session_{page:03}-{i}"),
                "website_id": WEBSITE,
                "state": "unresolved",
                "updated_at": 1_700_000_000_000_i64 + i64::from(page),
            })
        })
        .collect()
}

fn page_path(page: u32) -> String {
    format!("/website/{WEBSITE}/conversations/{page}")
}

#[tokio::test]
async fn a_stream_walks_five_pages_keeping_the_filters() {
    let (server, clock) = setup().await;
    let filters = || {
        ExactQuery(vec![
            ("filter_unread".into(), "1".into()),
            ("search_query".into(), "refund".into()),
            ("per_page".into(), "2".into()),
        ])
    };
    for page in 1..=6 {
        let items = if page <= 5 {
            conversations_page(page, 2)
        } else {
            json!([])
        };
        Mock::given(method("GET"))
            .and(path(page_path(page)))
            .and(filters())
            .respond_with(ok(items))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server, &clock).build().unwrap();
    let ids: Vec<String> = client
        .list_conversations()
        .website_id(WEBSITE)
        .filter_unread(true)
        .search_query("refund")
        .per_page(2u32)
        .stream()
        .map_ok(|c| c.session_id)
        .try_collect()
        .await
        .expect("five pages");
    assert_eq!(ids.len(), 10);
    assert_eq!(ids[0], "session_001-0");
    assert_eq!(ids[9], "session_005-1");
}

#[tokio::test]
async fn pages_yield_one_vec_per_page_and_take_stops_early() {
    let (server, clock) = setup().await;
    // Each walk below reads pages 1 and 2 only (page 3 would hit the catch-all).
    for page in 1..=2 {
        Mock::given(method("GET"))
            .and(path(page_path(page)))
            .respond_with(ok(conversations_page(page, 2)))
            .expect(2)
            .mount(&server)
            .await;
    }
    let client = client(&server, &clock).build().unwrap();
    let pages: Vec<_> = client
        .list_conversations()
        .website_id(WEBSITE)
        .pages()
        .take(2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), vec![2, 2]);
    // Three items need only the first two pages.
    let three: Vec<_> = client
        .list_conversations()
        .website_id(WEBSITE)
        .stream()
        .take(3)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(three.len(), 3);
    assert_eq!(three[2].session_id, "session_002-0");
    server.verify().await;
}

#[tokio::test]
async fn prefetch_keeps_order_and_stops_close_to_the_end() {
    let (server, clock) = setup().await;
    for page in 1..=7 {
        Mock::given(method("GET"))
            .and(path(page_path(page)))
            .respond_with(
                ok(conversations_page(page, 3))
                    .set_delay(Duration::from_millis(20 * u64::from(8 - page))),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    // Page 8 is the (empty) end; later pages answer empty too but count as overshoot.
    Mock::given(method("GET"))
        .and(path_regex(format!(
            "^/website/{WEBSITE}/conversations/([89]|[1-9][0-9]+)$"
        )))
        .respond_with(ok(json!([])))
        .mount(&server)
        .await;
    let client = client(&server, &clock).build().unwrap();
    let ids: Vec<String> = client
        .list_conversations()
        .website_id(WEBSITE)
        .stream()
        .prefetch(4)
        .map_ok(|c| c.session_id)
        .try_collect()
        .await
        .unwrap();
    let expected: Vec<String> = (1..=7)
        .flat_map(|p| (0..3).map(move |i| format!("session_{p:03}-{i}")))
        .collect();
    assert_eq!(ids, expected, "items stay in page order");
    let requested: Vec<u32> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter_map(|r| r.url.path().rsplit('/').next()?.parse().ok())
        .collect();
    assert!(requested.contains(&8), "{requested:?}");
    let past_end = requested.iter().filter(|&&p| p > 8).count();
    assert!(
        past_end <= 3,
        "fetched {past_end} pages past the end: {requested:?}"
    );
}

#[tokio::test]
async fn a_repeating_page_stops_the_stream_with_an_error() {
    let (server, clock) = setup().await;
    for page in 1..=2 {
        Mock::given(method("GET"))
            .and(path(page_path(page)))
            .respond_with(ok(conversations_page(1, 2)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server, &clock).build().unwrap();
    let results: Vec<_> = client
        .list_conversations()
        .website_id(WEBSITE)
        .stream()
        .collect()
        .await;
    assert_eq!(results.len(), 3, "two items, then the error, then the end");
    assert!(results[..2].iter().all(Result::is_ok));
    match &results[2] {
        Err(Error::RepeatedPage {
            operation, page, ..
        }) => {
            assert_eq!(*operation, "list_conversations");
            assert_eq!(*page, 2);
        }
        other => panic!("expected RepeatedPage, got {other:?}"),
    }
}

#[tokio::test]
async fn a_failing_page_ends_the_stream_with_its_error() {
    let (server, clock) = setup().await;
    answer(
        &server,
        "GET",
        &page_path(1),
        1,
        ok(conversations_page(1, 2)),
    )
    .await;
    answer(&server, "GET", &page_path(2), 1, fail(403, "not_allowed")).await;
    let client = client(&server, &clock).build().unwrap();
    let results: Vec<_> = client
        .list_conversations()
        .website_id(WEBSITE)
        .stream()
        .collect()
        .await;
    assert_eq!(results.len(), 3);
    assert_eq!(
        results[2].as_ref().unwrap_err().reason(),
        Some("not_allowed")
    );
}

fn message(timestamp: i64) -> Value {
    json!({
        "session_id": SESSION,
        "website_id": WEBSITE,
        "type": "text",
        "from": "user",
        "origin": "chat",
        "content": format!("message at {timestamp}"),
        "fingerprint": 100_000_000_000_i64 + timestamp,
        "timestamp": timestamp,
    })
}

#[tokio::test]
async fn message_history_walks_three_batches_backwards() {
    let (server, clock) = setup().await;
    let p = format!("{}/messages", conversation_path());
    let batch = |ts: &[i64]| ok(ts.iter().map(|&t| message(t)).collect());
    // The latest batch, oldest first, as Crisp sends it.
    Mock::given(method("GET"))
        .and(path(p.as_str()))
        .and(ExactQuery(vec![]))
        .respond_with(batch(&[
            1_700_000_300_000,
            1_700_000_400_000,
            1_700_000_500_000,
        ]))
        .expect(1)
        .mount(&server)
        .await;
    for (before, times) in [
        (
            1_700_000_300_000_i64,
            vec![1_700_000_100_000, 1_700_000_200_000],
        ),
        // An inclusive bound would send the boundary message again: it is not repeated.
        (
            1_700_000_100_000,
            vec![1_700_000_050_000, 1_700_000_100_000],
        ),
        (1_700_000_050_000, vec![]),
    ] {
        Mock::given(method("GET"))
            .and(path(p.as_str()))
            .and(query_param("timestamp_before", before.to_string()))
            .respond_with(batch(&times))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server, &clock).build().unwrap();
    let times: Vec<i64> = client
        .list_messages_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .history()
        .map_ok(|m| m.timestamp.expect("timestamp"))
        .try_collect()
        .await
        .expect("history");
    assert_eq!(
        times,
        vec![
            1_700_000_500_000,
            1_700_000_400_000,
            1_700_000_300_000,
            1_700_000_200_000,
            1_700_000_100_000,
            1_700_000_050_000
        ]
    );
}

#[tokio::test]
async fn message_history_ends_when_a_batch_repeats() {
    let (server, clock) = setup().await;
    let p = format!("{}/messages", conversation_path());
    // A server that ignores timestamp_before and keeps answering the same batch.
    Mock::given(method("GET"))
        .and(path(p.as_str()))
        .respond_with(ok(json!([message(10), message(20)])))
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server, &clock).build().unwrap();
    let count = client
        .list_messages_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .history()
        .try_fold(0, |n, _| async move { Ok(n + 1) })
        .await
        .unwrap();
    assert_eq!(count, 2);
}

// ------------------------------------------------------------------ tracing

thread_local! {
    /// What the SDK logged on this test's thread (`#[tokio::test]` runs on one thread).
    static LOGGED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Writes log lines into the current thread's buffer.
struct ThreadLog;

impl std::io::Write for ThreadLog {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOGGED.with(|l| l.borrow_mut().extend_from_slice(buf));
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs, once for the test binary, a global subscriber logging into per-thread buffers.
/// (A scoped subscriber races with the callsite cache of tests running in parallel.)
fn capture_logs() {
    static INIT: std::sync::Once = std::sync::Once::new();
    INIT.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(|| ThreadLog)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("no other global subscriber");
    });
    LOGGED.with(|l| l.borrow_mut().clear());
}

#[tokio::test]
async fn requests_are_traced_without_secrets_or_filled_paths() {
    let (server, clock) = setup().await;
    let email = "jane.doe@example.com";
    let p = format!("/website/{WEBSITE}/people/profile/{email}");
    answer(&server, "GET", &p, 1, fail(503, "service_unavailable")).await;
    answer(&server, "GET", &p, 1, fail(404, "people_not_found")).await;
    capture_logs();
    let client = client(&server, &clock).build().unwrap();
    let err = client
        .get_people_profile()
        .website_id(WEBSITE)
        .people_id(email)
        .call()
        .await
        .expect_err("not found");
    assert!(err.is_not_found());
    // A transport failure: reqwest's error text holds the filled URL; the log must not.
    let refused = Client::builder()
        .credentials(IDENTIFIER, KEY)
        .base_url(refused_url())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = refused
        .get_people_profile()
        .website_id(WEBSITE)
        .people_id(email)
        .call()
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::Transport { .. }));
    let log = LOGGED.with(|l| String::from_utf8_lossy(&l.borrow()).into_owned());
    for needle in [
        "crisp_request",
        "operation=\"get_people_profile\"",
        "http.request.method=GET",
        "url.template=\"/website/{website_id}/people/profile/{people_id}\"",
        "server.address=\"127.0.0.1\"",
        "retrying",
        "attempt=2",
        "http.response.status_code=404",
        "error.type=\"404\"",
        "error.type=\"connection_refused\"",
        "reason=\"people_not_found\"",
        "duration_ms=",
        "outcome=Connect",
    ] {
        assert!(log.contains(needle), "missing {needle:?} in:\n{log}");
    }
    for secret in [KEY, email, "Basic ", "retry me?"] {
        assert!(!log.contains(secret), "{secret:?} leaked into:\n{log}");
    }
}

#[test]
fn streams_are_send() {
    fn is_send<T: Send>(_: &T) {}
    let client = Client::builder()
        .credentials(IDENTIFIER, KEY)
        .build()
        .unwrap();
    let items = client.list_conversations().website_id(WEBSITE).stream();
    let pages = client.list_people_profiles().website_id(WEBSITE).pages();
    let history = client
        .list_messages_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .history();
    is_send(&items);
    is_send(&pages);
    is_send(&history);
}
