//! Pure rules and types of the review year. No files, no SQL, no terminal.

pub mod dataset;
pub mod dates;
pub mod key_eval_docs;
pub mod labels;
pub mod model;
pub mod money;
pub mod opinion;
pub mod params;
pub mod quantity;
pub mod result_application;
pub mod rule_id;
pub mod rules;
pub mod scoring;
pub mod states;
pub mod target_audit;
pub mod text;

pub use dataset::Dataset;
pub use labels::*;
pub use model::*;
pub use rule_id::RuleId;
