//! `followscore export`: an account's stored followers as one CSV file a CRM imports
//! (HubSpot, Salesforce): UTF-8, a header row, RFC 4180 quoting, one row per current
//! follower, highest lead score first (the order of ListFollowers).
//!
//! Owns the column list ([`COLUMNS`], documented in the README) and the mapping of one
//! stored follower to one row ([`CrmRow::of`]). It reads through [`ResultSource`] and never
//! opens a store or a connection itself; it scores nothing.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context as _;

use super::source::{FollowerQuery, ResultSource, SourceArgs, StoredFollower};
use crate::engine::ids::AccountId;
use crate::engine::time::Timestamp;
use crate::engine::vocabulary::{Action, Category, LeadTier, Platform};
use crate::service::FollowerFilter;

/// The header, in order. Changing it breaks people's CRM import mappings: add columns at
/// the end, and update the README's table and the integration test with it.
pub const COLUMNS: [&str; 20] = [
    "platform",
    "follower_id",
    "name",
    "company",
    "title",
    "profile_url",
    "category",
    "lead_tier",
    "tier_label",
    "fit_grade",
    "engagement_level",
    "lead_score",
    "bot_probability",
    "actions",
    "reason_1",
    "reason_2",
    "reason_3",
    "scored_at",
    "win_probability",
    "fit_source",
];

#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    /// The account id.
    #[arg(long)]
    pub account: String,
    #[command(flatten)]
    pub source: SourceArgs,
    /// Write the CSV here instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Only this platform (LINKEDIN, TWITTER, FACEBOOK, INSTAGRAM, OTHER).
    #[arg(long, value_parser = word_parser(Platform::ALL, Platform::as_str))]
    pub platform: Option<Platform>,
    /// Only this category (PROSPECT, CUSTOMER, BOT, …).
    #[arg(long, value_parser = word_parser(Category::ALL, Category::as_str))]
    pub category: Option<Category>,
    /// Only this lead tier (HOT, WARM, NURTURE, COLD, NOT_A_LEAD).
    #[arg(long, value_parser = word_parser(LeadTier::ALL, LeadTier::as_str))]
    pub tier: Option<LeadTier>,
    /// Only followers with this action (ROUTE_TO_SALES, FOLLOW_BACK, PRUNE, …).
    #[arg(long, value_parser = word_parser(Action::ALL, Action::as_str))]
    pub action: Option<Action>,
    /// Only leads: PROSPECT, CUSTOMER and PARTNER followers.
    #[arg(long)]
    pub leads_only: bool,
}

/// Accepts a vocabulary word in any case, with `-` for `_` ("route-to-sales").
fn word_parser<T: Copy + Send + Sync + 'static>(
    all: &'static [T],
    name: fn(T) -> &'static str,
) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static {
    move |raw: &str| {
        let wanted = raw.trim().replace('-', "_").to_ascii_uppercase();
        all.iter()
            .copied()
            .find(|value| name(*value) == wanted)
            .ok_or_else(|| {
                let names: Vec<&str> = all.iter().map(|v| name(*v)).collect();
                format!("expected one of {}", names.join(", "))
            })
    }
}

pub fn export(args: &ExportArgs) -> anyhow::Result<()> {
    let account = AccountId::parse(&args.account)
        .map_err(|e| anyhow::anyhow!("--account {}: {e}", args.account))?;
    let query = FollowerQuery {
        filter: FollowerFilter {
            platform: args.platform,
            category: args.category,
            tier: args.tier,
            action: args.action,
        },
        leads_only: args.leads_only,
    };
    let mut source = ResultSource::open(&args.source)?;
    let mut followers = source.followers(&account, query);
    // The first page answers "is there such an account?" before any output exists.
    let first = followers.next().transpose()?;
    let followers = first.map(Ok).into_iter().chain(followers);
    let rows = match &args.out {
        Some(path) => {
            // Written beside the target and renamed at the end: a failed export never
            // leaves a half file under the name a CRM import would pick up.
            let partial = path.with_extension("csv.partial");
            let file = std::fs::File::create(&partial)
                .with_context(|| format!("cannot create {}", partial.display()))?;
            let rows = write_csv(std::io::BufWriter::new(file), followers)?;
            std::fs::rename(&partial, path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            rows
        }
        None => match write_csv(std::io::stdout().lock(), followers) {
            Ok(rows) => rows,
            // A reader that stops early (`| head`) is not a failure of the export.
            Err(error) if is_broken_pipe(&error) => return Ok(()),
            Err(error) => return Err(error),
        },
    };
    eprintln!("exported {rows} followers of {account}");
    Ok(())
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let io = cause.downcast_ref::<std::io::Error>().or_else(|| {
            cause
                .downcast_ref::<csv::Error>()
                .and_then(|e| match e.kind() {
                    csv::ErrorKind::Io(io) => Some(io),
                    _ => None,
                })
        });
        io.is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Writes the header and one row per follower; returns the number of rows.
pub fn write_csv(
    out: impl Write,
    followers: impl Iterator<Item = anyhow::Result<StoredFollower>>,
) -> anyhow::Result<u64> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(COLUMNS)?;
    let mut rows = 0;
    for follower in followers {
        writer.write_record(CrmRow::of(&follower?).fields())?;
        rows += 1;
    }
    writer.flush()?;
    Ok(rows)
}

/// One follower as CRM columns, in [`COLUMNS`] order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrmRow {
    pub platform: String,
    pub follower_id: String,
    pub name: String,
    pub company: String,
    pub title: String,
    pub profile_url: String,
    pub category: String,
    pub lead_tier: String,
    pub tier_label: String,
    pub fit_grade: String,
    pub engagement_level: String,
    pub lead_score: String,
    pub bot_probability: String,
    pub actions: String,
    pub reasons: [String; 3],
    pub scored_at: String,
    pub win_probability: String,
    pub fit_source: String,
}

