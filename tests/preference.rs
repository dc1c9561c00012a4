//! The preference engine end to end: fits separate what is separable, nudge is the cheapest edit
//! (checked by brute force), the exact breeding expectation is the mean of the real engine's
//! children, the queue keeps its promises, the ideal reaches its target, and the evaluation
//! harness meets its goals loosely at CI scale.

use chimera::fusion::{breed, BreedingLaw};
use chimera::genome::{Gene, Genome, GENES};
use chimera::preference::nudge::{cheapest, steps};
use chimera::preference::simulate::{
    self, random_swipes, HarnessConfig, SimulatedOwner,
};
use chimera::preference::steer::MateTable;
use chimera::preference::*;
use proptest::prelude::*;
use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;

fn any_genome() -> impl Strategy<Value = Genome> {
    prop::collection::vec(any::<u8>(), GENES).prop_map(|b| Genome::from_slice(&b).unwrap())
}

/// A table that is zero except on `genes`, with values from `values`.
fn sparse_table(genes: &[usize], values: &[f64]) -> GeneTable {
    let mut t = GeneTable::zero();
    for (k, g) in genes.iter().enumerate() {
        for v in 0..16 {
            t.values[*g][v] = values[k * 16 + v];
        }
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// On tables that only three genes move, the DP's plan reaches the target and no plan over
    /// those genes reaches it in fewer nibble steps.
    #[test]
    fn nudge_is_the_cheapest_plan_that_reaches_the_target(
        genome in any_genome(),
        genes in prop::sample::subsequence((0..GENES).collect::<Vec<_>>(), 3),
        values in prop::collection::vec(-2.0f64..2.0, 48),
        lift in 0.0f64..5.0,
    ) {
        let table = sparse_table(&genes, &values);
        let target = table.score(&genome) + lift;
        let now: Vec<u8> = genes.iter().map(|g| genome.gene(*g).main).collect();
        let mut best: Option<u32> = None;
        for a in 0..16u8 {
            for b in 0..16u8 {
                for c in 0..16u8 {
                    let plan = [a, b, c];
                    let score = table.bias + (0..3).map(|k| table.values[genes[k]][plan[k] as usize]).sum::<f64>()
                        + (0..GENES).filter(|g| !genes.contains(g)).map(|g| table.values[g][genome.gene(g).main as usize]).sum::<f64>();
                    if score >= target - 1e-12 {
                        let cost = (0..3).map(|k| steps(genes[k], now[k], plan[k])).sum::<u32>();
                        best = Some(best.map_or(cost, |b| b.min(cost)));
                    }
                }
            }
        }
        match (cheapest(&table, &genome, target), best) {
            (Some((plan, cost)), Some(brute)) => {
                prop_assert_eq!(cost, brute);
                let mut edited = genome;
                for (g, v) in plan.iter().enumerate() {
                    edited.set_gene(g, Gene::new(*v, genome.gene(g).sub));
                }
                prop_assert!(table.score(&edited) >= target - 1e-9);
                prop_assert_eq!((0..GENES).map(|g| steps(g, genome.gene(g).main, plan[g])).sum::<u32>(), cost);
            }
            (None, None) => {}
            (dp, brute) => prop_assert!(false, "DP {:?} vs brute force {:?}", dp.map(|d| d.1), brute),
        }
    }

    /// Ranking keeps exactly the k best by the table, best first.
    #[test]
    fn rank_keeps_the_k_best(seed in any::<u64>(), k in 0usize..40) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let owner = SimulatedOwner::new("code", seed);
        let model = TasteModel::fit(&random_swipes(&owner, 40, seed), &FitOptions::default()).unwrap();
        let genomes: Vec<Genome> = (0..300).map(|_| Genome::random(&mut rng)).collect();
        let top = rank(&model.objective(Goal::Like).unwrap(), &genomes, k);
        let mut all: Vec<f64> = genomes.iter().map(|g| model.table(0).score(g)).collect();
        all.sort_by(|a, b| b.total_cmp(a));
        prop_assert_eq!(top.len(), k.min(genomes.len()));
        for (r, want) in top.iter().zip(&all) {
            prop_assert!((r.log_odds - want).abs() < 1e-4);
        }
    }
}

