//! Steer breeding: for a token, rank candidate mates by how much the owner will like their
//! children.
//!
//! The ranking is the **exact** expected score of a child under the on-chain law
//! (docs/genome.md, "Breeding"), not an estimate. The score is linear — a per-gene table — and a
//! child's genes are each formed from their own random bits, so the expectation is a sum over
//! genes of `Σ_v P(child main_g = v) · T[g][v]`. Per gene the child's main comes from one of four
//! values with [`main_source_odds`] (½ matron or sire, then main with `p_main/8` else sub), and
//! then with `mutation/32` it mutates; the mutation's effect is averaged over its 32 equally likely
//! details with the engine's own `mutate`, so the semantics live in one place. (The details share a
//! pool across genes, but each is uniform on its own, and an expectation only needs that.)
//!
//! That makes the expected child score `C(token) + Σ_g H_g[mate byte g]`: one 256-entry table per
//! gene, indexed by the mate's raw byte, so ranking every token as a mate costs what ranking them
//! does. The best few are then bred for real — `fusion::breed` with seeds drawn from the caller's
//! seed — to give P(child ≥ t) and the child-score histogram.

use super::fit::sigmoid;
use super::model::Objective;
use super::rank::top_k;
use super::{GeneTable, PreferenceError};
use crate::fusion::breed::mutate;
use crate::fusion::{breed, main_source_odds, BreedingLaw, Seed};
use crate::genome::levels::LEVELS;
use crate::genome::{gene_kind, Genome, GENES};
use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use serde::{Deserialize, Serialize};

/// How many mates to breed for real, and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SteerOptions {
    /// Mates returned: the best by exact expectation, each with a sampled distribution.
    pub shortlist: usize,
    /// Children bred per shortlisted mate.
    pub samples: usize,
    /// The probability t in P(child's probability ≥ t).
    pub threshold: f64,
    /// Histogram bins over the child's probability, 0..1.
    pub bins: usize,
    /// Seed of the sampled births.
    pub seed: Seed,
}

impl Default for SteerOptions {
    fn default() -> Self {
        SteerOptions {
            shortlist: 10,
            samples: 256,
            threshold: 0.9,
            bins: 10,
            seed: [0; 32],
        }
    }
}

/// What sampling a mate's children shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChildDistribution {
    /// Children bred.
    pub samples: usize,
    /// Their mean probability of the goal.
    pub mean_probability: f64,
    /// Their mean log-odds (tends to the exact expectation for a taste goal).
    pub mean_log_odds: f64,
    /// Share of children whose probability is at least `threshold`.
    pub p_at_least: f64,
    /// The threshold asked for.
    pub threshold: f64,
    /// Children per probability bin, `bins` equal bins over 0..1.
    pub histogram: Vec<u32>,
}

/// One candidate mate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MateScore {
    /// Position in the candidate list.
    pub index: usize,
    /// The exact expected score of a child (the goal's log-odds for a taste; for a class of a
    /// three-or-more-class model, its logit against the mean of the others).
    pub expected_score: f64,
    /// The sampled distribution of the children.
    pub children: ChildDistribution,
}

/// `T̃[g][v]`: the expected table value once mutation has had its chance, for a child whose main
/// would be v.
fn mutated_table(table: &GeneTable, law: &BreedingLaw) -> [[f64; LEVELS]; GENES] {
    let mut out = [[0.0; LEVELS]; GENES];
    for (g, (row, values)) in out.iter_mut().zip(&table.values).enumerate() {
        let mu = law.mutation_rate(g);
        let kind = gene_kind(g);
        for (v, cell) in row.iter_mut().enumerate() {
            let after: f64 = (0..32u32)
                .map(|d| values[mutate(kind, v as u8, d) as usize])
                .sum::<f64>()
                / 32.0;
            *cell = (1.0 - mu) * values[v] + mu * after;
        }
    }
    out
}

/// The exact expected table score of a child of `matron` and `sire` under `law`.
pub fn expected_child_score(
    table: &GeneTable,
    matron: &Genome,
    sire: &Genome,
    law: &BreedingLaw,
) -> f64 {
    let t = mutated_table(table, law);
    let mut e = table.bias;
    for (g, tg) in t.iter().enumerate() {
        let (m, s) = (matron.gene(g), sire.gene(g));
        let odds = main_source_odds(law, g);
        e += odds[0] * tg[m.main as usize]
            + odds[1] * tg[m.sub as usize]
            + odds[2] * tg[s.main as usize]
            + odds[3] * tg[s.sub as usize];
    }
    e
}

