//! `/api/taste…`: each signed-in owner's taste model (the latent-space classifier patent). The
//! owner labels generated characters (swipe, slider, pick 1 of 2 / 1 of 4, custom classes); the
//! model is refitted from the stored labels on every request that needs it (≤ 2 ms for 1 000
//! labels, so there is no stale cache to keep), and then scores, ranks the indexed tokens,
//! reverse-classifies to an ideal, nudges a token, matches owners, forms groups and ranks mates.
//!
//! Every route takes an [`AuthUser`]: a model is only ever changed by its owner.

use super::auth::AuthUser;
use super::error::ApiError;
use super::extract::{AppJson, AppPath, AppQuery};
use super::ApiContext;
use crate::fusion::BreedingLaw;
use crate::genome::Genome;
use crate::preference::{
    self, blend, cross_validate, learning_curve, median, next_batch, Entry, FitOptions, Goal, Label, LabelBook, LabelMode,
    PreferenceError, QueueOptions, SteerOptions, Task, TasteModel,
};
use alloy::primitives::Address;
use axum::extract::State;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::{IntoParams, ToSchema};

pub(super) fn routes() -> Router<ApiContext> {
    Router::new()
        .route("/api/taste", get(status))
        .route("/api/taste/labels", get(list_labels).post(add_label).delete(delete_labels))
        .route("/api/taste/skip", post(skip))
        .route("/api/taste/undo", post(undo))
        .route("/api/taste/classes", put(set_classes))
        .route("/api/taste/queue", get(queue))
        .route("/api/taste/score", post(score))
        .route("/api/taste/rank", get(rank))
        .route("/api/taste/ideal", get(ideal))
        .route("/api/taste/nudge/{id}", get(nudge))
        .route("/api/taste/mates/{id}", get(mates))
        .route("/api/taste/match/{address}", get(match_owner))
        .route("/api/taste/group", post(group))
}

impl From<PreferenceError> for ApiError {
    fn from(e: PreferenceError) -> Self {
        match e {
            PreferenceError::NoLabels => ApiError::Unprocessable(format!("{e}: label some characters first (GET /api/taste/queue)")),
            other => ApiError::BadRequest(other.to_string()),
        }
    }
}

/// Which of an owner's two label books: the like/dislike taste, or their custom classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Book {
    /// Swipes, sliders and picks: one like/dislike taste.
    #[default]
    Taste,
    /// The owner's named classes.
    Classes,
}

impl Book {
    fn key(self) -> &'static str {
        match self {
            Book::Taste => "taste",
            Book::Classes => "classes",
        }
    }

    fn of(label: &Label) -> Book {
        match label {
            Label::Class { .. } => Book::Classes,
            _ => Book::Taste,
        }
    }
}

fn owner_key(user: &AuthUser) -> [u8; 20] {
    user.address.into_array()
}

fn load_book(ctx: &ApiContext, owner: &[u8; 20], book: Book) -> Result<LabelBook, ApiError> {
    match ctx.store.label_book(owner, book.key())? {
        Some(b) => Ok(b),
        None if book == Book::Taste => Ok(LabelBook::taste()),
        None => Err(ApiError::NotFound("no classes defined yet: PUT /api/taste/classes {\"names\": [...]} first".into())),
    }
}

/// How the API fits owners' models: with relevance rounds, which find the few genes a taste
/// depends on (measured here on a one-slot taste: 88 % on random characters after 40 queue
/// labels, against 53 % for the plain L2 fit), at the cost of a dozen fits instead of one.
fn fit_options() -> FitOptions {
    FitOptions { relevance: true, ..FitOptions::default() }
}

fn fit(book: &LabelBook) -> Result<TasteModel, ApiError> {
    Ok(TasteModel::fit(book, &fit_options())?)
}

/// An owner's fitted taste model (for `Goal::Like`), or a 422 saying to label first.
fn taste_model(ctx: &ApiContext, owner: &[u8; 20]) -> Result<TasteModel, ApiError> {
    fit(&load_book(ctx, owner, Book::Taste)?)
}

