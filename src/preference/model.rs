//! [`TasteModel`]: what an owner's labels become — a linear model on the genome's features, kept
//! with its per-gene tables so that every use of it is table lookups.
//!
//! A taste model has one output, the log-odds that the owner likes a character; it learns from
//! swipes (hard labels), sliders (soft labels) and picks (Bradley–Terry comparisons on feature
//! differences) in one fit. A classes model has one output per class and learns by softmax. An
//! [`Objective`] names one thing to aim at — the like probability or one class's — and gives
//! ideal, nudge, rank and steer the additive score they optimise.

use super::features::{FeatureMap, GeneTable};
use super::fit::{self, Design, DesignBuilder, FitOptions};
use super::labels::{Label, LabelBook, Task};
use super::PreferenceError;
use crate::genome::Genome;
use serde::{Deserialize, Serialize};

/// Which output of a model to aim at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Goal {
    /// The like probability of a taste model.
    Like,
    /// The probability of one class (by index) of a classes model.
    Class(usize),
}

/// What a model says about one character.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Prediction {
    /// A taste model's verdict.
    Taste {
        /// P(the owner likes it).
        like: f64,
        /// The log-odds behind it (the additive score).
        logit: f64,
    },
    /// A classes model's verdict.
    Classes {
        /// P(class) for each class, in the task's order.
        probabilities: Vec<f64>,
        /// The most likely class.
        class: usize,
        /// Its name.
        name: String,
    },
}

/// What the API shows about a model: what it learned from and how the fit went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelSummary {
    /// What the model predicts.
    pub task: Task,
    /// The feature map it reads.
    pub features: FeatureMap,
    /// Labels learned from.
    pub labels: usize,
    /// Of which swipes.
    pub swipes: usize,
    /// Of which sliders.
    pub sliders: usize,
    /// Of which picks (1 of 2, 1 of 4, …).
    pub picks: usize,
    /// Of which class labels.
    pub classes: usize,
    /// Training rows: one per character label, one per comparison a pick implies.
    pub rows: usize,
    /// The L2 strength used.
    pub l2: f64,
    /// Newton steps taken.
    pub iterations: usize,
    /// Whether the fit converged to tolerance.
    pub converged: bool,
    /// True when the model learned from picks alone: its probabilities are then those of beating
    /// an average random character, since comparisons carry no absolute level.
    pub relative: bool,
    /// Owners merged into this model (1 for an owner's own model).
    pub members: usize,
    /// With per-gene relevance on: the L2 strength learned for each gene (0..40). Small means the
    /// owner's labels say the gene matters; large, that it does not — what the UI can show as
    /// "what you care about".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relevance: Option<Vec<f64>>,
}

/// A fitted model: weights per output, compiled into per-gene tables.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(into = "ModelParts", try_from = "ModelParts")]
pub struct TasteModel {
    /// What the model predicts.
    task: Task,
    /// The feature map the weights apply to.
    features: FeatureMap,
    /// Per output, the weights in the map's feature order.
    weights: Vec<Vec<f64>>,
    /// Per output, the intercept.
    biases: Vec<f64>,
    /// Per output, the same model as a lookup table: the form every fast path reads.
    tables: Vec<GeneTable>,
    /// Cholesky factor of the taste fit's penalised Hessian (design order), kept for the queue's
    /// uncertainty; not serialised — the queue recomputes it from the book when absent.
    posterior: Option<std::sync::Arc<Vec<f64>>>,
    /// How the fit went.
    summary: ModelSummary,
}

/// The serde form of a model: the weights; tables are recompiled on the way in.
#[derive(Serialize, Deserialize)]
struct ModelParts {
    summary: ModelSummary,
    weights: Vec<Vec<f64>>,
    biases: Vec<f64>,
}

impl From<TasteModel> for ModelParts {
    fn from(m: TasteModel) -> Self {
        ModelParts {
            summary: m.summary,
            weights: m.weights,
            biases: m.biases,
        }
    }
}

