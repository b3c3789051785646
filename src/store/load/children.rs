//! The per-project sheets (指标, 监控, 指标进度, 自评, 指标实际): a project's rows
//! in a sheet are replaced as a whole, and only when they differ from what is stored.

use super::{About, LoadRun, TableCounts};
use crate::domain::model::{Indicator, IndicatorActual, IndicatorProgress, Monitoring, SelfEval};
use crate::domain::money::yuan_to_fen;
use crate::domain::{Grade, Likelihood, QualTier, Stage};
use crate::store::StoreError;
use crate::store::snapshot::{StoredChild, rows_of_project};
use rusqlite::{Statement, params};
use std::collections::HashMap;

/// A row of a per-project sheet, with how it is stored.
pub(super) trait ChildRow: StoredChild + PartialEq + serde::Serialize {
    /// Sheet name for error messages.
    const SHEET: &'static str;
    /// Review stages whose underlying data this sheet is.
    const STAGES: &'static [Stage];
    /// The stage whose review item a project gets for having rows here
    /// (monitoring, self-evaluation); the target item every project gets.
    const ITEM: Option<Stage> = None;
    const DELETE: &'static str;
    /// Inserts one row; `insert` binds `?1` project id, `?2` seq, then the row's own columns.
    const INSERT: &'static str;
    /// The row's own columns (as serialized) with their sheet headers, for
    /// the audit entry's field-by-field changes.
    const FIELDS: &'static [(&'static str, &'static str)];
    fn project_code(&self) -> &str;
    /// What names the row within its project (the indicator, the period).
    fn key(&self) -> &str;
    fn insert(&self, stmt: &mut Statement<'_>, project_id: i64, seq: i64) -> Result<(), StoreError>;
}

/// Replaces, project by project, the stored rows that differ from `rows`.
pub(super) fn load_children<T: ChildRow>(run: &mut LoadRun<'_>, rows: &[T]) -> Result<TableCounts, StoreError> {
    // Group by project, keeping the order the sheet gave.
    let mut groups: Vec<(&str, Vec<&T>)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for row in rows {
        let code = row.project_code();
        let i = *index.entry(code).or_insert_with(|| {
            groups.push((code, Vec::new()));
            groups.len() - 1
        });
        groups[i].1.push(row);
    }
    let mut counts = TableCounts::default();
    let tx = run.tx;
    let mut insert = tx.prepare_cached(T::INSERT)?;
    for (code, new_rows) in groups {
        let project_id = run.resolve_project(T::SHEET, code)?;
        // A project this load inserted has no rows yet: nothing to compare or delete.
        let stored = if run.new_projects.contains_key(&project_id) {
            if let Some(stage) = T::ITEM {
                run.new_project_stages.insert((project_id, stage));
            }
            Vec::new()
        } else {
            rows_of_project::<T>(tx, project_id)?
        };
        if stored.len() == new_rows.len() && stored.iter().zip(&new_rows).all(|(a, b)| a == *b) {
            counts.unchanged += new_rows.len();
        } else {
            let unit = run.unit_of_project(project_id)?;
            run.may_change(&unit, About::ProjectCode(code))?;
            if !run.new_projects.contains_key(&project_id) {
                let unit = super::changes::unit_label(tx, &unit)?;
                let project = super::changes::project_label(tx, project_id)?;
                run.audit.rows_changed(unit, project, &stored, &new_rows)?;
            }
            if !stored.is_empty() {
                tx.prepare_cached(T::DELETE)?.execute([project_id])?;
            }
            for (seq, row) in new_rows.iter().enumerate() {
                row.insert(&mut insert, project_id, seq as i64)?;
            }
            if stored.is_empty() {
                counts.inserted += new_rows.len();
            } else {
                counts.updated += new_rows.len();
            }
            run.mark_project_changed(project_id, T::STAGES);
        }
        run.touched.insert(project_id);
    }
    Ok(counts)
}

impl ChildRow for Indicator {
    const SHEET: &'static str = "指标表";
    const FIELDS: &'static [(&'static str, &'static str)] = &[
        ("level1", "一级指标"),
        ("level2", "二级指标"),
        ("name", "三级指标"),
        ("direction", "指标性质"),
        ("target_value", "指标值"),
        ("measure_unit", "计量单位"),
        ("weight", "权重"),
        ("explanation", "指标解释"),
    ];
    // Indicators are the yardstick of every stage of the project.
    const STAGES: &'static [Stage] = &[Stage::Target, Stage::Monitoring, Stage::SelfEval];
    const DELETE: &'static str = "DELETE FROM indicator WHERE project_id = ?1";
    const INSERT: &'static str =
        "INSERT INTO indicator (project_id, seq, level1, level2, name, direction, target_value, measure_unit,
                 weight, explanation) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

    fn project_code(&self) -> &str {
        &self.project_code
    }

    fn key(&self) -> &str {
        &self.name
    }

    fn insert(&self, stmt: &mut Statement<'_>, project_id: i64, seq: i64) -> Result<(), StoreError> {
        stmt.execute(params![
            project_id,
            seq,
            self.level1.code(),
            self.level2.code(),
            self.name,
            self.direction.code(),
            self.target_value,
            self.measure_unit,
            self.weight.map(|w| w.to_string()),
            self.explanation
        ])?;
        Ok(())
    }
}

