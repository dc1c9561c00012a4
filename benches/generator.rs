//! Portrait generator throughput: portraits/s decoded one per run vs batched (1, 8, 32, 64),
//! through the batcher under concurrent load, PNG encoding, and a cache hit.
//!
//! Runs against the real `models/generator.onnx` (or `CHIMERA_GENERATOR_MODEL`):
//! `cargo bench --bench generator`. Ends by printing portraits/s per batch size and the
//! batched/single ratio.

use chimera::generator::{self, BatchConfig, Generator, GeneratorConfig, Model, PortraitCache, RgbImage};
use chimera::genome::Genome;
use criterion::{criterion_group, BenchmarkId, Criterion, Throughput};
use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

const BATCHES: [usize; 4] = [1, 8, 32, 64];

fn model_path() -> PathBuf {
    let path = match std::env::var_os(generator::MODEL_ENV) {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join(generator::DEFAULT_MODEL),
    };
    assert!(
        path.is_file(),
        "the generator model is missing: {} does not exist (models/README.md says how it is made; \
         {} points the bench at another file)",
        path.display(),
        generator::MODEL_ENV
    );
    path
}

fn random_genomes(rng: &mut ChaCha8Rng, n: usize) -> Vec<Genome> {
    (0..n)
        .map(|_| Genome::random(rng))
        .collect()
}

fn decode(c: &mut Criterion) {
    let model = Model::load(&model_path(), None).unwrap_or_else(|e| panic!("{e}"));
    let genomes = random_genomes(&mut ChaCha8Rng::seed_from_u64(1), 64);
    let mut group = c.benchmark_group("decode");
    for batch in BATCHES {
        group.throughput(Throughput::Elements(batch as u64));
        group.bench_with_input(BenchmarkId::new("session_run", batch), &batch, |b, &batch| {
            b.iter(|| model.run(&genomes[..batch]).unwrap())
        });
    }
    group.finish();
}

fn serve(c: &mut Criterion) {
    // A one-entry cache, and fresh genomes every iteration, so every request is decoded.
    let config = GeneratorConfig {
        batch: BatchConfig { max_batch: 32, max_wait: Duration::from_millis(3) },
        cache_entries: 1,
        ..GeneratorConfig::new(model_path())
    };
    let generator = Generator::open(config).unwrap_or_else(|e| panic!("{e}"));
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).build().unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let mut group = c.benchmark_group("serve");
    for concurrent in [1usize, 64] {
        let before = generator.stats();
        group.throughput(Throughput::Elements(concurrent as u64));
        group.bench_function(BenchmarkId::new("concurrent_requests", concurrent), |b| {
            b.iter_batched(
                || random_genomes(&mut rng, concurrent),
                |genomes| {
                    runtime.block_on(async {
                        let tasks: Vec<_> = genomes
                            .into_iter()
                            .map(|g| {
                                let generator = generator.clone();
                                tokio::spawn(async move { generator.portrait(&g).await.unwrap() })
                            })
                            .collect();
                        for task in tasks {
                            task.await.unwrap();
                        }
                    })
                },
                criterion::BatchSize::SmallInput,
            )
        });
        let after = generator.stats();
        let (requests, runs) = (after.requests - before.requests, after.runs - before.runs);
        println!(
            "serve/{concurrent}: {requests} requests in {runs} runs, mean batch {:.1}",
            requests as f64 / runs as f64
        );
    }
    group.finish();
}

fn png_and_cache(c: &mut Criterion) {
    let generator = Generator::open(GeneratorConfig::new(model_path())).unwrap_or_else(|e| panic!("{e}"));
    let genome = random_genomes(&mut ChaCha8Rng::seed_from_u64(3), 1)[0];
    let portrait: Arc<RgbImage> = generator.portraits_blocking(&[genome]).unwrap().remove(0);
    let size = generator.size();
    let mut group = c.benchmark_group("png");
    group.bench_function(BenchmarkId::new("encode", size), |b| b.iter(|| portrait.to_png().unwrap()));
    let big = portrait.scaled(4 * size, 4 * size).unwrap();
    group.bench_function(BenchmarkId::new("encode", 4 * size), |b| b.iter(|| big.to_png().unwrap()));
    group.bench_function(BenchmarkId::new("scale_and_encode", 4 * size), |b| {
        b.iter(|| portrait.scaled(4 * size, 4 * size).unwrap().to_png().unwrap())
    });
    group.finish();

    let mut group = c.benchmark_group("cache");
    let cache = generator::MemoryCache::new(4096, 256 << 20);
    let key = generator.key(&genome);
    cache.put(key, portrait.clone());
    group.bench_function("memory_get", |b| b.iter(|| cache.get(&key).unwrap()));
    group.bench_function("portrait_hit", |b| b.iter(|| generator.portraits_blocking(&[genome]).unwrap()));
    group.finish();
}

/// Portraits/s per batch size, measured directly, and the batched/single ratio.
fn summary() {
    let model = Model::load(&model_path(), None).unwrap_or_else(|e| panic!("{e}"));
    let genomes = random_genomes(&mut ChaCha8Rng::seed_from_u64(4), 64);
    println!("\ngenerator {} ({}², model {:?})", model.path().display(), model.size(), model.hash());
    let mut single = 0.0;
    for batch in BATCHES {
        model.run(&genomes[..batch]).unwrap(); // warm-up
        let (start, mut portraits) = (Instant::now(), 0usize);
        while start.elapsed() < Duration::from_secs(2) {
            model.run(&genomes[..batch]).unwrap();
            portraits += batch;
        }
        let rate = portraits as f64 / start.elapsed().as_secs_f64();
        if batch == 1 {
            single = rate;
        }
        println!("batch {batch:>2}: {rate:>9.1} portraits/s  batched/single = {:.2}x", rate / single);
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    targets = decode, serve, png_and_cache
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    summary();
}
