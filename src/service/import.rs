//! Importing a follower file through the server: the bytes of a file in any of the
//! importers' formats (`crate::import`) are read row by row, every good row is scored and
//! stored through the one write path (`score_followers`, in batches, durable before the
//! call returns), and every bad row is reported with its line and field.
//!
//! Memory stays bounded whatever the file's size: the input is a `Read` that is consumed as
//! it is read, one batch of profiles is held at a time, and the answer keeps at most
//! [`Limits::max_import_errors`] errors and [`Limits::max_import_followers`] summaries
//! (counting the rest). The input's total size is capped here ([`Limits::max_import_bytes`]).
//! Transport-free: the caller feeds any `Read` (the gRPC layer adapts its request stream);
//! this module knows nothing of messages, chunks or channels.

use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;

use crate::engine::ids::{AccountId, FollowerKey};
use crate::engine::profile::FollowerProfile;
use crate::engine::result::FollowerResult;
use crate::engine::time::Timestamp;
use crate::engine::vocabulary::{Category, LeadTier};
use crate::import::{self, ImportError, ImportedRow, InputFormat, RowError};

use super::{Limits, Result, ScoreItem, Service, ServiceError};

/// Rows scored and stored in one batch: large enough to amortise the durable flush, small
/// enough to keep memory per import small.
pub const IMPORT_BATCH: usize = 1_024;

/// A row that was not stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRowError {
    /// The line the row starts on, 1-based.
    pub line: u64,
    pub field: Option<String>,
    pub message: String,
    /// The service error code (`invalid_argument` for a row the importer refused).
    pub code: &'static str,
}

/// A stored row's identity and verdict, enough to match it to a CRM record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedFollower {
    pub line: u64,
    pub key: FollowerKey,
    pub category: Category,
    pub lead_tier: LeadTier,
    pub tier_label: String,
    pub lead_score: u8,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOutcome {
    /// The format read (the detected one when none was given).
    pub format: InputFormat,
    pub rows_read: u64,
    pub rows_scored: u64,
    pub errors: Vec<ImportRowError>,
    pub errors_omitted: u64,
    pub followers: Vec<ImportedFollower>,
    pub followers_omitted: u64,
}

impl ImportOutcome {
    pub fn rows_skipped(&self) -> u64 {
        self.rows_read - self.rows_scored
    }

    fn skip(&mut self, error: ImportRowError, limits: &Limits) {
        if self.errors.len() < limits.max_import_errors {
            self.errors.push(error);
        } else {
            self.errors_omitted += 1;
        }
    }

    fn stored(&mut self, line: u64, result: &FollowerResult, limits: &Limits) {
        self.rows_scored += 1;
        if self.followers.len() < limits.max_import_followers {
            self.followers.push(ImportedFollower {
                line,
                key: result.key.clone(),
                category: result.category,
                lead_tier: result.lead_tier,
                tier_label: result.tier_label(),
                lead_score: result.lead_score,
            });
        } else {
            self.followers_omitted += 1;
        }
    }
}

