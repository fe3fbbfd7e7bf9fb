//! The SDK's per-call overhead against a hand-written reqwest + serde client decoding the same
//! types, on loopback (a tiny keep-alive HTTP/1.1 responder answering fixed bodies at once, so
//! that the client's own cost is all there is to see):
//!
//! * `get_conversation().call()` and `send_message_in_conversation().call()`, sequential;
//! * decoding a page of 50 conversations with rich custom data through the generated types,
//!   against `serde_json::Value`, and the custom data alone;
//! * `.stream()` over 50 pages of 20 conversations against a hand-written page loop visiting
//!   each item, and `.pages()` against the same loop counting whole pages.
//!
//! Run with `cargo bench --bench overhead`. After divan's table it measures each pair
//! interleaved (A, B, A, B, …, to share the machine's load fairly) and prints the ratios:
//! throughput (wall time) and the client thread's CPU time per call, as ratios of the medians and
//! as the median of per-round ratios ("paired", the steadier on a shared machine), read from
//! `/proc/thread-self/schedstat` (the client runs on a current-thread runtime; the server on
//! its own threads).
//!
//! Time on a shared machine drifts by several percent between runs; instruction counts do not.
//! `OVERHEAD_RUN=get_sdk:300` (see `run_only`) runs one side alone, so that
//! `valgrind --tool=callgrind --separate-threads=yes <bench binary>` counts the client thread's
//! instructions; the difference between two counts (say 100 and 300 calls), divided by the
//! difference in calls, is the instructions per call without the set-up.

use crisp_api::Client;
use crisp_api::message::{NewMessage, Sender};
use crisp_api::types;
use futures::TryStreamExt;
use serde::Deserialize;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

const WEBSITE: &str = "8c842203-7ed8-4e29-a608-7cf78a7d2fcc";
const SESSION: &str = "session_700c65e1-85e2-465a-b9ac-ecb5ec2c9881";
const PAGES: u32 = 50;
const PER_PAGE: usize = 20;

fn main() {
    if let Ok(run) = std::env::var("OVERHEAD_RUN") {
        return run_only(&run);
    }
    divan::main();
    report();
}

