//! The floor under the store's figures: what sled 0.34 alone costs per follower, with
//! nothing of followscore's (no scoring, no sealing, no aggregates), as the benchmark
//! suite's streaming and rescoring figures use it.
//!
//! `cargo bench --bench sled_floor -- [--followers N] [--value-bytes B] [--cache-mb MB]`
//!
//! - **Fill:** N followers' keys (`F`, a platform byte, a scattered 16-hex-digit id, as the
//!   suite's ids) in batches of 1,000 (one stream's chunk): each key is read first (the
//!   write path must know whether a follower is new), then the batch is applied, flushed
//!   and its file synced (`fdatasync`, as an acknowledgement requires: RELIABILITY.md).
//!   Rate overall and per tenth of the fill.
//! - **Rewrite:** every value rewritten in key order, 256 keys per batch (a rescoring
//!   chunk), read by a range scan, flushed once at the end (a lower bound: the service
//!   flushes on its own schedule).
//! - **Disk:** the directory's bytes per follower after the fill and after the rewrite.
//!
//! Values are incompressible random bytes of `--value-bytes` (default 477: the mean sealed
//! record of the suite's followers, 444 bytes of record and 33 of seal). Prints one JSON
//! object. BENCHMARKS.md quotes its figures beside the suite's.

use std::path::Path;
use std::time::Instant;

const FILL_BATCH: usize = 1_000;
const REWRITE_BATCH: usize = 256;

struct Options {
    followers: u64,
    value_bytes: usize,
    cache_mb: u64,
}

fn options() -> Options {
    let mut options = Options {
        followers: 1_000_000,
        value_bytes: 477,
        cache_mb: 64,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| -> u64 {
            args.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{name} takes a number"))
        };
        match arg.as_str() {
            "--followers" => options.followers = value("--followers"),
            "--value-bytes" => options.value_bytes = value("--value-bytes") as usize,
            "--cache-mb" => options.cache_mb = value("--cache-mb"),
            // cargo passes `--bench` to a bench without the standard harness.
            "--bench" => {}
            other => panic!("unknown argument {other}"),
        }
    }
    options
}

/// Distinct counters give distinct, scattered outputs (as the suite's ids): the project's
/// one seeded generator, `sampling::SplitMix64`.
fn scatter(n: u64) -> u64 {
    followscore::sampling::SplitMix64(n).next_u64()
}

fn key(n: u64) -> Vec<u8> {
    let mut key = vec![b'F', 1];
    key.extend_from_slice(format!("{:016x}", scatter(n)).as_bytes());
    key
}

/// Incompressible bytes, different for every call (as sealed records are).
fn value(bytes: usize, state: &mut u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes + 8);
    while out.len() < bytes {
        *state += 1;
        out.extend_from_slice(&scatter(*state).to_le_bytes());
    }
    out.truncate(bytes);
    out
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .expect("readable directory")
        .map(|entry| {
            let entry = entry.expect("directory entry");
            let meta = entry.metadata().expect("metadata");
            if meta.is_dir() {
                dir_bytes(&entry.path())
            } else {
                meta.len()
            }
        })
        .sum()
}

fn main() -> sled::Result<()> {
    let options = options();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = sled::Config::new()
        .path(dir.path())
        .cache_capacity(options.cache_mb * 1024 * 1024)
        .mode(sled::Mode::HighThroughput)
        .open()?;
    let tree = db.open_tree(b"v1/account/floor")?;
    let log = std::fs::File::open(dir.path().join("db")).expect("sled's log file");
    let mut state = 0u64;

    let n = options.followers;
    let tenth = (n / 10).max(1);
    let mut tenth_rates = Vec::new();
    let started = Instant::now();
    let mut tenth_started = Instant::now();
    let mut next = 0u64;
    while next < n {
        let end = (next + FILL_BATCH as u64).min(n);
        let mut batch = sled::Batch::default();
        for i in next..end {
            let key = key(i);
            // The write path reads the previous record of every follower it writes.
            let _previous = tree.get(&key)?;
            batch.insert(key, value(options.value_bytes, &mut state));
        }
        tree.apply_batch(batch)?;
        db.flush()?;
        log.sync_data().expect("fdatasync");
        for done in next + 1..=end {
            if done % tenth == 0 {
                tenth_rates.push(tenth as f64 / tenth_started.elapsed().as_secs_f64());
                tenth_started = Instant::now();
            }
        }
        next = end;
    }
    let fill_seconds = started.elapsed().as_secs_f64();
    let disk_fill = dir_bytes(dir.path());

    let started = Instant::now();
    let mut after: Option<sled::IVec> = None;
    let mut rewritten = 0u64;
    loop {
        let range = match &after {
            Some(last) => tree.range::<&[u8], _>((
                std::ops::Bound::Excluded(last.as_ref()),
                std::ops::Bound::Unbounded,
            )),
            None => tree.range::<&[u8], _>(..),
        };
        let keys = range
            .take(REWRITE_BATCH)
            .map(|entry| entry.map(|(key, _value)| key))
            .collect::<sled::Result<Vec<_>>>()?;
        let mut batch = sled::Batch::default();
        for key in &keys {
            batch.insert(key.clone(), value(options.value_bytes, &mut state));
        }
        tree.apply_batch(batch)?;
        rewritten += keys.len() as u64;
        if keys.len() < REWRITE_BATCH {
            break;
        }
        after = keys.last().cloned();
    }
    db.flush()?;
    let rewrite_seconds = started.elapsed().as_secs_f64();
    let disk_rewrite = dir_bytes(dir.path());
    assert_eq!(rewritten, n, "the rewrite reaches every key");

    let rates: Vec<String> = tenth_rates.iter().map(|r| format!("{r:.0}")).collect();
    println!(
        "{{\"followers\":{n},\"value_bytes\":{},\"cache_mb\":{},\"fill_per_second\":{:.0},\
         \"fill_tenth_rates\":[{}],\"rewrite_seconds\":{:.2},\"rewrite_per_second\":{:.0},\
         \"disk_per_follower_fill\":{},\"disk_per_follower_rewrite\":{}}}",
        options.value_bytes,
        options.cache_mb,
        n as f64 / fill_seconds,
        rates.join(","),
        rewrite_seconds,
        n as f64 / rewrite_seconds,
        disk_fill / n,
        disk_rewrite / n,
    );
    Ok(())
}
