//! Writes a small knowledge base: a locale, a category (a group of the content tree) holding an
//! article (an entry), publishes the article and lists the tree.
//!
//! With `CRISP_IDENTIFIER`, `CRISP_KEY` and `CRISP_WEBSITE_ID` set (and optionally `CRISP_TIER`,
//! default `plugin`), it writes into the real helpdesk of that website (which must already be
//! initialised), under the group `crisp-api-rust-example`. Without them it starts the local
//! sandbox, says so on stderr, and every answer is the example of the OpenAPI document.
//!
//! ```text
//! cargo run --example helpdesk
//! ```

use crisp_api::Error;
use crisp_api::sandbox::Playground;
use crisp_api::types::{self, HelpdeskContentType};
use futures::TryStreamExt;

const LOCALE: &str = "en";
const GROUP: &str = "crisp-api-rust-example";
const ARTICLE: &str = "crisp-api-rust-example/install-the-chatbox";
const MARKDOWN: &str = "## Paste the snippet\n\n\
Copy the code from **Settings › Chatbox** and paste it before `</head>` on every page.\n\n\
> The chatbox shows up within a minute.\n";

#[tokio::main]
async fn main() -> Result<(), Error> {
    // The real API with credentials in the environment, else the sandbox (said on stderr);
    // `_sandbox` keeps it alive for the whole run.
    let Playground {
        client,
        website_id,
        sandbox: _sandbox,
        ..
    } = Playground::from_env("helpdesk-example").await?;
    if website_id.is_empty() {
        eprintln!("Set CRISP_WEBSITE_ID to the website whose helpdesk to write.");
        return Ok(());
    }

    let helpdesk = client.get_helpdesk().website_id(&website_id).call().await?;
    println!(
        "Helpdesk {:?} at {:?}",
        helpdesk.name.unwrap_or_default(),
        helpdesk.url.unwrap_or_default()
    );

    // 1. The locale. Adding one the helpdesk already has fails: then check and go on.
    let added = client
        .add_helpdesk_locale()
        .website_id(&website_id)
        .body(types::HelpdeskLocaleAdd {
            locale: LOCALE.into(),
        })
        .call()
        .await;
    match added {
        Ok(()) => println!("Added the locale {LOCALE}."),
        Err(e) => {
            let exists = client
                .check_helpdesk_locale_exists()
                .website_id(&website_id)
                .locale(LOCALE)
                .exists()
                .await?;
            if !exists {
                return Err(e);
            }
            println!("The locale {LOCALE} was already there.");
        }
    }

    // 2. The category: a group of the article tree, with a title and a colour.
    client
        .create_helpdesk_tree_path()
        .website_id(&website_id)
        .locale(LOCALE)
        .content_type(HelpdeskContentType::Articles)
        .path(GROUP)
        .call()
        .await?;
    client
        .update_helpdesk_tree_metadata()
        .website_id(&website_id)
        .locale(LOCALE)
        .content_type(HelpdeskContentType::Articles)
        .path(GROUP)
        .body(types::HelpdeskTreeMetadata {
            title: Some("Written from Rust".into()),
            description: Some("Pages created by the crisp-api helpdesk example.".into()),
            color: Some("#2f6fed".into()),
            ..Default::default()
        })
        .call()
        .await?;
    println!("Created the category {GROUP}.");

    // 3. The article: an entry inside the group, its Markdown body and its metadata.
    //    (The nested path goes out as one percent-encoded segment; see `create_helpdesk_tree_path`.)
    client
        .create_helpdesk_tree_path()
        .website_id(&website_id)
        .locale(LOCALE)
        .content_type(HelpdeskContentType::Articles)
        .path(ARTICLE)
        .call()
        .await?;
    client
        .save_helpdesk_tree_content()
        .website_id(&website_id)
        .locale(LOCALE)
        .content_type(HelpdeskContentType::Articles)
        .path(ARTICLE)
        .body(types::HelpdeskTreeContentSave {
            content: MARKDOWN.into(),
        })
        .call()
        .await?;
    println!("Created the article {ARTICLE}.");

    // 4. Publishing is a metadata change.
    client
        .update_helpdesk_tree_metadata()
        .website_id(&website_id)
        .locale(LOCALE)
        .content_type(HelpdeskContentType::Articles)
        .path(ARTICLE)
        .body(types::HelpdeskTreeMetadata {
            title: Some("Install the chatbox on your website".into()),
            description: Some("Paste the Crisp snippet and check the chatbox.".into()),
            state: Some(types::HelpdeskTreeState {
                published: Some(true),
                hidden: Some(false),
                featured: Some(false),
            }),
            ..Default::default()
        })
        .call()
        .await?;
    let page = client
        .get_helpdesk_tree_page()
        .website_id(&website_id)
        .locale(LOCALE)
        .content_type(HelpdeskContentType::Articles)
        .path(ARTICLE)
        .call()
        .await?;
    println!(
        "Published {:?} at {}",
        page.title.unwrap_or_default(),
        page.url.unwrap_or_default()
    );

    // 5. The whole article tree of the locale, every page of it.
    let tree: Vec<types::HelpdeskTreeEntry> = client
        .list_helpdesk_tree()
        .website_id(&website_id)
        .locale(LOCALE)
        .content_type(HelpdeskContentType::Articles)
        .stream()
        .try_collect()
        .await?;
    println!("\nThe {LOCALE} article tree:");
    for node in &tree {
        print_node(node, "", 1);
    }
    Ok(())
}

fn print_node(node: &types::HelpdeskTreeEntry, parent: &str, depth: usize) {
    let slug = node.slug.as_deref().unwrap_or("?");
    let path = if parent.is_empty() {
        slug.to_owned()
    } else {
        format!("{parent}/{slug}")
    };
    let state = node.state.as_ref();
    let flag = |on: Option<bool>, mark: &'static str| if on == Some(true) { mark } else { "" };
    println!(
        "{:indent$}{} {:<45} {}{}{}",
        "",
        if node.children.is_empty() { "-" } else { "+" },
        path,
        node.title.as_deref().unwrap_or(""),
        flag(state.and_then(|s| s.published).map(|p| !p), " (draft)"),
        flag(state.and_then(|s| s.featured), " ★"),
        indent = 2 * depth
    );
    for child in &node.children {
        print_node(child, &path, depth + 1);
    }
}
