//! What one load changed, for its audit entry: every changed field of an
//! existing record as unit, project, sheet, field, before → after (amounts in
//! 元, exact), every row added to or removed from an existing project; and
//! what it inserted, compactly (the codes of the units, projects and key
//! evaluations it created — their rows are counted beside). A load that
//! changes nothing writes no entry at all.

use super::children::ChildRow;
use crate::domain::model::{KeyEval, Project, Unit};
use crate::store::StoreError;
use rusqlite::{OptionalExtension, Transaction};
use serde::Serialize;
use serde_json::{Map, Value};

/// One changed field, or one row added or removed (`field` empty).
#[derive(Debug, Clone, Serialize)]
struct Change {
    /// `101 区第一中学`
    unit: String,
    /// `P-101-01 校舍维修改造`, when the record is a project's.
    #[serde(skip_serializing_if = "Option::is_none")]
    project: Option<String>,
    sheet: &'static str,
    /// What names the row within the project (an indicator, a period).
    #[serde(skip_serializing_if = "Option::is_none")]
    row: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    before: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    after: Option<Value>,
}

/// The changes of one load, gathered as it writes.
#[derive(Debug, Default)]
pub(super) struct ImportChanges {
    units_inserted: Vec<String>,
    projects_inserted: Vec<String>,
    key_evals_inserted: Vec<String>,
    changes: Vec<Change>,
}

/// `101 区第一中学`: a unit as the audit names it.
pub(super) fn unit_label(tx: &Transaction<'_>, code: &str) -> Result<String, StoreError> {
    let name: Option<String> = tx
        .prepare_cached("SELECT name FROM unit WHERE code = ?1")?
        .query_row([code], |r| r.get(0))
        .optional()?;
    Ok(match name {
        Some(name) if !name.is_empty() => format!("{code} {name}"),
        _ => code.to_string(),
    })
}

