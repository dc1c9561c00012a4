//! The embedded store (sled): Chimera's mirror of the chain plus the service's own state.
//!
//! ## Trees and keys
//!
//! | tree | key | value |
//! |---|---|---|
//! | `tokens` | token id (u64 BE) | [`TokenRecord`] (bincode) |
//! | `owners` | owner (20 bytes) ‖ token id (u64 BE) | empty — the owner index, range-scanned per owner |
//! | `children` | parent id (u64 BE) ‖ child id (u64 BE) | empty — lineage downwards (upwards is in the record) |
//! | `pending` | pending birth id (u64 BE) | [`PendingRecord`] (bincode) |
//! | `blocks` | block number (u64 BE) | [`BlockRecord`]: the block's hash and the undo log of what it changed |
//! | `meta` | `cursor`, `birth_fee` | [`Cursor`] / u128 LE |
//! | `portraits` | the generator's cache key | PNG bytes |
//! | `sessions` | session id (32 bytes) | [`Session`] (bincode) |
//! | `nonces` | sign-in nonce (UTF-8) | expiry, unix seconds (u64 BE) |
//! | `keeper` | pending id (u64 BE) ‖ birth block (u64 BE) | the keeper's `hatch` transaction hash |
//! | `labels` | owner (20 bytes) ‖ book name (`taste`, `classes`) | the owner's `LabelBook` (JSON) |
//!
//! ## Exactly once, crash-safe, reorg-safe
//!
//! [`Store::apply_block`] writes one block's events, its undo log and the cursor in **one sled
//! transaction** across the chain trees: after a crash at any instant the store holds either the
//! whole block or none of it, and the cursor says which. Re-ingesting from the cursor therefore
//! neither loses nor duplicates an event. [`Store::rollback_to`] replays undo logs newest first to
//! leave a reorged fork. Undo logs older than [`REORG_WINDOW`] blocks are pruned.

mod records;

pub use records::{BlockRecord, Cursor, PendingRecord, Session, TokenRecord};

use records::{TREE_BLOCKS, TREE_META};
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};
use crate::chain::ChainEvent;
use sled::Transactional;
use std::path::Path;

/// How many blocks of undo logs are kept: reorgs deeper than this cannot be undone.
pub const REORG_WINDOW: u64 = 1024;

/// Why a store operation failed. Every variant is an internal error to callers: bad *input* is
/// rejected before it reaches the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened, read or written.
    #[error("store: {0}")]
    Sled(#[from] sled::Error),
    /// A record could not be (de)serialised: the data directory is from another version or corrupt.
    #[error("store: corrupt record in {tree}: {message}")]
    Corrupt {
        /// Which tree held it.
        tree: &'static str,
        /// What the decoder said.
        message: String,
    },
    /// An event referred to a record that must already exist (a Born for an unknown parent…).
    #[error("store: inconsistent chain data: {0}")]
    Inconsistent(String),
}

/// The store: one sled database and its named trees.
#[derive(Clone)]
pub struct Store {
    /// The database handle, kept for flushing and size reports.
    db: sled::Db,
    /// token id → TokenRecord.
    tokens: sled::Tree,
    /// owner ‖ token id → ().
    owners: sled::Tree,
    /// parent ‖ child → ().
    children: sled::Tree,
    /// pending id → PendingRecord.
    pending: sled::Tree,
    /// block number → BlockRecord (hash + undo log).
    blocks: sled::Tree,
    /// cursor, birth fee.
    meta: sled::Tree,
    /// portrait cache.
    portraits: sled::Tree,
    /// sign-in sessions.
    sessions: sled::Tree,
    /// single-use sign-in nonces.
    nonces: sled::Tree,
    /// hatch transactions the keeper sent.
    keeper: sled::Tree,
    /// owners' label books.
    labels: sled::Tree,
}

fn decode<T: serde::de::DeserializeOwned>(tree: &'static str, bytes: &[u8]) -> Result<T, StoreError> {
    bincode::deserialize(bytes).map_err(|e| StoreError::Corrupt { tree, message: e.to_string() })
}

fn encode<T: serde::Serialize>(value: &T) -> Vec<u8> {
    bincode::serialize(value).expect("records always serialise")
}

/// The key of an owner-index entry.
pub(crate) fn owner_key(owner: &[u8; 20], id: u64) -> Vec<u8> {
    let mut key = owner.to_vec();
    key.extend_from_slice(&id.to_be_bytes());
    key
}

