//! The HTTP API (axum): what wallet-connected players, marketplaces and indexers read.
//!
//! ## Layout
//!
//! One module per resource, each holding its handlers with their request and response types:
//! - [`tokens`] — `/api/tokens…`: ERC-721 metadata (what `tokenURI` points at), lists, family trees, portraits.
//! - [`genomes`] — `/api/genomes/{hex}…`: decode and render any genome (rate-limited).
//! - [`fusion`] — `/api/preview` (children under the on-chain law) and `/api/fuse` (lab operators).
//! - [`taste`] — `/api/taste…`: each signed-in owner's labels and taste model — queue, score, rank,
//!   ideal, nudge, mates, match, groups (the engine is `crate::preference`).
//! - [`auth`] — Sign-In with Ethereum (EIP-4361): nonce, verify, logout, me; the [`auth::AuthUser`] extractor.
//! - [`ops`] — `/api/contract`, `/healthz`, `/metrics`, `/api/openapi.json`, the rate limiter and request counters.
//! - [`error`] — [`ApiError`], the one error type; [`extract`] — extractors whose rejections are JSON.
//!
//! Every handler shares one [`ApiContext`].

pub mod auth;
pub mod error;
pub mod extract;
pub mod fusion;
pub mod genomes;
pub mod ops;
pub mod taste;
pub mod tokens;

pub use error::ApiError;

use crate::generator::Generator;
use crate::store::Store;
use axum::Router;
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::cors::CorsLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

/// Which chain and contract this service mirrors, as `GET /api/contract` reports it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ChainInfo {
    /// EIP-155 chain id.
    pub chain_id: u64,
    /// The Chimera contract's address (checksummed hex).
    pub address: String,
    /// The block the contract was deployed in: where listeners start.
    pub deploy_block: u64,
}

/// The state every handler shares. Cheap to clone.
#[derive(Clone)]
pub struct ApiContext {
    /// The chain mirror and the service's own records.
    pub store: Store,
    /// The portrait generator, or why there is none (image routes then answer 503 with it).
    pub generator: Result<Generator, String>,
    /// The chain and contract.
    pub chain: ChainInfo,
    /// The URL players reach this service at, without a trailing slash: links and sign-in
    /// messages are built from it.
    pub public_url: String,
    /// Per-client budgets for the expensive public routes, and request counters.
    pub ops: Arc<ops::Ops>,
}

impl ApiContext {
    /// A context over these parts.
    pub fn new(store: Store, generator: Result<Generator, String>, chain: ChainInfo, public_url: &str) -> Self {
        ApiContext {
            store,
            generator,
            chain,
            public_url: public_url.trim_end_matches('/').to_string(),
            ops: Arc::new(ops::Ops::default()),
        }
    }

    /// The generator, or a 503 saying why it is not loaded.
    pub fn generator(&self) -> Result<&Generator, ApiError> {
        self.generator.as_ref().map_err(|why| ApiError::Unavailable(format!("portraits are unavailable here: {why}")))
    }
}

/// The whole API as one router: routes, then the tower-http layers (CORS, compression, a 64 KiB
/// body limit, tracing, request counting). `static_dir`, when given, is served at `/` (the web app).
pub fn router(ctx: ApiContext, static_dir: Option<&std::path::Path>) -> Router {
    let api = Router::new()
        .merge(tokens::routes())
        .merge(genomes::routes(ctx.clone()))
        .merge(fusion::routes())
        .merge(auth::routes())
        .merge(taste::routes())
        .merge(ops::routes());
    // Unknown API paths are JSON 404s, also when the web app's index.html is the fallback.
    let mut app = api.route("/api/{*rest}", axum::routing::any(|| async { ApiError::NotFound("no such route; see /api/openapi.json".into()) }));
    if let Some(dir) = static_dir {
        let index = dir.join("index.html");
        app = app.fallback_service(
            tower_http::services::ServeDir::new(dir).fallback(tower_http::services::ServeFile::new(index)),
        );
    } else {
        app = app.fallback(|| async { ApiError::NotFound("no such route; see /api/openapi.json".into()) });
    }
    app.layer(axum::middleware::from_fn_with_state(ctx.clone(), ops::count_requests))
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(64 * 1024))
        .layer(CorsLayer::permissive())
        .layer(TraceLayer::new_for_http())
        .with_state(ctx)
}

/// Serve `router` on `listener` until `shutdown` resolves, with client addresses for rate limits.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
