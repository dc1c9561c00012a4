//! Sign-In with Ethereum against the real router and a real (temporary) sled store: the happy
//! path, and every refusal — replayed nonce, unknown nonce, wrong domain, wrong URI, wrong chain,
//! expired message, a signature by another wallet — plus sign-out. Signatures are real
//! secp256k1 signatures by anvil's dev keys; no chain is needed.

use alloy::signers::local::PrivateKeySigner;
use alloy::signers::SignerSync;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use chimera::api::{router, ApiContext, ChainInfo};
use chimera::dev::DEV_KEYS;
use chimera::store::Store;
use serde_json::Value;
use tower::ServiceExt;

const PUBLIC: &str = "http://127.0.0.1:8080";

fn app() -> axum::Router {
    let chain = ChainInfo { chain_id: 31337, address: "0x5FbDB2315678afecb367f032d93F642f64180aa3".into(), deploy_block: 1 };
    router(ApiContext::new(Store::temporary().unwrap(), Err("not needed here".into()), chain, PUBLIC), None)
}

async fn call(app: &axum::Router, req: Request<Body>) -> (StatusCode, Option<String>, Value) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let cookie = res.headers().get(header::SET_COOKIE).map(|v| v.to_str().unwrap().to_string());
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    (status, cookie, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

async fn nonce(app: &axum::Router) -> String {
    let (status, _, body) = call(app, Request::get("/api/auth/nonce").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["domain"], "127.0.0.1:8080");
    body["nonce"].as_str().unwrap().to_string()
}

struct Msg<'a> {
    domain: &'a str,
    uri: &'a str,
    chain_id: u64,
    nonce: &'a str,
    expiration: Option<&'a str>,
}

fn message(m: &Msg, address: alloy::primitives::Address) -> String {
    let mut text = format!(
        "{} wants you to sign in with your Ethereum account:\n{address}\n\nSign in to Chimera.\n\nURI: {}\nVersion: 1\nChain ID: {}\nNonce: {}\nIssued At: 2026-01-01T00:00:00Z",
        m.domain, m.uri, m.chain_id, m.nonce
    );
    if let Some(e) = m.expiration {
        text.push_str(&format!("\nExpiration Time: {e}"));
    }
    text
}

async fn verify(app: &axum::Router, text: &str, signer: &PrivateKeySigner) -> (StatusCode, Option<String>, Value) {
    let signature = signer.sign_message_sync(text.as_bytes()).unwrap();
    let body = serde_json::json!({ "message": text, "signature": format!("0x{}", alloy::hex::encode(signature.as_bytes())) });
    let req = Request::post("/api/auth/verify").header(header::CONTENT_TYPE, "application/json").body(Body::from(body.to_string())).unwrap();
    call(app, req).await
}

fn me_request(cookie: Option<&str>) -> Request<Body> {
    let mut req = Request::get("/api/me");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c.split(';').next().unwrap());
    }
    req.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn sign_in_happy_path_and_sign_out() {
    let app = app();
    let wallet: PrivateKeySigner = DEV_KEYS[0].parse().unwrap();
    let n = nonce(&app).await;
    let text = message(&Msg { domain: "127.0.0.1:8080", uri: PUBLIC, chain_id: 31337, nonce: &n, expiration: Some("2099-01-01T00:00:00Z") }, wallet.address());
    let (status, cookie, body) = verify(&app, &text, &wallet).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let cookie = cookie.expect("a session cookie");
    assert!(cookie.contains("HttpOnly") && cookie.starts_with("chimera_session="));
    assert_eq!(body["address"], wallet.address().to_checksum(None));

    let (status, _, me) = call(&app, me_request(Some(&cookie))).await;
    assert_eq!((status, me["address"].as_str()), (StatusCode::OK, Some(wallet.address().to_checksum(None).as_str())));

    // Replaying the same signed message: its nonce is spent.
    let (status, _, body) = verify(&app, &text, &wallet).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body["error"].as_str().unwrap().contains("already used nonce"), "{body}");

    let logout = Request::post("/api/auth/logout").header(header::COOKIE, cookie.split(';').next().unwrap()).body(Body::empty()).unwrap();
    assert_eq!(call(&app, logout).await.0, StatusCode::NO_CONTENT);
    let (status, _, body) = call(&app, me_request(Some(&cookie))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body["error"].as_str().unwrap().contains("signed out"), "{body}");
    let (status, _, body) = call(&app, me_request(None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body["error"].as_str().unwrap().contains("no session cookie"));
}

#[tokio::test]
async fn every_bad_sign_in_is_refused_with_its_reason() {
    let app = app();
    let wallet: PrivateKeySigner = DEV_KEYS[1].parse().unwrap();
    let other: PrivateKeySigner = DEV_KEYS[2].parse().unwrap();
    #[derive(Clone, Copy)]
    struct Case {
        name: &'static str,
        domain: &'static str,
        uri: &'static str,
        chain_id: u64,
        expiration: Option<&'static str>,
        fake_nonce: bool,
        sign_with_other: bool,
        needle: &'static str,
    }
    let base = Case { name: "", domain: "127.0.0.1:8080", uri: PUBLIC, chain_id: 31337, expiration: None, fake_nonce: false, sign_with_other: false, needle: "" };
    let cases = [
        Case { name: "wrong domain", domain: "evil.example", needle: "for domain \"evil.example\"", ..base },
        Case { name: "wrong uri", uri: "https://evil.example/login", needle: "URI", ..base },
        Case { name: "wrong chain", chain_id: 1, needle: "for chain 1", ..base },
        Case { name: "expired", expiration: Some("2020-01-01T00:00:00Z"), needle: "expired", ..base },
        Case { name: "unknown nonce", fake_nonce: true, needle: "unknown or already used nonce", ..base },
        Case { name: "another wallet's signature", sign_with_other: true, needle: "not by", ..base },
    ];
    for case in cases {
        let n = if case.fake_nonce { "deadbeefdeadbeef".to_string() } else { nonce(&app).await };
        let text = message(&Msg { domain: case.domain, uri: case.uri, chain_id: case.chain_id, nonce: &n, expiration: case.expiration }, wallet.address());
        let (status, cookie, body) = verify(&app, &text, if case.sign_with_other { &other } else { &wallet }).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{}: {body}", case.name);
        assert!(cookie.is_none(), "{}: no session on refusal", case.name);
        assert!(body["error"].as_str().unwrap().contains(case.needle), "{}: {body}", case.name);
    }
    // Malformed requests are 400s, not 500s.
    for (body, needle) in [
        (serde_json::json!({"message": "hello", "signature": "0x00"}), "first line"),
        (serde_json::json!({"message": message(&Msg { domain: "127.0.0.1:8080", uri: PUBLIC, chain_id: 31337, nonce: "abcdefgh12", expiration: None }, wallet.address()), "signature": "0x1234"}), "65 bytes"),
        (serde_json::json!({"signature": "0x00"}), "message"),
    ] {
        let req = Request::post("/api/auth/verify").header(header::CONTENT_TYPE, "application/json").body(Body::from(body.to_string())).unwrap();
        let (status, _, reply) = call(&app, req).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{reply}");
        assert!(reply["error"].as_str().unwrap().contains(needle), "{reply}");
    }
}
