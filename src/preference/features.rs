//! The feature map — what a model reads of a genome — and the per-gene table a linear model on it
//! compiles to.
//!
//! Today there is one map, [`FeatureMap::Latent`]: `Genome::features()`, the 160-d vector of 32
//! z values and 8 one-hot blocks of 16 (docs/genome.md, "Codecs"). It is an enum so a richer map
//! can be added as a variant; the solvers only ask a map for its [`Layout`] (dense columns first,
//! then one-hot blocks) and its rows.
//!
//! Every feature of the latent map depends on the main value of exactly one gene, so a linear
//! model on it is a lookup table: `score = bias + Σ_g T[g][main_g]` ([`GeneTable`]). Ranking,
//! nudge, the ideal and the exact breeding expectation all work on that table. The table is
//! compiled by probing the map (one gene changed at a time), not by restating the codec's layout,
//! and a unit test checks it against the dot product on random genomes.

use crate::genome::levels::LEVELS;
use crate::genome::{Gene, Genome, FEATURES, GENES};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// The map from a genome to the vector a model reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeatureMap {
    /// `Genome::features()`: 32 main z values, then a one-hot block of 16 per attribute slot.
    #[default]
    Latent,
}

/// How a map's vector is laid out: `dense` real-valued columns first, then one-hot blocks. The
/// solvers use it to build Gram products in O(nnz²) per row instead of O(dim²).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Leading real-valued columns.
    pub dense: usize,
    /// Sizes of the one-hot blocks that follow, in order.
    pub blocks: Vec<usize>,
}

impl Layout {
    /// Columns in all one-hot blocks together.
    pub fn sparse(&self) -> usize {
        self.blocks.iter().sum()
    }
}

impl FeatureMap {
    /// Length of the feature vector.
    pub fn dim(self) -> usize {
        match self {
            FeatureMap::Latent => FEATURES,
        }
    }

    /// The map's layout (dense columns, then one-hot blocks).
    pub fn layout(self) -> Layout {
        match self {
            // The codec's documented shape: 32 z values, then 8 slots × 16 values.
            FeatureMap::Latent => Layout {
                dense: crate::genome::CODE_GENES,
                blocks: vec![LEVELS; crate::genome::ATTR_GENES],
            },
        }
    }

    /// The gene each feature reads (every feature of today's maps reads exactly one).
    pub fn gene_of_feature(self) -> Vec<usize> {
        match self {
            FeatureMap::Latent => {
                let layout = self.layout();
                let mut genes: Vec<usize> = (0..layout.dense).collect();
                for (slot, size) in layout.blocks.iter().enumerate() {
                    genes.extend(std::iter::repeat_n(layout.dense + slot, *size));
                }
                genes
            }
        }
    }

    /// The feature vector of `genome` written into `out` (length `dim()`).
    pub fn write(self, genome: &Genome, out: &mut [f32]) {
        match self {
            FeatureMap::Latent => out.copy_from_slice(&genome.features()),
        }
    }

    /// The feature vector of `genome`.
    pub fn features(self, genome: &Genome) -> Vec<f32> {
        let mut out = vec![0f32; self.dim()];
        self.write(genome, &mut out);
        out
    }

    /// The structured row of `genome`: its dense values, and the sparse columns (indices counted
    /// from the first one-hot column) that are hot.
    pub(crate) fn row(self, genome: &Genome, dense: &mut [f64], hot: &mut Vec<u32>) {
        match self {
            FeatureMap::Latent => split_row(&genome.features(), &self.layout(), dense, hot),
        }
    }

    /// The table of the linear model `bias + weights · features(genome)`, from the map's probes:
    /// what each (gene, value) changes in the features relative to the all-zero genome. Exact for
    /// every map whose features each depend on one gene's main value (all of today's).
    pub fn gene_table(self, weights: &[f64], bias: f64) -> GeneTable {
        assert_eq!(
            weights.len(),
            self.dim(),
            "weights must match the feature map"
        );
        let probes = self.probes();
        let base: f64 = probes
            .base
            .iter()
            .zip(weights)
            .map(|(f, w)| *f as f64 * w)
            .sum();
        let mut values = [[0f64; LEVELS]; GENES];
        for (row, deltas) in values.iter_mut().zip(&probes.deltas) {
            for (cell, delta) in row.iter_mut().zip(deltas) {
                *cell = delta.iter().map(|(j, d)| weights[*j] * d).sum();
            }
        }
        GeneTable {
            bias: bias + base,
            values,
        }
    }

    /// The map's probes, computed once per map.
    fn probes(self) -> &'static Probes {
        static LATENT: OnceLock<Probes> = OnceLock::new();
        match self {
            FeatureMap::Latent => LATENT.get_or_init(|| Probes::of(self)),
        }
    }

    /// Squared latent distance between two feature vectors of this map.
    pub fn distance2(a: &[f32], b: &[f32]) -> f32 {
        a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
    }
}