pub(crate) fn pair_key(a: u64, b: u64) -> Vec<u8> {
    let mut key = a.to_be_bytes().to_vec();
    key.extend_from_slice(&b.to_be_bytes());
    key
}

pub(crate) fn id_of(key: &[u8]) -> u64 {
    u64::from_be_bytes(key[key.len() - 8..].try_into().expect("8-byte id suffix"))
}

impl Store {
    /// Open (or create) the store in `dir`.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        let db = sled::Config::new().path(dir).flush_every_ms(Some(200)).open()?;
        Self::from_db(db)
    }

    /// A store in memory only, for tools and tests that need no persistence.
    pub fn temporary() -> Result<Self, StoreError> {
        Self::from_db(sled::Config::new().temporary(true).open()?)
    }

    fn from_db(db: sled::Db) -> Result<Self, StoreError> {
        Ok(Store {
            tokens: db.open_tree("tokens")?,
            owners: db.open_tree("owners")?,
            children: db.open_tree("children")?,
            pending: db.open_tree("pending")?,
            blocks: db.open_tree("blocks")?,
            meta: db.open_tree("meta")?,
            portraits: db.open_tree("portraits")?,
            sessions: db.open_tree("sessions")?,
            nonces: db.open_tree("nonces")?,
            keeper: db.open_tree("keeper")?,
            labels: db.open_tree("labels")?,
            db,
        })
    }

    /// Make everything written so far durable (sled also does this every 200 ms).
    pub fn flush(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }

    // ------------------------------------------------------------------ chain mirror: writes

    /// Apply one block's events, record its hash and undo log, and advance the cursor to it —
    /// atomically. Blocks must arrive in increasing order; a block at or below the cursor is a
    /// caller bug (it would apply events twice) and is refused.
    pub fn apply_block(&self, number: u64, hash: [u8; 32], events: &[ChainEvent]) -> Result<(), StoreError> {
        if let Some(cursor) = self.cursor()? {
            if number <= cursor.number {
                return Err(StoreError::Inconsistent(format!(
                    "block {number} is at or below the cursor {}: it was applied already",
                    cursor.number
                )));
            }
        }
        let trees = [&self.tokens, &self.owners, &self.children, &self.pending, &self.meta, &self.blocks];
        let result = trees.transaction(|t| -> Result<(), ConflictableTransactionError<StoreError>> {
            let mut undo = Vec::new();
            for event in events {
                records::apply_event(t, event, &mut undo)?;
            }
            let record = BlockRecord { hash, undo };
            t[TREE_BLOCKS].insert(&number.to_be_bytes(), encode(&record))?;
            t[TREE_META].insert("cursor", encode(&Cursor { number, hash }))?;
            Ok(())
        });
        flatten(result)?;
        self.prune(number)
    }

    /// Undo every applied block above `number` (newest first) and set the cursor to `number`,
    /// whose hash the caller has checked against the chain. Used when a reorg replaced them.
    pub fn rollback_to(&self, number: u64, hash: [u8; 32]) -> Result<usize, StoreError> {
        let mut undone = 0;
        let stale: Vec<_> = self.blocks.range((number + 1).to_be_bytes()..).keys().collect::<Result<_, _>>()?;
        for key in stale.into_iter().rev() {
            let trees = [&self.tokens, &self.owners, &self.children, &self.pending, &self.meta, &self.blocks];
            let result = trees.transaction(|t| -> Result<(), ConflictableTransactionError<StoreError>> {
                let Some(bytes) = t[TREE_BLOCKS].remove(&key)? else { return Ok(()) };
                let record: BlockRecord = bincode::deserialize(&bytes).map_err(|e| {
                    ConflictableTransactionError::Abort(StoreError::Corrupt { tree: "blocks", message: e.to_string() })
                })?;
                for entry in record.undo.iter().rev() {
                    let tree: &TransactionalTree = &t[entry.tree as usize];
                    match &entry.old {
                        Some(old) => tree.insert(entry.key.as_slice(), old.as_slice())?,
                        None => tree.remove(entry.key.as_slice())?,
                    };
                }
                t[TREE_META].insert("cursor", encode(&Cursor { number, hash }))?;
                Ok(())
            });
            flatten(result)?;
            undone += 1;
        }
        if undone == 0 {
            self.meta.insert("cursor", encode(&Cursor { number, hash }))?;
        }
        Ok(undone)
    }

    /// Block records at or above `from`, newest first: what a reorg check walks back through.
    pub fn recent_blocks(&self, limit: usize) -> Result<Vec<(u64, [u8; 32])>, StoreError> {
        self.blocks
            .iter()
            .rev()
            .take(limit)
            .map(|kv| {
                let (k, v) = kv?;
                let record: BlockRecord = decode("blocks", &v)?;
                Ok((id_of(&k), record.hash))
            })
            .collect()
    }

    fn prune(&self, newest: u64) -> Result<(), StoreError> {
        if newest <= REORG_WINDOW {
            return Ok(());
        }
        let horizon = (newest - REORG_WINDOW).to_be_bytes();
        for key in self.blocks.range(..horizon).keys() {
            self.blocks.remove(key?)?;
        }
        Ok(())
    }

    // ------------------------------------------------------------------ chain mirror: reads

    /// The last applied block, if any.
    pub fn cursor(&self) -> Result<Option<Cursor>, StoreError> {
        self.meta.get("cursor")?.map(|v| decode("meta", &v)).transpose()
    }

    /// One token.
    pub fn token(&self, id: u64) -> Result<Option<TokenRecord>, StoreError> {
        self.tokens.get(id.to_be_bytes())?.map(|v| decode("tokens", &v)).transpose()
    }

    /// How many tokens are indexed.
    pub fn token_count(&self) -> usize {
        self.tokens.len()
    }

    /// Tokens with id > `after`, ascending, at most `limit`, optionally only one owner's and/or
    /// one generation's. Returns the page and whether more follow.
    pub fn tokens_page(
        &self,
        owner: Option<&[u8; 20]>,
        generation: Option<u16>,
        after: u64,
        limit: usize,
    ) -> Result<(Vec<TokenRecord>, bool), StoreError> {
        let mut page = Vec::with_capacity(limit.min(256));
        let ids: Box<dyn Iterator<Item = Result<u64, StoreError>>> = match owner {
            Some(owner) => Box::new(
                self.owners
                    .range(owner_key(owner, after.saturating_add(1))..owner_key(owner, u64::MAX))
                    .keys()
                    .map(|k| Ok(id_of(&k?))),
            ),
            None => Box::new(self.tokens.range(after.saturating_add(1).to_be_bytes()..).keys().map(|k| Ok(id_of(&k?)))),
        };
        for id in ids {
            let Some(token) = self.token(id?)? else { continue };
            if generation.is_some_and(|g| g != token.generation) {
                continue;
            }
            if page.len() == limit {
                return Ok((page, true));
            }
            page.push(token);
        }
        Ok((page, false))
    }

    /// Every token on chain, for whole-collection ranking.
    pub fn all_tokens(&self) -> impl Iterator<Item = Result<TokenRecord, StoreError>> + '_ {
        self.tokens.iter().values().map(|v| decode("tokens", &v?))
    }

    /// The children of `id`, ascending.
    pub fn children(&self, id: u64) -> Result<Vec<u64>, StoreError> {
        self.children.scan_prefix(id.to_be_bytes()).keys().map(|k| Ok(id_of(&k?))).collect()
    }

    /// One pending birth.
    pub fn pending_birth(&self, id: u64) -> Result<Option<PendingRecord>, StoreError> {
        self.pending.get(id.to_be_bytes())?.map(|v| decode("pending", &v)).transpose()
    }

    /// Pending births not yet hatched, oldest first (what the keeper works through).
    pub fn unhatched_births(&self) -> Result<Vec<PendingRecord>, StoreError> {
        let mut out = Vec::new();
        for v in self.pending.iter().values() {
            let p: PendingRecord = decode("pending", &v?)?;
            if p.child == 0 {
                out.push(p);
            }
        }
        Ok(out)
    }

    /// The current birth fee in wei, as last seen on chain.
    pub fn birth_fee(&self) -> Result<u128, StoreError> {
        Ok(self.meta.get("birth_fee")?.map(|v| u128::from_le_bytes(v.as_ref().try_into().unwrap_or([0; 16]))).unwrap_or(0))
    }

    /// Every entry of the chain-derived trees (tokens, owners, children, pending, birth fee), in
    /// key order: two stores that indexed the same chain hold identical snapshots, however
    /// their ingestion was interrupted. Used by the crash-recovery tests and `chimera` tooling.
    pub fn chain_snapshot(&self) -> Result<Vec<(&'static str, Vec<u8>, Vec<u8>)>, StoreError> {
        let mut out = Vec::new();
        for (name, tree) in [("tokens", &self.tokens), ("owners", &self.owners), ("children", &self.children), ("pending", &self.pending)] {
            for kv in tree.iter() {
                let (k, v) = kv?;
                out.push((name, k.to_vec(), v.to_vec()));
            }
        }
        if let Some(fee) = self.meta.get("birth_fee")? {
            out.push(("meta", b"birth_fee".to_vec(), fee.to_vec()));
        }
        Ok(out)
    }

    // ------------------------------------------------------------------ owners' labels

    /// An owner's label book `name`, if they have one.
    pub fn label_book(&self, owner: &[u8; 20], name: &str) -> Result<Option<crate::preference::LabelBook>, StoreError> {
        let mut key = owner.to_vec();
        key.extend_from_slice(name.as_bytes());
        self.labels
            .get(key)?
            .map(|v| serde_json::from_slice(&v).map_err(|e| StoreError::Corrupt { tree: "labels", message: e.to_string() }))
            .transpose()
    }

    /// Store (or with None, delete) an owner's label book; flushed before returning, so an
    /// acknowledged label survives a crash.
    pub fn put_label_book(&self, owner: &[u8; 20], name: &str, book: Option<&crate::preference::LabelBook>) -> Result<(), StoreError> {
        let mut key = owner.to_vec();
        key.extend_from_slice(name.as_bytes());
        match book {
            Some(book) => self.labels.insert(key, serde_json::to_vec(book).expect("label books serialise"))?,
            None => self.labels.remove(key)?,
        };
        self.db.flush()?;
        Ok(())
    }

    // ------------------------------------------------------------------ keeper

    /// The keeper's transaction for this birth at this birth block, if it sent one.
    pub fn keeper_sent(&self, pending: u64, birth_block: u64) -> Result<Option<[u8; 32]>, StoreError> {
        Ok(self.keeper.get(pair_key(pending, birth_block))?.and_then(|v| v.as_ref().try_into().ok()))
    }

    /// Record the keeper's transaction for a birth (flushed before returning).
    pub fn put_keeper_sent(&self, pending: u64, birth_block: u64, tx: [u8; 32]) -> Result<(), StoreError> {
        self.keeper.insert(pair_key(pending, birth_block), &tx)?;
        self.db.flush()?;
        Ok(())
    }

    // ------------------------------------------------------------------ portraits

    /// A cached portrait.
    pub fn portrait(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.portraits.get(key)?.map(|v| v.to_vec()))
    }

    /// Cache a portrait.
    pub fn put_portrait(&self, key: &[u8], png: &[u8]) -> Result<(), StoreError> {
        self.portraits.insert(key, png)?;
        Ok(())
    }

    // ------------------------------------------------------------------ sign-in

    /// Remember a fresh nonce until `expires` (unix seconds).
    pub fn put_nonce(&self, nonce: &str, expires: u64) -> Result<(), StoreError> {
        self.nonces.insert(nonce, &expires.to_be_bytes())?;
        self.db.flush()?;
        Ok(())
    }

    /// Consume a nonce: returns its expiry if it existed. Single use — a second call returns None,
    /// so a replayed sign-in message is refused.
    pub fn take_nonce(&self, nonce: &str) -> Result<Option<u64>, StoreError> {
        let old = self.nonces.remove(nonce)?;
        self.db.flush()?;
        Ok(old.map(|v| u64::from_be_bytes(v.as_ref().try_into().unwrap_or([0; 8]))))
    }

    /// Store a session (flushed: a signed-in player stays signed in across a crash).
    pub fn put_session(&self, id: &[u8; 32], session: &Session) -> Result<(), StoreError> {
        self.sessions.insert(id, encode(session))?;
        self.db.flush()?;
        Ok(())
    }

    /// A session by id.
    pub fn session(&self, id: &[u8; 32]) -> Result<Option<Session>, StoreError> {
        self.sessions.get(id)?.map(|v| decode("sessions", &v)).transpose()
    }

    /// Remove a session (sign out).
    pub fn delete_session(&self, id: &[u8; 32]) -> Result<(), StoreError> {
        self.sessions.remove(id)?;
        self.db.flush()?;
        Ok(())
    }
}

/// sled's nested transaction result, flattened into ours.
fn flatten(result: Result<(), TransactionError<StoreError>>) -> Result<(), StoreError> {
    match result {
        Ok(()) => Ok(()),
        Err(TransactionError::Abort(e)) => Err(e),
        Err(TransactionError::Storage(e)) => Err(StoreError::Sled(e)),
    }
}
