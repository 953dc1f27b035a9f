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
//! record is already authenticated.
//!
//! This module knows bytes only: what a record is belongs to `codec`.

use std::cell::RefCell;
use std::sync::LazyLock;

use zstd::bulk::{Compressor, Decompressor};
use zstd::dict::{DecoderDictionary, EncoderDictionary};
use zstd::zstd_safe::{CParameter, get_frame_content_size};

use super::StoreError;

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

/// Appends `plain`, compressed into one frame, to `out`.
pub fn compress_into(plain: &[u8], out: &mut Vec<u8>) -> Result<(), StoreError> {
    COMPRESSOR
        .with_borrow_mut(|slot| {
            let compressor = match slot {
                Some(compressor) => compressor,
                None => slot.insert(compressor()?),
            };
            // The context writes from the start of a buffer, so the frame is made apart and
            // appended (a copy of a few hundred bytes).
            let frame = compressor.compress(plain)?;
            out.extend_from_slice(&frame);
            Ok(())
        })
        .map_err(StoreError::Compression)
}

/// The plain bytes of one frame written by `compress_into`.
pub fn decompress(frame: &[u8]) -> Result<Vec<u8>, StoreError> {
    let size = match get_frame_content_size(frame) {
        Ok(Some(size)) if size <= MAX_RECORD_BYTES => size as usize,
        _ => return Err(StoreError::Compression(damaged("no valid content size"))),
    };
    DECOMPRESSOR
        .with_borrow_mut(|slot| {
            let decompressor = match slot {
                Some(decompressor) => decompressor,
                None => slot.insert(Decompressor::with_prepared_dictionary(&DECODER)?),
            };
            let mut plain = Vec::with_capacity(size);
            decompressor.decompress_to_buffer(frame, &mut plain)?;
            if plain.len() != size {
                return Err(damaged("shorter than its declared size"));
            }
            Ok(plain)
        })
        .map_err(StoreError::Compression)
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
