//! The portrait generator: genomes in, PNG portraits out, through `models/generator.onnx`.
//!
//! ## Layout
//!
//! - [`Generator`] (this file) — the handle the CLI and the API hold: opens the model, owns the
//!   batcher and the cache, and answers `portrait`, `png` and `contact_sheet` requests. Cheap to
//!   clone; the last clone dropped (or [`Generator::shutdown`]) stops the batching thread.
//! - [`runtime`] — the process's one ONNX Runtime environment and where its library is found.
//! - [`model`] — the ONNX session, checked at load against "The generator's interface" in
//!   `docs/genome.md`; one blocking `run` per batch of genomes.
//! - [`batcher`] — dynamic batching: concurrent requests gathered into one run on a dedicated
//!   thread, with an explicit owner for that thread and its shutdown.
//! - [`cache`] — portraits keyed by (model hash, main genes), behind the [`PortraitCache`] trait a
//!   store can implement; [`MemoryCache`] is the bounded in-memory LRU.
//! - [`image`] — RGB8 pictures: conversion from the model's output, crisp scaling, PNG encoding.
//! - [`sheet`] — contact sheets: grids of portraits with optional row and column numbers.
//! - [`stats`] — counters (requests, cache hits, runs, batch sizes) for tests, benches and ops.
//! - [`error`] — [`GeneratorError`], the one error type of this boundary.
//!
//! Inference and PNG encoding never run on the async runtime: inference on the batching thread,
//! encoding in `spawn_blocking`. The CLI's entry points are [`render_png`] and
//! [`contact_sheet_png`], which block.

pub mod batcher;
pub mod cache;
pub mod error;
pub mod image;
pub mod model;
pub mod runtime;
pub mod sheet;
pub mod stats;

pub use batcher::BatchConfig;
pub use cache::{MemoryCache, PortraitCache, PortraitKey};
pub use error::GeneratorError;
pub use image::RgbImage;
pub use model::{Model, ModelHash};
pub use sheet::{ContactSheet, SheetLayout};
pub use stats::GeneratorStats;

use crate::genome::Genome;
use batcher::{Answer, Batcher};
use stats::Counters;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::oneshot;

/// The environment variable that overrides where the generator model is read from.
pub const MODEL_ENV: &str = "CHIMERA_GENERATOR_MODEL";
/// Where the generator model lives in a checkout.
pub const DEFAULT_MODEL: &str = "models/generator.onnx";

/// The model path to use when none is given: `$CHIMERA_GENERATOR_MODEL`, else
/// `models/generator.onnx` (relative to the working directory).
pub fn default_model_path() -> PathBuf {
    match std::env::var_os(MODEL_ENV) {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => PathBuf::from(DEFAULT_MODEL),
    }
}

/// How to open a [`Generator`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratorConfig {
    /// The ONNX model file.
    pub model: PathBuf,
    /// How requests are gathered into runs.
    pub batch: BatchConfig,
    /// Most portraits the in-memory cache keeps.
    pub cache_entries: usize,
    /// Most pixel bytes the in-memory cache keeps.
    pub cache_bytes: usize,
    /// ONNX Runtime intra-op threads; None: its default (one per core).
    pub threads: Option<usize>,
}

impl GeneratorConfig {
    /// Defaults for the model at `model`: [`BatchConfig::default`], a cache of 4096 portraits or
    /// 256 MiB.
    pub fn new(model: impl Into<PathBuf>) -> Self {
        GeneratorConfig {
            model: model.into(),
            batch: BatchConfig::default(),
            cache_entries: 4096,
            cache_bytes: 256 << 20,
            threads: None,
        }
    }
}

impl Default for GeneratorConfig {
    /// [`GeneratorConfig::new`] at [`default_model_path`].
    fn default() -> Self {
        GeneratorConfig::new(default_model_path())
    }
}

/// A loaded generator with its batcher and cache. Clone it freely: clones share everything.
#[derive(Clone)]
pub struct Generator {
    /// What the clones share.
    shared: Arc<Shared>,
}

/// The state behind every clone of a [`Generator`].
struct Shared {
    /// The model, also held by the batching thread.
    model: Arc<Model>,
    /// Decoded portraits; checked before a request is queued and again by the batching thread.
    cache: Arc<dyn PortraitCache>,
    /// Owns the batching thread; dropped with the last clone, which shuts it down.
    batcher: Batcher,
    /// Request and batch counters.
    counters: Arc<Counters>,
}

impl std::fmt::Debug for Generator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Generator").field("model", &self.shared.model).finish_non_exhaustive()
    }
}

impl Generator {
    /// Load the model, check it, and start the batching thread, with an in-memory cache.
    pub fn open(config: GeneratorConfig) -> Result<Generator, GeneratorError> {
        let cache = Arc::new(MemoryCache::new(config.cache_entries, config.cache_bytes));
        Generator::open_with_cache(config, cache)
    }

    /// As [`Generator::open`], with portraits kept in `cache` (e.g. the store).
    pub fn open_with_cache(
        config: GeneratorConfig,
        cache: Arc<dyn PortraitCache>,
    ) -> Result<Generator, GeneratorError> {
        let model = Arc::new(Model::load(&config.model, config.threads)?);
        let counters = Arc::new(Counters::default());
        let batcher = Batcher::start(model.clone(), cache.clone(), config.batch, counters.clone())?;
        Ok(Generator { shared: Arc::new(Shared { model, cache, batcher, counters }) })
    }

    /// The model's portrait side in pixels: the size of every portrait before scaling.
    pub fn size(&self) -> u32 {
        self.shared.model.size()
    }

