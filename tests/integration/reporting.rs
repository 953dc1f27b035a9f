use followscore::grpc::pb;

use crate::helpers::*;

#[tokio::test]
async fn the_report_counts_categories_growth_and_top_leads() {
    let mut app = spawn_app().await;
    let mut stated = account();
    stated.platform_totals = vec![
        pb::PlatformTotal {
            platform: pb::Platform::Linkedin as i32,
            followers: 10_000,
        },
        pb::PlatformTotal {
            platform: pb::Platform::Twitter as i32,
            followers: 5_000,
        },
    ];
    upsert(&mut app.client, stated).await;
    for i in 0..6 {
        score(&mut app.client, prospect(&format!("p{i}"))).await;
    }
    for i in 0..10 {
        score(&mut app.client, bot(&i.to_string())).await;
    }
    for i in 0..4 {
        score(&mut app.client, competitor(&format!("k{i}"))).await;
    }
    let mut old = prospect("old-follower");
    old.followed_at = Some(days_ago(60));
    score(&mut app.client, old).await;

    let report = report(&mut app.client).await;
    assert_eq!(report.total_followers, 21);
    assert_eq!(category_count(&report, pb::Category::Prospect), 7);
    assert_eq!(category_count(&report, pb::Category::Bot), 10);
    assert_eq!(category_count(&report, pb::Category::Competitor), 4);
    let qualified = report.qualified.unwrap();
    assert_eq!(qualified.count, 7);
    assert!((report.quality_ratio - 7.0 / 21.0).abs() < 1e-4);
    assert_eq!(report.bots.unwrap().count, 10);
    assert_eq!(report.excluded.unwrap().count, 14);

    // A sample of the stated totals: shares carry intervals.
    assert!(report.is_sample);
    assert_eq!(report.stated_total_followers, 15_000);
    assert_eq!(report.based_on_followers, 21);
    let bots = report.bots.unwrap();
    assert!(bots.has_interval && bots.lower_95 < bots.share && bots.share < bots.upper_95);

    let growth = |days: u32| {
        report
            .growth
            .iter()
            .find(|g| g.window_days == days)
            .unwrap()
    };
    // Competitors followed ten days ago: in the 30-day window, not the 7-day one.
    assert_eq!(growth(7).new_followers, 16);
    assert_eq!(growth(30).new_followers, 20);
    assert_eq!(
        growth(7).qualified_new_followers,
        6,
        "bots and competitors are left out"
    );
    assert_eq!(growth(90).new_followers, 21);
    // A week ago: four competitors and one prospect (1/5); now 7/21.
    assert!(
        (growth(7).quality_ratio_change - (7.0 / 21.0 - 0.2)).abs() < 1e-3,
        "{:?}",
        growth(7)
    );

    assert_eq!(report.top_leads.len(), 7);
    assert!(
        report
            .top_leads
            .iter()
            .all(|l| l.category == pb::Category::Prospect as i32)
    );
    let actions = report.action_lists.unwrap();
    assert_eq!(actions.to_prune, 10);
    assert_eq!(actions.to_follow_back, 7);
    assert!(report.audience_quality_score > 0.0 && report.audience_quality_score < 100.0);

    let linkedin_only = app
        .client
        .get_network_quality(pb::GetNetworkQualityRequest {
            account_id: ACCOUNT.into(),
            platform: pb::Platform::Twitter as i32,
            top_n: 3,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(linkedin_only.total_followers, 10);
    assert_eq!(linkedin_only.top_leads.len(), 0);
}
