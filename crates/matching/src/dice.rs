//! Dice similarity of two encodings, counted by the fastest popcount this CPU has.
//!
//! [`Kernel::detect`] picks at run time: AVX-512 with `VPOPCNTQ` (512 bits per instruction),
//! AVX-512BW (a nibble table looked up with `VPSHUFB` and summed with `VPSADBW`, for CPUs
//! without `VPOPCNTQ`), the scalar `POPCNT` instruction, or a portable count. A kernel the CPU
//! does not have is never run under its name: [`Kernel::scan`] falls back to the portable
//! count, and [`Kernel::supported`] tells a benchmark which kernels it may label.

use crate::clk::Clk;

/// The Dice coefficient of two encodings: `2·|a ∧ b| / (|a| + |b|)`, 0 when both are empty.
pub fn dice(a: &Clk, b: &Clk) -> f64 {
    let total = a.count() + b.count();
    if total == 0 {
        return 0.0;
    }
    2.0 * f64::from(and_count_portable(a, b)) / f64::from(total)
}

fn and_count_portable(a: &Clk, b: &Clk) -> u32 {
    a.0.iter().zip(b.0.iter()).map(|(x, y)| (x & y).count_ones()).sum()
}

/// How `|a ∧ b|` is counted on this CPU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernel {
    /// AVX-512 with `VPOPCNTQ`: 512 bits per instruction.
    Avx512,
    /// AVX-512BW without `VPOPCNTQ`: per byte from a nibble table, summed per 64 bits.
    Avx512Bw,
    /// The scalar `POPCNT` instruction.
    Popcnt,
    /// Plain Rust, whatever the CPU.
    Portable,
}

impl Kernel {
    /// Every kernel, fastest first.
    pub const ALL: [Kernel; 4] = [Kernel::Avx512, Kernel::Avx512Bw, Kernel::Popcnt, Kernel::Portable];

    /// The fastest kernel this CPU supports.
    pub fn detect() -> Kernel {
        Kernel::ALL.into_iter().find(|k| k.supported()).unwrap_or(Kernel::Portable)
    }

    /// Does this CPU have the instructions the kernel is compiled for?
    pub fn supported(self) -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            match self {
                Kernel::Avx512 => std::arch::is_x86_feature_detected!("avx512f") && std::arch::is_x86_feature_detected!("avx512vpopcntdq"),
                Kernel::Avx512Bw => std::arch::is_x86_feature_detected!("avx512f") && std::arch::is_x86_feature_detected!("avx512bw"),
                Kernel::Popcnt => std::arch::is_x86_feature_detected!("popcnt"),
                Kernel::Portable => true,
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            self == Kernel::Portable
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kernel::Avx512 => "avx512-vpopcntdq",
            Kernel::Avx512Bw => "avx512bw",
            Kernel::Popcnt => "popcnt",
            Kernel::Portable => "portable",
        }
    }

    /// For every `rights[j]` with `Dice(left, rights[j]) ≥ threshold`, calls `found(j, dice)`.
    /// `counts[j]` is `rights[j].count()`. On a CPU without the kernel's instructions the
    /// portable count runs instead.
    pub fn scan(self, left: &Clk, rights: &[Clk], counts: &[u32], threshold: f64, found: &mut dyn FnMut(usize, f64)) {
        let a = left.count();
        match self {
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512 if self.supported() => {
                // SAFETY: the features the function is compiled for were detected just above.
                unsafe { x86::scan_avx512(left, a, rights, counts, threshold, found) }
            }
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512Bw if self.supported() => {
                // SAFETY: as above, for AVX-512F and AVX-512BW.
                unsafe { x86::scan_avx512bw(left, a, rights, counts, threshold, found) }
            }
            #[cfg(target_arch = "x86_64")]
            Kernel::Popcnt if self.supported() => {
                // SAFETY: as above, for POPCNT.
                unsafe { x86::scan_popcnt(left, a, rights, counts, threshold, found) }
            }
            _ => scan_with(left, a, rights, counts, threshold, found, and_count_portable),
        }
    }
}

