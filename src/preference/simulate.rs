//! Simulated owners with hidden tastes, and the evaluation harness that runs them through the
//! engine (`examples/taste_eval.rs` prints its table; `tests/preference.rs` runs the small scale).
//!
//! Four kinds of owner, each drawn from a seed:
//! - **attributes** — a linear taste over three attribute slots: one split into liked and disliked
//!   halves (warm hair, not cool), one with three loved and three hated values, one that matters
//!   a little value by value;
//! - **code** — a linear taste over the z values of four code genes (proportions, tilt, …);
//! - **interaction** — likes hair and background that go together (warm with warm, cool with
//!   cool), plus a weaker linear taste for expressions: partly beyond any linear model;
//! - **noisy** — an attributes owner who presses the wrong button 15 % of the time.
//!
//! Each owner likes a character when its hidden utility exceeds the median over random
//! characters, so half of all characters are liked. Accuracy is always measured against the
//! owner's true (noiseless) verdicts on fresh random characters. For every kind the harness
//! reports the labels needed to reach 85 % and 90 % with the targeted queue and with a random one,
//! how much the owner likes the model's ideal, and how three generations of steered breeding
//! compare with random mating.

use super::fit::FitOptions;
use super::ideal::{ideal, IdealOptions};
use super::labels::{Label, LabelBook, LabelMode};
use super::model::TasteModel;
use super::queue::{next_batch, QueueOptions};
use super::steer::MateTable;
use crate::fusion::{breed, BreedingLaw};
use crate::genome::levels::LEVELS;
use crate::genome::{level_to_z, Genome, ATTR_GENES, CODE_GENES};
use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use serde::{Deserialize, Serialize};

/// What an owner secretly wants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HiddenTaste {
    /// Utility = Σ_slot weights[slot][value].
    Attributes {
        /// Per slot, per value.
        weights: Vec<[f64; LEVELS]>,
    },
    /// Utility = Σ_g weights[g] · z(main_g).
    Code {
        /// Per code gene.
        weights: Vec<f64>,
    },
    /// Utility = ±1 when hair and background agree / disagree in warmth, plus a linear taste
    /// over expressions.
    Interaction {
        /// +1 for a warm hair colour, −1 for a cool one (16 values).
        hair: Vec<f64>,
        /// +1 for a warm background, −1 for a cool one (16 values).
        background: Vec<f64>,
        /// Weight of each expression (16 values).
        expression: Vec<f64>,
    },
}

impl HiddenTaste {
    /// The hidden utility of a character.
    pub fn utility(&self, g: &Genome) -> f64 {
        match self {
            HiddenTaste::Attributes { weights } => (0..ATTR_GENES)
                .map(|s| weights[s][g.attribute(s) as usize])
                .sum(),
            HiddenTaste::Code { weights } => (0..CODE_GENES)
                .map(|i| weights[i] * level_to_z(g.gene(i).main) as f64)
                .sum(),
            HiddenTaste::Interaction {
                hair,
                background,
                expression,
            } => {
                hair[g.attribute(0) as usize] * background[g.attribute(7) as usize]
                    + expression[g.attribute(4) as usize]
            }
        }
    }
}

/// A simulated owner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimulatedOwner {
    /// The kind, for the report.
    pub kind: String,
    /// The hidden taste.
    pub taste: HiddenTaste,
    /// Utility above which the owner likes a character (the median over random characters).
    pub threshold: f64,
    /// Chance that a label is flipped.
    pub noise: f64,
}

/// A standard normal draw (Box–Muller) from the seeded generator.
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1 = ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
    let u2 = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// A uniform draw in [0, 1).
fn uniform(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}


/// `k` distinct indices below `n`.
fn distinct(n: usize, k: usize, rng: &mut ChaCha8Rng) -> Vec<usize> {
    let mut all: Vec<usize> = (0..n).collect();
    for i in 0..k {
        let j = i + (rng.next_u64() % (n - i) as u64) as usize;
        all.swap(i, j);
    }
    all.truncate(k);
    all
}

