//! The generator's one error type: everything that can go wrong between a genome and its PNG.

use std::path::PathBuf;

/// The command that installs the ONNX Runtime library this crate loads.
pub const INSTALL_RUNTIME: &str = "scripts/setup_onnxruntime.sh";

/// Why a portrait could not be made. Every message says what was wrong and what to do about it.
///
/// `Clone` because one failed batch answers every request that was waiting on it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GeneratorError {
    /// The ONNX Runtime shared library is not where we look for it.
    #[error(
        "ONNX Runtime library not found at {} ({from}); install it with `{INSTALL_RUNTIME}` \
         or point ORT_DYLIB_PATH at a libonnxruntime {version}",
        path.display()
    )]
    RuntimeMissing {
        /// Where we looked.
        path: PathBuf,
        /// Where that path came from (the environment variable or the built-in default).
        from: &'static str,
        /// The runtime version this build expects.
        version: &'static str,
    },
    /// The library exists but could not be loaded or is the wrong version.
    #[error(
        "could not start ONNX Runtime from {}: {reason}; reinstall it with `{INSTALL_RUNTIME}`",
        path.display()
    )]
    RuntimeLoad {
        /// The library we tried.
        path: PathBuf,
        /// What the loader said.
        reason: String,
    },
    /// The model file does not exist.
    #[error(
        "generator model not found at {}: train and export it as models/README.md describes, \
         or set CHIMERA_GENERATOR_MODEL to an ONNX file with the interface in docs/genome.md",
        path.display()
    )]
    ModelMissing {
        /// The path we were given.
        path: PathBuf,
    },
    /// The model file exists but ONNX Runtime could not read or load it.
    #[error("could not load the generator model {}: {reason}", path.display())]
    ModelLoad {
        /// The model file.
        path: PathBuf,
        /// What the reader or ONNX Runtime said.
        reason: String,
    },
    /// The model loaded but its inputs or outputs differ from "The generator's interface".
    #[error(
        "{} does not have the generator interface of docs/genome.md \
         (code: float32[N,32], attrs: int64[N,8] -> image: float32[N,3,H,W], H = W >= 64): {reason}",
        path.display()
    )]
    Interface {
        /// The model file.
        path: PathBuf,
        /// The first mismatch found.
        reason: String,
    },
    /// `session.run` failed or returned something other than the validated shape.
    #[error("generator run failed: {0}")]
    Inference(String),
    /// A requested output size is out of range.
    #[error("portrait size must be {min}..={max} pixels, got {got}")]
    Size {
        /// The size asked for.
        got: u32,
        /// The smallest size we draw.
        min: u32,
        /// The largest size we draw.
        max: u32,
    },
    /// A contact sheet was asked for with an impossible layout.
    #[error("contact sheet: {0}")]
    Sheet(String),
    /// PNG encoding failed (only on an internal bug: our buffers are always well formed).
    #[error("PNG encoding failed: {0}")]
    Png(String),
    /// The generator was shut down (or its batching thread died) before the request was served.
    #[error("the portrait generator has shut down")]
    ShutDown,
}
