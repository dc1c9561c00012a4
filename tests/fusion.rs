//! Property tests for the fusion engine: determinism, heredity (every gene comes from a parent
//! unless it mutated), the law's probabilities within binomial bounds over fixed seeds, and the
//! shared vector file still matching the engine.

use chimera::fusion::{breed, breed_explained, fuse, BreedingLaw, LabOp, Source};
use chimera::genome::{Gene, Genome, GENES};
use chimera::vectors::{self, VectorCase};
use proptest::prelude::*;

fn any_genome() -> impl Strategy<Value = Genome> {
    prop::collection::vec(any::<u8>(), GENES).prop_map(|b| Genome::from_slice(&b).unwrap())
}

fn value(s: Source, matron: Gene, sire: Gene) -> u8 {
    match s {
        Source::MatronMain => matron.main,
        Source::MatronSub => matron.sub,
        Source::SireMain => sire.main,
        Source::SireSub => sire.sub,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn breed_is_deterministic_and_explained_agrees(m in any_genome(), s in any_genome(), seed in any::<[u8; 32]>()) {
        let law = BreedingLaw::ONCHAIN;
        let child = breed(&m, &s, &seed, &law);
        prop_assert_eq!(breed(&m, &s, &seed, &law), child);
        prop_assert_eq!(breed_explained(&m, &s, &seed, &law).0, child);
    }

    #[test]
    fn every_child_gene_comes_from_a_parent_unless_mutated(m in any_genome(), s in any_genome(), seed in any::<[u8; 32]>()) {
        let (child, origins) = breed_explained(&m, &s, &seed, &BreedingLaw::ONCHAIN);
        for g in 0..GENES {
            let (c, mg, sg, o) = (child.gene(g), m.gene(g), s.gene(g), origins[g]);
            // One value from each parent: main and sub never come from the same parent.
            let from_matron = |x: Source| matches!(x, Source::MatronMain | Source::MatronSub);
            prop_assert_ne!(from_matron(o.main), from_matron(o.sub));
            prop_assert_eq!(c.sub, value(o.sub, mg, sg), "gene {}", g);
            if !o.mutated {
                prop_assert_eq!(c.main, value(o.main, mg, sg), "gene {}", g);
            }
        }
    }

    #[test]
    fn without_mutation_children_only_hold_parent_values(m in any_genome(), s in any_genome(), seed in any::<[u8; 32]>()) {
        let law = BreedingLaw::new([6; GENES], [0; GENES]).unwrap();
        let child = breed(&m, &s, &seed, &law);
        for g in 0..GENES {
            let pool = [m.gene(g).main, m.gene(g).sub, s.gene(g).main, s.gene(g).sub];
            prop_assert!(pool.contains(&child.gene(g).main));
            prop_assert!(pool.contains(&child.gene(g).sub));
        }
    }

    #[test]
    fn a_parent_bred_with_itself_without_mutation_keeps_its_values(p in any_genome(), seed in any::<[u8; 32]>()) {
        // main == sub everywhere, so every selection and crossover gives the parent back.
        let mut pure = p;
        for g in 0..GENES { let v = p.gene(g).main; pure.set_gene(g, Gene { main: v, sub: v }); }
        let law = BreedingLaw::new([6; GENES], [0; GENES]).unwrap();
        prop_assert_eq!(breed(&pure, &pure, &seed, &law), pure);
    }

    #[test]
    fn lab_operators_are_deterministic_for_any_number_of_parents(
        parents in prop::collection::vec(any_genome(), 2..6),
        seed in any::<[u8; 32]>(),
        op in prop::sample::select(vec!["crossover", "kpoint:3", "mean", "geometric", "harmonic", "exponential", "perturb:0.4", "or", "and", "xor", "not", "blend"]),
    ) {
        let op: LabOp = op.parse().unwrap();
        let law = BreedingLaw::ONCHAIN;
        let a = fuse(&parents, &op, &seed, &law).unwrap();
        prop_assert_eq!(fuse(&parents, &op, &seed, &law).unwrap(), a);
    }

    #[test]
    fn lab_crossover_without_mutation_takes_values_from_the_parents(
        parents in prop::collection::vec(any_genome(), 2..6),
        seed in any::<[u8; 32]>(),
    ) {
        let law = BreedingLaw::new([6; GENES], [0; GENES]).unwrap();
        let child = fuse(&parents, &LabOp::Crossover, &seed, &law).unwrap();
        for g in 0..GENES {
            let pool: Vec<u8> = parents.iter().flat_map(|p| [p.gene(g).main, p.gene(g).sub]).collect();
            prop_assert!(pool.contains(&child.gene(g).main));
            prop_assert!(pool.contains(&child.gene(g).sub));
        }
    }
}

/// Parents whose four values differ at every gene, so each child value names its source.
fn identifiable_parents() -> (Genome, Genome) {
    (Genome::from_bytes([0x01; GENES]), Genome::from_bytes([0x23; GENES]))
}

fn seed_of(i: u32) -> [u8; 32] {
    let mut seed = [0u8; 32];
    seed[..4].copy_from_slice(&i.to_be_bytes());
    seed[31] = 0x5e;
    seed
}

/// |observed − n·p| within 5 standard deviations: fails by chance less than once in a million.
fn assert_binomial(name: &str, hits: u64, n: u64, p: f64) {
    let (mean, sd) = (n as f64 * p, (n as f64 * p * (1.0 - p)).sqrt());
    assert!(
        (hits as f64 - mean).abs() <= 5.0 * sd,
        "{name}: {hits} of {n}, expected {mean:.0} ± {:.0}",
        5.0 * sd
    );
}

#[test]
fn observed_selection_crossover_and_mutation_rates_match_the_law() {
    let (m, s) = identifiable_parents();
    let law = BreedingLaw::ONCHAIN;
    let (mut main_passed, mut matron_first, mut mutated, mut trials) = (0u64, 0u64, 0u64, 0u64);
    for i in 0..5_000 {
        let (child, origins) = breed_explained(&m, &s, &seed_of(i), &law);
        for g in 0..GENES {
            trials += 1;
            let o = origins[g];
            mutated += o.mutated as u64;
            matron_first += matches!(o.main, Source::MatronMain | Source::MatronSub) as u64;
            // Selection is observable on the sub, which never mutates: 0/2 are mains, 1/3 subs.
            main_passed += matches!(child.gene(g).sub, 0 | 2) as u64;
        }
    }
    assert_binomial("P_main (observed on subs)", main_passed, trials, 0.75);
    assert_binomial("crossover", matron_first, trials, 0.5);
    assert_binomial("mutation", mutated, trials, 1.0 / 32.0);
}

#[test]
fn per_gene_overrides_change_only_their_gene() {
    let (m, s) = identifiable_parents();
    let mut p_main = [6u8; GENES];
    p_main[5] = 8; // gene 5 always passes mains
    p_main[6] = 0; // gene 6 always passes subs
    let mut mutation = [0u8; GENES];
    mutation[7] = 32; // gene 7 always mutates
    let law = BreedingLaw::new(p_main, mutation).unwrap();
    let mut other_mains = 0u64;
    for i in 0..2_000 {
        let (child, origins) = breed_explained(&m, &s, &seed_of(i), &law);
        assert!(matches!(child.gene(5).sub, 0 | 2), "gene 5 passed a sub");
        assert!(matches!(child.gene(6).sub, 1 | 3), "gene 6 passed a main");
        assert!(origins[7].mutated && origins.iter().filter(|o| o.mutated).count() == 1);
        other_mains += matches!(child.gene(20).sub, 0 | 2) as u64;
    }
    assert_binomial("P_main of an untouched gene", other_mains, 2_000, 0.75);
}

#[test]
fn the_shared_vector_file_matches_the_engine() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/breed.hex");
    let text = std::fs::read_to_string(path).expect("tests/vectors/breed.hex (run `chimera vectors`)");
    let cases: Vec<VectorCase> = text.lines().map(|l| VectorCase::parse_line(l).unwrap()).collect();
    assert!(cases.len() >= 1000, "only {} cases", cases.len());
    for (i, c) in cases.iter().enumerate() {
        assert_eq!(breed(&c.matron, &c.sire, &c.seed, &BreedingLaw::ONCHAIN), c.child, "line {}", i + 1);
    }
    assert_eq!(text, vectors::to_file(&vectors::generate(cases.len(), 0xC41_3E7A)), "regenerate with `chimera vectors`");
}
