//! The built binary in a real pseudo-terminal (tmux, 80×24): open a demo
//! database, approve a clean item, return a flagged one with an opinion typed
//! in Chinese, quit; then check the database and the audit log. And a session
//! left idle with an opinion half typed: it locks, the text kept as a draft.

use jixiao::domain::{ReviewState, Stage};
use jixiao::store::{AuditFilter, Store};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
}

impl Tmux {
    /// jixiao on `db` (with `args` after it) in a new 80×24 session, through
    /// a shell so that what it leaves on the terminal can be read after it
    /// exits; its first screen shown, with any offer of old drafts (the
    /// demo's history has some, not ours) dismissed.
    fn start(name: &str, dir: &Path, db: &Path, args: &str) -> Tmux {
        Tmux::start_with(name, dir, db, args, "", (80, 24))
    }

    /// As `start`, with jixiao run under `wrapper` (`setsid -w`: a session of
    /// its own, as `su -c`, `sudo` or a ForceCommand leave it, so the hang-up
    /// signal does not reach it) in a window of `size`; its process id is
    /// written to `dir/jixiao.pid`.
    fn start_with(name: &str, dir: &Path, db: &Path, args: &str, wrapper: &str, size: (u16, u16)) -> Tmux {
        let tmux = Tmux {
            socket: format!("jixiao-{name}-{}", std::process::id()),
        };
        let script = dir.join(format!("{name}.sh"));
        std::fs::write(
            &script,
            format!(
                "echo $$ > '{dir}/jixiao.pid'\nexec env LANG=C.UTF-8 JIXIAO_DATA_DIR='{dir}' JIXIAO_CONFIG_DIR='{dir}/none' '{bin}' --db '{db}' {args}\n",
                dir = dir.display(),
                bin = env!("CARGO_BIN_EXE_jixiao"),
                db = db.display(),
            ),
        )
        .unwrap();
        let cmd = format!("{wrapper} sh '{}'; sleep 120", script.display());
        let (w, h) = (size.0.to_string(), size.1.to_string());
        tmux.run(&["new-session", "-d", "-s", "e2e", "-x", &w, "-y", &h, &cmd]);
        tmux.wait_for("1目标审核");
        if tmux.screen().contains("意见草稿") {
            tmux.keys(&["n"]);
        }
        tmux
    }

