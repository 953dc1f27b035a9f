//! LinkedIn follower exports as CSV (SPEC §2: "profile URL, full name, headline, company,
//! location, …"): one row in, one `FollowerProfile` (platform LinkedIn) or a `FieldError`
//! naming the offending column out.
//!
//! Exports come from many tools (LinkedIn's own page analytics, Sales Navigator scrapers,
//! Phantombuster-style crawlers, CRM dumps) and none agree on column names, so headers are
//! matched by meaning: case-insensitively, ignoring spaces, underscores and punctuation, with
//! the synonyms listed in [`SYNONYMS`]. Cells are read as people and tools write them:
//! `500+`, `1,234`, `12K`, `51-200 employees`, `Mar 5, 2024`, `yes`. Missing is not zero: an
//! empty cell (or `N/A`, `null`, `-`) is `None`, never `0` or `false`. This module knows
//! nothing of files, line numbers or detection (that is `import/mod.rs`), nor of scoring.
//!
//! Conventions worth knowing (they are also in the examples README):
//! - **follower_id** is the stable public identifier. A `Public Identifier` column wins,
//!   then the slug of the profile URL (`linkedin.com/in/<slug>`, URL-decoded, lowercased),
//!   then a `Profile ID` / `Member ID` column as given. The slug comes first because nearly
//!   every export has the URL and only some have a member id, so the same person gets the
//!   same key whichever tool produced the file. Member-URN style slugs (`ACoAA…`, from Sales
//!   Navigator or the API) are case-sensitive and keep their case.
//! - Organization pages (`/company/<slug>`, `/school/<slug>`, `/showcase/<slug>`) get the id
//!   `company/<slug>` (etc.), so a page never shares a key with a person of the same slug, and
//!   `flags.is_organization = Some(true)`; `/in/` profiles get `Some(false)`.
//! - **company_size** is one representative number for a range: the midpoint, rounded down
//!   (`51-200 employees` → 125, `1,001-5,000` → 3,000); an open-ended bucket is its lower
//!   bound (`10,001+` → 10,001); `Self-employed` → 1.
//! - **connections** / **followers**: `500+` is read as 500, a lower bound (LinkedIn stops
//!   counting connections at 500); `12K` → 12,000, `1.2M` → 1,200,000.
//! - **dates** (`Followed At`, `Last Active`, `Scraped At`): RFC 3339, `2024-03-05`,
//!   `2024-03-05 14:22[:00]`, `03/05/2024` (US month/day; day/month when the first number is
//!   over 12), `05.03.2024` (day.month.year), `Mar 5, 2024`, `5 March 2024`, and Unix
//!   seconds or milliseconds. Dates without a time are midnight UTC; times without a zone
//!   are UTC.
//! - **Profile Picture** may hold a URL (a photo, unless it is LinkedIn's "ghost" avatar) or
//!   yes/no; it sets `flags.has_photo` only.
//! - `Premium`, `Email`, `Degree` and other columns without a place in the profile are
//!   ignored, as are unknown columns.

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use csv::StringRecord;

use super::FieldError;
use crate::engine::ids::{FollowerId, FollowerKey};
use crate::engine::profile::FollowerProfile;
use crate::engine::time::Timestamp;
use crate::engine::vocabulary::Platform;

/// The profile fields a LinkedIn export can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    PublicIdentifier,
    ProfileUrl,
    ProfileId,
    FullName,
    FirstName,
    LastName,
    Headline,
    Title,
    Company,
    CompanyDomain,
    Industry,
    CompanySize,
    Location,
    Country,
    Connections,
    Followers,
    FollowedAt,
    LastActive,
    ObservedAt,
    OpenToWork,
    HasPhoto,
    Verified,
    About,
}

const FIELD_COUNT: usize = 23;

