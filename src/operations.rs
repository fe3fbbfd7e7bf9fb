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
    /// Whether the path ends in a page number.
    pub paginated: bool,
    /// Whether the route is deprecated (legacy user-tier routes).
    pub deprecated: bool,
    /// One-line summary.
    pub summary: &'static str,
    /// The API family, which is also the cargo feature that enables the operation
    /// (`conversations`, `people`, `website`, …).
    pub family: &'static str,
}

/// Every operation, sorted by id.
pub const ALL: &[Operation] = &crate::generated::extensions::ALL;

/// Looks an operation up by its id.
pub fn find(id: &str) -> Option<&'static Operation> {
    ALL.binary_search_by(|op| op.id.cmp(id))
        .ok()
        .map(|i| &ALL[i])
}