impl TryFrom<ModelParts> for TasteModel {
    type Error = PreferenceError;
    fn try_from(p: ModelParts) -> Result<Self, Self::Error> {
        let outputs = p.summary.task.outputs();
        let dim = p.summary.features.dim();
        if p.weights.len() != outputs || p.biases.len() != outputs {
            return Err(PreferenceError::Incompatible(format!(
                "a {} model needs {outputs} weight vectors and biases, got {} and {}",
                p.summary.task.name(),
                p.weights.len(),
                p.biases.len()
            )));
        }
        if let Some(w) = p.weights.iter().find(|w| w.len() != dim) {
            return Err(PreferenceError::Incompatible(format!(
                "weights must have {dim} entries for the {:?} feature map, got {}",
                p.summary.features,
                w.len()
            )));
        }
        Ok(TasteModel::from_parts(p.summary, p.weights, p.biases, None))
    }
}

/// A book turned into training rows.
pub(crate) struct Rows {
    /// The design matrix.
    pub design: Design,
    /// Soft target per row (taste), or the class per row (classes).
    pub targets: Targets,
}

/// Per-row targets.
pub(crate) enum Targets {
    /// Like probability in 0..=1 (1 for the chosen side of a comparison).
    Soft(Vec<f64>),
    /// Class index.
    Class(Vec<usize>),
}

/// The rows of `book` under `map`.
pub(crate) fn rows(book: &LabelBook, map: FeatureMap) -> Rows {
    let layout = map.layout();
    let mut builder = DesignBuilder::new(layout.dense, layout.sparse(), book.entries().len());
    let (mut soft, mut class) = (Vec::new(), Vec::new());
    let mut dense_a = vec![0.0; layout.dense];
    let mut dense_b = vec![0.0; layout.dense];
    let (mut hot_a, mut hot_b) = (Vec::new(), Vec::new());
    for label in book.labels() {
        match label {
            Label::Swipe { genome, like } => {
                map.row(genome, &mut dense_a, &mut hot_a);
                builder.push(&dense_a, 1.0, hot_a.iter().map(|c| (*c, 1.0)));
                soft.push(if *like { 1.0 } else { 0.0 });
            }
            Label::Slider { genome, value } => {
                map.row(genome, &mut dense_a, &mut hot_a);
                builder.push(&dense_a, 1.0, hot_a.iter().map(|c| (*c, 1.0)));
                soft.push(*value);
            }
            Label::Pick { shown, chosen } => {
                map.row(&shown[*chosen], &mut dense_a, &mut hot_a);
                for (j, other) in shown.iter().enumerate() {
                    if j == *chosen {
                        continue;
                    }
                    map.row(other, &mut dense_b, &mut hot_b);
                    let diff: Vec<f64> = dense_a.iter().zip(&dense_b).map(|(a, b)| a - b).collect();
                    let sparse = hot_a
                        .iter()
                        .map(|c| (*c, 1.0))
                        .chain(hot_b.iter().map(|c| (*c, -1.0)));
                    builder.push_merged(&diff, 0.0, sparse);
                    soft.push(1.0);
                }
            }
            Label::Class { genome, class: c } => {
                map.row(genome, &mut dense_a, &mut hot_a);
                builder.push(&dense_a, 1.0, hot_a.iter().map(|c| (*c, 1.0)));
                class.push(*c);
            }
        }
    }
    let targets = match book.task() {
        Task::Taste => Targets::Soft(soft),
        Task::Classes { .. } => Targets::Class(class),
    };
    Rows {
        design: builder.build(),
        targets,
    }
}

impl TasteModel {
    /// Fit a model to an owner's book on the 160-d latent features.
    pub fn fit(book: &LabelBook, options: &FitOptions) -> Result<TasteModel, PreferenceError> {
        TasteModel::fit_with(book, FeatureMap::default(), options)
    }

