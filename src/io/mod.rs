//! Import, export and templates: the floor between the store and files.

pub mod export;
pub mod import;
pub mod submissions;
pub mod template;
