//! Faults and limits, the clock, snapshot/reset/seed, the HTTP control surface, parallel fakes.

use crate::{W, conversation, exists, fake, message, plain, status_reason};
use crisp_api::RetryPolicy;
use crisp_fake::{Fake, Fault, Limits};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

#[tokio::test]
async fn faults_fail_n_times_then_let_the_sdk_retry_through() {
    let fake = fake().await;
    let sid = conversation(&fake.client()).await;
    fake.add_fault(
        Fault::on("get_conversation")
            .fail(503, "service_unavailable")
            .times(2),
    );
    let err = plain(&fake)
        .get_conversation()
        .website_id(W)
        .session_id(&sid)
        .call()
        .await
        .unwrap_err();
    assert_eq!(
        status_reason(&err),
        (Some(503), Some("service_unavailable"))
    );
    // The SDK's default policy retries a GET on 503: the second fault, then success.
    let retrying = fake
        .client_builder()
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    assert!(
        retrying
            .get_conversation()
            .website_id(W)
            .session_id(&sid)
            .call()
            .await
            .is_ok()
    );

    fake.add_fault(
        Fault::on("get_website")
            .latency(Duration::from_millis(150))
            .times(1),
    );
    let started = Instant::now();
    plain(&fake)
        .get_website()
        .website_id(W)
        .call()
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(150));

    fake.add_fault(Fault::on("get_website").drop_connection().times(1));
    let err = plain(&fake)
        .get_website()
        .website_id(W)
        .call()
        .await
        .unwrap_err();
    assert!(
        err.status().is_none_or(|s| s.is_success()),
        "a transport failure, not an answer: {err:?}"
    );
    assert!(
        plain(&fake)
            .get_website()
            .website_id(W)
            .call()
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn rate_limits_and_quotas_count_per_credentials_on_the_fake_clock() {
    let fake = fake().await;
    let client = plain(&fake);
    fake.set_limits(Limits {
        rate: Some(2),
        window_ms: Some(60_000),
        quota: None,
    });
    for _ in 0..2 {
        client.get_website().website_id(W).call().await.unwrap();
    }
    let err = client.get_website().website_id(W).call().await.unwrap_err();
    assert!(err.is_rate_limited(), "{err}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    let response = client
        .raw(crisp_api::Method::GET, format!("website/{W}"))
        .response::<Value>()
        .await
        .unwrap_err();
    let crisp_api::Error::Api { headers, .. } = &response else {
        panic!("{response:?}")
    };
    let retry_after: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    fake.advance(Duration::from_secs(60));
    client
        .get_website()
        .website_id(W)
        .call()
        .await
        .expect("a new window");

    fake.set_limits(Limits {
        quota: Some(1),
        ..Limits::default()
    });
    client.get_website().website_id(W).call().await.unwrap();
    let err = client.get_website().website_id(W).call().await.unwrap_err();
    assert_eq!(
        status_reason(&err),
        (Some(423), Some("quota_limit_exceeded"))
    );
    assert!(err.is_rate_limited());
    fake.advance(Duration::from_secs(86_400));
    client
        .get_website()
        .website_id(W)
        .call()
        .await
        .expect("a new day");
}

#[tokio::test]
async fn the_clock_and_seed_make_runs_repeat_and_snapshots_restore() {
    let (a, b) = (
        Fake::builder().seed(42).start().await.unwrap(),
        Fake::builder().seed(42).start().await.unwrap(),
    );
    let (sa, sb) = (
        conversation(&a.client()).await,
        conversation(&b.client()).await,
    );
    assert_eq!(sa, sb, "same seed, same ids");
    assert_eq!(a.credentials(), b.credentials());
    let other = Fake::builder().seed(43).start().await.unwrap();
    assert_ne!(conversation(&other.client()).await, sa);

    let before = a.now_ms();
    a.advance(Duration::from_secs(3600));
    let fp = crate::send(&a.client(), &sa, crisp_api::message::Sender::User, "later").await;
    let sent = message(&a.client(), &sa, fp).await.unwrap();
    assert!(
        sent.timestamp.unwrap() > before + 3_600_000,
        "timestamps follow the clock"
    );

    let snapshot = a.snapshot();
    assert!(snapshot["websites"][W]["conversations"][&sa].is_object());
    a.reset();
    assert!(!exists(&a.client(), &sa).await);
    a.seed_state(&snapshot).unwrap();
    let restored = message(&a.client(), &sa, fp).await.unwrap();
    assert_eq!(restored.content, sent.content);
    assert!(
        a.seed_state(&json!({"websites": {"w": {"conversations": 3}}}))
            .is_err()
    );
}

#[tokio::test]
async fn the_http_control_surface_does_what_the_methods_do() {
    let fake = fake().await;
    let http = crisp_api::http_client_builder().unwrap().build().unwrap();
    let control = fake.control_url();
    let post = |path: &str, body: Value| http.post(format!("{control}{path}")).json(&body).send();
    let started: Value = post(&format!("/visitor/{W}/conversations"), json!({}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sid = started["session_id"].as_str().unwrap().to_owned();
    let said: Value = post(
        &format!("/visitor/{W}/conversations/{sid}/messages"),
        json!({"text": "hi"}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert!(said["fingerprint"].as_i64().unwrap() > 0);
    post(
        &format!("/operator/{W}/conversations/{sid}/messages"),
        json!({"text": "hello"}),
    )
    .await
    .unwrap();
    let messages = fake
        .client()
        .list_messages_in_conversation()
        .website_id(W)
        .session_id(&sid)
        .call()
        .await
        .unwrap();
    assert_eq!(
        messages
            .iter()
            .map(|m| m.from.clone().unwrap())
            .collect::<Vec<_>>(),
        ["user", "operator"]
    );

    let clock: Value = post("/clock", json!({"advance_ms": 5000}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(clock["now_ms"].as_i64(), Some(fake.now_ms()));
    post(
        "/faults",
        json!({"operation": "get_website", "status": 500, "reason": "boom", "times": 1}),
    )
    .await
    .unwrap();
    let err = plain(&fake)
        .get_website()
        .website_id(W)
        .call()
        .await
        .unwrap_err();
    assert_eq!(err.reason(), Some("boom"));
    post("/limits", json!({"quota": 0})).await.unwrap();
    assert_eq!(
        plain(&fake)
            .get_website()
            .website_id(W)
            .call()
            .await
            .unwrap_err()
            .status()
            .map(|s| s.as_u16()),
        Some(423)
    );
    http.delete(format!("{control}/faults"))
        .send()
        .await
        .unwrap();
    assert!(
        plain(&fake)
            .get_website()
            .website_id(W)
            .call()
            .await
            .is_ok()
    );
    let hook: Value = post(
        "/hooks",
        json!({"url": "http://127.0.0.1:9/unreachable", "events": ["message:send"]}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(hook["hook"], 0);
    let snapshot: Value = http
        .get(format!("{control}/snapshot"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(snapshot["websites"][W]["conversations"][&sid].is_object());
    let bad = post("/seed", json!({"websites": 1})).await.unwrap();
    assert_eq!(bad.status().as_u16(), 400);
    post("/reset", json!({})).await.unwrap();
    assert!(!exists(&fake.client(), &sid).await);
    let settled = post("/settle", json!({})).await.unwrap();
    assert!(settled.status().is_success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_fakes_share_nothing() {
    let runs = (0..4).map(|i| {
        tokio::spawn(async move {
            let fake = Fake::start().await.unwrap();
            let client = fake.client();
            for _ in 0..=i {
                let sid = conversation(&client).await;
                crate::send(&client, &sid, crisp_api::message::Sender::User, "hi").await;
            }
            let all = client
                .list_conversations()
                .website_id(W)
                .page_number(1u32)
                .call()
                .await
                .unwrap();
            (i, all.len(), fake.base_url())
        })
    });
    let mut urls = Vec::new();
    for run in runs {
        let (i, count, url) = run.await.unwrap();
        assert_eq!(count, i + 1, "each fake sees only its own conversations");
        urls.push(url);
    }
    urls.sort();
    urls.dedup();
    assert_eq!(urls.len(), 4);
}
