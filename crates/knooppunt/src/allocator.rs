//! The binary's allocator: mimalloc rather than glibc's malloc — a request allocates many
//! short-lived buffers, and glibc spent about a fifth of a search's CPU consolidating them
//! (docs/benchmarks.md, knowledge search, sixth round).
//!
//! mimalloc gives memory it no longer uses back to the system after a delay. By default it does
//! so with `MADV_DONTNEED`, so the next use of those pages faults and zeroes them again, and the
//! purges take the process's memory-map lock that every page fault of every thread waits for:
//! under load that showed as stalls of 30–150 ms holding every request in flight at once (the
//! large buffers of reading the search copy purged about a second later). With
//! `purge_decommits = 0` it gives memory back with `MADV_FREE` instead: the kernel takes the
//! pages only when it needs them, and a page still held costs nothing to use again (measured in
//! docs/benchmarks.md, seventh round).

use std::ffi::{c_int, c_long};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_decommits` (its position in `mi_option_e`, the same in
/// mimalloc 2 and 3).
const PURGE_DECOMMITS: c_int = 5;

extern "C" {
    fn mi_option_set(option: c_int, value: c_long);
    #[allow(dead_code, reason = "the search benchmark includes this file and does not link")]
    fn mi_collect(force: bool);
    #[cfg(test)]
    fn mi_option_get(option: c_int) -> c_long;
}

/// Makes mimalloc give memory back lazily (see the module's comment). Call first in `main`.
pub fn give_memory_back_lazily() {
    // SAFETY: mimalloc's options are plain values set atomically; any thread may set one at
    // any time, and this one only changes how later purges return memory.
    unsafe { mi_option_set(PURGE_DECOMMITS, 0) }
}

/// Gives what this thread's heap has freed back to the system now, not after mimalloc's delay:
/// call before reading the resident memory to weigh it against a budget.
#[allow(dead_code, reason = "the search benchmark includes this file and does not link")]
pub fn give_freed_memory_back() {
    // SAFETY: mi_collect only purges the calling thread's own free pages; it is safe at any time.
    unsafe { mi_collect(true) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn memory_is_given_back_lazily() {
        // SAFETY: reading an option is a plain load.
        let before = unsafe { super::mi_option_get(super::PURGE_DECOMMITS) };
        assert_eq!(before, 1, "mimalloc's default decommits (MADV_DONTNEED); the option's number is right");
        super::give_memory_back_lazily();
        assert_eq!(unsafe { super::mi_option_get(super::PURGE_DECOMMITS) }, 0);
    }
}
