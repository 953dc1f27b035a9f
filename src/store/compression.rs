//! Follower records compressed with a frozen zstd dictionary, before they are sealed.
//!
//! A record alone is a few hundred bytes: too short for a compressor to learn anything from
//! it, and most of it is structure every record shares (the result's layout, timestamps
//! near one another, the model version, the words of titles and headlines). A dictionary
//! trained on scored records carries that structure, so each record compresses on its own,
//! readable by key with no neighbour: about 400 bytes become about 185 (BENCHMARKS.md,
//! "Records compressed with a dictionary"). Compression must come before sealing:
//! ciphertext does not compress.
//!
//! A dictionary is part of the on-disk format. Every record written with it needs it to be
//! read, so it is never changed: a better dictionary is a new record format with a new
//! file, and the old one stays in the binary. `the_dictionary_is_frozen` pins its hash.
//! It was trained by `followscore-bench record-dictionary` on the labelled evaluation
//! accounts (`eval/`), not on the shipped examples the benchmarks store, so the
//! benchmarks measure it on records it has not seen.
//!
//! Frames carry their content size (a reader allocates exactly) and no checksum or
//! dictionary id: the format byte before the frame names the dictionary, and a sealed
//! record is already authenticated. (Redis does not seal: there a damaged frame fails to
//! decompress or to decode, or else must still name the follower it is stored under.)
//!
//! This module knows bytes only: what a record is belongs to `codec`.

use std::cell::RefCell;
use std::io::Cursor;
use std::sync::LazyLock;

use zstd::bulk::{Compressor, Decompressor};
use zstd::dict::{DecoderDictionary, EncoderDictionary};
use zstd::zstd_safe::{CParameter, get_frame_content_size};

use super::StoreError;
use crate::scratch;

/// The dictionary of record format 4 (trained on 2026-12-02; see the module comment).
pub const RECORDS_V4_DICTIONARY: &[u8] = include_bytes!("dictionaries/records-4.zdict");

/// zstd's level for records: level 1 keeps nearly all of the dictionary's gain (the frames
/// are a few hundred bytes; there is little for a slower search to find) at the lowest cost
/// on every write and rescoring pass.
const LEVEL: i32 = 1;

/// The largest record a frame may declare. A record is bounded by the service's profile
/// limits, far below this; the bound keeps a damaged frame header from asking for a huge
/// allocation.
pub const MAX_RECORD_BYTES: u64 = 1 << 20;

static ENCODER: LazyLock<EncoderDictionary<'static>> =
    LazyLock::new(|| EncoderDictionary::copy(RECORDS_V4_DICTIONARY, LEVEL));
static DECODER: LazyLock<DecoderDictionary<'static>> =
    LazyLock::new(|| DecoderDictionary::copy(RECORDS_V4_DICTIONARY));

thread_local! {
    // One context per thread that writes or reads records (the runtime's workers and the
    // blocking pool, both bounded): contexts are reused, not built per record.
    static COMPRESSOR: RefCell<Option<Compressor<'static>>> = const { RefCell::new(None) };
    static DECOMPRESSOR: RefCell<Option<Decompressor<'static>>> = const { RefCell::new(None) };
}

fn compressor() -> std::io::Result<Compressor<'static>> {
    let mut compressor = Compressor::with_prepared_dictionary(&ENCODER)?;
    compressor.set_parameter(CParameter::ContentSizeFlag(true))?;
    compressor.set_parameter(CParameter::ChecksumFlag(false))?;
    compressor.set_parameter(CParameter::DictIdFlag(false))?;
    Ok(compressor)
}

/// The most bytes a frame of `plain_len` plain bytes can take.
fn frame_bound(plain_len: usize) -> usize {
    zstd::zstd_safe::compress_bound(plain_len)
}

/// Appends `plain`, compressed into one frame, to `out`.
pub fn compress_into(plain: &[u8], out: &mut Vec<u8>) -> Result<(), StoreError> {
    COMPRESSOR
        .with_borrow_mut(|slot| {
            let compressor = match slot {
                Some(compressor) => compressor,
                None => slot.insert(compressor()?),
            };
            // Room for the worst case, then the frame written after what `out` holds (a
            // cursor at its end): one allocation, no copy.
            let start = out.len();
            out.reserve(frame_bound(plain.len()));
            let mut cursor = Cursor::new(std::mem::take(out));
            cursor.set_position(start as u64);
            let written = compressor.compress_to_buffer(plain, &mut cursor);
            *out = cursor.into_inner();
            written.map(drop)
        })
        .map_err(StoreError::Compression)
}

/// `prefix`, then one frame holding what `write` puts into this thread's scratch buffer
/// (`crate::scratch`): a record is encoded and compressed with one allocation, for the
/// value itself.
pub fn compress_with(
    prefix: &[u8],
    write: impl FnOnce(&mut Vec<u8>) -> Result<(), StoreError>,
) -> Result<Vec<u8>, StoreError> {
    scratch::with_bytes(|plain| {
        write(plain)?;
        let mut out = Vec::with_capacity(prefix.len() + frame_bound(plain.len()));
        out.extend_from_slice(prefix);
        compress_into(plain, &mut out)?;
        Ok(out)
    })
}