/// `OVERHEAD_RUN=<case>:<count>` runs one side of one pair `count` times and nothing else, for
/// counting instructions, which a shared machine's load does not change: under
/// `valgrind --tool=callgrind --separate-threads=yes`, the main thread's total for two counts,
/// differenced, gives the client's instructions per call (cases: `get_sdk`, `get_hand`,
/// `post_sdk`, `post_hand`, `stream_sdk`, `stream_hand`, `pages_sdk`, `pages_hand`).
fn run_only(run: &str) {
    let (case, count) = run.split_once(':').unwrap_or((run, "1"));
    let count: usize = count.parse().expect("OVERHEAD_RUN=<case>:<count>");
    let f = fixture();
    for _ in 0..count {
        f.runtime.block_on(async {
            match case {
                "get_sdk" => {
                    std::hint::black_box(sdk_get(f).await);
                }
                "get_hand" => {
                    std::hint::black_box(hand_get(f).await);
                }
                "post_sdk" => {
                    std::hint::black_box(sdk_post(f).await);
                }
                "post_hand" => {
                    std::hint::black_box(hand_post(f).await);
                }
                "stream_sdk" => {
                    std::hint::black_box(sdk_stream(f).await);
                }
                "stream_hand" => {
                    std::hint::black_box(hand_loop(f, true).await);
                }
                "pages_sdk" => {
                    std::hint::black_box(sdk_pages(f).await);
                }
                "pages_hand" => {
                    std::hint::black_box(hand_loop(f, false).await);
                }
                other => panic!("unknown case `{other}`"),
            }
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Fixtures

/// The spec's example `data` of an operation's success response.
fn example(path: &str, method: &str) -> Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    let spec = SPEC.get_or_init(|| {
        serde_json::from_str(include_str!("../openapi/crisp-v1.json")).expect("spec")
    });
    spec["paths"][path][method]["responses"]["2XX"]["content"]["application/json"]["example"]
        ["data"]
        .clone()
}

/// Rich custom data: strings, integers, decimals and booleans.
fn custom_data(n: usize) -> Value {
    let mut map = serde_json::Map::new();
    for i in 0..6 {
        map.insert(format!("plan_{i}"), json!(format!("enterprise-{n}-{i}")));
        map.insert(format!("seats_{i}"), json!(25 + i + n));
        map.insert(
            format!("mrr_{i}"),
            json!(1249.9 + i as f64 + n as f64 / 7.0),
        );
        map.insert(format!("sso_{i}"), json!(i % 2 == 0));
    }
    map.insert("external_id".into(), json!(format!("cus_P8x2KfQ91LmZ{n}")));
    map.insert(
        "signed_up_at".into(),
        json!(1_732_101_220_118u64 + n as u64),
    );
    Value::Object(map)
}

fn conversation(n: usize) -> Value {
    let mut c = example("/website/{website_id}/conversations/{page_number}", "get")[0].clone();
    c["session_id"] = json!(format!("session_{n:08}-85e2-465a-b9ac-ecb5ec2c9881"));
    c["meta"]["data"] = custom_data(n);
    c
}

fn envelope(data: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({"error": false, "reason": "listed", "data": data})).unwrap()
}

struct Bodies {
    conversation: Vec<u8>,
    dispatched: Vec<u8>,
    /// Page `n` (1-based) at index `n - 1`; past the last, an empty list.
    pages: Vec<Vec<u8>>,
    empty: Vec<u8>,
    /// One page of 50 conversations, for decoding alone.
    page_50: Vec<u8>,
    /// The custom data of one conversation, for decoding alone.
    data: Vec<u8>,
}

fn bodies() -> &'static Bodies {
    static BODIES: OnceLock<Bodies> = OnceLock::new();
    BODIES.get_or_init(|| {
        let mut one = example("/website/{website_id}/conversation/{session_id}", "get");
        one["meta"]["data"] = custom_data(0);
        Bodies {
            conversation: envelope(one),
            dispatched: envelope(example(
                "/website/{website_id}/conversation/{session_id}/message",
                "post",
            )),
            pages: (0..PAGES as usize)
                .map(|p| envelope((0..PER_PAGE).map(|i| conversation(p * 100 + i)).collect()))
                .collect(),
            empty: envelope(json!([])),
            page_50: envelope((0..50).map(conversation).collect()),
            data: serde_json::to_vec(&custom_data(0)).unwrap(),
        }
    })
}

// ---------------------------------------------------------------------------------------------
// The loopback server: keep-alive HTTP/1.1, one thread per connection, answers at once.

/// Connections the server accepted (each client should keep one alive).
static CONNECTIONS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            CONNECTIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            std::thread::spawn(move || {
                let _ = connection(stream);
            });
        }
    });
    format!("http://{address}")
}

fn connection(stream: TcpStream) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let bodies = bodies();
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let target = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
        let mut length = 0usize;
        loop {
            line.clear();
            reader.read_line(&mut line)?;
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        let answer = if target.ends_with("/message") {
            &bodies.dispatched
        } else if let Some(page) = target
            .strip_prefix(&format!("/website/{WEBSITE}/conversations/"))
            .and_then(|p| p.split('?').next()?.parse::<usize>().ok())
        {
            bodies
                .pages
                .get(page.wrapping_sub(1))
                .unwrap_or(&bodies.empty)
        } else {
            &bodies.conversation
        };
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\n\
             content-length: {}\r\n\r\n",
            answer.len()
        );
        writer.write_all(head.as_bytes())?;
        writer.write_all(answer)?;
    }
}

// ---------------------------------------------------------------------------------------------
// The two clients

struct Fixture {
    runtime: Runtime,
    sdk: Client,
    http: reqwest::Client,
    base: String,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let base = serve();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let sdk = Client::builder()
            .credentials("bench", "bench")
            .base_url(&base)
            .build()
            .expect("client");
        let http = crisp_api::http_client_builder()
            .expect("reqwest builder")
            .build()
            .expect("reqwest client");
        Fixture {
            runtime,
            sdk,
            http,
            base,
        }
    })
}