#[test]
fn the_exact_breeding_expectation_is_the_mean_of_real_children() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let owner = SimulatedOwner::new("attributes", 3);
    let model = TasteModel::fit(&random_swipes(&owner, 80, 5), &FitOptions::default()).unwrap();
    let table = model.table(0);
    // A law with strong mutation too, so the mutation term is exercised.
    let laws = [
        BreedingLaw::ONCHAIN,
        BreedingLaw::new([5; GENES], [12; GENES]).unwrap(),
    ];
    for law in laws {
        for _ in 0..3 {
            let (a, b) = (Genome::random(&mut rng), Genome::random(&mut rng));
            let exact = expected_child_score(table, &a, &b, &law);
            assert!((MateTable::new(table, &a, &law).expected(&b) - exact).abs() < 1e-9);
            let n = 20_000u32;
            let scores: Vec<f64> = (0..n)
                .map(|i| {
                    let mut seed = [0u8; 32];
                    seed[..4].copy_from_slice(&i.to_le_bytes());
                    seed[4] = 0x5e;
                    table.score(&breed(&a, &b, &seed, &law))
                })
                .collect();
            let mean = scores.iter().sum::<f64>() / n as f64;
            let sd = (scores.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
            let tolerance = 4.5 * sd / (n as f64).sqrt();
            assert!(
                (mean - exact).abs() < tolerance,
                "Monte-Carlo {mean} vs exact {exact} (± {tolerance})"
            );
        }
    }
}

#[test]
fn fitted_models_separate_separable_data() {
    // Likes exactly the characters with hair colour < 8 or, failing that, a high code gene 3:
    // a linear rule on the features, so a lightly regularised fit must get every label right.
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let mut book = LabelBook::taste();
    for _ in 0..200 {
        let g = Genome::random(&mut rng);
        let u = if g.attribute(0) < 8 { 1.0 } else { -1.0 }
            + chimera::genome::level_to_z(g.gene(3).main) as f64 * 0.4;
        book.add(Label::Swipe {
            genome: g,
            like: u > 0.0,
        })
        .unwrap();
    }
    let model = TasteModel::fit(
        &book,
        &FitOptions {
            l2: 1e-3,
            ..FitOptions::default()
        },
    )
    .unwrap();
    assert!(model.summary().converged);
    for l in book.labels() {
        assert_eq!(eval::agrees(&model, l), Some(true));
    }
    // Pick comparisons on the same rule separate too.
    let mut picks = LabelBook::taste();
    for _ in 0..100 {
        let (a, b) = (Genome::random(&mut rng), Genome::random(&mut rng));
        let (ua, ub) = (a.attribute(2) as f64, b.attribute(2) as f64);
        if ua != ub {
            picks
                .add(Label::Pick {
                    shown: vec![a, b],
                    chosen: if ua > ub { 0 } else { 1 },
                })
                .unwrap();
        }
    }
    let model = TasteModel::fit(
        &picks,
        &FitOptions {
            l2: 1e-3,
            ..FitOptions::default()
        },
    )
    .unwrap();
    assert!(picks
        .labels()
        .all(|l| eval::agrees(&model, l) == Some(true)));
}

#[test]
fn softmax_learns_named_classes_and_has_an_ideal_per_class() {
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let mut book = LabelBook::classes(["kiss", "marry", "kill"]).unwrap();
    let class_of = |g: &Genome| match g.attribute(4) {
        0..=4 => 0,
        5..=9 => 1,
        _ => 2,
    };
    for _ in 0..200 {
        let g = Genome::random(&mut rng);
        book.add(Label::Class {
            genome: g,
            class: class_of(&g),
        })
        .unwrap();
    }
    let model = TasteModel::fit(&book, &FitOptions::default()).unwrap();
    let right = (0..500)
        .map(|_| Genome::random(&mut rng))
        .filter(|g| matches!(model.predict(g), Prediction::Classes { class, .. } if class == class_of(g)))
        .count();
    assert!(right >= 375, "held-out accuracy {right}/500");
    let ideals = ideal_per_class(
        &model,
        &IdealOptions {
            target: 0.95,
            variations: 2,
            ..IdealOptions::default()
        },
    )
    .unwrap();
    assert_eq!(ideals.len(), 3);
    for (c, ideal) in ideals.iter().enumerate() {
        assert!(ideal.reached, "class {c}");
        assert!(model.class_probabilities(&ideal.best.genome)[c] >= 0.95 - 1e-9);
    }
    // Nudge towards a class reaches it.
    let start = Genome::random(&mut rng);
    let n = nudge(&model.objective(Goal::Class(1)).unwrap(), &start, 0.9).unwrap();
    assert!(n.reached && n.after >= 0.9, "{n:?}");
}

