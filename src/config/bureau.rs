//! The bureau's rule set: the keys of `config/default.toml` that decide
//! findings, scores, grades, monitoring, review, result application,
//! rectification days and the longest idle time before a session locks.
//! One set for everyone, kept in the database and changed by an admin
//! (`jixiao config set/import`); the compiled defaults are the rule set of a
//! database where nothing was set. A personal file may not set these keys:
//! `strip_bureau_keys` takes them out and names each one.

use super::error::{ConfigError, Origin};
use super::layers::{Layer, blame};
use super::{builtin_layer, deserialize_layers, invalid};
use crate::domain::model::GradeBands;
use crate::domain::params::{
    self, MonitoringParams, ParamError, RectificationParams, ResultApplicationParams, ReviewParams, RuleParams,
    ScoringParams, SelfEvalParams, TargetParams,
};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// The sections that belong to the bureau whole, in the order shown.
pub const BUREAU_SECTIONS: [&str; 8] = [
    "target",
    "monitoring",
    "self_eval",
    "review",
    "scoring",
    "grades",
    "rectification",
    "result_application",
];

/// The one bureau key outside those sections: the longest a session may stay
/// idle before it locks. A user may choose a shorter time in their own file.
pub const IDLE_LOCK_KEY: &str = "session.idle_lock_minutes";

/// Stored values of the rule set: key path → the value as TOML text
/// (`"0.75"`, `30`, `["进一步", "有效"]`).
pub type RuleValues = BTreeMap<String, String>;

/// The bureau's rule set, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Bureau {
    pub rules: RuleParams,
    /// Longest idle time before a session locks, in minutes.
    pub idle_lock_minutes: u32,
}

/// The TOML shape of the bureau's part.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BureauFile {
    target: TargetParams,
    monitoring: MonitoringParams,
    self_eval: SelfEvalParams,
    review: ReviewParams,
    scoring: ScoringParams,
    #[serde(deserialize_with = "params::grade_bands")]
    grades: GradeBands,
    rectification: RectificationParams,
    result_application: ResultApplicationParams,
    session: BureauSession,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BureauSession {
    idle_lock_minutes: u32,
}

/// Whether `path` (`monitoring.key_project_amount`) is the bureau's to set.
pub fn is_bureau_key(path: &str) -> bool {
    let head = path.split(['.', '[']).next().unwrap_or("");
    BUREAU_SECTIONS.contains(&head) || path == IDLE_LOCK_KEY
}

/// Every key of the bureau's rule set that `config set` takes, in the order
/// `config show` lists them (an array of tables is one key).
pub fn bureau_keys() -> Vec<String> {
    defaults_by_key().into_iter().map(|(k, _)| k).collect()
}

/// The compiled default of one bureau key, as TOML text.
pub fn bureau_default_value(key: &str) -> Option<String> {
    defaults_by_key()
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.to_string())
}

/// Bureau keys with their compiled default values, in section order.
fn defaults_by_key() -> Vec<(String, toml::Value)> {
    let builtin = builtin_layer().expect("内置默认配置无效");
    let mut all = Vec::new();
    leaves(&builtin.table, "", &mut all);
    let mut ordered = Vec::new();
    for section in BUREAU_SECTIONS.iter().copied().chain(["session"]) {
        ordered.extend(
            all.iter()
                .filter(|(k, _)| k.split('.').next() == Some(section) && is_bureau_key(k))
                .cloned(),
        );
    }
    ordered
}

/// Every leaf of `table` (a value that is not a table; an array, of tables
/// or not, is one leaf) with its dotted path.
fn leaves(table: &toml::Table, prefix: &str, out: &mut Vec<(String, toml::Value)>) {
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(t) => leaves(t, &path, out),
            other => out.push((path, other.clone())),
        }
    }
}

