//! Protobuf requests into domain types: the first byte picks a request message, the rest
//! is decoded with prost as that message (whatever bytes a client sends), then converted
//! with the functions the handlers call (`grpc/convert.rs`). A profile that converts is
//! also scored, and converting back to the wire and in again gives the same profile.
#![no_main]
mod common;

use followscore::grpc::convert;
use followscore::grpc::pb;
use followscore::service::Limits;
use prost::Message;

use common::{CONTEXT, NOW, score_and_check};

fn follower_ref(account_id: &str, platform: i32, follower_id: &str) {
    let _ = convert::account_id(account_id, "account_id");
    let _ = convert::platform(platform, "platform");
    let _ = convert::follower_id(follower_id, "follower_id");
}

fn profile(raw: &pb::FollowerProfile, limits: &Limits) {
    if let Ok(profile) = convert::profile(raw, "profile", NOW, limits) {
        score_and_check(&profile);
        let again = convert::profile(&convert::wire_profile(&profile), "profile", NOW, limits)
            .expect("a converted profile converts again");
        assert_eq!(again, profile, "wire round trip changed the profile");
    }
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let limits = Limits::default();
    match which % 12 {
        0 => {
            if let Ok(req) = pb::ScoreFollowerRequest::decode(bytes) {
                let _ = convert::account_id(&req.account_id, "account_id");
                if let Some(raw) = &req.profile {
                    profile(raw, &limits);
                }
                let _ = convert::score_events(&req.events, "events", NOW, &limits);
            }
        }
        1 => {
            if let Ok(req) = pb::ClassifyFollowersRequest::decode(bytes) {
                let _ = convert::account_id(&req.account_id, "account_id");
                if let Ok(item) = convert::score_item(req.profile.as_ref(), NOW, &limits) {
                    score_and_check(&item.profile);
                }
            }
        }
        2 => {
            if let Ok(req) = pb::UpsertAccountRequest::decode(bytes)
                && let Some(raw) = &req.account
                && let Ok(config) = convert::account(raw, &limits)
                && config.validate().is_ok()
            {
                let ctx = followscore::engine::context::ScoringContext::new(
                    std::sync::Arc::new(config),
                    followscore::engine::bot::shipped_model(),
                );
                let _ = convert::wire_account(&ctx.config);
            }
        }
        3 => {
            if let Ok(req) = pb::RecordEngagementRequest::decode(bytes) {
                follower_ref(&req.account_id, req.platform, &req.follower_id);
                let _ = convert::events(&req.events, "events", NOW, &limits);
            }
        }
        4 => {
            if let Ok(req) = pb::SetOverrideRequest::decode(bytes) {
                follower_ref(&req.account_id, req.platform, &req.follower_id);
                if let Ok(o) = convert::category_override(&req, NOW, &limits) {
                    let _ = convert::wire_override(&o);
                }
            }
        }
        5 => {
            if let Ok(req) = pb::RemoveFollowerRequest::decode(bytes) {
                follower_ref(&req.account_id, req.platform, &req.follower_id);
                if let Some(t) = &req.unfollowed_at {
                    let _ = convert::timestamp(t, "unfollowed_at", NOW, &limits);
                }
            }
        }
        6 => {
            if let Ok(req) = pb::GetFollowerRequest::decode(bytes) {
                let _ = convert::account_id(&req.account_id, "account_id");
                let _ = convert::platform(req.platform, "platform");
                for id in &req.follower_ids {
                    let _ = convert::follower_id(id, "follower_ids");
                }
            }
        }
        7 => {
            if let Ok(req) = pb::ListFollowersRequest::decode(bytes) {
                let _ = convert::account_id(&req.account_id, "account_id");
                let _ = convert::optional_platform(req.platform, "platform");
                let _ = convert::optional_category(req.category, "category");
                let _ = convert::optional_tier(req.lead_tier, "lead_tier");
                let _ = convert::optional_action(req.action, "action");
            }
        }
        8 => {
            if let Ok(req) = pb::ImportFollowersRequest::decode(bytes) {
                let _ = convert::import_start(Some(&req));
                let _ = convert::import_data(req, limits.max_import_chunk_bytes);
            }
        }
        9 => {
            if let Ok(req) = pb::GetNetworkQualityRequest::decode(bytes) {
                let _ = convert::account_id(&req.account_id, "account_id");
                let _ = convert::optional_platform(req.platform, "platform");
            }
        }
        10 => {
            if let Ok(req) = pb::ForgetFollowerRequest::decode(bytes) {
                follower_ref(&req.account_id, req.platform, &req.follower_id);
            }
        }
        _ => {
            // A bare profile, the message most of the others carry.
            if let Ok(raw) = pb::FollowerProfile::decode(bytes) {
                profile(&raw, &limits);
            }
        }
    }
    let _ = &*CONTEXT;
});
