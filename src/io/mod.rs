//! Import, export, templates and demo data: the floor between the store and files.

pub mod demo;
pub mod export;
pub mod import;
pub mod submissions;
pub mod template;
