//! Time as the SDK sees it: retry back-off, `Retry-After`, rate limiting and call deadlines all
//! read and sleep through a [`Clock`], so tests can swap in a [`VirtualClock`] that never waits.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

/// A boxed sleep future.
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A source of time for the SDK's waits.
///
/// The default is [`SystemClock`] (tokio's timer). Set another with
/// [`ClientBuilder::clock`](crate::ClientBuilder::clock).
pub trait Clock: fmt::Debug + Send + Sync + 'static {
    /// Monotonic now, for deadlines and rate limiting.
    fn now(&self) -> Instant;
    /// Wall-clock now, for `Retry-After` given as an HTTP date.
    fn system_time(&self) -> SystemTime;
    /// Waits for `duration`.
    fn sleep(&self, duration: Duration) -> Sleep;
}

/// The real clock: `Instant::now`, `SystemTime::now` and `tokio::time::sleep`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
    fn system_time(&self) -> SystemTime {
        SystemTime::now()
    }
    fn sleep(&self, duration: Duration) -> Sleep {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A clock for tests: `sleep` returns at once and moves virtual time forward, and every sleep
/// is recorded.
///
/// ```
/// use crisp_api::clock::{Clock, VirtualClock};
/// use std::time::Duration;
///
/// # tokio_test_block_on(async {
/// let clock = VirtualClock::new();
/// let before = clock.now();
/// clock.sleep(Duration::from_secs(2)).await; // returns immediately
/// assert_eq!(clock.now() - before, Duration::from_secs(2));
/// assert_eq!(clock.sleeps(), vec![Duration::from_secs(2)]);
/// # });
/// # fn tokio_test_block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct VirtualClock {
    start: Instant,
    wall_start: SystemTime,
    state: Arc<Mutex<VirtualState>>,
}

#[derive(Debug, Default)]
struct VirtualState {
    elapsed: Duration,
    sleeps: Vec<Duration>,
}

impl VirtualClock {
    /// A virtual clock starting at the current real time.
    pub fn new() -> Self {
        VirtualClock {
            start: Instant::now(),
            wall_start: SystemTime::now(),
            state: Arc::default(),
        }
    }

    /// Every sleep requested so far, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.lock().sleeps.clone()
    }

    /// The sum of every sleep so far.
    pub fn slept(&self) -> Duration {
        self.lock().sleeps.iter().sum()
    }

    /// Moves virtual time forward without recording a sleep.
    pub fn advance(&self, by: Duration) {
        self.lock().elapsed += by;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VirtualState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Default for VirtualClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> Instant {
        self.start + self.lock().elapsed
    }
    fn system_time(&self) -> SystemTime {
        self.wall_start + self.lock().elapsed
    }
    fn sleep(&self, duration: Duration) -> Sleep {
        let mut state = self.lock();
        state.elapsed += duration;
        state.sleeps.push(duration);
        Box::pin(std::future::ready(()))
    }
}
