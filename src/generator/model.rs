//! The generator model: one ONNX Runtime session over `models/generator.onnx`, checked at load
//! against "The generator's interface" (docs/genome.md), run on whole batches of genomes.

use super::error::GeneratorError;
use super::image::RgbImage;
use super::runtime;
use crate::genome::{Genome, ATTR_GENES, CODE_GENES};
use ort::session::Session;
use ort::value::{TensorElementType, TensorRef};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// The smallest portrait side the interface allows (H = W ≥ 64).
pub const MIN_MODEL_SIZE: u32 = 64;
/// How far outside 0..1 an output value may stray before we call the model's range wrong
/// (float noise at a sigmoid's ends is fine; a tanh's -1..1 is not).
const RANGE_SLACK: f32 = 1e-3;

/// SHA-256 of the model file: which model drew a portrait, so a retrained model never serves an
/// old model's cached portraits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModelHash(pub [u8; 32]);

impl ModelHash {
    /// The hash of a model file's bytes.
    pub fn of(bytes: &[u8]) -> Self {
        ModelHash(Sha256::digest(bytes).into())
    }
}

impl std::fmt::Display for ModelHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl std::fmt::Debug for ModelHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ModelHash({})", &hex::encode(self.0)[..12])
    }
}

/// A loaded, validated generator.
pub struct Model {
    /// The session. `Session::run` takes `&mut`; a std Mutex (not a Tokio one) because it is
    /// only ever locked on a blocking thread and never across an await.
    session: Mutex<Session>,
    /// Where it was loaded from, for messages.
    path: PathBuf,
    /// Identity of the weights, part of every portrait's cache key.
    hash: ModelHash,
    /// The portrait side H = W, learned at load from a probe run.
    size: u32,
    /// `session.run` calls since load (the probe excluded): how tests and benches see batching.
    runs: AtomicU64,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Model({}, {}², {:?})", self.path.display(), self.size, self.hash)
    }
}

impl Model {
    /// Load the model at `path` in the process's ONNX Runtime environment, check its inputs and
    /// outputs against the genome spec and make one probe run to learn the portrait size.
    /// `threads` caps ONNX Runtime's intra-op threads (None: its default, one per core).
    pub fn load(path: &Path, threads: Option<usize>) -> Result<Model, GeneratorError> {
        if !path.exists() {
            return Err(GeneratorError::ModelMissing { path: path.to_owned() });
        }
        let load_error = |reason: String| GeneratorError::ModelLoad { path: path.to_owned(), reason };
        let bytes = std::fs::read(path).map_err(|e| load_error(e.to_string()))?;
        let hash = ModelHash::of(&bytes);
        let env = runtime::environment()?;
        let mut builder = Session::builder(&env).map_err(|e| load_error(e.to_string()))?;
        if let Some(threads) = threads {
            builder = builder.with_intra_threads(threads).map_err(|e| load_error(e.to_string()))?;
        }
        let mut session = builder.commit_from_memory(&bytes).map_err(|e| load_error(e.to_string()))?;

        let interface_error = |reason: String| GeneratorError::Interface { path: path.to_owned(), reason };
        let inputs: Vec<Port> = session.inputs().iter().map(|o| Port::of(o.name(), o.dtype())).collect();
        let outputs: Vec<Port> = session.outputs().iter().map(|o| Port::of(o.name(), o.dtype())).collect();
        let declared = check_interface(&inputs, &outputs).map_err(interface_error)?;
        let size = probe(&mut session, declared).map_err(interface_error)?;
        Ok(Model { session: Mutex::new(session), path: path.to_owned(), hash, size, runs: AtomicU64::new(0) })
    }

    /// The portrait side in pixels (H = W).
    pub fn size(&self) -> u32 {
        self.size
    }

    /// SHA-256 of the model file.
    pub fn hash(&self) -> ModelHash {
        self.hash
    }

    /// The file it was loaded from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `session.run` calls so far, not counting the probe at load.
    pub fn runs(&self) -> u64 {
        self.runs.load(Ordering::Relaxed)
    }

    /// Decode `genomes` in one `session.run`. Blocking (it is CPU work): call it from a blocking
    /// thread, never from an async task. Only main values reach the model.
    ///
    /// A portrait's pixels do not depend on the batch it was decoded in: ONNX Runtime's CPU Gemm
    /// takes a different path for a single row (N = 1), whose float rounding differs from N ≥ 2
    /// by ~1e-6 — enough to flip a few 8-bit channels — while every N ≥ 2 gives bit-identical
    /// rows in any position. So a lone genome is decoded as a batch of two copies of itself.
    pub fn run(&self, genomes: &[Genome]) -> Result<Vec<RgbImage>, GeneratorError> {
        let rows: &[Genome] = match genomes {
            [] => return Ok(Vec::new()),
            [one] => &[*one, *one],
            many => many,
        };
        let mut session = self.session.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        self.runs.fetch_add(1, Ordering::Relaxed);
        let size = self.size;
        forward(&mut session, rows, |dims, values| {
            let expected = [rows.len() as i64, 3, size as i64, size as i64];
            if dims != expected {
                return Err(format!("`image` came back {dims:?}, expected {expected:?}"));
            }
            let plane = (size * size * 3) as usize;
            let portraits = values.chunks_exact(plane).take(genomes.len());
            Ok(portraits.map(|planes| RgbImage::from_planes(size, size, planes)).collect())
        })
        .map_err(GeneratorError::Inference)
    }
}

