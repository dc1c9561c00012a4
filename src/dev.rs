//! `chimera dev`: the whole dev world from one command. Starts a local anvil (from the npm
//! packages `make setup` installs) with interval mining, deploys the contract and mints a starter
//! set of genesis characters the first time, then runs the service (indexer, keeper, API, web
//! app) on 127.0.0.1 and prints what a wallet needs. Chain state and the store live in the data
//! directory, so a restart continues where it stopped; `--reset` starts afresh. Ctrl-C stops
//! everything it started.

use crate::chain::contract::{self, Chimera};
use crate::service::{Service, ServiceConfig};
use alloy::primitives::{Address, U256};
use alloy::providers::Provider;
use alloy::signers::local::PrivateKeySigner;
use anyhow::{bail, Context, Result};
use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Anvil's default dev accounts (mnemonic "test test … junk"): public test keys, never for real
/// funds. Checked against the running anvil's accounts at start-up.
pub const DEV_KEYS: [&str; 10] = [
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
    "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
    "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
    "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
    "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
    "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
    "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
];
/// The dev account whose key the keeper uses (the last one, so players keep 0..8).
const KEEPER_ACCOUNT: usize = 9;

/// Where the npm package puts anvil; `$CHIMERA_ANVIL` overrides.
pub fn anvil_path() -> PathBuf {
    std::env::var_os("CHIMERA_ANVIL")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"))
}

/// `chimera dev`'s settings.
#[derive(Debug, Clone)]
pub struct DevConfig {
    /// Where chain state and the store live.
    pub data_dir: PathBuf,
    /// Wipe the data directory first.
    pub reset: bool,
    /// API and web app port on 127.0.0.1.
    pub port: u16,
    /// Anvil's port on 127.0.0.1.
    pub anvil_port: u16,
    /// Genesis characters minted to the first dev accounts on a fresh chain.
    pub genesis: usize,
    /// Seconds per block (interval mining, so births hatch without other traffic).
    pub block_time: u64,
    /// The generator model.
    pub model: PathBuf,
    /// The built web app.
    pub web_dir: PathBuf,
}

/// What the dev world remembers between runs.
#[derive(Debug, Serialize, Deserialize)]
struct Deployment {
    /// The contract's address.
    address: Address,
    /// Its deployment block.
    block: u64,
}

/// The anvil child process; stopped (and its state dumped) when dropped.
struct AnvilProcess {
    /// The running anvil.
    child: Child,
}

