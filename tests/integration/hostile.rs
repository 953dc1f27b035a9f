//! The hostile-input matrix: one table of bad inputs (every case of SPEC §5, and oversized
//! strings and messages, deeply repeated fields, bytes that are not protobuf, invalid UTF-8
//! and stray bytes in import files, huge CSV lines, timestamps at the ends of their range,
//! absurd counts, ids with control characters or path separators). Each case expects an
//! exact status code and a message naming the field, and must change nothing stored: the
//! account's fingerprint (its configuration, report, full listing and a known follower)
//! is the same before and after. RELIABILITY.md lists the matrix.

use bytes::{Buf, BufMut};
use followscore::grpc::pb;
use prost::Message;
use tonic::Code;
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};
use tonic::transport::Channel;

use crate::helpers::*;

const KNOWN: &str = "known";
const MIB: usize = 1024 * 1024;

enum Call {
    Score(pb::ScoreFollowerRequest),
    Engage(pb::RecordEngagementRequest),
    Override(pb::SetOverrideRequest),
    Remove(pb::RemoveFollowerRequest),
    Forget(pb::ForgetFollowerRequest),
    Get(pb::GetFollowerRequest),
    List(pb::ListFollowersRequest),
    Report(pb::GetNetworkQualityRequest),
    Upsert(pb::Account),
    /// ImportFollowers; an answered import must have stored nothing and name the problem
    /// in its row errors.
    Import(Vec<pb::ImportFollowersRequest>),
    /// ClassifyFollowers; the expected code is the stream's status, or with `Ok` every
    /// item's error code (`item`).
    Stream(Vec<pb::ClassifyFollowersRequest>, Option<&'static str>),
    /// Bytes sent as the request message of a method, whatever they are.
    Raw(&'static str, Vec<u8>),
    /// RecordOutcomes; with `Ok` every outcome must be answered `invalid` naming its field.
    Outcomes(pb::RecordOutcomesRequest),
}

struct Case {
    input: &'static str,
    call: Call,
    code: Code,
    /// The message (or every row or item error) must contain this: the field, or the limit.
    names: &'static str,
}

fn case(input: &'static str, call: Call, code: Code, names: &'static str) -> Case {
    Case {
        input,
        call,
        code,
        names,
    }
}

fn score_request(profile: pb::FollowerProfile) -> pb::ScoreFollowerRequest {
    pb::ScoreFollowerRequest {
        account_id: ACCOUNT.into(),
        profile: Some(profile),
        events: vec![],
    }
}

/// A new follower: were it accepted, the fingerprint would change.
fn new(id: &str) -> pb::FollowerProfile {
    pb::FollowerProfile {
        headline: "CTO at Tailspin Toys".into(),
        ..follower(id)
    }
}

fn at(seconds: i64, nanos: i32) -> Option<prost_types::Timestamp> {
    Some(prost_types::Timestamp { seconds, nanos })
}

fn event(id: &str) -> pb::EngagementEvent {
    pb::EngagementEvent {
        event_id: id.into(),
        r#type: pb::EngagementType::DemoRequest as i32,
        occurred_at: Some(days_ago(1)),
    }
}

fn engage(events: Vec<pb::EngagementEvent>) -> pb::RecordEngagementRequest {
    pb::RecordEngagementRequest {
        account_id: ACCOUNT.into(),
        platform: pb::Platform::Linkedin as i32,
        follower_id: KNOWN.into(),
        events,
    }
}

fn set_override(category: pb::Category) -> pb::SetOverrideRequest {
    pb::SetOverrideRequest {
        account_id: ACCOUNT.into(),
        platform: pb::Platform::Linkedin as i32,
        follower_id: KNOWN.into(),
        category: category as i32,
        set_by: "sales".into(),
        reason: "knows them".into(),
        expires_at: None,
    }
}

fn remove(unfollowed_at: Option<prost_types::Timestamp>) -> pb::RemoveFollowerRequest {
    pb::RemoveFollowerRequest {
        account_id: ACCOUNT.into(),
        platform: pb::Platform::Linkedin as i32,
        follower_id: KNOWN.into(),
        unfollowed_at,
    }
}

fn get_ids(ids: Vec<String>) -> pb::GetFollowerRequest {
    pb::GetFollowerRequest {
        account_id: ACCOUNT.into(),
        platform: pb::Platform::Linkedin as i32,
        follower_ids: ids,
    }
}

fn list(request: pb::ListFollowersRequest) -> pb::ListFollowersRequest {
    pb::ListFollowersRequest {
        account_id: ACCOUNT.into(),
        ..request
    }
}

fn upsert_with(change: impl FnOnce(&mut pb::Account)) -> Call {
    let mut a = account();
    change(&mut a);
    Call::Upsert(a)
}

fn settings(change: impl FnOnce(&mut pb::ScoringSettings)) -> Call {
    upsert_with(|a| {
        let mut s = pb::ScoringSettings::default();
        change(&mut s);
        a.settings = Some(s);
    })
}

fn start(account: &str, format: pb::ImportFormat) -> pb::ImportFollowersRequest {
    pb::ImportFollowersRequest {
        part: Some(pb::import_followers_request::Part::Start(pb::ImportStart {
            account_id: account.into(),
            format: format as i32,
        })),
    }
}

fn data(bytes: Vec<u8>) -> pb::ImportFollowersRequest {
    pb::ImportFollowersRequest {
        part: Some(pb::import_followers_request::Part::Data(bytes)),
    }
}

/// An import of `file` in pieces of at most 1 MiB.
fn import(format: pb::ImportFormat, file: Vec<u8>) -> Call {
    let mut messages = vec![start(ACCOUNT, format)];
    messages.extend(file.chunks(MIB).map(|piece| data(piece.to_vec())));
    Call::Import(messages)
}

const LINKEDIN_HEADER: &[u8] = b"Profile URL,Full Name,Headline,Company,Location,Followers\n";
const TWITTER_HEADER: &[u8] =
    b"id,name,screen_name,statuses_count,followers_count,friends_count,created_at\n";

fn stream_item(
    account: &str,
    profile: Option<pb::FollowerProfile>,
) -> pb::ClassifyFollowersRequest {
    pb::ClassifyFollowersRequest {
        account_id: account.into(),
        profile,
        correlation_id: String::new(),
    }
}

/// A protobuf field header.
fn tag(field: u32, wire_type: u32) -> u8 {
    (field << 3 | wire_type) as u8
}

fn outcomes(outcomes: Vec<pb::Outcome>) -> Call {
    Call::Outcomes(pb::RecordOutcomesRequest {
        account_id: ACCOUNT.into(),
        outcomes,
    })
}

/// A won deal of the known follower, to be spoiled by each case.
fn won() -> pb::Outcome {
    pb::Outcome {
        outcome_id: "deal-1/won".into(),
        subject: Some(pb::outcome::Subject::Follower(pb::OutcomeFollower {
            platform: pb::Platform::Linkedin as i32,
            follower_id: KNOWN.into(),
        })),
        r#type: pb::OutcomeType::Won as i32,
        occurred_at: at(1_790_000_000, 0),
        amount: Some(1_000.0),
        crm_reference: String::new(),
    }
}

fn cases() -> Vec<Case> {
    use Code::{InvalidArgument, NotFound, Ok, ResourceExhausted};
    use pb::ImportFormat::{Auto, LinkedinCsv, TwitterCsv, TwitterJson};
    let long = |n: usize| "x".repeat(n);
    let max_secs = 253_402_300_799; // 9999-12-31T23:59:59Z, the largest proto3 Timestamp
    vec![
        // --- CRM outcomes -----------------------------------------------------------------
        case("RecordOutcomes: no outcome", outcomes(vec![]), InvalidArgument, "outcomes"),
        case("RecordOutcomes: 1,001 outcomes", outcomes(vec![won(); 1_001]), ResourceExhausted, "outcomes per request"),
        case("RecordOutcomes: an unknown account", Call::Outcomes(pb::RecordOutcomesRequest { account_id: "nobody".into(), outcomes: vec![won()] }), NotFound, "account"),
        case("RecordOutcomes: no outcome id", outcomes(vec![pb::Outcome { outcome_id: String::new(), ..won() }]), Ok, "outcome_id"),
        case("RecordOutcomes: an outcome id of 129 bytes", outcomes(vec![pb::Outcome { outcome_id: long(129), ..won() }]), Ok, "outcome_id"),
        case("RecordOutcomes: an outcome id with a NUL and ESC", outcomes(vec![pb::Outcome { outcome_id: "a\0\u{1b}[2J".into(), ..won() }]), Ok, "outcome_id"),
        case("RecordOutcomes: no subject", outcomes(vec![pb::Outcome { subject: None, ..won() }]), Ok, "subject"),
        case("RecordOutcomes: a company without name or domain", outcomes(vec![pb::Outcome { subject: Some(pb::outcome::Subject::Company(pb::OutcomeCompany { name: " ".into(), domain: "not a domain".into() })), ..won() }]), Ok, "company"),
        case("RecordOutcomes: a follower id with a path separator and NUL", outcomes(vec![pb::Outcome { subject: Some(pb::outcome::Subject::Follower(pb::OutcomeFollower { platform: pb::Platform::Linkedin as i32, follower_id: "../\0".into() })), ..won() }]), Ok, "follower.follower_id"),
        case("RecordOutcomes: type 99", outcomes(vec![pb::Outcome { r#type: 99, ..won() }]), Ok, "type"),
        case("RecordOutcomes: no type", outcomes(vec![pb::Outcome { r#type: 0, ..won() }]), Ok, "type"),
        case("RecordOutcomes: no time", outcomes(vec![pb::Outcome { occurred_at: None, ..won() }]), Ok, "occurred_at"),
        case("RecordOutcomes: a time before 1970", outcomes(vec![pb::Outcome { occurred_at: at(-1, 0), ..won() }]), Ok, "occurred_at"),
        case("RecordOutcomes: a time in 9999", outcomes(vec![pb::Outcome { occurred_at: at(max_secs, 0), ..won() }]), Ok, "occurred_at"),
        case("RecordOutcomes: a negative amount", outcomes(vec![pb::Outcome { amount: Some(-1.0), ..won() }]), Ok, "amount"),
        case("RecordOutcomes: an infinite amount", outcomes(vec![pb::Outcome { amount: Some(f64::INFINITY), ..won() }]), Ok, "amount"),
        case("RecordOutcomes: a NaN amount", outcomes(vec![pb::Outcome { amount: Some(f64::NAN), ..won() }]), Ok, "amount"),
        case("RecordOutcomes: a CRM reference of 257 bytes", outcomes(vec![pb::Outcome { crm_reference: long(257), ..won() }]), Ok, "crm_reference"),
        // --- ids ------------------------------------------------------------------------
        case("ScoreFollower: no follower id", Call::Score(score_request(follower(""))), InvalidArgument, "profile.follower_id"),
        case("ScoreFollower: follower id of spaces", Call::Score(score_request(follower("   "))), InvalidArgument, "profile.follower_id"),
        case("ScoreFollower: follower id of 129 bytes", Call::Score(score_request(follower(&long(129)))), InvalidArgument, "profile.follower_id"),
        case("ScoreFollower: follower id with a NUL", Call::Score(score_request(follower("a\0b"))), InvalidArgument, "profile.follower_id"),
        case("ScoreFollower: follower id with a newline and ESC", Call::Score(score_request(follower("a\n\u{1b}[2J"))), InvalidArgument, "profile.follower_id"),
        case("ScoreFollower: no profile", Call::Score(pb::ScoreFollowerRequest { profile: None, ..score_request(follower("x")) }), InvalidArgument, "profile"),
        case("ScoreFollower: no platform", Call::Score(score_request(pb::FollowerProfile { platform: 0, ..new("x") })), InvalidArgument, "profile.platform"),
        case("ScoreFollower: unknown platform 99", Call::Score(score_request(pb::FollowerProfile { platform: 99, ..new("x") })), InvalidArgument, "profile.platform"),
        case("ScoreFollower: negative platform", Call::Score(score_request(pb::FollowerProfile { platform: -1, ..new("x") })), InvalidArgument, "profile.platform"),
        case("ScoreFollower: no account id", Call::Score(pb::ScoreFollowerRequest { account_id: String::new(), ..score_request(new("x")) }), InvalidArgument, "account_id"),
        case("ScoreFollower: account id with a control character", Call::Score(pb::ScoreFollowerRequest { account_id: "north\u{7}wind".into(), ..score_request(new("x")) }), InvalidArgument, "account_id"),
        case("ScoreFollower: unknown account", Call::Score(pb::ScoreFollowerRequest { account_id: "nobody".into(), ..score_request(new("x")) }), NotFound, "nobody"),
        case("ScoreFollower: account id with path separators", Call::Score(pb::ScoreFollowerRequest { account_id: "../../etc/passwd".into(), ..score_request(new("x")) }), NotFound, "../../etc/passwd"),
        case("GetFollower: ids with path separators (none stored)", Call::Get(get_ids(vec!["../../etc/passwd".into(), "a/b\\c".into(), "%2e%2e%2f".into()])), Ok, ""),
        case("GetFollower: id with a control character", Call::Get(get_ids(vec!["ok".into(), "bad\u{0}".into()])), InvalidArgument, "follower_ids[1]"),
        case("GetFollower: no platform", Call::Get(pb::GetFollowerRequest { platform: 0, ..get_ids(vec![KNOWN.into()]) }), InvalidArgument, "platform"),
        case("GetNetworkQuality: unknown account with path separators", Call::Report(pb::GetNetworkQualityRequest { account_id: "../northwind".into(), ..Default::default() }), NotFound, "../northwind"),
        case("GetNetworkQuality: no account id", Call::Report(pb::GetNetworkQualityRequest::default()), InvalidArgument, "account_id"),
        // --- counts -----------------------------------------------------------------------
        case("ScoreFollower: followers_count -1 (as uint64)", Call::Score(score_request(pb::FollowerProfile { followers_count: Some(-1i64 as u64), ..new("x") })), InvalidArgument, "profile.followers_count"),
        case("ScoreFollower: following_count 50,000,000,000", Call::Score(score_request(pb::FollowerProfile { following_count: Some(50_000_000_000), ..new("x") })), InvalidArgument, "profile.following_count"),
        case("ScoreFollower: posts_count u64::MAX", Call::Score(score_request(pb::FollowerProfile { posts_count: Some(u64::MAX), ..new("x") })), InvalidArgument, "profile.posts_count"),
        case("ScoreFollower: connections_count 10^11", Call::Score(score_request(pb::FollowerProfile { connections_count: Some(100_000_000_000), ..new("x") })), InvalidArgument, "profile.connections_count"),
        case("ScoreFollower: company_size 10^9", Call::Score(score_request(pb::FollowerProfile { company_size: Some(1_000_000_000), ..new("x") })), InvalidArgument, "profile.company_size"),
        // --- strings and messages ---------------------------------------------------------
        case("ScoreFollower: headline of 1,025 bytes", Call::Score(score_request(pb::FollowerProfile { headline: long(1_025), ..new("x") })), InvalidArgument, "profile.headline"),
        case("ScoreFollower: company of 100 KiB", Call::Score(score_request(pb::FollowerProfile { company: long(100 * 1024), ..new("x") })), InvalidArgument, "profile.company"),
        case("ScoreFollower: bio of 8,193 bytes", Call::Score(score_request(pb::FollowerProfile { bio: long(8_193), ..new("x") })), InvalidArgument, "profile.bio"),
        case("ScoreFollower: lang of 2 KiB", Call::Score(score_request(pb::FollowerProfile { lang: Some(long(2_048)), ..new("x") })), InvalidArgument, "profile.lang"),
        case("ScoreFollower: a 5 MiB message", Call::Score(score_request(pb::FollowerProfile { bio: long(5 * MIB), ..new("x") })), ResourceExhausted, "message length too large"),
        case("ScoreFollower: 1,001 events", Call::Score(pb::ScoreFollowerRequest { events: (0..1_001).map(|i| event(&format!("e{i}"))).collect(), ..score_request(new("x")) }), ResourceExhausted, "events"),
        case("ScoreFollower: 1,000,000 empty repeated events", Call::Score(pb::ScoreFollowerRequest { events: vec![pb::EngagementEvent::default(); 1_000_000], ..score_request(new("x")) }), ResourceExhausted, "events"),
        case("ScoreFollower: event without id", Call::Score(pb::ScoreFollowerRequest { events: vec![event("")], ..score_request(new("x")) }), InvalidArgument, "events[0].event_id"),
        case("ScoreFollower: event id with a control character", Call::Score(pb::ScoreFollowerRequest { events: vec![event("ok"), event("e\u{8}")], ..score_request(new("x")) }), InvalidArgument, "events[1].event_id"),
        case("ScoreFollower: event without type", Call::Score(pb::ScoreFollowerRequest { events: vec![pb::EngagementEvent { r#type: 0, ..event("e") }], ..score_request(new("x")) }), InvalidArgument, "events[0].type"),
        case("ScoreFollower: event of unknown type 77", Call::Score(pb::ScoreFollowerRequest { events: vec![pb::EngagementEvent { r#type: 77, ..event("e") }], ..score_request(new("x")) }), InvalidArgument, "events[0].type"),
        case("ScoreFollower: event without time", Call::Score(pb::ScoreFollowerRequest { events: vec![pb::EngagementEvent { occurred_at: None, ..event("e") }], ..score_request(new("x")) }), InvalidArgument, "events[0].occurred_at"),
        // --- timestamps -------------------------------------------------------------------
        case("ScoreFollower: created_at a year ahead", Call::Score(score_request(pb::FollowerProfile { created_at: Some(days_ago(-365)), ..new("x") })), InvalidArgument, "profile.created_at"),
        case("ScoreFollower: followed_at i64::MAX seconds", Call::Score(score_request(pb::FollowerProfile { followed_at: at(i64::MAX, 0), ..new("x") })), InvalidArgument, "profile.followed_at"),
        case("ScoreFollower: followed_at i64::MIN seconds", Call::Score(score_request(pb::FollowerProfile { followed_at: at(i64::MIN, 0), ..new("x") })), InvalidArgument, "profile.followed_at"),
        case("ScoreFollower: last_active_at before 1970", Call::Score(score_request(pb::FollowerProfile { last_active_at: at(-1, 0), ..new("x") })), InvalidArgument, "profile.last_active_at"),
        case("ScoreFollower: observed_at with nanos -1", Call::Score(score_request(pb::FollowerProfile { observed_at: at(1_700_000_000, -1), ..new("x") })), InvalidArgument, "profile.observed_at"),
        case("ScoreFollower: created_at with nanos 10^9", Call::Score(score_request(pb::FollowerProfile { created_at: at(1_700_000_000, 1_000_000_000), ..new("x") })), InvalidArgument, "profile.created_at"),
        case("ScoreFollower: unfollowed_at before followed_at", Call::Score(score_request(pb::FollowerProfile { followed_at: Some(days_ago(1)), unfollowed_at: Some(days_ago(5)), ..new("x") })), InvalidArgument, "profile.unfollowed_at"),
        case("ScoreFollower: event in 9999", Call::Score(pb::ScoreFollowerRequest { events: vec![pb::EngagementEvent { occurred_at: at(max_secs, 0), ..event("e") }], ..score_request(new("x")) }), InvalidArgument, "events[0].occurred_at"),
        // --- the known follower -----------------------------------------------------------
        case("RecordEngagement: no events", Call::Engage(engage(vec![])), InvalidArgument, "events"),
        case("RecordEngagement: 1,001 events", Call::Engage(engage((0..1_001).map(|i| event(&format!("e{i}"))).collect())), ResourceExhausted, "events"),
        case("RecordEngagement: an event a year ahead", Call::Engage(engage(vec![pb::EngagementEvent { occurred_at: Some(days_ago(-365)), ..event("e") }])), InvalidArgument, "events[0].occurred_at"),
        case("RecordEngagement: a good event then a bad one (nothing recorded)", Call::Engage(engage(vec![event("good"), pb::EngagementEvent { r#type: 0, ..event("bad") }])), InvalidArgument, "events[1].type"),
        case("RecordEngagement: unknown follower", Call::Engage(pb::RecordEngagementRequest { follower_id: "stranger".into(), ..engage(vec![event("e")]) }), NotFound, "follower"),
        case("SetOverride: no category", Call::Override(set_override(pb::Category::Unspecified)), InvalidArgument, "category"),
        case("SetOverride: unknown category 40", Call::Override(pb::SetOverrideRequest { category: 40, ..set_override(pb::Category::Customer) }), InvalidArgument, "category"),
        case("SetOverride: expiry in the past", Call::Override(pb::SetOverrideRequest { expires_at: Some(days_ago(1)), ..set_override(pb::Category::Customer) }), InvalidArgument, "expires_at"),
        case("SetOverride: expiry at i64::MAX seconds", Call::Override(pb::SetOverrideRequest { expires_at: at(i64::MAX, 0), ..set_override(pb::Category::Customer) }), InvalidArgument, "expires_at"),
        case("SetOverride: expiry with nanos 2*10^9", Call::Override(pb::SetOverrideRequest { expires_at: at(2_000_000_000, 2_000_000_000), ..set_override(pb::Category::Customer) }), InvalidArgument, "expires_at"),
        case("SetOverride: reason of 1,025 bytes", Call::Override(pb::SetOverrideRequest { reason: long(1_025), ..set_override(pb::Category::Customer) }), InvalidArgument, "reason"),
        case("SetOverride: unknown follower", Call::Override(pb::SetOverrideRequest { follower_id: "stranger".into(), ..set_override(pb::Category::Customer) }), NotFound, "follower"),
        case("RemoveFollower: unfollowed a year ahead", Call::Remove(remove(Some(days_ago(-365)))), InvalidArgument, "unfollowed_at"),
        case("RemoveFollower: unfollowed before 1970", Call::Remove(remove(at(-86_400, 0))), InvalidArgument, "unfollowed_at"),
        case("RemoveFollower: unfollowed before the follow", Call::Remove(remove(Some(days_ago(30)))), InvalidArgument, "unfollowed_at"),
        case("ForgetFollower: follower id with a control character", Call::Forget(pb::ForgetFollowerRequest { account_id: ACCOUNT.into(), platform: pb::Platform::Linkedin as i32, follower_id: "known\u{0}".into() }), InvalidArgument, "follower_id"),
        case("ForgetFollower: no platform", Call::Forget(pb::ForgetFollowerRequest { account_id: ACCOUNT.into(), platform: 0, follower_id: KNOWN.into() }), InvalidArgument, "platform"),
        // --- reads ------------------------------------------------------------------------
        case("GetFollower: 1,001 ids", Call::Get(get_ids((0..1_001).map(|i| format!("f{i}")).collect())), ResourceExhausted, "follower_ids"),
        case("GetFollower: 400,000 repeated empty ids", Call::Get(get_ids(vec![String::new(); 400_000])), InvalidArgument, "follower_ids"),
        case("ListFollowers: page size 1,000,000", Call::List(list(pb::ListFollowersRequest { page_size: 1_000_000, ..Default::default() })), InvalidArgument, "page_size"),
        case("ListFollowers: a forged page token", Call::List(list(pb::ListFollowersRequest { page_token: "v2.zzzz".into(), ..Default::default() })), InvalidArgument, "page_token"),
        case("ListFollowers: a page token of stray bytes", Call::List(list(pb::ListFollowersRequest { page_token: "\u{0}\u{ffff}💥".repeat(100), ..Default::default() })), InvalidArgument, "page_token"),
        case("ListFollowers: unknown category 13", Call::List(list(pb::ListFollowersRequest { category: 13, ..Default::default() })), InvalidArgument, "category"),
        case("ListFollowers: unknown tier -3", Call::List(list(pb::ListFollowersRequest { lead_tier: -3, ..Default::default() })), InvalidArgument, "lead_tier"),
        case("GetNetworkQuality: top_n 1,000,000", Call::Report(pb::GetNetworkQualityRequest { account_id: ACCOUNT.into(), top_n: 1_000_000, ..Default::default() }), InvalidArgument, "top_n"),
        case("GetNetworkQuality: unknown platform 12", Call::Report(pb::GetNetworkQualityRequest { account_id: ACCOUNT.into(), platform: 12, ..Default::default() }), InvalidArgument, "platform"),
        // --- the account ------------------------------------------------------------------
        case("UpsertAccount: bot_threshold 1.5", settings(|s| s.bot_threshold = Some(1.5)), InvalidArgument, "account.settings.bot_threshold"),
        case("UpsertAccount: bot_threshold NaN", settings(|s| s.bot_threshold = Some(f64::NAN)), InvalidArgument, "account.settings.bot_threshold"),
        case("UpsertAccount: half-life 0 days", settings(|s| s.half_life_days = Some(0.0)), InvalidArgument, "account.settings.half_life_days"),
        case("UpsertAccount: negative engagement weight", settings(|s| s.engagement_weights = vec![pb::EngagementWeight { r#type: 1, weight: -5.0 }]), InvalidArgument, "account.settings.engagement_weights"),
        case("UpsertAccount: grade cut-offs out of order", settings(|s| s.grade_cutoffs = Some(pb::GradeCutoffs { a: 10.0, b: 50.0, c: 90.0 })), InvalidArgument, "account.settings.grade_cutoffs"),
        case("UpsertAccount: unknown region", upsert_with(|a| a.icp.as_mut().unwrap().regions = vec!["Atlantis".into()]), InvalidArgument, "account.icp.regions"),
        case("UpsertAccount: min company size above max", upsert_with(|a| a.icp.as_mut().unwrap().min_company_size = Some(1_000_000)), InvalidArgument, "account.icp"),
        case("UpsertAccount: 100,001 customer names", upsert_with(|a| a.customers = Some(pb::CompanySet { names: (0..100_001).map(|i| format!("c{i}")).collect(), domains: vec![] })), InvalidArgument, "account.customers"),
        case("UpsertAccount: a 5 MiB account", upsert_with(|a| a.vendors = Some(pb::CompanySet { names: vec![long(1_000); 5 * 1024], domains: vec![] })), ResourceExhausted, "message length too large"),
        case("UpsertAccount: a competitor name of 300 bytes", upsert_with(|a| a.competitors = Some(pb::CompanySet { names: vec![long(300)], domains: vec![] })), InvalidArgument, "account.competitors"),
        case("UpsertAccount: account id with a newline", upsert_with(|a| a.account_id = "north\nwind".into()), InvalidArgument, "account.account_id"),
        case("UpsertAccount: no account", Call::Upsert(pb::Account::default()), InvalidArgument, "account.account_id"),
        // --- bytes that are not the message -----------------------------------------------
        case("ScoreFollower: account_id as a varint", Call::Raw("ScoreFollower", vec![tag(1, 0), 1]), InvalidArgument, "ScoreFollowerRequest.account_id"),
        case("ScoreFollower: account_id of invalid UTF-8", Call::Raw("ScoreFollower", vec![tag(1, 2), 3, 0xff, 0xfe, 0x80]), InvalidArgument, "ScoreFollowerRequest.account_id"),
        case("ScoreFollower: headline of invalid UTF-8", Call::Raw("ScoreFollower", { let profile = [tag(5, 2), 2, 0xc3, 0x28]; let mut b = vec![tag(2, 2), profile.len() as u8]; b.extend(profile); b }), InvalidArgument, "FollowerProfile.headline"),
        case("ScoreFollower: a truncated message", Call::Raw("ScoreFollower", vec![tag(1, 2), 100, b'a']), InvalidArgument, "failed to decode"),
        case("ScoreFollower: stray bytes", Call::Raw("ScoreFollower", vec![0xff; 32]), InvalidArgument, "failed to decode"),
        case("UpsertAccount: an unterminated varint", Call::Raw("UpsertAccount", vec![0x80; 12]), InvalidArgument, "failed to decode"),
        // --- streams ----------------------------------------------------------------------
        case("ClassifyFollowers: first item without account", Call::Stream(vec![stream_item("", Some(new("x")))], None), InvalidArgument, "account_id"),
        case("ClassifyFollowers: unknown account", Call::Stream(vec![stream_item("nobody", Some(new("x")))], None), NotFound, "nobody"),
        case("ClassifyFollowers: a 5 MiB item", Call::Stream(vec![stream_item(ACCOUNT, Some(pb::FollowerProfile { bio: long(5 * MIB), ..new("x") }))], None), ResourceExhausted, "message length too large"),
        case("ClassifyFollowers: items without profile, id or platform (each answered)", Call::Stream(vec![stream_item(ACCOUNT, None), stream_item("", Some(new(""))), stream_item("", Some(pb::FollowerProfile { platform: 0, ..new("x") }))], Some("invalid_argument")), Ok, "profile"),
        case("ClassifyFollowers: an item naming another account", Call::Stream(vec![stream_item(ACCOUNT, Some(pb::FollowerProfile { bio: long(9_000), ..new("x") })), stream_item("other", Some(new("y")))], Some("invalid_argument")), Ok, ""),
        case("ClassifyFollowers: absurd counts and far-future times", Call::Stream(vec![stream_item(ACCOUNT, Some(pb::FollowerProfile { followers_count: Some(u64::MAX), ..new("x") })), stream_item("", Some(pb::FollowerProfile { followed_at: at(i64::MAX, 0), ..new("y") }))], Some("invalid_argument")), Ok, "profile."),
        // --- imports ----------------------------------------------------------------------
        case("ImportFollowers: data before start", Call::Import(vec![data(b"x".to_vec())]), InvalidArgument, "start"),
        case("ImportFollowers: unknown format 9", Call::Import(vec![pb::ImportFollowersRequest { part: Some(pb::import_followers_request::Part::Start(pb::ImportStart { account_id: ACCOUNT.into(), format: 9 })) }]), InvalidArgument, "start.format"),
        case("ImportFollowers: unknown account", Call::Import(vec![start("nobody", Auto), data(LINKEDIN_HEADER.to_vec())]), NotFound, "nobody"),
        case("ImportFollowers: a second start", Call::Import(vec![start(ACCOUNT, Auto), start(ACCOUNT, Auto)]), InvalidArgument, "start"),
        case("ImportFollowers: a piece of 1 MiB + 1", Call::Import(vec![start(ACCOUNT, LinkedinCsv), data(vec![b'a'; MIB + 1])]), ResourceExhausted, "data"),
        case("ImportFollowers: 65 MiB in all", import(TwitterJson, vec![b'a'; 65 * MIB]), ResourceExhausted, "bytes"),
        case("ImportFollowers: stray binary bytes (format undetectable)", import(Auto, vec![0x00, 0xff, 0x13, 0x37, 0x89, b'\n', 0xfe]), InvalidArgument, "format"),
        case("ImportFollowers: NUL bytes only", import(Auto, vec![0; 4096]), InvalidArgument, "format"),
        case("ImportFollowers: a header row of one 1 MiB column", import(Auto, [vec![b'q'; MIB], b"\nx\n".to_vec()].concat()), InvalidArgument, "format"),
        case("ImportFollowers: LinkedIn CSV whose profile URLs are invalid UTF-8", import(LinkedinCsv, [LINKEDIN_HEADER, b"https://www.linkedin.com/in/\xff\xfe/,Ann,CTO,Acme,Berlin,10\n"].concat()), Ok, "line 2"),
        case("ImportFollowers: LinkedIn CSV with a header of invalid UTF-8", import(LinkedinCsv, b"Pro\xfffile URL,\xc3\x28Name\nx,y\n".to_vec()), InvalidArgument, "data"),
        case("ImportFollowers: LinkedIn CSV with an unclosed quote and stray bytes", import(LinkedinCsv, [LINKEDIN_HEADER, b"\"https://www.linkedin.com/in/ann,\x00\x01\x02\r\r\r"].concat()), Ok, "line 2"),
        case("ImportFollowers: X CSV whose ids are not numbers", import(TwitterCsv, [TWITTER_HEADER, b"12ab\xff,Ann,ann,1,2,3,x\n,Bob,bob,1,2,3,x\n"].concat()), Ok, "id"),
        case("ImportFollowers: X CSV with a 17 MiB line", import(TwitterCsv, [TWITTER_HEADER, &vec![b'7'; 17 * MIB], b"\n"].concat()), Ok, "line 2"),
        case("ImportFollowers: X JSON lines of invalid UTF-8 and stray bytes", import(TwitterJson, b"{\"id_str\": \"\xff\xfe\", \"screen_name\": \"ann\"}\n{\x00\x01}\n\xef\xbb\xbf{]\n".to_vec()), Ok, "line"),
        case("ImportFollowers: X JSON with absurd counts and times", import(TwitterJson, b"{\"id_str\": \"5\", \"followers_count\": -7}\n{\"id_str\": \"6\", \"statuses_count\": 1e300}\n{\"id_str\": \"7\", \"created_at\": \"Sat Feb 03 03:49:00 +0000 99999\"}\n".to_vec()), Ok, "line"),
        case("ImportFollowers: X JSON with a count of 2^64 - 1", import(TwitterJson, b"{\"id_str\": \"9\", \"followers_count\": 18446744073709551615}\n".to_vec()), Ok, "followers_count"),
        case("ImportFollowers: X JSON with a bio of 100 KiB", import(TwitterJson, format!("{{\"id_str\": \"10\", \"description\": \"{}\"}}\n", long(100 * 1024)).into_bytes()), Ok, "line 1"),
        case("ImportFollowers: X JSON created in 2099", import(TwitterJson, b"{\"id_str\": \"11\", \"created_at\": \"2099-01-01T00:00:00.000Z\"}\n".to_vec()), Ok, "created_at"),
        case("ImportFollowers: LinkedIn CSV with a headline of 5,000 bytes", import(LinkedinCsv, [LINKEDIN_HEADER, b"https://www.linkedin.com/in/ann-5000/,Ann,", &vec![b'h'; 5_000], b",Acme,Berlin,10\n"].concat()), Ok, "headline"),
        case("ImportFollowers: X JSON with a 17 MiB line", import(TwitterJson, [b"{\"id_str\": \"".as_slice(), &vec![b'9'; 17 * MIB], b"\"}\n"].concat()), Ok, "line 1"),
        case("ImportFollowers: deeply nested JSON", import(TwitterJson, [b"{\"id_str\": \"8\", \"x\": ".as_slice(), &vec![b'['; 100_000], &vec![b']'; 100_000], b"}\n"].concat()), Ok, "line 1"),
    ]
}

/// What a case may not change: the account, its report, every listed follower and the
/// known follower, as encoded bytes.
async fn fingerprint(client: &mut Client) -> Vec<u8> {
    let mut out = Vec::new();
    get_account(client).await.unwrap().encode(&mut out).unwrap();
    let mut report = report(client).await;
    report.as_of = None;
    report.encode(&mut out).unwrap();
    let mut token = String::new();
    loop {
        let page = client
            .list_followers(list(pb::ListFollowersRequest {
                page_size: 1_000,
                page_token: token,
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner();
        page.encode(&mut out).unwrap();
        token = page.next_page_token;
        if token.is_empty() {
            break;
        }
    }
    get(client, pb::Platform::Linkedin, KNOWN)
        .await
        .expect("the known follower")
        .encode(&mut out)
        .unwrap();
    client
        .get_lead_model(pb::GetLeadModelRequest {
            account_id: ACCOUNT.into(),
        })
        .await
        .unwrap()
        .into_inner()
        .encode(&mut out)
        .unwrap();
    out
}

/// Sends `bytes` as the request of `method`, as they are.
#[derive(Clone, Copy)]
struct RawCodec;
struct RawBytes;

impl Codec for RawCodec {
    type Encode = Vec<u8>;
    type Decode = Vec<u8>;
    type Encoder = RawBytes;
    type Decoder = RawBytes;
    fn encoder(&mut self) -> RawBytes {
        RawBytes
    }
    fn decoder(&mut self) -> RawBytes {
        RawBytes
    }
}

impl Encoder for RawBytes {
    type Item = Vec<u8>;
    type Error = tonic::Status;
    fn encode(&mut self, item: Vec<u8>, dst: &mut EncodeBuf<'_>) -> Result<(), tonic::Status> {
        dst.put_slice(&item);
        Ok(())
    }
}

impl Decoder for RawBytes {
    type Item = Vec<u8>;
    type Error = tonic::Status;
    fn decode(&mut self, src: &mut DecodeBuf<'_>) -> Result<Option<Vec<u8>>, tonic::Status> {
        let bytes = src.chunk().to_vec();
        src.advance(bytes.len());
        Ok(Some(bytes))
    }
}

async fn raw(channel: Channel, method: &str, bytes: Vec<u8>) -> Result<(), tonic::Status> {
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready().await.unwrap();
    let path = format!("/followscore.v1.FollowScore/{method}");
    grpc.unary(tonic::Request::new(bytes), path.parse().unwrap(), RawCodec)
        .await
        .map(drop)
}

/// The case's outcome: the status (Ok for an answer) and the texts that must name the
/// problem (the status message, or the import's row errors, or the stream's item errors).
async fn run(client: &mut Client, channel: Channel, call: Call) -> (Code, Vec<String>, String) {
    let status = |s: tonic::Status| (s.code(), vec![s.message().to_owned()], String::new());
    match call {
        Call::Score(r) => client.score_follower(r).await.map_or_else(status, |_| ok()),
        Call::Engage(r) => client
            .record_engagement(r)
            .await
            .map_or_else(status, |_| ok()),
        Call::Override(r) => client.set_override(r).await.map_or_else(status, |_| ok()),
        Call::Remove(r) => client
            .remove_follower(r)
            .await
            .map_or_else(status, |_| ok()),
        Call::Forget(r) => client
            .forget_follower(r)
            .await
            .map_or_else(status, |_| ok()),
        Call::Get(r) => client.get_follower(r).await.map_or_else(status, |_| ok()),
        Call::List(r) => client.list_followers(r).await.map_or_else(status, |_| ok()),
        Call::Report(r) => client
            .get_network_quality(r)
            .await
            .map_or_else(status, |_| ok()),
        Call::Upsert(a) => client
            .upsert_account(pb::UpsertAccountRequest { account: Some(a) })
            .await
            .map_or_else(status, |_| ok()),
        Call::Outcomes(r) => match client.record_outcomes(r).await {
            Err(s) => status(s),
            Ok(answer) => {
                let answer = answer.into_inner();
                let wrong = answer
                    .items
                    .iter()
                    .find(|i| i.status != "invalid")
                    .map(|i| format!("outcome {} answered {}", i.index, i.status))
                    .unwrap_or_default();
                let texts = answer
                    .items
                    .iter()
                    .filter_map(|i| i.error.as_ref())
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect();
                (Code::Ok, texts, wrong)
            }
        },
        Call::Raw(method, bytes) => raw(channel, method, bytes)
            .await
            .map_or_else(status, |_| ok()),
        Call::Import(messages) => {
            match client.import_followers(tokio_stream::iter(messages)).await {
                Err(s) => status(s),
                Ok(answer) => {
                    let answer = answer.into_inner();
                    let errors = answer
                        .errors
                        .iter()
                        .map(|e| format!("line {} {}: {}", e.line, e.field, e.message))
                        .collect();
                    let stored = if answer.rows_scored > 0 {
                        format!("{} rows stored", answer.rows_scored)
                    } else {
                        String::new()
                    };
                    (Code::Ok, errors, stored)
                }
            }
        }
        Call::Stream(messages, item_code) => {
            let sent = messages.len();
            let mut responses = match client
                .classify_followers(tokio_stream::iter(messages))
                .await
            {
                Err(s) => return status(s),
                Ok(r) => r.into_inner(),
            };
            let mut texts = Vec::new();
            let mut wrong = String::new();
            let mut answered = 0;
            loop {
                match responses.message().await {
                    Err(s) => return status(s),
                    Ok(None) => break,
                    Ok(Some(r)) => {
                        answered += 1;
                        match r.outcome {
                            Some(pb::classify_followers_response::Outcome::Error(e)) => {
                                if Some(e.code.as_str()) != item_code {
                                    wrong = format!("item {} answered {}", r.index, e.code);
                                }
                                texts.push(format!("{}: {}", e.field, e.message));
                            }
                            other => wrong = format!("item {} answered {other:?}", r.index),
                        }
                    }
                }
            }
            if answered != sent {
                wrong = format!("{sent} items sent, {answered} answered");
            }
            (Code::Ok, texts, wrong)
        }
    }
}

fn ok() -> (Code, Vec<String>, String) {
    (Code::Ok, Vec::new(), String::new())
}

#[tokio::test]
async fn every_hostile_input_gets_its_status_names_its_field_and_changes_nothing() {
    let mut app = spawn_app().await;
    let c = &mut app.client;
    upsert(c, account()).await;
    score(c, prospect(KNOWN)).await;
    score(c, bot("b1")).await;
    score(c, competitor("c1")).await;
    c.record_engagement(engage(vec![event("first")]))
        .await
        .unwrap();
    let channel = Channel::from_shared(format!("http://{}", app.addr))
        .unwrap()
        .connect()
        .await
        .unwrap();

    let mut failures = Vec::new();
    let mut table = String::new();
    let cases = cases();
    let count = cases.len();
    for case in cases {
        let before = fingerprint(c).await;
        let (code, texts, wrong) = run(c, channel.clone(), case.call).await;
        let after = fingerprint(c).await;
        let named = texts.iter().all(|t| t.contains(case.names));
        let first = texts.first().cloned().unwrap_or_default();
        let first: String = first.chars().take(160).collect();
        table.push_str(&format!("{:?} | {} | {first}\n", code, case.input));
        let mut problems = Vec::new();
        if code != case.code {
            problems.push(format!("code {code:?}, expected {:?}", case.code));
        }
        if !named {
            problems.push(format!("does not name {:?}: {texts:?}", case.names));
        }
        if !wrong.is_empty() {
            problems.push(wrong);
        }
        // Short enough to read (and to travel in a gRPC header): no input echoed whole.
        if let Some(long) = texts.iter().find(|t| t.len() > 600) {
            problems.push(format!("a message of {} bytes", long.len()));
        }
        if before != after {
            problems.push("changed what is stored".into());
        }
        if !problems.is_empty() {
            failures.push(format!("{}: {}", case.input, problems.join("; ")));
        }
    }
    println!("{table}");
    assert!(
        failures.is_empty(),
        "{} of {count} hostile inputs misbehaved:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
