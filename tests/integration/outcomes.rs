//! CRM outcomes through the real server: idempotency, subjects by follower and by company,
//! per-item errors, erasure with the follower, the CLI's CSV loading, and the lead model
//! learning, promoting, explaining itself and falling back.

use followscore::grpc::pb;

use crate::helpers::*;

fn on_follower(id: &str, follower: &str, kind: pb::OutcomeType, days: i64) -> pb::Outcome {
    pb::Outcome {
        outcome_id: id.into(),
        subject: Some(pb::outcome::Subject::Follower(pb::OutcomeFollower {
            platform: pb::Platform::Linkedin as i32,
            follower_id: follower.into(),
        })),
        r#type: kind as i32,
        occurred_at: Some(days_ago(days)),
        amount: Some(12_000.0),
        crm_reference: format!("crm-{id}"),
    }
}

fn on_company(id: &str, name: &str, domain: &str, kind: pb::OutcomeType, days: i64) -> pb::Outcome {
    pb::Outcome {
        outcome_id: id.into(),
        subject: Some(pb::outcome::Subject::Company(pb::OutcomeCompany {
            name: name.into(),
            domain: domain.into(),
        })),
        r#type: kind as i32,
        occurred_at: Some(days_ago(days)),
        amount: None,
        crm_reference: String::new(),
    }
}

async fn record(client: &mut Client, outcomes: Vec<pb::Outcome>) -> pb::RecordOutcomesResponse {
    client
        .record_outcomes(pb::RecordOutcomesRequest {
            account_id: ACCOUNT.into(),
            outcomes,
        })
        .await
        .expect("record outcomes")
        .into_inner()
}

async fn lead_model(client: &mut Client) -> pb::LeadModel {
    client
        .get_lead_model(pb::GetLeadModelRequest {
            account_id: ACCOUNT.into(),
        })
        .await
        .expect("get lead model")
        .into_inner()
}

fn statuses(answer: &pb::RecordOutcomesResponse) -> Vec<&str> {
    answer.items.iter().map(|i| i.status.as_str()).collect()
}

#[tokio::test]
async fn outcomes_are_idempotent_matched_to_followers_and_companies_and_checked_per_item() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    score(&mut app.client, prospect("maria")).await;
    score(
        &mut app.client,
        pb::FollowerProfile {
            company: "Tailspin Toys, Inc.".into(),
            headline: "Head of IT".into(),
            ..follower("jon")
        },
    )
    .await;
    let before = lead_model(&mut app.client).await;
    assert_eq!(before.version, 0);
    assert_eq!(before.source, pb::FitSource::Rules as i32);

    let answer = record(
        &mut app.client,
        vec![
            on_follower("o1", "maria", pb::OutcomeType::OpportunityCreated, 40),
            // The company by another spelling: both followers who work there.
            on_company("o2", "TAILSPIN TOYS", "", pb::OutcomeType::Won, 5),
            on_follower("o3", "nobody", pb::OutcomeType::Won, 5),
            pb::Outcome {
                r#type: 0,
                ..on_follower("o4", "maria", pb::OutcomeType::Won, 5)
            },
            pb::Outcome {
                amount: Some(-5.0),
                ..on_follower("o5", "maria", pb::OutcomeType::Won, 5)
            },
            pb::Outcome {
                outcome_id: String::new(),
                ..on_follower("o6", "maria", pb::OutcomeType::Won, 5)
            },
            pb::Outcome {
                occurred_at: Some(days_ago(-30)),
                ..on_follower("o7", "maria", pb::OutcomeType::Won, 5)
            },
            // The same id twice in one call: the second is a duplicate.
            on_follower("o1", "maria", pb::OutcomeType::OpportunityCreated, 40),
        ],
    )
    .await;
    assert_eq!(
        statuses(&answer),
        [
            "accepted",
            "accepted",
            "unmatched",
            "invalid",
            "invalid",
            "invalid",
            "invalid",
            "duplicate"
        ]
    );
    assert_eq!(
        (
            answer.accepted,
            answer.duplicates,
            answer.unmatched,
            answer.invalid
        ),
        (2, 1, 1, 4)
    );
    assert_eq!(answer.items[1].followers, 2, "both Tailspin followers");
    let fields: Vec<&str> = answer.items[3..7]
        .iter()
        .map(|i| i.error.as_ref().unwrap().field.as_str())
        .collect();
    assert_eq!(
        fields,
        [
            "outcomes[3].type",
            "outcomes[4].amount",
            "outcomes[5].outcome_id",
            "outcomes[6].occurred_at"
        ]
    );
    let model = answer.model.expect("the model in force");
    assert_eq!(model.deals, 2, "two followers have a deal");

    // Sent again: duplicates, nothing changes.
    let again = record(
        &mut app.client,
        vec![
            on_follower("o1", "maria", pb::OutcomeType::OpportunityCreated, 40),
            on_company("o2", "Tailspin Toys", "", pb::OutcomeType::Won, 5),
        ],
    )
    .await;
    assert_eq!(statuses(&again), ["duplicate", "duplicate"]);
    assert_eq!(again.model.unwrap().version, model.version);

    // An unmatched outcome is kept nowhere: once the follower is scored it is accepted.
    score(&mut app.client, prospect("nobody")).await;
    let later = record(
        &mut app.client,
        vec![on_follower("o3", "nobody", pb::OutcomeType::Won, 5)],
    )
    .await;
    assert_eq!(statuses(&later), ["accepted"]);
    assert_eq!(later.items[0].followers, 1);
}

