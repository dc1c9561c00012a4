// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TestBase} from "./utils/TestBase.sol";
import {GenomeLib} from "../src/GenomeLib.sol";

/// @notice GenomeLib's layout: gene 0 is code's top byte, gene 39 attrs' bottom byte.
contract GenomeTest is TestBase {
    function testLayout() public pure {
        // Genes 0..31 = bytes 0x00..0x1f of code, big-endian; genes 32..39 = 0xa0..0xa7 of attrs.
        uint256 code = 0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f;
        uint64 attrs = 0xa0a1a2a3a4a5a6a7;
        for (uint256 g; g < 32; g++) {
            assertEq(GenomeLib.gene(code, attrs, g), g, "code gene");
            assertEq(GenomeLib.main(code, attrs, g), g >> 4, "code main");
            assertEq(GenomeLib.sub(code, attrs, g), g & 15, "code sub");
        }
        for (uint256 g = 32; g < 40; g++) {
            assertEq(GenomeLib.gene(code, attrs, g), 0xa0 + g - 32, "attr gene");
            assertEq(GenomeLib.main(code, attrs, g), 0xa, "attr main");
            assertEq(GenomeLib.sub(code, attrs, g), g - 32, "attr sub");
        }
        assertEq(GenomeLib.geneShift(0), 248, "gene 0 shift");
        assertEq(GenomeLib.geneShift(31), 0, "gene 31 shift");
        assertEq(GenomeLib.geneShift(GenomeLib.HAIR_COLOUR), 56, "hair_colour shift");
        assertEq(GenomeLib.geneShift(GenomeLib.BACKGROUND), 0, "background shift");
    }

    function testFuzz_WithGeneRoundTrips(uint256 code, uint64 attrs, uint8 g, uint8 m, uint8 s) public pure {
        uint256 gene = uint256(g) % GenomeLib.GENES;
        (uint256 c2, uint64 a2) = GenomeLib.withGene(code, attrs, gene, m & 15, s & 15);
        assertEq(GenomeLib.main(c2, a2, gene), m & 15, "main");
        assertEq(GenomeLib.sub(c2, a2, gene), s & 15, "sub");
        for (uint256 other; other < GenomeLib.GENES; other++) {
            if (other == gene) continue;
            assertEq(GenomeLib.gene(c2, a2, other), GenomeLib.gene(code, attrs, other), "other gene untouched");
        }
    }

    function testGeneOutOfRangeReverts() public {
        vm.expectRevert(abi.encodeWithSelector(GenomeLib.GeneOutOfRange.selector, 40));
        this.shiftOf(40);
    }

    function shiftOf(uint256 g) external pure returns (uint256) {
        return GenomeLib.geneShift(g);
    }
}
