//! Faults survived: files created group-only, a backup taken while others
//! write, a lock held past the timeout, a full disk and a read-only file (the
//! editor keeps the typed text), `kill -9` in the middle of a 1,000-item bulk
//! approve (all or nothing), an edited audit row named, and hostile imported
//! text rendered inert.

mod common;

use common::*;
use jixiao::config::Config;
use jixiao::domain::states::ReviewAction;
use jixiao::domain::*;
use jixiao::store::{Fault, QueueFilter, Store, StoreError};
use jixiao::tui::app::App;
use jixiao::tui::handle_event;
use jixiao::tui::overlay::Overlay;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const APPROVE: ReviewAction = ReviewAction::Approve {
    override_blocking: false,
};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", path.display()))
}

fn target_ids(store: &Store, state: ReviewState) -> Vec<i64> {
    store
        .queue_ids(&QueueFilter {
            state: Some(state),
            ..QueueFilter::stage(Stage::Target)
        })
        .unwrap()
}

fn jixiao(db: &Path, cfg_dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jixiao"));
    c.arg("--db")
        .arg(db)
        .env("JIXIAO_CONFIG_DIR", cfg_dir)
        .env_remove("JIXIAO_DB");
    c
}

/// Registers the OS user running the tests (the binary acts as them) as an admin.
fn register_me(store: &mut Store) {
    let me = jixiao::identity::os_user();
    store.add_reviewer(&person(&me, Role::Admin, &[]), "importer").unwrap();
}

#[test]
fn files_are_created_for_owner_and_group_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared").join("jixiao").join("jixiao.db");
    let mut store = open_staffed(&path);
    store.load_dataset(&sample(), "importer").unwrap();
    // Directories: rwx for owner and group, setgid so new files keep the group.
    assert_eq!(mode(&dir.path().join("shared")), 0o2770);
    assert_eq!(mode(path.parent().unwrap()), 0o2770);
    assert_eq!(mode(&path), 0o660);
    // While the connection is open the WAL and its index exist, with the file's mode.
    assert_eq!(mode(&with_suffix(&path, "-wal")), 0o660);
    assert_eq!(mode(&with_suffix(&path, "-shm")), 0o660);
    // An existing file is left as its owner set it.
    drop(store);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let _again = Store::open(&path).unwrap();
    assert_eq!(mode(&path), 0o640);
}