/// Crisp's envelope, as a hand-written client would decode it.
#[derive(Deserialize)]
struct Envelope<T> {
    error: bool,
    #[allow(dead_code)]
    reason: String,
    data: T,
}

const AUTH: &str = "Basic YmVuY2g6YmVuY2g=";

async fn decode<T: serde::de::DeserializeOwned>(response: reqwest::Response) -> T {
    assert!(response.status().is_success());
    let body = response.bytes().await.expect("body");
    let envelope: Envelope<T> = serde_json::from_slice(&body).expect("decode");
    assert!(!envelope.error);
    envelope.data
}

async fn hand_get(f: &Fixture) -> types::Conversation {
    let response = f
        .http
        .get(format!(
            "{}/website/{WEBSITE}/conversation/{SESSION}",
            f.base
        ))
        .header(reqwest::header::AUTHORIZATION, AUTH)
        .header("x-crisp-tier", "plugin")
        .send()
        .await
        .expect("send");
    decode(response).await
}

async fn sdk_get(f: &Fixture) -> types::Conversation {
    f.sdk
        .get_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .call()
        .await
        .expect("call")
}

fn note() -> NewMessage {
    NewMessage::note(Sender::Operator, "Refund issued; see ticket 4812.")
}

async fn hand_post(f: &Fixture) -> types::MessageDispatched {
    let response = f
        .http
        .post(format!(
            "{}/website/{WEBSITE}/conversation/{SESSION}/message",
            f.base
        ))
        .header(reqwest::header::AUTHORIZATION, AUTH)
        .header("x-crisp-tier", "plugin")
        .json(&note())
        .send()
        .await
        .expect("send");
    decode(response).await
}

async fn sdk_post(f: &Fixture) -> types::MessageDispatched {
    f.sdk
        .send_message_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body(note())
        .call()
        .await
        .expect("call")
}

/// A hand-written page loop. `per_item` visits each item as a stream's consumer does (the
/// baseline of `.stream()`); without it, pages are counted whole (the baseline of `.pages()`).
async fn hand_loop(f: &Fixture, per_item: bool) -> usize {
    let mut count = 0;
    for page in 1u32.. {
        let response = f
            .http
            .get(format!("{}/website/{WEBSITE}/conversations/{page}", f.base))
            .header(reqwest::header::AUTHORIZATION, AUTH)
            .header("x-crisp-tier", "plugin")
            .send()
            .await
            .expect("send");
        let items: Vec<types::Conversation> = decode(response).await;
        if items.is_empty() {
            break;
        }
        if per_item {
            for item in items {
                std::hint::black_box(item);
                count += 1;
            }
        } else {
            count += items.len();
        }
    }
    assert_eq!(count, PAGES as usize * PER_PAGE);
    count
}

async fn sdk_stream(f: &Fixture) -> usize {
    let count = f
        .sdk
        .list_conversations()
        .website_id(WEBSITE)
        .stream()
        .try_fold(0, |n, item| async move {
            std::hint::black_box(item);
            Ok(n + 1)
        })
        .await
        .expect("stream");
    assert_eq!(count, PAGES as usize * PER_PAGE);
    count
}

async fn sdk_pages(f: &Fixture) -> usize {
    let count = f
        .sdk
        .list_conversations()
        .website_id(WEBSITE)
        .pages()
        .try_fold(0, |n, page| async move { Ok(n + page.len()) })
        .await
        .expect("pages");
    assert_eq!(count, PAGES as usize * PER_PAGE);
    count
}

fn decode_typed() -> usize {
    let page: Envelope<Vec<types::Conversation>> =
        serde_json::from_slice(&bodies().page_50).expect("typed");
    page.data.len()
}

fn decode_value() -> usize {
    let page: Envelope<Value> = serde_json::from_slice(&bodies().page_50).expect("value");
    page.data.as_array().map_or(0, Vec::len)
}