/// Run the session on `genomes` and hand `image`'s shape and values to `read` while the outputs
/// (borrowed from the session) are alive.
fn forward<R>(
    session: &mut Session,
    genomes: &[Genome],
    read: impl FnOnce(&[i64], &[f32]) -> Result<R, String>,
) -> Result<R, String> {
    let n = genomes.len();
    let mut code = Vec::with_capacity(n * CODE_GENES);
    let mut attrs = Vec::with_capacity(n * ATTR_GENES);
    for genome in genomes {
        let (c, a) = genome.generator_input();
        code.extend_from_slice(&c);
        attrs.extend_from_slice(&a);
    }
    let code = TensorRef::from_array_view(([n, CODE_GENES], &code[..])).map_err(|e| e.to_string())?;
    let attrs = TensorRef::from_array_view(([n, ATTR_GENES], &attrs[..])).map_err(|e| e.to_string())?;
    let outputs = session.run(ort::inputs!["code" => code, "attrs" => attrs]).map_err(|e| e.to_string())?;
    let image = outputs.get("image").ok_or("the model returned no `image`")?;
    let (shape, values) = image.try_extract_tensor::<f32>().map_err(|e| e.to_string())?;
    read(shape, values)
}

/// Decode the all-zero genome once: learns H = W when the model leaves them symbolic, proves the
/// model runs, and catches outputs outside 0..1 before any portrait is served.
fn probe(session: &mut Session, declared: Option<u32>) -> Result<u32, String> {
    forward(session, &[Genome::default()], |dims, values| {
        let &[1, 3, h, w] = dims else {
            return Err(format!("a probe run returned `image` of shape {dims:?}, expected [1, 3, H, W]"));
        };
        if h != w || h < MIN_MODEL_SIZE as i64 {
            return Err(format!("a probe run returned a {h}x{w} image, expected H = W >= {MIN_MODEL_SIZE}"));
        }
        if declared.is_some_and(|d| d as i64 != h) {
            return Err(format!("`image` is declared {declared:?} pixels wide but a probe run returned {h}"));
        }
        let (lo, hi) = values.iter().fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)));
        if values.iter().any(|v| !v.is_finite()) || lo < -RANGE_SLACK || hi > 1.0 + RANGE_SLACK {
            return Err(format!(
                "`image` must be RGB in 0..1, a probe run returned values in [{lo}, {hi}] \
                 (end the network with a sigmoid, or map tanh output with (x + 1) / 2)"
            ));
        }
        Ok(h as u32)
    })
}

/// One model input or output as declared: what the interface check reads.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Port {
    /// Its name in the graph.
    pub name: String,
    /// The tensor element type, or None when it is not a tensor at all.
    pub ty: Option<TensorElementType>,
    /// Declared dimensions, -1 where symbolic (the batch N, sometimes H and W).
    pub dims: Vec<i64>,
}

impl Port {
    fn of(name: &str, dtype: &ort::value::ValueType) -> Port {
        Port {
            name: name.to_owned(),
            ty: dtype.tensor_type(),
            dims: dtype.tensor_shape().map(|s| s.to_vec()).unwrap_or_default(),
        }
    }

    /// `float32[N,32]`-style text, `?` for a symbolic dimension.
    fn describe(&self) -> String {
        let ty = match self.ty {
            Some(TensorElementType::Float32) => "float32".to_owned(),
            Some(TensorElementType::Int64) => "int64".to_owned(),
            Some(other) => format!("{other:?}").to_lowercase(),
            None => "a non-tensor".to_owned(),
        };
        let dims: Vec<String> = self.dims.iter().map(|d| if *d < 0 { "?".into() } else { d.to_string() }).collect();
        format!("{ty}[{}]", dims.join(","))
    }
}

