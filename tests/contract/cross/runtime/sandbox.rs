//! The sandbox, and the check that every operation has a contract test.

use crate::cross::history;
use reqwest::Method;
use serde_json::Value;

#[tokio::test]
async fn the_sandbox_serves_examples_and_404s_unknown_routes() {
    let sandbox = crisp_api::sandbox::Sandbox::start().await;
    let client = sandbox.client();
    let website = client
        .get_website()
        .website_id("any-website")
        .call()
        .await
        .expect("example");
    let expected = crisp_api::sandbox::example("get_website").unwrap();
    assert_eq!(
        website.website_id.as_deref(),
        expected["data"]["website_id"].as_str()
    );
    assert!(website.website_id.is_some());
    let err = client
        .raw(Method::GET, ["no", "such", "route"])
        .call::<Value>()
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "404 not_found: the route does not exist");
    // Every operation of the spec is served.
    for op in crisp_api::operations::ALL {
        let path: Vec<String> = op
            .path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| {
                if s.starts_with('{') {
                    "1".to_owned()
                } else {
                    s.to_owned()
                }
            })
            .collect();
        let method = Method::from_bytes(op.method.as_bytes()).unwrap();
        if op.method == "HEAD" {
            assert!(
                client.raw(method, &path).exists().await.unwrap(),
                "{}",
                op.id
            );
        } else {
            let data: Value = client
                .raw(method, &path)
                .call()
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", op.id));
            let example = crisp_api::sandbox::example(op.id).unwrap();
            assert_eq!(
                data,
                example.get("data").cloned().unwrap_or(Value::Null),
                "{}",
                op.id
            );
        }
    }
}

#[tokio::test]
async fn sandbox_lists_have_one_page_so_streams_end() {
    use futures::TryStreamExt;
    let sandbox = crisp_api::sandbox::Sandbox::start().await;
    let client = sandbox.client();
    let website = "8c842203-7ed8-4e29-a608-7cf78a7d2fcc";
    let expected = crisp_api::sandbox::example("list_conversations").unwrap()["data"]
        .as_array()
        .unwrap()
        .len();
    let all: Vec<_> = client
        .list_conversations()
        .website_id(website)
        .stream()
        .prefetch(3)
        .try_collect()
        .await
        .expect("one page, then an empty one");
    assert_eq!(all.len(), expected);
    assert!(expected > 0);
    let history: Vec<_> = history(&client)
        .await
        .expect("the repeated batch ends the history");
    let batch = crisp_api::sandbox::example("list_messages_in_conversation").unwrap()["data"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(history.len(), batch);
}

#[test]
fn every_operation_has_a_contract_test() {
    // Every module of this test binary, folders included, so that a new family's file counts
    // without a list.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/contract");
    let sources = rust_sources(&dir)
        .concat()
        .split_whitespace()
        .collect::<String>();
    let missing: Vec<&str> = crisp_api::operations::ALL
        .iter()
        .map(|op| op.id)
        .filter(|id| {
            !sources.contains(&format!("expect(\"{id}\"")) || !sources.contains(&format!(".{id}()"))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "operations without a contract test: {missing:?}"
    );
}

/// The text of every `.rs` file below `dir`.
fn rust_sources(dir: &std::path::Path) -> Vec<String> {
    let mut sources = Vec::new();
    for entry in std::fs::read_dir(dir).expect("tests/contract") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources.extend(rust_sources(&path));
        } else if path.extension().is_some_and(|x| x == "rs") {
            sources.push(std::fs::read_to_string(&path).expect("test source"));
        }
    }
    sources
}
