//! X/Twitter user objects → `FollowerProfile`: API v1.1 and v2 JSON objects, and CSV rows
//! with v1.1 column names (the shape of the labelled research data in `../shared/data/bots/`).
//!
//! This module owns the field mapping only. It does not read files, detect formats or count
//! line numbers (that is `import/mod.rs`), and it computes no features: the bot model's
//! features come from the `FollowerProfile` built here, so the same account gives the same
//! features whichever of the three shapes it arrived in. Missing is not zero: an absent or
//! empty count is `None`, and a negative or non-numeric count is a `FieldError` naming the
//! column.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime};
use serde_json::Value;

use super::FieldError;
use crate::engine::ids::{FollowerId, FollowerKey};
use crate::engine::profile::FollowerProfile;
use crate::engine::time::Timestamp;
use crate::engine::vocabulary::Platform;

/// Substring of the avatar URL the platform serves for accounts that never uploaded one.
const DEFAULT_AVATAR_MARKER: &str = "default_profile_images";

/// One X/Twitter API user object, v1.1 (`statuses_count`, `followers_count`,
/// `friends_count`, `favourites_count`, `listed_count`, `default_profile`,
/// `default_profile_image`, `created_at` "Fri Apr 06 10:58:22 +0000 2007", ...) or v2
/// (`public_metrics.{followers_count,following_count,tweet_count,listed_count,like_count}`,
/// `created_at` RFC 3339, `profile_image_url`, `verified`, `protected`, `description`, `url`,
/// `location`, `username`, `name`, `id`), detected per object. A v2 response envelope
/// `{"data": {...}}` is unwrapped.
pub fn profile_from_json(value: &Value) -> Result<FollowerProfile, FieldError> {
    let object = match value.get("data") {
        Some(inner @ Value::Object(_)) => inner,
        _ => value,
    };
    let Value::Object(fields) = object else {
        return Err(FieldError::new("user", "expected a JSON object"));
    };
    // v2 objects carry their counters in `public_metrics` and name the handle `username`;
    // v1.1 objects have neither.
    let is_v2 = fields.contains_key("public_metrics") || fields.contains_key("username");
    let source = JsonSource { object };

    let id = source
        .text("id_str")?
        .or(source.text("id")?)
        .ok_or_else(|| FieldError::new("id", "missing"))?;
    let mut profile = new_profile(&id)?;
    profile.display_name = source.text("name")?;
    profile.bio = source
        .text("description")?
        .map(|bio| expand_bio_links(object, bio));
    profile.location = source.text("location")?;
    profile.lang = source.text("lang")?;
    profile.flags.verified = source.boolean("verified")?;
    profile.flags.protected = source.boolean("protected")?;

    if is_v2 {
        profile.handle = source.text("username")?;
        // As in v1.1, the expanded link is what the profile shows; `url` is a t.co link.
        profile.url = expanded_profile_url(object).or(source.text("url")?);
        let metrics = JsonSource {
            object: fields.get("public_metrics").unwrap_or(&Value::Null),
        };
        profile.counts.followers = metrics.count("followers_count", "public_metrics.")?;
        profile.counts.following = metrics.count("following_count", "public_metrics.")?;
        profile.counts.posts = metrics.count("tweet_count", "public_metrics.")?;
        profile.counts.listed = metrics.count("listed_count", "public_metrics.")?;
        profile.counts.likes = metrics.count("like_count", "public_metrics.")?;
        // v2 has no `default_profile_image`; the default avatar is recognisable by its URL.
        profile.flags.default_profile_image = source
            .text("profile_image_url")?
            .map(|url| url.contains(DEFAULT_AVATAR_MARKER));
    } else {
        profile.handle = source.text("screen_name")?;
        // v1.1 `url` is a t.co short link; the expanded one says more and is what a person
        // would see on the profile.
        profile.url = expanded_profile_url(object).or(source.text("url")?);
        profile.counts.followers = source.count("followers_count", "")?;
        profile.counts.following = source.count("friends_count", "")?;
        profile.counts.posts = source.count("statuses_count", "")?;
        profile.counts.likes = source.count("favourites_count", "")?;
        profile.counts.listed = source.count("listed_count", "")?;
        profile.flags.default_profile = source.boolean("default_profile")?;
        profile.flags.default_profile_image = match source.boolean("default_profile_image")? {
            Some(flag) => Some(flag),
            None => source
                .text("profile_image_url_https")?
                .or(source.text("profile_image_url")?)
                .map(|url| url.contains(DEFAULT_AVATAR_MARKER)),
        };
        // The embedded latest status, when present, dates the account's last activity.
        if let Some(status) = fields.get("status") {
            let status = JsonSource { object: status };
            if let Some(raw) = status.text("created_at")? {
                profile.last_active_at = Some(parse_time("status.created_at", &raw)?);
            }
        }
    }
    if let Some(raw) = source.text("created_at")? {
        profile.created_at = Some(parse_time("created_at", &raw)?);
    }
    finish(&mut profile);
    Ok(profile)
}

