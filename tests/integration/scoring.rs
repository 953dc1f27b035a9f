use followscore::grpc::pb;

use crate::helpers::*;

fn has_reason(result: &pb::FollowerResult, code: &str) -> bool {
    result.reasons.iter().any(|r| r.code == code)
}

#[tokio::test]
async fn a_decision_maker_at_a_target_account_is_a_hot_prospect_once_engaged() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    let result = score(&mut app.client, prospect("maria-keller")).await;
    assert_eq!(
        result.category,
        pb::Category::Prospect as i32,
        "{result:#?}"
    );
    assert_eq!(result.fit_grade, pb::FitGrade::A as i32, "{result:#?}");
    assert_eq!(result.seniority, pb::Seniority::Vp as i32);
    assert_eq!(result.matched_list, pb::CompanyList::TargetAccounts as i32);
    assert_eq!(result.matched_company, "Tailspin Toys");
    assert_eq!(result.engagement_level, 4);
    assert_eq!(result.tier_label, "A4");
    assert_eq!(result.lead_tier, pb::LeadTier::Nurture as i32);
    assert!(result.actions.contains(&(pb::Action::FollowBack as i32)));
    assert!(
        has_reason(&result, "icp_target_account"),
        "{:#?}",
        result.reasons
    );
    assert!(
        has_reason(&result, "title_seniority_vp"),
        "{:#?}",
        result.reasons
    );
    assert!(
        result.model_version.contains("bot"),
        "{}",
        result.model_version
    );
    assert_eq!(result.config_version, 1);

    let stored = get(&mut app.client, pb::Platform::Linkedin, "maria-keller")
        .await
        .unwrap();
    assert_eq!(stored, result, "the stored result is the one returned");
}

#[tokio::test]
async fn categories_follow_the_precedence_with_secondary_labels() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;

    let competitor = score(&mut app.client, competitor("sam-rivera")).await;
    assert_eq!(competitor.category, pb::Category::Competitor as i32);
    assert!(competitor.actions.contains(&(pb::Action::Watch as i32)));
    assert!(has_reason(&competitor, "company_matches_competitor"));
    assert_eq!(
        competitor.lead_score, 0,
        "excluded followers never sort as leads"
    );

    let open_to_work_customer = score(
        &mut app.client,
        pb::FollowerProfile {
            headline: "Data Engineer at Contoso Retail Group | #OpenToWork".into(),
            company: "Contoso Retail Group".into(),
            open_to_work: Some(true),
            ..follower("lee-chen")
        },
    )
    .await;
    assert_eq!(
        open_to_work_customer.category,
        pb::Category::Customer as i32
    );
    assert!(
        open_to_work_customer
            .secondary_labels
            .contains(&(pb::Category::JobSeeker as i32))
    );
    assert!(
        open_to_work_customer
            .actions
            .contains(&(pb::Action::RouteToAccountManager as i32))
    );

    let employee = score(
        &mut app.client,
        pb::FollowerProfile {
            headline: "Product Marketing Manager @ Northwind".into(),
            ..follower("nina-berg")
        },
    )
    .await;
    assert_eq!(employee.category, pb::Category::Employee as i32);
    assert_eq!(
        employee.actions,
        vec![pb::Action::ExcludeFromMetrics as i32]
    );
}

#[tokio::test]
async fn a_bought_follower_is_a_bot_with_reasons() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    let result = score(&mut app.client, bot("77")).await;
    assert!(result.bot_probability >= 0.5, "{result:#?}");
    assert_eq!(result.category, pb::Category::Bot as i32, "{result:#?}");
    assert_eq!(
        result.actions,
        vec![
            pb::Action::ExcludeFromMetrics as i32,
            pb::Action::Prune as i32
        ]
    );
    assert!(has_reason(&result, "bot_probability_above_threshold"));
    assert!(
        result
            .reasons
            .iter()
            .any(|r| r.code.starts_with("bot_") && r.weight != 0.0),
        "{:#?}",
        result.reasons
    );
}

#[tokio::test]
async fn a_bare_id_is_scored_with_low_confidence() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    let result = score(&mut app.client, follower("just-an-id")).await;
    assert_eq!(result.follower_id, "just-an-id");
    assert!(result.confidence < 0.2, "{}", result.confidence);
    assert!(result.missing_fields.contains(&"title".to_string()));
    assert!(result.missing_fields.contains(&"company".to_string()));
    assert_ne!(result.category, pb::Category::Unspecified as i32);
    assert_ne!(
        result.category,
        pb::Category::Bot as i32,
        "no evidence is not evidence of a bot"
    );
}

#[tokio::test]
async fn engagement_sent_with_the_profile_counts() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    let result = app
        .client
        .score_follower(pb::ScoreFollowerRequest {
            account_id: ACCOUNT.into(),
            profile: Some(prospect("maria-keller")),
            events: vec![
                pb::EngagementEvent {
                    event_id: "demo-1".into(),
                    r#type: pb::EngagementType::DemoRequest as i32,
                    occurred_at: Some(days_ago(0)),
                },
                pb::EngagementEvent {
                    event_id: "webinar-1".into(),
                    r#type: pb::EngagementType::WebinarAttended as i32,
                    occurred_at: Some(days_ago(0)),
                },
            ],
        })
        .await
        .unwrap()
        .into_inner()
        .result
        .unwrap();
    assert!(
        result.engagement_points >= 64.0,
        "{}",
        result.engagement_points
    );
    assert_eq!(result.engagement_level, 1);
    assert_eq!(result.tier_label, "A1");
    assert_eq!(result.lead_tier, pb::LeadTier::Hot as i32);
    assert!(result.actions.contains(&(pb::Action::RouteToSales as i32)));
}
