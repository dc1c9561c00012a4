//! Everything that talks to an EVM node: the contract bindings and deployment ([`contract`]),
//! decoding events into Chimera's values ([`events`]), the indexer that mirrors the chain into
//! the store ([`indexer`]) and the keeper that hatches births ([`keeper`]).

pub mod contract;
pub mod events;
pub mod indexer;
pub mod keeper;
pub mod watch;

pub use events::{ChainEvent, EventPosition};
pub use indexer::{Indexer, IndexerConfig, SyncReport};

use alloy::providers::{DynProvider, Provider, ProviderBuilder};

/// Why talking to the chain failed.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    /// The node refused or failed a call; the message says which.
    #[error("chain: {0}")]
    Rpc(String),
    /// The store failed underneath.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// A setting was unusable (bad URL, bad key…).
    #[error("chain config: {0}")]
    Config(String),
}

/// A read-only provider for `rpc_url` (http or https).
pub fn connect(rpc_url: &str) -> Result<DynProvider, ChainError> {
    let url = rpc_url.parse().map_err(|e| ChainError::Config(format!("--rpc-url {rpc_url:?} is not a URL: {e}")))?;
    Ok(ProviderBuilder::new().connect_http(url).erased())
}

/// A provider that signs with `private_key` (hex, optional 0x).
pub fn connect_with_key(rpc_url: &str, private_key: &str) -> Result<DynProvider, ChainError> {
    let url = rpc_url.parse().map_err(|e| ChainError::Config(format!("--rpc-url {rpc_url:?} is not a URL: {e}")))?;
    let signer: alloy::signers::local::PrivateKeySigner = private_key
        .trim()
        .parse()
        .map_err(|_| ChainError::Config("the private key must be 64 hex digits (optional 0x)".into()))?;
    Ok(ProviderBuilder::new().wallet(signer).connect_http(url).erased())
}
