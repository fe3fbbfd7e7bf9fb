//! Every operation's command against `--sandbox`, by its operation id (a hidden alias).

use super::*;

/// A sample value for a parameter of the spec.
fn sample(root: &Value, param: &Value) -> String {
    let mut schema = &param["schema"];
    if let Some(r) = schema["$ref"].as_str() {
        schema = root.pointer(&r[1..]).unwrap();
    }
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return first
            .as_str()
            .map_or_else(|| first.to_string(), str::to_owned);
    }
    match (param["name"].as_str(), schema["type"].as_str()) {
        (Some("website_id"), _) => WEBSITE.to_owned(),
        (Some("session_id"), _) => SESSION.to_owned(),
        (_, Some("integer")) => schema["minimum"].as_i64().unwrap_or(1).to_string(),
        (_, Some("number")) => "1.5".to_owned(),
        _ => format!("sample-{}", param["name"].as_str().unwrap()),
    }
}

/// Every operation's subcommand runs against the sandbox and prints valid JSON, with its
/// required parameters filled with sample values and, when it takes a body, the body
/// `crisp example-body` prints.
#[test]
fn every_operation_runs_against_the_sandbox() {
    let root: Value = serde_json::from_str(include_str!("../../../openapi/crisp-v1.json")).unwrap();
    let operations = crisp_api::operations::ALL;
    assert!(operations.len() >= 270, "{}", operations.len());
    let check = |op: &crisp_api::operations::Operation| -> Result<(), String> {
        let item = &root["paths"][op.path];
        let entry = &item[op.method.to_ascii_lowercase()];
        // The operation id, a hidden alias of the command.
        let mut args = vec![op.id.replace('_', "-"), "--sandbox".to_owned()];
        let params = item["parameters"]
            .as_array()
            .into_iter()
            .chain(entry["parameters"].as_array())
            .flatten();
        for p in params {
            let name = p["name"].as_str().unwrap();
            if p["required"] == true && name != "page_number" {
                args.push(format!("--{}", name.replace('_', "-")));
                args.push(sample(&root, p));
            }
        }
        let mut stdin = String::new();
        if entry.get("requestBody").is_some() {
            let out = run(crisp(), &["example-body", op.id], "");
            if !out.status.success() {
                return Err(format!("example-body {}: {}", op.id, stderr(&out)));
            }
            // The skeleton's placeholders (`"<name>"`) filled, as a person would.
            stdin = fill_placeholders(&stdout(&out));
            args.extend(["--body".to_owned(), "-".to_owned()]);
        }
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(crisp(), &argv, &stdin);
        if !out.status.success() {
            return Err(format!("crisp {}: {}", args.join(" "), stderr(&out)));
        }
        serde_json::from_slice::<Value>(&out.stdout)
            .map_err(|e| format!("crisp {}: not JSON ({e}): {}", args.join(" "), stdout(&out)))?;
        if op.paginated {
            let mut all = args.clone();
            all.push("--all".to_owned());
            let argv: Vec<&str> = all.iter().map(String::as_str).collect();
            let out = run(crisp(), &argv, &stdin);
            if !out.status.success() {
                return Err(format!("crisp {}: {}", all.join(" "), stderr(&out)));
            }
            for line in stdout(&out).lines() {
                serde_json::from_str::<Value>(line)
                    .map_err(|e| format!("crisp {}: line not JSON ({e}): {line}", all.join(" ")))?;
            }
        }
        Ok(())
    };
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().max(2));
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    operations
                        .iter()
                        .skip(t)
                        .step_by(threads)
                        .filter_map(|op| check(op).err())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} operations failed:\n{}",
        failures.len(),
        operations.len(),
        failures.join("\n")
    );
}

/// Replaces each `"<name>"` placeholder of a skeleton body with `"sample"`.
fn fill_placeholders(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some(start) = rest.find("\"<") {
        let Some(len) = rest[start + 2..].find(">\"") else {
            break;
        };
        out.push_str(&rest[..start]);
        out.push_str("\"sample\"");
        rest = &rest[start + 2 + len + 2..];
    }
    out.push_str(rest);
    out
}