/// One CSV row with Twitter v1.1 column names (the shape of the research data); booleans
/// 1/1.0/True/true vs empty/0/False; `updated` → observed_at; unknown columns ignored;
/// `is_fake`/`dataset` ignored.
pub fn profile_from_csv(
    headers: &csv::StringRecord,
    record: &csv::StringRecord,
) -> Result<FollowerProfile, FieldError> {
    let row = CsvRow::new(headers, record);
    let id = row
        .text("id_str")
        .or_else(|| row.text("id"))
        .ok_or_else(|| FieldError::new("id", "missing"))?;
    // Research exports sometimes write ids as floats ("3610511.0"); the id is the integer.
    let id = id.strip_suffix(".0").unwrap_or(id);
    let mut profile = new_profile(id)?;
    profile.display_name = row.text("name").map(str::to_owned);
    profile.handle = row
        .text("screen_name")
        .or_else(|| row.text("username"))
        .map(str::to_owned);
    profile.bio = row.text("description").map(str::to_owned);
    profile.location = row.text("location").map(str::to_owned);
    profile.url = row.text("url").map(str::to_owned);
    profile.lang = row.text("lang").map(str::to_owned);
    profile.counts.followers = row.count("followers_count")?;
    profile.counts.following = row.count("friends_count")?;
    profile.counts.posts = row.count("statuses_count")?;
    profile.counts.likes = row.count("favourites_count")?;
    profile.counts.listed = row.count("listed_count")?;
    profile.flags.default_profile = row.boolean("default_profile")?;
    profile.flags.default_profile_image = match row.boolean("default_profile_image")? {
        Some(flag) => Some(flag),
        None => row
            .text("profile_image_url_https")
            .or_else(|| row.text("profile_image_url"))
            .map(|url| url.contains(DEFAULT_AVATAR_MARKER)),
    };
    profile.flags.verified = row.boolean("verified")?;
    profile.flags.protected = row.boolean("protected")?;
    if let Some(raw) = row.text("created_at") {
        profile.created_at = Some(parse_time("created_at", raw)?);
    }
    if let Some(raw) = row.text("updated") {
        profile.observed_at = Some(parse_time("updated", raw)?);
    }
    finish(&mut profile);
    Ok(profile)
}

fn new_profile(id: &str) -> Result<FollowerProfile, FieldError> {
    let id = FollowerId::parse(id).map_err(|error| FieldError::new("id", error.to_string()))?;
    Ok(FollowerProfile::new(FollowerKey {
        platform: Platform::Twitter,
        id,
    }))
}

/// Fields derived the same way for every shape, so that the formats cannot drift apart.
fn finish(profile: &mut FollowerProfile) {
    // The headline of an X profile is the first line of its bio (see `FollowerProfile`).
    profile.headline = profile.bio.as_deref().and_then(|bio| {
        bio.lines()
            .map(str::trim)
            .find(|line| !line.is_empty())
            .map(str::to_owned)
    });
    profile.flags.has_photo = profile.flags.default_profile_image.map(|default| !default);
}

/// A bio's t.co links replaced by the links they stand for (`entities.description.urls`, in
/// v1.1 and v2 alike), so a company domain written in a bio is read as the person wrote it.
fn expand_bio_links(object: &Value, bio: String) -> String {
    let Some(urls) = object
        .pointer("/entities/description/urls")
        .and_then(Value::as_array)
    else {
        return bio;
    };
    urls.iter().fold(bio, |bio, link| {
        let short = link.get("url").and_then(Value::as_str);
        let expanded = link
            .get("expanded_url")
            .or_else(|| link.get("display_url"))
            .and_then(Value::as_str);
        match (short, expanded) {
            (Some(short), Some(expanded)) if !short.is_empty() && bio.contains(short) => {
                bio.replace(short, expanded)
            }
            _ => bio,
        }
    })
}

