//! Every form of a genome besides its 40 bytes: hex, byte slices, JSON with attribute names,
//! the generator's input and the classifiers' feature vector (docs/genome.md, "Codecs").

use super::attributes::{slot_by_name, SLOT_TABLE, VALUES};
use super::levels::level_to_z;
use super::{Gene, Genome, GenomeError, ATTR_GENES, BYTES, CODE_GENES};
use serde::{Deserialize, Serialize};

/// Length of the classifiers' feature vector: 32 latent values + 8 one-hot blocks of 16.
pub const FEATURES: usize = CODE_GENES + ATTR_GENES * VALUES;

const HEX_DIGITS: usize = BYTES * 2;

impl Genome {
    /// Parse 80 hex digits, with or without `0x`, either case.
    pub fn from_hex(input: &str) -> Result<Self, GenomeError> {
        let (prefix, digits) = match input.strip_prefix("0x").or_else(|| input.strip_prefix("0X")) {
            Some(rest) => (2, rest),
            None => (0, input),
        };
        if let Some((i, ch)) = digits.char_indices().find(|(_, c)| !c.is_ascii_hexdigit()) {
            return Err(GenomeError::HexDigit { position: prefix + i, ch });
        }
        if digits.len() != HEX_DIGITS {
            return Err(GenomeError::HexLength(digits.len()));
        }
        let mut bytes = [0u8; BYTES];
        hex::decode_to_slice(digits, &mut bytes).expect("validated hex digits");
        Ok(Genome::from_bytes(bytes))
    }

    /// `0x` + 80 lowercase hex digits.
    pub fn to_hex(&self) -> String {
        format!("0x{}", hex::encode(self.as_bytes()))
    }

    /// A genome from a byte slice that must be exactly 40 bytes long.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, GenomeError> {
        let array: [u8; BYTES] =
            bytes.try_into().map_err(|_| GenomeError::ByteLength(bytes.len()))?;
        Ok(Genome::from_bytes(array))
    }

    /// The generator's input: the z value of each main code level, and the main attribute indices.
    pub fn generator_input(&self) -> ([f32; CODE_GENES], [i64; ATTR_GENES]) {
        let mut code = [0f32; CODE_GENES];
        for (i, z) in code.iter_mut().enumerate() {
            *z = level_to_z(self.gene(i).main);
        }
        let mut attrs = [0i64; ATTR_GENES];
        for (slot, a) in attrs.iter_mut().enumerate() {
            *a = self.attribute(slot) as i64;
        }
        (code, attrs)
    }

    /// The classifiers' 160-dim features: 32 main z values, then a one-hot block of 16 per slot.
    pub fn features(&self) -> [f32; FEATURES] {
        let mut out = [0f32; FEATURES];
        for i in 0..CODE_GENES {
            out[i] = level_to_z(self.gene(i).main);
        }
        for slot in 0..ATTR_GENES {
            out[CODE_GENES + slot * VALUES + self.attribute(slot) as usize] = 1.0;
        }
        out
    }

    /// The JSON form: per-gene main/sub, attribute values by name.
    pub fn to_json(&self) -> GenomeJson {
        GenomeJson {
            hex: Some(self.to_hex()),
            code: (0..CODE_GENES)
                .map(|i| {
                    let g = self.gene(i);
                    CodeGeneJson { main: g.main, sub: g.sub }
                })
                .collect(),
            attrs: SLOT_TABLE
                .iter()
                .enumerate()
                .map(|(slot, s)| {
                    let g = self.gene(CODE_GENES + slot);
                    AttrGeneJson {
                        slot: s.name.to_string(),
                        main: AttrValue::Name(s.value_name(g.main).to_string()),
                        sub: AttrValue::Name(s.value_name(g.sub).to_string()),
                    }
                })
                .collect(),
        }
    }

    /// Parse the JSON form (names or indices for attribute values). If `hex` is present it must
    /// agree with the genes, so a hand-edited document cannot silently disagree with itself.
    pub fn from_json(doc: &GenomeJson) -> Result<Self, GenomeError> {
        let err = |msg: String| GenomeError::Json(msg);
        if doc.code.len() != CODE_GENES {
            return Err(err(format!("code must have 32 genes, got {}", doc.code.len())));
        }
        if doc.attrs.len() != ATTR_GENES {
            return Err(err(format!("attrs must have 8 genes, got {}", doc.attrs.len())));
        }
        let mut genome = Genome::default();
        for (i, g) in doc.code.iter().enumerate() {
            for (field, v) in [("main", g.main), ("sub", g.sub)] {
                if v > 15 {
                    return Err(err(format!("code[{i}].{field} must be a level 0..15, got {v}")));
                }
            }
            genome.set_gene(i, Gene::new(g.main, g.sub));
        }
        for (i, a) in doc.attrs.iter().enumerate() {
            let expected = &SLOT_TABLE[i];
            if a.slot != expected.name {
                let hint = match slot_by_name(&a.slot) {
                    Some((j, _)) => format!(" (that slot belongs at attrs[{j}])"),
                    None => String::new(),
                };
                return Err(err(format!(
                    "attrs[{i}].slot must be \"{}\", got \"{}\"{hint}",
                    expected.name, a.slot
                )));
            }
            let main = a.main.resolve(expected).map_err(|m| err(format!("attrs[{i}].main: {m}")))?;
            let sub = a.sub.resolve(expected).map_err(|m| err(format!("attrs[{i}].sub: {m}")))?;
            genome.set_gene(CODE_GENES + i, Gene::new(main, sub));
        }
        if let Some(hex) = &doc.hex {
            let stated = Genome::from_hex(hex).map_err(|e| err(format!("hex: {e}")))?;
            if stated != genome {
                return Err(err(format!(
                    "hex {hex} disagrees with the genes, which encode {genome}"
                )));
            }
        }
        Ok(genome)
    }

    /// Parse a JSON document (a string) into a genome.
    pub fn from_json_str(text: &str) -> Result<Self, GenomeError> {
        let doc: GenomeJson =
            serde_json::from_str(text).map_err(|e| GenomeError::Json(e.to_string()))?;
        Genome::from_json(&doc)
    }
}