impl SimulatedOwner {
    /// An owner of `kind` ("attributes", "code", "interaction", "noisy") drawn from `seed`.
    pub fn new(kind: &str, seed: u64) -> SimulatedOwner {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let attributes = |rng: &mut ChaCha8Rng| {
            let mut weights = vec![[0.0; LEVELS]; ATTR_GENES];
            let slots = distinct(ATTR_GENES, 3, rng);
            // One slot splits into liked and disliked halves ("warm hair, not cool").
            for (i, v) in distinct(LEVELS, LEVELS, rng).into_iter().enumerate() {
                weights[slots[0]][v] = if i < LEVELS / 2 { 1.0 } else { -1.0 };
            }
            // One has three loved and three hated values, the rest indifferent.
            for (i, v) in distinct(LEVELS, 6, rng).into_iter().enumerate() {
                weights[slots[1]][v] = if i < 3 { 0.8 } else { -0.8 };
            }
            // One matters a little, value by value.
            for w in weights[slots[2]].iter_mut() {
                *w = 0.25 * normal(rng);
            }
            HiddenTaste::Attributes { weights }
        };
        let (taste, noise) = match kind {
            "attributes" => (attributes(&mut rng), 0.0),
            "noisy" => (attributes(&mut rng), 0.15),
            "code" => {
                let mut weights = vec![0.0; CODE_GENES];
                for g in distinct(CODE_GENES, 4, &mut rng) {
                    weights[g] = normal(&mut rng);
                }
                (HiddenTaste::Code { weights }, 0.0)
            }
            "interaction" => {
                let side = |rng: &mut ChaCha8Rng| {
                    let mut s = vec![-1.0; LEVELS];
                    for v in distinct(LEVELS, LEVELS / 2, rng) {
                        s[v] = 1.0;
                    }
                    s
                };
                let (hair, background) = (side(&mut rng), side(&mut rng));
                let expression: Vec<f64> = (0..LEVELS).map(|_| 0.5 * normal(&mut rng)).collect();
                (
                    HiddenTaste::Interaction {
                        hair,
                        background,
                        expression,
                    },
                    0.0,
                )
            }
            other => panic!("unknown owner kind {other:?} (attributes, code, interaction, noisy)"),
        };
        let mut utilities: Vec<f64> = (0..4001)
            .map(|_| taste.utility(&Genome::random(&mut rng)))
            .collect();
        utilities.sort_by(f64::total_cmp);
        SimulatedOwner {
            kind: kind.to_string(),
            taste,
            threshold: utilities[2000],
            noise,
        }
    }

    /// The owner's true verdict.
    pub fn likes(&self, g: &Genome) -> bool {
        self.taste.utility(g) > self.threshold
    }

    /// The owner's answer to one prompt, noise included.
    pub fn answer(&self, genomes: &[Genome], mode: LabelMode, rng: &mut ChaCha8Rng) -> Label {
        let flip = uniform(rng) < self.noise;
        match mode {
            LabelMode::Swipe | LabelMode::Classes => Label::Swipe {
                genome: genomes[0],
                like: self.likes(&genomes[0]) != flip,
            },
            LabelMode::Slider => {
                let u = self.taste.utility(&genomes[0]) - self.threshold;
                let value = 1.0 / (1.0 + (-2.0 * u).exp());
                Label::Slider {
                    genome: genomes[0],
                    value: if flip { 1.0 - value } else { value },
                }
            }
            LabelMode::PickTwo | LabelMode::PickFour => {
                let utilities: Vec<f64> = genomes.iter().map(|g| self.taste.utility(g)).collect();
                let best =
                    (0..genomes.len())
                        .fold(0, |b, i| if utilities[i] > utilities[b] { i } else { b });
                let chosen = if flip {
                    (best + 1 + (rng.next_u32() as usize % (genomes.len() - 1))) % genomes.len()
                } else {
                    best
                };
                Label::Pick {
                    shown: genomes.to_vec(),
                    chosen,
                }
            }
        }
    }
}

/// `n` swipes of uniformly random characters by `owner` (for speed and sklearn comparisons).
pub fn random_swipes(owner: &SimulatedOwner, n: usize, seed: u64) -> LabelBook {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut book = LabelBook::taste();
    for _ in 0..n {
        let g = Genome::random(&mut rng);
        book.add(owner.answer(&[g], LabelMode::Swipe, &mut rng))
            .expect("a swipe fits a taste book");
    }
    book
}

/// The owner kinds, in the table's order.
pub const KINDS: [&str; 4] = ["attributes", "code", "interaction", "noisy"];

