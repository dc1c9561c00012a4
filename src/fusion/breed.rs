//! `breed`: the on-chain fusion law — selection, crossover and mutation per gene, with its
//! randomness drawn from keccak256 over a seed in the order `docs/genome.md` fixes.
//!
//! `contracts/src/Fusion.sol` implements the same function; `tests/vectors/breed.hex` (generated
//! from this file by `chimera vectors`) holds both to byte-identical children.

use crate::genome::{gene_kind, GeneKind, Genome, GENES};
use keccak_asm::Keccak256;

/// The 32-byte seed of one birth. On chain it is
/// `keccak256(abi.encode(blockhash(birthBlock), pendingId, matronId, sireId))`.
pub type Seed = [u8; 32];

/// The seed `hatch` uses on chain:
/// `keccak256(abi.encode(blockhash(birthBlock), pendingId, matronId, sireId))`.
///
/// Here so that keepers, indexers and previews predict a child exactly as the contract makes it.
pub fn birth_seed(birth_block_hash: [u8; 32], pending_id: u64, matron_id: u64, sire_id: u64) -> Seed {
    let mut input = [0u8; 128];
    input[..32].copy_from_slice(&birth_block_hash);
    for (slot, id) in [pending_id, matron_id, sire_id].into_iter().enumerate() {
        let end = 32 * (slot + 2);
        input[end - 8..end].copy_from_slice(&id.to_be_bytes());
    }
    Keccak256::digest(input).into()
}

/// Per-gene probabilities of the breeding law, in the units the random bits are drawn in.
///
/// Integers rather than floats because the contract compares raw bits against them: a
/// probability is exactly `p_main / 8` and `mutation / 32`, with nothing to round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreedingLaw {
    /// Eighths (0..=8): chance that a parent passes its main value rather than its sub.
    pub p_main: [u8; GENES],
    /// Thirty-seconds (0..=32): chance that the child's main value mutates.
    pub mutation: [u8; GENES],
}

impl BreedingLaw {
    /// The law every on-chain birth follows: P_main = 6/8 = 0.75, mutation = 1/32, every gene.
    pub const ONCHAIN: BreedingLaw = BreedingLaw { p_main: [6; GENES], mutation: [1; GENES] };

    /// A law with per-gene overrides, checked against the units' ranges.
    pub fn new(p_main: [u8; GENES], mutation: [u8; GENES]) -> Result<Self, LawError> {
        if let Some(g) = p_main.iter().position(|p| *p > 8) {
            return Err(LawError::PMain { gene: g, value: p_main[g] });
        }
        if let Some(g) = mutation.iter().position(|m| *m > 32) {
            return Err(LawError::Mutation { gene: g, value: mutation[g] });
        }
        Ok(BreedingLaw { p_main, mutation })
    }

    /// P(a parent passes its main value at gene `g`).
    pub fn p_main(&self, g: usize) -> f64 {
        self.p_main[g] as f64 / 8.0
    }

    /// P(the child's main value at gene `g` mutates).
    pub fn mutation_rate(&self, g: usize) -> f64 {
        self.mutation[g] as f64 / 32.0
    }
}

impl Default for BreedingLaw {
    fn default() -> Self {
        BreedingLaw::ONCHAIN
    }
}

/// A breeding law with a probability outside its unit's range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LawError {
    /// `p_main` is counted in eighths.
    #[error("p_main of gene {gene} must be 0..=8 eighths, got {value}")]
    PMain {
        /// The gene index.
        gene: usize,
        /// The rejected value.
        value: u8,
    },
    /// `mutation` is counted in thirty-seconds.
    #[error("mutation of gene {gene} must be 0..=32 thirty-seconds, got {value}")]
    Mutation {
        /// The gene index.
        gene: usize,
        /// The rejected value.
        value: u8,
    },
}

/// Which parent and which of its values a child's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The matron's main value.
    MatronMain,
    /// The matron's sub value.
    MatronSub,
    /// The sire's main value.
    SireMain,
    /// The sire's sub value.
    SireSub,
}

/// How one gene of a child was formed: the explanation behind a birth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct GeneOrigin {
    /// Where the child's main value came from (before any mutation).
    pub main: Source,
    /// Where the child's sub value came from.
    pub sub: Source,
    /// Whether the main value then mutated.
    pub mutated: bool,
}

/// The child of `matron` and `sire` under `law`, seeded by `seed`. Deterministic and pure.
pub fn breed(matron: &Genome, sire: &Genome, seed: &Seed, law: &BreedingLaw) -> Genome {
    breed_inner(matron, sire, seed, law, None)
}

/// `breed`, also saying for every gene where its values came from and whether it mutated.
pub fn breed_explained(
    matron: &Genome,
    sire: &Genome,
    seed: &Seed,
    law: &BreedingLaw,
) -> (Genome, [GeneOrigin; GENES]) {
    let mut origins = [GeneOrigin { main: Source::MatronMain, sub: Source::SireMain, mutated: false };
        GENES];
    let child = breed_inner(matron, sire, seed, law, Some(&mut origins));
    (child, origins)
}

/// keccak256(seed ‖ uint256(counter)) as four little-endian u64 limbs (limb 0 = bits 0..63).
fn draw(seed: &Seed, counter: u8) -> [u64; 4] {
    let mut input = [0u8; 64];
    input[..32].copy_from_slice(seed);
    input[63] = counter;
    let word: [u8; 32] = Keccak256::digest(input).into();
    let limb = |i: usize| {
        let start = 32 - 8 * (i + 1);
        u64::from_be_bytes(word[start..start + 8].try_into().expect("8 bytes"))
    };
    [limb(0), limb(1), limb(2), limb(3)]
}

