//! Scoring one follower: the pipeline from a profile (plus its engagement and any override)
//! to a `FollowerResult`. Pure: the same inputs always give the same result.
//!
//! The rules give the fit; the account's lead model (`ctx.lead_model`, see `learning/`)
//! then assesses the rules' features and may replace the fit score with a blended or
//! learned one, from which grade, tier, lead score and actions follow as before. Under the
//! rules model the result is the rules' alone, plus a calibrated win probability.

use super::bot;
use super::context::{ScoringContext, normalize_handle};
use super::deciding::actions::actions_for;
use super::deciding::category::{self, CategoryInputs};
use super::deciding::confidence::{confidence, missing_fields};
use super::deciding::engagement::{self, EngagementSummary};
use super::deciding::fit::{self, FitInputs, round2};
use super::deciding::tier;
use super::learning::features::{self as learning_features, FeatureVector, RuleView};
use super::learning::{LearningPolicy, explores};
use super::profile::FollowerProfile;
use super::reading::company_match::CompanyMatch;
use super::reading::geo;
use super::reading::signals::{TextSignals, read_signals};
use super::reading::text::{ReadText, joined_tokens, tokenize, words};
use super::reading::title::{ParsedTitle, read_title};
use super::reasons::{Reason, Wording};
use super::result::{CategoryOverride, FollowerResult};
use super::time::Timestamp;
use super::vocabulary::{Action, LeadTier};

/// Bot reasons kept in a result: the signals that moved the probability most.
pub const MAX_BOT_REASONS: usize = 3;

/// Scores `profile` for the account of `ctx` as of `now`.
pub fn score(
    ctx: &ScoringContext,
    profile: &FollowerProfile,
    engagement: &EngagementSummary,
    category_override: Option<&CategoryOverride>,
    now: Timestamp,
) -> FollowerResult {
    score_with_features(ctx, profile, engagement, category_override, now).result
}

/// [`score`] without the explanation: the same result with no `reasons` and no
/// `missing_fields`, which is what the store keeps (it re-derives the explanation on
/// read). For a write nobody reads the answer of, such as a rescoring pass: the bot model
/// skips the per-feature contributions behind its reasons, and no sentence is worded here.
pub fn score_unexplained(
    ctx: &ScoringContext,
    profile: &FollowerProfile,
    engagement: &EngagementSummary,
    category_override: Option<&CategoryOverride>,
    now: Timestamp,
) -> FollowerResult {
    scored(
        ctx,
        profile,
        engagement,
        category_override,
        now,
        Detail::Unexplained,
        None,
    )
    .result
}

/// [`score_unexplained`] of a follower whose stored result `previous` was scored from
/// this very profile: a rescoring pass over the store. When the bot model, the account's
/// bot prior and what the moment means to the model are as they were, the bot probability
/// is carried over from `previous` instead of assessed again (over a quarter of a
/// rescoring pass's instructions); the result is the same as [`score_unexplained`]'s to the last bit.
pub fn rescore_unexplained(
    ctx: &ScoringContext,
    profile: &FollowerProfile,
    engagement: &EngagementSummary,
    category_override: Option<&CategoryOverride>,
    now: Timestamp,
    previous: &FollowerResult,
) -> FollowerResult {
    let carried = carried_bot_probability(ctx, profile, previous, now);
    scored(
        ctx,
        profile,
        engagement,
        category_override,
        now,
        Detail::Unexplained,
        carried,
    )
    .result
}

/// `previous`'s bot probability, if assessing `profile` now would state it again: the
/// same bot model, a result scored under the account's present bot prior (and not under a
/// configuration newer than this context's), and a model that reads the profile the same
/// at both moments (`BotModel::same_probability_at`).
fn carried_bot_probability(
    ctx: &ScoringContext,
    profile: &FollowerProfile,
    previous: &FollowerResult,
    now: Timestamp,
) -> Option<f64> {
    let config = &ctx.config;
    let carries = ctx.same_bot_model(&previous.model_version)
        && (config.bot_prior_since..=config.config_version).contains(&previous.config_version)
        && ctx.bot_model.same_probability_at(
            profile,
            profile.observed_at.unwrap_or(previous.scored_at),
            profile.observed_at.unwrap_or(now),
        );
    carries.then_some(previous.bot_probability)
}

