//! Contract tests of the `people` family (the CRM): profiles, their search and conversations
//! (events, data, suggestions, subscriptions, import and export in `people_data`).

use crate::support::{WEBSITE, contract, ctx};
use crisp_api::types;
use serde_json::json;
use wiremock::ResponseTemplate;

/// A profile identifier used across the tests.
pub(crate) const PEOPLE: &str = "4f1d3c2a-8b7e-4a6f-9d5c-2e1b0a9f8e7d";
/// A profile named by its email address; `@` is not a reserved path character and is sent as is.
pub(crate) const EMAIL: &str = "jane.cooper@northwind-labs.com";

#[tokio::test]
async fn list_people_profiles() {
    let t = ctx().await;
    let filter =
        r#"[{"criterion":"segments","model":"people","operator":"eq","query":["enterprise"]}]"#;
    t.expect(
        "list_people_profiles",
        "GET",
        &format!("/website/{WEBSITE}/people/profiles/2"),
    )
    .query("per_page", "50")
    .query("sort_field", "created_at")
    .query("sort_order", "descending")
    .query("search_operator", "or")
    .query("search_filter", filter)
    .query("search_text", "northwind labs & co")
    .mount()
    .await;
    let data = t
        .client
        .list_people_profiles()
        .website_id(WEBSITE)
        .page_number(2u32)
        .per_page(50u32)
        .sort_field("created_at")
        .sort_order(types::PeopleSortOrder::Descending)
        .search_operator(types::PeopleSearchOperator::Or)
        .search_filter(crisp_api::Filters::from(vec![types::SearchFilter {
            model: "people".into(),
            criterion: "segments".into(),
            operator: "eq".into(),
            query: vec!["enterprise".into()],
        }]))
        .search_text("northwind labs & co")
        .call()
        .await
        .expect("call");
    assert_eq!(data.len(), 2);
    let jane = &data[0];
    assert_eq!(jane.people_id.as_deref(), Some(PEOPLE));
    assert_eq!(jane.email.as_deref(), Some(EMAIL));
    let person = jane.person.as_ref().expect("person");
    assert_eq!(person.nickname.as_deref(), Some("Jane Cooper"));
    assert_eq!(person.timezone, Some(-60));
    assert_eq!(person.locales, vec!["fr", "en"]);
    let job = person.employment.as_ref().expect("employment");
    assert_eq!(job.title.as_deref(), Some("Head of Customer Success"));
    assert_eq!(job.seniority.as_deref(), Some("executive"));
    assert_eq!(
        person
            .geolocation
            .as_ref()
            .and_then(|g| g.region.as_deref()),
        Some("Île-de-France")
    );
    assert_eq!(jane.segments, vec!["customer", "enterprise"]);
    assert_eq!(jane.active.as_ref().and_then(|a| a.now), Some(false));
    assert_eq!(
        jane.active.as_ref().and_then(|a| a.last),
        Some(1718619841232)
    );
    assert_eq!(jane.score, Some(82));
    assert_eq!(jane.created_at, Some(1684327593000));
    let marcus = &data[1];
    assert_eq!(marcus.email.as_deref(), Some("marcus.lee@brightpath.io"));
    assert_eq!(marcus.active.as_ref().and_then(|a| a.now), Some(true));
    assert!(marcus.company.is_none());
}

contract! {
    fn list_people_profiles_without_search(t: ctx) {
        t.expect("list_people_profiles", "GET", &format!("/website/{WEBSITE}/people/profiles/1"));
        t.client.list_people_profiles().website_id(WEBSITE).page_number(1u32).call();
        |data| {
            assert_eq!(
                data[1].people_id.as_deref(),
                Some("a93e7b51-06c4-4d2f-bb18-7c5f3e2d9a10")
            );
        }
    }
}

