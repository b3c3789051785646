//! The import benchmark's reference: the same rows written into the same
//! tables (same schema, indexes and constraints) with bare prepared INSERTs in
//! one transaction — no reading, no comparing, no review items, no audit
//! entry. What SQLite costs for these rows with no work of ours.

use super::children::ChildRow;
use super::{INSERT_KEY_EVAL, insert_project, insert_unit};
use crate::domain::model::KeyEval;
use crate::domain::money::yuan_to_fen;
use crate::domain::{Dataset, Grade};
use crate::store::{Store, StoreError};
use rusqlite::{Transaction, params};
use std::collections::HashMap;

impl Store {
    /// Inserts every row of `ds` into an empty store the plainest way. For the
    /// benchmark only: it creates no review items and writes no audit entry.
    pub fn insert_plain(&mut self, ds: &Dataset) -> Result<(), StoreError> {
        self.write(|tx| {
            for u in &ds.units {
                insert_unit(tx, u)?;
            }
            let mut ids = HashMap::with_capacity(ds.projects.len());
            for p in &ds.projects {
                ids.insert(p.code.as_str(), (insert_project(tx, p)?, p.unit_code.as_str()));
            }
            insert_children(tx, &ids, &ds.indicators)?;
            insert_children(tx, &ids, &ds.monitoring)?;
            insert_children(tx, &ids, &ds.progress)?;
            insert_children(tx, &ids, &ds.self_evals)?;
            insert_children(tx, &ids, &ds.actuals)?;
            insert_key_evals(tx, &ids, &ds.key_evals)
        })
    }
}

/// Project code → (id, unit code) of the projects just inserted.
type ProjectIds<'a> = HashMap<&'a str, (i64, &'a str)>;

/// A sheet's rows with the project ids just inserted and their order within the project.
fn insert_children<T: ChildRow>(tx: &Transaction<'_>, ids: &ProjectIds<'_>, rows: &[T]) -> Result<(), StoreError> {
    let mut insert = tx.prepare(T::INSERT)?;
    let mut seq: HashMap<&str, i64> = HashMap::new();
    for row in rows {
        let code = row.project_code();
        let (project_id, _) = *ids.get(code).ok_or_else(|| StoreError::UnknownProject {
            sheet: T::SHEET,
            code: code.to_string(),
        })?;
        let next = seq.entry(code).or_insert(0);
        row.insert(&mut insert, project_id, *next)?;
        *next += 1;
    }
    Ok(())
}

/// A key evaluation is about a project (and its unit) or about a unit as a whole.
fn insert_key_evals(tx: &Transaction<'_>, ids: &ProjectIds<'_>, key_evals: &[KeyEval]) -> Result<(), StoreError> {
    let mut insert = tx.prepare(INSERT_KEY_EVAL)?;
    for k in key_evals {
        let project = ids.get(k.object_code.as_str()).copied();
        let project_id = project.map(|(id, _)| id);
        let unit_code = project.map_or(k.object_code.as_str(), |(_, unit)| unit);
        let fmt = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
        insert.execute(params![
            k.year,
            k.object_code,
            unit_code,
            project_id,
            k.firm,
            yuan_to_fen(k.amount),
            k.score.map(|s| s.to_string()),
            k.grade.map(Grade::code),
            fmt(k.documents.working_papers),
            fmt(k.documents.receipt),
            fmt(k.documents.feedback),
            serde_json::to_string(&k.problems)?
        ])?;
    }
    Ok(())
}
