//! `followscore eval-outcomes`: the synthetic outcome benchmark of OUTCOMES.md. Generates
//! `--accounts` invented accounts from `--seed`, runs each as a closed loop with the lead
//! model's policy, and prints per-account and pooled figures with bootstrap 95% intervals:
//! time-split ROC AUC and PR AUC (rules, the model in force, the learned model alone),
//! top-decile lift, Brier, expected calibration error, the learning curve at 20/50/120/500
//! won deals, the drift reaction, and each target met or not. The last line is one JSON
//! object for scripts. Engine only: no server, no store.

use std::fmt::Write as _;

use crate::engine::learning::{FitSource, LearningPolicy};
use crate::outcome_eval::benchmark::{AccountFigures, CURVE, bootstrap};
use crate::outcome_eval::{WorldSize, account, measure};

#[derive(Debug, Clone, clap::Args)]
pub struct EvalOutcomesArgs {
    /// Number of synthetic accounts (every fourth has a right typed ICP).
    #[arg(long, default_value_t = 16)]
    pub accounts: usize,
    /// Seed of the synthetic world.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Fewest followers per account.
    #[arg(long, default_value_t = 40_000)]
    pub min_followers: usize,
    /// Most followers per account.
    #[arg(long, default_value_t = 250_000)]
    pub max_followers: usize,
    /// Also print the policy's decision sentence at every change of source.
    #[arg(long)]
    pub decisions: bool,
}

fn f(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.3}")
    } else {
        "n/a".to_owned()
    }
}

fn mean(values: &[f64]) -> f64 {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.is_empty() {
        f64::NAN
    } else {
        finite.iter().sum::<f64>() / finite.len() as f64
    }
}

/// "mean [low, high]" over accounts, the interval by resampling accounts.
fn pooled(values: &[f64], seed: u64) -> (f64, f64, f64) {
    let m = mean(values);
    let (lo, hi) = bootstrap(values.len(), seed, |s| {
        mean(&s.iter().map(|&i| values[i]).collect::<Vec<_>>())
    });
    (m, lo, hi)
}

fn show((m, lo, hi): (f64, f64, f64)) -> String {
    format!("{} [{}, {}]", f(m), f(lo), f(hi))
}

/// Which accounts a pooled group takes.
type GroupFilter = dyn Fn(&AccountFigures) -> bool;