#[test]
fn the_ideal_reaches_the_target_near_the_prior_and_joint_ideals_please_everyone() {
    let a = TasteModel::fit(
        &random_swipes(&SimulatedOwner::new("attributes", 21), 120, 1),
        &FitOptions::default(),
    )
    .unwrap();
    let b = TasteModel::fit(
        &random_swipes(&SimulatedOwner::new("attributes", 22), 120, 2),
        &FitOptions::default(),
    )
    .unwrap();
    let options = IdealOptions {
        variations: 4,
        ..IdealOptions::default()
    };
    let mine = ideal(&[a.objective(Goal::Like).unwrap()], &options).unwrap();
    assert!(mine.reached && mine.best.probabilities[0] >= 0.99 - 1e-9);
    assert!(
        mine.best.latent_rms < 1.0,
        "the ideal stays near the prior: {}",
        mine.best.latent_rms
    );
    assert!(!mine.variations.is_empty());
    for v in &mine.variations {
        assert!(v.probabilities[0] >= 0.99 - 1e-9);
        let d = FeatureMap::distance2(
            &FeatureMap::Latent.features(&v.genome),
            &FeatureMap::Latent.features(&mine.best.genome),
        );
        assert!(d.sqrt() >= 3.0 - 1e-4);
    }
    let mutual_ideal = ideal(
        &[
            a.objective(Goal::Like).unwrap(),
            b.objective(Goal::Like).unwrap(),
        ],
        &options,
    )
    .unwrap();
    assert!(mutual_ideal.reached);
    assert!(
        mutual_ideal
            .best
            .probabilities
            .iter()
            .all(|p| *p >= 0.99 - 1e-9),
        "{:?}",
        mutual_ideal.best.probabilities
    );
    // A blend is a model too, and blending a model with itself changes nothing.
    let same = blend(&[(&a, 1.0), (&a, 3.0)]).unwrap();
    let g = mine.best.genome;
    assert!((same.like(&g) - a.like(&g)).abs() < 1e-12);
    let both = blend(&[(&a, 1.0), (&b, 1.0)]).unwrap();
    assert_eq!(both.summary().members, 2);
    let med = median(&[&a, &b, &both]).unwrap();
    assert_eq!(med.summary().members, 4);
}

#[test]
fn nudge_on_a_model_reports_its_edits() {
    let owner = SimulatedOwner::new("attributes", 8);
    let model = TasteModel::fit(&random_swipes(&owner, 150, 3), &FitOptions::default()).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let token = (0..100)
        .map(|_| Genome::random(&mut rng))
        .find(|g| model.like(g) < 0.3)
        .unwrap();
    let n = nudge(&model.objective(Goal::Like).unwrap(), &token, 0.9).unwrap();
    assert!(n.reached && n.after >= 0.9 && n.before < 0.3);
    assert_eq!(n.steps, n.edits.iter().map(|e| e.steps).sum::<u32>());
    for e in &n.edits {
        assert_eq!(n.genome.gene(e.gene).main, e.to);
        assert_eq!(
            n.genome.gene(e.gene).sub,
            token.gene(e.gene).sub,
            "subs are kept"
        );
        assert_eq!(e.slot.is_some(), e.gene >= 32);
    }
    let json = serde_json::to_value(&n).unwrap();
    assert!(json["genome"].as_str().unwrap().starts_with("0x"));
}

