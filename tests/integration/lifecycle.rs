use followscore::grpc::pb;

use crate::helpers::*;

fn key(id: &str) -> (String, i32, String) {
    (
        ACCOUNT.to_string(),
        pb::Platform::Linkedin as i32,
        id.to_string(),
    )
}

#[tokio::test]
async fn unfollowing_keeps_the_record_and_counts_in_growth() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    score(&mut app.client, prospect("maria")).await;
    score(&mut app.client, prospect("jonas")).await;
    let (account_id, platform, follower_id) = key("maria");
    let removed = app
        .client
        .remove_follower(pb::RemoveFollowerRequest {
            account_id,
            platform,
            follower_id,
            unfollowed_at: None,
        })
        .await
        .unwrap()
        .into_inner()
        .result
        .unwrap();
    assert!(removed.unfollowed_at.is_some());

    let stored = get(&mut app.client, pb::Platform::Linkedin, "maria")
        .await
        .unwrap();
    assert!(stored.unfollowed_at.is_some(), "kept for growth history");
    let report = report(&mut app.client).await;
    assert_eq!(report.total_followers, 1);
    let week = report.growth.iter().find(|g| g.window_days == 7).unwrap();
    assert_eq!(
        (week.new_followers, week.unfollows, week.net_change),
        (2, 1, 1)
    );
    assert_eq!(week.qualified_unfollows, 1);
}

#[tokio::test]
async fn forgetting_a_follower_leaves_nothing_behind() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    let mut kept = prospect("keep-me");
    kept.display_name = "Ottoline Keepsake".into();
    score(&mut app.client, kept).await;
    let secret_id = "forget-me-3f9a";
    let mut profile = prospect(secret_id);
    profile.display_name = "Zelda Quintessa Forgetmenot".into();
    score(&mut app.client, profile).await;
    app.client
        .record_engagement(pb::RecordEngagementRequest {
            account_id: ACCOUNT.into(),
            platform: pb::Platform::Linkedin as i32,
            follower_id: secret_id.into(),
            events: vec![pb::EngagementEvent {
                event_id: "evt-forget-me".into(),
                r#type: pb::EngagementType::Comment as i32,
                occurred_at: Some(days_ago(1)),
            }],
        })
        .await
        .unwrap();

    let (account_id, platform, follower_id) = key(secret_id);
    let erased = app
        .client
        .forget_follower(pb::ForgetFollowerRequest {
            account_id,
            platform,
            follower_id,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(erased.erased);
    assert_eq!(
        get(&mut app.client, pb::Platform::Linkedin, secret_id).await,
        None
    );
    let report = report(&mut app.client).await;
    assert_eq!(report.total_followers, 1);
    assert_eq!(
        report.growth[0].new_followers, 1,
        "no trace in the growth history either"
    );

    // Nothing of the follower is left in the live data: audit every tree of the store.
    let (_dir, store) = app.stop_and_open_store().await;
    for needle in [
        secret_id.as_bytes(),
        b"Forgetmenot".as_slice(),
        b"evt-forget-me".as_slice(),
    ] {
        let found = store.audit_bytes(needle).unwrap();
        assert!(
            found.is_empty(),
            "{:?} still stored in {found:?}",
            String::from_utf8_lossy(needle)
        );
    }
    // The audit itself is able to find what is stored: in a key, and inside a record
    // (stored compressed and, on sled, sealed).
    assert!(!store.audit_bytes(b"keep-me").unwrap().is_empty());
    assert!(!store.audit_bytes(b"Ottoline Keepsake").unwrap().is_empty());
}

#[tokio::test]
async fn an_override_wins_until_cleared_and_survives_rescoring() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    let bot_result = score(&mut app.client, bot("42")).await;
    assert_eq!(bot_result.category, pb::Category::Bot as i32);

    let overridden = app
        .client
        .set_override(pb::SetOverrideRequest {
            account_id: ACCOUNT.into(),
            platform: pb::Platform::Twitter as i32,
            follower_id: "42".into(),
            category: pb::Category::Customer as i32,
            set_by: "jane@northwind.example".into(),
            reason: "Signed last week; runs their X account from a new handle".into(),
            expires_at: None,
        })
        .await
        .unwrap()
        .into_inner()
        .result
        .unwrap();
    assert_eq!(overridden.category, pb::Category::Customer as i32);
    assert_eq!(overridden.computed_category, pb::Category::Bot as i32);
    assert!(
        overridden
            .reasons
            .iter()
            .any(|r| r.code == "manual_override" && r.message.contains("jane@"))
    );
    assert_eq!(
        overridden.r#override.as_ref().unwrap().set_by,
        "jane@northwind.example"
    );

    // Rescoring the profile and changing the account keep it.
    let rescored = score(&mut app.client, bot("42")).await;
    assert_eq!(rescored.category, pb::Category::Customer as i32);
    upsert(&mut app.client, account()).await;
    let after_config = get(&mut app.client, pb::Platform::Twitter, "42")
        .await
        .unwrap();
    assert_eq!(after_config.category, pb::Category::Customer as i32);
    assert_eq!(after_config.config_version, 2);
    let report = report(&mut app.client).await;
    assert_eq!(category_count(&report, pb::Category::Customer), 1);
    assert_eq!(category_count(&report, pb::Category::Bot), 0);

    let cleared = app
        .client
        .clear_override(pb::ClearOverrideRequest {
            account_id: ACCOUNT.into(),
            platform: pb::Platform::Twitter as i32,
            follower_id: "42".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .result
        .unwrap();
    assert_eq!(cleared.category, pb::Category::Bot as i32);
    assert!(cleared.r#override.is_none());
}

#[tokio::test]
async fn an_override_in_the_past_is_refused() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    score(&mut app.client, bot("42")).await;
    let status = app
        .client
        .set_override(pb::SetOverrideRequest {
            account_id: ACCOUNT.into(),
            platform: pb::Platform::Twitter as i32,
            follower_id: "42".into(),
            category: pb::Category::Customer as i32,
            expires_at: Some(days_ago(1)),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument);
    assert!(status.message().starts_with("expires_at"));
}

#[tokio::test]
async fn forgetting_is_idempotent_but_needs_a_known_account() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    let (account_id, platform, follower_id) = key("never-stored");
    let response = app
        .client
        .forget_follower(pb::ForgetFollowerRequest {
            account_id,
            platform,
            follower_id,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(!response.erased);
    let status = app
        .client
        .forget_follower(pb::ForgetFollowerRequest {
            account_id: "unknown-co".into(),
            platform,
            follower_id: "x".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::NotFound);
}
