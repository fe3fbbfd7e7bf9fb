//! Streams over numbered pages and the message history.

use super::{answer, client, fail, ok, setup};
use crate::support::{ExactQuery, IDENTIFIER, KEY, SESSION, WEBSITE, conversation_path};
use crisp_api::{Client, Error};
use futures::{StreamExt, TryStreamExt};
use serde_json::{Value, json};
use std::time::Duration;
use wiremock::Mock;
use wiremock::matchers::{method, path, path_regex, query_param};

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
