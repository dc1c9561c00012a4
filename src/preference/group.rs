//! Group models (patent fig. 5): several owners' tastes made into one, and several models made
//! into one target (mine + a group's, or two owners' for a mutual ideal).
//!
//! Three ways, for three questions:
//! - [`blend`]: a weighted mean of the models' log-odds — itself a linear model, so it scores,
//!   ranks, nudges and steers like any other. The mean of log-odds is the geometric mean of the
//!   odds: a character the blend likes is one the members like together.
//! - [`median`]: the per-weight median, which one eccentric member cannot drag.
//! - [`pool_labels`]: every member's labels in one book, fitted as one owner — the group as if it
//!   were a single labeller, weighting members by how much they labelled.

use super::labels::{Entry, LabelBook};
use super::model::{ModelSummary, TasteModel};
use super::PreferenceError;

/// Check that models can be combined: same task, same feature map, at least one.
fn compatible(models: &[&TasteModel]) -> Result<(), PreferenceError> {
    let first = models
        .first()
        .ok_or_else(|| PreferenceError::Incompatible("no models given".into()))?;
    for (i, m) in models.iter().enumerate().skip(1) {
        if m.task() != first.task() {
            return Err(PreferenceError::Incompatible(format!(
                "model {i} predicts {:?} but model 0 predicts {:?}",
                m.task(),
                first.task()
            )));
        }
        if m.features() != first.features() {
            return Err(PreferenceError::Incompatible(format!(
                "model {i} reads {:?} features but model 0 reads {:?}",
                m.features(),
                first.features()
            )));
        }
    }
    Ok(())
}

/// The summary of a model merged from `models`.
fn merged_summary(models: &[&TasteModel]) -> ModelSummary {
    let s0 = models[0].summary();
    let sum = |f: fn(&ModelSummary) -> usize| models.iter().map(|m| f(m.summary())).sum::<usize>();
    ModelSummary {
        task: s0.task.clone(),
        features: s0.features,
        labels: sum(|s| s.labels),
        swipes: sum(|s| s.swipes),
        sliders: sum(|s| s.sliders),
        picks: sum(|s| s.picks),
        classes: sum(|s| s.classes),
        rows: sum(|s| s.rows),
        l2: models.iter().map(|m| m.summary().l2).sum::<f64>() / models.len() as f64,
        iterations: 0,
        converged: models.iter().all(|m| m.summary().converged),
        relative: models.iter().all(|m| m.summary().relative),
        members: sum(|s| s.members),
        relevance: None,
    }
}

/// The weighted mean of the models' log-odds (weights ≥ 0, not all zero; they are normalised).
pub fn blend(parts: &[(&TasteModel, f64)]) -> Result<TasteModel, PreferenceError> {
    let models: Vec<&TasteModel> = parts.iter().map(|(m, _)| *m).collect();
    compatible(&models)?;
    if let Some((i, (_, w))) = parts
        .iter()
        .enumerate()
        .find(|(_, (_, w))| !(*w >= 0.0 && w.is_finite()))
    {
        return Err(PreferenceError::InvalidOption(format!(
            "blend weight {i} must be a finite number ≥ 0, got {w}"
        )));
    }
    let total: f64 = parts.iter().map(|(_, w)| w).sum();
    if total <= 0.0 {
        return Err(PreferenceError::InvalidOption(
            "blend weights must not all be 0".into(),
        ));
    }
    let (outputs, dim) = (models[0].outputs(), models[0].features().dim());
    let mut weights = vec![vec![0.0; dim]; outputs];
    let mut biases = vec![0.0; outputs];
    for (m, w) in parts {
        let share = w / total;
        for o in 0..outputs {
            for (acc, x) in weights[o].iter_mut().zip(m.weights(o)) {
                *acc += share * x;
            }
            biases[o] += share * m.bias(o);
        }
    }
    Ok(TasteModel::from_parts(
        merged_summary(&models),
        weights,
        biases,
        None,
    ))
}

/// The per-weight median of the models (the mean of the middle two for an even count).
pub fn median(models: &[&TasteModel]) -> Result<TasteModel, PreferenceError> {
    compatible(models)?;
    let (outputs, dim) = (models[0].outputs(), models[0].features().dim());
    let mid = |mut xs: Vec<f64>| -> f64 {
        xs.sort_by(f64::total_cmp);
        let n = xs.len();
        if n % 2 == 1 {
            xs[n / 2]
        } else {
            0.5 * (xs[n / 2 - 1] + xs[n / 2])
        }
    };
    let weights: Vec<Vec<f64>> = (0..outputs)
        .map(|o| {
            (0..dim)
                .map(|j| mid(models.iter().map(|m| m.weights(o)[j]).collect()))
                .collect()
        })
        .collect();
    let biases: Vec<f64> = (0..outputs)
        .map(|o| mid(models.iter().map(|m| m.bias(o)).collect()))
        .collect();
    Ok(TasteModel::from_parts(
        merged_summary(models),
        weights,
        biases,
        None,
    ))
}

/// Every member's labels in one book (skips dropped), to fit as one owner. The fitted model's
/// summary counts `members` once per book.
pub fn pool_labels(books: &[&LabelBook]) -> Result<LabelBook, PreferenceError> {
    let first = books
        .first()
        .ok_or_else(|| PreferenceError::Incompatible("no label books given".into()))?;
    let mut pooled = LabelBook::new(first.task().clone());
    for (i, book) in books.iter().enumerate() {
        if book.task() != first.task() {
            return Err(PreferenceError::Incompatible(format!(
                "book {i} teaches {:?} but book 0 teaches {:?}",
                book.task(),
                first.task()
            )));
        }
        for e in book.entries() {
            if let Entry::Labelled(l) = e {
                pooled.add(l.clone())?;
            }
        }
    }
    Ok(pooled)
}

/// Fit the pooled labels of several owners as one group model.
pub fn fit_pooled(
    books: &[&LabelBook],
    options: &super::FitOptions,
) -> Result<TasteModel, PreferenceError> {
    let mut model = TasteModel::fit(&pool_labels(books)?, options)?;
    model.set_members(books.len());
    Ok(model)
}
