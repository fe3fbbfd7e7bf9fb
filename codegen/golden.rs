// Golden copy of the generated code of one operation, `list_campaign_statistics`
// (`GET /website/{website_id}/campaign/{campaign_id}/statistics/{action}/{page_number}`).
// Written by `cargo xtask gen`, checked by `cargo xtask gen --check`: review its diff
// when progenitor or a codegen pass changes. Not compiled.

impl Client {
    /**List who opened, clicked or unsubscribed from a campaign, one page at a time

Returns one page of the tracking records of a campaign for one kind of action: each
record names the contact and carries the action's details in `data` (for a click, the
link). Known actions: `opened`, `clicked`, `unsubscribed` (the counters of
`get_campaign`'s `statistics`).

Pages start at 1; an empty page means there are no more records.


Sends a `GET` request to `/website/{website_id}/campaign/{campaign_id}/statistics/{action}/{page_number}`

Arguments:
- `website_id`: The website (workspace) identifier.
- `campaign_id`: The campaign identifier (a UUID).
- `action`: The tracked action to list, such as `opened`, `clicked` or `unsubscribed`. Crisp's
reference names this segment `type`; it keeps the clients' name `action` here because
`type` is a Rust keyword (its setter would be `type_`), which would cost users a
clearer name for nothing on the wire.

- `page_number`: The page to read, starting at 1.
- `per_page`: How many records a page holds (Crisp's reference documents this page size; the official
clients do not send it, and Crisp's default applies when it is left out).

```ignore
let data = client.list_campaign_statistics()
    .website_id(website_id)
    .campaign_id(campaign_id)
    .action(action)
    .page_number(page_number)
    .per_page(per_page)
    .call()
    .await?;
```*/
    #[doc(alias = "listCampaignStatistics")]
    #[doc(alias = "WebsiteCampaign.listCampaignStatistics")]
    #[doc(alias = "ListCampaignStatistics")]
    #[doc(alias = "WebsiteService.ListCampaignStatistics")]
    pub fn list_campaign_statistics(&self) -> builder::ListCampaignStatistics<'_> {
        builder::ListCampaignStatistics::new(self)
    }
}
pub mod builder {
    /**Builder for [`Client::list_campaign_statistics`]

[`Client::list_campaign_statistics`]: super::Client::list_campaign_statistics*/
    #[derive(Debug, Clone)]
    pub struct ListCampaignStatistics<'a> {
        client: &'a super::Client,
        website_id: Result<::std::string::String, String>,
        campaign_id: Result<::std::string::String, String>,
        action: Result<::std::string::String, String>,
        page_number: Result<::std::num::NonZeroU32, String>,
        per_page: Result<Option<::std::num::NonZeroU32>, String>,
    }
    impl<'a> ListCampaignStatistics<'a> {
        pub fn new(client: &'a super::Client) -> Self {
            Self {
                client: client,
                website_id: Err(::std::string::String::new()),
                campaign_id: Err(::std::string::String::new()),
                action: Err(::std::string::String::new()),
                page_number: Err(::std::string::String::new()),
                per_page: Ok(None),
            }
        }
        pub fn website_id<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::string::String>,
        {
            self.website_id = value
                .try_into()
                .map_err(|_| {
                    "conversion to `:: std :: string :: String` for website_id failed"
                        .to_string()
                });
            self
        }
        pub fn campaign_id<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::string::String>,
        {
            self.campaign_id = value
                .try_into()
                .map_err(|_| {
                    "conversion to `:: std :: string :: String` for campaign_id failed"
                        .to_string()
                });
            self
        }
        pub fn action<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::string::String>,
        {
            self.action = value
                .try_into()
                .map_err(|_| {
                    "conversion to `:: std :: string :: String` for action failed"
                        .to_string()
                });
            self
        }
        pub fn page_number<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::num::NonZeroU32>,
        {
            self.page_number = value
                .try_into()
                .map_err(|_| {
                    "conversion to `:: std :: num :: NonZeroU32` for page_number failed"
                        .to_string()
                });
            self
        }
        pub fn per_page<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::num::NonZeroU32>,
        {
            self.per_page = value
                .try_into()
                .map(Some)
                .map_err(|_| {
                    "conversion to `:: std :: num :: NonZeroU32` for per_page failed"
                        .to_string()
                });
            self
        }
        ///Sends a `GET` request to `/website/{website_id}/campaign/{campaign_id}/statistics/{action}/{page_number}`
        pub fn send(
            self,
        ) -> crate::runtime::Sending<'a, types::ListCampaignStatisticsResponse> {
            crate::runtime::Sending::new(self.prepare())
        }
        /// Builds the request (the SDK's calling methods send it).
        pub(crate) fn prepare(self) -> crate::runtime::Built<'a, types::ErrorEnvelope> {
            let Self {
                client,
                website_id,
                campaign_id,
                action,
                page_number,
                per_page,
            } = self;
            let website_id = website_id
                .map_err(|e| crate::runtime::unset(e, "website_id"))?;
            let campaign_id = campaign_id
                .map_err(|e| crate::runtime::unset(e, "campaign_id"))?;
            let action = action.map_err(|e| crate::runtime::unset(e, "action"))?;
            let page_number = page_number
                .map_err(|e| crate::runtime::unset(e, "page_number"))?;
            let per_page = per_page.map_err(|e| crate::runtime::unset(e, "per_page"))?;
            let url = format!(
                "{}/website/{}/campaign/{}/statistics/{}/{}", client.baseurl, crate
                ::runtime::segment(& website_id, "website_id") ?, crate
                ::runtime::segment(& campaign_id, "campaign_id") ?, crate
                ::runtime::segment(& action, "action") ?, crate ::runtime::segment(&
                page_number.to_string(), "page_number") ?,
            );
            #[allow(unused_mut)]
            let mut request = client
                .client
                .get(url)
                .header(
                    ::reqwest::header::ACCEPT,
                    ::reqwest::header::HeaderValue::from_static("application/json"),
                )
                .query(&progenitor_client::QueryParam::new("per_page", &per_page))
                .build()?;
            return ::std::result::Result::Ok((
                client,
                request,
                "list_campaign_statistics",
            ));
        }
    }
}
pub mod types {
    ///`ListCampaignStatisticsResponse`
    pub type ListCampaignStatisticsResponse = crate::runtime::Envelope<
        ::std::vec::Vec<CampaignStatistic>,
    >;
}
impl<'a> crate::generated::builder::ListCampaignStatistics<'a> {
    /// Streams every page of `list_campaign_statistics` (`GET /website/{website_id}/campaign/{campaign_id}/statistics/{action}/{page_number}`) from page 1, each as a `Vec`, keeping the other parameters set on this builder. See [`Pages`](crate::Pages) for how it ends.
    pub fn pages(self) -> crate::Pages<'a, CampaignStatistic> {
        crate::runtime::Pages::new(
            "list_campaign_statistics",
            move |page| {
                let request = self.clone().page_number(page);
                crate::runtime::page::<
                    types::ListCampaignStatisticsResponse,
                    _,
                >("list_campaign_statistics", request.prepare())
            },
        )
    }
    /// Streams the items of every page of `list_campaign_statistics`, one by one, keeping the other parameters set on this builder. See [`Items`](crate::Items).
    pub fn stream(self) -> crate::Items<'a, CampaignStatistic> {
        self.pages().items()
    }
}
impl<'a> crate::generated::builder::ListCampaignStatistics<'a> {
    /// Sends the `list_campaign_statistics` request (`GET /website/{website_id}/campaign/{campaign_id}/statistics/{action}/{page_number}`) and returns the `data` of Crisp's envelope.
    pub fn call(
        self,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<::std::vec::Vec<CampaignStatistic>, crate::Error>,
    > {
        crate::runtime::data::<
            types::ListCampaignStatisticsResponse,
            _,
        >("list_campaign_statistics", self.prepare())
    }
    /// Sends the `list_campaign_statistics` request (`GET /website/{website_id}/campaign/{campaign_id}/statistics/{action}/{page_number}`) and returns the `data` with the HTTP status and headers.
    pub fn response(
        self,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            crate::Response<::std::vec::Vec<CampaignStatistic>>,
            crate::Error,
        >,
    > {
        crate::runtime::response::<
            types::ListCampaignStatisticsResponse,
            _,
        >("list_campaign_statistics", self.prepare())
    }
}
