//! The `chimera` binary: parse arguments, run, print errors. All logic lives in the library.

use clap::Parser;

fn main() {
    let cli = chimera::cli::Cli::parse();
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = chimera::cli::run(cli, &mut stdout) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}