fn data_typed() -> usize {
    let data: std::collections::HashMap<String, types::DataValue> =
        serde_json::from_slice(&bodies().data).expect("typed");
    data.len()
}

fn data_value() -> usize {
    let data: serde_json::Map<String, Value> =
        serde_json::from_slice(&bodies().data).expect("value");
    data.len()
}

// ---------------------------------------------------------------------------------------------
// divan's table

#[divan::bench]
fn get_sdk(b: divan::Bencher) {
    let f = fixture();
    b.bench_local(|| f.runtime.block_on(sdk_get(f)));
}

#[divan::bench]
fn get_hand_written(b: divan::Bencher) {
    let f = fixture();
    b.bench_local(|| f.runtime.block_on(hand_get(f)));
}

#[divan::bench]
fn post_sdk(b: divan::Bencher) {
    let f = fixture();
    b.bench_local(|| f.runtime.block_on(sdk_post(f)));
}

#[divan::bench]
fn post_hand_written(b: divan::Bencher) {
    let f = fixture();
    b.bench_local(|| f.runtime.block_on(hand_post(f)));
}

#[divan::bench]
fn page_50_typed() -> usize {
    decode_typed()
}

#[divan::bench]
fn page_50_value() -> usize {
    decode_value()
}

#[divan::bench]
fn custom_data_typed() -> usize {
    data_typed()
}

#[divan::bench]
fn custom_data_value() -> usize {
    data_value()
}

#[divan::bench(sample_count = 20, sample_size = 1)]
fn stream_sdk(b: divan::Bencher) {
    let f = fixture();
    b.bench_local(|| f.runtime.block_on(sdk_stream(f)));
}

#[divan::bench(sample_count = 20, sample_size = 1)]
fn stream_hand_written_loop(b: divan::Bencher) {
    let f = fixture();
    b.bench_local(|| f.runtime.block_on(hand_loop(f, true)));
}

// ---------------------------------------------------------------------------------------------
// Interleaved ratios

/// CPU time of the calling thread.
fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map(Duration::from_nanos)
        .unwrap_or_default()
}

/// Median wall and CPU time per run of `run`, over `rounds` rounds of `per_round` runs,
/// alternating with `other` round by round.
/// The medians of each side, and the medians of the per-round ratios (each round measures
/// both sides back to back, so a ratio compares them under the same load: the figure to read on
/// a shared machine whose speed drifts between rounds).
struct Paired {
    sdk: (Duration, Duration),
    hand: (Duration, Duration),
    /// Hand-written wall time / SDK wall time, per round, median.
    throughput: f64,
    /// SDK CPU time / hand-written CPU time, per round, median.
    cpu: f64,
}

