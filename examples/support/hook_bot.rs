//! The machinery of a web hook bot, shared by `examples/webhook.rs` (against the sandbox or the
//! real API) and `fake/examples/bot.rs` (against the stateful fake): a receiver that verifies
//! each delivery on its raw bytes and hands it to a worker, and the worker that replies to each
//! visitor message through the API.
//!
//! The receiver is a few lines of plain tokio so that it depends on no web framework: everything
//! it needs from the request is the raw body bytes and the headers, which any framework gives.
#![allow(dead_code)]

use crisp_api::message::{NewMessage, Sender};
use crisp_api::types::MessageContent;
use crisp_api::webhook::{Delivery, Verifier};
use crisp_api::{Client, Event};
use http::{HeaderMap, HeaderName, HeaderValue};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// Any error of the examples.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Replies to each visitor message with a private note.
pub async fn reply_with_notes(
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
pub async fn serve(
    listener: TcpListener,
    verifier: Arc<Verifier>,
    deliveries: mpsc::Sender<Delivery>,
) {
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
