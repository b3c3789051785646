//! A batch of submissions for one or more units: what an import file or the
//! demo generator hands to the store in one transaction.

use super::model::*;

/// Everything a set of forms contains, sheet by sheet.
///
/// Convention: a unit's overall spending (部门整体) is a `Project` whose
/// `fund_kind` is `UnitOverall` and whose `code` is the unit's code, so that
/// 自评 and 重点评价 rows keyed by 单位编码 find it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dataset {
    pub units: Vec<Unit>,
    pub projects: Vec<Project>,
    pub indicators: Vec<Indicator>,
    pub monitoring: Vec<Monitoring>,
    pub progress: Vec<IndicatorProgress>,
    pub self_evals: Vec<SelfEval>,
    pub actuals: Vec<IndicatorActual>,
    pub key_evals: Vec<KeyEval>,
}

impl Dataset {
    /// Number of rows across all sheets.
    pub fn row_count(&self) -> usize {
        self.units.len()
            + self.projects.len()
            + self.indicators.len()
            + self.monitoring.len()
            + self.progress.len()
            + self.self_evals.len()
            + self.actuals.len()
            + self.key_evals.len()
    }
}
