use followscore::grpc::pb;

use crate::helpers::*;

#[tokio::test]
async fn results_scored_under_an_old_configuration_are_rescored_and_never_served_as_fresh() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    let before = score(
        &mut app.client,
        pb::FollowerProfile {
            headline: "Head of Finance at Globex Corporation".into(),
            company: "Globex Corporation".into(),
            has_photo: Some(true),
            ..follower("hank")
        },
    )
    .await;
    assert_ne!(before.category, pb::Category::Customer as i32);
    for i in 0..50 {
        score(&mut app.client, bot(&i.to_string())).await;
    }

    // Globex signs: the CRM sync adds it to the customers.
    let mut signed = account();
    signed
        .customers
        .as_mut()
        .unwrap()
        .names
        .push("Globex".into());
    let updated = upsert(&mut app.client, signed).await;
    assert_eq!(updated.config_version, 2);

    // Read: rescored on the spot under the new version.
    let after = get(&mut app.client, pb::Platform::Linkedin, "hank")
        .await
        .unwrap();
    assert_eq!(after.category, pb::Category::Customer as i32);
    assert_eq!(after.config_version, 2);
    assert!(after.scored_at.unwrap().seconds >= before.scored_at.unwrap().seconds);

    // Everything else: rescored in the background; the report says how much is left.
    let mut client = app.client.clone();
    eventually("background rescoring finishes", || {
        let mut client = client.clone();
        async move { report(&mut client).await.stale_results == 0 }
    })
    .await;
    let report = report(&mut client).await;
    assert_eq!(report.config_version, 2);
    assert_eq!(category_count(&report, pb::Category::Customer), 1);
    assert_eq!(category_count(&report, pb::Category::Bot), 50);
    let listed = client
        .list_followers(pb::ListFollowersRequest {
            account_id: ACCOUNT.into(),
            page_size: 1_000,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(listed.results.iter().all(|r| r.config_version == 2));
}

#[tokio::test]
async fn stale_results_are_reported_until_rescored_after_a_restart() {
    let mut app = spawn_app_with(|c| c.background_rescoring = false).await;
    upsert(&mut app.client, account()).await;
    for i in 0..10 {
        score(&mut app.client, bot(&i.to_string())).await;
    }
    upsert(&mut app.client, account()).await;
    let report = report(&mut app.client).await;
    assert_eq!(
        report.stale_results, 10,
        "without the background pass nothing is fresh yet"
    );
    let result = get(&mut app.client, pb::Platform::Twitter, "3")
        .await
        .unwrap();
    assert_eq!(
        result.config_version, 2,
        "a read never serves a stale result"
    );
    assert_eq!(
        crate::helpers::report(&mut app.client).await.stale_results,
        9
    );
}
