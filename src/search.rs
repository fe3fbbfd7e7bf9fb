//! Filter searches: the JSON list of criteria that `list_conversations` (`search_query` with
//! `search_type=filter`) and `list_people_profiles` (`search_filter`) take as a query string.

use crate::types::SearchFilter;

/// A list of [`SearchFilter`] criteria, usable directly as a query parameter value.
///
/// ```no_run
/// # async fn run(client: crisp_api::Client) -> Result<(), crisp_api::Error> {
/// use crisp_api::{Filters, types::SearchFilter};
/// let vip = Filters::from(vec![SearchFilter {
///     model: "people".into(),
///     criterion: "segments".into(),
///     operator: "eq".into(),
///     query: vec!["vip".into()],
/// }]);
/// let profiles = client
///     .list_people_profiles()
///     .website_id("8c842203-7ed8-4e29-a608-7cf78a7d2fcc")
///     .page_number(1u32)
///     .search_filter(vip)
///     .call()
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filters(pub Vec<SearchFilter>);

impl From<Vec<SearchFilter>> for Filters {
    fn from(filters: Vec<SearchFilter>) -> Self {
        Filters(filters)
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