/// The harness's scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HarnessConfig {
    /// Owners per kind; the table shows medians over them.
    pub owners: usize,
    /// Labels each owner gives at most per queue.
    pub budget: usize,
    /// The targeted queue's options (its `prompts` is also the random queue's batch); the model
    /// is refitted after every batch.
    pub queue: QueueOptions,
    /// Random characters accuracy is measured on.
    pub test: usize,
    /// Tokens the owner breeds each generation.
    pub herd: usize,
    /// Tokens on the market to choose mates from.
    pub market: usize,
    /// Generations bred.
    pub generations: usize,
    /// Fit options for every model.
    pub fit: FitOptions,
    /// Owner kinds to run (attributes, code, interaction, noisy).
    pub kinds: Vec<String>,
    /// Seed of everything.
    pub seed: u64,
}

impl HarnessConfig {
    /// The full run: 5 owners per kind, up to 200 labels each.
    pub fn full() -> Self {
        HarnessConfig {
            owners: 5,
            budget: 200,
            queue: QueueOptions {
                prompts: 5,
                ..QueueOptions::default()
            },
            test: 4000,
            herd: 32,
            market: 512,
            generations: 3,
            fit: FitOptions {
                relevance: true,
                ..FitOptions::default()
            },
            kinds: KINDS.iter().map(|k| k.to_string()).collect(),
            seed: 1,
        }
    }

    /// The CI run: one owner per kind, 60 labels (runs in seconds even unoptimised).
    pub fn small() -> Self {
        HarnessConfig { owners: 1, budget: 60, test: 1000, herd: 16, market: 128, ..HarnessConfig::full() }
    }
}

/// One row of the harness table: one kind of owner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TasteRow {
    /// The owner kind.
    pub kind: String,
    /// Median labels to 85 % held-out accuracy, targeted queue (None: not within the budget).
    pub targeted_85: Option<usize>,
    /// Median labels to 90 %, targeted queue.
    pub targeted_90: Option<usize>,
    /// Median labels to 85 %, random queue.
    pub random_85: Option<usize>,
    /// Median labels to 90 %, random queue.
    pub random_90: Option<usize>,
    /// Median accuracy at the full budget, targeted and random.
    pub final_accuracy: (f64, f64),
    /// Share of owners whose hidden taste likes the model's ideal.
    pub ideal_liked: f64,
    /// Median percentile of the ideal's hidden utility among random characters.
    pub ideal_percentile: f64,
    /// Share of the ideal's variations the hidden taste likes.
    pub variations_liked: f64,
    /// Mean hidden like-rate of the herd after the generations, steered and unsteered.
    pub herd_liked: (f64, f64),
    /// Mean hidden utility gain of the herd (in standard deviations of random characters), steered
    /// minus unsteered.
    pub breeding_gain: f64,
}

/// The harness's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HarnessReport {
    /// The scale it ran at.
    pub config: HarnessConfig,
    /// One row per owner kind.
    pub rows: Vec<TasteRow>,
}

/// Held-out accuracy of `model` against the owner's true verdicts on `test`.
pub fn accuracy(
    model: &TasteModel,
    owner: &SimulatedOwner,
    test: &[Genome],
    truth: &[bool],
) -> f64 {
    let right = test
        .iter()
        .zip(truth)
        .filter(|(g, t)| (model.like(g) >= 0.5) == **t)
        .count();
    let _ = owner;
    right as f64 / test.len() as f64
}

/// One owner labelling through a queue until the budget: accuracy after every batch, and the last
/// model.
fn learn(
    owner: &SimulatedOwner,
    targeted: bool,
    config: &HarnessConfig,
    test: &[Genome],
    truth: &[bool],
    seed: u64,
) -> (Vec<(usize, f64)>, TasteModel) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut book = LabelBook::taste();
    let mut model: Option<TasteModel> = None;
    let mut curve = Vec::new();
    let options = &config.queue;
    while book.len() < config.budget {
        let genomes: Vec<Genome> = if targeted {
            let mut s = [0u8; 32];
            rng.fill_bytes(&mut s);
            let batch =
                next_batch(&book, model.as_ref(), options, s).expect("a valid queue request");
            batch.prompts.into_iter().map(|p| p.genomes[0]).collect()
        } else {
            (0..config.queue.prompts)
                .map(|_| Genome::random(&mut rng))
                .collect()
        };
        for g in genomes {
            book.add(owner.answer(&[g], LabelMode::Swipe, &mut rng))
                .expect("a swipe fits a taste book");
        }
        let m = TasteModel::fit(&book, &config.fit).expect("labels to fit");
        curve.push((book.len(), accuracy(&m, owner, test, truth)));
        model = Some(m);
    }
    (curve, model.expect("the budget allows one batch"))
}

