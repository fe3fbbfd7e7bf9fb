//! What the live API and hostile servers do that our own examples would not show: `206` on
//! partial lists, `error: true` inside a 2xx, redirects, `data: null`, transport failures that
//! must not leak the filled URL, arguments checked before sending, and a property test feeding
//! mutated responses to every operation's real decoding path.

mod envelopes;
mod mutation;
mod partial;
mod redirects;
mod requests;
