//! Contract tests of the `media` family (animations; spec file `openapi/media.yaml`).

use crate::support::{contract, ctx};
use futures::TryStreamExt;
use serde_json::json;
use wiremock::ResponseTemplate;

contract! {
    fn list_animation_medias(t: ctx) {
        t.expect("list_animation_medias", "GET", "/media/animation/list/1")
            .query("list_id", "42")
            .query("search_query", "thank you");
        t.client
            .list_animation_medias()
            .page_number(1u32)
            .list_id(42i64)
            .search_query("thank you")
            .call();
        |list| {
            assert_eq!(list.len(), 2);
            assert_eq!(list[0].type_.as_deref(), Some("image/gif"));
            assert_eq!(
                list[0].url.as_deref(),
                Some("https://media.crisp.chat/animations/thank-you-3f9a2c.gif")
            );
        }
    }
}

#[tokio::test]
async fn list_animation_medias_stream() {
    let t = ctx().await;
    t.expect("list_animation_medias", "GET", "/media/animation/list/1")
        .query("search_query", "high five")
        .mount()
        .await;
    t.expect("list_animation_medias", "GET", "/media/animation/list/2")
        .query("search_query", "high five")
        .respond(
            ResponseTemplate::new(200)
                .set_body_json(json!({"error": false, "reason": "listed", "data": []})),
        )
        .mount()
        .await;
    let urls: Vec<Option<String>> = t
        .client
        .list_animation_medias()
        .search_query("high five")
        .stream()
        .map_ok(|m| m.url)
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(urls.len(), 2);
}
