//! The Rust half of `benches/generator_compare.py`: the portrait generator's throughput, its
//! latency under concurrent requests with and without dynamic batching, and a dump of its output
//! for the numerical check against onnxruntime-python.
//!
//! ```text
//! generator_throughput throughput GENOMES [--threads 2] [--seconds 3] [--batches 1,16,64]
//! generator_throughput latency [--threads 2] [--seconds 5] [--clients 16] [--max-batch 8] [--max-wait-ms 3]
//! generator_throughput dump GENOMES OUT_DIR [--threads 2]
//! ```
//!
//! GENOMES is a file of 40-byte genomes back to back (the Python script writes it). Every mode
//! prints one JSON line per figure. The model is `models/generator.onnx` or
//! `$CHIMERA_GENERATOR_MODEL`.
//!
//! - `throughput`: `Model::run` on the first B genomes, repeatedly for `--seconds` per batch size
//!   (after one warm-up run): `{"impl":"rust-ort","batch":B,"images_per_s":X,...}`. `Model::run`
//!   is the whole decode the server does (inputs built from genomes, one `session.run`, RGB8
//!   conversion); a lone genome is decoded as a batch of two copies of itself (see `Model::run`).
//! - `latency`: `--clients` Tokio tasks each ask a `Generator` for fresh genomes (never a cache
//!   hit) in a closed loop for `--seconds`, once with dynamic batching (`--max-batch`,
//!   `--max-wait-ms`; the defaults are `BatchConfig::default()`) and once without (batch 1, zero
//!   wait): `{"mode":"batched"|"unbatched","p50_ms":..,"p99_ms":..,...}`.
//! - `dump`: writes, for all genomes in GENOMES, the model inputs the library builds
//!   (`code.f32`: N×32 little-endian f32; `attrs.i64`: N×8 little-endian i64), the raw model
//!   output of one `session.run` on them in the library's ONNX Runtime environment with the same
//!   thread count (`image.f32`: N×3×H×W little-endian f32) and the portraits `Model::run` returns
//!   (`rgb.u8`: N×H×W×3), then one JSON line with N and H.

use chimera::generator::{self, runtime, BatchConfig, Generator, GeneratorConfig, Model};
use chimera::genome::{Gene, Genome, ATTR_GENES, BYTES, CODE_GENES};
use ort::session::Session;
use ort::value::TensorRef;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const USAGE: &str = "usage: generator_throughput throughput GENOMES [--threads N] [--seconds S] [--batches 1,16,64]
       generator_throughput latency [--threads N] [--seconds S] [--clients C] [--max-batch B] [--max-wait-ms MS]
       generator_throughput dump GENOMES OUT_DIR [--threads N]";

/// Command-line options shared by the modes: positional arguments and `--name value` pairs.
struct Args {
    /// Arguments that are not options, in order (the mode first).
    positional: Vec<String>,
    /// `--name value` pairs.
    options: Vec<(String, String)>,
}

impl Args {
    fn parse() -> Args {
        let mut args = Args { positional: Vec::new(), options: Vec::new() };
        let mut raw = std::env::args().skip(1);
        while let Some(arg) = raw.next() {
            match arg.strip_prefix("--") {
                Some(name) => {
                    let value = raw.next().unwrap_or_else(|| fail(&format!("--{name} needs a value")));
                    args.options.push((name.to_owned(), value));
                }
                None => args.positional.push(arg),
            }
        }
        args
    }

    fn positional(&self, index: usize, what: &str) -> &str {
        self.positional.get(index).map(String::as_str).unwrap_or_else(|| fail(&format!("missing {what}")))
    }

    fn get<T: std::str::FromStr>(&self, name: &str, default: T) -> T {
        match self.options.iter().rev().find(|(n, _)| n == name) {
            Some((_, value)) => value.parse().unwrap_or_else(|_| fail(&format!("--{name} {value} is not valid"))),
            None => default,
        }
    }
}

fn fail(message: &str) -> ! {
    eprintln!("generator_throughput: {message}\n{USAGE}");
    std::process::exit(2)
}

fn model_path() -> PathBuf {
    let path = generator::default_model_path();
    if path.is_file() {
        return path;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join(generator::DEFAULT_MODEL)
}

fn read_genomes(path: &str) -> Vec<Genome> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| fail(&format!("cannot read {path}: {e}")));
    if bytes.is_empty() || !bytes.len().is_multiple_of(BYTES) {
        fail(&format!("{path} must hold whole {BYTES}-byte genomes, it has {} bytes", bytes.len()));
    }
    bytes.chunks_exact(BYTES).map(|g| Genome::from_slice(g).expect("a 40-byte chunk")).collect()
}

fn main() {
    let args = Args::parse();
    let threads: usize = args.get("threads", 2);
    match args.positional(0, "the mode") {
        "throughput" => throughput(&args, threads),
        "latency" => latency(&args, threads),
        "dump" => dump(&args, threads),
        other => fail(&format!("unknown mode {other}")),
    }
}

