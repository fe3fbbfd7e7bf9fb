//! The one hook every request goes through, generated operations and raw calls alike: it adds
//! authentication, the tier and the user agent, and records the response status.

use crate::config::Inner;
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue, USER_AGENT};

/// The `X-Crisp-Tier` header.
pub(crate) const TIER_HEADER: HeaderName = HeaderName::from_static("x-crisp-tier");

impl ClientHooks<Inner> for crate::Client {
    async fn exec(
        &self,
        mut request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let inner = self.inner();
        let headers = request.headers_mut();
        headers.insert(AUTHORIZATION, inner.authorization.clone());
        headers.insert(TIER_HEADER, HeaderValue::from_static(inner.tier.as_str()));
        headers.insert(USER_AGENT, inner.user_agent.clone());
        // progenitor adds `api-version` from `info.version`; Crisp versions by path instead.
        headers.remove("api-version");
        let response = self.client().execute(request).await?;
        crate::call::record_response(&response);
        Ok(response)
    }
}