fn goal_for(model: &TasteModel, class: Option<usize>) -> Goal {
    match (model.task(), class) {
        (Task::Classes { .. }, Some(c)) => Goal::Class(c),
        (Task::Classes { .. }, None) => Goal::Class(0),
        (Task::Taste, _) => Goal::Like,
    }
}

fn image(ctx: &ApiContext, g: &Genome) -> String {
    format!("{}/api/genomes/{}/image.png", ctx.public_url, g.to_hex())
}

/// The seed of a queue batch, an ideal's variations or a steering sample: a function of the
/// owner, what they have labelled so far and the purpose, so the same state gives the same answer
/// (reproducible, cacheable, testable) and every new label gives a new draw.
fn state_seed(owner: &[u8; 20], book: &LabelBook, purpose: &str) -> [u8; 32] {
    let mut input = owner.to_vec();
    input.extend_from_slice(&(book.entries().len() as u64).to_be_bytes());
    input.extend_from_slice(purpose.as_bytes());
    alloy::primitives::keccak256(input).0
}

/// Which book a request is about.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BookQuery {
    /// `taste` (default) or `classes`.
    pub book: Option<Book>,
}

/// How an owner's model stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct TasteStatus {
    /// Which book.
    pub book: Book,
    /// What it learns (taste, or the class names).
    #[schema(value_type = Object)]
    pub task: Value,
    /// Labels given.
    pub labels: usize,
    /// Characters skipped.
    pub skips: usize,
    /// The fitted model's summary; only in `GET /api/taste`, from the first label on.
    #[schema(value_type = Object)]
    pub model: Option<Value>,
    /// k-fold held-out accuracy; absent with too few labels.
    #[schema(value_type = Object)]
    pub validation: Option<Value>,
    /// Accuracy against the number of labels used.
    #[schema(value_type = Vec<Object>)]
    pub learning_curve: Vec<Value>,
}

/// The book's status. `evaluate` refits the model and adds its k-fold accuracy and learning curve
/// (dozens of fits): `GET /api/taste` asks for them; a label's reply only counts, so labelling
/// stays instant — every use of the model refits from the stored labels anyway.
fn status_of(book: &LabelBook, which: Book, evaluate: bool) -> Result<TasteStatus, ApiError> {
    let labels = book.labels().count();
    let skips = book.entries().iter().filter(|e| matches!(e, Entry::Skipped { .. })).count();
    let options = fit_options();
    let model = if evaluate && labels > 0 { TasteModel::fit(book, &options).ok() } else { None };
    let validation = if evaluate && labels >= 4 { cross_validate(book, &options, 5).ok() } else { None };
    let curve = if evaluate && labels >= 8 { learning_curve(book, &options, 5, 8).unwrap_or_default() } else { Vec::new() };
    Ok(TasteStatus {
        book: which,
        task: to_value(book.task()),
        labels,
        skips,
        model: model.as_ref().map(|m| to_value(m.summary())),
        validation: validation.as_ref().map(to_value),
        learning_curve: curve.iter().map(to_value).collect(),
    })
}

/// Run a model computation (fits with relevance rounds, k-fold evaluation, ideal search, steering
/// samples) on Tokio's blocking pool: tens of milliseconds to seconds of CPU must not stall the
/// async workers that serve every other request.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, ApiError> + Send + 'static) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| ApiError::Internal(format!("taste computation failed: {e}")))?
}

/// An engine value as JSON, for the response fields documented as `Object` (the engine's types
/// carry serde, not OpenAPI schemas).
fn to_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// The owner's model: labels, accuracy, learning curve.
#[utoipa::path(get, path = "/api/taste", tag = "taste", params(BookQuery),
    responses((status = 200, body = TasteStatus), (status = 401, body = super::error::ErrorBody), (status = 404, body = super::error::ErrorBody)))]
pub async fn status(State(ctx): State<ApiContext>, user: AuthUser, AppQuery(q): AppQuery<BookQuery>) -> Result<Json<TasteStatus>, ApiError> {
    blocking(move || {
        let which = q.book.unwrap_or_default();
        Ok(Json(status_of(&load_book(&ctx, &owner_key(&user), which)?, which, true)?))
    })
    .await
}

