//! The preference engine: each owner teaches Chimera their taste by labelling generated
//! characters, and the learned model works in the genome's latent space — it scores, ranks,
//! generates the ideal, nudges, matches owners and steers breeding (the latent-space classifier
//! patent, figs. 3–18).
//!
//! Pure like the rest of the core: values and explicit seeds in, values out; no I/O, no clock, no
//! global RNG. Every type the API returns is `Serialize` and every type it accepts `Deserialize`.
//!
//! ## Layout
//!
//! Labels flow in at the top, a model comes out of `model`, and every use of a model is one file:
//!
//! - [`labels`] — what an owner says: [`Label`] (swipe, slider, pick 1 of N, class), kept with
//!   skips in a [`LabelBook`] that can undo; every label stores the genome, never the picture.
//! - [`features`] — the [`FeatureMap`] from a genome to the vector a model reads (today the 160-d
//!   `Genome::features()`), and how a linear model on it compiles to a per-gene [`GeneTable`].
//! - [`fit`] — the solvers: L2 logistic regression with soft labels and Bradley–Terry comparison
//!   rows in one Newton fit, softmax for N classes; a structured Gram product and a Cholesky.
//! - [`model`] — [`TasteModel`]: a fitted model, its tables, its summary, predictions, and the
//!   [`Objective`] (an output to aim at) that ideal, nudge, rank and steer share.
//! - [`eval`] — k-fold held-out accuracy and the learning curve.
//! - [`queue`] — the next batch to label (figs. 3, 18): cold-start Latin hypercube, then balanced,
//!   uncertain, diverse candidates with some exploration.
//! - [`rank`] — top-k of many genomes by one model (pair tables over the raw bytes).
//! - [`ideal`] — reverse classification: genomes a model scores at a target confidence while
//!   staying close to the prior, with diverse variations; jointly for several models.
//! - [`nudge`] — the minimal-change transform: fewest nibble steps to reach a target (exact DP).
//! - [`matching`] — one token scored by many owners' models at once ([`ModelBank`]), and the
//!   mutual score of two owners.
//! - [`group`] — group models: blend models, take their median, or pool owners' labels.
//! - [`steer`] — rank mates by the exact expected score of their children under the on-chain
//!   law, with sampled child-score distributions from the real `fusion::breed`.
//! - [`simulate`] — simulated owners with hidden tastes and the evaluation harness behind
//!   `examples/taste_eval.rs`.
//! - [`json`] — how genomes appear in this module's serde forms (hex strings).

pub mod eval;
pub mod features;
pub mod fit;
pub mod group;
pub mod ideal;
pub mod json;
pub mod labels;
pub mod matching;
pub mod model;
pub mod nudge;
pub mod queue;
pub mod rank;
pub mod simulate;
pub mod steer;

pub use eval::{cross_validate, learning_curve, CurvePoint, Validation};
pub use features::{FeatureMap, GeneTable};
pub use fit::FitOptions;
pub use group::{blend, median, pool_labels};
pub use ideal::{ideal, ideal_per_class, Ideal, IdealCandidate, IdealOptions};
pub use labels::{Entry, Label, LabelBook, LabelMode, Task};
pub use matching::{mutual, ModelBank, Mutual};
pub use model::{Goal, ModelSummary, Objective, Prediction, TasteModel};
pub use nudge::{nudge, Edit, Nudge};
pub use queue::{next_batch, Batch, Prompt, QueueOptions, Reason};
pub use rank::{rank, Ranked, Ranker};
pub use steer::{expected_child_score, steer, MateScore, SteerOptions};

/// Why the preference engine refused a request. Messages say what was wrong and what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PreferenceError {
    /// A label that cannot be recorded as given.
    #[error("invalid label: {0}")]
    InvalidLabel(String),
    /// A label of a kind the book's task does not take.
    #[error("a {label} label cannot go into a {task} book; {hint}")]
    WrongTask {
        /// The label's kind.
        label: &'static str,
        /// The book's task.
        task: &'static str,
        /// What to use instead.
        hint: &'static str,
    },
    /// Class names that cannot define a task.
    #[error("invalid classes: {0}")]
    InvalidClasses(String),
    /// Fitting needs labels.
    #[error("no labels to learn from; label at least one character first")]
    NoLabels,
    /// Models that cannot be combined or compared.
    #[error("models do not fit together: {0}")]
    Incompatible(String),
    /// A goal the model does not have.
    #[error("invalid goal: {0}")]
    InvalidGoal(String),
    /// A numeric option out of its range.
    #[error("invalid option: {0}")]
    InvalidOption(String),
}
