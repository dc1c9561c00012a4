//! What the store keeps, and how one chain event changes it (with the undo entries that reverse
//! the change when a reorg drops its block).

use super::{encode, owner_key, pair_key, StoreError};
use crate::chain::ChainEvent;
use crate::genome::Genome;
use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionalTree};

// Positions of the chain trees in the transaction array (`Store::apply_block` keeps this order).
pub(super) const TREE_TOKENS: usize = 0;
pub(super) const TREE_OWNERS: usize = 1;
pub(super) const TREE_CHILDREN: usize = 2;
pub(super) const TREE_PENDING: usize = 3;
pub(super) const TREE_META: usize = 4;
pub(super) const TREE_BLOCKS: usize = 5;

/// One character as the chain made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    /// Token id (from 1).
    pub id: u64,
    /// The 40 genome bytes, from the `Born` event.
    pub genome: Vec<u8>,
    /// Current owner.
    pub owner: [u8; 20],
    /// Matron's id, 0 for genesis.
    pub matron: u64,
    /// Sire's id, 0 for genesis.
    pub sire: u64,
    /// 0 for genesis, else max(parents) + 1.
    pub generation: u16,
    /// Block of the `Born` event.
    pub birth_block: u64,
    /// Who may use this character as a sire, if its owner approved someone.
    pub siring_approved: Option<[u8; 20]>,
}

impl TokenRecord {
    /// The genome (records are only written from valid 40-byte genomes).
    pub fn genome(&self) -> Genome {
        Genome::from_slice(&self.genome).unwrap_or_default()
    }
}

/// A requested birth, until and after it hatches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingRecord {
    /// Pending birth id.
    pub id: u64,
    /// The matron.
    pub matron: u64,
    /// The sire.
    pub sire: u64,
    /// Who receives the child.
    pub owner: [u8; 20],
    /// The block whose hash seeds the child; hatch after it.
    pub birth_block: u64,
    /// Wei held for the hatcher.
    pub fee: u128,
    /// The child once hatched, else 0.
    pub child: u64,
    /// Block of the `BreedRequested` event.
    pub requested_block: u64,
}

/// The last applied block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// Its number.
    pub number: u64,
    /// Its hash, compared with the chain's to detect a reorg.
    pub hash: [u8; 32],
}

/// One applied block: its hash and how to undo it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BlockRecord {
    /// The block hash the events came from.
    pub hash: [u8; 32],
    /// Previous values of every key the block changed, in write order.
    pub undo: Vec<UndoEntry>,
}

/// One key's previous value.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UndoEntry {
    /// Which chain tree (index into the transaction array).
    pub tree: u8,
    /// The key.
    pub key: Vec<u8>,
    /// Its value before, or None if it did not exist.
    pub old: Option<Vec<u8>>,
}

/// A signed-in wallet's session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// The wallet that signed in.
    pub address: [u8; 20],
    /// Chain id it signed for.
    pub chain_id: u64,
    /// Unix seconds after which the session is void.
    pub expires: u64,
}

type TxError = ConflictableTransactionError<StoreError>;

/// Writes inside one block's transaction, recording undo entries as it goes.
struct Writer<'a> {
    trees: &'a [TransactionalTree],
    undo: &'a mut Vec<UndoEntry>,
}

impl Writer<'_> {
    fn put(&mut self, tree: usize, key: &[u8], value: Vec<u8>) -> Result<(), TxError> {
        let old = self.trees[tree].insert(key, value)?;
        self.undo.push(UndoEntry { tree: tree as u8, key: key.to_vec(), old: old.map(|v| v.to_vec()) });
        Ok(())
    }

    fn remove(&mut self, tree: usize, key: &[u8]) -> Result<(), TxError> {
        let old = self.trees[tree].remove(key)?;
        if old.is_some() {
            self.undo.push(UndoEntry { tree: tree as u8, key: key.to_vec(), old: old.map(|v| v.to_vec()) });
        }
        Ok(())
    }

    fn get<T: serde::de::DeserializeOwned>(&self, tree: usize, key: &[u8], name: &'static str) -> Result<Option<T>, TxError> {
        match self.trees[tree].get(key)? {
            None => Ok(None),
            Some(v) => bincode::deserialize(&v)
                .map(Some)
                .map_err(|e| TxError::Abort(StoreError::Corrupt { tree: name, message: e.to_string() })),
        }
    }

    fn token(&self, id: u64) -> Result<TokenRecord, TxError> {
        self.get(TREE_TOKENS, &id.to_be_bytes(), "tokens")?
            .ok_or_else(|| TxError::Abort(StoreError::Inconsistent(format!("event for unknown token {id}"))))
    }

    fn pending(&self, id: u64) -> Result<PendingRecord, TxError> {
        self.get(TREE_PENDING, &id.to_be_bytes(), "pending")?
            .ok_or_else(|| TxError::Abort(StoreError::Inconsistent(format!("event for unknown pending birth {id}"))))
    }
}

