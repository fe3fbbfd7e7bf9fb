//! Filter searches: the JSON list of criteria that `list_conversations` (`search_query` with
//! `search_type=filter`) and `list_people_profiles` (`search_filter`) take as a query string,
//! typed helpers for the common people criteria, and ISO 8601 dates for the `filter_date_*`
//! parameters.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::types::SearchFilter;

/// A list of [`SearchFilter`] criteria, usable directly as a query parameter value.
///
/// Build it from criteria you write yourself, or with the helpers for the common people
/// searches ([`segment_eq`](Self::segment_eq), [`email_eq`](Self::email_eq)). Several criteria
/// are joined by the operation's `search_operator` (`and` when not set).
///
/// ```no_run
/// # async fn run(client: crisp_api::Client) -> Result<(), crisp_api::Error> {
/// use crisp_api::{Filters, types::{PeopleSearchOperator, SearchFilter}};
/// use std::time::{Duration, SystemTime};
///
/// // Everyone in the `vip` or the `enterprise` segment…
/// let segments = Filters::new().segment_eq("vip").segment_eq("enterprise");
/// // …who signed up during the last 30 days.
/// let now = SystemTime::now();
/// let month_ago = now - Duration::from_secs(30 * 24 * 3600);
/// let profiles = client
///     .list_people_profiles()
///     .website_id("8c842203-7ed8-4e29-a608-7cf78a7d2fcc")
///     .page_number(1u32)
///     .search_filter(segments)
///     .search_operator(PeopleSearchOperator::Or)
///     .created_between(month_ago, now)
///     .call()
///     .await?;
///
/// // A criterion without a helper: written out in full.
/// let by_city = Filters::new().with(SearchFilter::new(
///     "people",
///     "person.geolocation.city",
///     "eq",
///     ["Paris"],
/// ));
/// assert_eq!(
///     by_city.to_string(),
///     r#"[{"criterion":"person.geolocation.city","model":"people","operator":"eq","query":["Paris"]}]"#
/// );
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filters(pub Vec<SearchFilter>);

impl Filters {
    /// An empty list of criteria.
    pub fn new() -> Self {
        Filters(Vec::new())
    }

    /// Adds a criterion.
    pub fn with(mut self, filter: SearchFilter) -> Self {
        self.0.push(filter);
        self
    }

    /// Adds a criterion, in place.
    pub fn push(&mut self, filter: SearchFilter) {
        self.0.push(filter);
    }

    /// People search: profiles in the segment `segment`
    /// (`{"model":"people","criterion":"segments","operator":"eq","query":[segment]}`).
    pub fn segment_eq(self, segment: impl Into<String>) -> Self {
        self.with(SearchFilter::people_segment_eq(segment))
    }

    /// People search: the profile whose e-mail address is `email`
    /// (`{"model":"people","criterion":"email","operator":"eq","query":[email]}`).
    pub fn email_eq(self, email: impl Into<String>) -> Self {
        self.with(SearchFilter::people_email_eq(email))
    }

    /// Whether the list holds no criterion.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Formats an instant as the ISO 8601 date-time (UTC, milliseconds) that Crisp's
    /// `filter_date_start`/`filter_date_end` parameters read, such as
    /// `2024-06-01T08:30:00.000Z`.
    ///
    /// ```
    /// use crisp_api::Filters;
    /// use std::time::{Duration, UNIX_EPOCH};
    /// let t = UNIX_EPOCH + Duration::from_millis(1_717_230_600_123);
    /// assert_eq!(Filters::iso8601(t), "2024-06-01T08:30:00.123Z");
    /// ```
    pub fn iso8601(time: SystemTime) -> String {
        // Crisp's dates are all after 1970; an earlier instant reads as the epoch.
        humantime::format_rfc3339_millis(time.max(UNIX_EPOCH)).to_string()
    }
}

impl SearchFilter {
    /// A criterion: `criterion` of `model` (`people` or `session`) compared with `operator`
    /// (`eq`, `neq`, `gt`, `lt`, …) to the values of `query`.
    pub fn new<Q>(
        model: impl Into<String>,
        criterion: impl Into<String>,
        operator: impl Into<String>,
        query: impl IntoIterator<Item = Q>,
    ) -> Self
    where
        Q: Into<String>,
    {
        SearchFilter {
            model: model.into(),
            criterion: criterion.into(),
            operator: operator.into(),
            query: query.into_iter().map(Into::into).collect(),
        }
    }

