//! Sign-In with Ethereum (EIP-4361). A player asks for a nonce, signs the standard message with
//! their wallet (EIP-191 `personal_sign`), and gets an HttpOnly session cookie. Everything
//! owner-only takes an [`AuthUser`], so a handler that needs a signed-in owner says so in its
//! signature.
//!
//! Refused, each with a 401 naming the reason: an unknown, expired or replayed nonce (nonces are
//! single-use), another domain or URI, another chain id, an expired or not-yet-valid message, and a
//! signature by a wallet other than the message's address.

use super::error::ApiError;
use super::extract::AppJson;
use super::ApiContext;
use crate::store::Session;
use alloy::primitives::{Address, Signature};
use axum::extract::{FromRequestParts, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use utoipa::ToSchema;

/// The session cookie's name.
pub const COOKIE_NAME: &str = "chimera_session";
/// How long a nonce may wait for its signature.
const NONCE_TTL_SECS: u64 = 300;
/// Longest session, whatever the message's expiration says.
const SESSION_TTL_SECS: u64 = 24 * 3600;
/// Clock skew tolerated on `Issued At` and `Not Before`.
const SKEW_SECS: i64 = 60;

pub(super) fn routes() -> Router<ApiContext> {
    Router::new()
        .route("/api/auth/nonce", get(nonce))
        .route("/api/auth/verify", post(verify))
        .route("/api/auth/logout", post(logout))
        .route("/api/me", get(me))
}

fn now() -> u64 {
    // The API is an edge: it may read the clock (the pure core never does).
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// What a wallet needs to build the sign-in message.
#[derive(Debug, Serialize, ToSchema)]
pub struct NonceResponse {
    /// Single-use nonce to put in the message's `Nonce:` field.
    pub nonce: String,
    /// Seconds the nonce stays valid.
    pub expires_in: u64,
    /// The `domain` the message must name.
    pub domain: String,
    /// The `URI:` the message must carry.
    pub uri: String,
    /// The `Chain ID:` the message must carry.
    pub chain_id: u64,
}

/// Issue a fresh sign-in nonce.
#[utoipa::path(get, path = "/api/auth/nonce", tag = "auth", responses((status = 200, body = NonceResponse)))]
pub async fn nonce(State(ctx): State<ApiContext>) -> Result<Json<NonceResponse>, ApiError> {
    let mut bytes = [0u8; 12];
    OsRng.fill_bytes(&mut bytes);
    let nonce = hex::encode(bytes); // EIP-4361: at least 8 alphanumeric characters
    ctx.store.put_nonce(&nonce, now() + NONCE_TTL_SECS)?;
    Ok(Json(NonceResponse {
        nonce,
        expires_in: NONCE_TTL_SECS,
        domain: domain_of(&ctx.public_url),
        uri: ctx.public_url.clone(),
        chain_id: ctx.chain.chain_id,
    }))
}

/// A signed sign-in message.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    /// The EIP-4361 message, exactly as signed.
    pub message: String,
    /// The `personal_sign` signature, 0x + 130 hex digits.
    pub signature: String,
}

/// A signed-in wallet.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// The wallet's address (checksummed).
    pub address: String,
    /// The chain it signed in for.
    pub chain_id: u64,
    /// Unix seconds when the session ends.
    pub expires: u64,
    /// How many indexed characters it owns.
    pub tokens: usize,
}

/// The parts of an EIP-4361 message Chimera checks.
#[derive(Debug, PartialEq, Eq)]
struct SiweMessage {
    domain: String,
    address: Address,
    fields: HashMap<String, String>,
}

fn parse_message(text: &str) -> Result<SiweMessage, String> {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default();
    let domain = first
        .strip_suffix(" wants you to sign in with your Ethereum account:")
        .ok_or("the message's first line must be \"<domain> wants you to sign in with your Ethereum account:\"")?
        .to_string();
    let address_line = lines.next().unwrap_or_default().trim();
    let address = address_line.parse::<Address>().map_err(|_| format!("the second line must be the 0x address, got {address_line:?}"))?;
    let mut fields = HashMap::new();
    for line in lines {
        if let Some((key, value)) = line.split_once(": ") {
            if matches!(key, "URI" | "Version" | "Chain ID" | "Nonce" | "Issued At" | "Expiration Time" | "Not Before" | "Request ID") {
                fields.insert(key.to_string(), value.trim().to_string());
            }
        }
    }
    for required in ["URI", "Version", "Chain ID", "Nonce", "Issued At"] {
        if !fields.contains_key(required) {
            return Err(format!("the message has no \"{required}:\" line"));
        }
    }
    Ok(SiweMessage { domain, address, fields })
}

