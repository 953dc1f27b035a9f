//! A client stream of file pieces (ImportFollowers) turned into a blocking `Read` for the
//! service's importer, with backpressure: a task pulls messages off the connection into a
//! small bounded channel, and the reader, running on a blocking thread, takes them out as
//! the importer asks for bytes. At most [`PIECES_IN_FLIGHT`] pieces wait in memory.
//!
//! Owns the transport side of an import only (message checks through `convert.rs`, a broken
//! stream's status); what the bytes mean, the total size cap and storage belong to the
//! service.

use std::io::{self, Read};
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;
use tonic::{Status, Streaming};

use super::status::to_status;
use super::{convert, limits, pb};

/// Pieces buffered between the connection and the importer.
pub const PIECES_IN_FLIGHT: usize = 4;

/// Why the request stream broke off, when it did; set before the reader is told.
type Failure = Arc<Mutex<Option<Status>>>;

/// The importer's side: the file's bytes in order, then end of file.
pub struct PieceReader {
    pieces: mpsc::Receiver<Option<Vec<u8>>>,
    current: Vec<u8>,
    at: usize,
}

impl Read for PieceReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.current.len() {
            match self.pieces.blocking_recv() {
                Some(Some(piece)) => {
                    self.current = piece;
                    self.at = 0;
                }
                Some(None) => return Err(io::Error::other("the request stream broke off")),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len() - self.at);
        buf[..n].copy_from_slice(&self.current[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// The connection's side: the task pulling messages, stopped when this is dropped.
pub struct Feeder {
    task: tokio::task::JoinHandle<()>,
    failure: Failure,
}

impl Feeder {
    /// The status the request stream broke off with, if it did. It explains a read error
    /// better than the error the importer then met.
    pub fn failure(&self) -> Option<Status> {
        self.failure
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
    }
}

impl Drop for Feeder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts pulling the rest of `inbound` (the messages after the first) as file pieces of
/// at most `max_piece` bytes each.
pub fn feed(
    mut inbound: Streaming<pb::ImportFollowersRequest>,
    max_piece: usize,
) -> (PieceReader, Feeder) {
    let (tx, rx) = mpsc::channel(PIECES_IN_FLIGHT);
    let failure: Failure = Arc::default();
    let noted = failure.clone();
    let task = tokio::spawn(async move {
        let broke_off = |status: Status| {
            *noted.lock().unwrap_or_else(|p| p.into_inner()) = Some(status);
        };
        loop {
            let piece = match inbound.message().await {
                Ok(Some(message)) => convert::import_data(message, max_piece).map_err(to_status),
                Ok(None) => return,
                Err(status) => Err(limits::request_status_as_promised(status)),
            };
            let sent = match piece {
                Ok(piece) if piece.is_empty() => continue,
                Ok(piece) => tx.send(Some(piece)).await,
                Err(status) => {
                    broke_off(status);
                    // The importer may have stopped reading; then nobody needs telling.
                    let _ = tx.send(None).await;
                    return;
                }
            };
            if sent.is_err() {
                // The importer stopped reading (it refused the input); nothing more to do.
                return;
            }
        }
    });
    let reader = PieceReader {
        pieces: rx,
        current: Vec::new(),
        at: 0,
    };
    (reader, Feeder { task, failure })
}
