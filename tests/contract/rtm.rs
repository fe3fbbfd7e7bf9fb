//! RTM (feature `rtm`) against a real Socket.IO server on loopback (socketioxide): discovery,
//! authentication, typed events, reconnection, rebind pacing, back-pressure.

#[path = "../../examples/support/rtm_server.rs"]
mod server;

use crate::support::{IDENTIFIER, KEY, WEBSITE, catch_all};
use crisp_api::clock::{Clock, Sleep, VirtualClock};
use crisp_api::rtm::{self, Item, Rtm, State};
use crisp_api::{Client, Event, RetryPolicy, Tier};
use futures::StreamExt;
use serde_json::{Value, json};
use server::{Server, accept_all, message_send};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const LOOPBACK: &str = "127.0.0.1:0";

fn loopback() -> SocketAddr {
    LOOPBACK.parse().unwrap()
}

fn client(tier: Tier, base: &str) -> Client {
    Client::builder()
        .credentials(IDENTIFIER, KEY)
        .tier(tier)
        .base_url(base)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// A plugin client whose REST base is unused (the endpoint is given).
fn plugin_client() -> Client {
    client(Tier::Plugin, "http://127.0.0.1:9/v1")
}

/// A virtual clock whose sleeps also take 20 ms of real time, so that a reconnect loop against
/// a stopped server does not spin.
#[derive(Debug, Clone, Default)]
struct SteppingClock(VirtualClock);

impl Clock for SteppingClock {
    fn now(&self) -> Instant {
        self.0.now()
    }
    fn system_time(&self) -> SystemTime {
        self.0.system_time()
    }
    fn sleep(&self, duration: Duration) -> Sleep {
        let virtual_sleep = self.0.sleep(duration);
        Box::pin(async move {
            virtual_sleep.await;
            tokio::time::sleep(Duration::from_millis(20)).await;
        })
    }
}

/// The next item, failing after 10 s.
async fn next(rtm: &mut Rtm) -> Result<Item, rtm::Error> {
    tokio::time::timeout(Duration::from_secs(10), rtm.next())
        .await
        .expect("an item within 10 s")
        .expect("the stream goes on")
}

/// The next event, skipping state items.
async fn next_event(rtm: &mut Rtm) -> Event {
    loop {
        match next(rtm).await.expect("no error") {
            Item::Event(event) => return event,
            Item::State(_) => continue,
            other => panic!("unexpected {other:?}"),
        }
    }
}

/// The text of a `message:send` event.
fn text_of(event: Event) -> String {
    let Event::MessageSend(message) = event else {
        panic!("not a message:send: {event:?}")
    };
    match &message.content {
        Some(crisp_api::types::MessageContent::String(text)) => text.clone(),
        other => panic!("not a text message: {other:?}"),
    }
}

/// Waits until `condition` holds, for at most 10 s.
async fn until(what: &str, mut condition: impl FnMut() -> bool) {
    let start = Instant::now();
    while !condition() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out: {what}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn endpoints_body(app: &str) -> Value {
    json!({"error": false, "reason": "resolved", "data": {"socket": {"app": app}}})
}

#[tokio::test]
async fn discovers_authenticates_and_streams_typed_events_in_order() {
    let sio = Server::start(loopback(), accept_all()).await;
    let rest = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/plugin/connect/endpoints"))
        .respond_with(ResponseTemplate::new(200).set_body_json(endpoints_body(&sio.endpoint())))
        .expect(1)
        .mount(&rest)
        .await;
    catch_all(&rest).await;
    let client = client(Tier::Plugin, &format!("{}/v1", rest.uri()));

    let mut rtm = client
        .rtm()
        .events(["message:send", "session:set_email", "message:send"])
        .connect()
        .await
        .expect("connected");

    // The state items of the first connection come first.
    assert_eq!(
        next(&mut rtm).await.unwrap(),
        Item::State(State::Connected {
            endpoint: sio.endpoint()
        })
    );
    assert_eq!(
        next(&mut rtm).await.unwrap(),
        Item::State(State::Authenticated)
    );
    assert_eq!(
        sio.authentications(),
        vec![json!({
            "tier": "plugin",
            "username": IDENTIFIER,
            "password": KEY,
            "events": ["message:send", "session:set_email"],
        })]
    );

    sio.emit("message:send", &message_send(1)).await;
    sio.emit(
        "session:set_email",
        &json!({"website_id": WEBSITE, "session_id": "session_1", "inbox_id": null, "email": "jane@example.com"}),
    )
    .await;
    sio.emit("made:up:event", &json!({"anything": [1, 2]}))
        .await;
    sio.emit("message:send", &json!("not a message")).await;
    sio.emit("message:send", &message_send(2)).await;

    assert_eq!(text_of(next_event(&mut rtm).await), "Hello, message 1");
    let Event::SessionSetEmail(email) = next_event(&mut rtm).await else {
        panic!("a session:set_email")
    };
    assert_eq!(email.email.as_deref(), Some("jane@example.com"));
    assert_eq!(
        next_event(&mut rtm).await,
        Event::Unknown {
            name: "made:up:event".into(),
            data: json!({"anything": [1, 2]}),
        }
    );
    // A payload that does not fit is delivered as `Mistyped`, with its raw payload.
    match next_event(&mut rtm).await {
        Event::Mistyped { name, data, .. } => {
            assert_eq!(name, "message:send");
            assert_eq!(data, json!("not a message"));
        }
        other => panic!("expected a mistyped event, got {other:?}"),
    }
    assert_eq!(text_of(next_event(&mut rtm).await), "Hello, message 2");
    assert_eq!(rtm.stats().events, 5);

    rtm.close();
    assert!(
        tokio::time::timeout(Duration::from_secs(5), rtm.next())
            .await
            .unwrap()
            .is_none(),
        "the stream ends after close"
    );
    sio.stop().await;
}

#[tokio::test]
async fn website_tier_discovers_per_website() {
    let sio = Server::start(loopback(), accept_all()).await;
    let rest = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/website/{WEBSITE}/connect/endpoints")))
        .respond_with(ResponseTemplate::new(200).set_body_json(endpoints_body(&sio.endpoint())))
        .expect(1)
        .mount(&rest)
        .await;
    catch_all(&rest).await;
    let client = client(Tier::Website, &format!("{}/v1", rest.uri()));

    let missing = client.rtm().events(["message:send"]).connect().await;
    assert!(matches!(
        missing,
        Err(rtm::Error::Config {
            setting: "website",
            ..
        })
    ));
    let _rtm = client
        .rtm()
        .website(WEBSITE)
        .events(["message:send"])
        .connect()
        .await
        .expect("connected");
    assert_eq!(sio.authentications()[0]["tier"], "website");
    sio.stop().await;
}

#[tokio::test]
async fn the_socket_trusts_the_clients_extra_root_certificates() {
    // A TLS server that answers plain HTTP (no websocket): with its root added, the handshake
    // succeeds and the upgrade fails; without it, the certificate is refused.
    let (port, der) = crate::runtime::tls_server(json!({})).await;
    let endpoint = format!("https://localhost:{port}/");
    let builder = || {
        Client::builder()
            .credentials(IDENTIFIER, KEY)
            .base_url("http://127.0.0.1:9/v1")
            .retry(RetryPolicy::none())
    };
    let connect = |client: Client| {
        let endpoint = endpoint.clone();
        async move {
            client
                .rtm()
                .endpoint(endpoint)
                .events(["message:send"])
                .connect()
                .await
                .expect_err("the server is no websocket")
                .to_string()
        }
    };
    let trusted = connect(builder().add_root_certificate(der).build().unwrap()).await;
    assert!(!trusted.to_lowercase().contains("certificate"), "{trusted}");
    assert!(trusted.contains("HTTP"), "{trusted}");
    let untrusted = connect(builder().build().unwrap()).await;
    assert!(
        untrusted.to_lowercase().contains("certificate"),
        "{untrusted}"
    );
}

#[tokio::test]
async fn discovery_failures_are_clear() {
    let rest = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/plugin/connect/endpoints"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"error": false, "reason": "resolved", "data": {}})),
        )
        .up_to_n_times(1)
        .mount(&rest)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/plugin/connect/endpoints"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"error": true, "reason": "invalid_session", "data": {}})),
        )
        .mount(&rest)
        .await;
    let client = client(Tier::Plugin, &format!("{}/v1", rest.uri()));
    let err = client
        .rtm()
        .events(["message:send"])
        .connect()
        .await
        .unwrap_err();
    assert!(matches!(err, rtm::Error::NoEndpoint), "{err}");
    let err = client
        .rtm()
        .events(["message:send"])
        .connect()
        .await
        .unwrap_err();
    assert!(matches!(err, rtm::Error::Discovery(_)), "{err}");
    assert!(err.to_string().contains("invalid_session"), "{err}");

    let err = plugin_client().rtm().connect().await.unwrap_err();
    assert!(
        matches!(
            err,
            rtm::Error::Config {
                setting: "events",
                ..
            }
        ),
        "{err}"
    );
    let anonymous = Client::builder().build().unwrap();
    let err = anonymous
        .rtm()
        .events(["message:send"])
        .endpoint("ws://127.0.0.1:9/")
        .connect()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            rtm::Error::Config {
                setting: "credentials",
                ..
            }
        ),
        "{err}"
    );
}

