//! What a stateful handler sees and answers: the request (operation, path parameters, query,
//! body), the answer (status, reason, data) and Crisp's error envelopes, plus the routing of a
//! method and path to an operation of the spec.

use crate::events::Pending;
use crate::state::Store;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// A request routed to an operation.
#[derive(Debug)]
pub struct Request {
    /// The operation id.
    pub op: &'static str,
    /// Path parameters by name, percent-decoded.
    pub params: HashMap<&'static str, String>,
    /// Query parameters (the last value of each name).
    pub query: HashMap<String, String>,
    /// The JSON body (`Null` when empty).
    pub body: Value,
}

impl Request {
    /// A path parameter (routing guarantees the template's ones are present).
    pub fn param(&self, name: &str) -> &str {
        self.params
            .get(name)
            .map(String::as_str)
            .unwrap_or_default()
    }

    /// The website of the path.
    pub fn website(&self) -> &str {
        self.param("website_id")
    }

    /// A query flag (`1`/`true`).
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.query.get(name).map(String::as_str), Some("1" | "true"))
    }

    /// An integer query parameter, or `invalid_data` naming it.
    pub fn query_i64(&self, name: &str) -> Result<Option<i64>, Failure> {
        self.query
            .get(name)
            .map(|v| {
                v.parse()
                    .map_err(|_| Failure::invalid(name, "is not an integer"))
            })
            .transpose()
    }

    /// The page number of a paginated route (1 when absent).
    pub fn page(&self) -> Result<usize, Failure> {
        match self.params.get("page_number") {
            None => Ok(1),
            Some(p) => {
                p.parse::<usize>().ok().filter(|p| *p >= 1).ok_or_else(|| {
                    Failure::invalid("page_number", "is not a page number (1 or more)")
                })
            }
        }
    }

    /// The body as an object, or `invalid_data`.
    pub fn object(&self) -> Result<&Map<String, Value>, Failure> {
        self.body
            .as_object()
            .ok_or_else(|| Failure::invalid("", "is not a JSON object"))
    }

    /// A required string field of the body.
    pub fn str_field(&self, name: &str) -> Result<&str, Failure> {
        self.object()?
            .get(name)
            .and_then(Value::as_str)
            .ok_or_else(|| Failure::invalid(name, "is required and must be a string"))
    }
}

/// A success: the status, Crisp's reason and the envelope's `data`.
#[derive(Debug)]
pub struct Answer {
    /// 200, or 206 while a list has more.
    pub status: u16,
    /// `resolved`, `listed`, `added`, `updated`, `deleted`, `dispatched`, …
    pub reason: &'static str,
    /// The data, if the operation answers some.
    pub data: Option<Value>,
}

impl Answer {
    /// 200 with data.
    pub fn data(reason: &'static str, data: Value) -> Answer {
        Answer {
            status: 200,
            reason,
            data: Some(data),
        }
    }

    /// 200 without data.
    pub fn ok(reason: &'static str) -> Answer {
        Answer {
            status: 200,
            reason,
            data: None,
        }
    }

    /// A page of a list: 206 when `more` remains, else 200.
    pub fn page(items: Vec<Value>, more: bool) -> Answer {
        Answer {
            status: if more { 206 } else { 200 },
            reason: "listed",
            data: Some(Value::Array(items)),
        }
    }

    /// The envelope.
    pub fn body(&self) -> Value {
        let mut body = json!({"error": false, "reason": self.reason});
        if let Some(data) = &self.data {
            body["data"] = data.clone();
        }
        body
    }
}

/// A failure as Crisp answers it: `{error: true, reason, data: {namespace, message}}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// The HTTP status.
    pub status: u16,
    /// Crisp's reason (`not_found`, `invalid_data`, `invalid_session`, …).
    pub reason: String,
    /// The human message.
    pub message: String,
    /// Seconds to wait (rate limits), sent as `Retry-After`.
    pub retry_after: Option<u64>,
}

impl Failure {
    /// A failure with a status, reason and message.
    pub fn new(status: u16, reason: &str, message: impl Into<String>) -> Failure {
        Failure {
            status,
            reason: reason.to_owned(),
            message: message.into(),
            retry_after: None,
        }
    }

    /// 400 `invalid_data` naming the field (`field` empty for the body itself).
    pub fn invalid(field: &str, problem: &str) -> Failure {
        let message = if field.is_empty() {
            format!("the body {problem}")
        } else {
            format!("`{field}` {problem}")
        };
        Failure::new(400, "invalid_data", message)
    }

    /// 404 for a resource that does not exist (the route does).
    pub fn missing(what: &str) -> Failure {
        Failure::new(404, "not_found", format!("{what} not found"))
    }

    /// 404 for a route that does not exist, as Crisp says it.
    pub fn no_route() -> Failure {
        Failure::new(404, "not_found", "the route does not exist")
    }

    /// 401 for missing or wrong credentials.
    pub fn session() -> Failure {
        Failure::new(401, "invalid_session", "the session is invalid or missing")
    }

