//! Result application (结果应用) across the year: one row per project that
//! has a grade, the treatment its grade suggests for next year's budget and
//! the reviewer's answer; and the one write path for answers, alone or in a
//! batch, permission-checked and audited. Answers belong to the project
//! (schema 4); the year's listing and one project's row are the same query.

use super::audit::{AuditTarget, append_audit};
use super::codec::{decimal, decode, decode_opt};
use super::permissions::{About, authorize_on};
use super::snapshot::{
    ACTUAL_COLUMNS, INDICATOR_COLUMNS, PROJECT_COLUMNS, SELF_EVAL_COLUMNS, actual_from_row, indicator_from_row,
    project_from_row, self_eval_from_row,
};
use super::{Store, StoreError, now};
use crate::domain::model::Project;
use crate::domain::params::RuleParams;
use crate::domain::result_application::{
    GradeSource, ResultChoice, ResultStatus, Suggestion, grade_basis, key_eval_grade, suggest,
};
use crate::domain::scoring::{ScoreInput, score};
use crate::domain::{Grade, Stage};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// The reviewer's recorded answer to a project's suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRecord {
    /// The grade and its source as they were when answered.
    pub grade: Grade,
    pub source: GradeSource,
    pub suggested: String,
    pub confirmed: bool,
    /// The suggestion when confirmed, else the reviewer's own.
    pub treatment: String,
    pub reason: String,
    /// The OS user, and the name the staff list gives them.
    pub decided_by: String,
    pub decided_by_name: String,
    pub decided_at: String,
    pub version: i64,
}

/// One project's line of the 结果应用 table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRow {
    pub project_id: i64,
    /// The item whose grade is used: its workspace opens on Enter and answers
    /// are audited on it.
    pub review_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub section: String,
    pub project_code: String,
    pub project_name: String,
    /// This year's budget of the project, in 元.
    pub amount: Decimal,
    pub source: GradeSource,
    /// What the grade suggests (the grade is `suggestion.grade`).
    pub suggestion: Suggestion,
    pub answer: Option<ResultRecord>,
}

impl ResultRow {
    pub fn grade(&self) -> Grade {
        self.suggestion.grade
    }

    pub fn status(&self) -> ResultStatus {
        ResultStatus::of(self.answer.as_ref().map(|a| (a.grade, a.confirmed)), self.grade())
    }

    /// The cut of next year's budget the suggestion makes, in 元.
    pub fn suggested_cut(&self) -> Decimal {
        self.amount - self.suggestion.next_amount
    }
}

/// A project with what its grade can rest on.
struct Subject {
    id: i64,
    project: Project,
    unit_name: String,
    section: String,
    self_review: Option<i64>,
    /// The key evaluation's review with the firm's grade and score.
    key: Option<(i64, Option<Grade>, Option<Decimal>)>,
}

/// Which projects to read: a year's, or one.
#[derive(Debug, Clone, Copy)]
enum Scope {
    Year(i32),
    Project(i64),
}

impl Scope {
    fn year(self) -> Option<i32> {
        match self {
            Scope::Year(y) => Some(y),
            Scope::Project(_) => None,
        }
    }

    fn project(self) -> Option<i64> {
        match self {
            Scope::Year(_) => None,
            Scope::Project(id) => Some(id),
        }
    }
}

/// The filter every query below shares, on the project `p`.
const IN_SCOPE: &str = "(?1 IS NULL OR p.year = ?1) AND (?2 IS NULL OR p.id = ?2)";

fn read_subjects(conn: &Connection, scope: Scope) -> Result<Vec<Subject>, StoreError> {
    let sql = format!(
        "SELECT {PROJECT_COLUMNS}, p.id, u.name, u.section,
                (SELECT r.id FROM review r
                 WHERE r.project_id = p.id AND r.stage = ?3 AND r.key_eval_id IS NULL),
                kr.id, k.grade, k.score
         FROM project p JOIN unit u ON u.code = p.unit_code
         LEFT JOIN key_eval k ON k.project_id = p.id
         LEFT JOIN review kr ON kr.key_eval_id = k.id
         WHERE {IN_SCOPE}
         ORDER BY p.unit_code, p.code"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![scope.year(), scope.project(), Stage::SelfEval.code()])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let self_review: Option<i64> = r.get(11)?;
        let key_review: Option<i64> = r.get(12)?;
        if self_review.is_none() && key_review.is_none() {
            continue;
        }
        let key = match key_review {
            Some(id) => Some((
                id,
                decode_opt(r.get(13)?, Grade::from_code)?,
                r.get::<_, Option<String>>(14)?.map(|s| decimal(&s)).transpose()?,
            )),
            None => None,
        };
        out.push(Subject {
            project: project_from_row(r)?,
            id: r.get(8)?,
            unit_name: r.get(9)?,
            section: r.get(10)?,
            self_review,
            key,
        });
    }
    Ok(out)
}