    /// People search: profiles in the segment `segment`.
    pub fn people_segment_eq(segment: impl Into<String>) -> Self {
        SearchFilter::new("people", "segments", "eq", [segment.into()])
    }

    /// People search: the profile whose e-mail address is `email`.
    pub fn people_email_eq(email: impl Into<String>) -> Self {
        SearchFilter::new("people", "email", "eq", [email.into()])
    }
}

#[cfg(feature = "people")]
impl crate::builder::ListPeopleProfiles<'_> {
    /// Only profiles created between `start` and `end`: sets `filter_date_start` and
    /// `filter_date_end` to these instants in ISO 8601 (see [`Filters::iso8601`]).
    pub fn created_between(self, start: SystemTime, end: SystemTime) -> Self {
        self.filter_date_start(Filters::iso8601(start))
            .filter_date_end(Filters::iso8601(end))
    }
}

impl From<Vec<SearchFilter>> for Filters {
    fn from(filters: Vec<SearchFilter>) -> Self {
        Filters(filters)
    }
}

impl FromIterator<SearchFilter> for Filters {
    fn from_iter<I: IntoIterator<Item = SearchFilter>>(iter: I) -> Self {
        Filters(iter.into_iter().collect())
    }
}

impl Extend<SearchFilter> for Filters {
    fn extend<I: IntoIterator<Item = SearchFilter>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

impl From<Filters> for String {
    fn from(filters: Filters) -> Self {
        filters.to_string()
    }
}

/// The JSON array Crisp expects.
impl std::fmt::Display for Filters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let json = serde_json::to_string(&self.0).map_err(|_| std::fmt::Error)?;
        f.write_str(&json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_and_email_helpers_encode_people_criteria() {
        let f = Filters::new()
            .segment_eq("vip")
            .email_eq("jane.cooper@northwind-labs.com");
        let json: serde_json::Value = serde_json::from_str(&f.to_string()).expect("json");
        assert_eq!(
            json,
            serde_json::json!([
                {"model": "people", "criterion": "segments", "operator": "eq", "query": ["vip"]},
                {"model": "people", "criterion": "email", "operator": "eq",
                 "query": ["jane.cooper@northwind-labs.com"]}
            ])
        );
        assert_eq!(String::from(f.clone()), f.to_string());
    }

    #[test]
    fn empty_and_collected_lists() {
        assert!(Filters::new().is_empty());
        assert_eq!(Filters::new().to_string(), "[]");
        let mut f: Filters = ["a", "b"]
            .into_iter()
            .map(SearchFilter::people_segment_eq)
            .collect();
        f.push(SearchFilter::new(
            "people",
            "person.nickname",
            "neq",
            ["Bob"],
        ));
        f.extend([SearchFilter::people_email_eq("x@y.z")]);
        assert_eq!(f.0.len(), 4);
        assert_eq!(f.0[2].query, vec!["Bob"]);
        assert_eq!(f.0[3].criterion, "email");
    }

    #[test]
    fn iso8601_dates() {
        use std::time::Duration;
        let at = |ms: u64| Filters::iso8601(UNIX_EPOCH + Duration::from_millis(ms));
        assert_eq!(at(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(at(1_717_200_000_000), "2024-06-01T00:00:00.000Z");
        assert_eq!(at(1_709_164_799_999), "2024-02-28T23:59:59.999Z");
        assert_eq!(at(1_709_164_800_000), "2024-02-29T00:00:00.000Z"); // leap day
        assert_eq!(at(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(at(4_102_444_800_000), "2100-01-01T00:00:00.000Z");
        assert_eq!(at(1_735_689_599_500), "2024-12-31T23:59:59.500Z");
        let before = UNIX_EPOCH - Duration::from_millis(1);
        assert_eq!(Filters::iso8601(before), "1970-01-01T00:00:00.000Z");
    }
}
