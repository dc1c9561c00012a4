//! The chain listener against a real anvil: reorgs are rolled back and re-applied, confirmations
//! hold back shallow blocks, and a service killed with SIGKILL over and over while ingesting
//! thousands of events ends with exactly the index an uninterrupted run builds.

mod common;

use alloy::primitives::U256;
use alloy::providers::Provider;
use chimera::chain::{connect, Indexer, IndexerConfig};
use chimera::store::Store;
use common::{dev_address, genomes, TestChain};
use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use std::process::{Command, Stdio};
use std::time::Duration;

fn indexer(chain: &TestChain, store: &Store, confirmations: u64, batch: u64) -> Indexer {
    let mut config = IndexerConfig::new(chain.contract, chain.deploy_block);
    config.confirmations = confirmations;
    config.batch_blocks = batch;
    Indexer::new(connect(&chain.url).unwrap(), store.clone(), config)
}

/// The index an uninterrupted run builds of the chain as it is now.
async fn reference_snapshot(chain: &TestChain) -> Vec<(&'static str, Vec<u8>, Vec<u8>)> {
    let store = Store::temporary().unwrap();
    indexer(chain, &store, 0, 2_000).sync().await.unwrap();
    store.chain_snapshot().unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn a_reorg_is_rolled_back_and_the_new_fork_applied() {
    let mut chain = TestChain::start().await;
    let (alice, bob) = (dev_address(0), dev_address(1));
    let g = genomes(5, 11);
    for genome in &g[..3] {
        chain.mint(alice, genome).await;
    }
    let store = Store::temporary().unwrap();
    let idx = indexer(&chain, &store, 0, 2_000);
    idx.sync().await.unwrap();
    assert_eq!(store.token_count(), 3);

    let snapshot: String = chain.admin.raw_request("evm_snapshot".into(), ()).await.unwrap();
    let transfer = *chain.as_account(0).transferFrom(alice, bob, U256::from(1)).send().await.unwrap().tx_hash();
    chain.confirm(&[transfer]).await;
    chain.mint(alice, &g[3]).await;
    idx.sync().await.unwrap();
    assert_eq!(store.token(1).unwrap().unwrap().owner, bob.into_array());
    assert_eq!(store.token(4).unwrap().unwrap().genome(), g[3]);

    // The fork: back to the snapshot, then a different token 4 and a longer chain.
    let reverted: bool = chain.admin.raw_request("evm_revert".into(), (snapshot,)).await.unwrap();
    assert!(reverted);
    chain.reset_admin_nonce();
    chain.mint(bob, &g[4]).await;
    chain.mine(3).await;
    let report = idx.sync().await.unwrap();
    assert!(report.rolled_back >= 2, "the two blocks of the old fork were undone: {report:?}");
    assert_eq!(store.token(1).unwrap().unwrap().owner, alice.into_array(), "the transfer was undone");
    let four = store.token(4).unwrap().unwrap();
    assert_eq!((four.genome(), four.owner), (g[4], bob.into_array()), "the new fork's token 4");
    let (alices, _) = store.tokens_page(Some(&alice.into_array()), None, 0, 100).unwrap();
    assert_eq!(alices.iter().map(|t| t.id).collect::<Vec<_>>(), vec![1, 2, 3], "owner index rolled back too");
    assert_eq!(store.chain_snapshot().unwrap(), reference_snapshot(&chain).await);
}

#[tokio::test(flavor = "current_thread")]
async fn confirmations_hold_back_shallow_blocks() {
    let chain = TestChain::start().await;
    let store = Store::temporary().unwrap();
    let idx = indexer(&chain, &store, 3, 2_000);
    chain.mint(dev_address(0), &genomes(1, 3)[0]).await;
    idx.sync().await.unwrap();
    assert_eq!(store.token_count(), 0, "one block deep is not enough");
    chain.mine(3).await;
    idx.sync().await.unwrap();
    assert_eq!(store.token_count(), 1);
    assert_eq!(store.cursor().unwrap().unwrap().number, chain.head().await - 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_ingest_loses_and_duplicates_nothing() {
    let chain = TestChain::start().await;
    let (alice, bob) = (dev_address(0), dev_address(1));
    const TOKENS: usize = 1_500;
    chain.mint_many(alice, &genomes(TOKENS, 99)).await;
    let admin = chain.as_account(0);
    let mut transfers = Vec::new();
    for id in (1..=TOKENS as u64).step_by(5) {
        transfers.push(*admin.transferFrom(alice, bob, U256::from(id)).send().await.unwrap().tx_hash());
    }
    chain.confirm(&transfers).await;
    let head = chain.head().await;

    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("store");
    let serve = || {
        Command::new(env!("CARGO_BIN_EXE_chimera"))
            .args(["serve", "--rpc-url", &chain.url, "--contract", &chain.contract.to_string()])
            .args(["--from-block", &chain.deploy_block.to_string(), "--confirmations", "0", "--batch-blocks", "50"])
            .args(["--listen", "127.0.0.1:0"])
            .arg("--data-dir")
            .arg(&data_dir)
            .env("CHIMERA_GENERATOR_MODEL", "/nonexistent.onnx") // indexing only: no portraits
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chimera serve starts")
    };
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let mut kills = 0;
    for round in 0..12 {
        let mut child = serve();
        tokio::time::sleep(Duration::from_millis(150 + rng.next_u64() % 400)).await;
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        kills += 1;
        let store = Store::open(&data_dir).unwrap();
        let cursor = store.cursor().unwrap().map(|c| c.number).unwrap_or(0);
        drop(store);
        if cursor >= head {
            assert!(round >= 2, "ingest finished too fast to be interrupted; raise TOKENS");
            break;
        }
    }
    // Let a last run catch up (it cannot be watched while it holds the store: kill it every
    // 800 ms and look), then kill that one too.
    let deadline = std::time::Instant::now() + Duration::from_secs(90);
    loop {
        let mut child = serve();
        tokio::time::sleep(Duration::from_millis(800)).await;
        assert!(child.try_wait().unwrap().is_none(), "chimera serve exited early");
        child.kill().unwrap();
        child.wait().unwrap();
        kills += 1;
        let caught_up = Store::open(&data_dir).unwrap().cursor().unwrap().is_some_and(|c| c.number >= head);
        if caught_up {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the service did not catch up");
    }
    eprintln!("{kills} SIGKILLs during ingest of {TOKENS} mints and {} transfers", TOKENS.div_ceil(5));
    let store = Store::open(&data_dir).unwrap();
    assert_eq!(store.token_count(), TOKENS);
    let (bobs, _) = store.tokens_page(Some(&bob.into_array()), None, 0, 10_000).unwrap();
    assert_eq!(bobs.len(), TOKENS.div_ceil(5));
    assert_eq!(store.chain_snapshot().unwrap(), reference_snapshot(&chain).await, "after {kills} kills the index equals an uninterrupted one");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chimera_watch_prints_decoded_events_as_json_lines() {
    let chain = TestChain::start().await;
    let g = genomes(2, 21);
    chain.mint(dev_address(0), &g[0]).await;
    chain.mint(dev_address(1), &g[1]).await;
    let out = Command::new(env!("CARGO_BIN_EXE_chimera"))
        .args(["watch", "--rpc-url", &chain.url, "--contract", &chain.contract.to_string(), "--until-head"])
        .args(["--from-block", &chain.deploy_block.to_string()])
        .output()
        .expect("chimera watch runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let born: Vec<_> = lines.iter().filter(|l| l["event"] == "Born").collect();
    assert_eq!(born.len(), 2, "{lines:?}");
    assert_eq!(born[1]["token"], 2);
    assert_eq!(born[1]["genome"]["hex"], g[1].to_hex());
    assert_eq!(born[1]["genome"]["attrs"][0]["slot"], "hair_colour", "attribute names included");
    assert!(born[0]["block"].as_u64().is_some() && born[0]["tx"].as_str().unwrap().starts_with("0x"));
    assert_eq!(lines.iter().filter(|l| l["event"] == "Transfer").count(), 2);

    let bad = Command::new(env!("CARGO_BIN_EXE_chimera")).args(["watch", "--rpc-url", &chain.url, "--contract", "0x12"]).output().unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--contract must be a 0x address"));
}
