//! The 320-bit genome: 32 code genes (the 256-bit latent code) and 8 attribute genes (64 bits).
//!
//! Every gene is one byte: high nibble = **main** value (what the portrait shows), low nibble =
//! **sub** value (carried and passed on with lower probability). The layout, the level table and
//! the attribute names are specified once in `docs/genome.md`; this module is its Rust half.
//!
//! A [`Genome`] is stored as its 40 bytes in gene order, which is also the on-chain order:
//! `code` big-endian followed by `attrs` big-endian. Every other form is a codec in [`codec`].

pub mod attributes;
pub mod codec;
pub mod levels;

pub use attributes::{Slot, SLOT_TABLE};
pub use codec::{GenomeJson, FEATURES};
pub use levels::{level_to_z, z_to_level};

/// Genes in a genome.
pub const GENES: usize = 40;
/// Code genes (0..32): latent levels.
pub const CODE_GENES: usize = 32;
/// Attribute genes (32..40): named categorical values.
pub const ATTR_GENES: usize = 8;
/// Bytes in a genome (one per gene).
pub const BYTES: usize = GENES;

/// One gene: a main and a sub value, each 0..15.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Gene {
    /// The expressed value: a code level or an attribute index.
    pub main: u8,
    /// The carried value, passed on when a parent contributes its sub.
    pub sub: u8,
}

impl Gene {
    /// A gene from its two nibbles. Values above 15 are a caller bug, so they panic in debug.
    pub fn new(main: u8, sub: u8) -> Self {
        debug_assert!(main < 16 && sub < 16, "gene nibbles must be 0..15, got {main}/{sub}");
        Gene { main: main & 0x0f, sub: sub & 0x0f }
    }

    /// The gene stored in one genome byte.
    pub fn from_byte(byte: u8) -> Self {
        Gene { main: byte >> 4, sub: byte & 0x0f }
    }

    /// The genome byte for this gene.
    pub fn to_byte(self) -> u8 {
        (self.main << 4) | self.sub
    }
}

/// What kind of value a gene holds, which decides how fusion and codecs treat it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeneKind {
    /// A latent level standing for `level_to_z(v)`.
    Code,
    /// An index into `SLOT_TABLE[slot]`.
    Attribute {
        /// Which attribute slot (0..8).
        slot: usize,
    },
}

/// The kind of gene `index` (0..40).
pub fn gene_kind(index: usize) -> GeneKind {
    if index < CODE_GENES {
        GeneKind::Code
    } else {
        GeneKind::Attribute { slot: index - CODE_GENES }
    }
}

/// A 320-bit Chimera genome.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Genome {
    /// The 40 gene bytes in gene order (= `code` big-endian ‖ `attrs` big-endian).
    bytes: [u8; BYTES],
}

impl Genome {
    /// The genome with these 40 bytes (every byte pattern is a valid genome).
    pub const fn from_bytes(bytes: [u8; BYTES]) -> Self {
        Genome { bytes }
    }

    /// The 40 bytes in gene order.
    pub const fn to_bytes(&self) -> [u8; BYTES] {
        self.bytes
    }

    /// The genome as a byte slice, for hashing and I/O without a copy.
    pub fn as_bytes(&self) -> &[u8; BYTES] {
        &self.bytes
    }

    /// Gene `index` (0..40). Panics on an index ≥ 40, which is always a caller bug.
    pub fn gene(&self, index: usize) -> Gene {
        Gene::from_byte(self.bytes[index])
    }

    /// Replace gene `index` (0..40).
    pub fn set_gene(&mut self, index: usize, gene: Gene) {
        self.bytes[index] = gene.to_byte();
    }

    /// All 40 genes in order.
    pub fn genes(&self) -> impl Iterator<Item = Gene> + '_ {
        self.bytes.iter().map(|b| Gene::from_byte(*b))
    }

    /// The 256-bit `code` as 32 big-endian bytes (the contract's uint256).
    pub fn code(&self) -> [u8; 32] {
        let mut code = [0u8; 32];
        code.copy_from_slice(&self.bytes[..CODE_GENES]);
        code
    }

    /// The 64-bit `attrs` (the contract's uint64).
    pub fn attrs(&self) -> u64 {
        let mut attrs = [0u8; 8];
        attrs.copy_from_slice(&self.bytes[CODE_GENES..]);
        u64::from_be_bytes(attrs)
    }

    /// The genome stored on chain as `(uint256 code, uint64 attrs)`.
    pub fn from_pair(code: [u8; 32], attrs: u64) -> Self {
        let mut bytes = [0u8; BYTES];
        bytes[..CODE_GENES].copy_from_slice(&code);
        bytes[CODE_GENES..].copy_from_slice(&attrs.to_be_bytes());
        Genome { bytes }
    }

    /// A uniformly random genome — every byte uniform, so code levels follow the generator's
    /// prior and attributes are uniform — drawn from `rng`: the caller owns the randomness, the
    /// genome module never reads a clock or a global RNG.
    pub fn random(rng: &mut impl rand_core::RngCore) -> Self {
        let mut bytes = [0u8; BYTES];
        rng.fill_bytes(&mut bytes);
        Genome { bytes }
    }

    /// Main value of attribute slot `slot` (0..8).
    pub fn attribute(&self, slot: usize) -> u8 {
        self.gene(CODE_GENES + slot).main
    }

    /// The genome whose sub values become main and main values sub: what a parent would pass on
    /// if it always contributed its subs. Used by previews and tests.
    pub fn swapped(&self) -> Self {
        let mut out = *self;
        for b in out.bytes.iter_mut() {
            *b = b.rotate_left(4);
        }
        out
    }
}

impl Default for Genome {
    /// The all-zero genome (every gene 0/0).
    fn default() -> Self {
        Genome { bytes: [0; BYTES] }
    }
}

impl std::fmt::Debug for Genome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Genome({})", self.to_hex())
    }
}

impl std::fmt::Display for Genome {
    /// `0x` followed by 80 lowercase hex digits, the form every surface prints.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl std::str::FromStr for Genome {
    type Err = GenomeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Genome::from_hex(s)
    }
}

/// Why a genome could not be decoded. Messages say exactly what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenomeError {
    /// The hex form had the wrong number of digits.
    #[error("genome hex must be 80 hex digits (optionally after 0x), got {0}")]
    HexLength(usize),
    /// The hex form had a character that is not a hex digit.
    #[error("genome hex has a non-hex character {ch:?} at position {position}")]
    HexDigit {
        /// Zero-based position in the input, counting the `0x` prefix if present.
        position: usize,
        /// The offending character.
        ch: char,
    },
    /// The byte form had the wrong length.
    #[error("genome must be 40 bytes, got {0}")]
    ByteLength(usize),
    /// The JSON form was malformed; the message names the field.
    #[error("genome JSON: {0}")]
    Json(String),
}
