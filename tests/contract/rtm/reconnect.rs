//! Reconnecting: after a drop, a server restart, silence past the ping timeout, and a server
//! disconnect (frames before it are never lost).

use super::*;

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