/// Header synonyms per field, normalized (lowercase letters and digits only), in order of
/// preference: when an export has two of them, the earlier one is used.
pub const SYNONYMS: [(&str, &[&str]); FIELD_COUNT] = [
    (
        "Public Identifier",
        &["publicidentifier", "publicid", "vanityname", "profileslug"],
    ),
    (
        "Profile URL",
        &[
            "profileurl",
            "linkedinprofileurl",
            "linkedinurl",
            "linkedinprofile",
            "linkedinprofilelink",
            "profilelink",
            "publicprofileurl",
            "url",
        ],
    ),
    (
        "Profile ID",
        &[
            "profileid",
            "memberid",
            "linkedinmemberid",
            "linkedinid",
            "memberurn",
            "profileurn",
        ],
    ),
    (
        "Full Name",
        &["fullname", "name", "membername", "followername"],
    ),
    ("First Name", &["firstname", "givenname"]),
    ("Last Name", &["lastname", "surname", "familyname"]),
    ("Headline", &["headline", "occupation", "profileheadline"]),
    (
        "Title",
        &[
            "title",
            "jobtitle",
            "position",
            "currentposition",
            "currenttitle",
            "currentjobtitle",
        ],
    ),
    (
        "Company",
        &[
            "company",
            "companyname",
            "currentcompany",
            "currentcompanyname",
            "organization",
            "employer",
        ],
    ),
    (
        "Company Domain",
        &[
            "companydomain",
            "companywebsite",
            "companyurl",
            "companysite",
            "domain",
        ],
    ),
    ("Industry", &["industry", "companyindustry"]),
    (
        "Company Size",
        &[
            "companysize",
            "companyheadcount",
            "employees",
            "employeecount",
            "headcount",
            "companyemployees",
        ],
    ),
    ("Location", &["location", "geography", "region", "city"]),
    ("Country", &["country", "countrycode", "countryname"]),
    (
        "Connections",
        &[
            "connections",
            "connectionscount",
            "connectioncount",
            "numberofconnections",
        ],
    ),
    (
        "Followers",
        &[
            "followers",
            "followerscount",
            "followercount",
            "numberoffollowers",
        ],
    ),
    (
        "Followed At",
        &[
            "followedat",
            "followedon",
            "datefollowed",
            "followdate",
            "followedsince",
            "followingsince",
            "followedtime",
        ],
    ),
    (
        "Last Active",
        &[
            "lastactive",
            "lastactiveat",
            "lastactivity",
            "lastactivitydate",
        ],
    ),
    (
        "Scraped At",
        &[
            "scrapedat",
            "exportedat",
            "extractedat",
            "crawledat",
            "capturedat",
        ],
    ),
    (
        "Open To Work",
        &["opentowork", "isopentowork", "opentoworkbadge"],
    ),
    (
        "Has Photo",
        &[
            "hasphoto",
            "profilepicture",
            "profilepictureurl",
            "profilephoto",
            "photo",
            "profileimageurl",
            "avatar",
        ],
    ),
    ("Verified", &["verified", "isverified"]),
    ("About", &["about", "summary", "bio", "description"]),
];

const ALL_FIELDS: [Field; FIELD_COUNT] = [
    Field::PublicIdentifier,
    Field::ProfileUrl,
    Field::ProfileId,
    Field::FullName,
    Field::FirstName,
    Field::LastName,
    Field::Headline,
    Field::Title,
    Field::Company,
    Field::CompanyDomain,
    Field::Industry,
    Field::CompanySize,
    Field::Location,
    Field::Country,
    Field::Connections,
    Field::Followers,
    Field::FollowedAt,
    Field::LastActive,
    Field::ObservedAt,
    Field::OpenToWork,
    Field::HasPhoto,
    Field::Verified,
    Field::About,
];

/// A header as it is compared: lowercase letters and digits only, so `Profile URL`,
/// `profileUrl` and `profile_url` are the same column.
pub fn normalize_header(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a header row looks like a LinkedIn export: it names a LinkedIn profile URL, a
/// profile id or a headline. A bare `URL` column is not enough on its own, since many other
/// exports have one.
pub fn looks_like_linkedin(headers: &StringRecord) -> bool {
    headers.iter().map(normalize_header).any(|h| {
        h == "headline"
            || (h != "url"
                && [Field::PublicIdentifier, Field::ProfileUrl, Field::ProfileId]
                    .iter()
                    .any(|f| synonyms(*f).contains(&h.as_str())))
    })
}

fn synonyms(field: Field) -> &'static [&'static str] {
    SYNONYMS[field as usize].1
}

/// A resolved column: its position and its header as written, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Column {
    index: usize,
    header: String,
}

/// Where each field sits in one export, resolved once from the header row so that millions
/// of rows do not re-match headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    columns: [Option<Column>; FIELD_COUNT],
}

impl Columns {
    /// Matches the header row. Fails when no column can give a follower id, since then no row
    /// of the file could load.
    pub fn resolve(headers: &StringRecord) -> Result<Self, FieldError> {
        let normalized: Vec<String> = headers.iter().map(normalize_header).collect();
        let columns = ALL_FIELDS.map(|field| {
            synonyms(field).iter().find_map(|synonym| {
                normalized
                    .iter()
                    .position(|h| h == synonym)
                    .map(|index| Column {
                        index,
                        header: headers.get(index).unwrap_or_default().trim().to_owned(),
                    })
            })
        });
        let resolved = Self { columns };
        let has_id = [Field::PublicIdentifier, Field::ProfileUrl, Field::ProfileId]
            .iter()
            .any(|f| resolved.column(*f).is_some());
        if !has_id {
            return Err(FieldError::new(
                "Profile URL",
                "no column gives a follower id; expected one of Profile URL, LinkedIn URL, URL, \
                 Public Identifier, Profile ID, Member ID",
            ));
        }
        Ok(resolved)
    }

    fn column(&self, field: Field) -> Option<&Column> {
        self.columns[field as usize].as_ref()
    }

    /// The header name a field was read from, or its canonical name when absent.
    fn header(&self, field: Field) -> &str {
        self.column(field)
            .map_or(SYNONYMS[field as usize].0, |c| c.header.as_str())
    }

