//! The cost of reading lone surrogate escapes (`crisp_api::json`) on the common path, where a
//! body holds none: decoding a page of 50 conversations through the generated types, and
//! parsing a web hook delivery, each against what the SDK did before (serde_json straight on
//! the bytes), in the same run.
//!
//! ```text
//! cargo bench --bench surrogates --no-default-features --features conversations
//! ```
//!
//! (One family is enough, and keeps the release build short.) After divan's table it measures
//! each pair interleaved (A, B, A, B, …, so that both sides share the machine's load) and
//! prints the median of the per-round ratios, the steadier figure on a shared machine.
//! `SURROGATES_RUN=<case>:<count>` runs one case alone, to count instructions with
//! `valgrind --tool=callgrind` (cases: `page_before`, `page_now`, `hook_before`, `hook_now`).

use crisp_api::Event;
use crisp_api::types::{Conversation, Envelope};
use serde_json::{Value, json};
use std::hint::black_box;
use std::sync::OnceLock;
use std::time::Instant;

type Page = Envelope<Vec<Conversation>>;

fn main() {
    if let Ok(run) = std::env::var("SURROGATES_RUN") {
        let (case, count) = run.split_once(':').unwrap_or((&run, "1"));
        let count: usize = count.parse().expect("SURROGATES_RUN=<case>:<count>");
        let f = case_fn(case);
        for _ in 0..count {
            f();
        }
        return;
    }
    divan::main();
    report();
}

/// The two bodies: a page of 50 conversations (about 50 kB) and a `message:send` delivery.
struct Bodies {
    page: Vec<u8>,
    page_cut: Vec<u8>,
    hook: Vec<u8>,
}

fn bodies() -> &'static Bodies {
    static BODIES: OnceLock<Bodies> = OnceLock::new();
    BODIES.get_or_init(|| {
        let example = crisp_api::sandbox::example("list_conversations").expect("example");
        let one = example["data"][0].clone();
        let data: Vec<Value> = (0..50)
            .map(|i| {
                let mut c = one.clone();
                c["session_id"] = json!(format!("session_{i:04}"));
                c
            })
            .collect();
        let page = json!({"error": false, "reason": "listed", "data": data}).to_string();
        // The same page with one preview cut in an emoji (the rare path, for reference).
        let mut cut = json!({"error": false, "reason": "listed", "data": data});
        cut["data"][25]["last_message"] = json!("CUT");
        let page_cut = cut.to_string().replace("\"CUT\"", r#""Hello \ud83d""#);
        let message = crisp_api::sandbox::example("get_message_in_conversation").expect("example");
        let hook = json!({"website_id": "8c842203-7ed8-4e29-a608-7cf78a7d2fcc",
                          "event": "message:send", "data": message["data"],
                          "timestamp": 1_716_300_120_000_i64})
        .to_string();
        Bodies {
            page: page.into_bytes(),
            page_cut: page_cut.into_bytes(),
            hook: hook.into_bytes(),
        }
    })
}

/// Before: serde_json on the bytes.
fn page_before() -> usize {
    let page: Page = serde_json::from_slice(&bodies().page).expect("page");
    page.data.len()
}

/// Now: the scan for surrogate escapes, then serde_json on the same bytes (none found).
fn page_now() -> usize {
    let page: Page = crisp_api::json::from_slice(&bodies().page).expect("page");
    page.data.len()
}

/// Before: the delivery as `webhook::parse` read it (a JSON value, then the typed event).
fn hook_before() -> usize {
    let mut value: Value = serde_json::from_slice(&bodies().hook).expect("hook");
    let data = value["data"].take();
    let event = Event::from_parts("message:send", data).expect("event");
    event.name().len()
}

/// Now: `webhook::parse`.
fn hook_now() -> usize {
    let delivery = crisp_api::webhook::parse(&bodies().hook).expect("hook");
    delivery.event.name().len()
}

fn case_fn(case: &str) -> fn() -> usize {
    match case {
        "page_before" => page_before,
        "page_now" => page_now,
        "hook_before" => hook_before,
        "hook_now" => hook_now,
        other => panic!("unknown case {other}"),
    }
}

#[divan::bench]
fn page_50_before() -> usize {
    page_before()
}

#[divan::bench]
fn page_50_now() -> usize {
    page_now()
}

#[divan::bench]
fn page_50_with_a_lone_surrogate_now() -> usize {
    let page: Page = crisp_api::json::from_slice(&bodies().page_cut).expect("page");
    page.data.len()
}

#[divan::bench]
fn web_hook_before() -> usize {
    hook_before()
}

#[divan::bench]
fn web_hook_now() -> usize {
    hook_now()
}

#[divan::bench]
fn scan_only_page_50() -> usize {
    crisp_api::json::repair(black_box(&bodies().page)).len()
}

/// The median of per-round ratios `now / before`, each round timing `batch` calls of each side
/// back to back.
fn paired(before: fn() -> usize, now: fn() -> usize, rounds: usize, batch: usize) -> f64 {
    let time = |f: fn() -> usize| {
        let start = Instant::now();
        for _ in 0..batch {
            black_box(f());
        }
        start.elapsed().as_secs_f64()
    };
    let mut ratios: Vec<f64> = (0..rounds)
        .map(|_| {
            let b = time(before);
            let n = time(now);
            n / b
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    ratios[ratios.len() / 2]
}

fn report() {
    println!("\npaired ratios, now / before (median of 41 interleaved rounds):");
    for (name, before, now, batch) in [
        (
            "page of 50 conversations",
            page_before as fn() -> usize,
            page_now as fn() -> usize,
            20,
        ),
        ("web hook delivery", hook_before, hook_now, 200),
    ] {
        // Warm up both sides first.
        paired(before, now, 3, batch);
        let ratio = paired(before, now, 41, batch);
        println!("  {name:<26} {ratio:.3}");
    }
}
