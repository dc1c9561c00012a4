//! The `chimera` command's subcommands. `src/main.rs` parses arguments with [`Cli`] and calls
//! [`run`]; everything here returns values or text so it can be tested without a process.

use crate::fusion::{self, BreedingLaw, LabOp, Seed};
use crate::genome::{Genome, BYTES};
use crate::vectors;
use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use std::io::Read;

/// Chimera: generative collectible characters with an on-chain 320-bit genome.
#[derive(Debug, Parser)]
#[command(name = "chimera", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make, decode and encode genomes.
    #[command(subcommand)]
    Genome(GenomeCommand),
    /// Fuse two or more parents into a child and print it.
    Fuse {
        /// Parent genomes as hex (80 digits, optional 0x). `breed` takes exactly two.
        #[arg(required = true, num_args = 2..)]
        parents: Vec<String>,
        /// The seed: a decimal number, or 0x + 64 hex digits (an on-chain seed).
        #[arg(long)]
        seed: String,
        /// `breed` (the on-chain law) or a lab operator: crossover, kpoint:K, mean, weighted:w1,w2,…,
        /// geometric, harmonic, exponential, perturb:σ, or, and, xor, not, blend.
        #[arg(long, default_value = "breed")]
        op: String,
        /// Print the child as JSON (decoded genes; for `breed` also where each gene came from).
        #[arg(long)]
        json: bool,
    },
    /// Write (or check) the shared breed vector file from the Rust engine.
    Vectors {
        /// How many cases.
        #[arg(long, default_value_t = 1024)]
        count: usize,
        /// Where to write it.
        #[arg(long, default_value = vectors::PATH)]
        out: String,
        /// Only check that the file at `--out` matches what the engine generates now.
        #[arg(long)]
        check: bool,
    },
    /// A short tour: random parents, their child under the on-chain law, and why.
    Demo {
        /// Seed for the random parents and the birth.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
}

/// `chimera genome …`
#[derive(Debug, Subcommand)]
pub enum GenomeCommand {
    /// Print random genomes (uniform bytes: every gene uniform, codes from the generator's prior).
    Random {
        /// Seed for reproducible output; omitted, a seed is taken from the OS.
        #[arg(long)]
        seed: Option<u64>,
        /// How many genomes.
        #[arg(long, default_value_t = 1)]
        count: usize,
    },
    /// Decode a hex genome to JSON: main/sub of every gene, attribute names.
    Decode {
        /// The genome: 80 hex digits, optional 0x.
        hex: String,
    },
    /// Encode a JSON genome (as `decode` prints it; names or indices) to hex. `-` reads stdin.
    Encode {
        /// The JSON document, or `-` for standard input.
        json: String,
    },
}

/// Run a parsed command, writing its output to `out`.
pub fn run(cli: Cli, out: &mut impl std::io::Write) -> Result<()> {
    match cli.command {
        Command::Genome(GenomeCommand::Random { seed, count }) => {
            let seed = seed.unwrap_or_else(os_seed);
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            for _ in 0..count {
                writeln!(out, "{}", random_genome(&mut rng))?;
            }
        }
        Command::Genome(GenomeCommand::Decode { hex }) => {
            let genome = Genome::from_hex(hex.trim())?;
            writeln!(out, "{}", serde_json::to_string_pretty(&genome.to_json())?)?;
        }
        Command::Genome(GenomeCommand::Encode { json }) => {
            let text = if json == "-" {
                let mut s = String::new();
                std::io::stdin().read_to_string(&mut s).context("reading the JSON genome from stdin")?;
                s
            } else {
                json
            };
            writeln!(out, "{}", Genome::from_json_str(&text)?)?;
        }
        Command::Fuse { parents, seed, op, json } => {
            let parents = parents
                .iter()
                .enumerate()
                .map(|(i, p)| Genome::from_hex(p.trim()).with_context(|| format!("parent {}", i + 1)))
                .collect::<Result<Vec<_>>>()?;
            let seed = parse_seed(&seed)?;
            let law = BreedingLaw::ONCHAIN;
            if op == "breed" {
                let [matron, sire] = parents[..] else {
                    bail!("breed takes exactly 2 parents (matron, sire), got {}; use a lab --op for more", parents.len());
                };
                let (child, origins) = fusion::breed_explained(&matron, &sire, &seed, &law);
                if json {
                    let doc = serde_json::json!({ "child": child.to_json(), "origins": origins.to_vec() });
                    writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
                } else {
                    writeln!(out, "{child}")?;
                }
            } else {
                let op: LabOp = op.parse()?;
                let child = fusion::fuse(&parents, &op, &seed, &law)?;
                if json {
                    writeln!(out, "{}", serde_json::to_string_pretty(&child.to_json())?)?;
                } else {
                    writeln!(out, "{child}")?;
                }
            }
        }
        Command::Vectors { count, out: path, check } => {
            let text = vectors::to_file(&vectors::generate(count, 0xC41_3E7A));
            if check {
                let on_disk = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
                if on_disk != text {
                    bail!("{path} differs from what the engine generates: run `chimera vectors` and review the diff");
                }
                writeln!(out, "{path}: {count} cases match the engine")?;
            } else {
                if let Some(dir) = std::path::Path::new(&path).parent() {
                    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
                }
                std::fs::write(&path, text).with_context(|| format!("writing {path}"))?;
                writeln!(out, "wrote {count} cases to {path}")?;
            }
        }
        Command::Demo { seed } => demo(seed, out)?,
    }
    Ok(())
}