pub fn eval_outcomes(args: &EvalOutcomesArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.accounts > 0, "--accounts must be at least 1");
    anyhow::ensure!(
        args.min_followers > 0 && args.max_followers >= args.min_followers,
        "--min-followers must be at least 1 and at most --max-followers"
    );
    let policy = LearningPolicy::default();
    let size = WorldSize {
        min_followers: args.min_followers,
        max_followers: args.max_followers,
    };
    println!(
        "outcome benchmark: {} accounts, seed {}, {}–{} followers each",
        args.accounts, args.seed, args.min_followers, args.max_followers
    );
    println!(
        "acct icp      base  followers  train(won)   test(won)  in-force  AUC rules/force/learned/oracle  ΔAUC force−rules [95%]   PR AUC r/f/l         lift r/f/l/oracle     Brier f  ECE f"
    );
    let mut all: Vec<AccountFigures> = Vec::new();
    for index in 0..args.accounts {
        let world = account(args.seed, index, size);
        let m = measure(&world, &policy, args.seed);
        println!(
            "{:>4} {:<8} {:>4.1}% {:>9} {:>6}({:>4}) {:>6}({:>4})  {:<8}  {}/{}/{}/{}  {:+.3} [{:+.3}, {:+.3}]  {}/{}/{}  {:.1}/{:.1}/{:.1}/{:.1}  {}    {}",
            m.index,
            if m.right_icp {
                "right".to_owned()
            } else {
                format!("miss {}", m.misses)
            },
            m.base_rate * 100.0,
            m.followers,
            m.train_deals,
            m.train_positives,
            m.test_size,
            m.test_positives,
            m.policy_source.as_str(),
            f(m.rules.auc),
            f(m.policy.auc),
            f(m.learned.auc),
            f(m.oracle.auc),
            m.policy.auc - m.rules.auc,
            m.delta_auc_95.0,
            m.delta_auc_95.1,
            f(m.rules.pr_auc),
            f(m.policy.pr_auc),
            f(m.learned.pr_auc),
            m.rules.lift,
            m.policy.lift,
            m.learned.lift,
            m.oracle.lift,
            f(m.policy.brier),
            f(m.policy.ece),
        );
        let changes: Vec<String> = m
            .sources
            .iter()
            .map(|(day, s, _)| format!("{}@{day}", s.as_str()))
            .collect();
        println!("       sources by day: {}", changes.join(" "));
        if args.decisions {
            for (day, _, decision) in &m.sources {
                println!("         day {day}: {decision}");
            }
        }
        all.push(m);
    }

    let mut out = String::new();
    let groups: [(&str, Box<GroupFilter>); 3] = [
        (
            "wrong ICP, ≥120 won deals",
            Box::new(|m: &AccountFigures| !m.right_icp && m.train_positives >= 120),
        ),
        ("right ICP", Box::new(|m: &AccountFigures| m.right_icp)),
        ("all accounts", Box::new(|_: &AccountFigures| true)),
    ];
    let mut json = serde_json::Map::new();
    for (g, (name, keep)) in groups.iter().enumerate() {
        let members: Vec<&AccountFigures> = all.iter().filter(|m| keep(m)).collect();
        let seed = args.seed ^ (g as u64 + 1);
        let series = |pick: &dyn Fn(&AccountFigures) -> f64| -> Vec<f64> {
            members.iter().map(|m| pick(m)).collect()
        };
        let delta = pooled(&series(&|m| m.policy.auc - m.rules.auc), seed);
        let delta_learned = pooled(&series(&|m| m.learned.auc - m.rules.auc), seed);
        let delta_pr = pooled(&series(&|m| m.policy.pr_auc - m.rules.pr_auc), seed);
        let lift = pooled(&series(&|m| m.policy.lift), seed);
        let lift_rules = pooled(&series(&|m| m.rules.lift), seed);
        let lift_oracle = pooled(&series(&|m| m.oracle.lift), seed);
        let delta_oracle = pooled(&series(&|m| m.oracle.auc - m.rules.auc), seed);
        let brier = pooled(&series(&|m| m.policy.brier), seed);
        let ece = pooled(&series(&|m| m.policy.ece), seed);
        let worst = series(&|m| m.policy.auc - m.rules.auc)
            .into_iter()
            .fold(f64::INFINITY, f64::min);
        let _ = writeln!(out, "\npooled — {name} ({} accounts):", members.len());
        let _ = writeln!(out, "  ΔAUC in force − rules   {}", show(delta));
        let _ = writeln!(out, "  ΔAUC learned − rules    {}", show(delta_learned));
        let _ = writeln!(out, "  ΔAUC oracle − rules     {}", show(delta_oracle));
        let _ = writeln!(out, "  ΔPR AUC in force − rules {}", show(delta_pr));
        let _ = writeln!(
            out,
            "  top-decile lift in force {}  (rules {}, oracle {})",
            show(lift),
            show(lift_rules),
            show(lift_oracle)
        );
        let _ = writeln!(out, "  Brier in force          {}", show(brier));
        let _ = writeln!(out, "  ECE in force            {}", show(ece));
        let _ = writeln!(out, "  worst account ΔAUC      {}", f(worst));
        let key = ["wrong_120", "right", "all"][g];
        json.insert(
            key.to_owned(),
            serde_json::json!({
                "accounts": members.len(),
                "delta_auc": delta.0,
                "delta_auc_low": delta.1,
                "delta_auc_learned": delta_learned.0,
                "lift": lift.0,
                "lift_oracle": lift_oracle.0,
                "ece": ece.0,
                "brier": brier.0,
                "worst_delta_auc": worst,
            }),
        );
    }
    print!("{out}");

    println!("\nlearning curve (test quarter ROC AUC; mean over accounts that reached the count):");
    println!(
        "  won deals  group   accounts  rules   in force  learned  Δ in force  Δ learned  sources in force"
    );
    for (k_index, k) in CURVE.iter().enumerate() {
        for (label, right) in [("wrong", false), ("right", true)] {
            let points: Vec<_> = all
                .iter()
                .filter(|m| m.right_icp == right)
                .filter_map(|m| {
                    let p = m.curve[k_index];
                    Some((
                        p.rules_auc?,
                        p.policy_auc?,
                        p.learned_auc?,
                        p.policy_source?,
                    ))
                })
                .collect();
            let r = mean(&points.iter().map(|p| p.0).collect::<Vec<_>>());
            let pf = mean(&points.iter().map(|p| p.1).collect::<Vec<_>>());
            let l = mean(&points.iter().map(|p| p.2).collect::<Vec<_>>());
            let count = |s: FitSource| points.iter().filter(|p| p.3 == s).count();
            println!(
                "  {k:>9}  {label:<6}  {:>8}  {}   {}    {}   {:+.3}      {:+.3}     rules {} / blend {} / learned {}",
                points.len(),
                f(r),
                f(pf),
                f(l),
                pf - r,
                l - r,
                count(FitSource::Rules),
                count(FitSource::Blend),
                count(FitSource::Learned),
            );
        }
    }

    println!(
        "\ndrift: the buyer shifts at day {} (a wrong ICP's market comes round to the typed ICP; a right one narrows):",
        crate::outcome_eval::generator::TIMELINE_DAYS * 55 / 100
    );
    let mut reactions = Vec::new();
    for m in &all {
        if let Some(d) = &m.drift {
            println!(
                "  account {:>3} ({}): {} at the shift → {}",
                m.index,
                if m.right_icp { "right" } else { "wrong" },
                d.source_at_shift.as_str(),
                match (d.outcomes_until, d.days_until) {
                    (Some(n), Some(days)) => format!(
                        "rules back after {n} post-shift outcomes ({days} days): {}",
                        d.decision
                    ),
                    _ => d.decision.clone(),
                }
            );
            if let Some(n) = d.outcomes_until {
                reactions.push(n as f64);
            }
        }
    }
    let mut sorted = reactions.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted.get(sorted.len() / 2).copied().unwrap_or(f64::NAN);
    println!(
        "  reacted in {} runs; median {} post-shift outcomes",
        reactions.len(),
        f(median)
    );
    json.insert(
        "drift_median_outcomes".to_owned(),
        serde_json::json!(median),
    );
    json.insert(
        "drift_reactions".to_owned(),
        serde_json::json!(reactions.len()),
    );

    let wrong = &json["wrong_120"];
    let right = &json["right"];
    let all_ece = json["all"]["ece"].as_f64().unwrap_or(f64::NAN);
    let d = wrong["delta_auc"].as_f64().unwrap_or(f64::NAN);
    let lift = wrong["lift"].as_f64().unwrap_or(f64::NAN);
    let worst_right = right["worst_delta_auc"].as_f64().unwrap_or(f64::NAN);
    println!("\ntargets:");
    println!(
        "  wrong ICP, ≥120 won: ΔAUC ≥ 0.05 — {} ({})",
        if d >= 0.05 { "met" } else { "NOT met" },
        f(d)
    );
    println!(
        "  wrong ICP, ≥120 won: top-decile lift ≥ 3 — {} ({})",
        if lift >= 3.0 { "met" } else { "NOT met" },
        f(lift)
    );
    println!(
        "  right ICP: no account more than 0.01 below the rules — {} (worst {})",
        if worst_right >= -0.01 {
            "met"
        } else {
            "NOT met"
        },
        f(worst_right)
    );
    println!(
        "  ECE ≤ 0.03 — {} (mean {})",
        if all_ece <= 0.03 { "met" } else { "NOT met" },
        f(all_ece)
    );
    println!("{}", serde_json::Value::Object(json));
    Ok(())
}
