//! The ideal: reverse classification (patent figs. 4, 10, 16, 17). Genomes that a model scores at
//! a target confidence (default 0.99) while staying close to the generator's prior, so their
//! portraits stay realistic — and several diverse variations of them.
//!
//! "Close to the prior" is the prior's own measure: a code gene at level v stands for z_v and the
//! generator's prior is N(0, 1), so its cost is `½ z_v²` (its negative log-density); attribute
//! values are all equally likely a priori and cost nothing. The ideal is then
//!
//! ```text
//! minimise Σ_g ½ z(main_g)²   subject to   log-odds_i(genome) ≥ logit(target) for every objective i
//! ```
//!
//! With additive log-odds the Lagrangian `Σ_i λ_i s_i − cost` separates over genes, so for given
//! multipliers the best genome is 40 independent argmaxes. One objective: bisect λ to the smallest
//! that reaches the target, then walk genes back towards the prior while the target still holds.
//! Several objectives (my taste + a group's, or two owners' for a mutual ideal): cycle through them,
//! each time setting one multiplier to the smallest that satisfies its own constraint, then raise
//! all of them together if one is still a hair short. Class goals
//! of three-or-more-class models are re-linearised where the search stands until the exact
//! probability holds.
//!
//! Variations are drawn gene by gene from the same tilted prior, `q_g(v) ∝ exp(f · Σ_i λ_i
//! T_i[g][v] − ½ z_v²)`, raising f until enough draws reach the target, and kept only when they
//! are at least `min_distance` apart in latent space.

use super::features::FeatureMap;
use super::json;
use super::model::{logit, Goal, Objective, TasteModel};
use super::{GeneTable, PreferenceError};
use crate::genome::levels::LEVELS;
use crate::genome::{gene_kind, level_to_z, Gene, GeneKind, Genome, CODE_GENES, GENES};
use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use serde::{Deserialize, Serialize};

/// What to ask of the ideal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IdealOptions {
    /// The confidence every objective must reach.
    pub target: f64,
    /// Variations wanted besides the ideal itself.
    pub variations: usize,
    /// Least latent distance between any two of the ideal and its variations.
    pub min_distance: f64,
    /// Draws tried for variations, at most.
    pub attempts: usize,
    /// Seed of the variation draws.
    pub seed: [u8; 32],
}

impl Default for IdealOptions {
    fn default() -> Self {
        IdealOptions {
            target: 0.99,
            variations: 8,
            min_distance: 3.0,
            attempts: 4000,
            seed: [0; 32],
        }
    }
}

/// One ideal genome and what it achieves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdealCandidate {
    /// The genome (each sub equal to its main, so it breeds true to what it shows).
    #[serde(with = "json::genome")]
    pub genome: Genome,
    /// The probability each objective gives it, in the order asked.
    pub probabilities: Vec<f64>,
    /// Root mean square of its code genes' z values: about 0.96 for a typical prior draw, and
    /// growing as the genome leaves the prior for extreme settings.
    pub latent_rms: f64,
}

/// The ideal of one or several objectives, with variations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ideal {
    /// The cheapest genome (closest to the prior) that reaches the target.
    pub best: IdealCandidate,
    /// Diverse genomes that also reach it.
    pub variations: Vec<IdealCandidate>,
    /// The target asked for.
    pub target: f64,
    /// Whether `best` reaches it; when no genome can, `best` is the highest-scoring one found.
    pub reached: bool,
}

/// `½ z²` of a code level; attributes cost nothing.
fn cost(g: usize, v: usize) -> f64 {
    match gene_kind(g) {
        GeneKind::Code => {
            let z = level_to_z(v as u8) as f64;
            0.5 * z * z
        }
        GeneKind::Attribute { .. } => 0.0,
    }
}

/// The genome maximising `Σ_i λ_i T_i − cost`, gene by gene (ties to the cheaper value).
fn mode(tables: &[GeneTable], lambdas: &[f64]) -> Genome {
    let mut out = Genome::default();
    for g in 0..GENES {
        let mut best = (f64::NEG_INFINITY, 0usize);
        for v in 0..LEVELS {
            let gain: f64 = tables
                .iter()
                .zip(lambdas)
                .map(|(t, l)| l * t.values[g][v])
                .sum::<f64>()
                - cost(g, v);
            if gain > best.0 + 1e-12 || (gain > best.0 - 1e-12 && cost(g, v) < cost(g, best.1)) {
                best = (gain, v);
            }
        }
        out.set_gene(g, Gene::new(best.1 as u8, best.1 as u8));
    }
    out
}