    /// The loaded model.
    pub fn model(&self) -> &Model {
        &self.shared.model
    }

    /// The cache key of `genome`'s portrait under this model.
    pub fn key(&self, genome: &Genome) -> PortraitKey {
        PortraitKey::new(self.shared.model.hash(), genome)
    }

    /// `genome`'s portrait at the model's size: from the cache, or decoded in the next batch.
    pub async fn portrait(&self, genome: &Genome) -> Result<Arc<RgbImage>, GeneratorError> {
        match self.request(genome) {
            Ok(portrait) => Ok(portrait),
            Err(answer) => receive(answer.await),
        }
    }

    /// Portraits of several genomes, in order; all are queued before any is awaited, so they
    /// share runs.
    pub async fn portraits(&self, genomes: &[Genome]) -> Result<Vec<Arc<RgbImage>>, GeneratorError> {
        let pending: Vec<_> = genomes.iter().map(|g| self.request(g)).collect();
        let mut portraits = Vec::with_capacity(pending.len());
        for request in pending {
            portraits.push(match request {
                Ok(portrait) => portrait,
                Err(answer) => receive(answer.await)?,
            });
        }
        Ok(portraits)
    }

    /// [`Generator::portraits`] for synchronous callers (the CLI). Panics if called from inside
    /// an async runtime, where it would block a worker: use `portraits` there.
    pub fn portraits_blocking(&self, genomes: &[Genome]) -> Result<Vec<Arc<RgbImage>>, GeneratorError> {
        let pending: Vec<_> = genomes.iter().map(|g| self.request(g)).collect();
        pending
            .into_iter()
            .map(|request| match request {
                Ok(portrait) => Ok(portrait),
                Err(answer) => receive(answer.blocking_recv()),
            })
            .collect()
    }

    /// `genome`'s portrait as PNG, `size` pixels a side (None: the model's size). Scaling and
    /// encoding run on Tokio's blocking pool.
    pub async fn png(&self, genome: &Genome, size: Option<u32>) -> Result<Vec<u8>, GeneratorError> {
        let portrait = self.portrait(genome).await?;
        let size = size.unwrap_or(portrait.width());
        blocking(move || portrait.scaled(size, size)?.to_png()).await
    }

    /// A contact sheet as PNG. Composition and encoding run on Tokio's blocking pool.
    pub async fn contact_sheet(&self, sheet: &ContactSheet) -> Result<Vec<u8>, GeneratorError> {
        let grid = sheet.grid()?;
        let portraits = self.portraits(&grid.concat()).await?;
        let (sheet, cell) = (sheet.clone(), sheet.cell.unwrap_or(self.size()));
        blocking(move || sheet.compose(&regrid(&grid, portraits), cell)?.to_png()).await
    }

    /// What the generator has done since it was opened.
    pub fn stats(&self) -> GeneratorStats {
        self.shared.counters.snapshot(self.shared.model.runs())
    }

    /// Stop the batching thread after it answers what is queued; later requests fail with
    /// [`GeneratorError::ShutDown`]. Dropping the last clone does the same.
    pub fn shutdown(&self) {
        self.shared.batcher.shutdown();
    }

    /// The cached portrait (Ok), or the channel its answer will come on (Err).
    fn request(&self, genome: &Genome) -> Result<Arc<RgbImage>, oneshot::Receiver<Answer>> {
        let shared = &self.shared;
        Counters::bump(&shared.counters.requests);
        let key = self.key(genome);
        if let Some(portrait) = shared.cache.get(&key) {
            Counters::bump(&shared.counters.cache_hits);
            return Ok(portrait);
        }
        Err(shared.batcher.submit(key, *genome))
    }
}

/// An answer from the batching thread; a dropped sender means the thread is gone.
fn receive(answer: Result<Answer, oneshot::error::RecvError>) -> Answer {
    answer.unwrap_or(Err(GeneratorError::ShutDown))
}

/// Run CPU work (scaling, encoding) on Tokio's blocking pool.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, GeneratorError> + Send + 'static,
) -> Result<T, GeneratorError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| GeneratorError::Png(format!("encoding task failed: {e}")))?
}

/// Split a flat list of portraits back into `grid`'s rows.
fn regrid(grid: &[Vec<Genome>], portraits: Vec<Arc<RgbImage>>) -> Vec<Vec<Arc<RgbImage>>> {
    let mut portraits = portraits.into_iter();
    grid.iter().map(|row| portraits.by_ref().take(row.len()).collect()).collect()
}

/// `chimera portrait`: one genome's portrait as PNG bytes, `size` pixels a side (None: the
/// model's size), with the generator at `model`. Blocking; loads the model for this one call.
pub fn render_png(model: &Path, genome: &Genome, size: Option<u32>) -> Result<Vec<u8>, GeneratorError> {
    let generator = Generator::open(GeneratorConfig::new(model))?;
    let portrait = generator.portraits_blocking(std::slice::from_ref(genome))?.remove(0);
    let size = size.unwrap_or(portrait.width());
    portrait.scaled(size, size)?.to_png()
}

/// `chimera sheet`: a contact sheet as PNG bytes, with the generator at `model`. Blocking; loads
/// the model for this one call and decodes the whole sheet in batches.
pub fn contact_sheet_png(model: &Path, sheet: &ContactSheet) -> Result<Vec<u8>, GeneratorError> {
    let generator = Generator::open(GeneratorConfig::new(model))?;
    let grid = sheet.grid()?;
    let portraits = generator.portraits_blocking(&grid.concat())?;
    sheet.compose(&regrid(&grid, portraits), sheet.cell.unwrap_or(generator.size()))?.to_png()
}