/// Sets `path` in `table`, making the tables on the way.
fn insert_path(table: &mut toml::Table, path: &str, value: toml::Value) {
    let mut parts: Vec<&str> = path.split('.').collect();
    let last = parts.pop().unwrap_or(path);
    let mut current = table;
    for part in parts {
        let entry = current
            .entry(part.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if !entry.is_table() {
            *entry = toml::Value::Table(toml::Table::new());
        }
        current = entry.as_table_mut().expect("a table just made");
    }
    current.insert(last.to_string(), value);
}

/// Reads one value written as TOML (`"0.75"`, `30`, `["a"]`); text that is no
/// TOML value at all (`按比例压减`) is taken as a string.
fn parse_value(text: &str) -> toml::Value {
    text.trim()
        .parse::<toml::Value>()
        .unwrap_or_else(|_| toml::Value::String(text.trim().to_string()))
}

/// The layer of the values stored in the database.
fn stored_layer(stored: &RuleValues) -> Result<Layer, ConfigError> {
    let mut table = toml::Table::new();
    for (key, text) in stored {
        insert_path(&mut table, key, parse_value(text));
    }
    let text = toml::to_string(&table).map_err(|e| ConfigError::Invalid {
        origin: Some(stored_origin()),
        line: None,
        key: String::new(),
        message: e.to_string(),
    })?;
    Layer::parse(stored_origin(), text)
}

fn stored_origin() -> Origin {
    Origin::Text("数据库中的全局规则集".into())
}

impl Bureau {
    /// The compiled defaults: the rule set of a database where nothing was set.
    pub fn defaults() -> Bureau {
        Self::from_stored(&RuleValues::new()).expect("内置默认规则集无效")
    }

    /// The defaults overlaid with the values stored in the database.
    pub fn from_stored(stored: &RuleValues) -> Result<Bureau, ConfigError> {
        from_layers(&[builtin_layer()?, stored_layer(stored)?])
    }

    /// What the rule set becomes with `change` over the stored values: an
    /// error names the change's file (or command), line and key.
    pub fn with_change(stored: &RuleValues, change: &RuleChange) -> Result<Bureau, ConfigError> {
        from_layers(&[builtin_layer()?, stored_layer(stored)?, change.layer.clone()]).map_err(|e| change.locate(e))
    }
}

fn from_layers(layers: &[Layer]) -> Result<Bureau, ConfigError> {
    // Only the bureau's part of each layer: the built-in one holds the rest too.
    let layers: Vec<Layer> = layers
        .iter()
        .map(|l| {
            let mut l = l.clone();
            keep_only_bureau(&mut l.table);
            l
        })
        .collect();
    let file: BureauFile = deserialize_layers(&layers)?;
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
    let check = |r: Result<(), ParamError>| r.map_err(|e| invalid(&layers, e.key, e.message));
    check(rules.validate())?;
    if !(1..=1440).contains(&file.session.idle_lock_minutes) {
        return Err(invalid(&layers, IDLE_LOCK_KEY.into(), "须在 1 到 1440 分钟之间".into()));
    }
    Ok(Bureau {
        rules,
        idle_lock_minutes: file.session.idle_lock_minutes,
    })
}

/// Drops the personal keys of the built-in layer (a change never holds any).
fn keep_only_bureau(table: &mut toml::Table) {
    table.retain(|k, _| k == "session" || BUREAU_SECTIONS.contains(&k));
    if let Some(toml::Value::Table(session)) = table.get_mut("session") {
        session.retain(|k, _| k == "idle_lock_minutes");
    }
}

/// A bureau key a personal file tried to set, ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoredKey {
    pub origin: Origin,
    pub line: Option<usize>,
    pub key: String,
}

impl fmt::Display for IgnoredKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "注意：{} 第 {line} 行，键 {}：", self.origin, self.key)?,
            None => write!(f, "注意：{}，键 {}：", self.origin, self.key)?,
        }
        write!(
            f,
            "属于全局规则集，个人配置不能更改，已忽略；适用全局规则集（用 jixiao config show 查看，由管理员用 jixiao config set 修改）"
        )
    }
}

/// Takes the bureau's keys out of a personal layer (the idle lock stays: a
/// user may choose a shorter one), returning each key taken with its line.
pub(super) fn strip_bureau_keys(layer: &mut Layer) -> Vec<IgnoredKey> {
    let mut found = Vec::new();
    for section in BUREAU_SECTIONS {
        if let Some(value) = layer.table.remove(section) {
            match value {
                toml::Value::Table(t) => leaves(&t, section, &mut found),
                other => found.push((section.to_string(), other)),
            }
        }
    }
    let layers = std::slice::from_ref(layer);
    let mut ignored: Vec<IgnoredKey> = found
        .into_iter()
        .map(|(key, _)| IgnoredKey {
            origin: layer.origin.clone(),
            line: blame(layers, &key).map(|(_, _, line)| line),
            key,
        })
        .collect();
    ignored.sort_by_key(|i| i.line);
    ignored
}

