//! TLS for the SDK's own HTTP client.
//!
//! With the default `rustls` feature, the client gets a rustls configuration built on the
//! *ring* crypto provider and the platform's certificate verifier (as reqwest would build it,
//! but without aws-lc-rs, whose C build dominates a cold build). The provider is handed to this
//! client only: no process-wide default provider is installed behind the caller's back.
//! With `rustls-aws-lc` or `native-tls`, reqwest configures TLS itself.

use crate::Error;

/// A `reqwest::ClientBuilder` set up as the SDK sets up its own HTTP client: the crate's TLS
/// choice (with the default `rustls` feature, rustls on the *ring* provider) and no redirects
/// (Crisp never redirects). Start from it to bring your own client (a proxy, other timeouts)
/// to [`ClientBuilder::http_client`](crate::ClientBuilder::http_client).
///
/// With the default `rustls` feature, reqwest is built without a crypto provider of its own,
/// so a bare `reqwest::Client::new()` panics unless your application enables one (reqwest's
/// default `rustls` feature does, or install one with rustls' `install_default`); this
/// builder needs neither.
///
/// ```
/// let http = crisp_api::http_client_builder()?
///     .pool_max_idle_per_host(4)
///     .build()
///     .expect("an HTTP client");
/// let client = crisp_api::Client::builder()
///     .credentials("7c3ef21c-1e04-41ce-8c06-5605c346f73e", "key")
///     .http_client(http)
///     .build()?;
/// # Ok::<(), crisp_api::Error>(())
/// ```
pub fn http_client_builder() -> Result<reqwest::ClientBuilder, Error> {
    configure(
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()),
        &[],
    )
}

/// Applies the crate's TLS choice and the extra trusted roots (DER) to `builder`.
pub(crate) fn configure(
    builder: reqwest::ClientBuilder,
    extra_roots: &[Vec<u8>],
) -> Result<reqwest::ClientBuilder, Error> {
    #[cfg(all(feature = "rustls", not(feature = "rustls-aws-lc")))]
    {
        ring(builder, extra_roots)
    }
    #[cfg(not(all(feature = "rustls", not(feature = "rustls-aws-lc"))))]
    {
        reqwest_roots(builder, extra_roots)
    }
}

#[cfg(all(feature = "rustls", not(feature = "rustls-aws-lc")))]
fn ring(
    builder: reqwest::ClientBuilder,
    extra_roots: &[Vec<u8>],
) -> Result<reqwest::ClientBuilder, Error> {
    let mut config = ring_config(extra_roots).map_err(|e| Error::config("tls", e.to_string()))?;
    // The SDK's reqwest speaks HTTP/1.1 only.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(builder.tls_backend_preconfigured(config))
}

/// The crypto provider: the process-wide default when the application installed one
/// (`CryptoProvider::install_default`, rustls' supported way to choose a provider, for example
/// aws-lc-rs with post-quantum key exchange), else rustls' *ring* provider. rustls 0.23.48
/// deprecates its *ring* provider as a whole ("no support for post-quantum algorithms") and
/// offers no non-deprecated way to build it; this is the one place it is named, so that builds
/// with `-D warnings` against newer rustls stay clean (`.ci/run` checks it against the newest
/// compatible dependencies).
#[cfg(any(
    all(feature = "rustls", not(feature = "rustls-aws-lc")),
    feature = "rtm"
))]
fn provider() -> std::sync::Arc<rustls::crypto::CryptoProvider> {
    if let Some(installed) = rustls::crypto::CryptoProvider::get_default() {
        return installed.clone();
    }
    #[allow(deprecated)]
    let ring = rustls::crypto::ring::default_provider();
    std::sync::Arc::new(ring)
}

/// rustls on the *ring* provider with the platform's verifier, also trusting `extra_roots`
/// (DER): the REST client's TLS (feature `rustls`) and the RTM socket's (feature `rtm`).
#[cfg(any(
    all(feature = "rustls", not(feature = "rustls-aws-lc")),
    feature = "rtm"
))]
pub(crate) fn ring_config(extra_roots: &[Vec<u8>]) -> Result<rustls::ClientConfig, rustls::Error> {
    use rustls::pki_types::CertificateDer;
    use std::sync::Arc;
    let provider = provider();
    let verifier = if extra_roots.is_empty() {
        rustls_platform_verifier::Verifier::new(provider.clone())?
    } else {
        let roots = extra_roots
            .iter()
            .map(|der| CertificateDer::from(der.clone()));
        rustls_platform_verifier::Verifier::new_with_extra_roots(roots, provider.clone())?
    };
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth())
}

#[cfg(not(all(feature = "rustls", not(feature = "rustls-aws-lc"))))]
fn reqwest_roots(
    builder: reqwest::ClientBuilder,
    extra_roots: &[Vec<u8>],
) -> Result<reqwest::ClientBuilder, Error> {
    if extra_roots.is_empty() {
        return Ok(builder);
    }
    #[cfg(any(feature = "rustls-aws-lc", feature = "native-tls"))]
    {
        let certs = extra_roots
            .iter()
            .map(|der| reqwest::Certificate::from_der(der))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Error::config("root_certificate", e.to_string()))?;
        Ok(builder.tls_certs_merge(certs))
    }
    #[cfg(not(any(feature = "rustls-aws-lc", feature = "native-tls")))]
    {
        let _ = builder;
        Err(Error::config(
            "root_certificate",
            "no TLS feature is enabled (`rustls`, `rustls-aws-lc` or `native-tls`)",
        ))
    }
}
