//! Progress bars on standard error for the long runs of `link` and `encode`: reading each
//! file (bytes), comparing (left records), then the model and the pairs. Shown only when
//! standard error is a terminal; scripts and logs get the summary lines alone.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Read};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

pub(crate) struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar when standard error is a terminal, otherwise nothing.
    pub(crate) fn new() -> Progress {
        Progress::shown(std::io::stderr().is_terminal())
    }

    fn shown(shown: bool) -> Progress {
        let bar = shown.then(|| {
            let b = ProgressBar::new(0);
            b.set_style(ProgressStyle::with_template("{msg:<30} {bar:30} {percent:>3}% ({eta})").unwrap_or_else(|_| ProgressStyle::default_bar()));
            b
        });
        Progress { bar }
    }

    /// Starts a phase of `len` units (0: no known length, the bar waits at 0%).
    pub(crate) fn phase(&self, message: &str, len: u64) {
        if let Some(b) = &self.bar {
            b.set_position(0);
            b.set_length(len);
            b.set_message(message.to_string());
        }
    }

    /// Runs `work` while a second thread copies `counter` into the bar ten times a second.
    pub(crate) fn follow<T>(&self, counter: &AtomicU64, work: impl FnOnce() -> T) -> T {
        let Some(bar) = &self.bar else { return work() };
        let done = AtomicBool::new(false);
        std::thread::scope(|s| {
            s.spawn(|| {
                while !done.load(Ordering::Relaxed) {
                    bar.set_position(counter.load(Ordering::Relaxed));
                    std::thread::sleep(Duration::from_millis(100));
                }
            });
            let result = work();
            done.store(true, Ordering::Relaxed);
            result
        })
    }

    /// Prints what `print` prints without tearing the bar.
    pub(crate) fn suspend(&self, print: impl FnOnce()) {
        match &self.bar {
            Some(b) => b.suspend(print),
            None => print(),
        }
    }

    pub(crate) fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// A reader that adds the bytes it reads to a counter.
pub(crate) struct Counting<'a, R> {
    pub(crate) inner: R,
    pub(crate) counter: &'a AtomicU64,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting_counts_every_byte_and_a_hidden_bar_still_runs_the_work() {
        let counter = AtomicU64::new(0);
        let mut text = String::new();
        let progress = Progress::shown(false);
        let n = progress.follow(&counter, || Counting { inner: "één,twee\n".as_bytes(), counter: &counter }.read_to_string(&mut text));
        assert_eq!(n.ok(), Some(11));
        assert_eq!(counter.load(Ordering::Relaxed), 11);
        let shown = Progress::shown(true);
        shown.phase("lezen", 11);
        assert_eq!(shown.follow(&counter, || 42), 42);
        shown.finish();
    }
}
