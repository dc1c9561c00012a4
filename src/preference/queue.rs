//! The labelling queue (patent figs. 3 and 18): the next batch of characters to label, generated
//! on the fly from what the model knows — owners have little patience, so every label must teach
//! as much as it can.
//!
//! - **Cold start** (no model yet, or fewer than `cold_start` labels): a Latin hypercube — each
//!   gene's 16 values dealt out like a shuffled deck across the batch — so the first labels see
//!   every attribute value and every code level as evenly as the batch allows. (Until most values
//!   have been seen, a model cannot tell where it is unsure; the harness found 20 labels a good
//!   hand-over.)
//! - **Targeted**: a pool of candidates is drawn from the prior tilted by the model's own table
//!   (`q_g(v) ∝ exp(λ T[g][v])` for λ from −1 to 1: fig. 3's "weighting the latent input based on
//!   known bias"), so predicted likes are on offer even when the owner likes few random
//!   characters. Each candidate is scored by what its label would teach under the model's Laplace
//!   posterior, `ln(1 + p(1−p) · xᵀΣx)` — high where the prediction is unsure (p near ½) and where
//!   the model has seen little (xᵀΣx large). Picks alternate between predicted likes and predicted
//!   dislikes (balance), and after every pick Σ is updated as if its label were known, so the
//!   next pick looks elsewhere (batch diversity). No two picks, and no pick and earlier character
//!   (labelled or skipped), are closer than `min_distance` in latent space.
//! - **Exploration**: a share of the batch is plain prior draws, so a model that is confidently
//!   wrong somewhere still gets corrected.
//!
//! For picks (1 of 2, 1 of 4) the chosen characters are sorted by predicted score and dealt into
//! groups of neighbours: close calls are the comparisons that teach. For classes the uncertainty
//! is the entropy of the predicted classes and balance rotates over predicted classes.

use super::features::FeatureMap;
use super::fit::{self, cholesky, cholesky_inverse, sigmoid};
use super::json;
use super::labels::{LabelBook, LabelMode, Task};
use super::model::{argmax, rows, Targets, TasteModel};
use super::{GeneTable, PreferenceError};
use crate::genome::levels::LEVELS;
use crate::genome::{Gene, Genome, GENES};
use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use serde::{Deserialize, Serialize};

/// How the next batch is made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QueueOptions {
    /// How the owner is asked (decides the characters per prompt).
    pub mode: LabelMode,
    /// Prompts in the batch.
    pub prompts: usize,
    /// Share of prompts that are plain prior draws.
    pub exploration: f64,
    /// Least latent distance between any two characters of the batch, and between a character of
    /// the batch and one already shown (a random pair is about 8.6 apart).
    pub min_distance: f64,
    /// Candidates drawn to choose from.
    pub pool: usize,
    /// Random characters whose predictions the batch is chosen to sharpen.
    pub reference: usize,
    /// Until the book holds this many labels the queue deals Latin hypercube batches even with a
    /// model: a model that has not yet seen most attribute values cannot say where it is unsure.
    pub cold_start: usize,
}

impl Default for QueueOptions {
    fn default() -> Self {
        QueueOptions {
            mode: LabelMode::Swipe,
            prompts: 10,
            exploration: 0.2,
            min_distance: 4.0,
            pool: 512,
            reference: 128,
            cold_start: 20,
        }
    }
}

/// Why a prompt is in the batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Part of a cold-start Latin hypercube.
    ColdStart,
    /// Chosen because its label would teach the model most.
    Uncertain,
    /// A plain prior draw, for exploration.
    Explore,
}

/// One question for the owner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prompt {
    /// The characters shown (1, or 2 / 4 for picks).
    #[serde(with = "json::genomes")]
    pub genomes: Vec<Genome>,
    /// The model's like probability for each (for classes, that of its most likely class); empty
    /// at cold start.
    pub predicted: Vec<f64>,
    /// Why it was asked.
    pub reason: Reason,
}

/// The next batch of prompts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Batch {
    /// The prompts, in the order to show them.
    pub prompts: Vec<Prompt>,
    /// True when no model guided the batch.
    pub cold_start: bool,
}

