//! Prints Crisp events as they arrive over the RTM socket.
//!
//! ```sh
//! cargo run --example rtm --features rtm
//! ```
//!
//! With `CRISP_IDENTIFIER` and `CRISP_KEY` (and `CRISP_TIER`; a website token also needs
//! `CRISP_WEBSITE_ID`) it connects to Crisp and prints events until stopped. Without them it
//! starts a loopback Socket.IO server that emits a few sample events, says so, and connects to
//! that.

#[path = "support/rtm_server.rs"]
mod server;

use crisp_api::rtm::{Item, State};
use crisp_api::types::MessageContent;
use crisp_api::{Client, Event, Tier};
use futures::StreamExt;
use serde_json::json;
use std::time::Duration;

const EVENTS: [&str; 4] = [
    "message:send",
    "message:received",
    "session:set_email",
    "message:compose:send",
];

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let live = std::env::var("CRISP_IDENTIFIER").is_ok() && std::env::var("CRISP_KEY").is_ok();
    let (client, sample) = if live {
        println!("Connecting to Crisp with the token from CRISP_IDENTIFIER/CRISP_KEY.");
        (Client::from_env()?, None)
    } else {
        let sio = server::Server::start("127.0.0.1:0".parse()?, server::accept_all()).await;
        println!(
            "CRISP_IDENTIFIER/CRISP_KEY are not set: connecting to a LOOPBACK Socket.IO server at {} \
             that emits sample events (no data leaves this machine).",
            sio.endpoint()
        );
        let client = Client::builder()
            .credentials("00000000-0000-0000-0000-000000000000", "loopback-key")
            .build()?;
        (client, Some(sio))
    };

    let mut builder = client.rtm().events(EVENTS);
    if let Some(sio) = &sample {
        builder = builder.endpoint(sio.endpoint());
    } else if client.tier() == Tier::Website {
        builder = builder.website(std::env::var("CRISP_WEBSITE_ID")?);
    }
    let mut rtm = builder.connect().await?;
    println!("Authenticated; listening for {}.", EVENTS.join(", "));

    if let Some(sio) = &sample {
        let website = "8c842203-7ed8-4e29-a608-7cf78a7d2fcc";
        let session = "session_700c65e1-85e2-465a-b9ac-ecb5ec2c9881";
        sio.emit(
            "message:compose:send",
            &json!({"website_id": website, "session_id": session, "inbox_id": null,
                    "type": "start", "excerpt": "Hello, where", "timestamp": 1716300118000i64}),
        )
        .await;
        sio.emit("message:send", &server::message_send(1)).await;
        sio.emit(
            "session:set_email",
            &json!({"website_id": website, "session_id": session, "inbox_id": null,
                    "email": "jane.doe@example.com"}),
        )
        .await;
        sio.emit(
            "some:future:event",
            &json!({"website_id": website, "note": "unknown to this SDK"}),
        )
        .await;
    }

    let mut seen = 0;
    while let Some(item) = rtm.next().await {
        match item {
            Ok(Item::Event(event)) => {
                seen += 1;
                match &event {
                    Event::MessageSend(message) => match &message.content {
                        Some(MessageContent::String(text)) => println!(
                            "message:send in {}: {text}",
                            event.session_id().unwrap_or("-")
                        ),
                        other => println!("message:send (not text): {other:?}"),
                    },
                    Event::Unknown { name, data } => println!("{name} (untyped): {data}"),
                    other => println!(
                        "{} in {:?}",
                        other.name(),
                        other.session_id().unwrap_or("-")
                    ),
                }
            }
            Ok(Item::State(State::Reconnecting { attempt, delay })) => {
                println!("(reconnecting, attempt {attempt}, in {delay:.1?})")
            }
            Ok(Item::State(state)) => println!("({state:?})"),
            Ok(Item::Lagged(n)) => println!("(fell behind: {n} items dropped)"),
            Ok(other) => println!("{other:?}"),
            Err(e) => {
                eprintln!("error: {e}");
                if matches!(e, crisp_api::rtm::Error::Unauthorized { .. }) {
                    break;
                }
            }
        }
        if sample.is_some() && seen == 4 {
            println!("All sample events received.");
            break;
        }
    }
    rtm.close();
    if let Some(sio) = sample {
        tokio::time::sleep(Duration::from_millis(50)).await;
        sio.stop().await;
    }
    Ok(())
}
