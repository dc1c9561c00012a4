//! Off-chain "lab" fusion: every operator of the fusion patent beyond the on-chain law —
//! k-point crossover, arithmetic means of latent values, perturbation, logic on attributes —
//! for any number of parents. Never minted; seeded explicitly so a preview is reproducible.

use super::breed::{mutate, BreedingLaw, Seed};
use crate::genome::{gene_kind, level_to_z, z_to_level, Gene, GeneKind, Genome, CODE_GENES, GENES};
use crate::genome::levels::{normal_cdf, normal_quantile};
use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

/// A lab operator (docs/genome.md, "Off-chain fusion"). Parsed from the CLI/API spelling
/// `name` or `name:argument`, e.g. `kpoint:3`, `weighted:2,1`, `perturb:0.3`.
#[derive(Debug, Clone, PartialEq)]
pub enum LabOp {
    /// Uniform per-gene crossover over all parents with main/sub selection, then mutation.
    Crossover,
    /// K cut points over the 40 genes; segments cycle through the parents; then mutation.
    KPoint(usize),
    /// Arithmetic mean of latent values; attributes picked uniformly among parents.
    Mean,
    /// Weighted mean (one non-negative weight per parent); attributes picked ∝ weight.
    Weighted(Vec<f64>),
    /// Geometric mean of the bin probabilities Φ(z).
    Geometric,
    /// Harmonic mean of the bin probabilities Φ(z).
    Harmonic,
    /// Log-mean-exp of z: leans towards the larger values.
    Exponential,
    /// Arithmetic mean plus N(0, σ²) noise per code gene.
    Perturb(f64),
    /// Mean code; bitwise OR of attribute values.
    Or,
    /// Mean code; bitwise AND of attribute values.
    And,
    /// Mean code; bitwise XOR of attribute values.
    Xor,
    /// Mean code; `15 − v` of the first parent's attribute values.
    Not,
    /// The documented combination: mean on code, crossover on attributes, then mutation.
    Blend,
}

/// Why a lab fusion could not run. Messages name the operator and what it needs.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FusionError {
    /// Too few parents for the operator.
    #[error("{op} needs at least {need} parents, got {got}")]
    NotEnoughParents {
        /// The operator's name.
        op: &'static str,
        /// How many it needs.
        need: usize,
        /// How many were given.
        got: usize,
    },
    /// An operator argument was malformed.
    #[error("{0}")]
    BadArgument(String),
    /// The operator name is unknown.
    #[error("unknown fusion operator \"{0}\" (known: crossover, kpoint:K, mean, weighted:w1,w2,…, geometric, harmonic, exponential, perturb:σ, or, and, xor, not, blend)")]
    UnknownOp(String),
}

impl LabOp {
    /// The operator's name as spelled on the command line.
    pub fn name(&self) -> &'static str {
        match self {
            LabOp::Crossover => "crossover",
            LabOp::KPoint(_) => "kpoint",
            LabOp::Mean => "mean",
            LabOp::Weighted(_) => "weighted",
            LabOp::Geometric => "geometric",
            LabOp::Harmonic => "harmonic",
            LabOp::Exponential => "exponential",
            LabOp::Perturb(_) => "perturb",
            LabOp::Or => "or",
            LabOp::And => "and",
            LabOp::Xor => "xor",
            LabOp::Not => "not",
            LabOp::Blend => "blend",
        }
    }

    fn min_parents(&self) -> usize {
        match self {
            LabOp::Not | LabOp::Perturb(_) => 1,
            _ => 2,
        }
    }
}

