//! Contract tests of the `analytics` family (spec file `openapi/analytics.yaml`).

use crate::support::{WEBSITE, contract};
use crisp_api::types;
use serde_json::json;

/// The inbox the analytics filter names.
const INBOX: &str = "6b1e3f8a-2d47-49c0-8e5b-a13f7c9d04e6";

contract! {
    fn generate_analytics(t: ctx) {
        t.expect(
            "generate_analytics",
            "POST",
            &format!("/website/{WEBSITE}/analytics/generate"),
        )
        .body(json!({
            "metric": "conversation",
            "type": "created",
            "split_by": "origin",
            "filter": {"inbox_id": INBOX},
            "date": {
                "from": "2024-06-10T00:00:00.000Z",
                "to": "2024-06-17T00:00:00.000Z",
                "split": "day",
                "timezone": "Europe/Paris",
                "days": {"monday": {"hour_from": "09:00", "hour_to": "18:00"}}
            },
            "raw_export": false
        }));
        t.client
            .generate_analytics()
            .website_id(WEBSITE)
            .body(types::AnalyticsGenerateQuery {
                metric: "conversation".into(),
                type_: "created".into(),
                aggregator: None,
                split_by: Some("origin".into()),
                filter: Some(json!({"inbox_id": INBOX})),
                date: types::AnalyticsGenerateDate {
                    from: "2024-06-10T00:00:00.000Z".into(),
                    to: "2024-06-17T00:00:00.000Z".into(),
                    split: "day".into(),
                    timezone: "Europe/Paris".into(),
                    days: Some(types::AnalyticsGenerateDays {
                        monday: Some(types::AnalyticsGenerateDayHours {
                            hour_from: "09:00".into(),
                            hour_to: "18:00".into(),
                        }),
                        ..Default::default()
                    }),
                },
                if_: None,
                then: None,
                raw_export: Some(false),
            })
            .call();
        |points| {
            assert_eq!(points.len(), 2);
            assert_eq!(
                points[0].period.as_deref(),
                Some("2024-06-10T00:00:00.000Z")
            );
            assert_eq!(points[0].value, Some(42.0));
            assert_eq!(points[0].unique_hits, Some(37));
            assert_eq!(points[1].value, Some(51.5));
            assert_eq!(points[1].split_by.as_deref(), Some("email"));
            assert_eq!(points[1].sum_value, Some(93.5));
            assert_eq!(points[1].sum_hits, Some(90));
        }
    }
}
