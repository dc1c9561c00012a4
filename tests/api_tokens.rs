//! The platform end to end on a real anvil: deploy → mint → breed → the keeper hatches → the
//! indexer mirrors it → the API serves metadata, lists, family trees, previews, lab fusions and
//! portraits; bad input gets a JSON 4xx; every route in the generated OpenAPI document answers
//! with a documented status and the documented fields.

mod common;

use alloy::primitives::U256;
use alloy::providers::Provider;
use chimera::chain::contract::Chimera;
use chimera::dev::DEV_KEYS;
use chimera::fusion::{birth_seed, breed, BreedingLaw};
use chimera::service::{Service, ServiceConfig};
use common::{dev_address, eventually, genomes, repo, TestChain};
use serde_json::Value;
use std::time::Duration;

async fn get(base: &str, path: &str) -> (u16, Value) {
    let r = reqwest::get(format!("{base}{path}")).await.unwrap();
    let status = r.status().as_u16();
    let body = r.bytes().await.unwrap();
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

async fn post(base: &str, path: &str, body: Value) -> (u16, Value) {
    let r = reqwest::Client::new().post(format!("{base}{path}")).json(&body).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn ids(page: &Value) -> Vec<u64> {
    page["tokens"].as_array().unwrap().iter().map(|t| t["id"].as_u64().unwrap()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deploy_mint_breed_hatch_index_and_serve() {
    let chain = TestChain::start().await;
    let (alice, bob) = (dev_address(0), dev_address(1));
    let g = genomes(4, 7);
    for genome in &g[..3] {
        chain.mint(alice, genome).await;
    }
    chain.mint(bob, &g[3]).await;

    let dir = tempfile::tempdir().unwrap();
    let service = Service::start(ServiceConfig {
        rpc_url: chain.url.clone(),
        contract: chain.contract,
        from_block: chain.deploy_block,
        confirmations: 0,
        keeper_key: Some(DEV_KEYS[9].into()),
        listen: ([127, 0, 0, 1], 0).into(),
        data_dir: dir.path().join("store"),
        public_url: None,
        model: repo("models/generator.onnx"),
        web_dir: None,
        poll_interval: Duration::from_millis(100),
        progress: false,
        batch_blocks: 2_000,
    })
    .await
    .unwrap();
    let base = format!("http://{}", service.local_addr);
    eventually(20, "4 genesis tokens indexed", || async { get(&base, "/api/tokens").await.1["total"] == 4 }).await;

    // Alice breeds 1 × 2; once the birth block is mined, the keeper hatches without her.
    let receipt = chain.as_account(0).breed(U256::from(1), U256::from(2)).send().await.unwrap().get_receipt().await.unwrap();
    let request = receipt.decoded_log::<Chimera::BreedRequested>().unwrap();
    chain.mine(1).await;
    eventually(20, "the child indexed", || async { get(&base, "/api/tokens/5").await.0 == 200 }).await;
    let (_, child) = get(&base, "/api/tokens/5").await;
    let birth = chain.admin.get_block_by_number(request.birthBlock.into()).await.unwrap().unwrap();
    let predicted = breed(&g[0], &g[1], &birth_seed(birth.header.hash.0, 1, 1, 2), &BreedingLaw::ONCHAIN);
    assert_eq!(child["genome_hex"], predicted.to_hex(), "the indexed child is the engine's prediction");
    assert_eq!(child["name"], "Chimera #5");
    assert_eq!((child["generation"].as_u64(), child["matron"].as_u64(), child["sire"].as_u64()), (Some(1), Some(1), Some(2)));
    assert_eq!(child["owner"], alice.to_checksum(None));
    assert_eq!(child["image"], format!("{base}/api/tokens/5/image.png"));
    let traits = child["attributes"].as_array().unwrap();
    assert_eq!(traits.len(), 17, "8 main + 8 sub + generation");
    assert!(traits.iter().any(|t| t["trait_type"] == "hair_colour (sub)"));
    assert_eq!(get(&base, "/api/tokens/1").await.1["children"], serde_json::json!([5]));

    // Family tree and lists with cursor pagination and filters.
    let (_, family) = get(&base, "/api/tokens/5/family?depth=2").await;
    let ancestors: Vec<u64> = family["ancestors"].as_array().unwrap().iter().map(|m| m["id"].as_u64().unwrap()).collect();
    assert_eq!(ancestors, vec![1, 2]);
    let (_, page1) = get(&base, &format!("/api/tokens?owner={alice}&limit=2")).await;
    assert_eq!((ids(&page1), page1["next_cursor"].as_u64()), (vec![1, 2], Some(2)));
    let (_, page2) = get(&base, &format!("/api/tokens?owner={alice}&limit=2&cursor=2")).await;
    assert_eq!((ids(&page2), page2["next_cursor"].clone()), (vec![3, 5], Value::Null));
    assert_eq!(ids(&get(&base, "/api/tokens?generation=1").await.1), vec![5]);
    assert_eq!(ids(&get(&base, &format!("/api/tokens?owner={bob}")).await.1), vec![4]);

    // A paid birth with a siring approval: the keeper collects the fee.
    let admin = Chimera::new(chain.contract, &chain.admin);
    let fee = U256::from(10u64.pow(15));
    admin.setBirthFee(fee).send().await.unwrap().get_receipt().await.unwrap();
    chain.as_account(1).approveSiring(alice, U256::from(4)).send().await.unwrap().get_receipt().await.unwrap();
    eventually(20, "the approval indexed", || async {
        get(&base, "/api/tokens/4").await.1["siring_approved"] == alice.to_checksum(None)
    })
    .await;
    chain.as_account(0).breed(U256::from(3), U256::from(4)).value(fee).send().await.unwrap().get_receipt().await.unwrap();
    chain.mine(1).await;
    eventually(20, "the paid child indexed", || async { get(&base, "/api/tokens/6").await.0 == 200 }).await;
    let hatched = chain
        .admin
        .get_logs(&alloy::rpc::types::Filter::new().address(chain.contract).event_signature(<Chimera::Hatched as alloy::sol_types::SolEvent>::SIGNATURE_HASH))
        .await
        .unwrap();
    let paid = hatched.iter().map(|l| l.log_decode::<Chimera::Hatched>().unwrap().inner.data).find(|h| h.tokenId == U256::from(6)).unwrap();
    assert_eq!((paid.midwife, paid.fee), (dev_address(9), fee), "the keeper hatched and was paid");
    assert_eq!(get(&base, "/api/tokens/4").await.1["siring_approved"], Value::Null, "the approval was spent");
    assert_eq!(get(&base, &format!("/api/tokens?owner={bob}")).await.1["tokens"][0]["siring_approved"], Value::Null);

    // Portraits: PNG from the real model, or a clear 503 where the model is absent — never a fake.
    let image = reqwest::get(format!("{base}/api/tokens/5/image.png")).await.unwrap();
    if repo("models/generator.onnx").exists() {
        assert_eq!(image.status(), 200);
        assert_eq!(image.headers()["content-type"], "image/png");
        assert_eq!(&image.bytes().await.unwrap()[..8], b"\x89PNG\r\n\x1a\n");
    } else {
        assert_eq!(image.status(), 503);
        assert!(image.text().await.unwrap().contains("generator model not found"));
    }

    // Previews and lab fusion.
    let (status, preview) = post(&base, "/api/preview", serde_json::json!({"matron": 1, "sire": 3, "samples": 4, "seed": format!("0x{}", "ab".repeat(32))})).await;
    assert_eq!(status, 200);
    assert_eq!(preview["children"].as_array().unwrap().len(), 4);
    let odds = &preview["inheritance"][33]["odds"];
    let total: f64 = odds.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).sum();
    assert!((total - 1.0).abs() < 1e-12 && preview["inheritance"][33]["slot"] == "hair_style");
    let (status, fused) = post(&base, "/api/fuse", serde_json::json!({"parents": [1, 2, g[3].to_hex()], "op": "kpoint:2"})).await;
    assert_eq!(status, 200, "{fused}");
    assert_eq!(fused["genome_hex"].as_str().unwrap().len(), 82);

    // Bad input: a JSON 4xx naming what was wrong, never a 5xx.
    for (path, status, needle) in [
        ("/api/tokens/abc", 400, "path"),
        ("/api/tokens/999", 404, "token 999"),
        ("/api/tokens?limit=0", 400, "limit must be 1..=200"),
        ("/api/tokens?owner=0x12", 400, "owner must be a 0x address"),
        ("/api/tokens?colour=red", 400, "unknown field"),
        ("/api/tokens/1/family?depth=99", 400, "depth must be 1..=8"),
        ("/api/genomes/0x1234", 400, "80 hex digits"),
        ("/api/genomes/zz", 400, "non-hex"),
        ("/api/nowhere", 404, "no such route"),
        ("/api/tokens/1/nowhere", 404, "no such route"),
    ] {
        let (got, body) = get(&base, path).await;
        assert_eq!(got, status, "{path}: {body}");
        assert!(body["error"].as_str().unwrap().contains(needle), "{path}: {body}");
    }
    for (body, status, needle) in [
        (serde_json::json!({"matron": 999, "sire": 1}), 404, "token 999"),
        (serde_json::json!({"matron": 1, "sire": "0x12"}), 400, "sire"),
        (serde_json::json!({"matron": 1, "sire": 2, "samples": 0}), 400, "samples"),
        (serde_json::json!({"matron": 1}), 400, "sire"),
    ] {
        let (got, reply) = post(&base, "/api/preview", body.clone()).await;
        assert_eq!(got, status, "{body}: {reply}");
        assert!(reply["error"].as_str().unwrap().contains(needle), "{body}: {reply}");
    }

    // The contract for listeners, health, metrics.
    let (_, contract) = get(&base, "/api/contract").await;
    assert_eq!((contract["chain_id"].as_u64(), contract["address"].as_str()), (Some(31337), Some(chain.contract.to_checksum(None).as_str())));
    assert!(contract["abi"].as_array().unwrap().iter().any(|e| e["name"] == "Born"));
    assert_eq!(contract["birth_fee"], fee.to_string(), "the fee set on chain, as indexed");
    assert_eq!(get(&base, "/healthz").await.1["tokens"], 6);
    let metrics = reqwest::get(format!("{base}/metrics")).await.unwrap().text().await.unwrap();
    assert!(metrics.contains("chimera_indexed_tokens 6"), "{metrics}");

    check_openapi(&base, &g[0].to_hex()).await;
    service.stop().await.unwrap();
}

/// Every GET route of the generated OpenAPI document answers with a documented status, and a
/// JSON answer carries every property its schema requires.
async fn check_openapi(base: &str, genome_hex: &str) {
    let (status, doc) = get(base, "/api/openapi.json").await;
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 15, "only {} paths documented", paths.len());
    let schemas = &doc["components"]["schemas"];
    for (path, item) in paths {
        for op in item.as_object().unwrap().values() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                let placeholder = format!("{{{}}}", p["name"].as_str().unwrap());
                let expected = if path.contains(&placeholder) { "path" } else { "query" };
                assert_eq!(p["in"], expected, "{path}: parameter {} is documented in {}", p["name"], p["in"]);
            }
        }
    }
    for (path, item) in paths {
        let Some(op) = item.get("get") else { continue };
        if path == "/api/me" {
            continue; // needs a session: tests/api_auth.rs
        }
        let url = path.replace("{id}", "1").replace("{hex}", genome_hex);
        let response = reqwest::get(format!("{base}{url}")).await.unwrap();
        let status = response.status().as_u16().to_string();
        let documented = &op["responses"][&status];
        assert!(documented.is_object(), "{path} answered {status}, which it does not document");
        let body = response.bytes().await.unwrap();
        let Some(schema) = documented["content"]["application/json"]["schema"].as_object() else { continue };
        let Some(reference) = schema.get("$ref").and_then(|r| r.as_str()) else { continue };
        let name = reference.rsplit('/').next().unwrap();
        let json: Value = serde_json::from_slice(&body).unwrap_or_else(|_| panic!("{path}: documented JSON, got non-JSON"));
        for field in schemas[name]["required"].as_array().into_iter().flatten() {
            assert!(json.get(field.as_str().unwrap()).is_some(), "{path}: {name}.{field} missing in {json}");
        }
    }
}
