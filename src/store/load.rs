//! Bulk load of a `Dataset`: upsert what the forms carry, create review items,
//! and move returned items whose data changed to `resubmitted`. Nothing a
//! reviewer wrote (state, opinion, verdicts) is touched. A load runs inside an
//! `ImportBatch` (one write transaction for many files, a savepoint per file).

mod batch;
mod children;
mod reference;

pub use batch::ImportBatch;

use super::audit::append_audit;
use super::codec::{date, decimal, decode_opt};
use super::{Store, StoreError};
use crate::domain::model::{KeyEval, KeyEvalDocuments, Project, Unit};
use crate::domain::money::{fen_to_yuan, yuan_to_fen};
use crate::domain::states::{ReviewAction, review_transition};
use crate::domain::{Dataset, Grade, ReviewState, Stage};
use children::load_children;
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Rows of one table: new, changed, and left as they were.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TableCounts {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl TableCounts {
    fn changed(&self) -> bool {
        self.inserted + self.updated > 0
    }
}

/// What one load did, table by table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LoadSummary {
    pub units: TableCounts,
    pub projects: TableCounts,
    pub indicators: TableCounts,
    pub monitoring: TableCounts,
    pub progress: TableCounts,
    pub self_evals: TableCounts,
    pub actuals: TableCounts,
    pub key_evals: TableCounts,
    pub reviews_created: usize,
    pub reviews_resubmitted: usize,
    /// The units whose records this load wrote (empty when it changed
    /// nothing): only their findings can have changed.
    #[serde(skip)]
    pub units_touched: BTreeSet<String>,
}

impl LoadSummary {
    /// Whether the load changed anything at all.
    pub fn changed_anything(&self) -> bool {
        [
            self.units,
            self.projects,
            self.indicators,
            self.monitoring,
            self.progress,
            self.self_evals,
            self.actuals,
            self.key_evals,
        ]
        .iter()
        .any(TableCounts::changed)
            || self.reviews_created + self.reviews_resubmitted > 0
    }
}

/// What a review is about: a project at a stage, or a key evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Subject {
    Project(i64, Stage),
    KeyEval(i64),
}

/// State shared by the steps of one load.
struct LoadRun<'t> {
    tx: &'t Transaction<'t>,
    actor: String,
    at: String,
    /// Project code → id, for the projects this dataset names.
    project_ids: HashMap<String, i64>,
    /// Projects this load inserted, with their unit: nothing hangs off them
    /// yet, so their children and review items need no lookup before they are
    /// written.
    new_projects: HashMap<i64, String>,
    /// Review stages (monitoring, self-evaluation) whose rows this load gave a
    /// new project.
    new_project_stages: HashSet<(i64, Stage)>,
    /// Projects whose rows this load touched: they get their review items.
    touched: BTreeSet<i64>,
    /// Review subjects whose underlying data changed.
    changed: BTreeSet<Subject>,
}

impl LoadRun<'_> {
    /// The project a child row names: one of this dataset's, else the latest
    /// year in the database.
    fn resolve_project(&self, sheet: &'static str, code: &str) -> Result<i64, StoreError> {
        if let Some(id) = self.project_ids.get(code) {
            return Ok(*id);
        }
        self.tx
            .prepare_cached("SELECT id FROM project WHERE code = ?1 ORDER BY year DESC LIMIT 1")?
            .query_row([code], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::UnknownProject {
                sheet,
                code: code.to_string(),
            })
    }

    fn mark_project_changed(&mut self, project_id: i64, stages: &[Stage]) {
        // A project inserted by this load has only the pending items created now.
        if self.new_projects.contains_key(&project_id) {
            return;
        }
        for stage in stages {
            self.changed.insert(Subject::Project(project_id, *stage));
        }
    }
}

/// A stored key evaluation with the unit and project it is about.
type KeyEvalObject = (i64, String, Option<i64>);

/// The stages whose data hang off a project row.
const PROJECT_STAGES: &[Stage] = &[Stage::Target, Stage::Monitoring, Stage::SelfEval];