/// A label to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddLabel {
    /// `{"kind":"swipe","genome":"0x…","like":true}`, `{"kind":"slider","genome":"0x…","value":0.7}`,
    /// `{"kind":"pick","shown":["0x…","0x…"],"chosen":1}` or `{"kind":"class","genome":"0x…","class":2}`.
    #[schema(value_type = Object)]
    pub label: Value,
}

/// Add one label; the model is refitted and its status returned (without the k-fold figures,
/// which `GET /api/taste` computes).
#[utoipa::path(post, path = "/api/taste/labels", tag = "taste", request_body = AddLabel,
    responses((status = 200, body = TasteStatus), (status = 400, body = super::error::ErrorBody), (status = 401, body = super::error::ErrorBody)))]
pub async fn add_label(State(ctx): State<ApiContext>, user: AuthUser, AppJson(req): AppJson<AddLabel>) -> Result<Json<TasteStatus>, ApiError> {
    let label: Label = serde_json::from_value(req.label).map_err(|e| ApiError::BadRequest(format!("label: {e}")))?;
    let which = Book::of(&label);
    let owner = owner_key(&user);
    let mut book = load_book(&ctx, &owner, which)?;
    book.add(label)?;
    ctx.store.put_label_book(&owner, which.key(), Some(&book))?;
    Ok(Json(status_of(&book, which, false)?))
}

/// A character the owner skipped.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SkipRequest {
    /// The genome shown.
    pub genome: String,
    /// Which book's queue it came from (default taste).
    pub book: Option<Book>,
}

/// Skip a character: nothing is learned, the queue will not show it again.
#[utoipa::path(post, path = "/api/taste/skip", tag = "taste", request_body = SkipRequest,
    responses((status = 200, body = TasteStatus), (status = 400, body = super::error::ErrorBody), (status = 401, body = super::error::ErrorBody)))]
pub async fn skip(State(ctx): State<ApiContext>, user: AuthUser, AppJson(req): AppJson<SkipRequest>) -> Result<Json<TasteStatus>, ApiError> {
    let genome = Genome::from_hex(&req.genome).map_err(|e| ApiError::BadRequest(format!("genome: {e}")))?;
    let which = req.book.unwrap_or_default();
    let owner = owner_key(&user);
    let mut book = load_book(&ctx, &owner, which)?;
    book.skip(genome);
    ctx.store.put_label_book(&owner, which.key(), Some(&book))?;
    Ok(Json(status_of(&book, which, false)?))
}

/// Undo the last label or skip.
#[utoipa::path(post, path = "/api/taste/undo", tag = "taste", params(BookQuery),
    responses((status = 200, body = TasteStatus), (status = 401, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn undo(State(ctx): State<ApiContext>, user: AuthUser, AppQuery(q): AppQuery<BookQuery>) -> Result<Json<TasteStatus>, ApiError> {
    let which = q.book.unwrap_or_default();
    let owner = owner_key(&user);
    let mut book = load_book(&ctx, &owner, which)?;
    if book.undo().is_none() {
        return Err(ApiError::Unprocessable("nothing to undo".into()));
    }
    ctx.store.put_label_book(&owner, which.key(), Some(&book))?;
    Ok(Json(status_of(&book, which, false)?))
}

/// Every label and skip, oldest first.
#[utoipa::path(get, path = "/api/taste/labels", tag = "taste", params(BookQuery),
    responses((status = 200, description = "The book's entries", body = Vec<Object>), (status = 401, body = super::error::ErrorBody), (status = 404, body = super::error::ErrorBody)))]
pub async fn list_labels(State(ctx): State<ApiContext>, user: AuthUser, AppQuery(q): AppQuery<BookQuery>) -> Result<Json<Value>, ApiError> {
    let book = load_book(&ctx, &owner_key(&user), q.book.unwrap_or_default())?;
    Ok(Json(serde_json::to_value(book.entries()).map_err(|e| ApiError::Internal(e.to_string()))?))
}

