//! Configuration: the built-in `config/default.toml`, then the user file, then
//! `--config PATH`, each overriding single keys of the one before. A bad value
//! is an error naming the file, the line and the key — never a silent default.
//!
//! Two owners share the file's keys. The bureau's rule set (the thresholds
//! that decide findings, scores, grades, result application, rectification
//! days and the longest idle time before a session locks) lives in the
//! database, set by an admin (`bureau`, `jixiao config`); the compiled
//! defaults are the rule set of a database where nothing was set. A user file
//! or `--config` holds the personal part (display, keys, templates, drafts,
//! a shorter idle lock); a bureau key there is ignored and named in a warning.

mod bureau;
mod error;
mod keys;
mod layers;
mod messages;
mod sections;

pub use bureau::{
    BUREAU_SECTIONS, Bureau, IDLE_LOCK_KEY, IgnoredKey, RuleChange, RuleValues, bureau_default_value, bureau_keys,
    is_bureau_key,
};
pub use error::{ConfigError, Origin};
pub use keys::{Action, KeyName, KeyScope, KeySpec, KeyTables, Keymap, KeymapError, LEGACY_FLAT, MovedKey};
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
/// Its `rules` are the compiled defaults until `under` puts it under the
/// bureau's rule set read from the database.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedConfig {
    pub config: Config,
    pub sources: Vec<PathBuf>,
    /// Bureau keys the files tried to set, ignored (said on stderr).
    pub ignored: Vec<IgnoredKey>,
    /// Old flat `[keys]` entries read into their screens' tables (said on stderr).
    pub moved_keys: Vec<MovedKey>,
    /// The idle lock the user chose, and where: capped by the bureau's.
    pub idle_lock: Option<(u32, Origin, usize)>,
}

impl LoadedConfig {
    /// The configuration under the bureau's rule set: its rules, and the
    /// user's idle lock no longer than the bureau's (the bureau's when the
    /// user chose none). The note says when the user's choice was cut.
    pub fn under(&self, bureau: &Bureau) -> (Config, Option<String>) {
        let mut config = self.config.clone();
        config.rules = bureau.rules.clone();
        let limit = bureau.idle_lock_minutes;
        let (minutes, note) = match &self.idle_lock {
            Some((mine, origin, line)) if *mine > limit => (
                limit,
                Some(format!(
                    "注意：{origin} 第 {line} 行，键 {IDLE_LOCK_KEY}：{mine} 分钟超过全局规则集的上限 {limit} 分钟，\
                     按 {limit} 分钟锁定（个人只能设得更短；用 jixiao config show 查看全局规则集）"
                )),
            ),
            Some((mine, _, _)) => (*mine, None),
            None => (limit, None),
        };
        config.session.idle_lock_minutes = minutes;
        (config, note)
    }
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
    keys: toml::Table,
    templates: Vec<OpinionTemplate>,
}

impl Config {
    /// Loads built-in defaults, the user file if present, then `explicit`
    /// (which must exist).
    pub fn load(explicit: Option<&Path>) -> Result<LoadedConfig, ConfigError> {
        Self::load_with_user_dir(user_config_dir().as_deref(), explicit)
    }

    /// As `load`, with the user-file directory given instead of looked up.
    /// The files' personal keys are applied; their bureau keys are left out
    /// and listed in `ignored`.
    pub fn load_with_user_dir(user_dir: Option<&Path>, explicit: Option<&Path>) -> Result<LoadedConfig, ConfigError> {
        let mut files = Vec::new();
        if let Some(path) = user_dir.map(|d| d.join("config.toml")).filter(|p| p.is_file()) {
            files.push(path);
        }
        if let Some(path) = explicit {
            if !path.exists() {
                return Err(ConfigError::Missing {
                    path: path.to_path_buf(),
                });
            }
            files.push(path.to_path_buf());
        }
        let mut layers = vec![builtin_layer()?];
        let mut ignored = Vec::new();
        let mut moved_keys = Vec::new();
        let mut idle_lock = None;
        for path in &files {
            let mut layer = read_layer(path)?;
            ignored.extend(bureau::strip_bureau_keys(&mut layer));
            moved_keys.extend(move_legacy_keys(&mut layer));
            if let Some(minutes) = layer
                .table
                .get("session")
                .and_then(|s| s.get("idle_lock_minutes"))
                .and_then(toml::Value::as_integer)
            {
                let line = blame(std::slice::from_ref(&layer), IDLE_LOCK_KEY).map_or(1, |(_, _, l)| l);
                idle_lock = Some((u32::try_from(minutes).unwrap_or(u32::MAX), layer.origin.clone(), line));
            }
            layers.push(layer);
        }
        Ok(LoadedConfig {
            config: from_layers(&layers)?,
            sources: files,
            ignored,
            moved_keys,
            idle_lock,
        })
    }