    /// `:filter …` typed and run; `shown` is how the status bar says it.
    fn filter(&self, spec: &str, shown: &str) {
        self.keys(&[":"]);
        self.text(&format!("filter {spec}"));
        self.keys(&["Enter"]);
        self.wait_for(shown);
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux is needed for this end-to-end test (.ci/run installs it): apt-get install tmux");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "e2e"])
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// Literal text (UTF-8), as an input method would deliver it.
    fn text(&self, text: &str) {
        self.run(&["send-keys", "-t", "e2e", "-l", text]);
    }

    fn wait_for(&self, needle: &str) -> String {
        self.wait_up_to(needle, Duration::from_secs(20))
    }

    fn wait_up_to(&self, needle: &str, limit: Duration) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(needle) {
                return screen;
            }
            assert!(start.elapsed() < limit, "waited for {needle:?}; screen:\n{screen}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

fn states(db: &Path) -> Vec<(ReviewState, String, Option<String>)> {
    let store = Store::open(db).unwrap();
    store
        .queue_page(Stage::Target, None, 10_000)
        .unwrap()
        .into_iter()
        .map(|r| {
            let review = store.review(r.review_id).unwrap().unwrap();
            (r.state, review.opinion, review.decided_by)
        })
        .collect()
}

#[test]
fn approve_and_return_in_a_real_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let before = states(&db);
    let decided_before = before.iter().filter(|s| s.0 != ReviewState::Pending).count();
    let tmux = Tmux::start("e2e", dir.path(), &db, "");

    // A clean, pending item: filter, approve the first.
    tmux.filter("findings=无 state=待审", "筛选:待审,无问题");
    tmux.keys(&["a"]);
    tmux.wait_for("通过完成");

    // A flagged, pending item: return with a Chinese opinion.
    tmux.filter("findings=有 state=待审", "筛选:待审,有问题");
    tmux.keys(&["r"]);
    tmux.wait_for("退回意见");
    tmux.text("请补充成本指标并细化量化产出数量，按时重新报送。");
    tmux.keys(&["C-s"]);
    tmux.wait_for("退回完成");
    tmux.keys(&["q"]);
    std::thread::sleep(Duration::from_millis(300));

    let after = states(&db);
    let me = jixiao::identity::os_user();
    let mine: Vec<_> = after.iter().filter(|s| s.2.as_deref() == Some(me.as_str())).collect();
    assert_eq!(
        after.iter().filter(|s| s.0 != ReviewState::Pending).count(),
        decided_before + 2
    );
    assert!(mine.iter().any(|s| s.0 == ReviewState::Approved), "{mine:?}");
    assert!(
        mine.iter()
            .any(|s| s.0 == ReviewState::Returned && s.1.contains("请补充成本指标并细化量化产出数量，按时重新报送。")),
        "{mine:?}"
    );
    let store = Store::open(&db).unwrap();
    assert!(store.verify_audit().unwrap().is_intact());
    let decisions = store
        .audit_entries(&AuditFilter {
            actor: Some(me),
            event: Some("decision".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(decisions.len(), 2);
    assert!(decisions[1].after.as_deref().unwrap().contains("请补充成本指标"));
}

/// A demo database of 6 units in `dir`.
fn demo_db(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("demo.db");
    let built = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["demo", "--no-tui", "--units", "6", "--db", db.to_str().unwrap()])
        .env("JIXIAO_DATA_DIR", dir)
        .output()
        .unwrap();
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    db
}

#[test]
fn an_idle_session_locks_and_keeps_the_half_typed_opinion() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let config = dir.path().join("idle.toml");
    std::fs::write(&config, "[session]\nidle_lock_minutes = 1\ndraft_autosave = false\n").unwrap();
    let tmux = Tmux::start("idle", dir.path(), &db, &format!("--config '{}'", config.display()));
    tmux.filter("findings=有 state=待审", "筛选:待审,有问题");
    tmux.keys(&["r"]);
    tmux.wait_for("退回意见");
    tmux.text("请补充成本指标，");
    let typed_at = Instant::now();
    let screen = tmux.wait_up_to("会话已自动锁定", Duration::from_secs(90));
    let waited = typed_at.elapsed();
    assert!(waited >= Duration::from_secs(59), "locked after {waited:?}");
    assert!(screen.contains("已保存为草稿"), "{screen}");
    assert!(
        !screen.contains("目标审核"),
        "the review data is gone from the screen:\n{screen}"
    );
    let store = Store::open(&db).unwrap();
    let drafts = store.drafts_for(&jixiao::identity::os_user()).unwrap();
    assert!(
        drafts.iter().any(|d| d.text.ends_with("请补充成本指标，")),
        "{drafts:?}"
    );
}

/// The process id the start script wrote.
fn pid_in(dir: &Path) -> u32 {
    let start = Instant::now();
    loop {
        if let Some(pid) = std::fs::read_to_string(dir.join("jixiao.pid"))
            .ok()
            .and_then(|s| s.trim().parse().ok())
        {
            return pid;
        }
        assert!(start.elapsed() < Duration::from_secs(5), "no pid file");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether the process has ended (a zombie waiting for its reaper counts: it
/// runs no more and holds no file).
fn ended(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit_once(") ")
            .is_some_and(|(_, rest)| rest.starts_with('Z') || rest.starts_with('X')),
    }
}

/// Waits up to `limit` for the process to end; how long it took, or None.
fn ends_within(pid: u32, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if ended(pid) {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

/// A config that saves no draft as typed: only the way out can keep the text.
fn no_autosave(dir: &Path) -> String {
    let config = dir.join("no-autosave.toml");
    std::fs::write(&config, "[session]\ndraft_autosave = false\n").unwrap();
    format!("--config '{}'", config.display())
}

fn has_draft_ending(db: &Path, text: &str) -> bool {
    let store = Store::open(db).unwrap();
    let drafts = store.drafts_for(&jixiao::identity::os_user()).unwrap();
    drafts.iter().any(|d| d.text.ends_with(text))
}

/// An opinion half typed in Chinese on a flagged item; returns jixiao's pid.
fn half_typed_opinion(tmux: &Tmux, dir: &Path, text: &str) -> u32 {
    tmux.filter("findings=有 state=待审", "筛选:待审,有问题");
    tmux.keys(&["r"]);
    tmux.wait_for("退回意见");
    tmux.text(text);
    tmux.wait_for(text);
    pid_in(dir)
}

/// The terminal closed (the tmux server killed, as a dropped SSH link or a
/// closed window does) with an opinion half typed: the process ends within a
/// second and the text is kept as a draft, whether or not the hang-up signal
/// reaches it.
fn closing_the_terminal(name: &str, wrapper: &str) {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let args = no_autosave(dir.path());
    let tmux = Tmux::start_with(name, dir.path(), &db, &args, wrapper, (80, 24));
    let pid = half_typed_opinion(&tmux, dir.path(), "请补充成本指标，按时");
    tmux.run(&["kill-server"]);
    let took = ends_within(pid, Duration::from_secs(1));
    if took.is_none() {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        panic!("jixiao (pid {pid}) still runs 1 s after its terminal closed: {stat}");
    }
    assert!(
        has_draft_ending(&db, "请补充成本指标，按时"),
        "the half-typed opinion was lost (ended after {took:?})"
    );
}

#[test]
fn a_closed_terminal_under_setsid_ends_the_process_and_keeps_the_draft() {
    closing_the_terminal("hangup-setsid", "setsid -w");
}

#[test]
fn a_closed_terminal_that_sends_sighup_ends_the_process_and_keeps_the_draft() {
    closing_the_terminal("hangup-signal", "");
}

/// `kill` (SIGTERM) while an opinion is typed: the text is kept as a draft,
/// the terminal is given back (the alternate screen left), the process ends.
#[test]
fn sigterm_keeps_the_draft_and_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let args = no_autosave(dir.path());
    let tmux = Tmux::start_with("sigterm", dir.path(), &db, &args, "", (80, 24));
    let pid = half_typed_opinion(&tmux, dir.path(), "请补充满意度调查，");
    let killed = Command::new("kill").args(["-TERM", &pid.to_string()]).status().unwrap();
    assert!(killed.success());
    let took = ends_within(pid, Duration::from_secs(1));
    if took.is_none() {
        let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        panic!("jixiao still runs 1 s after SIGTERM");
    }
    assert!(has_draft_ending(&db, "请补充满意度调查，"), "the opinion was lost");
    std::thread::sleep(Duration::from_millis(200));
    let screen = tmux.screen();
    assert!(
        !screen.contains("退回意见") && !screen.contains("目标审核"),
        "the terminal still shows jixiao's screen:\n{screen}"
    );
}

/// The window grown from 80×24 to 120×30 and 100×30, shrunk back, and made
/// too small: each time the screen is redrawn whole at once, the same as a
/// fresh start at that size shows, with no key pressed.
#[test]
fn a_resized_window_is_redrawn_whole_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let tmux = Tmux::start_with("resize", dir.path(), &db, "", "", (80, 24));
    for (w, h) in [(120u16, 30u16), (100, 30), (80, 24)] {
        let fresh_dir = tempfile::tempdir().unwrap();
        let fresh = Tmux::start_with(&format!("fresh{w}x{h}"), fresh_dir.path(), &db, "", "", (w, h));
        let expected = fresh.screen();
        drop(fresh);
        tmux.run(&["resize-window", "-t", "e2e", "-x", &w.to_string(), "-y", &h.to_string()]);
        let start = Instant::now();
        loop {
            let shown = tmux.screen();
            if shown == expected {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "at {w}×{h} the screen is not what a fresh start shows.\nshown:\n{shown}\nexpected:\n{expected}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    tmux.run(&["resize-window", "-t", "e2e", "-x", "70", "-y", "20"]);
    tmux.wait_up_to("终端窗口太小", Duration::from_secs(10));
}

/// Under setsid (or `su -c`) the process is not in the terminal's foreground
/// group, so no SIGWINCH tells it of a resize: the next key finds it, and the
/// screen is then redrawn whole as at a fresh start, or the notice shown.
#[test]
fn a_resize_under_setsid_is_seen_at_the_next_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let tmux = Tmux::start_with("resize-setsid", dir.path(), &db, "", "setsid -w", (80, 24));
    let fresh_dir = tempfile::tempdir().unwrap();
    let fresh = Tmux::start_with("fresh-setsid", fresh_dir.path(), &db, "", "", (120, 30));
    let expected = fresh.screen();
    drop(fresh);
    tmux.run(&["resize-window", "-t", "e2e", "-x", "120", "-y", "30"]);
    let start = Instant::now();
    loop {
        // A key bound to nothing, again until seen: tmux resizes the
        // terminal a moment after it is asked to, and the key must come after.
        tmux.keys(&["F12"]);
        std::thread::sleep(Duration::from_millis(100));
        let shown = tmux.screen();
        if shown == expected {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "after a key at 120×30 the screen is not what a fresh start shows.\nshown:\n{shown}\nexpected:\n{expected}"
        );
    }
    tmux.run(&["resize-window", "-t", "e2e", "-x", "70", "-y", "20"]);
    let start = Instant::now();
    while !tmux.screen().contains("终端窗口太小") {
        tmux.keys(&["F12"]);
        std::thread::sleep(Duration::from_millis(100));
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no notice at 70×20:\n{}",
            tmux.screen()
        );
    }
}

/// An administrator opening a database edited behind the program's back is
/// told at once, on the first screen, naming the item.
#[test]
fn an_admin_is_warned_at_start_when_the_audit_trail_does_not_verify() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE review SET opinion = '伪造的审核意见' WHERE id = (SELECT MIN(id) FROM review)",
        [],
    )
    .unwrap();
    drop(conn);
    let tmux = Tmux::start("tampered", dir.path(), &db, "");
    let screen = tmux.wait_for("与审计记录不符");
    assert!(screen.contains("警告"), "{screen}");
    tmux.keys(&["q"]);
}
