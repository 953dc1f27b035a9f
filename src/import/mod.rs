//! Follower input formats (SPEC §2): X/Twitter API user objects (v1.1 and v2) as JSON lines,
//! the v1.1 columns as CSV, and LinkedIn follower exports as CSV.
//!
//! Importers turn a row into an engine `FollowerProfile` or a row error with its line
//! number; they never abort a file for one bad row. They know nothing of the store or the
//! transport.
//!
//! This file owns the file layer: naming and detecting the format from the first line,
//! and streaming rows out of a reader one at a time, so memory stays bounded whatever the
//! size of the file (one line or one CSV record at a time, a line capped at
//! [`MAX_LINE_BYTES`]). What a row means is the business of `twitter.rs` and `linkedin.rs`.
//! Conventions: blank lines are skipped; a UTF-8 byte order mark is tolerated; CSV may be
//! comma-, semicolon- or tab-separated (sniffed from the header row); a CSV record's line is
//! the line where it starts, even when a quoted field spans several lines; extra empty
//! cells at the end of a CSV row (a trailing separator) are tolerated. JSON lines may also
//! hold whole API responses: a v2 `{"data": [...]}` or v1.1 `{"users": [...]}` page, or an
//! array of user objects, on one line yields one row per user, all with that line number.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Chain, Cursor, Read};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use csv::{ByteRecord, StringRecord};
use serde_json::Value;

use crate::engine::profile::FollowerProfile;

pub mod linkedin;
pub mod twitter;

/// A problem with one field of one input row.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Longest JSON line accepted, in bytes. A v1.1 user object with its last status is a few
/// kilobytes; a saved API page of 1,000 users is a few megabytes. Longer lines are reported
/// and skipped without being held in memory.
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// How far detection reads looking for the first non-blank line.
const MAX_HEAD_BYTES: usize = 1024 * 1024;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The file formats of SPEC §2. The names (`twitter-json`, `twitter-csv`, `linkedin-csv`)
/// are what `FromStr` accepts and `Display` prints, so a command line can take them as is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// X/Twitter API user objects, v1.1 or v2 (detected per object), one per line.
    TwitterJsonLines,
    /// The v1.1 user object fields as CSV columns (the research data's shape).
    TwitterCsv,
    /// A LinkedIn follower export.
    LinkedInCsv,
}

impl InputFormat {
    pub const ALL: [InputFormat; 3] = [
        InputFormat::TwitterJsonLines,
        InputFormat::TwitterCsv,
        InputFormat::LinkedInCsv,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            InputFormat::TwitterJsonLines => "twitter-json",
            InputFormat::TwitterCsv => "twitter-csv",
            InputFormat::LinkedInCsv => "linkedin-csv",
        }
    }
}