/// Whether a result is worded for a reader or kept as the store keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detail {
    Explained,
    Unexplained,
}

/// A result with the rules' view the lead model assessed.
pub struct ScoredWithFeatures {
    pub result: FollowerResult,
    /// The features as the rules computed them (whatever model is in force).
    pub features: FeatureVector,
    pub rule_fit_score: u8,
}

/// [`score`], also returning the features and the rule fit score (`learning::freeze`).
pub fn score_with_features(
    ctx: &ScoringContext,
    profile: &FollowerProfile,
    engagement: &EngagementSummary,
    category_override: Option<&CategoryOverride>,
    now: Timestamp,
) -> ScoredWithFeatures {
    scored(
        ctx,
        profile,
        engagement,
        category_override,
        now,
        Detail::Explained,
        None,
    )
}

fn scored(
    ctx: &ScoringContext,
    profile: &FollowerProfile,
    engagement: &EngagementSummary,
    category_override: Option<&CategoryOverride>,
    now: Timestamp,
    detail: Detail,
    carried_bot_probability: Option<f64>,
) -> ScoredWithFeatures {
    let explained = detail == Detail::Explained;
    let wording = if explained {
        Wording::Worded
    } else {
        Wording::Unworded
    };
    let settings = &ctx.config.settings;

    // Headline, title and bio, each folded once for every reader: titles, phrase signals
    // and company matching.
    let raw_texts = [
        profile.headline.as_deref(),
        profile.title.as_deref(),
        profile.bio.as_deref(),
    ];
    let folded = raw_texts.map(|text| text.map(tokenize));
    let tokens = folded
        .each_ref()
        .map(|folded| folded.as_deref().map(words).unwrap_or_default());
    let texts: [Option<ReadText>; 3] = std::array::from_fn(|i| {
        raw_texts[i].map(|raw| ReadText {
            raw,
            tokens: &tokens[i],
        })
    });
    let [headline, title_text, _] = texts;

    // Role: the explicit title first, the headline when the title says nothing.
    let mut title = title_text
        .map(|text| read_title(text.tokens))
        .unwrap_or_default();
    if title.seniority.is_none()
        && title.departments.is_empty()
        && let Some(headline) = headline
    {
        title = read_title(headline.tokens);
    }

    // The phrase signals (and the LinkedIn bot estimate's phrase list) read the three
    // fields as one text; a segment between them keeps a phrase from spanning two.
    let text_tokens = joined_tokens(&texts);
    let signals = read_signals(&text_tokens);
    let employment = employment(ctx, profile, &texts, &title, &signals);
    // The ICP's title keywords are matched in the text as written, lower-cased; an ICP
    // without title keywords reads no such text.
    let keyword_text = if ctx.title_keywords.is_empty() {
        String::new()
    } else {
        join_lowercased(&raw_texts)
    };
    let matches = employment.matches;
    let country = profile
        .country
        .as_deref()
        .and_then(geo::country_of)
        .or_else(|| profile.location.as_deref().and_then(geo::country_of));

    let as_of = profile.observed_at.unwrap_or(now);
    let (bot_probability, bot_reasons) = match carried_bot_probability {
        // Only a result nobody reads carries its probability over: a reader gets the
        // bot's reasons, which need the assessment.
        Some(probability) if !explained => (probability, Vec::new()),
        _ => {
            let bot = ctx.bot_model.assess_read(
                profile,
                &text_tokens,
                as_of,
                if explained { MAX_BOT_REASONS } else { 0 },
            );
            // The model states probabilities for its documented share of fakes; an account
            // that expects another share gets them for its own (the evidence's odds carry
            // over).
            let probability = round2_4(match settings.bot_prior {
                Some(prior) => bot::at_prior(bot.probability, ctx.bot_model.prior(), prior),
                None => bot.probability,
            });
            (probability, bot.reasons)
        }
    };

    let fit = fit::fit(
        ctx,
        &FitInputs {
            profile,
            title: &title,
            matches: &matches,
            country,
            keyword_text: &keyword_text,
            wording,
        },
    );
    let points = engagement::decay_to(engagement, settings, now);
    let level = engagement::level(points, &settings.level_cutoffs);

    // Most accounts list no influencers: then no handle is folded to look one up.
    let listed_influencer = !ctx.influencer_handles.is_empty()
        && profile
            .handle
            .as_deref()
            .is_some_and(|h| ctx.influencer_handles.contains(&normalize_handle(h)));
    let decision = category::decide(&CategoryInputs {
        profile,
        bot_probability,
        bot_threshold: ctx.bot_threshold,
        matches: &matches,
        former: &employment.former,
        is_organisation: employment.is_organisation,
        has_employer: employment.has_employer,
        title: &title,
        fit: &fit,
        signals: &signals,
        listed_influencer,
        social_events: engagement.social_events,
        engaged: engagement.counted_events > 0,
        as_of,
        wording,
    });

    let active_override = category_override.filter(|o| o.is_active(now));
    let category = active_override.map_or(decision.primary, |o| o.category);
    let mut secondary_labels = decision.secondary;
    if category != decision.primary {
        secondary_labels.insert(0, decision.primary);
        secondary_labels.retain(|c| *c != category);
    }

    let features = learning_features::extract(&RuleView {
        fit_reasons: &fit.reasons,
        seniority: title.seniority,
        departments: &title.departments,
        company_size: profile.company_size,
        industry_outside: fit.industry_outside,
        region_outside: fit.region_outside,
        category,
        engagement_scale: tier::engagement_scale(points, settings.level_cutoffs.level1),
    });
    let assessment = ctx.lead_model.assess(&features, fit.score);
    let excluded = settings.excluded.contains(category);
    let fit_score = assessment.fit_score;
    let grade = tier::grade(fit_score, &settings.grade_cutoffs);
    let lead_tier = if category.is_lead() {
        tier::tier(grade, level)
    } else {
        LeadTier::NotALead
    };
    // Excluded followers are never leads: a competitor's VP must not sort above a prospect.
    let lead_score = if excluded {
        0
    } else {
        tier::lead_score(fit_score, points, settings.level_cutoffs.level1)
    };
    let exploration = LearningPolicy {
        exploration_share: ctx.lead_model.exploration_share,
        ..LearningPolicy::default()
    };
    let explored = explores(&profile.key, lead_tier, category, &exploration);
    let mut actions = actions_for(category, lead_tier);
    if explored {
        // Sales works an explored prospect like a routed one; its tier stays what it is.
        for action in &mut actions {
            if *action == Action::Nurture {
                *action = Action::RouteToSales;
            }
        }
    }

    let reasons = if explained {
        explanation(Worded {
            override_: active_override,
            decision: decision.reasons,
            fit: fit.reasons,
            lead_model: assessment.reasons,
            exploration_share: explored.then_some(exploration.exploration_share),
            counted_events: engagement.counted_events,
            points,
            level,
            bot: bot_reasons,
        })
    } else {
        Vec::new()
    };

    let company_found = !matches.is_empty();
    let confidence = confidence(profile, company_found);
    let missing_fields = if explained {
        missing_fields(profile, company_found)
    } else {
        Vec::new()
    };
    let (matched_company, matched_list) = match decision.deciding_match {
        Some(m) => (Some(m.company), Some(m.list)),
        None => (None, None),
    };

    let result = FollowerResult {
        key: profile.key.clone(),
        category,
        computed_category: decision.primary,
        secondary_labels,
        bot_probability,
        fit_score,
        fit_grade: grade,
        engagement_points: round2(points),
        engagement_level: level,
        lead_tier,
        lead_score,
        actions,
        reasons,
        seniority: title.seniority,
        department: title.departments.first().copied(),
        matched_company,
        matched_list,
        confidence,
        missing_fields,
        scored_at: now,
        model_version: ctx.model_version.to_string(),
        config_version: ctx.config.config_version,
        category_override: category_override.cloned(),
        followed_at: profile.followed_at,
        unfollowed_at: profile.unfollowed_at,
        last_engaged_at: engagement.last_engaged_at,
        win_probability: if excluded {
            0.0
        } else {
            assessment.win_probability
        },
        fit_source: assessment.source,
        explored,
    };
    ScoredWithFeatures {
        result,
        features,
        rule_fit_score: fit.score,
    }
}

