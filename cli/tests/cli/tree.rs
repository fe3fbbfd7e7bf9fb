//! The noun–verb tree: grouped top-level help, operation ids as hidden aliases, deprecated
//! operations hidden but callable, an example per command, help in the command line's words;
//! the help of the top level and of a few commands checked against golden files.

use super::*;

/// Compares `actual` with `tests/golden/NAME`; `UPDATE_GOLDEN=1` rewrites the file.
fn golden(name: &str, actual: &str) {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&file, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", file.display()));
    assert!(
        expected == actual,
        "{name} changed (review, then UPDATE_GOLDEN=1 cargo test -p crisp-cli):\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

fn help(args: &[&str]) -> String {
    let out = run(crisp(), args, "");
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

#[test]
fn help_matches_the_golden_files() {
    golden("top.txt", &help(&["-h"]));
    golden("top-help.txt", &help(&["--help"]));
    golden("conversation.txt", &help(&["conversation", "--help"]));
    golden(
        "conversation-list.txt",
        &help(&["conversation", "list", "-h"]),
    );
    golden("message-send.txt", &help(&["message", "send", "--help"]));
    golden("events.txt", &help(&["events", "--help"]));
}

#[test]
fn the_top_level_is_short_and_grouped_by_family() {
    let top = help(&["--help"]);
    assert!(top.lines().count() < 80, "{} lines", top.lines().count());
    for line in [
        "Conversations",
        "conversation",
        "message",
        "people",
        "auth",
        "listen",
    ] {
        assert!(top.contains(line), "{line}: {top}");
    }
    // No operation id, nothing deprecated.
    assert!(!top.contains("list-conversations"), "{top}");
    assert!(
        !top.contains("login-with-email") && !top.contains("\n  user "),
        "{top}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_by_noun_with_ids_and_plurals_as_aliases() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/website/{WEBSITE}/conversations/1")))
        .respond_with(ok(json!([{"session_id": SESSION}])))
        .expect(4)
        .mount(&server)
        .await;
    for args in [
        &["conversation", "list"][..],
        &["conversations", "list"],
        &["list-conversations"],
        &["conversation", "list-conversations"],
    ] {
        let out = run_async(
            crisp_at(&server),
            &[args, &["--website-id", WEBSITE]].concat(),
            "",
        )
        .await;
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    // The ids are not listed.
    let listing = help(&["conversation", "-h"]);
    assert!(
        listing
            .lines()
            .any(|l| l.split_whitespace().next() == Some("list"))
            && !listing.contains("list-conversations"),
        "{listing}"
    );
}

#[test]
fn deprecated_commands_are_hidden_but_callable_and_marked() {
    let listing = help(&["helpdesk", "-h"]);
    let verbs: Vec<&str> = listing
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(!verbs.contains(&"get-locale-article"), "{listing}");
    assert!(verbs.contains(&"get-locale"), "{listing}");
    let out = run(
        crisp(),
        &[
            "helpdesk",
            "get-locale-article",
            "--website-id",
            WEBSITE,
            "--locale",
            "en",
            "--article-id",
            "a1",
            "--sandbox",
        ],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("deprecated"), "{}", stderr(&out));
    // `login` is `auth login`, not the deprecated password login.
    let out = run(crisp(), &["login", "--help"], "");
    assert!(
        stdout(&out).contains("token identifier"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn help_has_an_example_and_speaks_cli() {
    let send = help(&["message", "send", "--help"]);
    assert!(
        send.contains("Example:\n  crisp message send \\\n    --website-id "),
        "{send}"
    );
    assert!(
        send.contains("crisp example-body message send > body.json"),
        "{send}"
    );
    // The spec's example body, when it has one.
    let subscribe = help(&["plan", "subscribe", "-h"]);
    assert!(subscribe.contains("--body '{\"plan_id\""), "{subscribe}");
    for noun in ["conversation", "people", "campaign", "helpdesk", "team"] {
        let listing = help(&[noun, "--help"]);
        assert!(
            !listing.contains("crisp_api") && !listing.contains(".exists()"),
            "{listing}"
        );
    }
    let list = help(&["conversation", "list", "--help"]);
    assert!(list.contains("`--search-type text`"), "{list}");
    assert!(
        !list.contains("search_type=") && !list.contains("crisp_api::"),
        "{list}"
    );
    let check = help(&["team", "check-exists", "--help"]);
    assert!(
        check.contains("Prints `true` or `false`") && !check.contains(".exists()"),
        "{check}"
    );
}