#[inline(always)]
fn scan_with(left: &Clk, a: u32, rights: &[Clk], counts: &[u32], threshold: f64, found: &mut dyn FnMut(usize, f64), and_count: impl Fn(&Clk, &Clk) -> u32) {
    let t = threshold as f32;
    for (j, (r, &b)) in rights.iter().zip(counts).enumerate() {
        let total = (a + b) as f32;
        let shared = and_count(left, r);
        if 2.0 * shared as f32 >= t * total && total > 0.0 {
            found(j, 2.0 * f64::from(shared) / f64::from(a + b));
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{scan_with, Clk};
    use std::arch::x86_64::*;

    /// The scan of four right encodings per step, shared by the AVX-512 kernels; `$count`
    /// gives the shared bits of one right encoding as four 64-bit lanes. A macro, not a
    /// function: the body must be compiled inside each kernel's `target_feature` function.
    /// The four lanes of four encodings are summed in one transpose, so the horizontal sum
    /// costs a quarter per pair, and the threshold is tested on four pairs at once.
    macro_rules! scan_quads {
        ($a:expr, $rights:expr, $counts:expr, $threshold:expr, $found:expr, $count:expr) => {{
            let (a, rights, counts, threshold, found, count): (u32, &[Clk], &[u32], f64, &mut dyn FnMut(usize, f64), _) = ($a, $rights, $counts, $threshold, $found, $count);
            if counts.len() < rights.len() {
                return;
            }
            let t = threshold as f32;
            let mut report = |j: usize, shared: u32| {
                let total = (a + counts[j]) as f32;
                if 2.0 * shared as f32 >= t * total && total > 0.0 {
                    found(j, 2.0 * f64::from(shared) / f64::from(a + counts[j]));
                }
            };
            // A conservative vector prefilter per four pairs: 2048·c + 2048 > T·(a + b) with
            // T = ⌊1024·threshold⌋ never rejects a pair that passes; the rare survivors are
            // checked exactly by `report`.
            let t_lo = _mm256_set1_epi64x((threshold * 1024.0).floor().max(0.0) as i64);
            let a_vec = _mm256_set1_epi64x(i64::from(a));
            let slack = _mm256_set1_epi64x(2048);
            let mut chunks = rights.chunks_exact(4);
            let mut j = 0;
            for quad in &mut chunks {
                let (y0, y1, y2, y3) = (count(&quad[0]), count(&quad[1]), count(&quad[2]), count(&quad[3]));
                let x = _mm256_add_epi64(_mm256_unpacklo_epi64(y0, y1), _mm256_unpackhi_epi64(y0, y1));
                let y = _mm256_add_epi64(_mm256_unpacklo_epi64(y2, y3), _mm256_unpackhi_epi64(y2, y3));
                let t = _mm256_add_epi64(_mm256_permute2x128_si256::<0x20>(x, y), _mm256_permute2x128_si256::<0x31>(x, y));
                // SAFETY: `counts[j..j + 4]` exists (the chunks of `rights` and `counts` line up).
                let b = _mm256_cvtepu32_epi64(unsafe { _mm_loadu_si128(counts.as_ptr().add(j).cast()) });
                let rhs = _mm256_mul_epu32(t_lo, _mm256_add_epi64(a_vec, b));
                let lhs = _mm256_add_epi64(_mm256_slli_epi64::<11>(t), slack);
                let pass = _mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpgt_epi64(lhs, rhs)));
                if pass != 0 {
                    let mut lanes = [0u64; 4];
                    // SAFETY: an unaligned store of 256 bits into a local array of four u64.
                    unsafe { _mm256_storeu_si256(lanes.as_mut_ptr().cast(), t) };
                    for (k, shared) in lanes.iter().enumerate() {
                        if pass & (1 << k) != 0 {
                            report(j + k, *shared as u32);
                        }
                    }
                }
                j += 4;
            }
            for (k, r) in chunks.remainder().iter().enumerate() {
                let y = count(r);
                let mut lanes = [0u64; 4];
                // SAFETY: as above.
                unsafe { _mm256_storeu_si256(lanes.as_mut_ptr().cast(), y) };
                report(j + k, lanes.iter().sum::<u64>() as u32);
            }
        }};
    }

    /// Eight 64-bit lanes folded to four.
    #[target_feature(enable = "avx512f,avx2")]
    #[inline]
    fn fold(c: __m512i) -> __m256i {
        _mm256_add_epi64(_mm512_castsi512_si256(c), _mm512_extracti64x4_epi64::<1>(c))
    }

    #[target_feature(enable = "avx512f,avx512vpopcntdq,avx2")]
    pub(super) fn scan_avx512(left: &Clk, a: u32, rights: &[Clk], counts: &[u32], threshold: f64, found: &mut dyn FnMut(usize, f64)) {
        // SAFETY: `Clk` is 64-byte aligned and 128 bytes long: two aligned 512-bit loads.
        let (l0, l1) = unsafe { (_mm512_load_si512(left.0.as_ptr().cast()), _mm512_load_si512(left.0.as_ptr().add(8).cast())) };
        let count = |r: &Clk| {
            // SAFETY: as above.
            let (r0, r1) = unsafe { (_mm512_load_si512(r.0.as_ptr().cast()), _mm512_load_si512(r.0.as_ptr().add(8).cast())) };
            fold(_mm512_add_epi64(_mm512_popcnt_epi64(_mm512_and_si512(l0, r0)), _mm512_popcnt_epi64(_mm512_and_si512(l1, r1))))
        };
        scan_quads!(a, rights, counts, threshold, found, count)
    }

    /// Without `VPOPCNTQ`: the bits of each byte from a 16-entry nibble table (`VPSHUFB`),
    /// the bytes of the two halves added (at most 16 per byte), then summed per 64 bits
    /// against zero (`VPSADBW`).
    #[target_feature(enable = "avx512f,avx512bw,avx2")]
    pub(super) fn scan_avx512bw(left: &Clk, a: u32, rights: &[Clk], counts: &[u32], threshold: f64, found: &mut dyn FnMut(usize, f64)) {
        let table = _mm512_broadcast_i32x4(_mm_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4));
        let low = _mm512_set1_epi8(0x0f);
        let bytes =
            |v: __m512i| _mm512_add_epi8(_mm512_shuffle_epi8(table, _mm512_and_si512(v, low)), _mm512_shuffle_epi8(table, _mm512_and_si512(_mm512_srli_epi16::<4>(v), low)));
        // SAFETY: `Clk` is 64-byte aligned and 128 bytes long: two aligned 512-bit loads.
        let (l0, l1) = unsafe { (_mm512_load_si512(left.0.as_ptr().cast()), _mm512_load_si512(left.0.as_ptr().add(8).cast())) };
        let count = |r: &Clk| {
            // SAFETY: as above.
            let (r0, r1) = unsafe { (_mm512_load_si512(r.0.as_ptr().cast()), _mm512_load_si512(r.0.as_ptr().add(8).cast())) };
            let per_byte = _mm512_add_epi8(bytes(_mm512_and_si512(l0, r0)), bytes(_mm512_and_si512(l1, r1)));
            fold(_mm512_sad_epu8(per_byte, _mm512_setzero_si512()))
        };
        scan_quads!(a, rights, counts, threshold, found, count)
    }

    #[target_feature(enable = "popcnt")]
    pub(super) fn scan_popcnt(left: &Clk, a: u32, rights: &[Clk], counts: &[u32], threshold: f64, found: &mut dyn FnMut(usize, f64)) {
        scan_with(left, a, rights, counts, threshold, found, |l, r| l.0.iter().zip(r.0.iter()).map(|(x, y)| (x & y).count_ones()).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Encodings of every density from empty to full, from a seeded generator.
    fn encodings(n: usize) -> Vec<Clk> {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        (0..n)
            .map(|i| {
                let mut c = Clk::default();
                for w in c.0.iter_mut() {
                    // Density i/n: AND or OR several random words.
                    *w = match i % 4 {
                        0 => next() & next() & next(),
                        1 => next() & next(),
                        2 => next(),
                        _ => next() | next(),
                    };
                }
                if i == 0 {
                    c = Clk::default();
                }
                if i == 1 {
                    c = Clk([u64::MAX; 16]);
                }
                c
            })
            .collect()
    }

    #[test]
    fn every_kernel_this_cpu_has_counts_the_same() {
        // 103 right encodings: the four-at-once kernels also take their remainder path.
        let clks = encodings(103);
        let counts: Vec<u32> = clks.iter().map(Clk::count).collect();
        let mut ran = Vec::new();
        for threshold in [0.0, 0.3, 0.5, 0.62, 0.8, 1.0] {
            for left in &clks[..12] {
                let mut expected = Vec::new();
                scan_with(left, left.count(), &clks, &counts, threshold, &mut |j, d| expected.push((j, d)), and_count_portable);
                for kernel in Kernel::ALL.into_iter().filter(|k| k.supported()) {
                    let mut got = Vec::new();
                    kernel.scan(left, &clks, &counts, threshold, &mut |j, d| got.push((j, d)));
                    assert_eq!(got, expected, "{kernel:?} at {threshold}");
                    if !ran.contains(&kernel) {
                        ran.push(kernel);
                    }
                }
            }
        }
        eprintln!("getest: {:?}; deze CPU mist: {:?}", ran, Kernel::ALL.iter().filter(|k| !k.supported()).collect::<Vec<_>>());
        assert!(ran.contains(&Kernel::Portable));
        // Dice of an encoding with itself is 1, with the empty one 0.
        assert!((dice(&clks[5], &clks[5]) - 1.0).abs() < 1e-12);
        assert_eq!(dice(&clks[0], &clks[5]), 0.0);
    }

    /// The CPU's own flags, read apart from the detection the kernels use (Linux only).
    fn cpu_flags() -> Option<Vec<String>> {
        let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
        let line = info.lines().find(|l| l.starts_with("flags"))?;
        Some(line.split(':').nth(1)?.split_whitespace().map(str::to_string).collect())
    }

    #[test]
    fn the_fastest_kernel_the_cpu_has_is_chosen() {
        let Some(flags) = cpu_flags().filter(|_| cfg!(target_arch = "x86_64")) else {
            eprintln!("geen /proc/cpuinfo of geen x86-64: alleen de draagbare telling getest");
            assert!(Kernel::detect().supported());
            return;
        };
        let has = |f: &str| flags.iter().any(|x| x == f);
        let expected = if has("avx512f") && has("avx512_vpopcntdq") {
            Kernel::Avx512
        } else if has("avx512f") && has("avx512bw") {
            Kernel::Avx512Bw
        } else if has("popcnt") {
            Kernel::Popcnt
        } else {
            Kernel::Portable
        };
        eprintln!(
            "CPU: avx512f {}, avx512bw {}, avx512_vpopcntdq {}, popcnt {}: verwacht {}",
            has("avx512f"),
            has("avx512bw"),
            has("avx512_vpopcntdq"),
            has("popcnt"),
            expected.name()
        );
        assert_eq!(Kernel::detect(), expected);
        assert!(expected.supported());
    }
}