/// The parts of a result's explanation, as scoring found them.
struct Worded<'a> {
    override_: Option<&'a CategoryOverride>,
    decision: Vec<Reason>,
    fit: Vec<Reason>,
    lead_model: Vec<Reason>,
    /// The share of lower-tier prospects routed at random, when this one was.
    exploration_share: Option<f64>,
    counted_events: u32,
    points: f64,
    level: u8,
    bot: Vec<Reason>,
}

/// A result's reasons, in the order callers read them: a manual override first, then the
/// category decision, fit, lead model, exploration, engagement and bot signals. Worded only
/// for a result someone reads (`Detail::Explained`).
fn explanation(worded: Worded<'_>) -> Vec<Reason> {
    let mut reasons = Vec::new();
    if let Some(o) = worded.override_ {
        reasons.push(Reason::new(
            "manual_override",
            format!(
                "Set to {} by {}: {}",
                o.category,
                if o.set_by.is_empty() {
                    "a user"
                } else {
                    &o.set_by
                },
                if o.reason.is_empty() {
                    "no reason given"
                } else {
                    &o.reason
                }
            ),
            0.0,
        ));
    }
    reasons.extend(worded.decision);
    reasons.extend(worded.fit);
    reasons.extend(worded.lead_model);
    if let Some(share) = worded.exploration_share {
        reasons.push(Reason::new(
            "exploration_route",
            format!(
                "Routed to sales at random ({:.0}% of lower-tier prospects), so outcomes teach the lead model beyond the top tiers",
                share * 100.0
            ),
            0.0,
        ));
    }
    if worded.points > 0.0 {
        reasons.push(Reason::new(
            "engagement_points",
            format!(
                "{} engagement events, worth {:.1} points today (level {})",
                worded.counted_events, worded.points, worded.level
            ),
            round2(worded.points),
        ));
    }
    reasons.extend(worded.bot);
    reasons
}

