//! The fake's throughput through the SDK on loopback (`get_conversation`,
//! `send_message_in_conversation`; 64 requests in flight per iteration, so divan's items/s is
//! requests per second), its start-up time, and the memory held by 10,000 conversations of 10
//! messages (printed once, measured by a counting allocator).

use crisp_api::Client;
use crisp_api::message::{NewMessage, Sender};
use crisp_fake::Fake;
use divan::Bencher;
use divan::counter::ItemsCount;
use std::sync::OnceLock;

#[path = "../../benches/support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::Counting;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const WEBSITE: &str = "8c842203-7ed8-4e29-a608-7cf78a7d2fcc";
const IN_FLIGHT: usize = 64;

fn main() {
    // The first fake of a process also reads the spec model (once per process).
    let started = std::time::Instant::now();
    runtime().block_on(async { drop(Fake::start().await.unwrap()) });
    println!(
        "cold start-up (first fake of the process, spec model read): {:?}",
        started.elapsed()
    );
    divan::main();
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    })
}

/// One fake with one conversation, shared by the throughput benchmarks.
fn setup() -> &'static (Fake, Client, String) {
    static SETUP: OnceLock<(Fake, Client, String)> = OnceLock::new();
    SETUP.get_or_init(|| {
        runtime().block_on(async {
            let fake = Fake::start().await.unwrap();
            let client = fake.client();
            let session = fake.visitor(WEBSITE).start_conversation();
            fake.visitor(WEBSITE).say(&session, "hello").unwrap();
            (fake, client, session)
        })
    })
}

#[divan::bench(sample_count = 20, sample_size = 4)]
fn get_conversation(bencher: Bencher) {
    let (_, client, session) = setup();
    bencher.counter(ItemsCount::new(IN_FLIGHT)).bench(|| {
        runtime().block_on(async {
            let calls = (0..IN_FLIGHT).map(|_| {
                client
                    .get_conversation()
                    .website_id(WEBSITE)
                    .session_id(session)
                    .call()
            });
            for result in futures::future::join_all(calls).await {
                result.unwrap();
            }
        })
    });
}

#[divan::bench(sample_count = 20, sample_size = 4)]
fn send_message_in_conversation(bencher: Bencher) {
    let (_, client, session) = setup();
    bencher.counter(ItemsCount::new(IN_FLIGHT)).bench(|| {
        runtime().block_on(async {
            let calls = (0..IN_FLIGHT).map(|_| {
                client
                    .send_message_in_conversation()
                    .website_id(WEBSITE)
                    .session_id(session)
                    .body(NewMessage::text(
                        Sender::Operator,
                        "Thanks, looking into it",
                    ))
                    .call()
            });
            for result in futures::future::join_all(calls).await {
                result.unwrap();
            }
        })
    });
}

#[divan::bench(sample_count = 30)]
fn start_up() {
    runtime().block_on(async {
        let fake = Fake::start().await.unwrap();
        divan::black_box(fake.base_url());
    });
}

#[divan::bench(sample_count = 1, sample_size = 1)]
fn memory_10k_conversations_of_10_messages() {
    runtime().block_on(async {
        let before = counting_alloc::live();
        let fake = Fake::start().await.unwrap();
        let visitor = fake.visitor(WEBSITE);
        for _ in 0..10_000 {
            let session = visitor.start_conversation();
            for i in 0..10 {
                visitor
                    .say(&session, &format!("Message {i} of a conversation"))
                    .unwrap();
            }
        }
        fake.settle().await;
        let held = counting_alloc::live().saturating_sub(before);
        println!(
            "memory: 10,000 conversations × 10 messages hold {:.1} MiB ({} bytes per message)",
            held as f64 / (1024.0 * 1024.0),
            held / 100_000
        );
        drop(fake);
    });
}