/// Images/s of `Model::run` per batch size and, with `--bare 1`, of a bare session on the same
/// inputs (the library's overhead, and the cost of decoding a lone genome as a pair).
fn throughput(args: &Args, threads: usize) {
    let genomes = read_genomes(args.positional(1, "GENOMES"));
    let seconds: f64 = args.get("seconds", 3.0);
    let batches: String = args.get("batches", "1,16,64".to_owned());
    let bare: u8 = args.get("bare", 0);
    let model = Model::load(&model_path(), Some(threads)).unwrap_or_else(|e| fail(&e.to_string()));
    let mut session = (bare != 0).then(|| bare_session(threads));
    for batch in batches.split(',') {
        let batch: usize = batch.trim().parse().unwrap_or_else(|_| fail(&format!("batch size {batch}")));
        if batch == 0 || batch > genomes.len() {
            fail(&format!("batch {batch} needs 1..={} genomes", genomes.len()));
        }
        let inputs = &genomes[..batch];
        let runs = time_runs(seconds, || {
            std::hint::black_box(model.run(inputs).unwrap_or_else(|e| fail(&e.to_string())));
        });
        report("rust-ort", batch, runs, threads);
        if let Some(session) = session.as_mut() {
            let (code, attrs) = generator_inputs(inputs);
            let runs = time_runs(seconds, || {
                std::hint::black_box(run_session(session, batch, &code, &attrs, |_, values| values[0]));
            });
            report("rust-ort-session", batch, runs, threads);
        }
    }
}

/// Runs of `run` (after one warm-up) until `seconds` have passed: (runs, elapsed seconds).
fn time_runs(seconds: f64, mut run: impl FnMut()) -> (u64, f64) {
    run();
    let (start, mut runs) = (Instant::now(), 0u64);
    while start.elapsed().as_secs_f64() < seconds {
        run();
        runs += 1;
    }
    (runs, start.elapsed().as_secs_f64())
}

fn report(name: &str, batch: usize, (runs, elapsed): (u64, f64), threads: usize) {
    println!(
        "{{\"impl\":\"{name}\",\"batch\":{batch},\"images_per_s\":{:.3},\"runs\":{runs},\"seconds\":{elapsed:.3},\"threads\":{threads}}}",
        (runs * batch as u64) as f64 / elapsed
    );
}

/// The model inputs the library builds for `genomes`: code N×32, attrs N×8, row-major.
fn generator_inputs(genomes: &[Genome]) -> (Vec<f32>, Vec<i64>) {
    let n = genomes.len();
    let (mut code, mut attrs) = (Vec::with_capacity(n * CODE_GENES), Vec::with_capacity(n * ATTR_GENES));
    for genome in genomes {
        let (c, a) = genome.generator_input();
        code.extend_from_slice(&c);
        attrs.extend_from_slice(&a);
    }
    (code, attrs)
}

/// A plain session over the model in the library's ONNX Runtime environment, with the thread
/// count `Model::load` would set: `Model` keeps its f32 output private (it hands out RGB8).
fn bare_session(threads: usize) -> Session {
    let path = model_path();
    let open_error = |e: String| -> ! { fail(&format!("cannot open {}: {e}", path.display())) };
    let env = runtime::environment().unwrap_or_else(|e| open_error(e.to_string()));
    let builder = Session::builder(&env).unwrap_or_else(|e| open_error(e.to_string()));
    let mut builder = builder.with_intra_threads(threads).unwrap_or_else(|e| open_error(e.to_string()));
    builder.commit_from_file(&path).unwrap_or_else(|e| open_error(e.to_string()))
}

/// One `session.run` on `n` rows of inputs; `read` sees `image`'s shape and values.
fn run_session<R>(
    session: &mut Session,
    n: usize,
    code: &[f32],
    attrs: &[i64],
    read: impl FnOnce(&[i64], &[f32]) -> R,
) -> R {
    let code = TensorRef::from_array_view(([n, CODE_GENES], code)).unwrap_or_else(|e| fail(&e.to_string()));
    let attrs = TensorRef::from_array_view(([n, ATTR_GENES], attrs)).unwrap_or_else(|e| fail(&e.to_string()));
    let outputs = session
        .run(ort::inputs!["code" => code, "attrs" => attrs])
        .unwrap_or_else(|e| fail(&format!("session.run: {e}")));
    let (shape, values) = outputs["image"].try_extract_tensor::<f32>().unwrap_or_else(|e| fail(&e.to_string()));
    read(shape, values)
}

