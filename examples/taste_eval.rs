//! The preference engine's evaluation harness: simulated owners with hidden tastes label batches
//! from the targeted queue and from a random one; the table shows labels to 85 % / 90 % held-out
//! accuracy, the ideal judged by the hidden taste, and steered vs random breeding.
//!
//! `cargo run --release --example taste_eval` (full scale) or `-- --small` (CI scale, seconds).
//! `--ridge` fits plain L2 models instead of per-gene relevance; `--owners N`, `--budget N` and
//! `--seed N` change the scale; `--json` prints the report as JSON. The logic is
//! `chimera::preference::simulate`.

use chimera::preference::simulate::{run, HarnessConfig};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let has = |flag: &str| args.iter().any(|a| a == flag);
    let value = |flag: &str| -> Option<u64> {
        let i = args.iter().position(|a| a == flag)?;
        Some(
            args.get(i + 1)
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{flag} takes a number")),
        )
    };
    let mut config = if has("--small") {
        HarnessConfig::small()
    } else {
        HarnessConfig::full()
    };
    config.fit.relevance = !has("--ridge");
    config.owners = value("--owners").map_or(config.owners, |v| v as usize);
    config.budget = value("--budget").map_or(config.budget, |v| v as usize);
    config.seed = value("--seed").unwrap_or(config.seed);
    let started = Instant::now();
    let report = run(&config);
    if has("--json") {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("a report serialises")
        );
        return;
    }
    print!("{report}");
    println!("goals: ≤ 40 labels to 90 % on the linear tastes (attributes, code) and ≤ 0.5 × the random queue's count");
    println!(
        "models: {}; harness ran in {:.1} s",
        if config.fit.relevance {
            "per-gene relevance (ARD)"
        } else {
            "plain L2"
        },
        started.elapsed().as_secs_f64()
    );
}
