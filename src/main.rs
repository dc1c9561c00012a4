//! The `chimera` binary: parse arguments, set up logging, run, print errors. All logic lives in
//! the library.

use clap::Parser;

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "chimera=info,warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = chimera::cli::Cli::parse();
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = chimera::cli::run(cli, &mut stdout) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}
