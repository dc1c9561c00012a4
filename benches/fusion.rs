//! Off-chain fusion speed against its floor: the two keccak256 calls `breed` must make.
//!
//! `cargo bench --bench fusion` prints criterion's figures for `breed`, the keccak floor alone,
//! and the lab operators, then one summary line: fusions/s per core and breed ÷ floor.

use chimera::fusion::{breed, fuse, BreedingLaw, LabOp};
use chimera::genome::Genome;
use criterion::{black_box, criterion_group, Criterion};
use keccak_asm::Keccak256;
use std::time::Instant;

fn parents() -> (Genome, Genome) {
    let mut a = [0u8; 40];
    let mut b = [0u8; 40];
    for i in 0..40 {
        a[i] = (i as u8).wrapping_mul(73).wrapping_add(5);
        b[i] = (i as u8).wrapping_mul(151).wrapping_add(99);
    }
    (Genome::from_bytes(a), Genome::from_bytes(b))
}

/// What breed cannot avoid: keccak256(seed ‖ 0) and keccak256(seed ‖ 1).
fn keccak_floor(seed: &[u8; 32]) -> [u8; 32] {
    let mut input = [0u8; 64];
    input[..32].copy_from_slice(seed);
    let w0: [u8; 32] = Keccak256::digest(input).into();
    input[63] = 1;
    let w1: [u8; 32] = Keccak256::digest(input).into();
    let mut out = w0;
    out[0] ^= w1[0];
    out
}

fn seed_of(i: u64) -> [u8; 32] {
    let mut seed = [0u8; 32];
    seed[..8].copy_from_slice(&i.to_le_bytes());
    seed
}

fn benches(c: &mut Criterion) {
    let (m, s) = parents();
    let law = BreedingLaw::ONCHAIN;
    let mut i = 0u64;
    c.bench_function("breed (on-chain law)", |b| {
        b.iter(|| {
            i += 1;
            breed(black_box(&m), black_box(&s), &seed_of(i), &law)
        })
    });
    c.bench_function("keccak floor (2 × keccak256 of 64 bytes)", |b| {
        b.iter(|| {
            i += 1;
            keccak_floor(black_box(&seed_of(i)))
        })
    });
    let four = [m, s, m.swapped(), s.swapped()];
    for op in ["crossover", "kpoint:3", "mean", "harmonic", "blend"] {
        let lab: LabOp = op.parse().unwrap();
        c.bench_function(&format!("lab {op} (4 parents)"), |b| {
            b.iter(|| {
                i += 1;
                fuse(black_box(&four), &lab, &seed_of(i), &law).unwrap()
            })
        });
    }
}

/// Both measured back to back in one process so the ratio compares like with like.
fn summary() {
    let (m, s) = parents();
    let law = BreedingLaw::ONCHAIN;
    let n = 2_000_000u64;
    let mut sink = 0u8;
    let t = Instant::now();
    for i in 0..n {
        sink ^= breed(&m, &s, &seed_of(i), &law).as_bytes()[0];
    }
    let breed_ns = t.elapsed().as_nanos() as f64 / n as f64;
    let t = Instant::now();
    for i in 0..n {
        sink ^= keccak_floor(&seed_of(i))[0];
    }
    let floor_ns = t.elapsed().as_nanos() as f64 / n as f64;
    println!(
        "\nsummary: breed {breed_ns:.0} ns = {:.2} M fusions/s per core; keccak floor {floor_ns:.0} ns; breed / floor = {:.2}× (goal ≤ 2×, ≥ 1 M/s) [{sink}]",
        1e3 / breed_ns,
        breed_ns / floor_ns
    );
}

criterion_group!(fusion, benches);

fn main() {
    fusion();
    Criterion::default().configure_from_args().final_summary();
    summary();
}