impl Store {
    /// Loads a dataset in one transaction; on any error nothing of it lands.
    /// Only admins and reviewers may import.
    pub fn load_dataset(&mut self, ds: &Dataset, actor: &str) -> Result<LoadSummary, StoreError> {
        let mut batch = self.begin_import(actor)?;
        let summary = batch.load(ds)??;
        batch.commit()?;
        Ok(summary)
    }
}

/// Loads one dataset inside the caller's transaction; the caller rolls back on error.
fn load_in(tx: &Transaction<'_>, ds: &Dataset, actor: &str, at: &str) -> Result<LoadSummary, StoreError> {
    let mut run = LoadRun {
        tx,
        actor: actor.to_string(),
        at: at.to_string(),
        project_ids: HashMap::new(),
        new_projects: HashMap::new(),
        new_project_stages: HashSet::new(),
        touched: BTreeSet::new(),
        changed: BTreeSet::new(),
    };
    let mut summary = LoadSummary {
        units: load_units(tx, &ds.units)?,
        ..LoadSummary::default()
    };
    summary.projects = load_projects(&mut run, &ds.projects)?;
    summary.indicators = load_children(&mut run, &ds.indicators)?;
    summary.monitoring = load_children(&mut run, &ds.monitoring)?;
    summary.progress = load_children(&mut run, &ds.progress)?;
    summary.self_evals = load_children(&mut run, &ds.self_evals)?;
    summary.actuals = load_children(&mut run, &ds.actuals)?;
    let (key_counts, key_eval_ids) = load_key_evals(&mut run, &ds.key_evals)?;
    summary.key_evals = key_counts;
    summary.reviews_created = create_reviews(&run, &key_eval_ids)?;
    summary.reviews_resubmitted = resubmit_changed(&run)?;
    if summary.changed_anything() {
        summary.units_touched = units_touched(&run, ds, &key_eval_ids)?;
    }
    if summary.changed_anything() {
        let after = serde_json::to_string(&summary)?;
        append_audit(tx, actor, "import", "dataset", "ok", None, Some(&after))?;
    }
    Ok(summary)
}

fn load_units(tx: &Transaction<'_>, units: &[Unit]) -> Result<TableCounts, StoreError> {
    let mut counts = TableCounts::default();
    let mut select = tx.prepare_cached("SELECT name, department, section FROM unit WHERE code = ?1")?;
    for u in units {
        let stored: Option<(String, String, String)> = select
            .query_row([&u.code], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        match stored {
            None => {
                insert_unit(tx, u)?;
                counts.inserted += 1;
            }
            Some((name, department, section))
                if name != u.name || department != u.department || section != u.section =>
            {
                tx.prepare_cached("UPDATE unit SET name = ?2, department = ?3, section = ?4 WHERE code = ?1")?
                    .execute(params![u.code, u.name, u.department, u.section])?;
                counts.updated += 1;
            }
            Some(_) => counts.unchanged += 1,
        }
    }
    Ok(counts)
}

fn read_project(tx: &Transaction<'_>, year: i32, code: &str) -> Result<Option<(i64, Project)>, StoreError> {
    let row = tx
        .prepare_cached(
            "SELECT id, unit_code, name, budget_kind, fund_kind, amount_fen, annual_goal
             FROM project WHERE year = ?1 AND code = ?2",
        )?
        .query_row(params![year, code], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, String>(6)?,
            ))
        })
        .optional()?;
    let Some((id, unit_code, name, budget_kind, fund_kind, amount_fen, annual_goal)) = row else {
        return Ok(None);
    };
    let project = Project {
        year,
        code: code.to_string(),
        unit_code,
        name,
        budget_kind: super::codec::decode(&budget_kind, crate::domain::BudgetKind::from_code)?,
        fund_kind: super::codec::decode(&fund_kind, crate::domain::FundKind::from_code)?,
        amount: fen_to_yuan(amount_fen),
        annual_goal,
    };
    Ok(Some((id, project)))
}

