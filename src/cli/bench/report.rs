//! The benchmark's table and JSON, each figure beside its reference and budget.

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
    pub notes: Vec<String>,
    #[serde(skip)]
    budgets: Budgets,
}

impl Report {
    pub fn new(config: &Config) -> Report {
        Report {
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            figures: Vec::new(),
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
