//! Bulk load of a `Dataset`: upsert what the forms carry, create review items,
//! and move returned items whose data changed to `resubmitted`. Nothing a
//! reviewer wrote (state, opinion, verdicts) is touched. A load runs inside an
//! `ImportBatch` (one write transaction for many files, a savepoint per file).

mod batch;
mod changes;
mod children;
// The import benchmark's reference insert (`jixiao bench`, feature `bench`).
#[cfg(feature = "bench")]
mod reference;

pub use batch::ImportBatch;

use super::audit::{AuditTarget, append_audit, audit_change};
use super::codec::{date, decimal, decode_opt};
use super::permissions::{About, authorize_new_unit, authorize_on, authorize_unit_identity, require_role};
use super::{Store, StoreError};
use crate::domain::model::{KeyEval, KeyEvalDocuments, Project, Reviewer, Unit};
use crate::domain::money::{fen_to_yuan, yuan_to_fen};
use crate::domain::states::{ReviewAction, review_transition};
use crate::domain::{Dataset, Grade, ReviewState, Role, Stage};
use changes::ImportChanges;
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
    /// The importer. An admin may load anything; a reviewer only what
    /// changes units of their own sections (checked before each write).
    reviewer: Reviewer,
    /// Units the importer was found allowed to change in this load.
    allowed: HashSet<String>,
    /// Project id → its unit, as read for the checks and the audit.
    project_units: HashMap<i64, String>,
    /// What changed, field by field, for the audit entry.
    audit: ImportChanges,
    /// (unit, year) whose findings the load changed besides those of the
    /// units it touched: the unit a project or evaluation moved away from.
    stale_extra: BTreeSet<(String, i32)>,
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

    /// Whether the load may write (insert or change) records of `unit_code`:
    /// an admin may; a reviewer when the unit's current 业务科室 is theirs
    /// (`authorize_on`, the check every other write passes). The refusal
    /// names the unit, the project and the section, and rolls the file back.
    fn may_change(&mut self, unit_code: &str, about: About<'_>) -> Result<(), StoreError> {
        if self.reviewer.role == Role::Admin || self.allowed.contains(unit_code) {
            return Ok(());
        }
        authorize_on(self.tx, &self.actor, unit_code, about, "导入数据")?;
        self.allowed.insert(unit_code.to_string());
        Ok(())
    }

    /// The unit a project belongs to.
    fn unit_of_project(&mut self, project_id: i64) -> Result<String, StoreError> {
        if let Some(unit) = self
            .new_projects
            .get(&project_id)
            .or_else(|| self.project_units.get(&project_id))
        {
            return Ok(unit.clone());
        }
        let unit: String = self
            .tx
            .prepare_cached("SELECT unit_code FROM project WHERE id = ?1")?
            .query_row([project_id], |r| r.get(0))?;
        self.project_units.insert(project_id, unit.clone());
        Ok(unit)
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
    /// Only admins and reviewers may import, a reviewer only their own
    /// sections' units. For the demo builder and tests, whose caller
    /// refreshes the findings itself when it wants them (the demo does,
    /// before anyone can open it): unlike `jixiao import` (`begin_import`),
    /// it does not mark the findings of what it loads as lagging.
    pub fn load_dataset(&mut self, ds: &Dataset, actor: &str) -> Result<LoadSummary, StoreError> {
        let mut batch = self.begin_import(actor)?;
        batch.mark_stale = false;
        let summary = batch.load(ds)??;
        batch.commit()?;
        Ok(summary)
    }
}

