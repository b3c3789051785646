//! The stage lists (tabs 1–4) as a reviewer reads them: each stage's key
//! figure in its own column, the finding counts explained, the width of a
//! wide screen shared by unit, project and finding, and an empty filtered list
//! that says the filter hides items. Rendered to ratatui's TestBackend from a
//! real SQLite file whose findings and figures were refreshed as an import
//! refreshes them.

mod common;

use common::*;
use jixiao::config::Config;
use jixiao::domain::money::format_wan;
use jixiao::domain::scoring::{ScoreInput, score};
use jixiao::domain::text::display_width;
use jixiao::domain::*;
use jixiao::store::Store;
use jixiao::tui::app::App;
use jixiao::tui::{handle_event, layout};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use rust_decimal::{Decimal, RoundingStrategy, dec};

const USER: &str = "zhangli";
const LONG_UNIT: &str = "区住房和城乡建设局";
const LONG_PROJECT: &str = "城乡环境卫生保洁一体化及人居环境整治";

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap()
}

/// The sample with unit 202 and its project named as long as real ones are.
fn long_named() -> Dataset {
    let mut ds = sample();
    ds.units[1].name = LONG_UNIT.into();
    ds.projects[2].name = LONG_PROJECT.into();
    ds
}

/// A file loaded with `ds` and refreshed (findings and figures), and the app on it.
fn setup_with(ds: &Dataset) -> (tempfile::TempDir, std::path::PathBuf, App) {
    let (dir, path) = temp_db();
    let mut store = open_staffed(&path);
    store.load_dataset(ds, "importer").unwrap();
    store.refresh_findings(&Config::defaults().rules, today()).unwrap();
    drop(store);
    let app = App::new(
        Store::open(&path).unwrap(),
        Config::defaults(),
        USER.into(),
        "张丽".into(),
        layout::visible_rows(80, 24),
    )
    .unwrap();
    (dir, path, app)
}

fn press(app: &mut App, code: KeyCode) {
    handle_event(app, &Event::Key(KeyEvent::new(code, KeyModifiers::NONE))).unwrap();
}

fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        match c {
            '\n' => press(app, KeyCode::Enter),
            c => press(app, KeyCode::Char(c)),
        }
    }
}

/// The line of `screen` that shows `needle`.
fn line_with<'a>(screen: &'a str, needle: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle}:\n{screen}"))
}

/// One decimal, cut: how the list prints a score.
fn cut1(d: Decimal) -> String {
    format!("{:.1}", d.round_dp_with_strategy(1, RoundingStrategy::ToZero))
}

#[test]
fn each_stage_list_shows_its_key_figure_from_the_stored_figures() {
    let ds = sample();
    let (_d, _p, mut app) = setup_with(&ds);
    let rules = Config::defaults().rules;

    // Tab 2: execution rate = executed ÷ budget, cut at one decimal.
    keys(&mut app, "2");
    let screen = render_text(&app, 80, 24);
    assert!(line_with(&screen, "单位").contains("执行率"), "{screen}");
    // P-101-01: 1,000,000 of 2,500,000 → 40.0 %; P-202-01: 2,800,000 of 3,000,000.50 → 93.33 %.
    assert!(line_with(&screen, "P-101-01").contains("40.0%"), "{screen}");
    assert!(line_with(&screen, "P-202-01").contains("93.3%"), "{screen}");

    // Tab 3: the unit's own score beside the recomputed one, and its grade.
    keys(&mut app, "3");
    let screen = render_text(&app, 80, 24);
    assert!(line_with(&screen, "单位").contains("自评/复算 级"), "{screen}");
    let se = &ds.self_evals[1];
    let project = &ds.projects[1];
    let indicators: Vec<Indicator> = ds
        .indicators
        .iter()
        .filter(|i| i.project_code == project.code)
        .cloned()
        .collect();
    let actuals: Vec<IndicatorActual> = ds
        .actuals
        .iter()
        .filter(|a| a.project_code == project.code)
        .cloned()
        .collect();
    let card = score(
        &ScoreInput {
            project,
            indicators: &indicators,
            self_eval: se,
            actuals: &actuals,
        },
        &rules.scoring,
        &rules.grades,
    );
    assert_ne!(card.total, se.self_score, "the sample's self score is not borne out");
    let expected = format!("{}/{} {}", cut1(se.self_score), cut1(card.total), card.grade.label());
    assert!(
        line_with(&screen, "P-101-01").contains(&expected),
        "{expected}:\n{screen}"
    );
    let row = app.queues[2]
        .window
        .iter()
        .find(|r| r.project_code.as_deref() == Some("P-101-01"))
        .unwrap();
    assert_eq!(row.figure.score, Some(card.total), "stored, not recomputed on screen");

    // Tab 4: the firm's score and grade.
    keys(&mut app, "4");
    let screen = render_text(&app, 80, 24);
    assert!(line_with(&screen, "单位").contains("得分 等级"), "{screen}");
    assert!(line_with(&screen, "P-202-01").contains("78.5 中"), "{screen}");
}

