use std::collections::HashSet;

use followscore::grpc::pb;

use crate::helpers::*;

async fn list(client: &mut Client, request: pb::ListFollowersRequest) -> pb::ListFollowersResponse {
    client
        .list_followers(request)
        .await
        .expect("list")
        .into_inner()
}

fn request() -> pb::ListFollowersRequest {
    pb::ListFollowersRequest {
        account_id: ACCOUNT.into(),
        page_size: 7,
        ..Default::default()
    }
}

#[tokio::test]
async fn pages_cover_every_follower_once_in_lead_score_order() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    for i in 0..20 {
        score(&mut app.client, prospect(&format!("p{i}"))).await;
        score(&mut app.client, bot(&format!("{i}"))).await;
        score(&mut app.client, competitor(&format!("k{i}"))).await;
    }

    let mut seen = HashSet::new();
    let mut scores = Vec::new();
    let mut token = String::new();
    let mut pages = 0;
    loop {
        let page = list(
            &mut app.client,
            pb::ListFollowersRequest {
                page_token: token,
                ..request()
            },
        )
        .await;
        pages += 1;
        for r in &page.results {
            assert!(
                seen.insert((r.platform, r.follower_id.clone())),
                "{} listed twice",
                r.follower_id
            );
            scores.push(r.lead_score);
        }
        if page.next_page_token.is_empty() {
            break;
        }
        token = page.next_page_token;
        // A write between pages must not disturb the walk.
        score(&mut app.client, competitor(&format!("late{pages}"))).await;
    }
    assert!(seen.len() >= 60, "{}", seen.len());
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "ordered by lead_score: {scores:?}"
    );
}

#[tokio::test]
async fn filters_by_category_tier_and_action() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    for i in 0..5 {
        score(&mut app.client, prospect(&format!("p{i}"))).await;
        score(&mut app.client, bot(&format!("{i}"))).await;
    }
    let bots = list(
        &mut app.client,
        pb::ListFollowersRequest {
            category: pb::Category::Bot as i32,
            page_size: 100,
            ..request()
        },
    )
    .await;
    assert_eq!(bots.results.len(), 5);
    assert!(
        bots.results
            .iter()
            .all(|r| r.category == pb::Category::Bot as i32)
    );

    let to_prune = list(
        &mut app.client,
        pb::ListFollowersRequest {
            action: pb::Action::Prune as i32,
            page_size: 100,
            ..request()
        },
    )
    .await;
    assert_eq!(to_prune.results.len(), 5);

    let nurture = list(
        &mut app.client,
        pb::ListFollowersRequest {
            lead_tier: pb::LeadTier::Nurture as i32,
            platform: pb::Platform::Linkedin as i32,
            page_size: 100,
            ..request()
        },
    )
    .await;
    assert_eq!(nurture.results.len(), 5);
    assert!(
        nurture
            .results
            .iter()
            .all(|r| r.category == pb::Category::Prospect as i32)
    );
}

#[tokio::test]
async fn a_token_from_another_filter_is_refused() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    for i in 0..10 {
        score(&mut app.client, bot(&format!("{i}"))).await;
    }
    let page = list(
        &mut app.client,
        pb::ListFollowersRequest {
            page_size: 2,
            ..request()
        },
    )
    .await;
    assert!(!page.next_page_token.is_empty());
    let status = app
        .client
        .list_followers(pb::ListFollowersRequest {
            category: pb::Category::Bot as i32,
            page_token: page.next_page_token,
            ..request()
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument);
    assert!(
        status.message().starts_with("page_token"),
        "{}",
        status.message()
    );
}

#[tokio::test]
async fn get_follower_answers_many_ids_at_once() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    for i in 0..30 {
        score(&mut app.client, prospect(&format!("p{i}"))).await;
    }
    let mut ids: Vec<String> = (0..30).map(|i| format!("p{i}")).collect();
    ids.push("unknown-person".into());
    let response = app
        .client
        .get_follower(pb::GetFollowerRequest {
            account_id: ACCOUNT.into(),
            platform: pb::Platform::Linkedin as i32,
            follower_ids: ids,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(response.results.len(), 30);
    assert_eq!(response.results[7].follower_id, "p7", "in the order asked");
    assert_eq!(response.not_found_ids, ["unknown-person"]);
}
