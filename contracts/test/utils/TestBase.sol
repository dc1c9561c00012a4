// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Vm} from "./Vm.sol";

/// @notice Shared helpers for the plain `testXxx` suites: the cheatcode handle and equality
/// checks whose failure messages say what differed.
abstract contract TestBase {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    /// forge prints these with -vv (the DSTest log events it knows how to decode).
    event log_named_uint(string key, uint256 val);
    event log_string(string);

    function assertEq(uint256 got, uint256 expected, string memory what) internal pure {
        if (got != expected) {
            revert(string.concat(what, ": expected ", vm.toString(expected), ", got ", vm.toString(got)));
        }
    }

    function assertEq(address got, address expected, string memory what) internal pure {
        if (got != expected) {
            revert(string.concat(what, ": expected ", vm.toString(expected), ", got ", vm.toString(got)));
        }
    }

    function assertEq(bytes32 got, bytes32 expected, string memory what) internal pure {
        if (got != expected) {
            revert(string.concat(what, ": expected ", vm.toString(expected), ", got ", vm.toString(got)));
        }
    }

    function assertEq(string memory got, string memory expected, string memory what) internal pure {
        if (keccak256(bytes(got)) != keccak256(bytes(expected))) {
            revert(string.concat(what, ": expected \"", expected, "\", got \"", got, "\""));
        }
    }

    function assertTrue(bool condition, string memory what) internal pure {
        if (!condition) revert(what);
    }
}
