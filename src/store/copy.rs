//! A consistent copy of the whole file (`VACUUM INTO`), for scratch work such
//! as benchmarks that write; readers and writers may go on meanwhile.

use super::{Store, StoreError};

impl Store {
    /// Writes a compacted, consistent copy of the database to `path` (which must not exist).
    pub fn copy_to(&self, path: &std::path::Path) -> Result<(), StoreError> {
        self.conn.execute("VACUUM INTO ?1", [path.display().to_string()])?;
        Ok(())
    }
}
