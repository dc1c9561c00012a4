//! The chain listener: backfills the contract's events from its deployment block in batches,
//! then follows new blocks, applying each block atomically to the store. Only blocks at least
//! `confirmations` deep are applied; before every batch the cursor's hash is compared with the
//! chain's, and on a mismatch the store is rolled back to the fork point and re-applied.

use super::events::{decode, ChainEvent};
use super::ChainError;
use crate::genome::Genome;
use crate::store::Store;
use alloy::eips::BlockNumberOrTag;
use alloy::primitives::Address;
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::Filter;
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::BTreeMap;
use std::time::Duration;
use tokio::sync::{mpsc, watch};

/// How the indexer reads the chain.
#[derive(Debug, Clone)]
pub struct IndexerConfig {
    /// The Chimera contract.
    pub contract: Address,
    /// Where to start when the store is empty (the deployment block).
    pub from_block: u64,
    /// How deep a block must be before it is applied (0 = at once).
    pub confirmations: u64,
    /// Blocks per `eth_getLogs` call during backfill.
    pub batch_blocks: u64,
    /// Pause between polls once caught up.
    pub poll_interval: Duration,
    /// Draw a progress bar during backfill (off for tests and non-terminals).
    pub progress: bool,
}

impl IndexerConfig {
    /// Defaults for a contract deployed at `from_block`.
    pub fn new(contract: Address, from_block: u64) -> Self {
        IndexerConfig {
            contract,
            from_block,
            confirmations: 0,
            batch_blocks: 2_000,
            poll_interval: Duration::from_millis(500),
            progress: false,
        }
    }
}

/// What one `sync` pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Blocks written (with events, or batch ends recorded for reorg checks).
    pub blocks: u64,
    /// Events applied.
    pub events: u64,
    /// Blocks undone because a reorg replaced them.
    pub rolled_back: u64,
    /// The last applied block afterwards.
    pub cursor: u64,
}

/// The chain listener. Owns nothing but handles: run it with [`Indexer::run`].
pub struct Indexer {
    /// JSON-RPC connection to the node.
    provider: DynProvider,
    /// Where applied blocks go.
    store: Store,
    /// What to read and how.
    config: IndexerConfig,
    /// Receives every newly indexed genome so its portrait can be decoded ahead of requests.
    born: Option<mpsc::UnboundedSender<Genome>>,
}

impl Indexer {
    /// An indexer over `provider` writing to `store`.
    pub fn new(provider: DynProvider, store: Store, config: IndexerConfig) -> Self {
        Indexer { provider, store, config, born: None }
    }

    /// Also send every `Born` genome to `born` (the portrait pre-renderer).
    pub fn with_born_channel(mut self, born: mpsc::UnboundedSender<Genome>) -> Self {
        self.born = Some(born);
        self
    }

