//! Terminal-level figures in a real pseudo-terminal (tmux, 80×24): start-up to
//! the first full frame from process start, peak RSS, and bytes and CPU over
//! 5 s of idle — for the queue and for the bare-table reference.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Default)]
pub struct TerminalFigures {
    pub startup_ms: f64,
    pub reference_startup_ms: f64,
    pub peak_rss_mib: f64,
    pub reference_rss_mib: f64,
    pub idle_bytes: u64,
    pub idle_cpu_ms: f64,
}

struct Session {
    socket: String,
}

impl Session {
    fn tmux(&self, args: &[&str]) -> anyhow::Result<String> {
        let out = Command::new("tmux").arg("-L").arg(&self.socket).args(args).output()?;
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

/// /proc/<pid> figures: (VmHWM MiB, utime+stime ms, wchar bytes).
fn proc_figures(pid: u32) -> anyhow::Result<(f64, f64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let hwm_kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks: f64 = fields.get(11).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0)
        + fields.get(12).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    let io = std::fs::read_to_string(format!("/proc/{pid}/io")).unwrap_or_default();
    let wchar = io
        .lines()
        .find(|l| l.starts_with("wchar:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    // USER_HZ is 100 on Linux.
    Ok((hwm_kb / 1024.0, ticks * 10.0, wchar))
}

/// Starts `cmd` in a fresh 80×24 tmux session and waits for `needle`;
/// returns the milliseconds from spawn to the frame and the app's pid.
fn start(session: &Session, cmd: &str, needle: &str) -> anyhow::Result<(f64, u32)> {
    let started = Instant::now();
    session.tmux(&["new-session", "-d", "-s", "b", "-x", "80", "-y", "24", cmd])?;
    loop {
        if session.tmux(&["capture-pane", "-p", "-t", "b"])?.contains(needle) {
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            let pid: u32 = session
                .tmux(&["display", "-p", "-t", "b", "#{pane_pid}"])?
                .trim()
                .parse()?;
            return Ok((ms, pid));
        }
        anyhow::ensure!(started.elapsed() < Duration::from_secs(30), "30 秒内未出现首屏");
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

pub fn measure(db: &Path, runs: usize) -> anyhow::Result<TerminalFigures> {
    Command::new("tmux")
        .arg("-V")
        .output()
        .map_err(|_| anyhow::anyhow!("需要 tmux（apt-get install tmux）"))?;
    let exe = std::env::current_exe()?;
    let app = format!("exec env LANG=C.UTF-8 '{}' --db '{}'", exe.display(), db.display());
    let bare = format!(
        "exec env LANG=C.UTF-8 '{}' bench-reference --db '{}'",
        exe.display(),
        db.display()
    );
    // A fresh tmux server per start: reusing a socket races with the server being killed.
    let socket = |n: usize| format!("jixiao-bench-{}-{n}", std::process::id());
    let mut f = TerminalFigures::default();
    let (mut starts, mut rss, mut bare_starts, mut bare_rss) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for run in 0..runs.max(1) {
        let s = Session {
            socket: socket(run * 2),
        };
        let (ms, pid) = start(&s, &app, "审核人")?;
        // A demo may offer drafts; dismiss so the screen is the queue.
        starts.push(ms);
        if run == 0 {
            let (_, cpu0, w0) = proc_figures(pid)?;
            std::thread::sleep(Duration::from_secs(5));
            let (_, cpu1, w1) = proc_figures(pid)?;
            f.idle_cpu_ms = cpu1 - cpu0;
            f.idle_bytes = w1 - w0;
        }
        for key in ["j", "PageDown", "Tab", "Tab", "1", "G"] {
            s.tmux(&["send-keys", "-t", "b", key])?;
        }
        std::thread::sleep(Duration::from_millis(200));
        rss.push(proc_figures(pid)?.0);
        drop(s);
        let s = Session {
            socket: socket(run * 2 + 1),
        };
        let (ms, pid) = start(&s, &bare, "金额")?;
        bare_starts.push(ms);
        s.tmux(&["send-keys", "-t", "b", "PageDown"])?;
        std::thread::sleep(Duration::from_millis(100));
        bare_rss.push(proc_figures(pid)?.0);
    }
    f.startup_ms = median(starts);
    f.reference_startup_ms = median(bare_starts);
    f.peak_rss_mib = median(rss);
    f.reference_rss_mib = median(bare_rss);
    Ok(f)
}