impl ChildRow for Monitoring {
    const SHEET: &'static str = "监控表";
    const FIELDS: &'static [(&'static str, &'static str)] = &[
        ("period", "监控期"),
        ("executed", "预算执行数（元）"),
        ("explanation", "情况说明"),
        ("measures", "整改措施"),
    ];
    const STAGES: &'static [Stage] = &[Stage::Monitoring];
    const ITEM: Option<Stage> = Some(Stage::Monitoring);
    const DELETE: &'static str = "DELETE FROM monitoring WHERE project_id = ?1";
    const INSERT: &'static str = "INSERT INTO monitoring (project_id, seq, period, executed_fen, explanation, measures)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

    fn project_code(&self) -> &str {
        &self.project_code
    }

    fn key(&self) -> &str {
        &self.period
    }

    fn insert(&self, stmt: &mut Statement<'_>, project_id: i64, seq: i64) -> Result<(), StoreError> {
        stmt.execute(params![
            project_id,
            seq,
            self.period,
            yuan_to_fen(self.executed),
            self.explanation,
            self.measures
        ])?;
        Ok(())
    }
}

impl ChildRow for IndicatorProgress {
    const SHEET: &'static str = "指标进度表";
    const FIELDS: &'static [(&'static str, &'static str)] = &[
        ("indicator_name", "三级指标"),
        ("current_value", "当前完成值"),
        ("expected_value", "全年预计完成值"),
        ("likelihood", "完成可能性"),
        ("reason", "原因"),
        ("action", "举措"),
    ];
    const STAGES: &'static [Stage] = &[Stage::Monitoring];
    const DELETE: &'static str = "DELETE FROM indicator_progress WHERE project_id = ?1";
    const INSERT: &'static str =
        "INSERT INTO indicator_progress (project_id, seq, indicator_name, current_value, expected_value,
                 likelihood, reason, action) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

    fn project_code(&self) -> &str {
        &self.project_code
    }

    fn key(&self) -> &str {
        &self.indicator_name
    }

    fn insert(&self, stmt: &mut Statement<'_>, project_id: i64, seq: i64) -> Result<(), StoreError> {
        stmt.execute(params![
            project_id,
            seq,
            self.indicator_name,
            self.current_value,
            self.expected_value,
            self.likelihood.map(Likelihood::code),
            self.reason,
            self.action
        ])?;
        Ok(())
    }
}

impl ChildRow for SelfEval {
    const SHEET: &'static str = "自评表";
    const FIELDS: &'static [(&'static str, &'static str)] = &[
        ("executed", "全年执行数（元）"),
        ("self_score", "自评得分"),
        ("self_grade", "自评等级"),
        ("report", "自评报告"),
        ("problems", "存在问题"),
        ("measures", "改进措施"),
    ];
    const STAGES: &'static [Stage] = &[Stage::SelfEval];
    const ITEM: Option<Stage> = Some(Stage::SelfEval);
    const DELETE: &'static str = "DELETE FROM self_eval WHERE project_id = ?1";
    const INSERT: &'static str =
        "INSERT INTO self_eval (project_id, seq, executed_fen, self_score, self_grade, report, problems, measures)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

    fn project_code(&self) -> &str {
        &self.project_code
    }

    fn key(&self) -> &str {
        ""
    }

    fn insert(&self, stmt: &mut Statement<'_>, project_id: i64, seq: i64) -> Result<(), StoreError> {
        stmt.execute(params![
            project_id,
            seq,
            yuan_to_fen(self.executed),
            self.self_score.to_string(),
            self.self_grade.map(Grade::code),
            self.report,
            self.problems,
            self.measures
        ])?;
        Ok(())
    }
}

impl ChildRow for IndicatorActual {
    const SHEET: &'static str = "指标实际表";
    const FIELDS: &'static [(&'static str, &'static str)] = &[
        ("indicator_name", "三级指标"),
        ("actual_value", "实际完成值"),
        ("tier", "定性等级"),
        ("deviation_reason", "偏差原因"),
    ];
    const STAGES: &'static [Stage] = &[Stage::SelfEval];
    const DELETE: &'static str = "DELETE FROM indicator_actual WHERE project_id = ?1";
    const INSERT: &'static str =
        "INSERT INTO indicator_actual (project_id, seq, indicator_name, actual_value, tier, deviation_reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

    fn project_code(&self) -> &str {
        &self.project_code
    }

    fn key(&self) -> &str {
        &self.indicator_name
    }

    fn insert(&self, stmt: &mut Statement<'_>, project_id: i64, seq: i64) -> Result<(), StoreError> {
        stmt.execute(params![
            project_id,
            seq,
            self.indicator_name,
            self.actual_value,
            self.tier.map(QualTier::code),
            self.deviation_reason
        ])?;
        Ok(())
    }
}