/// A new unit row (the import's and the benchmark's reference insert alike).
pub(super) fn insert_unit(tx: &Transaction<'_>, u: &Unit) -> Result<(), StoreError> {
    tx.prepare_cached("INSERT INTO unit (code, name, department, section) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![u.code, u.name, u.department, u.section])?;
    Ok(())
}

/// A new project row; returns its id.
pub(super) fn insert_project(tx: &Transaction<'_>, p: &Project) -> Result<i64, StoreError> {
    tx.prepare_cached(
        "INSERT INTO project (year, code, unit_code, name, budget_kind, fund_kind, amount_fen, annual_goal)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        p.year,
        p.code,
        p.unit_code,
        p.name,
        p.budget_kind.code(),
        p.fund_kind.code(),
        yuan_to_fen(p.amount),
        p.annual_goal
    ])?;
    Ok(tx.last_insert_rowid())
}

/// A new key evaluation; the parameters are in `load_key_evals`'s order.
pub(super) const INSERT_KEY_EVAL: &str =
    "INSERT INTO key_eval (year, object_code, unit_code, project_id, firm, amount_fen, score, grade,
         working_papers_on, receipt_on, feedback_on, problems)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";

fn load_projects(run: &mut LoadRun<'_>, projects: &[Project]) -> Result<TableCounts, StoreError> {
    let tx = run.tx;
    let mut counts = TableCounts::default();
    let mut unit_exists = tx.prepare_cached("SELECT 1 FROM unit WHERE code = ?1")?;
    for p in projects {
        if !unit_exists.exists([&p.unit_code])? {
            return Err(StoreError::UnknownUnit {
                project: p.code.clone(),
                unit: p.unit_code.clone(),
            });
        }
        let id = match read_project(tx, p.year, &p.code)? {
            None => {
                let id = insert_project(tx, p)?;
                counts.inserted += 1;
                run.new_projects.insert(id, p.unit_code.clone());
                id
            }
            Some((id, stored)) if stored != *p => {
                tx.prepare_cached(
                    "UPDATE project SET unit_code = ?2, name = ?3, budget_kind = ?4, fund_kind = ?5,
                         amount_fen = ?6, annual_goal = ?7 WHERE id = ?1",
                )?
                .execute(params![
                    id,
                    p.unit_code,
                    p.name,
                    p.budget_kind.code(),
                    p.fund_kind.code(),
                    yuan_to_fen(p.amount),
                    p.annual_goal
                ])?;
                // A project moved to another unit takes its review items along.
                tx.prepare_cached("UPDATE review SET unit_code = ?2 WHERE project_id = ?1 AND key_eval_id IS NULL")?
                    .execute(params![id, p.unit_code])?;
                counts.updated += 1;
                run.mark_project_changed(id, PROJECT_STAGES);
                id
            }
            Some((id, _)) => {
                counts.unchanged += 1;
                id
            }
        };
        run.project_ids.insert(p.code.clone(), id);
        run.touched.insert(id);
    }
    Ok(counts)
}

fn read_key_eval(tx: &Transaction<'_>, year: i32, object_code: &str) -> Result<Option<(i64, KeyEval)>, StoreError> {
    type Row = (
        i64,
        String,
        i64,
        Option<String>,
        Option<String>,
        [Option<String>; 3],
        String,
    );
    let row: Option<Row> = tx
        .prepare_cached(
            "SELECT id, firm, amount_fen, score, grade, working_papers_on, receipt_on, feedback_on, problems
             FROM key_eval WHERE year = ?1 AND object_code = ?2",
        )?
        .query_row(params![year, object_code], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                [r.get(5)?, r.get(6)?, r.get(7)?],
                r.get(8)?,
            ))
        })
        .optional()?;
    let Some((id, firm, amount_fen, score, grade, [papers, receipt, feedback], problems)) = row else {
        return Ok(None);
    };
    let opt_date = |d: Option<String>| d.map(|d| date(&d)).transpose();
    let key_eval = KeyEval {
        year,
        object_code: object_code.to_string(),
        firm,
        amount: fen_to_yuan(amount_fen),
        score: score.map(|s| decimal(&s)).transpose()?,
        grade: decode_opt(grade, Grade::from_code)?,
        documents: KeyEvalDocuments {
            working_papers: opt_date(papers)?,
            receipt: opt_date(receipt)?,
            feedback: opt_date(feedback)?,
        },
        problems: serde_json::from_str(&problems)?,
    };
    Ok(Some((id, key_eval)))
}

