//! The `chimera` command's subcommands. `src/main.rs` parses arguments with [`Cli`] and calls
//! [`run`]; everything here returns values or text so it can be tested without a process.

use crate::fusion::{self, BreedingLaw, LabOp, Seed};
use crate::genome::Genome;
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
    /// The dev world: local chain, contract, genesis characters, indexer, keeper, API, web app.
    Dev {
        /// Where chain state and the index live.
        #[arg(long, default_value = ".chimera/dev")]
        data_dir: std::path::PathBuf,
        /// Start from an empty chain and index.
        #[arg(long)]
        reset: bool,
        /// Port of the API and web app on 127.0.0.1.
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Port of the local chain on 127.0.0.1.
        #[arg(long, default_value_t = 8545)]
        anvil_port: u16,
        /// Genesis characters on a fresh chain.
        #[arg(long, default_value_t = 12)]
        genesis: usize,
        /// Seconds per block.
        #[arg(long, default_value_t = 1)]
        block_time: u64,
    },
    /// The platform service against any EVM JSON-RPC node: indexer, optional keeper, API.
    Serve {
        /// JSON-RPC URL of the node.
        #[arg(long, env = "CHIMERA_RPC_URL")]
        rpc_url: String,
        /// The Chimera contract's address.
        #[arg(long, env = "CHIMERA_CONTRACT")]
        contract: String,
        /// The contract's deployment block (where indexing starts).
        #[arg(long, env = "CHIMERA_FROM_BLOCK", default_value_t = 0)]
        from_block: u64,
        /// Blocks a change must be buried under before it is indexed.
        #[arg(long, env = "CHIMERA_CONFIRMATIONS", default_value_t = 2)]
        confirmations: u64,
        /// Private key of the keeper that hatches births (optional).
        #[arg(long, env = "CHIMERA_KEEPER_KEY", hide_env_values = true)]
        keeper_key: Option<String>,
        /// Address to listen on.
        #[arg(long, env = "CHIMERA_LISTEN", default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        /// Where the index lives.
        #[arg(long, env = "CHIMERA_DATA_DIR", default_value = ".chimera/serve")]
        data_dir: std::path::PathBuf,
        /// The URL players reach this service at (links and sign-in use it).
        #[arg(long, env = "CHIMERA_PUBLIC_URL")]
        public_url: Option<String>,
        /// The built web app to serve at / (default web/dist when it exists).
        #[arg(long, env = "CHIMERA_WEB_DIR")]
        web_dir: Option<std::path::PathBuf>,
        /// Blocks per eth_getLogs call (lower it for providers that cap log ranges).
        #[arg(long, env = "CHIMERA_BATCH_BLOCKS", default_value_t = 2_000)]
        batch_blocks: u64,
    },
    /// Deploy the Chimera contract to a node and print its address and block.
    Deploy {
        /// JSON-RPC URL of the node.
        #[arg(long, env = "CHIMERA_RPC_URL")]
        rpc_url: String,
        /// The deployer's private key (it becomes admin and minter).
        #[arg(long, env = "CHIMERA_DEPLOYER_KEY", hide_env_values = true)]
        private_key: String,
        /// tokenURI prefix, e.g. https://chimera.example/api/tokens/
        #[arg(long)]
        base_uri: String,
        /// Most genesis characters the minter may create.
        #[arg(long, default_value_t = 10_000)]
        genesis_cap: u64,
    },
    /// Print the contract's events as JSON lines (genomes decoded), from a block or live.
    Watch {
        /// JSON-RPC URL of the node.
        #[arg(long, env = "CHIMERA_RPC_URL")]
        rpc_url: String,
        /// The Chimera contract's address.
        #[arg(long, env = "CHIMERA_CONTRACT")]
        contract: String,
        /// First block (default: live from the next block).
        #[arg(long)]
        from_block: Option<u64>,
        /// Exit once caught up with the chain's head.
        #[arg(long)]
        until_head: bool,
    },
    /// Render one genome's portrait to a PNG file.
    Render {
        /// The genome: 80 hex digits, optional 0x.
        hex: String,
        /// Output file.
        #[arg(short, long, default_value = "portrait.png")]
        out: std::path::PathBuf,
        /// Edge in pixels (default: the model's size).
        #[arg(long)]
        size: Option<u32>,
    },
    /// A contact sheet: random portraits, or one attribute slot swept over its 16 values.
    Sheet {
        /// Output file.
        #[arg(short, long, default_value = "sheet.png")]
        out: std::path::PathBuf,
        /// Seed of the random genomes.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Rows.
        #[arg(long, default_value_t = 4)]
        rows: usize,
        /// Columns (ignored with --sweep, which shows 16).
        #[arg(long, default_value_t = 8)]
        columns: usize,
        /// Sweep this attribute slot (a name such as hair_style) along each row.
        #[arg(long)]
        sweep: Option<String>,
        /// Cell size in pixels (default: the model's size).
        #[arg(long)]
        cell: Option<u32>,
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
                writeln!(out, "{}", Genome::random(&mut rng))?;
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
        Command::Render { hex, out: path, size } => {
            let genome = Genome::from_hex(hex.trim())?;
            let png = crate::generator::render_png(&crate::generator::default_model_path(), &genome, size)?;
            std::fs::write(&path, png).with_context(|| format!("writing {}", path.display()))?;
            writeln!(out, "wrote {}", path.display())?;
        }
        Command::Sheet { out: path, seed, rows, columns, sweep, cell } => {
            use crate::generator::{ContactSheet, SheetLayout};
            let layout = match sweep {
                Some(name) => {
                    let (slot, _) = crate::genome::attributes::slot_by_name(&name).ok_or_else(|| {
                        let names: Vec<_> = crate::genome::SLOT_TABLE.iter().map(|s| s.name).collect();
                        anyhow::anyhow!("--sweep must be an attribute slot ({}), got {name:?}", names.join(", "))
                    })?;
                    SheetLayout::Sweep { seed, rows, slot }
                }
                None => SheetLayout::Random { seed, rows, columns },
            };
            let sheet = ContactSheet { layout, cell, labels: true };
            let png = crate::generator::contact_sheet_png(&crate::generator::default_model_path(), &sheet)?;
            std::fs::write(&path, png).with_context(|| format!("writing {}", path.display()))?;
            writeln!(out, "wrote {}", path.display())?;
        }
        Command::Dev { data_dir, reset, port, anvil_port, genesis, block_time } => {
            let config = crate::dev::DevConfig {
                data_dir,
                reset,
                port,
                anvil_port,
                genesis,
                block_time,
                model: crate::generator::default_model_path(),
                web_dir: "web/dist".into(),
            };
            runtime()?.block_on(crate::dev::run(config))?;
        }
        Command::Serve { rpc_url, contract, from_block, confirmations, keeper_key, listen, data_dir, public_url, web_dir, batch_blocks } => {
            let config = crate::service::ServiceConfig {
                rpc_url,
                contract: parse_address("--contract", &contract)?,
                from_block,
                confirmations,
                keeper_key,
                listen,
                data_dir,
                public_url,
                model: crate::generator::default_model_path(),
                web_dir: web_dir.or_else(|| std::path::Path::new("web/dist/index.html").exists().then(|| "web/dist".into())),
                poll_interval: std::time::Duration::from_secs(1),
                progress: true,
                batch_blocks,
            };
            runtime()?.block_on(async {
                let service = crate::service::Service::start(config).await?;
                eprintln!("chimera serving on http://{}", service.local_addr);
                service.run_until(crate::service::stop_signal()).await
            })?;
        }
        Command::Deploy { rpc_url, private_key, base_uri, genesis_cap } => {
            let (address, block) = runtime()?.block_on(async {
                let provider = crate::chain::connect_with_key(&rpc_url, &private_key)?;
                crate::chain::contract::deploy(&provider, &base_uri, genesis_cap).await
            })?;
            writeln!(out, "{}", serde_json::json!({ "address": address.to_checksum(None), "block": block }))?;
        }
        Command::Watch { rpc_url, contract, from_block, until_head } => {
            let contract = parse_address("--contract", &contract)?;
            runtime()?.block_on(async {
                let provider = crate::chain::connect(&rpc_url)?;
                let range = crate::chain::watch::WatchRange { from_block, until_head, poll_interval: std::time::Duration::from_secs(1) };
                crate::chain::watch::watch(&provider, contract, range, out).await
            })?;
        }
    }
    Ok(())
}

/// The async runtime for the commands that talk to a network.
fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Runtime::new()?)
}

fn parse_address(flag: &str, text: &str) -> Result<alloy::primitives::Address> {
    text.trim().parse().map_err(|_| anyhow::anyhow!("{flag} must be a 0x address of 40 hex digits, got {text:?}"))
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
    let (matron, sire) = (Genome::random(&mut rng), Genome::random(&mut rng));
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
