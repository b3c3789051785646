//! The database's files on disk: the data directory shared by the reviewers'
//! group (0770, setgid so new files keep the group) and the database file
//! (0660). SQLite gives the -wal and -shm files the database file's mode, so
//! nobody outside the group reads budget data through them either.

use std::fs::{DirBuilder, OpenOptions, Permissions};
use std::io::ErrorKind;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Owner and group read, write and enter; setgid so files created inside
/// belong to the directory's group (the reviewers' group), not the creator's.
pub const DIR_MODE: u32 = 0o2770;
/// Owner and group read and write; nobody else.
pub const FILE_MODE: u32 = 0o660;
/// What the program writes out of the database (exports, templates, unit
/// workbooks, the log): the owner writes, the group reads, nobody else.
pub const OUTPUT_MODE: u32 = 0o640;

/// Creates (or empties) `path` with `OUTPUT_MODE` before a writer fills it,
/// so review data never sits world-readable, whatever the umask.
pub fn create_output_file(path: &Path) -> std::io::Result<()> {
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(OUTPUT_MODE)
        .open(path)?;
    std::fs::set_permissions(path, Permissions::from_mode(OUTPUT_MODE))
}

/// Creates the missing folders of `dir` with `DIR_MODE`; existing ones are
/// left as they are (they may belong to someone else).
fn create_dirs(dir: &Path) -> std::io::Result<()> {
    if dir.as_os_str().is_empty() || dir.exists() {
        return Ok(());
    }
    if let Some(parent) = dir.parent() {
        create_dirs(parent)?;
    }
    match DirBuilder::new().mode(DIR_MODE).create(dir) {
        // The umask may have cleared group bits: set the mode exactly.
        Ok(()) => std::fs::set_permissions(dir, Permissions::from_mode(DIR_MODE)),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Makes sure the database file exists with `FILE_MODE` before SQLite opens it
/// (SQLite would create it 0644 minus the umask). An existing file is untouched.
pub fn prepare_db_file(path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        create_dirs(dir)?;
    }
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(FILE_MODE)
        .open(path)
    {
        Ok(_) => std::fs::set_permissions(path, Permissions::from_mode(FILE_MODE)),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}