/// A seed from a decimal number (as 32 big-endian bytes) or `0x` + 64 hex digits.
pub fn parse_seed(text: &str) -> Result<Seed> {
    let text = text.trim();
    let mut seed = [0u8; 32];
    if let Some(digits) = text.strip_prefix("0x") {
        if digits.len() != 64 {
            bail!("a hex seed must be 0x + 64 hex digits, got {} digits", digits.len());
        }
        hex::decode_to_slice(digits, &mut seed).context("the hex seed has a non-hex digit")?;
    } else {
        let n: u64 = text
            .parse()
            .with_context(|| format!("seed must be a decimal number or 0x + 64 hex digits, got \"{text}\""))?;
        seed[24..].copy_from_slice(&n.to_be_bytes());
    }
    Ok(seed)
}

fn random_genome(rng: &mut ChaCha8Rng) -> Genome {
    let mut bytes = [0u8; BYTES];
    rng.fill_bytes(&mut bytes);
    Genome::from_bytes(bytes)
}

fn os_seed() -> u64 {
    // The binary's edge may use the clock; the core never does.
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

fn demo(seed: u64, out: &mut impl std::io::Write) -> Result<()> {
    use crate::genome::{CODE_GENES, SLOT_TABLE};
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (matron, sire) = (random_genome(&mut rng), random_genome(&mut rng));
    let mut birth_seed = [0u8; 32];
    rng.fill_bytes(&mut birth_seed);
    let (child, origins) = fusion::breed_explained(&matron, &sire, &birth_seed, &BreedingLaw::ONCHAIN);
    writeln!(out, "Chimera genome and fusion demo (seed {seed})\n")?;
    writeln!(out, "matron {matron}\nsire   {sire}\nseed   0x{}\nchild  {child}\n", hex::encode(birth_seed))?;
    writeln!(out, "{:<12} {:>18} {:>18} {:>18}  from", "slot", "matron main/sub", "sire main/sub", "child main/sub")?;
    for (slot, s) in SLOT_TABLE.iter().enumerate() {
        let g = CODE_GENES + slot;
        let show = |x: &Genome| format!("{}/{}", s.value_name(x.gene(g).main), s.value_name(x.gene(g).sub));
        let o = origins[g];
        let why = format!("{:?} + {:?}{}", o.main, o.sub, if o.mutated { ", mutated" } else { "" });
        writeln!(out, "{:<12} {:>18} {:>18} {:>18}  {why}", s.name, show(&matron), show(&sire), show(&child))?;
    }
    let mutated = origins.iter().filter(|o| o.mutated).count();
    writeln!(out, "\n{mutated} of 40 genes mutated. Try: chimera fuse {matron} {sire} --seed 7 --op mean")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_args(args: &[&str]) -> Result<String> {
        let cli = Cli::try_parse_from(std::iter::once("chimera").chain(args.iter().copied()))?;
        let mut out = Vec::new();
        run(cli, &mut out)?;
        Ok(String::from_utf8(out)?)
    }

    #[test]
    fn decode_then_encode_round_trips() {
        let hex = run_args(&["genome", "random", "--seed", "5"]).unwrap();
        let json = run_args(&["genome", "decode", hex.trim()]).unwrap();
        assert!(json.contains("\"hair_colour\""));
        assert_eq!(run_args(&["genome", "encode", &json]).unwrap(), hex);
    }

    #[test]
    fn fuse_breed_matches_the_engine_and_rejects_three_parents() {
        let a = Genome::from_bytes([0x12; 40]);
        let b = Genome::from_bytes([0xab; 40]);
        let got = run_args(&["fuse", &a.to_string(), &b.to_string(), "--seed", "9"]).unwrap();
        let expected = fusion::breed(&a, &b, &parse_seed("9").unwrap(), &BreedingLaw::ONCHAIN);
        assert_eq!(got.trim(), expected.to_string());
        let err = run_args(&["fuse", &a.to_string(), &b.to_string(), &a.to_string(), "--seed", "9"]).unwrap_err();
        assert!(err.to_string().contains("exactly 2 parents"), "{err}");
        let three = run_args(&["fuse", &a.to_string(), &b.to_string(), &a.to_string(), "--seed", "9", "--op", "mean"]);
        assert!(three.is_ok());
    }

    #[test]
    fn bad_inputs_say_what_was_wrong() {
        let err = run_args(&["genome", "decode", "0x1234"]).unwrap_err().to_string();
        assert_eq!(err, "genome hex must be 80 hex digits (optionally after 0x), got 4");
        assert!(parse_seed("0x12").unwrap_err().to_string().contains("64 hex digits"));
        assert!(parse_seed("seven").unwrap_err().to_string().contains("decimal number"));
    }
}
