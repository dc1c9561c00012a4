//! What the platform tests share: a real anvil with the real compiled contract deployed, and
//! small helpers to mint, breed and mine on it. Needs `make setup` (anvil from npm); it fails
//! with that command when anvil is missing, never silently skips.
#![allow(dead_code)] // each test file uses its own subset

use alloy::node_bindings::{Anvil, AnvilInstance};
use alloy::primitives::{Address, U256};
use alloy::providers::{DynProvider, Provider};
use alloy::signers::local::PrivateKeySigner;
use chimera::chain::contract::{self, Chimera};
use chimera::dev::DEV_KEYS;
use chimera::genome::Genome;
use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;
use std::path::PathBuf;

/// A running anvil with Chimera deployed by dev account 0.
pub struct TestChain {
    /// The anvil process (killed when dropped).
    pub anvil: AnvilInstance,
    /// Its JSON-RPC URL.
    pub url: String,
    /// The deployed contract.
    pub contract: Address,
    /// The deployment block.
    pub deploy_block: u64,
    /// A provider signing as dev account 0 (admin and minter).
    pub admin: DynProvider,
}

pub fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)
}

pub fn anvil_binary() -> PathBuf {
    let path = repo("contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");
    assert!(path.exists(), "{} is missing: run `make setup`", path.display());
    path
}

/// The address of dev account `i`.
pub fn dev_address(i: usize) -> Address {
    DEV_KEYS[i].parse::<PrivateKeySigner>().unwrap().address()
}

/// A provider signing as dev account `i`.
pub fn signer(chain: &TestChain, i: usize) -> DynProvider {
    chimera::chain::connect_with_key(&chain.url, DEV_KEYS[i]).unwrap()
}

impl TestChain {
    /// Start anvil (mining a block per transaction) and deploy the contract.
    pub async fn start() -> TestChain {
        let anvil = Anvil::at(anvil_binary()).try_spawn().expect("anvil starts");
        let url = anvil.endpoint();
        let admin = chimera::chain::connect_with_key(&url, DEV_KEYS[0]).unwrap();
        let (contract, deploy_block) = contract::deploy(&admin, "http://127.0.0.1/api/tokens/", 100_000).await.unwrap();
        TestChain { anvil, url, contract, deploy_block, admin }
    }

    /// Forget the admin provider's cached nonce (after `evm_revert` moved the chain back).
    pub fn reset_admin_nonce(&mut self) {
        self.admin = chimera::chain::connect_with_key(&self.url, DEV_KEYS[0]).unwrap();
    }

    /// The contract bound to dev account `i`'s signer. Account 0 reuses `admin`, whose provider
    /// caches its nonce: a second provider for the same account would send stale nonces.
    pub fn as_account(&self, i: usize) -> Chimera::ChimeraInstance<DynProvider> {
        let provider = if i == 0 { self.admin.clone() } else { signer(self, i) };
        Chimera::new(self.contract, provider)
    }

    /// Mint a genesis character to `to`; returns its id.
    pub async fn mint(&self, to: Address, genome: &Genome) -> u64 {
        let chimera = Chimera::new(self.contract, &self.admin);
        let tx = *chimera.mintGenesis(to, U256::from_be_bytes(genome.code()), genome.attrs()).send().await.unwrap().tx_hash();
        let receipt = self.confirm(&[tx]).await.remove(0);
        let born = receipt.decoded_log::<Chimera::Born>().expect("Born");
        born.tokenId.to()
    }

    /// Mint many genesis characters without waiting for each receipt in turn.
    pub async fn mint_many(&self, to: Address, genomes: &[Genome]) {
        let chimera = Chimera::new(self.contract, &self.admin);
        let mut sent = Vec::with_capacity(genomes.len());
        for g in genomes {
            sent.push(*chimera.mintGenesis(to, U256::from_be_bytes(g.code()), g.attrs()).send().await.unwrap().tx_hash());
        }
        self.confirm(&sent).await;
    }

    /// Wait until every transaction has a successful receipt, and return the receipts. Polls
    /// receipts directly: alloy's `get_receipt` watches for new block numbers, and never sees
    /// the block after an `evm_revert` moved the head backwards.
    pub async fn confirm(&self, txs: &[alloy::primitives::TxHash]) -> Vec<alloy::rpc::types::TransactionReceipt> {
        let mut receipts = Vec::with_capacity(txs.len());
        for tx in txs {
            let mut tries = 0;
            loop {
                if let Some(receipt) = self.admin.get_transaction_receipt(*tx).await.unwrap() {
                    assert!(receipt.status(), "transaction {tx} reverted");
                    receipts.push(receipt);
                    break;
                }
                tries += 1;
                assert!(tries < 400, "transaction {tx} was never mined");
                tokio::time::sleep(std::time::Duration::from_millis(25)).await;
            }
        }
        receipts
    }

    /// Mine `n` empty blocks.
    pub async fn mine(&self, n: u64) {
        let _: serde_json::Value = self.admin.raw_request("anvil_mine".into(), (format!("0x{n:x}"),)).await.unwrap();
    }

    /// The current head block.
    pub async fn head(&self) -> u64 {
        self.admin.get_block_number().await.unwrap()
    }
}

/// `n` random genomes from a fixed seed.
pub fn genomes(n: usize, seed: u64) -> Vec<Genome> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| Genome::random(&mut rng))
        .collect()
}

/// Poll `check` every 50 ms for up to `secs` seconds.
pub async fn eventually<F, Fut>(secs: u64, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while std::time::Instant::now() < deadline {
        if check().await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("timed out after {secs} s waiting for: {what}");
}
