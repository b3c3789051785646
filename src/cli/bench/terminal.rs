//! Terminal-level figures in a real pseudo-terminal (tmux, 80×24): start-up to
//! the first full frame from process start, peak RSS, and bytes and CPU over
//! 5 s of idle — for the queue and for the bare-table reference.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Default)]
pub struct TerminalFigures {
    /// From the exec of the process to its first frame written and flushed.
    pub startup_ms: f64,
    pub reference_startup_ms: f64,
    /// From asking tmux for the session to the frame seen by `capture-pane`
    /// (includes tmux creating the pane and the shell): what a user waits.
    pub seen_ms: f64,
    pub reference_seen_ms: f64,
    pub peak_rss_mib: f64,
    pub reference_rss_mib: f64,
    pub idle_bytes: u64,
    pub idle_cpu_ms: f64,
}

/// One tmux server for the whole measurement, kept alive by a session of its own.
struct Server {
    socket: String,
}

impl Server {
    fn start() -> anyhow::Result<Server> {
        let server = Server {
            socket: format!("jixiao-bench-{}", std::process::id()),
        };
        server.tmux(&["new-session", "-d", "-s", "keep", "-x", "80", "-y", "24", "sleep 3600"])?;
        Ok(server)
    }

    fn tmux(&self, args: &[&str]) -> anyhow::Result<String> {
        let out = Command::new("tmux").arg("-L").arg(&self.socket).args(args).output()?;
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
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

/// Wraps a command so that bash notes the time just before it execs the
/// program, and the program notes the time of its first frame.
const START_SCRIPT: &str = r#"printf %s "$EPOCHREALTIME" > "$1"
LANG=C.UTF-8 JIXIAO_FIRST_FRAME_STAMP="$2" exec "${@:3}"
"#;

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn read_stamp(path: &Path) -> anyhow::Result<f64> {
    Ok(std::fs::read_to_string(path)?.trim().parse::<f64>()?)
}

/// One start of `args` in a fresh 80×24 session: (exec to first frame ms,
/// session request to frame seen ms, pid).
fn start(server: &Server, name: &str, dir: &Path, args: &[String], needle: &str) -> anyhow::Result<(f64, f64, u32)> {
    let script = dir.join("start.sh");
    std::fs::write(&script, START_SCRIPT)?;
    let (t0, t1) = (dir.join(format!("{name}.t0")), dir.join(format!("{name}.t1")));
    for f in [&t0, &t1] {
        let _ = std::fs::remove_file(f);
    }
    let mut cmd = format!(
        "exec bash {} {} {}",
        quote(&script.to_string_lossy()),
        quote(&t0.to_string_lossy()),
        quote(&t1.to_string_lossy())
    );
    for a in args {
        cmd.push(' ');
        cmd.push_str(&quote(a));
    }
    let started = Instant::now();
    server.tmux(&["new-session", "-d", "-s", name, "-x", "80", "-y", "24", &cmd])?;
    loop {
        if server.tmux(&["capture-pane", "-p", "-t", name])?.contains(needle) {
            let seen = started.elapsed().as_secs_f64() * 1000.0;
            let pid: u32 = server
                .tmux(&["display", "-p", "-t", name, "#{pane_pid}"])?
                .trim()
                .parse()?;
            let exec_to_frame = (read_stamp(&t1)? - read_stamp(&t0)?) * 1000.0;
            return Ok((exec_to_frame, seen, pid));
        }
        anyhow::ensure!(started.elapsed() < Duration::from_secs(30), "30 秒内未出现首屏");
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

pub fn measure(db: &Path, dir: &Path, runs: usize) -> anyhow::Result<TerminalFigures> {
    for tool in ["tmux", "bash"] {
        Command::new(tool)
            .arg("--version")
            .output()
            .map_err(|_| anyhow::anyhow!("需要 {tool}（apt-get install {tool}）"))?;
    }
    let exe = std::env::current_exe()?.to_string_lossy().into_owned();
    let db = db.to_string_lossy().into_owned();
    let app = vec![exe.clone(), "--db".into(), db.clone()];
    let bare = vec![exe, "bench-reference".into(), "--db".into(), db];
    let stamps = dir.join("stamps");
    std::fs::create_dir_all(&stamps)?;
    let server = Server::start()?;
    let mut f = TerminalFigures::default();
    let (mut starts, mut seen, mut rss) = (Vec::new(), Vec::new(), Vec::new());
    let (mut bare_starts, mut bare_seen, mut bare_rss) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..runs.max(1) {
        let name = format!("app{run}");
        let (ms, seen_ms, pid) = start(&server, &name, &stamps, &app, "审核人")?;
        starts.push(ms);
        seen.push(seen_ms);
        if run == 0 {
            // Idle starts once start-up is over (the queue's index is read
            // right after the first frame).
            std::thread::sleep(Duration::from_millis(300));
            let (_, cpu0, w0) = proc_figures(pid)?;
            std::thread::sleep(Duration::from_secs(5));
            let (_, cpu1, w1) = proc_figures(pid)?;
            f.idle_cpu_ms = cpu1 - cpu0;
            f.idle_bytes = w1 - w0;
        }
        for key in ["j", "PageDown", "Tab", "Tab", "1", "G"] {
            server.tmux(&["send-keys", "-t", &name, key])?;
        }
        std::thread::sleep(Duration::from_millis(200));
        rss.push(proc_figures(pid)?.0);
        server.tmux(&["kill-session", "-t", &name])?;

        let name = format!("bare{run}");
        let (ms, seen_ms, pid) = start(&server, &name, &stamps, &bare, "金额")?;
        bare_starts.push(ms);
        bare_seen.push(seen_ms);
        server.tmux(&["send-keys", "-t", &name, "PageDown"])?;
        std::thread::sleep(Duration::from_millis(100));
        bare_rss.push(proc_figures(pid)?.0);
        server.tmux(&["kill-session", "-t", &name])?;
    }
    f.startup_ms = median(starts);
    f.reference_startup_ms = median(bare_starts);
    f.seen_ms = median(seen);
    f.reference_seen_ms = median(bare_seen);
    f.peak_rss_mib = median(rss);
    f.reference_rss_mib = median(bare_rss);
    Ok(f)
}
