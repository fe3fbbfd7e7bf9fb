//! RTM throughput and memory, against a real Socket.IO server (socketioxide) on loopback.
//!
//! * `decode_frame`: parsing one `message:send` websocket message into a typed [`Event`]
//!   (no I/O), in events per second.
//! * `loopback_stream`: 10,000 `message:send` events emitted by the server and read from the
//!   [`Rtm`] stream, in events per second end to end (server encoding included).
//! * Before divan runs, memory is measured with 10,000 events buffered (a consumer that does
//!   not read): the live heap (a counting global allocator) and the process's resident memory;
//!   the figures are printed after divan's table.
//!
//! Run with `cargo bench --features rtm --bench rtm`.
//!
//! On the project's 2-core machine (medians): `decode_frame` 1.6 µs (about 610,000 events/s),
//! `loopback_stream` 92 ms per 10,000 events (about 108,000 events/s, server included);
//! 10,000 buffered events hold about 12 MiB of live heap (1,272 bytes each).

#[path = "../examples/support/rtm_server.rs"]
mod server;

use crisp_api::rtm::{Item, Rtm, frame};
use crisp_api::{Client, Event};
use futures::StreamExt;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

const EVENTS: u64 = 10_000;

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::Counting;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    let memory = buffered_memory();
    divan::main();
    println!("\n{memory}");
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

fn client() -> Client {
    Client::builder()
        .credentials("bench", "bench")
        .build()
        .expect("client")
}

async fn connect(sio: &server::Server, buffer: usize) -> Rtm {
    client()
        .rtm()
        .endpoint(sio.endpoint())
        .events(["message:send"])
        .buffer(buffer)
        .connect()
        .await
        .expect("connect")
}

/// The process's current and peak resident memory, in KiB (Linux).
fn rss_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn buffered_memory() -> String {
    let rt = runtime();
    rt.block_on(async {
        let sio = server::Server::start("127.0.0.1:0".parse().unwrap(), server::accept_all()).await;
        let mut rtm = connect(&sio, EVENTS as usize).await;
        let _ = rtm.next().await; // Connected
        let _ = rtm.next().await; // Authenticated
        let payloads: Vec<_> = (0..EVENTS).map(server::message_send).collect();
        tokio::time::sleep(Duration::from_millis(200)).await;
        let (before, _) = rss_kib();
        let live_before = counting_alloc::live();
        let start = Instant::now();
        for payload in &payloads {
            sio.emit("message:send", payload).await;
        }
        while rtm.stats().events < EVENTS {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let filled = start.elapsed();
        // Let the server's send buffers drain and be freed.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let live = counting_alloc::live().saturating_sub(live_before) as u64;
        let (after, peak) = rss_kib();
        let stats = rtm.stats();
        assert_eq!((stats.buffered, stats.dropped), (EVENTS as usize, 0));
        drop(rtm);
        sio.stop().await;
        format!(
            "{EVENTS} message:send events buffered (consumer not reading), filled in {:.0} ms:\n  \
             live heap +{} KiB ({} bytes per buffered event; size_of::<Item>() = {} bytes)\n  \
             RSS {before} KiB -> {after} KiB (+{} KiB); peak RSS (VmHWM) {peak} KiB",
            filled.as_secs_f64() * 1e3,
            live / 1024,
            live / EVENTS,
            std::mem::size_of::<Item>(),
            after.saturating_sub(before),
        )
    })
}

#[divan::bench]
fn decode_frame(bencher: divan::Bencher) {
    let text = frame::encode_event("message:send", &server::message_send(1));
    bencher
        .counter(divan::counter::ItemsCount::new(1usize))
        .bench(|| {
            let packet = frame::parse(divan::black_box(&text)).unwrap();
            let frame::Packet::Message(frame::SocketPacket::Event { name, mut args, .. }) = packet
            else {
                unreachable!()
            };
            let event = Event::from_parts(&name, args.swap_remove(0)).unwrap();
            divan::black_box(event)
        });
}

struct Fixture {
    runtime: Runtime,
    server: server::Server,
    rtm: Mutex<Rtm>,
    payloads: Vec<serde_json::Value>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let runtime = runtime();
        let (server, rtm) = runtime.block_on(async {
            let sio =
                server::Server::start("127.0.0.1:0".parse().unwrap(), server::accept_all()).await;
            let mut rtm = connect(&sio, 2 * EVENTS as usize).await;
            let _ = rtm.next().await;
            let _ = rtm.next().await;
            (sio, rtm)
        });
        Fixture {
            runtime,
            server,
            rtm: Mutex::new(rtm),
            payloads: (0..EVENTS).map(server::message_send).collect(),
        }
    })
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn loopback_stream(bencher: divan::Bencher) {
    let f = fixture();
    bencher
        .counter(divan::counter::ItemsCount::new(EVENTS as usize))
        .bench(|| {
            let mut rtm = f.rtm.lock().unwrap();
            f.runtime.block_on(async {
                let emit = async {
                    for payload in &f.payloads {
                        f.server.emit("message:send", payload).await;
                    }
                };
                let read = async {
                    let mut n = 0;
                    while n < EVENTS {
                        match rtm.next().await {
                            Some(Ok(Item::Event(Event::MessageSend(_)))) => n += 1,
                            other => panic!("unexpected {other:?}"),
                        }
                    }
                };
                futures::join!(emit, read);
            });
        });
}
