// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {Fusion} from "./Fusion.sol";

/// @title Chimera — generative collectibles whose genome lives on chain
/// @notice Each token is a character with a 320-bit genome `(uint256 code, uint64 attrs)`
/// (docs/genome.md). Genesis characters are minted by a minter; every other character is bred:
///
///   breed(matron, sire)  ──►  pending birth, bound to the future block birthBlock = now + 1
///   hatch(pendingId)     ──►  (once block.number > birthBlock) child = Fusion.breed(matron, sire,
///                             keccak256(abi.encode(blockhash(birthBlock), pendingId, matronId, sireId)))
///
/// Nobody knows blockhash(birthBlock) when breed is sent, and once it is known the child is
/// fixed: a hatch that reverts and is retried gives the same child. Token ids start at 1; id 0
/// means "no parent" (genesis) or "not hatched".
/// @dev Checks, effects, interactions. The only external call is the fee payment to the midwife,
/// made last and behind a (transient) reentrancy guard. Children are minted with `_mint`, not
/// `_safeMint`: a recipient contract must not be able to veto (and so re-roll) a birth.
contract Chimera is ERC721, IERC4906, AccessControl, ReentrancyGuardTransient {
    /// Role allowed to mint genesis characters.
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    /// Cooldown, in blocks, after each breeding, by cooldown index (about 12 s per block:
    /// 1 min, 2 min, 5 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, 16 h, 1 d, 2 d, 4 d, 7 d).
    /// A character starts at index min(generation / 2, 13) and moves up one per breeding.
    uint256 private constant COOLDOWN_STEPS = 14;

    // Storage packing. Block numbers and token ids are kept as uint40 (10^12: thousands of
    // years of blocks even at several blocks a second, far more tokens than will ever exist),
    // so a character takes two slots and a pending birth two; the external interface speaks
    // uint256 ids and uint64 blocks.

    /// One character: slot 0 = code, slot 1 = everything else (248 bits).
    struct Character {
        /// Genes 0..31 (docs/genome.md).
        uint256 code;
        /// Genes 32..39, the named attributes.
        uint64 attrs;
        /// Block it was minted (genesis) or hatched.
        uint40 birthBlock;
        /// It may breed again from this block on.
        uint40 cooldownEndBlock;
        /// 0 for genesis, else max(parents' generations) + 1.
        uint16 generation;
        /// Index into the cooldown table; grows with every breeding.
        uint8 cooldownIndex;
        /// Parents' token ids; 0 for genesis.
        uint40 matronId;
        uint40 sireId;
    }

    /// A requested birth, waiting for `hatch`: slot 0 = owner, birthBlock, matronId (240 bits);
    /// slot 1 = sireId, childId, fee (208 bits).
    struct PendingBirth {
        /// The matron's owner when breed was sent: the child is minted to this address.
        address owner;
        /// The block whose hash seeds the child; hatch is allowed once block.number > birthBlock.
        uint40 birthBlock;
        uint40 matronId;
        uint40 sireId;
        /// The child's token id once hatched, 0 before.
        uint40 childId;
        /// The birth fee paid with breed, held for whoever hatches (msg.value always fits 128 bits).
        uint128 fee;
    }

    /// @notice Characters, by token id.
    mapping(uint256 tokenId => Character) private _characters;
    /// @notice Pending births, by pending id (ids start at 1).
    mapping(uint256 pendingId => PendingBirth) private _pendingBirths;
    /// @notice For each sire, the one address allowed to breed its matron with it (0: none).
    mapping(uint256 sireId => address matronOwner) public sireAllowedTo;

    /// @notice Most genesis characters that can ever be minted.
    uint256 public immutable genesisCap;
    /// @notice Genesis characters minted so far.
    uint256 public genesisCount;
    /// @notice Tokens minted so far; also the last token id.
    uint256 public totalSupply;
    /// @notice Pending births requested so far; also the last pending id.
    uint256 public pendingCount;
    /// @notice Wei that breed must be sent with; paid to whoever hatches the birth.
    uint256 public birthFee;

    string private _baseTokenURI;

    // ---------------------------------------------------------------- events

    /// @notice A character came into being: a genesis mint (parents 0) or a hatched birth.
    /// @param tokenId The new token.
    /// @param owner Who received it.
    /// @param matronId The matron's token id, 0 for genesis.
    /// @param sireId The sire's token id, 0 for genesis.
    /// @param generation 0 for genesis, else max(parents' generations) + 1.
    /// @param code Genes 0..31 of the genome.
    /// @param attrs Genes 32..39 of the genome.
    event Born(
        uint256 indexed tokenId,
        address indexed owner,
        uint256 matronId,
        uint256 sireId,
        uint16 generation,
        uint256 code,
        uint64 attrs
    );

    /// @notice A birth was requested; it can be hatched once block.number > birthBlock.
    /// @param pendingId The pending birth's id, to pass to hatch.
    /// @param matronId The matron.
    /// @param sireId The sire.
    /// @param owner Who will receive the child (the matron's owner now).
    /// @param birthBlock The block whose hash will seed the child.
    /// @param fee Wei held for whoever hatches.
    event BreedRequested(
        uint256 indexed pendingId,
        uint256 indexed matronId,
        uint256 indexed sireId,
        address owner,
        uint64 birthBlock,
        uint256 fee
    );

    /// @notice A pending birth hatched; a Born event for the child precedes this one.
    /// @param pendingId The pending birth.
    /// @param tokenId The child.
    /// @param midwife Who called hatch and received the fee.
    /// @param fee Wei paid to the midwife.
    event Hatched(uint256 indexed pendingId, uint256 indexed tokenId, address indexed midwife, uint256 fee);

    /// @notice The birth block's hash had left the 256-block window, so nothing was minted; the
    /// birth now waits for a new, still unknown block. Nobody chooses the outcome: it is seeded
    /// by the hash of the new birth block.
    /// @param pendingId The pending birth.
    /// @param birthBlock Its new birth block.
    event BirthRescheduled(uint256 indexed pendingId, uint64 birthBlock);

    /// @notice A sire's owner allowed `matronOwner` to breed with it once, or the approval was
    /// cleared (matronOwner = address(0)): by the owner, by its use in breed, or by a transfer.
    /// @param sireId The sire.
    /// @param matronOwner The allowed address, or address(0).
    event SiringApproved(uint256 indexed sireId, address indexed matronOwner);

    /// @notice The admin changed the birth fee.
    /// @param fee The new fee, in wei.
    event BirthFeeChanged(uint256 fee);

    // ---------------------------------------------------------------- errors

    /// @notice The caller does not own `tokenId`.
    error NotOwner(uint256 tokenId);
    /// @notice No character has id `tokenId`.
    error UnknownToken(uint256 tokenId);
    /// @notice All `cap` genesis characters have been minted.
    error GenesisCapReached(uint256 cap);
    /// @notice The caller neither owns sire `sireId` nor is allowed to breed with it.
    error SiringNotApproved(uint256 sireId, address caller);
    /// @notice A character cannot breed with itself.
    error SelfBreeding(uint256 tokenId);
    /// @notice The two characters are parent and child.
    error ParentChildBreeding(uint256 matronId, uint256 sireId);
    /// @notice `tokenId` is cooling down until `readyBlock`.
    error CoolingDown(uint256 tokenId, uint64 readyBlock);
    /// @notice breed was sent with `sent` wei; the birth fee is `expected`.
    error WrongBirthFee(uint256 expected, uint256 sent);
    /// @notice No pending birth has id `pendingId`.
    error UnknownBirth(uint256 pendingId);
    /// @notice Pending birth `pendingId` already hatched as `childId`.
    error AlreadyHatched(uint256 pendingId, uint256 childId);
    /// @notice Pending birth `pendingId` can only hatch after block `birthBlock`.
    error BirthNotReady(uint256 pendingId, uint64 birthBlock);
    /// @notice Paying `fee` wei to the midwife `to` failed.
    error FeeTransferFailed(address to, uint256 fee);

    /// @notice Deploys the contract; the deployer gets DEFAULT_ADMIN_ROLE and MINTER_ROLE.
    /// @param baseURI Prefix of every tokenURI (tokenURI = baseURI + decimal id).
    /// @param cap Most genesis characters that can ever be minted.
    constructor(string memory baseURI, uint256 cap) ERC721("Chimera", "CHIMERA") {
        _baseTokenURI = baseURI;
        genesisCap = cap;
        _grantRole(DEFAULT_ADMIN_ROLE, msg.sender);
        _grantRole(MINTER_ROLE, msg.sender);
    }

    // ---------------------------------------------------------------- minting

    /// @notice Mints a generation-0 character with the given genome.
    /// @param to Who receives it.
    /// @param code Genes 0..31.
    /// @param attrs Genes 32..39.
    /// @return tokenId The new token's id.
    function mintGenesis(address to, uint256 code, uint64 attrs)
        external
        onlyRole(MINTER_ROLE)
        returns (uint256 tokenId)
    {
        if (genesisCount >= genesisCap) revert GenesisCapReached(genesisCap);
        ++genesisCount;
        tokenId = _create(to, code, attrs, 0, 0, 0);
    }

    // ---------------------------------------------------------------- breeding

    /// @notice Allows `matronOwner` to breed one of their characters with sire `sireId`, once.
    /// @dev Only the sire's owner; address(0) clears. Also cleared by use and by transfer.
    /// @param matronOwner The allowed address, or address(0).
    /// @param sireId The sire.
    function approveSiring(address matronOwner, uint256 sireId) external {
        if (_ownerOf(sireId) != msg.sender) revert NotOwner(sireId);
        sireAllowedTo[sireId] = matronOwner;
        emit SiringApproved(sireId, matronOwner);
    }

    /// @notice Requests a birth from the caller's matron and a sire the caller owns or may use.
    /// @dev The child's genome is fixed by the hash of block.number + 1, unknown now; call
    /// hatch after that block. msg.value must equal birthFee and is held for the hatcher.
    /// Both parents' cooldowns start now.
    /// @param matronId The matron (owned by the caller).
    /// @param sireId The sire (owned by the caller or approved for them with approveSiring).
    /// @return pendingId The pending birth's id, to pass to hatch.
    function breed(uint256 matronId, uint256 sireId) external payable nonReentrant returns (uint256 pendingId) {
        // Checks.
        if (_ownerOf(matronId) != msg.sender) revert NotOwner(matronId);
        address sireOwner = _ownerOf(sireId);
        if (sireOwner == address(0)) revert UnknownToken(sireId);
        if (sireOwner != msg.sender && sireAllowedTo[sireId] != msg.sender) {
            revert SiringNotApproved(sireId, msg.sender);
        }
        if (matronId == sireId) revert SelfBreeding(matronId);
        Character storage matron = _characters[matronId];
        Character storage sire = _characters[sireId];
        if (
            matron.matronId == sireId || matron.sireId == sireId || sire.matronId == matronId || sire.sireId == matronId
        ) {
            revert ParentChildBreeding(matronId, sireId);
        }
        if (matron.cooldownEndBlock > block.number) revert CoolingDown(matronId, matron.cooldownEndBlock);
        if (sire.cooldownEndBlock > block.number) revert CoolingDown(sireId, sire.cooldownEndBlock);
        if (msg.value != birthFee) revert WrongBirthFee(birthFee, msg.value);

        // Effects.
        if (sireOwner != msg.sender) {
            // A siring approval is good for one birth.
            delete sireAllowedTo[sireId];
            emit SiringApproved(sireId, address(0));
        }
        _startCooldown(matron);
        _startCooldown(sire);
        pendingId = ++pendingCount;
        uint64 birthBlock = uint64(block.number + 1);
        // Casts: ids and block numbers fit 40 bits, msg.value 128 (see "Storage packing").
        _pendingBirths[pendingId] = PendingBirth({
            owner: msg.sender,
            // forge-lint: disable-next-line(unsafe-typecast)
            birthBlock: uint40(birthBlock),
            // forge-lint: disable-next-line(unsafe-typecast)
            matronId: uint40(matronId),
            // forge-lint: disable-next-line(unsafe-typecast)
            sireId: uint40(sireId),
            childId: 0,
            // forge-lint: disable-next-line(unsafe-typecast)
            fee: uint128(msg.value)
        });
        emit BreedRequested(pendingId, matronId, sireId, msg.sender, birthBlock, msg.value);
    }

    /// @notice Hatches a pending birth: mints the child to the matron's owner at breed time and
    /// pays the held fee to the caller. Anyone may call it once block.number > birthBlock.
    /// @dev If blockhash(birthBlock) is no longer available (more than 256 blocks passed), nothing
    /// is minted: the birth is rescheduled to block.number + 1, BirthRescheduled is emitted and 0
    /// is returned; hatch again after the new birth block. The fee stays held.
    /// @param pendingId The pending birth.
    /// @return childId The child's token id, or 0 if the birth was rescheduled.
    function hatch(uint256 pendingId) external nonReentrant returns (uint256 childId) {
        PendingBirth storage birth = _pendingBirths[pendingId];
        // Checks.
        if (birth.owner == address(0)) revert UnknownBirth(pendingId);
        if (birth.childId != 0) revert AlreadyHatched(pendingId, birth.childId);
        uint64 birthBlock = birth.birthBlock;
        if (block.number <= birthBlock) revert BirthNotReady(pendingId, birthBlock);

        bytes32 hash = blockhash(birthBlock);
        if (hash == bytes32(0)) {
            uint64 newBirthBlock = uint64(block.number + 1);
            // forge-lint: disable-next-line(unsafe-typecast)
            birth.birthBlock = uint40(newBirthBlock);
            emit BirthRescheduled(pendingId, newBirthBlock);
            return 0;
        }

        uint256 matronId = birth.matronId;
        uint256 sireId = birth.sireId;
        Character storage matron = _characters[matronId];
        Character storage sire = _characters[sireId];
        bytes32 seed = keccak256(abi.encode(hash, pendingId, matronId, sireId));
        (uint256 code, uint64 attrs) = Fusion.breed(matron.code, matron.attrs, sire.code, sire.attrs, seed);
        uint16 generation = (matron.generation > sire.generation ? matron.generation : sire.generation) + 1;

        // Effects.
        uint256 fee = birth.fee;
        childId = _create(birth.owner, code, attrs, generation, matronId, sireId);
        // forge-lint: disable-next-line(unsafe-typecast)
        birth.childId = uint40(childId);
        if (fee != 0) birth.fee = 0;
        emit Hatched(pendingId, childId, msg.sender, fee);

        // Interactions.
        if (fee != 0) {
            (bool ok,) = msg.sender.call{value: fee}("");
            if (!ok) revert FeeTransferFailed(msg.sender, fee);
        }
    }

    // ---------------------------------------------------------------- admin

    /// @notice Sets the tokenURI prefix; emits ERC-4906 BatchMetadataUpdate for every token.
    /// @param baseURI The new prefix.
    function setBaseURI(string calldata baseURI) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _baseTokenURI = baseURI;
        emit BatchMetadataUpdate(1, type(uint256).max);
    }

    /// @notice Sets the wei that breed must be sent with (births already requested keep theirs).
    /// @param fee The new fee.
    function setBirthFee(uint256 fee) external onlyRole(DEFAULT_ADMIN_ROLE) {
        birthFee = fee;
        emit BirthFeeChanged(fee);
    }

    // ---------------------------------------------------------------- views

    /// @notice The genome of `tokenId`.
    /// @param tokenId The character.
    /// @return code Genes 0..31.
    /// @return attrs Genes 32..39.
    function genomeOf(uint256 tokenId) external view returns (uint256 code, uint64 attrs) {
        Character storage c = _existing(tokenId);
        return (c.code, c.attrs);
    }

    /// @notice Everything stored about `tokenId`.
    /// @param tokenId The character.
    /// @return code Genes 0..31.
    /// @return attrs Genes 32..39.
    /// @return matronId The matron, 0 for genesis.
    /// @return sireId The sire, 0 for genesis.
    /// @return generation 0 for genesis, else max(parents' generations) + 1.
    /// @return birthBlock The block it was minted or hatched.
    /// @return cooldownEndBlock It may breed again from this block on.
    function characterOf(uint256 tokenId)
        external
        view
        returns (
            uint256 code,
            uint64 attrs,
            uint256 matronId,
            uint256 sireId,
            uint16 generation,
            uint64 birthBlock,
            uint64 cooldownEndBlock
        )
    {
        Character storage c = _existing(tokenId);
        return (c.code, c.attrs, c.matronId, c.sireId, c.generation, c.birthBlock, c.cooldownEndBlock);
    }

    /// @notice A pending birth (all zero for an unknown id).
    /// @param pendingId The pending birth.
    /// @return matronId The matron.
    /// @return sireId The sire.
    /// @return owner Who receives the child.
    /// @return birthBlock The block whose hash seeds the child (hatch after it).
    /// @return fee Wei held for the hatcher (0 once hatched).
    /// @return childId The child once hatched, 0 before.
    function pendingBirth(uint256 pendingId)
        external
        view
        returns (uint256 matronId, uint256 sireId, address owner, uint64 birthBlock, uint256 fee, uint256 childId)
    {
        PendingBirth storage b = _pendingBirths[pendingId];
        return (b.matronId, b.sireId, b.owner, b.birthBlock, b.fee, b.childId);
    }

    /// @notice Whether `tokenId` is out of its cooldown.
    /// @param tokenId The character.
    /// @return True if it may breed in the current block.
    function isReadyToBreed(uint256 tokenId) external view returns (bool) {
        return _existing(tokenId).cooldownEndBlock <= block.number;
    }

    /// @notice The cooldown, in blocks, for cooldown index `index` (capped at the last step).
    /// @param index A cooldown index.
    /// @return blocks The cooldown length in blocks.
    function cooldownBlocks(uint256 index) public pure returns (uint256 blocks) {
        if (index >= COOLDOWN_STEPS) index = COOLDOWN_STEPS - 1;
        // 14 steps of about 12 s: 1 min … 7 days.
        uint16[COOLDOWN_STEPS] memory table =
            [uint16(5), 10, 25, 50, 150, 300, 600, 1200, 2400, 4800, 7200, 14400, 28800, 50400];
        return table[index];
    }

    /// @inheritdoc ERC721
    function supportsInterface(bytes4 interfaceId) public view override(ERC721, AccessControl, IERC165) returns (bool) {
        return interfaceId == bytes4(0x49064906) || super.supportsInterface(interfaceId);
    }

    // ---------------------------------------------------------------- internals

    /// Base URI for OpenZeppelin's tokenURI (baseURI + decimal id).
    function _baseURI() internal view override returns (string memory) {
        return _baseTokenURI;
    }

    /// Clears a token's siring approval when it changes hands: the new owner did not give it.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address from) {
        from = super._update(to, tokenId, auth);
        if (from != address(0) && sireAllowedTo[tokenId] != address(0)) {
            delete sireAllowedTo[tokenId];
            emit SiringApproved(tokenId, address(0));
        }
    }

    /// Stores a new character, mints it (no receiver callback) and emits Born.
    function _create(address to, uint256 code, uint64 attrs, uint16 generation, uint256 matronId, uint256 sireId)
        private
        returns (uint256 tokenId)
    {
        tokenId = ++totalSupply;
        uint8 cooldownIndex = uint8(generation / 2 < COOLDOWN_STEPS ? generation / 2 : COOLDOWN_STEPS - 1);
        // Casts: ids and block numbers fit 40 bits (see "Storage packing").
        _characters[tokenId] = Character({
            code: code,
            attrs: attrs,
            // forge-lint: disable-next-line(unsafe-typecast)
            birthBlock: uint40(block.number),
            cooldownEndBlock: 0,
            generation: generation,
            cooldownIndex: cooldownIndex,
            // forge-lint: disable-next-line(unsafe-typecast)
            matronId: uint40(matronId),
            // forge-lint: disable-next-line(unsafe-typecast)
            sireId: uint40(sireId)
        });
        _mint(to, tokenId);
        emit Born(tokenId, to, matronId, sireId, generation, code, attrs);
    }

    /// Starts a parent's cooldown at its current index and moves the index up one step.
    function _startCooldown(Character storage c) private {
        uint8 index = c.cooldownIndex;
        // forge-lint: disable-next-line(unsafe-typecast)
        c.cooldownEndBlock = uint40(block.number + cooldownBlocks(index));
        if (index < COOLDOWN_STEPS - 1) c.cooldownIndex = index + 1;
    }

    /// The stored character `tokenId`, or revert UnknownToken.
    function _existing(uint256 tokenId) private view returns (Character storage) {
        if (_ownerOf(tokenId) == address(0)) revert UnknownToken(tokenId);
        return _characters[tokenId];
    }
}
