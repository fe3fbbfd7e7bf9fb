//! Credentials and settings: no silent sandbox, `CRISP_WEBSITE_ID`, profiles of the config
//! file, `crisp auth login` and `crisp auth status`; the key never printed.

use super::*;

const AUTH: &str = "Basic N2MzZWYyMWMtMWUwNC00MWNlLThjMDYtNTYwNWMzNDZmNzNlOnNlY3JldC1rZXk=";

#[test]
fn without_credentials_nothing_runs_unless_sandbox_is_asked() {
    let args = [
        "conversation",
        "get",
        "--website-id",
        WEBSITE,
        "--session-id",
        SESSION,
    ];
    let out = run(crisp(), &args, "");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(stdout(&out), "", "no made-up data");
    let err = stderr(&out);
    for needed in [
        "CRISP_IDENTIFIER",
        "CRISP_KEY",
        "crisp auth login",
        "profile `default`",
        "--sandbox",
    ] {
        assert!(err.contains(needed), "{needed}: {err}");
    }
    // A profile named but missing is an error too, naming it.
    let mut named = crisp();
    named.env("CRISP_PROFILE", "work");
    let out = run(named, &args, "");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no profile `work`"),
        "{}",
        stderr(&out)
    );
    // Asked for, the sandbox answers.
    let out = run(crisp(), &[&args[..], &["--sandbox"]].concat(), "");
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice::<Value>(&out.stdout).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_website_comes_from_crisp_website_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/website/{WEBSITE}")))
        .respond_with(ok(json!({"website_id": WEBSITE, "name": "Acme"})))
        .expect(1)
        .mount(&server)
        .await;
    let mut cmd = crisp_at(&server);
    cmd.env("CRISP_WEBSITE_ID", WEBSITE);
    let out = run_async(cmd, &["website", "get"], "").await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Acme"));
    // Neither the flag nor a default: refused before sending, saying where it may come from.
    let out = run_async(crisp_at(&server), &["website", "get"], "").await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("CRISP_WEBSITE_ID"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auth_login_saves_an_owner_only_profile_that_commands_use() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/plugin/connect/account"))
        .and(header("authorization", AUTH))
        .respond_with(ok(json!({"plugin_id": "p1"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/plugin/connect/account"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"error": true, "reason": "invalid_session", "data": {}})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/website/{WEBSITE}")))
        .and(header("authorization", AUTH))
        .respond_with(ok(json!({"website_id": WEBSITE, "name": "Acme"})))
        .expect(1)
        .mount(&server)
        .await;
    let dir = scratch_dir("login");
    let config = dir.join("crisp").join("config.toml");
    let with_config = || {
        let mut cmd = crisp();
        cmd.env("CRISP_CONFIG", &config);
        cmd
    };
    let uri = server.uri();
    // A wrong key: refused with a hint, nothing saved.
    let login = [
        "auth",
        "login",
        "--api-url",
        uri.as_str(),
        "--profile",
        "work",
    ];
    let out = run_async(with_config(), &login, &format!("{IDENTIFIER}\nwrong-key\n")).await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("crisp auth status"),
        "{}",
        stderr(&out)
    );
    assert!(!config.exists());
    // The right one: checked, saved owner-only.
    let stdin = format!("{IDENTIFIER}\n{KEY}\n");
    let out = run_async(with_config(), &login, &stdin).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("profile `work`"), "{}", stdout(&out));
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(
        text.contains("[profiles.work]") && text.contains(IDENTIFIER),
        "{text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&config).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    // Status: where each setting comes from, the token checked, the key never shown.
    let mut status = with_config();
    status.env("CRISP_PROFILE", "work");
    let out = run_async(status, &["auth", "status"], "").await;
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(IDENTIFIER) && text.contains("from profile `work`"),
        "{text}"
    );
    assert!(
        text.contains("key:") && text.contains("works with"),
        "{text}"
    );
    assert!(!text.contains(KEY), "{text}");
    // A command uses the profile (the mock checks the authorization header).
    let mut cmd = with_config();
    cmd.env("CRISP_PROFILE", "work");
    let out = run_async(cmd, &["website", "get", "--website-id", WEBSITE], "").await;
    assert!(out.status.success(), "{}", stderr(&out));
    // The key shows nowhere: not in outputs, not in help.
    let mut help = crisp_at(&server);
    help.env("CRISP_CONFIG", &config);
    let out = run_async(help, &["conversation", "list", "--help"], "").await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stdout(&out).contains(KEY) && !stderr(&out).contains(KEY));
    let _ = std::fs::remove_dir_all(dir);
}
