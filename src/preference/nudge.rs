//! Nudge: the minimal-change transform (patent fig. 7). For an existing token, the smallest set of
//! gene edits that raises its score to a target, and the genome those edits make.
//!
//! Change is counted in nibble steps, the distance a person sees: moving a code gene's main level
//! from 3 to 7 is 4 steps, changing an attribute to any other value is 1. Only main values change
//! (they are what the portrait shows); subs are kept.
//!
//! For a taste the score is a per-gene table, so this is a multiple-choice knapsack — per gene,
//! pick one value with cost `steps` and gain `T[g][v] − T[g][now]`, reach the needed gain at least
//! cost — solved exactly by dynamic programming over the total cost (at most 488 steps, 40 genes ×
//! 16 values: ~0.3 M updates). For a class of a three-or-more-class model the log-odds is
//! linearised where the search stands and the DP repeated until the exact probability holds;
//! that answer is minimal for the linearisation, not proven minimal.

use super::json;
use super::model::{logit, Goal, Objective};
use super::{GeneTable, PreferenceError};
use crate::genome::levels::LEVELS;
use crate::genome::{gene_kind, Gene, GeneKind, Genome, GENES, SLOT_TABLE};
use serde::{Deserialize, Serialize};

/// One gene edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    /// Gene index 0..40.
    pub gene: usize,
    /// The attribute slot's name for genes 32..40; none for code genes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slot: Option<String>,
    /// The main value before.
    pub from: u8,
    /// The main value after.
    pub to: u8,
    /// For attributes, the value names before and after.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub names: Option<(String, String)>,
    /// Nibble steps this edit costs.
    pub steps: u32,
}

/// A nudge: the edits, the genome they make, and what they achieve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Nudge {
    /// The token's genome.
    #[serde(with = "json::genome")]
    pub original: Genome,
    /// The edited genome.
    #[serde(with = "json::genome")]
    pub genome: Genome,
    /// The edits, by gene.
    pub edits: Vec<Edit>,
    /// Total nibble steps.
    pub steps: u32,
    /// The goal's probability before.
    pub before: f64,
    /// The goal's probability after.
    pub after: f64,
    /// The probability asked for.
    pub target: f64,
    /// Whether the target was reached; when it cannot be, the edits reach the highest
    /// probability any genome has, at the fewest steps.
    pub reached: bool,
}

/// Nibble steps to move gene `g`'s main value from `from` to `to`.
pub fn steps(g: usize, from: u8, to: u8) -> u32 {
    match gene_kind(g) {
        GeneKind::Code => (from as i32 - to as i32).unsigned_abs(),
        GeneKind::Attribute { .. } => (from != to) as u32,
    }
}

/// The fewest-step main values for `genome` whose table score is at least `needed`, as
/// (per-gene new main values, total steps); `None` when no genome reaches it. Among plans of equal
/// steps the highest-scoring one wins.
pub fn cheapest(table: &GeneTable, genome: &Genome, needed: f64) -> Option<([u8; GENES], u32)> {
    let now: Vec<u8> = genome.genes().map(|g| g.main).collect();
    let need = needed - table.score(genome);
    let max_cost: usize = (0..GENES)
        .map(|g| {
            (0..LEVELS as u8)
                .map(|v| steps(g, now[g], v))
                .max()
                .unwrap_or(0) as usize
        })
        .sum();
    const NONE: f64 = f64::NEG_INFINITY;
    let mut best = vec![NONE; max_cost + 1];
    best[0] = 0.0;
    let mut choice = vec![0u8; GENES * (max_cost + 1)];
    let mut reach = 0usize; // highest cost reachable so far
    for g in 0..GENES {
        let mut next = vec![NONE; max_cost + 1];
        let row = &table.values[g];
        let base = row[now[g] as usize];
        let layer = &mut choice[g * (max_cost + 1)..(g + 1) * (max_cost + 1)];
        let mut reach_next = reach;
        for (c, &here) in best.iter().enumerate().take(reach + 1) {
            if here == NONE {
                continue;
            }
            for v in 0..LEVELS as u8 {
                let cost = c + steps(g, now[g], v) as usize;
                let gain = here + row[v as usize] - base;
                if gain > next[cost] {
                    next[cost] = gain;
                    layer[cost] = v;
                    reach_next = reach_next.max(cost);
                }
            }
        }
        best = next;
        reach = reach_next;
    }
    // Relative slack so a plan that meets the target up to rounding counts.
    let slack = 1e-12 * (1.0 + needed.abs());
    let cost = (0..=reach).find(|c| best[*c] >= need - slack)?;
    let mut plan = [0u8; GENES];
    let mut c = cost;
    for g in (0..GENES).rev() {
        let v = choice[g * (max_cost + 1) + c];
        plan[g] = v;
        c -= steps(g, now[g], v) as usize;
    }
    Some((plan, cost as u32))
}

