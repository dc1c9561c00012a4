//! Contract events as Chimera's own values: what the indexer applies, what `chimera watch`
//! prints. The genome always comes from the `Born` event itself.

use super::contract::Chimera;
use crate::genome::Genome;
use alloy::primitives::{Address, B256};
use alloy::sol_types::SolEventInterface;
use serde::Serialize;

/// One contract event that changes what the index holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event")]
pub enum ChainEvent {
    /// A character was minted (genesis) or hatched.
    Born {
        /// Token id.
        token: u64,
        /// Its first owner.
        owner: Address,
        /// Matron id, 0 for genesis.
        matron: u64,
        /// Sire id, 0 for genesis.
        sire: u64,
        /// Generation.
        generation: u16,
        /// The genome, straight from the event.
        #[serde(serialize_with = "genome_json")]
        genome: Genome,
        /// Block number of the event (the birth block).
        block: u64,
    },
    /// ERC-721 transfer (mints included, from = 0).
    Transfer {
        /// Token id.
        token: u64,
        /// Previous owner.
        from: Address,
        /// New owner.
        to: Address,
    },
    /// A birth was requested.
    BreedRequested {
        /// Pending birth id.
        pending: u64,
        /// The matron.
        matron: u64,
        /// The sire.
        sire: u64,
        /// Who receives the child.
        owner: Address,
        /// The block whose hash seeds the child.
        birth_block: u64,
        /// Wei held for the hatcher.
        fee: u128,
        /// Block number of the request.
        block: u64,
    },
    /// A pending birth hatched.
    Hatched {
        /// Pending birth id.
        pending: u64,
        /// The child.
        token: u64,
        /// Who hatched it and got the fee.
        midwife: Address,
        /// Wei paid.
        fee: u128,
    },
    /// A birth's block hash expired (256 blocks); it waits for a new birth block.
    BirthRescheduled {
        /// Pending birth id.
        pending: u64,
        /// The new birth block.
        birth_block: u64,
    },
    /// A sire's owner approved (or cleared, with the zero address) a matron owner.
    SiringApproved {
        /// The sire.
        sire: u64,
        /// Who may breed with it.
        matron_owner: Address,
    },
    /// The birth fee changed.
    BirthFeeChanged {
        /// New fee in wei.
        fee: u128,
    },
    /// ERC-4906: metadata of one or all tokens changed (the base URI moved).
    MetadataUpdated,
}

fn genome_json<S: serde::Serializer>(genome: &Genome, s: S) -> Result<S::Ok, S::Error> {
    genome.to_json().serialize(s)
}

/// Where an event sits on chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EventPosition {
    /// Block number.
    pub block: u64,
    /// Block hash.
    pub block_hash: B256,
    /// Transaction hash.
    pub tx: B256,
    /// Index of the log in its block.
    pub log_index: u64,
}

/// The Chimera event in `log`, if it is one the index cares about, with its position.
pub fn decode(log: &alloy::rpc::types::Log) -> Option<(EventPosition, ChainEvent)> {
    let position = EventPosition {
        block: log.block_number?,
        block_hash: log.block_hash?,
        tx: log.transaction_hash.unwrap_or_default(),
        log_index: log.log_index.unwrap_or_default(),
    };
    let id = |v: alloy::primitives::U256| v.saturating_to::<u64>();
    let wei = |v: alloy::primitives::U256| v.saturating_to::<u128>();
    use Chimera::ChimeraEvents as E;
    let event = match E::decode_log(&log.inner).ok()?.data {
        E::Born(e) => ChainEvent::Born {
            token: id(e.tokenId),
            owner: e.owner,
            matron: id(e.matronId),
            sire: id(e.sireId),
            generation: e.generation,
            genome: Genome::from_pair(e.code.to_be_bytes(), e.attrs),
            block: position.block,
        },
        E::Transfer(e) => ChainEvent::Transfer { token: id(e.tokenId), from: e.from, to: e.to },
        E::BreedRequested(e) => ChainEvent::BreedRequested {
            pending: id(e.pendingId),
            matron: id(e.matronId),
            sire: id(e.sireId),
            owner: e.owner,
            birth_block: e.birthBlock,
            fee: wei(e.fee),
            block: position.block,
        },
        E::Hatched(e) => ChainEvent::Hatched { pending: id(e.pendingId), token: id(e.tokenId), midwife: e.midwife, fee: wei(e.fee) },
        E::BirthRescheduled(e) => ChainEvent::BirthRescheduled { pending: id(e.pendingId), birth_block: e.birthBlock },
        E::SiringApproved(e) => ChainEvent::SiringApproved { sire: id(e.sireId), matron_owner: e.matronOwner },
        E::BirthFeeChanged(e) => ChainEvent::BirthFeeChanged { fee: wei(e.fee) },
        E::BatchMetadataUpdate(_) | E::MetadataUpdate(_) => ChainEvent::MetadataUpdated,
        _ => return None,
    };
    Some((position, event))
}