/// Apply one event inside a block's transaction.
pub(super) fn apply_event(trees: &[TransactionalTree], event: &ChainEvent, undo: &mut Vec<UndoEntry>) -> Result<(), TxError> {
    let mut w = Writer { trees, undo };
    match event {
        ChainEvent::Born { token, owner, matron, sire, generation, genome, block } => {
            let record = TokenRecord {
                id: *token,
                genome: genome.to_bytes().to_vec(),
                owner: owner.into_array(),
                matron: *matron,
                sire: *sire,
                generation: *generation,
                birth_block: *block,
                siring_approved: None,
            };
            w.put(TREE_TOKENS, &token.to_be_bytes(), encode(&record))?;
            w.put(TREE_OWNERS, &owner_key(&owner.into_array(), *token), Vec::new())?;
            for parent in [matron, sire] {
                if *parent != 0 {
                    w.put(TREE_CHILDREN, &pair_key(*parent, *token), Vec::new())?;
                }
            }
        }
        ChainEvent::Transfer { token, from, to } => {
            // A mint's Transfer (from 0) precedes its Born, which writes the whole record.
            if !from.is_zero() {
                let mut record = w.token(*token)?;
                w.remove(TREE_OWNERS, &owner_key(&from.into_array(), *token))?;
                record.owner = to.into_array();
                record.siring_approved = None; // the contract clears approvals on transfer
                w.put(TREE_TOKENS, &token.to_be_bytes(), encode(&record))?;
                if !to.is_zero() {
                    w.put(TREE_OWNERS, &owner_key(&to.into_array(), *token), Vec::new())?;
                }
            }
        }
        ChainEvent::BreedRequested { pending, matron, sire, owner, birth_block, fee, block } => {
            let record = PendingRecord {
                id: *pending,
                matron: *matron,
                sire: *sire,
                owner: owner.into_array(),
                birth_block: *birth_block,
                fee: *fee,
                child: 0,
                requested_block: *block,
            };
            w.put(TREE_PENDING, &pending.to_be_bytes(), encode(&record))?;
            // breed() spends a siring approval given to someone other than the sire's owner.
            let mut sire_record = w.token(*sire)?;
            if sire_record.owner != owner.into_array() && sire_record.siring_approved.is_some() {
                sire_record.siring_approved = None;
                w.put(TREE_TOKENS, &sire.to_be_bytes(), encode(&sire_record))?;
            }
        }
        ChainEvent::Hatched { pending, token, .. } => {
            let mut record = w.pending(*pending)?;
            record.child = *token;
            record.fee = 0;
            w.put(TREE_PENDING, &pending.to_be_bytes(), encode(&record))?;
        }
        ChainEvent::BirthRescheduled { pending, birth_block } => {
            let mut record = w.pending(*pending)?;
            record.birth_block = *birth_block;
            w.put(TREE_PENDING, &pending.to_be_bytes(), encode(&record))?;
        }
        ChainEvent::SiringApproved { sire, matron_owner } => {
            let mut record = w.token(*sire)?;
            record.siring_approved = (!matron_owner.is_zero()).then_some(matron_owner.into_array());
            w.put(TREE_TOKENS, &sire.to_be_bytes(), encode(&record))?;
        }
        ChainEvent::BirthFeeChanged { fee } => {
            w.put(TREE_META, b"birth_fee", fee.to_le_bytes().to_vec())?;
        }
        ChainEvent::MetadataUpdated => {}
    }
    Ok(())
}