fn pair(rounds: usize, per_round: usize, mut sdk: impl FnMut(), mut hand: impl FnMut()) -> Paired {
    let mut samples: [Vec<(Duration, Duration)>; 2] = [Vec::new(), Vec::new()];
    let measure = |run: &mut dyn FnMut()| {
        let (wall, cpu) = (Instant::now(), thread_cpu());
        for _ in 0..per_round {
            run();
        }
        (
            wall.elapsed() / per_round as u32,
            (thread_cpu() - cpu) / per_round as u32,
        )
    };
    // Warm-up.
    measure(&mut sdk);
    measure(&mut hand);
    for round in 0..rounds {
        // Alternate which goes first.
        if round % 2 == 0 {
            samples[0].push(measure(&mut sdk));
            samples[1].push(measure(&mut hand));
        } else {
            samples[1].push(measure(&mut hand));
            samples[0].push(measure(&mut sdk));
        }
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    /// Wall and CPU time of one round.
    type Sample = (Duration, Duration);
    let ratios = |f: &dyn Fn(&Sample, &Sample) -> f64| {
        median(
            samples[0]
                .iter()
                .zip(&samples[1])
                .map(|(s, h)| f(s, h))
                .collect(),
        )
    };
    let throughput = ratios(&|s, h| h.0.as_secs_f64() / s.0.as_secs_f64());
    let cpu = ratios(&|s, h| s.1.as_secs_f64() / h.1.as_secs_f64());
    let [sdk, hand] = samples.map(|mut s| {
        let mut walls: Vec<Duration> = s.iter().map(|x| x.0).collect();
        s.sort_by_key(|x| x.1);
        walls.sort();
        (walls[walls.len() / 2], s[s.len() / 2].1)
    });
    Paired {
        sdk,
        hand,
        throughput,
        cpu,
    }
}

fn line(name: &str, p: Paired) {
    let ((sw, sc), (hw, hc)) = (p.sdk, p.hand);
    println!(
        "  {name:<28} SDK {:>9.1} µs wall {:>9.1} µs CPU | hand-written {:>9.1} µs wall {:>9.1} µs CPU \
         | throughput x{:.3}  CPU x{:.3} | paired: throughput x{:.3}  CPU x{:.3}",
        sw.as_secs_f64() * 1e6,
        sc.as_secs_f64() * 1e6,
        hw.as_secs_f64() * 1e6,
        hc.as_secs_f64() * 1e6,
        hw.as_secs_f64() / sw.as_secs_f64(),
        sc.as_secs_f64() / hc.as_secs_f64(),
        p.throughput,
        p.cpu,
    );
}

fn report() {
    let f = fixture();
    let get = f
        .sdk
        .get_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .call();
    let post = f
        .sdk
        .send_message_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body(note())
        .call();
    println!(
        "\nfuture sizes: get_conversation().call() {} bytes, \
         send_message_in_conversation().call() {} bytes",
        std::mem::size_of_val(&get),
        std::mem::size_of_val(&post)
    );
    drop((get, post));
    println!("interleaved medians (same run; throughput = hand-written time / SDK time):");
    let get = pair(
        40,
        200,
        || {
            f.runtime.block_on(sdk_get(f));
        },
        || {
            f.runtime.block_on(hand_get(f));
        },
    );
    line("get_conversation", get);
    let post = pair(
        40,
        200,
        || {
            f.runtime.block_on(sdk_post(f));
        },
        || {
            f.runtime.block_on(hand_post(f));
        },
    );
    line("send_message_in_conversation", post);
    let stream = pair(
        41,
        1,
        || {
            f.runtime.block_on(sdk_stream(f));
        },
        || {
            f.runtime.block_on(hand_loop(f, true));
        },
    );
    line("stream, 50 pages of items", stream);
    let pages = pair(
        41,
        1,
        || {
            f.runtime.block_on(sdk_pages(f));
        },
        || {
            f.runtime.block_on(hand_loop(f, false));
        },
    );
    line("pages, 50 pages", pages);
    let Paired {
        sdk: (tw, _),
        hand: (vw, _),
        ..
    } = pair(
        30,
        20,
        || {
            decode_typed();
        },
        || {
            decode_value();
        },
    );
    println!(
        "  {:<28} typed {:>9.1} µs | serde_json::Value {:>9.1} µs | typed/Value x{:.3}",
        "decode 50 conversations",
        tw.as_secs_f64() * 1e6,
        vw.as_secs_f64() * 1e6,
        tw.as_secs_f64() / vw.as_secs_f64()
    );
    let Paired {
        sdk: (tw, _),
        hand: (vw, _),
        ..
    } = pair(
        30,
        2000,
        || {
            data_typed();
        },
        || {
            data_value();
        },
    );
    println!(
        "  {:<28} typed {:>9.2} µs | serde_json::Value {:>9.2} µs | typed/Value x{:.3}",
        "decode custom data (26 keys)",
        tw.as_secs_f64() * 1e6,
        vw.as_secs_f64() * 1e6,
        tw.as_secs_f64() / vw.as_secs_f64()
    );
    println!(
        "  connections accepted by the server: {}",
        CONNECTIONS.load(std::sync::atomic::Ordering::Relaxed)
    );
}