/// One child table read in project order, a project's rows at a time: the
/// year's indicators are never all in memory at once (a quarter of a million
/// at ten times the demo's size).
struct ByProject<'s, T> {
    rows: rusqlite::Rows<'s>,
    /// The column holding the project id.
    at: usize,
    map: fn(&rusqlite::Row<'_>) -> Result<T, StoreError>,
    /// The first row not yet handed out.
    ahead: Option<(i64, T)>,
}

impl<'s, T> ByProject<'s, T> {
    fn new(
        stmt: &'s mut rusqlite::CachedStatement<'_>,
        scope: Scope,
        ids: (i64, i64),
        at: usize,
        map: fn(&rusqlite::Row<'_>) -> Result<T, StoreError>,
    ) -> Result<Self, StoreError> {
        let rows = stmt.query(params![scope.year(), scope.project(), ids.0, ids.1])?;
        let mut cursor = ByProject {
            rows,
            at,
            map,
            ahead: None,
        };
        cursor.advance()?;
        Ok(cursor)
    }

    fn advance(&mut self) -> Result<(), StoreError> {
        self.ahead = match self.rows.next()? {
            Some(r) => Some((r.get(self.at)?, (self.map)(r)?)),
            None => None,
        };
        Ok(())
    }

    /// The rows of project `id`, skipping those of projects before it (ids ascending).
    fn take(&mut self, id: i64) -> Result<Vec<T>, StoreError> {
        let mut out = Vec::new();
        while let Some((pid, _)) = &self.ahead {
            if *pid > id {
                break;
            }
            if let Some((pid, item)) = self.ahead.take()
                && pid == id
            {
                out.push(item);
            }
            self.advance()?;
        }
        Ok(out)
    }
}

/// Below this many projects to score, one connection is as quick as several.
const PARALLEL_FROM: usize = 2000;

/// The recomputed grade of each project's self-evaluation, for the projects
/// `wanted` (ascending ids). The reviewer judges a self-evaluation by this
/// recomputation (a self score the indicators do not bear out is 自评不实),
/// so next year's budget follows it rather than the grade the unit gave itself.
/// A large year is scored in ranges of project ids, each on a connection and
/// a thread of its own (tab 7 at ten times the demo's size opens in half the time).
fn recomputed_grades(
    conn: &Connection,
    scope: Scope,
    wanted: &[&Subject],
    rules: &RuleParams,
) -> Result<HashMap<i64, Grade>, StoreError> {
    recomputed_grades_from(conn, scope, wanted, rules, PARALLEL_FROM)
}

/// `recomputed_grades`, on several connections from `parallel_from` projects.
fn recomputed_grades_from(
    conn: &Connection,
    scope: Scope,
    wanted: &[&Subject],
    rules: &RuleParams,
    parallel_from: usize,
) -> Result<HashMap<i64, Grade>, StoreError> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let path = conn.path().filter(|p| !p.is_empty());
    let (Some(path), true) = (path, threads > 1 && wanted.len() >= parallel_from) else {
        return grades_of(conn, scope, wanted, rules);
    };
    let parts: Vec<HashMap<i64, Grade>> = std::thread::scope(|scope_| {
        let handles: Vec<_> = wanted
            .chunks(wanted.len().div_ceil(threads))
            .map(|part| scope_.spawn(move || grades_of(&super::reader(path)?, scope, part, rules)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect::<Result<_, StoreError>>()
    })?;
    Ok(parts.into_iter().flatten().collect())
}

/// `recomputed_grades` on one connection: the child tables are read for the
/// id range `wanted` spans only.
fn grades_of(
    conn: &Connection,
    scope: Scope,
    wanted: &[&Subject],
    rules: &RuleParams,
) -> Result<HashMap<i64, Grade>, StoreError> {
    let mut grades = HashMap::with_capacity(wanted.len());
    let (Some(first), Some(last)) = (wanted.first(), wanted.last()) else {
        return Ok(grades);
    };
    let ids = (first.id, last.id);
    let mut indicators = conn.prepare_cached(&format!(
        "SELECT {INDICATOR_COLUMNS}, i.project_id FROM indicator i JOIN project p ON p.id = i.project_id
         WHERE {IN_SCOPE} AND i.project_id BETWEEN ?3 AND ?4 ORDER BY i.project_id, i.seq"
    ))?;
    let mut self_evals = conn.prepare_cached(&format!(
        "SELECT {SELF_EVAL_COLUMNS}, s.project_id FROM self_eval s JOIN project p ON p.id = s.project_id
         WHERE {IN_SCOPE} AND s.project_id BETWEEN ?3 AND ?4 ORDER BY s.project_id, s.seq"
    ))?;
    let mut actuals = conn.prepare_cached(&format!(
        "SELECT {ACTUAL_COLUMNS}, a.project_id FROM indicator_actual a JOIN project p ON p.id = a.project_id
         WHERE {IN_SCOPE} AND a.project_id BETWEEN ?3 AND ?4 ORDER BY a.project_id, a.seq"
    ))?;
    let mut indicators = ByProject::new(&mut indicators, scope, ids, 9, indicator_from_row)?;
    let mut self_evals = ByProject::new(&mut self_evals, scope, ids, 7, self_eval_from_row)?;
    let mut actuals = ByProject::new(&mut actuals, scope, ids, 5, actual_from_row)?;
    for s in wanted {
        let indicators = indicators.take(s.id)?;
        let actuals = actuals.take(s.id)?;
        // The latest self-evaluation of a project is the one reviewed (as in the workspace).
        let Some(self_eval) = self_evals.take(s.id)?.pop() else {
            continue;
        };
        let input = ScoreInput {
            project: &s.project,
            indicators: &indicators,
            self_eval: &self_eval,
            actuals: &actuals,
        };
        grades.insert(s.id, score(&input, &rules.scoring, &rules.grades).grade);
    }
    Ok(grades)
}

fn read_answers(conn: &Connection, scope: Scope) -> Result<HashMap<i64, ResultRecord>, StoreError> {
    let sql = format!(
        "SELECT a.project_id, a.grade, a.source, a.suggested, a.decision, a.treatment, a.reason, a.decided_by,
                COALESCE(v.name, a.decided_by), a.decided_at, a.version
         FROM result_application a JOIN project p ON p.id = a.project_id
         LEFT JOIN reviewer v ON v.os_user = a.decided_by
         WHERE {IN_SCOPE}"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![scope.year(), scope.project()])?;
    let mut out = HashMap::new();
    while let Some(r) = rows.next()? {
        out.insert(
            r.get(0)?,
            ResultRecord {
                grade: decode(&r.get::<_, String>(1)?, Grade::from_code)?,
                source: decode(&r.get::<_, String>(2)?, GradeSource::from_code)?,
                suggested: r.get(3)?,
                confirmed: r.get::<_, String>(4)? == ResultChoice::Confirm.code(),
                treatment: r.get(5)?,
                reason: r.get(6)?,
                decided_by: r.get(7)?,
                decided_by_name: r.get(8)?,
                decided_at: r.get(9)?,
                version: r.get(10)?,
            },
        );
    }
    Ok(out)
}

/// The rows of `scope`, in unit and project order; projects without a grade are left out.
fn result_rows_in(conn: &Connection, scope: Scope, rules: &RuleParams) -> Result<Vec<ResultRow>, StoreError> {
    let subjects = read_subjects(conn, scope)?;
    let key_grade = |s: &Subject| s.key.and_then(|(_, g, score)| key_eval_grade(g, score, &rules.grades));
    // Scores are recomputed only where no key evaluation decides.
    let mut to_score: Vec<&Subject> = subjects
        .iter()
        .filter(|s| s.self_review.is_some() && key_grade(s).is_none())
        .collect();
    to_score.sort_by_key(|s| s.id);
    let recomputed = recomputed_grades(conn, scope, &to_score, rules)?;
    let mut answers = read_answers(conn, scope)?;
    let mut out = Vec::with_capacity(subjects.len());
    for s in &subjects {
        let from_key = key_grade(s);
        let from_self = recomputed.get(&s.id).copied();
        let Some((grade, source)) = grade_basis(from_key, from_self) else {
            continue;
        };
        let review_id = match (source, s.key, s.self_review) {
            (GradeSource::KeyEval, Some((id, ..)), _) | (GradeSource::SelfEval, _, Some(id)) => id,
            _ => continue,
        };
        out.push(ResultRow {
            project_id: s.id,
            review_id,
            unit_code: s.project.unit_code.clone(),
            unit_name: s.unit_name.clone(),
            section: s.section.clone(),
            project_code: s.project.code.clone(),
            project_name: s.project.name.clone(),
            amount: s.project.amount,
            source,
            suggestion: suggest(grade, s.project.amount, &rules.result_application),
            answer: answers.remove(&s.id),
        });
    }
    Ok(out)
}

/// The project a review item is about (a key evaluation's through its object), if any.
fn project_of_review(conn: &Connection, review_id: i64) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT COALESCE(r.project_id, k.project_id) FROM review r
             LEFT JOIN key_eval k ON k.id = r.key_eval_id WHERE r.id = ?1",
        )?
        .query_row([review_id], |r| r.get(0))
        .optional()?
        .flatten())
}

