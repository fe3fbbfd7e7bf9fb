//! The stream: back-pressure, pings answered, and the key never logged.

use super::*;

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
