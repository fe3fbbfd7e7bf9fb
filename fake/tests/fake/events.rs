//! Events: signed web hook deliveries (retried, logged), the RTM relay (discovered like
//! Crisp's), the in-process stream.

use crate::{W, fake, send};
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use crisp_api::Event;
use crisp_api::message::Sender;
use crisp_api::rtm::Item;
use crisp_api::webhook::Verifier;
use crisp_fake::{Fake, Hook};
use futures::StreamExt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What a receiver accepted: each event with the headers it came with.
type Received = Arc<Mutex<Vec<(Event, HeaderMap)>>>;

/// A web hook receiver on loopback that verifies each delivery with `secret`, answers the
/// statuses of `script` in turn (then 200), and records the events it accepted.
async fn receiver(secret: &str, script: Vec<u16>) -> (String, Received) {
    let received: Received = Arc::default();
    let script = Arc::new(Mutex::new(script.into_iter()));
    let verifier = Verifier::new(secret);
    let log = received.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let (verifier, log, script) = (verifier.clone(), log.clone(), script.clone());
            async move {
                if let Some(status) = script.lock().unwrap().next() {
                    return StatusCode::from_u16(status).unwrap();
                }
                match verifier.receive(&headers, &body) {
                    Ok(delivery) => {
                        log.lock().unwrap().push((delivery.event, headers));
                        StatusCode::OK
                    }
                    Err(e) => StatusCode::from_u16(e.status()).unwrap(),
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    (url, received)
}

fn hook(url: &str, secret: &str, events: &[&str]) -> Hook {
    Hook {
        url: url.to_owned(),
        secret: Some(secret.to_owned()),
        events: events.iter().map(|e| (*e).to_owned()).collect(),
        website_id: None,
    }
}

#[tokio::test]
async fn web_hooks_are_signed_as_crisp_signs_them_and_logged() {
    let fake = fake().await;
    let (url, received) = receiver("s3cret", vec![]).await;
    fake.add_hook(hook(&url, "s3cret", &["message:send", "session:set_state"]));
    let visitor = fake.visitor(W);
    let sid = visitor.start_conversation();
    visitor.say(&sid, "Hello?").unwrap();
    fake.client()
        .change_conversation_state()
        .website_id(W)
        .session_id(&sid)
        .body_map(|b| b.state(crisp_api::types::ChangeConversationStateBodyState::Resolved))
        .call()
        .await
        .unwrap();
    fake.settle().await;

    let received = received.lock().unwrap().clone();
    assert_eq!(received.len(), 2, "only the events the hook wants");
    let Event::MessageSend(message) = &received[0].0 else {
        panic!("{:?}", received[0].0)
    };
    assert_eq!(message.session_id.as_deref(), Some(sid.as_str()));
    assert!(
        matches!(&received[1].0, Event::SessionSetState(s) if s.state.as_deref() == Some("resolved"))
    );
    assert_eq!(received[0].1["x-delivery-attempt-count"], "1");
    let log = fake.deliveries();
    assert_eq!(log.len(), 2);
    assert!(
        log.iter()
            .all(|a| a.delivered && a.attempt == 1 && a.status == Some(200))
    );
}

#[tokio::test]
async fn failed_deliveries_are_retried_with_backoff_then_given_up() {
    let fake = Fake::builder()
        .hook_retries(3, Duration::from_millis(10))
        .start()
        .await
        .unwrap();
    let (url, received) = receiver("k", vec![500, 503]).await;
    fake.add_hook(hook(&url, "k", &["message:send"]));
    let (gone, _) = receiver("k", vec![500, 500, 500]).await;
    fake.add_hook(hook(&gone, "k", &["message:send"]));
    let visitor = fake.visitor(W);
    let sid = visitor.start_conversation();
    visitor.say(&sid, "anyone?").unwrap();
    fake.settle().await;

    assert_eq!(received.lock().unwrap().len(), 1);
    assert_eq!(
        received.lock().unwrap()[0].1["x-delivery-attempt-count"],
        "3"
    );
    let log = fake.deliveries();
    let of = |hook: usize| {
        log.iter()
            .filter(|a| a.hook == hook)
            .map(|a| (a.attempt, a.status, a.delivered))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        of(0),
        [
            (1, Some(500), false),
            (2, Some(503), false),
            (3, Some(200), true)
        ]
    );
    assert_eq!(
        of(1),
        [
            (1, Some(500), false),
            (2, Some(500), false),
            (3, Some(500), false)
        ],
        "gives up after 3"
    );
}

#[tokio::test]
async fn rtm_clients_discover_the_relay_and_receive_what_they_bound() {
    let fake = fake().await;
    let client = fake.client();
    let mut rtm = client
        .rtm()
        .events(["message:received"])
        .connect()
        .await
        .expect("discovered and authenticated");
    let sid = crate::conversation(&client).await;
    send(&client, &sid, Sender::User, "not for this socket").await;
    let fingerprint = send(&client, &sid, Sender::Operator, "Hello from the team").await;
    let event = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match rtm.next().await.expect("open").expect("no error") {
                Item::Event(event) => return event,
                _ => continue,
            }
        }
    })
    .await
    .expect("an event within 10 s");
    let Event::MessageReceived(message) = event else {
        panic!("{event:?}")
    };
    assert_eq!(message.fingerprint, Some(fingerprint));

    // A fault can drop every socket: the SDK's stream says so and reconnects.
    fake.add_fault(
        crisp_fake::Fault::on("get_website")
            .disconnect_sockets()
            .times(1),
    );
    client.get_website().website_id(W).call().await.unwrap();
    let state = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let Item::State(state) = rtm.next().await.expect("open").expect("no error") {
                return state;
            }
        }
    })
    .await
    .expect("a state change within 10 s");
    assert!(
        matches!(state, crisp_api::rtm::State::Disconnected { .. }),
        "{state:?}"
    );

    let stranger = fake
        .client_builder()
        .credentials("nobody", "wrong")
        .build()
        .unwrap();
    let refused = stranger
        .rtm()
        .endpoint(fake.socket_url())
        .events(["message:send"])
        .connect()
        .await;
    assert!(
        matches!(refused, Err(crisp_api::rtm::Error::Unauthorized { .. })),
        "{refused:?}"
    );
}

#[tokio::test]
async fn the_in_process_stream_gets_every_change_typed() {
    let fake = fake().await;
    let mut events = fake.events();
    let client = fake.client();
    let sid = crate::conversation(&client).await;
    client
        .update_conversation_metas()
        .website_id(W)
        .session_id(&sid)
        .body(crisp_api::types::ConversationMeta {
            nickname: Some("Jo".into()),
            ..Default::default()
        })
        .call()
        .await
        .unwrap();
    let fingerprint = send(&client, &sid, Sender::User, "hi").await;
    client
        .remove_message_in_conversation()
        .website_id(W)
        .session_id(&sid)
        .fingerprint(fingerprint)
        .call()
        .await
        .unwrap();
    let mut names = Vec::new();
    for _ in 0..4 {
        let published = events.next().await.unwrap();
        assert_eq!(published.website_id, W);
        names.push(published.event.name().to_owned());
    }
    assert_eq!(
        names,
        [
            "session:request:initiated",
            "session:set_nickname",
            "message:send",
            "message:removed"
        ]
    );
}