/// Delete every label of a book.
#[utoipa::path(delete, path = "/api/taste/labels", tag = "taste", params(BookQuery),
    responses((status = 200, body = TasteStatus), (status = 401, body = super::error::ErrorBody)))]
pub async fn delete_labels(State(ctx): State<ApiContext>, user: AuthUser, AppQuery(q): AppQuery<BookQuery>) -> Result<Json<TasteStatus>, ApiError> {
    let which = q.book.unwrap_or_default();
    let owner = owner_key(&user);
    let empty = match which {
        Book::Taste => LabelBook::taste(),
        Book::Classes => LabelBook::new(load_book(&ctx, &owner, which)?.task().clone()),
    };
    ctx.store.put_label_book(&owner, which.key(), Some(&empty))?;
    Ok(Json(status_of(&empty, which, false)?))
}

/// The owner's class names.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassesRequest {
    /// Two or more distinct names, e.g. `["kiss", "marry", "kill"]`.
    pub names: Vec<String>,
}

/// Define custom classes (starts a fresh classes book).
#[utoipa::path(put, path = "/api/taste/classes", tag = "taste", request_body = ClassesRequest,
    responses((status = 200, body = TasteStatus), (status = 400, body = super::error::ErrorBody), (status = 401, body = super::error::ErrorBody)))]
pub async fn set_classes(State(ctx): State<ApiContext>, user: AuthUser, AppJson(req): AppJson<ClassesRequest>) -> Result<Json<TasteStatus>, ApiError> {
    let book = LabelBook::classes(req.names)?;
    ctx.store.put_label_book(&owner_key(&user), Book::Classes.key(), Some(&book))?;
    Ok(Json(status_of(&book, Book::Classes, false)?))
}

/// What the next batch should look like.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct QueueQuery {
    /// swipe (default), slider, pick_two, pick_four or classes.
    #[param(value_type = Option<String>)]
    pub mode: Option<LabelMode>,
    /// Prompts in the batch, 1..=50 (default 10).
    pub prompts: Option<usize>,
}

/// The next batch to label, with portraits.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueBatch {
    /// True when no model guided the batch yet.
    pub cold_start: bool,
    /// The prompts: genomes, their predicted like probability, why each was chosen, image URLs.
    #[schema(value_type = Vec<Object>)]
    pub prompts: Vec<Value>,
}

/// The next batch of characters to label: balanced, uncertain, diverse, with exploration.
#[utoipa::path(get, path = "/api/taste/queue", tag = "taste", params(QueueQuery),
    responses((status = 200, body = QueueBatch), (status = 400, body = super::error::ErrorBody), (status = 401, body = super::error::ErrorBody)))]
pub async fn queue(State(ctx): State<ApiContext>, user: AuthUser, AppQuery(q): AppQuery<QueueQuery>) -> Result<Json<QueueBatch>, ApiError> {
    let mode = q.mode.unwrap_or(LabelMode::Swipe);
    let prompts = q.prompts.unwrap_or(10);
    if !(1..=50).contains(&prompts) {
        return Err(ApiError::BadRequest(format!("prompts must be 1..=50, got {prompts}")));
    }
    let which = if mode == LabelMode::Classes { Book::Classes } else { Book::Taste };
    let batch = blocking({
        let ctx = ctx.clone();
        move || {
            let book = load_book(&ctx, &owner_key(&user), which)?;
            let model = if book.labels().next().is_some() { TasteModel::fit(&book, &fit_options()).ok() } else { None };
            let options = QueueOptions { mode, prompts, ..QueueOptions::default() };
            Ok(next_batch(&book, model.as_ref(), &options, state_seed(&owner_key(&user), &book, "queue"))?)
        }
    })
    .await?;
    // Decode the batch's portraits in one generator call, so they are cached when the page asks.
    if let Ok(generator) = &ctx.generator {
        let all: Vec<Genome> = batch.prompts.iter().flat_map(|p| p.genomes.iter().copied()).collect();
        let _ = generator.portraits(&all).await;
    }
    let prompts = batch
        .prompts
        .iter()
        .map(|p| {
            let mut v = serde_json::to_value(p).unwrap_or(Value::Null);
            v["images"] = p.genomes.iter().map(|g| Value::from(image(&ctx, g))).collect();
            v
        })
        .collect();
    Ok(Json(QueueBatch { cold_start: batch.cold_start, prompts }))
}

