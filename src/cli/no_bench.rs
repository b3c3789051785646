//! `jixiao bench` in a binary built without the `bench` cargo feature (the
//! reviewer's binary): the subcommand is hidden from the help and, when
//! called, says how to build the benchmark (docs/bench.md) instead of running.

use crate::config::Config;
use std::process::ExitCode;

/// Whatever was asked of the benchmark: it is not in this binary.
#[derive(Debug, clap::Args)]
#[command(disable_help_flag = true)]
pub struct BenchArgs {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    rest: Vec<String>,
}

/// What `jixiao bench` says without the feature.
pub const NOT_BUILT: &str = "此程序构建时未包含性能测量（jixiao bench）：审核人员用的程序不带它。\n\
     请在源码目录用 bench 特性构建并运行，例如：\n  \
     cargo run --release --features bench -- bench --scale 1 --runs 5\n\
     各项测量、参数和预算见 docs/bench.md";

pub fn run(_: BenchArgs, _: &Config) -> anyhow::Result<ExitCode> {
    eprintln!("{NOT_BUILT}");
    Ok(ExitCode::from(2))
}
