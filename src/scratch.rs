//! One reusable byte buffer per thread, for bytes on their way somewhere else: a record's
//! plain bytes before compression or after decompression (`store::compression`), a gRPC
//! message before it is copied into tonic's buffer (`grpc::codec`).
//!
//! A hot path that needs a few hundred bytes for a moment borrows the buffer instead of
//! allocating. The buffer is taken out while in use, so a nested use (a reader that
//! decompresses in turn) finds none and gets a fresh one rather than aliasing. The threads
//! that use it are the runtime's workers and the blocking pool, both bounded.
//!
//! Owns: that buffer. Knows nothing of what the bytes are.

use std::cell::Cell;

thread_local! {
    static SCRATCH: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// A buffer grown past this by an unusually large use is dropped, not kept for the
/// thread's lifetime.
const KEPT_BYTES: usize = 64 * 1024;

/// Runs `use_buffer` with this thread's scratch buffer, empty.
pub fn with_bytes<R>(use_buffer: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    let mut buffer = SCRATCH.take();
    buffer.clear();
    let result = use_buffer(&mut buffer);
    if buffer.capacity() <= KEPT_BYTES {
        SCRATCH.set(buffer);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_buffer_is_reused_empty_and_a_nested_use_gets_its_own() {
        let first = with_bytes(|buffer| {
            buffer.extend_from_slice(b"record");
            buffer.as_ptr()
        });
        with_bytes(|buffer| {
            assert!(buffer.is_empty());
            assert_eq!(buffer.as_ptr(), first, "the same allocation, reused");
            buffer.push(1);
            with_bytes(|nested| {
                assert!(nested.is_empty());
                assert_ne!(nested.as_ptr(), buffer.as_ptr());
            });
            assert_eq!(buffer.as_slice(), [1]);
        });
    }

    #[test]
    fn a_buffer_grown_past_the_bound_is_not_kept() {
        with_bytes(|buffer| buffer.resize(KEPT_BYTES + 1, 0));
        with_bytes(|buffer| assert!(buffer.capacity() <= KEPT_BYTES));
    }
}