/// Loads one dataset (from `file`, when it came from one) inside the caller's
/// transaction; the caller rolls back on error.
fn load_in(
    tx: &Transaction<'_>,
    ds: &Dataset,
    actor: &str,
    at: &str,
    file: Option<&str>,
    mark_stale: bool,
) -> Result<LoadSummary, StoreError> {
    let reviewer = require_role(tx, actor, &[Role::Admin, Role::Reviewer], "导入数据")?;
    let mut run = LoadRun {
        tx,
        actor: actor.to_string(),
        at: at.to_string(),
        project_ids: HashMap::new(),
        new_projects: HashMap::new(),
        new_project_stages: HashSet::new(),
        touched: BTreeSet::new(),
        changed: BTreeSet::new(),
        reviewer,
        allowed: HashSet::new(),
        project_units: HashMap::new(),
        audit: ImportChanges::default(),
        stale_extra: BTreeSet::new(),
    };
    let mut summary = LoadSummary {
        units: load_units(&mut run, &ds.units)?,
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
    summary.reviews_created = create_reviews(&mut run, &key_eval_ids)?;
    summary.reviews_resubmitted = resubmit_changed(&run)?;
    if summary.changed_anything() {
        summary.units_touched = units_touched(&run, ds, &key_eval_ids)?;
        // In the transaction of the data: until a refresh stores the findings
        // of what changed, its items are not approved (`findings_stale`).
        if mark_stale {
            let stale = stale_pairs(&run, ds, &key_eval_ids)?;
            super::findings::mark_stale_in(tx, &stale, at)?;
        }
        let mut after = serde_json::to_value(&summary)?;
        if let Some(entry) = after.as_object_mut() {
            if let Some(file) = file {
                entry.insert("file".into(), file.into());
            }
            run.audit.write_into(entry);
        }
        append_audit(
            tx,
            actor,
            "import",
            AuditTarget::Dataset,
            "ok",
            None,
            Some(&after.to_string()),
        )?;
    }
    Ok(summary)
}

/// The (unit, year) pairs whose findings this load can have changed: of the
/// projects and evaluations it wrote, of the projects it gave rows, of every
/// year of a unit whose own record it wrote, and of the units things moved
/// away from.
fn stale_pairs(
    run: &LoadRun<'_>,
    ds: &Dataset,
    key_evals: &[KeyEvalObject],
) -> Result<BTreeSet<(String, i32)>, StoreError> {
    let mut pairs: BTreeSet<(String, i32)> = ds.projects.iter().map(|p| (p.unit_code.clone(), p.year)).collect();
    pairs.extend(
        key_evals
            .iter()
            .zip(&ds.key_evals)
            .map(|((_, unit, _), k)| (unit.clone(), k.year)),
    );
    pairs.extend(run.stale_extra.iter().cloned());
    let in_dataset: HashSet<i64> = run.project_ids.values().copied().collect();
    let mut of_project = run
        .tx
        .prepare_cached("SELECT unit_code, year FROM project WHERE id = ?1")?;
    for project_id in run.touched.iter().filter(|id| !in_dataset.contains(id)) {
        pairs.insert(of_project.query_row([project_id], |r| Ok((r.get(0)?, r.get(1)?)))?);
    }
    let mut years = run.tx.prepare_cached(
        "SELECT year FROM project WHERE unit_code = ?1 UNION SELECT year FROM key_eval WHERE unit_code = ?1",
    )?;
    for u in &ds.units {
        let mut rows = years.query([&u.code])?;
        while let Some(r) = rows.next()? {
            pairs.insert((u.code.clone(), r.get(0)?));
        }
    }
    Ok(pairs)
}

/// A unit's identity as the 单位 sheet gives it: (column, stored, new) for
/// each of name, department and section that differ.
fn identity_changes<'a>(stored: &'a (String, String, String), u: &'a Unit) -> Vec<(&'static str, &'a str, &'a str)> {
    let (name, department, section) = stored;
    [
        ("单位名称", name, &u.name),
        ("主管部门", department, &u.department),
        ("业务科室", section, &u.section),
    ]
    .into_iter()
    .filter(|(_, before, after)| before != after)
    .map(|(field, before, after)| (field, before.as_str(), after.as_str()))
    .collect()
}

