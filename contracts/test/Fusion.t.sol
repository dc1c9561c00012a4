// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TestBase} from "./utils/TestBase.sol";
import {ReferenceFusion} from "./utils/ReferenceFusion.sol";
import {Fusion} from "../src/Fusion.sol";
import {GenomeLib} from "../src/GenomeLib.sol";

/// @notice Fusion.breed against the properties of docs/genome.md's law (the byte-exact check is
/// Vectors.t.sol).
contract FusionTest is TestBase {
    uint256 private constant ALL_ONES_CODE = type(uint256).max;
    uint64 private constant ALL_ONES_ATTRS = type(uint64).max;

    function testDrawIsKeccakOfSeedAndCounter() public pure {
        bytes32 seed = keccak256("chimera");
        (uint256 w0, uint256 w1) = Fusion.draw(seed);
        assertEq(w0, uint256(keccak256(abi.encode(seed, uint256(0)))), "w0");
        assertEq(w1, uint256(keccak256(abi.encode(seed, uint256(1)))), "w1");
        // 64-byte input: the seed then a 32-byte big-endian counter.
        assertEq(w1, uint256(keccak256(abi.encodePacked(seed, bytes32(uint256(1))))), "w1 packed");
    }

    function testFuzz_MatchesReference(uint256 mc, uint64 ma, uint256 sc, uint64 sa, bytes32 seed) public pure {
        (uint256 code, uint64 attrs) = Fusion.breed(mc, ma, sc, sa, seed);
        (uint256 refCode, uint64 refAttrs) = ReferenceFusion.breed(mc, ma, sc, sa, seed);
        assertEq(code, refCode, "code vs reference");
        assertEq(attrs, refAttrs, "attrs vs reference");
    }

    function testFuzz_Deterministic(uint256 mc, uint64 ma, uint256 sc, uint64 sa, bytes32 seed) public pure {
        (uint256 c1, uint64 a1) = Fusion.breed(mc, ma, sc, sa, seed);
        (uint256 c2, uint64 a2) = Fusion.breed(mc, ma, sc, sa, seed);
        assertEq(c1, c2, "code");
        assertEq(a1, a2, "attrs");
    }

    /// Every child gene: one of (main, sub) comes from the matron's main/sub and the other from
    /// the sire's; a mutated gene keeps its sub (from a parent) and only its main may be new.
    function testFuzz_GenesComeFromParents(uint256 mc, uint64 ma, uint256 sc, uint64 sa, bytes32 seed) public pure {
        (uint256 code, uint64 attrs) = Fusion.breed(mc, ma, sc, sa, seed);
        for (uint256 g; g < GenomeLib.GENES; g++) {
            uint256 main = GenomeLib.main(code, attrs, g);
            uint256 sub = GenomeLib.sub(code, attrs, g);
            bool subFromMatron = fromParent(sub, mc, ma, g);
            bool subFromSire = fromParent(sub, sc, sa, g);
            assertTrue(subFromMatron || subFromSire, string.concat("gene ", vm.toString(g), ": sub from no parent"));
            if (ReferenceFusion.mutates(seed, g)) continue;
            bool ok = (fromParent(main, mc, ma, g) && subFromSire) || (fromParent(main, sc, sa, g) && subFromMatron);
            assertTrue(ok, string.concat("gene ", vm.toString(g), ": main/sub not one from each parent"));
        }
    }

    /// Identical parents: every unmutated gene is (x, y) with x, y in the parent's {main, sub};
    /// a homozygous parent (main == sub everywhere) breeds true except where a gene mutates.
    function testFuzz_IdenticalParents(uint256 pc, uint64 pa, bytes32 seed) public pure {
        (uint256 code, uint64 attrs) = Fusion.breed(pc, pa, pc, pa, seed);
        for (uint256 g; g < GenomeLib.GENES; g++) {
            assertTrue(fromParent(GenomeLib.sub(code, attrs, g), pc, pa, g), "sub");
            if (!ReferenceFusion.mutates(seed, g)) {
                assertTrue(fromParent(GenomeLib.main(code, attrs, g), pc, pa, g), "main");
            }
        }
        (uint256 hc, uint64 ha) = homozygous(pc, pa);
        (code, attrs) = Fusion.breed(hc, ha, hc, ha, seed);
        for (uint256 g; g < GenomeLib.GENES; g++) {
            uint256 expected = GenomeLib.gene(hc, ha, g);
            uint256 got = GenomeLib.gene(code, attrs, g);
            if (ReferenceFusion.mutates(seed, g)) {
                assertEq(got & 0x0f, expected & 0x0f, "mutated gene keeps its sub");
            } else {
                assertEq(got, expected, string.concat("gene ", vm.toString(g)));
            }
        }
    }

    /// All-zero parents: every sub stays 0; only mutated mains move, and a code gene's
    /// neighbouring step from level 0 reflects to 1.
    function testFuzz_AllZeroParents(bytes32 seed) public pure {
        (uint256 code, uint64 attrs) = Fusion.breed(0, 0, 0, 0, seed);
        checkConstantParents(code, attrs, 0, seed);
    }

    /// All-ones parents: every sub stays 15; a neighbouring step from level 15 reflects to 14.
    function testFuzz_AllOnesParents(bytes32 seed) public pure {
        (uint256 code, uint64 attrs) = Fusion.breed(ALL_ONES_CODE, ALL_ONES_ATTRS, ALL_ONES_CODE, ALL_ONES_ATTRS, seed);
        checkConstantParents(code, attrs, 15, seed);
    }

    /// A birth with seven or more mutations reuses the pool's first detail for the seventh.
    function testSeventhMutationReusesFirstDetail() public pure {
        // The first i with seven mutating genes (found by scanning i = 0, 1, …; about 2·10⁻⁴
        // of births have seven or more).
        bytes32 seed = keccak256(abi.encode("seventh", uint256(15751)));
        assertEq(ReferenceFusion.mutationCount(seed), 7, "mutations for this seed");
        uint256 mc = uint256(keccak256("matron"));
        uint64 ma = uint64(uint256(keccak256("matron attrs")));
        uint256 sc = uint256(keccak256("sire"));
        uint64 sa = uint64(uint256(keccak256("sire attrs")));
        (uint256 code, uint64 attrs) = Fusion.breed(mc, ma, sc, sa, seed);
        (uint256 refCode, uint64 refAttrs) = ReferenceFusion.breed(mc, ma, sc, sa, seed);
        assertEq(code, refCode, "code");
        assertEq(attrs, refAttrs, "attrs");
    }

    function testMutateCodeGene() public pure {
        // d & 1 == 0: neighbour; v = d >> 1; up if v & 1 == 1.
        assertEq(Fusion.mutate(true, 7, 0x02), 8, "7 up");
        assertEq(Fusion.mutate(true, 7, 0x00), 6, "7 down");
        assertEq(Fusion.mutate(true, 15, 0x02), 14, "15 up reflects");
        assertEq(Fusion.mutate(true, 0, 0x00), 1, "0 down reflects");
        assertEq(Fusion.mutate(true, 0, 0x06), 1, "0 up");
        assertEq(Fusion.mutate(true, 15, 0x04), 14, "15 down");
        // d & 1 == 1: fresh level v.
        assertEq(Fusion.mutate(true, 3, 0x1f), 15, "fresh 15");
        assertEq(Fusion.mutate(true, 3, 0x01), 0, "fresh 0");
        assertEq(Fusion.mutate(true, 3, 0x07), 3, "fresh repeats");
    }

    function testMutateAttributeGene() public pure {
        // Always the fresh value v = d >> 1, whatever d & 1.
        assertEq(Fusion.mutate(false, 9, 0x00), 0, "d=0");
        assertEq(Fusion.mutate(false, 9, 0x02), 1, "d=2");
        assertEq(Fusion.mutate(false, 9, 0x1e), 15, "d=30");
        assertEq(Fusion.mutate(false, 9, 0x1f), 15, "d=31");
    }

    // ------------------------------------------------------------------ helpers

    function fromParent(uint256 value, uint256 code, uint64 attrs, uint256 g) private pure returns (bool) {
        return value == GenomeLib.main(code, attrs, g) || value == GenomeLib.sub(code, attrs, g);
    }

    /// The genome with each gene's sub set to its main.
    function homozygous(uint256 code, uint64 attrs) private pure returns (uint256, uint64) {
        for (uint256 g; g < GenomeLib.GENES; g++) {
            uint256 m = GenomeLib.main(code, attrs, g);
            (code, attrs) = GenomeLib.withGene(code, attrs, g, m, m);
        }
        return (code, attrs);
    }

    function checkConstantParents(uint256 code, uint64 attrs, uint256 level, bytes32 seed) private pure {
        for (uint256 g; g < GenomeLib.GENES; g++) {
            uint256 main = GenomeLib.main(code, attrs, g);
            assertEq(GenomeLib.sub(code, attrs, g), level, "sub");
            if (!ReferenceFusion.mutates(seed, g)) {
                assertEq(main, level, string.concat("unmutated gene ", vm.toString(g)));
            }
        }
        // Mutated mains (a neighbouring step from an end reflects: 0 -> 1, 15 -> 14) are checked
        // against the reference, which spells the rule out.
        (uint256 refCode, uint64 refAttrs) = ReferenceFusion.breed(
            level == 0 ? 0 : ALL_ONES_CODE,
            level == 0 ? 0 : ALL_ONES_ATTRS,
            level == 0 ? 0 : ALL_ONES_CODE,
            level == 0 ? 0 : ALL_ONES_ATTRS,
            seed
        );
        assertEq(code, refCode, "code vs reference");
        assertEq(attrs, refAttrs, "attrs vs reference");
    }
}
