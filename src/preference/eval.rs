//! How good a model is, from its own labels: k-fold held-out accuracy and the learning curve
//! (accuracy against the number of labels) that tells an owner whether more labelling helps.
//!
//! Folds split labels, not rows, so the comparisons of one pick stay together; label i goes to
//! fold i mod k, which spreads early and late labels over every fold. A label counts as right
//! when the model agrees with it: a swipe on the same side of ½, a slider on the same side of ½
//! (a slider at exactly ½ says nothing and is left out), a pick when the chosen character scores
//! highest, a class when it is the most probable.

use super::fit::FitOptions;
use super::labels::{Label, LabelBook};
use super::model::{argmax, TasteModel};
use super::PreferenceError;
use serde::{Deserialize, Serialize};

/// The held-out accuracy of a book's model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Validation {
    /// Folds used (fewer than asked when there are fewer labels).
    pub folds: usize,
    /// Labels judged (sliders at ½ excluded).
    pub judged: usize,
    /// Share of held-out labels the model got right.
    pub accuracy: f64,
}

/// One point of a learning curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    /// The first `labels` labels were used.
    pub labels: usize,
    /// Their k-fold held-out accuracy.
    pub accuracy: f64,
}

/// Whether `model` agrees with `label`; `None` when the label takes no side.
pub fn agrees(model: &TasteModel, label: &Label) -> Option<bool> {
    match label {
        Label::Swipe { genome, like } => Some((model.like(genome) >= 0.5) == *like),
        Label::Slider { genome, value } if *value != 0.5 => {
            Some((model.like(genome) >= 0.5) == (*value > 0.5))
        }
        Label::Slider { .. } => None,
        Label::Pick { shown, chosen } => {
            let scores: Vec<f64> = shown.iter().map(|g| model.table(0).score(g)).collect();
            Some(
                scores
                    .iter()
                    .enumerate()
                    .all(|(i, s)| i == *chosen || *s < scores[*chosen]),
            )
        }
        Label::Class { genome, class } => {
            Some(argmax(&model.class_probabilities(genome)) == *class)
        }
    }
}

/// k-fold held-out accuracy of the model `options` fits to `book`.
pub fn cross_validate(
    book: &LabelBook,
    options: &FitOptions,
    folds: usize,
) -> Result<Validation, PreferenceError> {
    options.check()?;
    let n = book.len();
    if n < 2 {
        return Err(PreferenceError::NoLabels);
    }
    if folds < 2 {
        return Err(PreferenceError::InvalidOption(format!(
            "folds must be at least 2, got {folds}"
        )));
    }
    let k = folds.min(n);
    let labels: Vec<&Label> = book.labels().collect();
    let (mut right, mut judged) = (0usize, 0usize);
    for fold in 0..k {
        let train: Vec<usize> = (0..n).filter(|i| i % k != fold).collect();
        let model = TasteModel::fit(&book.subset(&train), options)?;
        for label in labels.iter().skip(fold).step_by(k) {
            if let Some(ok) = agrees(&model, label) {
                judged += 1;
                right += ok as usize;
            }
        }
    }
    let accuracy = if judged == 0 {
        0.0
    } else {
        right as f64 / judged as f64
    };
    Ok(Validation {
        folds: k,
        judged,
        accuracy,
    })
}

/// The learning curve: k-fold accuracy of the first m labels, at `points` values of m spread
/// evenly from 10 (or fewer when the book is small) up to all labels.
pub fn learning_curve(
    book: &LabelBook,
    options: &FitOptions,
    folds: usize,
    points: usize,
) -> Result<Vec<CurvePoint>, PreferenceError> {
    let n = book.len();
    if n < 2 {
        return Err(PreferenceError::NoLabels);
    }
    let first = n.min(10);
    let points = points.max(1);
    let mut sizes: Vec<usize> = (0..points)
        .map(|i| {
            if points == 1 {
                n
            } else {
                first + (n - first) * i / (points - 1)
            }
        })
        .collect();
    sizes.dedup();
    sizes
        .into_iter()
        .map(|m| {
            let v = cross_validate(&book.first(m), options, folds)?;
            Ok(CurvePoint {
                labels: m,
                accuracy: v.accuracy,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::genome::{Gene, Genome};

    #[test]
    fn a_learnable_book_validates_well_and_the_curve_ends_at_all_labels() {
        let mut book = LabelBook::taste();
        for i in 0..40u8 {
            let mut g = Genome::from_bytes([(i.wrapping_mul(7) % 16) << 4 | 3; 40]);
            let v = i % 16;
            g.set_gene(33, Gene::new(v, 0));
            book.add(Label::Swipe {
                genome: g,
                like: v < 8,
            })
            .unwrap();
        }
        let v = cross_validate(&book, &FitOptions::default(), 5).unwrap();
        assert_eq!(v.judged, 40);
        assert!(v.accuracy >= 0.8, "{v:?}");
        let curve = learning_curve(&book, &FitOptions::default(), 5, 4).unwrap();
        assert_eq!(curve.last().unwrap().labels, 40);
        assert_eq!(curve[0].labels, 10);
    }
}
