//! The knooppunt binary: configuration, subcommands and wiring. No domain logic lives here.

mod allocator;
mod commands;
mod config;
mod link;
mod mail;
mod progress;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    allocator::give_memory_back_lazily();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("fout: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run())
}

async fn run() -> ExitCode {
    let cli = config::Cli::parse();
    match commands::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fout: {e:#}");
            ExitCode::FAILURE
        }
    }
}
