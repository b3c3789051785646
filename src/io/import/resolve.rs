//! References a file makes to units and projects: each must be in the same
//! file or already in the database. Checked before loading so that every
//! unknown code is reported at its cell, and a key evaluation without a 年度
//! gets its year.

use super::errors::ImportError;
use super::records::{Parsed, RefKind};
use crate::store::{ImportBatch, StoreError};
use std::collections::{BTreeSet, HashSet};

/// Checks every reference of `parsed` and fills in missing key-evaluation years.
/// Lookups go through the open batch, so a file may name units and projects
/// an earlier file of the same run loaded (`项目.csv` after `单位.csv`).
pub fn resolve(file: &str, parsed: &mut Parsed, store: &ImportBatch<'_>) -> Result<Vec<ImportError>, StoreError> {
    let ds = &parsed.dataset;
    let units: HashSet<&str> = ds.units.iter().map(|u| u.code.as_str()).collect();
    let projects: HashSet<&str> = ds.projects.iter().map(|p| p.code.as_str()).collect();
    let mut errors = Vec::new();
    for r in &parsed.refs {
        let code = r.code.as_str();
        let known = match r.kind {
            RefKind::Unit => units.contains(code) || store.unit_exists(code)?,
            RefKind::Project => projects.contains(code) || store.project_latest_year(code)?.is_some(),
            RefKind::KeyEvalObject => {
                projects.contains(code)
                    || units.contains(code)
                    || store.project_latest_year(code)?.is_some()
                    || store.unit_exists(code)?
            }
        };
        if !known {
            let reason = match r.kind {
                RefKind::Unit => format!("单位编码「{code}」不存在：本文件的「单位」表和数据库中都没有"),
                RefKind::Project => format!("项目编码「{code}」不存在：本文件的「项目」表和数据库中都没有"),
                RefKind::KeyEvalObject => format!("评价对象「{code}」既不是已知项目编码，也不是已知单位编码"),
            };
            errors.push(r.at.error(file, reason));
        }
    }
    let file_years: BTreeSet<i32> = ds.projects.iter().map(|p| p.year).collect();
    for (index, at) in std::mem::take(&mut parsed.missing_years) {
        let code = parsed.dataset.key_evals[index].object_code.clone();
        let year = match file_years.iter().collect::<Vec<_>>().as_slice() {
            [only] => Some(**only),
            _ => match store.project_latest_year(&code)? {
                Some(y) => Some(y),
                None => store.latest_year()?,
            },
        };
        match year {
            Some(y) => parsed.dataset.key_evals[index].year = y,
            None => errors.push(at.error(file, "无法确定评价年度：请填写「年度」列")),
        }
    }
    Ok(errors)
}