/// `width` (≤ 32) bits of a 256-bit word starting at bit `offset` from the least significant.
#[inline]
fn bits(word: &[u64; 4], offset: usize, width: usize) -> u32 {
    let (limb, shift) = (offset / 64, offset % 64);
    let mut v = word[limb] >> shift;
    if shift + width > 64 {
        v |= word[limb + 1] << (64 - shift);
    }
    (v & ((1u64 << width) - 1)) as u32
}

/// The mutated main value of gene kind `kind`, given its old value and a 5-bit detail.
#[inline]
pub(crate) fn mutate(kind: GeneKind, old: u8, detail: u32) -> u8 {
    let fresh = (detail >> 1) as u8 & 0x0f;
    match kind {
        GeneKind::Code if detail & 1 == 0 => {
            // Neighbouring level, up or down by the fresh value's low bit, reflecting at the ends.
            let up = fresh & 1 == 1;
            match (old, up) {
                (15, true) => 14,
                (0, false) => 1,
                (v, true) => v + 1,
                (v, false) => v - 1,
            }
        }
        GeneKind::Code | GeneKind::Attribute { .. } => fresh,
    }
}

fn breed_inner(
    matron: &Genome,
    sire: &Genome,
    seed: &Seed,
    law: &BreedingLaw,
    mut origins: Option<&mut [GeneOrigin; GENES]>,
) -> Genome {
    let words = [draw(seed, 0), draw(seed, 1)];
    let detail_pool = bits(&words[0], 240, 16) | (bits(&words[1], 240, 16) << 16);
    let (m_bytes, s_bytes) = (matron.as_bytes(), sire.as_bytes());
    let mut mutations = 0usize;
    let mut child = [0u8; GENES];
    for g in 0..GENES {
        let r = bits(&words[g / 20], 12 * (g % 20), 12);
        let (sel_m, sel_s, cross, mutate_draw) = (r & 7, (r >> 3) & 7, (r >> 6) & 1, r >> 7);
        let p_main = law.p_main[g] as u32;
        // A parent's contribution: the high nibble (main) or the low one (sub) of its byte.
        let a_main = sel_m < p_main;
        let b_main = sel_s < p_main;
        let a = if a_main { m_bytes[g] >> 4 } else { m_bytes[g] & 0x0f };
        let b = if b_main { s_bytes[g] >> 4 } else { s_bytes[g] & 0x0f };
        let (mut main, sub) = if cross == 0 { (a, b) } else { (b, a) };
        let mutated = mutate_draw < law.mutation[g] as u32;
        if mutated {
            let detail = (detail_pool >> (5 * (mutations % 6))) & 31;
            main = mutate(gene_kind(g), main, detail);
            mutations += 1;
        }
        child[g] = (main << 4) | sub;
        if let Some(o) = origins.as_deref_mut() {
            let a_src = if a_main { Source::MatronMain } else { Source::MatronSub };
            let b_src = if b_main { Source::SireMain } else { Source::SireSub };
            let (main, sub) = if cross == 0 { (a_src, b_src) } else { (b_src, a_src) };
            o[g] = GeneOrigin { main, sub, mutated };
        }
    }
    Genome::from_bytes(child)
}

/// The probability that gene `g` of a child shows each parent's main and sub value as its main,
/// before mutation: `[matron main, matron sub, sire main, sire sub]`. The four sum to 1. Exact
/// under the law (selection and crossover are independent fair draws), so previews and the
/// breeding steerer need no sampling for it.
pub fn main_source_odds(law: &BreedingLaw, g: usize) -> [f64; 4] {
    let p = law.p_main(g);
    [0.5 * p, 0.5 * (1.0 - p), 0.5 * p, 0.5 * (1.0 - p)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_cross_limb_boundaries() {
        let word = [u64::MAX << 60, 0b1011, 0, 1 << 63];
        assert_eq!(bits(&word, 60, 12), 0b1011_1111);
        assert_eq!(bits(&word, 255, 1), 1);
        assert_eq!(bits(&word, 0, 12), 0);
    }

    #[test]
    fn draw_is_keccak_of_seed_and_counter() {
        // keccak256 of 64 zero bytes, a published constant.
        let w = draw(&[0u8; 32], 0);
        assert_eq!(w[3] >> 32, 0xad3228b6);
        assert_eq!(w[0] & 0xffff_ffff, 0x97ba5fb5);
    }

    #[test]
    fn mutation_reflects_at_the_ends() {
        assert_eq!(mutate(GeneKind::Code, 15, 0b00010), 14); // up at the top
        assert_eq!(mutate(GeneKind::Code, 0, 0b00000), 1); // down at the bottom
        assert_eq!(mutate(GeneKind::Code, 7, 0b00010), 8);
        assert_eq!(mutate(GeneKind::Code, 7, 0b11011), 13); // fresh level 13
        assert_eq!(mutate(GeneKind::Attribute { slot: 2 }, 7, 0b11010), 13);
    }

    #[test]
    fn law_rejects_out_of_range_units() {
        let mut p = [6; GENES];
        p[3] = 9;
        assert_eq!(
            BreedingLaw::new(p, [1; GENES]).unwrap_err().to_string(),
            "p_main of gene 3 must be 0..=8 eighths, got 9"
        );
        assert!(BreedingLaw::new([8; GENES], [32; GENES]).is_ok());
    }
}