    /// The trimmed cell of a field, `None` when the column is absent or the cell is empty.
    fn cell<'r>(&self, record: &'r StringRecord, field: Field) -> Option<&'r str> {
        let column = self.column(field)?;
        let raw = record.get(column.index)?.trim();
        (!is_missing(raw)).then_some(raw)
    }

    fn text(&self, record: &StringRecord, field: Field) -> Option<String> {
        self.cell(record, field).map(|s| s.replace("\r\n", "\n"))
    }

    fn parsed<T>(
        &self,
        record: &StringRecord,
        field: Field,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<Option<T>, FieldError> {
        self.cell(record, field)
            .map(|raw| parse(raw).map_err(|message| FieldError::new(self.header(field), message)))
            .transpose()
    }

    /// One export row as a profile.
    pub fn profile(&self, record: &StringRecord) -> Result<FollowerProfile, FieldError> {
        let identity = self.identity(record)?;
        let id = FollowerId::parse(&identity.id)
            .map_err(|e| FieldError::new(self.header(identity.source), e.to_string()))?;
        let mut profile = FollowerProfile::new(FollowerKey {
            platform: Platform::LinkedIn,
            id,
        });
        profile.handle = identity.handle;
        profile.flags.is_organization = identity.is_organization;
        profile.url = self.text(record, Field::ProfileUrl);

        profile.display_name = self.text(record, Field::FullName).or_else(|| {
            let parts: Vec<String> = [Field::FirstName, Field::LastName]
                .iter()
                .filter_map(|f| self.text(record, *f))
                .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        });
        profile.headline = self.text(record, Field::Headline);
        profile.title = self.text(record, Field::Title);
        profile.company = self.text(record, Field::Company);
        profile.company_domain = self
            .parsed(record, Field::CompanyDomain, parse_domain)?
            .flatten();
        profile.industry = self.text(record, Field::Industry);
        profile.company_size = self.parsed(record, Field::CompanySize, parse_company_size)?;
        profile.location = self.text(record, Field::Location);
        profile.country = self.text(record, Field::Country);
        profile.bio = self.text(record, Field::About);

        profile.counts.connections = self.parsed(record, Field::Connections, parse_count)?;
        profile.counts.followers = self.parsed(record, Field::Followers, parse_count)?;

        profile.followed_at = self.parsed(record, Field::FollowedAt, parse_timestamp)?;
        profile.last_active_at = self.parsed(record, Field::LastActive, parse_timestamp)?;
        profile.observed_at = self.parsed(record, Field::ObservedAt, parse_timestamp)?;

        profile.flags.open_to_work = self.parsed(record, Field::OpenToWork, parse_bool)?;
        profile.flags.has_photo = self.parsed(record, Field::HasPhoto, parse_photo)?;
        profile.flags.verified = self.parsed(record, Field::Verified, parse_bool)?;
        Ok(profile)
    }

    /// The follower id and what it says about the profile, in the order of preference the
    /// module documentation gives.
    fn identity(&self, record: &StringRecord) -> Result<Identity, FieldError> {
        if let Some(raw) = self.cell(record, Field::PublicIdentifier) {
            let slug = normalize_slug(&percent_decode(raw));
            return Ok(Identity {
                handle: Some(slug.clone()),
                id: slug,
                is_organization: None,
                source: Field::PublicIdentifier,
            });
        }
        let from_url = self.cell(record, Field::ProfileUrl).map(|raw| {
            parse_profile_url(raw).map_err(|m| FieldError::new(self.header(Field::ProfileUrl), m))
        });
        match from_url {
            Some(Ok(page)) => return Ok(page.into_identity()),
            // A member id can still identify the row when the URL is unusable.
            Some(Err(error)) if self.cell(record, Field::ProfileId).is_none() => return Err(error),
            _ => {}
        }
        if let Some(raw) = self.cell(record, Field::ProfileId) {
            return Ok(Identity {
                id: raw.to_owned(),
                handle: None,
                is_organization: None,
                source: Field::ProfileId,
            });
        }
        let field = [Field::ProfileUrl, Field::PublicIdentifier, Field::ProfileId]
            .into_iter()
            .find(|f| self.column(*f).is_some())
            .unwrap_or(Field::ProfileUrl);
        Err(FieldError::new(
            self.header(field),
            "empty: the row has no profile URL or id",
        ))
    }
}

/// Parses one row of a LinkedIn export. Convenience for a single row; a reader of many rows
/// should resolve [`Columns`] once.
pub fn profile_from_csv(
    headers: &StringRecord,
    record: &StringRecord,
) -> Result<FollowerProfile, FieldError> {
    Columns::resolve(headers)?.profile(record)
}

struct Identity {
    id: String,
    handle: Option<String>,
    is_organization: Option<bool>,
    source: Field,
}

/// What a LinkedIn URL points at.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Page {
    Member(String),
    /// `company`, `school` or `showcase`, and the page slug.
    Organization(&'static str, String),
}

impl Page {
    fn into_identity(self) -> Identity {
        match self {
            Page::Member(slug) => Identity {
                handle: Some(slug.clone()),
                id: slug,
                is_organization: Some(false),
                source: Field::ProfileUrl,
            },
            Page::Organization(kind, slug) => Identity {
                id: format!("{kind}/{slug}"),
                handle: Some(slug),
                is_organization: Some(true),
                source: Field::ProfileUrl,
            },
        }
    }
}