/// Genomes and/or tokens to score.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreRequest {
    /// Genomes as hex.
    #[serde(default)]
    pub genomes: Vec<String>,
    /// Indexed token ids.
    #[serde(default)]
    pub tokens: Vec<u64>,
    /// Which book's model (default taste).
    pub book: Option<Book>,
}

/// Score genomes and tokens with the owner's model.
#[utoipa::path(post, path = "/api/taste/score", tag = "taste", request_body = ScoreRequest,
    responses((status = 200, description = "One prediction per genome, then per token", body = Vec<Object>), (status = 400, body = super::error::ErrorBody),
        (status = 401, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn score(State(ctx): State<ApiContext>, user: AuthUser, AppJson(req): AppJson<ScoreRequest>) -> Result<Json<Value>, ApiError> {
    blocking(move || {
        if req.genomes.len() + req.tokens.len() > 1000 {
            return Err(ApiError::BadRequest("at most 1000 genomes and tokens per request".into()));
        }
        let model = fit(&load_book(&ctx, &owner_key(&user), req.book.unwrap_or_default())?)?;
        let mut out = Vec::new();
        for (i, hex) in req.genomes.iter().enumerate() {
            let g = Genome::from_hex(hex).map_err(|e| ApiError::BadRequest(format!("genomes[{i}]: {e}")))?;
            out.push(json!({ "genome": g.to_hex(), "prediction": model.predict(&g) }));
        }
        for id in &req.tokens {
            let g = super::tokens::load(&ctx, *id)?.genome();
            out.push(json!({ "token": id, "genome": g.to_hex(), "prediction": model.predict(&g) }));
        }
        Ok(Json(Value::Array(out)))
    })
    .await
}

/// How many to return, and which class to aim at for a classes model.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RankQuery {
    /// Top k, 1..=200 (default 20).
    pub k: Option<usize>,
    /// Which book's model (default taste).
    pub book: Option<Book>,
    /// For a classes model: the class to rank by (default 0).
    pub class: Option<usize>,
}

/// Every indexed token ranked by the owner's taste, top k.
#[utoipa::path(get, path = "/api/taste/rank", tag = "taste", params(RankQuery),
    responses((status = 200, description = "Tokens, best first, with their probability", body = Vec<Object>), (status = 400, body = super::error::ErrorBody),
        (status = 401, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn rank(State(ctx): State<ApiContext>, user: AuthUser, AppQuery(q): AppQuery<RankQuery>) -> Result<Json<Value>, ApiError> {
    blocking(move || {
        let k = q.k.unwrap_or(20);
        if !(1..=200).contains(&k) {
            return Err(ApiError::BadRequest(format!("k must be 1..=200, got {k}")));
        }
        let model = fit(&load_book(&ctx, &owner_key(&user), q.book.unwrap_or_default())?)?;
        let objective = model.objective(goal_for(&model, q.class))?;
        let tokens: Vec<_> = ctx.store.all_tokens().collect::<Result<_, _>>()?;
        let genomes: Vec<Genome> = tokens.iter().map(|t| t.genome()).collect();
        let ranked = preference::rank(&objective, &genomes, k);
        Ok(Json(Value::Array(
            ranked
                .iter()
                .map(|r| {
                    let t = &tokens[r.index];
                    json!({
                        "token": t.id, "probability": r.probability, "log_odds": r.log_odds, "genome": genomes[r.index].to_hex(),
                        "owner": Address::from(t.owner).to_checksum(None), "generation": t.generation,
                        "image": format!("{}/api/tokens/{}/image.png", ctx.public_url, t.id),
                    })
                })
                .collect(),
        )))
    })
    .await
}

/// What ideal to find.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct IdealQuery {
    /// Confidence to reach, in (0, 1) (default 0.99).
    pub target: Option<f64>,
    /// Variations besides the ideal, 0..=16 (default 4).
    pub variations: Option<usize>,
    /// Which book's model (default taste).
    pub book: Option<Book>,
    /// For a classes model: the class (default: an ideal per class).
    pub class: Option<usize>,
    /// Also satisfy this owner's taste: a mutual ideal of two owners.
    pub with: Option<String>,
}

/// The owner's ideal character(s): reverse classification, close to the prior, with variations.
#[utoipa::path(get, path = "/api/taste/ideal", tag = "taste", params(IdealQuery),
    responses((status = 200, description = "Ideals (one, or one per class) with image URLs", body = Vec<Object>), (status = 400, body = super::error::ErrorBody),
        (status = 401, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn ideal(State(ctx): State<ApiContext>, user: AuthUser, AppQuery(q): AppQuery<IdealQuery>) -> Result<Json<Value>, ApiError> {
    blocking(move || {
        let variations = q.variations.unwrap_or(4);
        if variations > 16 {
            return Err(ApiError::BadRequest(format!("variations must be 0..=16, got {variations}")));
        }
        let book = load_book(&ctx, &owner_key(&user), q.book.unwrap_or_default())?;
        let seed = state_seed(&owner_key(&user), &book, "ideal");
        let options = preference::IdealOptions { target: q.target.unwrap_or(0.99), variations, seed, ..Default::default() };
        let model = fit(&book)?;
        let other = match &q.with {
            Some(a) => {
                let address: Address = a.parse().map_err(|_| ApiError::BadRequest(format!("with must be a 0x address, got {a:?}")))?;
                Some(taste_model(&ctx, &address.into_array()).map_err(|_| ApiError::NotFound(format!("{address} has no taste model yet")))?)
            }
            None => None,
        };
        let ideals = match (model.task(), q.class, &other) {
            (Task::Classes { .. }, None, None) => preference::ideal_per_class(&model, &options)?,
            _ => {
                let mut objectives = vec![model.objective(goal_for(&model, q.class))?];
                if let Some(o) = &other {
                    objectives.push(o.objective(Goal::Like)?);
                }
                vec![preference::ideal(&objectives, &options)?]
            }
        };
        let with_images = |c: &preference::IdealCandidate| {
            let mut v = serde_json::to_value(c).unwrap_or(Value::Null);
            v["image"] = image(&ctx, &c.genome).into();
            v
        };
        Ok(Json(Value::Array(
            ideals
                .iter()
                .map(|i| json!({ "best": with_images(&i.best), "variations": i.variations.iter().map(with_images).collect::<Vec<_>>(), "target": i.target, "reached": i.reached }))
                .collect(),
        )))
    })
    .await
}

/// How far to nudge.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct NudgeQuery {
    /// Probability to reach, in (0, 1) (default 0.9).
    pub target: Option<f64>,
}

/// The fewest gene edits (in nibble steps) that raise a token's score to the target.
#[utoipa::path(get, path = "/api/taste/nudge/{id}", tag = "taste", params(("id" = u64, Path, description = "Token id"), NudgeQuery),
    responses((status = 200, description = "Edits, the new genome, before/after probabilities and portraits", body = Object), (status = 400, body = super::error::ErrorBody),
        (status = 401, body = super::error::ErrorBody), (status = 404, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn nudge(
    State(ctx): State<ApiContext>,
    user: AuthUser,
    AppPath(id): AppPath<u64>,
    AppQuery(q): AppQuery<NudgeQuery>,
) -> Result<Json<Value>, ApiError> {
    blocking(move || {
        let token = super::tokens::load(&ctx, id)?;
        let model = taste_model(&ctx, &owner_key(&user))?;
        let result = preference::nudge(&model.objective(Goal::Like)?, &token.genome(), q.target.unwrap_or(0.9))?;
        let mut v = serde_json::to_value(&result).map_err(|e| ApiError::Internal(e.to_string()))?;
        v["token"] = id.into();
        v["image_before"] = format!("{}/api/tokens/{id}/image.png", ctx.public_url).into();
        v["image_after"] = image(&ctx, &result.genome).into();
        Ok(Json(v))
    })
    .await
}

/// How many mates to return.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MatesQuery {
    /// Mates returned, 1..=50 (default 10).
    pub shortlist: Option<usize>,
    /// Threshold t of P(child's like probability ≥ t) (default 0.8).
    pub threshold: Option<f64>,
}

/// Mates for one of the owner's tokens — their own tokens and tokens whose owners approved them
/// for siring — ranked by the exact expected score of the children under the on-chain law, with
/// sampled child-score distributions.
#[utoipa::path(get, path = "/api/taste/mates/{id}", tag = "taste", params(("id" = u64, Path, description = "The owner's token"), MatesQuery),
    responses((status = 200, description = "Mates, best first", body = Vec<Object>), (status = 401, body = super::error::ErrorBody),
        (status = 403, body = super::error::ErrorBody), (status = 404, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn mates(
    State(ctx): State<ApiContext>,
    user: AuthUser,
    AppPath(id): AppPath<u64>,
    AppQuery(q): AppQuery<MatesQuery>,
) -> Result<Json<Value>, ApiError> {
    blocking(move || {
        let owner = owner_key(&user);
        let token = super::tokens::load(&ctx, id)?;
        if token.owner != owner {
            return Err(ApiError::Forbidden(format!("token {id} is not yours (owned by {})", Address::from(token.owner))));
        }
        let shortlist = q.shortlist.unwrap_or(10);
        if !(1..=50).contains(&shortlist) {
            return Err(ApiError::BadRequest(format!("shortlist must be 1..=50, got {shortlist}")));
        }
        let book = load_book(&ctx, &owner, Book::Taste)?;
        let model = fit(&book)?;
        let candidates: Vec<_> = ctx
            .store
            .all_tokens()
            .filter_map(|t| t.ok())
            .filter(|t| t.id != id && t.id != token.matron && t.id != token.sire && t.matron != id && t.sire != id)
            .filter(|t| t.owner == owner || t.siring_approved == Some(owner))
            .collect();
        let genomes: Vec<Genome> = candidates.iter().map(|t| t.genome()).collect();
        let seed = state_seed(&owner, &book, &format!("mates/{id}"));
        let options = SteerOptions { shortlist, threshold: q.threshold.unwrap_or(0.8), seed, ..SteerOptions::default() };
        let ranked = preference::steer(&model.objective(Goal::Like)?, &token.genome(), &genomes, &BreedingLaw::ONCHAIN, &options)?;
        Ok(Json(Value::Array(
            ranked
                .iter()
                .map(|m| {
                    let t = &candidates[m.index];
                    json!({
                        "token": t.id, "owner": Address::from(t.owner).to_checksum(None), "own": t.owner == owner,
                        "expected_score": m.expected_score, "children": m.children,
                        "image": format!("{}/api/tokens/{}/image.png", ctx.public_url, t.id),
                    })
                })
                .collect(),
        )))
    })
    .await
}

/// The mutual score of the signed-in owner and another: each one's taste on the other's tokens.
#[utoipa::path(get, path = "/api/taste/match/{address}", tag = "taste", params(("address" = String, Path, description = "The other owner")),
    responses((status = 200, description = "Mutual liking and each side's favourite token", body = Object), (status = 400, body = super::error::ErrorBody),
        (status = 401, body = super::error::ErrorBody), (status = 404, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn match_owner(State(ctx): State<ApiContext>, user: AuthUser, AppPath(address): AppPath<String>) -> Result<Json<Value>, ApiError> {
    blocking(move || {
        let other: Address = address.parse().map_err(|_| ApiError::BadRequest(format!("address must be a 0x address, got {address:?}")))?;
        let me = owner_key(&user);
        let mine = taste_model(&ctx, &me)?;
        let theirs = taste_model(&ctx, &other.into_array()).map_err(|_| ApiError::NotFound(format!("{other} has no taste model yet")))?;
        let owned = |owner: &[u8; 20]| -> Result<Vec<crate::store::TokenRecord>, ApiError> { Ok(ctx.store.tokens_page(Some(owner), None, 0, 100_000)?.0) };
        let (my_tokens, their_tokens) = (owned(&me)?, owned(&other.into_array())?);
        let g = |ts: &[crate::store::TokenRecord]| ts.iter().map(|t| t.genome()).collect::<Vec<_>>();
        let m = preference::mutual(&mine, &g(&my_tokens), &theirs, &g(&their_tokens))?;
        Ok(Json(json!({
            "me": user.address.to_checksum(None), "other": other.to_checksum(None),
            "i_like_theirs": m.a_likes_b, "they_like_mine": m.b_likes_a, "mutual": m.mutual,
            "my_favourite_of_theirs": m.a_favourite.map(|i| their_tokens[i].id),
            "their_favourite_of_mine": m.b_favourite.map(|i| my_tokens[i].id),
        })))
    })
    .await
}

/// A group of owners whose tastes make one model.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupRequest {
    /// The other members' addresses (the signed-in owner is always a member).
    pub members: Vec<String>,
    /// `blend` (mean log-odds, default), `median` (per weight) or `pool` (one fit on everyone's labels).
    pub mode: Option<String>,
    /// Variations of the group's ideal, 0..=16 (default 4).
    pub variations: Option<usize>,
}

/// The group model of several owners, and the group's ideal character.
#[utoipa::path(post, path = "/api/taste/group", tag = "taste", request_body = GroupRequest,
    responses((status = 200, description = "The group model's summary and ideal", body = Object), (status = 400, body = super::error::ErrorBody),
        (status = 401, body = super::error::ErrorBody), (status = 404, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
pub async fn group(State(ctx): State<ApiContext>, user: AuthUser, AppJson(req): AppJson<GroupRequest>) -> Result<Json<Value>, ApiError> {
    blocking(move || {
        if req.members.is_empty() || req.members.len() > 32 {
            return Err(ApiError::BadRequest(format!("members must list 1 to 32 other owners, got {}", req.members.len())));
        }
        let mut owners = vec![owner_key(&user)];
        for (i, m) in req.members.iter().enumerate() {
            let a: Address = m.parse().map_err(|_| ApiError::BadRequest(format!("members[{i}] must be a 0x address, got {m:?}")))?;
            owners.push(a.into_array());
        }
        let books = owners
            .iter()
            .map(|o| ctx.store.label_book(o, Book::Taste.key())?.ok_or_else(|| ApiError::NotFound(format!("{} has no labels yet", Address::from(*o)))))
            .collect::<Result<Vec<_>, _>>()?;
        let model = match req.mode.as_deref().unwrap_or("blend") {
            "pool" => preference::group::fit_pooled(&books.iter().collect::<Vec<_>>(), &fit_options())?,
            mode @ ("blend" | "median") => {
                let models = books.iter().map(fit).collect::<Result<Vec<_>, _>>()?;
                if mode == "blend" {
                    blend(&models.iter().map(|m| (m, 1.0)).collect::<Vec<_>>())?
                } else {
                    median(&models.iter().collect::<Vec<_>>())?
                }
            }
            other => return Err(ApiError::BadRequest(format!("mode must be blend, median or pool, got {other:?}"))),
        };
        let seed = state_seed(&owners[0], &books[0], "group");
        let options = preference::IdealOptions { variations: req.variations.unwrap_or(4).min(16), seed, ..Default::default() };
        let ideal = preference::ideal(&[model.objective(Goal::Like)?], &options)?;
        Ok(Json(json!({
            "members": owners.iter().map(|o| Address::from(*o).to_checksum(None)).collect::<Vec<_>>(),
            "model": model.summary(),
            "ideal": { "genome": ideal.best.genome.to_hex(), "image": image(&ctx, &ideal.best.genome), "probabilities": ideal.best.probabilities, "reached": ideal.reached },
            "variations": ideal.variations.iter().map(|c| json!({ "genome": c.genome.to_hex(), "image": image(&ctx, &c.genome) })).collect::<Vec<_>>(),
        })))
    })
    .await
}