impl Service {
    /// Reads a follower file from `input` (its format detected from the first line when
    /// `format` is `None`), scores and stores every good row for `account` in batches of
    /// [`IMPORT_BATCH`], and reports every bad row. Durable on return.
    ///
    /// Errors: the account is unknown (NotFound); the format cannot be detected or the CSV
    /// header row is unusable (InvalidArgument, field `format` or `data`); the input is larger
    /// than [`Limits::max_import_bytes`] (ResourceExhausted); the input could not be read
    /// (Unavailable). Batches stored before such an error stay stored.
    pub fn import_followers<R: Read>(
        &self,
        account: &AccountId,
        format: Option<InputFormat>,
        input: R,
        now: Timestamp,
    ) -> Result<ImportOutcome> {
        // Fail before reading anything when the account is unknown.
        self.handle(account)?;
        let max_bytes = self.limits.max_import_bytes;
        let input = SizeCapped::new(input, max_bytes);
        let overflowed = input.overflowed.clone();
        let read_failed = |error: &dyn std::fmt::Display| -> ServiceError {
            if overflowed.get() {
                oversized(max_bytes)
            } else {
                ServiceError::Unavailable(format!("the input could not be read: {error}"))
            }
        };

        let (format, rows) = match format {
            Some(format) => (
                format,
                import::read_followers(Box::new(input) as Box<dyn Read>, format),
            ),
            None => match import::detect_reader(input) {
                Ok((format, reader)) => (
                    format,
                    import::read_followers(Box::new(reader) as Box<dyn Read>, format),
                ),
                Err(ImportError::Detect(error)) => {
                    return Err(ServiceError::invalid("format", error.to_string()));
                }
                Err(error) => return Err(read_failed(&error)),
            },
        };

        let mut outcome = ImportOutcome {
            format,
            rows_read: 0,
            rows_scored: 0,
            errors: Vec::new(),
            errors_omitted: 0,
            followers: Vec::new(),
            followers_omitted: 0,
        };
        let mut batch: Vec<(u64, ScoreItem)> = Vec::with_capacity(IMPORT_BATCH);
        for ImportedRow { line, outcome: row } in rows {
            match row {
                Ok(profile) => {
                    outcome.rows_read += 1;
                    if let Err((field, message)) = within_limits(&profile, &self.limits, now) {
                        let skipped = ImportRowError {
                            line,
                            field: Some(field.to_owned()),
                            message,
                            code: "invalid_argument",
                        };
                        outcome.skip(skipped, &self.limits);
                        continue;
                    }
                    batch.push((
                        line,
                        ScoreItem {
                            profile,
                            events: Vec::new(),
                        },
                    ));
                    if batch.len() == IMPORT_BATCH {
                        self.store_batch(account, &mut batch, &mut outcome, now)?;
                    }
                }
                // Nothing after these can be read: the whole input is refused, or it broke
                // off. The pending batch is not stored, as the input is incomplete.
                Err(error @ RowError::Header { .. }) => {
                    return Err(ServiceError::invalid("data", error.to_string()));
                }
                Err(error @ RowError::Io { .. }) => return Err(read_failed(&error)),
                Err(error) => {
                    outcome.rows_read += 1;
                    // The line is a field of its own; the message says only what is wrong.
                    let text = error.to_string();
                    let prefix = format!("line {}: ", error.line());
                    let skipped = ImportRowError {
                        line: error.line(),
                        field: error.field().map(str::to_owned),
                        message: text.strip_prefix(&prefix).unwrap_or(&text).to_owned(),
                        code: "invalid_argument",
                    };
                    outcome.skip(skipped, &self.limits);
                }
            }
        }
        self.store_batch(account, &mut batch, &mut outcome, now)?;
        Ok(outcome)
    }

    /// Scores and stores one batch through the write path; per-row failures are reported,
    /// a failure of the whole batch (storage, a deleted account) ends the import.
    fn store_batch(
        &self,
        account: &AccountId,
        batch: &mut Vec<(u64, ScoreItem)>,
        outcome: &mut ImportOutcome,
        now: Timestamp,
    ) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let (lines, items): (Vec<u64>, Vec<ScoreItem>) = std::mem::take(batch).into_iter().unzip();
        let results = self.score_followers(account, items, now)?.wait()?;
        for (line, result) in lines.into_iter().zip(results) {
            match result {
                Ok(result) => outcome.stored(line, &result, &self.limits),
                Err(error) => {
                    let message = match &error {
                        ServiceError::Internal(_) => "internal error".to_owned(),
                        other => other.to_string(),
                    };
                    let skipped = ImportRowError {
                        line,
                        field: error.field().map(str::to_owned),
                        message,
                        code: error.code(),
                    };
                    outcome.skip(skipped, &self.limits);
                }
            }
        }
        Ok(())
    }
}

/// An imported row is held to the bounds a profile sent through the API is held to
/// (`grpc/convert.rs`, from the same [`Limits`]): text lengths, plausible counts and
/// company sizes, times not before 1970 nor beyond the allowed clock skew. The importers
/// read whatever a file states; without this a single row could store a 16 MiB bio or a
/// follower count of 2^64 - 1.
fn within_limits(
    profile: &FollowerProfile,
    limits: &Limits,
    now: Timestamp,
) -> std::result::Result<(), (&'static str, String)> {
    let texts = [
        ("handle", &profile.handle, limits.max_text_bytes),
        ("display_name", &profile.display_name, limits.max_text_bytes),
        ("headline", &profile.headline, limits.max_text_bytes),
        ("title", &profile.title, limits.max_text_bytes),
        ("company", &profile.company, limits.max_text_bytes),
        (
            "company_domain",
            &profile.company_domain,
            limits.max_text_bytes,
        ),
        ("industry", &profile.industry, limits.max_text_bytes),
        ("location", &profile.location, limits.max_text_bytes),
        ("country", &profile.country, limits.max_text_bytes),
        ("url", &profile.url, limits.max_text_bytes),
        ("lang", &profile.lang, limits.max_text_bytes),
        ("bio", &profile.bio, limits.max_bio_bytes),
    ];
    for (field, text, max) in texts {
        if let Some(text) = text
            && text.len() > max
        {
            return Err((field, format!("at most {max} bytes, got {}", text.len())));
        }
    }
    let c = &profile.counts;
    let counts = [
        ("followers_count", c.followers, limits.max_count),
        ("following_count", c.following, limits.max_count),
        ("posts_count", c.posts, limits.max_count),
        ("likes_count", c.likes, limits.max_count),
        ("listed_count", c.listed, limits.max_count),
        ("connections_count", c.connections, limits.max_count),
        (
            "company_size",
            profile.company_size,
            limits.max_company_size,
        ),
    ];
    for (field, count, max) in counts {
        if let Some(n) = count
            && n > max
        {
            return Err((
                field,
                format!("{n} is not a plausible value (at most {max})"),
            ));
        }
    }
    let latest = now
        .unix_seconds()
        .saturating_add(limits.max_future_skew_secs);
    let times = [
        ("created_at", profile.created_at),
        ("last_active_at", profile.last_active_at),
        ("followed_at", profile.followed_at),
        ("unfollowed_at", profile.unfollowed_at),
        ("observed_at", profile.observed_at),
    ];
    for (field, time) in times {
        match time.map(Timestamp::unix_seconds) {
            Some(t) if t < 0 => return Err((field, "must not be before 1970".into())),
            Some(t) if t > latest => return Err((field, "lies in the future".into())),
            _ => {}
        }
    }
    Ok(())
}