impl CrmRow {
    pub fn of(follower: &StoredFollower) -> Self {
        let (r, p) = (&follower.result, &follower.profile);
        let reason = |i: usize| {
            r.reasons
                .get(i)
                .map_or_else(String::new, |reason| cell(&reason.message))
        };
        CrmRow {
            platform: r.key.platform.as_str().to_owned(),
            follower_id: r.key.id.as_str().to_owned(),
            // A CRM needs some name: the handle stands in for people who give none.
            name: cell(match first(&[&p.display_name]) {
                "" => first(&[&p.handle]).trim_start_matches('@'),
                name => name,
            }),
            // The matched company is how the account lists it: a good key for a CRM record.
            company: cell(first(&[&p.company, &r.matched_company])),
            // A LinkedIn headline is the job line; an X bio's first line is not a title.
            title: cell(match r.key.platform {
                Platform::LinkedIn => first(&[&p.title, &p.headline]),
                _ => first(&[&p.title]),
            }),
            profile_url: profile_url(follower),
            category: r.category.as_str().to_owned(),
            lead_tier: r.lead_tier.as_str().to_owned(),
            tier_label: r.tier_label(),
            fit_grade: r.fit_grade.as_str().to_owned(),
            engagement_level: r.engagement_level.to_string(),
            lead_score: r.lead_score.to_string(),
            bot_probability: format!("{:.3}", r.bot_probability),
            actions: r
                .actions
                .iter()
                .map(|a| a.as_str())
                .collect::<Vec<_>>()
                .join(";"),
            reasons: [reason(0), reason(1), reason(2)],
            scored_at: rfc3339(r.scored_at),
            win_probability: format!("{:.4}", r.win_probability),
            fit_source: r.fit_source.as_str().to_owned(),
        }
    }

    pub fn fields(&self) -> [&str; 20] {
        [
            &self.platform,
            &self.follower_id,
            &self.name,
            &self.company,
            &self.title,
            &self.profile_url,
            &self.category,
            &self.lead_tier,
            &self.tier_label,
            &self.fit_grade,
            &self.engagement_level,
            &self.lead_score,
            &self.bot_probability,
            &self.actions,
            &self.reasons[0],
            &self.reasons[1],
            &self.reasons[2],
            &self.scored_at,
            &self.win_probability,
            &self.fit_source,
        ]
    }
}

fn first<'a>(candidates: &[&'a Option<String>]) -> &'a str {
    candidates
        .iter()
        .find_map(|c| c.as_deref().filter(|s| !s.trim().is_empty()))
        .unwrap_or("")
}

/// Text from people's profiles, safe to open in a spreadsheet: a cell that starts like a
/// formula (`=`, `+`, `-`, `@`, tab, carriage return) gets a leading `'`, so a display name
/// such as `=HYPERLINK(…)` is shown, never run (OWASP "CSV injection"). Line breaks, which
/// CRM fields rarely want, become spaces.
fn cell(text: &str) -> String {
    let flat: String = text
        .trim()
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    if flat.starts_with(['=', '+', '-', '@', '\t']) {
        format!("'{flat}")
    } else {
        flat
    }
}