impl std::str::FromStr for LabOp {
    type Err = FusionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (name, arg) = match s.split_once(':') {
            Some((n, a)) => (n, Some(a)),
            None => (s, None),
        };
        let need_arg = |what: &str| {
            arg.ok_or_else(|| FusionError::BadArgument(format!("{name} needs an argument: {name}:{what}")))
        };
        let op = match name {
            "crossover" => LabOp::Crossover,
            "kpoint" => {
                let k = need_arg("K")?;
                let k: usize = k.parse().map_err(|_| {
                    FusionError::BadArgument(format!("kpoint:K needs a whole number K, got \"{k}\""))
                })?;
                if !(1..GENES).contains(&k) {
                    return Err(FusionError::BadArgument(format!("kpoint:K needs 1 ≤ K ≤ 39, got {k}")));
                }
                LabOp::KPoint(k)
            }
            "mean" => LabOp::Mean,
            "weighted" => {
                let list = need_arg("w1,w2,…")?;
                let weights = list
                    .split(',')
                    .map(|w| w.trim().parse::<f64>().map_err(|_| {
                        FusionError::BadArgument(format!("weighted: \"{w}\" is not a number"))
                    }))
                    .collect::<Result<Vec<_>, _>>()?;
                LabOp::Weighted(weights)
            }
            "geometric" => LabOp::Geometric,
            "harmonic" => LabOp::Harmonic,
            "exponential" => LabOp::Exponential,
            "perturb" => {
                let sigma = need_arg("σ")?;
                let sigma: f64 = sigma.parse().map_err(|_| {
                    FusionError::BadArgument(format!("perturb:σ needs a number, got \"{sigma}\""))
                })?;
                if !(0.0..=3.0).contains(&sigma) {
                    return Err(FusionError::BadArgument(format!("perturb:σ needs 0 ≤ σ ≤ 3, got {sigma}")));
                }
                LabOp::Perturb(sigma)
            }
            "or" => LabOp::Or,
            "and" => LabOp::And,
            "xor" => LabOp::Xor,
            "not" => LabOp::Not,
            "blend" => LabOp::Blend,
            other => return Err(FusionError::UnknownOp(other.to_string())),
        };
        if arg.is_some() && !matches!(op, LabOp::KPoint(_) | LabOp::Weighted(_) | LabOp::Perturb(_)) {
            return Err(FusionError::BadArgument(format!("{name} takes no argument")));
        }
        Ok(op)
    }
}

/// Fuse `parents` with a lab operator. Selection and mutation follow `law`; randomness is
/// ChaCha8 seeded with `seed`, so the same call always gives the same child.
pub fn fuse(parents: &[Genome], op: &LabOp, seed: &Seed, law: &BreedingLaw) -> Result<Genome, FusionError> {
    if parents.len() < op.min_parents() {
        return Err(FusionError::NotEnoughParents { op: op.name(), need: op.min_parents(), got: parents.len() });
    }
    let mut rng = ChaCha8Rng::from_seed(*seed);
    let weights = match op {
        LabOp::Weighted(w) => {
            if w.len() != parents.len() {
                return Err(FusionError::BadArgument(format!(
                    "weighted needs one weight per parent: {} weights for {} parents",
                    w.len(),
                    parents.len()
                )));
            }
            if w.iter().any(|x| !x.is_finite() || *x < 0.0) || w.iter().sum::<f64>() <= 0.0 {
                return Err(FusionError::BadArgument(
                    "weighted needs finite weights ≥ 0 with a positive sum".into(),
                ));
            }
            w.clone()
        }
        _ => vec![1.0; parents.len()],
    };
    let child = match op {
        LabOp::Crossover => with_mutation(select_genes(parents, law, &mut rng, |_, rng| uniform(rng, parents.len())), law, &mut rng),
        LabOp::KPoint(k) => {
            let cuts = cut_points(*k, &mut rng);
            let segment = |g: usize| cuts.iter().filter(|c| **c <= g).count();
            with_mutation(select_genes(parents, law, &mut rng, |g, _| segment(g) % parents.len()), law, &mut rng)
        }
        LabOp::Blend => {
            let mut child = select_genes(parents, law, &mut rng, |_, rng| uniform(rng, parents.len()));
            for g in 0..CODE_GENES {
                child.set_gene(g, average_code_gene(parents, g, &weights, &LabOp::Mean, &mut rng));
            }
            with_mutation(child, law, &mut rng)
        }
        arithmetic => {
            let mut child = Genome::default();
            for g in 0..GENES {
                let gene = match gene_kind(g) {
                    GeneKind::Code => average_code_gene(parents, g, &weights, arithmetic, &mut rng),
                    GeneKind::Attribute { .. } => attribute_gene(parents, g, &weights, arithmetic, &mut rng),
                };
                child.set_gene(g, gene);
            }
            child
        }
    };
    Ok(child)
}

/// A uniform index below `n`.
fn uniform(rng: &mut ChaCha8Rng, n: usize) -> usize {
    (rng.next_u64() % n as u64) as usize
}