/// The JSON form of a genome (what `chimera genome decode` prints and `encode` reads).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenomeJson {
    /// The same genome as hex; optional on input, checked against the genes when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hex: Option<String>,
    /// 32 code genes, gene 0 first.
    pub code: Vec<CodeGeneJson>,
    /// 8 attribute genes in slot order.
    pub attrs: Vec<AttrGeneJson>,
}

/// One code gene in JSON: two levels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeGeneJson {
    /// Main level 0..15.
    pub main: u8,
    /// Sub level 0..15.
    pub sub: u8,
}

/// One attribute gene in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttrGeneJson {
    /// The slot's name; must match the gene's position, so reordering is caught.
    pub slot: String,
    /// The main value, by name (printed) or index (accepted).
    pub main: AttrValue,
    /// The sub value, by name or index.
    pub sub: AttrValue,
}

/// An attribute value as written by a person: a name from the table or an index 0..15.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AttrValue {
    /// The value's snake_case name.
    Name(String),
    /// The value's index 0..15.
    Index(u64),
}

impl AttrValue {
    fn resolve(&self, slot: &super::Slot) -> Result<u8, String> {
        match self {
            AttrValue::Index(i) if *i < VALUES as u64 => Ok(*i as u8),
            AttrValue::Index(i) => Err(format!("index must be 0..15, got {i}")),
            AttrValue::Name(name) => slot.index_of(name).ok_or_else(|| {
                format!("unknown {} \"{name}\" (known: {})", slot.name, slot.values.join(", "))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Genome {
        let mut bytes = [0u8; BYTES];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (i as u8).wrapping_mul(37).wrapping_add(11);
        }
        Genome::from_bytes(bytes)
    }

    #[test]
    fn hex_accepts_prefix_and_case() {
        let g = sample();
        let hex = g.to_hex();
        assert_eq!(hex.len(), 82);
        assert_eq!(Genome::from_hex(&hex).unwrap(), g);
        assert_eq!(Genome::from_hex(&hex[2..]).unwrap(), g);
        assert_eq!(Genome::from_hex(&hex.to_uppercase().replacen("0X", "0x", 1)).unwrap(), g);
    }

    #[test]
    fn hex_errors_name_the_problem() {
        let hex = sample().to_hex();
        assert_eq!(Genome::from_hex(&hex[..81]), Err(GenomeError::HexLength(79)));
        assert_eq!(
            Genome::from_hex(&format!("{}g", &hex[..81])),
            Err(GenomeError::HexDigit { position: 81, ch: 'g' })
        );
        assert_eq!(
            GenomeError::HexLength(79).to_string(),
            "genome hex must be 80 hex digits (optionally after 0x), got 79"
        );
        assert_eq!(Genome::from_hex(""), Err(GenomeError::HexLength(0)));
    }

    #[test]
    fn pair_is_big_endian_code_then_attrs() {
        let g = sample();
        let (code, attrs) = (g.code(), g.attrs());
        assert_eq!(code[0], g.to_bytes()[0], "gene 0 is the most significant byte of code");
        assert_eq!((attrs >> 56) as u8, g.to_bytes()[32], "gene 32 is the top byte of attrs");
        assert_eq!(Genome::from_pair(code, attrs), g);
    }

    #[test]
    fn features_are_z_then_one_hot() {
        let g = sample();
        let f = g.features();
        assert_eq!(f[0], level_to_z(g.gene(0).main));
        for slot in 0..ATTR_GENES {
            let block = &f[CODE_GENES + slot * VALUES..CODE_GENES + (slot + 1) * VALUES];
            assert_eq!(block.iter().sum::<f32>(), 1.0);
            assert_eq!(block[g.attribute(slot) as usize], 1.0);
        }
        let (code, attrs) = g.generator_input();
        assert_eq!(&f[..CODE_GENES], &code[..]);
        assert_eq!(attrs[3], g.attribute(3) as i64);
    }

    #[test]
    fn json_uses_names_and_rejects_bad_values() {
        let g = sample();
        let doc = g.to_json();
        assert_eq!(doc.attrs[0].slot, "hair_colour");
        let text = serde_json::to_string(&doc).unwrap();
        assert_eq!(Genome::from_json_str(&text).unwrap(), g);

        let mut bad = doc.clone();
        bad.attrs[3].main = AttrValue::Name("green".into());
        bad.hex = None;
        let e = Genome::from_json(&bad).unwrap_err().to_string();
        assert!(e.contains("attrs[3].main: unknown skin_tone \"green\""), "{e}");

        let mut swapped = doc.clone();
        swapped.attrs.swap(0, 1);
        let e = Genome::from_json(&swapped).unwrap_err().to_string();
        assert!(e.contains("attrs[0].slot must be \"hair_colour\", got \"hair_style\""), "{e}");

        let mut stale = doc;
        stale.code[0].main = (stale.code[0].main + 1) % 16;
        assert!(Genome::from_json(&stale).unwrap_err().to_string().contains("disagrees"));
    }
}
