//! The genome's on-chain life, end to end on a real local chain: deploy the compiled `Chimera`
//! contract to anvil, mint genesis characters, breed and hatch across generations, and check that
//! every child the chain minted is exactly the one the Rust engine predicts from the block hash.
//!
//! Needs `make setup` (anvil from npm, `forge build` artifacts); it fails with the command to run
//! when either is missing, never silently skips.

use alloy::network::TransactionBuilder;
use alloy::node_bindings::Anvil;
use alloy::primitives::{Address, Bytes, U256};
use alloy::providers::{Provider, ProviderBuilder};
use alloy::rpc::types::TransactionRequest;
use alloy::signers::local::PrivateKeySigner;
use alloy::sol;
use alloy::sol_types::SolConstructor;
use chimera::fusion::{birth_seed, breed, BreedingLaw};
use chimera::genome::Genome;
use chimera::vectors;
use std::path::PathBuf;

sol! {
    #[sol(rpc)]
    contract Chimera {
        constructor(string baseURI, uint256 cap);
        function mintGenesis(address to, uint256 code, uint64 attrs) external returns (uint256 tokenId);
        function genomeOf(uint256 tokenId) external view returns (uint256 code, uint64 attrs);
        function breed(uint256 matronId, uint256 sireId) external payable returns (uint256 pendingId);
        function hatch(uint256 pendingId) external returns (uint256 childId);
        function ownerOf(uint256 tokenId) external view returns (address);
        event Born(uint256 indexed tokenId, address indexed owner, uint256 matronId, uint256 sireId, uint16 generation, uint256 code, uint64 attrs);
        event BreedRequested(uint256 indexed pendingId, uint256 indexed matronId, uint256 indexed sireId, address owner, uint64 birthBlock, uint256 fee);
    }
}

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn anvil_binary() -> PathBuf {
    let path = repo("contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");
    assert!(path.exists(), "{} is missing: run `make setup`", path.display());
    path
}

fn chimera_bytecode() -> Vec<u8> {
    let path = repo("contracts/out/Chimera.sol/Chimera.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run `make setup` (forge build)", path.display()));
    let artifact: serde_json::Value = serde_json::from_str(&text).expect("forge artifact is JSON");
    let hex = artifact["bytecode"]["object"].as_str().expect("artifact has bytecode.object");
    hex::decode(hex.trim_start_matches("0x")).expect("bytecode is hex")
}

fn to_chain(g: &Genome) -> (U256, u64) {
    (U256::from_be_bytes(g.code()), g.attrs())
}

fn from_chain(code: U256, attrs: u64) -> Genome {
    Genome::from_pair(code.to_be_bytes(), attrs)
}

#[tokio::test(flavor = "current_thread")]
async fn children_minted_on_chain_equal_the_rust_engine() {
    let anvil = Anvil::at(anvil_binary()).try_spawn().expect("anvil starts");
    let signer: PrivateKeySigner = anvil.keys()[0].clone().into();
    let me = signer.address();
    let provider = ProviderBuilder::new().wallet(signer).connect_http(anvil.endpoint_url());

    let mut deploy = chimera_bytecode();
    deploy.extend(Chimera::constructorCall { baseURI: "http://127.0.0.1/api/tokens/".into(), cap: U256::from(64) }.abi_encode());
    let receipt = provider
        .send_transaction(TransactionRequest::default().with_deploy_code(Bytes::from(deploy)))
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    let address: Address = receipt.contract_address.expect("deployed");
    let chimera = Chimera::new(address, &provider);

    // Genesis: the first 6 vector-file parents (edge cases included: all-zero, all-ones).
    let cases: Vec<_> = vectors::generate(6, 0xC41_3E7A).into_iter().take(6).collect();
    let mut genomes: Vec<Genome> = vec![Genome::default()]; // index = token id; 0 is "no token"
    for case in &cases {
        let (code, attrs) = to_chain(&case.matron);
        let receipt = chimera.mintGenesis(me, code, attrs).send().await.unwrap().get_receipt().await.unwrap();
        let born = receipt.decoded_log::<Chimera::Born>().expect("Born event");
        assert_eq!(born.tokenId, U256::from(genomes.len()));
        assert_eq!(from_chain(born.code, born.attrs), case.matron, "genesis genome round-trips");
        genomes.push(case.matron);
    }

    // Breed pairs across generations: (1,2) (3,4) (5,6), then their children, then a grandchild.
    let mut pairs = vec![(1u64, 2u64), (3, 4), (5, 6)];
    let mut hatched = 0;
    while let Some((matron, sire)) = pairs.first().copied() {
        pairs.remove(0);
        // Clear both parents' cooldowns (at most 25 blocks at the indices this test reaches).
        let _: serde_json::Value = provider.raw_request("anvil_mine".into(), ("0x40",)).await.unwrap();
        let receipt = chimera.breed(U256::from(matron), U256::from(sire)).send().await.unwrap().get_receipt().await.unwrap();
        let request = receipt.decoded_log::<Chimera::BreedRequested>().expect("BreedRequested event");
        let pending: u64 = request.pendingId.to();

        // The birth block must be past before hatch: mine it.
        let _: serde_json::Value = provider.raw_request("evm_mine".into(), ()).await.unwrap();
        let receipt = chimera.hatch(request.pendingId).send().await.unwrap().get_receipt().await.unwrap();
        assert!(receipt.status(), "hatch succeeded");
        let born = receipt.decoded_log::<Chimera::Born>().expect("Born event");

        let block = provider
            .get_block_by_number(request.birthBlock.into())
            .await
            .unwrap()
            .expect("birth block exists");
        let seed = birth_seed(block.header.hash.0, pending, matron, sire);
        let predicted = breed(&genomes[matron as usize], &genomes[sire as usize], &seed, &BreedingLaw::ONCHAIN);
        let minted = from_chain(born.code, born.attrs);
        assert_eq!(minted, predicted, "birth {pending} of {matron}×{sire}");

        let stored = chimera.genomeOf(born.tokenId).call().await.unwrap();
        assert_eq!(from_chain(stored.code, stored.attrs), predicted, "genomeOf agrees with Born");
        assert_eq!(chimera.ownerOf(born.tokenId).call().await.unwrap(), me);

        let child: u64 = born.tokenId.to();
        assert_eq!(child as usize, genomes.len());
        genomes.push(minted);
        hatched += 1;
        match child {
            7 | 8 => {}
            9 => pairs.extend([(7, 8), (9, 1)]),
            10 => pairs.push((10, 11)),
            _ => {}
        }
    }
    assert_eq!(hatched, 6);
}
