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
    let (_dir, store) = app.stop_and_open_store().await;
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

/// The synthetic world of OUTCOMES.md: account 1 of seed 7 has a wrong typed ICP.
const WORLD_SEED: u64 = 7;
const WRONG_ICP_ACCOUNT: usize = 1;
const WORLD_FOLLOWERS: usize = 40_000;

fn wire_kind(kind: followscore::engine::learning::OutcomeKind) -> i32 {
    use followscore::engine::learning::OutcomeKind;
    (match kind {
        OutcomeKind::OpportunityCreated => pb::OutcomeType::OpportunityCreated,
        OutcomeKind::Won => pb::OutcomeType::Won,
        OutcomeKind::Lost => pb::OutcomeType::Lost,
        OutcomeKind::Disqualified => pb::OutcomeType::Disqualified,
        OutcomeKind::Reopened => pb::OutcomeType::Reopened,
    }) as i32
}

async fn record_for(
    client: &mut Client,
    account: &str,
    outcomes: Vec<pb::Outcome>,
) -> pb::LeadModel {
    let mut model = None;
    for batch in outcomes.chunks(1_000) {
        let answer = client
            .record_outcomes(pb::RecordOutcomesRequest {
                account_id: account.into(),
                outcomes: batch.to_vec(),
            })
            .await
            .expect("record outcomes")
            .into_inner();
        let refused = answer.items.iter().find(|i| i.status != "accepted");
        assert_eq!(answer.invalid + answer.unmatched, 0, "{refused:?}");
        model = answer.model;
    }
    model.expect("a model")
}

fn follower_outcome(
    id: &str,
    kind: followscore::engine::learning::OutcomeKind,
    at: followscore::engine::time::Timestamp,
) -> pb::Outcome {
    pb::Outcome {
        outcome_id: format!("{id}/{}", kind.as_str()),
        subject: Some(pb::outcome::Subject::Follower(pb::OutcomeFollower {
            platform: pb::Platform::Linkedin as i32,
            follower_id: id.into(),
        })),
        r#type: wire_kind(kind),
        occurred_at: Some(prost_types::Timestamp {
            seconds: at.unix_seconds(),
            nanos: 0,
        }),
        amount: None,
        crm_reference: String::new(),
    }
}

async fn set_mode(
    client: &mut Client,
    account: &str,
    mode: pb::LearningMode,
    pinned: u64,
) -> pb::LeadModel {
    client
        .set_learning_mode(pb::SetLearningModeRequest {
            account_id: account.into(),
            mode: mode as i32,
            pinned_version: pinned,
        })
        .await
        .expect("set learning mode")
        .into_inner()
}

