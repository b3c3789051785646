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
        let tmux = Tmux {
            socket: format!("jixiao-{name}-{}", std::process::id()),
        };
        let cmd = format!(
            "env LANG=C.UTF-8 JIXIAO_DATA_DIR='{dir}' JIXIAO_CONFIG_DIR='{dir}/none' '{bin}' --db '{db}' {args}; sleep 120",
            dir = dir.display(),
            bin = env!("CARGO_BIN_EXE_jixiao"),
            db = db.display(),
        );
        tmux.run(&["new-session", "-d", "-s", "e2e", "-x", "80", "-y", "24", &cmd]);
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