/// Apply per-gene main values to a genome (subs kept).
fn apply(genome: &Genome, plan: &[u8; GENES]) -> Genome {
    let mut out = *genome;
    for (g, v) in plan.iter().enumerate() {
        let sub = genome.gene(g).sub;
        out.set_gene(g, Gene::new(*v, sub));
    }
    out
}

/// The edits between two genomes' main values.
fn edits(from: &Genome, to: &Genome) -> Vec<Edit> {
    (0..GENES)
        .filter_map(|g| {
            let (a, b) = (from.gene(g).main, to.gene(g).main);
            (a != b).then(|| {
                let (slot, names) = match gene_kind(g) {
                    GeneKind::Code => (None, None),
                    GeneKind::Attribute { slot } => {
                        let s = &SLOT_TABLE[slot];
                        (
                            Some(s.name.to_string()),
                            Some((s.value_name(a).to_string(), s.value_name(b).to_string())),
                        )
                    }
                };
                Edit {
                    gene: g,
                    slot,
                    from: a,
                    to: b,
                    names,
                    steps: steps(g, a, b),
                }
            })
        })
        .collect()
}

/// The fewest nibble steps that raise `genome`'s probability of the objective's goal to `target`.
pub fn nudge(
    objective: &Objective,
    genome: &Genome,
    target: f64,
) -> Result<Nudge, PreferenceError> {
    if !(target > 0.0 && target < 1.0) {
        return Err(PreferenceError::InvalidOption(format!(
            "target must be a probability in (0, 1), got {target}"
        )));
    }
    let tau = logit(target);
    let before = objective.probability(genome);
    let finish = |new: Genome, reached: bool| {
        let edits = edits(genome, &new);
        Nudge {
            original: *genome,
            genome: new,
            steps: edits.iter().map(|e| e.steps).sum(),
            edits,
            before,
            after: objective.probability(&new),
            target,
            reached,
        }
    };
    if objective.log_odds(genome) >= tau {
        return Ok(finish(*genome, true));
    }
    if let Goal::Like = objective.goal {
        let table = objective.linear();
        return Ok(match cheapest(&table, genome, tau) {
            Some((plan, _)) => finish(apply(genome, &plan), true),
            None => {
                let (plan, _) =
                    cheapest(&table, genome, table.max_score()).expect("the maximum is reachable");
                finish(apply(genome, &plan), false)
            }
        });
    }
    // A class goal: re-linearise where the search stands until the exact log-odds holds.
    let mut at = *genome;
    let mut aim = tau;
    let mut best_reach: Option<Genome> = None;
    let mut best_overall = *genome;
    for _ in 0..12 {
        let table = objective.linear_at(&at);
        let plan = match cheapest(&table, genome, aim) {
            Some((plan, _)) => plan,
            None => {
                cheapest(&table, genome, table.max_score())
                    .expect("the maximum is reachable")
                    .0
            }
        };
        let candidate = apply(genome, &plan);
        let exact = objective.log_odds(&candidate);
        if exact > objective.log_odds(&best_overall) {
            best_overall = candidate;
        }
        if exact >= tau {
            best_reach = Some(candidate);
            break;
        }
        // The linearisation promised more than the exact log-odds gives: ask it for the shortfall
        // on top, linearised where the search now stands.
        aim += (tau - exact).max(1e-6);
        at = candidate;
    }
    Ok(match best_reach {
        Some(g) => finish(g, true),
        None => finish(best_overall, false),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_count_levels_for_code_and_one_for_attributes() {
        assert_eq!(steps(3, 2, 9), 7);
        assert_eq!(steps(35, 2, 9), 1);
        assert_eq!(steps(35, 9, 9), 0);
    }

    #[test]
    fn an_unreachable_target_goes_as_high_as_possible() {
        let mut t = GeneTable::zero();
        t.values[0][15] = 1.0;
        t.values[33][4] = 0.5;
        let g = Genome::default();
        assert!(cheapest(&t, &g, 2.0).is_none());
        let (plan, cost) = cheapest(&t, &g, t.max_score()).unwrap();
        assert_eq!((plan[0], plan[33], cost), (15, 4, 16));
        let (plan, cost) = cheapest(&t, &g, 0.4).unwrap();
        assert_eq!((plan[0], plan[33], cost), (0, 4, 1));
    }
}