/// The unit (and project, when there is one) a key evaluation is about.
fn key_eval_object(tx: &Transaction<'_>, k: &KeyEval) -> Result<(String, Option<i64>), StoreError> {
    let project: Option<(String, i64)> = tx
        .prepare_cached("SELECT unit_code, id FROM project WHERE year = ?1 AND code = ?2")?
        .query_row(params![k.year, k.object_code], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((unit, id)) = project {
        return Ok((unit, Some(id)));
    }
    if tx
        .prepare_cached("SELECT 1 FROM unit WHERE code = ?1")?
        .exists([&k.object_code])?
    {
        return Ok((k.object_code.clone(), None));
    }
    Err(StoreError::UnknownProject {
        sheet: "重点评价",
        code: k.object_code.clone(),
    })
}

fn load_key_evals(
    run: &mut LoadRun<'_>,
    key_evals: &[KeyEval],
) -> Result<(TableCounts, Vec<KeyEvalObject>), StoreError> {
    let tx = run.tx;
    let mut counts = TableCounts::default();
    let mut ids = Vec::with_capacity(key_evals.len());
    for k in key_evals {
        let (unit_code, project_id) = key_eval_object(tx, k)?;
        let docs = &k.documents;
        let fmt = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
        let values = params![
            k.year,
            k.object_code,
            unit_code,
            project_id,
            k.firm,
            yuan_to_fen(k.amount),
            k.score.map(|s| s.to_string()),
            k.grade.map(Grade::code),
            fmt(docs.working_papers),
            fmt(docs.receipt),
            fmt(docs.feedback),
            serde_json::to_string(&k.problems)?
        ];
        let id = match read_key_eval(tx, k.year, &k.object_code)? {
            None => {
                tx.prepare_cached(INSERT_KEY_EVAL)?.execute(values)?;
                counts.inserted += 1;
                tx.last_insert_rowid()
            }
            Some((id, stored)) if stored != *k => {
                tx.prepare_cached(
                    "UPDATE key_eval SET unit_code = ?3, project_id = ?4, firm = ?5, amount_fen = ?6, score = ?7,
                         grade = ?8, working_papers_on = ?9, receipt_on = ?10, feedback_on = ?11, problems = ?12
                     WHERE year = ?1 AND object_code = ?2",
                )?
                .execute(values)?;
                counts.updated += 1;
                run.changed.insert(Subject::KeyEval(id));
                id
            }
            Some((id, _)) => {
                counts.unchanged += 1;
                id
            }
        };
        ids.push((id, unit_code, project_id));
    }
    Ok((counts, ids))
}

/// Inserts a pending review unless the subject already has one; true when created.
fn ensure_review(
    run: &LoadRun<'_>,
    stage: Stage,
    unit_code: &str,
    project_id: Option<i64>,
    key_eval_id: Option<i64>,
) -> Result<bool, StoreError> {
    let tx = run.tx;
    let exists = match key_eval_id {
        // A project inserted by this load has no review yet.
        None if project_id.is_some_and(|p| run.new_projects.contains_key(&p)) => false,
        Some(k) => tx
            .prepare_cached("SELECT 1 FROM review WHERE key_eval_id = ?1")?
            .exists([k])?,
        None => tx
            .prepare_cached("SELECT 1 FROM review WHERE project_id = ?1 AND stage = ?2 AND key_eval_id IS NULL")?
            .exists(params![project_id, stage.code()])?,
    };
    if exists {
        return Ok(false);
    }
    tx.prepare_cached(
        "INSERT INTO review (stage, unit_code, project_id, key_eval_id, state, updated_by, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        stage.code(),
        unit_code,
        project_id,
        key_eval_id,
        ReviewState::Pending.code(),
        run.actor,
        run.at
    ])?;
    Ok(true)
}

