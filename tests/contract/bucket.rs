//! Contract tests of the `bucket` family (upload URLs; spec file `openapi/bucket.yaml`).

use crate::support::{WEBSITE, contract};
use crisp_api::types;
use serde_json::json;

contract! {
    fn generate_bucket_url(t: ctx) {
        t.expect("generate_bucket_url", "POST", "/bucket/url/generate")
            .body(json!({
                "namespace": "upload",
                "id": "0b5e3c8a-2f71-4d96-8e1a-7c4d9b2f6e03",
                "file": {"name": "invoice-1042.pdf", "type": "application/pdf"},
                "resource": {"type": "website", "id": WEBSITE}
            }));
        t.client
            .generate_bucket_url()
            .body(types::BucketUrlRequest {
                namespace: "upload".into(),
                id: "0b5e3c8a-2f71-4d96-8e1a-7c4d9b2f6e03".into(),
                file: types::BucketUrlRequestFile {
                    name: "invoice-1042.pdf".into(),
                    type_: "application/pdf".into(),
                },
                resource: Some(types::BucketUrlRequestResource {
                    type_: Some("website".into()),
                    id: Some(WEBSITE.into()),
                }),
            })
            .call();
        |()| {}
    }
}