/// Values to write into the rule set, from a TOML file (`config import`) or
/// one key (`config set`), not yet checked against the whole set.
#[derive(Debug, Clone)]
pub struct RuleChange {
    layer: Layer,
    /// Set on the command line: errors name the command, not a line.
    one_key: bool,
    values: Vec<(String, String)>,
}

impl RuleChange {
    /// Reads a rule-set file: TOML in the shape of `config/default.toml`,
    /// bureau keys only.
    pub fn read_file(path: &Path) -> Result<RuleChange, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Unreadable {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        Self::parse(Origin::File(path.to_path_buf()), text)
    }

    /// Parses rule-set text from `origin`.
    pub fn parse(origin: Origin, text: String) -> Result<RuleChange, ConfigError> {
        let layer = Layer::parse(origin, text)?;
        let mut all = Vec::new();
        leaves(&layer.table, "", &mut all);
        let layers = std::slice::from_ref(&layer);
        if let Some((key, _)) = all.iter().find(|(k, _)| !is_bureau_key(k) && is_personal_key(k)) {
            return Err(invalid(
                layers,
                key.clone(),
                "这是个人设置，不属于全局规则集：请写在用户配置文件（~/.config/jixiao/config.toml）中".into(),
            ));
        }
        if all.is_empty() {
            return Err(ConfigError::Invalid {
                origin: Some(layer.origin.clone()),
                line: None,
                key: String::new(),
                message: "没有任何键".into(),
            });
        }
        let values = all.into_iter().map(|(k, v)| (k, v.to_string())).collect();
        Ok(RuleChange {
            layer,
            one_key: false,
            values,
        })
    }

    /// One key, as `jixiao config set KEY VALUE` gives it: the value is
    /// written as in the TOML file (amounts and ratios as quoted decimals).
    pub fn one(key: &str, value: &str) -> Result<RuleChange, ConfigError> {
        let origin = Origin::Text("jixiao config set".into());
        let error = |message: String| ConfigError::Invalid {
            origin: Some(origin.clone()),
            line: None,
            key: key.to_string(),
            message,
        };
        if !is_bureau_key(key) {
            return Err(error(if is_personal_key(key) {
                "这是个人设置，不属于全局规则集：请写在用户配置文件（~/.config/jixiao/config.toml）中".into()
            } else {
                format!(
                    "不是全局规则集的键；可设置的键见 jixiao config show（共 {} 个）",
                    bureau_keys().len()
                )
            }));
        }
        if bureau_default_value(key).is_none() {
            let under: Vec<String> = bureau_keys()
                .into_iter()
                .filter(|k| k.starts_with(&format!("{key}.")))
                .collect();
            return Err(error(if under.is_empty() {
                format!(
                    "不是全局规则集的键；可设置的键见 jixiao config show（共 {} 个）",
                    bureau_keys().len()
                )
            } else {
                format!(
                    "是一节而不是一个键，请指定其中一个键（{}）；一次改多个键请用 jixiao config import 文件.toml",
                    under.join("、")
                )
            }));
        }
        let parsed = parse_value(value);
        let mut table = toml::Table::new();
        insert_path(&mut table, key, parsed.clone());
        let text = toml::to_string(&table).map_err(|e| error(e.to_string()))?;
        let layer = Layer::parse(origin, text)?;
        Ok(RuleChange {
            layer,
            one_key: true,
            values: vec![(key.to_string(), parsed.to_string())],
        })
    }

    /// Where the change came from (its file, or the command).
    pub fn origin(&self) -> &Origin {
        &self.layer.origin
    }

    /// The keys set and their values as TOML text.
    pub fn values(&self) -> &[(String, String)] {
        &self.values
    }

    /// A one-key change has no lines worth naming.
    fn locate(&self, e: ConfigError) -> ConfigError {
        match e {
            ConfigError::Invalid {
                origin: Some(o),
                key,
                message,
                ..
            } if self.one_key && o == self.layer.origin => ConfigError::Invalid {
                origin: Some(o),
                line: None,
                key,
                message,
            },
            other => other,
        }
    }
}

