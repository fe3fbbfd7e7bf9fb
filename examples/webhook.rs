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

use crisp_api::message::{NewMessage, Sender};
use crisp_api::sandbox::Sandbox;
use crisp_api::types::MessageContent;
use crisp_api::webhook::{Delivery, Verifier};
use crisp_api::{Client, Event};
use http::{HeaderMap, HeaderName, HeaderValue};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

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

/// Replies to each visitor message with a private note.
async fn reply_with_notes(
    client: Client,
    mut inbox: mpsc::Receiver<Delivery>,
    sent: mpsc::Sender<i64>,
) {
    while let Some(delivery) = inbox.recv().await {
        // Other events are acknowledged and ignored. Messages sent by operators and by this
        // integration come back as `message:received`, so answering only `message:send` from
        // the visitor cannot loop.
        let Event::MessageSend(message) = delivery.event else {
            continue;
        };
        if message.from.as_deref() != Some("user") {
            continue;
        }
        let (Some(website), Some(session)) = (&message.website_id, &message.session_id) else {
            continue;
        };
        let text = match &message.content {
            Some(MessageContent::String(text)) => {
                format!("Bot: the visitor asked \u{201c}{text}\u{201d}; an order lookup may help.")
            }
            _ => "Bot: the visitor sent something other than text.".to_owned(),
        };
        let note = NewMessage::note(Sender::Operator, text);
        match client
            .send_message_in_conversation()
            .website_id(website)
            .session_id(session)
            .body(note)
            .call()
            .await
        {
            Ok(dispatched) => {
                let _ = sent.send(dispatched.fingerprint).await;
            }
            Err(e) => eprintln!("could not send the note: {e}"),
        }
    }
}

/// Accepts connections and answers each request.
async fn serve(listener: TcpListener, verifier: Arc<Verifier>, deliveries: mpsc::Sender<Delivery>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let (verifier, deliveries) = (verifier.clone(), deliveries.clone());
        tokio::spawn(async move {
            if let Err(e) = handle(stream, &verifier, &deliveries).await {
                eprintln!("connection error: {e}");
            }
        });
    }
}

/// The receiver itself: 405 for anything but `POST /crisp/hook`, then verify and parse the raw
/// body (403 if not from Crisp, 400 if malformed), 200 otherwise.
async fn handle(
    mut stream: TcpStream,
    verifier: &Verifier,
    deliveries: &mpsc::Sender<Delivery>,
) -> Result<(), BoxError> {
    let (method, path, headers, body) = read_request(&mut stream).await?;
    let status = if method != "POST" || path.split('?').next() != Some("/crisp/hook") {
        405
    } else {
        match verifier.receive(&headers, &body) {
            Ok(delivery) => {
                deliveries.send(delivery).await?;
                200
            }
            Err(e) => {
                eprintln!("refused a delivery: {e}");
                e.status()
            }
        }
    };
    let response = format!("HTTP/1.1 {status} \r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
    stream.write_all(response.as_bytes()).await?;
    Ok(())
}

/// Reads one HTTP/1.1 request with a `Content-Length` body (enough for Crisp's deliveries; use
/// your web framework in production).
async fn read_request(
    stream: &mut TcpStream,
) -> Result<(String, String, HeaderMap, Vec<u8>), BoxError> {
    const MAX: usize = 1 << 20;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_len = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 || buf.len() > MAX {
            return Err("incomplete request head".into());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = std::str::from_utf8(&buf[..head_len])?;
    let mut lines = head.split("\r\n");
    let mut start = lines.next().unwrap_or_default().split(' ');
    let method = start.next().unwrap_or_default().to_owned();
    let path = start.next().unwrap_or_default().to_owned();
    let mut headers = HeaderMap::new();
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            headers.append(
                HeaderName::from_bytes(name.trim().as_bytes())?,
                HeaderValue::from_str(value.trim())?,
            );
        }
    }
    let length: usize = match headers.get(http::header::CONTENT_LENGTH) {
        Some(v) => v.to_str()?.parse()?,
        None => 0,
    };
    if length > MAX {
        return Err("body too large".into());
    }
    let mut body = buf[head_len + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err("truncated body".into());
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(length);
    Ok((method, path, headers, body))
}
