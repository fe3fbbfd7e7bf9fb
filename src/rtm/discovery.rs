//! Endpoint discovery (`GET …/connect/endpoints`) and the socket's TLS configuration.

use super::*;

#[derive(Debug, Clone)]
pub(super) enum Discovery {
    Fixed(String),
    Plugin,
    Website(String),
}

impl Discovery {
    pub(super) fn is_dynamic(&self) -> bool {
        !matches!(self, Discovery::Fixed(_))
    }

    pub(super) async fn run(&self, client: &Client) -> Result<String, Error> {
        let found = match self {
            Discovery::Fixed(url) => return Ok(url.clone()),
            Discovery::Plugin => {
                let data = client
                    .get_connect_endpoints()
                    .call()
                    .await
                    .map_err(Error::Discovery)?;
                let main = data.socket.and_then(|s| s.app);
                let rescue = data.rescue.and_then(|r| r.socket).and_then(|s| s.app);
                main.or(rescue)
            }
            Discovery::Website(website) => {
                let data = client
                    .get_website_connect_endpoints()
                    .website_id(website)
                    .call()
                    .await
                    .map_err(Error::Discovery)?;
                let main = data.socket.and_then(|s| s.app);
                let rescue = data.rescue.and_then(|r| r.socket).and_then(|s| s.app);
                main.or(rescue)
            }
        };
        found
            .filter(|u| !u.trim().is_empty())
            .ok_or(Error::NoEndpoint)
    }
}

/// rustls on the *ring* provider with the platform's verifier and the client's extra roots, as
/// the REST client.
pub(super) fn tls_config(roots: &[Vec<u8>]) -> Result<Arc<rustls::ClientConfig>, Error> {
    crate::tls::ring_config(roots)
        .map(Arc::new)
        .map_err(|e| Error::config("tls", e.to_string()))
}
