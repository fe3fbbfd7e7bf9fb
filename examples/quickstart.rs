//! Lists conversations, sends a message and reads a people profile.
//!
//! With `CRISP_IDENTIFIER`, `CRISP_KEY` and `CRISP_WEBSITE_ID` set (and optionally `CRISP_TIER`,
//! default `plugin`), it talks to the real Crisp API and the message it sends is a private note
//! (visible to operators only). Without them it starts the local sandbox and says so.
//!
//! ```text
//! cargo run --example quickstart
//! ```

use crisp_api::Error;
use crisp_api::message::{NewMessage, Sender};
use crisp_api::sandbox::Playground;
use futures::{StreamExt, TryStreamExt};

#[tokio::main]
async fn main() -> Result<(), Error> {
    // The real API with credentials in the environment, else the sandbox (said on stderr);
    // `_sandbox` keeps it alive for the whole run.
    let Playground {
        client,
        website_id,
        sandbox: _sandbox,
        ..
    } = Playground::from_env("quickstart").await?;
    if website_id.is_empty() {
        eprintln!("Set CRISP_WEBSITE_ID to the website to read.");
        return Ok(());
    }

    // Walks the pages for us (two in flight), stopping after 20 conversations.
    let conversations: Vec<_> = client
        .list_conversations()
        .website_id(&website_id)
        .stream()
        .prefetch(2)
        .take(20)
        .try_collect()
        .await?;
    println!("{} most recent conversation(s):", conversations.len());
    for c in &conversations {
        let who = c
            .meta
            .as_ref()
            .and_then(|m| m.nickname.clone())
            .unwrap_or_else(|| "(anonymous)".into());
        let last = c.last_message.clone().unwrap_or_default();
        println!("  {} {:<20} {}", c.session_id, who, last);
    }

    let Some(first) = conversations.first() else {
        println!("No conversation to write to.");
        return Ok(());
    };

    let sent = client
        .send_message_in_conversation()
        .website_id(&website_id)
        .session_id(&first.session_id)
        .body(NewMessage::note(
            Sender::Operator,
            "Hello from the crisp-api Rust quickstart!",
        ))
        .call()
        .await?;
    println!(
        "\nSent a private note to {}: fingerprint {:?}",
        first.session_id, sent.fingerprint
    );

    let people_id = first
        .people_id
        .clone()
        .or_else(|| first.meta.as_ref().and_then(|m| m.email.clone()));
    match people_id {
        Some(people_id) => {
            match client
                .get_people_profile()
                .website_id(&website_id)
                .people_id(&people_id)
                .call()
                .await
            {
                Ok(profile) => {
                    println!("\nPeople profile {people_id}:");
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&profile).unwrap_or_default()
                    );
                }
                Err(e) if e.is_not_found() => println!("\nNo people profile for {people_id}."),
                Err(e) => return Err(e),
            }
        }
        None => println!("\nThe conversation has no people profile."),
    }
    Ok(())
}
