//! Property test: mutated responses through every operation's real decoding path.

use crate::cross::Rng;
use serde_json::{Value, json};

/// Picks a random value inside `v` (possibly `v` itself) and applies `f` to its slot.
fn mutate_somewhere(v: &mut Value, rng: &mut Rng, f: &mut dyn FnMut(&mut Value, &mut Rng)) {
    let children = match v {
        Value::Object(m) => m.len(),
        Value::Array(a) => a.len(),
        _ => 0,
    };
    if children == 0 || rng.below(4) == 0 {
        return f(v, rng);
    }
    let i = rng.below(children);
    match v {
        Value::Object(m) => {
            if let Some((_, child)) = m.iter_mut().nth(i) {
                mutate_somewhere(child, rng, f);
            }
        }
        Value::Array(a) => mutate_somewhere(&mut a[i], rng, f),
        _ => {}
    }
}

fn wrong_type(v: &Value, rng: &mut Rng) -> Value {
    let choices = [
        json!(null),
        json!("text"),
        json!(-1),
        json!(1.5e300),
        json!(true),
        json!([]),
        json!({"unexpected": [1, {"x": null}]}),
        json!(u64::MAX),
    ];
    let mut pick = choices[rng.below(choices.len())].clone();
    if pick == *v {
        pick = json!("\u{0000}\u{FFFF}");
    }
    pick
}

/// One mutated response body and status for an example envelope.
fn mutation(example: &Value, rng: &mut Rng) -> (u16, Vec<u8>) {
    let mut body = example.clone();
    let kind = rng.below(9);
    match kind {
        0 => mutate_somewhere(&mut body, rng, &mut |slot, rng| {
            if let Value::Object(m) = slot
                && !m.is_empty()
            {
                let key = m.keys().nth(rng.below(m.len())).cloned().unwrap();
                m.remove(&key);
            }
        }),
        1 | 2 => mutate_somewhere(&mut body, rng, &mut |slot, rng| {
            *slot = wrong_type(slot, rng);
        }),
        3 => body["data"] = json!(null),
        4 => body["error"] = json!(true),
        _ => {}
    }
    let mut bytes = serde_json::to_vec(&body).unwrap();
    match kind {
        5 => {
            let cut = rng.below(bytes.len());
            bytes.truncate(cut);
        }
        6 => bytes = b"<html><body>502 Bad Gateway</body></html>".to_vec(),
        _ => {}
    }
    let status = match kind {
        7 | 8 => 100 + rng.below(500) as u16,
        _ => [200, 200, 206, 201, 204][rng.below(5)],
    };
    (status, bytes)
}

/// Feeds `cases` mutated responses per operation to its decoding path; returns the count.
async fn mutated_responses_never_panic_and_keep_the_status(cases: usize, seed: u64) -> usize {
    let mut rng = Rng(seed);
    let mut total = 0;
    for op in crisp_api::operations::ALL {
        let head = op.method == "HEAD";
        let example = crisp_api::sandbox::example(op.id).unwrap_or(Value::Null);
        for case in 0..cases {
            let (status, body) = if head {
                (100 + rng.below(500) as u16, Vec::new())
            } else {
                mutation(&example, &mut rng)
            };
            let response = http::Response::builder()
                .status(status)
                .header("content-type", "application/json")
                .body(body.clone())
                .unwrap();
            let outcome = crisp_api::sandbox::replay(op.id, response)
                .await
                .expect("every operation can be replayed");
            let context = || {
                format!(
                    "{} case {case}: status {status}, body {}",
                    op.id,
                    String::from_utf8_lossy(&body)
                )
            };
            match outcome {
                Ok(()) if head => assert!(
                    (200..300).contains(&status) || status == 404,
                    "{}",
                    context()
                ),
                Ok(()) => {
                    assert!((200..300).contains(&status), "{}", context());
                    let parsed: Value = serde_json::from_slice(&body).expect("decoded JSON");
                    assert_eq!(parsed["error"], json!(false), "{}", context());
                }
                Err(e) => assert_eq!(
                    e.status().map(|s| s.as_u16()),
                    Some(status),
                    "{e:?} for {}",
                    context()
                ),
            }
            total += 1;
        }
    }
    total
}

#[tokio::test]
async fn every_operation_survives_mutated_responses() {
    let total = mutated_responses_never_panic_and_keep_the_status(25, 0x5eed_c415_u64).await;
    assert!(total >= 25 * crisp_api::operations::ALL.len());
}

/// The long run (≥ 100,000 cases): `cargo test --test contract -- --ignored mutated`.
#[tokio::test]
#[ignore = "long: run by hand"]
async fn every_operation_survives_100k_mutated_responses() {
    let per_op = 100_000usize.div_ceil(crisp_api::operations::ALL.len());
    let total = mutated_responses_never_panic_and_keep_the_status(per_op, 0x0dec_0de5_u64).await;
    println!("{total} mutated responses decoded without a panic, each error keeping its status");
    assert!(total >= 100_000);
}
