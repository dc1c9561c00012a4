//! `/api/tokens…`: the indexed characters. `GET /api/tokens/{id}` is the ERC-721 metadata that
//! `tokenURI` points at, shaped as marketplaces read it.

use super::error::ApiError;
use super::extract::{AppPath, AppQuery};
use super::genomes::{portrait_response, ImageQuery};
use super::ApiContext;
use crate::genome::{Genome, CODE_GENES, SLOT_TABLE};
use crate::store::TokenRecord;
use alloy::primitives::Address;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};
use utoipa::{IntoParams, ToSchema};

pub(super) fn routes() -> Router<ApiContext> {
    Router::new()
        .route("/api/tokens", get(list))
        .route("/api/tokens/{id}", get(metadata))
        .route("/api/tokens/{id}/image.png", get(image))
        .route("/api/tokens/{id}/family", get(family))
}

/// One marketplace trait.
#[derive(Debug, Serialize, ToSchema)]
pub struct Trait {
    /// The trait's name: an attribute slot, `<slot> (sub)` for sub values, or `generation`.
    pub trait_type: String,
    /// The value's name (or number).
    #[schema(value_type = Object)]
    pub value: serde_json::Value,
    /// `number` for numeric traits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_type: Option<&'static str>,
}

/// ERC-721 metadata plus everything Chimera knows about the character.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenMetadata {
    /// "Chimera #id".
    pub name: String,
    /// One line about the character.
    pub description: String,
    /// Its portrait (PNG).
    pub image: String,
    /// Its page in the web app.
    pub external_url: String,
    /// Main and sub attribute values and the generation, as `trait_type`/`value` pairs.
    pub attributes: Vec<Trait>,
    /// Token id.
    pub id: u64,
    /// Genome as `0x` + 80 hex digits.
    pub genome_hex: String,
    /// The decoded genome: main/sub per gene, attribute names (docs/genome.md).
    #[schema(value_type = Object)]
    pub genome: serde_json::Value,
    /// 0 for genesis.
    pub generation: u16,
    /// Matron's id; absent for genesis.
    pub matron: Option<u64>,
    /// Sire's id; absent for genesis.
    pub sire: Option<u64>,
    /// Children's ids.
    pub children: Vec<u64>,
    /// Current owner.
    pub owner: String,
    /// Block it was born in.
    pub birth_block: u64,
    /// Who may breed with it as a sire, if its owner approved someone.
    pub siring_approved: Option<String>,
}

/// A character in a list or a family tree.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenSummary {
    /// Token id.
    pub id: u64,
    /// "Chimera #id".
    pub name: String,
    /// Genome hex.
    pub genome_hex: String,
    /// Generation.
    pub generation: u16,
    /// Owner.
    pub owner: String,
    /// Matron (0 for genesis).
    pub matron: u64,
    /// Sire (0 for genesis).
    pub sire: u64,
    /// Portrait URL.
    pub image: String,
    /// Main attribute values by slot name.
    pub attributes: BTreeMap<String, String>,
    /// Who may use it as a sire, if its owner approved someone.
    pub siring_approved: Option<String>,
}

fn summary(ctx: &ApiContext, t: &TokenRecord) -> TokenSummary {
    let genome = t.genome();
    TokenSummary {
        id: t.id,
        name: format!("Chimera #{}", t.id),
        genome_hex: genome.to_hex(),
        generation: t.generation,
        owner: Address::from(t.owner).to_checksum(None),
        matron: t.matron,
        sire: t.sire,
        image: format!("{}/api/tokens/{}/image.png", ctx.public_url, t.id),
        attributes: SLOT_TABLE
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.to_string(), s.value_name(genome.attribute(i)).to_string()))
            .collect(),
        siring_approved: t.siring_approved.map(|a| Address::from(a).to_checksum(None)),
    }
}

