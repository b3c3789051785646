//! The benchmark's table and JSON, each figure beside its reference and budget.

use super::import::ImportFigures;
use super::keys::KeyFigures;
use super::terminal::TerminalFigures;
use crate::config::{Budgets, Config};
use crate::domain::text::pad_to_width;
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub scale: String,
    pub name: String,
    pub label: String,
    pub value: f64,
    pub unit: &'static str,
    pub p99: Option<f64>,
    pub bytes: Option<f64>,
    pub reference: Option<f64>,
    pub reference_bytes: Option<f64>,
    /// Bytes through ratatui's own crossterm backend (before the lean backend).
    pub plain_bytes: Option<f64>,
    pub budget: Option<f64>,
}

impl Figure {
    pub fn plain(scale: &str, name: &str, label: &str, value: f64, unit: &'static str) -> Figure {
        Figure {
            scale: scale.into(),
            name: name.into(),
            label: label.into(),
            value,
            unit,
            p99: None,
            bytes: None,
            reference: None,
            reference_bytes: None,
            plain_bytes: None,
            budget: None,
        }
    }

    pub fn latency(scale: &str, k: &KeyFigures, reference: Option<&KeyFigures>, plain: Option<&KeyFigures>) -> Figure {
        Figure {
            p99: Some(k.p99_ms),
            bytes: Some(k.bytes_per_key),
            reference: reference.map(|r| r.median_ms),
            reference_bytes: reference.map(|r| r.bytes_per_key),
            plain_bytes: plain.map(|r| r.bytes_per_key),
            ..Figure::plain(scale, k.name, k.label, k.median_ms, "ms")
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub cores: usize,
    pub figures: Vec<Figure>,
    /// The import's raw figures (also among `figures`).
    pub import: Option<ImportFigures>,
    pub notes: Vec<String>,
    #[serde(skip)]
    budgets: Budgets,
}

impl Report {
    pub fn new(config: &Config) -> Report {
        Report {
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            figures: Vec::new(),
            import: None,
            notes: Vec::new(),
            budgets: config.budgets.clone(),
        }
    }

    fn budget_for(&self, f: &Figure) -> Option<f64> {
        let b = &self.budgets;
        let at_10 = f.scale == "10x";
        Some(match f.name.as_str() {
            "startup" => b.startup_ms as f64,
            "search" if at_10 => b.search_ms as f64,
            "move" | "page" | "tag" | "approve" | "filter" | "scroll" if at_10 => b.keystroke_ms as f64,
            "peak_rss" if at_10 => b.peak_rss_mib as f64,
            "bulk_approve_1000" => b.bulk_approve_ms as f64,
            "import" => b.import_ms as f64,
            "import_ratio" => b.import_ratio as f64,
            "move_bytes" => b.move_bytes as f64,
            "scroll_bytes" => b.scroll_bytes as f64,
            _ => return None,
        })
    }

    pub fn push(&mut self, mut f: Figure) {
        f.budget = self.budget_for(&f);
        // Byte budgets are figures of their own so they show their verdict.
        if let Some(bytes) = f.bytes {
            let name = match f.name.as_str() {
                "move" => Some("move_bytes"),
                "scroll" => Some("scroll_bytes"),
                "page" => Some("page_bytes"),
                "tab" => Some("tab_bytes"),
                _ => None,
            };
            if let Some(name) = name {
                let mut b = Figure::plain(&f.scale, name, &format!("{}（字节）", f.label), bytes, "B");
                b.reference = f.reference_bytes;
                b.plain_bytes = f.plain_bytes;
                b.budget = self.budget_for(&b);
                self.figures.push(f);
                self.figures.push(b);
                return;
            }
        }
        self.figures.push(f);
    }

    pub fn push_terminal(&mut self, scale: &str, t: &TerminalFigures) {
        let mut s = Figure::plain(
            scale,
            "startup",
            "启动到首屏（exec 起，tmux 80×24，中位数）",
            t.startup_ms,
            "ms",
        );
        s.reference = Some(t.reference_startup_ms);
        self.push(s);
        let mut s = Figure::plain(scale, "startup_seen", "启动到屏上可见（含 tmux 建窗）", t.seen_ms, "ms");
        s.reference = Some(t.reference_seen_ms);
        self.push(s);
        let mut r = Figure::plain(scale, "peak_rss", "峰值内存", t.peak_rss_mib, "MiB");
        r.reference = Some(t.reference_rss_mib);
        self.push(r);
        self.push(Figure::plain(
            scale,
            "idle_bytes",
            "空闲 5 秒写出字节",
            t.idle_bytes as f64,
            "B",
        ));
        self.push(Figure::plain(
            scale,
            "idle_cpu",
            "空闲 5 秒 CPU 时间",
            t.idle_cpu_ms,
            "ms",
        ));
    }

    /// The import rows: the whole run against its budget and the plain
    /// insert, its speed, its phases, the store's share against the plain
    /// insert, and a second import of the same folder.
    pub fn push_import(&mut self, f: &ImportFigures) {
        let with_plain = |mut figure: Figure| {
            figure.reference = Some(f.plain_ms);
            figure
        };
        let label = format!("导入 {} 个单位工作簿（{} 行）", f.files, f.rows);
        self.push(with_plain(Figure::plain("1x", "import", &label, f.total_ms, "ms")));
        let ratio = if f.plain_ms > 0.0 { f.total_ms / f.plain_ms } else { 0.0 };
        self.push(Figure::plain(
            "1x",
            "import_ratio",
            "  导入 ÷ 纯 rusqlite 插入",
            ratio,
            "倍",
        ));
        let mut speed = Figure::plain(
            "1x",
            "import_rows_per_s",
            "  导入速度",
            f.rows_per_s(f.total_ms),
            "行/s",
        );
        speed.reference = Some(f.rows_per_s(f.plain_ms));
        self.push(speed);
        let read = format!("  读取解析（{} 线程合计，与写入重叠）", f.read_threads);
        self.push(Figure::plain("1x", "import_read", &read, f.read_ms, "ms"));
        self.push(with_plain(Figure::plain(
            "1x",
            "import_load",
            "  写入数据库（比对、建事项、审计）",
            f.load_ms,
            "ms",
        )));
        self.push(Figure::plain(
            "1x",
            "import_refresh",
            "  导入后刷新问题",
            f.refresh_ms,
            "ms",
        ));
        self.push(Figure::plain(
            "1x",
            "import_again",
            "  再次导入同一文件夹（无变化）",
            f.again_ms,
            "ms",
        ));
        self.import = Some(f.clone());
    }

    pub fn note(&mut self, text: String) {
        self.notes.push(text);
    }

    pub fn print(&self) {
        println!("jixiao bench — {} 核", self.cores);
        println!(
            "{} {} {} {} {} {} 预算",
            pad_to_width("规模", 5),
            pad_to_width("项目", 36),
            pad_to_width("数值", 12),
            pad_to_width("p99|原字节", 9),
            pad_to_width("参照", 12),
            pad_to_width("比值", 7),
        );
        for f in &self.figures {
            let num = |v: f64| {
                if v >= 100.0 {
                    format!("{v:.0}")
                } else {
                    format!("{v:.2}")
                }
            };
            let ratio = f
                .reference
                .filter(|r| *r > 0.0)
                .map_or("-".into(), |r| format!("{:.2}", f.value / r));
            let verdict = f.budget.map_or("-".into(), |b| {
                format!("{} {}", if f.value <= b { "达标" } else { "未达标" }, num(b))
            });
            println!(
                "{} {} {} {} {} {} {}",
                pad_to_width(&f.scale, 5),
                pad_to_width(&f.label, 36),
                pad_to_width(&format!("{} {}", num(f.value), f.unit), 12),
                pad_to_width(&f.p99.or(f.plain_bytes).map_or("-".into(), num), 9),
                pad_to_width(&f.reference.map_or("-".into(), num), 12),
                pad_to_width(&ratio, 7),
                verdict
            );
        }
        for n in &self.notes {
            println!("注：{n}");
        }
    }

    pub fn write_json(&self, path: &Path) -> anyhow::Result<()> {
        std::fs::write(path, serde_json::to_string_pretty(self)?)?;
        Ok(())
    }
}
