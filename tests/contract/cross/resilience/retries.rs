//! Retries: which methods, `Retry-After`, attempts, deadlines and per-attempt timeouts.

use super::{answer, answer_get, client, conversation, fail, ok, send_note, setup};
use crate::cross::get_conversation as get;
use crate::support::{SESSION, WEBSITE, conversation_path};
use crisp_api::RetryPolicy;
use crisp_api::clock::VirtualClock;
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn get_is_retried_through_two_503s() {
    let (server, clock) = setup().await;
    answer_get(&server, 2, fail(503, "service_unavailable")).await;
    answer_get(&server, 1, ok(conversation())).await;
    let client = client(&server, &clock).build().unwrap();
    let data = get(&client).await.expect("third attempt succeeds");
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

#[tokio::test]
async fn retry_after_seconds_is_waited_on_the_clock() {
    let (server, clock) = setup().await;
    answer_get(
        &server,
        1,
        fail(429, "rate_limited").insert_header("Retry-After", "2"),
    )
    .await;
    answer_get(&server, 1, ok(conversation())).await;
    let client = client(&server, &clock).build().unwrap();
    get(&client).await.expect("retried after the wait");
    assert_eq!(clock.sleeps(), vec![Duration::from_secs(2)]);
}

#[tokio::test]
async fn retry_after_http_date_is_waited_and_capped() {
    let (server, clock) = setup().await;
    let when = httpdate_in(&clock, Duration::from_secs(120));
    answer_get(
        &server,
        1,
        fail(503, "maintenance").insert_header("Retry-After", when.as_str()),
    )
    .await;
    answer_get(&server, 1, ok(conversation())).await;
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

#[tokio::test]
async fn retries_stop_at_max_attempts_with_the_last_error() {
    let (server, clock) = setup().await;
    answer_get(&server, 4, fail(500, "internal_error")).await;
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
    answer_get(&server, 1, fail(503, "service_unavailable")).await;
    let none = client(&server, &clock)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    assert!(get(&none).await.is_err());
    server.verify().await;
    server.reset().await;
    answer_get(&server, 1, fail(404, "conversation_not_found")).await;
    let default = client(&server, &clock).build().unwrap();
    assert!(get(&default).await.unwrap_err().is_not_found());
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn the_deadline_stops_retries() {
    let (server, clock) = setup().await;
    answer_get(
        &server,
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
    answer_get(
        &server,
        1,
        ok(conversation()).set_delay(Duration::from_secs(5)),
    )
    .await;
    answer_get(&server, 1, ok(conversation())).await;
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
