//! The keeper (midwife): hatches pending births as soon as their birth block is past, collecting
//! the birth fee the breeder left for whoever hatches.
//!
//! It never sends two transactions for the same birth: before sending it records nothing is in
//! flight for `(pending id, birth block)` — a key that changes only if the contract reschedules an
//! expired birth — and after sending it stores the transaction hash under that key (flushed). A
//! restarted keeper finds the record and waits for that transaction instead of sending another.
//! The one window left — a crash between the node accepting the transaction and the record being
//! written — can at worst send a second `hatch`, which the contract refuses (`AlreadyHatched`):
//! no double birth, one wasted fee of gas.

use super::contract::Chimera;
use super::ChainError;
use crate::store::Store;
use alloy::primitives::{Address, U256};
use alloy::providers::{DynProvider, Provider};
use std::time::Duration;
use tokio::sync::watch;

/// The keeper task's handles.
pub struct Keeper {
    /// A provider that signs with the keeper's key.
    provider: DynProvider,
    /// Pending births come from the index; sent transactions are recorded here.
    store: Store,
    /// The Chimera contract.
    contract: Address,
    /// Pause between rounds.
    poll_interval: Duration,
}

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct KeeperRound {
    /// `hatch` transactions sent.
    pub sent: u32,
    /// Births skipped because a transaction for them is already in flight or mined.
    pub in_flight: u32,
}

impl Keeper {
    /// A keeper for `contract`, signing with `provider`'s wallet.
    pub fn new(provider: DynProvider, store: Store, contract: Address, poll_interval: Duration) -> Self {
        Keeper { provider, store, contract, poll_interval }
    }

    /// Hatch until `shutdown` turns true; RPC errors are logged and retried next round.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) -> Result<(), ChainError> {
        loop {
            match self.round().await {
                Ok(r) if r.sent > 0 => tracing::info!(sent = r.sent, "keeper hatched"),
                Ok(_) => {}
                Err(ChainError::Store(e)) => return Err(ChainError::Store(e)),
                Err(e) => tracing::warn!("keeper: {e}; retrying"),
            }
            tokio::select! {
                _ = tokio::time::sleep(self.poll_interval) => {}
                _ = shutdown.changed() => return Ok(()),
            }
            if *shutdown.borrow() {
                return Ok(());
            }
        }
    }

    /// One pass over the indexed, unhatched births whose birth block is past.
    pub async fn round(&self) -> Result<KeeperRound, ChainError> {
        let mut round = KeeperRound::default();
        let head = self.provider.get_block_number().await.map_err(|e| ChainError::Rpc(format!("head: {e}")))?;
        let chimera = Chimera::new(self.contract, &self.provider);
        for birth in self.store.unhatched_births()? {
            // The hatch will be mined in a block after `head`, which must be past the birth block.
            if head < birth.birth_block {
                continue;
            }
            if let Some(tx) = self.store.keeper_sent(birth.id, birth.birth_block)? {
                if self.still_in_flight(tx).await? {
                    round.in_flight += 1;
                    continue;
                }
            }
            // The index may lag the chain: ask the contract whether someone hatched it already.
            let on_chain = chimera
                .pendingBirth(U256::from(birth.id))
                .call()
                .await
                .map_err(|e| ChainError::Rpc(format!("pendingBirth({}): {e}", birth.id)))?;
            if on_chain.childId != U256::ZERO || on_chain.birthBlock != birth.birth_block {
                continue;
            }
            let pending = chimera
                .hatch(U256::from(birth.id))
                .send()
                .await
                .map_err(|e| ChainError::Rpc(format!("hatch({}): {e}", birth.id)))?;
            self.store.put_keeper_sent(birth.id, birth.birth_block, pending.tx_hash().0)?;
            round.sent += 1;
        }
        Ok(round)
    }

    /// Whether a recorded transaction is pending or mined successfully (then the index will
    /// catch up). A transaction the node forgot, or one that reverted, is no longer in flight.
    async fn still_in_flight(&self, tx: [u8; 32]) -> Result<bool, ChainError> {
        let hash = tx.into();
        if let Some(receipt) = self.provider.get_transaction_receipt(hash).await.map_err(|e| ChainError::Rpc(format!("receipt: {e}")))? {
            return Ok(receipt.status());
        }
        let known = self.provider.get_transaction_by_hash(hash).await.map_err(|e| ChainError::Rpc(format!("transaction: {e}")))?;
        Ok(known.is_some())
    }
}
