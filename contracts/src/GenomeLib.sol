// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title GenomeLib — the Chimera genome layout (docs/genome.md, "Layout")
/// @notice A genome is 40 one-byte genes held as a pair `(uint256 code, uint64 attrs)`.
/// @dev
///
///   code (uint256)                                attrs (uint64)
///   ┌────────┬────────┬─────┬─────────┐           ┌─────────┬─────┬─────────┐
///   │ gene 0 │ gene 1 │ ... │ gene 31 │           │ gene 32 │ ... │ gene 39 │
///   └────────┴────────┴─────┴─────────┘           └─────────┴─────┴─────────┘
///    bits 255..248          bits 7..0              bits 63..56     bits 7..0
///
///   each gene byte:  ┌──────────┬──────────┐
///                    │ main (4) │ sub (4)  │   main = byte >> 4, sub = byte & 0x0f
///                    └──────────┴──────────┘
///
/// Gene g < 32 sits at bit offset 8·(31 − g) of `code`; gene g ≥ 32 at 8·(39 − g) of `attrs`.
/// Written out as bytes, a genome is `code` big-endian followed by `attrs` big-endian.
///
/// Code genes 0..31 hold a level v in 0..15 (latent z = Φ⁻¹((v + 0.5) / 16)); they have no
/// names. Attribute genes 32..39 index the named slots below (docs/genome.md, "Attribute table"):
///
///   gene 32 hair_colour: black dark_brown chestnut auburn red copper golden blonde platinum
///                        silver white pink lavender blue teal green
///   gene 33 hair_style:  bald buzz_cut short bob long ponytail twin_tails top_bun mohawk afro
///                        curly spiky side_swept braids wavy pixie
///   gene 34 eye_colour:  brown dark_brown hazel amber green emerald blue sky_blue grey violet
///                        red gold teal pink black ice
///   gene 35 skin_tone:   porcelain fair light beige tan olive caramel brown umber ebony rose
///                        lilac mint sky ash gold
///   gene 36 expression:  neutral smile grin laugh smirk surprised sad angry wink sleepy blush
///                        pout tongue_out worried determined shy
///   gene 37 headwear:    none cap beanie top_hat crown bow headband flower horns cat_ears
///                        bunny_ears halo helmet beret wizard_hat tiara
///   gene 38 accessory:   none round_glasses square_glasses sunglasses monocle eye_patch goggles
///                        visor heart_glasses star_glasses mask face_paint bandage freckles
///                        earrings scar
///   gene 39 background:  cream sky mint peach lavender rose lemon slate navy forest crimson
///                        charcoal stripes dots sunburst gradient
library GenomeLib {
    /// Total genes in a genome.
    uint256 internal constant GENES = 40;
    /// Genes held in `code` (0..31).
    uint256 internal constant CODE_GENES = 32;
    /// Genes held in `attrs` (32..39).
    uint256 internal constant ATTR_GENES = 8;

    /// Bits per gene (one byte).
    uint256 internal constant GENE_BITS = 8;
    /// Mask of one gene byte once shifted down.
    uint256 internal constant GENE_MASK = 0xff;
    /// The main value is the high nibble of the gene byte.
    uint256 internal constant MAIN_SHIFT = 4;
    /// Mask of one 4-bit value (a main or a sub).
    uint256 internal constant NIBBLE_MASK = 0x0f;
    /// Largest main/sub value.
    uint256 internal constant MAX_VALUE = 15;

    /// Bit offset of gene 0 in `code` (its most significant byte).
    uint256 internal constant CODE_TOP_SHIFT = 248;
    /// Bit offset of gene 32 in `attrs` (its most significant byte).
    uint256 internal constant ATTRS_TOP_SHIFT = 56;

    /// Attribute genes (the slot names of docs/genome.md's attribute table).
    uint256 internal constant HAIR_COLOUR = 32;
    uint256 internal constant HAIR_STYLE = 33;
    uint256 internal constant EYE_COLOUR = 34;
    uint256 internal constant SKIN_TONE = 35;
    uint256 internal constant EXPRESSION = 36;
    uint256 internal constant HEADWEAR = 37;
    uint256 internal constant ACCESSORY = 38;
    uint256 internal constant BACKGROUND = 39;

    /// @notice A gene index was outside 0..39.
    error GeneOutOfRange(uint256 gene);

    /// @notice Bit offset of gene `g` inside its word (`code` for g < 32, `attrs` otherwise).
    function geneShift(uint256 g) internal pure returns (uint256) {
        if (g >= GENES) revert GeneOutOfRange(g);
        unchecked {
            return g < CODE_GENES ? CODE_TOP_SHIFT - GENE_BITS * g : ATTRS_TOP_SHIFT - GENE_BITS * (g - CODE_GENES);
        }
    }

    /// @notice The whole byte (main << 4 | sub) of gene `g`.
    function gene(uint256 code, uint64 attrs, uint256 g) internal pure returns (uint256) {
        uint256 word = g < CODE_GENES ? code : attrs;
        return (word >> geneShift(g)) & GENE_MASK;
    }

    /// @notice The main value (high nibble, what the portrait shows) of gene `g`.
    function main(uint256 code, uint64 attrs, uint256 g) internal pure returns (uint256) {
        return gene(code, attrs, g) >> MAIN_SHIFT;
    }

    /// @notice The sub value (low nibble, carried and passed on) of gene `g`.
    function sub(uint256 code, uint64 attrs, uint256 g) internal pure returns (uint256) {
        return gene(code, attrs, g) & NIBBLE_MASK;
    }

    /// @notice The genome with gene `g` replaced by `(m << 4) | s`; `m` and `s` must be ≤ 15.
    function withGene(uint256 code, uint64 attrs, uint256 g, uint256 m, uint256 s)
        internal
        pure
        returns (uint256, uint64)
    {
        uint256 byteValue = ((m & NIBBLE_MASK) << MAIN_SHIFT) | (s & NIBBLE_MASK);
        uint256 shift = geneShift(g);
        if (g < CODE_GENES) {
            code = (code & ~(GENE_MASK << shift)) | (byteValue << shift);
        } else {
            attrs = uint64((uint256(attrs) & ~(GENE_MASK << shift)) | (byteValue << shift));
        }
        return (code, attrs);
    }
}
