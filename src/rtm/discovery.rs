//! Endpoint discovery (`GET …/connect/endpoints`), the socket's credentials (the key kept out of `Debug`) and its TLS configuration.

use super::*;

/// A token key, kept out of `Debug`.
#[derive(Clone)]
pub(super) struct Secret(pub(super) String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

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

/// The identifier and key, read back from the client's `Authorization` header.
pub(super) fn credentials(inner: &crate::config::Inner) -> Result<(String, Secret), Error> {
    use base64::Engine as _;
    let missing = || Error::Config {
        setting: "credentials",
        message: "the client has no token: build it with .credentials(identifier, key)".into(),
    };
    let identifier = inner.identifier.clone().ok_or_else(missing)?;
    let header = inner.authorization.as_ref().ok_or_else(missing)?;
    let decoded = header
        .to_str()
        .ok()
        .and_then(|h| h.strip_prefix("Basic "))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(missing)?;
    let key = decoded
        .strip_prefix(identifier.as_str())
        .and_then(|rest| rest.strip_prefix(':'))
        .ok_or_else(missing)?
        .to_owned();
    Ok((identifier, Secret(key)))
}

/// rustls on the *ring* provider with the platform's verifier and the client's extra roots, as
/// the REST client.
pub(super) fn tls_config(roots: &[Vec<u8>]) -> Result<Arc<rustls::ClientConfig>, Error> {
    crate::tls::ring_config(roots)
        .map(Arc::new)
        .map_err(|e| Error::Config {
            setting: "tls",
            message: e.to_string(),
        })
}