/// Records one answer inside the caller's transaction. The unit checked and
/// the project written come from the database, not from the row handed in.
fn apply_in(tx: &Transaction<'_>, row: &ResultRow, choice: &ResultChoice, actor: &str) -> Result<(), StoreError> {
    let named = format!("{}「{}」", row.unit_name, row.project_name);
    choice
        .check()
        .map_err(|e| StoreError::Refused(format!("{named}：{e}")))?;
    if project_of_review(tx, row.review_id)? != Some(row.project_id) {
        return Err(StoreError::NotFound {
            what: format!("{named}的评价事项 {}", row.review_id),
        });
    }
    let unit: String = tx
        .prepare_cached("SELECT unit_code FROM project WHERE id = ?1")?
        .query_row([row.project_id], |r| r.get(0))?;
    authorize_on(tx, actor, &unit, About::ProjectName(&row.project_name), "结果应用")?;
    let before = read_answers(tx, Scope::Project(row.project_id))?.remove(&row.project_id);
    let sug = &row.suggestion;
    let (treatment, reason) = match choice {
        ResultChoice::Confirm => (sug.treatment.as_str(), ""),
        ResultChoice::Change { treatment, reason } => (treatment.trim(), reason.trim()),
    };
    tx.prepare_cached(
        "INSERT INTO result_application (project_id, source, source_review, grade, suggested, cut_share, decision,
             treatment, reason, decided_by, decided_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT(project_id) DO UPDATE SET source = excluded.source, source_review = excluded.source_review,
             grade = excluded.grade, suggested = excluded.suggested, cut_share = excluded.cut_share,
             decision = excluded.decision, treatment = excluded.treatment, reason = excluded.reason,
             decided_by = excluded.decided_by, decided_at = excluded.decided_at, version = version + 1",
    )?
    .execute(params![
        row.project_id,
        row.source.code(),
        row.review_id,
        sug.grade.code(),
        sug.treatment,
        sug.cut_share.to_string(),
        choice.code(),
        treatment,
        reason,
        actor,
        now()
    ])?;
    let before_json = before.as_ref().map(|b| {
        let decision = if b.confirmed { "confirmed" } else { "changed" };
        serde_json::json!({
            "grade": b.grade.code(), "source": b.source.code(), "decision": decision,
            "treatment": b.treatment, "reason": b.reason, "version": b.version,
        })
        .to_string()
    });
    let after_json = serde_json::json!({
        "project": row.project_code, "grade": sug.grade.code(), "source": row.source.code(),
        "suggested": sug.treatment, "cut_share": sug.cut_share.to_string(), "decision": choice.code(),
        "treatment": treatment, "reason": reason, "version": before.map_or(1, |b| b.version + 1),
    });
    append_audit(
        tx,
        actor,
        "result_application",
        AuditTarget::Review(row.review_id),
        "ok",
        before_json.as_deref(),
        Some(&after_json.to_string()),
    )?;
    Ok(())
}

