#![doc = include_str!(concat!(env!("OUT_DIR"), "/operations.md"))]

use crate::Tier;

/// One operation of the Crisp API as described in `openapi/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Operation {
    /// The `operationId`, which is also the name of the method on [`Client`](crate::Client).
    pub id: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template below the base URL, such as `/website/{website_id}`.
    pub path: &'static str,
    /// The token tiers Crisp accepts on this route.
    pub tiers: &'static [Tier],
    /// Whether the path ends in a page number (the builder has `.pages()` and `.stream()`).
    pub paginated: bool,
    /// The cursor the list is walked back in time by, if it is (the builder has
    /// `.history()`; `x-crisp-cursor` in the spec).
    pub cursor: Option<Cursor>,
    /// Whether the route is deprecated (legacy user-tier routes).
    pub deprecated: bool,
    /// One-line summary.
    pub summary: &'static str,
    /// The API family, which is also the cargo feature that enables the operation
    /// (`conversations`, `people`, `website`, …).
    pub family: &'static str,
}

/// How a list is walked back in time: each batch's oldest `field` is sent as the query
/// parameter `param` to get the batch before it (see [`History`](crate::History)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Cursor {
    /// The query parameter carrying the cursor (`timestamp_before`).
    pub param: &'static str,
    /// The field of each item the cursor is taken from (`timestamp`).
    pub field: &'static str,
}

/// Every operation, sorted by id.
pub const ALL: &[Operation] = &crate::generated::extensions::ALL;

/// Looks an operation up by its id.
pub fn find(id: &str) -> Option<&'static Operation> {
    ALL.binary_search_by(|op| op.id.cmp(id))
        .ok()
        .map(|i| &ALL[i])
}
