// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The few Foundry cheatcodes these tests use (forge-std is not available here).
/// Signatures from Foundry's cheatcode reference; the cheatcode contract lives at
/// address(uint160(uint256(keccak256("hevm cheat code")))).
interface Vm {
    /// One event captured between recordLogs and getRecordedLogs.
    struct Log {
        bytes32[] topics;
        bytes data;
        address emitter;
    }

    // Environment.
    function roll(uint256 newHeight) external;
    function setBlockhash(uint256 blockNumber, bytes32 blockHash) external;
    function deal(address account, uint256 newBalance) external;
    function prank(address msgSender) external;
    function startPrank(address msgSender) external;
    function stopPrank() external;

    // Assertions.
    function expectRevert() external;
    function expectRevert(bytes4 revertData) external;
    function expectRevert(bytes calldata revertData) external;
    function assume(bool condition) external pure;
    function recordLogs() external;
    function getRecordedLogs() external returns (Log[] memory logs);

    // Files and strings.
    function exists(string calldata path) external view returns (bool result);
    function readLine(string calldata path) external view returns (string memory line);
    function closeFile(string calldata path) external;
    function split(string calldata input, string calldata delimiter) external pure returns (string[] memory outputs);
    function parseBytes(string calldata stringifiedValue) external pure returns (bytes memory parsedValue);
    function toString(uint256 value) external pure returns (string memory stringifiedValue);
    function toString(bytes32 value) external pure returns (string memory stringifiedValue);
    function toString(bytes calldata value) external pure returns (string memory stringifiedValue);
    function toString(address value) external pure returns (string memory stringifiedValue);
}
