//! The fusion engine: how parents become a child. Pure — values and an explicit seed in, a
//! genome out; no clock, no global RNG, no I/O.
//!
//! - [`breed`] — the on-chain law (selection + crossover + mutation, keccak256 randomness),
//!   byte-identical to `contracts/src/Fusion.sol`. Real births use it.
//! - [`lab`] — the off-chain operators for previews and play: k-point, means, perturbation,
//!   attribute logic, any number of parents.

pub mod breed;
pub mod lab;

pub use breed::{birth_seed, breed, breed_explained, main_source_odds, BreedingLaw, GeneOrigin, LawError, Seed, Source};
pub use lab::{fuse, FusionError, LabOp};
