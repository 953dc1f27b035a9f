use std::collections::HashSet;

use followscore::grpc::pb;
use tokio_stream::StreamExt as _;

use crate::helpers::*;

fn item(profile: pb::FollowerProfile, correlation: &str) -> pb::ClassifyFollowersRequest {
    pb::ClassifyFollowersRequest {
        account_id: ACCOUNT.into(),
        profile: Some(profile),
        correlation_id: correlation.into(),
    }
}

#[tokio::test]
async fn bad_follower_in_stream_is_reported_and_others_still_scored() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    let total = 3_000usize;
    let requests: Vec<_> = (0..total)
        .map(|i| match i {
            // A missing id, an absurd count and a timestamp far in the future.
            100 => item(follower(""), "bad-id"),
            1_500 => item(
                pb::FollowerProfile {
                    followers_count: Some(u64::MAX),
                    ..follower("absurd")
                },
                "bad-count",
            ),
            2_999 => item(
                pb::FollowerProfile {
                    created_at: Some(days_ago(-400)),
                    ..follower("future")
                },
                "bad-time",
            ),
            i if i % 3 == 0 => item(bot(&i.to_string()), &format!("c{i}")),
            i if i % 3 == 1 => item(prospect(&format!("p{i}")), &format!("c{i}")),
            i => item(competitor(&format!("k{i}")), &format!("c{i}")),
        })
        .collect();
    let mut responses = app
        .client
        .classify_followers(tokio_stream::iter(requests))
        .await
        .unwrap()
        .into_inner();

    let mut indexes = HashSet::new();
    let mut errors = Vec::new();
    let mut results = 0;
    while let Some(response) = responses.next().await {
        let response = response.expect("stream item");
        assert!(
            indexes.insert(response.index),
            "index {} answered twice",
            response.index
        );
        match response.outcome.expect("outcome") {
            pb::classify_followers_response::Outcome::Result(r) => {
                assert_eq!(response.correlation_id, format!("c{}", response.index));
                assert!(!r.follower_id.is_empty());
                results += 1;
            }
            pb::classify_followers_response::Outcome::Error(e) => {
                errors.push((response.correlation_id, e))
            }
        }
    }
    assert_eq!(indexes.len(), total, "every item answered exactly once");
    assert_eq!(results, total - 3);
    let fields: Vec<_> = errors
        .iter()
        .map(|(c, e)| (c.as_str(), e.code.as_str(), e.field.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("bad-id", "invalid_argument", "profile.follower_id"),
            ("bad-count", "invalid_argument", "profile.followers_count"),
            ("bad-time", "invalid_argument", "profile.created_at"),
        ]
    );

    let report = report(&mut app.client).await;
    assert_eq!(report.total_followers as usize, total - 3);
    assert_eq!(
        get(&mut app.client, pb::Platform::Linkedin, "absurd").await,
        None
    );
}

#[tokio::test]
async fn a_stream_for_an_unknown_account_fails_with_not_found() {
    let mut app = spawn_app().await;
    let requests = vec![pb::ClassifyFollowersRequest {
        account_id: "nobody".into(),
        profile: Some(follower("x")),
        correlation_id: String::new(),
    }];
    let mut responses = app
        .client
        .classify_followers(tokio_stream::iter(requests))
        .await
        .unwrap()
        .into_inner();
    let status = responses.next().await.expect("one message").unwrap_err();
    assert_eq!(status.code(), tonic::Code::NotFound);
}

#[tokio::test]
async fn items_for_another_account_in_the_same_stream_are_refused() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    let requests = vec![
        item(prospect("a"), "1"),
        pb::ClassifyFollowersRequest {
            account_id: "someone-else".into(),
            profile: Some(prospect("b")),
            correlation_id: "2".into(),
        },
        pb::ClassifyFollowersRequest {
            account_id: String::new(),
            profile: Some(prospect("c")),
            correlation_id: "3".into(),
        },
    ];
    let responses: Vec<_> = app
        .client
        .classify_followers(tokio_stream::iter(requests))
        .await
        .unwrap()
        .into_inner()
        .collect::<Vec<_>>()
        .await;
    let outcomes: Vec<_> = responses
        .into_iter()
        .map(|r| {
            matches!(
                r.unwrap().outcome,
                Some(pb::classify_followers_response::Outcome::Result(_))
            )
        })
        .collect();
    assert_eq!(outcomes, [true, false, true]);
}