    /// Fit a model to a book on a chosen feature map.
    pub fn fit_with(
        book: &LabelBook,
        map: FeatureMap,
        options: &FitOptions,
    ) -> Result<TasteModel, PreferenceError> {
        options.check()?;
        if book.is_empty() {
            return Err(PreferenceError::NoLabels);
        }
        let rows = rows(book, map);
        Ok(TasteModel::fit_rows(book, map, &rows, options, None))
    }

    /// Fit on prepared rows (the k-fold and the queue reuse them). `start` warm-starts a taste fit.
    pub(crate) fn fit_rows(
        book: &LabelBook,
        map: FeatureMap,
        rows: &Rows,
        options: &FitOptions,
        start: Option<&[f64]>,
    ) -> TasteModel {
        let n = rows.design.rows();
        let ones = vec![1.0; n];
        let mut relevance = None;
        let (fitted, outputs) = match &rows.targets {
            Targets::Soft(y) if options.relevance => {
                // Design order: dense features, intercept, sparse features.
                let genes = map.gene_of_feature();
                let dense = map.layout().dense;
                let groups: Vec<Option<usize>> = genes[..dense]
                    .iter()
                    .map(|g| Some(*g))
                    .chain([None])
                    .chain(genes[dense..].iter().map(|g| Some(*g)))
                    .collect();
                let (fitted, strengths) =
                    fit::logistic_relevance(&rows.design, y, &ones, &groups, options);
                relevance = Some(strengths);
                (fitted, 1)
            }
            Targets::Soft(y) => (fit::logistic(&rows.design, y, &ones, options, start), 1),
            Targets::Class(c) => {
                let k = book.task().outputs();
                (fit::softmax(&rows.design, c, &ones, k, options), k)
            }
        };
        let (mut swipes, mut sliders, mut picks, mut classes) = (0, 0, 0, 0);
        for l in book.labels() {
            match l {
                Label::Swipe { .. } => swipes += 1,
                Label::Slider { .. } => sliders += 1,
                Label::Pick { .. } => picks += 1,
                Label::Class { .. } => classes += 1,
            }
        }
        let relative = matches!(book.task(), Task::Taste) && swipes + sliders == 0;
        let summary = ModelSummary {
            task: book.task().clone(),
            features: map,
            labels: swipes + sliders + picks + classes,
            swipes,
            sliders,
            picks,
            classes,
            rows: n,
            l2: options.l2,
            iterations: fitted.iterations,
            converged: fitted.converged,
            relative,
            members: 1,
            relevance,
        };
        let p = rows.design.params();
        let (dd, icpt) = (rows.design.dd(), rows.design.intercept());
        let mut weights = Vec::with_capacity(outputs);
        let mut biases = Vec::with_capacity(outputs);
        for o in 0..outputs {
            let theta = &fitted.theta[o * p..(o + 1) * p];
            let mut w = theta[..icpt].to_vec();
            w.extend_from_slice(&theta[dd..]);
            weights.push(w);
            biases.push(theta[icpt]);
        }
        let mut model = TasteModel::from_parts(
            summary,
            weights,
            biases,
            fitted.hessian_factor.map(std::sync::Arc::new),
        );
        if relative {
            // Comparisons fix no level: centre the log-odds on an average random character.
            let shift = model.tables[0].prior_mean();
            model.biases[0] -= shift;
            model.tables[0].bias -= shift;
        }
        model
    }

    /// A model from its parts (weights in the map's order), compiling the tables.
    pub(crate) fn from_parts(
        summary: ModelSummary,
        weights: Vec<Vec<f64>>,
        biases: Vec<f64>,
        posterior: Option<std::sync::Arc<Vec<f64>>>,
    ) -> TasteModel {
        let map = summary.features;
        let tables = weights
            .iter()
            .zip(&biases)
            .map(|(w, b)| map.gene_table(w, *b))
            .collect();
        TasteModel {
            task: summary.task.clone(),
            features: map,
            weights,
            biases,
            tables,
            posterior,
            summary,
        }
    }

