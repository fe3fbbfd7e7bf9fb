//! Configuration errors and secret redaction.

use crate::support::{AUTHORIZATION, IDENTIFIER, KEY};
use crisp_api::{Client, Error, Tier};

#[test]
fn configuration_errors_name_the_variable() {
    let vars = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    };
    let err = Client::builder()
        .from_lookup(vars(&[("CRISP_IDENTIFIER", "id")]))
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Config {
                name: "CRISP_KEY",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "configuration error: CRISP_KEY is not set");

    let err = Client::builder()
        .from_lookup(vars(&[("CRISP_KEY", "k")]))
        .unwrap_err();
    assert!(err.to_string().contains("CRISP_IDENTIFIER"), "{err}");

    let err = Client::builder()
        .from_lookup(vars(&[("CRISP_IDENTIFIER", "id"), ("CRISP_KEY", "  ")]))
        .unwrap_err();
    assert_eq!(err.to_string(), "configuration error: CRISP_KEY is empty");

    let err = Client::builder()
        .from_lookup(vars(&[
            ("CRISP_IDENTIFIER", "id"),
            ("CRISP_KEY", "k"),
            ("CRISP_TIER", "admin"),
        ]))
        .unwrap_err();
    assert!(
        err.to_string().contains("CRISP_TIER") && err.to_string().contains("admin"),
        "{err}"
    );

    let err = Client::builder()
        .from_lookup(vars(&[
            ("CRISP_IDENTIFIER", "id"),
            ("CRISP_KEY", "k"),
            ("CRISP_API_URL", "not a url"),
        ]))
        .unwrap_err();
    assert!(err.to_string().contains("CRISP_API_URL"), "{err}");

    let client = Client::builder()
        .from_lookup(vars(&[
            ("CRISP_IDENTIFIER", "id"),
            ("CRISP_KEY", "k"),
            ("CRISP_TIER", "Website"),
            ("CRISP_API_URL", "http://127.0.0.1:9/v1"),
        ]))
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(client.tier(), Tier::Website);
    assert_eq!(client.base_url(), "http://127.0.0.1:9/v1");

    // No credentials is allowed (to log in); such a client has no identifier.
    let anonymous = Client::builder().build().unwrap();
    assert_eq!(anonymous.identifier(), None);
    let err = Client::builder()
        .credentials("a", "b")
        .base_url("ftp://x")
        .build()
        .unwrap_err();
    assert!(matches!(
        err,
        Error::Config {
            name: "base_url",
            ..
        }
    ));
}

#[test]
fn secrets_never_appear_in_debug_output() {
    let client = Client::builder()
        .credentials(IDENTIFIER, KEY)
        .build()
        .unwrap();
    let debug = format!("{client:?}");
    assert!(
        debug.contains(IDENTIFIER),
        "identifier is fine to show: {debug}"
    );
    assert!(!debug.contains(KEY), "key leaked: {debug}");
    assert!(
        !debug.contains(AUTHORIZATION.trim_start_matches("Basic ")),
        "auth leaked: {debug}"
    );
    let creds = crisp_api::Credentials::new(IDENTIFIER, KEY);
    assert!(!format!("{creds:?}").contains(KEY));
    let builder = Client::builder().credentials(IDENTIFIER, KEY);
    assert!(!format!("{builder:?}").contains(KEY));
}

#[test]
fn secret_fields_of_generated_types_are_redacted() {
    let keypair = crisp_api::types::UserSessionKeypair {
        identifier: "d0a8c1d6-52a5-4e1b-9b3c-2f1e0c9d8a7b".into(),
        key: "super-secret-user-key".into(),
    };
    let debug = format!("{keypair:?}");
    assert!(
        debug.contains("d0a8c1d6-52a5-4e1b-9b3c-2f1e0c9d8a7b"),
        "{debug}"
    );
    assert!(!debug.contains("super-secret-user-key"), "{debug}");
    assert!(debug.contains("<redacted>"), "{debug}");
    // Request bodies keep their builders, with secrets redacted there too.
    let builder = crisp_api::types::UserSessionLogin::builder().password("super-secret-password");
    assert!(!format!("{builder:?}").contains("super-secret-password"));
    // Serialisation is untouched: the key still travels.
    assert_eq!(
        serde_json::to_value(&keypair).unwrap()["key"],
        "super-secret-user-key"
    );
}
