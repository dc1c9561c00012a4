//! How genomes appear in the preference engine's serde forms: the `0x` + 80 hex digit string every
//! other surface prints. `Genome` itself carries no serde impl, so labels and results name these
//! helpers with `#[serde(with = ...)]`.

use crate::genome::Genome;
use serde::{Deserialize, Deserializer, Serializer};

/// One genome as a hex string.
pub mod genome {
    use super::*;

    /// Write the genome as `0x` + 80 lowercase hex digits.
    pub fn serialize<S: Serializer>(genome: &Genome, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&genome.to_hex())
    }

    /// Read 80 hex digits (optional `0x`, either case).
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Genome, D::Error> {
        let text = String::deserialize(d)?;
        Genome::from_hex(&text).map_err(serde::de::Error::custom)
    }
}

/// A list of genomes as hex strings.
pub mod genomes {
    use super::*;
    use serde::ser::SerializeSeq;

    /// Write every genome as a hex string.
    pub fn serialize<S: Serializer>(genomes: &[Genome], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(genomes.len()))?;
        for g in genomes {
            seq.serialize_element(&g.to_hex())?;
        }
        seq.end()
    }

    /// Read a list of hex strings.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Genome>, D::Error> {
        let texts = Vec::<String>::deserialize(d)?;
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                Genome::from_hex(t).map_err(|e| serde::de::Error::custom(format!("[{i}]: {e}")))
            })
            .collect()
    }
}
