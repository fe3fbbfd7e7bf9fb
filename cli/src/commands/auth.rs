//! `crisp auth login` (ask for the token, check it with one call, save it as a profile) and
//! `crisp auth status` (which settings are in force, from where, and whether the token works).
//! The key is read without echo and never printed.

use crate::cli::connection_args;
use crate::failure::{self, Context, Failure};
use crate::settings::{self, Settings, Source};
use clap::{Arg, ArgMatches, Command};
use crisp_api::{Client, Method};
use std::io::{BufRead, IsTerminal, Write};

/// The command.
pub fn command() -> Command {
    let website = || {
        Arg::new("website-id")
            .long("website-id")
            .value_name("WEBSITE_ID")
            .help("Default website of the profile (needed to check a website-tier token)")
    };
    Command::new("auth")
        .about("Save a token in a profile (`auth login`) and check it (`auth status`)")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new("login")
                .about("Ask for a token identifier and key, check them, save them as a profile")
                .long_about(
                    "Ask for a token identifier and key (the key is not echoed), check them with \
                     one API call, and save them as a profile of the config file, written \
                     owner-only. When stdin is not a terminal, the identifier and the key are \
                     read from its first two lines.",
                )
                .args(
                    connection_args()
                        .into_iter()
                        .filter(|a| a.get_id() != "key" && a.get_id() != "sandbox"),
                )
                .arg(website()),
        )
        .subcommand(
            Command::new("status")
                .about("Show the settings in force, where each comes from, and check the token")
                .args(
                    connection_args()
                        .into_iter()
                        .filter(|a| a.get_id() != "sandbox"),
                )
                .arg(website()),
        )
}

/// Runs `login` or `status`.
pub fn run(m: &ArgMatches) -> Result<(), Failure> {
    match m.subcommand() {
        Some(("login", m)) => login(m),
        Some(("status", m)) => status(m),
        _ => Err(Failure::Usage(
            "`crisp auth login` or `crisp auth status`".to_owned(),
        )),
    }
}

/// The call that checks a token: the plugin's connect account, the website, or the user.
async fn check(client: &Client, website_id: Option<&str>) -> Result<(), crisp_api::Error> {
    let segments: Vec<String> = match (client.tier().as_str(), website_id) {
        ("website", Some(website)) => vec!["website".into(), website.into()],
        ("user", _) => vec!["user".into(), "account".into()],
        _ => vec!["plugin".into(), "connect".into(), "account".into()],
    };
    client
        .raw(Method::GET, segments)
        .response::<serde_json::Value>()
        .await
        .map(|_| ())
}

fn prompt(
    question: &str,
    lines: &mut impl Iterator<Item = std::io::Result<String>>,
    secret: bool,
) -> Result<String, Failure> {
    let read_failed = |e: std::io::Error| Failure::Usage(format!("cannot read {question}: {e}"));
    let answer = if std::io::stdin().is_terminal() {
        if secret {
            rpassword::prompt_password(format!("{question} (not shown): ")).map_err(read_failed)?
        } else {
            eprint!("{question}: ");
            let _ = std::io::stderr().flush();
            lines
                .next()
                .transpose()
                .map_err(read_failed)?
                .unwrap_or_default()
        }
    } else {
        lines
            .next()
            .transpose()
            .map_err(read_failed)?
            .unwrap_or_default()
    };
    let answer = answer.trim().to_owned();
    if answer.is_empty() {
        return Err(Failure::Usage(format!("no {question} given")));
    }
    Ok(answer)
}

fn login(m: &ArgMatches) -> Result<(), Failure> {
    let settings = Settings::resolve_for_login(m)?;
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let identifier = match m.get_one::<String>("identifier") {
        Some(identifier) => identifier.clone(),
        None => prompt("token identifier", &mut lines, false)?,
    };
    let key = prompt("token key", &mut lines, true)?;
    let tier = m
        .get_one::<String>("tier")
        .cloned()
        .unwrap_or_else(|| "plugin".to_owned());
    let website_id = m.get_one::<String>("website-id").cloned();
    if tier == "website" && website_id.is_none() {
        return Err(Failure::Usage(
            "--website-id is needed to check a website-tier token (and becomes the profile's default website)".to_owned(),
        ));
    }
    let api_url = settings.value("api_url").map(str::to_owned);
    let mut builder = Client::builder().credentials(identifier.clone(), key.clone());
    builder = builder.tier(tier.parse().map_err(|e: String| Failure::Usage(e))?);
    if let Some(url) = &api_url {
        builder = builder.base_url(url.clone());
    }
    let client = builder.build()?;
    let context = Context {
        host: settings::host_of(client.base_url()),
        tier: tier.clone(),
    };
    crate::commands::runtime()?
        .block_on(check(&client, website_id.as_deref()))
        .map_err(|e| failure::explain(e, &context))?;
    let path = settings.path.clone().ok_or_else(|| {
        Failure::Usage("no config directory: set CRISP_CONFIG to a file path".to_owned())
    })?;
    let mut values = vec![
        ("identifier", identifier.clone()),
        ("key", key),
        ("tier", tier.clone()),
    ];
    if let Some(url) = api_url {
        values.push(("api_url", url));
    }
    if let Some(website) = website_id {
        values.push(("website_id", website));
    }
    settings::save_profile(&path, &settings.profile, &values)?;
    println!(
        "Token {identifier} ({tier} tier) works with {}; saved as profile `{}` in {}",
        context.host,
        settings.profile,
        path.display()
    );
    Ok(())
}

fn status(m: &ArgMatches) -> Result<(), Failure> {
    let settings = Settings::resolve(m)?;
    let file = settings
        .path
        .as_deref()
        .map_or("(no config directory)".into(), |p| p.display().to_string());
    println!("config file: {file}");
    let found = if settings.profile_found {
        ""
    } else {
        " (not in the file)"
    };
    println!("profile:     {}{found}", settings.profile);
    for (key, _, _) in settings::FIELDS {
        let shown = match settings.get(key) {
            // The key is never printed, only where it comes from.
            Some(setting) if *key == "key" => format!("set, from {}", setting.source),
            Some(setting) => format!("{} (from {})", setting.value, setting.source),
            None if *key == "tier" => "plugin (default)".to_owned(),
            None => "not set".to_owned(),
        };
        println!("{:<12} {shown}", format!("{key}:"));
    }
    let connection = crate::commands::runtime()?;
    connection.block_on(async {
        let connection = settings.connect().await?;
        let context = Context {
            host: connection.host.clone(),
            tier: connection.client.tier().as_str().to_owned(),
        };
        check(&connection.client, settings.value("website_id"))
            .await
            .map_err(|e| failure::explain(e, &context))?;
        println!("token:       works with {}", connection.host);
        Ok::<_, Failure>(())
    })?;
    if matches!(
        settings.get("key").map(|s| &s.source),
        Some(Source::Flag(_))
    ) {
        eprintln!(
            "crisp: warning: a key given with --key may show in the shell's history and the process list"
        );
    }
    Ok(())
}
