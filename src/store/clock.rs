//! The time the store stamps on what it writes (`*_at` columns and the audit
//! log): the wall clock, or a time the caller set on the store — as building
//! a demo's review history does, so that its decisions carry the dates they
//! would have had, each audit entry with them.

use chrono::{Local, NaiveDateTime, SecondsFormat, TimeZone};
use std::cell::Cell;

thread_local! {
    /// The time set for the write running on this thread, if any.
    static SET: Cell<Option<NaiveDateTime>> = const { Cell::new(None) };
}

/// Now as RFC 3339 with seconds, the form every `*_at` column holds.
pub(super) fn now() -> String {
    let at = match SET.with(Cell::get) {
        Some(t) => Local
            .from_local_datetime(&t)
            .earliest()
            .unwrap_or_else(|| Local.from_utc_datetime(&t)),
        None => Local::now(),
    };
    at.to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// Runs `work` with `now()` answering `at` (the wall clock when `None`).
pub(super) fn stamped<T>(at: Option<NaiveDateTime>, work: impl FnOnce() -> T) -> T {
    struct Restore(Option<NaiveDateTime>);
    impl Drop for Restore {
        fn drop(&mut self) {
            SET.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(SET.with(|c| c.replace(at)));
    work()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_time_is_stamped_only_while_the_work_runs() {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 10, 14)
            .unwrap()
            .and_hms_opt(9, 30, 0)
            .unwrap();
        let inside = stamped(Some(t), now);
        assert!(inside.starts_with("2026-10-14T09:30:00"), "{inside}");
        assert!(!now().starts_with("2026-10-14T09:30:00"));
    }
}
