// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {GenomeLib} from "../../src/GenomeLib.sol";

/// @notice docs/genome.md's fusion law written the slow, obvious way (abi.encode keccak, one
/// gene at a time through GenomeLib's getters), to cross-check the optimised Fusion.breed.
library ReferenceFusion {
    function breed(uint256 matronCode, uint64 matronAttrs, uint256 sireCode, uint64 sireAttrs, bytes32 seed)
        internal
        pure
        returns (uint256 code, uint64 attrs)
    {
        uint256 w0 = uint256(keccak256(abi.encode(seed, uint256(0))));
        uint256 w1 = uint256(keccak256(abi.encode(seed, uint256(1))));
        uint256 pool = (w0 >> 240) | ((w1 >> 240) << 16);
        uint256 k;
        for (uint256 g; g < 40; g++) {
            uint256 r = chunkOf(w0, w1, g);
            uint256 a =
                (r & 7) < 6 ? GenomeLib.main(matronCode, matronAttrs, g) : GenomeLib.sub(matronCode, matronAttrs, g);
            uint256 b =
                ((r >> 3) & 7) < 6 ? GenomeLib.main(sireCode, sireAttrs, g) : GenomeLib.sub(sireCode, sireAttrs, g);
            (uint256 main, uint256 sub) = (r >> 6) & 1 == 0 ? (a, b) : (b, a);
            if ((r >> 7) & 31 < 1) {
                uint256 d = (pool >> (5 * (k % 6))) & 31;
                k++;
                uint256 v = d >> 1;
                if (g >= 32 || d & 1 == 1) {
                    main = v;
                } else if (v & 1 == 1) {
                    main = main == 15 ? 14 : main + 1;
                } else {
                    main = main == 0 ? 1 : main - 1;
                }
            }
            (code, attrs) = GenomeLib.withGene(code, attrs, g, main, sub);
        }
    }

    /// Gene g's 12-bit chunk: (w0 >> 12g) for g < 20, (w1 >> 12(g − 20)) after.
    function chunkOf(uint256 w0, uint256 w1, uint256 g) internal pure returns (uint256) {
        return g < 20 ? (w0 >> (12 * g)) & 0xfff : (w1 >> (12 * (g - 20))) & 0xfff;
    }

    /// Whether gene g mutates for `seed` (mut < 1/32).
    function mutates(bytes32 seed, uint256 g) internal pure returns (bool) {
        uint256 w0 = uint256(keccak256(abi.encode(seed, uint256(0))));
        uint256 w1 = uint256(keccak256(abi.encode(seed, uint256(1))));
        return (chunkOf(w0, w1, g) >> 7) == 0;
    }

    /// How many genes mutate for `seed`.
    function mutationCount(bytes32 seed) internal pure returns (uint256 n) {
        uint256 w0 = uint256(keccak256(abi.encode(seed, uint256(0))));
        uint256 w1 = uint256(keccak256(abi.encode(seed, uint256(1))));
        for (uint256 g; g < 40; g++) {
            if ((chunkOf(w0, w1, g) >> 7) == 0) n++;
        }
    }
}
