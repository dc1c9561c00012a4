// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TestBase} from "./utils/TestBase.sol";
import {Vm} from "./utils/Vm.sol";
import {BreedAndHatchAttacker, PickyMidwife, ReentrantMidwife} from "./utils/Actors.sol";
import {Chimera} from "../src/Chimera.sol";
import {Fusion} from "../src/Fusion.sol";
import {GenomeLib} from "../src/GenomeLib.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

contract ChimeraTest is TestBase {
    Chimera private chimera;

    address private constant ALICE = address(0xA11CE);
    address private constant BOB = address(0xB0B);
    address private constant KEEPER = address(0x4EE9E2);

    uint256 private constant CAP = 10;
    uint256 private constant START_BLOCK = 1000;

    // Two genesis genomes (and a third) with distinct, recognisable bytes.
    uint256 private constant CODE_A = 0x0123456789abcdeffedcba98765432100123456789abcdeffedcba9876543210;
    uint64 private constant ATTRS_A = 0x1122334455667788;
    uint256 private constant CODE_B = 0xf0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f;
    uint64 private constant ATTRS_B = 0x99aabbccddeeff00;

    bytes32 private constant HASH_1 = keccak256("block hash one");
    bytes32 private constant HASH_2 = keccak256("block hash two");

    bytes32 private constant BORN = keccak256("Born(uint256,address,uint256,uint256,uint16,uint256,uint64)");
    bytes32 private constant BREED_REQUESTED =
        keccak256("BreedRequested(uint256,uint256,uint256,address,uint64,uint256)");
    bytes32 private constant HATCHED = keccak256("Hatched(uint256,uint256,address,uint256)");
    bytes32 private constant BIRTH_RESCHEDULED = keccak256("BirthRescheduled(uint256,uint64)");
    bytes32 private constant SIRING_APPROVED = keccak256("SiringApproved(uint256,address)");
    bytes32 private constant BIRTH_FEE_CHANGED = keccak256("BirthFeeChanged(uint256)");
    bytes32 private constant BATCH_METADATA_UPDATE = keccak256("BatchMetadataUpdate(uint256,uint256)");

    function setUp() public {
        vm.roll(START_BLOCK);
        chimera = new Chimera("ipfs://chimera/", CAP);
    }

    // ------------------------------------------------------------------ genesis and roles

    function testGenesisMint() public {
        vm.recordLogs();
        uint256 id = chimera.mintGenesis(ALICE, CODE_A, ATTRS_A);
        assertEq(id, 1, "first token id");
        assertEq(chimera.ownerOf(id), ALICE, "owner");
        (uint256 code, uint64 attrs) = chimera.genomeOf(id);
        assertEq(code, CODE_A, "code");
        assertEq(attrs, ATTRS_A, "attrs");
        (,, uint256 matronId, uint256 sireId, uint16 generation, uint64 birthBlock, uint64 readyBlock) =
            chimera.characterOf(id);
        assertEq(matronId, 0, "genesis matron");
        assertEq(sireId, 0, "genesis sire");
        assertEq(generation, 0, "generation");
        assertEq(birthBlock, START_BLOCK, "birth block");
        assertEq(readyBlock, 0, "cooldown");

        checkBorn(findLog(vm.getRecordedLogs(), BORN), id, ALICE, 0, 0, 0, CODE_A, ATTRS_A);
    }

    function testGenesisCap() public {
        for (uint256 i; i < CAP; i++) {
            chimera.mintGenesis(ALICE, i, uint64(i));
        }
        assertEq(chimera.genesisCount(), CAP, "genesis count");
        vm.expectRevert(abi.encodeWithSelector(Chimera.GenesisCapReached.selector, CAP));
        chimera.mintGenesis(ALICE, 0, 0);
    }

    function testOnlyMinterMintsGenesis() public {
        bytes32 minter = chimera.MINTER_ROLE();
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, ALICE, minter));
        vm.prank(ALICE);
        chimera.mintGenesis(ALICE, CODE_A, ATTRS_A);

        chimera.grantRole(minter, ALICE);
        vm.prank(ALICE);
        assertEq(chimera.mintGenesis(ALICE, CODE_A, ATTRS_A), 1, "minted by new minter");
    }

    function testDeployerHoldsRoles() public view {
        assertTrue(chimera.hasRole(chimera.DEFAULT_ADMIN_ROLE(), address(this)), "admin");
        assertTrue(chimera.hasRole(chimera.MINTER_ROLE(), address(this)), "minter");
        assertTrue(!chimera.hasRole(chimera.MINTER_ROLE(), ALICE), "alice not minter");
    }

    function testUnknownTokenViewsRevert() public {
        vm.expectRevert(abi.encodeWithSelector(Chimera.UnknownToken.selector, 7));
        chimera.genomeOf(7);
        vm.expectRevert(abi.encodeWithSelector(Chimera.UnknownToken.selector, 0));
        chimera.characterOf(0);
    }

    // ------------------------------------------------------------------ breed and hatch

    function testBreedRequestsABirthForTheNextBlock() public {
        (uint256 matronId, uint256 sireId) = mintPair(ALICE, ALICE);

        vm.recordLogs();
        vm.prank(ALICE);
        uint256 pendingId = chimera.breed(matronId, sireId);
        assertEq(pendingId, 1, "first pending id");
        Vm.Log memory requested = findLog(vm.getRecordedLogs(), BREED_REQUESTED);
        assertEq(uint256(requested.topics[1]), pendingId, "BreedRequested pendingId");
        assertEq(uint256(requested.topics[2]), matronId, "BreedRequested matron");
        assertEq(uint256(requested.topics[3]), sireId, "BreedRequested sire");
        (address owner, uint64 birthBlock, uint256 fee) = abi.decode(requested.data, (address, uint64, uint256));
        assertEq(owner, ALICE, "BreedRequested owner");
        assertEq(birthBlock, START_BLOCK + 1, "birth block is the next block");
        assertEq(fee, 0, "default fee");

        checkPending(pendingId, matronId, sireId, ALICE, birthBlock, 0, 0);

        // Not in the breed block, nor in the birth block itself.
        vm.expectRevert(abi.encodeWithSelector(Chimera.BirthNotReady.selector, pendingId, birthBlock));
        chimera.hatch(pendingId);
        vm.roll(birthBlock);
        vm.expectRevert(abi.encodeWithSelector(Chimera.BirthNotReady.selector, pendingId, birthBlock));
        chimera.hatch(pendingId);
    }

    function testHatchMintsTheFusedChild() public {
        (uint256 matronId, uint256 sireId) = mintPair(ALICE, ALICE);
        uint256 pendingId = breedAs(ALICE, matronId, sireId);
        uint64 birthBlock = uint64(START_BLOCK + 1);
        vm.roll(birthBlock + 1);
        vm.setBlockhash(birthBlock, HASH_1);
        (uint256 wantCode, uint64 wantAttrs) = expectedChild(HASH_1, pendingId, matronId, sireId);

        vm.recordLogs();
        vm.prank(KEEPER);
        uint256 childId = chimera.hatch(pendingId);
        assertEq(childId, 3, "child id");
        assertEq(chimera.ownerOf(childId), ALICE, "child goes to the matron's owner");
        (uint256 code, uint64 attrs) = chimera.genomeOf(childId);
        assertEq(code, wantCode, "child code");
        assertEq(attrs, wantAttrs, "child attrs");
        checkLineage(childId, matronId, sireId, 1, birthBlock + 1);

        Vm.Log[] memory logs = vm.getRecordedLogs();
        checkBorn(findLog(logs, BORN), childId, ALICE, matronId, sireId, 1, wantCode, wantAttrs);
        Vm.Log memory hatched = findLog(logs, HATCHED);
        assertEq(uint256(hatched.topics[1]), pendingId, "Hatched pendingId");
        assertEq(uint256(hatched.topics[2]), childId, "Hatched tokenId");
        assertEq(address(uint160(uint256(hatched.topics[3]))), KEEPER, "Hatched midwife");

        (,,,,, uint256 recordedChild) = chimera.pendingBirth(pendingId);
        assertEq(recordedChild, childId, "pending birth records its child");
        vm.expectRevert(abi.encodeWithSelector(Chimera.AlreadyHatched.selector, pendingId, childId));
        chimera.hatch(pendingId);
    }

    function testChildGoesToOwnerAtBreedTime() public {
        (uint256 matronId, uint256 sireId) = mintPair(ALICE, ALICE);
        uint256 pendingId = breedAs(ALICE, matronId, sireId);
        vm.prank(ALICE);
        chimera.transferFrom(ALICE, BOB, matronId);
        uint256 childId = hatchAt(pendingId, HASH_1);
        assertEq(chimera.ownerOf(childId), ALICE, "child owner");
    }

    function testHatchUnknownBirthReverts() public {
        vm.expectRevert(abi.encodeWithSelector(Chimera.UnknownBirth.selector, 5));
        chimera.hatch(5);
    }

    function testBreedChecks() public {
        (uint256 matronId, uint256 sireId) = mintPair(ALICE, ALICE);
        vm.expectRevert(abi.encodeWithSelector(Chimera.NotOwner.selector, matronId));
        vm.prank(BOB);
        chimera.breed(matronId, sireId);

        vm.expectRevert(abi.encodeWithSelector(Chimera.SelfBreeding.selector, matronId));
        vm.prank(ALICE);
        chimera.breed(matronId, matronId);

        vm.expectRevert(abi.encodeWithSelector(Chimera.UnknownToken.selector, 99));
        vm.prank(ALICE);
        chimera.breed(matronId, 99);
    }

    function testNoBreedingWithParentOrChild() public {
        (uint256 matronId, uint256 sireId) = mintPair(ALICE, ALICE);
        uint256 childId = hatchAt(breedAs(ALICE, matronId, sireId), HASH_1);
        vm.roll(block.number + 100); // past every cooldown

        uint256[2][4] memory pairs = [[childId, matronId], [matronId, childId], [childId, sireId], [sireId, childId]];
        for (uint256 i; i < pairs.length; i++) {
            vm.expectRevert(abi.encodeWithSelector(Chimera.ParentChildBreeding.selector, pairs[i][0], pairs[i][1]));
            vm.prank(ALICE);
            chimera.breed(pairs[i][0], pairs[i][1]);
        }
        // Unrelated characters of different generations may breed.
        uint256 stranger = chimera.mintGenesis(ALICE, CODE_B, ATTRS_A);
        breedAs(ALICE, childId, stranger);
    }

    // ------------------------------------------------------------------ fees

    function testBirthFeePaidToHatcher() public {
        uint256 fee = 0.01 ether;
        vm.recordLogs();
        chimera.setBirthFee(fee);
        assertEq(uint256(bytes32(findLog(vm.getRecordedLogs(), BIRTH_FEE_CHANGED).data)), fee, "BirthFeeChanged");
        (uint256 matronId, uint256 sireId) = mintPair(ALICE, ALICE);
        vm.deal(ALICE, 1 ether);

        vm.expectRevert(abi.encodeWithSelector(Chimera.WrongBirthFee.selector, fee, 0));
        vm.prank(ALICE);
        chimera.breed(matronId, sireId);
        vm.expectRevert(abi.encodeWithSelector(Chimera.WrongBirthFee.selector, fee, fee + 1));
        vm.prank(ALICE);
        chimera.breed{value: fee + 1}(matronId, sireId);

        vm.prank(ALICE);
        uint256 pendingId = chimera.breed{value: fee}(matronId, sireId);
        assertEq(address(chimera).balance, fee, "fee held");
        (,,,, uint256 held,) = chimera.pendingBirth(pendingId);
        assertEq(held, fee, "pending fee");

        // A later fee change does not touch a birth already requested.
        chimera.setBirthFee(5 ether);
        uint256 keeperBefore = KEEPER.balance;
        hatchAt(pendingId, HASH_1);
        assertEq(KEEPER.balance - keeperBefore, fee, "keeper paid");
        assertEq(address(chimera).balance, 0, "nothing left held");
        (,,,, held,) = chimera.pendingBirth(pendingId);
        assertEq(held, 0, "pending fee cleared");
    }

    function testOnlyAdminSetsFeeAndURI() public {
        bytes32 admin = chimera.DEFAULT_ADMIN_ROLE();
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, ALICE, admin));
        vm.prank(ALICE);
        chimera.setBirthFee(1);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, ALICE, admin));
        vm.prank(ALICE);
        chimera.setBaseURI("evil://");
    }

    // ------------------------------------------------------------------ cooldowns

    function testCooldownsGrowWithBreedingAndGeneration() public {
        (uint256 matronId, uint256 sireId) = mintPair(ALICE, ALICE);
        uint256 pendingId = breedAs(ALICE, matronId, sireId);
        assertEq(cooldownEnd(matronId), block.number + 5, "first cooldown, matron");
        assertEq(cooldownEnd(sireId), block.number + 5, "first cooldown, sire");
        assertTrue(!chimera.isReadyToBreed(matronId), "matron cooling down");

        vm.expectRevert(abi.encodeWithSelector(Chimera.CoolingDown.selector, matronId, uint64(block.number + 5)));
        vm.prank(ALICE);
        chimera.breed(matronId, sireId);

        vm.roll(block.number + 5);
        assertTrue(chimera.isReadyToBreed(matronId), "ready again");
        breedAs(ALICE, matronId, sireId);
        assertEq(cooldownEnd(matronId), block.number + 10, "second cooldown is longer");

        // Generation 1 starts at index 0 (generation / 2); generation 2 at index 1.
        uint256 child = hatchAt(pendingId, HASH_1);
        uint256 stranger = chimera.mintGenesis(ALICE, CODE_B, ATTRS_A);
        vm.roll(block.number + 100);
        uint256 bredAt = block.number;
        uint256 grandchildPending = breedAs(ALICE, child, stranger);
        assertEq(cooldownEnd(child), bredAt + 5, "generation 1: 5 blocks");
        uint256 grandchild = hatchAt(grandchildPending, HASH_2);
        (,,,, uint16 generation,,) = chimera.characterOf(grandchild);
        assertEq(generation, 2, "grandchild generation");
        uint256 other = chimera.mintGenesis(ALICE, CODE_A, ATTRS_B);
        breedAs(ALICE, grandchild, other);
        assertEq(cooldownEnd(grandchild), block.number + 10, "generation 2: 10 blocks");

        assertEq(chimera.cooldownBlocks(13), 50400, "longest cooldown");
        assertEq(chimera.cooldownBlocks(200), 50400, "capped");
    }

    // ------------------------------------------------------------------ siring approval

    function testSiringApproval() public {
        uint256 matronId = chimera.mintGenesis(ALICE, CODE_A, ATTRS_A);
        uint256 sireId = chimera.mintGenesis(BOB, CODE_B, ATTRS_B);

        vm.expectRevert(abi.encodeWithSelector(Chimera.SiringNotApproved.selector, sireId, ALICE));
        vm.prank(ALICE);
        chimera.breed(matronId, sireId);

        vm.expectRevert(abi.encodeWithSelector(Chimera.NotOwner.selector, sireId));
        vm.prank(ALICE);
        chimera.approveSiring(ALICE, sireId);

        vm.recordLogs();
        vm.prank(BOB);
        chimera.approveSiring(ALICE, sireId);
        Vm.Log memory approved = findLog(vm.getRecordedLogs(), SIRING_APPROVED);
        assertEq(uint256(approved.topics[1]), sireId, "SiringApproved sire");
        assertEq(address(uint160(uint256(approved.topics[2]))), ALICE, "SiringApproved matronOwner");
        assertEq(chimera.sireAllowedTo(sireId), ALICE, "approval stored");

        vm.recordLogs();
        uint256 pendingId = breedAs(ALICE, matronId, sireId);
        assertEq(chimera.sireAllowedTo(sireId), address(0), "approval used up");
        approved = findLog(vm.getRecordedLogs(), SIRING_APPROVED);
        assertEq(address(uint160(uint256(approved.topics[2]))), address(0), "use emits the clearing");
        uint256 childId = hatchAt(pendingId, HASH_1);
        assertEq(chimera.ownerOf(childId), ALICE, "child goes to the matron's owner");

        // Used once: a second breed needs a new approval.
        vm.roll(block.number + 100);
        vm.expectRevert(abi.encodeWithSelector(Chimera.SiringNotApproved.selector, sireId, ALICE));
        vm.prank(ALICE);
        chimera.breed(matronId, sireId);

        // address(0) clears.
        vm.prank(BOB);
        chimera.approveSiring(ALICE, sireId);
        vm.prank(BOB);
        chimera.approveSiring(address(0), sireId);
        assertEq(chimera.sireAllowedTo(sireId), address(0), "cleared");
    }

    function testTransferClearsSiringApproval() public {
        uint256 sireId = chimera.mintGenesis(BOB, CODE_B, ATTRS_B);
        vm.prank(BOB);
        chimera.approveSiring(ALICE, sireId);
        vm.recordLogs();
        vm.prank(BOB);
        chimera.transferFrom(BOB, KEEPER, sireId);
        assertEq(chimera.sireAllowedTo(sireId), address(0), "new owner did not approve");
        Vm.Log memory cleared = findLog(vm.getRecordedLogs(), SIRING_APPROVED);
        assertEq(address(uint160(uint256(cleared.topics[2]))), address(0), "transfer emits the clearing");
    }

    // ------------------------------------------------------------------ the 256-block window

    function testExpiredBirthIsRescheduled() public {
        uint256 fee = 1 ether;
        chimera.setBirthFee(fee);
        vm.deal(ALICE, fee);
        (uint256 matronId, uint256 sireId) = mintPair(ALICE, ALICE);
        vm.prank(ALICE);
        uint256 pendingId = chimera.breed{value: fee}(matronId, sireId);
        uint256 supply = chimera.totalSupply();

        vm.roll(START_BLOCK + 1 + 300); // blockhash(birthBlock) is gone
        vm.recordLogs();
        vm.prank(KEEPER);
        uint256 childId = chimera.hatch(pendingId);
        assertEq(childId, 0, "nothing hatched");
        assertEq(chimera.totalSupply(), supply, "nothing minted");
        assertEq(KEEPER.balance, 0, "no fee for a reschedule");
        Vm.Log memory rescheduled = findLog(vm.getRecordedLogs(), BIRTH_RESCHEDULED);
        assertEq(uint256(rescheduled.topics[1]), pendingId, "BirthRescheduled pendingId");
        uint64 newBirthBlock = abi.decode(rescheduled.data, (uint64));
        assertEq(newBirthBlock, block.number + 1, "new birth block");
        (,,, uint64 stored, uint256 held,) = chimera.pendingBirth(pendingId);
        assertEq(stored, newBirthBlock, "stored birth block");
        assertEq(held, fee, "fee still held");

        vm.expectRevert(abi.encodeWithSelector(Chimera.BirthNotReady.selector, pendingId, newBirthBlock));
        chimera.hatch(pendingId);

        (uint256 wantCode, uint64 wantAttrs) = expectedChild(HASH_2, pendingId, matronId, sireId);
        childId = hatchAt(pendingId, HASH_2);
        (uint256 code, uint64 attrs) = chimera.genomeOf(childId);
        assertEq(code, wantCode, "code seeded by the new birth block");
        assertEq(attrs, wantAttrs, "attrs seeded by the new birth block");
        assertEq(KEEPER.balance, fee, "fee paid on the real hatch");
    }

    // ------------------------------------------------------------------ metadata

    function testTokenURIAndBatchMetadataUpdate() public {
        uint256 id = chimera.mintGenesis(ALICE, CODE_A, ATTRS_A);
        assertEq(chimera.tokenURI(id), "ipfs://chimera/1", "tokenURI");
        vm.recordLogs();
        chimera.setBaseURI("https://chimera.example/token/");
        Vm.Log memory update = findLog(vm.getRecordedLogs(), BATCH_METADATA_UPDATE);
        (uint256 from, uint256 to) = abi.decode(update.data, (uint256, uint256));
        assertEq(from, 1, "update from");
        assertEq(to, type(uint256).max, "update to");
        assertEq(chimera.tokenURI(id), "https://chimera.example/token/1", "new tokenURI");
    }

    function testSupportsInterfaces() public view {
        assertTrue(chimera.supportsInterface(0x01ffc9a7), "ERC-165");
        assertTrue(chimera.supportsInterface(0x80ac58cd), "ERC-721");
        assertTrue(chimera.supportsInterface(0x5b5e139f), "ERC-721 metadata");
        assertTrue(chimera.supportsInterface(0x49064906), "ERC-4906");
        assertTrue(chimera.supportsInterface(0x7965db0b), "AccessControl");
        assertTrue(!chimera.supportsInterface(0xffffffff), "not 0xffffffff");
    }

    // ------------------------------------------------------------------ attackers

    /// Breeding and hatching in one transaction cannot work: the birth block is still ahead.
    function testBreedAndHatchInOneTransactionFails() public {
        BreedAndHatchAttacker attacker = new BreedAndHatchAttacker(chimera);
        (uint256 matronId, uint256 sireId) = mintPair(address(attacker), address(attacker));
        vm.expectRevert(abi.encodeWithSelector(Chimera.BirthNotReady.selector, 1, uint64(block.number + 1)));
        attacker.breedAndHatch(matronId, sireId);
        assertEq(chimera.pendingCount(), 0, "the breed was rolled back too");
    }

    /// A midwife that reverts when it dislikes the child cannot re-roll it: the same pending
    /// birth later hatches to the same child.
    function testPickyMidwifeCannotChangeTheOutcome() public {
        chimera.setBirthFee(0.1 ether);
        vm.deal(ALICE, 1 ether);
        (uint256 matronId, uint256 sireId) = mintPair(ALICE, ALICE);
        vm.prank(ALICE);
        uint256 pendingId = chimera.breed{value: 0.1 ether}(matronId, sireId);
        (uint256 wantCode, uint64 wantAttrs) = expectedChild(HASH_1, pendingId, matronId, sireId);
        uint256 hair = GenomeLib.main(wantCode, wantAttrs, GenomeLib.HAIR_COLOUR);
        PickyMidwife picky = new PickyMidwife(chimera, (hair + 1) % 16);

        uint64 birthBlock = uint64(START_BLOCK + 1);
        vm.roll(birthBlock + 1);
        vm.setBlockhash(birthBlock, HASH_1);
        for (uint256 attempt; attempt < 3; attempt++) {
            vm.expectRevert(abi.encodeWithSelector(PickyMidwife.Disliked.selector, hair));
            picky.hatchIfLiked(pendingId);
            vm.roll(block.number + 50); // later blocks, still inside the 256-block window
        }

        vm.prank(KEEPER);
        uint256 childId = chimera.hatch(pendingId);
        (uint256 code, uint64 attrs) = chimera.genomeOf(childId);
        assertEq(code, wantCode, "same child code");
        assertEq(attrs, wantAttrs, "same child attrs");
        assertEq(KEEPER.balance, 0.1 ether, "fee to the honest keeper");
    }

    /// Re-entering hatch from the fee payment is refused, so the whole hatch reverts.
    function testReentrantMidwifeIsRefused() public {
        chimera.setBirthFee(0.1 ether);
        vm.deal(ALICE, 1 ether);
        (uint256 matronId, uint256 sireId) = mintPair(ALICE, ALICE);
        vm.prank(ALICE);
        uint256 pendingId = chimera.breed{value: 0.1 ether}(matronId, sireId);
        vm.roll(block.number + 2);
        vm.setBlockhash(block.number - 1, HASH_1);

        ReentrantMidwife midwife = new ReentrantMidwife(chimera);
        vm.expectRevert(abi.encodeWithSelector(Chimera.FeeTransferFailed.selector, address(midwife), 0.1 ether));
        midwife.hatch(pendingId);
        assertEq(chimera.totalSupply(), 2, "nothing minted");
    }

    // ------------------------------------------------------------------ helpers

    function mintPair(address matronOwner, address sireOwner) private returns (uint256 matronId, uint256 sireId) {
        matronId = chimera.mintGenesis(matronOwner, CODE_A, ATTRS_A);
        sireId = chimera.mintGenesis(sireOwner, CODE_B, ATTRS_B);
    }

    function breedAs(address who, uint256 matronId, uint256 sireId) private returns (uint256 pendingId) {
        vm.prank(who);
        pendingId = chimera.breed(matronId, sireId);
    }

    /// Moves past the pending birth's block, gives that block `hash`, hatches as KEEPER.
    function hatchAt(uint256 pendingId, bytes32 hash) private returns (uint256 childId) {
        (,,, uint64 birthBlock,,) = chimera.pendingBirth(pendingId);
        if (block.number <= birthBlock) vm.roll(birthBlock + 1);
        vm.setBlockhash(birthBlock, hash);
        vm.prank(KEEPER);
        childId = chimera.hatch(pendingId);
        assertTrue(childId != 0, "hatched");
    }

    function expectedChild(bytes32 hash, uint256 pendingId, uint256 matronId, uint256 sireId)
        private
        view
        returns (uint256, uint64)
    {
        (uint256 mc, uint64 ma) = chimera.genomeOf(matronId);
        (uint256 sc, uint64 sa) = chimera.genomeOf(sireId);
        return Fusion.breed(mc, ma, sc, sa, keccak256(abi.encode(hash, pendingId, matronId, sireId)));
    }

    function checkBorn(
        Vm.Log memory born,
        uint256 tokenId,
        address owner,
        uint256 matronId,
        uint256 sireId,
        uint256 generation,
        uint256 code,
        uint64 attrs
    ) private pure {
        assertEq(uint256(born.topics[1]), tokenId, "Born tokenId");
        assertEq(address(uint160(uint256(born.topics[2]))), owner, "Born owner");
        (uint256 m, uint256 s, uint16 g, uint256 c, uint64 a) =
            abi.decode(born.data, (uint256, uint256, uint16, uint256, uint64));
        assertEq(m, matronId, "Born matron");
        assertEq(s, sireId, "Born sire");
        assertEq(g, generation, "Born generation");
        assertEq(c, code, "Born code");
        assertEq(a, attrs, "Born attrs");
    }

    function checkPending(
        uint256 pendingId,
        uint256 matronId,
        uint256 sireId,
        address owner,
        uint256 birthBlock,
        uint256 fee,
        uint256 childId
    ) private view {
        (uint256 m, uint256 s, address o, uint64 b, uint256 f, uint256 c) = chimera.pendingBirth(pendingId);
        assertEq(m, matronId, "pending matron");
        assertEq(s, sireId, "pending sire");
        assertEq(o, owner, "pending owner");
        assertEq(b, birthBlock, "pending birth block");
        assertEq(f, fee, "pending fee");
        assertEq(c, childId, "pending child");
    }

    function checkLineage(uint256 id, uint256 matronId, uint256 sireId, uint256 generation, uint256 birthBlock)
        private
        view
    {
        (,, uint256 m, uint256 s, uint16 g, uint64 b,) = chimera.characterOf(id);
        assertEq(m, matronId, "matron");
        assertEq(s, sireId, "sire");
        assertEq(g, generation, "generation");
        assertEq(b, birthBlock, "birth block");
    }

    function cooldownEnd(uint256 tokenId) private view returns (uint256 end) {
        (,,,,,, end) = chimera.characterOf(tokenId);
    }

    function findLog(Vm.Log[] memory logs, bytes32 topic0) private pure returns (Vm.Log memory) {
        for (uint256 i; i < logs.length; i++) {
            if (logs[i].topics.length != 0 && logs[i].topics[0] == topic0) return logs[i];
        }
        revert("expected event not emitted");
    }
}
