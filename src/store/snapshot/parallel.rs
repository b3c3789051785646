//! A year read on three connections at once. The two largest tables
//! (indicators, and the actual values with the other per-project sheets) are
//! read on connections of their own while the caller's connection reads the
//! rest: the read is about half as long as on one connection.
//!
//! Separate connections read separately, so the whole is one moment's data
//! only if nobody committed while they read. `PRAGMA data_version` tells: it
//! changes on a connection when another connection commits. A read it
//! changed under is done again in one transaction.

use super::{Reading, rows_of_year, tables};
use crate::domain::dataset::Dataset;
use crate::domain::model::*;
use crate::domain::rules::Snapshot;
use crate::store::rectifications::rectifications_in;
use crate::store::{StoreError, data_version, reader};
use rusqlite::{Connection, Transaction, TransactionBehavior};

/// A snapshot of `year` as of one moment.
pub(super) fn consistent_snapshot(conn: &Connection, reading: Reading<'_>) -> Result<Snapshot, StoreError> {
    let before = data_version(conn)?;
    let snapshot = read_snapshot(conn, reading)?;
    if data_version(conn)? == before {
        return Ok(snapshot);
    }
    let tx = Transaction::new_unchecked(conn, TransactionBehavior::Deferred)?;
    read_in_one_transaction(&tx, reading)
}

/// Every table of `year`, on one connection, inside the caller's transaction.
pub(super) fn read_in_one_transaction(tx: &Transaction<'_>, reading: Reading<'_>) -> Result<Snapshot, StoreError> {
    read_one_by_one(tx, reading)
}

/// Every table of `year`, on three connections when the database is a file
/// and the machine has cores to spare; not checked for commits in between.
pub(super) fn read_snapshot(conn: &Connection, reading: Reading<'_>) -> Result<Snapshot, StoreError> {
    let path = conn.path().filter(|p| !p.is_empty());
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    // Some units' records are few: one connection reads them soonest.
    let Some(path) = path.filter(|_| cores >= 2 && reading.units.is_none()) else {
        return read_one_by_one(conn, reading);
    };
    std::thread::scope(|scope| {
        let indicators = scope.spawn(|| rows_of_year(&reader(path)?, reading));
        let sides = scope.spawn(|| read_sides(&reader(path)?, reading));
        let main = read_main(conn, reading);
        let indicators = indicators
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let sides = sides.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Ok(assemble(main?, indicators?, sides?))
    })
}

fn read_one_by_one(conn: &Connection, reading: Reading<'_>) -> Result<Snapshot, StoreError> {
    Ok(assemble(
        read_main(conn, reading)?,
        rows_of_year(conn, reading)?,
        read_sides(conn, reading)?,
    ))
}

/// What the caller's connection reads.
struct MainPart {
    units: Vec<Unit>,
    projects: Vec<Project>,
    key_evals: Vec<KeyEval>,
    reviews: Vec<Review>,
    rectifications: Vec<Rectification>,
}

fn read_main(conn: &Connection, reading: Reading<'_>) -> Result<MainPart, StoreError> {
    Ok(MainPart {
        units: tables::units(conn, reading)?,
        projects: tables::projects(conn, reading)?,
        key_evals: tables::key_evals(conn, reading)?,
        reviews: tables::reviews(conn, reading)?,
        // Their findings belong to no item and are not stored: a refresh of
        // some units has no use for them.
        rectifications: match reading.units {
            None => rectifications_in(conn, None)?,
            Some(_) => Vec::new(),
        },
    })
}

/// The per-project sheets besides the indicators, read on one connection.
struct SidePart {
    actuals: Vec<IndicatorActual>,
    self_evals: Vec<SelfEval>,
    progress: Vec<IndicatorProgress>,
    monitoring: Vec<Monitoring>,
}

fn read_sides(conn: &Connection, reading: Reading<'_>) -> Result<SidePart, StoreError> {
    Ok(SidePart {
        actuals: rows_of_year(conn, reading)?,
        self_evals: rows_of_year(conn, reading)?,
        progress: rows_of_year(conn, reading)?,
        monitoring: rows_of_year(conn, reading)?,
    })
}

fn assemble(main: MainPart, indicators: Vec<Indicator>, sides: SidePart) -> Snapshot {
    Snapshot {
        data: Dataset {
            units: main.units,
            projects: main.projects,
            indicators,
            monitoring: sides.monitoring,
            progress: sides.progress,
            self_evals: sides.self_evals,
            actuals: sides.actuals,
            key_evals: main.key_evals,
        },
        reviews: main.reviews,
        rectifications: main.rectifications,
    }
}
