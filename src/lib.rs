//! jixiao — 绩效审核工作台. Floors, each using only those below it:
//! `domain` → `config` → `store` → `io` and `tui` → `cli` (and `main`).
//! `paths`, `identity` and `logging` are the few facts of the machine the
//! upper floors need.

pub mod cli;
pub mod config;
pub mod domain;
pub mod identity;
pub mod io;
pub mod logging;
pub mod paths;
pub mod store;
pub mod tui;
