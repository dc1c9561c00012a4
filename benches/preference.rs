//! The preference engine against its goals: fit on 1 000 labels (≤ 2 ms), rank 1 M genomes
//! (≤ 15 ms on one core), score one token by 100 000 owners' models (≤ 10 ms), and the exact
//! breeding expectation over every token as a mate.
//!
//! `cargo bench --bench preference` prints criterion's figures, then one summary table of
//! medians against the goals, measured back to back in this process.

use chimera::fusion::BreedingLaw;
use chimera::genome::Genome;
use chimera::preference::simulate::{random_swipes, SimulatedOwner};
use chimera::preference::steer::{expected_child_score, MateTable};
use chimera::preference::{FitOptions, GeneTable, ModelBank, Ranker, TasteModel};
use criterion::{black_box, criterion_group, Criterion};
use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use std::time::Instant;

fn genomes(n: usize, seed: u64) -> Vec<Genome> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n).map(|_| Genome::random(&mut rng)).collect()
}

fn random_table(rng: &mut ChaCha8Rng) -> GeneTable {
    let mut t = GeneTable::zero();
    t.bias = (rng.next_u32() % 1000) as f64 / 1000.0 - 0.5;
    for row in t.values.iter_mut() {
        for v in row.iter_mut() {
            *v = (rng.next_u32() % 2001) as f64 / 1000.0 - 1.0;
        }
    }
    t
}

/// Median wall time of `f` over `runs` runs, in milliseconds.
fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[runs / 2]
}

fn benches(c: &mut Criterion) {
    let owner = SimulatedOwner::new("attributes", 7);
    let book = random_swipes(&owner, 1000, 11);
    let ridge = FitOptions::default();
    let relevance = FitOptions {
        relevance: true,
        ..FitOptions::default()
    };
    let mut group = c.benchmark_group("preference");
    group.sample_size(20);
    group.bench_function("fit 1 000 swipes (L2, Newton)", |b| {
        b.iter(|| TasteModel::fit(black_box(&book), &ridge).unwrap())
    });
    group.bench_function("fit 1 000 swipes (per-gene relevance)", |b| {
        b.iter(|| TasteModel::fit(black_box(&book), &relevance).unwrap())
    });
    let model = TasteModel::fit(&book, &ridge).unwrap();
    let tokens = genomes(1_000_000, 3);
    let ranker = Ranker::new(model.table(0));
    group.bench_function("rank 1 M genomes, top 100", |b| {
        b.iter(|| ranker.top(black_box(&tokens), 100))
    });
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let tables: Vec<GeneTable> = (0..100_000).map(|_| random_table(&mut rng)).collect();
    let bank = ModelBank::new(&tables);
    let mut out = vec![0f32; bank.len()];
    group.bench_function("score 1 token by 100 000 models", |b| {
        b.iter(|| bank.log_odds_into(black_box(&tokens[0]), &mut out))
    });
    let law = BreedingLaw::ONCHAIN;
    group.bench_function("exact expected child score, one pair", |b| {
        b.iter(|| {
            expected_child_score(
                model.table(0),
                black_box(&tokens[1]),
                black_box(&tokens[2]),
                &law,
            )
        })
    });
    group.bench_function("exact expected child score, 1 M mates", |b| {
        b.iter(|| {
            let table = MateTable::new(model.table(0), &tokens[1], &law);
            tokens
                .iter()
                .map(|m| table.expected(m))
                .fold(f64::MIN, f64::max)
        })
    });
    group.finish();
}

/// The goals table, each figure a median of back-to-back runs.
fn summary() {
    let owner = SimulatedOwner::new("attributes", 7);
    let book = random_swipes(&owner, 1000, 11);
    let ridge = FitOptions::default();
    let relevance = FitOptions {
        relevance: true,
        ..FitOptions::default()
    };
    let fit_ms = median_ms(51, || {
        black_box(TasteModel::fit(&book, &ridge).unwrap());
    });
    let fit_rel_ms = median_ms(21, || {
        black_box(TasteModel::fit(&book, &relevance).unwrap());
    });
    let model = TasteModel::fit(&book, &ridge).unwrap();
    let tokens = genomes(1_000_000, 3);
    let ranker = Ranker::new(model.table(0));
    let rank_ms = median_ms(21, || {
        black_box(ranker.top(&tokens, 100));
    });
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let tables: Vec<GeneTable> = (0..100_000).map(|_| random_table(&mut rng)).collect();
    let bank = ModelBank::new(&tables);
    let mut out = vec![0f32; bank.len()];
    let mut i = 0;
    let bank_ms = median_ms(51, || {
        i += 1;
        bank.log_odds_into(&tokens[i], &mut out);
        black_box(&out);
    });
    let law = BreedingLaw::ONCHAIN;
    let steer_ms = median_ms(11, || {
        let table = MateTable::new(model.table(0), &tokens[1], &law);
        black_box(
            tokens
                .iter()
                .map(|m| table.expected(m))
                .fold(f64::MIN, f64::max),
        );
    });
    println!();
    println!("| what (one core) | median | goal |");
    println!("|---|---|---|");
    println!(
        "| fit 1 000 swipes, L2 Newton ({} steps) | {fit_ms:.2} ms | ≤ 2 ms |",
        model.summary().iterations
    );
    println!("| fit 1 000 swipes, per-gene relevance | {fit_rel_ms:.2} ms | — |");
    println!("| rank 1 M genomes, top 100 | {rank_ms:.2} ms | ≤ 15 ms |");
    println!("| 1 token × 100 000 models | {bank_ms:.2} ms | ≤ 10 ms |");
    println!("| exact expected child score, 1 M mates | {steer_ms:.2} ms | — |");
}

criterion_group!(preference_benches, benches);

fn main() {
    preference_benches();
    Criterion::default().configure_from_args().final_summary();
    summary();
}
