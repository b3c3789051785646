//! Import benchmark at demo scale: writes the demo year as 124 unit workbooks,
//! times `import_paths` into a fresh database, and times a plain rusqlite
//! insert of the same number of rows (one transaction, one prepared statement
//! per table shape) as the reference. Run with
//! `cargo run --release --example import_bench`.

use jixiao::config::Config;
use jixiao::domain::scoring::{self, ScoreInput};
use jixiao::io::demo::{DemoOptions, generate};
use jixiao::io::import::{ImportOptions, import_paths};
use jixiao::io::submissions::write_unit_workbooks;
use jixiao::store::Store;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let rules = Config::defaults().rules;
    let recompute = |input: &ScoreInput<'_>| scoring::score(input, &rules.scoring, &rules.grades).total;
    let (data, _) = generate(&DemoOptions::default(), &recompute);
    let dir = tempfile::tempdir()?;
    let folder = dir.path().join("submissions");
    let t = Instant::now();
    write_unit_workbooks(&data, &folder)?;
    let write_s = t.elapsed().as_secs_f64();
    let bytes: u64 = std::fs::read_dir(&folder)?
        .map(|e| e.map(|e| e.metadata().map(|m| m.len()).unwrap_or(0)).unwrap_or(0))
        .sum();

    let options = ImportOptions {
        actor: "bench".into(),
        today: chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
    };
    let rows = data.row_count();
    let mut runs = Vec::new();
    for i in 0..3 {
        let db = dir.path().join(format!("import{i}.db"));
        let mut store = Store::open(&db)?;
        let t = Instant::now();
        let report = import_paths(
            &mut store,
            std::slice::from_ref(&folder),
            &options,
            &rules,
            &mut |_, _| {},
        )?;
        runs.push(t.elapsed().as_secs_f64());
        assert_eq!(report.imported().count(), 124);
    }
    runs.sort_by(f64::total_cmp);
    let import_s = runs[1];

    // The same folder again: everything unchanged.
    let db = dir.path().join("import0.db");
    let mut store = Store::open(&db)?;
    let t = Instant::now();
    import_paths(
        &mut store,
        std::slice::from_ref(&folder),
        &options,
        &rules,
        &mut |_, _| {},
    )?;
    let again_s = t.elapsed().as_secs_f64();

    // Only parsing (no database).
    let t = Instant::now();
    for entry in std::fs::read_dir(&folder)? {
        jixiao::io::import::read_file(&entry?.path()).map_err(|e| anyhow::anyhow!("{}", e[0]))?;
    }
    let parse_s = t.elapsed().as_secs_f64();

    // The store's share: one load of the whole dataset, then the findings refresh.
    let mut store = Store::open(&dir.path().join("whole.db"))?;
    let t = Instant::now();
    store.load_dataset(&data, "bench")?;
    let load_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    store.refresh_findings(&rules, options.today)?;
    let refresh_s = t.elapsed().as_secs_f64();

    let mut plain = Vec::new();
    for i in 0..3 {
        plain.push(plain_insert(&dir.path().join(format!("plain{i}.db")), &data)?);
    }
    plain.sort_by(f64::total_cmp);
    let plain_s = plain[1];

    println!("demo: {} files, {:.1} MiB, {rows} rows", 124, bytes as f64 / 1048576.0);
    println!("write workbooks: {write_s:.2} s");
    println!("parse only:      {parse_s:.2} s");
    println!(
        "import (median of 3, fresh db, incl. findings refresh): {import_s:.2} s = {:.0} rows/s",
        rows as f64 / import_s
    );
    println!("re-import unchanged: {again_s:.2} s");
    println!("store only: load_dataset(whole year, one transaction) {load_s:.2} s, refresh_findings {refresh_s:.2} s");
    println!(
        "plain rusqlite insert (median of 3): {plain_s:.3} s = {:.0} rows/s; import/plain = {:.1}x",
        rows as f64 / plain_s,
        import_s / plain_s
    );
    Ok(())
}

/// The reference: the same rows inserted with rusqlite into tables of the same shape.
fn plain_insert(path: &std::path::Path, d: &jixiao::domain::Dataset) -> anyhow::Result<f64> {
    let mut conn = rusqlite::Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.execute_batch(
        "CREATE TABLE unit (code TEXT PRIMARY KEY, name TEXT, department TEXT, section TEXT) STRICT;
         CREATE TABLE project (id INTEGER PRIMARY KEY, year INTEGER, code TEXT, unit_code TEXT, name TEXT,
             budget_kind TEXT, fund_kind TEXT, amount_fen INTEGER, annual_goal TEXT, UNIQUE (year, code)) STRICT;
         CREATE TABLE row8 (id INTEGER PRIMARY KEY, project TEXT, a TEXT, b TEXT, c TEXT, d TEXT, e TEXT, f TEXT,
             g TEXT, h TEXT) STRICT;",
    )?;
    let t = Instant::now();
    let tx = conn.transaction()?;
    {
        let mut u = tx.prepare("INSERT INTO unit VALUES (?1, ?2, ?3, ?4)")?;
        for x in &d.units {
            u.execute((&x.code, &x.name, &x.department, &x.section))?;
        }
        let mut p = tx.prepare("INSERT INTO project (year, code, unit_code, name, budget_kind, fund_kind, amount_fen, annual_goal) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?;
        for x in &d.projects {
            p.execute((
                x.year,
                &x.code,
                &x.unit_code,
                &x.name,
                x.budget_kind.code(),
                x.fund_kind.code(),
                jixiao::domain::money::yuan_to_fen(x.amount),
                &x.annual_goal,
            ))?;
        }
        let mut r = tx.prepare(
            "INSERT INTO row8 (project, a, b, c, d, e, f, g, h) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for x in &d.indicators {
            r.execute((
                &x.project_code,
                x.level1.code(),
                x.level2.code(),
                &x.name,
                x.direction.code(),
                &x.target_value,
                &x.measure_unit,
                x.weight.map(|w| w.to_string()),
                &x.explanation,
            ))?;
        }
        for x in &d.monitoring {
            r.execute((
                &x.project_code,
                &x.period,
                x.executed.to_string(),
                &x.explanation,
                &x.measures,
                "",
                "",
                "",
                "",
            ))?;
        }
        for x in &d.progress {
            r.execute((
                &x.project_code,
                &x.indicator_name,
                &x.current_value,
                &x.expected_value,
                x.likelihood.map(|l| l.code()),
                &x.reason,
                &x.action,
                "",
                "",
            ))?;
        }
        for x in &d.self_evals {
            r.execute((
                &x.project_code,
                x.executed.to_string(),
                x.self_score.to_string(),
                x.self_grade.map(|g| g.code()),
                &x.report,
                &x.problems,
                &x.measures,
                "",
                "",
            ))?;
        }
        for x in &d.actuals {
            r.execute((
                &x.project_code,
                &x.indicator_name,
                &x.actual_value,
                x.tier.map(|t| t.code()),
                &x.deviation_reason,
                "",
                "",
                "",
                "",
            ))?;
        }
        for x in &d.key_evals {
            r.execute((
                &x.object_code,
                &x.firm,
                x.amount.to_string(),
                x.score.map(|s| s.to_string()),
                x.grade.map(|g| g.code()),
                "",
                "",
                "",
                "",
            ))?;
        }
    }
    tx.commit()?;
    Ok(t.elapsed().as_secs_f64())
}
