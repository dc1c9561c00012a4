//! `/api/genomes/{hex}…`: decode and render any genome, minted or not. Rendering costs a model
//! run, so these routes are rate-limited per client address.

use super::error::ApiError;
use super::extract::{AppPath, AppQuery};
use super::ApiContext;
use crate::genome::Genome;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub(super) fn routes(ctx: ApiContext) -> Router<ApiContext> {
    Router::new()
        .route("/api/genomes/{hex}", get(decode))
        .route("/api/genomes/{hex}/image.png", get(image))
        .route_layer(axum::middleware::from_fn_with_state(ctx, super::ops::rate_limit))
}

/// Portrait size.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImageQuery {
    /// Edge in pixels, 16..=1024 (default: the model's own size). Scaling keeps pixels crisp.
    pub size: Option<u32>,
}

/// A decoded genome.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecodedGenome {
    /// `0x` + 80 hex digits, normalised.
    pub hex: String,
    /// Main/sub of every gene, attribute names (docs/genome.md).
    #[schema(value_type = Object)]
    pub genome: serde_json::Value,
    /// Its portrait.
    pub image: String,
}

fn parse(hex: &str) -> Result<Genome, ApiError> {
    Genome::from_hex(hex).map_err(|e| ApiError::BadRequest(format!("genome: {e}")))
}

/// Decode a genome.
#[utoipa::path(get, path = "/api/genomes/{hex}", tag = "genomes",
    params(("hex" = String, Path, description = "80 hex digits, optional 0x")),
    responses((status = 200, body = DecodedGenome), (status = 400, body = super::error::ErrorBody), (status = 429, body = super::error::ErrorBody)))]
pub async fn decode(State(ctx): State<ApiContext>, AppPath(hex): AppPath<String>) -> Result<Json<DecodedGenome>, ApiError> {
    let genome = parse(&hex)?;
    Ok(Json(DecodedGenome {
        hex: genome.to_hex(),
        genome: serde_json::to_value(genome.to_json()).map_err(|e| ApiError::Internal(e.to_string()))?,
        image: format!("{}/api/genomes/{}/image.png", ctx.public_url, genome.to_hex()),
    }))
}

/// Render a genome's portrait.
#[utoipa::path(get, path = "/api/genomes/{hex}/image.png", tag = "genomes",
    params(("hex" = String, Path, description = "80 hex digits, optional 0x"), ImageQuery),
    responses((status = 200, content_type = "image/png", description = "The portrait"), (status = 400, body = super::error::ErrorBody),
        (status = 429, body = super::error::ErrorBody), (status = 503, body = super::error::ErrorBody)))]
pub async fn image(
    State(ctx): State<ApiContext>,
    AppPath(hex): AppPath<String>,
    AppQuery(q): AppQuery<ImageQuery>,
) -> Result<Response, ApiError> {
    portrait_response(&ctx, &parse(&hex)?, q.size).await
}

/// A genome's portrait as PNG at a size (None: the model's own), from the store's portrait cache
/// or the generator. Cached PNGs are keyed by the generator's portrait key (model hash + main
/// genes) and the size, so a portrait is decoded and encoded once — also across restarts.
pub async fn portrait_png(ctx: &ApiContext, genome: &Genome, size: Option<u32>) -> Result<Vec<u8>, ApiError> {
    let generator = ctx.generator()?;
    let mut key = generator.key(genome).as_bytes().to_vec();
    key.extend_from_slice(&size.unwrap_or(0).to_be_bytes());
    if let Some(png) = ctx.store.portrait(&key)? {
        return Ok(png);
    }
    let png = generator.png(genome, size).await?;
    ctx.store.put_portrait(&key, &png)?;
    Ok(png)
}

/// The PNG response for a genome at a size.
pub(super) async fn portrait_response(ctx: &ApiContext, genome: &Genome, size: Option<u32>) -> Result<Response, ApiError> {
    if let Some(s) = size {
        if !(16..=1024).contains(&s) {
            return Err(ApiError::BadRequest(format!("size must be 16..=1024 pixels, got {s}")));
        }
    }
    let png = portrait_png(ctx, genome, size).await?;
    Ok((
        [(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "public, max-age=31536000, immutable")],
        png,
    )
        .into_response())
}
