//! Connecting: discovery per tier, authentication, typed events in order, the extra root
//! certificates, clear failures, and a refused token.

use super::*;

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
            name: "website",
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
    let (port, der) = crate::cross::runtime::tls_server(json!({})).await;
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
        matches!(err, rtm::Error::Config { name: "events", .. }),
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
                name: "credentials",
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
