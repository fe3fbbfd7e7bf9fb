// Golden copy of the generated code of one operation, `list_campaign_templates`
// (`GET /website/{website_id}/campaigns/templates/{page_number}`).
// Written by `cargo xtask gen`, checked by `cargo xtask gen --check`: review its diff
// when progenitor or a codegen pass changes. Not compiled.

impl Client {
    /**List (and filter) the campaign templates of a website, one page at a time

Returns one page of the website's e-mail templates, without their content (read it with
`get_campaign_template`). `search_name` looks for a name; `filter_type_static` and
`filter_type_custom` keep templates of that type.

Pages start at 1; an empty page means there are no more templates.


Sends a `GET` request to `/website/{website_id}/campaigns/templates/{page_number}`

Arguments:
- `website_id`: The website (workspace) identifier.
- `page_number`: The page to read, starting at 1.
- `filter_type_custom`: Keep `custom` templates.
- `filter_type_static`: Keep `static` templates.
- `search_name`: Text to look for in template names.
```ignore
let data = client.list_campaign_templates()
    .website_id(website_id)
    .page_number(page_number)
    .filter_type_custom(filter_type_custom)
    .filter_type_static(filter_type_static)
    .search_name(search_name)
    .call()
    .await?;
```*/
    #[doc(alias = "listCampaignTemplates")]
    #[doc(alias = "WebsiteCampaign.listCampaignTemplates")]
    #[doc(alias = "FilterCampaignTemplates")]
    pub fn list_campaign_templates(&self) -> builder::ListCampaignTemplates<'_> {
        builder::ListCampaignTemplates::new(self)
    }
}
pub mod builder {
    /**Builder for [`Client::list_campaign_templates`]

[`Client::list_campaign_templates`]: super::Client::list_campaign_templates*/
    #[derive(Debug, Clone)]
    pub struct ListCampaignTemplates<'a> {
        client: &'a super::Client,
        website_id: Result<::std::string::String, String>,
        page_number: Result<::std::num::NonZeroU32, String>,
        filter_type_custom: Result<Option<crate::Flag>, String>,
        filter_type_static: Result<Option<crate::Flag>, String>,
        search_name: Result<Option<::std::string::String>, String>,
    }
    impl<'a> ListCampaignTemplates<'a> {
        pub fn new(client: &'a super::Client) -> Self {
            Self {
                client: client,
                website_id: Err(::std::string::String::new()),
                page_number: Err(::std::string::String::new()),
                filter_type_custom: Ok(None),
                filter_type_static: Ok(None),
                search_name: Ok(None),
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
        pub fn filter_type_custom<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<crate::Flag>,
        {
            self.filter_type_custom = value
                .try_into()
                .map(Some)
                .map_err(|_| {
                    "conversion to `crate :: Flag` for filter_type_custom failed"
                        .to_string()
                });
            self
        }
        pub fn filter_type_static<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<crate::Flag>,
        {
            self.filter_type_static = value
                .try_into()
                .map(Some)
                .map_err(|_| {
                    "conversion to `crate :: Flag` for filter_type_static failed"
                        .to_string()
                });
            self
        }
        pub fn search_name<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::string::String>,
        {
            self.search_name = value
                .try_into()
                .map(Some)
                .map_err(|_| {
                    "conversion to `:: std :: string :: String` for search_name failed"
                        .to_string()
                });
            self
        }
        ///Sends a `GET` request to `/website/{website_id}/campaigns/templates/{page_number}`
        pub fn send(
            self,
        ) -> crate::runtime::Sending<'a, types::ListCampaignTemplatesResponse> {
            crate::runtime::Sending::new(self.prepare())
        }
        /// Builds the request (the SDK's calling methods send it).
        pub(crate) fn prepare(self) -> crate::runtime::Built<'a, types::ErrorEnvelope> {
            let Self {
                client,
                website_id,
                page_number,
                filter_type_custom,
                filter_type_static,
                search_name,
            } = self;
            let website_id = website_id
                .map_err(|e| crate::runtime::unset(e, "website_id"))?;
            let page_number = page_number
                .map_err(|e| crate::runtime::unset(e, "page_number"))?;
            let filter_type_custom = filter_type_custom
                .map_err(|e| crate::runtime::unset(e, "filter_type_custom"))?;
            let filter_type_static = filter_type_static
                .map_err(|e| crate::runtime::unset(e, "filter_type_static"))?;
            let search_name = search_name
                .map_err(|e| crate::runtime::unset(e, "search_name"))?;
            let url = format!(
                "{}/website/{}/campaigns/templates/{}", client.baseurl, crate
                ::runtime::segment(& website_id, "website_id") ?, crate
                ::runtime::segment(& page_number.to_string(), "page_number") ?,
            );
            #[allow(unused_mut)]
            let mut request = client
                .client
                .get(url)
                .header(
                    ::reqwest::header::ACCEPT,
                    ::reqwest::header::HeaderValue::from_static("application/json"),
                )
                .query(
                    &progenitor_client::QueryParam::new(
                        "filter_type_custom",
                        &filter_type_custom,
                    ),
                )
                .query(
                    &progenitor_client::QueryParam::new(
                        "filter_type_static",
                        &filter_type_static,
                    ),
                )
                .query(&progenitor_client::QueryParam::new("search_name", &search_name))
                .build()?;
            return ::std::result::Result::Ok((
                client,
                request,
                "list_campaign_templates",
            ));
        }
    }
}
pub mod types {
    ///`ListCampaignTemplatesResponse`
    pub type ListCampaignTemplatesResponse = crate::runtime::Envelope<
        ::std::vec::Vec<CampaignTemplateExcerpt>,
    >;
}
impl<'a> crate::generated::builder::ListCampaignTemplates<'a> {
    /// Streams every page of `list_campaign_templates` (`GET /website/{website_id}/campaigns/templates/{page_number}`) from page 1, each as a `Vec`, keeping the other parameters set on this builder. See [`Pages`](crate::Pages) for how it ends.
    pub fn pages(self) -> crate::Pages<'a, CampaignTemplateExcerpt> {
        crate::runtime::Pages::new(
            "list_campaign_templates",
            move |page| {
                let request = self.clone().page_number(page);
                crate::runtime::page::<
                    types::ListCampaignTemplatesResponse,
                    _,
                >("list_campaign_templates", request.prepare())
            },
        )
    }
    /// Streams the items of every page of `list_campaign_templates`, one by one, keeping the other parameters set on this builder. See [`Items`](crate::Items).
    pub fn stream(self) -> crate::Items<'a, CampaignTemplateExcerpt> {
        self.pages().items()
    }
}
impl<'a> crate::generated::builder::ListCampaignTemplates<'a> {
    /// Sends the `list_campaign_templates` request (`GET /website/{website_id}/campaigns/templates/{page_number}`) and returns the `data` of Crisp's envelope.
    pub fn call(
        self,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            ::std::vec::Vec<CampaignTemplateExcerpt>,
            crate::Error,
        >,
    > {
        crate::runtime::data::<
            types::ListCampaignTemplatesResponse,
            _,
        >("list_campaign_templates", self.prepare())
    }
    /// Sends the `list_campaign_templates` request (`GET /website/{website_id}/campaigns/templates/{page_number}`) and returns the `data` with the HTTP status and headers.
    pub fn response(
        self,
    ) -> impl ::std::future::Future<
        Output = ::std::result::Result<
            crate::Response<::std::vec::Vec<CampaignTemplateExcerpt>>,
            crate::Error,
        >,
    > {
        crate::runtime::response::<
            types::ListCampaignTemplatesResponse,
            _,
        >("list_campaign_templates", self.prepare())
    }
}