/// A uniform float in [0, 1).
fn unit(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// `k` distinct cut points in 1..40, sorted: gene g lies in segment #{cuts ≤ g}.
fn cut_points(k: usize, rng: &mut ChaCha8Rng) -> Vec<usize> {
    let mut all: Vec<usize> = (1..GENES).collect();
    for i in 0..k {
        let j = i + uniform(rng, all.len() - i);
        all.swap(i, j);
    }
    let mut cuts = all[..k].to_vec();
    cuts.sort_unstable();
    cuts
}

/// Main/sub selection per gene: the parent chosen by `pick` gives the main contribution, the
/// next parent in order the sub — each passing its main with probability `p_main`.
fn select_genes(
    parents: &[Genome],
    law: &BreedingLaw,
    rng: &mut ChaCha8Rng,
    mut pick: impl FnMut(usize, &mut ChaCha8Rng) -> usize,
) -> Genome {
    let mut child = Genome::default();
    for g in 0..GENES {
        let first = pick(g, rng);
        let second = (first + 1 + uniform(rng, parents.len() - 1)) % parents.len();
        let contribution = |p: usize, rng: &mut ChaCha8Rng| {
            let gene = parents[p].gene(g);
            if (rng.next_u32() & 7) < law.p_main[g] as u32 { gene.main } else { gene.sub }
        };
        let main = contribution(first, rng);
        let sub = contribution(second, rng);
        child.set_gene(g, Gene { main, sub });
    }
    child
}

/// Mutate each gene's main value with the law's per-gene rate, as `breed` does.
fn with_mutation(mut child: Genome, law: &BreedingLaw, rng: &mut ChaCha8Rng) -> Genome {
    for g in 0..GENES {
        if (rng.next_u32() & 31) < law.mutation[g] as u32 {
            let gene = child.gene(g);
            let main = mutate(gene_kind(g), gene.main, rng.next_u32() & 31);
            child.set_gene(g, Gene { main, ..gene });
        }
    }
    child
}

/// A code gene whose main (sub) is the operator's mean of the parents' main (sub) latent values.
fn average_code_gene(parents: &[Genome], g: usize, weights: &[f64], op: &LabOp, rng: &mut ChaCha8Rng) -> Gene {
    let mut value = |which: fn(Gene) -> u8| -> u8 {
        let zs: Vec<f64> = parents.iter().map(|p| level_to_z(which(p.gene(g))) as f64).collect();
        let n = zs.len() as f64;
        let arithmetic = || zs.iter().zip(weights).map(|(z, w)| z * w).sum::<f64>() / weights.iter().sum::<f64>();
        let z = match op {
            LabOp::Geometric => normal_quantile((zs.iter().map(|z| normal_cdf(*z).ln()).sum::<f64>() / n).exp()),
            LabOp::Harmonic => normal_quantile(n / zs.iter().map(|z| 1.0 / normal_cdf(*z)).sum::<f64>()),
            LabOp::Exponential => (zs.iter().map(|z| z.exp()).sum::<f64>() / n).ln(),
            LabOp::Perturb(sigma) => arithmetic() + sigma * standard_normal(rng),
            _ => arithmetic(),
        };
        z_to_level(z)
    };
    let main = value(|g| g.main);
    let sub = value(|g| g.sub);
    Gene { main, sub }
}

/// An attribute gene under an arithmetic or logical operator.
fn attribute_gene(parents: &[Genome], g: usize, weights: &[f64], op: &LabOp, rng: &mut ChaCha8Rng) -> Gene {
    let fold = |which: fn(Gene) -> u8, f: fn(u8, u8) -> u8| {
        parents.iter().map(|p| which(p.gene(g))).reduce(f).expect("at least one parent")
    };
    match op {
        LabOp::Or => Gene { main: fold(|g| g.main, |a, b| a | b), sub: fold(|g| g.sub, |a, b| a | b) },
        LabOp::And => Gene { main: fold(|g| g.main, |a, b| a & b), sub: fold(|g| g.sub, |a, b| a & b) },
        LabOp::Xor => Gene { main: fold(|g| g.main, |a, b| a ^ b), sub: fold(|g| g.sub, |a, b| a ^ b) },
        LabOp::Not => {
            let first = parents[0].gene(g);
            Gene { main: 15 - first.main, sub: 15 - first.sub }
        }
        _ => {
            let main = parents[weighted_pick(weights, rng)].gene(g).main;
            let sub = parents[weighted_pick(weights, rng)].gene(g).sub;
            Gene { main, sub }
        }
    }
}

/// An index drawn with probability ∝ weight (weights validated: finite, ≥ 0, positive sum).
fn weighted_pick(weights: &[f64], rng: &mut ChaCha8Rng) -> usize {
    let mut x = unit(rng) * weights.iter().sum::<f64>();
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.iter().rposition(|w| *w > 0.0).expect("a positive weight")
}

/// One N(0, 1) draw by Box–Muller.
fn standard_normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1 = unit(rng).max(f64::MIN_POSITIVE);
    let u2 = unit(rng);
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn genome(byte: u8) -> Genome {
        Genome::from_bytes([byte; GENES])
    }

    #[test]
    fn parses_every_spelling_and_rejects_bad_ones() {
        for s in ["crossover", "kpoint:3", "mean", "weighted:1,2", "geometric", "harmonic", "exponential", "perturb:0.5", "or", "and", "xor", "not", "blend"] {
            assert!(s.parse::<LabOp>().is_ok(), "{s}");
        }
        assert_eq!("kpoint:0".parse::<LabOp>().unwrap_err().to_string(), "kpoint:K needs 1 ≤ K ≤ 39, got 0");
        assert!("kpoint".parse::<LabOp>().unwrap_err().to_string().contains("needs an argument"));
        assert!("mean:3".parse::<LabOp>().unwrap_err().to_string().contains("takes no argument"));
        assert!(matches!("splice".parse::<LabOp>(), Err(FusionError::UnknownOp(_))));
    }

    #[test]
    fn mean_of_identical_parents_is_the_parent() {
        let p = genome(0x5a);
        let law = BreedingLaw::ONCHAIN;
        for op in [LabOp::Mean, LabOp::Geometric, LabOp::Harmonic, LabOp::Exponential, LabOp::Weighted(vec![1.0, 3.0])] {
            let child = fuse(&[p, p], &op, &[7; 32], &law).unwrap();
            assert_eq!(child, p, "{op:?}");
        }
    }

    #[test]
    fn mean_lies_between_the_parents_and_exponential_leans_high() {
        let (lo, hi) = (genome(0x22), genome(0xdd));
        let law = BreedingLaw::ONCHAIN;
        let mean = fuse(&[lo, hi], &LabOp::Mean, &[1; 32], &law).unwrap();
        let exp = fuse(&[lo, hi], &LabOp::Exponential, &[1; 32], &law).unwrap();
        for g in 0..CODE_GENES {
            let m = mean.gene(g).main;
            assert!((2..=13).contains(&m));
            assert!(exp.gene(g).main >= m);
        }
    }

    #[test]
    fn logic_on_attributes() {
        let (a, b) = (genome(0x35), genome(0x6c));
        let law = BreedingLaw::ONCHAIN;
        let or = fuse(&[a, b], &LabOp::Or, &[0; 32], &law).unwrap();
        let and = fuse(&[a, b], &LabOp::And, &[0; 32], &law).unwrap();
        let not = fuse(&[a], &LabOp::Not, &[0; 32], &law).unwrap();
        assert_eq!(or.gene(32), Gene { main: 0x3 | 0x6, sub: 0x5 | 0xc });
        assert_eq!(and.gene(39), Gene { main: 0x3 & 0x6, sub: 0x5 & 0xc });
        assert_eq!(not.gene(35), Gene { main: 12, sub: 10 });
    }

    #[test]
    fn kpoint_children_come_in_segments() {
        let (a, b) = (genome(0x11), genome(0xee));
        let law = BreedingLaw::new([8; GENES], [0; GENES]).unwrap(); // always main, never mutate
        let child = fuse(&[a, b], &LabOp::KPoint(1), &[9; 32], &law).unwrap();
        let from_a: Vec<bool> = child.genes().map(|g| g.main == 1).collect();
        let switches = from_a.windows(2).filter(|w| w[0] != w[1]).count();
        assert_eq!(switches, 1, "{child}");
        assert!(from_a[0], "the first segment comes from the first parent");
    }

    #[test]
    fn weighted_and_parent_count_errors() {
        let p = genome(0);
        let law = BreedingLaw::ONCHAIN;
        assert_eq!(
            fuse(&[p], &LabOp::Mean, &[0; 32], &law).unwrap_err().to_string(),
            "mean needs at least 2 parents, got 1"
        );
        assert!(fuse(&[p, p], &LabOp::Weighted(vec![1.0]), &[0; 32], &law).unwrap_err().to_string().contains("one weight per parent"));
        assert!(fuse(&[p, p], &LabOp::Weighted(vec![0.0, 0.0]), &[0; 32], &law).is_err());
    }
}