/// Where the follower works, read once from the whole profile.
struct Employment {
    /// The lists the current employer (or the organisation itself) is on.
    matches: Vec<CompanyMatch>,
    /// Listed companies named as past employers.
    former: Vec<CompanyMatch>,
    /// An organisation's own account rather than a person's.
    is_organisation: bool,
    /// A current employer, listed or not.
    has_employer: bool,
}

fn employment(
    ctx: &ScoringContext,
    profile: &FollowerProfile,
    texts: &[Option<ReadText>],
    title: &ParsedTitle,
    signals: &TextSignals,
) -> Employment {
    let found = ctx.companies.lookup_read(
        profile.company.as_deref(),
        profile.company_domain.as_deref(),
        profile.url.as_deref(),
        texts,
    );
    let mut matches = found.current;
    // An organisation's own account names itself: a company page, or an X account whose
    // name or handle is a listed company ("@KronwerkHQ") or carries a legal form.
    let own = ctx
        .companies
        .own_account(profile.display_name.as_deref(), profile.handle.as_deref());
    let is_organisation = profile.flags.is_organization == Some(true)
        || !own.listed.is_empty()
        || own.legal_form_in_name
        || found.says_official_account;
    for m in own.listed {
        if !matches.iter().any(|have| have.list == m.list) {
            matches.push(m);
        }
    }
    // Named somewhere, or a current role with nothing saying the person is between jobs,
    // studying or retired (most people write a title and nothing else).
    let has_employer = !matches.is_empty()
        || profile.company.is_some()
        || profile.company_domain.is_some()
        || profile.industry.is_some()
        || profile.company_size.is_some()
        || found.names_an_employer
        || (title.seniority.is_some()
            && profile.flags.open_to_work != Some(true)
            && signals.job_seeking.is_none()
            && signals.student_or_graduate.is_none()
            && !found.says_retired);
    Employment {
        matches,
        former: found.former,
        is_organisation,
        has_employer,
    }
}