    /// Follow the chain until `shutdown` turns true. Transient RPC errors are logged and retried.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) -> Result<(), ChainError> {
        loop {
            match self.sync().await {
                Ok(report) if report.blocks > 0 || report.rolled_back > 0 => {
                    tracing::debug!(?report, "indexed");
                }
                Ok(_) => {}
                Err(ChainError::Store(e)) => return Err(ChainError::Store(e)),
                Err(e) => tracing::warn!("indexer: {e}; retrying"),
            }
            tokio::select! {
                _ = tokio::time::sleep(self.config.poll_interval) => {}
                _ = shutdown.changed() => return Ok(()),
            }
            if *shutdown.borrow() {
                return Ok(());
            }
        }
    }

    /// Bring the store up to the chain's safe head (head − confirmations), once.
    pub async fn sync(&self) -> Result<SyncReport, ChainError> {
        let mut report = SyncReport { rolled_back: self.check_reorg().await?, ..Default::default() };
        let head = self.provider.get_block_number().await.map_err(rpc("reading the head block number"))?;
        let safe = head.saturating_sub(self.config.confirmations);
        let mut next = match self.store.cursor()? {
            Some(c) => c.number + 1,
            None => self.config.from_block,
        };
        report.cursor = next.saturating_sub(1);
        if next > safe {
            return Ok(report);
        }
        let bar = (self.config.progress && safe - next > self.config.batch_blocks).then(|| {
            let bar = ProgressBar::new(safe - next + 1);
            bar.set_style(
                ProgressStyle::with_template("indexing blocks {pos}/{len} {wide_bar} {per_sec} eta {eta}")
                    .expect("valid template"),
            );
            bar
        });
        while next <= safe {
            let to = (next + self.config.batch_blocks - 1).min(safe);
            let (blocks, events) = self.apply_range(next, to).await?;
            report.blocks += blocks;
            report.events += events;
            if let Some(bar) = &bar {
                bar.inc(to - next + 1);
            }
            next = to + 1;
        }
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        report.cursor = safe;
        Ok(report)
    }

    /// Fetch and apply blocks `from..=to`. The end block's hash is read before and after the
    /// logs; if it changed, a reorg raced the read and the range is retried by the next pass.
    async fn apply_range(&self, from: u64, to: u64) -> Result<(u64, u64), ChainError> {
        let end_hash = self.block_hash(to).await?;
        let filter = Filter::new().address(self.config.contract).from_block(from).to_block(to);
        let logs = self.provider.get_logs(&filter).await.map_err(rpc("reading logs"))?;
        if self.block_hash(to).await? != end_hash {
            return Err(ChainError::Rpc(format!("block {to} changed while reading logs (reorg); retrying")));
        }
        let mut by_block: BTreeMap<u64, ([u8; 32], Vec<(u64, ChainEvent)>)> = BTreeMap::new();
        for log in &logs {
            if log.removed {
                continue;
            }
            if let Some((pos, event)) = decode(log) {
                let entry = by_block.entry(pos.block).or_insert((pos.block_hash.0, Vec::new()));
                entry.1.push((pos.log_index, event));
            }
        }
        // The range's end is always recorded, so the next reorg check has a recent hash to test.
        by_block.entry(to).or_insert((end_hash, Vec::new()));
        let (mut blocks, mut events) = (0, 0);
        for (number, (hash, mut block_events)) in by_block {
            block_events.sort_by_key(|(i, _)| *i);
            let block_events: Vec<ChainEvent> = block_events.into_iter().map(|(_, e)| e).collect();
            self.store.apply_block(number, hash, &block_events)?;
            blocks += 1;
            events += block_events.len() as u64;
            if let Some(born) = &self.born {
                for e in &block_events {
                    if let ChainEvent::Born { genome, .. } = e {
                        let _ = born.send(*genome);
                    }
                }
            }
        }
        Ok((blocks, events))
    }

    /// Compare the store's recent blocks with the chain, newest first; roll back to the newest one
    /// that still matches. Returns how many applied blocks were undone.
    async fn check_reorg(&self) -> Result<u64, ChainError> {
        let Some(cursor) = self.store.cursor()? else { return Ok(0) };
        if self.block_hash(cursor.number).await.ok() == Some(cursor.hash) {
            return Ok(0);
        }
        for (number, hash) in self.store.recent_blocks(usize::MAX)? {
            if self.block_hash(number).await.ok() == Some(hash) {
                let undone = self.store.rollback_to(number, hash)? as u64;
                tracing::warn!(fork_point = number, undone, "reorg: rolled back");
                return Ok(undone);
            }
        }
        // Nothing recent matches: start again from the deployment block.
        let start = self.config.from_block.saturating_sub(1);
        let hash = self.block_hash(start).await?;
        let undone = self.store.rollback_to(start, hash)? as u64;
        tracing::warn!(undone, "reorg deeper than the kept window: re-indexing from the deployment block");
        Ok(undone)
    }

    async fn block_hash(&self, number: u64) -> Result<[u8; 32], ChainError> {
        let block = self
            .provider
            .get_block_by_number(BlockNumberOrTag::Number(number))
            .await
            .map_err(rpc("reading a block header"))?
            .ok_or_else(|| ChainError::Rpc(format!("block {number} not found")))?;
        Ok(block.header.hash.0)
    }
}

fn rpc(what: &'static str) -> impl Fn(alloy::transports::TransportError) -> ChainError {
    move |e| ChainError::Rpc(format!("{what}: {e}"))
}
