//! The portrait generator against the real model, `models/generator.onnx` (or the file named by
//! `CHIMERA_GENERATOR_MODEL`): the spec'd interface, determinism, batching, the cache, contact
//! sheets and the errors a user sees. Without the model every test here fails and says so.

use chimera::generator::{
    self, BatchConfig, ContactSheet, Generator, GeneratorConfig, GeneratorError, Model, SheetLayout,
};
use chimera::genome::{Gene, Genome, GENES};
use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The real generator model; panics with what to do when it is not there.
fn model_path() -> PathBuf {
    let path = match std::env::var_os(generator::MODEL_ENV) {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join(generator::DEFAULT_MODEL),
    };
    assert!(
        path.is_file(),
        "the generator model is missing: {} does not exist. It is trained and exported as \
         models/README.md describes; set {} to test another ONNX file with the same interface.",
        path.display(),
        generator::MODEL_ENV
    );
    path
}

fn open(batch: BatchConfig) -> Generator {
    let config = GeneratorConfig { batch, ..GeneratorConfig::new(model_path()) };
    Generator::open(config).unwrap_or_else(|e| panic!("{e}"))
}

/// `n` uniformly random genomes; each test draws from its own `seed`.
fn genomes(n: usize, seed: u64) -> Vec<Genome> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| Genome::random(&mut rng))
        .collect()
}

fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes)).read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

#[test]
fn the_model_has_the_spec_interface() {
    let model = Model::load(&model_path(), None).unwrap_or_else(|e| panic!("{e}"));
    assert!(model.size() >= 64, "H = W >= 64, got {}", model.size());
    let portraits = model.run(&genomes(3, 0)).unwrap();
    assert_eq!(portraits.len(), 3);
    for p in &portraits {
        assert_eq!((p.width(), p.height()), (model.size(), model.size()));
    }
    assert_ne!(portraits[0], portraits[1], "different genomes should draw different portraits");
    assert_eq!(model.runs(), 1);
}

#[test]
fn decoding_is_deterministic() {
    let batch = genomes(4, 1);
    let first = Model::load(&model_path(), None).unwrap().run(&batch).unwrap();
    let model = Model::load(&model_path(), Some(1)).unwrap();
    assert_eq!(model.run(&batch).unwrap(), first, "a second session with one thread");
    assert_eq!(model.run(&batch).unwrap(), first, "a second run of the same session");
}

#[test]
fn batched_runs_give_the_pixels_of_single_runs() {
    let model = Model::load(&model_path(), None).unwrap();
    let batch = genomes(32, 2);
    let together = model.run(&batch).unwrap();
    let mut differing = 0usize;
    let mut worst = 0u8;
    for (genome, batched) in batch.iter().zip(&together) {
        let alone = model.run(std::slice::from_ref(genome)).unwrap().remove(0);
        for (a, b) in alone.as_rgb().iter().zip(batched.as_rgb()) {
            if a != b {
                differing += 1;
                worst = worst.max(a.abs_diff(*b));
            }
        }
    }
    assert_eq!(
        (differing, worst),
        (0, 0),
        "batch-of-32 pixels differ from single runs in {differing} channel values (at most by {worst})"
    );
}

