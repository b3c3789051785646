//! jixiao — 绩效审核工作台. The command line; the work is in the library.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = jixiao::cli::Cli::parse();
    match jixiao::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            jixiao::tui::terminal::restore();
            eprintln!("错误：{e:#}");
            ExitCode::from(2)
        }
    }
}
