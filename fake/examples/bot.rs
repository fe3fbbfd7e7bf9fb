//! A support bot tested end to end against the stateful fake, as a user would test theirs: a
//! visitor writes; the bot's web hook receiver (verified with `crisp_api::webhook`) gets the
//! signed `message:send` and replies through the API; the reply is then in the conversation,
//! and `message:received` reached a real-time (RTM) client.
//!
//! The bot is the same code as `examples/webhook.rs` runs against the sandbox or the real API
//! (`examples/support/hook_bot.rs`); only where it runs changes.
//!
//! ```text
//! cargo run -p crisp-fake --example bot
//! ```

#[path = "../../examples/support/hook_bot.rs"]
mod hook_bot;

use crisp_api::Event;
use crisp_api::rtm::Item;
use crisp_api::webhook::Verifier;
use crisp_fake::{Fake, Hook};
use futures::StreamExt;
use hook_bot::{BoxError, reply_with_notes, serve};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::mpsc;

const WEBSITE: &str = "8c842203-7ed8-4e29-a608-7cf78a7d2fcc";
const SECRET: &str = "bot-signing-secret";

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let fake = Fake::start().await?;
    let client = fake.client();
    println!("The fake Crisp API is at {}.", fake.base_url());

    // The bot: a web hook receiver and a worker replying through the API.
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/crisp/hook", listener.local_addr()?);
    let (deliveries, inbox) = mpsc::channel(64);
    let (replies, mut sent) = mpsc::channel(64);
    tokio::spawn(serve(listener, Arc::new(Verifier::new(SECRET)), deliveries));
    tokio::spawn(reply_with_notes(client.clone(), inbox, replies));
    fake.add_hook(Hook {
        url,
        secret: Some(SECRET.into()),
        events: vec!["message:send".into()],
        website_id: None,
    });

    // Someone watching the conversations in real time.
    let mut rtm = client.rtm().events(["message:received"]).connect().await?;

    // A visitor writes.
    let visitor = fake.visitor(WEBSITE);
    let session = visitor.start_conversation();
    visitor.say(&session, "Hello, where is my order?")?;
    println!("A visitor wrote in {session}.");

    // The bot answered through the API …
    let fingerprint = tokio::time::timeout(Duration::from_secs(10), sent.recv())
        .await?
        .ok_or("the bot stopped")?;
    fake.settle().await;
    let messages = client
        .list_messages_in_conversation()
        .website_id(WEBSITE)
        .session_id(&session)
        .call()
        .await?;
    let reply = messages
        .iter()
        .find(|m| m.fingerprint == Some(fingerprint))
        .ok_or("the bot's reply is not in the conversation")?;
    assert_eq!(reply.from.as_deref(), Some("operator"));
    println!(
        "The bot's reply is in the conversation: {:?}",
        reply.content
    );

    // … and the RTM client saw it as `message:received`.
    let event = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(item) = rtm.next().await {
            if let Ok(Item::Event(event)) = item {
                return Some(event);
            }
        }
        None
    })
    .await?
    .ok_or("the RTM stream ended")?;
    let Event::MessageReceived(received) = event else {
        return Err(format!("expected message:received, got {}", event.name()).into());
    };
    assert_eq!(received.fingerprint, Some(fingerprint));
    println!("The RTM client received message:received for it.");

    let delivered = fake.deliveries();
    assert!(delivered.iter().all(|a| a.delivered), "{delivered:?}");
    println!("Web hook deliveries: {}, all accepted.", delivered.len());
    Ok(())
}
