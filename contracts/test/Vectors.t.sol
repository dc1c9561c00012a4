// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TestBase} from "./utils/TestBase.sol";
import {Fusion} from "../src/Fusion.sol";
import {GenomeLib} from "../src/GenomeLib.sol";

/// @notice The one cross-language check: Fusion.breed must reproduce every child of the vector
/// file that the Rust engine generates (`fusion::breed` under `BreedingLaw::ONCHAIN`).
///
/// File format, one case per line, four space-separated 0x-prefixed lowercase hex fields:
///   matron(80 hex digits) sire(80) seed(64) child(80)
/// where a genome's 80 digits are code (64) then attrs (16).
contract VectorsTest is TestBase {
    /// Relative to the contracts folder (forge's project root); read access is granted in
    /// foundry.toml's fs_permissions.
    string private constant PATH = "../tests/vectors/breed.hex";
    uint256 private constant MIN_CASES = 1000;

    function testBreedVectors() public {
        bool present;
        // forge refuses (reverts) rather than answering false while ../tests/vectors is absent.
        try vm.exists(PATH) returns (bool exists) {
            present = exists;
        } catch {}
        assertTrue(present, "tests/vectors/breed.hex is missing: generate it from the Rust engine (see docs/genome.md)");
        uint256 cases;
        for (uint256 lineNo = 1;; lineNo++) {
            string memory line = vm.readLine(PATH);
            if (bytes(line).length == 0) break; // end of file
            string[] memory fields = vm.split(line, " ");
            if (fields.length != 4) {
                revert(
                    string.concat("line ", vm.toString(lineNo), ": expected 4 fields, got ", vm.toString(fields.length))
                );
            }
            (uint256 mc, uint64 ma) = genome(fields[0], lineNo, "matron");
            (uint256 sc, uint64 sa) = genome(fields[1], lineNo, "sire");
            bytes memory seedBytes = vm.parseBytes(fields[2]);
            if (seedBytes.length != 32) revert(string.concat("line ", vm.toString(lineNo), ": seed must be 32 bytes"));
            (uint256 wantCode, uint64 wantAttrs) = genome(fields[3], lineNo, "child");

            (uint256 code, uint64 attrs) = Fusion.breed(mc, ma, sc, sa, bytes32(seedBytes));
            if (code != wantCode || attrs != wantAttrs) reportMismatch(lineNo, line, code, attrs, wantCode, wantAttrs);
            cases++;
        }
        vm.closeFile(PATH);
        emit log_named_uint("breed vectors checked", cases);
        assertTrue(cases >= MIN_CASES, string.concat("only ", vm.toString(cases), " vector lines, expected >= 1000"));
    }

    /// A 40-byte genome field: code (32 bytes) then attrs (8 bytes), both big-endian.
    function genome(string memory field, uint256 lineNo, string memory what)
        private
        pure
        returns (uint256 code, uint64 attrs)
    {
        bytes memory raw = vm.parseBytes(field);
        if (raw.length != 40) {
            revert(
                string.concat(
                    "line ",
                    vm.toString(lineNo),
                    ": ",
                    what,
                    " must be 80 hex digits (40 bytes), got ",
                    vm.toString(raw.length),
                    " bytes"
                )
            );
        }
        assembly {
            code := mload(add(raw, 0x20))
            attrs := shr(192, mload(add(raw, 0x40)))
        }
    }

    /// Names the first differing gene, its field (code or attrs) and main/sub, expected vs got.
    function reportMismatch(
        uint256 lineNo,
        string memory line,
        uint256 code,
        uint64 attrs,
        uint256 wantCode,
        uint64 wantAttrs
    ) private pure {
        for (uint256 g; g < GenomeLib.GENES; g++) {
            uint256 want = GenomeLib.gene(wantCode, wantAttrs, g);
            uint256 got = GenomeLib.gene(code, attrs, g);
            if (want == got) continue;
            revert(
                string.concat(
                    "line ",
                    vm.toString(lineNo),
                    ": child ",
                    g < GenomeLib.CODE_GENES ? "code" : "attrs",
                    " gene ",
                    vm.toString(g),
                    ((want ^ got) >> 4) != 0 ? " main" : " sub",
                    " differs: expected byte 0x",
                    hexByte(want),
                    ", got 0x",
                    hexByte(got),
                    " | case: ",
                    line
                )
            );
        }
    }

    function hexByte(uint256 b) private pure returns (string memory) {
        bytes memory digits = "0123456789abcdef";
        return string(abi.encodePacked(digits[(b >> 4) & 15], digits[b & 15]));
    }
}
