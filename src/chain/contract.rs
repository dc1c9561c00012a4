//! The Chimera contract as the Rust side sees it: bindings generated from the committed artifact
//! (`contracts/artifacts/Chimera.json`, exported from forge by `scripts/export_contract_artifact.sh`),
//! and deployment.

use alloy::primitives::{Address, U256};
use alloy::providers::Provider;

alloy::sol!(
    #[sol(rpc)]
    #[derive(Debug)]
    Chimera,
    "contracts/artifacts/Chimera.json"
);

/// The artifact's text: ABI and creation bytecode, served by `GET /api/contract`.
pub const ARTIFACT_JSON: &str = include_str!("../../contracts/artifacts/Chimera.json");

/// The contract's ABI as JSON.
pub fn abi_json() -> serde_json::Value {
    let artifact: serde_json::Value = serde_json::from_str(ARTIFACT_JSON).expect("committed artifact is JSON");
    artifact["abi"].clone()
}

/// Deploy a fresh Chimera contract. Returns its address and the deployment block.
pub async fn deploy<P: Provider>(provider: &P, base_uri: &str, genesis_cap: u64) -> Result<(Address, u64), super::ChainError> {
    let call = Chimera::deploy_builder(provider, base_uri.to_string(), U256::from(genesis_cap));
    let receipt = call
        .send()
        .await
        .map_err(|e| super::ChainError::Rpc(format!("sending the deployment: {e}")))?
        .get_receipt()
        .await
        .map_err(|e| super::ChainError::Rpc(format!("waiting for the deployment: {e}")))?;
    let address = receipt.contract_address.ok_or_else(|| super::ChainError::Rpc("the deployment created no contract".into()))?;
    let block = receipt.block_number.unwrap_or_default();
    Ok((address, block))
}
