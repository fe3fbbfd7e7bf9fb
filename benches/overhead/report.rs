//! After divan's table: each pair measured interleaved (A, B, A, B, …, to share the machine's
//! load fairly), printed as ratios of wall and CPU time.

use crate::clients::{
    Case, Fixture, data_typed, data_value, decode_typed, decode_value, fixture, note,
};
use crate::fixture::{CONNECTIONS, SESSION, WEBSITE};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

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

/// Measures `case` interleaved and prints its line.
fn calls(f: &Fixture, name: &str, case: Case, rounds: usize, per_round: usize) {
    let paired = pair(rounds, per_round, || case.sdk(f), || case.hand(f));
    line(name, paired);
}

/// Measures typed decoding against `serde_json::Value` and prints the line, with `decimals`
/// digits after the point.
fn decoding(
    name: &str,
    per_round: usize,
    decimals: usize,
    typed: fn() -> usize,
    value: fn() -> usize,
) {
    let Paired {
        sdk: (tw, _),
        hand: (vw, _),
        ..
    } = pair(
        30,
        per_round,
        || {
            typed();
        },
        || {
            value();
        },
    );
    println!(
        "  {name:<28} typed {:>9.decimals$} µs | serde_json::Value {:>9.decimals$} µs | typed/Value x{:.3}",
        tw.as_secs_f64() * 1e6,
        vw.as_secs_f64() * 1e6,
        tw.as_secs_f64() / vw.as_secs_f64()
    );
}

pub fn report() {
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
    calls(f, "get_conversation", Case::Get, 40, 200);
    calls(f, "send_message_in_conversation", Case::Post, 40, 200);
    calls(f, "stream, 50 pages of items", Case::Stream, 41, 1);
    calls(f, "pages, 50 pages", Case::Pages, 41, 1);
    decoding("decode 50 conversations", 20, 1, decode_typed, decode_value);
    decoding(
        "decode custom data (26 keys)",
        2000,
        2,
        data_typed,
        data_value,
    );
    println!(
        "  connections accepted by the server: {}",
        CONNECTIONS.load(Ordering::Relaxed)
    );
}