#[tokio::test]
async fn add_new_people_profile() {
    let t = ctx().await;
    t.expect(
        "add_new_people_profile",
        "POST",
        &format!("/website/{WEBSITE}/people/profile"),
    )
    .body(json!({
        "email": "amir.haddad@quantaloop.com",
        "person": {
            "nickname": "Amir Haddad",
            "phone": "+44 20 7946 0958",
            "timezone": 0,
            "profiles": [{"type": "github", "handle": "amirh", "url": "https://github.com/amirh"}],
            "employment": {"name": "Quantaloop", "title": "CTO", "seniority": "executive"},
            "geolocation": {
                "country": "GB",
                "city": "London",
                "coordinates": {"latitude": 51.5072, "longitude": -0.1276}
            },
            "locales": ["en", "ar"]
        },
        "company": {
            "name": "Quantaloop",
            "domain": "quantaloop.com",
            "emails": ["team@quantaloop.com"],
            "metrics": {"employees": 35, "raised": 4200000},
            "tags": ["fintech"]
        },
        "segments": ["lead", "webinar-2024"],
        "notepad": "Met at the London fintech meetup.",
        "active": 1718620456789i64
    }))
    .mount()
    .await;
    let card = types::PeopleProfileSave {
        email: "amir.haddad@quantaloop.com".into(),
        person: types::PeopleProfilePerson {
            nickname: Some("Amir Haddad".into()),
            phone: Some("+44 20 7946 0958".into()),
            timezone: Some(0),
            profiles: vec![types::PeopleProfileSocial {
                type_: Some("github".into()),
                handle: Some("amirh".into()),
                url: Some("https://github.com/amirh".into()),
            }],
            employment: Some(types::PeopleProfileEmployment {
                name: Some("Quantaloop".into()),
                title: Some("CTO".into()),
                seniority: Some("executive".into()),
                ..Default::default()
            }),
            geolocation: Some(types::Geolocation {
                country: Some("GB".into()),
                city: Some("London".into()),
                coordinates: Some(types::Coordinates {
                    latitude: Some(51.5072),
                    longitude: Some(-0.1276),
                }),
                ..Default::default()
            }),
            locales: vec!["en".into(), "ar".into()],
            ..Default::default()
        },
        company: Some(types::PeopleProfileCompany {
            name: Some("Quantaloop".into()),
            domain: Some("quantaloop.com".into()),
            emails: vec!["team@quantaloop.com".into()],
            metrics: Some(types::PeopleProfileCompanyMetrics {
                employees: Some(35),
                raised: Some(4_200_000),
                ..Default::default()
            }),
            tags: vec!["fintech".into()],
            ..Default::default()
        }),
        segments: vec!["lead".into(), "webinar-2024".into()],
        notepad: Some("Met at the London fintech meetup.".into()),
        active: Some(1718620456789),
    };
    let data = t
        .client
        .add_new_people_profile()
        .website_id(WEBSITE)
        .body(card)
        .call()
        .await
        .expect("call");
    assert_eq!(data.people_id, "c7e2a9d4-3b1f-4e8a-a6d0-5f9b8c7e1d23");
}

