//! `/api/preview` and `/api/fuse`: what children could come of given parents, never minted.

use super::error::ApiError;
use super::extract::AppJson;
use super::ApiContext;
use crate::fusion::{self, BreedingLaw, LabOp, Seed};
use crate::genome::{gene_kind, GeneKind, Genome, GENES, SLOT_TABLE};
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use rand_chacha::ChaCha8Rng;
use rand_core::{OsRng, RngCore, SeedableRng};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub(super) fn routes() -> Router<ApiContext> {
    Router::new().route("/api/preview", post(preview)).route("/api/fuse", post(fuse))
}

/// A parent: an indexed token's id, or any genome as hex.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Parent {
    /// A token id.
    Token(u64),
    /// A genome, 80 hex digits with optional 0x.
    Genome(String),
}

impl Parent {
    fn resolve(&self, ctx: &ApiContext, field: &str) -> Result<Genome, ApiError> {
        match self {
            Parent::Token(id) => Ok(super::tokens::load(ctx, *id)?.genome()),
            Parent::Genome(hex) => Genome::from_hex(hex).map_err(|e| ApiError::BadRequest(format!("{field}: {e}"))),
        }
    }
}

/// A 32-byte seed as `0x` + 64 hex digits, or a fresh random one.
fn seed_from(text: Option<&str>) -> Result<Seed, ApiError> {
    let mut seed = [0u8; 32];
    match text {
        Some(t) => {
            let digits = t.strip_prefix("0x").unwrap_or(t);
            if digits.len() != 64 {
                return Err(ApiError::BadRequest(format!("seed must be 0x + 64 hex digits, got {} digits", digits.len())));
            }
            hex::decode_to_slice(digits, &mut seed).map_err(|_| ApiError::BadRequest("seed has a non-hex digit".into()))?;
        }
        None => OsRng.fill_bytes(&mut seed),
    }
    Ok(seed)
}

/// Possible children of two parents under the on-chain law.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewRequest {
    /// The matron (token id or genome hex).
    pub matron: Parent,
    /// The sire (token id or genome hex).
    pub sire: Parent,
    /// How many sample children, 1..=64 (default 8).
    pub samples: Option<usize>,
    /// Seed for reproducible samples (0x + 64 hex); random if absent.
    pub seed: Option<String>,
}

/// One possible child.
#[derive(Debug, Serialize, ToSchema)]
pub struct Child {
    /// The child's genome hex.
    pub genome_hex: String,
    /// The birth seed that gives this child.
    pub seed: String,
    /// Its portrait.
    pub image: String,
}

/// Per-gene odds of where a child's main value comes from, exact under the law.
#[derive(Debug, Serialize, ToSchema)]
pub struct GeneOdds {
    /// Gene index 0..39.
    pub gene: usize,
    /// The attribute slot's name, for genes 32..39.
    pub slot: Option<&'static str>,
    /// The four candidate values: matron main, matron sub, sire main, sire sub (names for attributes).
    #[schema(value_type = Vec<Object>)]
    pub values: [serde_json::Value; 4],
    /// P(child main = each candidate's value by inheritance), before mutation, same order.
    pub odds: [f64; 4],
    /// P(the child's main value mutates).
    pub mutation: f64,
}

/// Sample children and exact inheritance odds.
#[derive(Debug, Serialize, ToSchema)]
pub struct Preview {
    /// Sample children, each with the seed that makes it.
    pub children: Vec<Child>,
    /// For every gene, where the child's main value comes from.
    pub inheritance: Vec<GeneOdds>,
}

fn child(ctx: &ApiContext, genome: Genome, seed: Seed) -> Child {
    Child {
        genome_hex: genome.to_hex(),
        seed: format!("0x{}", hex::encode(seed)),
        image: format!("{}/api/genomes/{}/image.png", ctx.public_url, genome.to_hex()),
    }
}

/// Sample the children two parents could have, with per-gene inheritance odds.
#[utoipa::path(post, path = "/api/preview", tag = "fusion", request_body = PreviewRequest,
    responses((status = 200, body = Preview), (status = 400, body = super::error::ErrorBody), (status = 404, body = super::error::ErrorBody)))]
pub async fn preview(State(ctx): State<ApiContext>, AppJson(req): AppJson<PreviewRequest>) -> Result<Json<Preview>, ApiError> {
    let samples = req.samples.unwrap_or(8);
    if !(1..=64).contains(&samples) {
        return Err(ApiError::BadRequest(format!("samples must be 1..=64, got {samples}")));
    }
    let matron = req.matron.resolve(&ctx, "matron")?;
    let sire = req.sire.resolve(&ctx, "sire")?;
    let law = BreedingLaw::ONCHAIN;
    let mut rng = ChaCha8Rng::from_seed(seed_from(req.seed.as_deref())?);
    let children = (0..samples)
        .map(|_| {
            let mut seed = [0u8; 32];
            rng.fill_bytes(&mut seed);
            child(&ctx, fusion::breed(&matron, &sire, &seed, &law), seed)
        })
        .collect();
    let inheritance = (0..GENES)
        .map(|g| {
            let (m, s) = (matron.gene(g), sire.gene(g));
            let name = |v: u8| -> serde_json::Value {
                match gene_kind(g) {
                    GeneKind::Code => v.into(),
                    GeneKind::Attribute { slot } => SLOT_TABLE[slot].value_name(v).into(),
                }
            };
            GeneOdds {
                gene: g,
                slot: match gene_kind(g) {
                    GeneKind::Code => None,
                    GeneKind::Attribute { slot } => Some(SLOT_TABLE[slot].name),
                },
                values: [name(m.main), name(m.sub), name(s.main), name(s.sub)],
                odds: fusion::main_source_odds(&law, g),
                mutation: law.mutation_rate(g),
            }
        })
        .collect();
    Ok(Json(Preview { children, inheritance }))
}

/// A lab fusion request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FuseRequest {
    /// Two to eight parents (token ids or genome hex).
    pub parents: Vec<Parent>,
    /// The operator: crossover, kpoint:K, mean, weighted:w1,w2,…, geometric, harmonic,
    /// exponential, perturb:σ, or, and, xor, not, blend.
    pub op: String,
    /// Seed (0x + 64 hex); random if absent.
    pub seed: Option<String>,
}

/// Fuse parents with any lab operator of the engine (not minted).
#[utoipa::path(post, path = "/api/fuse", tag = "fusion", request_body = FuseRequest,
    responses((status = 200, body = Child), (status = 400, body = super::error::ErrorBody), (status = 404, body = super::error::ErrorBody)))]
pub async fn fuse(State(ctx): State<ApiContext>, AppJson(req): AppJson<FuseRequest>) -> Result<Json<Child>, ApiError> {
    if !(1..=8).contains(&req.parents.len()) {
        return Err(ApiError::BadRequest(format!("parents must hold 1 to 8 parents, got {}", req.parents.len())));
    }
    let parents = req
        .parents
        .iter()
        .enumerate()
        .map(|(i, p)| p.resolve(&ctx, &format!("parents[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    let op: LabOp = req.op.parse().map_err(|e: fusion::FusionError| ApiError::BadRequest(format!("op: {e}")))?;
    let seed = seed_from(req.seed.as_deref())?;
    let genome = fusion::fuse(&parents, &op, &seed, &BreedingLaw::ONCHAIN)?;
    Ok(Json(child(&ctx, genome, seed)))
}
