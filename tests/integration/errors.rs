//! SPEC §5: every bad input gets a clear status naming the problem, and changes nothing.

use followscore::grpc::pb;
use tonic::Code;

use crate::helpers::*;

fn score_request(profile: pb::FollowerProfile) -> pb::ScoreFollowerRequest {
    pb::ScoreFollowerRequest {
        account_id: ACCOUNT.into(),
        profile: Some(profile),
        events: vec![],
    }
}

async fn expect_score_error(
    client: &mut Client,
    request: pb::ScoreFollowerRequest,
    code: Code,
    starts_with: &str,
) {
    let status = client.score_follower(request).await.unwrap_err();
    assert_eq!(status.code(), code, "{status:?}");
    assert!(
        status.message().starts_with(starts_with),
        "message {:?} should start with {starts_with:?}",
        status.message()
    );
}

#[tokio::test]
async fn bad_followers_are_refused_with_the_field_named_and_change_nothing() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    score(&mut app.client, prospect("existing")).await;
    let before = report(&mut app.client).await;
    let c = &mut app.client;

    expect_score_error(
        c,
        score_request(follower("")),
        Code::InvalidArgument,
        "profile.follower_id",
    )
    .await;
    expect_score_error(
        c,
        pb::ScoreFollowerRequest {
            profile: None,
            ..score_request(follower("x"))
        },
        Code::InvalidArgument,
        "profile",
    )
    .await;
    expect_score_error(
        c,
        score_request(pb::FollowerProfile {
            platform: 0,
            ..follower("x")
        }),
        Code::InvalidArgument,
        "profile.platform",
    )
    .await;
    expect_score_error(
        c,
        score_request(pb::FollowerProfile {
            platform: 99,
            ..follower("x")
        }),
        Code::InvalidArgument,
        "profile.platform",
    )
    .await;
    expect_score_error(
        c,
        score_request(pb::FollowerProfile {
            following_count: Some(50_000_000_000),
            ..follower("x")
        }),
        Code::InvalidArgument,
        "profile.following_count",
    )
    .await;
    expect_score_error(
        c,
        score_request(pb::FollowerProfile {
            headline: "x".repeat(5_000),
            ..follower("x")
        }),
        Code::InvalidArgument,
        "profile.headline",
    )
    .await;
    expect_score_error(
        c,
        score_request(pb::FollowerProfile {
            follower_id: "y".repeat(500),
            ..follower("x")
        }),
        Code::InvalidArgument,
        "profile.follower_id",
    )
    .await;
    expect_score_error(
        c,
        score_request(pb::FollowerProfile {
            created_at: Some(days_ago(-30)),
            ..follower("x")
        }),
        Code::InvalidArgument,
        "profile.created_at",
    )
    .await;
    expect_score_error(
        c,
        pb::ScoreFollowerRequest {
            events: vec![pb::EngagementEvent {
                event_id: "e".into(),
                r#type: pb::EngagementType::Like as i32,
                occurred_at: Some(days_ago(-10)),
            }],
            ..score_request(follower("x"))
        },
        Code::InvalidArgument,
        "events[0].occurred_at",
    )
    .await;
    expect_score_error(
        c,
        pb::ScoreFollowerRequest {
            account_id: String::new(),
            ..score_request(follower("x"))
        },
        Code::InvalidArgument,
        "account_id",
    )
    .await;
    expect_score_error(
        c,
        pb::ScoreFollowerRequest {
            account_id: "unknown-co".into(),
            ..score_request(follower("x"))
        },
        Code::NotFound,
        "account unknown-co",
    )
    .await;

    let after = report(&mut app.client).await;
    assert_eq!(after.total_followers, before.total_followers);
    assert_eq!(
        get(&mut app.client, pb::Platform::Linkedin, "x").await,
        None
    );
}

#[tokio::test]
async fn bad_account_settings_are_refused_and_change_nothing() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    let check = |mutate: fn(&mut pb::Account), field: &'static str| {
        let mut client = app.client.clone();
        async move {
            let mut bad = account();
            mutate(&mut bad);
            let status = client
                .upsert_account(pb::UpsertAccountRequest { account: Some(bad) })
                .await
                .unwrap_err();
            assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
            assert!(
                status.message().starts_with(field),
                "{} vs {field}",
                status.message()
            );
        }
    };
    check(
        |a| {
            a.settings = Some(pb::ScoringSettings {
                bot_threshold: Some(2.0),
                ..Default::default()
            })
        },
        "account.settings.bot_threshold",
    )
    .await;
    check(
        |a| {
            a.settings = Some(pb::ScoringSettings {
                grade_cutoffs: Some(pb::GradeCutoffs {
                    a: 20.0,
                    b: 50.0,
                    c: 10.0,
                }),
                ..Default::default()
            })
        },
        "account.settings.grade_cutoffs",
    )
    .await;
    check(|a| a.account_id = String::new(), "account.account_id").await;
    check(
        |a| a.display_name = "n".repeat(1_000),
        "account.display_name",
    )
    .await;
    let stored = get_account(&mut app.client).await.expect("account stored");
    assert_eq!(stored.config_version, 1, "nothing changed");

    let status = app
        .client
        .upsert_account(pb::UpsertAccountRequest { account: None })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn oversized_batches_and_messages_are_resource_exhausted() {
    let mut app = spawn_app_with(|c| c.limits.max_message_bytes = 64 * 1024).await;
    upsert(&mut app.client, account()).await;
    let status = app
        .client
        .get_follower(pb::GetFollowerRequest {
            account_id: ACCOUNT.into(),
            platform: pb::Platform::Linkedin as i32,
            follower_ids: (0..1_001).map(|i| i.to_string()).collect(),
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::ResourceExhausted);

    let events = (0..1_000)
        .map(|i| pb::EngagementEvent {
            event_id: format!("{i:0>120}"),
            r#type: pb::EngagementType::Like as i32,
            occurred_at: Some(days_ago(0)),
        })
        .collect();
    let status = app
        .client
        .score_follower(pb::ScoreFollowerRequest {
            events,
            ..score_request(follower("big"))
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");

    let too_many = (0..1_001)
        .map(|i| pb::EngagementEvent {
            event_id: i.to_string(),
            r#type: pb::EngagementType::Like as i32,
            occurred_at: Some(days_ago(0)),
        })
        .collect();
    let status = app
        .client
        .score_follower(pb::ScoreFollowerRequest {
            events: too_many,
            ..score_request(follower("many"))
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
    assert_eq!(report(&mut app.client).await.total_followers, 0);
}

#[tokio::test]
async fn bad_listing_and_report_requests_are_refused() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    let status = app
        .client
        .list_followers(pb::ListFollowersRequest {
            account_id: ACCOUNT.into(),
            page_size: 5_000,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    let status = app
        .client
        .list_followers(pb::ListFollowersRequest {
            account_id: ACCOUNT.into(),
            page_token: "not-a-token".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    let status = app
        .client
        .get_network_quality(pb::GetNetworkQualityRequest {
            account_id: "nobody".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::NotFound);
    let status = app
        .client
        .get_follower(pb::GetFollowerRequest {
            account_id: ACCOUNT.into(),
            platform: pb::Platform::Linkedin as i32,
            follower_ids: vec![],
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    let status = app
        .client
        .remove_follower(pb::RemoveFollowerRequest {
            account_id: ACCOUNT.into(),
            platform: pb::Platform::Linkedin as i32,
            follower_id: "never-seen".into(),
            unfollowed_at: None,
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::NotFound);
}
