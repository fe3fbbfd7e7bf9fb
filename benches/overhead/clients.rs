//! The two clients: the SDK and a hand-written reqwest + serde client decoding the same types,
//! and the pairs of calls the benchmark compares.

use crate::fixture::{PAGES, PER_PAGE, SESSION, WEBSITE, bodies, serve};
use crisp_api::Client;
use crisp_api::message::{NewMessage, Sender};
use crisp_api::types;
use futures::TryStreamExt;
use serde::Deserialize;
use serde_json::Value;
use std::hint::black_box;
use std::sync::OnceLock;
use tokio::runtime::Runtime;

pub struct Fixture {
    pub runtime: Runtime,
    pub sdk: Client,
    http: reqwest::Client,
    base: String,
}

pub fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let base = serve();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let sdk = Client::builder()
            .credentials("bench", "bench")
            .base_url(&base)
            .build()
            .expect("client");
        let http = crisp_api::http_client_builder()
            .expect("reqwest builder")
            .build()
            .expect("reqwest client");
        Fixture {
            runtime,
            sdk,
            http,
            base,
        }
    })
}

/// Crisp's envelope, as a hand-written client would decode it.
#[derive(Deserialize)]
struct Envelope<T> {
    error: bool,
    #[allow(dead_code)]
    reason: String,
    data: T,
}

const AUTH: &str = "Basic YmVuY2g6YmVuY2g=";

/// Sends `request` with the auth and tier headers, as the SDK does, and decodes the envelope's
/// `data`.
async fn hand_call<T: serde::de::DeserializeOwned>(request: reqwest::RequestBuilder) -> T {
    let response = request
        .header(reqwest::header::AUTHORIZATION, AUTH)
        .header("x-crisp-tier", "plugin")
        .send()
        .await
        .expect("send");
    assert!(response.status().is_success());
    let body = response.bytes().await.expect("body");
    let envelope: Envelope<T> = serde_json::from_slice(&body).expect("decode");
    assert!(!envelope.error);
    envelope.data
}

pub async fn hand_get(f: &Fixture) -> types::Conversation {
    let url = format!("{}/website/{WEBSITE}/conversation/{SESSION}", f.base);
    hand_call(f.http.get(url)).await
}

pub async fn sdk_get(f: &Fixture) -> types::Conversation {
    f.sdk
        .get_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .call()
        .await
        .expect("call")
}

pub fn note() -> NewMessage {
    NewMessage::note(Sender::Operator, "Refund issued; see ticket 4812.")
}

pub async fn hand_post(f: &Fixture) -> types::MessageDispatched {
    let url = format!(
        "{}/website/{WEBSITE}/conversation/{SESSION}/message",
        f.base
    );
    hand_call(f.http.post(url).json(&note())).await
}

pub async fn sdk_post(f: &Fixture) -> types::MessageDispatched {
    f.sdk
        .send_message_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body(note())
        .call()
        .await
        .expect("call")
}

/// A hand-written page loop. `per_item` visits each item as a stream's consumer does (the
/// baseline of `.stream()`); without it, pages are counted whole (the baseline of `.pages()`).
pub async fn hand_loop(f: &Fixture, per_item: bool) -> usize {
    let mut count = 0;
    for page in 1u32.. {
        let url = format!("{}/website/{WEBSITE}/conversations/{page}", f.base);
        let items: Vec<types::Conversation> = hand_call(f.http.get(url)).await;
        if items.is_empty() {
            break;
        }
        if per_item {
            for item in items {
                black_box(item);
                count += 1;
            }
        } else {
            count += items.len();
        }
    }
    assert_eq!(count, PAGES as usize * PER_PAGE);
    count
}

pub async fn sdk_stream(f: &Fixture) -> usize {
    let count = f
        .sdk
        .list_conversations()
        .website_id(WEBSITE)
        .stream()
        .try_fold(0, |n, item| async move {
            black_box(item);
            Ok(n + 1)
        })
        .await
        .expect("stream");
    assert_eq!(count, PAGES as usize * PER_PAGE);
    count
}

pub async fn sdk_pages(f: &Fixture) -> usize {
    let count = f
        .sdk
        .list_conversations()
        .website_id(WEBSITE)
        .pages()
        .try_fold(0, |n, page| async move { Ok(n + page.len()) })
        .await
        .expect("pages");
    assert_eq!(count, PAGES as usize * PER_PAGE);
    count
}

/// The pairs of calls measured against each other (SDK and hand-written), each side run to
/// completion on the fixture's runtime.
#[derive(Clone, Copy)]
pub enum Case {
    /// `get_conversation().call()`.
    Get,
    /// `send_message_in_conversation().call()`.
    Post,
    /// `.stream()` against a page loop visiting each item.
    Stream,
    /// `.pages()` against the same loop counting whole pages.
    Pages,
}

impl Case {
    /// The case of `OVERHEAD_RUN`'s name (`get`, `post`, `stream`, `pages`).
    pub fn named(name: &str) -> Option<Case> {
        Some(match name {
            "get" => Case::Get,
            "post" => Case::Post,
            "stream" => Case::Stream,
            "pages" => Case::Pages,
            _ => return None,
        })
    }

    /// Runs the SDK's side once.
    pub fn sdk(self, f: &Fixture) {
        f.runtime.block_on(async {
            match self {
                Case::Get => {
                    black_box(sdk_get(f).await);
                }
                Case::Post => {
                    black_box(sdk_post(f).await);
                }
                Case::Stream => {
                    black_box(sdk_stream(f).await);
                }
                Case::Pages => {
                    black_box(sdk_pages(f).await);
                }
            }
        });
    }

    /// Runs the hand-written side once.
    pub fn hand(self, f: &Fixture) {
        f.runtime.block_on(async {
            match self {
                Case::Get => {
                    black_box(hand_get(f).await);
                }
                Case::Post => {
                    black_box(hand_post(f).await);
                }
                Case::Stream => {
                    black_box(hand_loop(f, true).await);
                }
                Case::Pages => {
                    black_box(hand_loop(f, false).await);
                }
            }
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Decoding alone: a page of 50 conversations and one conversation's custom data, typed against
// `serde_json::Value`

pub fn decode_typed() -> usize {
    let page: Envelope<Vec<types::Conversation>> =
        serde_json::from_slice(&bodies().page_50).expect("typed");
    page.data.len()
}

pub fn decode_value() -> usize {
    let page: Envelope<Value> = serde_json::from_slice(&bodies().page_50).expect("value");
    page.data.as_array().map_or(0, Vec::len)
}

pub fn data_typed() -> usize {
    let data: std::collections::HashMap<String, types::DataValue> =
        serde_json::from_slice(&bodies().data).expect("typed");
    data.len()
}

pub fn data_value() -> usize {
    let data: serde_json::Map<String, Value> =
        serde_json::from_slice(&bodies().data).expect("value");
    data.len()
}