/// Reads `https://www.linkedin.com/in/jane-doe-42/?trk=…` and its many spellings (no scheme,
/// country or mobile sub-domains, trailing paths, Sales Navigator lead URLs). A bare slug
/// (`jane-doe-42`) is accepted too, since some tools export only that.
fn parse_profile_url(raw: &str) -> Result<Page, String> {
    let not_linkedin =
        || format!("`{raw}` is not a LinkedIn profile URL (linkedin.com/in/<id> or /company/<id>)");
    let without_scheme = raw
        .split_once("://")
        .map_or(raw, |(_, rest)| rest)
        .trim_start_matches('/');
    let (host, path) = without_scheme
        .split_once('/')
        .unwrap_or((without_scheme, ""));
    if !host.contains('.') && path.is_empty() {
        return if is_slug(host) {
            Ok(Page::Member(normalize_slug(&percent_decode(host))))
        } else {
            Err(not_linkedin())
        };
    }
    let host = host.to_ascii_lowercase();
    let host = host.split(':').next().unwrap_or_default();
    if host != "linkedin.com" && !host.ends_with(".linkedin.com") {
        return Err(not_linkedin());
    }
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let mut segments = path.split('/').filter(|s| !s.is_empty());
    let kind = segments.next().map(str::to_ascii_lowercase);
    let slug = segments.next().map(percent_decode);
    match (kind.as_deref(), slug) {
        (Some("in"), Some(slug)) if !slug.trim().is_empty() => {
            Ok(Page::Member(normalize_slug(&slug)))
        }
        (Some("sales"), Some(section)) if section == "lead" || section == "people" => segments
            .next()
            .and_then(|token| token.split(',').next())
            .filter(|id| !id.is_empty())
            .map(|id| Page::Member(percent_decode(id)))
            .ok_or_else(not_linkedin),
        (Some(kind @ ("company" | "school" | "showcase")), Some(slug))
            if !slug.trim().is_empty() =>
        {
            let kind = match kind {
                "company" => "company",
                "school" => "school",
                _ => "showcase",
            };
            Ok(Page::Organization(kind, normalize_slug(&slug)))
        }
        _ => Err(not_linkedin()),
    }
}

/// Characters LinkedIn allows in a vanity slug, plus the non-ASCII letters of localized ones.
fn is_slug(raw: &str) -> bool {
    !raw.is_empty()
        && raw
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == '%')
}

/// Slugs are case-insensitive on LinkedIn, so they are lowercased; member-URN style ids
/// (`ACoAAB…`, `ACwAAB…`) are case-sensitive and kept as they are.
fn normalize_slug(slug: &str) -> String {
    let slug = slug.trim().trim_end_matches('/');
    let is_member_urn = (slug.starts_with("ACo") || slug.starts_with("ACw")) && slug.len() >= 20;
    if is_member_urn {
        slug.to_owned()
    } else {
        slug.to_lowercase()
    }
}

/// `%C3%BC` → `ü`. Invalid escapes and invalid UTF-8 leave the input as it was.
fn percent_decode(raw: &str) -> String {
    if !raw.contains('%') {
        return raw.to_owned();
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| raw.to_owned())
}

/// Cells that mean "not known" in real exports.
fn is_missing(cell: &str) -> bool {
    cell.is_empty()
        || matches!(
            cell.to_ascii_lowercase().as_str(),
            "-" | "--" | "—" | "–" | "n/a" | "na" | "null" | "none" | "nan" | "undefined"
        )
}

/// `https://www.finly.io/about` → `finly.io`. A LinkedIn company page is not a domain and
/// gives `None` rather than a domain that would match every company.
fn parse_domain(raw: &str) -> Result<Option<String>, String> {
    let without_scheme = raw.split_once("://").map_or(raw, |(_, rest)| rest);
    let host = without_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or_default();
    let host = host
        .split(':')
        .next()
        .unwrap_or_default()
        .trim_end_matches('.');
    let host = host.to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let valid = host.contains('.')
        && !host.starts_with('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    if !valid {
        return Err(format!("`{raw}` is not a domain or website"));
    }
    if host == "linkedin.com" || host.ends_with(".linkedin.com") {
        return Ok(None);
    }
    Ok(Some(host.to_owned()))
}

/// A number as written in a cell: `1,234` (thousands separators `,` or `.`), `12K`, `1.2M`
/// or `1,5K`.
fn parse_number(token: &str) -> Result<u64, String> {
    let lower = token.to_ascii_lowercase();
    let (digits, multiplier) = match lower.strip_suffix('k') {
        Some(d) => (d, 1_000.0),
        None => match lower.strip_suffix('m') {
            Some(d) => (d, 1_000_000.0),
            None => (lower.as_str(), 1.0),
        },
    };
    if multiplier > 1.0 {
        let value: f64 = digits
            .replace(',', ".")
            .parse()
            .map_err(|_| format!("`{token}` is not a number"))?;
        return Ok((value * multiplier).round() as u64);
    }
    let mut groups = digits.split([',', '.']);
    let first = groups.next().unwrap_or_default();
    let rest: Vec<&str> = groups.collect();
    // Separators only count as thousands separators in groups of three digits; `1.5`
    // employees or connections is not a count.
    if first.is_empty() || rest.iter().any(|g| g.len() != 3) {
        return Err(format!("`{token}` is not a whole number"));
    }
    let joined: String = std::iter::once(first).chain(rest).collect();
    joined
        .parse()
        .map_err(|_| format!("`{token}` is not a whole number"))
}

