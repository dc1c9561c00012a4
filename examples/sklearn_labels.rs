//! The Rust half of `benches/sklearn_compare.py`: one simulated owner's 1 000 swipes of random
//! characters and 4 000 held-out characters with the owner's true verdicts, written as CSV
//! (160 features, then the label) into the folder given, plus this engine's own fit of the same
//! labels — L2 logistic regression, `C = 1/l2` in scikit-learn's terms — as one JSON line.
//!
//! `cargo run --release --example sklearn_labels -- OUT_DIR [LABELS]`

use chimera::genome::Genome;
use chimera::preference::simulate::{random_swipes, SimulatedOwner};
use chimera::preference::{FeatureMap, FitOptions, Label, TasteModel};
use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;
use std::io::Write;
use std::time::Instant;

fn write_csv(path: &std::path::Path, rows: &[(Genome, bool)]) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    for (g, label) in rows {
        let f = FeatureMap::Latent.features(g);
        let line: Vec<String> = f.iter().map(|x| format!("{x}")).collect();
        writeln!(out, "{},{}", line.join(","), *label as u8)?;
    }
    Ok(())
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = std::path::PathBuf::from(
        args.first()
            .expect("usage: sklearn_labels OUT_DIR [LABELS]"),
    );
    let n: usize = args
        .get(1)
        .map_or(1000, |v| v.parse().expect("LABELS is a number"));
    std::fs::create_dir_all(&dir)?;
    let owner = SimulatedOwner::new("attributes", 7);
    let book = random_swipes(&owner, n, 11);
    let train: Vec<(Genome, bool)> = book
        .labels()
        .map(|l| match l {
            Label::Swipe { genome, like } => (*genome, *like),
            other => unreachable!("random_swipes gives swipes, got {other:?}"),
        })
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    let test: Vec<(Genome, bool)> = (0..4000)
        .map(|_| Genome::random(&mut rng))
        .map(|g| (g, owner.likes(&g)))
        .collect();
    write_csv(&dir.join("train.csv"), &train)?;
    write_csv(&dir.join("test.csv"), &test)?;

    let options = FitOptions::default();
    let mut times: Vec<f64> = (0..51)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(TasteModel::fit(&book, &options).expect("labels"));
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let model = TasteModel::fit(&book, &options).expect("labels");
    let accuracy = test
        .iter()
        .filter(|(g, t)| (model.like(g) >= 0.5) == *t)
        .count() as f64
        / test.len() as f64;
    println!(
        "{{\"labels\": {n}, \"l2\": {}, \"fit_ms_median\": {:.4}, \"fit_ms_min\": {:.4}, \"accuracy\": {accuracy:.4}, \"newton_steps\": {}}}",
        options.l2,
        times[times.len() / 2],
        times[0],
        model.summary().iterations
    );
    Ok(())
}