/// Check declared inputs and outputs against the spec. Returns H (= W) when the model declares it,
/// None when it is symbolic; an error names the first mismatch and, where useful, the fix.
pub(crate) fn check_interface(inputs: &[Port], outputs: &[Port]) -> Result<Option<u32>, String> {
    let names = |ports: &[Port]| ports.iter().map(|p| format!("`{}`", p.name)).collect::<Vec<_>>().join(", ");
    for (kind, ports, wanted) in [("input", inputs, &["code", "attrs"][..]), ("output", outputs, &["image"][..])] {
        for want in wanted {
            if !ports.iter().any(|p| p.name == *want) {
                return Err(format!("it has no {kind} named `{want}` (its {kind}s: {})", names(ports)));
            }
        }
        if let Some(extra) = ports.iter().find(|p| !wanted.contains(&p.name.as_str())) {
            return Err(format!("unexpected {kind} `{}` (its {kind}s: {})", extra.name, names(ports)));
        }
    }
    let port = |ports: &[Port], name: &str| ports.iter().find(|p| p.name == name).cloned().expect("checked above");
    let checks = [
        (port(inputs, "code"), TensorElementType::Float32, vec![-1, CODE_GENES as i64], "float32[N,32]"),
        (port(inputs, "attrs"), TensorElementType::Int64, vec![-1, ATTR_GENES as i64], "int64[N,8]"),
        (port(outputs, "image"), TensorElementType::Float32, vec![-1, 3, -1, -1], "float32[N,3,H,W]"),
    ];
    for (port, ty, dims, spec) in &checks {
        let fits = |d: &i64, want: &i64| *want < 0 || d == want;
        if port.ty != Some(*ty) || port.dims.len() != dims.len() || !port.dims.iter().zip(dims).all(|(d, w)| fits(d, w))
        {
            return Err(format!("`{}` must be {spec}, found {}", port.name, port.describe()));
        }
        if port.dims[0] >= 0 {
            return Err(format!(
                "`{}` has a fixed batch size {} ({}); export N as a dynamic axis so requests can be batched",
                port.name,
                port.dims[0],
                port.describe()
            ));
        }
    }
    let image = &checks[2].0;
    match (image.dims[2], image.dims[3]) {
        (h, w) if h >= 0 && w >= 0 && h != w => Err(format!("`image` must be square, found {}", image.describe())),
        (h, _) if h >= 0 && h < MIN_MODEL_SIZE as i64 => {
            Err(format!("`image` must be at least {MIN_MODEL_SIZE} pixels, found {}", image.describe()))
        }
        (h, w) if h >= 0 && w >= 0 => Ok(Some(h as u32)),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn port(name: &str, ty: TensorElementType, dims: &[i64]) -> Port {
        Port { name: name.into(), ty: Some(ty), dims: dims.to_vec() }
    }

    fn spec_inputs() -> Vec<Port> {
        vec![port("code", TensorElementType::Float32, &[-1, 32]), port("attrs", TensorElementType::Int64, &[-1, 8])]
    }

    fn image(dims: &[i64]) -> Vec<Port> {
        vec![port("image", TensorElementType::Float32, dims)]
    }

    #[test]
    fn the_spec_interface_passes() {
        assert_eq!(check_interface(&spec_inputs(), &image(&[-1, 3, 128, 128])), Ok(Some(128)));
        assert_eq!(check_interface(&spec_inputs(), &image(&[-1, 3, -1, -1])), Ok(None));
        let mut swapped = spec_inputs();
        swapped.reverse();
        assert_eq!(check_interface(&swapped, &image(&[-1, 3, 64, 64])), Ok(Some(64)));
    }

    #[test]
    fn mismatches_are_named() {
        let err = |inputs: &[Port], outputs: &[Port]| check_interface(inputs, outputs).unwrap_err();
        let mut wrong_name = spec_inputs();
        wrong_name[0].name = "z".into();
        assert_eq!(
            err(&wrong_name, &image(&[-1, 3, 64, 64])),
            "it has no input named `code` (its inputs: `z`, `attrs`)"
        );

        let mut wrong_type = spec_inputs();
        wrong_type[1].ty = Some(TensorElementType::Int32);
        assert_eq!(err(&wrong_type, &image(&[-1, 3, 64, 64])), "`attrs` must be int64[N,8], found int32[?,8]");

        let mut wrong_width = spec_inputs();
        wrong_width[0].dims = vec![-1, 40];
        assert_eq!(err(&wrong_width, &image(&[-1, 3, 64, 64])), "`code` must be float32[N,32], found float32[?,40]");

        let mut fixed_batch = spec_inputs();
        fixed_batch[0].dims = vec![1, 32];
        assert!(err(&fixed_batch, &image(&[-1, 3, 64, 64])).contains("fixed batch size 1"));

        assert!(err(&spec_inputs(), &image(&[-1, 3, 64, 32])).contains("must be square"));
        assert!(err(&spec_inputs(), &image(&[-1, 3, 32, 32])).contains("at least 64"));
        assert!(err(&spec_inputs(), &image(&[-1, 64, 64, 3])).contains("float32[N,3,H,W]"));

        let logits = vec![port("logits", TensorElementType::Float32, &[-1, 8, 16])];
        assert!(err(&spec_inputs(), &logits).starts_with("it has no output named `image`"));

        let mut extra = spec_inputs();
        extra.push(port("noise", TensorElementType::Float32, &[-1, 4]));
        assert!(err(&extra, &image(&[-1, 3, 64, 64])).starts_with("unexpected input `noise`"));
    }

    #[test]
    fn a_missing_model_says_where_and_what_to_do() {
        let err = Model::load(Path::new("models/no-such-generator.onnx"), None).unwrap_err();
        assert!(matches!(err, GeneratorError::ModelMissing { .. }), "{err:?}");
        let message = err.to_string();
        assert!(message.contains("models/no-such-generator.onnx"), "{message}");
        assert!(message.contains("CHIMERA_GENERATOR_MODEL"), "{message}");
    }

    #[test]
    fn the_model_hash_is_sha256_of_the_file() {
        let hash = ModelHash::of(b"abc");
        assert_eq!(hash.to_string(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