/// The numbers in a cell, with whatever words surround them (`500+ connections`,
/// `51-200 employees`, `SIZE_51_200`).
fn numbers_in(cell: &str) -> Result<Vec<u64>, String> {
    let mut numbers = Vec::new();
    let chars: Vec<char> = cell.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_ascii_digit()
                || ((chars[i] == ',' || chars[i] == '.')
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
        {
            i += 1;
        }
        // A magnitude suffix belongs to the number only when no letter follows it (`12K`,
        // not the `m` of `members`).
        if i < chars.len()
            && matches!(chars[i], 'k' | 'K' | 'm' | 'M')
            && !chars.get(i + 1).is_some_and(|c| c.is_alphabetic())
        {
            i += 1;
        }
        let token: String = chars[start..i].iter().collect();
        numbers.push(parse_number(&token)?);
    }
    Ok(numbers)
}

/// Connections, followers: one number; `500+` is its lower bound, 500.
fn parse_count(cell: &str) -> Result<u64, String> {
    match numbers_in(cell)?.as_slice() {
        [n] => Ok(*n),
        [] => Err(format!("`{cell}` is not a count")),
        _ => Err(format!("`{cell}` holds more than one number")),
    }
}

/// Employees: the midpoint of a range, the lower bound of an open-ended one.
fn parse_company_size(cell: &str) -> Result<u64, String> {
    let lower = cell.to_lowercase();
    if [
        "self-employed",
        "self employed",
        "myself only",
        "just me",
        "freelance",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        return Ok(1);
    }
    match numbers_in(cell)?.as_slice() {
        [n] => Ok(*n),
        [lo, hi] if lo <= hi => Ok(lo + (hi - lo) / 2),
        [_, _] => Err(format!("`{cell}` is not a size range (low-high)")),
        [] => Err(format!("`{cell}` is not a company size")),
        _ => Err(format!("`{cell}` holds more than two numbers")),
    }
}

fn parse_bool(cell: &str) -> Result<bool, String> {
    match cell.to_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "t" | "x" | "✓" | "✔" | "ja" | "oui" | "sí" | "si" => {
            Ok(true)
        }
        "false" | "no" | "n" | "0" | "f" | "nein" | "non" => Ok(false),
        _ => Err(format!("`{cell}` is not yes or no")),
    }
}

/// A picture URL means a photo, unless it is LinkedIn's "ghost" placeholder; otherwise a
/// yes/no cell.
fn parse_photo(cell: &str) -> Result<bool, String> {
    let lower = cell.to_ascii_lowercase();
    if lower.contains("://") || lower.contains("licdn.com") {
        return Ok(!lower.contains("ghost"));
    }
    parse_bool(cell)
}

/// Dates as exports write them; see the module documentation for the list.
pub(crate) fn parse_timestamp(cell: &str) -> Result<Timestamp, String> {
    let cell = cell.trim();
    let invalid = || format!("`{cell}` is not a date (use 2024-03-05 or an ISO 8601 time)");
    if cell.chars().all(|c| c.is_ascii_digit()) {
        let value: i64 = cell.parse().map_err(|_| invalid())?;
        // Thirteen digits are milliseconds (the LinkedIn API's unit) until the year 2286.
        let seconds = if cell.len() >= 12 {
            value / 1_000
        } else {
            value
        };
        return Ok(Timestamp::from_unix_seconds(seconds));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(cell) {
        return Ok(Timestamp::from_unix_seconds(t.timestamp()));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%d.%m.%Y %H:%M:%S",
        "%d.%m.%Y %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(cell, format) {
            return Ok(Timestamp::from_unix_seconds(t.and_utc().timestamp()));
        }
    }
    let date_part = cell.split([' ', 'T']).next().unwrap_or_default();
    if let Some(date) = parse_slash_date(date_part) {
        return Ok(midnight(date));
    }
    for format in [
        "%Y-%m-%d",
        "%Y/%m/%d",
        "%d.%m.%Y",
        "%b %d, %Y",
        "%b %d %Y",
        "%d %b %Y",
        "%d %b, %Y",
        "%B %d, %Y",
        "%B %d %Y",
        "%d %B %Y",
        "%d %B, %Y",
    ] {
        if let Ok(date) = NaiveDate::parse_from_str(cell, format) {
            return Ok(midnight(date));
        }
    }
    Err(invalid())
}