    /// The built-in defaults alone.
    pub fn defaults() -> Config {
        // The embedded file is checked by the tests; failing here is a build defect.
        Self::from_str_layers(&[]).expect("内置默认配置无效")
    }

    /// Built-in defaults overlaid with `(name, text)` layers in order; no
    /// files, and every key applies, the bureau's included (tests, and
    /// callers that build a rule set by hand).
    pub fn from_str_layers(extra: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let mut layers = vec![builtin_layer()?];
        for (name, text) in extra {
            let mut layer = Layer::parse(Origin::Text(name.to_string()), text.to_string())?;
            move_legacy_keys(&mut layer);
            layers.push(layer);
        }
        from_layers(&layers)
    }

    /// Every scope's actions with their keys, in help-screen order.
    pub fn keymap(&self) -> Vec<(KeyScope, Action, Vec<KeySpec>)> {
        KeyScope::ALL
            .into_iter()
            .flat_map(|scope| {
                self.keys
                    .bindings_of(scope)
                    .iter()
                    .map(move |(a, k)| (scope, *a, k.clone()))
            })
            .collect()
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

/// The merged layers read as `T`; an error placed in the layer and line that
/// set the key concerned.
fn deserialize_layers<T: serde::de::DeserializeOwned>(layers: &[Layer]) -> Result<T, ConfigError> {
    let mut merged = toml::Table::new();
    for layer in layers {
        deep_merge(&mut merged, &layer.table);
    }
    serde_path_to_error::deserialize(merged).map_err(|e| {
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
    })
}

fn from_layers(layers: &[Layer]) -> Result<Config, ConfigError> {
    let file: ConfigFile = deserialize_layers(layers)?;
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
    let tables = keys::read_tables(&file.keys).map_err(|(key, message)| invalid(layers, key, message))?;
    let set_by = |scope: KeyScope, action: &str| {
        blame(layers, &format!("{}.{action}", scope.table()))
            .map(|(i, _, _)| i)
            .unwrap_or(0)
    };
    let keys = Keymap::from_tables(&tables, set_by).map_err(|e| invalid(layers, e.path(), e.message))?;
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

/// Reads an old personal file's flat `[keys] approve = […]` into the screen
/// tables where that key acted (`LEGACY_FLAT`), unless the same file sets the
/// scoped entry itself; returns one warning per entry, with its line.
fn move_legacy_keys(layer: &mut Layer) -> Vec<MovedKey> {
    let Some(toml::Value::Table(keys)) = layer.table.get_mut("keys") else {
        return Vec::new();
    };
    let legacy: Vec<String> = keys
        .iter()
        .filter(|(name, value)| !value.is_table() && keys::legacy_scopes(name).is_some())
        .map(|(name, _)| name.clone())
        .collect();
    let mut found = Vec::new();
    for name in legacy {
        let Some(value) = keys.remove(&name) else { continue };
        let mut to = Vec::new();
        for scope in keys::legacy_scopes(&name).unwrap_or(&[]) {
            let Some(scope_name) = scope.name() else { continue };
            let table = keys
                .entry(scope_name)
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            // A wrong shape is reported by the config check; leave it be.
            let Some(table) = table.as_table_mut() else { continue };
            if table.contains_key(&name) {
                continue;
            }
            table.insert(name.clone(), value.clone());
            to.push(*scope);
            layer
                .moved
                .push((format!("{}.{name}", scope.table()), format!("keys.{name}")));
        }
        found.push((name, to));
    }
    let layers = std::slice::from_ref(layer);
    found
        .into_iter()
        .map(|(name, to)| {
            let line = blame(layers, &format!("keys.{name}")).map(|(_, _, l)| l);
            MovedKey {
                origin: layer.origin.clone(),
                line,
                action: name,
                to,
            }
        })
        .collect()
}
