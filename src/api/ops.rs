//! Operations: `/api/contract` (for listeners and marketplaces), `/healthz`, `/metrics`
//! (Prometheus text), `/api/openapi.json` (generated from the handlers' annotations), the
//! per-client rate limiter of the rendering routes, and the request counters behind `/metrics`.

use super::error::ApiError;
use super::ApiContext;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;
use utoipa::{OpenApi, ToSchema};

pub(super) fn routes() -> Router<ApiContext> {
    Router::new()
        .route("/api/contract", get(contract))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/api/openapi.json", get(openapi))
}

/// Rate-limit budget of the rendering routes: a burst, refilled per second.
const RATE_BURST: f64 = 60.0;
const RATE_PER_SEC: f64 = 30.0;

/// Counters and budgets shared by the middleware.
#[derive(Default)]
pub struct Ops {
    /// Token buckets per client address: (tokens left, last refill). A std Mutex: no await
    /// happens while it is held.
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
    /// Responses by status class: 2xx, 3xx, 4xx, 5xx.
    responses: [AtomicU64; 4],
    /// Requests refused by the rate limiter.
    rate_limited: AtomicU64,
    /// Serialised token metadata by id, with the index cursor it was built at.
    metadata: Mutex<HashMap<u64, (Option<crate::store::Cursor>, axum::body::Bytes)>>,
}

/// Most metadata documents kept; past it the cache starts over (it refills on demand).
const METADATA_CACHE: usize = 100_000;

impl Ops {
    /// Token `id`'s cached metadata if it was built at `cursor` (the index has not moved since).
    pub(super) fn cached_metadata(&self, id: u64, cursor: Option<crate::store::Cursor>) -> Option<axum::body::Bytes> {
        let cache = self.metadata.lock().expect("metadata lock");
        cache.get(&id).filter(|(at, _)| *at == cursor).map(|(_, body)| body.clone())
    }

    /// Keep token `id`'s metadata as built at `cursor`.
    pub(super) fn cache_metadata(&self, id: u64, cursor: Option<crate::store::Cursor>, body: axum::body::Bytes) {
        let mut cache = self.metadata.lock().expect("metadata lock");
        if cache.len() >= METADATA_CACHE {
            cache.clear();
        }
        cache.insert(id, (cursor, body));
    }
}

/// Middleware: count every response by status class.
pub(super) async fn count_requests(State(ctx): State<ApiContext>, req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let class = (response.status().as_u16() / 100).clamp(2, 5) as usize - 2;
    ctx.ops.responses[class].fetch_add(1, Ordering::Relaxed);
    response
}

/// Middleware: a token bucket per client address on the rendering routes.
pub(super) async fn rate_limit(State(ctx): State<ApiContext>, req: Request, next: Next) -> Result<Response, ApiError> {
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    {
        let mut buckets = ctx.ops.buckets.lock().expect("bucket lock");
        if buckets.len() > 100_000 {
            buckets.clear(); // bounded memory under address spraying; budgets simply restart
        }
        let now = Instant::now();
        let (tokens, last) = buckets.entry(ip).or_insert((RATE_BURST, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * RATE_PER_SEC).min(RATE_BURST);
        *last = now;
        if *tokens < 1.0 {
            ctx.ops.rate_limited.fetch_add(1, Ordering::Relaxed);
            return Err(ApiError::RateLimited(RATE_PER_SEC as u32));
        }
        *tokens -= 1.0;
    }
    Ok(next.run(req).await)
}

/// Everything a listener needs to subscribe without the repository.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContractInfo {
    /// Chain and address.
    #[serde(flatten)]
    pub chain: super::ChainInfo,
    /// The birth fee in wei (decimal string), as last indexed: what `breed` must be sent with.
    pub birth_fee: String,
    /// The contract's ABI.
    #[schema(value_type = Object)]
    pub abi: serde_json::Value,
}