    /// The envelope.
    pub fn body(&self) -> Value {
        json!({
            "error": true,
            "reason": self.reason,
            "data": {"namespace": "response", "message": self.message}
        })
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status, self.reason, self.message)
    }
}

impl std::error::Error for Failure {}

/// What a handler gets: the store (locked) and where to put the events it causes.
pub struct Ctx<'a> {
    /// The state.
    pub store: &'a mut Store,
    /// Events to publish once the store is unlocked.
    pub events: &'a mut Pending,
    /// The fake's origin (`http://127.0.0.1:port`), for RTM discovery.
    pub base: &'a str,
}

/// The result of a handler.
pub type Outcome = Result<Answer, Failure>;

/// One segment of a path template.
#[derive(Debug)]
enum Segment {
    Literal(&'static str),
    Param(&'static str),
}

/// A route of the spec.
#[derive(Debug)]
struct Route {
    op: &'static str,
    segments: Vec<Segment>,
    params: usize,
}

/// Every operation's method and path template, indexed by method and segment count.
#[derive(Debug, Default)]
pub struct Routes {
    by_shape: HashMap<(&'static str, usize), Vec<Route>>,
}

impl Routes {
    /// The routes of `operations` (`(id, method, path template)`).
    pub fn new(
        operations: impl IntoIterator<Item = (&'static str, &'static str, &'static str)>,
    ) -> Routes {
        let mut routes = Routes::default();
        for (op, method, path) in operations {
            let segments: Vec<Segment> = path
                .split('/')
                .filter(|s| !s.is_empty())
                .map(
                    |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                        Some(name) => Segment::Param(name),
                        None => Segment::Literal(s),
                    },
                )
                .collect();
            let params = segments
                .iter()
                .filter(|s| matches!(s, Segment::Param(_)))
                .count();
            routes
                .by_shape
                .entry((method, segments.len()))
                .or_default()
                .push(Route {
                    op,
                    segments,
                    params,
                });
        }
        for list in routes.by_shape.values_mut() {
            // The most specific template (fewest parameters) wins.
            list.sort_by_key(|r| r.params);
        }
        routes
    }

    /// The operation of `method` and `path` (below `/v1`, raw), with its decoded parameters.
    pub fn find(
        &self,
        method: &str,
        path: &str,
    ) -> Option<(&'static str, HashMap<&'static str, String>)> {
        let raw: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let method = match method {
            "GET" => "GET",
            "POST" => "POST",
            "PUT" => "PUT",
            "PATCH" => "PATCH",
            "DELETE" => "DELETE",
            "HEAD" => "HEAD",
            _ => return None,
        };
        let candidates = self.by_shape.get(&(method, raw.len()))?;
        let route = candidates.iter().find(|route| {
            route.segments.iter().zip(&raw).all(|(s, r)| match s {
                Segment::Literal(l) => l == r,
                Segment::Param(_) => true,
            })
        })?;
        let params = route
            .segments
            .iter()
            .zip(&raw)
            .filter_map(|(s, r)| match s {
                Segment::Param(name) => Some((
                    *name,
                    percent_encoding::percent_decode_str(r)
                        .decode_utf8_lossy()
                        .into_owned(),
                )),
                Segment::Literal(_) => None,
            })
            .collect();
        Some((route.op, params))
    }
}

/// Slices page `page` (from 1) of `per_page` items: the items, and whether more remain.
pub fn paginate<T: Clone>(items: &[T], page: usize, per_page: usize) -> (Vec<T>, bool) {
    let start = (page - 1).saturating_mul(per_page).min(items.len());
    let end = start.saturating_add(per_page).min(items.len());
    (items[start..end].to_vec(), end < items.len())
}

/// `per_page` from the query: 20 by default, 1 to 100 accepted (Crisp documents 20–50).
pub fn per_page(req: &Request) -> Result<usize, Failure> {
    match req.query_i64("per_page")? {
        None => Ok(20),
        Some(n @ 1..=100) => Ok(usize::try_from(n).unwrap_or(20)),
        Some(_) => Err(Failure::invalid("per_page", "must be between 1 and 100")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_prefer_literal_segments_and_decode_parameters() {
        let routes = Routes::new([
            (
                "a",
                "GET",
                "/website/{website_id}/people/profile/{people_id}",
            ),
            ("b", "GET", "/website/{website_id}/people/{x}/{people_id}"),
        ]);
        let (op, params) = routes
            .find("GET", "/website/w/people/profile/jane%40example.com")
            .unwrap();
        assert_eq!(op, "a");
        assert_eq!(params["people_id"], "jane@example.com");
        assert_eq!(
            routes.find("GET", "/website/w/people/other/x").unwrap().0,
            "b"
        );
        assert!(routes.find("POST", "/website/w/people/profile/x").is_none());
        assert!(routes.find("GET", "/website/w").is_none());
    }

    #[test]
    fn pages_say_whether_more_remains() {
        let items: Vec<u32> = (0..45).collect();
        assert_eq!(paginate(&items, 1, 20), ((0..20).collect(), true));
        assert_eq!(paginate(&items, 3, 20), ((40..45).collect(), false));
        assert_eq!(paginate(&items, 4, 20), (vec![], false));
    }
}
