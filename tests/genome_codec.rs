//! Property tests for the genome codecs: every form round-trips, every malformed input is
//! rejected with a message that names the problem.

use chimera::genome::{level_to_z, Genome, GenomeError, BYTES, CODE_GENES, FEATURES};
use proptest::prelude::*;

fn any_genome() -> impl Strategy<Value = Genome> {
    prop::array::uniform32(any::<u8>())
        .prop_flat_map(|code| (Just(code), any::<u64>()))
        .prop_map(|(code, attrs)| Genome::from_pair(code, attrs))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn hex_round_trips_in_every_spelling(g in any_genome(), upper in any::<bool>(), prefix in any::<bool>()) {
        let mut digits = g.to_hex()[2..].to_string();
        if upper { digits = digits.to_uppercase(); }
        let text = if prefix { format!("0x{digits}") } else { digits };
        prop_assert_eq!(Genome::from_hex(&text)?, g);
    }

    #[test]
    fn hex_of_the_wrong_length_is_rejected_with_its_length(len in 0usize..200) {
        prop_assume!(len != 80);
        let text = "a".repeat(len);
        prop_assert_eq!(Genome::from_hex(&text), Err(GenomeError::HexLength(len)));
    }

    #[test]
    fn a_non_hex_character_is_reported_where_it_is(g in any_genome(), pos in 0usize..80, ch in "[g-zG-Z!@# ]") {
        let mut text = g.to_hex()[2..].to_string();
        text.replace_range(pos..pos + 1, &ch);
        prop_assert_eq!(
            Genome::from_hex(&text),
            Err(GenomeError::HexDigit { position: pos, ch: ch.chars().next().unwrap() })
        );
    }

    #[test]
    fn bytes_and_pair_round_trip(g in any_genome()) {
        prop_assert_eq!(Genome::from_slice(g.as_bytes())?, g);
        prop_assert_eq!(Genome::from_pair(g.code(), g.attrs()), g);
        prop_assert_eq!(g.swapped().swapped(), g);
    }

    #[test]
    fn byte_slices_of_the_wrong_length_are_rejected(bytes in prop::collection::vec(any::<u8>(), 0..100)) {
        prop_assume!(bytes.len() != BYTES);
        prop_assert_eq!(Genome::from_slice(&bytes), Err(GenomeError::ByteLength(bytes.len())));
    }

    #[test]
    fn json_round_trips_through_text(g in any_genome()) {
        let text = serde_json::to_string(&g.to_json()).unwrap();
        prop_assert_eq!(Genome::from_json_str(&text)?, g);
    }

    #[test]
    fn json_with_indices_instead_of_names_encodes_the_same(g in any_genome()) {
        let mut doc = serde_json::to_value(g.to_json()).unwrap();
        doc.as_object_mut().unwrap().remove("hex");
        for (slot, a) in doc["attrs"].as_array_mut().unwrap().iter_mut().enumerate() {
            let gene = g.gene(CODE_GENES + slot);
            a["main"] = gene.main.into();
            a["sub"] = gene.sub.into();
        }
        prop_assert_eq!(Genome::from_json_str(&doc.to_string())?, g);
    }

    #[test]
    fn json_rejects_out_of_range_levels(g in any_genome(), gene in 0usize..32, level in 16u32..1000) {
        let mut doc = serde_json::to_value(g.to_json()).unwrap();
        doc.as_object_mut().unwrap().remove("hex");
        doc["code"][gene]["main"] = level.into();
        let err = Genome::from_json_str(&doc.to_string()).unwrap_err().to_string();
        prop_assert!(err.contains(&format!("code[{gene}]")) || err.contains("u8"), "{}", err);
    }

    #[test]
    fn features_hold_main_values_only(g in any_genome()) {
        let f = g.features();
        prop_assert_eq!(f.len(), FEATURES);
        for i in 0..CODE_GENES {
            prop_assert_eq!(f[i], level_to_z(g.gene(i).main));
        }
        prop_assert_eq!(f[CODE_GENES..].iter().sum::<f32>(), 8.0);
        // Changing only sub values never changes what the generator and classifiers see.
        let mut subs_changed = g;
        for i in 0..40 {
            let mut gene = g.gene(i);
            gene.sub = 15 - gene.sub;
            subs_changed.set_gene(i, gene);
        }
        prop_assert_eq!(subs_changed.features(), f);
        prop_assert_eq!(subs_changed.generator_input(), g.generator_input());
    }
}

#[test]
fn json_errors_name_the_field() {
    let g = Genome::default();
    let mut doc = serde_json::to_value(g.to_json()).unwrap();
    doc.as_object_mut().unwrap().remove("hex");
    doc["code"].as_array_mut().unwrap().pop();
    assert_eq!(
        Genome::from_json_str(&doc.to_string()).unwrap_err().to_string(),
        "genome JSON: code must have 32 genes, got 31"
    );
    let err = Genome::from_json_str("{\"code\": [], \"atrs\": []}").unwrap_err().to_string();
    assert!(err.contains("unknown field `atrs`"), "{err}");
    assert!(Genome::from_json_str("not json").unwrap_err().to_string().starts_with("genome JSON:"));
}