/// `2023 P-101-01 校舍维修改造`: a project as the audit names it.
pub(super) fn project_label(tx: &Transaction<'_>, project_id: i64) -> Result<String, StoreError> {
    let (year, code, name): (i32, String, String) = tx
        .prepare_cached("SELECT year, code, name FROM project WHERE id = ?1")?
        .query_row([project_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(format!("{year} {code} {name}"))
}

/// An amount in 元 with its two decimals, exactly as stored (分).
fn yuan(amount: rust_decimal::Decimal) -> String {
    let mut a = amount;
    a.rescale(2);
    a.to_string()
}

/// The serialized row's own fields (nested values as their JSON text).
fn fields_of<T: serde::Serialize>(row: &T) -> Result<Map<String, Value>, StoreError> {
    Ok(match serde_json::to_value(row)? {
        Value::Object(map) => map,
        other => Map::from_iter([("value".to_string(), other)]),
    })
}

impl ImportChanges {
    pub fn unit_inserted(&mut self, u: &Unit) {
        self.units_inserted
            .push(format!("{} {}（{}）", u.code, u.name, u.section));
    }

    pub fn unit_changed(&mut self, code: &str, name: &str, changes: &[(&'static str, &str, &str)]) {
        for (field, before, after) in changes {
            self.changes.push(Change {
                unit: format!("{code} {name}"),
                project: None,
                sheet: "单位",
                row: None,
                field: Some(field),
                before: Some((*before).into()),
                after: Some((*after).into()),
            });
        }
    }

    pub fn project_inserted(&mut self, p: &Project) {
        self.projects_inserted.push(format!("{} {}", p.year, p.code));
    }

    /// Each differing column of a project row, named by its header.
    pub fn project_changed(&mut self, unit: String, stored: &Project, p: &Project) {
        let columns: [(&'static str, String, String); 6] = [
            ("单位编码", stored.unit_code.clone(), p.unit_code.clone()),
            ("项目名称", stored.name.clone(), p.name.clone()),
            (
                "预算类型",
                stored.budget_kind.label().to_string(),
                p.budget_kind.label().to_string(),
            ),
            (
                "资金性质",
                stored.fund_kind.label().to_string(),
                p.fund_kind.label().to_string(),
            ),
            ("预算金额（元）", yuan(stored.amount), yuan(p.amount)),
            ("年度绩效目标", stored.annual_goal.clone(), p.annual_goal.clone()),
        ];
        let project = format!("{} {} {}", stored.year, stored.code, stored.name);
        for (field, before, after) in columns {
            if before != after {
                self.changes.push(Change {
                    unit: unit.clone(),
                    project: Some(project.clone()),
                    sheet: "项目",
                    row: None,
                    field: Some(field),
                    before: Some(before.into()),
                    after: Some(after.into()),
                });
            }
        }
    }

    pub fn key_eval_inserted(&mut self, k: &KeyEval) {
        self.key_evals_inserted.push(format!("{} {}", k.year, k.object_code));
    }

    pub fn key_eval_changed(&mut self, unit: String, stored: &KeyEval, k: &KeyEval) -> Result<(), StoreError> {
        const FIELDS: &[(&str, &str)] = &[
            ("firm", "委托机构"),
            ("amount", "评价金额（元）"),
            ("score", "得分"),
            ("grade", "等级"),
            ("documents", "过程文件"),
            ("problems", "发现问题"),
        ];
        let (before, after) = (fields_of(stored)?, fields_of(k)?);
        for (key, field) in FIELDS {
            let (b, a) = (before.get(*key), after.get(*key));
            if b != a {
                self.changes.push(Change {
                    unit: unit.clone(),
                    project: Some(format!("{} {}", k.year, k.object_code)),
                    sheet: "重点评价",
                    row: None,
                    field: Some(field),
                    before: b.cloned(),
                    after: a.cloned(),
                });
            }
        }
        Ok(())
    }

    /// A project's rows of one sheet replaced: rows matched by what names
    /// them (in order, for names given twice); each differing field, each
    /// row added and each row removed.
    pub fn rows_changed<T: ChildRow>(
        &mut self,
        unit: String,
        project: String,
        stored: &[T],
        new_rows: &[&T],
    ) -> Result<(), StoreError> {
        let sheet = T::SHEET.trim_end_matches('表');
        let mut left: Vec<Option<&T>> = stored.iter().map(Some).collect();
        let change = |row: &str, field: Option<&'static str>, before: Option<Value>, after: Option<Value>| Change {
            unit: unit.clone(),
            project: Some(project.clone()),
            sheet,
            row: Some(row.to_string()),
            field,
            before,
            after,
        };
        for new in new_rows {
            let matched = left
                .iter_mut()
                .find(|old| old.is_some_and(|old| old.key() == new.key()))
                .and_then(Option::take);
            match matched {
                Some(old) if old == *new => {}
                Some(old) => {
                    let (before, after) = (fields_of(old)?, fields_of(*new)?);
                    for (key, field) in T::FIELDS {
                        let (b, a) = (before.get(*key), after.get(*key));
                        if b != a {
                            self.changes
                                .push(change(new.key(), Some(field), b.cloned(), a.cloned()));
                        }
                    }
                }
                None => self
                    .changes
                    .push(change(new.key(), None, None, Some(Value::Object(fields_of(*new)?)))),
            }
        }
        for old in left.into_iter().flatten() {
            self.changes
                .push(change(old.key(), None, Some(Value::Object(fields_of(old)?)), None));
        }
        Ok(())
    }

    /// Adds what was gathered to the audit entry's object (nothing when empty).
    pub fn write_into(self, entry: &mut Map<String, Value>) {
        let mut inserted = Map::new();
        for (key, list) in [
            ("units", self.units_inserted),
            ("projects", self.projects_inserted),
            ("key_evals", self.key_evals_inserted),
        ] {
            if !list.is_empty() {
                inserted.insert(key.into(), list.into());
            }
        }
        if !inserted.is_empty() {
            entry.insert("inserted".into(), Value::Object(inserted));
        }
        if !self.changes.is_empty() {
            let changes = serde_json::to_value(&self.changes).unwrap_or(Value::Null);
            entry.insert("changes".into(), changes);
        }
    }
}
