//! Counters that show what the generator did: how requests were served and how well they batched.

use std::sync::atomic::{AtomicU64, Ordering};

/// A snapshot of a [`Generator`](super::Generator)'s counters since it was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GeneratorStats {
    /// Portraits asked for (one per genome, cached or not).
    pub requests: u64,
    /// Requests answered from the cache, without inference.
    pub cache_hits: u64,
    /// `session.run` calls.
    pub runs: u64,
    /// Portraits decoded by those runs (the sum of their batch sizes).
    pub decoded: u64,
    /// The largest batch one run decoded.
    pub largest_batch: u64,
}

impl GeneratorStats {
    /// Mean portraits per run; 0 before the first run.
    pub fn mean_batch(&self) -> f64 {
        if self.runs == 0 {
            0.0
        } else {
            self.decoded as f64 / self.runs as f64
        }
    }
}

/// The live counters, shared by the request path and the batching thread. Atomics because they
/// are bumped on both sides without a lock; `Relaxed` because no other memory hangs off them.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    /// See [`GeneratorStats::requests`].
    pub requests: AtomicU64,
    /// See [`GeneratorStats::cache_hits`].
    pub cache_hits: AtomicU64,
    /// See [`GeneratorStats::decoded`].
    pub decoded: AtomicU64,
    /// See [`GeneratorStats::largest_batch`].
    pub largest_batch: AtomicU64,
}

impl Counters {
    /// Add one to a counter.
    pub fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Record a run of `rows` portraits.
    pub fn batch(&self, rows: usize) {
        self.decoded.fetch_add(rows as u64, Ordering::Relaxed);
        self.largest_batch.fetch_max(rows as u64, Ordering::Relaxed);
    }

    /// The counters now; `runs` comes from the model, which counts its own session runs.
    pub fn snapshot(&self, runs: u64) -> GeneratorStats {
        GeneratorStats {
            requests: self.requests.load(Ordering::Relaxed),
            cache_hits: self.cache_hits.load(Ordering::Relaxed),
            runs,
            decoded: self.decoded.load(Ordering::Relaxed),
            largest_batch: self.largest_batch.load(Ordering::Relaxed),
        }
    }
}