/// One review item per stage a touched project has data for, and one per key evaluation.
fn create_reviews(run: &LoadRun<'_>, key_evals: &[KeyEvalObject]) -> Result<usize, StoreError> {
    let tx = run.tx;
    let mut created = 0;
    for project_id in &run.touched {
        let (unit_code, has_monitoring, has_self_eval): (String, bool, bool) = match run.new_projects.get(project_id) {
            // A new project's rows all came with this load.
            Some(unit_code) => (
                unit_code.clone(),
                run.new_project_stages.contains(&(*project_id, Stage::Monitoring)),
                run.new_project_stages.contains(&(*project_id, Stage::SelfEval)),
            ),
            None => tx
                .prepare_cached(
                    "SELECT unit_code,
                            EXISTS (SELECT 1 FROM monitoring WHERE project_id = ?1),
                            EXISTS (SELECT 1 FROM self_eval WHERE project_id = ?1)
                     FROM project WHERE id = ?1",
                )?
                .query_row([project_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?,
        };
        let stages = [
            (Stage::Target, true),
            (Stage::Monitoring, has_monitoring),
            (Stage::SelfEval, has_self_eval),
        ];
        for (stage, wanted) in stages {
            if wanted && ensure_review(run, stage, &unit_code, Some(*project_id), None)? {
                created += 1;
            }
        }
    }
    for (key_eval_id, unit_code, project_id) in key_evals {
        if ensure_review(run, Stage::KeyEval, unit_code, *project_id, Some(*key_eval_id))? {
            created += 1;
        }
    }
    Ok(created)
}

/// The units of the dataset, of the projects it has rows for, and of its key evaluations.
fn units_touched(run: &LoadRun<'_>, ds: &Dataset, key_evals: &[KeyEvalObject]) -> Result<BTreeSet<String>, StoreError> {
    let mut units: BTreeSet<String> = ds.units.iter().map(|u| u.code.clone()).collect();
    units.extend(ds.projects.iter().map(|p| p.unit_code.clone()));
    units.extend(key_evals.iter().map(|(_, unit, _)| unit.clone()));
    for project_id in &run.touched {
        let unit = match run.new_projects.get(project_id) {
            Some(unit) => unit.clone(),
            None => run
                .tx
                .prepare_cached("SELECT unit_code FROM project WHERE id = ?1")?
                .query_row([project_id], |r| r.get(0))?,
        };
        units.insert(unit);
    }
    Ok(units)
}

/// Returned items whose data changed go back to the reviewer as `resubmitted`.
fn resubmit_changed(run: &LoadRun<'_>) -> Result<usize, StoreError> {
    let tx = run.tx;
    let mut resubmitted = 0;
    for subject in &run.changed {
        let row: Option<(i64, String, i64)> = match *subject {
            Subject::Project(project_id, stage) => tx
                .prepare_cached(
                    "SELECT id, state, version FROM review WHERE project_id = ?1 AND stage = ?2 AND key_eval_id IS NULL",
                )?
                .query_row(params![project_id, stage.code()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?,
            Subject::KeyEval(key_eval_id) => tx
                .prepare_cached("SELECT id, state, version FROM review WHERE key_eval_id = ?1")?
                .query_row([key_eval_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?,
        };
        let Some((review_id, state, version)) = row else {
            continue;
        };
        let Some(next) = ReviewState::from_code(&state).and_then(|s| review_transition(s, ReviewAction::Resubmit))
        else {
            continue;
        };
        tx.prepare_cached(
            "UPDATE review SET state = ?2, version = version + 1, updated_by = ?3, updated_at = ?4 WHERE id = ?1",
        )?
        .execute(params![review_id, next.code(), run.actor, run.at])?;
        let before = serde_json::json!({ "state": state, "version": version }).to_string();
        let after =
            serde_json::json!({ "state": next.code(), "version": version + 1, "action": "resubmit" }).to_string();
        append_audit(
            tx,
            &run.actor,
            "resubmit",
            &format!("review:{review_id}"),
            "ok",
            Some(&before),
            Some(&after),
        )?;
        resubmitted += 1;
    }
    Ok(resubmitted)
}
