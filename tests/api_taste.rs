//! The taste API end to end on the real router and a real (temporary) sled store holding an
//! indexed collection: an owner signs in, labels the queue's batches by a hidden taste, and the
//! model then ranks the collection, finds an ideal, nudges a token and ranks mates accordingly;
//! classes, picks, sliders, undo, matching, groups and every refusal are exercised too.
//! The collection is written through the store's own block-apply path; no chain is needed.

use alloy::primitives::Address;
use alloy::signers::local::PrivateKeySigner;
use alloy::signers::SignerSync;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use chimera::api::{router, ApiContext, ChainInfo};
use chimera::chain::ChainEvent;
use chimera::dev::DEV_KEYS;
use chimera::genome::Genome;
use chimera::store::Store;
use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;
use serde_json::{json, Value};
use tower::ServiceExt;

const PUBLIC: &str = "http://127.0.0.1:8080";

/// The hidden taste: likes dark-ish hair colours (indices 0..8) — half of all characters.
fn likes(g: &Genome) -> bool {
    g.attribute(0) < 8
}

struct World {
    app: axum::Router,
    alice: PrivateKeySigner,
    bob: PrivateKeySigner,
    /// Token genomes by id (index 0 unused).
    genomes: Vec<Genome>,
}

fn world() -> World {
    let store = Store::temporary().unwrap();
    let alice: PrivateKeySigner = DEV_KEYS[0].parse().unwrap();
    let bob: PrivateKeySigner = DEV_KEYS[1].parse().unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let mut genomes = vec![Genome::default()];
    let mut events = Vec::new();
    for id in 1..=60u64 {
        let g = Genome::random(&mut rng);
        genomes.push(g);
        let owner = if id <= 20 { alice.address() } else { bob.address() };
        events.push(ChainEvent::Born { token: id, owner, matron: 0, sire: 0, generation: 0, genome: g, block: 1 });
    }
    events.push(ChainEvent::SiringApproved { sire: 21, matron_owner: alice.address() });
    store.apply_block(1, [1; 32], &events).unwrap();
    let chain = ChainInfo { chain_id: 31337, address: Address::ZERO.to_checksum(None), deploy_block: 1 };
    World { app: router(ApiContext::new(store, Err("not needed here".into()), chain, PUBLIC), None), alice, bob, genomes }
}

async fn call(app: &axum::Router, method: Method, path: &str, cookie: Option<&str>, body: Option<Value>) -> (StatusCode, Value, Option<String>) {
    let mut req = Request::builder().method(method).uri(path);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let req = match body {
        Some(b) => req.header(header::CONTENT_TYPE, "application/json").body(Body::from(b.to_string())),
        None => req.body(Body::empty()),
    }
    .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let set_cookie = res.headers().get(header::SET_COOKIE).map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string());
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 24).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null), set_cookie)
}

async fn sign_in(app: &axum::Router, wallet: &PrivateKeySigner) -> String {
    let (_, nonce, _) = call(app, Method::GET, "/api/auth/nonce", None, None).await;
    let text = format!(
        "127.0.0.1:8080 wants you to sign in with your Ethereum account:\n{}\n\nSign in to Chimera.\n\nURI: {PUBLIC}\nVersion: 1\nChain ID: 31337\nNonce: {}\nIssued At: 2026-01-01T00:00:00Z",
        wallet.address(),
        nonce["nonce"].as_str().unwrap()
    );
    let sig = wallet.sign_message_sync(text.as_bytes()).unwrap();
    let body = json!({ "message": text, "signature": format!("0x{}", alloy::hex::encode(sig.as_bytes())) });
    let (status, _, cookie) = call(app, Method::POST, "/api/auth/verify", None, Some(body)).await;
    assert_eq!(status, StatusCode::OK);
    cookie.unwrap()
}

fn genome(v: &Value) -> Genome {
    Genome::from_hex(v.as_str().unwrap()).unwrap()
}

/// Label `batches` queue batches (swipe mode) by the hidden taste.
async fn train(app: &axum::Router, cookie: &str, batches: usize) -> Value {
    let mut last = Value::Null;
    for _ in 0..batches {
        let (status, batch, _) = call(app, Method::GET, "/api/taste/queue?prompts=10", Some(cookie), None).await;
        assert_eq!(status, StatusCode::OK, "{batch}");
        for p in batch["prompts"].as_array().unwrap() {
            let g = genome(&p["genomes"][0]);
            assert!(p["images"][0].as_str().unwrap().ends_with("/image.png"));
            let label = json!({ "label": { "kind": "swipe", "genome": g.to_hex(), "like": likes(&g) } });
            let (status, status_body, _) = call(app, Method::POST, "/api/taste/labels", Some(cookie), Some(label)).await;
            assert_eq!(status, StatusCode::OK, "{status_body}");
            last = status_body;
        }
    }
    last
}

