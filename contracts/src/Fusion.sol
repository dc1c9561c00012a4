// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {GenomeLib} from "./GenomeLib.sol";

/// @title Fusion — the on-chain fusion law (docs/genome.md, "Breeding: the on-chain fusion law")
/// @notice `breed` turns two parent genomes and a 32-byte seed into a child genome. It must give
/// byte-identical children to the Rust engine's `fusion::breed` under `BreedingLaw::ONCHAIN`;
/// both are checked against tests/vectors/breed.hex.
/// @dev Randomness: two words, always, in this order
///
///   w0 = keccak256(seed ‖ uint256(0))      64-byte input, big-endian counter
///   w1 = keccak256(seed ‖ uint256(1))
///
///   w0: bit 255 ┌──────────────┬─────────┬─────┬────────┬────────┐ bit 0
///               │ detail lo 16 │ chunk 19│ ... │ chunk 1│ chunk 0│      chunk j → gene j
///               └──────────────┴─────────┴─────┴────────┴────────┘
///   w1:         │ detail hi 16 │ chunk 19│ ... │ chunk 1│ chunk 0│      chunk j → gene 20 + j
///
///   each 12-bit chunk r:  bits 11..7 mut │ bit 6 cross │ bits 5..3 sel_s │ bits 2..0 sel_m
///
///   detail pool D = (w0 >> 240) | ((w1 >> 240) << 16)       32 bits = six 5-bit details
///
/// Per gene g:  a = sel_m < P_MAIN ? matron.main : matron.sub
///              b = sel_s < P_MAIN ? sire.main   : sire.sub
///              (main, sub) = cross == 0 ? (a, b) : (b, a)
///              if mut < MUTATION: main = mutate(g, main, D's detail number k mod 6), k += 1
library Fusion {
    /// p_main, in eighths: a parent passes its main value with probability 6/8, else its sub.
    uint256 internal constant P_MAIN = 6;
    /// mutation, in thirty-seconds: the child's main value mutates with probability 1/32.
    uint256 internal constant MUTATION = 1;

    /// Bits of randomness each gene consumes, and their mask.
    uint256 internal constant CHUNK_BITS = 12;
    uint256 internal constant CHUNK_MASK = 0xfff;
    /// Genes drawn from one word (20 × 12 = 240 bits; the top 16 feed the detail pool).
    uint256 internal constant GENES_PER_WORD = 20;

    /// Chunk fields: sel_m = bits 0..2, sel_s = bits 3..5, cross = bit 6, mut = bits 7..11.
    uint256 internal constant SEL_MASK = 0x7;
    uint256 internal constant SEL_S_SHIFT = 3;
    uint256 internal constant CROSS_SHIFT = 6;
    uint256 internal constant MUT_SHIFT = 7;

    /// The detail pool: the top 16 bits of each word, w0's low, w1's high.
    uint256 internal constant POOL_SHIFT = 240;
    uint256 internal constant POOL_HALF_BITS = 16;
    /// A detail is 5 bits; six fit in the 32-bit pool and a seventh mutation reuses the first.
    uint256 internal constant DETAIL_BITS = 5;
    uint256 internal constant DETAIL_MASK = 31;
    uint256 internal constant DETAILS = 6;

    /// @notice The child of `matron` and `sire` under the on-chain law, for `seed`.
    /// @param matronCode The matron's code (genes 0..31).
    /// @param matronAttrs The matron's attrs (genes 32..39).
    /// @param sireCode The sire's code.
    /// @param sireAttrs The sire's attrs.
    /// @param seed 32 bytes of randomness; the same seed always gives the same child.
    /// @return code The child's code.
    /// @return attrs The child's attrs.
    function breed(uint256 matronCode, uint64 matronAttrs, uint256 sireCode, uint64 sireAttrs, bytes32 seed)
        internal
        pure
        returns (uint256 code, uint64 attrs)
    {
        (uint256 w0, uint256 w1) = draw(seed);
        uint256 pool = (w0 >> POOL_SHIFT) | ((w1 >> POOL_SHIFT) << POOL_HALF_BITS);
        // `mutations` counts the mutating genes so far: the k-th one reads detail k mod 6.
        uint256 mutations;
        (code, mutations) = fuseCode(matronCode, sireCode, w0, w1, pool);
        // Genes 32..39 read chunks 12..19 of w1 (genes 20..31 used chunks 0..11).
        attrs = fuseAttrs(
            matronAttrs, sireAttrs, w1 >> (CHUNK_BITS * (GenomeLib.CODE_GENES - GENES_PER_WORD)), pool, mutations
        );
    }

    /// @notice Genes 0..31: chunks 0..19 of w0, then chunks 0..11 of w1.
    /// @dev Walks both parents' codes from the most significant byte down (shifting them left a
    /// byte per gene) and shifts the child left a byte per gene, so gene g lands at 8·(31 − g).
    function fuseCode(uint256 matronCode, uint256 sireCode, uint256 w0, uint256 w1, uint256 pool)
        private
        pure
        returns (uint256 code, uint256 mutations)
    {
        uint256 rand = w0;
        uint256 gene;
        unchecked {
            for (uint256 g; g < GenomeLib.CODE_GENES; ++g) {
                if (g == GENES_PER_WORD) rand = w1;
                uint256 r = rand & CHUNK_MASK;
                gene = cross(matronCode >> GenomeLib.CODE_TOP_SHIFT, sireCode >> GenomeLib.CODE_TOP_SHIFT, r);
                if ((r >> MUT_SHIFT) < MUTATION) gene = mutateGene(true, gene, detail(pool, mutations++));
                code = (code << GenomeLib.GENE_BITS) | gene;
                matronCode <<= GenomeLib.GENE_BITS;
                sireCode <<= GenomeLib.GENE_BITS;
                rand >>= CHUNK_BITS;
            }
        }
    }

    /// @notice Genes 32..39 from `rand` (w1 shifted down to its chunk 12), continuing the
    /// mutation count of the code genes.
    function fuseAttrs(uint64 matronAttrs, uint64 sireAttrs, uint256 rand, uint256 pool, uint256 mutations)
        private
        pure
        returns (uint64 attrs)
    {
        uint256 child;
        uint256 gene;
        unchecked {
            for (uint256 shift = GenomeLib.ATTRS_TOP_SHIFT + GenomeLib.GENE_BITS; shift != 0;) {
                shift -= GenomeLib.GENE_BITS;
                uint256 r = rand & CHUNK_MASK;
                gene = cross(
                    (uint256(matronAttrs) >> shift) & GenomeLib.GENE_MASK,
                    (uint256(sireAttrs) >> shift) & GenomeLib.GENE_MASK,
                    r
                );
                if ((r >> MUT_SHIFT) < MUTATION) gene = mutateGene(false, gene, detail(pool, mutations++));
                child = (child << GenomeLib.GENE_BITS) | gene;
                rand >>= CHUNK_BITS;
            }
        }
        // Eight genes of 8 bits: `child` holds exactly 64 bits.
        // forge-lint: disable-next-line(unsafe-typecast)
        attrs = uint64(child);
    }

    /// @notice The two random words of a birth: keccak256(seed ‖ uint256(0)), keccak256(seed ‖ uint256(1)).
    /// @dev Hashes in the scratch space (0x00..0x3f) instead of allocating with abi.encode.
    function draw(bytes32 seed) internal pure returns (uint256 w0, uint256 w1) {
        assembly ("memory-safe") {
            mstore(0x00, seed)
            mstore(0x20, 0)
            w0 := keccak256(0x00, 0x40)
            mstore(0x20, 1)
            w1 := keccak256(0x00, 0x40)
        }
    }

    /// @notice Selection and crossover: the child gene byte, before mutation, from one matron
    /// gene byte, one sire gene byte and the gene's 12-bit chunk `r`.
    function cross(uint256 matronGene, uint256 sireGene, uint256 r) internal pure returns (uint256) {
        uint256 a = (r & SEL_MASK) < P_MAIN ? matronGene >> GenomeLib.MAIN_SHIFT : matronGene & GenomeLib.NIBBLE_MASK;
        uint256 b = ((r >> SEL_S_SHIFT) & SEL_MASK) < P_MAIN
            ? sireGene >> GenomeLib.MAIN_SHIFT
            : sireGene & GenomeLib.NIBBLE_MASK;
        return (r >> CROSS_SHIFT) & 1 == 0 ? (a << GenomeLib.MAIN_SHIFT) | b : (b << GenomeLib.MAIN_SHIFT) | a;
    }

    /// @notice The detail read by the k-th mutating gene of a birth: detail k mod 6 of the pool.
    function detail(uint256 pool, uint256 k) internal pure returns (uint256) {
        unchecked {
            return (pool >> (DETAIL_BITS * (k % DETAILS))) & DETAIL_MASK;
        }
    }

    /// @notice A gene byte with its main value mutated by `d` (see mutate); the sub is kept.
    function mutateGene(bool isCode, uint256 gene, uint256 d) internal pure returns (uint256) {
        return
            (mutate(isCode, gene >> GenomeLib.MAIN_SHIFT, d) << GenomeLib.MAIN_SHIFT) | (gene & GenomeLib.NIBBLE_MASK);
    }

    /// @notice The mutated main value, from the 5-bit detail d with v = d >> 1.
    /// @dev Code gene: d & 1 == 0 moves to a neighbouring level (up if v & 1 == 1, else down,
    /// reflecting 0 → 1 and 15 → 14); d & 1 == 1 draws the fresh level v.
    /// Attribute gene: always the fresh value v.
    function mutate(bool isCode, uint256 main, uint256 d) internal pure returns (uint256) {
        uint256 v = d >> 1;
        if (!isCode || d & 1 == 1) return v;
        unchecked {
            if (v & 1 == 1) return main == GenomeLib.MAX_VALUE ? GenomeLib.MAX_VALUE - 1 : main + 1;
            return main == 0 ? 1 : main - 1;
        }
    }
}