#[test]
fn many_models_score_a_token_and_owners_match() {
    let owners: Vec<TasteModel> = (0..30)
        .map(|i| {
            TasteModel::fit(
                &random_swipes(&SimulatedOwner::new("code", i), 40, i),
                &FitOptions::default(),
            )
            .unwrap()
        })
        .collect();
    let bank = ModelBank::from_models(&owners).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let token = Genome::random(&mut rng);
    let p = bank.probabilities(&token);
    for (m, pm) in owners.iter().zip(&p) {
        assert!((m.like(&token) - *pm as f64).abs() < 1e-4);
    }
    let a_tokens: Vec<Genome> = (0..5).map(|_| Genome::random(&mut rng)).collect();
    let b_tokens: Vec<Genome> = (0..7).map(|_| Genome::random(&mut rng)).collect();
    let m = mutual(&owners[0], &a_tokens, &owners[1], &b_tokens).unwrap();
    let want = b_tokens.iter().map(|t| owners[0].like(t)).sum::<f64>() / 7.0;
    assert!((m.a_likes_b - want).abs() < 1e-12);
    assert!((m.mutual - (m.a_likes_b * m.b_likes_a).sqrt()).abs() < 1e-12);
}

#[test]
fn steering_ranks_mates_by_exact_expectation_and_samples_the_real_engine() {
    let owner = SimulatedOwner::new("attributes", 12);
    let model = TasteModel::fit(&random_swipes(&owner, 120, 4), &FitOptions::default()).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    let token = Genome::random(&mut rng);
    let mates: Vec<Genome> = (0..200).map(|_| Genome::random(&mut rng)).collect();
    let options = SteerOptions {
        shortlist: 5,
        samples: 400,
        ..SteerOptions::default()
    };
    let ranked = steer(
        &model.objective(Goal::Like).unwrap(),
        &token,
        &mates,
        &BreedingLaw::ONCHAIN,
        &options,
    )
    .unwrap();
    assert_eq!(ranked.len(), 5);
    let best_exact = mates
        .iter()
        .map(|m| expected_child_score(model.table(0), &token, m, &BreedingLaw::ONCHAIN))
        .fold(f64::MIN, f64::max);
    assert!((ranked[0].expected_score - best_exact).abs() < 1e-6);
    for w in ranked.windows(2) {
        assert!(w[0].expected_score >= w[1].expected_score);
    }
    for r in &ranked {
        assert_eq!(r.children.histogram.iter().sum::<u32>(), 400);
        assert!(
            (r.children.mean_log_odds - r.expected_score).abs() < 1.0,
            "{r:?}"
        );
    }
    // Deterministic in its seed.
    let again = steer(
        &model.objective(Goal::Like).unwrap(),
        &token,
        &mates,
        &BreedingLaw::ONCHAIN,
        &options,
    )
    .unwrap();
    assert_eq!(again, ranked);
}

#[test]
fn the_queue_balances_and_spreads_every_mode() {
    let owner = SimulatedOwner::new("attributes", 30);
    let mut book = LabelBook::taste();
    let mut rng = ChaCha8Rng::seed_from_u64(30);
    let mut model = None;
    for round in 0..4u8 {
        let batch =
            next_batch(&book, model.as_ref(), &QueueOptions::default(), [round; 32]).unwrap();
        assert_eq!(
            batch.cold_start,
            book.len() < QueueOptions::default().cold_start
        );
        for p in &batch.prompts {
            book.add(owner.answer(&p.genomes, LabelMode::Swipe, &mut rng))
                .unwrap();
        }
        model = Some(TasteModel::fit(&book, &FitOptions::default()).unwrap());
    }
    assert_eq!(book.len(), 40);
    let seen: Vec<Vec<f32>> = book
        .seen()
        .map(|g| FeatureMap::Latent.features(g))
        .collect();
    for mode in [
        LabelMode::Swipe,
        LabelMode::Slider,
        LabelMode::PickTwo,
        LabelMode::PickFour,
    ] {
        let options = QueueOptions {
            mode,
            ..QueueOptions::default()
        };
        let batch = next_batch(&book, model.as_ref(), &options, [9; 32]).unwrap();
        assert_eq!(batch.prompts.len(), 10);
        let shown: Vec<Vec<f32>> = batch
            .prompts
            .iter()
            .flat_map(|p| p.genomes.iter())
            .map(|g| FeatureMap::Latent.features(g))
            .collect();
        assert_eq!(shown.len(), 10 * mode.prompt_size());
        for (i, a) in shown.iter().enumerate() {
            for b in shown[i + 1..].iter().chain(&seen) {
                assert!(
                    FeatureMap::distance2(a, b).sqrt() >= 4.0 - 1e-4,
                    "{mode:?}: too close"
                );
            }
        }
        if mode == LabelMode::Swipe {
            let uncertain: Vec<&Prompt> = batch
                .prompts
                .iter()
                .filter(|p| p.reason == Reason::Uncertain)
                .collect();
            let likes = uncertain.iter().filter(|p| p.predicted[0] >= 0.5).count();
            assert_eq!(
                likes * 2,
                uncertain.len(),
                "balanced between predicted likes and dislikes"
            );
            assert_eq!(
                batch
                    .prompts
                    .iter()
                    .filter(|p| p.reason == Reason::Explore)
                    .count(),
                2
            );
        }
    }
    // A classes book gets classes prompts.
    let kmk = LabelBook::classes(["kiss", "marry", "kill"]).unwrap();
    assert!(next_batch(&kmk, None, &QueueOptions::default(), [0; 32]).is_err());
    assert!(next_batch(
        &kmk,
        None,
        &QueueOptions {
            mode: LabelMode::Classes,
            ..QueueOptions::default()
        },
        [0; 32]
    )
    .is_ok());
}

