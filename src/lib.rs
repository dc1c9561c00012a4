//! # Chimera
//!
//! Generative collectible characters. Every character is an ERC-721 token whose 320-bit
//! [`genome::Genome`] lives on chain; parents are fused into children by [`fusion`]; an ONNX
//! generator turns every genome into its portrait.
//!
//! ## Layout
//!
//! The pipeline reads left to right: genome → fusion → generator → chain → store → api.
//!
//! - [`genome`] — the 320-bit genome and every codec of it (hex, bytes, the `(uint256, uint64)`
//!   pair, JSON with attribute names, the generator's input, the classifiers' features), plus the
//!   one table of attribute names. Pure: values in, values out. The spec is `docs/genome.md`.
//! - [`fusion`] — the fusion engine. `fusion::breed` is the on-chain law (selection, crossover,
//!   mutation, randomness from keccak256 over a seed), byte-identical to `contracts/src/Fusion.sol`;
//!   `fusion::lab` holds the off-chain operators (k-point, means, logic, many parents). Pure.
//! - [`preference`] — each owner's taste, learned from labels on generated characters: label
//!   books, the labelling queue, logistic / Bradley–Terry / softmax fits on the genome's features,
//!   and what a model does — score, rank, ideal, nudge, match, group, steer breeding. Pure: values
//!   and explicit seeds in, values out; the API exposes its types as they are.
//! - [`generator`] — the portrait generator: loads `models/generator.onnx` once (ONNX Runtime),
//!   checks it against the spec, batches concurrent requests into one run on its own thread, caches
//!   portraits by (model hash, main genes) and renders PNGs and contact sheets. Called by the CLI
//!   and the API.
//! - [`chain`] — everything that talks to an EVM node (alloy): contract bindings and deployment,
//!   event decoding, the indexer (backfill, follow, confirmations, reorg rollback), the keeper
//!   that hatches births, and `chimera watch`.
//! - [`store`] — the embedded sled store: the chain mirror (tokens, owners, lineage, pending
//!   births), written one block per atomic transaction with undo logs; portraits, sessions, nonces.
//! - [`api`] — the HTTP API (axum): metadata, portraits, previews, lab fusion, Sign-In with
//!   Ethereum, OpenAPI, metrics. One error type, one shared context.
//! - [`service`] — starts and stops indexer, keeper, pre-renderer and API together (`chimera serve`);
//!   [`dev`] — the one-command dev world around it (anvil, deployment, genesis; `chimera dev`).
//! - [`vectors`] — the shared test-vector file that Rust and Solidity are both checked against.
//! - [`cli`] — the `chimera` command's subcommands; `src/main.rs` only parses and dispatches.
//!
//! Outside the crate: `contracts/` (Solidity: `GenomeLib`, `Fusion`, the `Chimera` ERC-721),
//! `models/` (the portrait generator's training world and model card), `web/` (the player's app),
//! `tests/` (integration tests named after the surface they exercise), `benches/` (criterion).

pub mod api;
pub mod chain;
pub mod cli;
pub mod dev;
pub mod fusion;
pub mod generator;
pub mod genome;
pub mod preference;
pub mod service;
pub mod store;
pub mod vectors;
