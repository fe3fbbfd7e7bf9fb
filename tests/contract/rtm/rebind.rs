//! Rebinding: queued and paced on the clock, and spaced as the server measures.

use super::*;

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
