//! The lagging buffer between the session task and the consumer: bounded, dropping the oldest item when full and yielding [`Item::Lagged`] for them.

use super::*;

/// A buffered item, small: events are about 1 KB inline, so they wait boxed and the buffer's
/// spare capacity costs a pointer per place, not a kilobyte.
#[derive(Debug)]
pub(super) enum Slot {
    Event(Box<Event>),
    State(State),
    Lagged(u64),
    Err(Box<Error>),
}

impl From<Result<Item, Error>> for Slot {
    fn from(item: Result<Item, Error>) -> Slot {
        match item {
            Ok(Item::Event(event)) => Slot::Event(Box::new(event)),
            Ok(Item::State(state)) => Slot::State(state),
            Ok(Item::Lagged(n)) => Slot::Lagged(n),
            Err(e) => Slot::Err(Box::new(e)),
        }
    }
}

impl From<Slot> for Result<Item, Error> {
    fn from(slot: Slot) -> Self {
        match slot {
            Slot::Event(event) => Ok(Item::Event(*event)),
            Slot::State(state) => Ok(Item::State(state)),
            Slot::Lagged(n) => Ok(Item::Lagged(n)),
            Slot::Err(e) => Err(*e),
        }
    }
}

/// The buffer between the connection task and the consumer.
#[derive(Debug)]
pub(super) struct Queue {
    pub(super) inner: Mutex<QueueInner>,
    pub(super) waker: AtomicWaker,
}

#[derive(Debug)]
pub(super) struct QueueInner {
    pub(super) items: VecDeque<Slot>,
    pub(super) capacity: usize,
    pub(super) lagged: u64,
    pub(super) dropped: u64,
    pub(super) events: u64,
    pub(super) ended: bool,
}

impl Queue {
    pub(super) fn new(capacity: usize) -> Queue {
        Queue {
            inner: Mutex::new(QueueInner {
                items: VecDeque::with_capacity(capacity.min(DEFAULT_BUFFER)),
                capacity,
                lagged: 0,
                dropped: 0,
                events: 0,
                ended: false,
            }),
            waker: AtomicWaker::new(),
        }
    }

    pub(super) fn lock(&self) -> std::sync::MutexGuard<'_, QueueInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn push(&self, item: Result<Item, Error>) {
        {
            let mut q = self.lock();
            if matches!(item, Ok(Item::Event(_)) | Err(Error::Payload(_))) {
                q.events += 1;
            }
            if q.items.len() >= q.capacity {
                q.items.pop_front();
                q.lagged += 1;
                q.dropped += 1;
            }
            q.items.push_back(Slot::from(item));
        }
        self.waker.wake();
    }

    /// Ends the stream after `last` (which is never dropped).
    pub(super) fn finish(&self, last: Option<Error>) {
        {
            let mut q = self.lock();
            if let Some(e) = last {
                q.items.push_back(Slot::Err(Box::new(e)));
            }
            q.ended = true;
        }
        self.waker.wake();
    }

    pub(super) fn poll(&self, cx: &mut Context<'_>) -> Poll<Option<Result<Item, Error>>> {
        let mut q = self.lock();
        if q.lagged > 0 {
            let n = std::mem::take(&mut q.lagged);
            return Poll::Ready(Some(Ok(Item::Lagged(n))));
        }
        if let Some(slot) = q.items.pop_front() {
            return Poll::Ready(Some(slot.into()));
        }
        if q.ended {
            return Poll::Ready(None);
        }
        // Registered under the lock: a push after this wakes us.
        self.waker.register(cx.waker());
        Poll::Pending
    }
}
