//! A Marketplace plugin's start-up: who am I, which websites installed me, and how is each one
//! configured.
//!
//! With `CRISP_IDENTIFIER` and `CRISP_KEY` set to a plugin token (and optionally `CRISP_TIER`,
//! default `plugin`), it talks to the real Crisp API and only reads. Without them it starts the
//! local sandbox and says so on stderr.
//!
//! ```text
//! cargo run --example plugin
//! ```

use crisp_api::Error;
use crisp_api::sandbox::Playground;
use futures::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Error> {
    // The real API with credentials in the environment, else the sandbox (said on stderr);
    // `_sandbox` keeps it alive for the whole run.
    let Playground {
        client,
        sandbox: _sandbox,
        ..
    } = Playground::from_env("plugin-example").await?;

    // A cheap credentials check before anything else.
    if !client.check_connect_session_validity().exists().await? {
        eprintln!("The plugin token was not accepted.");
        return Ok(());
    }

    // The plugin this token belongs to: its id is needed by the subscription routes.
    let account = client.get_connect_account().call().await?;
    let Some(plugin_id) = account.plugin_id else {
        eprintln!("Crisp did not say which plugin this token belongs to.");
        return Ok(());
    };
    println!("Plugin {plugin_id}");

    // Every website that installed the plugin, page after page.
    let mut websites = client
        .list_all_connect_websites()
        .filter_configured(false)
        .include_plan(true)
        .stream();
    let mut count = 0usize;
    while let Some(website) = websites.try_next().await? {
        let Some(website_id) = website.website_id else {
            continue;
        };
        count += 1;
        let plan = website
            .plan
            .as_ref()
            .and_then(|p| p.name.clone())
            .unwrap_or_else(|| "(plan unknown)".into());
        println!(
            "\nWebsite {website_id} ({plan}, plugin price {:?})",
            website.price
        );

        match client
            .get_subscription_settings()
            .website_id(&website_id)
            .plugin_id(&plugin_id)
            .call()
            .await
        {
            Ok(settings) => {
                // `settings.token` is a secret: it is redacted from `Debug`, and not printed here.
                println!(
                    "  settings: {}",
                    serde_json::to_string(&settings.settings).unwrap_or_default()
                );
            }
            // The plugin was removed between the two calls.
            Err(e) if e.is_not_found() => println!("  no longer subscribed ({e})"),
            Err(e) => return Err(e),
        }
    }
    println!("\n{count} website(s) use the plugin.");
    Ok(())
}