/// The smallest multiplier for objective `i` (others fixed) whose mode reaches `tau` on table i.
fn settle(tables: &[GeneTable], lambdas: &mut [f64], i: usize, tau: f64) {
    let reaches = |l: f64, lambdas: &mut [f64]| {
        lambdas[i] = l;
        tables[i].score(&mode(tables, lambdas)) >= tau
    };
    if reaches(0.0, lambdas) {
        return;
    }
    let mut hi = 1.0;
    while !reaches(hi, lambdas) && hi < 1e6 {
        hi *= 2.0;
    }
    let mut lo = 0.0;
    for _ in 0..50 {
        let mid = 0.5 * (lo + hi);
        if reaches(mid, lambdas) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    lambdas[i] = hi;
}

/// Walk genes back towards the prior while every table still scores at least `tau`.
fn polish(genome: &mut Genome, tables: &[GeneTable], tau: f64) {
    loop {
        let scores: Vec<f64> = tables.iter().map(|t| t.score(genome)).collect();
        let mut best: Option<(f64, usize, usize)> = None;
        for g in 0..CODE_GENES {
            let now = genome.gene(g).main as usize;
            for v in 0..LEVELS {
                let saving = cost(g, now) - cost(g, v);
                if saving <= 1e-12 {
                    continue;
                }
                let ok = tables
                    .iter()
                    .zip(&scores)
                    .all(|(t, s)| s - t.values[g][now] + t.values[g][v] >= tau);
                if ok && best.is_none_or(|b| saving > b.0) {
                    best = Some((saving, g, v));
                }
            }
        }
        match best {
            Some((_, g, v)) => genome.set_gene(g, Gene::new(v as u8, v as u8)),
            None => return,
        }
    }
}

/// The cheapest genome on the tables that reaches `tau` on all of them (or the best compromise),
/// with the multipliers found.
fn solve(tables: &[GeneTable], tau: f64) -> (Genome, Vec<f64>) {
    let n = tables.len();
    let mut lambdas = vec![0.0; n];
    for _ in 0..30 {
        for i in 0..n {
            settle(tables, &mut lambdas, i, tau);
        }
        let g = mode(tables, &lambdas);
        if tables.iter().all(|t| t.score(&g) >= tau) {
            break;
        }
    }
    // Several constraints can leave the cycle a hair short of one of them: lean on all of them
    // together until every one holds (or clearly cannot).
    let reaches = |g: &Genome| tables.iter().all(|t| t.score(g) >= tau);
    let mut g = mode(tables, &lambdas);
    let mut push = 0;
    while !reaches(&g) && push < 200 && lambdas.iter().any(|l| *l > 0.0) {
        lambdas.iter_mut().for_each(|l| *l *= 1.05);
        g = mode(tables, &lambdas);
        push += 1;
    }
    if reaches(&g) {
        polish(&mut g, tables, tau);
    }
    (g, lambdas)
}

fn candidate(objectives: &[Objective], genome: Genome) -> IdealCandidate {
    let z2: f64 = (0..CODE_GENES)
        .map(|g| 2.0 * cost(g, genome.gene(g).main as usize))
        .sum();
    IdealCandidate {
        genome,
        probabilities: objectives.iter().map(|o| o.probability(&genome)).collect(),
        latent_rms: (z2 / CODE_GENES as f64).sqrt(),
    }
}

/// The ideal of several objectives at once: every one must reach `options.target`.
pub fn ideal(objectives: &[Objective], options: &IdealOptions) -> Result<Ideal, PreferenceError> {
    if objectives.is_empty() {
        return Err(PreferenceError::InvalidGoal(
            "the ideal needs at least one objective".into(),
        ));
    }
    if !(options.target > 0.0 && options.target < 1.0) {
        return Err(PreferenceError::InvalidOption(format!(
            "target must be in (0, 1), got {}",
            options.target
        )));
    }
    let map = objectives[0].model.features();
    if let Some(o) = objectives.iter().find(|o| o.model.features() != map) {
        return Err(PreferenceError::Incompatible(format!(
            "objectives read {:?} and {:?} features",
            map,
            o.model.features()
        )));
    }
    let tau = logit(options.target);
    let exact_ok = |g: &Genome| objectives.iter().all(|o| o.log_odds(g) >= tau - 1e-9);
    let min_exact = |g: &Genome| {
        objectives
            .iter()
            .map(|o| o.log_odds(g))
            .fold(f64::INFINITY, f64::min)
    };

    // Linear objectives solve in one go; class goals re-linearise where the search stands.
    let mut tables: Vec<GeneTable> = objectives.iter().map(|o| o.linear()).collect();
    let (mut best, mut lambdas) = solve(&tables, tau);
    if !objectives.iter().all(|o| o.is_linear()) {
        let mut aim = tau;
        let mut found = exact_ok(&best).then_some((best, lambdas.clone()));
        let mut fallback = (best, lambdas.clone());
        for _ in 0..20 {
            if found.is_some() {
                break;
            }
            tables = objectives.iter().map(|o| o.linear_at(&best)).collect();
            let (g, l) = solve(&tables, aim);
            if min_exact(&g) > min_exact(&fallback.0) {
                fallback = (g, l.clone());
            }
            if exact_ok(&g) {
                found = Some((g, l));
            } else {
                aim += (tau - min_exact(&g)).max(1e-6); // the linearisation over-promised
            }
            best = g;
        }
        (best, lambdas) = found.unwrap_or(fallback);
        tables = objectives.iter().map(|o| o.linear_at(&best)).collect();
    }
    let reached = exact_ok(&best);
    let variations = if reached {
        variations(objectives, &tables, &lambdas, &best, map, tau, options)
    } else {
        Vec::new()
    };
    Ok(Ideal {
        best: candidate(objectives, best),
        variations,
        target: options.target,
        reached,
    })
}

/// Diverse draws from the tilted prior that reach the target.
fn variations(
    objectives: &[Objective],
    tables: &[GeneTable],
    lambdas: &[f64],
    best: &Genome,
    map: FeatureMap,
    tau: f64,
    options: &IdealOptions,
) -> Vec<IdealCandidate> {
    let mut rng = ChaCha8Rng::from_seed(options.seed);
    let min_d2 = (options.min_distance * options.min_distance) as f32;
    let mut kept: Vec<(Genome, Vec<f32>)> = vec![(*best, map.features(best))];
    let mut tilt = 1.0;
    let per_round = 64.max(options.variations * 4);
    let mut tried = 0;
    while kept.len() <= options.variations && tried < options.attempts {
        // Per-gene sampling weights at this tilt.
        let weights: Vec<[f64; LEVELS]> = (0..GENES)
            .map(|g| {
                let mut w = [0.0; LEVELS];
                for (v, wv) in w.iter_mut().enumerate() {
                    *wv = tilt
                        * tables
                            .iter()
                            .zip(lambdas)
                            .map(|(t, l)| l * t.values[g][v])
                            .sum::<f64>()
                        - cost(g, v);
                }
                let top = w.iter().cloned().fold(f64::MIN, f64::max);
                w.iter_mut().for_each(|x| *x = (*x - top).exp());
                w
            })
            .collect();
        let mut accepted = 0;
        for _ in 0..per_round {
            tried += 1;
            let mut g = Genome::default();
            for (gene, w) in weights.iter().enumerate() {
                let v = draw(w, &mut rng);
                g.set_gene(gene, Gene::new(v, v));
            }
            if !objectives.iter().all(|o| o.log_odds(&g) >= tau) {
                continue;
            }
            accepted += 1;
            let f = map.features(&g);
            if kept
                .iter()
                .all(|(_, k)| FeatureMap::distance2(&f, k) >= min_d2)
            {
                kept.push((g, f));
                if kept.len() > options.variations {
                    break;
                }
            }
        }
        if accepted * 4 < per_round {
            tilt *= 1.5; // too few draws reach the target: lean further towards it
        }
    }
    kept.into_iter()
        .skip(1)
        .map(|(g, _)| candidate(objectives, g))
        .collect()
}

/// A value drawn with probability ∝ `w`.
fn draw(w: &[f64; LEVELS], rng: &mut ChaCha8Rng) -> u8 {
    let total: f64 = w.iter().sum();
    let mut u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * total;
    for (v, x) in w.iter().enumerate() {
        if u < *x {
            return v as u8;
        }
        u -= x;
    }
    (LEVELS - 1) as u8
}

/// One ideal per class of a classes model (for a taste model, the one ideal of its like goal).
pub fn ideal_per_class(
    model: &TasteModel,
    options: &IdealOptions,
) -> Result<Vec<Ideal>, PreferenceError> {
    let goals: Vec<Goal> = match model.task() {
        super::Task::Taste => vec![Goal::Like],
        super::Task::Classes { names } => (0..names.len()).map(Goal::Class).collect(),
    };
    goals
        .into_iter()
        .map(|goal| ideal(&[model.objective(goal)?], options))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mode_spends_attributes_before_leaving_the_prior() {
        let mut t = GeneTable::zero();
        t.values[33][5] = 3.0; // an attribute the owner loves
        for v in 0..LEVELS {
            t.values[0][v] = level_to_z(v as u8) as f64; // a code gene that helps linearly
        }
        t.bias = -2.0;
        let (g, _) = solve(&[t.clone()], 1.0);
        assert_eq!(g.gene(33).main, 5);
        assert!(t.score(&g) >= 1.0);
        // Just enough z on gene 0: one level lower would miss.
        let z = level_to_z(g.gene(0).main) as f64;
        assert!(z > 0.0 && t.score(&g) - z + (level_to_z(g.gene(0).main - 1) as f64) < 1.0);
    }
}
