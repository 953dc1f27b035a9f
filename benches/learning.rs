//! Lead model figures (see BENCHMARKS.md, "Lead model").
//!
//! The deals are 10,000 followers of a synthetic account of the outcome benchmark
//! (`outcome_eval`), with their frozen rule features, outcomes drawn from the account's
//! hidden buyer (won, lost or disqualified 30–120 days after the opportunity), and the
//! exploration share marked as the loop would mark it.
//!
//! - `learning/next_model_10k`: deciding the model in force from 10,000 decided deals: the
//!   labels, the time split, the candidate and its comparison with the rules on the holdout,
//!   and the final fit on every deal (two Platt calibrations, two regressions).
//! - `learning/learned_model_10k`: one regression over every feature on the same deals,
//!   what a promotion adds to `next_model` when the learned model wins.
//! - `learning/assess_rules`, `learning/assess_learned`: a model assessing one follower
//!   (fit, win probability and, for the learned model, its reasons), per follower.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use followscore::engine::learning::{
    DealHistory, LeadModel, LearningMode, LearningPolicy, OutcomeKind, next_model,
    policy::learned_model,
};
use followscore::engine::time::Timestamp;
use followscore::engine::vocabulary::Category;
use followscore::outcome_eval::{WorldSize, account};

const DEALS: usize = 10_000;

fn deals() -> Vec<DealHistory> {
    let world = account(
        11,
        1,
        WorldSize {
            min_followers: 8_000,
            max_followers: 8_001,
        },
    );
    let prospects: Vec<usize> = (0..world.followers.len())
        .filter(|&i| world.followers[i].frozen.category == Category::Prospect)
        .collect();
    (0..DEALS)
        .map(|n| {
            let i = prospects[n % prospects.len()];
            let f = &world.followers[i];
            // Repeated followers get their own draw, so outcomes vary as in a larger account.
            let draw = ((f.draw * 1_000.0 + n as f64 * 0.618_033_988_7) % 1.0).abs();
            let won = draw < world.win_probability(i, false);
            let mut frozen = f.frozen.clone();
            frozen.frozen_at = Timestamp(f.scored_at.0 + n as i64 * 60);
            frozen.explored = n % 20 == 0;
            let opened = Timestamp(frozen.frozen_at.0 + f.opportunity_delay_days * 86_400);
            let decided = Timestamp(opened.0 + f.decision_delay_days * 86_400);
            DealHistory {
                frozen,
                events: vec![
                    (OutcomeKind::OpportunityCreated, opened),
                    (
                        if won {
                            OutcomeKind::Won
                        } else {
                            OutcomeKind::Lost
                        },
                        decided,
                    ),
                ],
            }
        })
        .collect()
}

fn bench_learning(c: &mut Criterion) {
    let deals = deals();
    let policy = LearningPolicy::default();
    let now = Timestamp(1_900_000_000);
    let positives = deals
        .iter()
        .filter(|d| d.events.last().is_some_and(|(k, _)| *k == OutcomeKind::Won))
        .count();
    let model = next_model(
        &LeadModel::rules(),
        &deals,
        &LearningMode::Automatic,
        None,
        &policy,
        now,
    );
    eprintln!(
        "{} deals, {positives} won: {} — {}",
        deals.len(),
        model.source(),
        model.decision
    );

    let mut group = c.benchmark_group("learning");
    group.sample_size(10);
    group.bench_function("next_model_10k", |b| {
        b.iter(|| {
            next_model(
                &LeadModel::rules(),
                &deals,
                &LearningMode::Automatic,
                None,
                &policy,
                now,
            )
        })
    });
    group.finish();

    let mut group = c.benchmark_group("learning");
    group.sample_size(10);
    group.bench_function("learned_model_10k", |b| {
        b.iter(|| learned_model(&deals, &policy, now))
    });
    group.finish();

    let learned = learned_model(&deals, &policy, now);
    let mut group = c.benchmark_group("learning");
    group.throughput(Throughput::Elements(deals.len() as u64));
    for (name, model) in [("assess_rules", &model), ("assess_learned", &learned)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                deals
                    .iter()
                    .map(|d| {
                        model
                            .assess(&d.frozen.features, d.frozen.rule_fit_score)
                            .win_probability
                    })
                    .sum::<f64>()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_learning);
criterion_main!(benches);
