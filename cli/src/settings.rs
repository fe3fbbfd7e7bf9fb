//! Settings: each from its flag, else its `CRISP_*` variable, else the selected profile of the
//! config file (`crisp/config.toml` in the platform's config directory, or `CRISP_CONFIG`),
//! and the client they make. Without credentials nothing runs, unless `--sandbox` is given.

use crate::failure::Failure;
use clap::ArgMatches;
use crisp_api::Client;
use crisp_api::sandbox::Sandbox;
use std::fmt;
use std::path::{Path, PathBuf};

/// The path parameter whose default comes from the settings.
pub const WEBSITE_PARAM: &str = "website_id";

/// The profile used when none is named.
pub const DEFAULT_PROFILE: &str = "default";

/// The settings a profile holds, with their variable and flag.
pub const FIELDS: &[(&str, &str, &str)] = &[
    ("identifier", "CRISP_IDENTIFIER", "identifier"),
    ("key", "CRISP_KEY", "key"),
    ("tier", "CRISP_TIER", "tier"),
    ("api_url", "CRISP_API_URL", "api-url"),
    ("website_id", "CRISP_WEBSITE_ID", "website-id"),
];

/// Where a setting came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A command-line flag.
    Flag(&'static str),
    /// An environment variable.
    Env(&'static str),
    /// The profile of the config file.
    Profile(String),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(flag) => write!(f, "--{flag}"),
            Source::Env(var) => write!(f, "{var}"),
            Source::Profile(name) => write!(f, "profile `{name}`"),
        }
    }
}

/// One resolved setting.
#[derive(Clone, Debug)]
pub struct Setting {
    /// Its value (the key's is never printed).
    pub value: String,
    /// Where it came from.
    pub source: Source,
}