/// `03/05/2024` is US month/day (the form US tools and LinkedIn's English UI write); it is
/// day/month when the first number cannot be a month.
fn parse_slash_date(cell: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = cell.split('/').collect();
    let [a, b, y] = parts.as_slice() else {
        return None;
    };
    let (a, b, y): (u32, u32, i32) = (a.parse().ok()?, b.parse().ok()?, y.parse().ok()?);
    if y < 1000 {
        return None;
    }
    let (month, day) = if a > 12 { (b, a) } else { (a, b) };
    NaiveDate::from_ymd_opt(y, month, day)
}

fn midnight(date: NaiveDate) -> Timestamp {
    Timestamp::from_unix_seconds(date.and_time(chrono::NaiveTime::MIN).and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(cells: &[&str]) -> StringRecord {
        StringRecord::from(cells.to_vec())
    }

    fn day(date: &str) -> Timestamp {
        let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
        midnight(date)
    }

    /// Parses one row under the given headers.
    fn load(headers: &[&str], row: &[&str]) -> Result<FollowerProfile, FieldError> {
        profile_from_csv(&record(headers), &record(row))
    }

    #[test]
    fn header_variants_resolve_to_the_same_fields() {
        let cases: &[(&[&str], &[&str])] = &[
            (
                &[
                    "Profile URL",
                    "Full Name",
                    "Headline",
                    "Company",
                    "Location",
                ],
                &[
                    "https://www.linkedin.com/in/lena-vogt/",
                    "Lena Vogt",
                    "Leiter BI",
                    "Contoso Retail",
                    "Munich",
                ],
            ),
            (
                &[
                    "profileUrl",
                    "fullName",
                    "headline",
                    "companyName",
                    "location",
                ],
                &[
                    "linkedin.com/in/Lena-Vogt",
                    "Lena Vogt",
                    "Leiter BI",
                    "Contoso Retail",
                    "Munich",
                ],
            ),
            (
                &[
                    "linkedin_profile_url",
                    "first_name",
                    "last_name",
                    "HEADLINE",
                    "current_company",
                    "Location",
                ],
                &[
                    "https://de.linkedin.com/in/lena-vogt?trk=public_profile",
                    "Lena",
                    "Vogt",
                    "Leiter BI",
                    "Contoso Retail",
                    "Munich",
                ],
            ),
            (
                &[
                    "LinkedIn URL",
                    "Name",
                    "Headline",
                    "Organization",
                    "Location",
                ],
                &[
                    "http://linkedin.com/in/lena-vogt/details/experience/",
                    "Lena Vogt",
                    "Leiter BI",
                    "Contoso Retail",
                    "Munich",
                ],
            ),
            (
                &["URL", "Name", "Occupation", "Current Company", "Location"],
                &[
                    "lena-vogt",
                    "Lena Vogt",
                    "Leiter BI",
                    "Contoso Retail",
                    "Munich",
                ],
            ),
        ];
        for (headers, row) in cases {
            let profile = load(headers, row).unwrap_or_else(|e| panic!("{headers:?}: {e}"));
            assert_eq!(profile.key.platform, Platform::LinkedIn);
            assert_eq!(profile.key.id.as_str(), "lena-vogt", "{headers:?}");
            assert_eq!(profile.handle.as_deref(), Some("lena-vogt"));
            assert_eq!(
                profile.display_name.as_deref(),
                Some("Lena Vogt"),
                "{headers:?}"
            );
            assert_eq!(
                profile.headline.as_deref(),
                Some("Leiter BI"),
                "{headers:?}"
            );
            assert_eq!(
                profile.company.as_deref(),
                Some("Contoso Retail"),
                "{headers:?}"
            );
            assert_eq!(profile.location.as_deref(), Some("Munich"), "{headers:?}");
            assert_eq!(profile.flags.is_organization, Some(false));
        }
    }

    #[test]
    fn a_full_export_row_fills_every_field() {
        let headers = [
            "Profile URL",
            "Full Name",
            "Headline",
            "Job Title",
            "Company Name",
            "Company Website",
            "Industry",
            "Company Size",
            "Location",
            "Country",
            "Connections",
            "Followers",
            "Followed At",
            "Open To Work",
            "Profile Picture",
            "Premium",
            "About",
            "Verified",
        ];
        let row = [
            "https://www.linkedin.com/in/marta-ruiz-garc%C3%ADa-8b21a4/",
            "Marta Ruiz García",
            "Directora de Finanzas en Lumen Foods | CFO 🚀",
            "Directora de Finanzas",
            "Lumen Foods S.A.",
            "https://www.lumenfoods.es/es/",
            "Manufacturing",
            "1,001-5,000 employees",
            "Madrid, Comunidad de Madrid, España",
            "ES",
            "500+",
            "1,284",
            "Mar 5, 2026",
            "No",
            "https://media.licdn.com/dms/image/v2/C4D03AQ/profile-displayphoto-shrink_100_100/0/1",
            "Yes",
            "Finanzas y datos.\r\nMadrid · Valencia",
            "",
        ];
        let p = load(&headers, &row).unwrap();
        assert_eq!(p.key.id.as_str(), "marta-ruiz-garcía-8b21a4");
        assert_eq!(p.title.as_deref(), Some("Directora de Finanzas"));
        assert_eq!(p.company.as_deref(), Some("Lumen Foods S.A."));
        assert_eq!(p.company_domain.as_deref(), Some("lumenfoods.es"));
        assert_eq!(p.industry.as_deref(), Some("Manufacturing"));
        assert_eq!(p.company_size, Some(3_000));
        assert_eq!(p.country.as_deref(), Some("ES"));
        assert_eq!(p.counts.connections, Some(500));
        assert_eq!(p.counts.followers, Some(1_284));
        assert_eq!(p.counts.posts, None, "missing is not zero");
        assert_eq!(p.followed_at, Some(day("2026-03-05")));
        assert_eq!(p.flags.open_to_work, Some(false));
        assert_eq!(p.flags.has_photo, Some(true));
        assert_eq!(p.flags.verified, None);
        assert_eq!(
            p.bio.as_deref(),
            Some("Finanzas y datos.\nMadrid · Valencia")
        );
        assert_eq!(
            p.url.as_deref(),
            Some("https://www.linkedin.com/in/marta-ruiz-garc%C3%ADa-8b21a4/")
        );
    }

    #[test]
    fn empty_cells_are_unknown_not_zero() {
        let headers = [
            "Profile URL",
            "Connections",
            "Followers",
            "Company Size",
            "Open to work",
            "Followed On",
        ];
        let p = load(&headers, &["linkedin.com/in/x1", "", "N/A", " ", "-", ""]).unwrap();
        assert_eq!(p.counts.connections, None);
        assert_eq!(p.counts.followers, None);
        assert_eq!(p.company_size, None);
        assert_eq!(p.flags.open_to_work, None);
        assert_eq!(p.followed_at, None);
        assert_eq!(p.display_name, None);
    }

    #[test]
    fn ids_come_from_the_url_slug_the_public_identifier_or_the_member_id() {
        // Headers, row, expected id, expected `is_organization`.
        type Case<'a> = (&'a [&'a str], &'a [&'a str], &'a str, Option<bool>);
        let cases: &[Case] = &[
            (
                &["Profile URL"],
                &["https://www.linkedin.com/in/J%C3%BCrgen-M%C3%BCller/"],
                "jürgen-müller",
                Some(false),
            ),
            (
                &["Profile URL"],
                &["https://m.linkedin.com/in/dana-k?originalSubdomain=uk"],
                "dana-k",
                Some(false),
            ),
            (
                &["Profile URL"],
                &["https://www.linkedin.com/company/northwind-analytics/"],
                "company/northwind-analytics",
                Some(true),
            ),
            (
                &["Profile URL"],
                &["www.linkedin.com/school/tu-munchen/about/"],
                "school/tu-munchen",
                Some(true),
            ),
            (
                &["Profile URL"],
                &["https://www.linkedin.com/sales/lead/ACwAAAB1c2VyMTIzNDU2Nzg5,NAME_SEARCH,Qx9z"],
                "ACwAAAB1c2VyMTIzNDU2Nzg5",
                Some(false),
            ),
            (
                &["Profile URL", "Profile ID"],
                &["", "urn:li:member:884213"],
                "urn:li:member:884213",
                None,
            ),
            (
                &["Profile URL", "Member ID"],
                &["https://example.com/jane", "884213"],
                "884213",
                None,
            ),
            (
                &["Public Identifier", "Profile URL"],
                &["Tom-Baker", "https://www.linkedin.com/in/other"],
                "tom-baker",
                None,
            ),
        ];
        for (headers, row, id, organization) in cases {
            let p = load(headers, row).unwrap_or_else(|e| panic!("{row:?}: {e}"));
            assert_eq!(p.key.id.as_str(), *id, "{row:?}");
            assert_eq!(p.flags.is_organization, *organization, "{row:?}");
        }
    }

    #[test]
    fn a_row_without_a_usable_id_names_the_column() {
        let cases: &[(&[&str], &[&str], &str)] = &[
            (&["LinkedIn URL", "Name"], &["", "Jane"], "LinkedIn URL"),
            (
                &["Profile URL", "Name"],
                &["https://twitter.com/jane", "Jane"],
                "Profile URL",
            ),
            (
                &["Profile URL"],
                &["https://www.linkedin.com/feed/"],
                "Profile URL",
            ),
            (&["Profile ID", "Name"], &["", "Jane"], "Profile ID"),
        ];
        for (headers, row, column) in cases {
            let error = load(headers, row).unwrap_err();
            assert_eq!(error.field, *column, "{row:?}: {error}");
        }
        let error = load(&["Name", "Headline"], &["Jane", "CFO"]).unwrap_err();
        assert_eq!(error.field, "Profile URL");
    }

    #[test]
    fn bad_cells_name_their_column() {
        let headers = [
            "Profile URL",
            "Connections",
            "Followed At",
            "Open To Work",
            "Company Size",
        ];
        let cases: &[(&[&str], &str)] = &[
            (&["linkedin.com/in/a", "lots", "", "", ""], "Connections"),
            (
                &["linkedin.com/in/a", "", "yesterday", "", ""],
                "Followed At",
            ),
            (&["linkedin.com/in/a", "", "", "maybe", ""], "Open To Work"),
            (
                &["linkedin.com/in/a", "", "", "", "500-200"],
                "Company Size",
            ),
        ];
        for (row, column) in cases {
            assert_eq!(load(&headers, row).unwrap_err().field, *column, "{row:?}");
        }
    }

    #[test]
    fn counts_read_as_written() {
        let cases = [
            ("500+", 500),
            ("500+ connections", 500),
            ("1,234", 1_234),
            ("12.345", 12_345),
            ("12K", 12_000),
            ("1.2k", 1_200),
            ("1,5K", 1_500),
            ("2.4M", 2_400_000),
            ("0", 0),
        ];
        for (cell, expected) in cases {
            assert_eq!(parse_count(cell), Ok(expected), "{cell}");
        }
        for cell in ["many", "1.5", "3 4"] {
            assert!(parse_count(cell).is_err(), "{cell}");
        }
    }

    #[test]
    fn company_sizes_become_one_representative_number() {
        let cases = [
            ("1-10", 5),
            ("2-10 employees", 6),
            ("11-50", 30),
            ("51-200 employees", 125),
            ("201-500", 350),
            ("501–1,000 employees", 750),
            ("1,001-5,000", 3_000),
            ("5001-10000", 7_500),
            ("10,001+", 10_001),
            ("10,001+ employees", 10_001),
            ("SIZE_51_200", 125),
            ("Self-employed", 1),
            ("250", 250),
            ("1K-5K", 3_000),
        ];
        for (cell, expected) in cases {
            assert_eq!(parse_company_size(cell), Ok(expected), "{cell}");
        }
    }

    #[test]
    fn dates_read_in_the_common_export_forms() {
        let march_5 = day("2024-03-05");
        let cases = [
            ("2024-03-05", march_5),
            ("2024/03/05", march_5),
            ("03/05/2024", march_5),
            ("3/5/2024", march_5),
            ("05.03.2024", march_5),
            ("Mar 5, 2024", march_5),
            ("March 5, 2024", march_5),
            ("5 Mar 2024", march_5),
            ("5 March 2024", march_5),
            ("25/03/2024", day("2024-03-25")),
            (
                "2024-03-05T14:22:00Z",
                Timestamp(march_5.0 + 14 * 3600 + 22 * 60),
            ),
            (
                "2024-03-05T14:22:00+01:00",
                Timestamp(march_5.0 + 13 * 3600 + 22 * 60),
            ),
            (
                "2024-03-05 14:22:00",
                Timestamp(march_5.0 + 14 * 3600 + 22 * 60),
            ),
            (
                "2024-03-05 14:22",
                Timestamp(march_5.0 + 14 * 3600 + 22 * 60),
            ),
            ("03/05/2024 14:22", march_5),
            ("1709596800", march_5),
            ("1709596800000", march_5),
        ];
        for (cell, expected) in cases {
            assert_eq!(parse_timestamp(cell), Ok(expected), "{cell}");
        }
        for cell in ["yesterday", "13/13/2024", "2024-02-30"] {
            assert!(parse_timestamp(cell).is_err(), "{cell}");
        }
    }

    #[test]
    fn photos_and_flags() {
        let cases = [
            (
                "https://media.licdn.com/dms/image/C4E03AQ/profile-displayphoto",
                Ok(true),
            ),
            (
                "https://static.licdn.com/sc/h/ghost_person_100x100_v1.png",
                Ok(false),
            ),
            ("yes", Ok(true)),
            ("FALSE", Ok(false)),
            ("perhaps", Err("`perhaps` is not yes or no".to_owned())),
        ];
        for (cell, expected) in cases {
            assert_eq!(parse_photo(cell), expected, "{cell}");
        }
    }

    #[test]
    fn domains_are_hosts_without_www() {
        let cases = [
            ("finly.io", Ok(Some("finly.io".to_owned()))),
            (
                "https://www.Finly.io/pricing?x=1",
                Ok(Some("finly.io".to_owned())),
            ),
            (
                "http://shop.contoso-retail.com:8080",
                Ok(Some("shop.contoso-retail.com".to_owned())),
            ),
            ("https://www.linkedin.com/company/finly", Ok(None)),
        ];
        for (cell, expected) in cases {
            assert_eq!(parse_domain(cell), expected, "{cell}");
        }
        assert!(parse_domain("our website").is_err());
    }

    #[test]
    fn header_detection_recognizes_linkedin_exports() {
        assert!(looks_like_linkedin(&record(&["Full Name", "Profile URL"])));
        assert!(looks_like_linkedin(&record(&[
            "name", "headline", "company"
        ])));
        assert!(looks_like_linkedin(&record(&["linkedin_profile_url"])));
        assert!(!looks_like_linkedin(&record(&[
            "id",
            "name",
            "screen_name"
        ])));
        assert!(!looks_like_linkedin(&record(&["email", "phone"])));
        assert!(!looks_like_linkedin(&record(&["url", "email"])));
    }

    #[test]
    fn synonym_table_is_in_field_order() {
        for (i, field) in ALL_FIELDS.iter().enumerate() {
            assert_eq!(*field as usize, i);
        }
    }
}