fn expanded_profile_url(object: &Value) -> Option<String> {
    object
        .pointer("/entities/url/urls/0/expanded_url")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|url| !url.is_empty())
        .map(str::to_owned)
}

/// Twitter's own format ("Fri Apr 06 10:58:22 +0000 2007"), RFC 3339 (v2), and the two
/// crawl-time formats found in the research data ("2015-02-14 10:54:49", "14-02-2015 10.54"),
/// the last two read as UTC.
fn parse_time(field: &str, raw: &str) -> Result<Timestamp, FieldError> {
    let raw = raw.trim();
    if let Ok(time) = DateTime::parse_from_str(raw, "%a %b %d %H:%M:%S %z %Y") {
        return Ok(Timestamp::from_unix_seconds(time.timestamp()));
    }
    if let Ok(time) = DateTime::parse_from_rfc3339(raw) {
        return Ok(Timestamp::from_unix_seconds(time.timestamp()));
    }
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%d-%m-%Y %H.%M",
        "%d-%m-%Y %H:%M",
        "%d-%m-%Y %H:%M:%S",
    ] {
        if let Ok(time) = NaiveDateTime::parse_from_str(raw, format) {
            return Ok(Timestamp::from_unix_seconds(time.and_utc().timestamp()));
        }
    }
    Err(FieldError::new(
        field,
        format!("unrecognised date/time {raw:?}"),
    ))
}

/// A count from its text: digits, or a float with no fractional part ("52.0", as pandas
/// writes integer columns that had gaps). Anything else names the field.
fn parse_count(field: &str, raw: &str) -> Result<u64, FieldError> {
    let raw = raw.trim();
    if let Ok(count) = raw.parse::<u64>() {
        return Ok(count);
    }
    match raw.parse::<f64>() {
        Ok(value) if value < 0.0 => Err(FieldError::new(
            field,
            format!("must not be negative, got {raw}"),
        )),
        // 2^53 bounds the integers an f64 represents exactly; no real counter comes near it.
        Ok(value) if value.fract() == 0.0 && value <= 9_007_199_254_740_992.0 => Ok(value as u64),
        _ => Err(FieldError::new(
            field,
            format!("expected a whole non-negative number, got {raw:?}"),
        )),
    }
}

fn parse_bool(field: &str, raw: &str) -> Result<bool, FieldError> {
    match raw.trim() {
        "1" | "1.0" | "True" | "true" | "TRUE" => Ok(true),
        "0" | "0.0" | "False" | "false" | "FALSE" => Ok(false),
        other => Err(FieldError::new(
            field,
            format!("expected a boolean (1/empty, True/False), got {other:?}"),
        )),
    }
}

struct JsonSource<'a> {
    object: &'a Value,
}

impl JsonSource<'_> {
    /// A trimmed non-empty string; numbers are accepted for ids given as JSON numbers.
    fn text(&self, field: &str) -> Result<Option<String>, FieldError> {
        match self.object.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => {
                let text = text.trim();
                Ok((!text.is_empty()).then(|| text.to_owned()))
            }
            Some(Value::Number(number)) => Ok(Some(number.to_string())),
            Some(_) => Err(FieldError::new(field, "expected a string")),
        }
    }

    fn count(&self, field: &str, prefix: &str) -> Result<Option<u64>, FieldError> {
        let name = || format!("{prefix}{field}");
        match self.object.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(number)) => match number.as_u64() {
                Some(count) => Ok(Some(count)),
                None => parse_count(&name(), &number.to_string()).map(Some),
            },
            Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
            Some(Value::String(text)) => parse_count(&name(), text).map(Some),
            Some(_) => Err(FieldError::new(name(), "expected a number")),
        }
    }

    fn boolean(&self, field: &str) -> Result<Option<bool>, FieldError> {
        match self.object.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(flag)) => Ok(Some(*flag)),
            Some(Value::Number(number)) => parse_bool(field, &number.to_string()).map(Some),
            Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
            Some(Value::String(text)) => parse_bool(field, text).map(Some),
            Some(_) => Err(FieldError::new(field, "expected true or false")),
        }
    }
}

struct CsvRow<'a> {
    columns: HashMap<&'a str, &'a str>,
}

impl<'a> CsvRow<'a> {
    fn new(headers: &'a csv::StringRecord, record: &'a csv::StringRecord) -> Self {
        let columns = headers
            .iter()
            .zip(record.iter())
            .map(|(header, value)| (header.trim(), value))
            .collect();
        Self { columns }
    }