fn oversized(max_bytes: u64) -> ServiceError {
    ServiceError::ResourceExhausted(format!(
        "an import is at most {max_bytes} bytes; split the file"
    ))
}

/// A reader that fails once more than `max` bytes have come through, and remembers that
/// it did, so the failure can be told from any other read error.
struct SizeCapped<R> {
    inner: R,
    read: u64,
    max: u64,
    overflowed: Rc<Cell<bool>>,
}

impl<R> SizeCapped<R> {
    fn new(inner: R, max: u64) -> Self {
        Self {
            inner,
            read: 0,
            max,
            overflowed: Rc::new(Cell::new(false)),
        }
    }
}

impl<R: Read> Read for SizeCapped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.max {
            self.overflowed.set(true);
            return Err(io::Error::other(format!(
                "the input is larger than {} bytes",
                self.max
            )));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn capped(data: &[u8], max: u64) -> (io::Result<Vec<u8>>, bool) {
        let mut reader = SizeCapped::new(data, max);
        let flag = reader.overflowed.clone();
        let mut out = Vec::new();
        let result = reader.read_to_end(&mut out).map(|_| out);
        (result, flag.get())
    }

    /// Rows that the importers read but the API would refuse are skipped, naming the
    /// field (found by the hostile-input matrix: a JSON line stored a follower count of
    /// 2^64 - 1, a bio of megabytes, a creation date in the next century).
    #[test]
    fn imported_rows_are_held_to_the_limits_of_the_api() {
        let dir = tempfile::tempdir().unwrap();
        let service = Service::open(
            crate::store::open_at(dir.path()).unwrap(),
            crate::engine::bot::shipped_model(),
            Limits::default(),
        )
        .unwrap();
        let account = AccountId::parse("northwind").unwrap();
        let now = Timestamp::from_unix_seconds(1_800_000_000);
        let config = crate::engine::account::AccountConfig::new(account.clone());
        service.upsert_account(config, now).unwrap();
        // A first line the headline is read from, then more than a bio may hold.
        let bio = format!("Data engineer\\n{}", "b".repeat(9_000));
        let file = format!(
            "{{\"id_str\": \"1\", \"followers_count\": 18446744073709551615}}\n\
             {{\"id_str\": \"2\", \"description\": \"{bio}\"}}\n\
             {{\"id_str\": \"3\", \"created_at\": \"2099-01-01T00:00:00Z\"}}\n\
             {{\"id_str\": \"4\", \"followers_count\": 120}}\n"
        );
        let outcome = service
            .import_followers(&account, None, file.as_bytes(), now)
            .unwrap();
        let refused: Vec<(u64, Option<&str>)> = outcome
            .errors
            .iter()
            .map(|e| (e.line, e.field.as_deref()))
            .collect();
        assert_eq!(
            refused,
            [
                (1, Some("followers_count")),
                (2, Some("bio")),
                (3, Some("created_at"))
            ]
        );
        assert_eq!(outcome.rows_scored, 1);
    }

    #[test]
    fn size_cap_passes_up_to_the_limit_and_flags_beyond() {
        let check = |len: usize, max: u64, passes: bool| {
            let data = vec![b'x'; len];
            let (result, overflowed) = capped(&data, max);
            assert_eq!(result.is_ok(), passes, "len {len} max {max}");
            assert_eq!(overflowed, !passes, "len {len} max {max}");
        };
        check(0, 0, true);
        check(10, 10, true);
        check(11, 10, false);
        check(100_000, 1_000, false);
    }
}