    /// The design-order parameters of output `o` (dense, intercept, sparse): the warm start
    /// for the next fit and the point the queue's posterior is taken at.
    pub(crate) fn theta(&self, o: usize) -> Vec<f64> {
        let dense = self.features.layout().dense;
        let w = &self.weights[o];
        let mut t = w[..dense].to_vec();
        t.push(self.biases[o]);
        t.extend_from_slice(&w[dense..]);
        t
    }

    /// The taste fit's Hessian factor, if kept.
    pub(crate) fn posterior(&self) -> Option<&[f64]> {
        self.posterior.as_deref().map(|v| v.as_slice())
    }

    /// What the model predicts.
    pub fn task(&self) -> &Task {
        &self.task
    }

    /// The feature map the model reads.
    pub fn features(&self) -> FeatureMap {
        self.features
    }

    /// How the fit went.
    pub fn summary(&self) -> &ModelSummary {
        &self.summary
    }

    /// Mark the model as merged from `members` owners (group models).
    pub(crate) fn set_members(&mut self, members: usize) {
        self.summary.members = members;
    }

    /// Outputs: 1 for a taste, N for classes.
    pub fn outputs(&self) -> usize {
        self.tables.len()
    }

    /// Output `o`'s weights in the feature map's order.
    pub fn weights(&self, o: usize) -> &[f64] {
        &self.weights[o]
    }

    /// Output `o`'s intercept.
    pub fn bias(&self, o: usize) -> f64 {
        self.biases[o]
    }

    /// Output `o` as a per-gene table.
    pub fn table(&self, o: usize) -> &GeneTable {
        &self.tables[o]
    }

    /// The model's verdict on one character.
    pub fn predict(&self, genome: &Genome) -> Prediction {
        match &self.task {
            Task::Taste => {
                let logit = self.tables[0].score(genome);
                Prediction::Taste {
                    like: fit::sigmoid(logit),
                    logit,
                }
            }
            Task::Classes { names } => {
                let probabilities = self.class_probabilities(genome);
                let class = argmax(&probabilities);
                Prediction::Classes {
                    probabilities,
                    class,
                    name: names[class].clone(),
                }
            }
        }
    }

    /// P(like) for a taste model; P(first class) for a classes model is not this — use
    /// [`TasteModel::objective`].
    pub fn like(&self, genome: &Genome) -> f64 {
        fit::sigmoid(self.tables[0].score(genome))
    }

    /// Class probabilities (a taste model gives `[P(dislike), P(like)]`).
    pub fn class_probabilities(&self, genome: &Genome) -> Vec<f64> {
        if matches!(self.task, Task::Taste) {
            let p = self.like(genome);
            return vec![1.0 - p, p];
        }
        let s: Vec<f64> = self.tables.iter().map(|t| t.score(genome)).collect();
        softmax(&s)
    }

    /// The objective for `goal`, checked against the task.
    pub fn objective(&self, goal: Goal) -> Result<Objective<'_>, PreferenceError> {
        match (goal, &self.task) {
            (Goal::Like, Task::Taste) => Ok(Objective { model: self, goal }),
            (Goal::Class(c), Task::Classes { names }) if c < names.len() => {
                Ok(Objective { model: self, goal })
            }
            (Goal::Class(c), Task::Classes { names }) => {
                Err(PreferenceError::InvalidGoal(format!(
                    "class must be 0..{} ({}), got {c}",
                    names.len() - 1,
                    names.join(", ")
                )))
            }
            (Goal::Like, Task::Classes { .. }) => Err(PreferenceError::InvalidGoal(
                "a classes model has no like probability; aim at a class".into(),
            )),
            (Goal::Class(_), Task::Taste) => Err(PreferenceError::InvalidGoal(
                "a taste model has no classes; aim at like".into(),
            )),
        }
    }

    /// The like objective of a taste model, or the first class's of a classes model — the
    /// default goal of a model.
    pub fn default_objective(&self) -> Objective<'_> {
        let goal = if matches!(self.task, Task::Taste) {
            Goal::Like
        } else {
            Goal::Class(0)
        };
        Objective { model: self, goal }
    }
}