    /// A trimmed non-empty cell. Exports write `NULL` for absent values in some columns.
    fn text(&self, column: &str) -> Option<&'a str> {
        self.columns
            .get(column)
            .map(|value| value.trim())
            .filter(|value| !value.is_empty() && *value != "NULL")
    }

    fn count(&self, column: &str) -> Result<Option<u64>, FieldError> {
        self.text(column)
            .map(|raw| parse_count(column, raw))
            .transpose()
    }

    /// In the research data an empty boolean cell means false (or unknown, which the data
    /// cannot tell apart); a column that is absent altogether stays unknown.
    fn boolean(&self, column: &str) -> Result<Option<bool>, FieldError> {
        match self.columns.get(column) {
            None => Ok(None),
            Some(raw) if raw.trim().is_empty() || raw.trim() == "NULL" => Ok(Some(false)),
            Some(raw) => parse_bool(column, raw).map(Some),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const CSV_HEADER: &str = "id,name,screen_name,statuses_count,followers_count,friends_count,favourites_count,listed_count,created_at,url,lang,time_zone,location,default_profile,default_profile_image,geo_enabled,profile_image_url,profile_banner_url,protected,verified,description,updated,dataset,is_fake";

    fn csv_profile(row: &str) -> Result<FollowerProfile, FieldError> {
        let text = format!("{CSV_HEADER}\n{row}\n");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader.headers().unwrap().clone();
        let record = reader.records().next().unwrap().unwrap();
        profile_from_csv(&headers, &record)
    }

    const CSV_ROW: &str = "3610511,Davide Dellacasa,braddd,20370,5470,2385,145,52,Fri Apr 06 10:58:22 +0000 2007,http://braddd.tumblr.com,it,Rome,Roma,,,,http://a0.twimg.com/profile_images/1/a_normal.png,NULL,,,\"Founder of screenweek\nApple & Movie Lover\",2015-02-14 10:54:49,E13,0";

    #[test]
    fn csv_row_maps_v1_columns() {
        let profile = csv_profile(CSV_ROW).unwrap();
        assert_eq!(profile.key.platform, Platform::Twitter);
        assert_eq!(profile.key.id.as_str(), "3610511");
        assert_eq!(profile.handle.as_deref(), Some("braddd"));
        assert_eq!(profile.display_name.as_deref(), Some("Davide Dellacasa"));
        assert_eq!(profile.counts.posts, Some(20370));
        assert_eq!(profile.counts.followers, Some(5470));
        assert_eq!(profile.counts.following, Some(2385));
        assert_eq!(profile.counts.likes, Some(145));
        assert_eq!(profile.counts.listed, Some(52));
        assert_eq!(profile.counts.connections, None);
        assert_eq!(profile.flags.default_profile, Some(false));
        assert_eq!(profile.flags.default_profile_image, Some(false));
        assert_eq!(profile.flags.has_photo, Some(true));
        assert_eq!(profile.created_at, Some(Timestamp(1_175_857_102)));
        assert_eq!(profile.observed_at, Some(Timestamp(1_423_911_289)));
        assert_eq!(profile.headline.as_deref(), Some("Founder of screenweek"));
        assert_eq!(profile.url.as_deref(), Some("http://braddd.tumblr.com"));
    }

    #[test]
    fn csv_booleans_and_dates_in_every_spelling() {
        let row = CSV_ROW
            .replace("Roma,,,,http://a0", "Roma,1.0,True,,http://a0")
            .replace("2015-02-14 10:54:49", "14-02-2015 10.54");
        let profile = csv_profile(&row).unwrap();
        assert_eq!(profile.flags.default_profile, Some(true));
        assert_eq!(profile.flags.default_profile_image, Some(true));
        assert_eq!(profile.observed_at, Some(Timestamp(1_423_911_240)));
    }

    #[test]
    fn csv_empty_count_is_missing_and_bad_count_names_the_column() {
        let profile = csv_profile(&CSV_ROW.replace(",145,", ",,")).unwrap();
        assert_eq!(profile.counts.likes, None);
        let error = csv_profile(&CSV_ROW.replace(",145,", ",-3,")).unwrap_err();
        assert_eq!(error.field, "favourites_count");
        let error = csv_profile(&CSV_ROW.replace(",145,", ",lots,")).unwrap_err();
        assert_eq!(error.field, "favourites_count");
        let error = csv_profile(&CSV_ROW.replace(",2015-02-14", ",yesterday")).unwrap_err();
        assert_eq!(error.field, "updated");
    }

    #[test]
    fn v1_json_maps_fields_and_latest_status() {
        let user = json!({
            "id": 3610511u64, "id_str": "3610511", "name": "Davide Dellacasa",
            "screen_name": "braddd", "statuses_count": 20370, "followers_count": 5470,
            "friends_count": 2385, "favourites_count": 145, "listed_count": 52,
            "created_at": "Fri Apr 06 10:58:22 +0000 2007", "url": "http://t.co/x",
            "entities": {"url": {"urls": [{"expanded_url": "http://braddd.tumblr.com"}]}},
            "default_profile": false, "default_profile_image": false,
            "verified": false, "protected": false, "description": "Founder",
            "status": {"created_at": "Sat Feb 14 09:00:00 +0000 2015"}
        });
        let profile = profile_from_json(&user).unwrap();
        assert_eq!(profile.key.id.as_str(), "3610511");
        assert_eq!(profile.url.as_deref(), Some("http://braddd.tumblr.com"));
        assert_eq!(profile.counts.following, Some(2385));
        assert_eq!(profile.last_active_at, Some(Timestamp(1_423_904_400)));
        let error = profile_from_json(&json!({"id": "1", "friends_count": -1})).unwrap_err();
        assert_eq!(error.field, "friends_count");
    }

    #[test]
    fn v2_json_in_envelope_maps_public_metrics() {
        let response = json!({"data": {
            "id": "42", "username": "eggy12345", "name": "x",
            "created_at": "2013-01-02T03:04:05.000Z",
            "public_metrics": {"followers_count": 3, "following_count": 2001, "tweet_count": 0, "listed_count": 0},
            "profile_image_url": "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png",
            "verified": false, "protected": false, "description": ""
        }});
        let profile = profile_from_json(&response).unwrap();
        assert_eq!(profile.handle.as_deref(), Some("eggy12345"));
        assert_eq!(profile.counts.following, Some(2001));
        assert_eq!(profile.counts.posts, Some(0));
        // v2 without `like_count` does not know the likes: missing, not zero.
        assert_eq!(profile.counts.likes, None);
        assert_eq!(profile.flags.default_profile_image, Some(true));
        assert_eq!(profile.flags.default_profile, None);
        assert_eq!(profile.bio, None);
        assert_eq!(profile.created_at, Some(Timestamp(1_357_095_845)));
        let error = profile_from_json(&json!({"data": {"id": "1", "username": "a",
            "public_metrics": {"tweet_count": "many"}}}))
        .unwrap_err();
        assert_eq!(error.field, "public_metrics.tweet_count");
    }

    #[test]
    fn expanded_links_of_v2_and_v1_objects_are_read() {
        let v2 = json!({
            "id": "7", "username": "lena_ops", "name": "Lena",
            "url": "https://t.co/AbC123",
            "description": "Werkleiterin | https://t.co/Xyz987 | Meinung privat",
            "entities": {
                "url": {"urls": [{"url": "https://t.co/AbC123", "expanded_url": "https://www.kronwerk.de/team"}]},
                "description": {"urls": [{"url": "https://t.co/Xyz987", "expanded_url": "https://kronwerk.de", "display_url": "kronwerk.de"}]}
            },
            "public_metrics": {"followers_count": 10, "following_count": 20, "tweet_count": 30, "listed_count": 0}
        });
        let profile = profile_from_json(&v2).unwrap();
        assert_eq!(profile.url.as_deref(), Some("https://www.kronwerk.de/team"));
        assert_eq!(
            profile.bio.as_deref(),
            Some("Werkleiterin | https://kronwerk.de | Meinung privat")
        );
        let v1 = json!({
            "id_str": "8", "screen_name": "ana", "description": "CFO en https://t.co/q1",
            "entities": {"description": {"urls": [{"url": "https://t.co/q1", "display_url": "liquenta.es"}]}}
        });
        let profile = profile_from_json(&v1).unwrap();
        assert_eq!(profile.bio.as_deref(), Some("CFO en liquenta.es"));
    }

    #[test]
    fn missing_id_is_an_error() {
        assert_eq!(
            profile_from_json(&json!({"screen_name": "a"}))
                .unwrap_err()
                .field,
            "id"
        );
        assert_eq!(
            csv_profile(&CSV_ROW.replace("3610511,", ","))
                .unwrap_err()
                .field,
            "id"
        );
    }
}