/// A candidate character with what the queue needs to know about it.
struct Candidate {
    /// The character.
    genome: Genome,
    /// Its full feature vector, for latent distances.
    features: Vec<f32>,
    /// Its design-order parameter indices with non-zero value, and the values.
    nonzero: Vec<(usize, f64)>,
    /// The model's like probability (taste) or the top class's probability (classes).
    p: f64,
    /// The model's log-odds (taste), for sorting picks.
    score: f64,
    /// Predicted like (taste), or the predicted class (classes).
    side: usize,
    /// Current posterior variance of its log-odds (taste), or its class entropy (classes).
    spread: f64,
    /// Drawn from the untilted prior, so eligible for exploration.
    prior: bool,
    /// Already taken into the batch.
    taken: bool,
}

/// The next batch for `book`, guided by `model` when there is one (fit it on the book first; the
/// engine retrains after every batch).
pub fn next_batch(
    book: &LabelBook,
    model: Option<&TasteModel>,
    options: &QueueOptions,
    seed: [u8; 32],
) -> Result<Batch, PreferenceError> {
    let classes = matches!(book.task(), Task::Classes { .. });
    if classes != (options.mode == LabelMode::Classes) {
        return Err(PreferenceError::InvalidOption(format!(
            "a {} book is labelled in {}, not {:?}",
            book.task().name(),
            if classes {
                "classes mode"
            } else {
                "swipe, slider or pick mode"
            },
            options.mode
        )));
    }
    if options.prompts == 0 || !(0.0..=1.0).contains(&options.exploration) {
        return Err(PreferenceError::InvalidOption(format!(
            "the queue needs prompts ≥ 1 and exploration in 0..=1, got {} and {}",
            options.prompts, options.exploration
        )));
    }
    if let Some(m) = model {
        if m.task() != book.task() {
            return Err(PreferenceError::Incompatible(
                "the model was not fitted on this book's task".into(),
            ));
        }
    }
    let mut rng = ChaCha8Rng::from_seed(seed);
    let map = model.map_or(FeatureMap::default(), |m| m.features());
    let seen: Vec<Vec<f32>> = book.seen().map(|g| map.features(g)).collect();
    let size = options.mode.prompt_size();
    let wanted = options.prompts * size;
    let min_d2 = (options.min_distance * options.min_distance) as f32;
    let Some(model) = model.filter(|_| book.len() >= options.cold_start) else {
        let genomes = cold_start(wanted, &seen, map, min_d2, &mut rng);
        let prompts = genomes
            .chunks(size)
            .map(|c| Prompt {
                genomes: c.to_vec(),
                predicted: Vec::new(),
                reason: Reason::ColdStart,
            })
            .collect();
        return Ok(Batch {
            prompts,
            cold_start: true,
        });
    };

    let mut pool = candidates(model, options.pool.max(wanted * 4), &mut rng);
    let explore =
        ((options.prompts as f64 * options.exploration).round() as usize).min(options.prompts);
    let mut chosen: Vec<(usize, Reason)> = Vec::new();
    let mut batch_features: Vec<Vec<f32>> = Vec::new();
    let far_enough = |c: &Candidate, batch: &[Vec<f32>]| {
        batch
            .iter()
            .chain(&seen)
            .all(|f| FeatureMap::distance2(&c.features, f) >= min_d2)
    };
    // Uncertain picks, alternating sides, with the posterior updated after each.
    let mut posterior = if classes {
        None
    } else {
        Some(Posterior::new(
            model,
            book,
            &mut pool,
            options.reference,
            &mut rng,
        ))
    };
    let sides = if classes { model.outputs() } else { 2 };
    let informative = (options.prompts - explore) * size;
    let mut turn = 0usize;
    while chosen.len() < informative {
        let gains: Vec<f64> = match &posterior {
            Some(post) => pool
                .iter()
                .map(|c| if c.taken { f64::MIN } else { post.gain(c) })
                .collect(),
            None => pool.iter().map(|c| c.spread).collect(),
        };
        let mut pick = None;
        for offset in 0..sides {
            let side = (turn + offset) % sides;
            let mut order: Vec<usize> = (0..pool.len())
                .filter(|i| !pool[*i].taken && pool[*i].side == side)
                .collect();
            order.sort_by(|a, b| gains[*b].total_cmp(&gains[*a]));
            if let Some(i) = order
                .into_iter()
                .find(|i| far_enough(&pool[*i], &batch_features))
            {
                pick = Some(i);
                break;
            }
        }
        let Some(i) = pick else { break };
        turn += 1;
        pool[i].taken = true;
        batch_features.push(pool[i].features.clone());
        chosen.push((i, Reason::Uncertain));
        if let Some(post) = posterior.as_mut() {
            post.condition(&mut pool, i);
        }
    }
    // Exploration: prior draws in random order.
    let mut prior: Vec<usize> = (0..pool.len())
        .filter(|i| pool[*i].prior && !pool[*i].taken)
        .collect();
    shuffle(&mut prior, &mut rng);
    for i in prior {
        if chosen.len() >= wanted {
            break;
        }
        if far_enough(&pool[i], &batch_features) {
            pool[i].taken = true;
            batch_features.push(pool[i].features.clone());
            chosen.push((i, Reason::Explore));
        }
    }
    // Top up from fresh random draws if the constraints left the batch short.
    let mut extra = Vec::new();
    while chosen.len() + extra.len() < wanted {
        let g = Genome::random(&mut rng);
        let f = map.features(&g);
        let ok = batch_features
            .iter()
            .chain(&seen)
            .all(|x| FeatureMap::distance2(&f, x) >= min_d2);
        if ok || extra.len() > 64 * wanted {
            batch_features.push(f);
            extra.push(g);
        }
    }
    let prompts = group(&pool, &chosen, &extra, model, size, &mut rng);
    Ok(Batch {
        prompts,
        cold_start: false,
    })
}


