//! The knooppunt binary: configuration, subcommands and wiring. No domain logic lives here.

mod commands;
mod config;
mod link;
mod mail;
mod progress;

use clap::Parser;
use std::process::ExitCode;

/// mimalloc rather than glibc's malloc: a request allocates many short-lived buffers, and glibc
/// spent about a fifth of a search's CPU consolidating them (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = config::Cli::parse();
    match commands::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fout: {e:#}");
            ExitCode::FAILURE
        }
    }
}
