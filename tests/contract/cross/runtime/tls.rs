//! TLS on loopback: the default provider, the client's extra roots.

use crate::support::{WEBSITE, client_builder};
use crisp_api::Error;
use serde_json::Value;

/// A one-shot HTTPS server on loopback with a fresh self-signed certificate for `localhost`,
/// answering every request with `body`; returns its port and the certificate (DER).
pub(crate) async fn tls_server(body: Value) -> (u16, Vec<u8>) {
    use std::sync::Arc;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let der = certified.cert.der().to_vec();
    let key = rustls::pki_types::PrivatePkcs8KeyDer::from(certified.signing_key.serialize_der());
    // Newer rustls (0.23.48) deprecates the whole *ring* provider (no post-quantum key
    // exchange); a loopback test server does not need it.
    #[allow(deprecated)]
    let ring = rustls::crypto::ring::default_provider();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(ring))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![der.clone().into()], key.into())
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let body = serde_json::to_vec(&body).unwrap();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (acceptor, body) = (acceptor.clone(), body.clone());
            tokio::spawn(async move {
                // A failed handshake (an untrusting client) just ends this connection.
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = tls.write_all(head.as_bytes()).await;
                let _ = tls.write_all(&body).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (port, der)
}

#[tokio::test]
async fn tls_handshakes_with_the_default_provider_and_refuses_an_untrusted_certificate() {
    let (port, der) = tls_server(crisp_api::sandbox::example("get_website").unwrap()).await;
    let builder = || client_builder(format!("https://localhost:{port}/v1"));
    let trusting = builder().add_root_certificate(der).build().unwrap();
    let website = trusting
        .get_website()
        .website_id(WEBSITE)
        .call()
        .await
        .expect("a TLS call to a trusted loopback server");
    assert!(website.website_id.is_some());

    let untrusting = builder().build().unwrap();
    let err = untrusting
        .get_website()
        .website_id(WEBSITE)
        .call()
        .await
        .expect_err("a self-signed certificate is not trusted");
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: crisp_api::TransportKind::Tls,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_connect());
    assert!(err.to_string().contains("TLS handshake failed"), "{err}");
}