impl Store {
    /// The 结果应用 table of the latest year: every project with a grade.
    pub fn result_rows(&self, rules: &RuleParams) -> Result<Vec<ResultRow>, StoreError> {
        match self.latest_year()? {
            Some(year) => result_rows_in(&self.conn, Scope::Year(year), rules),
            None => Ok(Vec::new()),
        }
    }

    /// The row of the project a review item is about (a self-evaluation or a
    /// key evaluation), as the table shows it; `None` when it has no grade.
    pub fn result_row_for_review(&self, review_id: i64, rules: &RuleParams) -> Result<Option<ResultRow>, StoreError> {
        let Some(project) = project_of_review(&self.conn, review_id)? else {
            return Ok(None);
        };
        Ok(result_rows_in(&self.conn, Scope::Project(project), rules)?.pop())
    }

    /// The answer recorded for the project a review item is about, if any.
    pub fn result_record(&self, review_id: i64) -> Result<Option<ResultRecord>, StoreError> {
        let Some(project) = project_of_review(&self.conn, review_id)? else {
            return Ok(None);
        };
        Ok(read_answers(&self.conn, Scope::Project(project))?.remove(&project))
    }

    /// Confirms a row's suggested treatment, or changes it with a reason
    /// (refused without one). Audited on the row's item; a second answer
    /// replaces the first and bumps the version. Returns the answer as stored.
    pub fn apply_result(
        &mut self,
        row: &ResultRow,
        choice: &ResultChoice,
        actor: &str,
    ) -> Result<ResultRecord, StoreError> {
        let result = self.write(|tx| apply_in(tx, row, choice, actor));
        if let Err(e @ StoreError::Forbidden { .. }) = &result {
            self.note_refusal(actor, "result_application", AuditTarget::Review(row.review_id), e);
        }
        result?;
        self.result_record(row.review_id)?.ok_or_else(|| StoreError::NotFound {
            what: format!("「{}」的结果应用", row.project_name),
        })
    }