/// What each (gene, value) does to a map's features, probed once: the compiled form of the map
/// that turns any weight vector into a [`GeneTable`] in a few hundred multiplications.
struct Probes {
    /// Features of the all-zero genome.
    base: Vec<f32>,
    /// `deltas[g][v]`: the features that change when gene g's main becomes v, and by how much.
    deltas: Vec<Vec<Vec<(usize, f64)>>>,
}

impl Probes {
    fn of(map: FeatureMap) -> Probes {
        let base_genome = Genome::default();
        let base = map.features(&base_genome);
        let deltas = (0..GENES)
            .map(|g| {
                (0..LEVELS)
                    .map(|v| {
                        let mut probe = base_genome;
                        probe.set_gene(g, Gene::new(v as u8, 0));
                        let f = map.features(&probe);
                        f.iter()
                            .zip(&base)
                            .enumerate()
                            .filter(|(_, (a, b))| a != b)
                            .map(|(j, (a, b))| (j, *a as f64 - *b as f64))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        Probes { base, deltas }
    }
}

/// Split a full feature vector into its dense head and the hot columns of its one-hot blocks.
fn split_row(full: &[f32], layout: &Layout, dense: &mut [f64], hot: &mut Vec<u32>) {
    for (d, f) in dense.iter_mut().zip(&full[..layout.dense]) {
        *d = *f as f64;
    }
    hot.clear();
    for (j, f) in full[layout.dense..].iter().enumerate() {
        if *f != 0.0 {
            hot.push(j as u32);
        }
    }
}

/// A gene-additive score: `bias + Σ_g values[g][main_g]`. What a linear model on a gene-additive
/// feature map compiles to, and what every fast path reads.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneTable {
    /// The constant term.
    pub bias: f64,
    /// `values[g][v]`: what main value v of gene g adds to the score.
    pub values: [[f64; LEVELS]; GENES],
}

impl GeneTable {
    /// The all-zero table.
    pub fn zero() -> Self {
        GeneTable {
            bias: 0.0,
            values: [[0.0; LEVELS]; GENES],
        }
    }

    /// The score of a genome (its main values only).
    #[inline]
    pub fn score(&self, genome: &Genome) -> f64 {
        let mut s = self.bias;
        for (row, byte) in self.values.iter().zip(genome.as_bytes()) {
            s += row[(byte >> 4) as usize];
        }
        s
    }

    /// The mean score of a uniformly random genome (the generator's prior).
    pub fn prior_mean(&self) -> f64 {
        self.bias
            + self
                .values
                .iter()
                .map(|r| r.iter().sum::<f64>() / LEVELS as f64)
                .sum::<f64>()
    }

    /// The highest score any genome reaches.
    pub fn max_score(&self) -> f64 {
        self.bias
            + self
                .values
                .iter()
                .map(|r| r.iter().cloned().fold(f64::MIN, f64::max))
                .sum::<f64>()
    }

    /// `self + w · other`, in place.
    pub fn add_scaled(&mut self, other: &GeneTable, w: f64) {
        self.bias += w * other.bias;
        for (a, b) in self.values.iter_mut().zip(&other.values) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += w * y;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha8Rng;
    use rand_core::{RngCore, SeedableRng};

    #[test]
    fn the_table_scores_like_the_dot_product() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let map = FeatureMap::Latent;
        let weights: Vec<f64> = (0..map.dim())
            .map(|_| (rng.next_u32() % 2001) as f64 / 1000.0 - 1.0)
            .collect();
        let table = map.gene_table(&weights, 0.3);
        for _ in 0..200 {
            let mut bytes = [0u8; 40];
            rng.fill_bytes(&mut bytes);
            let g = Genome::from_bytes(bytes);
            let direct: f64 = 0.3
                + map
                    .features(&g)
                    .iter()
                    .zip(&weights)
                    .map(|(f, w)| *f as f64 * w)
                    .sum::<f64>();
            assert!(
                (table.score(&g) - direct).abs() < 1e-9,
                "{} vs {direct}",
                table.score(&g)
            );
        }
    }

    #[test]
    fn rows_split_dense_and_hot_columns() {
        let mut bytes = [0u8; 40];
        bytes[32] = 0x50; // hair_colour 5
        bytes[39] = 0xf0; // background 15
        let mut dense = vec![0.0; 32];
        let mut hot = Vec::new();
        FeatureMap::Latent.row(&Genome::from_bytes(bytes), &mut dense, &mut hot);
        assert_eq!(hot, vec![5, 16, 32, 48, 64, 80, 96, 127]);
        assert!((dense[0] - crate::genome::level_to_z(0) as f64).abs() < 1e-12);
    }
}