/// A key of the personal part of the built-in file.
fn is_personal_key(path: &str) -> bool {
    let head = path.split(['.', '[']).next().unwrap_or("");
    ["display", "store", "budgets", "keys", "templates"].contains(&head) || (head == "session" && path != IDLE_LOCK_KEY)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn defaults_are_the_compiled_file() {
        let b = Bureau::defaults();
        assert_eq!(b.rules, super::super::Config::defaults().rules);
        assert_eq!(b.idle_lock_minutes, 30);
        let keys = bureau_keys();
        assert_eq!(keys.first().map(String::as_str), Some("target.indicator_minimums"));
        assert_eq!(keys.last().map(String::as_str), Some(IDLE_LOCK_KEY));
        assert!(keys.iter().any(|k| k == "scoring.weights.output"));
        assert!(!keys.iter().any(|k| k.starts_with("display")));
        assert_eq!(
            bureau_default_value("monitoring.execution_threshold").as_deref(),
            Some("\"0.75\"")
        );
    }

    #[test]
    fn stored_values_override_and_round_trip() {
        let mut stored = RuleValues::new();
        stored.insert("monitoring.key_project_amount".into(), "\"3000000\"".into());
        stored.insert("target.vague_words".into(), "[\"进一步\"]".into());
        stored.insert(IDLE_LOCK_KEY.into(), "15".into());
        let b = Bureau::from_stored(&stored).unwrap();
        assert_eq!(b.rules.monitoring.key_project_amount, dec!(3000000));
        assert_eq!(b.rules.target.vague_words, vec!["进一步".to_string()]);
        assert_eq!(b.idle_lock_minutes, 15);
    }

    #[test]
    fn one_key_changes_are_checked_as_the_file_is() {
        let stored = RuleValues::new();
        let ok = RuleChange::one("monitoring.execution_threshold", "\"0.8\"").unwrap();
        assert_eq!(
            ok.values(),
            &[("monitoring.execution_threshold".to_string(), "\"0.8\"".to_string())]
        );
        let b = Bureau::with_change(&stored, &ok).unwrap();
        assert_eq!(b.rules.monitoring.execution_threshold, dec!(0.8));
        let float = RuleChange::one("monitoring.execution_threshold", "0.8").unwrap();
        let e = Bureau::with_change(&stored, &float).unwrap_err().to_string();
        assert!(
            e.contains("引号") && e.contains("jixiao config set") && !e.contains("行"),
            "{e}"
        );
        let e = RuleChange::one("display.theme", "\"16\"").unwrap_err().to_string();
        assert!(e.contains("个人设置"), "{e}");
        let e = RuleChange::one("scoring.weights", "1").unwrap_err().to_string();
        assert!(e.contains("scoring.weights.output"), "{e}");
        let e = RuleChange::one("monitoring.nope", "1").unwrap_err().to_string();
        assert!(e.contains("不是全局规则集的键"), "{e}");
        let text = RuleChange::one("result_application.fair.treatment", "压减并整改").unwrap();
        let b = Bureau::with_change(&stored, &text).unwrap();
        assert_eq!(b.rules.result_application.fair.treatment, "压减并整改");
    }

    #[test]
    fn a_personal_layer_loses_its_bureau_keys_by_name_and_line() {
        let mut layer = Layer::parse(
            Origin::Text("lax.toml".into()),
            "[display]\nmouse = true\n\n[target]\nvague_words = []\n[self_eval]\nscore_margin = \"100\"\n".into(),
        )
        .unwrap();
        let ignored = strip_bureau_keys(&mut layer);
        let named: Vec<(String, Option<usize>)> = ignored.iter().map(|i| (i.key.clone(), i.line)).collect();
        assert_eq!(
            named,
            vec![
                ("target.vague_words".to_string(), Some(5)),
                ("self_eval.score_margin".to_string(), Some(7))
            ]
        );
        assert!(layer.table.contains_key("display") && !layer.table.contains_key("target"));
        let text = ignored[0].to_string();
        assert!(text.contains("lax.toml") && text.contains("第 5 行") && text.contains("jixiao config show"));
    }
}