#[test]
fn the_finding_counts_are_explained_in_the_header_and_the_legend() {
    let (_d, _p, mut app) = setup_with(&sample());
    for tab in ["1", "2", "3", "4"] {
        keys(&mut app, tab);
        let screen = render_text(&app, 80, 24);
        assert!(line_with(&screen, "单位").contains("阻/警/提"), "tab {tab}:\n{screen}");
        assert!(screen.contains("阻/警/提="), "tab {tab}: legend missing:\n{screen}");
    }
    keys(&mut app, "1");
    let screen = render_text(&app, 80, 24);
    assert!(screen.contains("阻断/警告/提示问题数"), "{screen}");
    keys(&mut app, "2");
    assert!(render_text(&app, 80, 24).contains("执行率=执行数÷预算"));
    keys(&mut app, "3");
    assert!(render_text(&app, 80, 24).contains("自评/复算=单位自评分/复算分"));
}

/// Start and width of each column, read off the header line by its titles.
fn columns(screen: &str) -> Vec<(&'static str, usize)> {
    let header = line_with(screen, "单位");
    let titles = ["单位", "项目", "金额(万元)", "执行率", "阻/警/提", "首要问题", "状态"];
    let mut at: Vec<(&'static str, usize)> = titles
        .iter()
        .filter_map(|t| header.find(t).map(|i| (*t, display_width(&header[..i]))))
        .collect();
    at.sort_by_key(|(_, x)| *x);
    at
}

fn width_of(cols: &[(&str, usize)], title: &str) -> usize {
    let i = cols.iter().position(|(t, _)| *t == title).unwrap();
    cols[i + 1].1 - cols[i].1
}

#[test]
fn extra_width_is_shared_by_unit_project_and_finding() {
    let (_d, _p, mut app) = setup_with(&long_named());
    keys(&mut app, "2");
    let at = |w: u16| render_text(&app, w, 24);
    let (s80, s120, s200) = (at(80), at(120), at(200));
    let (c80, c120, c200) = (columns(&s80), columns(&s120), columns(&s200));
    for (w, screen, cols) in [(80, &s80, &c80), (120, &s120, &c120), (200, &s200, &c200)] {
        assert_eq!(cols.len(), 7, "every column titled at {w}:\n{screen}");
        assert!(screen.lines().all(|l| display_width(l) <= w));
    }
    for title in ["单位", "项目", "首要问题"] {
        let (a, b, c) = (width_of(&c80, title), width_of(&c120, title), width_of(&c200, title));
        assert!(a < b && b <= c, "{title} grows with the screen: {a} {b} {c}");
    }
    // From 120 to 200 columns the project does not take all the extra room.
    let grown = |t: &str| width_of(&c200, t) - width_of(&c120, t);
    assert!(
        grown("项目") < 80 && grown("首要问题") > grown("项目"),
        "{c120:?} {c200:?}"
    );
    // At 200 the long names and the first finding read whole.
    let row = line_with(&s200, LONG_UNIT);
    assert!(row.contains(LONG_PROJECT), "{row}");
    assert!(
        line_with(&s200, "区第一中学").contains("预算执行率 40.0%（执行 100.00 万元 / 预算 250.00 万元），低于 75%"),
        "{s200}"
    );
    // At 80 the finding still gets room, not five characters.
    assert!(width_of(&c80, "首要问题") >= 12, "{c80:?}");
    insta::assert_snapshot!("monitoring_list_80x24", s80);
    insta::assert_snapshot!("monitoring_list_120x24", s120);
    insta::assert_snapshot!("monitoring_list_200x24", s200);
}

#[test]
fn self_eval_and_key_eval_lists_at_80_120_and_200_columns() {
    let (_d, _p, mut app) = setup_with(&long_named());
    for (tab, name) in [("3", "self_eval_list"), ("4", "key_eval_list")] {
        keys(&mut app, tab);
        for w in [80u16, 120, 200] {
            let screen = render_text(&app, w, 24);
            assert!(screen.contains("状态"), "{name} at {w}:\n{screen}");
            insta::assert_snapshot!(format!("{name}_{w}x24"), screen);
        }
    }
}

#[test]
fn an_empty_filtered_list_says_the_filter_hides_items() {
    let (_d, _p, mut app) = setup_with(&sample());
    keys(&mut app, ":filter state=已退回\n");
    assert!(app.queues[0].ids.is_empty());
    let screen = render_text(&app, 80, 24);
    assert!(!screen.contains("本阶段没有待处理事项"), "{screen}");
    assert!(screen.contains("当前筛选下没有事项"), "{screen}");
    assert!(screen.contains("本阶段共 3 项，其中待审 3 项"), "{screen}");
    assert!(screen.contains("按 f 再按 0 清除筛选"), "{screen}");
    // And the keys it names do clear it.
    keys(&mut app, "f0");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.queues[0].ids.len(), 3);
}

#[test]
fn amounts_keep_their_column_whatever_the_width() {
    let (_d, _p, app) = setup_with(&long_named());
    let wan = format_wan(dec!(3000000.50), 2);
    for w in [80u16, 120, 200] {
        let screen = render_text(&app, w, 24);
        let header = line_with(&screen, "单位");
        let row = line_with(&screen, &wan);
        let end = |line: &str, s: &str| display_width(&line[..line.find(s).unwrap() + s.len()]);
        assert_eq!(
            end(header, "金额(万元)"),
            end(row, &wan),
            "right-aligned under its header at {w}"
        );
    }
}