/// Fisher–Yates with the seeded generator.
fn shuffle<T>(items: &mut [T], rng: &mut ChaCha8Rng) {
    for i in (1..items.len()).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

/// `n` genomes from a Latin hypercube over the 40 genes' main values, re-dealt where one falls
/// too close to a character already shown.
fn cold_start(
    n: usize,
    seen: &[Vec<f32>],
    map: FeatureMap,
    min_d2: f32,
    rng: &mut ChaCha8Rng,
) -> Vec<Genome> {
    let mut columns: Vec<Vec<u8>> = Vec::with_capacity(GENES);
    for _ in 0..GENES {
        let mut col = Vec::with_capacity(n + LEVELS);
        while col.len() < n {
            let mut deck: Vec<u8> = (0..LEVELS as u8).collect();
            shuffle(&mut deck, rng);
            col.extend(deck);
        }
        columns.push(col);
    }
    (0..n)
        .map(|i| {
            let mut g = Genome::default();
            for (gene, col) in columns.iter().enumerate() {
                g.set_gene(gene, Gene::new(col[i], (rng.next_u32() & 15) as u8));
            }
            for _ in 0..64 {
                let f = map.features(&g);
                if seen.iter().all(|s| FeatureMap::distance2(&f, s) >= min_d2) {
                    break;
                }
                g = Genome::random(rng);
            }
            g
        })
        .collect()
}

/// Draw a value with probability ∝ exp(λ · row[v]).
fn tilted(row: &[f64; LEVELS], lambda: f64, rng: &mut ChaCha8Rng) -> u8 {
    let top = row.iter().map(|x| lambda * x).fold(f64::MIN, f64::max);
    let w: Vec<f64> = row.iter().map(|x| (lambda * x - top).exp()).collect();
    let mut u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * w.iter().sum::<f64>();
    for (v, x) in w.iter().enumerate() {
        if u < *x {
            return v as u8;
        }
        u -= x;
    }
    (LEVELS - 1) as u8
}

/// The candidate pool: equal shares drawn from the prior tilted by each output's table at
/// λ ∈ {−1, −½, 0, ½, 1} (a classes model tilts towards each class in turn), the prior share doubled.
fn candidates(model: &TasteModel, n: usize, rng: &mut ChaCha8Rng) -> Vec<Candidate> {
    let map = model.features();
    let layout = map.layout();
    let classes = matches!(model.task(), Task::Classes { .. });
    let tables: Vec<&GeneTable> = (0..model.outputs()).map(|o| model.table(o)).collect();
    let lambdas: &[f64] = if classes {
        &[0.0, 0.0, 0.5, 1.0]
    } else {
        &[-1.0, -0.5, 0.0, 0.0, 0.5, 1.0]
    };
    let (mut dense, mut hot) = (vec![0.0; layout.dense], Vec::new());
    (0..n)
        .map(|i| {
            let lambda = lambdas[i % lambdas.len()];
            let table = tables[(i / lambdas.len()) % tables.len()];
            let mut g = Genome::default();
            for gene in 0..GENES {
                let v = if lambda == 0.0 {
                    (rng.next_u32() & 15) as u8
                } else {
                    tilted(&table.values[gene], lambda, rng)
                };
                g.set_gene(gene, Gene::new(v, (rng.next_u32() & 15) as u8));
            }
            map.row(&g, &mut dense, &mut hot);
            let nonzero = sparse_row(&dense, &hot, layout.dense);
            let (p, score, side, spread) = if classes {
                let probs = model.class_probabilities(&g);
                let entropy: f64 = probs
                    .iter()
                    .filter(|q| **q > 0.0)
                    .map(|q| -q * q.ln())
                    .sum();
                let c = argmax(&probs);
                (probs[c], probs[c], c, entropy)
            } else {
                let s = model.table(0).score(&g);
                (sigmoid(s), s, (s < 0.0) as usize, 0.0)
            };
            Candidate {
                genome: g,
                features: map.features(&g),
                nonzero,
                p,
                score,
                side,
                spread,
                prior: lambda == 0.0,
                taken: false,
            }
        })
        .collect()
}

/// The Laplace posterior covariance of a taste model's parameters (design order): the inverse of
/// the penalised Hessian at the fit.
///
/// A model fitted with per-gene relevance has shrunk the genes it thinks the owner ignores, and
/// its own posterior is as sure of that as of anything: a queue that trusted it would never show
/// those genes varied again, and a wrong early verdict would stand. So the queue takes the
/// posterior at the model's weights under the plain, uniform prior — the model decides what is
/// predicted, the plain prior what is still unknown.
fn posterior_covariance(model: &TasteModel, book: &LabelBook) -> Vec<f64> {
    let r = rows(book, model.features());
    let p = r.design.params();
    let factor = match model.posterior() {
        Some(f) if f.len() == p * p && model.summary().relevance.is_none() => f.to_vec(),
        _ => {
            let theta = model.theta(0);
            let margins = r.design.margins(&theta);
            let curv: Vec<f64> = margins
                .iter()
                .map(|m| sigmoid(*m) * (1.0 - sigmoid(*m)))
                .collect();
            let mut h = r.design.gram(&curv);
            for (j, l) in fit::penalty(&r.design, model.summary().l2)
                .iter()
                .enumerate()
            {
                h[j * p + j] += l;
            }
            assert!(
                cholesky(&mut h, p),
                "a penalised Hessian is positive definite"
            );
            debug_assert!(matches!(r.targets, Targets::Soft(_)));
            h
        }
    };
    cholesky_inverse(&factor, p)
}

/// A taste model's Laplace posterior over its parameters, and a reference sample of random
/// characters whose predictions the batch should sharpen.
///
/// A candidate's worth is how much knowing its label would shrink the predictive variance of the
/// references' log-odds, each reference weighted by `p(1−p)` (the ones near the boundary are the
/// ones whose verdict is in doubt): `c · Σ_r w_r (x_rᵀ Σ x)² / (1 + c · xᵀ Σ x)` with `c = p(1−p)`
/// at the candidate. After a pick, Σ is conditioned on its label — `Σ ← Σ − c Σx xᵀΣ / (1 + c
/// xᵀΣx)` — so the next pick is worth what it adds beyond the batch so far.
struct Posterior {
    /// Parameters.
    p: usize,
    /// The covariance, row-major p × p.
    sigma: Vec<f64>,
    /// References: their weights `p(1−p)`.
    weight: Vec<f64>,
    /// References: their non-zero parameters.
    refs: Vec<Vec<(usize, f64)>>,
    /// `b[a · R + r] = (Σ x_r)_a`, kept current with Σ.
    b: Vec<f64>,
}

impl Posterior {
    /// The posterior of `model` on `book`, with `references` prior draws; sets every candidate's
    /// variance.
    fn new(
        model: &TasteModel,
        book: &LabelBook,
        pool: &mut [Candidate],
        references: usize,
        rng: &mut ChaCha8Rng,
    ) -> Self {
        let sigma = posterior_covariance(model, book);
        let p = (sigma.len() as f64).sqrt() as usize;
        let map = model.features();
        let layout = map.layout();
        let (mut dense, mut hot) = (vec![0.0; layout.dense], Vec::new());
        let mut refs = Vec::with_capacity(references);
        let mut weight = Vec::with_capacity(references);
        for _ in 0..references {
            let g = Genome::random(rng);
            map.row(&g, &mut dense, &mut hot);
            refs.push(sparse_row(&dense, &hot, layout.dense));
            let q = model.like(&g);
            weight.push(q * (1.0 - q));
        }
        let r = refs.len();
        let mut b = vec![0.0; p * r];
        for (ri, x) in refs.iter().enumerate() {
            for a in 0..p {
                b[a * r + ri] = x.iter().map(|(j, v)| sigma[a * p + j] * v).sum();
            }
        }
        for c in pool.iter_mut() {
            c.spread = quadratic(&sigma, p, &c.nonzero);
        }
        Posterior {
            p,
            sigma,
            weight,
            refs,
            b,
        }
    }

    /// What a candidate's label is worth.
    fn gain(&self, c: &Candidate) -> f64 {
        let r = self.refs.len();
        let curvature = c.p * (1.0 - c.p);
        let mut t = vec![0.0; r];
        for (j, v) in &c.nonzero {
            for (ti, bj) in t.iter_mut().zip(&self.b[j * r..(j + 1) * r]) {
                *ti += v * bj;
            }
        }
        let spread: f64 = t.iter().zip(&self.weight).map(|(ti, w)| w * ti * ti).sum();
        curvature * spread / (1.0 + curvature * c.spread)
    }

    /// Condition on candidate `i`'s label, updating Σ, the references and every variance.
    fn condition(&mut self, pool: &mut [Candidate], i: usize) {
        let (p, r) = (self.p, self.refs.len());
        let x = pool[i].nonzero.clone();
        let mut u = vec![0.0; p];
        for (a, ua) in u.iter_mut().enumerate() {
            *ua = x.iter().map(|(j, v)| self.sigma[a * p + j] * v).sum();
        }
        let var: f64 = x.iter().map(|(j, v)| u[*j] * v).sum();
        let c = pool[i].p * (1.0 - pool[i].p);
        let s = c / (1.0 + c * var);
        let w: Vec<f64> = self
            .refs
            .iter()
            .map(|xr| xr.iter().map(|(j, v)| u[*j] * v).sum())
            .collect();
        for a in 0..p {
            let sa = s * u[a];
            for (bb, ub) in self.sigma[a * p..(a + 1) * p].iter_mut().zip(&u) {
                *bb -= sa * ub;
            }
            for (bb, wr) in self.b[a * r..(a + 1) * r].iter_mut().zip(&w) {
                *bb -= sa * wr;
            }
        }
        for cand in pool.iter_mut() {
            let k: f64 = cand.nonzero.iter().map(|(j, v)| u[*j] * v).sum();
            cand.spread -= s * k * k;
        }
    }
}

/// A structured row as (parameter index, value) pairs in design order: dense features, the
/// intercept, then the hot one-hot columns.
fn sparse_row(dense: &[f64], hot: &[u32], n_dense: usize) -> Vec<(usize, f64)> {
    let mut x: Vec<(usize, f64)> = dense.iter().enumerate().map(|(j, v)| (j, *v)).collect();
    x.push((n_dense, 1.0));
    x.extend(hot.iter().map(|c| (n_dense + 1 + *c as usize, 1.0)));
    x
}

/// `xᵀ Σ x` for a sparse x.
fn quadratic(sigma: &[f64], p: usize, x: &[(usize, f64)]) -> f64 {
    x.iter()
        .map(|(a, va)| va * x.iter().map(|(b, vb)| sigma[a * p + b] * vb).sum::<f64>())
        .sum()
}

/// Turn the chosen candidates into prompts: singles in order, or for picks groups of neighbours
/// in predicted score (informative ones and exploration ones grouped separately).
fn group(
    pool: &[Candidate],
    chosen: &[(usize, Reason)],
    extra: &[Genome],
    model: &TasteModel,
    size: usize,
    rng: &mut ChaCha8Rng,
) -> Vec<Prompt> {
    let predicted = |g: &Genome| -> f64 {
        match model.task() {
            Task::Taste => model.like(g),
            Task::Classes { .. } => model.class_probabilities(g).into_iter().fold(0.0, f64::max),
        }
    };
    let mut items: Vec<(Genome, f64, Reason)> = chosen
        .iter()
        .map(|(i, r)| (pool[*i].genome, pool[*i].score, *r))
        .collect();
    items.extend(
        extra
            .iter()
            .map(|g| (*g, model.table(0).score(g), Reason::Explore)),
    );
    if size > 1 {
        items.sort_by(|a, b| {
            (a.2 == Reason::Explore)
                .cmp(&(b.2 == Reason::Explore))
                .then(a.1.total_cmp(&b.1))
        });
    }
    let mut prompts: Vec<Prompt> = items
        .chunks(size)
        .map(|c| Prompt {
            genomes: c.iter().map(|x| x.0).collect(),
            predicted: c.iter().map(|x| predicted(&x.0)).collect(),
            reason: if c.iter().all(|x| x.2 == Reason::Explore) {
                Reason::Explore
            } else {
                Reason::Uncertain
            },
        })
        .collect();
    shuffle(&mut prompts, rng);
    prompts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preference::{FitOptions, Label};

    #[test]
    fn cold_start_is_a_latin_hypercube() {
        let book = LabelBook::taste();
        let batch = next_batch(
            &book,
            None,
            &QueueOptions {
                prompts: 16,
                ..QueueOptions::default()
            },
            [1; 32],
        )
        .unwrap();
        assert!(batch.cold_start);
        assert_eq!(batch.prompts.len(), 16);
        for gene in 0..GENES {
            let mut seen: Vec<u8> = batch
                .prompts
                .iter()
                .map(|p| p.genomes[0].gene(gene).main)
                .collect();
            seen.sort();
            assert_eq!(seen, (0..16).collect::<Vec<u8>>(), "gene {gene}");
        }
    }

    #[test]
    fn a_targeted_batch_is_balanced_diverse_and_new() {
        let mut book = LabelBook::taste();
        let first = next_batch(&book, None, &QueueOptions::default(), [2; 32]).unwrap();
        for p in &first.prompts {
            let g = p.genomes[0];
            book.add(Label::Swipe {
                genome: g,
                like: g.attribute(0) < 8,
            })
            .unwrap();
        }
        let model = TasteModel::fit(&book, &FitOptions::default()).unwrap();
        let options = QueueOptions {
            cold_start: 0,
            ..QueueOptions::default()
        };
        let batch = next_batch(&book, Some(&model), &options, [3; 32]).unwrap();
        assert!(!batch.cold_start);
        assert_eq!(batch.prompts.len(), 10);
        let uncertain: Vec<&Prompt> = batch
            .prompts
            .iter()
            .filter(|p| p.reason == Reason::Uncertain)
            .collect();
        let likes = uncertain.iter().filter(|p| p.predicted[0] >= 0.5).count();
        assert_eq!(uncertain.len(), 8);
        assert_eq!(
            likes,
            4,
            "{:?}",
            uncertain.iter().map(|p| p.predicted[0]).collect::<Vec<_>>()
        );
        let all: Vec<Genome> = batch
            .prompts
            .iter()
            .map(|p| p.genomes[0])
            .chain(book.seen().copied())
            .collect();
        let map = FeatureMap::Latent;
        for i in 0..10 {
            for j in i + 1..all.len() {
                let d =
                    FeatureMap::distance2(&map.features(&all[i]), &map.features(&all[j])).sqrt();
                assert!(d >= 4.0 - 1e-4, "{i} and {j} are {d} apart");
            }
        }
        let pairs = next_batch(
            &book,
            Some(&model),
            &QueueOptions {
                mode: LabelMode::PickFour,
                ..options
            },
            [4; 32],
        )
        .unwrap();
        assert!(pairs.prompts.iter().all(|p| p.genomes.len() == 4));
    }
}
