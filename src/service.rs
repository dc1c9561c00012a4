//! The platform service: the indexer, the optional keeper, the portrait pre-renderer and the HTTP
//! API, started together over one store and stopped together. `chimera serve` runs it against any
//! node; `chimera dev` runs it against a local anvil it starts itself.

use crate::api::{self, ApiContext, ChainInfo};
use crate::chain::keeper::Keeper;
use crate::chain::{self, Indexer, IndexerConfig};
use crate::generator::{Generator, GeneratorConfig};
use crate::store::Store;
use alloy::primitives::Address;
use alloy::providers::Provider;
use anyhow::{Context, Result};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

/// Everything `chimera serve` is told.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    /// JSON-RPC URL of the node.
    pub rpc_url: String,
    /// The Chimera contract.
    pub contract: Address,
    /// The contract's deployment block: where indexing starts.
    pub from_block: u64,
    /// Blocks a change must be buried under before it is indexed.
    pub confirmations: u64,
    /// Private key for the keeper; None: no keeper.
    pub keeper_key: Option<String>,
    /// Address the API listens on.
    pub listen: SocketAddr,
    /// Where the store lives.
    pub data_dir: PathBuf,
    /// The URL players reach the API at; None: `http://<listen>`.
    pub public_url: Option<String>,
    /// The generator model.
    pub model: PathBuf,
    /// The built web app to serve at `/`, if any.
    pub web_dir: Option<PathBuf>,
    /// How often the indexer and keeper poll the node.
    pub poll_interval: Duration,
    /// Show a progress bar while backfilling.
    pub progress: bool,
    /// Blocks per `eth_getLogs` call (some providers cap the range).
    pub batch_blocks: u64,
}

/// A running service. Its tasks live until [`Service::stop`]; nothing is spawned detached.
pub struct Service {
    /// The indexer, keeper, pre-renderer and API tasks.
    tasks: JoinSet<Result<()>>,
    /// Set to true to ask every task to finish.
    shutdown: watch::Sender<bool>,
    /// Where the API actually listens (the port is resolved when 0 was asked for).
    pub local_addr: SocketAddr,
    /// The API's shared state, for callers that want to inspect it (tests, the dev banner).
    pub ctx: ApiContext,
}

impl Service {
    /// Open the store, load the generator (or note why not), connect to the node, and start
    /// every task.
    pub async fn start(config: ServiceConfig) -> Result<Service> {
        let store = Store::open(&config.data_dir).with_context(|| format!("opening the store in {}", config.data_dir.display()))?;
        let provider = chain::connect(&config.rpc_url)?;
        let chain_id = provider.get_chain_id().await.with_context(|| format!("reaching the node at {}", config.rpc_url))?;
        let generator = Generator::open(GeneratorConfig::new(&config.model)).map_err(|e| e.to_string());
        if let Err(why) = &generator {
            tracing::warn!("portraits disabled: {why}");
        }
        let listener = tokio::net::TcpListener::bind(config.listen).await.with_context(|| format!("listening on {}", config.listen))?;
        let local_addr = listener.local_addr()?;
        let public_url = config.public_url.clone().unwrap_or_else(|| format!("http://{local_addr}"));
        let chain_info = ChainInfo { chain_id, address: config.contract.to_checksum(None), deploy_block: config.from_block };
        let ctx = ApiContext::new(store.clone(), generator, chain_info, &public_url);

        let (shutdown, shutdown_rx) = watch::channel(false);
        let mut tasks = JoinSet::new();

        let (born_tx, born_rx) = mpsc::unbounded_channel();
        let mut indexer_config = IndexerConfig::new(config.contract, config.from_block);
        indexer_config.confirmations = config.confirmations;
        indexer_config.poll_interval = config.poll_interval;
        indexer_config.progress = config.progress;
        indexer_config.batch_blocks = config.batch_blocks.max(1);
        let indexer = Indexer::new(provider.clone(), store.clone(), indexer_config).with_born_channel(born_tx);
        let rx = shutdown_rx.clone();
        tasks.spawn(async move { indexer.run(rx).await.context("indexer") });
        tasks.spawn(prerender(ctx.clone(), born_rx));

        if let Some(key) = &config.keeper_key {
            let signer = chain::connect_with_key(&config.rpc_url, key)?;
            let keeper = Keeper::new(signer, store.clone(), config.contract, config.poll_interval);
            let rx = shutdown_rx.clone();
            tasks.spawn(async move { keeper.run(rx).await.context("keeper") });
        }

        let router = api::router(ctx.clone(), config.web_dir.as_deref());
        let mut rx = shutdown_rx.clone();
        tasks.spawn(async move {
            let stop = async move {
                let _ = rx.wait_for(|stop| *stop).await;
            };
            api::serve(listener, router, stop).await.context("http server")
        });
        Ok(Service { tasks, shutdown, local_addr, ctx })
    }

    /// Run until a task fails or `stop` resolves, then stop everything and flush the store.
    pub async fn run_until(mut self, stop: impl std::future::Future<Output = ()>) -> Result<()> {
        let outcome = tokio::select! {
            _ = stop => Ok(()),
            Some(done) = self.tasks.join_next() => match done {
                Ok(Ok(())) => Ok(()),
                Ok(Err(e)) => Err(e),
                Err(e) => Err(anyhow::anyhow!("a service task panicked: {e}")),
            },
        };
        self.stop().await?;
        outcome
    }

    /// Ask every task to finish, wait for them, and flush the store.
    pub async fn stop(mut self) -> Result<()> {
        let _ = self.shutdown.send(true);
        while let Some(done) = self.tasks.join_next().await {
            if let Ok(Err(e)) = done {
                tracing::warn!("{e:#}");
            }
        }
        self.ctx.store.flush()?;
        Ok(())
    }
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM, the two ways a service is asked to stop, so both
/// run the same orderly shutdown (and `chimera dev` stops the anvil it started).
pub async fn stop_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending::<()>().await } } => {}
    }
}

/// Decode the portrait of every newly born character so it is ready when a marketplace asks.
/// Everything waiting in the channel is requested at once, so the generator batches it into few
/// runs. Ends when the indexer (the channel's sender) is gone.
async fn prerender(ctx: ApiContext, mut born: mpsc::UnboundedReceiver<crate::genome::Genome>) -> Result<()> {
    while let Some(first) = born.recv().await {
        if ctx.generator.is_err() {
            continue;
        }
        let mut waiting = vec![first];
        while let Ok(more) = born.try_recv() {
            waiting.push(more);
        }
        let mut renders = JoinSet::new();
        for genome in waiting {
            let ctx = ctx.clone();
            renders.spawn(async move { (genome, api::genomes::portrait_png(&ctx, &genome, None).await) });
        }
        while let Some(done) = renders.join_next().await {
            if let Ok((genome, Err(e))) = done {
                tracing::warn!("pre-rendering {genome}: {e}");
            }
        }
    }
    Ok(())
}