fn traits(genome: &Genome, generation: u16) -> Vec<Trait> {
    let mut out = Vec::with_capacity(2 * SLOT_TABLE.len() + 1);
    for (i, slot) in SLOT_TABLE.iter().enumerate() {
        let gene = genome.gene(CODE_GENES + i);
        out.push(Trait { trait_type: slot.name.into(), value: slot.value_name(gene.main).into(), display_type: None });
        out.push(Trait {
            trait_type: format!("{} (sub)", slot.name),
            value: slot.value_name(gene.sub).into(),
            display_type: None,
        });
    }
    out.push(Trait { trait_type: "generation".into(), value: generation.into(), display_type: Some("number") });
    out
}

pub(super) fn load(ctx: &ApiContext, id: u64) -> Result<TokenRecord, ApiError> {
    ctx.store.token(id)?.ok_or_else(|| ApiError::NotFound(format!("token {id} does not exist (or is not indexed yet)")))
}

/// ERC-721 metadata of one character.
#[utoipa::path(get, path = "/api/tokens/{id}", tag = "tokens",
    params(("id" = u64, Path, description = "Token id")),
    responses((status = 200, body = TokenMetadata), (status = 400, body = super::error::ErrorBody), (status = 404, body = super::error::ErrorBody)))]
pub async fn metadata(State(ctx): State<ApiContext>, AppPath(id): AppPath<u64>) -> Result<Response, ApiError> {
    // Metadata changes only when the index moves, so the serialised document is cached per token
    // and cursor (number and hash, so a reorg back to the same height is a miss): marketplaces
    // re-read it far more often than the chain moves.
    let cursor = ctx.store.cursor()?;
    if let Some(body) = ctx.ops.cached_metadata(id, cursor) {
        return Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response());
    }
    let body = axum::body::Bytes::from(serde_json::to_vec(&build_metadata(&ctx, id)?).map_err(|e| ApiError::Internal(e.to_string()))?);
    ctx.ops.cache_metadata(id, cursor, body.clone());
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

fn build_metadata(ctx: &ApiContext, id: u64) -> Result<TokenMetadata, ApiError> {
    let t = load(ctx, id)?;
    let genome = t.genome();
    let main = |slot: usize| SLOT_TABLE[slot].value_name(genome.attribute(slot)).replace('_', " ");
    Ok(TokenMetadata {
        name: format!("Chimera #{id}"),
        description: format!(
            "A generation-{} Chimera with {} {} hair, {} eyes and a {} look.",
            t.generation,
            main(0),
            main(1),
            main(2),
            main(4)
        ),
        image: format!("{}/api/tokens/{id}/image.png", ctx.public_url),
        external_url: format!("{}/#/character/{id}", ctx.public_url),
        attributes: traits(&genome, t.generation),
        id,
        genome_hex: genome.to_hex(),
        genome: serde_json::to_value(genome.to_json()).map_err(|e| ApiError::Internal(e.to_string()))?,
        generation: t.generation,
        matron: (t.matron != 0).then_some(t.matron),
        sire: (t.sire != 0).then_some(t.sire),
        children: ctx.store.children(id)?,
        owner: Address::from(t.owner).to_checksum(None),
        birth_block: t.birth_block,
        siring_approved: t.siring_approved.map(|a| Address::from(a).to_checksum(None)),
    })
}

/// The character's portrait.
#[utoipa::path(get, path = "/api/tokens/{id}/image.png", tag = "tokens",
    params(("id" = u64, Path, description = "Token id"), ImageQuery),
    responses((status = 200, content_type = "image/png", description = "The portrait"), (status = 404, body = super::error::ErrorBody), (status = 503, body = super::error::ErrorBody)))]
pub async fn image(
    State(ctx): State<ApiContext>,
    AppPath(id): AppPath<u64>,
    AppQuery(q): AppQuery<ImageQuery>,
) -> Result<Response, ApiError> {
    let t = load(&ctx, id)?;
    portrait_response(&ctx, &t.genome(), q.size).await
}

/// Filters and page position for `GET /api/tokens`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only this owner's tokens (0x address).
    pub owner: Option<String>,
    /// Only this generation.
    pub generation: Option<u16>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<u64>,
    /// Page size, 1..=200 (default 50).
    pub limit: Option<usize>,
}