fn load_units(run: &mut LoadRun<'_>, units: &[Unit]) -> Result<TableCounts, StoreError> {
    let tx = run.tx;
    let mut counts = TableCounts::default();
    let mut select = tx.prepare_cached("SELECT name, department, section FROM unit WHERE code = ?1")?;
    for u in units {
        let stored: Option<(String, String, String)> = select
            .query_row([&u.code], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        match stored {
            None => {
                authorize_new_unit(&run.actor, &run.reviewer, &u.code, &u.name, &u.section)?;
                insert_unit(tx, u)?;
                run.audit.unit_inserted(u);
                counts.inserted += 1;
            }
            Some(stored) if (&stored.0, &stored.1, &stored.2) != (&u.name, &u.department, &u.section) => {
                // Whose unit it is now decides, not what the file says it becomes.
                run.may_change(&u.code, About::Unit)?;
                let changes = identity_changes(&stored, u);
                authorize_unit_identity(&run.actor, &run.reviewer, &u.code, &stored.0, &changes)?;
                tx.prepare_cached("UPDATE unit SET name = ?2, department = ?3, section = ?4 WHERE code = ?1")?
                    .execute(params![u.code, u.name, u.department, u.section])?;
                run.audit.unit_changed(&u.code, &stored.0, &changes);
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
                run.may_change(&p.unit_code, About::ProjectName(&p.name))?;
                let id = insert_project(tx, p)?;
                counts.inserted += 1;
                run.new_projects.insert(id, p.unit_code.clone());
                run.audit.project_inserted(p);
                id
            }
            Some((id, stored)) if stored != *p => {
                run.may_change(&stored.unit_code, About::ProjectName(&stored.name))?;
                if stored.unit_code != p.unit_code {
                    run.may_change(&p.unit_code, About::ProjectName(&p.name))?;
                    run.stale_extra.insert((stored.unit_code.clone(), stored.year));
                }
                let unit = changes::unit_label(tx, &stored.unit_code)?;
                run.audit.project_changed(unit, &stored, p);
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
                run.may_change(&unit_code, About::ProjectCode(&k.object_code))?;
                tx.prepare_cached(INSERT_KEY_EVAL)?.execute(values)?;
                counts.inserted += 1;
                run.audit.key_eval_inserted(k);
                tx.last_insert_rowid()
            }
            Some((id, stored)) if stored != *k => {
                let stored_unit: String = tx
                    .prepare_cached("SELECT unit_code FROM key_eval WHERE id = ?1")?
                    .query_row([id], |r| r.get(0))?;
                run.may_change(&stored_unit, About::ProjectCode(&k.object_code))?;
                if stored_unit != unit_code {
                    run.may_change(&unit_code, About::ProjectCode(&k.object_code))?;
                    run.stale_extra.insert((stored_unit.clone(), k.year));
                }
                let unit = changes::unit_label(tx, &stored_unit)?;
                run.audit.key_eval_changed(unit, &stored, k)?;
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
    run: &mut LoadRun<'_>,
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
    run.may_change(unit_code, About::Unit)?;
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
fn create_reviews(run: &mut LoadRun<'_>, key_evals: &[KeyEvalObject]) -> Result<usize, StoreError> {
    let tx = run.tx;
    let mut created = 0;
    let touched: Vec<i64> = run.touched.iter().copied().collect();
    for project_id in &touched {
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

/// Returned items whose data changed go back to the reviewer as
/// `resubmitted`: the state machine's move, audited, and the findings that
/// follow the state (a returned item's R-OPINION) refreshed, as every
/// decision does.
fn resubmit_changed(run: &LoadRun<'_>) -> Result<usize, StoreError> {
    let tx = run.tx;
    let mut resubmitted = 0;
    let mut params = None;
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
        let before = serde_json::json!({ "state": state, "version": version });
        let after = serde_json::json!({ "state": next.code(), "version": version + 1, "action": "resubmit" });
        audit_change(
            tx,
            &run.actor,
            "resubmit",
            AuditTarget::Review(review_id),
            &before,
            &after,
        )?;
        let params = match &params {
            Some(p) => p,
            None => params.insert(super::findings::bureau_rules_in(tx)?),
        };
        super::findings::refresh_dependent_in(tx, review_id, params)?;
        resubmitted += 1;
    }
    Ok(resubmitted)
}