/// Expected child scores of one token with many mates: a constant for the token plus one
/// 256-entry table per gene over the mate's raw bytes.
#[derive(Debug, Clone)]
pub struct MateTable {
    /// The table's bias plus the token's own expected contribution.
    constant: f64,
    /// `bytes[g][b]`: what a mate whose gene g is byte b adds.
    bytes: Box<[[f64; 256]; GENES]>,
}

impl MateTable {
    /// Compile for one token.
    pub fn new(table: &GeneTable, token: &Genome, law: &BreedingLaw) -> Self {
        let t = mutated_table(table, law);
        let mut constant = table.bias;
        let mut bytes = Box::new([[0.0; 256]; GENES]);
        for g in 0..GENES {
            let odds = main_source_odds(law, g);
            let own = token.gene(g);
            constant += odds[0] * t[g][own.main as usize] + odds[1] * t[g][own.sub as usize];
            for (b, cell) in bytes[g].iter_mut().enumerate() {
                *cell = odds[2] * t[g][b >> 4] + odds[3] * t[g][b & 15];
            }
        }
        MateTable { constant, bytes }
    }

    /// The exact expected child score with `mate`.
    #[inline]
    pub fn expected(&self, mate: &Genome) -> f64 {
        let mut e = self.constant;
        for (row, b) in self.bytes.iter().zip(mate.as_bytes()) {
            e += row[*b as usize];
        }
        e
    }
}

/// Rank `mates` for `token`: the `shortlist` best by exact expected child score, best first, each
/// with the distribution of `samples` children bred by `fusion::breed`.
pub fn steer(
    objective: &Objective,
    token: &Genome,
    mates: &[Genome],
    law: &BreedingLaw,
    options: &SteerOptions,
) -> Result<Vec<MateScore>, PreferenceError> {
    if options.bins == 0 || !(0.0..=1.0).contains(&options.threshold) {
        return Err(PreferenceError::InvalidOption(format!(
            "steer needs bins ≥ 1 and a threshold in 0..=1, got {} and {}",
            options.bins, options.threshold
        )));
    }
    let table = objective.linear();
    let mate_table = MateTable::new(&table, token, law);
    let best = top_k(mates.len(), options.shortlist, |i| {
        mate_table.expected(&mates[i]) as f32
    });
    let mut rng = ChaCha8Rng::from_seed(options.seed);
    Ok(best
        .into_iter()
        .map(|(index, _)| {
            let children = sample_children(objective, token, &mates[index], law, options, &mut rng);
            MateScore {
                index,
                expected_score: mate_table.expected(&mates[index]),
                children,
            }
        })
        .collect())
}

/// Breed `samples` children of `token` × `mate` and summarise the goal's probability over them.
fn sample_children(
    objective: &Objective,
    token: &Genome,
    mate: &Genome,
    law: &BreedingLaw,
    options: &SteerOptions,
    rng: &mut ChaCha8Rng,
) -> ChildDistribution {
    let mut histogram = vec![0u32; options.bins];
    let (mut sum_p, mut sum_l, mut above) = (0.0, 0.0, 0usize);
    for _ in 0..options.samples {
        let mut seed = [0u8; 32];
        rng.fill_bytes(&mut seed);
        let child = breed(token, mate, &seed, law);
        let l = objective.log_odds(&child);
        let p = sigmoid(l);
        sum_p += p;
        sum_l += l;
        above += (p >= options.threshold) as usize;
        histogram[((p * options.bins as f64) as usize).min(options.bins - 1)] += 1;
    }
    let n = options.samples.max(1) as f64;
    ChildDistribution {
        samples: options.samples,
        mean_probability: sum_p / n,
        mean_log_odds: sum_l / n,
        p_at_least: above as f64 / n,
        threshold: options.threshold,
        histogram,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_mutation_and_with_pure_mains_the_child_is_the_parents_average() {
        let mut t = GeneTable::zero();
        t.values[5][3] = 2.0;
        t.values[34][7] = -1.0;
        let law = BreedingLaw::new([8; GENES], [0; GENES]).unwrap();
        let mut a = Genome::default();
        a.set_gene(5, crate::genome::Gene::new(3, 3));
        let mut b = Genome::default();
        b.set_gene(34, crate::genome::Gene::new(7, 0));
        let e = expected_child_score(&t, &a, &b, &law);
        assert!((e - (0.5 * 2.0 - 0.5)).abs() < 1e-12, "{e}");
        let mt = MateTable::new(&t, &a, &law);
        assert!((mt.expected(&b) - e).abs() < 1e-12);
    }
}
