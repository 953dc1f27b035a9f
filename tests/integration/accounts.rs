use followscore::grpc::pb;

use crate::helpers::*;

#[tokio::test]
async fn every_upsert_yields_a_new_config_version() {
    let mut app = spawn_app().await;
    let first = upsert(&mut app.client, account()).await;
    assert_eq!(first.config_version, 1);
    let mut changed = account();
    changed.display_name = "Northwind Analytics GmbH".into();
    let second = upsert(&mut app.client, changed).await;
    assert_eq!(second.config_version, 2);

    let stored = get_account(&mut app.client).await.expect("account stored");
    assert_eq!(stored.display_name, "Northwind Analytics GmbH");
    assert_eq!(stored.config_version, 2);
    let customers = stored.customers.unwrap();
    assert!(
        customers
            .names
            .contains(&"Contoso Retail Group".to_string())
    );
}

#[tokio::test]
async fn delete_account_removes_everything_stored_for_it() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    score(&mut app.client, prospect("maria-keller")).await;
    score(&mut app.client, bot("1001")).await;

    let deleted = app
        .client
        .delete_account(pb::DeleteAccountRequest {
            account_id: ACCOUNT.into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(deleted.followers_deleted, 2);

    let status = get_account(&mut app.client).await.unwrap_err();
    assert_eq!(status.code(), tonic::Code::NotFound);

    // A new account of the same id starts empty, also after a restart.
    upsert(&mut app.client, account()).await;
    let mut app = app.restart().await;
    let report = report(&mut app.client).await;
    assert_eq!(report.total_followers, 0);
    assert_eq!(
        get(&mut app.client, pb::Platform::Linkedin, "maria-keller").await,
        None
    );
}

#[tokio::test]
async fn accounts_survive_a_restart() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    let mut app = app.restart().await;
    let stored = get_account(&mut app.client).await.expect("account stored");
    assert_eq!(stored.config_version, 1);
    assert_eq!(stored.display_name, "Northwind Analytics");
}