    /// Confirms the suggestion of every row, in one transaction: all or none
    /// (a refusal names its project). Returns how many were confirmed.
    pub fn confirm_results(&mut self, rows: &[ResultRow], actor: &str) -> Result<usize, StoreError> {
        let result = self.write(|tx| {
            for row in rows {
                apply_in(tx, row, &ResultChoice::Confirm, actor)?;
            }
            Ok(rows.len())
        });
        if let Err(e @ StoreError::Forbidden { .. }) = &result {
            self.note_refusal(actor, "result_application", AuditTarget::Batch(rows.len()), e);
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::demo::DemoOptions;
    use crate::store::demo::build_demo;

    #[test]
    fn grades_scored_in_ranges_on_several_connections_are_those_of_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = Store::open(&dir.path().join("demo.db")).expect("open");
        let config = Config::defaults();
        let today = chrono::NaiveDate::from_ymd_opt(2024, 3, 1).expect("date");
        let options = DemoOptions {
            units: 8,
            ..DemoOptions::default()
        };
        build_demo(&mut store, &options, &config.rules, today, "tester").expect("demo");
        let scope = Scope::Year(store.latest_year().expect("year").expect("a year"));
        let subjects = read_subjects(&store.conn, scope).expect("subjects");
        let mut wanted: Vec<&Subject> = subjects.iter().filter(|s| s.self_review.is_some()).collect();
        wanted.sort_by_key(|s| s.id);
        assert!(wanted.len() > 50);
        let one = recomputed_grades_from(&store.conn, scope, &wanted, &config.rules, usize::MAX).expect("one");
        let several = recomputed_grades_from(&store.conn, scope, &wanted, &config.rules, 1).expect("several");
        assert_eq!(one.len(), wanted.len());
        assert_eq!(several, one);
    }
}