#[tokio::test]
async fn forgetting_a_follower_erases_its_outcomes() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    score(&mut app.client, prospect("maria")).await;
    score(&mut app.client, prospect("ines")).await;
    record(
        &mut app.client,
        vec![
            on_follower("m1", "maria", pb::OutcomeType::Won, 3),
            on_follower("i1", "ines", pb::OutcomeType::Lost, 3),
        ],
    )
    .await;
    let erased = app
        .client
        .forget_follower(pb::ForgetFollowerRequest {
            account_id: ACCOUNT.into(),
            platform: pb::Platform::Linkedin as i32,
            follower_id: "maria".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(erased.erased);
    // The outcome id stays known (the marker names no follower): a resend is a duplicate
    // and brings nothing back.
    score(&mut app.client, prospect("maria")).await;
    let again = record(
        &mut app.client,
        vec![on_follower("m1", "maria", pb::OutcomeType::Won, 3)],
    )
    .await;
    assert_eq!(statuses(&again), ["duplicate"]);
    let dir = app.stop().await;
    let store = followscore::store::open_at(dir.path()).unwrap();
    assert!(
        store.audit_bytes(b"crm-m1").unwrap().is_empty(),
        "the forgotten follower's CRM reference is still stored"
    );
    assert!(!store.audit_bytes(b"crm-i1").unwrap().is_empty());
}

#[tokio::test]
async fn learning_modes_are_checked_and_unknown_accounts_are_not_found() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    let pinned_unknown = app
        .client
        .set_learning_mode(pb::SetLearningModeRequest {
            account_id: ACCOUNT.into(),
            mode: pb::LearningMode::Pinned as i32,
            pinned_version: 7,
        })
        .await
        .unwrap_err();
    assert_eq!(pinned_unknown.code(), tonic::Code::InvalidArgument);
    assert!(pinned_unknown.message().contains("pinned_version"));
    let rules_only = app
        .client
        .set_learning_mode(pb::SetLearningModeRequest {
            account_id: ACCOUNT.into(),
            mode: pb::LearningMode::RulesOnly as i32,
            pinned_version: 0,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(rules_only.mode, pb::LearningMode::RulesOnly as i32);
    assert_eq!(rules_only.source, pb::FitSource::Rules as i32);
    let missing = app
        .client
        .get_lead_model(pb::GetLeadModelRequest {
            account_id: "nope".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(missing.code(), tonic::Code::NotFound);
    let empty = app
        .client
        .record_outcomes(pb::RecordOutcomesRequest {
            account_id: ACCOUNT.into(),
            outcomes: vec![],
        })
        .await
        .unwrap_err();
    assert_eq!(empty.code(), tonic::Code::InvalidArgument);
}

// The CLI blocks this thread while the server answers on the others.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_loads_a_salesforce_export_idempotently() {
    let mut app = spawn_app().await;
    upsert(&mut app.client, account()).await;
    score(&mut app.client, prospect("maria")).await;
    let csv = app.dir.path().join("opportunities.csv");
    std::fs::write(
        &csv,
        "Opportunity ID,Account Name,Website,Stage,Close Date,Amount\n\
         006A1,Tailspin Toys,,Prospecting,01/15/2026,\"12,000\"\n\
         006A1,Tailspin Toys,,Closed Won,03/02/2026,\"12,000\"\n\
         006B2,Nobody Corp,nobody.example,Closed Lost,2026-03-05,\n\
         006C3,Tailspin Toys,,Somewhere,2026-03-05,\n\
         006D4,,tailspin.com,Closed Lost,not a date,\n",
    )
    .unwrap();
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_followscore"))
            .args(["outcomes", "load", "--account", ACCOUNT, "--addr"])
            .arg(format!("http://{}", app.addr))
            .arg(&csv)
            .output()
            .expect("the CLI runs")
    };
    let first = run();
    let out = String::from_utf8_lossy(&first.stdout);
    let err = String::from_utf8_lossy(&first.stderr);
    assert!(first.status.success(), "{out}\n{err}");
    assert!(
        out.contains(
            "5 rows: 2 accepted, 0 duplicates, 1 unmatched (no stored follower), 2 invalid"
        ),
        "{out}\n{err}"
    );
    assert!(err.contains("line 5: type: `Somewhere`"), "{err}");
    assert!(err.contains("line 6: date:"), "{err}");
    assert!(err.contains("line 4: 006B2/lost"), "{err}");
    let second = run();
    let out = String::from_utf8_lossy(&second.stdout);
    assert!(
        out.contains("5 rows: 0 accepted, 2 duplicates, 1 unmatched"),
        "{out}"
    );
    let model = lead_model(&mut app.client).await;
    assert_eq!((model.deals, model.positives), (1, 1));
}