/// `host[:port]` of a URL, the EIP-4361 domain.
fn domain_of(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    rest.split('/').next().unwrap_or(rest).to_string()
}

fn timestamp(fields: &HashMap<String, String>, key: &str) -> Result<Option<i64>, ApiError> {
    fields
        .get(key)
        .map(|v| {
            OffsetDateTime::parse(v, &Rfc3339)
                .map(|t| t.unix_timestamp())
                .map_err(|_| ApiError::Unauthorized(format!("\"{key}\" must be an RFC 3339 time, got {v:?}")))
        })
        .transpose()
}

/// Verify a signed message and start a session (an HttpOnly cookie).
#[utoipa::path(post, path = "/api/auth/verify", tag = "auth", request_body = VerifyRequest,
    responses((status = 200, body = Me, description = "Signed in; the response sets the session cookie"),
        (status = 400, body = super::error::ErrorBody), (status = 401, body = super::error::ErrorBody)))]
pub async fn verify(State(ctx): State<ApiContext>, AppJson(req): AppJson<VerifyRequest>) -> Result<Response, ApiError> {
    let msg = parse_message(&req.message).map_err(|e| ApiError::BadRequest(format!("message: {e}")))?;
    let expected_domain = domain_of(&ctx.public_url);
    if msg.domain != expected_domain {
        return Err(ApiError::Unauthorized(format!("the message is for domain {:?}, this service is {expected_domain:?}", msg.domain)));
    }
    let uri = &msg.fields["URI"];
    if !uri.starts_with(&ctx.public_url) {
        return Err(ApiError::Unauthorized(format!("the message's URI {uri:?} is not under {:?}", ctx.public_url)));
    }
    if msg.fields["Version"] != "1" {
        return Err(ApiError::Unauthorized(format!("unsupported message version {:?} (need 1)", msg.fields["Version"])));
    }
    let chain_id: u64 = msg.fields["Chain ID"].parse().map_err(|_| ApiError::BadRequest("message: \"Chain ID\" must be a number".into()))?;
    if chain_id != ctx.chain.chain_id {
        return Err(ApiError::Unauthorized(format!("the message is for chain {chain_id}, this service is on chain {}", ctx.chain.chain_id)));
    }
    let now = now() as i64;
    if timestamp(&msg.fields, "Issued At")?.is_some_and(|t| t > now + SKEW_SECS) {
        return Err(ApiError::Unauthorized("the message is issued in the future".into()));
    }
    if timestamp(&msg.fields, "Not Before")?.is_some_and(|t| t > now + SKEW_SECS) {
        return Err(ApiError::Unauthorized("the message is not valid yet (Not Before)".into()));
    }
    let expiration = timestamp(&msg.fields, "Expiration Time")?;
    if expiration.is_some_and(|t| t <= now) {
        return Err(ApiError::Unauthorized("the message has expired (Expiration Time)".into()));
    }
    let sig_hex = req.signature.strip_prefix("0x").unwrap_or(&req.signature);
    let sig_bytes = hex::decode(sig_hex).map_err(|_| ApiError::BadRequest("signature must be hex".into()))?;
    let signature = Signature::try_from(sig_bytes.as_slice())
        .map_err(|_| ApiError::BadRequest(format!("signature must be 65 bytes (130 hex digits), got {} bytes", sig_bytes.len())))?;
    let signer = signature
        .recover_address_from_msg(req.message.as_bytes())
        .map_err(|_| ApiError::Unauthorized("the signature does not recover to any address".into()))?;
    if signer != msg.address {
        return Err(ApiError::Unauthorized(format!("the message is signed by {signer}, not by {}", msg.address)));
    }
    // Consume the nonce last, so a malformed attempt does not burn a good nonce.
    let nonce = &msg.fields["Nonce"];
    match ctx.store.take_nonce(nonce)? {
        None => return Err(ApiError::Unauthorized("unknown or already used nonce: ask /api/auth/nonce for a new one".into())),
        Some(exp) if exp < now as u64 => return Err(ApiError::Unauthorized("the nonce expired: ask /api/auth/nonce for a new one".into())),
        Some(_) => {}
    }
    let expires = (now as u64 + SESSION_TTL_SECS).min(expiration.map(|e| e as u64).unwrap_or(u64::MAX));
    let mut id = [0u8; 32];
    OsRng.fill_bytes(&mut id);
    ctx.store.put_session(&id, &Session { address: signer.into_array(), chain_id, expires })?;
    let secure = if ctx.public_url.starts_with("https://") { "; Secure" } else { "" };
    let cookie = format!("{COOKIE_NAME}={}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{secure}", hex::encode(id), expires - now as u64);
    let me = me_of(&ctx, signer, chain_id, expires)?;
    Ok(([(SET_COOKIE, cookie)], Json(me)).into_response())
}

