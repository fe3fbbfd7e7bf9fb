//! A web hook receiver that answers every visitor message (`message:send`) with a private note.
//!
//! By default it runs entirely on this machine: it starts the local sandbox (a stand-in for the
//! Crisp API), listens on a loopback port, has the sandbox deliver a signed `message:send` to
//! itself, and shows the note it sends back through the client.
//!
//! With `CRISP_HOOK_SECRET` (the plugin hook's signing secret) and `CRISP_IDENTIFIER` /
//! `CRISP_KEY` set, it is a real receiver: it listens on `CRISP_HOOK_ADDR` (default
//! `127.0.0.1:8080`), path `/crisp/hook`, and writes notes with the real API. Put it behind
//! HTTPS before giving its URL to Crisp.
//!
//! ```text
//! cargo run --example webhook
//! ```
//!
//! The receiver is a few lines of plain tokio so that it depends on no web framework: everything
//! it needs from the request is the raw body bytes and the headers, which any framework gives.

#[path = "support/hook_bot.rs"]
mod hook_bot;

use crisp_api::sandbox::Sandbox;
use crisp_api::webhook::{Delivery, Verifier};
use crisp_api::{Client, Event};
use hook_bot::{BoxError, reply_with_notes, serve};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::mpsc;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let real = std::env::var("CRISP_HOOK_SECRET")
        .ok()
        .filter(|_| std::env::var("CRISP_KEY").is_ok());
    let (client, secret, addr, sandbox) = match real {
        Some(secret) => {
            let addr =
                std::env::var("CRISP_HOOK_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".to_owned());
            (Client::from_env()?, secret, addr, None)
        }
        None => {
            let sandbox = Sandbox::start().await;
            println!(
                "CRISP_HOOK_SECRET / CRISP_KEY are not set: using the local sandbox at {}.",
                sandbox.base_url()
            );
            let client = sandbox
                .client_builder()
                .user_agent_suffix("webhook-example")
                .build()?;
            let secret = "sandbox-signing-secret".to_owned();
            (client, secret, "127.0.0.1:0".to_owned(), Some(sandbox))
        }
    };

    // Deliveries older (or newer) than five minutes are refused: a captured request cannot be
    // replayed later.
    let verifier = Arc::new(Verifier::new(&secret).freshness(Duration::from_secs(300)));
    let listener = TcpListener::bind(&addr).await?;
    let url = format!("http://{}/crisp/hook", listener.local_addr()?);

    // The receiver answers at once and hands verified deliveries to a worker: Crisp expects a
    // quick answer and retries deliveries that fail.
    let (deliveries, inbox) = mpsc::channel::<Delivery>(64);
    let (notes, mut sent) = mpsc::channel::<i64>(64);
    tokio::spawn(serve(listener, verifier, deliveries));
    tokio::spawn(reply_with_notes(client, inbox, notes));

    let Some(sandbox) = sandbox else {
        println!("Listening for Crisp web hooks on {url}");
        while let Some(fingerprint) = sent.recv().await {
            println!("note {fingerprint} sent");
        }
        return Ok(());
    };

    // What Crisp would send when a visitor writes in the chat.
    let event = Event::from_parts(
        "message:send",
        serde_json::json!({
            "website_id": "8c842203-7ed8-4e29-a608-7cf78a7d2fcc",
            "session_id": "session_700c65e1-85e2-465a-b9ac-ecb5ec2c9881",
            "type": "text",
            "from": "user",
            "origin": "chat",
            "content": "Hello, where is my order?",
            "fingerprint": 163408846730474_i64,
            "timestamp": 1716300120000_i64,
            "user": {"nickname": "Jane Doe"}
        }),
    )?;
    println!("\nThe sandbox delivers a signed `message:send` to {url} …");
    let status = sandbox.deliver(&url, &event, &secret).await?;
    println!("… the receiver answered {status}.");
    let fingerprint = tokio::time::timeout(Duration::from_secs(10), sent.recv())
        .await?
        .ok_or("the worker stopped")?;
    println!("The receiver replied with a note (fingerprint {fingerprint}).");

    // The sandbox recorded the request the client made.
    let requests = sandbox
        .server()
        .received_requests()
        .await
        .unwrap_or_default();
    if let Some(request) = requests.iter().find(|r| r.method.as_str() == "POST") {
        println!(
            "\nWhat the client sent: POST {}\n{}",
            request.url.path(),
            String::from_utf8_lossy(&request.body)
        );
    }

    // A delivery signed with another secret is refused.
    let forged = sandbox.deliver(&url, &event, "not-the-secret").await?;
    println!("\nA delivery signed with another secret is answered {forged}.");
    Ok(())
}