/// Decompresses one frame written by `compress_into` into this thread's scratch buffer and
/// hands the plain bytes to `read`: a record is decoded with no allocation for its plain
/// bytes. (`read` may decompress in turn; it then gets a buffer of its own.)
pub fn read_plain<R>(frame: &[u8], read: impl FnOnce(&[u8]) -> R) -> Result<R, StoreError> {
    let size = match get_frame_content_size(frame) {
        Ok(Some(size)) if size <= MAX_RECORD_BYTES => size as usize,
        _ => return Err(StoreError::Compression(damaged("no valid content size"))),
    };
    scratch::with_bytes(|plain| {
        plain.reserve(size);
        let filled = DECOMPRESSOR.with_borrow_mut(|slot| {
            let decompressor = match slot {
                Some(decompressor) => decompressor,
                None => slot.insert(Decompressor::with_prepared_dictionary(&DECODER)?),
            };
            // Writes from the start of the buffer and sets its length.
            decompressor.decompress_to_buffer(frame, plain)
        });
        match filled {
            Ok(n) if n == size => Ok(read(plain)),
            Ok(_) => Err(StoreError::Compression(damaged(
                "shorter than its declared size",
            ))),
            Err(error) => Err(StoreError::Compression(error)),
        }
    })
}

/// The plain bytes of one frame written by `compress_into`, owned.
pub fn decompress(frame: &[u8]) -> Result<Vec<u8>, StoreError> {
    read_plain(frame, <[u8]>::to_vec)
}

fn damaged(what: &str) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!("damaged record frame: {what}"),
    )
}

/// Trains a dictionary of at most `max_bytes` from sample records (plain, as `codec`
/// encodes them before compression). For `followscore-bench record-dictionary`: a new
/// dictionary is a new record format, never a replacement of this one.
pub fn train_dictionary(samples: &[Vec<u8>], max_bytes: usize) -> std::io::Result<Vec<u8>> {
    zstd::dict::from_samples(samples, max_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    /// Records on disk were written with this dictionary: changing a byte of it makes them
    /// unreadable. A new dictionary is a new file and a new record format.
    #[test]
    fn the_dictionary_is_frozen() {
        assert_eq!(
            hex::encode(Sha256::digest(RECORDS_V4_DICTIONARY)),
            "0df2ebe9d05aea9e935406d55fba4e9c951bddc684c343d059a16e76a8460c97",
        );
    }

    #[test]
    fn frames_round_trip_and_shrink_structured_text() {
        let plain =
            b"VP of Revenue Operations at Tailspin Toys | B2B SaaS | rules-3+bot-rf-2".repeat(3);
        let mut out = vec![4];
        compress_into(&plain, &mut out).unwrap();
        assert_eq!(out[0], 4, "appended after what was there");
        assert!(
            out.len() < plain.len() / 2,
            "{} of {}",
            out.len(),
            plain.len()
        );
        assert_eq!(decompress(&out[1..]).unwrap(), plain);
        // Empty input is a valid frame too.
        let mut empty = Vec::new();
        compress_into(&[], &mut empty).unwrap();
        assert_eq!(decompress(&empty).unwrap(), Vec::<u8>::new());
    }

    #[test]
    fn values_are_framed_after_their_prefix_and_read_through_the_scratch_buffer() {
        let first = compress_with(&[4], |plain| {
            plain.extend_from_slice(b"Chief Revenue Officer, Northwind Traders");
            Ok(())
        })
        .unwrap();
        let second = compress_with(&[4], |plain| {
            assert!(
                plain.is_empty(),
                "the scratch buffer starts empty each time"
            );
            plain.extend_from_slice(b"Head of Growth at Fabrikam");
            Ok(())
        })
        .unwrap();
        assert_eq!((first[0], second[0]), (4, 4));
        // A read inside a read gets its own buffer: neither sees the other's bytes.
        let (outer, inner) = read_plain(&first[1..], |outer| {
            let inner = read_plain(&second[1..], <[u8]>::to_vec).unwrap();
            (outer.to_vec(), inner)
        })
        .unwrap();
        assert_eq!(outer, b"Chief Revenue Officer, Northwind Traders");
        assert_eq!(inner, b"Head of Growth at Fabrikam");
        // A failed encoding is the caller's error, and the next one is unaffected.
        let failed = compress_with(&[4], |plain| {
            plain.extend_from_slice(b"half written");
            Err(StoreError::UnknownFormat(9))
        });
        assert!(matches!(failed, Err(StoreError::UnknownFormat(9))));
        let after = compress_with(&[], |plain| {
            plain.extend_from_slice(b"whole");
            Ok(())
        })
        .unwrap();
        assert_eq!(decompress(&after).unwrap(), b"whole");
    }

    #[test]
    fn damaged_frames_are_errors_not_panics() {
        let mut frame = Vec::new();
        compress_into(b"Head of Sales Enablement, Contoso", &mut frame).unwrap();
        for cut in 0..frame.len() {
            assert!(decompress(&frame[..cut]).is_err(), "cut at {cut}");
        }
        assert!(decompress(b"not a frame at all").is_err());
        let mut flipped = frame.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0xff;
        // Without a checksum a flipped literal may still decode: whatever comes out is
        // the declared size or an error, never a panic or an overrun.
        if let Ok(plain) = decompress(&flipped) {
            assert_eq!(plain.len(), 33);
        }
    }
}
