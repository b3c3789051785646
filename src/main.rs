//! Placeholder until the store lands (next commit).
fn main() {}
