//! The read log: audit and processing-log lines of read-only use cases, group-committed.
//!
//! A read-only use case reads in a read-only transaction ([`App::begin_read`]) and, before it
//! returns anything, hands its lines to [`App::log_read`], which returns only once they are
//! committed. So no read leaves without its durable audit line, as before — but the reads of
//! many requests run side by side (SQLite's readers, PostgreSQL's pool), and their lines are
//! written together: whoever finds the writer free writes every waiting request's lines in one
//! transaction (one commit, one head update of the audit chain), then tells each request.
//! Requests that waited behind it usually find their lines already written.
//!
//! A request that is cancelled while it writes (the client went away) rolls its transaction
//! back; the requests whose lines it carried put them in the queue again. Lines are never
//! reported written when they were not: a request only returns after a commit that held them.

use crate::{App, AppError, Ctx, DataSubject, Object};
use knooppunt_store::audit::AuditEntry;
use knooppunt_store::processing::ProcessingLine;
use std::sync::Mutex;
use tokio::sync::oneshot;

/// What one read writes: its audit line and a processing-log line per data subject.
#[derive(Debug, Clone)]
pub(crate) struct ReadLines {
    pub audit: AuditEntry,
    pub processing: Vec<ProcessingLine>,
}

/// The outcome of a batch, told to each request in it. A database that is away stays
/// "unavailable" (503), anything else is internal.
#[derive(Debug, Clone)]
enum Failure {
    Unavailable,
    Internal(String),
}

impl From<Failure> for AppError {
    fn from(f: Failure) -> Self {
        match f {
            Failure::Unavailable => AppError::Unavailable,
            Failure::Internal(m) => AppError::Internal(m),
        }
    }
}

type Outcome = Result<(), Failure>;

struct Waiting {
    lines: ReadLines,
    done: oneshot::Sender<Outcome>,
}

/// The queue of lines waiting to be written and the right to write them.
#[derive(Default)]
pub(crate) struct ReadLog {
    queue: Mutex<Vec<Waiting>>,
    writer: tokio::sync::Mutex<()>,
}

impl ReadLog {
    fn push(&self, lines: ReadLines) -> oneshot::Receiver<Outcome> {
        let (done, receiver) = oneshot::channel();
        let waiting = Waiting { lines, done };
        match self.queue.lock() {
            Ok(mut q) => q.push(waiting),
            // A poisoned lock only means a thread panicked while pushing; the queue is intact.
            Err(poisoned) => poisoned.into_inner().push(waiting),
        }
        receiver
    }

    fn take(&self) -> Vec<Waiting> {
        match self.queue.lock() {
            Ok(mut q) => std::mem::take(&mut *q),
            Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
        }
    }
}

impl App {
    /// A read-only transaction for a read-only use case; its lines go to [`App::log_read`].
    pub(crate) async fn begin_read(&self) -> Result<knooppunt_store::Tx, AppError> {
        Ok(self.db.begin_read().await?)
    }

    /// The lines of a read of personal data: one audit line and one processing-log line per
    /// data subject, as [`App::record_personal_read`] writes them in a writing transaction.
    pub(crate) fn personal_read_lines(&self, ctx: &Ctx, activity: &str, action: &str, object: &Object<'_>, subjects: &[DataSubject]) -> ReadLines {
        ReadLines {
            audit: self.audit_entry(ctx, action, object, crate::Outcome::Ok, &format!("{} betrokkene(n)", subjects.len())),
            processing: self.processing_lines_of(ctx, activity, subjects),
        }
    }

    /// Logs a read of personal data and returns once its lines are committed; the caller
    /// returns the data only after this succeeded.
    pub(crate) async fn log_personal_read(&self, ctx: &Ctx, activity: &str, action: &str, object: &Object<'_>, subjects: &[DataSubject]) -> Result<(), AppError> {
        self.log_read(self.personal_read_lines(ctx, activity, action, object, subjects)).await
    }

    /// Logs a read without personal data (an audit line only), group-committed.
    pub(crate) async fn log_plain_read(&self, ctx: &Ctx, action: &str, object: &Object<'_>, detail: &str) -> Result<(), AppError> {
        self.log_read(ReadLines { audit: self.audit_entry(ctx, action, object, crate::Outcome::Ok, detail), processing: Vec::new() }).await
    }

    /// Queues `lines` and waits until a commit holds them (group commit, see the module).
    pub(crate) async fn log_read(&self, lines: ReadLines) -> Result<(), AppError> {
        let log = &self.read_log;
        let mut receiver = log.push(lines.clone());
        loop {
            let writer = log.writer.lock().await;
            match receiver.try_recv() {
                Ok(result) => return result.map_err(AppError::from),
                Err(oneshot::error::TryRecvError::Closed) => {
                    // The request that carried our lines was cancelled before its commit.
                    receiver = log.push(lines.clone());
                    continue;
                }
                Err(oneshot::error::TryRecvError::Empty) => {}
            }
            let batch = log.take();
            let result = self.write_read_lines(&batch).await.map_err(|e| match e {
                AppError::Unavailable => Failure::Unavailable,
                other => Failure::Internal(other.to_string()),
            });
            for w in batch {
                // A receiver that is gone belongs to a request that was cancelled; its lines
                // are written all the same.
                let _ = w.done.send(result.clone());
            }
            drop(writer);
            // Our own lines were in the batch (they were queued before we took the writer).
            return match receiver.await {
                Ok(result) => result.map_err(AppError::from),
                Err(_) => Err(AppError::Internal("read log: result lost".into())),
            };
        }
    }

    async fn write_read_lines(&self, batch: &[Waiting]) -> Result<(), AppError> {
        if batch.is_empty() {
            return Ok(());
        }
        let entries: Vec<AuditEntry> = batch.iter().map(|w| w.lines.audit.clone()).collect();
        let processing: Vec<ProcessingLine> = batch.iter().flat_map(|w| w.lines.processing.iter().cloned()).collect();
        let mut tx = self.begin().await?;
        knooppunt_store::audit::append_many(&mut tx, &self.config.audit_key, &entries).await?;
        knooppunt_store::processing::append_many(&mut tx, &processing).await?;
        crate::commit(tx).await
    }
}