contract! {
    fn check_people_profile_exists(t: ctx) {
        t.expect(
            "check_people_profile_exists",
            "HEAD",
            &format!("/website/{WEBSITE}/people/profile/{PEOPLE}"),
        );
        t.client.check_people_profile_exists().website_id(WEBSITE).people_id(PEOPLE).exists();
        |found| {
            assert!(found);
        }
    }

    fn check_people_profile_exists_not_found(t: ctx) {
        t.expect(
            "check_people_profile_exists",
            "HEAD",
            &format!("/website/{WEBSITE}/people/profile/ghost@nowhere.example"),
        )
        .respond(ResponseTemplate::new(404));
        t.client
            .check_people_profile_exists()
            .website_id(WEBSITE)
            .people_id("ghost@nowhere.example")
            .exists();
        |found| {
            assert!(!found);
        }
    }

    /// A `people_id` given as an email address: `@` and `.` are legal in a path segment, so the
    /// generated `encode_path` leaves them as they are.
    fn get_people_profile_by_email(t: ctx) {
        t.expect(
            "get_people_profile",
            "GET",
            &format!("/website/{WEBSITE}/people/profile/jane.cooper@northwind-labs.com"),
        );
        t.client.get_people_profile().website_id(WEBSITE).people_id(EMAIL).call();
        |p| {
            assert_eq!(p.people_id.as_deref(), Some(PEOPLE));
            assert_eq!(p.email.as_deref(), Some(EMAIL));
            let person = p.person.as_ref().expect("person");
            assert_eq!(person.gender.as_deref(), Some("female"));
            assert_eq!(
                person.address.as_deref(),
                Some("12 rue de la Paix, 75002 Paris, France")
            );
            assert_eq!(person.website.as_deref(), Some("https://janecooper.dev"));
            assert_eq!(person.profiles.len(), 2);
            assert_eq!(person.profiles[0].type_.as_deref(), Some("linkedin"));
            assert_eq!(person.profiles[1].handle.as_deref(), Some("jcooper_cs"));
            assert_eq!(
                person.employment.as_ref().and_then(|e| e.domain.as_deref()),
                Some("northwind-labs.com")
            );
            let coords = person
                .geolocation
                .as_ref()
                .and_then(|g| g.coordinates.as_ref())
                .expect("coordinates");
            assert_eq!(coords.latitude, Some(48.8686));
            assert_eq!(coords.longitude, Some(2.3314));
            let company = p.company.as_ref().expect("company");
            assert_eq!(company.legal_name.as_deref(), Some("Northwind Labs SAS"));
            assert_eq!(company.phones, vec!["+33 1 84 88 00 00"]);
            assert_eq!(company.emails.len(), 2);
            assert_eq!(company.tags, vec!["saas", "logistics", "b2b"]);
            assert_eq!(
                company.geolocation.as_ref().and_then(|g| g.city.as_deref()),
                Some("Lyon")
            );
            let metrics = company.metrics.as_ref().expect("metrics");
            assert_eq!(metrics.employees, Some(140));
            assert_eq!(metrics.market_cap, Some(0));
            assert_eq!(metrics.raised, Some(18_000_000));
            assert_eq!(metrics.arr, Some(6_500_000));
            assert_eq!(p.segments, vec!["customer", "enterprise", "nps-promoter"]);
            assert_eq!(
                p.notepad.as_deref(),
                Some("Renewal call booked for July; wants SSO.")
            );
            assert_eq!(p.score, Some(82));
            assert_eq!(p.updated_at, Some(1718619841232));
        }
    }

    /// Reserved characters of an odd `people_id` are percent-encoded, so the id stays one segment.
    fn get_people_profile_reserved_characters(t: ctx) {
        t.expect(
            "get_people_profile",
            "GET",
            &format!("/website/{WEBSITE}/people/profile/ops%20team%2Femea%3Fq%23top%2550@acme.com"),
        );
        t.client
            .get_people_profile()
            .website_id(WEBSITE)
            .people_id("ops team/emea?q#top%50@acme.com")
            .call();
        |p| {
            assert_eq!(p.people_id.as_deref(), Some(PEOPLE));
        }
    }

    fn update_people_profile(t: ctx) {
        t.expect(
            "update_people_profile",
            "PATCH",
            &format!("/website/{WEBSITE}/people/profile/{PEOPLE}"),
        )
        .body(json!({
            "segments": ["customer", "enterprise", "renewal-q3"],
            "notepad": "Renewal signed for 2 years.",
            "person": {"employment": {"title": "VP Customer Experience"}}
        }));
        t.client
            .update_people_profile()
            .website_id(WEBSITE)
            .people_id(PEOPLE)
            .body(types::PeopleProfileCard {
                segments: vec!["customer".into(), "enterprise".into(), "renewal-q3".into()],
                notepad: Some("Renewal signed for 2 years.".into()),
                person: Some(types::PeopleProfilePerson {
                    employment: Some(types::PeopleProfileEmployment {
                        title: Some("VP Customer Experience".into()),
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            })
            .call();
        |()| {}
    }

    fn save_people_profile(t: ctx) {
        t.expect(
            "save_people_profile",
            "PUT",
            &format!("/website/{WEBSITE}/people/profile/{EMAIL}"),
        )
        .body(json!({
            "email": EMAIL,
            "person": {"nickname": "Jane Cooper", "avatar": "https://img.crisp.chat/avatar/jane.png"},
            "segments": ["customer"]
        }));
        t.client
            .save_people_profile()
            .website_id(WEBSITE)
            .people_id(EMAIL)
            .body(types::PeopleProfileSave {
                email: EMAIL.into(),
                person: types::PeopleProfilePerson {
                    nickname: Some("Jane Cooper".into()),
                    avatar: Some("https://img.crisp.chat/avatar/jane.png".into()),
                    ..Default::default()
                },
                segments: vec!["customer".into()],
                company: None,
                notepad: None,
                active: None,
            })
            .call();
        |()| {}
    }

    fn remove_people_profile(t: ctx) {
        t.expect(
            "remove_people_profile",
            "DELETE",
            &format!("/website/{WEBSITE}/people/profile/marcus.lee+crm@brightpath.io"),
        );
        t.client
            .remove_people_profile()
            .website_id(WEBSITE)
            .people_id("marcus.lee+crm@brightpath.io")
            .call();
        |()| {}
    }

    fn list_people_conversations(t: ctx) {
        t.expect(
            "list_people_conversations",
            "GET",
            &format!("/website/{WEBSITE}/people/conversations/{PEOPLE}/list/1"),
        )
        .query("filter_unread", "1")
        .query("filter_resolved", "0")
        .query("filter_not_resolved", "1");
        t.client
            .list_people_conversations()
            .website_id(WEBSITE)
            .people_id(PEOPLE)
            .page_number(1u32)
            .filter_unread(true)
            .filter_resolved(false)
            .filter_not_resolved(true)
            .call();
        |sessions| {
            assert_eq!(
                sessions,
                vec![
                    "session_700c65e1-85e2-465a-b9ac-ecb5ec2c9881",
                    "session_1f5b2e8c-4d3a-4b6e-9c7f-0a2d1e3b4c5d",
                    "session_e9a8b7c6-d5e4-4f3a-8b2c-1d0e9f8a7b6c",
                ]
            );
        }
    }
}

/// The typed helpers of `Filters` and `.created_between` encode the people search exactly as
/// Crisp reads it.
#[tokio::test]
async fn list_people_profiles_with_typed_filters_and_dates() {
    use std::time::{Duration, UNIX_EPOCH};
    let t = ctx().await;
    let filter = concat!(
        r#"[{"criterion":"segments","model":"people","operator":"eq","query":["vip"]},"#,
        r#"{"criterion":"email","model":"people","operator":"eq","query":["jane.cooper@northwind-labs.com"]}]"#
    );
    t.expect(
        "list_people_profiles",
        "GET",
        &format!("/website/{WEBSITE}/people/profiles/1"),
    )
    .query("search_filter", filter)
    .query("search_operator", "or")
    .query("filter_date_start", "2024-06-01T00:00:00.000Z")
    .query("filter_date_end", "2024-06-30T23:59:59.999Z")
    .mount()
    .await;
    let start = UNIX_EPOCH + Duration::from_millis(1_717_200_000_000);
    let end = UNIX_EPOCH + Duration::from_millis(1_719_791_999_999);
    let data = t
        .client
        .list_people_profiles()
        .website_id(WEBSITE)
        .page_number(1u32)
        .search_filter(crisp_api::Filters::new().segment_eq("vip").email_eq(EMAIL))
        .search_operator(types::PeopleSearchOperator::Or)
        .created_between(start, end)
        .call()
        .await
        .expect("call");
    assert_eq!(data.len(), 2);
}
