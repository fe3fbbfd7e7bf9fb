//! A conversation's whole message history as a stream (feature `conversations`): Crisp returns
//! the latest batch of messages and pages backwards with `timestamp_before`.

use crate::Error;
use crate::types::Message;
use futures::stream::{self, BoxStream, Stream, StreamExt};
use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A conversation's messages from the newest back to the oldest; see
/// [`ListMessagesInConversation::history`](crate::builder::ListMessagesInConversation::history).
#[must_use = "streams do nothing unless polled"]
pub struct MessageHistory<'a> {
    inner: BoxStream<'a, Result<Message, Error>>,
}

impl Stream for MessageHistory<'_> {
    type Item = Result<Message, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.poll_next_unpin(cx)
    }
}

impl std::fmt::Debug for MessageHistory<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MessageHistory").finish_non_exhaustive()
    }
}

struct HistoryState<'a> {
    builder: crate::builder::ListMessagesInConversation<'a>,
    /// The timestamp of the oldest message yielded so far.
    cursor: Option<i64>,
    batch: VecDeque<Message>,
    done: bool,
}

impl<'a> crate::builder::ListMessagesInConversation<'a> {
    /// Streams the whole history of the conversation, **newest message first**, walking back
    /// batch by batch with `timestamp_before` set to the oldest timestamp seen.
    ///
    /// Set `website_id` and `session_id` first; a `timestamp_before` set on the builder is the
    /// starting point (default: now). The stream ends on an empty batch, or on a batch with
    /// nothing older than what was already yielded (a server repeating itself), so no message
    /// is yielded twice. Collect and reverse for chronological order.
    ///
    /// ```no_run
    /// use futures::TryStreamExt;
    /// # async fn run(client: crisp_api::Client) -> Result<(), crisp_api::Error> {
    /// let mut transcript: Vec<_> = client
    ///     .list_messages_in_conversation()
    ///     .website_id("8c842203-7ed8-4e29-a608-7cf78a7d2fcc")
    ///     .session_id("session_700c65e1-85e2-465a-b9ac-ecb5ec2c9881")
    ///     .history()
    ///     .try_collect()
    ///     .await?;
    /// transcript.reverse(); // oldest first
    /// # Ok(()) }
    /// ```
    pub fn history(self) -> MessageHistory<'a> {
        let state = HistoryState {
            builder: self,
            cursor: None,
            batch: VecDeque::new(),
            done: false,
        };
        let inner = stream::unfold(state, |mut state| async move {
            loop {
                if let Some(message) = state.batch.pop_front() {
                    return Some((Ok(message), state));
                }
                if state.done {
                    return None;
                }
                let mut request = state.builder.clone();
                if let Some(cursor) = state.cursor {
                    request = request.timestamp_before(cursor);
                }
                let mut batch = match request.call().await {
                    Ok(batch) => batch,
                    Err(e) => {
                        state.done = true;
                        return Some((Err(e), state));
                    }
                };
                // Only strictly older messages: guards against an inclusive bound or a
                // server answering the same batch again.
                if let Some(cursor) = state.cursor {
                    batch.retain(|m| m.timestamp.is_some_and(|t| t < cursor));
                }
                let oldest = batch.iter().filter_map(|m| m.timestamp).min();
                match oldest {
                    Some(oldest) => state.cursor = Some(oldest),
                    None => state.done = true,
                }
                batch.sort_by_key(|m| std::cmp::Reverse(m.timestamp));
                state.batch = batch.into();
                if state.batch.is_empty() {
                    return None;
                }
            }
        });
        MessageHistory {
            inner: inner.boxed(),
        }
    }
}