/// One output of one model to aim at. For a taste it is exactly additive (the log-odds is a
/// [`GeneTable`]); for a class the log-odds `s_c − ln Σ_{k≠c} e^{s_k}` is not, so the users
/// linearise it where they stand and re-check the exact probability.
#[derive(Debug, Clone, Copy)]
pub struct Objective<'a> {
    /// The model.
    pub model: &'a TasteModel,
    /// Its output.
    pub goal: Goal,
}

impl Objective<'_> {
    /// The exact probability of the goal.
    pub fn probability(&self, genome: &Genome) -> f64 {
        match self.goal {
            Goal::Like => self.model.like(genome),
            Goal::Class(c) => self.model.class_probabilities(genome)[c],
        }
    }

    /// The exact log-odds of the goal.
    pub fn log_odds(&self, genome: &Genome) -> f64 {
        match self.goal {
            Goal::Like => self.model.tables[0].score(genome),
            Goal::Class(c) => {
                let s: Vec<f64> = self.model.tables.iter().map(|t| t.score(genome)).collect();
                let others: Vec<f64> = s
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| *k != c)
                    .map(|(_, v)| *v)
                    .collect();
                s[c] - log_sum_exp(&others)
            }
        }
    }

    /// True when [`Objective::linear`] is the exact log-odds.
    pub fn is_linear(&self) -> bool {
        matches!(self.goal, Goal::Like) || self.model.outputs() == 2
    }

    /// An additive score that rises with the goal: the log-odds itself for a taste (and for a
    /// two-class model); for a class, its logit against the mean of the others.
    pub fn linear(&self) -> GeneTable {
        match self.goal {
            Goal::Like => self.model.tables[0].clone(),
            Goal::Class(c) => {
                let k = self.model.outputs();
                let mut t = self.model.tables[c].clone();
                for (j, other) in self.model.tables.iter().enumerate() {
                    if j != c {
                        t.add_scaled(other, -1.0 / (k - 1) as f64);
                    }
                }
                t
            }
        }
    }

    /// The log-odds linearised at `at`: equal to it there, and above it elsewhere (log-sum-exp
    /// is convex), so a search on it must re-check [`Objective::log_odds`].
    pub fn linear_at(&self, at: &Genome) -> GeneTable {
        match self.goal {
            Goal::Like => self.model.tables[0].clone(),
            Goal::Class(c) => {
                let s: Vec<f64> = self.model.tables.iter().map(|t| t.score(at)).collect();
                let idx: Vec<usize> = (0..s.len()).filter(|k| *k != c).collect();
                let others: Vec<f64> = idx.iter().map(|k| s[*k]).collect();
                let weights = softmax(&others);
                let mut t = self.model.tables[c].clone();
                let mut mean_other = 0.0;
                for (w, k) in weights.iter().zip(&idx) {
                    t.add_scaled(&self.model.tables[*k], -w);
                    mean_other += w * s[*k];
                }
                t.bias += mean_other - log_sum_exp(&others);
                t
            }
        }
    }
}

/// ln(p / (1 − p)), with p kept inside (1e-12, 1 − 1e-12).
pub fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-12, 1.0 - 1e-12);
    (p / (1.0 - p)).ln()
}

/// Numerically safe ln Σ eˣ.
pub(crate) fn log_sum_exp(x: &[f64]) -> f64 {
    let top = x.iter().cloned().fold(f64::MIN, f64::max);
    top + x.iter().map(|v| (v - top).exp()).sum::<f64>().ln()
}

/// The softmax of a vector.
pub(crate) fn softmax(x: &[f64]) -> Vec<f64> {
    let top = x.iter().cloned().fold(f64::MIN, f64::max);
    let e: Vec<f64> = x.iter().map(|v| (v - top).exp()).collect();
    let z: f64 = e.iter().sum();
    e.into_iter().map(|v| v / z).collect()
}

