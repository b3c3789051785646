//! Configuration: the built-in `config/default.toml`, then the user file, then
//! `--config PATH`, each overriding single keys of the one before. A bad value
//! is an error naming the file, the line and the key — never a silent default.

mod error;
mod keys;
mod layers;
mod messages;
mod sections;

pub use error::{ConfigError, Origin};
pub use keys::{Action, KeyName, KeySpec, Keymap, KeymapError};
pub use sections::{
    Budgets, DisplayConfig, Lang, MIN_AUDIT_RETENTION_DAYS, MoneyUnit, OpinionTemplate, SessionConfig, StoreConfig,
    Theme,
};

use crate::domain::model::GradeBands;
use crate::domain::params::{
    self, MonitoringParams, ParamError, RectificationParams, ResultApplicationParams, ReviewParams, RuleParams,
    ScoringParams, SelfEvalParams, TargetParams,
};
use layers::{Layer, blame, deep_merge};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The built-in defaults, compiled in so the binary runs with no file at all.
pub const DEFAULT_TOML: &str = include_str!("../../config/default.toml");

/// Overrides the directory of the user file (for tests and unusual setups).
pub const CONFIG_DIR_ENV: &str = "JIXIAO_CONFIG_DIR";

/// The whole configuration, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub rules: RuleParams,
    pub display: DisplayConfig,
    pub session: SessionConfig,
    pub store: StoreConfig,
    pub budgets: Budgets,
    pub keys: Keymap,
    pub templates: Vec<OpinionTemplate>,
}

/// A configuration and the files it was read from (the built-in layer aside).
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedConfig {
    pub config: Config,
    pub sources: Vec<PathBuf>,
}

/// The TOML shape of the whole file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    target: TargetParams,
    monitoring: MonitoringParams,
    self_eval: SelfEvalParams,
    review: ReviewParams,
    scoring: ScoringParams,
    #[serde(deserialize_with = "params::grade_bands")]
    grades: GradeBands,
    rectification: RectificationParams,
    result_application: ResultApplicationParams,
    display: DisplayConfig,
    session: SessionConfig,
    store: StoreConfig,
    budgets: Budgets,
    keys: BTreeMap<String, Vec<String>>,
    templates: Vec<OpinionTemplate>,
}

impl Config {
    /// Loads built-in defaults, the user file if present, then `explicit`
    /// (which must exist).
    pub fn load(explicit: Option<&Path>) -> Result<LoadedConfig, ConfigError> {
        Self::load_with_user_dir(user_config_dir().as_deref(), explicit)
    }

    /// As `load`, with the user-file directory given instead of looked up.
    pub fn load_with_user_dir(user_dir: Option<&Path>, explicit: Option<&Path>) -> Result<LoadedConfig, ConfigError> {
        let mut layers = vec![builtin_layer()?];
        let mut sources = Vec::new();
        if let Some(path) = user_dir.map(|d| d.join("config.toml")).filter(|p| p.is_file()) {
            layers.push(read_layer(&path)?);
            sources.push(path);
        }
        if let Some(path) = explicit {
            if !path.exists() {
                return Err(ConfigError::Missing {
                    path: path.to_path_buf(),
                });
            }
            layers.push(read_layer(path)?);
            sources.push(path.to_path_buf());
        }
        Ok(LoadedConfig {
            config: from_layers(&layers)?,
            sources,
        })
    }

    /// The built-in defaults alone.
    pub fn defaults() -> Config {
        // The embedded file is checked by the tests; failing here is a build defect.
        Self::from_str_layers(&[]).expect("内置默认配置无效")
    }

    /// Built-in defaults overlaid with `(name, text)` layers in order; no files.
    pub fn from_str_layers(extra: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let mut layers = vec![builtin_layer()?];
        for (name, text) in extra {
            layers.push(Layer::parse(Origin::Text(name.to_string()), text.to_string())?);
        }
        from_layers(&layers)
    }

    /// Every action with its keys, in help-screen order.
    pub fn keymap(&self) -> Vec<(Action, Vec<KeySpec>)> {
        self.keys.bindings().to_vec()
    }
}

/// `$JIXIAO_CONFIG_DIR`, else the platform config dir (`~/.config/jixiao` on Linux).
pub fn user_config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(CONFIG_DIR_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("cn", "jixiao", "jixiao").map(|d| d.config_dir().to_path_buf())
}

fn builtin_layer() -> Result<Layer, ConfigError> {
    Layer::parse(Origin::Builtin, DEFAULT_TOML.to_string())
}

fn read_layer(path: &Path) -> Result<Layer, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Unreadable {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    Layer::parse(Origin::File(path.to_path_buf()), text)
}

/// An error about `key`, placed in the layer and line that set it.
fn invalid(layers: &[Layer], key: String, message: String) -> ConfigError {
    match blame(layers, &key) {
        Some((_, origin, line)) => ConfigError::Invalid {
            origin: Some(origin),
            line: Some(line),
            key,
            message,
        },
        None => ConfigError::Invalid {
            origin: None,
            line: None,
            key,
            message,
        },
    }
}

fn from_layers(layers: &[Layer]) -> Result<Config, ConfigError> {
    let mut merged = toml::Table::new();
    for layer in layers {
        deep_merge(&mut merged, &layer.table);
    }
    let file: ConfigFile = serde_path_to_error::deserialize(merged).map_err(|e| {
        let mut key = e.path().to_string();
        let raw = e.inner().message().to_string();
        // An unknown key's path stops at its table; add the key to point at its line.
        if let Some(name) = raw.strip_prefix("unknown field `").and_then(|r| r.split('`').next())
            && !key.ends_with(name)
        {
            key = if key == "." {
                name.to_string()
            } else {
                format!("{key}.{name}")
            };
        }
        invalid(layers, key, messages::translate(&raw))
    })?;
    let rules = RuleParams {
        target: file.target,
        monitoring: file.monitoring,
        self_eval: file.self_eval,
        review: file.review,
        scoring: file.scoring,
        grades: file.grades,
        rectification: file.rectification,
        result_application: file.result_application,
    };
    let check = |r: Result<(), ParamError>| r.map_err(|e| invalid(layers, e.key, e.message));
    check(rules.validate())?;
    check(file.display.validate().map_err(|e| e.under("display")))?;
    check(file.session.validate().map_err(|e| e.under("session")))?;
    check(file.store.validate().map_err(|e| e.under("store")))?;
    check(file.budgets.validate().map_err(|e| e.under("budgets")))?;
    check(sections::validate_templates(&file.templates).map_err(|e| ParamError {
        key: format!("templates{}", e.key),
        ..e
    }))?;
    let set_by = |action: &str| blame(layers, &format!("keys.{action}")).map(|(i, _, _)| i).unwrap_or(0);
    let keys =
        Keymap::from_table(&file.keys, set_by).map_err(|e| invalid(layers, format!("keys.{}", e.action), e.message))?;
    Ok(Config {
        rules,
        display: file.display,
        session: file.session,
        store: file.store,
        budgets: file.budgets,
        keys,
        templates: file.templates,
    })
}
