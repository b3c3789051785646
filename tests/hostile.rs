//! The hostile corpus (`tests/hostile/mod.rs`) through the built binary, as a
//! user would run it: `jixiao import PATH`. For each case: the error lines it
//! must print, an ordinary exit (refused: code 1, never a signal or an
//! abort), and the peak memory (the child's VmHWM, polled) and
//! wall-clock time within the case's caps.
//!
//! `HOSTILE_BIN=target/release/jixiao cargo test --test hostile` runs the
//! same corpus through the release build (`panic = "abort"`: a panic there
//! would end the run, so this is the check that parsing never panics);
//! `HOSTILE_REPORT=1` prints each case's figures (with `-- --nocapture`), and
//! `HOSTILE_MEASURE_ONLY=1` only measures (for the figures of an older build).

#[path = "hostile/mod.rs"]
mod corpus;

use corpus::Case;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

struct Run {
    code: Option<i32>,
    signal: Option<i32>,
    stdout: String,
    stderr: String,
    secs: f64,
    peak_mb: f64,
}

fn binary() -> PathBuf {
    std::env::var_os("HOSTILE_BIN").map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_jixiao")), PathBuf::from)
}

/// Runs `jixiao --db DB import --quiet PATHS` and waits for it with `wait4`,
/// killing it after `limit` (a hang is a failure, not a stuck test).
fn import(dir: &Path, paths: &[PathBuf], limit: Duration) -> Run {
    use std::os::unix::process::ExitStatusExt;
    use std::process::{Command, Stdio};
    let started = Instant::now();
    let mut child = Command::new(binary())
        .arg("--db")
        .arg(dir.join("hostile.db"))
        .arg("import")
        .arg("--quiet")
        .args(paths)
        .env("JIXIAO_CONFIG_DIR", dir.join("config"))
        .env_remove("JIXIAO_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        out.read_to_end(&mut s).ok();
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        err.read_to_end(&mut s).ok();
        s
    });
    // The peak is the child's own VmHWM, polled while it runs: `ru_maxrss`
    // from wait4 would include this test process's memory at the fork (the
    // fixtures it generated), which a child inherits in that figure.
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let peak_kb = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let watchdog = {
        let (done, peak_kb) = (done.clone(), peak_kb.clone());
        std::thread::spawn(move || {
            use std::sync::atomic::Ordering::SeqCst;
            while !done.load(SeqCst) {
                if let Some(kb) = vm_hwm_kb(pid) {
                    peak_kb.fetch_max(kb, SeqCst);
                }
                if started.elapsed() > limit {
                    // SAFETY: our own child, not yet reaped (wait4 below has not returned).
                    unsafe { libc::kill(pid, libc::SIGKILL) };
                    return;
                }
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };
    let mut status: libc::c_int = 0;
    // SAFETY: plain FFI calls on zeroed out-parameters.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(reaped, pid, "wait4 failed");
    let secs = started.elapsed().as_secs_f64();
    watchdog.join().unwrap();
    let status = std::process::ExitStatus::from_raw(status);
    std::mem::forget(child); // reaped above
    Run {
        code: status.code(),
        signal: status.signal(),
        stdout: String::from_utf8_lossy(&out_reader.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned(),
        secs,
        peak_mb: peak_kb.load(std::sync::atomic::Ordering::SeqCst) as f64 / 1024.0,
    }
}

/// The high-water mark of a process's resident memory, in kB.
fn vm_hwm_kb(pid: libc::pid_t) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs one case and checks it; returns its figures.
fn check(c: &Case, dir: &Path) -> Run {
    let limit = Duration::from_secs_f64(c.max_secs * 3.0);
    let run = import(dir, &c.paths, limit);
    if std::env::var_os("HOSTILE_REPORT").is_some() {
        eprintln!(
            "hostile {:<26} {:>7.1} MB {:>7.2} s  exit {:?} signal {:?}",
            c.name, run.peak_mb, run.secs, run.code, run.signal
        );
    }
    if std::env::var_os("HOSTILE_MEASURE_ONLY").is_some() {
        // For figures of an older binary: report, check nothing.
        return run;
    }
    let all = format!("{}{}", run.stdout, run.stderr);
    assert_eq!(
        (run.code, run.signal),
        (Some(1), None),
        "{}: must end normally, refusing the file\n{all}",
        c.name
    );
    assert!(!run.stderr.contains("panicked"), "{}: a panic\n{all}", c.name);
    for want in &c.expect {
        assert!(
            run.stdout.contains(want.as_str()),
            "{}: want {want:?} in\n{all}",
            c.name
        );
    }
    // One line per error or notice: nothing from a file moves the cursor or forges a line.
    assert!(
        !run.stdout.chars().any(|ch| ch.is_control() && ch != '\n'),
        "{}: control characters in the output\n{:?}",
        c.name,
        run.stdout
    );
    assert_eq!(
        run.stdout.lines().filter(|l| l.starts_with("导入完成")).count(),
        1,
        "{}: exactly one summary line\n{all}",
        c.name
    );
    assert!(
        run.peak_mb < c.max_mb as f64,
        "{}: peak memory {:.1} MB, cap {} MB",
        c.name,
        run.peak_mb,
        c.max_mb
    );
    assert!(
        run.secs < c.max_secs,
        "{}: took {:.1} s, cap {} s",
        c.name,
        run.secs,
        c.max_secs
    );
    run
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Every case in a fresh folder (and database) of its own.
fn run_case(make: impl FnOnce(&Path) -> Case) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let c = make(dir.path());
    check(&c, dir.path())
}

#[test]
fn amounts_beyond_the_ceiling_are_refused_naming_the_cell() {
    run_case(corpus::overflowing_amount);
    run_case(corpus::saturating_amount);
    run_case(corpus::huge_number_cell);
}

#[test]
fn exponents_misplaced_separators_and_year_zero_are_refused() {
    run_case(corpus::exponent_and_separators);
    run_case(corpus::year_zero_date);
}

#[test]
fn crlf_csv_errors_give_the_rows_excel_shows() {
    run_case(corpus::crlf_row_numbers);
}

#[test]
fn names_and_cells_cannot_forge_output_lines() {
    run_case(corpus::forged_lines);
}

#[test]
fn a_cell_in_column_xfd_is_refused_without_the_grid() {
    run_case(corpus::far_column);
}

#[test]
fn zip_bombs_are_refused_before_they_inflate() {
    run_case(corpus::zip_bomb_declared);
    run_case(corpus::zip_bomb_lying);
}

#[test]
fn an_oversized_file_is_refused_unread() {
    run_case(corpus::oversized_file);
}

#[test]
fn an_xls_declaring_a_huge_grid_is_refused_before_calamine_opens_it() {
    let fixture = fixture("101001.xls");
    run_case(|dir| corpus::xls_declared_grid(dir, &fixture));
}

#[test]
fn symlink_loops_neither_hang_nor_repeat_a_file() {
    run_case(corpus::symlink_loops);
}

#[test]
fn reading_200k_rows_is_linear() {
    // 50k and 200k rows, as a workbook and as CSV: 4× the rows may take at
    // most about 4× the time (8× allowed for noise on a shared machine), and
    // 200k rows well under the case's cap.
    for xlsx in [false, true] {
        let small = run_case(|dir| corpus::many_rows(dir, 50_000, xlsx));
        let large = run_case(|dir| corpus::many_rows(dir, 200_000, xlsx));
        let per_row = |r: &Run, n: f64| r.secs / n;
        if std::env::var_os("HOSTILE_MEASURE_ONLY").is_some() {
            continue;
        }
        assert!(
            per_row(&large, 200_000.0) < 2.0 * per_row(&small, 50_000.0).max(2e-6),
            "xlsx={xlsx}: 50k rows {:.2} s, 200k rows {:.2} s",
            small.secs,
            large.secs
        );
    }
}

#[test]
fn mutated_workbooks_never_crash_the_run() {
    let (xlsx, xls) = (fixture("101001.xlsx"), fixture("101001.xls"));
    run_case(|dir| corpus::mutants(dir, &[&xlsx, &xls], 60));
}