/// Everything the command line resolved.
pub struct Settings {
    /// The selected profile's name.
    pub profile: String,
    /// The config file.
    pub path: Option<PathBuf>,
    /// Whether the profile exists in the config file.
    pub profile_found: bool,
    values: Vec<(&'static str, Setting)>,
    /// `--sandbox`.
    pub sandbox: bool,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("profile", &self.profile)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// The config file: `CRISP_CONFIG`, else `crisp/config.toml` in the platform's config
/// directory.
pub fn config_path() -> Option<PathBuf> {
    match std::env::var_os("CRISP_CONFIG").filter(|p| !p.is_empty()) {
        Some(path) => Some(PathBuf::from(path)),
        None => dirs::config_dir().map(|d| d.join("crisp").join("config.toml")),
    }
}

/// Reads the config file (absent: empty).
pub fn read_config(path: &Path) -> Result<toml::Table, Failure> {
    match std::fs::read_to_string(path) {
        Ok(text) => text.parse::<toml::Table>().map_err(|e| {
            Failure::Usage(format!(
                "the config file {} is not valid TOML: {e}",
                path.display()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(toml::Table::new()),
        Err(e) => Err(Failure::Usage(format!(
            "cannot read the config file {}: {e}",
            path.display()
        ))),
    }
}

/// Saves `values` as profile `name` of the config file, keeping the other profiles; the file
/// is written owner-only (0600) in an owner-only directory.
pub fn save_profile(path: &Path, name: &str, values: &[(&str, String)]) -> Result<(), Failure> {
    let fail = |what: &str, e: std::io::Error| {
        Failure::Usage(format!("cannot {what} {}: {e}", path.display()))
    };
    let mut config = read_config(path)?;
    let profiles = config
        .entry("profiles")
        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    let Some(profiles) = profiles.as_table_mut() else {
        return Err(Failure::Usage(format!(
            "`profiles` of {} is not a table",
            path.display()
        )));
    };
    let mut profile = toml::Table::new();
    for (key, value) in values {
        profile.insert((*key).to_owned(), toml::Value::String(value.clone()));
    }
    profiles.insert(name.to_owned(), toml::Value::Table(profile));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| fail("create the directory of", e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
        }
    }
    let temporary = path.with_extension("toml.tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&temporary).map_err(|e| fail("write", e))?;
    use std::io::Write;
    file.write_all(config.to_string().as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| fail("write", e))?;
    std::fs::rename(&temporary, path).map_err(|e| fail("write", e))
}

impl Settings {
    /// Resolves every setting for a command whose flags are `m`; a profile asked for must
    /// exist.
    pub fn resolve(m: &ArgMatches) -> Result<Settings, Failure> {
        Settings::resolve_with(m, true)
    }

    /// Resolves the settings for `crisp auth login`, which may create the profile.
    pub fn resolve_for_login(m: &ArgMatches) -> Result<Settings, Failure> {
        Settings::resolve_with(m, false)
    }

    fn resolve_with(m: &ArgMatches, must_exist: bool) -> Result<Settings, Failure> {
        let flag = |name: &str| {
            m.try_get_one::<String>(name)
                .ok()
                .flatten()
                .filter(|v| !v.is_empty())
                .cloned()
        };
        let env = |var: &str| std::env::var(var).ok().filter(|v| !v.trim().is_empty());
        let (profile, profile_named) = match flag("profile").or_else(|| env("CRISP_PROFILE")) {
            Some(name) => (name, true),
            None => (DEFAULT_PROFILE.to_owned(), false),
        };
        let path = config_path();
        let config = match &path {
            Some(path) => read_config(path)?,
            None => toml::Table::new(),
        };
        let section = config
            .get("profiles")
            .and_then(|p| p.get(&profile))
            .and_then(toml::Value::as_table);
        if must_exist && profile_named && section.is_none() {
            return Err(Failure::Usage(format!(
                "no profile `{profile}` in {} (`crisp auth login --profile {profile}` creates it)",
                path.as_deref()
                    .map_or("the config file".into(), |p| p.display().to_string())
            )));
        }
        let mut values = Vec::new();
        for (key, var, flag_name) in FIELDS {
            let setting = if let Some(value) = flag(flag_name) {
                Some(Setting {
                    value,
                    source: Source::Flag(flag_name),
                })
            } else if let Some(value) = env(var) {
                Some(Setting {
                    value,
                    source: Source::Env(var),
                })
            } else {
                section
                    .and_then(|s| s.get(*key))
                    .and_then(toml::Value::as_str)
                    .filter(|v| !v.is_empty())
                    .map(|v| Setting {
                        value: v.to_owned(),
                        source: Source::Profile(profile.clone()),
                    })
            };
            if let Some(setting) = setting {
                values.push((*key, setting));
            }
        }
        Ok(Settings {
            profile,
            profile_found: section.is_some(),
            path,
            values,
            sandbox: m.try_get_one::<bool>("sandbox").ok().flatten() == Some(&true),
        })
    }

    /// A setting by its profile key (`identifier`, `key`, `tier`, `api_url`, `website_id`).
    pub fn get(&self, key: &str) -> Option<&Setting> {
        self.values.iter().find(|(k, _)| *k == key).map(|(_, s)| s)
    }

    /// The value of a setting.
    pub fn value(&self, key: &str) -> Option<&str> {
        self.get(key).map(|s| s.value.as_str())
    }

    /// What to do to give credentials, for error messages.
    pub fn how_to_configure(&self) -> String {
        let file = self
            .path
            .as_deref()
            .map_or("the config file".into(), |p| p.display().to_string());
        format!(
            "set CRISP_IDENTIFIER and CRISP_KEY, or run `crisp auth login` to save them in \
             profile `{}` of {file} (select a profile with --profile or CRISP_PROFILE); \
             --sandbox runs against the embedded sandbox instead",
            self.profile
        )
    }

    /// The client: the sandbox with `--sandbox`, else the configured API; no credentials is a
    /// usage error naming what to set.
    pub async fn connect(&self) -> Result<Connection, Failure> {
        let user_agent = concat!("crisp-cli/", env!("CARGO_PKG_VERSION"));
        if self.sandbox {
            let sandbox = Sandbox::start().await;
            let client = sandbox
                .client_builder()
                .user_agent_suffix(user_agent)
                .build()?;
            return Ok(Connection {
                host: "the sandbox".to_owned(),
                client,
                _sandbox: Some(sandbox),
            });
        }
        match (self.get("identifier"), self.get("key")) {
            (None, None) => {
                return Err(Failure::Usage(format!(
                    "no credentials: {}",
                    self.how_to_configure()
                )));
            }
            (Some(_), None) | (None, Some(_)) => {
                let missing = if self.get("key").is_none() {
                    "CRISP_KEY (the token key)"
                } else {
                    "CRISP_IDENTIFIER (the token identifier)"
                };
                return Err(Failure::Usage(format!(
                    "incomplete credentials: {missing} is not set; {}",
                    self.how_to_configure()
                )));
            }
            _ => {}
        }
        let lookup = |var: &str| {
            FIELDS
                .iter()
                .find(|(_, v, _)| *v == var)
                .and_then(|(key, _, _)| self.value(key))
                .map(str::to_owned)
        };
        let client = Client::builder()
            .from_lookup(lookup)?
            .user_agent_suffix(user_agent)
            .build()?;
        Ok(Connection {
            host: host_of(client.base_url()),
            client,
            _sandbox: None,
        })
    }
}

/// The host (and port) of a URL, for messages.
pub fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split('/').next().unwrap_or(rest).to_owned()
}

/// A client, the host it calls, and the sandbox it talks to when there is one (kept alive
/// while it runs).
pub struct Connection {
    /// The client.
    pub client: Client,
    /// The API's host, for messages.
    pub host: String,
    _sandbox: Option<Sandbox>,
}