/// p50/p99 of one portrait under concurrent requests, batched and not.
fn latency(args: &Args, threads: usize) {
    let seconds: f64 = args.get("seconds", 5.0);
    let clients: usize = args.get("clients", 16);
    let default = BatchConfig::default();
    let batched = BatchConfig {
        max_batch: args.get("max-batch", default.max_batch),
        max_wait: Duration::from_micros((args.get("max-wait-ms", default.max_wait.as_secs_f64() * 1e3) * 1e3) as u64),
    };
    let unbatched = BatchConfig { max_batch: 1, max_wait: Duration::ZERO };
    // Two workers for the requesters: they only await; inference runs on the batching thread.
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    for (mode, batch) in [("batched", batched), ("unbatched", unbatched)] {
        // A one-entry cache and never-repeated genomes: every request is decoded.
        let config =
            GeneratorConfig { batch, cache_entries: 1, threads: Some(threads), ..GeneratorConfig::new(model_path()) };
        let generator = Generator::open(config).unwrap_or_else(|e| fail(&e.to_string()));
        let mut times = runtime.block_on(requesters(&generator, clients, seconds));
        let stats = generator.stats();
        generator.shutdown();
        times.sort_unstable();
        let quantile = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1e3;
        println!(
            "{{\"impl\":\"rust-ort\",\"mode\":\"{mode}\",\"clients\":{clients},\"max_batch\":{},\"max_wait_ms\":{},\"requests\":{},\"cache_hits\":{},\"images_per_s\":{:.2},\"p50_ms\":{:.2},\"p99_ms\":{:.2},\"mean_batch\":{:.2},\"threads\":{threads}}}",
            batch.max_batch,
            batch.max_wait.as_secs_f64() * 1e3,
            times.len(),
            stats.cache_hits,
            times.len() as f64 / seconds,
            quantile(0.50),
            quantile(0.99),
            stats.mean_batch(),
        );
    }
}

/// `clients` tasks asking for fresh portraits in a closed loop for `seconds` (after one warm-up
/// request each); every timed request's latency.
async fn requesters(generator: &Generator, clients: usize, seconds: f64) -> Vec<Duration> {
    // Request i gets the genome whose first 16 main values are i's nibbles: a portrait (and its
    // cache key) depends on main values only, so each request of the process is a new portrait.
    let next = Arc::new(AtomicU64::new(1));
    let fresh = |next: &AtomicU64| {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let mut genome = Genome::default();
        for gene in 0..16 {
            genome.set_gene(gene, Gene::new((i >> (4 * gene)) as u8 & 0x0f, 0));
        }
        genome
    };
    let warm: Vec<_> = (0..clients)
        .map(|_| {
            let (generator, genome) = (generator.clone(), fresh(&next));
            tokio::spawn(async move { generator.portrait(&genome).await })
        })
        .collect();
    for task in warm {
        task.await.unwrap().unwrap_or_else(|e| fail(&e.to_string()));
    }
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (generator, next) = (generator.clone(), next.clone());
            tokio::spawn(async move {
                let mut times = Vec::new();
                while Instant::now() < until {
                    let genome = fresh(&next);
                    let start = Instant::now();
                    generator.portrait(&genome).await.unwrap_or_else(|e| fail(&e.to_string()));
                    times.push(start.elapsed());
                }
                times
            })
        })
        .collect();
    let mut times = Vec::new();
    for task in tasks {
        times.extend(task.await.unwrap());
    }
    times
}

/// The library's inputs, the raw model output and the RGB8 portraits for GENOMES.
fn dump(args: &Args, threads: usize) {
    let genomes = read_genomes(args.positional(1, "GENOMES"));
    let out = PathBuf::from(args.positional(2, "OUT_DIR"));
    std::fs::create_dir_all(&out).unwrap_or_else(|e| fail(&format!("cannot create {}: {e}", out.display())));
    let write = |name: &str, bytes: &[u8]| {
        let path = out.join(name);
        std::fs::write(&path, bytes).unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", path.display())));
    };

    let n = genomes.len();
    let (code, attrs) = generator_inputs(&genomes);
    write("code.f32", &code.iter().flat_map(|v| v.to_le_bytes()).collect::<Vec<_>>());
    write("attrs.i64", &attrs.iter().flat_map(|v| v.to_le_bytes()).collect::<Vec<_>>());

    let mut session = bare_session(threads);
    let (shape, size) = run_session(&mut session, n, &code, &attrs, |shape, values| {
        write("image.f32", &values.iter().flat_map(|v| v.to_le_bytes()).collect::<Vec<_>>());
        (shape.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(","), shape[2])
    });

    let model = Model::load(&model_path(), Some(threads)).unwrap_or_else(|e| fail(&e.to_string()));
    let portraits = model.run(&genomes).unwrap_or_else(|e| fail(&e.to_string()));
    write("rgb.u8", &portraits.iter().flat_map(|p| p.as_rgb().iter().copied()).collect::<Vec<_>>());
    println!("{{\"impl\":\"rust-ort\",\"dump\":{n},\"size\":{size},\"shape\":[{shape}]}}");
}