#[test]
fn a_backup_taken_while_a_reviewer_keeps_deciding_is_consistent() {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    store.load_dataset(&with_clean_projects(600), "importer").unwrap();
    let ids = target_ids(&store, ReviewState::Pending);
    let writer_path = path.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop_writer = stop.clone();
    let writer = std::thread::spawn(move || {
        let mut store = Store::open(&writer_path).unwrap();
        let mut decided = 0;
        for id in ids {
            if stop_writer.load(std::sync::atomic::Ordering::Relaxed) {
                break;
            }
            let r = store.review(id).unwrap().unwrap();
            store.decide(id, r.version, APPROVE, "", "li", 10).unwrap();
            decided += 1;
        }
        decided
    });
    // Let the writer get going, then back up under its feet.
    std::thread::sleep(Duration::from_millis(150));
    let copy = dir.path().join("backup").join("jixiao-backup.db");
    let report = store.backup_to(&copy, "zhoumin").unwrap();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let decided_total = writer.join().unwrap();
    assert!(report.pages > 0);
    assert_eq!(mode(&copy), 0o660);

    let backup = Store::open(&copy).unwrap();
    let audit = backup.verify_audit().unwrap();
    assert!(audit.is_intact(), "{audit:?}");
    // One instant: every approval in the copy has its audit entry and no more.
    let approved = target_ids(&backup, ReviewState::Approved).len();
    let decisions = backup
        .audit_entries(&jixiao::store::AuditFilter {
            event: Some("decision".into()),
            ..Default::default()
        })
        .unwrap()
        .len();
    assert_eq!(approved, decisions);
    assert!(
        approved > 0 && approved <= decided_total,
        "{approved} of {decided_total}"
    );
    println!(
        "备份时写入线程已通过 {approved} 项（共 {decided_total} 项），备份 {} 页",
        report.pages
    );
    // The backup is audited in the source.
    let logged = store
        .audit_entries(&jixiao::store::AuditFilter {
            event: Some("backup".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].actor, "zhoumin");
    // Never over an existing file; never by an unknown user.
    assert!(store.backup_to(&copy, "zhoumin").is_err());
    let other = dir.path().join("x.db");
    assert!(matches!(
        store.backup_to(&other, "mallory"),
        Err(StoreError::Forbidden { .. })
    ));
    assert!(!other.exists());
}

#[test]
fn a_lock_held_past_the_timeout_is_a_retryable_message() {
    let (dir, store) = loaded_store();
    let path = dir.path().join("data").join("jixiao.db");
    drop(store);
    let mut store = Store::open(&path).unwrap();
    store.set_busy_timeout(Duration::from_millis(200)).unwrap();
    let id = target_ids(&store, ReviewState::Pending)[0];
    let r = store.review(id).unwrap().unwrap();

    let blocker = rusqlite::Connection::open(&path).unwrap();
    blocker.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let t = Instant::now();
    let err = store.decide(id, r.version, APPROVE, "", "li", 10).unwrap_err();
    let waited = t.elapsed();
    assert!(matches!(err, StoreError::Locked), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(err.to_string(), "数据库正被其他用户写入，等待超时仍未释放，请稍后重试");
    assert!(
        waited >= Duration::from_millis(190) && waited < Duration::from_secs(3),
        "{waited:?}"
    );

    // The command line: the timeout comes from config.store.busy_timeout_ms.
    let cfg = dir.path().join("cfg.toml");
    std::fs::write(&cfg, "[store]\nbusy_timeout_ms = 300\n").unwrap();
    blocker.execute_batch("ROLLBACK").unwrap();
    register_me(&mut store);
    blocker.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let t = Instant::now();
    let out = jixiao(&path, dir.path())
        .arg("--config")
        .arg(&cfg)
        .args(["approve", "--stage", "target", "--yes"])
        .output()
        .unwrap();
    let waited = t.elapsed();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("请稍后重试"), "{stderr}");
    assert!(waited < Duration::from_secs(4), "{waited:?}");
    blocker.execute_batch("ROLLBACK").unwrap();
    // Once released, the same decision goes through.
    store.decide(id, r.version, APPROVE, "", "li", 10).unwrap();
}

fn press(app: &mut App, code: KeyCode, mods: KeyModifiers) {
    handle_event(app, &Event::Key(KeyEvent::new(code, mods))).unwrap();
}

/// The app of reviewer li on the sample, with the return editor open on the
/// first target item and `text` typed into it (drafts off: only the editor has it).
fn app_with_typed_return(text: &str) -> (tempfile::TempDir, PathBuf, App) {
    let (dir, store) = loaded_store();
    let path = dir.path().join("data").join("jixiao.db");
    drop(store);
    let mut config = Config::defaults();
    config.session.draft_autosave = false;
    let store = Store::open(&path).unwrap();
    let mut app = App::new(store, config, "li".into(), "李".into(), 10).unwrap();
    press(&mut app, KeyCode::Char('r'), KeyModifiers::NONE);
    assert!(matches!(app.ses.overlay, Some(Overlay::Editor(..))));
    // Typed (pasted) after the suggested draft.
    handle_event(&mut app, &Event::Paste(text.to_string())).unwrap();
    (dir, path, app)
}

fn editor_text(app: &App) -> String {
    match &app.ses.overlay {
        Some(Overlay::Editor(editor, _)) => editor.text(),
        _ => panic!("the editor was closed"),
    }
}

fn assert_survives(fault: Fault, expected: &str) {
    let typed = "经审核，该项目绩效目标表述空泛，指标未细化量化。".repeat(400);
    let (_d, path, mut app) = app_with_typed_return(&typed);
    let before = editor_text(&app);
    assert!(before.contains(&typed));
    app.ses.store.drill(fault).unwrap();
    press(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let msg = app.ses.message.clone().unwrap_or_default();
    assert!(msg.contains(expected), "{msg}");
    // The screen still runs and the text is still in the editor.
    assert_eq!(editor_text(&app), before);
    press(&mut app, KeyCode::Char('。'), KeyModifiers::NONE);
    assert!(editor_text(&app).ends_with('。'));
    // Nothing was half-written.
    let store = Store::open(&path).unwrap();
    assert_eq!(target_ids(&store, ReviewState::Returned).len(), 0);
    assert!(store.verify_audit().unwrap().is_intact());
}

#[test]
fn a_full_disk_keeps_the_typed_opinion_in_the_editor() {
    assert_survives(Fault::DiskFull, "磁盘已满");
}

#[test]
fn a_read_only_database_keeps_the_typed_opinion_in_the_editor() {
    assert_survives(Fault::ReadOnly, "数据库文件只读");
}

#[test]
fn a_lock_keeps_the_typed_opinion_in_the_editor() {
    let (_d, path, mut app) = app_with_typed_return("经审核，指标未细化量化，请补充后重新报送。");
    app.ses.store.set_busy_timeout(Duration::from_millis(100)).unwrap();
    let blocker = rusqlite::Connection::open(&path).unwrap();
    blocker.execute_batch("BEGIN EXCLUSIVE").unwrap();
    press(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(app.ses.message.clone().unwrap_or_default().contains("请稍后重试"));
    let text = editor_text(&app);
    blocker.execute_batch("ROLLBACK").unwrap();
    // Retrying saves it.
    press(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(app.ses.overlay.is_none(), "{:?}", app.ses.message);
    let store = Store::open(&path).unwrap();
    let returned = target_ids(&store, ReviewState::Returned);
    assert_eq!(returned.len(), 1);
    assert_eq!(store.review(returned[0]).unwrap().unwrap().opinion, text);
}

/// Runs `cmd` as an unprivileged user when this test runs as root (root
/// ignores file modes), else as it is.
fn unprivileged(mut cmd: Command) -> std::process::Output {
    if nix_is_root() {
        let mut wrapped = Command::new("setpriv");
        wrapped.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
        wrapped.arg(cmd.get_program());
        wrapped.args(cmd.get_args());
        for (k, v) in cmd.get_envs() {
            match v {
                Some(v) => wrapped.env(k, v),
                None => wrapped.env_remove(k),
            };
        }
        cmd = wrapped;
    }
    cmd.output().unwrap()
}

fn nix_is_root() -> bool {
    jixiao::identity::os_user() == "root"
}

#[test]
fn a_read_only_file_or_folder_gives_a_clear_error() {
    let (dir, store) = loaded_store();
    let path = dir.path().join("data").join("jixiao.db");
    drop(store);
    let open = |p: &Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    open(dir.path(), 0o755);
    open(path.parent().unwrap(), 0o755);
    open(&path, 0o444);
    let out = unprivileged({
        let mut c = jixiao(&path, dir.path());
        c.args(["user", "list"]);
        c
    });
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("只读") && stderr.contains("请检查权限"), "{stderr}");

    // A writable file in a folder where the -wal file cannot be created.
    open(&path, 0o666);
    open(path.parent().unwrap(), 0o555);
    let out = unprivileged({
        let mut c = jixiao(&path, dir.path());
        c.args(["user", "list"]);
        c
    });
    open(path.parent().unwrap(), 0o755);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("所在目录只读"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn kill_9_in_the_middle_of_a_bulk_approve_leaves_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("template.db");
    {
        let mut store = open_staffed(&template);
        store.load_dataset(&with_clean_projects(1100), "importer").unwrap();
        register_me(&mut store);
        let today = chrono::Local::now().date_naive();
        store.refresh_findings(&Config::defaults().rules, today).unwrap();
    }
    // What the command will approve: pending target items without a blocking finding.
    let store = Store::open(&template).unwrap();
    let pending = target_ids(&store, ReviewState::Pending);
    let total = store
        .queue_rows_by_ids(&pending)
        .unwrap()
        .iter()
        .filter(|r| r.blocking == 0)
        .count();
    drop(store);
    assert!(total >= 1000, "{total}");
    let mut outcomes = Vec::new();
    for (round, delay_ms) in [0u64, 1, 3, 8, 15, 30, 60, 120].into_iter().enumerate() {
        let db = dir.path().join(format!("round{round}.db"));
        std::fs::copy(&template, &db).unwrap();
        let mut child = jixiao(&db, dir.path())
            .args(["approve", "--stage", "target", "--yes"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until the batch is about to start, then kill without warning.
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().unwrap().unwrap();
        assert!(first.starts_with("开始批量通过"), "{first}");
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        let store = Store::open(&db).unwrap();
        let approved = target_ids(&store, ReviewState::Approved).len();
        assert!(
            approved == 0 || approved == total,
            "round {round}: {approved} of {total} approved"
        );
        let verify = jixiao(&db, dir.path()).args(["audit", "verify"]).output().unwrap();
        assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stdout));
        outcomes.push((delay_ms, approved == total));
    }
    println!("kill -9 延迟(毫秒)与结果（true=全部通过，false=全部未变）：{outcomes:?}");
    // Unkilled, the same command approves every one of them.
    let db = dir.path().join("unkilled.db");
    std::fs::copy(&template, &db).unwrap();
    let t = std::time::Instant::now();
    let out = jixiao(&db, dir.path())
        .args(["approve", "--stage", "target", "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let approved = target_ids(&Store::open(&db).unwrap(), ReviewState::Approved).len();
    assert_eq!(approved, total);
    println!(
        "不中断时：{total} 项全部通过，命令用时 {:.2} 秒",
        t.elapsed().as_secs_f64()
    );
    assert!(
        outcomes.iter().any(|(_, done)| !done),
        "at least one kill landed inside the batch"
    );
}

#[test]
fn an_audit_row_edited_outside_the_program_is_named_by_verify() {
    let (dir, mut store) = loaded_store();
    let path = dir.path().join("data").join("jixiao.db");
    let id = target_ids(&store, ReviewState::Pending)[0];
    let r = store.review(id).unwrap().unwrap();
    store.decide(id, r.version, APPROVE, "", "li", 10).unwrap();
    drop(store);
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch("DROP TRIGGER audit_log_no_update").unwrap();
    let seq: i64 = raw
        .query_row("SELECT seq FROM audit_log WHERE event = 'decision'", [], |r| r.get(0))
        .unwrap();
    raw.execute("UPDATE audit_log SET actor = 'zhoumin' WHERE seq = ?1", [seq])
        .unwrap();
    drop(raw);
    let out = jixiao(&path, dir.path()).args(["audit", "verify"]).output().unwrap();
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("第 {seq} 条审计记录的内容与其哈希不符")),
        "{stdout}"
    );
}

#[test]
fn hostile_imported_text_is_rendered_inert() {
    let (_dir, path) = temp_db();
    let mut store = open_staffed(&path);
    let mut ds = sample();
    ds.units[0].name = "区第一中学\x1b[2J\x1b[H".into();
    ds.units[1].name = "区农业\x1b]0;pwned\x07农村局".into();
    ds.projects[1].name = "校舍\x1b[31m维修\x1b[0m\u{9b}2J改造\x1bP1;2|x\x1b\\工程\r\n\x08\x07".into();
    ds.projects[2].name = "高标准\x1b]8;;http://evil\x1b\\农田\x1b[?1049h建设".into();
    store.load_dataset(&ds, "importer").unwrap();
    drop(store);
    let app = App::new(
        Store::open(&path).unwrap(),
        Config::defaults(),
        "li".into(),
        "李".into(),
        10,
    )
    .unwrap();
    let screen = render_text(&app, 100, 24);
    assert!(
        !screen.chars().any(|c| c.is_control() && c != '\n'),
        "control characters reached the screen: {screen:?}"
    );
    assert!(screen.contains("区第一中学"), "{screen}");
    assert!(screen.contains("校舍维修改造工程"), "{screen}");
    insta::assert_snapshot!("hostile_import_100x24", screen);
}