/// Index of the largest value (the first on ties).
pub(crate) fn argmax(x: &[f64]) -> usize {
    let mut best = 0;
    for (i, v) in x.iter().enumerate() {
        if *v > x[best] {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::genome::Gene;

    fn with_attr(slot: usize, v: u8, code: u8) -> Genome {
        let mut g = Genome::from_bytes([code << 4; 40]);
        g.set_gene(32 + slot, Gene::new(v, 0));
        g
    }

    #[test]
    fn swipes_sliders_and_picks_teach_one_taste() {
        let mut book = LabelBook::taste();
        for i in 0..8u8 {
            book.add(Label::Swipe {
                genome: with_attr(0, 4, i * 2),
                like: true,
            })
            .unwrap();
            book.add(Label::Slider {
                genome: with_attr(0, 9, i * 2),
                value: 0.1,
            })
            .unwrap();
            book.add(Label::Pick {
                shown: vec![with_attr(0, 9, i), with_attr(0, 4, 15 - i)],
                chosen: 1,
            })
            .unwrap();
        }
        let model = TasteModel::fit(&book, &FitOptions::default()).unwrap();
        assert!(model.summary().converged);
        assert_eq!(
            (
                model.summary().swipes,
                model.summary().sliders,
                model.summary().picks
            ),
            (8, 8, 8)
        );
        assert_eq!(model.summary().rows, 24);
        assert!(model.like(&with_attr(0, 4, 7)) > 0.7);
        assert!(model.like(&with_attr(0, 9, 7)) < 0.3);
    }

    #[test]
    fn picks_alone_give_a_relative_model_centred_on_the_prior() {
        let mut book = LabelBook::taste();
        for i in 0..6u8 {
            book.add(Label::Pick {
                shown: vec![with_attr(3, 1, i), with_attr(3, 2, i)],
                chosen: 0,
            })
            .unwrap();
        }
        let model = TasteModel::fit(&book, &FitOptions::default()).unwrap();
        assert!(model.summary().relative);
        assert!(model.table(0).prior_mean().abs() < 1e-9);
        assert!(model.like(&with_attr(3, 1, 5)) > model.like(&with_attr(3, 2, 5)));
    }

    #[test]
    fn a_model_round_trips_through_json() {
        let mut book = LabelBook::classes(["kiss", "marry", "kill"]).unwrap();
        for i in 0..9u8 {
            book.add(Label::Class {
                genome: with_attr(1, i % 3, i),
                class: (i % 3) as usize,
            })
            .unwrap();
        }
        let model = TasteModel::fit(&book, &FitOptions::default()).unwrap();
        let text = serde_json::to_string(&model).unwrap();
        let back: TasteModel = serde_json::from_str(&text).unwrap();
        let g = with_attr(1, 2, 5); // a training character of class 2
                                    // serde_json parses floats to within an ulp, not always exactly.
        let (a, b) = (back.class_probabilities(&g), model.class_probabilities(&g));
        assert!(
            a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-12),
            "{a:?} vs {b:?}"
        );
        match model.predict(&g) {
            Prediction::Classes { name, .. } => assert_eq!(name, "kill"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_class_linearisation_is_exact_where_it_is_taken() {
        let mut book = LabelBook::classes(["a", "b", "c"]).unwrap();
        for i in 0..12u8 {
            book.add(Label::Class {
                genome: with_attr(2, i % 4, i),
                class: (i % 3) as usize,
            })
            .unwrap();
        }
        let model = TasteModel::fit(&book, &FitOptions::default()).unwrap();
        let obj = model.objective(Goal::Class(1)).unwrap();
        let at = with_attr(2, 1, 3);
        assert!((obj.linear_at(&at).score(&at) - obj.log_odds(&at)).abs() < 1e-9);
        let elsewhere = with_attr(2, 3, 9);
        assert!(obj.linear_at(&at).score(&elsewhere) >= obj.log_odds(&elsewhere) - 1e-9);
        assert!(model.objective(Goal::Like).is_err());
        assert!(model.objective(Goal::Class(3)).is_err());
    }
}
