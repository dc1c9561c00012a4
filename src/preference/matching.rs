//! Matching owners (patent figs. 8–9): one token scored by many owners' models at once, and the
//! mutual score of two owners — each one's model on the other's tokens.
//!
//! A [`ModelBank`] stores many taste tables transposed, `[gene][value][model]`, so scoring one
//! token is 40 contiguous column adds over all models (goal: 100 000 models in ≤ 10 ms). It is
//! processed in blocks of models small enough that the running sums stay in L1. Memory is 640 ×
//! 4 bytes per model (256 MB for 100 000).

use super::fit::sigmoid;
use super::labels::Task;
use super::model::TasteModel;
use super::rank::top_k;
use super::{GeneTable, PreferenceError};
use crate::genome::levels::LEVELS;
use crate::genome::{Genome, GENES};
use serde::{Deserialize, Serialize};

/// Models per block: 4 096 running sums (16 KiB) stay in L1 while 40 columns stream past.
const BLOCK: usize = 4096;

/// Many owners' taste tables, laid out to score one token by all of them at once.
#[derive(Debug, Clone)]
pub struct ModelBank {
    /// Models held.
    models: usize,
    /// Each model's constant.
    bias: Vec<f32>,
    /// `columns[(g · 16 + v) · models + m]` = model m's `T[g][v]`.
    columns: Vec<f32>,
}

impl ModelBank {
    /// A bank of tables (each a taste's log-odds), in the order given.
    pub fn new<'a>(tables: impl IntoIterator<Item = &'a GeneTable>) -> Self {
        let tables: Vec<&GeneTable> = tables.into_iter().collect();
        let models = tables.len();
        let mut columns = vec![0f32; GENES * LEVELS * models];
        for (m, t) in tables.iter().enumerate() {
            for g in 0..GENES {
                for v in 0..LEVELS {
                    columns[(g * LEVELS + v) * models + m] = t.values[g][v] as f32;
                }
            }
        }
        ModelBank {
            models,
            bias: tables.iter().map(|t| t.bias as f32).collect(),
            columns,
        }
    }

    /// A bank of taste models; classes models are refused (aim at a class and bank its table).
    pub fn from_models<'a>(
        models: impl IntoIterator<Item = &'a TasteModel>,
    ) -> Result<Self, PreferenceError> {
        let models: Vec<&TasteModel> = models.into_iter().collect();
        if let Some(i) = models.iter().position(|m| !matches!(m.task(), Task::Taste)) {
            return Err(PreferenceError::Incompatible(format!(
                "model {i} is a classes model; a bank holds taste models"
            )));
        }
        Ok(ModelBank::new(models.iter().map(|m| m.table(0))))
    }

    /// Models held.
    pub fn len(&self) -> usize {
        self.models
    }

    /// True when the bank holds no model.
    pub fn is_empty(&self) -> bool {
        self.models == 0
    }

    /// Every model's log-odds for `token`, into `out` (length `len()`).
    pub fn log_odds_into(&self, token: &Genome, out: &mut [f32]) {
        assert_eq!(out.len(), self.models, "one output per model");
        let mains: Vec<usize> = token.genes().map(|g| g.main as usize).collect();
        let mut start = 0;
        while start < self.models {
            let end = (start + BLOCK).min(self.models);
            let acc = &mut out[start..end];
            acc.copy_from_slice(&self.bias[start..end]);
            for (g, v) in mains.iter().enumerate() {
                let base = (g * LEVELS + v) * self.models;
                for (a, c) in acc.iter_mut().zip(&self.columns[base + start..base + end]) {
                    *a += c;
                }
            }
            start = end;
        }
    }

    /// Every model's like probability for `token`.
    pub fn probabilities(&self, token: &Genome) -> Vec<f32> {
        let mut out = vec![0f32; self.models];
        self.log_odds_into(token, &mut out);
        for x in out.iter_mut() {
            *x = sigmoid(*x as f64) as f32;
        }
        out
    }

    /// The k models that like `token` most, as (model index, probability), best first.
    pub fn top(&self, token: &Genome, k: usize) -> Vec<(usize, f32)> {
        let mut logits = vec![0f32; self.models];
        self.log_odds_into(token, &mut logits);
        top_k(self.models, k, |i| logits[i])
            .into_iter()
            .map(|(i, l)| (i, sigmoid(l as f64) as f32))
            .collect()
    }
}

/// How two owners rate each other's tokens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mutual {
    /// Mean probability that owner A likes B's tokens.
    pub a_likes_b: f64,
    /// Mean probability that owner B likes A's tokens.
    pub b_likes_a: f64,
    /// Their geometric mean: high only when the liking goes both ways.
    pub mutual: f64,
    /// Index (into B's tokens) of the one A likes most.
    pub a_favourite: Option<usize>,
    /// Index (into A's tokens) of the one B likes most.
    pub b_favourite: Option<usize>,
}

/// The mutual score of owners A and B: each one's taste model on the other's tokens.
pub fn mutual(
    a: &TasteModel,
    a_tokens: &[Genome],
    b: &TasteModel,
    b_tokens: &[Genome],
) -> Result<Mutual, PreferenceError> {
    for (who, m) in [("A", a), ("B", b)] {
        if !matches!(m.task(), Task::Taste) {
            return Err(PreferenceError::Incompatible(format!(
                "owner {who}'s model is a classes model; matching needs taste models"
            )));
        }
    }
    let side = |model: &TasteModel, tokens: &[Genome]| -> (f64, Option<usize>) {
        if tokens.is_empty() {
            return (0.0, None);
        }
        let p: Vec<f64> = tokens.iter().map(|t| model.like(t)).collect();
        let best = (0..p.len()).fold(0, |b, i| if p[i] > p[b] { i } else { b });
        (p.iter().sum::<f64>() / p.len() as f64, Some(best))
    };
    let (a_likes_b, a_favourite) = side(a, b_tokens);
    let (b_likes_a, b_favourite) = side(b, a_tokens);
    Ok(Mutual {
        a_likes_b,
        b_likes_a,
        mutual: (a_likes_b * b_likes_a).sqrt(),
        a_favourite,
        b_favourite,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bank_scores_like_each_table() {
        let tables: Vec<GeneTable> = (0..5000)
            .map(|m| {
                let mut t = GeneTable::zero();
                t.bias = m as f64 * 1e-3;
                for g in 0..GENES {
                    for v in 0..LEVELS {
                        t.values[g][v] = (((m * 31 + g * 7 + v * 13) % 17) as f64 - 8.0) / 40.0;
                    }
                }
                t
            })
            .collect();
        let bank = ModelBank::new(&tables);
        let mut bytes = [0u8; 40];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (i as u8).wrapping_mul(29);
        }
        let token = Genome::from_bytes(bytes);
        let mut out = vec![0f32; bank.len()];
        bank.log_odds_into(&token, &mut out);
        for (m, t) in tables.iter().enumerate().step_by(97) {
            assert!((out[m] as f64 - t.score(&token)).abs() < 1e-4);
        }
        let top = bank.top(&token, 3);
        let best = (0..tables.len())
            .max_by(|a, b| {
                tables[*a]
                    .score(&token)
                    .total_cmp(&tables[*b].score(&token))
            })
            .unwrap();
        assert_eq!(top[0].0, best);
    }
}