/// Labels at which the curve first reaches `level`.
fn reach(curve: &[(usize, f64)], level: f64) -> Option<usize> {
    curve.iter().find(|(_, a)| *a >= level).map(|(n, _)| *n)
}

/// Median of optional counts, None counting as beyond every number.
fn median_count(xs: &[Option<usize>]) -> Option<usize> {
    let mut v: Vec<usize> = xs.iter().map(|x| x.unwrap_or(usize::MAX)).collect();
    v.sort();
    let m = v[(v.len() - 1) / 2];
    (m != usize::MAX).then_some(m)
}

/// Median of reals.
fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    v[(v.len() - 1) / 2]
}

/// Three generations of breeding a herd with mates from a market, steered by `model` (exact
/// expected child score) or at random; returns (hidden like-rate, mean standardised utility).
fn breed_herd(
    owner: &SimulatedOwner,
    model: Option<&TasteModel>,
    config: &HarnessConfig,
    scale: (f64, f64),
    seed: u64,
) -> (f64, f64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let law = BreedingLaw::ONCHAIN;
    let market: Vec<Genome> = (0..config.market)
        .map(|_| Genome::random(&mut rng))
        .collect();
    let mut herd: Vec<Genome> = (0..config.herd).map(|_| Genome::random(&mut rng)).collect();
    for _ in 0..config.generations {
        herd = herd
            .iter()
            .map(|token| {
                let mate = match model {
                    Some(m) => {
                        let table = MateTable::new(m.table(0), token, &law);
                        let best = (0..market.len())
                            .max_by(|a, b| {
                                table
                                    .expected(&market[*a])
                                    .total_cmp(&table.expected(&market[*b]))
                            })
                            .expect("a market");
                        market[best]
                    }
                    None => market[(rng.next_u64() % market.len() as u64) as usize],
                };
                let mut s = [0u8; 32];
                rng.fill_bytes(&mut s);
                breed(token, &mate, &s, &law)
            })
            .collect();
    }
    let liked = herd.iter().filter(|g| owner.likes(g)).count() as f64 / herd.len() as f64;
    let utility = herd
        .iter()
        .map(|g| (owner.taste.utility(g) - scale.0) / scale.1)
        .sum::<f64>()
        / herd.len() as f64;
    (liked, utility)
}

