//! Where the time of an import goes, for `jixiao bench` only (cargo feature
//! `bench`). Without the feature the stopwatch is an empty value whose
//! reading is an empty `Spent`: the reviewer's binary reads no clock while it
//! imports, and the report's timings hold nothing but the number of readers.

/// Where the time of a run went. Files are read on worker threads while this
/// thread loads the ones already read, so `read` (summed over the workers)
/// overlaps `load`; `total` is the wall-clock time of the whole run. Every
/// `Spent` is empty without the `bench` feature.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ImportTimings {
    /// Reading and parsing the files, summed over `read_threads` workers.
    pub read: Spent,
    pub read_threads: usize,
    /// Checking references and writing to the database, on this thread (not
    /// counting the time it waits for the workers).
    pub load: Spent,
    /// Recomputing the findings after the load (zero when nothing changed).
    pub refresh: Spent,
    pub total: Spent,
}

pub use clock::{NO_TIME, Spent, Stopwatch};

#[cfg(feature = "bench")]
mod clock {
    use std::time::{Duration, Instant};

    /// Time spent.
    pub type Spent = Duration;

    /// Where a sum of times starts.
    pub const NO_TIME: Spent = Duration::ZERO;

    /// A clock started at a moment.
    #[derive(Debug, Clone, Copy)]
    pub struct Stopwatch(Instant);

    impl Stopwatch {
        pub fn start() -> Stopwatch {
            Stopwatch(Instant::now())
        }

        /// The time since the start.
        pub fn spent(&self) -> Spent {
            self.0.elapsed()
        }
    }
}

#[cfg(not(feature = "bench"))]
mod clock {
    use std::ops::{Add, AddAssign};

    /// No time measured (the `bench` feature is off).
    #[derive(Debug, Clone, Copy, Default, PartialEq)]
    pub struct Spent;

    /// Where a sum of times starts.
    pub const NO_TIME: Spent = Spent;

    impl Add for Spent {
        type Output = Spent;
        fn add(self, _: Spent) -> Spent {
            Spent
        }
    }

    impl AddAssign for Spent {
        fn add_assign(&mut self, _: Spent) {}
    }

    impl std::iter::Sum for Spent {
        fn sum<I: Iterator<Item = Spent>>(_: I) -> Spent {
            Spent
        }
    }

    /// A clock that reads nothing.
    #[derive(Debug, Clone, Copy)]
    pub struct Stopwatch;

    impl Stopwatch {
        pub fn start() -> Stopwatch {
            Stopwatch
        }

        pub fn spent(&self) -> Spent {
            Spent
        }
    }
}
