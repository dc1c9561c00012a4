//! `chimera watch`: the contract's events as JSON lines, for listeners that want Chimera's
//! decoding (genomes with attribute names) without running the service. Reads from a block or
//! live; applies no confirmations — docs/events.md says how a listener should handle reorgs.

use super::events::decode;
use super::ChainError;
use alloy::primitives::Address;
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::Filter;
use std::io::Write;
use std::time::Duration;

/// Where to start and when to stop.
#[derive(Debug, Clone, Copy)]
pub struct WatchRange {
    /// First block; None: the block after the current head (live only).
    pub from_block: Option<u64>,
    /// Stop once caught up with the head instead of following it.
    pub until_head: bool,
    /// Pause between polls while following.
    pub poll_interval: Duration,
}

/// Print every Chimera event of `contract` as one JSON object per line.
pub async fn watch(provider: &DynProvider, contract: Address, range: WatchRange, out: &mut impl Write) -> Result<(), ChainError> {
    let head = || async { provider.get_block_number().await.map_err(|e| ChainError::Rpc(format!("head: {e}"))) };
    let mut next = match range.from_block {
        Some(b) => b,
        None => head().await? + 1,
    };
    loop {
        let tip = head().await?;
        while next <= tip {
            let to = (next + 1_999).min(tip);
            let filter = Filter::new().address(contract).from_block(next).to_block(to);
            let logs = provider.get_logs(&filter).await.map_err(|e| ChainError::Rpc(format!("logs: {e}")))?;
            for log in &logs {
                if let Some((position, event)) = decode(log) {
                    let mut line = serde_json::to_value(position).expect("serialisable");
                    let body = serde_json::to_value(&event).expect("serialisable");
                    if let (Some(line), Some(body)) = (line.as_object_mut(), body.as_object()) {
                        line.extend(body.clone());
                    }
                    writeln!(out, "{line}").map_err(|e| ChainError::Config(format!("writing: {e}")))?;
                }
            }
            out.flush().map_err(|e| ChainError::Config(format!("writing: {e}")))?;
            next = to + 1;
        }
        if range.until_head {
            return Ok(());
        }
        tokio::time::sleep(range.poll_interval).await;
    }
}