#[tokio::test]
async fn unauthorized_is_a_clear_error_without_retry() {
    let sio = Server::start(loopback(), Arc::new(|_, _| false)).await;
    let clock = VirtualClock::new();
    let err = plugin_client()
        .rtm()
        .endpoint(sio.endpoint())
        .events(["message:send"])
        .clock(clock.clone())
        .connect()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, rtm::Error::Unauthorized { message: Some(m) } if m == "invalid token"),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "RTM authentication refused: invalid token");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(sio.authentications().len(), 1, "no retry");
    assert!(clock.sleeps().is_empty());
    sio.stop().await;
}

#[tokio::test]
async fn unauthorized_after_a_reconnect_ends_the_stream() {
    // The token is accepted once, then refused (revoked while disconnected).
    let sio = Server::start(loopback(), Arc::new(|earlier, _| earlier == 0)).await;
    let mut rtm = plugin_client()
        .rtm()
        .endpoint(sio.endpoint())
        .events(["message:send"])
        .clock(VirtualClock::new())
        .connect()
        .await
        .unwrap();
    sio.drop_clients().await;
    let mut items = Vec::new();
    while let Some(item) = tokio::time::timeout(Duration::from_secs(10), rtm.next())
        .await
        .unwrap()
    {
        items.push(item);
    }
    let last = items.pop().unwrap();
    assert!(
        matches!(last, Err(rtm::Error::Unauthorized { .. })),
        "{last:?}"
    );
    assert!(items.iter().all(Result::is_ok));
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        sio.authentications().len(),
        2,
        "no retry after unauthorized"
    );
    sio.stop().await;
}

