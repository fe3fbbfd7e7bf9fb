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

mod clients;
mod fixture;
mod report;

use clients::{
    Case, data_typed, data_value, decode_typed, decode_value, fixture, hand_get, hand_loop,
    hand_post, sdk_get, sdk_post, sdk_stream,
};

fn main() {
    if let Ok(run) = std::env::var("OVERHEAD_RUN") {
        return run_only(&run);
    }
    divan::main();
    report::report();
}

/// `OVERHEAD_RUN=<case>:<count>` runs one side of one pair `count` times and nothing else, for
/// counting instructions, which a shared machine's load does not change: under
/// `valgrind --tool=callgrind --separate-threads=yes`, the main thread's total for two counts,
/// differenced, gives the client's instructions per call (cases: `get_sdk`, `get_hand`,
/// `post_sdk`, `post_hand`, `stream_sdk`, `stream_hand`, `pages_sdk`, `pages_hand`).
fn run_only(run: &str) {
    let (name, count) = run.split_once(':').unwrap_or((run, "1"));
    let count: usize = count.parse().expect("OVERHEAD_RUN=<case>:<count>");
    let (case, side) = name
        .rsplit_once('_')
        .and_then(|(case, side)| Some((Case::named(case)?, side)))
        .unwrap_or_else(|| panic!("unknown case `{name}`"));
    let f = fixture();
    for _ in 0..count {
        match side {
            "sdk" => case.sdk(f),
            "hand" => case.hand(f),
            other => panic!("unknown side `{other}` (sdk or hand)"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// divan's table (each output is returned, so that divan drops it outside the timing)

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