impl Drop for AnvilProcess {
    fn drop(&mut self) {
        // SIGTERM lets anvil write its state file; then make sure it is gone.
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        for _ in 0..50 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_anvil(config: &DevConfig) -> Result<AnvilProcess> {
    let path = anvil_path();
    if !path.exists() {
        bail!("anvil not found at {}: run `make setup` (or set CHIMERA_ANVIL)", path.display());
    }
    let state = config.data_dir.join("anvil-state.json");
    let log = std::fs::File::create(config.data_dir.join("anvil.log"))?;
    let child = Command::new(&path)
        .args(["--host", "127.0.0.1", "--port", &config.anvil_port.to_string()])
        .args(["--block-time", &config.block_time.to_string()])
        .args(["--chain-id", "31337", "--state-interval", "2"])
        .arg("--state")
        .arg(&state)
        .stdout(Stdio::from(log.try_clone()?))
        .stderr(Stdio::from(log))
        .spawn()
        .with_context(|| format!("starting {}", path.display()))?;
    Ok(AnvilProcess { child })
}

/// Start the dev world and run it until Ctrl-C.
pub async fn run(config: DevConfig) -> Result<()> {
    if config.reset && config.data_dir.exists() {
        std::fs::remove_dir_all(&config.data_dir).with_context(|| format!("resetting {}", config.data_dir.display()))?;
    }
    std::fs::create_dir_all(&config.data_dir)?;
    let _anvil = start_anvil(&config)?;
    let rpc_url = format!("http://127.0.0.1:{}", config.anvil_port);
    let provider = crate::chain::connect(&rpc_url)?;
    let mut ready = false;
    for _ in 0..100 {
        if provider.get_chain_id().await.is_ok() {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    if !ready {
        bail!("anvil did not answer on {rpc_url}; see {}", config.data_dir.join("anvil.log").display());
    }
    check_dev_keys(&provider).await?;
    let deployment = ensure_deployment(&config, &rpc_url, &provider).await?;

    let public_url = format!("http://127.0.0.1:{}", config.port);
    let service = Service::start(ServiceConfig {
        rpc_url: rpc_url.clone(),
        contract: deployment.address,
        from_block: deployment.block,
        confirmations: 0,
        keeper_key: Some(DEV_KEYS[KEEPER_ACCOUNT].to_string()),
        listen: ([127, 0, 0, 1], config.port).into(),
        data_dir: config.data_dir.join("store"),
        public_url: Some(public_url.clone()),
        model: config.model.clone(),
        web_dir: config.web_dir.join("index.html").exists().then(|| config.web_dir.clone()),
        poll_interval: Duration::from_millis(500),
        progress: true,
        batch_blocks: 2_000,
    })
    .await?;
    print_banner(&public_url, &rpc_url, &deployment, config.web_dir.join("index.html").exists());
    service.run_until(crate::service::stop_signal()).await?;
    println!("stopped; chain state and index are kept in {}", config.data_dir.display());
    Ok(())
}

async fn check_dev_keys(provider: &alloy::providers::DynProvider) -> Result<()> {
    let accounts = provider.get_accounts().await.context("asking anvil for its accounts")?;
    for (i, key) in DEV_KEYS.iter().enumerate() {
        let signer: PrivateKeySigner = key.parse().expect("valid dev key");
        if accounts.get(i) != Some(&signer.address()) {
            bail!("anvil's account {i} is not the default dev account: was anvil started with another mnemonic?");
        }
    }
    Ok(())
}

/// Reuse the recorded deployment if the chain still has its code; else deploy and mint genesis.
async fn ensure_deployment(config: &DevConfig, rpc_url: &str, provider: &alloy::providers::DynProvider) -> Result<Deployment> {
    let record = config.data_dir.join("deployment.json");
    if let Ok(text) = std::fs::read_to_string(&record) {
        let known: Deployment = serde_json::from_str(&text).with_context(|| format!("reading {}", record.display()))?;
        if !provider.get_code_at(known.address).await?.is_empty() {
            return Ok(known);
        }
        // The chain was lost: the old index describes another chain.
        let _ = std::fs::remove_dir_all(config.data_dir.join("store"));
    }
    let deployer = crate::chain::connect_with_key(rpc_url, DEV_KEYS[0])?;
    let base_uri = format!("http://127.0.0.1:{}/api/tokens/", config.port);
    let (address, block) = contract::deploy(&deployer, &base_uri, 10_000).await?;
    mint_genesis(&deployer, address, config.genesis).await?;
    let deployment = Deployment { address, block };
    std::fs::write(&record, serde_json::to_string_pretty(&deployment)?)?;
    Ok(deployment)
}

/// Mint `count` random genesis characters, dealt round-robin to dev accounts 0, 1 and 2.
async fn mint_genesis(deployer: &alloy::providers::DynProvider, address: Address, count: usize) -> Result<()> {
    let chimera = Chimera::new(address, deployer);
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let mut pending = Vec::new();
    for i in 0..count {
        let genome = crate::genome::Genome::random(&mut rng);
        let owner: PrivateKeySigner = DEV_KEYS[i % 3].parse().expect("valid dev key");
        let tx = chimera
            .mintGenesis(owner.address(), U256::from_be_bytes(genome.code()), genome.attrs())
            .send()
            .await
            .context("minting a genesis character")?;
        pending.push(tx);
    }
    for tx in pending {
        let receipt = tx.get_receipt().await.context("waiting for a genesis mint")?;
        if !receipt.status() {
            bail!("a genesis mint reverted");
        }
    }
    Ok(())
}

fn print_banner(url: &str, rpc_url: &str, deployment: &Deployment, web: bool) {
    println!("\nChimera dev world is running.\n");
    println!("  open        {url}/{}", if web { "" } else { "api/openapi.json (the web app is not built: make web)" });
    println!("  API         {url}/api/tokens");
    println!("  chain       {rpc_url}  (chain id 31337)");
    println!("  contract    {} (deployed in block {})", deployment.address, deployment.block);
    println!("\n  dev accounts (import a key into your wallet; accounts 0–2 own the genesis characters):");
    for (i, key) in DEV_KEYS.iter().enumerate().take(4) {
        let signer: PrivateKeySigner = key.parse().expect("valid dev key");
        println!("    {i}  {}  {key}", signer.address());
    }
    println!("    keeper (hatches births): account {KEEPER_ACCOUNT}\n\nCtrl-C stops everything.\n");
}