#[tokio::test]
async fn a_dropped_connection_reconnects_and_reauthenticates_with_the_same_events() {
    let sio = Server::start(loopback(), accept_all()).await;
    let rest = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/plugin/connect/endpoints"))
        .respond_with(ResponseTemplate::new(200).set_body_json(endpoints_body(&sio.endpoint())))
        .expect(1) // reconnecting to a reachable endpoint does not discover again
        .mount(&rest)
        .await;
    catch_all(&rest).await;
    let clock = VirtualClock::new();
    let mut rtm = client(Tier::Plugin, &format!("{}/v1", rest.uri()))
        .rtm()
        .events(["message:send", "message:received"])
        .reconnect(Duration::from_secs(5), Duration::from_secs(10))
        .clock(clock.clone())
        .connect()
        .await
        .unwrap();
    sio.drop_clients().await;

    let mut states = Vec::new();
    loop {
        match next(&mut rtm).await.unwrap() {
            Item::State(State::Authenticated) if states.contains(&"reconnecting") => break,
            Item::State(State::Connected { .. }) => states.push("connected"),
            Item::State(State::Authenticated) => states.push("authenticated"),
            Item::State(State::Disconnected { reason }) => {
                assert!(reason.contains("left the namespace"), "{reason}");
                states.push("disconnected")
            }
            Item::State(State::Reconnecting { attempt, delay }) => {
                assert_eq!(attempt, 1);
                assert!(delay <= Duration::from_secs(5), "{delay:?}");
                states.push("reconnecting")
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(
        states,
        [
            "connected",
            "authenticated",
            "disconnected",
            "reconnecting",
            "connected"
        ]
    );
    let auths = sio.authentications();
    assert_eq!(auths.len(), 2);
    assert_eq!(auths[1], auths[0], "the second authentication is the same");
    assert_eq!(
        auths[1]["events"],
        json!(["message:send", "message:received"])
    );
    // The back-off went through the clock: one sleep, within the first ceiling.
    let sleeps = clock.sleeps();
    assert_eq!(sleeps.len(), 1);
    assert!(sleeps[0] <= Duration::from_secs(5));

    // Events flow on the new connection.
    sio.emit("message:send", &message_send(7)).await;
    assert_eq!(text_of(next_event(&mut rtm).await), "Hello, message 7");
    sio.stop().await;
}

#[tokio::test]
async fn a_server_restart_on_the_same_port_is_survived() {
    let sio = Server::start(loopback(), accept_all()).await;
    let addr = sio.addr;
    let rest = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/plugin/connect/endpoints"))
        .respond_with(ResponseTemplate::new(200).set_body_json(endpoints_body(&sio.endpoint())))
        .mount(&rest)
        .await;
    catch_all(&rest).await;
    let clock = SteppingClock::default();
    let mut rtm = client(Tier::Plugin, &format!("{}/v1", rest.uri()))
        .rtm()
        .events(["message:send"])
        .clock(clock.clone())
        .connect()
        .await
        .unwrap();
    sio.stop().await;

    // Wait for a few failed attempts while the server is down.
    let mut attempts = 0;
    while attempts < 3 {
        if let Item::State(State::Reconnecting { attempt, .. }) = next(&mut rtm).await.unwrap() {
            attempts = attempt;
        }
    }
    let discoveries = rest.received_requests().await.unwrap().len();
    assert!(
        discoveries >= 2,
        "a failed connection discovers the endpoint again ({discoveries} discoveries)"
    );
    let sio = Server::start(addr, accept_all()).await;
    loop {
        match next(&mut rtm).await.unwrap() {
            Item::State(State::Authenticated) => break,
            Item::State(State::Reconnecting { attempt, delay }) => {
                assert!(delay <= Duration::from_secs(10), "capped: {delay:?}");
                assert!(attempt < 200, "reconnected in time");
            }
            _ => {}
        }
    }
    assert_eq!(
        sio.authentications().len(),
        1,
        "authenticated on the new server"
    );
    assert_eq!(sio.authentications()[0]["events"], json!(["message:send"]));
    assert!(
        clock
            .0
            .sleeps()
            .iter()
            .all(|d| *d <= Duration::from_secs(10))
    );
    sio.emit("message:send", &message_send(3)).await;
    assert!(matches!(next_event(&mut rtm).await, Event::MessageSend(_)));
    sio.stop().await;
}

#[tokio::test]
async fn rebinds_are_queued_at_one_per_two_and_a_half_seconds() {
    let sio = Server::start(loopback(), accept_all()).await;
    let clock = VirtualClock::new();
    let rtm = plugin_client()
        .rtm()
        .endpoint(sio.endpoint())
        .events(["message:send"])
        .clock(clock.clone())
        .connect()
        .await
        .unwrap();
    let started = Instant::now();
    rtm.bind_push(["message:received"]).unwrap();
    rtm.rebind().unwrap();
    let handle = rtm.handle();
    handle.bind_pop(["message:send"]).unwrap();
    handle
        .bind(["people:profile:created", "message:received"])
        .unwrap();
    until("4 rebinds received", || sio.received().len() == 5).await;
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the virtual clock waited"
    );
    let rebinds: Vec<(String, Value)> = sio.received().into_iter().skip(1).collect();
    assert_eq!(
        rebinds,
        vec![
            (
                "socket:bind:push".into(),
                json!({"events": ["message:received"]})
            ),
            ("socket:bind".into(), json!({})),
            (
                "socket:bind:pop".into(),
                json!({"events": ["message:send"]})
            ),
            (
                "socket:bind".into(),
                json!({"events": ["people:profile:created", "message:received"]})
            ),
        ]
    );
    // The first went at once, each of the others 2.5 s after the one before.
    assert_eq!(clock.sleeps(), vec![rtm::REBIND_SPACING; 3]);
    assert!(rtm::REBIND_SPACING >= rtm::REBIND_INTERVAL + Duration::from_millis(200));

    // A reconnection authenticates with the set as rebound.
    sio.drop_clients().await;
    until("re-authenticated", || sio.authentications().len() == 2).await;
    assert_eq!(
        sio.authentications()[1]["events"],
        json!(["people:profile:created", "message:received"])
    );
    sio.stop().await;
    drop(rtm);
    until("the handle sees the connection closed", || {
        matches!(handle.rebind(), Err(rtm::Error::Closed))
    })
    .await;
}

#[tokio::test]
async fn a_slow_consumer_gets_lagged_and_bounded_memory() {
    let sio = Server::start(loopback(), accept_all()).await;
    let mut rtm = plugin_client()
        .rtm()
        .endpoint(sio.endpoint())
        .events(["message:send"])
        .buffer(8)
        .connect()
        .await
        .unwrap();
    // Connected and Authenticated are buffered too: 2 + 100 items for 8 places.
    for n in 0..100 {
        sio.emit("message:send", &message_send(n)).await;
    }
    until("100 events read from the socket", || {
        rtm.stats().events == 100
    })
    .await;
    let stats = rtm.stats();
    assert_eq!((stats.buffered, stats.dropped), (8, 94));
    assert_eq!(next(&mut rtm).await.unwrap(), Item::Lagged(94));
    for n in 92..100 {
        assert_eq!(
            text_of(next_event(&mut rtm).await),
            format!("Hello, message {n}")
        );
    }
    // The connection stayed up: later events arrive normally.
    sio.emit("message:send", &message_send(100)).await;
    assert_eq!(text_of(next_event(&mut rtm).await), "Hello, message 100");
    sio.stop().await;
}

#[tokio::test]
async fn pings_are_answered() {
    // The server pings every 100 ms and drops a client that does not answer within 500 ms.
    let sio = Server::start_with(
        loopback(),
        accept_all(),
        Duration::from_millis(100),
        Duration::from_millis(500),
    )
    .await;
    let rtm = plugin_client()
        .rtm()
        .endpoint(sio.endpoint())
        .events(["message:send"])
        .clock(VirtualClock::new())
        .connect()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(sio.authentications().len(), 1);
    assert_eq!(rtm.stats().buffered, 2, "still the first connection");
    sio.stop().await;
}

/// A websocket server that completes the handshake and authentication, then says nothing.
async fn silent_server() -> (String, Arc<Mutex<usize>>) {
    let listener = tokio::net::TcpListener::bind(loopback()).await.unwrap();
    let endpoint = format!("ws://{}/socket.io/", listener.local_addr().unwrap());
    let sessions = Arc::new(Mutex::new(0));
    let count = sessions.clone();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            *count.lock().unwrap() += 1;
            tokio::spawn(async move {
                use futures::SinkExt;
                use tokio_tungstenite::tungstenite::Message;
                let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
                let open = r#"0{"sid":"s","upgrades":[],"pingInterval":100,"pingTimeout":100}"#;
                ws.send(Message::text(open)).await.unwrap();
                while let Some(Ok(Message::Text(text))) = ws.next().await {
                    if text.as_str() == "40" {
                        ws.send(Message::text(r#"40{"sid":"n"}"#)).await.unwrap();
                    } else if text.as_str().starts_with(r#"42["authentication""#) {
                        ws.send(Message::text(r#"42["authenticated"]"#))
                            .await
                            .unwrap();
                    }
                }
            });
        }
    });
    (endpoint, sessions)
}

#[tokio::test]
async fn silence_past_the_ping_timeout_is_a_drop() {
    let (endpoint, sessions) = silent_server().await;
    let mut rtm = plugin_client()
        .rtm()
        .endpoint(endpoint)
        .events(["message:send"])
        .clock(VirtualClock::new())
        .connect()
        .await
        .unwrap();
    let mut reason = None;
    loop {
        match next(&mut rtm).await.unwrap() {
            Item::State(State::Disconnected { reason: r }) => reason = Some(r),
            Item::State(State::Authenticated) if reason.is_some() => break,
            _ => {}
        }
    }
    let reason = reason.unwrap();
    assert!(
        reason.contains("no ping from the server for 0.2 s"),
        "{reason}"
    );
    assert_eq!(*sessions.lock().unwrap(), 2);
}

#[tokio::test]
async fn the_key_is_never_logged() {
    use tracing_subscriber::fmt::MakeWriter;

    #[derive(Clone, Default)]
    struct Capture(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Capture {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    impl<'a> MakeWriter<'a> for Capture {
        type Writer = Capture;
        fn make_writer(&'a self) -> Capture {
            self.clone()
        }
    }

    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(capture.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let sio = Server::start(loopback(), accept_all()).await;
    let builder = plugin_client()
        .rtm()
        .endpoint(sio.endpoint())
        .events(["message:send"])
        .clock(VirtualClock::new());
    assert!(!format!("{builder:?}").contains(KEY));
    let mut rtm = builder.connect().await.unwrap();
    assert!(!format!("{rtm:?}").contains(KEY));
    sio.drop_clients().await;
    until("re-authenticated", || sio.authentications().len() == 2).await;
    while rtm.stats().buffered > 0 {
        let _ = next(&mut rtm).await;
    }
    sio.stop().await;
    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    for span in [
        "crisp_rtm",
        "crisp_rtm_connect",
        "crisp_rtm_auth",
        "crisp_rtm_reconnect",
    ] {
        assert!(logs.contains(span), "span {span} in:\n{logs}");
    }
    assert!(logs.contains("authenticated"));
    assert!(!logs.contains(KEY), "the key leaked:\n{logs}");
}

/// A websocket server that completes the handshake and authentication (pings every 25 s),
/// sends `frames` to its first client, and records when each `socket:bind…` message arrives
/// (on the server's clock). Returns the endpoint, the number of sessions and the arrivals.
async fn scripted_server(
    frames: Vec<String>,
) -> (String, Arc<Mutex<usize>>, Arc<Mutex<Vec<Instant>>>) {
    let listener = tokio::net::TcpListener::bind(loopback()).await.unwrap();
    let endpoint = format!("ws://{}/socket.io/", listener.local_addr().unwrap());
    let sessions = Arc::new(Mutex::new(0));
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let (count, seen) = (sessions.clone(), arrivals.clone());
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let first = {
                let mut n = count.lock().unwrap();
                *n += 1;
                *n == 1
            };
            let frames = if first { frames.clone() } else { Vec::new() };
            let seen = seen.clone();
            tokio::spawn(async move {
                use futures::SinkExt;
                use tokio_tungstenite::tungstenite::Message;
                let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
                let open = r#"0{"sid":"s","upgrades":[],"pingInterval":25000,"pingTimeout":20000}"#;
                ws.send(Message::text(open)).await.unwrap();
                while let Some(Ok(Message::Text(text))) = ws.next().await {
                    if text.as_str() == "40" {
                        ws.send(Message::text(r#"40{"sid":"n"}"#)).await.unwrap();
                    } else if text.as_str().starts_with(r#"42["authentication""#) {
                        ws.send(Message::text(r#"42["authenticated"]"#))
                            .await
                            .unwrap();
                        for frame in &frames {
                            ws.send(Message::text(frame.clone())).await.unwrap();
                        }
                    } else if text.as_str().starts_with(r#"42["socket:bind"#) {
                        seen.lock().unwrap().push(Instant::now());
                    }
                }
            });
        }
    });
    (endpoint, sessions, arrivals)
}

#[tokio::test]
async fn frames_are_never_lost_other_namespaces_are_ignored_and_a_server_disconnect_reconnects() {
    let message = |content: &str, fingerprint: &str| {
        let mut m = message_send(1);
        m["content"] = json!("CONTENT");
        m["fingerprint"] = json!("FINGERPRINT");
        format!(r#"42["message:send",{m}]"#)
            .replace(r#""CONTENT""#, content)
            .replace(r#""FINGERPRINT""#, fingerprint)
    };
    let frames = vec![
        // A namespace this client never joined: ignored, as socket.io-client does.
        r#"42/admin,["message:send",{"content":"not for us"}]"#.to_owned(),
        // A preview cut in an emoji, and a fingerprint sent as a string.
        message(r#""Hello \ud83d""#, r#""163408415314923""#),
        // A payload that does not fit its event's type.
        r#"42["session:request:initiated",{}]"#.to_owned(),
        // A fingerprint beyond what an i64 holds exactly.
        message(r#""x""#, "1e21"),
        // The server leaves the namespace.
        "41".to_owned(),
    ];
    let (endpoint, sessions, _) = scripted_server(frames).await;
    let mut rtm = plugin_client()
        .rtm()
        .endpoint(endpoint)
        .events(["message:send"])
        .clock(VirtualClock::new())
        .connect()
        .await
        .unwrap();
    let Event::MessageSend(m) = next_event(&mut rtm).await else {
        panic!("the message:send of the default namespace first")
    };
    assert_eq!(
        m.content,
        Some(crisp_api::types::MessageContent::String(
            "Hello \u{FFFD}".into()
        ))
    );
    assert_eq!(m.fingerprint, Some(163_408_415_314_923));
    match next_event(&mut rtm).await {
        Event::Mistyped { name, data, .. } => {
            assert_eq!(name, "session:request:initiated");
            assert_eq!(data, json!({}));
        }
        other => panic!("{other:?}"),
    }
    match next_event(&mut rtm).await {
        Event::Mistyped { name, error, .. } => {
            assert_eq!(name, "message:send");
            assert_eq!(error.path.as_deref(), Some("fingerprint"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(rtm.stats().events, 3, "every event counted");
    // After the server's disconnect the stream reconnects (documented in `rtm`): the official
    // client would stop for good.
    let mut disconnected = None;
    loop {
        match next(&mut rtm).await.expect("no error item") {
            Item::State(State::Disconnected { reason }) => disconnected = Some(reason),
            Item::State(State::Authenticated) => break,
            Item::Event(e) => panic!("unexpected event {e:?}"),
            _ => {}
        }
    }
    let reason = disconnected.expect("a Disconnected item");
    assert!(reason.contains("the server left the namespace"), "{reason}");
    assert_eq!(*sessions.lock().unwrap(), 2);
}

#[tokio::test]
async fn rebinds_arrive_at_least_two_and_a_half_seconds_apart_as_the_server_measures() {
    let (endpoint, _, arrivals) = scripted_server(Vec::new()).await;
    // The system clock: the spacing is measured on the server's side, in real time.
    let rtm = plugin_client()
        .rtm()
        .endpoint(endpoint)
        .events(["message:send"])
        .connect()
        .await
        .unwrap();
    rtm.rebind().unwrap();
    rtm.bind_push(["message:received"]).unwrap();
    until_within("two rebinds received", Duration::from_secs(8), || {
        arrivals.lock().unwrap().len() == 2
    })
    .await;
    let seen = arrivals.lock().unwrap().clone();
    let gap = seen[1] - seen[0];
    assert!(gap >= rtm::REBIND_INTERVAL, "{gap:?}");
    rtm.close();
}

/// Waits until `condition` holds, for at most `limit`.
async fn until_within(what: &str, limit: Duration, mut condition: impl FnMut() -> bool) {
    let start = Instant::now();
    while !condition() {
        assert!(start.elapsed() < limit, "timed out: {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