/// Run the harness.
pub fn run(config: &HarnessConfig) -> HarnessReport {
    let rows = config
        .kinds
        .iter()
        .enumerate()
        .map(|(k, kind)| {
            let mut t85 = Vec::new();
            let mut t90 = Vec::new();
            let mut r85 = Vec::new();
            let mut r90 = Vec::new();
            let (mut fin_t, mut fin_r) = (Vec::new(), Vec::new());
            let (mut liked, mut pct, mut var_liked) = (Vec::new(), Vec::new(), Vec::new());
            let (mut herd_s, mut herd_u, mut gain) = (Vec::new(), Vec::new(), Vec::new());
            for o in 0..config.owners {
                let seed = config.seed * 1_000_003 + (k * 1000 + o) as u64;
                let owner = SimulatedOwner::new(kind, seed);
                let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x7e57);
                let test: Vec<Genome> = (0..config.test).map(|_| Genome::random(&mut rng)).collect();
                let truth: Vec<bool> = test.iter().map(|g| owner.likes(g)).collect();
                let mut utilities: Vec<f64> = test.iter().map(|g| owner.taste.utility(g)).collect();
                let (targeted, model) = learn(&owner, true, config, &test, &truth, seed + 1);
                let (random, _) = learn(&owner, false, config, &test, &truth, seed + 2);
                t85.push(reach(&targeted, 0.85));
                t90.push(reach(&targeted, 0.90));
                r85.push(reach(&random, 0.85));
                r90.push(reach(&random, 0.90));
                fin_t.push(targeted.last().map_or(0.0, |x| x.1));
                fin_r.push(random.last().map_or(0.0, |x| x.1));
                // The ideal, judged by the hidden taste.
                let options = IdealOptions {
                    variations: 4,
                    seed: [k as u8 + 1; 32],
                    ..IdealOptions::default()
                };
                let found = ideal(
                    &[model.objective(super::Goal::Like).expect("a taste model")],
                    &options,
                )
                .expect("an ideal");
                let u = owner.taste.utility(&found.best.genome);
                liked.push(owner.likes(&found.best.genome) as u8 as f64);
                pct.push(
                    100.0 * utilities.iter().filter(|x| **x < u).count() as f64
                        / utilities.len() as f64,
                );
                if !found.variations.is_empty() {
                    let n = found
                        .variations
                        .iter()
                        .filter(|c| owner.likes(&c.genome))
                        .count();
                    var_liked.push(n as f64 / found.variations.len() as f64);
                }
                // Breeding, steered by the model vs random mates.
                utilities.sort_by(f64::total_cmp);
                let mean = utilities.iter().sum::<f64>() / utilities.len() as f64;
                let sd = (utilities
                    .iter()
                    .map(|x| (x - mean) * (x - mean))
                    .sum::<f64>()
                    / utilities.len() as f64)
                    .sqrt()
                    .max(1e-9);
                let (ls, us) = breed_herd(&owner, Some(&model), config, (mean, sd), seed + 3);
                let (lu, uu) = breed_herd(&owner, None, config, (mean, sd), seed + 3);
                herd_s.push(ls);
                herd_u.push(lu);
                gain.push(us - uu);
            }
            let mean = |v: &[f64]| {
                if v.is_empty() {
                    0.0
                } else {
                    v.iter().sum::<f64>() / v.len() as f64
                }
            };
            TasteRow {
                kind: kind.to_string(),
                targeted_85: median_count(&t85),
                targeted_90: median_count(&t90),
                random_85: median_count(&r85),
                random_90: median_count(&r90),
                final_accuracy: (median(&fin_t), median(&fin_r)),
                ideal_liked: mean(&liked),
                ideal_percentile: median(&pct),
                variations_liked: mean(&var_liked),
                herd_liked: (mean(&herd_s), mean(&herd_u)),
                breeding_gain: mean(&gain),
            }
        })
        .collect();
    HarnessReport {
        config: config.clone(),
        rows,
    }
}

impl std::fmt::Display for HarnessReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let c = &self.config;
        let n = |x: Option<usize>| x.map_or(format!(">{}", c.budget), |v| v.to_string());
        let ratio = |t: Option<usize>, r: Option<usize>| match (t, r) {
            (Some(t), Some(r)) => format!("{:.2}", t as f64 / r as f64),
            (Some(t), None) => format!("<{:.2}", t as f64 / c.budget as f64),
            _ => "-".into(),
        };
        writeln!(
            f,
            "{} owner(s) per kind, ≤ {} swipes each in batches of {}, accuracy on {} random characters; breeding: herd {}, market {}, {} generations",
            c.owners, c.budget, c.queue.prompts, c.test, c.herd, c.market, c.generations
        )?;
        writeln!(
            f,
            "| owner       | labels to 85% (targeted / random) | labels to 90% (targeted / random) | ratio @90 | acc @{} (t / r) | ideal liked | ideal pctile | variations liked | herd liked (steered / random) | gain (σ) |",
            c.budget
        )?;
        writeln!(f, "|---|---|---|---|---|---|---|---|---|---|")?;
        for r in &self.rows {
            writeln!(
                f,
                "| {:<11} | {:>6} / {:<6} | {:>6} / {:<6} | {:>5} | {:.3} / {:.3} | {:.0}% | {:.1} | {:.0}% | {:.0}% / {:.0}% | {:+.2} |",
                r.kind,
                n(r.targeted_85),
                n(r.random_85),
                n(r.targeted_90),
                n(r.random_90),
                ratio(r.targeted_90, r.random_90),
                r.final_accuracy.0,
                r.final_accuracy.1,
                100.0 * r.ideal_liked,
                r.ideal_percentile,
                100.0 * r.variations_liked,
                100.0 * r.herd_liked.0,
                100.0 * r.herd_liked.1,
                r.breeding_gain
            )?;
        }
        Ok(())
    }
}