fn me_of(ctx: &ApiContext, address: Address, chain_id: u64, expires: u64) -> Result<Me, ApiError> {
    let (owned, _) = ctx.store.tokens_page(Some(&address.into_array()), None, 0, 10_000)?;
    Ok(Me { address: address.to_checksum(None), chain_id, expires, tokens: owned.len() })
}

/// End the session.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", responses((status = 204, description = "Signed out")))]
pub async fn logout(State(ctx): State<ApiContext>, headers: HeaderMap) -> Result<Response, ApiError> {
    if let Some(id) = session_id(&headers) {
        ctx.store.delete_session(&id)?;
    }
    let clear = format!("{COOKIE_NAME}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    Ok(([(SET_COOKIE, clear)], axum::http::StatusCode::NO_CONTENT).into_response())
}

/// The signed-in wallet.
#[utoipa::path(get, path = "/api/me", tag = "auth", responses((status = 200, body = Me), (status = 401, body = super::error::ErrorBody)))]
pub async fn me(State(ctx): State<ApiContext>, user: AuthUser) -> Result<Json<Me>, ApiError> {
    Ok(Json(me_of(&ctx, user.address, user.chain_id, user.expires)?))
}

fn session_id(headers: &HeaderMap) -> Option<[u8; 32]> {
    let header = headers.get(COOKIE)?.to_str().ok()?;
    let value = header.split(';').filter_map(|c| c.trim().split_once('=')).find(|(k, _)| *k == COOKIE_NAME)?.1;
    let mut id = [0u8; 32];
    hex::decode_to_slice(value, &mut id).ok()?;
    Some(id)
}

/// A signed-in wallet: take it as a handler argument to require a session.
#[derive(Debug, Clone, Copy)]
pub struct AuthUser {
    /// The wallet.
    pub address: Address,
    /// The chain it signed in for.
    pub chain_id: u64,
    /// When the session ends (unix seconds).
    pub expires: u64,
}

impl FromRequestParts<ApiContext> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, ctx: &ApiContext) -> Result<Self, Self::Rejection> {
        let id = session_id(&parts.headers).ok_or_else(|| ApiError::Unauthorized("sign in first: no session cookie".into()))?;
        let session = ctx.store.session(&id)?.ok_or_else(|| ApiError::Unauthorized("the session is unknown or signed out; sign in again".into()))?;
        if session.expires <= now() {
            return Err(ApiError::Unauthorized("the session expired; sign in again".into()));
        }
        Ok(AuthUser { address: Address::from(session.address), chain_id: session.chain_id, expires: session.expires })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_standard_message() {
        let text = "127.0.0.1:8080 wants you to sign in with your Ethereum account:\n0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\n\nSign in to Chimera.\n\nURI: http://127.0.0.1:8080\nVersion: 1\nChain ID: 31337\nNonce: abcdef0123456789\nIssued At: 2026-11-22T18:00:00Z";
        let m = parse_message(text).unwrap();
        assert_eq!(m.domain, "127.0.0.1:8080");
        assert_eq!(m.fields["Chain ID"], "31337");
        assert!(parse_message("hello").unwrap_err().contains("first line"));
        assert!(parse_message(&text.replace("Nonce: abcdef0123456789\n", "")).unwrap_err().contains("Nonce"));
        assert_eq!(domain_of("https://chimera.example/app"), "chimera.example");
    }
}