/// The texts joined with a separator no keyword spans, lower-cased.
fn join_lowercased(texts: &[Option<&str>]) -> String {
    let mut joined = String::with_capacity(texts.iter().flatten().map(|t| t.len() + 3).sum());
    for text in texts.iter().flatten() {
        if !joined.is_empty() {
            joined.push_str(" | ");
        }
        if text.is_ascii() {
            let start = joined.len();
            joined.push_str(text);
            joined[start..].make_ascii_lowercase();
        } else {
            joined.push_str(&text.to_lowercase());
        }
    }
    joined
}

/// Probabilities are reported to four decimals: more digits promise precision the model
/// does not have, and stable digits keep stored results comparable.
fn round2_4(p: f64) -> f64 {
    (p.clamp(0.0, 1.0) * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::engine::account::{AccountConfig, CompanySet};
    use crate::engine::bot::shipped_model;
    use crate::engine::ids::{AccountId, FollowerId, FollowerKey};
    use crate::engine::vocabulary::{Category, Platform, Seniority};

    const NOW: Timestamp = Timestamp(1_795_000_000);

    fn context() -> ScoringContext {
        let set = |names: &[&str]| CompanySet {
            names: names.iter().map(|s| s.to_string()).collect(),
            domains: Vec::new(),
        };
        let mut config = AccountConfig::new(AccountId::parse("northwind").unwrap());
        config.own_company = set(&["Northwind Analytics"]);
        config.customers = set(&["Contoso Retail Group"]);
        config.partners = set(&["Adatum Consulting"]);
        config.vendors = set(&["PixelForge Agency"]);
        config.competitors = set(&["Datawise Labs"]);
        config.target_accounts = set(&["Tailspin Toys"]);
        config.analyst_firms = set(&["Gartner"]);
        config.icp.industries = vec!["Retail".into()];
        config.icp.min_seniority = Some(Seniority::Director);
        config.config_version = 1;
        ScoringContext::new(Arc::new(config), shipped_model())
    }

    fn linkedin(id: &str, headline: &str) -> FollowerProfile {
        let mut p = FollowerProfile::new(FollowerKey {
            platform: Platform::LinkedIn,
            id: FollowerId::parse(id).unwrap(),
        });
        p.headline = Some(headline.to_owned());
        p.flags.has_photo = Some(true);
        p.counts.connections = Some(500);
        p.location = Some("Berlin, Germany".into());
        p
    }

    /// Profiles as people write them → category and secondary labels.
    #[test]
    fn categories_from_real_looking_headlines() {
        let ctx = context();
        let check = |headline: &str, expected: Category, secondary: &[Category]| {
            let result = score(
                &ctx,
                &linkedin("x", headline),
                &EngagementSummary::default(),
                None,
                NOW,
            );
            assert_eq!(
                result.category, expected,
                "{headline}: {:#?}",
                result.reasons
            );
            for label in secondary {
                assert!(
                    result.secondary_labels.contains(label),
                    "{headline}: {:?}",
                    result.secondary_labels
                );
            }
        };
        check(
            "Product Marketing Manager @ Northwind Analytics",
            Category::Employee,
            &[],
        );
        check(
            "Senior Account Executive at Datawise Labs",
            Category::Competitor,
            &[],
        );
        check(
            "VP Data & Analytics at Tailspin Toys | ex-Contoso",
            Category::Prospect,
            &[],
        );
        check(
            "Data Engineer at Contoso Retail Group | #OpenToWork",
            Category::Customer,
            &[Category::JobSeeker],
        );
        check(
            "Alliance Manager bei Adatum Consulting",
            Category::Partner,
            &[],
        );
        check(
            "Creative Director | PixelForge Agency",
            Category::Vendor,
            &[],
        );
        check(
            "Helping SaaS founders scale with paid ads 🚀",
            Category::Vendor,
            &[],
        );
        check(
            "VP Analyst at Gartner covering data & analytics",
            Category::Influencer,
            &[],
        );
        check(
            "Recent graduate | Seeking new opportunities in data",
            Category::JobSeeker,
            &[],
        );
        check("Dad, runner, coffee enthusiast", Category::Other, &[]);
    }

    #[test]
    fn an_override_wins_and_the_computed_category_becomes_a_label() {
        let ctx = context();
        let manual = CategoryOverride {
            category: Category::Customer,
            set_by: "jane".into(),
            reason: "signed".into(),
            set_at: NOW,
            expires_at: Some(Timestamp(NOW.0 + 86_400)),
        };
        let profile = linkedin("x", "Senior Account Executive at Datawise Labs");
        let result = score(
            &ctx,
            &profile,
            &EngagementSummary::default(),
            Some(&manual),
            NOW,
        );
        assert_eq!(result.category, Category::Customer);
        assert_eq!(result.computed_category, Category::Competitor);
        assert_eq!(result.secondary_labels, [Category::Competitor]);
        assert_eq!(result.reasons[0].code, "manual_override");
        // Expired: the computed category is back.
        let later = Timestamp(NOW.0 + 2 * 86_400);
        let result = score(
            &ctx,
            &profile,
            &EngagementSummary::default(),
            Some(&manual),
            later,
        );
        assert_eq!(result.category, Category::Competitor);
    }

    #[test]
    fn a_company_named_in_the_headline_is_not_missing() {
        let ctx = context();
        let known = score(
            &ctx,
            &linkedin("x", "CFO at Tailspin Toys"),
            &EngagementSummary::default(),
            None,
            NOW,
        );
        assert!(
            !known.missing_fields.iter().any(|f| f == "company"),
            "{:?}",
            known.missing_fields
        );
        let unknown = score(
            &ctx,
            &linkedin("y", "CFO"),
            &EngagementSummary::default(),
            None,
            NOW,
        );
        assert!(unknown.missing_fields.iter().any(|f| f == "company"));
        assert!(known.confidence > unknown.confidence);
    }

    #[test]
    fn scoring_is_deterministic() {
        let ctx = context();
        let profile = linkedin("x", "CTO | Co-founder @ Tailspin Toys 🚀");
        let a = score(&ctx, &profile, &EngagementSummary::default(), None, NOW);
        let b = score(&ctx, &profile, &EngagementSummary::default(), None, NOW);
        assert_eq!(a, b);
        assert_eq!(a.seniority, Some(Seniority::Owner));
    }

    #[test]
    fn a_learned_lead_model_sets_the_fit_its_source_and_the_version_stamp() {
        use crate::engine::learning::{FEATURES, FitSource, LeadModel, LearningMode, freeze};
        let profile = linkedin("x", "VP Data at Tailspin Toys");
        let rules = score(
            &context(),
            &profile,
            &EngagementSummary::default(),
            None,
            NOW,
        );
        assert_eq!(rules.fit_source, FitSource::Rules);
        assert!(rules.win_probability > 0.0 && rules.win_probability < 1.0);
        assert!(!rules.explored);

        let mut model = LeadModel::rules();
        model.set_identity(4, FitSource::Learned, LearningMode::Automatic);
        let vp = FEATURES
            .iter()
            .position(|f| f.code == "seniority_vp_head")
            .unwrap();
        model.weights[vp] = 1.0;
        let ctx = context().with_lead_model(Arc::new(model));
        assert!(
            ctx.model_version.ends_with("+lead-4"),
            "{}",
            ctx.model_version
        );
        let learned = score(&ctx, &profile, &EngagementSummary::default(), None, NOW);
        assert_eq!(learned.fit_source, FitSource::Learned);
        assert!(learned.fit_score > rules.fit_score);
        assert!(learned.win_probability > rules.win_probability);
        assert!(
            learned
                .reasons
                .iter()
                .any(|r| r.code == "learned_seniority_vp_head" && r.weight > 0.0),
            "{:#?}",
            learned.reasons
        );
        // Frozen features are the rules' whatever model is in force.
        let frozen = freeze(&ctx, &profile, &EngagementSummary::default(), NOW);
        assert_eq!(frozen.rule_fit_score, rules.fit_score);
        assert_eq!(
            frozen.features,
            freeze(&context(), &profile, &EngagementSummary::default(), NOW).features
        );
    }

    #[test]
    fn explored_prospects_are_marked_and_routed_to_sales() {
        use crate::engine::learning::LeadModel;
        let mut model = LeadModel::rules();
        model.exploration_share = 1.0;
        let ctx = context().with_lead_model(Arc::new(model));
        // A prospect with no engagement: NURTURE at best.
        let result = score(
            &ctx,
            &linkedin("x", "Director of Finance at Tailspin Toys"),
            &EngagementSummary::default(),
            None,
            NOW,
        );
        assert_eq!(result.category, Category::Prospect);
        assert!(matches!(
            result.lead_tier,
            LeadTier::Nurture | LeadTier::Cold
        ));
        assert!(result.explored);
        assert!(result.reasons.iter().any(|r| r.code == "exploration_route"));
        assert!(result.has_action(Action::RouteToSales));
        assert!(!result.has_action(Action::Nurture));
        // Rules-only contexts (version 0) never explore.
        let plain = score(
            &context(),
            &linkedin("x", "Director of Finance at Tailspin Toys"),
            &EngagementSummary::default(),
            None,
            NOW,
        );
        assert!(!plain.explored);
        assert!(plain.has_action(Action::Nurture));
    }

    #[test]
    fn the_accounts_prior_restates_the_bot_probability() {
        let bare = FollowerProfile::new(FollowerKey {
            platform: Platform::LinkedIn,
            id: FollowerId::parse("bare").unwrap(),
        });
        let at_default = score(&context(), &bare, &EngagementSummary::default(), None, NOW);
        // A bare id carries no evidence: it gets the model's prior, not 0.5.
        let model_prior = crate::engine::bot::BotModel::prior(shipped_model().as_ref());
        assert!((at_default.bot_probability - model_prior).abs() < 1e-3);

        let mut config = (*context().config).clone();
        config.settings.bot_prior = Some(0.3);
        let ctx = ScoringContext::new(Arc::new(config), shipped_model());
        let at_account = score(&ctx, &bare, &EngagementSummary::default(), None, NOW);
        assert!((at_account.bot_probability - 0.3).abs() < 1e-3);

        let suspicious = linkedin("s", "💰 Crypto signals | DM me for passive income");
        let default = score(
            &context(),
            &suspicious,
            &EngagementSummary::default(),
            None,
            NOW,
        );
        let shifted = score(&ctx, &suspicious, &EngagementSummary::default(), None, NOW);
        assert!(shifted.bot_probability > default.bot_probability);
    }

    /// Rescoring carries a stored bot probability over only where assessing the profile
    /// again would state it, and the result is then the one scoring from scratch gives.
    #[test]
    fn a_rescored_result_carries_its_bot_probability_only_where_assessment_would_repeat_it() {
        let mut profiles = Vec::new();
        for file in [
            "followers_linkedin.csv",
            "followers_twitter.csv",
            "followers_twitter_v11.jsonl",
            "followers_twitter_v2.jsonl",
        ] {
            profiles.extend(crate::service::testing::example_followers(file));
        }
        // Half the profiles without the moment they were observed: their age is then
        // measured to the moment of scoring, which moves between the two scorings.
        for profile in profiles.iter_mut().step_by(2) {
            profile.observed_at = None;
        }
        let versioned = |edit: &dyn Fn(&mut AccountConfig), version: u64, since: u64| {
            let mut config = (*context().config).clone();
            edit(&mut config);
            config.config_version = version;
            config.bot_prior_since = since;
            ScoringContext::new(Arc::new(config), shipped_model())
        };
        let scored_under = versioned(&|_| {}, 1, 1);
        let icp_edit = versioned(&|c| c.icp.industries = vec!["Software".into()], 2, 1);
        let prior_edit = versioned(&|c| c.settings.bot_prior = Some(0.2), 3, 3);
        let hour = 3_600;
        let cases = [
            ("ICP edit, at once", &icp_edit, NOW),
            ("ICP edit, an hour on", &icp_edit, Timestamp(NOW.0 + hour)),
            (
                "ICP edit, three years on",
                &icp_edit,
                Timestamp(NOW.0 + 3 * 365 * 24 * hour),
            ),
            ("bot prior edit", &prior_edit, NOW),
        ];
        let engagement = EngagementSummary::default();
        for (case, ctx, now) in cases {
            let (mut carried, mut moved) = (0, 0);
            for profile in &profiles {
                let previous = score_unexplained(&scored_under, profile, &engagement, None, NOW);
                let from_scratch = score_unexplained(ctx, profile, &engagement, None, now);
                let rescored = rescore_unexplained(ctx, profile, &engagement, None, now, &previous);
                assert_eq!(rescored, from_scratch, "{case}: {:?}", profile.key);
                carried +=
                    usize::from(carried_bot_probability(ctx, profile, &previous, now).is_some());
                moved += usize::from(previous.bot_probability != from_scratch.bot_probability);
            }
            match case {
                "ICP edit, at once" => {
                    assert!(
                        carried == profiles.len() && moved == 0,
                        "{case}: {carried} {moved}"
                    )
                }
                // An hour can move a young account's age across a split threshold.
                "ICP edit, an hour on" => assert!(
                    carried >= profiles.len() * 9 / 10,
                    "{case}: {carried} carried of {}",
                    profiles.len()
                ),
                "ICP edit, three years on" => assert!(
                    moved > 0 && carried > 0 && carried + moved <= profiles.len(),
                    "{case}: {carried} carried, {moved} moved of {}",
                    profiles.len()
                ),
                _ => assert!(carried == 0 && moved > 0, "{case}: {carried} {moved}"),
            }
        }
    }

    #[test]
    fn a_result_of_the_same_bot_model_under_another_lead_model_is_recognised() {
        let ctx = context();
        let stamp = ctx.model_version.to_string();
        assert!(ctx.same_bot_model(&stamp));
        assert!(ctx.same_bot_model(&format!("{stamp}+lead-3")));
        assert!(ctx.same_bot_model(&format!("{stamp}+lead-12")));
        // Only a lead model's version ends a stamp of the same bot model.
        assert!(!ctx.same_bot_model(&format!("{stamp}+lead-")));
        assert!(!ctx.same_bot_model(&format!("{stamp}+lead-3x")));
        assert!(!ctx.same_bot_model(&format!("{stamp}7")));
        assert!(!ctx.same_bot_model(&stamp.replace("+bot-", "+bot-x")));
        assert!(!ctx.same_bot_model("rules-0"));
    }
}
