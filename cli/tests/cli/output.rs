//! `--output json|table|yaml` and `--jq`; JSON in a pipe by default.

use super::*;

async fn conversations() -> MockServer {
    let server = MockServer::start().await;
    let items = json!([
        {"session_id": "session_a", "state": "pending", "meta": {"nickname": "Valerie", "email": "v@acme-inc.com"}},
        {"session_id": "session_b", "state": "resolved", "meta": {"nickname": "Bo"}}
    ]);
    Mock::given(method("GET"))
        .and(path(format!("/website/{WEBSITE}/conversations/1")))
        .respond_with(ok(items))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/website/{WEBSITE}/conversations/2")))
        .respond_with(ok(json!([])))
        .mount(&server)
        .await;
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_by_default_tables_and_yaml_on_request() {
    let server = conversations().await;
    let list = ["conversation", "list", "--website-id", WEBSITE];
    // In a pipe: compact JSON.
    let out = run_async(crisp_at(&server), &list, "").await;
    assert!(out.status.success(), "{}", stderr(&out));
    let value: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(value[1]["session_id"], "session_b");
    assert_eq!(stdout(&out).lines().count(), 1);
    // A table with the resource's columns, one row per item.
    let out = run_async(
        crisp_at(&server),
        &[&list[..], &["--output", "table"]].concat(),
        "",
    )
    .await;
    assert!(out.status.success(), "{}", stderr(&out));
    let table = stdout(&out);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3, "{table}");
    assert!(
        lines[0].contains("SESSION_ID") && lines[0].contains("STATE"),
        "{table}"
    );
    assert!(
        lines[1].contains("session_a") && lines[1].contains("Valerie"),
        "{table}"
    );
    // --all in a table: one table for every page.
    let out = run_async(
        crisp_at(&server),
        &[&list[..], &["-o", "table", "--all"]].concat(),
        "",
    )
    .await;
    assert_eq!(stdout(&out).lines().count(), 3, "{}", stdout(&out));
    // YAML.
    let out = run_async(
        crisp_at(&server),
        &[&list[..], &["--output", "yaml"]].concat(),
        "",
    )
    .await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("- "),
        "a YAML list: {}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("  session_id: session_a"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("nickname: Valerie"),
        "{}",
        stdout(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jq_filters_the_output_without_a_jq_install() {
    let server = conversations().await;
    let list = ["conversation", "list", "--website-id", WEBSITE];
    let out = run_async(
        crisp_at(&server),
        &[&list[..], &["--jq", ".[] | .session_id"]].concat(),
        "",
    )
    .await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "\"session_a\"\n\"session_b\"\n");
    // Per item on --all, and with the standard library.
    let out = run_async(
        crisp_at(&server),
        &[
            &list[..],
            &[
                "--all",
                "--jq",
                "select(.state == \"resolved\") | .meta.nickname",
            ],
        ]
        .concat(),
        "",
    )
    .await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "\"Bo\"\n");
    // A filter that does not parse: a usage error before sending.
    let out = run(crisp(), &[&list[..], &["--jq", ".[ | oops"]].concat(), "");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--jq"), "{}", stderr(&out));
}
