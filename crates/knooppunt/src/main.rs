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
    let cli = config::Cli::parse();
    // `link` and `encode` keep mimalloc's default: memory they free goes back at once, so what
    // the process holds is what `--memory` counts (the lazy way is for the server's stalls).
    if !matches!(cli.command, config::Command::Link(_) | config::Command::Encode(_)) {
        allocator::give_memory_back_lazily();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("fout: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(cli))
}

async fn run(cli: config::Cli) -> ExitCode {
    match commands::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fout: {e:#}");
            ExitCode::FAILURE
        }
    }
}