#[test]
fn sub_values_do_not_change_the_portrait() {
    let generator = open(BatchConfig::default());
    let genome = genomes(1, 3)[0];
    let mut other_subs = genome;
    for i in 0..GENES {
        other_subs.set_gene(i, Gene::new(genome.gene(i).main, 15 - genome.gene(i).sub));
    }
    assert_eq!(generator.key(&genome), generator.key(&other_subs));
    let a = generator.portraits_blocking(&[genome]).unwrap();
    let b = generator.portraits_blocking(&[other_subs]).unwrap();
    assert!(Arc::ptr_eq(&a[0], &b[0]), "the second genome is served the first one's portrait");
    assert_eq!(generator.stats().runs, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cache_returns_the_same_bytes_without_a_second_run() {
    let generator = open(BatchConfig::default());
    let genome = genomes(1, 4)[0];
    let first = generator.png(&genome, None).await.unwrap();
    let runs = generator.stats().runs;
    assert_eq!(runs, 1);
    let second = generator.png(&genome, None).await.unwrap();
    assert_eq!(first, second);
    let stats = generator.stats();
    assert_eq!((stats.runs, stats.cache_hits, stats.requests), (1, 1, 2), "{stats:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_requests_are_batched() {
    // A generous wait so that a loaded test machine still gathers each burst into one run.
    let generator = open(BatchConfig { max_batch: 32, max_wait: Duration::from_millis(50) });
    let batch = genomes(64, 5);
    let tasks: Vec<_> = batch
        .iter()
        .map(|genome| {
            let (generator, genome) = (generator.clone(), *genome);
            tokio::spawn(async move { generator.portrait(&genome).await })
        })
        .collect();
    let mut served = Vec::new();
    for task in tasks {
        served.push(task.await.unwrap().unwrap());
    }
    let stats = generator.stats();
    assert_eq!(stats.decoded, 64, "{stats:?}");
    assert!(stats.runs <= 4, "64 concurrent requests took {} runs: {stats:?}", stats.runs);
    assert!(stats.largest_batch > 1 && stats.largest_batch <= 32, "{stats:?}");
    // And each request got its own genome's portrait.
    let reference = generator.model().run(&batch[..4]).unwrap();
    for (portrait, expected) in served.iter().zip(&reference) {
        assert_eq!(portrait.as_ref(), expected);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_twins_are_decoded_once() {
    let generator = open(BatchConfig { max_batch: 32, max_wait: Duration::from_millis(50) });
    let genome = genomes(1, 6)[0];
    let tasks: Vec<_> = (0..16u8)
        .map(|sub| {
            let generator = generator.clone();
            let mut twin = genome;
            twin.set_gene(0, Gene::new(genome.gene(0).main, sub));
            tokio::spawn(async move { generator.portrait(&twin).await.unwrap() })
        })
        .collect();
    let mut served = Vec::new();
    for task in tasks {
        served.push(task.await.unwrap());
    }
    assert!(served.iter().all(|p| Arc::ptr_eq(p, &served[0])));
    assert_eq!(generator.stats().decoded, 1, "{:?}", generator.stats());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn png_sizes_scale_crisply() {
    let generator = open(BatchConfig::default());
    let size = generator.size();
    let genome = genomes(1, 7)[0];
    let (w, h, native) = decode_png(&generator.png(&genome, None).await.unwrap());
    assert_eq!((w, h), (size, size));
    let (w, h, doubled) = decode_png(&generator.png(&genome, Some(2 * size)).await.unwrap());
    assert_eq!((w, h), (2 * size, 2 * size));
    for y in 0..2 * size as usize {
        for x in 0..2 * size as usize {
            let big = &doubled[(y * 2 * size as usize + x) * 3..][..3];
            let small = &native[((y / 2) * size as usize + x / 2) * 3..][..3];
            assert_eq!(big, small, "pixel {x},{y} of the 2x portrait");
        }
    }
    let (w, h, _) = decode_png(&generator.png(&genome, Some(48)).await.unwrap());
    assert_eq!((w, h), (48, 48));
    let err = generator.png(&genome, Some(0)).await.unwrap_err();
    assert!(matches!(err, GeneratorError::Size { got: 0, .. }), "{err}");
    assert_eq!(generator.stats().runs, 1, "every size is drawn from one decode");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contact_sheet_is_one_batched_grid() {
    let generator = open(BatchConfig { max_batch: 32, max_wait: Duration::from_millis(3) });
    let sheet = ContactSheet { layout: SheetLayout::Sweep { seed: 9, rows: 2, slot: 0 }, cell: Some(64), labels: true };
    let (w, h, _) = decode_png(&generator.contact_sheet(&sheet).await.unwrap());
    // 16 columns and 2 rows of 64-pixel cells, 2-pixel gutters, a 7-unit label margin (unit 2).
    assert_eq!((w, h), (14 + 16 * 66 + 2, 14 + 2 * 66 + 2));
    assert_eq!(generator.stats().runs, 1, "32 portraits in one run: {:?}", generator.stats());
}

#[test]
fn the_cli_entry_points_render_pngs() {
    let model = model_path();
    let genome = genomes(1, 8)[0];
    let (w, h, _) = decode_png(&generator::render_png(&model, &genome, Some(128)).unwrap());
    assert_eq!((w, h), (128, 128));
    let sheet =
        ContactSheet { layout: SheetLayout::Random { seed: 1, rows: 3, columns: 4 }, cell: None, labels: false };
    let png = generator::contact_sheet_png(&model, &sheet).unwrap();
    let size = Model::load(&model, None).unwrap().size();
    let unit = (size / 32).max(1);
    assert_eq!(decode_png(&png).0, 4 * (size + unit) + unit);
}

#[test]
fn after_shutdown_requests_fail_clearly() {
    let generator = open(BatchConfig::default());
    let genome = genomes(1, 10)[0];
    generator.portraits_blocking(&[genome]).unwrap();
    generator.shutdown();
    generator.shutdown();
    // Cached portraits are still served; new ones are refused.
    assert!(generator.portraits_blocking(&[genome]).is_ok());
    let err = generator.portraits_blocking(&genomes(1, 11)).unwrap_err();
    assert_eq!(err, GeneratorError::ShutDown);
}

#[test]
fn a_missing_model_names_the_path_and_the_fix() {
    let err = Generator::open(GeneratorConfig::new("models/does-not-exist.onnx")).unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, GeneratorError::ModelMissing { .. }), "{err:?}");
    assert!(message.contains("models/does-not-exist.onnx") && message.contains(generator::MODEL_ENV), "{message}");
}

#[test]
fn a_file_that_is_not_a_model_is_refused_with_its_path() {
    let dir = std::env::temp_dir().join(format!("chimera-generator-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bogus = dir.join("generator.onnx");
    std::fs::write(&bogus, b"this is not an ONNX protobuf").unwrap();
    let err = Model::load(&bogus, None).unwrap_err();
    assert!(matches!(err, GeneratorError::ModelLoad { .. }), "{err:?}");
    assert!(err.to_string().contains(&*bogus.to_string_lossy()), "{err}");
    let err = Model::load(&dir, None).unwrap_err();
    assert!(matches!(err, GeneratorError::ModelLoad { .. }), "a directory: {err:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_recognizer_is_refused_as_a_generator() {
    let recognizer = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/recognizer.onnx");
    if !recognizer.is_file() {
        eprintln!("skipped: {} is not there yet", recognizer.display());
        return;
    }
    let err = Model::load(&recognizer, None).unwrap_err();
    assert!(matches!(err, GeneratorError::Interface { .. }), "{err:?}");
    assert!(err.to_string().contains("no input named `code`"), "{err}");
}
