//! The token tier, sent as the `X-Crisp-Tier` header: its own module because the operation
//! table (`operations`) names each operation's tiers and the configuration holds the client's.

use std::fmt;
use std::str::FromStr;

/// The kind of token, sent as the `X-Crisp-Tier` header.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Tier {
    /// A Marketplace plugin token (the default).
    #[default]
    Plugin,
    /// A website token from the workspace settings.
    Website,
    /// A user (account session) token; only legacy routes use it.
    User,
}

impl Tier {
    /// The header value: `plugin`, `website` or `user`.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Plugin => "plugin",
            Tier::Website => "website",
            Tier::User => "user",
        }
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Tier {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "plugin" => Ok(Tier::Plugin),
            "website" => Ok(Tier::Website),
            "user" => Ok(Tier::User),
            other => Err(format!(
                "unknown tier `{other}` (expected plugin, website or user)"
            )),
        }
    }
}
