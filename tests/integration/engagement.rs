use followscore::grpc::pb;

use crate::helpers::*;

fn event(id: &str, kind: pb::EngagementType, days: i64) -> pb::EngagementEvent {
    pb::EngagementEvent {
        event_id: id.into(),
        r#type: kind as i32,
        occurred_at: Some(days_ago(days)),
    }
}

async fn record(
    client: &mut Client,
    id: &str,
    events: Vec<pb::EngagementEvent>,
) -> pb::RecordEngagementResponse {
    client
        .record_engagement(pb::RecordEngagementRequest {
            account_id: ACCOUNT.into(),
            platform: pb::Platform::Linkedin as i32,
            follower_id: id.into(),
            events,
        })
        .await
        .expect("record engagement")
        .into_inner()
}

#[tokio::test]
async fn events_count_once_decay_and_raise_the_tier() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    score(&mut app.client, prospect("maria")).await;

    let first = record(
        &mut app.client,
        "maria",
        vec![
            event("w1", pb::EngagementType::WebinarAttended, 30),
            event("d1", pb::EngagementType::DemoRequest, 0),
        ],
    )
    .await;
    assert_eq!((first.accepted, first.duplicates, first.capped), (2, 0, 0));
    let result = first.result.unwrap();
    // 40 today + 25 halved by one 30-day half-life.
    assert!(
        (result.engagement_points - 52.5).abs() < 0.2,
        "{}",
        result.engagement_points
    );
    assert_eq!(result.engagement_level, 1);
    assert_eq!(result.lead_tier, pb::LeadTier::Hot as i32);
    assert!(result.actions.contains(&(pb::Action::RouteToSales as i32)));

    let again = record(
        &mut app.client,
        "maria",
        vec![event("d1", pb::EngagementType::DemoRequest, 0)],
    )
    .await;
    assert_eq!((again.accepted, again.duplicates), (0, 1));
    assert_eq!(
        again.result.unwrap().engagement_points,
        result.engagement_points
    );

    // Rescoring the profile keeps the engagement.
    let rescored = score(&mut app.client, prospect("maria")).await;
    assert_eq!(rescored.engagement_points, result.engagement_points);
}

#[tokio::test]
async fn at_most_twenty_events_of_a_type_count_per_day() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    score(&mut app.client, prospect("clicker")).await;
    let likes = (0..25)
        .map(|i| event(&format!("like-{i}"), pb::EngagementType::Like, 0))
        .collect();
    let response = record(&mut app.client, "clicker", likes).await;
    assert_eq!((response.accepted, response.capped), (20, 5));
    assert!((response.result.unwrap().engagement_points - 40.0).abs() < 0.01);
}

#[tokio::test]
async fn a_non_lead_who_engages_socially_is_a_brand_fan() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    score(
        &mut app.client,
        pb::FollowerProfile {
            headline: "Coffee lover, runner, dad".into(),
            has_photo: Some(true),
            ..follower("fan")
        },
    )
    .await;
    let response = record(
        &mut app.client,
        "fan",
        vec![event("s1", pb::EngagementType::Share, 1)],
    )
    .await;
    let result = response.result.unwrap();
    assert_eq!(result.category, pb::Category::BrandFan as i32);
    assert_eq!(result.actions, vec![pb::Action::Amplify as i32]);
}

#[tokio::test]
async fn engagement_for_an_unknown_follower_is_not_found() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    let status = app
        .client
        .record_engagement(pb::RecordEngagementRequest {
            account_id: ACCOUNT.into(),
            platform: pb::Platform::Linkedin as i32,
            follower_id: "nobody".into(),
            events: vec![event("e", pb::EngagementType::Like, 0)],
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::NotFound);
}
