//! Platform speed on this machine: time to index 10 000 `Born` events from a local anvil (goal
//! ≤ 10 s), then cached metadata and cached portrait requests per second under `wrk` on loopback
//! (goal ≥ 30 000 metadata req/s on 2 cores). `make bench` installs wrk; without it the HTTP part
//! says so and stops.
//!
//! `cargo bench --bench platform` (needs `make setup` for anvil).

use alloy::node_bindings::Anvil;
use alloy::primitives::U256;
use alloy::providers::Provider;
use chimera::chain::contract::{self, Chimera};
use chimera::chain::{connect, connect_with_key, Indexer, IndexerConfig};
use chimera::dev::DEV_KEYS;
use chimera::genome::Genome;
use chimera::service::{Service, ServiceConfig};
use chimera::store::Store;
use std::process::Command;
use std::time::{Duration, Instant};

const TOKENS: usize = 10_000;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(run());
}

async fn run() {
    let anvil_path = concat!(env!("CARGO_MANIFEST_DIR"), "/contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");
    // No automine: the mints are queued, then packed into full blocks, as on a busy chain.
    let anvil = Anvil::at(anvil_path).arg("--no-mining").arg("--gas-limit").arg("300000000").try_spawn().expect("anvil (run `make setup`)");
    let url = anvil.endpoint();
    let admin = connect_with_key(&url, DEV_KEYS[0]).unwrap();
    let deploy = tokio::spawn({
        let admin = admin.clone();
        async move { contract::deploy(&admin, "http://127.0.0.1/api/tokens/", TOKENS as u64).await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let _: serde_json::Value = admin.raw_request("evm_mine".into(), ()).await.unwrap();
    let (address, deploy_block) = deploy.await.unwrap().unwrap();

    eprintln!("minting {TOKENS} genesis characters…");
    let chimera = Chimera::new(address, &admin);
    let owner = alloy::signers::local::PrivateKeySigner::from_bytes(&alloy::primitives::B256::from_slice(&alloy::hex::decode(&DEV_KEYS[1][2..]).unwrap())).unwrap().address();
    for i in 0..TOKENS {
        let mut bytes = [0u8; 40];
        bytes[..8].copy_from_slice(&(i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15).to_be_bytes());
        let g = Genome::from_bytes(bytes);
        let _ = chimera.mintGenesis(owner, U256::from_be_bytes(g.code()), g.attrs()).gas(200_000).send().await.unwrap();
        if i % 1000 == 999 {
            let _: serde_json::Value = admin.raw_request("evm_mine".into(), ()).await.unwrap();
        }
    }
    loop {
        let _: serde_json::Value = admin.raw_request("evm_mine".into(), ()).await.unwrap();
        let status: serde_json::Value = admin.raw_request("txpool_status".into(), ()).await.unwrap();
        if status["pending"] == "0x0" {
            break;
        }
    }
    let head = admin.get_block_number().await.unwrap();

    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("store")).unwrap();
    let indexer = Indexer::new(connect(&url).unwrap(), store.clone(), IndexerConfig::new(address, deploy_block));
    let started = Instant::now();
    let report = indexer.sync().await.unwrap();
    let took = started.elapsed();
    assert_eq!(store.token_count(), TOKENS, "every Born indexed");
    println!(
        "index: {TOKENS} Born (+{TOKENS} Transfer) events over {} blocks in {:.2} s = {:.0} events/s (goal ≤ 10 s) [{} blocks written]",
        head - deploy_block,
        took.as_secs_f64(),
        report.events as f64 / took.as_secs_f64(),
        report.blocks
    );
    drop(indexer);
    drop(store);

    if Command::new("wrk").arg("--version").output().is_err() {
        println!("http: wrk is not installed (make bench installs it); skipping the request-rate figures");
        return;
    }
    let service = Service::start(ServiceConfig {
        rpc_url: url.clone(),
        contract: address,
        from_block: deploy_block,
        confirmations: 0,
        keeper_key: None,
        listen: ([127, 0, 0, 1], 0).into(),
        data_dir: dir.path().join("store"),
        public_url: None,
        model: concat!(env!("CARGO_MANIFEST_DIR"), "/models/generator.onnx").into(),
        web_dir: None,
        poll_interval: Duration::from_secs(1),
        progress: false,
        batch_blocks: 2_000,
    })
    .await
    .unwrap();
    let base = format!("http://{}", service.local_addr);
    for (name, path) in [("metadata", "/api/tokens/1"), ("portrait (cached)", "/api/tokens/1/image.png")] {
        let warm = reqwest::get(format!("{base}{path}")).await.unwrap();
        if !warm.status().is_success() {
            println!("http: {name}: {} — skipped", warm.status());
            continue;
        }
        let out = tokio::task::spawn_blocking({
            let url = format!("{base}{path}");
            move || Command::new("wrk").args(["-t1", "-c64", "-d5s", "--latency", &url]).output().unwrap()
        })
        .await
        .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let rate = text.lines().find(|l| l.starts_with("Requests/sec:")).unwrap_or("Requests/sec: ?");
        let p99 = text.lines().find(|l| l.trim_start().starts_with("99%")).map(|l| l.trim().to_string()).unwrap_or_default();
        println!("http: {name} {path}: {rate} (wrk -t1 -c64 -d5s, same 2 cores as the server; latency {p99}){}", if name == "metadata" { " goal ≥ 30 000" } else { "" });
    }
    service.stop().await.unwrap();
}