#[tokio::test]
async fn an_owner_teaches_a_taste_and_the_model_uses_it() {
    let w = world();
    let cookie = sign_in(&w.app, &w.alice).await;

    // Before any label: a clear 422, not a 500.
    let (status, body, _) = call(&w.app, Method::GET, "/api/taste/rank", Some(&cookie), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"].as_str().unwrap().contains("label some characters first"));

    let after = train(&w.app, &cookie, 8).await;
    assert_eq!(after["labels"], 80);
    let (_, status, _) = call(&w.app, Method::GET, "/api/taste", Some(&cookie), None).await;
    assert!(status["validation"]["accuracy"].as_f64().is_some() && !status["learning_curve"].as_array().unwrap().is_empty(), "{status}");

    // Judged on the whole collection (random characters, none chosen by the queue).
    let tokens: Vec<u64> = (1..=60).collect();
    let (_, scores, _) = call(&w.app, Method::POST, "/api/taste/score", Some(&cookie), Some(json!({ "tokens": tokens }))).await;
    let right = scores.as_array().unwrap().iter().filter(|s| {
        let g = genome(&s["genome"]);
        (s["prediction"]["like"].as_f64().unwrap() >= 0.5) == likes(&g)
    }).count();
    eprintln!("accuracy on the collection after 80 labels: {right}/60; k-fold on the labels: {}", status["validation"]["accuracy"]);
    assert!(right >= 51, "accuracy on the collection after 80 labels: {right}/60");

    // Rank the whole collection: the top tokens are liked by the hidden taste.
    let (_, ranked, _) = call(&w.app, Method::GET, "/api/taste/rank?k=10", Some(&cookie), None).await;
    let top: Vec<u64> = ranked.as_array().unwrap().iter().map(|r| r["token"].as_u64().unwrap()).collect();
    assert_eq!(top.len(), 10);
    let liked = top.iter().filter(|id| likes(&w.genomes[**id as usize])).count();
    assert!(liked >= 9, "{liked} of the top 10 are liked: {top:?}");

    // The ideal is liked, at the target confidence.
    let (_, ideals, _) = call(&w.app, Method::GET, "/api/taste/ideal?variations=3&target=0.9", Some(&cookie), None).await;
    let best = &ideals[0]["best"];
    assert!(ideals[0]["reached"].as_bool().unwrap(), "{ideals}");
    assert!(likes(&genome(&best["genome"])) && best["probabilities"][0].as_f64().unwrap() >= 0.9, "{best}");
    assert!(best["latent_rms"].as_f64().unwrap() < 1.5, "the ideal stays near the prior: {best}");
    assert_eq!(ideals[0]["variations"].as_array().unwrap().len(), 3);

    // Nudge a disliked token of Bob's until the model likes it.
    let disliked = (21..=60).find(|id| !likes(&w.genomes[*id])).unwrap();
    let (status, nudged, _) = call(&w.app, Method::GET, &format!("/api/taste/nudge/{disliked}?target=0.9"), Some(&cookie), None).await;
    assert_eq!(status, StatusCode::OK, "{nudged}");
    assert!(nudged["reached"].as_bool().unwrap() && nudged["after"].as_f64().unwrap() >= 0.9);
    assert!(nudged["edits"].as_array().unwrap().iter().any(|e| e["gene"] == 32), "hair colour is the edit that matters: {nudged}");

    // Mates: own tokens and Bob's token 21 (approved for Alice), nobody else's.
    let (status, mates, _) = call(&w.app, Method::GET, "/api/taste/mates/1?shortlist=50", Some(&cookie), None).await;
    assert_eq!(status, StatusCode::OK, "{mates}");
    let ids: Vec<u64> = mates.as_array().unwrap().iter().map(|m| m["token"].as_u64().unwrap()).collect();
    assert!(ids.contains(&21) && ids.iter().all(|id| *id <= 21 && *id != 1), "{ids:?}");
    let scores: Vec<f64> = mates.as_array().unwrap().iter().map(|m| m["expected_score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "ranked by expected child score");
    let (status, _, _) = call(&w.app, Method::GET, "/api/taste/mates/30", Some(&cookie), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only for one's own tokens");

    // Undo takes the last label back.
    let (_, undone, _) = call(&w.app, Method::POST, "/api/taste/undo", Some(&cookie), None).await;
    assert_eq!(undone["labels"], 79);
}

#[tokio::test]
async fn picks_sliders_classes_matching_groups_and_refusals() {
    let w = world();
    let alice = sign_in(&w.app, &w.alice).await;
    let bob = sign_in(&w.app, &w.bob).await;
    let (g1, g2) = (w.genomes[1], w.genomes[2]);

    let pick = json!({ "label": { "kind": "pick", "shown": [g1.to_hex(), g2.to_hex()], "chosen": 1 } });
    assert_eq!(call(&w.app, Method::POST, "/api/taste/labels", Some(&alice), Some(pick)).await.0, StatusCode::OK);
    let slider = json!({ "label": { "kind": "slider", "genome": g1.to_hex(), "value": 0.25 } });
    let (_, status, _) = call(&w.app, Method::POST, "/api/taste/labels", Some(&alice), Some(slider)).await;
    assert_eq!(status["labels"], 2);
    let (_, batch, _) = call(&w.app, Method::GET, "/api/taste/queue?mode=pick_four&prompts=3", Some(&alice), None).await;
    assert!(batch["prompts"].as_array().unwrap().iter().all(|p| p["genomes"].as_array().unwrap().len() == 4));

    // Custom classes: three names, class labels, an ideal per class.
    let (status, _, _) = call(&w.app, Method::PUT, "/api/taste/classes", Some(&alice), Some(json!({ "names": ["kiss", "marry", "kill"] }))).await;
    assert_eq!(status, StatusCode::OK);
    for id in 1..=12usize {
        let label = json!({ "label": { "kind": "class", "genome": w.genomes[id].to_hex(), "class": w.genomes[id].attribute(0) as usize % 3 } });
        assert_eq!(call(&w.app, Method::POST, "/api/taste/labels", Some(&alice), Some(label)).await.0, StatusCode::OK);
    }
    let (status, ideals, _) = call(&w.app, Method::GET, "/api/taste/ideal?book=classes&variations=0", Some(&alice), None).await;
    assert_eq!((status, ideals.as_array().map(|a| a.len())), (StatusCode::OK, Some(3)), "{ideals}");

    // Matching and groups need both owners' taste models.
    let (status, body, _) = call(&w.app, Method::GET, &format!("/api/taste/match/{}", w.bob.address()), Some(&alice), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    train(&w.app, &bob, 2).await;
    let (status, m, _) = call(&w.app, Method::GET, &format!("/api/taste/match/{}", w.bob.address()), Some(&alice), None).await;
    assert_eq!(status, StatusCode::OK, "{m}");
    assert!((0.0..=1.0).contains(&m["mutual"].as_f64().unwrap()));
    let (status, group, _) = call(&w.app, Method::POST, "/api/taste/group", Some(&alice), Some(json!({ "members": [w.bob.address().to_string()], "mode": "pool" }))).await;
    assert_eq!(status, StatusCode::OK, "{group}");
    assert_eq!(group["members"].as_array().unwrap().len(), 2);

    // Refusals: JSON 4xx naming the problem.
    for (method, path, body, status, needle) in [
        (Method::GET, "/api/taste", None, StatusCode::UNAUTHORIZED, "sign in first"),
        (Method::POST, "/api/taste/labels", Some(json!({ "label": { "kind": "swipe", "genome": "0x12", "like": true } })), StatusCode::BAD_REQUEST, "label"),
        (Method::POST, "/api/taste/labels", Some(json!({ "label": { "kind": "slider", "genome": g1.to_hex(), "value": 7.0 } })), StatusCode::BAD_REQUEST, "slider"),
        (Method::PUT, "/api/taste/classes", Some(json!({ "names": ["only"] })), StatusCode::BAD_REQUEST, "class"),
        (Method::GET, "/api/taste/queue?prompts=0", None, StatusCode::BAD_REQUEST, "prompts"),
        (Method::GET, "/api/taste/queue?mode=dance", None, StatusCode::BAD_REQUEST, "mode"),
        (Method::GET, "/api/taste/nudge/999", None, StatusCode::NOT_FOUND, "token 999"),
        (Method::POST, "/api/taste/group", Some(json!({ "members": ["0xnope"] })), StatusCode::BAD_REQUEST, "members[0]"),
    ] {
        let cookie = if status == StatusCode::UNAUTHORIZED { None } else { Some(alice.as_str()) };
        let (got, reply, _) = call(&w.app, method, path, cookie, body).await;
        assert_eq!(got, status, "{path}: {reply}");
        assert!(reply["error"].as_str().unwrap().to_lowercase().contains(needle), "{path}: {reply}");
    }
}