impl std::fmt::Display for InputFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A format name that is not one of [`InputFormat::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown input format `{0}`; expected twitter-json, twitter-csv or linkedin-csv")]
pub struct UnknownFormat(pub String);

impl FromStr for InputFormat {
    type Err = UnknownFormat;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let wanted = raw.trim().to_ascii_lowercase();
        InputFormat::ALL
            .into_iter()
            .find(|format| format.as_str() == wanted)
            .ok_or_else(|| UnknownFormat(raw.to_owned()))
    }
}

/// Why the format of an input could not be told from its first line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DetectError {
    #[error("the input is empty")]
    Empty,
    #[error(
        "the first line is not a complete JSON value; JSON lines need one user object per \
         line (convert pretty-printed JSON with `jq -c '.[]'` or `jq -c .`)"
    )]
    PrettyPrintedJson,
    #[error("the first line is longer than {max} bytes")]
    FirstLineTooLong { max: usize },
    #[error(
        "the header row ({columns}) has neither Twitter columns (screen_name, statuses_count, \
         followers_count) nor LinkedIn ones (Profile URL, Headline)"
    )]
    UnknownHeader { columns: String },
}

/// A file that could not be read as followers at all (as opposed to one bad row).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot open {}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot read the start of the input")]
    Read(#[source] io::Error),
    #[error(
        "cannot detect the input format; give it explicitly (twitter-json, twitter-csv or \
         linkedin-csv)"
    )]
    Detect(#[source] DetectError),
}

/// One bad row, with the line it starts on. A row error never ends the file; only
/// [`RowError::Header`] and [`RowError::Io`] end it, as nothing after them can be read.
#[derive(Debug, thiserror::Error)]
pub enum RowError {
    #[error("line {line}: malformed JSON: {source}")]
    Json {
        line: u64,
        #[source]
        source: serde_json::Error,
    },
    #[error("line {line}: expected a user object, found {found}")]
    NotAnObject { line: u64, found: &'static str },
    #[error("line {line}: longer than {max} bytes")]
    LineTooLong { line: u64, max: usize },
    #[error("line {line}: {found} columns where the header has {expected}")]
    ColumnCount {
        line: u64,
        expected: usize,
        found: usize,
    },
    #[error("line {line}: {field}: not valid UTF-8 (save the file as UTF-8)")]
    NotUtf8 { line: u64, field: String },
    #[error("line {line}: {source}")]
    Field {
        line: u64,
        #[source]
        source: FieldError,
    },
    #[error("line {line}: header row: {source}")]
    Header {
        line: u64,
        #[source]
        source: FieldError,
    },
    #[error("line {line}: malformed CSV: {source}")]
    Csv {
        line: u64,
        #[source]
        source: csv::Error,
    },
    #[error("line {line}: read failed: {source}")]
    Io {
        line: u64,
        #[source]
        source: io::Error,
    },
}

impl RowError {
    /// The line the row starts on, 1-based.
    pub fn line(&self) -> u64 {
        match self {
            RowError::Json { line, .. }
            | RowError::NotAnObject { line, .. }
            | RowError::LineTooLong { line, .. }
            | RowError::ColumnCount { line, .. }
            | RowError::NotUtf8 { line, .. }
            | RowError::Field { line, .. }
            | RowError::Header { line, .. }
            | RowError::Csv { line, .. }
            | RowError::Io { line, .. } => *line,
        }
    }

    /// The offending field or column, when the error is about one.
    pub fn field(&self) -> Option<&str> {
        match self {
            RowError::Field { source, .. } | RowError::Header { source, .. } => Some(&source.field),
            RowError::NotUtf8 { field, .. } => Some(field),
            _ => None,
        }
    }
}

/// One row of an input: a profile or the reason it was skipped.
#[derive(Debug)]
pub struct ImportedRow {
    /// The line the row starts on, 1-based.
    pub line: u64,
    pub outcome: Result<FollowerProfile, RowError>,
}

impl ImportedRow {
    fn error(error: RowError) -> Self {
        Self {
            line: error.line(),
            outcome: Err(error),
        }
    }
}

/// Tells the format from the first non-blank line of an input (a leading byte order mark
/// is ignored): JSON lines start with `{`; a CSV header naming `screen_name`,
/// `statuses_count` or `followers_count` is Twitter; one naming a LinkedIn profile URL,
/// profile id or headline is LinkedIn.
pub fn detect_format(first_line: &[u8]) -> Result<InputFormat, DetectError> {
    let line = first_line
        .strip_prefix(UTF8_BOM)
        .unwrap_or(first_line)
        .trim_ascii();
    if line.is_empty() {
        return Err(DetectError::Empty);
    }
    if line.starts_with(b"{") || line.starts_with(b"[") {
        return match serde_json::from_slice::<serde::de::IgnoredAny>(line) {
            Ok(_) => Ok(InputFormat::TwitterJsonLines),
            Err(_) => Err(DetectError::PrettyPrintedJson),
        };
    }
    let headers = header_record(line);
    let has = |name: &str| headers.iter().any(|h| h.trim().eq_ignore_ascii_case(name));
    // `followers_count` comes last: a LinkedIn export may have a "Followers Count" column,
    // but never `screen_name` or `statuses_count`.
    if has("screen_name") || has("statuses_count") {
        return Ok(InputFormat::TwitterCsv);
    }
    if linkedin::looks_like_linkedin(&headers) {
        return Ok(InputFormat::LinkedInCsv);
    }
    if has("followers_count") {
        return Ok(InputFormat::TwitterCsv);
    }
    // Named back as written, but short and printable: the message travels in a gRPC
    // header and in logs, and a hostile first line may be megabytes of stray bytes.
    let shown = |header: &str| -> String {
        let mut column: String = header
            .chars()
            .take(40)
            .map(|c| if c.is_control() { '\u{fffd}' } else { c })
            .collect();
        if header.chars().nth(40).is_some() {
            column.push('…');
        }
        column
    };
    let mut columns: Vec<String> = headers.iter().take(12).map(shown).collect();
    if headers.len() > columns.len() {
        columns.push("…".to_owned());
    }
    Err(DetectError::UnknownHeader {
        columns: columns.join(", "),
    })
}

/// Parses one header line with the sniffed delimiter.
fn header_record(line: &[u8]) -> StringRecord {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(sniff_delimiter(line))
        .from_reader(line);
    let mut record = ByteRecord::new();
    match reader.read_byte_record(&mut record) {
        Ok(true) => record
            .iter()
            .map(|cell| String::from_utf8_lossy(cell).into_owned())
            .collect(),
        _ => StringRecord::new(),
    }
}

/// The separator of a CSV header line: the most frequent of `,`, `;` and tab outside quotes
/// (European spreadsheet exports use `;`), comma on a tie.
fn sniff_delimiter(line: &[u8]) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for &byte in line {
        if byte == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (delimiter, count) in &mut counts {
                if byte == *delimiter {
                    *count += 1;
                }
            }
        }
    }
    counts
        .into_iter()
        .fold((b',', 0), |best, candidate| {
            if candidate.1 > best.1 {
                candidate
            } else {
                best
            }
        })
        .0
}

/// A reader whose first bytes were read to look at them, replayed in front of the rest.
pub type Sniffed<R> = Chain<Cursor<Vec<u8>>, BufReader<R>>;

/// The start of an input, up to the end of its first non-blank line.
struct Head<R> {
    prefix: Vec<u8>,
    line_start: usize,
    rest: BufReader<R>,
}

impl<R: Read> Head<R> {
    fn read(reader: R) -> io::Result<Self> {
        let mut rest = BufReader::new(reader);
        let mut prefix = Vec::new();
        loop {
            let line_start = prefix.len();
            let budget = MAX_HEAD_BYTES.saturating_sub(line_start) as u64;
            let read = (&mut rest).take(budget).read_until(b'\n', &mut prefix)?;
            let line = &prefix[line_start..];
            let line = if line_start == 0 {
                line.strip_prefix(UTF8_BOM).unwrap_or(line)
            } else {
                line
            };
            if read == 0 || !line.trim_ascii().is_empty() || prefix.len() >= MAX_HEAD_BYTES {
                return Ok(Self {
                    prefix,
                    line_start,
                    rest,
                });
            }
        }
    }

    fn first_line(&self) -> &[u8] {
        &self.prefix[self.line_start..]
    }

    /// 1-based number of the first non-blank line.
    fn first_line_number(&self) -> u64 {
        let newlines = self.prefix[..self.line_start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        newlines as u64 + 1
    }

    fn detect(&self) -> Result<InputFormat, DetectError> {
        let line = self.first_line();
        if self.prefix.len() >= MAX_HEAD_BYTES && !line.ends_with(b"\n") {
            return Err(DetectError::FirstLineTooLong {
                max: MAX_HEAD_BYTES,
            });
        }
        detect_format(line)
    }

    fn into_reader(self) -> Sniffed<R> {
        Cursor::new(self.prefix).chain(self.rest)
    }
}

/// Reads the start of an input to detect its format, and gives back a reader that still
/// yields the whole input (for standard input or any other stream).
pub fn detect_reader<R: Read>(reader: R) -> Result<(InputFormat, Sniffed<R>), ImportError> {
    let head = Head::read(reader).map_err(ImportError::Read)?;
    let format = head.detect().map_err(ImportError::Detect)?;
    Ok((format, head.into_reader()))
}

/// Opens a follower file, detecting its format when `format` is `None`. The rows are read
/// lazily as the iterator is advanced.
pub fn open_followers(
    path: &Path,
    format: Option<InputFormat>,
) -> Result<(InputFormat, FollowerRows<Sniffed<File>>), ImportError> {
    let file = File::open(path).map_err(|source| ImportError::Open {
        path: path.to_owned(),
        source,
    })?;
    let (format, reader) = match format {
        Some(format) => (format, Cursor::new(Vec::new()).chain(BufReader::new(file))),
        None => detect_reader(file)?,
    };
    Ok((format, read_followers(reader, format)))
}

/// Streams the followers of an input in a known format: one [`ImportedRow`] per user
/// object or CSV record, in order. Nothing is read until the iterator is advanced.
pub fn read_followers<R: Read>(reader: R, format: InputFormat) -> FollowerRows<R> {
    let state = match format {
        InputFormat::TwitterJsonLines => State::Json(JsonLines::new(reader)),
        InputFormat::TwitterCsv | InputFormat::LinkedInCsv => State::CsvHeader { reader, format },
    };
    FollowerRows { state }
}

/// The rows of one input; see [`read_followers`].
pub struct FollowerRows<R: Read> {
    state: State<R>,
}

impl<R: Read> std::fmt::Debug for FollowerRows<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match &self.state {
            State::Json(lines) => format!("json lines, at line {}", lines.line),
            State::CsvHeader { format, .. } => format!("{format}, header not read yet"),
            State::Csv(rows) => format!("csv, at line {}", rows.reader.position().line()),
            State::Done => "done".to_owned(),
        };
        f.debug_struct("FollowerRows")
            .field("state", &state)
            .finish()
    }
}

enum State<R: Read> {
    Json(JsonLines<R>),
    /// The header row is read on the first call to `next`, so that opening never blocks.
    CsvHeader {
        reader: R,
        format: InputFormat,
    },
    Csv(Box<CsvRows<R>>),
    Done,
}

impl<R: Read> Iterator for FollowerRows<R> {
    type Item = ImportedRow;

    fn next(&mut self) -> Option<ImportedRow> {
        let (row, next_state) = match std::mem::replace(&mut self.state, State::Done) {
            State::Json(mut lines) => match lines.next_row() {
                Step::Row(row) => (Some(row), State::Json(lines)),
                Step::Last(row) => (Some(row), State::Done),
                Step::End => (None, State::Done),
            },
            State::CsvHeader { reader, format } => match CsvRows::start(reader, format) {
                Ok(Some(mut rows)) => match rows.next_row() {
                    Step::Row(row) => (Some(row), State::Csv(Box::new(rows))),
                    Step::Last(row) => (Some(row), State::Done),
                    Step::End => (None, State::Done),
                },
                Ok(None) => (None, State::Done),
                Err(error) => (Some(ImportedRow::error(error)), State::Done),
            },
            State::Csv(mut rows) => match rows.next_row() {
                Step::Row(row) => (Some(row), State::Csv(rows)),
                Step::Last(row) => (Some(row), State::Done),
                Step::End => (None, State::Done),
            },
            State::Done => (None, State::Done),
        };
        self.state = next_state;
        row
    }
}

/// One step of a row source: a row and more may follow, a row after which nothing can be
/// read, or the end.
enum Step {
    Row(ImportedRow),
    Last(ImportedRow),
    End,
}

/// JSON lines, one line at a time into a reused buffer.
struct JsonLines<R> {
    reader: BufReader<R>,
    line: u64,
    buffer: Vec<u8>,
    /// Users still to hand out from an API page read on `pending_line`.
    pending: std::vec::IntoIter<Value>,
    pending_line: u64,
}

/// How a capped line read ended.
enum LineRead {
    Line,
    TooLong,
    End,
}

impl<R: Read> JsonLines<R> {
    fn new(reader: R) -> Self {
        Self {
            reader: BufReader::new(reader),
            line: 0,
            buffer: Vec::new(),
            pending: Vec::new().into_iter(),
            pending_line: 0,
        }
    }

    fn next_row(&mut self) -> Step {
        if let Some(user) = self.pending.next() {
            return Step::Row(user_row(self.pending_line, &user));
        }
        loop {
            let read = match self.read_line() {
                Ok(read) => read,
                Err(source) => {
                    return Step::Last(ImportedRow::error(RowError::Io {
                        line: self.line + 1,
                        source,
                    }));
                }
            };
            let line = self.line;
            match read {
                LineRead::End => return Step::End,
                LineRead::TooLong => {
                    return Step::Row(ImportedRow::error(RowError::LineTooLong {
                        line,
                        max: MAX_LINE_BYTES,
                    }));
                }
                LineRead::Line => {}
            }
            let mut text = self.buffer.as_slice();
            if line == 1 {
                text = text.strip_prefix(UTF8_BOM).unwrap_or(text);
            }
            let text = text.trim_ascii();
            if text.is_empty() {
                continue;
            }
            let value: Value = match serde_json::from_slice(text) {
                Ok(value) => value,
                Err(source) => {
                    return Step::Row(ImportedRow::error(RowError::Json { line, source }));
                }
            };
            return match users_in(value) {
                Users::One(user) => Step::Row(user_row(line, &user)),
                Users::Page(users) => {
                    self.pending = users.into_iter();
                    self.pending_line = line;
                    match self.pending.next() {
                        Some(user) => Step::Row(user_row(line, &user)),
                        // An empty page (the last page of a listing) has no followers.
                        None => continue,
                    }
                }
            };
        }
    }

    /// Reads the next line into `buffer` (newline included) without ever holding more than
    /// `MAX_LINE_BYTES` of it.
    fn read_line(&mut self) -> io::Result<LineRead> {
        self.buffer.clear();
        let mut any = false;
        let mut too_long = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(available) => available,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(error),
            };
            if available.is_empty() {
                break;
            }
            any = true;
            let (length, complete) = match available.iter().position(|&b| b == b'\n') {
                Some(end) => (end + 1, true),
                None => (available.len(), false),
            };
            if !too_long {
                if self.buffer.len() + length > MAX_LINE_BYTES {
                    too_long = true;
                    self.buffer.clear();
                } else {
                    self.buffer.extend_from_slice(&available[..length]);
                }
            }
            self.reader.consume(length);
            if complete {
                break;
            }
        }
        if !any {
            return Ok(LineRead::End);
        }
        self.line += 1;
        Ok(if too_long {
            LineRead::TooLong
        } else {
            LineRead::Line
        })
    }
}

/// What one JSON line holds.
enum Users {
    /// A user object, or anything else, which then fails as one row.
    One(Value),
    /// Several users: an array, or an API page (`data` in v2, `users` in v1.1).
    Page(Vec<Value>),
}

fn users_in(value: Value) -> Users {
    match value {
        Value::Array(users) => Users::Page(users),
        Value::Object(mut object)
            if !object.contains_key("id") && !object.contains_key("id_str") =>
        {
            match object.remove("data").or_else(|| object.remove("users")) {
                Some(Value::Array(users)) => Users::Page(users),
                Some(user @ Value::Object(_)) => Users::One(user),
                Some(other) => Users::One(other),
                None => Users::One(Value::Object(object)),
            }
        }
        other => Users::One(other),
    }
}

fn user_row(line: u64, user: &Value) -> ImportedRow {
    let outcome = match user {
        Value::Object(_) => {
            twitter::profile_from_json(user).map_err(|source| RowError::Field { line, source })
        }
        other => Err(RowError::NotAnObject {
            line,
            found: json_kind(other),
        }),
    };
    ImportedRow { line, outcome }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// What turns a CSV record into a profile.
enum CsvKind {
    Twitter,
    LinkedIn(Box<linkedin::Columns>),
}

struct CsvRows<R: Read> {
    reader: csv::Reader<LineTracker<Sniffed<R>>>,
    headers: StringRecord,
    kind: CsvKind,
    /// Reused between records, so a row costs no allocation for its cells.
    record: ByteRecord,
    /// Byte offset just past the previous record (or the header row).
    previous_end: u64,
}

/// Counts lines under the CSV reader. The csv crate's own record positions are taken before
/// blank lines are skipped and drift with `\r\n` endings, and an error must name the line
/// a spreadsheet shows, so the start line of every non-blank line is noted here as the bytes
/// pass, and forgotten once the reader has moved past it (memory stays bounded by the
/// reader's buffer and the longest record).
struct LineTracker<R> {
    inner: R,
    offset: u64,
    line: u64,
    /// No byte but `\r` seen yet on the current line.
    line_is_blank: bool,
    /// Byte offset and line number of the first byte of each non-blank line not yet passed.
    starts: std::collections::VecDeque<(u64, u64)>,
}

impl<R> LineTracker<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            offset: 0,
            line: 1,
            line_is_blank: true,
            starts: std::collections::VecDeque::new(),
        }
    }

    /// The line of the first non-blank line at or after byte `offset`: where a record that
    /// the reader began reading at `offset` really starts.
    fn line_from(&mut self, offset: u64) -> Option<u64> {
        while self
            .starts
            .front()
            .is_some_and(|&(start, _)| start < offset)
        {
            self.starts.pop_front();
        }
        self.starts.front().map(|&(_, line)| line)
    }
}

impl<R: Read> Read for LineTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        for (i, &byte) in buf[..read].iter().enumerate() {
            match byte {
                b'\n' => {
                    self.line += 1;
                    self.line_is_blank = true;
                }
                b'\r' => {}
                _ if self.line_is_blank => {
                    self.starts.push_back((self.offset + i as u64, self.line));
                    self.line_is_blank = false;
                }
                _ => {}
            }
        }
        self.offset += read as u64;
        Ok(read)
    }
}

impl<R: Read> CsvRows<R> {
    /// Reads the header row. `Ok(None)` for an empty input.
    fn start(reader: R, format: InputFormat) -> Result<Option<Self>, RowError> {
        let head = Head::read(reader).map_err(|source| RowError::Io { line: 1, source })?;
        let header_line = head.first_line_number();
        let delimiter = sniff_delimiter(head.first_line());
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .trim(csv::Trim::Headers)
            .delimiter(delimiter)
            .from_reader(LineTracker::new(head.into_reader()));
        let headers = match reader.byte_headers() {
            Ok(headers) => headers.clone(),
            Err(source) => {
                return Err(csv_error(header_line, source));
            }
        };
        if headers.iter().all(<[u8]>::is_empty) {
            return Ok(None);
        }
        let headers = StringRecord::from_byte_record(headers).map_err(|_| RowError::Header {
            line: header_line,
            source: FieldError::new("header", "not valid UTF-8 (save the file as UTF-8)"),
        })?;
        let kind = match format {
            InputFormat::LinkedInCsv => {
                let columns =
                    linkedin::Columns::resolve(&headers).map_err(|source| RowError::Header {
                        line: header_line,
                        source,
                    })?;
                CsvKind::LinkedIn(Box::new(columns))
            }
            _ => CsvKind::Twitter,
        };
        let previous_end = reader.position().byte();
        Ok(Some(Self {
            reader,
            headers,
            kind,
            record: ByteRecord::new(),
            previous_end,
        }))
    }

    fn next_row(&mut self) -> Step {
        loop {
            let read = self.reader.read_byte_record(&mut self.record);
            let line = self.start_line();
            self.previous_end = self.reader.position().byte();
            match read {
                Ok(true) => {}
                Ok(false) => return Step::End,
                Err(source) => return Step::Last(ImportedRow::error(csv_error(line, source))),
            }
            // A line of spaces is a blank line to a person, though not to the CSV parser.
            let whitespace_only = self.record.len() == 1
                && self.headers.len() > 1
                && self.record.iter().all(|cell| cell.trim_ascii().is_empty());
            if whitespace_only {
                continue;
            }
            return Step::Row(ImportedRow {
                line,
                outcome: self.profile(line),
            });
        }
    }

    /// The line the record just read starts on.
    fn start_line(&mut self) -> u64 {
        let previous_end = self.previous_end;
        let tracker = self.reader.get_mut();
        tracker.line_from(previous_end).unwrap_or(tracker.line)
    }

    fn profile(&mut self, line: u64) -> Result<FollowerProfile, RowError> {
        let expected = self.headers.len();
        let found = self.record.len();
        let extra_cells_are_empty = self
            .record
            .iter()
            .skip(expected)
            .all(|cell| cell.trim_ascii().is_empty());
        if found < expected || !extra_cells_are_empty {
            return Err(RowError::ColumnCount {
                line,
                expected,
                found,
            });
        }
        self.record.truncate(expected);
        // The record's buffers are moved into the string record and back, so that checking
        // UTF-8 does not copy them.
        let bytes = std::mem::take(&mut self.record);
        let record = match StringRecord::from_byte_record(bytes) {
            Ok(record) => record,
            Err(error) => {
                let index = error.utf8_error().field();
                let field = self.headers.get(index).unwrap_or("?").to_owned();
                self.record = error.into_byte_record();
                return Err(RowError::NotUtf8 { line, field });
            }
        };
        let outcome = match &self.kind {
            CsvKind::Twitter => twitter::profile_from_csv(&self.headers, &record),
            CsvKind::LinkedIn(columns) => columns.profile(&record),
        }
        .map_err(|source| RowError::Field { line, source });
        self.record = record.into_byte_record();
        outcome
    }
}

fn csv_error(line: u64, source: csv::Error) -> RowError {
    if source.is_io_error() {
        if let csv::ErrorKind::Io(error) = source.into_kind() {
            return RowError::Io {
                line,
                source: error,
            };
        }
        return RowError::Io {
            line,
            source: io::Error::other("read failed"),
        };
    }
    RowError::Csv { line, source }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each row as `(line, Ok(follower id) | Err(error display))`.
    fn load(input: &str, format: InputFormat) -> Vec<(u64, Result<String, String>)> {
        read_followers(input.as_bytes(), format)
            .map(|row| {
                let outcome = row
                    .outcome
                    .map(|p| p.key.id.as_str().to_owned())
                    .map_err(|e| {
                        assert_eq!(e.line(), row.line, "the error carries the row's line");
                        e.to_string()
                    });
                (row.line, outcome)
            })
            .collect()
    }

    /// Asserts the rows' lines and ids, and that each error mentions `needle`.
    fn check(input: &str, format: InputFormat, expected: &[(u64, Result<&str, &str>)]) {
        let rows = load(input, format);
        assert_eq!(rows.len(), expected.len(), "{rows:#?}");
        for (row, (line, outcome)) in rows.iter().zip(expected) {
            assert_eq!(row.0, *line, "{rows:#?}");
            match (&row.1, outcome) {
                (Ok(id), Ok(want)) => assert_eq!(id, want),
                (Err(error), Err(needle)) => assert!(error.contains(needle), "{error}"),
                (got, want) => panic!("line {line}: got {got:?}, want {want:?}"),
            }
        }
    }

    const TWITTER_HEADER: &str = "id,name,screen_name,statuses_count,followers_count,\
        friends_count,favourites_count,listed_count,created_at,url,lang,time_zone,location,\
        default_profile,default_profile_image,geo_enabled,profile_image_url,protected,verified,\
        description,updated";

    #[test]
    fn formats_are_detected_from_the_first_line() {
        let cases: &[(&str, Result<InputFormat, DetectError>)] = &[
            (
                r#"{"id":"2244994945","username":"TwitterDev","public_metrics":{"followers_count":5}}"#,
                Ok(InputFormat::TwitterJsonLines),
            ),
            (
                "\u{feff}{\"id\":12,\"id_str\":\"12\",\"screen_name\":\"jack\"}\n",
                Ok(InputFormat::TwitterJsonLines),
            ),
            (
                r#"[{"id":"1"},{"id":"2"}]"#,
                Ok(InputFormat::TwitterJsonLines),
            ),
            ("{\n", Err(DetectError::PrettyPrintedJson)),
            (TWITTER_HEADER, Ok(InputFormat::TwitterCsv)),
            (
                "\"screen_name\";\"followers_count\"\r\n",
                Ok(InputFormat::TwitterCsv),
            ),
            (
                "id,followers_count,friends_count",
                Ok(InputFormat::TwitterCsv),
            ),
            (
                "Profile URL,Full Name,Headline,Company,Location,Followed At\n",
                Ok(InputFormat::LinkedInCsv),
            ),
            (
                "\u{feff}profileUrl,fullName,headline,companyName,Followers Count",
                Ok(InputFormat::LinkedInCsv),
            ),
            (
                "First Name;Last Name;LinkedIn URL;Company",
                Ok(InputFormat::LinkedInCsv),
            ),
            ("name\theadline\tcompany", Ok(InputFormat::LinkedInCsv)),
            ("", Err(DetectError::Empty)),
            ("\u{feff}  \r\n", Err(DetectError::Empty)),
            (
                "email,phone,url",
                Err(DetectError::UnknownHeader {
                    columns: "email, phone, url".to_owned(),
                }),
            ),
            // Found by the hostile-input matrix: stray bytes and a huge column were
            // echoed whole into the status message.
            (
                "\u{0}\u{0}\u{7},€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€",
                Err(DetectError::UnknownHeader {
                    columns: format!("\u{fffd}\u{fffd}\u{fffd}, {}…", "€".repeat(40)),
                }),
            ),
        ];
        for (first_line, expected) in cases {
            assert_eq!(
                &detect_format(first_line.as_bytes()),
                expected,
                "{first_line:?}"
            );
        }
    }

    #[test]
    fn detection_skips_leading_blank_lines_and_replays_the_whole_input() {
        let input = "\u{feff}\n\r\n{\"id_str\":\"1\",\"id\":1,\"screen_name\":\"a\"}\n{\"id_str\":\"2\",\"id\":2}\n";
        let (format, mut reader) = detect_reader(input.as_bytes()).unwrap();
        assert_eq!(format, InputFormat::TwitterJsonLines);
        let mut replayed = String::new();
        reader.read_to_string(&mut replayed).unwrap();
        assert_eq!(replayed, input);
        let lines: Vec<u64> = read_followers(input.as_bytes(), format)
            .map(|row| row.line)
            .collect();
        assert_eq!(lines, [3, 4]);
    }

    #[test]
    fn format_names_round_trip() {
        for format in InputFormat::ALL {
            assert_eq!(format.as_str().parse::<InputFormat>(), Ok(format));
            assert_eq!(format.to_string(), format.as_str());
        }
        assert_eq!(
            "LinkedIn-CSV".parse::<InputFormat>(),
            Ok(InputFormat::LinkedInCsv)
        );
        assert!(
            "xlsx"
                .parse::<InputFormat>()
                .unwrap_err()
                .to_string()
                .contains("twitter-json")
        );
    }

    #[test]
    fn json_lines_skip_blank_lines_and_report_bad_lines_without_stopping() {
        let input = concat!(
            "\u{feff}{\"id\":101,\"id_str\":\"101\",\"screen_name\":\"dana_data\",\"statuses_count\":812}\n",
            "\n",
            "{\"id\":\"2244994945\",\"username\":\"TwitterDev\",\"name\":\"Twitter Dev\"}\r\n",
            "{\"id\":102,\"id_str\":\"102\",\"screen_name\":\"broken\"\n",
            "   \n",
            "\"just a string\"\n",
            "{\"id\":103,\"id_str\":\"103\",\"screen_name\":\"after_the_break\"}",
        );
        check(
            input,
            InputFormat::TwitterJsonLines,
            &[
                (1, Ok("101")),
                (3, Ok("2244994945")),
                (4, Err("line 4: malformed JSON")),
                (6, Err("line 6: expected a user object, found a string")),
                (7, Ok("103")),
            ],
        );
    }

    #[test]
    fn json_lines_expand_saved_api_pages() {
        let input = concat!(
            "{\"data\":[{\"id\":\"11\",\"username\":\"a\"},{\"id\":\"12\",\"username\":\"b\"}],\"meta\":{\"result_count\":2}}\n",
            "{\"users\":[{\"id\":21,\"id_str\":\"21\",\"screen_name\":\"c\"}],\"next_cursor\":0}\n",
            "{\"data\":[],\"meta\":{\"result_count\":0}}\n",
            "[{\"id\":31,\"id_str\":\"31\",\"screen_name\":\"d\"},7]\n",
            "{\"data\":{\"id\":\"41\",\"username\":\"e\"}}\n",
        );
        check(
            input,
            InputFormat::TwitterJsonLines,
            &[
                (1, Ok("11")),
                (1, Ok("12")),
                (2, Ok("21")),
                (4, Ok("31")),
                (4, Err("found a number")),
                (5, Ok("41")),
            ],
        );
    }

    #[test]
    fn an_overlong_json_line_is_reported_and_skipped() {
        let long = format!(
            "{{\"id\":\"1\",\"description\":\"{}\"}}\n",
            "x".repeat(MAX_LINE_BYTES)
        );
        let input = format!("{long}{{\"id\":2,\"id_str\":\"2\",\"screen_name\":\"b\"}}\n");
        check(
            &input,
            InputFormat::TwitterJsonLines,
            &[(1, Err("longer than")), (2, Ok("2"))],
        );
    }

    #[test]
    fn twitter_csv_reports_a_bad_row_with_its_line_and_loads_the_rest() {
        let input = format!(
            "\u{feff}{TWITTER_HEADER}\n\
             3610511,Dana Whitfield,dana_bi,20370,5470,2385,145,52,Fri Apr 06 10:58:22 +0000 2007,https://t.co/x1,en,London,\"London, UK\",,,1,https://pbs.twimg.com/profile_images/1/a_normal.jpg,,,\"BI lead. Views my own.\",\n\
             370098498,jessica83921,jessica83921,3,4,1588,0,0\n\
             \n\
             5682702,\"Lukas Brandt\",lukas_b,4024,264,87,323,16,Tue May 01 11:53:40 +0000 2007,,de,Berlin,Berlin,,,,,,,\"Leiter Data Engineering\n\
             bei Hanse Logistik\n\
             #dataviz\",\n\
             6067292,Nina Park,ninapark,40586,640,622,1118,32,Tue May 08 16:10:12 +0000 2007,,en,,Seoul,1,,,,,,,,\n"
        );
        check(
            &input,
            InputFormat::TwitterCsv,
            &[
                (2, Ok("3610511")),
                (3, Err("line 3: 8 columns where the header has 21")),
                (5, Ok("5682702")),
                (8, Ok("6067292")),
            ],
        );
    }

    #[test]
    fn linkedin_csv_loads_rows_and_reports_bad_ones_in_place() {
        let input = "\u{feff}Profile URL;Full Name;Headline;Company;Connections;Followed At;Open To Work\r\n\
            https://www.linkedin.com/in/lena-vogt-3a1b2c/;Lena Vogt;\"Leiter Business Intelligence bei Hanse Logistik\";Hanse Logistik GmbH;500+;2026-09-14;no\r\n\
            https://www.linkedin.com/company/finly-io/;Finly;Spend analytics for finance teams;;;2026-10-02;\r\n\
            ;Jessica Miller;Student;;12;2026-10-03;yes\r\n\
            https://www.linkedin.com/in/carlos-mendez-88/;Carlos Méndez;\"Gerente de Operaciones\r\n\
            📦 Supply chain | Lean\";Vía Norte Logística;500+;10/05/2026;\r\n\
            https://www.linkedin.com/in/ana-paz/;Ana Paz;CFO;Lumen Foods;many;2026-10-06;\r\n\
            https://www.linkedin.com/in/tom-reid/;Tom Reid;\"VP Data & Analytics at Contoso Retail\";Contoso Retail;500+;Oct 7, 2026;;;\r\n";
        check(
            input,
            InputFormat::LinkedInCsv,
            &[
                (2, Ok("lena-vogt-3a1b2c")),
                (3, Ok("company/finly-io")),
                (4, Err("line 4: Profile URL: empty")),
                (5, Ok("carlos-mendez-88")),
                (7, Err("line 7: Connections: `many` is not a count")),
                (8, Ok("tom-reid")),
            ],
        );
        let rows: Vec<ImportedRow> =
            read_followers(input.as_bytes(), InputFormat::LinkedInCsv).collect();
        let lena = rows[0].outcome.as_ref().unwrap();
        assert_eq!(lena.counts.connections, Some(500));
        assert_eq!(lena.flags.open_to_work, Some(false));
        let finly = rows[1].outcome.as_ref().unwrap();
        assert_eq!(finly.flags.is_organization, Some(true));
        assert_eq!(finly.counts.connections, None);
        let carlos = rows[3].outcome.as_ref().unwrap();
        assert_eq!(
            carlos.headline.as_deref(),
            Some("Gerente de Operaciones\n📦 Supply chain | Lean")
        );
        assert_eq!(
            rows[4].outcome.as_ref().unwrap_err().field(),
            Some("Connections")
        );
    }

    #[test]
    fn csv_lines_count_blank_lines_and_every_line_ending() {
        let cases: &[(&str, &[u64])] = &[
            ("Profile URL,Name\na,A\nb,B\n", &[2, 3]),
            ("Profile URL,Name\r\na,A\r\n\r\nb,B\r\n", &[2, 4]),
            ("\n\nProfile URL,Name\n\n\na,A\n   \nb,B", &[6, 8]),
            ("Profile URL,Name\na,\"A\r\n\r\nA\"\nb,B\n", &[2, 5]),
            ("Profile URL,Name\r\n\"a\",\"A\nA\"\r\n\"b\",B", &[2, 4]),
        ];
        for (input, lines) in cases {
            let rows = load(input, InputFormat::LinkedInCsv);
            let got: Vec<u64> = rows.iter().map(|row| row.0).collect();
            assert_eq!(&got, lines, "{input:?}: {rows:?}");
            assert!(rows.iter().all(|row| row.1.is_ok()), "{input:?}: {rows:?}");
        }
    }

    #[test]
    fn a_linkedin_header_without_an_id_column_is_reported_once() {
        let input =
            "\n\nFull Name,Headline,Company\nJane Roe,CFO,Lumen Foods\nJohn Roe,CTO,Finly\n";
        check(
            input,
            InputFormat::LinkedInCsv,
            &[(
                3,
                Err("line 3: header row: Profile URL: no column gives a follower id"),
            )],
        );
    }

    #[test]
    fn empty_inputs_have_no_rows() {
        for format in InputFormat::ALL {
            for input in ["", "\n\n", "\u{feff}"] {
                assert!(load(input, format).is_empty(), "{format} {input:?}");
            }
        }
        assert!(load("Profile URL,Name\n", InputFormat::LinkedInCsv).is_empty());
    }

    #[test]
    fn invalid_utf8_names_the_column() {
        let mut input =
            b"Profile URL,Full Name\nlinkedin.com/in/a,J\xFCrgen\nlinkedin.com/in/b,Bo\n".to_vec();
        input.extend_from_slice(b"");
        let rows: Vec<ImportedRow> = read_followers(&input[..], InputFormat::LinkedInCsv).collect();
        assert_eq!(rows.len(), 2);
        let error = rows[0].outcome.as_ref().unwrap_err();
        assert_eq!((error.line(), error.field()), (2, Some("Full Name")));
        assert_eq!(rows[1].outcome.as_ref().unwrap().key.id.as_str(), "b");
    }

    /// A JSON-lines source that never ends: rows must come out before the input does.
    struct Endless {
        line: &'static [u8],
        at: usize,
    }

    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let mut written = 0;
            while written < buf.len() {
                buf[written] = self.line[self.at];
                self.at = (self.at + 1) % self.line.len();
                written += 1;
            }
            Ok(written)
        }
    }

    #[test]
    fn rows_stream_without_reading_the_whole_input() {
        let source = Endless {
            line: b"{\"id\":7,\"id_str\":\"7\",\"screen_name\":\"loop\"}\n",
            at: 0,
        };
        let rows: Vec<ImportedRow> = read_followers(source, InputFormat::TwitterJsonLines)
            .take(1_000)
            .collect();
        assert_eq!(rows.len(), 1_000);
        assert_eq!(rows[999].line, 1_000);
    }

    #[test]
    fn files_open_with_or_without_a_format() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("followers.csv");
        std::fs::write(
            &path,
            "\u{feff}LinkedIn URL,Name,Headline\nhttps://www.linkedin.com/in/amy-chen/,Amy Chen,\"CTO | Co-founder @ Finly 🚀\"\n",
        )
        .unwrap();
        for format in [None, Some(InputFormat::LinkedInCsv)] {
            let (detected, rows) = open_followers(&path, format).unwrap();
            assert_eq!(detected, InputFormat::LinkedInCsv);
            let ids: Vec<String> = rows
                .map(|row| row.outcome.unwrap().key.id.as_str().to_owned())
                .collect();
            assert_eq!(ids, ["amy-chen"]);
        }
        let missing = open_followers(&dir.path().join("nope.csv"), None).unwrap_err();
        assert!(matches!(missing, ImportError::Open { .. }), "{missing}");
        let unknown = dir.path().join("unknown.csv");
        std::fs::write(&unknown, "email,phone\na@b.c,1\n").unwrap();
        assert!(matches!(
            open_followers(&unknown, None),
            Err(ImportError::Detect(DetectError::UnknownHeader { .. }))
        ));
    }

    #[test]
    fn delimiters_are_sniffed_from_the_header() {
        let cases = [
            (&b"a,b,c"[..], b','),
            (b"a;b;c", b';'),
            (b"a\tb\tc", b'\t'),
            (b"\"Name, full\";Headline;Company", b';'),
            (b"single", b','),
        ];
        for (line, expected) in cases {
            assert_eq!(sniff_delimiter(line), expected, "{line:?}");
        }
    }
}
