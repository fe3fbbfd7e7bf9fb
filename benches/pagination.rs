//! Listing 1,000 conversations over 50 pages from a loopback server answering each page after
//! 50 ms: a hand-written page loop, the item stream, and the stream with 4 pages in flight.
//!
//! Run with `cargo bench --bench pagination`. After divan's table it prints each variant's
//! median and its speed-up over the sequential loop, all measured in the same run.

use crisp_api::Client;
use futures::{StreamExt, TryStreamExt};
use serde_json::json;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const WEBSITE: &str = "8c842203-7ed8-4e29-a608-7cf78a7d2fcc";
const PAGES: u32 = 50;
const PER_PAGE: u32 = 20;
const LATENCY: Duration = Duration::from_millis(50);

fn main() {
    divan::main();
    report();
}

struct Fixture {
    runtime: Runtime,
    client: Client,
    _server: MockServer,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let server = runtime.block_on(async {
            let server = MockServer::start().await;
            Mock::given(method("GET"))
                .and(path_regex("^/website/[^/]+/conversations/[0-9]+$"))
                .respond_with(Pages)
                .mount(&server)
                .await;
            server
        });
        let client = Client::builder()
            .credentials("bench", "bench")
            .base_url(server.uri())
            .build()
            .expect("client");
        Fixture {
            runtime,
            client,
            _server: server,
        }
    })
}

/// Answers page `n` with 20 conversations up to page 50, then an empty list, after 50 ms.
struct Pages;

impl Respond for Pages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let page: u32 = request
            .url
            .path()
            .rsplit('/')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        let items: Vec<_> = if (1..=PAGES).contains(&page) {
            (0..PER_PAGE)
                .map(
                    |i| json!({"session_id": format!("session_{page}_{i}"), "website_id": WEBSITE}),
                )
                .collect()
        } else {
            Vec::new()
        };
        ResponseTemplate::new(200)
            .set_body_json(json!({"error": false, "reason": "listed", "data": items}))
            .set_delay(LATENCY)
    }
}

static SAMPLES: Mutex<Vec<(&'static str, Duration)>> = Mutex::new(Vec::new());

fn timed(name: &'static str, run: impl FnOnce() -> usize) {
    let start = Instant::now();
    let count = run();
    let elapsed = start.elapsed();
    assert_eq!(
        count,
        (PAGES * PER_PAGE) as usize,
        "{name} listed every item"
    );
    SAMPLES.lock().unwrap().push((name, elapsed));
}

/// The loop every official client leaves to its users.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn sequential_loop() {
    let f = fixture();
    timed("sequential_loop", || {
        f.runtime.block_on(async {
            let mut count = 0;
            for page in 1u32.. {
                let items = f
                    .client
                    .list_conversations()
                    .website_id(WEBSITE)
                    .page_number(page)
                    .call()
                    .await
                    .expect("page");
                if items.is_empty() {
                    break;
                }
                count += items.len();
            }
            count
        })
    });
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn stream() {
    let f = fixture();
    timed("stream", || {
        f.runtime.block_on(async {
            f.client
                .list_conversations()
                .website_id(WEBSITE)
                .stream()
                .try_fold(0, |n, _| async move { Ok(n + 1) })
                .await
                .expect("stream")
        })
    });
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn stream_prefetch_4() {
    let f = fixture();
    timed("stream_prefetch_4", || {
        f.runtime.block_on(async {
            f.client
                .list_conversations()
                .website_id(WEBSITE)
                .stream()
                .prefetch(4)
                .map(|item| item.expect("item"))
                .count()
                .await
        })
    });
}

fn report() {
    let samples = SAMPLES.lock().unwrap();
    let median = |name: &str| {
        let mut times: Vec<Duration> = samples
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, d)| *d)
            .collect();
        times.sort();
        times.get(times.len() / 2).copied()
    };
    let Some(baseline) = median("sequential_loop") else {
        return;
    };
    println!("\nmedians and speed-up over the sequential loop (same run):");
    for name in ["sequential_loop", "stream", "stream_prefetch_4"] {
        if let Some(m) = median(name) {
            println!(
                "  {name:<18} {:>8.1} ms  x{:.2}",
                m.as_secs_f64() * 1e3,
                baseline.as_secs_f64() / m.as_secs_f64()
            );
        }
    }
}
