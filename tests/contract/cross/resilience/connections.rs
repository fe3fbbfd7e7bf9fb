//! Dropped and refused connections, and the shared rate limit.

use super::{answer_get, client, client_at, conversation, ok, send_note, setup};
use crate::cross::get_conversation as get;
use crate::support::{IDENTIFIER, KEY, SESSION, refused_url};
use crisp_api::clock::VirtualClock;
use crisp_api::{Client, Error, RateLimit, RetryPolicy};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;

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
    let client = client_at(url, &clock).build().unwrap();
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
    let client = client_at(url, &VirtualClock::new()).build().unwrap();
    let err = send_note(&client).await.expect_err("reset");
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(*count.lock().unwrap(), 1);
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported() {
    let clock = VirtualClock::new();
    let client = client_at(refused_url(), &clock).build().unwrap();
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
    answer_get(&server, 3, ok(conversation())).await;
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
