//! Dice comparisons per second per core, per popcount kernel, on real encodings.
//!
//! `knooppunt-dicebench LEFT.enc.csv RIGHT.enc.csv [--left 2000]` compares the first `--left`
//! encodings of LEFT with every encoding of RIGHT on one thread, once per kernel the CPU
//! supports (AVX-512 VPOPCNTQ, AVX-512BW, POPCNT, portable), with no pruning, and prints the
//! rate. A kernel the CPU lacks is named as missing and not timed: `Kernel::scan` would run the
//! portable count under its name.

use anyhow::{anyhow, Result};
use clap::Parser;
use knooppunt_matching::clk::{Clk, Kernel};
use std::time::Instant;

#[derive(Parser)]
#[command(about = "Dice comparisons per second per core, per popcount kernel")]
struct Args {
    left: std::path::PathBuf,
    right: std::path::PathBuf,
    /// Left encodings compared with all right ones.
    #[arg(long, default_value_t = 2000)]
    left_n: usize,
}

const BLOCK: usize = knooppunt_matching::clk::BLOCK;

fn read(path: &std::path::Path) -> Result<Vec<Clk>> {
    let file = std::fs::File::open(path)?;
    let r = knooppunt_app::linkage::read_encoded(std::io::BufReader::new(file)).map_err(|p| anyhow!(p.join("; ")))?;
    Ok(r.encoded.iter().map(|e| e.clk).collect())
}

fn main() -> Result<()> {
    let args = Args::parse();
    let left = read(&args.left)?;
    let right = read(&args.right)?;
    let counts: Vec<u32> = right.iter().map(Clk::count).collect();
    let left = &left[..args.left_n.min(left.len())];
    println!("detected kernel: {}", Kernel::detect().name());
    for kernel in Kernel::ALL {
        if !kernel.supported() {
            println!("{:<18} not on this CPU, not timed", kernel.name());
            continue;
        }
        let started = Instant::now();
        let mut found = 0u64;
        // Blocks of right encodings that stay in the core's L2 cache while every left one
        // passes, as `link_encoded` does.
        for (block, block_counts) in right.chunks(BLOCK).zip(counts.chunks(BLOCK)) {
            for l in left {
                // A threshold of 0.95 finds (almost) nothing: this times the comparisons.
                kernel.scan(l, block, block_counts, 0.95, &mut |_, _| found += 1);
            }
        }
        let secs = started.elapsed().as_secs_f64();
        let n = (left.len() * right.len()) as f64;
        println!("{:<18} {:>8.0} M Dice/s on one core ({n:.0} comparisons in {secs:.2} s, {found} ≥ 0.95)", kernel.name(), n / secs / 1e6);
    }
    Ok(())
}
