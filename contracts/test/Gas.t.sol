// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TestBase} from "./utils/TestBase.sol";
import {Chimera} from "../src/Chimera.sol";
import {Fusion} from "../src/Fusion.sol";

/// @notice Exposes Fusion.breed as an external call so `forge test --gas-report` lists it.
contract FusionHarness {
    function breed(uint256 matronCode, uint64 matronAttrs, uint256 sireCode, uint64 sireAttrs, bytes32 seed)
        external
        pure
        returns (uint256, uint64)
    {
        return Fusion.breed(matronCode, matronAttrs, sireCode, sireAttrs, seed);
    }
}

/// @notice Gas figures for scripts/gas.sh (run with -vv to see them; --isolate for realistic
/// cold-storage costs of Chimera.breed and Chimera.hatch in the gas report).
contract GasTest is TestBase {
    uint256 private constant BUDGET = 40_000;
    uint256 private constant SAMPLES = 64;

    /// Fusion.breed alone, measured in-line with gasleft() over many seeds: mean and max.
    function testGasFusionBreed() public {
        uint256 total;
        uint256 most;
        for (uint256 i; i < SAMPLES; i++) {
            uint256 mc = uint256(keccak256(abi.encode("matron", i)));
            uint256 sc = uint256(keccak256(abi.encode("sire", i)));
            bytes32 seed = keccak256(abi.encode("seed", i));
            uint256 before = gasleft();
            (uint256 code, uint64 attrs) = Fusion.breed(mc, uint64(mc), sc, uint64(sc), seed);
            uint256 used = before - gasleft();
            // Use the result so the call cannot be optimised away.
            assertTrue(code != 0 || attrs != 0 || true, "");
            total += used;
            if (used > most) most = used;
        }
        emit log_named_uint("Fusion.breed gas (mean)", total / SAMPLES);
        emit log_named_uint("Fusion.breed gas (max)", most);
        assertTrue(most <= BUDGET, "Fusion.breed over its 40 000 gas budget");
    }

    /// One realistic genesis mint, breed and hatch, each a separate call for the gas report.
    function testGasBreedAndHatch() public {
        vm.roll(1000);
        Chimera chimera = new Chimera("ipfs://chimera/", 100);
        FusionHarness harness = new FusionHarness();
        address alice = address(0xA11CE);
        uint256 matronId = chimera.mintGenesis(alice, uint256(keccak256("a")), 0x1122334455667788);
        uint256 sireId = chimera.mintGenesis(alice, uint256(keccak256("b")), 0x99aabbccddeeff00);

        vm.prank(alice);
        uint256 before = gasleft();
        uint256 pendingId = chimera.breed(matronId, sireId);
        emit log_named_uint("Chimera.breed gas (call, from gasleft)", before - gasleft());

        vm.roll(1002);
        vm.setBlockhash(1001, keccak256("block 1001"));
        before = gasleft();
        uint256 childId = chimera.hatch(pendingId);
        emit log_named_uint("Chimera.hatch gas (call, from gasleft)", before - gasleft());
        assertTrue(childId != 0, "hatched");

        // A second birth: the steady state (pendingCount and totalSupply are no longer 0 -> 1).
        uint256 m2 = chimera.mintGenesis(alice, uint256(keccak256("c")), 0x0102030405060708);
        uint256 s2 = chimera.mintGenesis(alice, uint256(keccak256("d")), 0x0807060504030201);
        vm.prank(alice);
        uint256 pending2 = chimera.breed(m2, s2);
        vm.roll(1004);
        vm.setBlockhash(1003, keccak256("block 1003"));
        chimera.hatch(pending2);

        harness.breed(uint256(keccak256("a")), 1, uint256(keccak256("b")), 2, keccak256("seed"));
    }
}
