// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Chimera} from "../../src/Chimera.sol";
import {GenomeLib} from "../../src/GenomeLib.sol";

/// @notice Tries to learn the child in the same transaction as the breed.
contract BreedAndHatchAttacker {
    Chimera private immutable chimera;

    constructor(Chimera target) {
        chimera = target;
    }

    function breedAndHatch(uint256 matronId, uint256 sireId) external returns (uint256 childId) {
        uint256 pendingId = chimera.breed(matronId, sireId);
        childId = chimera.hatch(pendingId);
    }
}

/// @notice Hatches, looks at the child and reverts unless its hair colour is the one it wants,
/// hoping to re-roll the birth.
contract PickyMidwife {
    Chimera private immutable chimera;
    uint256 private immutable wantedHairColour;

    error Disliked(uint256 hairColour);

    constructor(Chimera target, uint256 hairColour) {
        chimera = target;
        wantedHairColour = hairColour;
    }

    function hatchIfLiked(uint256 pendingId) external returns (uint256 childId) {
        childId = chimera.hatch(pendingId);
        (uint256 code, uint64 attrs) = chimera.genomeOf(childId);
        uint256 hair = GenomeLib.main(code, attrs, GenomeLib.HAIR_COLOUR);
        if (hair != wantedHairColour) revert Disliked(hair);
    }

    receive() external payable {}
}

/// @notice A midwife whose fee receipt re-enters hatch.
contract ReentrantMidwife {
    Chimera private immutable chimera;
    uint256 private pendingId;

    constructor(Chimera target) {
        chimera = target;
    }

    function hatch(uint256 id) external returns (uint256) {
        pendingId = id;
        return chimera.hatch(id);
    }

    receive() external payable {
        chimera.hatch(pendingId);
    }
}