/// Waits (bounded) until the background pass has rescored every stored result.
async fn rescored(client: &mut Client, account: &str) -> pb::NetworkQualityReport {
    for _ in 0..600 {
        let report = report_of(client, account).await;
        if report.stale_results == 0 {
            return report;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("results still stale after two minutes");
}

async fn top_leads(client: &mut Client, account: &str) -> Vec<pb::FollowerResult> {
    client
        .list_followers(pb::ListFollowersRequest {
            account_id: account.into(),
            page_size: 50,
            category: pb::Category::Prospect as i32,
            ..Default::default()
        })
        .await
        .expect("list followers")
        .into_inner()
        .results
}

/// A whole account's life: followers scored, their deals' outcomes recorded in time order;
/// the model is promoted over the wrong typed ICP, explains itself in results, can be pinned
/// to the rules and back, and falls back to the rules by itself when later outcomes follow
/// the typed ICP after all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lead_model_learns_promotes_explains_itself_is_pinned_and_falls_back() {
    use followscore::engine::learning::OutcomeKind;
    use followscore::grpc::convert;
    use followscore::outcome_eval::generator::{self, Kind, WorldSize};
    use tokio_stream::StreamExt as _;

    let world = generator::account_outcomes(WORLD_SEED, WRONG_ICP_ACCOUNT, WORLD_FOLLOWERS);
    let account = world.config.account_id.as_str().to_owned();
    let mut app = spawn_app().await;
    upsert(&mut app.client, convert::wire_account(&world.config)).await;
    for chunk in world.profiles.chunks(1_000) {
        let requests: Vec<_> = chunk
            .iter()
            .map(|p| pb::ClassifyFollowersRequest {
                account_id: account.clone(),
                profile: Some(convert::wire_profile(p)),
                correlation_id: String::new(),
            })
            .collect();
        let mut answers = app
            .client
            .classify_followers(tokio_stream::iter(requests))
            .await
            .unwrap()
            .into_inner();
        while let Some(answer) = answers.next().await {
            assert!(matches!(
                answer.unwrap().outcome,
                Some(pb::classify_followers_response::Outcome::Result(_))
            ));
        }
    }
    // The engagement of the followers with a deal (what their frozen features read).
    let dealt: std::collections::HashSet<_> =
        world.events.iter().map(|(id, _, _)| id.clone()).collect();
    for (profile, ledger) in world.profiles.iter().zip(&world.engagement) {
        if ledger.is_empty() || !dealt.contains(&profile.key.id) {
            continue;
        }
        let events = ledger
            .iter()
            .enumerate()
            .map(|(n, entry)| pb::EngagementEvent {
                event_id: format!("e{n}"),
                r#type: entry.kind.index() as i32 + 1,
                occurred_at: Some(prost_types::Timestamp {
                    seconds: entry.occurred_at.unix_seconds(),
                    nanos: 0,
                }),
            })
            .collect();
        app.client
            .record_engagement(pb::RecordEngagementRequest {
                account_id: account.clone(),
                platform: profile.key.platform.index() as i32 + 1,
                follower_id: profile.key.id.as_str().into(),
                events,
            })
            .await
            .expect("record engagement");
    }
    let outcomes: Vec<_> = world
        .events
        .iter()
        .map(|(id, kind, at)| follower_outcome(id.as_str(), *kind, *at))
        .collect();
    let learned = record_for(&mut app.client, &account, outcomes).await;
    eprintln!(
        "{} deals, {} won: {} (version {}): {}",
        learned.deals, learned.positives, learned.source, learned.version, learned.decision
    );
    assert_eq!(
        learned.source,
        pb::FitSource::Learned as i32,
        "{}",
        learned.decision
    );
    let evaluation = learned.evaluation.expect("an evaluation");
    let (auc_learned, auc_rules) = (
        evaluation.learned.unwrap().auc.unwrap(),
        evaluation.rules.unwrap().auc.unwrap(),
    );
    assert!(auc_learned > auc_rules, "{auc_learned} against {auc_rules}");
    assert!(learned.positives >= 120);
    assert_eq!(
        learned.weights.len(),
        followscore::engine::learning::FEATURE_COUNT
    );

    // Every stored result is rescored under the learned model and explains itself.
    let report = rescored(&mut app.client, &account).await;
    assert!(
        report
            .model_version
            .ends_with(&format!("+lead-{}", learned.version))
    );
    assert!(report.expected_pipeline > 0.0);
    let leads = top_leads(&mut app.client, &account).await;
    assert!(!leads.is_empty());
    for lead in &leads {
        assert_eq!(lead.fit_source, pb::FitSource::Learned as i32);
        assert!(lead.win_probability > 0.0 && lead.win_probability < 1.0);
        assert!(
            lead.reasons.iter().any(|r| r.code.starts_with("learned_")),
            "{:?}",
            lead.reasons
        );
    }

    // Pinned to the rules, then back to the learned version.
    let rules_only = set_mode(&mut app.client, &account, pb::LearningMode::RulesOnly, 0).await;
    assert_eq!(rules_only.source, pb::FitSource::Rules as i32);
    assert_eq!(rules_only.version, learned.version + 1);
    rescored(&mut app.client, &account).await;
    let leads = top_leads(&mut app.client, &account).await;
    assert!(
        leads
            .iter()
            .all(|l| l.fit_source == pb::FitSource::Rules as i32)
    );
    let pinned = set_mode(
        &mut app.client,
        &account,
        pb::LearningMode::Pinned,
        learned.version,
    )
    .await;
    assert_eq!(pinned.source, pb::FitSource::Learned as i32);
    assert_eq!(pinned.weights, learned.weights);
    let automatic = set_mode(&mut app.client, &account, pb::LearningMode::Automatic, 0).await;
    assert_eq!(automatic.mode, pb::LearningMode::Automatic as i32);

    // The buyers shift to the typed ICP: outcomes of followers without a deal yet, decided
    // after everything above, follow the rules. The model in force falls back by itself.
    let synthetic = generator::account(
        WORLD_SEED,
        WRONG_ICP_ACCOUNT,
        WorldSize {
            min_followers: WORLD_FOLLOWERS,
            max_followers: WORLD_FOLLOWERS + 1,
        },
    );
    let last = world.events.iter().map(|(_, _, at)| *at).max().unwrap();
    let mut shifted = Vec::new();
    for (i, follower) in synthetic.followers.iter().enumerate() {
        if follower.kind != Kind::Professional || dealt.contains(&follower.profile.key.id) {
            continue;
        }
        if shifted.len() >= 6_000 {
            break;
        }
        let id = follower.profile.key.id.as_str();
        let won = follower.draw < synthetic.win_probability(i, true);
        // Within a day after the last outcome, so never in the server's future.
        let opened = followscore::engine::time::Timestamp(last.unix_seconds() + 60);
        let decided =
            followscore::engine::time::Timestamp(last.unix_seconds() + 3_600 * (1 + i as i64 % 20));
        shifted.push(follower_outcome(
            id,
            OutcomeKind::OpportunityCreated,
            opened,
        ));
        shifted.push(follower_outcome(
            id,
            if won {
                OutcomeKind::Won
            } else {
                OutcomeKind::Lost
            },
            decided,
        ));
    }
    let fallen = record_for(&mut app.client, &account, shifted).await;
    eprintln!(
        "after the shift: {} (version {}): {}",
        fallen.source, fallen.version, fallen.decision
    );
    assert_eq!(
        fallen.source,
        pb::FitSource::Rules as i32,
        "{}",
        fallen.decision
    );
    assert!(fallen.version > automatic.version);
}
