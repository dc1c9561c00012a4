//! The process's one ONNX Runtime environment.
//!
//! ONNX Runtime allows a single environment per process, and `ort` refuses to build a second one
//! even after the first is dropped, so it is created once, on first use, and kept for the life of
//! the process. Every [`Model`](super::Model) session is created in it.
//!
//! The shared library is loaded at run time (`ort`'s `load-dynamic`), from `ORT_DYLIB_PATH` when
//! set (`.cargo/config.toml` sets it for `cargo run/test/bench`), else from the place
//! `scripts/setup_onnxruntime.sh` installs it in this checkout.

use super::error::GeneratorError;
use ort::environment::Environment;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The ONNX Runtime release this build is made for (`ort`'s `api-31` feature; the setup script's pin).
pub const ORT_VERSION: &str = "1.31.1";

/// The environment, once created. A Mutex around an Option rather than a `OnceLock` so that a
/// failed start (library not installed yet) is not remembered: installing it and retrying works
/// without restarting the process. Held only while creating, never across an await.
static ENVIRONMENT: Mutex<Option<Environment>> = Mutex::new(None);

/// Where the runtime library is looked for, and where that path came from.
pub fn library_path() -> (PathBuf, &'static str) {
    match std::env::var_os("ORT_DYLIB_PATH") {
        Some(path) if !path.is_empty() => (PathBuf::from(path), "from ORT_DYLIB_PATH"),
        _ => (
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(".tools/onnxruntime/onnxruntime/capi")
                .join(format!("libonnxruntime.so.{ORT_VERSION}")),
            "the default location; ORT_DYLIB_PATH is not set",
        ),
    }
}

/// The process's ONNX Runtime environment, created on first call from [`library_path`].
pub fn environment() -> Result<Environment, GeneratorError> {
    let mut slot = ENVIRONMENT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(env) = slot.as_ref() {
        return Ok(env.clone());
    }
    let (path, from) = library_path();
    let env = start(&path, from)?;
    *slot = Some(env.clone());
    Ok(env)
}

/// Load the library at `path` and build the environment. Checks the file first, so a missing
/// library is reported with the path and the install command rather than a loader message.
pub(crate) fn start(path: &Path, from: &'static str) -> Result<Environment, GeneratorError> {
    if !path.is_file() {
        return Err(GeneratorError::RuntimeMissing { path: path.to_owned(), from, version: ORT_VERSION });
    }
    let load_error = |reason: String| GeneratorError::RuntimeLoad { path: path.to_owned(), reason };
    ort::init_from(path)
        .map_err(|e| load_error(e.to_string()))?
        .with_name("chimera")
        .with_telemetry(false)
        .build()
        .map_err(|e| load_error(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_library_names_the_path_and_the_install_command() {
        let path = Path::new("/nonexistent/libonnxruntime.so.0");
        let err = start(path, "from a test").unwrap_err();
        let message = err.to_string();
        assert!(matches!(err, GeneratorError::RuntimeMissing { .. }), "{err:?}");
        assert!(message.contains("/nonexistent/libonnxruntime.so.0"), "{message}");
        assert!(message.contains("scripts/setup_onnxruntime.sh"), "{message}");
        assert!(message.contains(ORT_VERSION), "{message}");
    }
}