/// The follower's own page on the platform: on LinkedIn the profile URL the export gave; on
/// X built from the handle (or the numeric id); elsewhere the URL sent with the profile. On X
/// the profile's `url` is the person's website, not their profile, so it is never used.
fn profile_url(follower: &StoredFollower) -> String {
    let (key, p) = (&follower.result.key, &follower.profile);
    match key.platform {
        Platform::LinkedIn => p
            .url
            .as_deref()
            .filter(|url| url.contains("linkedin.com/"))
            .unwrap_or("")
            .to_owned(),
        Platform::Twitter => match p.handle.as_deref().map(|h| h.trim_start_matches('@')) {
            Some(handle) if !handle.is_empty() => format!("https://x.com/{handle}"),
            _ if key.id.as_str().bytes().all(|b| b.is_ascii_digit()) => {
                format!("https://x.com/i/user/{}", key.id.as_str())
            }
            _ => String::new(),
        },
        _ => p.url.clone().unwrap_or_default(),
    }
}

/// UTC, to the second: `2026-10-01T09:30:00Z`.
fn rfc3339(t: Timestamp) -> String {
    chrono::DateTime::from_timestamp(t.unix_seconds(), 0)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::engine::ids::{FollowerId, FollowerKey};
    use crate::engine::profile::FollowerProfile;
    use crate::engine::reasons::Reason;
    use crate::engine::result::FollowerResult;
    use crate::engine::vocabulary::FitGrade;

    fn key(platform: Platform, id: &str) -> FollowerKey {
        FollowerKey {
            platform,
            id: FollowerId::parse(id).unwrap(),
        }
    }

    /// A HOT prospect on `platform` with four reasons and two actions.
    fn follower(platform: Platform, id: &str) -> StoredFollower {
        let key = key(platform, id);
        let result = FollowerResult {
            key: key.clone(),
            category: Category::Prospect,
            computed_category: Category::Prospect,
            secondary_labels: vec![],
            bot_probability: 0.0123,
            fit_score: 88,
            fit_grade: FitGrade::A,
            engagement_points: 12.5,
            engagement_level: 1,
            lead_tier: LeadTier::Hot,
            lead_score: 91,
            actions: vec![Action::RouteToSales, Action::FollowBack],
            reasons: (1..=4)
                .map(|i| Reason {
                    code: Cow::Owned(format!("code_{i}")),
                    message: format!("Reason number {i}."),
                    weight: 1.0,
                })
                .collect(),
            seniority: None,
            department: None,
            matched_company: Some("Tailspin Toys".into()),
            matched_list: None,
            confidence: 0.9,
            missing_fields: vec![],
            scored_at: Timestamp::from_unix_seconds(1_790_000_000),
            model_version: "rules-1".into(),
            config_version: 1,
            category_override: None,
            followed_at: None,
            unfollowed_at: None,
            last_engaged_at: None,
            win_probability: 0.0,
            fit_source: crate::engine::learning::FitSource::Rules,
            explored: false,
        };
        StoredFollower {
            result,
            profile: FollowerProfile::new(key),
        }
    }

    fn check(
        follower: StoredFollower,
        column: &str,
        get: impl Fn(&CrmRow) -> &str,
        expected: &str,
    ) {
        let row = CrmRow::of(&follower);
        assert_eq!(get(&row), expected, "column {column}");
        let index = COLUMNS.iter().position(|c| *c == column).unwrap();
        assert_eq!(row.fields()[index], expected, "column {column} in fields()");
    }

    #[test]
    fn every_column_of_a_full_row() {
        let mut f = follower(Platform::LinkedIn, "maria-keller");
        f.profile.display_name = Some("Maria Keller".into());
        f.profile.company = Some("Tailspin Toys Inc.".into());
        f.profile.title = Some("VP Data & Analytics".into());
        f.profile.url = Some("https://www.linkedin.com/in/maria-keller/".into());
        f.result.win_probability = 0.03121;
        f.result.fit_source = crate::engine::learning::FitSource::Learned;
        let row = CrmRow::of(&f);
        assert_eq!(
            row.fields(),
            [
                "LINKEDIN",
                "maria-keller",
                "Maria Keller",
                "Tailspin Toys Inc.",
                "VP Data & Analytics",
                "https://www.linkedin.com/in/maria-keller/",
                "PROSPECT",
                "HOT",
                "A1",
                "A",
                "1",
                "91",
                "0.012",
                "ROUTE_TO_SALES;FOLLOW_BACK",
                "Reason number 1.",
                "Reason number 2.",
                "Reason number 3.",
                "2026-09-21T14:13:20Z",
                "0.0312",
                "learned",
            ]
        );
    }

    #[test]
    fn profile_fields_fall_back_as_documented() {
        type Case = (
            &'static str,
            fn(&mut StoredFollower),
            fn(&CrmRow) -> &str,
            &'static str,
        );
        let cases: &[Case] = &[
            (
                "name",
                |f| f.profile.handle = Some("@mk".into()),
                |r| &r.name,
                "mk",
            ),
            (
                "name",
                |f| f.profile.handle = Some("mk".into()),
                |r| &r.name,
                "mk",
            ),
            ("name", |_| {}, |r| &r.name, ""),
            ("company", |_| {}, |r| &r.company, "Tailspin Toys"),
            (
                "title",
                |f| f.profile.headline = Some("CFO at Contoso".into()),
                |r| &r.title,
                "CFO at Contoso",
            ),
            (
                "profile_url",
                |f| f.profile.url = Some("https://maria.example".into()),
                |r| &r.profile_url,
                "",
            ),
        ];
        for (column, adjust, get, expected) in cases {
            let mut f = follower(Platform::LinkedIn, "maria-keller");
            adjust(&mut f);
            check(f, column, get, expected);
        }
    }

    #[test]
    fn x_profile_urls_come_from_the_handle_or_the_numeric_id() {
        let cases: &[(&str, Option<&str>, Option<&str>, &str)] = &[
            ("123", Some("@CamilleR"), None, "https://x.com/CamilleR"),
            (
                "123",
                Some("CamilleR"),
                Some("https://cr.example"),
                "https://x.com/CamilleR",
            ),
            (
                "594291880221300211",
                None,
                None,
                "https://x.com/i/user/594291880221300211",
            ),
            ("not-numeric", None, Some("https://cr.example"), ""),
        ];
        for (id, handle, url, expected) in cases {
            let mut f = follower(Platform::Twitter, id);
            f.profile.handle = handle.map(str::to_owned);
            f.profile.url = url.map(str::to_owned);
            check(f, "profile_url", |r| &r.profile_url, expected);
        }
    }

    #[test]
    fn an_x_bio_line_is_not_a_title() {
        let mut f = follower(Platform::Twitter, "123");
        f.profile.headline = Some("dad, runner, data nerd".into());
        check(f, "title", |r| &r.title, "");
    }

    #[test]
    fn formulas_and_line_breaks_in_people_text_are_neutralised() {
        let cases = [
            (
                "=HYPERLINK(\"http://evil\")",
                "'=HYPERLINK(\"http://evil\")",
            ),
            ("+1 555", "'+1 555"),
            ("-ceo-", "'-ceo-"),
            ("Maria\nKeller", "Maria Keller"),
            ("  Maria  ", "Maria"),
            ("Zoë Ødegård", "Zoë Ødegård"),
        ];
        for (raw, expected) in cases {
            let mut f = follower(Platform::LinkedIn, "x1");
            f.profile.display_name = Some(raw.into());
            check(f, "name", |r| &r.name, expected);
        }
    }

    #[test]
    fn fewer_than_three_reasons_leave_the_rest_empty_and_no_actions_is_empty() {
        let mut f = follower(Platform::LinkedIn, "x1");
        f.result.reasons.truncate(1);
        f.result.actions.clear();
        let row = CrmRow::of(&f);
        assert_eq!(
            row.reasons,
            ["Reason number 1.".to_owned(), String::new(), String::new()]
        );
        assert_eq!(row.actions, "");
    }

    #[test]
    fn csv_has_the_header_and_quotes_per_rfc_4180() {
        let mut f = follower(Platform::LinkedIn, "x1");
        f.profile.display_name = Some("Keller, Maria \"MK\"".into());
        let mut out = Vec::new();
        let rows = write_csv(&mut out, vec![Ok(f)].into_iter()).unwrap();
        assert_eq!(rows, 1);
        let text = String::from_utf8(out).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next().unwrap(), COLUMNS.join(","));
        assert!(
            lines
                .next()
                .unwrap()
                .starts_with("LINKEDIN,x1,\"Keller, Maria \"\"MK\"\"\","),
            "{text}"
        );
    }

    #[test]
    fn filter_words_parse_in_any_case() {
        let tier = word_parser(LeadTier::ALL, LeadTier::as_str);
        assert_eq!(tier("hot"), Ok(LeadTier::Hot));
        assert_eq!(tier("not-a-lead"), Ok(LeadTier::NotALead));
        assert!(tier("lukewarm").unwrap_err().contains("HOT, WARM"));
        let action = word_parser(Action::ALL, Action::as_str);
        assert_eq!(action("Route_To_Sales"), Ok(Action::RouteToSales));
    }
}
