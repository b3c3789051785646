//! jixiao — 绩效审核工作台. Floors, each using only those below it:
//! `domain` → `config` → `store` → `io` and `tui` → `main`.

pub mod domain;
pub mod io;