/// One page of tokens.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenPage {
    /// The tokens, ascending by id.
    pub tokens: Vec<TokenSummary>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<u64>,
    /// Tokens indexed in all.
    pub total: usize,
}

/// Tokens, optionally one owner's or one generation's, with cursor pagination.
#[utoipa::path(get, path = "/api/tokens", tag = "tokens", params(ListQuery),
    responses((status = 200, body = TokenPage), (status = 400, body = super::error::ErrorBody)))]
pub async fn list(State(ctx): State<ApiContext>, AppQuery(q): AppQuery<ListQuery>) -> Result<Json<TokenPage>, ApiError> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::BadRequest(format!("limit must be 1..=200, got {limit}")));
    }
    let owner = q
        .owner
        .as_deref()
        .map(|o| o.parse::<Address>().map_err(|_| ApiError::BadRequest(format!("owner must be a 0x address of 40 hex digits, got {o:?}"))))
        .transpose()?
        .map(|a| a.into_array());
    let (tokens, more) = ctx.store.tokens_page(owner.as_ref(), q.generation, q.cursor.unwrap_or(0), limit)?;
    let next_cursor = if more { tokens.last().map(|t| t.id) } else { None };
    Ok(Json(TokenPage {
        tokens: tokens.iter().map(|t| summary(&ctx, t)).collect(),
        next_cursor,
        total: ctx.store.token_count(),
    }))
}

/// How far a family tree reaches.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FamilyQuery {
    /// Generations up and down, 1..=8 (default 3).
    pub depth: Option<u32>,
}

/// A character's ancestors and descendants.
#[derive(Debug, Serialize, ToSchema)]
pub struct Family {
    /// The character itself.
    pub root: TokenSummary,
    /// Ancestors with their distance (1 = parents), nearest first.
    pub ancestors: Vec<FamilyMember>,
    /// Descendants with their distance (1 = children), nearest first.
    pub descendants: Vec<FamilyMember>,
}

/// One relative.
#[derive(Debug, Serialize, ToSchema)]
pub struct FamilyMember {
    /// Generations away from the root.
    pub distance: u32,
    /// The relative.
    #[serde(flatten)]
    pub token: TokenSummary,
}

/// Most relatives returned in one direction: trees of popular sires grow fast.
const FAMILY_LIMIT: usize = 512;

/// Ancestors and descendants of a character, breadth first.
#[utoipa::path(get, path = "/api/tokens/{id}/family", tag = "tokens",
    params(("id" = u64, Path, description = "Token id"), FamilyQuery),
    responses((status = 200, body = Family), (status = 400, body = super::error::ErrorBody), (status = 404, body = super::error::ErrorBody)))]
pub async fn family(
    State(ctx): State<ApiContext>,
    AppPath(id): AppPath<u64>,
    AppQuery(q): AppQuery<FamilyQuery>,
) -> Result<Json<Family>, ApiError> {
    let depth = q.depth.unwrap_or(3);
    if !(1..=8).contains(&depth) {
        return Err(ApiError::BadRequest(format!("depth must be 1..=8, got {depth}")));
    }
    let root = load(&ctx, id)?;
    let walk = |up: bool| -> Result<Vec<FamilyMember>, ApiError> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::from([id]);
        let mut queue = VecDeque::from([(root.clone(), 0u32)]);
        while let Some((t, d)) = queue.pop_front() {
            if d == depth || out.len() >= FAMILY_LIMIT {
                continue;
            }
            let next: Vec<u64> = if up { [t.matron, t.sire].into_iter().filter(|p| *p != 0).collect() } else { ctx.store.children(t.id)? };
            for rel in next {
                if seen.insert(rel) {
                    let r = load(&ctx, rel)?;
                    out.push(FamilyMember { distance: d + 1, token: summary(&ctx, &r) });
                    queue.push_back((r, d + 1));
                }
            }
        }
        Ok(out)
    };
    Ok(Json(Family { root: summary(&ctx, &root), ancestors: walk(true)?, descendants: walk(false)? }))
}
