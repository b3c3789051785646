//! jixiao — 绩效审核工作台. Floors, each using only those below it:
//! `domain` → `config` → `store` → `io` → `tui` → `cli` (and `main`).
//! `demo` (the demo year as domain values) stands on `domain` alone, beside
//! `config`; the store loads it. `paths`, `identity` and `logging` are the
//! few facts of the machine the upper floors need.

pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod identity;
pub mod io;
pub mod logging;
pub mod paths;
pub mod store;
pub mod tui;