#[test]
fn groups_pool_labels_and_the_learning_curve_rises() {
    let owner = SimulatedOwner::new("code", 40);
    let (a, b) = (random_swipes(&owner, 60, 1), random_swipes(&owner, 60, 2));
    let pooled = group::fit_pooled(&[&a, &b], &FitOptions::default()).unwrap();
    assert_eq!(pooled.summary().labels, 120);
    assert_eq!(pooled.summary().members, 2);
    let curve = learning_curve(
        &pool_labels(&[&a, &b]).unwrap(),
        &FitOptions::default(),
        5,
        4,
    )
    .unwrap();
    assert!(
        curve.last().unwrap().accuracy > curve[0].accuracy,
        "{curve:?}"
    );
    assert!(curve.last().unwrap().accuracy > 0.8, "{curve:?}");
}

#[test]
fn results_serialise_for_the_api() {
    let owner = SimulatedOwner::new("attributes", 50);
    let book = random_swipes(&owner, 30, 5);
    let book_json = serde_json::to_string(&book).unwrap();
    assert_eq!(serde_json::from_str::<LabelBook>(&book_json).unwrap(), book);
    let model = TasteModel::fit(
        &book,
        &FitOptions {
            relevance: true,
            ..FitOptions::default()
        },
    )
    .unwrap();
    let summary = serde_json::to_value(model.summary()).unwrap();
    assert_eq!(summary["labels"], 30);
    assert_eq!(summary["relevance"].as_array().unwrap().len(), GENES);
    let back: TasteModel = serde_json::from_str(&serde_json::to_string(&model).unwrap()).unwrap();
    let g = random_swipes(&owner, 1, 9)
        .labels()
        .next()
        .unwrap()
        .genomes()[0];
    assert!((back.like(&g) - model.like(&g)).abs() < 1e-12);
    // The queue works from a model that came back from JSON (its posterior is recomputed).
    assert!(next_batch(&book, Some(&back), &QueueOptions::default(), [1; 32]).is_ok());
    let pred = serde_json::to_value(model.predict(&g)).unwrap();
    assert_eq!(pred["kind"], "taste");
    let options: QueueOptions =
        serde_json::from_str(r#"{"mode":"pick_four","prompts":6}"#).unwrap();
    assert_eq!(
        (options.mode, options.prompts, options.pool),
        (LabelMode::PickFour, 6, 512)
    );
}

/// The harness at CI scale, its goals checked loosely (one owner per kind, 60 labels): the
/// linear tastes are learned, the ideal pleases, steering beats random mating.
#[test]
fn the_small_harness_meets_its_goals_loosely() {
    let report = simulate::run(&HarnessConfig::small());
    println!("{report}");
    let row = |kind: &str| report.rows.iter().find(|r| r.kind == kind).unwrap();
    for kind in ["attributes", "code"] {
        let r = row(kind);
        assert!(r.targeted_85.is_some_and(|n| n <= 60), "{kind}: {r:?}");
        assert!(r.final_accuracy.0 >= 0.85, "{kind}: {r:?}");
        assert!(r.ideal_liked == 1.0, "{kind}: {r:?}");
        assert!(
            r.herd_liked.0 > r.herd_liked.1 && r.breeding_gain > 0.0,
            "{kind}: {r:?}"
        );
    }
    assert!(row("noisy").final_accuracy.0 >= 0.6, "{:?}", row("noisy"));
}