/// Chain id, address, deployment block and ABI of the Chimera contract.
#[utoipa::path(get, path = "/api/contract", tag = "ops", responses((status = 200, body = ContractInfo)))]
pub async fn contract(State(ctx): State<ApiContext>) -> Result<Json<ContractInfo>, ApiError> {
    Ok(Json(ContractInfo { chain: ctx.chain.clone(), birth_fee: ctx.store.birth_fee()?.to_string(), abi: crate::chain::contract::abi_json() }))
}

/// Liveness and index progress.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always "ok" when the service answers.
    pub status: &'static str,
    /// Last indexed block, if any.
    pub indexed_block: Option<u64>,
    /// Tokens indexed.
    pub tokens: usize,
    /// Whether portraits can be rendered.
    pub generator: bool,
}

/// Liveness and index progress.
#[utoipa::path(get, path = "/healthz", tag = "ops", responses((status = 200, body = Health)))]
pub async fn healthz(State(ctx): State<ApiContext>) -> Result<Json<Health>, ApiError> {
    Ok(Json(Health {
        status: "ok",
        indexed_block: ctx.store.cursor()?.map(|c| c.number),
        tokens: ctx.store.token_count(),
        generator: ctx.generator.is_ok(),
    }))
}

/// Prometheus metrics.
#[utoipa::path(get, path = "/metrics", tag = "ops", responses((status = 200, content_type = "text/plain", description = "Prometheus text format")))]
pub async fn metrics(State(ctx): State<ApiContext>) -> Result<Response, ApiError> {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(out, "# TYPE chimera_http_responses_total counter");
    for (i, class) in ["2xx", "3xx", "4xx", "5xx"].iter().enumerate() {
        let _ = writeln!(out, "chimera_http_responses_total{{class=\"{class}\"}} {}", ctx.ops.responses[i].load(Ordering::Relaxed));
    }
    let _ = writeln!(out, "# TYPE chimera_rate_limited_total counter\nchimera_rate_limited_total {}", ctx.ops.rate_limited.load(Ordering::Relaxed));
    let _ = writeln!(out, "# TYPE chimera_indexed_tokens gauge\nchimera_indexed_tokens {}", ctx.store.token_count());
    let _ = writeln!(out, "# TYPE chimera_indexed_block gauge\nchimera_indexed_block {}", ctx.store.cursor()?.map(|c| c.number).unwrap_or(0));
    if let Ok(generator) = &ctx.generator {
        let s = generator.stats();
        let _ = writeln!(out, "# TYPE chimera_generator_requests_total counter\nchimera_generator_requests_total {}", s.requests);
        let _ = writeln!(out, "# TYPE chimera_generator_cache_hits_total counter\nchimera_generator_cache_hits_total {}", s.cache_hits);
        let _ = writeln!(out, "# TYPE chimera_generator_runs_total counter\nchimera_generator_runs_total {}", s.runs);
    }
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response())
}

/// The OpenAPI document of every route, generated from the handlers.
#[derive(OpenApi)]
#[openapi(
    info(title = "Chimera API", description = "Generative collectible characters: metadata, portraits, fusion, sign-in."),
    paths(
        super::tokens::metadata, super::tokens::image, super::tokens::list, super::tokens::family,
        super::genomes::decode, super::genomes::image,
        super::fusion::preview, super::fusion::fuse,
        super::auth::nonce, super::auth::verify, super::auth::logout, super::auth::me,
        super::taste::status, super::taste::add_label, super::taste::skip, super::taste::undo, super::taste::list_labels,
        super::taste::delete_labels, super::taste::set_classes, super::taste::queue, super::taste::score, super::taste::rank,
        super::taste::ideal, super::taste::nudge, super::taste::mates, super::taste::match_owner, super::taste::group,
        contract, healthz, metrics, openapi,
    ),
    components(schemas(super::error::ErrorBody))
)]
pub struct ApiDoc;

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "ops", responses((status = 200, description = "OpenAPI 3.1 document")))]
pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
