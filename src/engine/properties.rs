//! Property tests of the engine's invariants (proptest): whatever the profile, engagement,
//! override, account and moment, every score stays within its bounds and the same input
//! gives the same result; the category is the first in precedence of those that applied;
//! one more engagement event never lowers the points at the same instant; the tier matrix
//! is total. Case counts keep the file to a few seconds in a debug build.

use std::sync::{Arc, LazyLock};

use proptest::prelude::*;
use proptest::sample::select;

use crate::engine::account::{
    AccountConfig, CompanySet, GradeCutoffs, IdealCustomerProfile, LevelCutoffs, ScoringSettings,
};
use crate::engine::bot::shipped_model;
use crate::engine::context::ScoringContext;
use crate::engine::deciding::category::{CategoryInputs, decide};
use crate::engine::deciding::engagement::{
    DAILY_CAP_PER_TYPE, EngagementSummary, LedgerEntry, level, summarize, within_daily_cap,
};
use crate::engine::deciding::fit::Fit;
use crate::engine::deciding::tier::{grade, label, lead_score, tier};
use crate::engine::ids::{AccountId, FollowerId, FollowerKey};
use crate::engine::profile::{FollowerProfile, ProfileCounts, ProfileFlags};
use crate::engine::reading::company_match::{CompanyMatch, MatchSource};
use crate::engine::reading::signals::TextSignals;
use crate::engine::reading::title::ParsedTitle;
use crate::engine::reasons::{Reason, Wording};
use crate::engine::result::CategoryOverride;
use crate::engine::score::score;
use crate::engine::time::{SECONDS_PER_DAY, Timestamp};
use crate::engine::vocabulary::{
    Category, CompanyList, Department, EngagementType, FitGrade, LeadTier, Platform, Seniority,
};

/// 2026-05-28.
const BASE: i64 = 1_780_000_000;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// An account like the shipped example's (company lists, ICP, influencers), and a bare one.
static CONTEXTS: LazyLock<[ScoringContext; 2]> = LazyLock::new(|| {
    let set = |names: &[&str], domains: &[&str]| CompanySet {
        names: names.iter().map(|s| s.to_string()).collect(),
        domains: domains.iter().map(|s| s.to_string()).collect(),
    };
    let mut example = AccountConfig::new(AccountId::parse("northwind-analytics").unwrap());
    example.own_company = set(
        &["Northwind Analytics", "Northwind"],
        &["northwindanalytics.com"],
    );
    example.customers = set(
        &["Alderbank Financial", "Cobalt Freight"],
        &["alderbank.com"],
    );
    example.partners = set(&["Stratus Consulting Group"], &["stratusconsulting.com"]);
    example.vendors = set(&["Pixelforge Creative"], &["pixelforge.agency"]);
    example.competitors = set(&["Clarivue Analytics", "Quantora BI"], &["quantora.io"]);
    example.target_accounts = set(&["Juniper Pay", "Finly"], &["finly.io"]);
    example.analyst_firms = set(&["Gartner", "Forrester"], &["gartner.com"]);
    example.icp = IdealCustomerProfile {
        industries: vec!["Software".into(), "Financial Services".into()],
        min_company_size: Some(200),
        max_company_size: Some(10_000),
        regions: vec!["North America".into(), "DACH".into(), "UK".into()],
        departments: vec![Department::It, Department::Engineering, Department::Finance],
        min_seniority: Some(Seniority::Manager),
        title_keywords: vec!["data".into(), "analytics".into()],
    };
    example.influencer_handles = vec!["dataviz_dana".into()];
    example.config_version = 1;
    example.validate().unwrap();
    let bare = AccountConfig::new(AccountId::parse("bare").unwrap());
    [
        ScoringContext::new(Arc::new(example), shipped_model()),
        ScoringContext::new(Arc::new(bare), shipped_model()),
    ]
});

/// Words people write, the example account's companies among them, and noise.
const WORDS: &[&str] = &[
    "",
    "CEO",
    "VP Sales",
    "Head of Marketing",
    "Geschäftsführer",
    "Directora de Ventas",
    "Senior Software Engineer",
    "#OpenToWork",
    "student",
    "Helping SaaS founders scale",
    "journalist",
    "ex-Northwind Analytics",
    "Northwind Analytics",
    "Alderbank Financial",
    "Cobalt Freight",
    "CISO @ Juniper Pay",
    "CTO | Co-founder @ Finly 🚀",
    "Berlin, Germany",
    "New York, New York, United States",
    "🇫🇷",
    "Software",
    "Financial Services",
    "northwindanalytics.com",
    "https://www.alderbank.com/about",
    "DM me for crypto gains",
    "\u{202e}\u{0}\t|@&",
];

fn text() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        3 => select(WORDS).prop_map(|w| Some(w.to_owned())),
        1 => any::<String>().prop_map(Some),
        2 => Just(None),
    ]
}

fn count() -> impl Strategy<Value = Option<u64>> {
    prop_oneof![
        Just(None),
        (0u64..100).prop_map(Some),
        (0u64..1_000_000).prop_map(Some),
        any::<u64>().prop_map(Some),
    ]
}

fn flag() -> impl Strategy<Value = Option<bool>> {
    prop_oneof![Just(None), any::<bool>().prop_map(Some)]
}

/// A moment within about twenty years before `BASE`, or a little after it.
fn moment() -> impl Strategy<Value = Option<Timestamp>> {
    prop_oneof![
        Just(None),
        (-7_300i64..30).prop_map(|days| Some(Timestamp(BASE + days * SECONDS_PER_DAY))),
        (0i64..=BASE + 400 * SECONDS_PER_DAY).prop_map(|s| Some(Timestamp(s))),
    ]
}

prop_compose! {
    fn counts()(
        followers in count(), following in count(), posts in count(),
        likes in count(), listed in count(), connections in count(),
    ) -> ProfileCounts {
        ProfileCounts { followers, following, posts, likes, listed, connections }
    }
}

prop_compose! {
    fn flags()(
        default_profile in flag(), default_profile_image in flag(), verified in flag(),
        protected in flag(), open_to_work in flag(), has_photo in flag(),
        is_organization in flag(),
    ) -> ProfileFlags {
        ProfileFlags {
            default_profile, default_profile_image, verified, protected, open_to_work,
            has_photo, is_organization,
        }
    }
}

prop_compose! {
    fn texts()(
        handle in text(), display_name in text(), headline in text(), title in text(),
        company in text(), company_domain in text(), industry in text(), location in text(),
        country in text(), bio in text(), url in text(), lang in text(),
    ) -> [Option<String>; 12] {
        [handle, display_name, headline, title, company, company_domain, industry, location,
         country, bio, url, lang]
    }
}

prop_compose! {
    fn profile()(
        platform in select(Platform::ALL),
        texts in texts(),
        company_size in count(),
        counts in counts(),
        flags in flags(),
        created_at in moment(), last_active_at in moment(), followed_at in moment(),
        unfollowed_at in moment(), observed_at in moment(),
    ) -> FollowerProfile {
        let [handle, display_name, headline, title, company, company_domain, industry,
             location, country, bio, url, lang] = texts;
        let key = FollowerKey { platform, id: FollowerId::parse("f-1").unwrap() };
        FollowerProfile {
            handle, display_name, headline, title, company, company_domain, industry,
            company_size, location, country, bio, url, lang, counts, flags, created_at,
            last_active_at, followed_at, unfollowed_at, observed_at,
            ..FollowerProfile::new(key)
        }
    }
}

fn ledger_entry() -> impl Strategy<Value = LedgerEntry> {
    (
        select(EngagementType::ALL),
        -400i64..400,
        0i64..SECONDS_PER_DAY,
        prop::bool::weighted(0.9),
    )
        .prop_map(|(kind, day, second, counted)| LedgerEntry {
            kind,
            occurred_at: Timestamp(BASE + day * SECONDS_PER_DAY + second),
            counted,
        })
}

/// Settings as validation admits them.
fn settings() -> impl Strategy<Value = ScoringSettings> {
    (
        prop::array::uniform11(0.0f64..=1000.0),
        1.0f64..=3650.0,
        prop::option::of(0.01f64..=1.0),
        (0.0f64..=100.0, 0.0f64..=100.0, 0.0f64..=100.0),
        (0.0f64..=500.0, 0.0f64..=500.0, 0.0f64..=500.0),
    )
        .prop_map(|(weights, half_life, threshold, g, l)| {
            let mut g = [g.0, g.1, g.2];
            g.sort_by(|a, b| b.total_cmp(a));
            let mut l = [l.0, l.1, l.2];
            l.sort_by(|a, b| b.total_cmp(a));
            ScoringSettings {
                engagement_weights: weights,
                half_life_days: half_life,
                bot_threshold: threshold,
                grade_cutoffs: GradeCutoffs {
                    a: g[0],
                    b: g[1],
                    c: g[2],
                },
                level_cutoffs: LevelCutoffs {
                    level1: l[0],
                    level2: l[1],
                    level3: l[2],
                },
                ..ScoringSettings::default()
            }
        })
}

fn engagement() -> impl Strategy<Value = EngagementSummary> {
    (prop::collection::vec(ledger_entry(), 0..30), -30i64..30).prop_map(|(entries, as_of)| {
        summarize(
            &entries,
            &ScoringSettings::default(),
            Timestamp(BASE + as_of * SECONDS_PER_DAY),
        )
    })
}

fn category_override() -> impl Strategy<Value = Option<CategoryOverride>> {
    prop::option::of(
        (select(Category::ALL), prop::option::of(-10i64..10)).prop_map(|(category, expiry)| {
            CategoryOverride {
                category,
                set_by: "sales".into(),
                reason: "known".into(),
                set_at: Timestamp(BASE - SECONDS_PER_DAY),
                expires_at: expiry.map(|d| Timestamp(BASE + d * SECONDS_PER_DAY)),
            }
        }),
    )
}

const _: () = assert!(
    EngagementType::ALL.len() == 11,
    "settings() draws 11 weights"
);

proptest! {
    #![proptest_config(config(1_000))]

    /// Every score within its bounds, and scoring twice gives the same result.
    #[test]
    fn scores_stay_in_bounds_and_scoring_is_deterministic(
        which in 0usize..2,
        profile in profile(),
        engagement in engagement(),
        category_override in category_override(),
        now_days in -5i64..400,
    ) {
        let ctx = &CONTEXTS[which];
        let now = Timestamp(BASE + now_days * SECONDS_PER_DAY);
        let r = score(ctx, &profile, &engagement, category_override.as_ref(), now);
        prop_assert!((0.0..=1.0).contains(&r.bot_probability), "bot {}", r.bot_probability);
        prop_assert!(r.fit_score <= 100, "fit {}", r.fit_score);
        prop_assert!(r.lead_score <= 100, "lead {}", r.lead_score);
        prop_assert!((0.0..=1.0).contains(&r.confidence), "confidence {}", r.confidence);
        prop_assert!((1..=4).contains(&r.engagement_level), "level {}", r.engagement_level);
        prop_assert!(r.engagement_points.is_finite() && r.engagement_points >= 0.0);
        // Secondary labels are those that lost to the category in force (an override's
        // computed category among them), once each.
        prop_assert!(!r.secondary_labels.contains(&r.category));
        let mut labels = r.secondary_labels.clone();
        labels.sort();
        labels.dedup();
        prop_assert_eq!(labels.len(), r.secondary_labels.len());
        match &category_override {
            Some(o) if o.is_active(now) => prop_assert_eq!(r.category, o.category),
            _ => prop_assert_eq!(r.category, r.computed_category),
        }
        let is_lead = matches!(
            r.category,
            Category::Prospect | Category::Customer | Category::Partner
        );
        prop_assert_eq!(is_lead, r.lead_tier != LeadTier::NotALead, "tier {:?}", r.lead_tier);
        let again = score(ctx, &profile, &engagement, category_override.as_ref(), now);
        prop_assert_eq!(again, r);
    }

    /// The category is the first in precedence (declaration order) of all that applied;
    /// the others are secondary labels, once each. The one documented exception: a handle
    /// on the account's influencer list beats a self-described selling line.
    #[test]
    fn category_precedence_holds_whatever_else_applies(
        profile in profile(),
        bot_probability in 0.0f64..=1.0,
        bot_threshold in 0.01f64..=1.0,
        lists in prop::collection::vec(select(CompanyList::ALL), 0..4),
        former in prop::collection::vec(select(CompanyList::ALL), 0..2),
        is_organisation in any::<bool>(),
        has_employer in any::<bool>(),
        seniority in prop::option::of(select(Seniority::ALL)),
        departments in prop::collection::vec(select(Department::ALL), 0..3),
        fit_score in 0u8..=100,
        fit_flags in (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()),
        signal_flags in prop::array::uniform7(any::<bool>()),
        listed_influencer in any::<bool>(),
        social_events in 0u32..4,
        engaged in any::<bool>(),
        as_of_days in -5i64..400,
    ) {
        let company = |list: &CompanyList| CompanyMatch {
            list: *list,
            company: "Listed Co".into(),
            via: MatchSource::CompanyField,
        };
        let matches: Vec<CompanyMatch> = lists.iter().map(company).collect();
        let former: Vec<CompanyMatch> = former.iter().map(company).collect();
        let title = ParsedTitle {
            seniority,
            seniority_evidence: seniority.map(|_| "Title"),
            departments,
            department_evidence: None,
        };
        let (matched_any, contradiction, company_profile_fits, role_fits) = fit_flags;
        let fit = Fit {
            score: fit_score,
            reasons: Vec::new(),
            matched_any,
            contradiction: contradiction.then(|| "Industry is not in the ICP".to_owned()),
            company_profile_fits,
            role_fits,
            industry_outside: contradiction,
            region_outside: false,
        };
        let phrase = |i: usize| signal_flags[i].then_some("phrase");
        let signals = TextSignals {
            job_seeking: phrase(0),
            student_or_graduate: phrase(1),
            aspiring: phrase(2),
            sells_services: phrase(3),
            consumer_seller: phrase(4),
            influencer_role: phrase(5),
            serves_businesses: phrase(6),
        };
        let inputs = CategoryInputs {
            profile: &profile,
            bot_probability,
            bot_threshold,
            matches: &matches,
            former: &former,
            is_organisation,
            has_employer,
            title: &title,
            fit: &fit,
            signals: &signals,
            listed_influencer,
            social_events,
            engaged,
            as_of: Timestamp(BASE + as_of_days * SECONDS_PER_DAY),
            wording: Wording::Worded,
        };
        let decision = decide(&inputs);
        // Wording is for readers only: unworded, the same decision, reason for reason.
        let unworded = decide(&CategoryInputs {
            wording: Wording::Unworded,
            ..inputs
        });
        prop_assert_eq!(unworded.primary, decision.primary);
        prop_assert_eq!(&unworded.secondary, &decision.secondary);
        let codes = |reasons: &[Reason]| -> Vec<String> {
            reasons.iter().map(|r| r.code.to_string()).collect()
        };
        prop_assert_eq!(codes(&unworded.reasons), codes(&decision.reasons));
        prop_assert!(unworded.reasons.iter().all(|r| r.message.is_empty()));
        prop_assert!(decision.reasons.iter().all(|r| !r.message.is_empty()));
        let primary = decision.primary;
        let secondary = &decision.secondary;
        prop_assert!(!secondary.contains(&primary));
        let mut sorted = secondary.clone();
        sorted.sort();
        sorted.dedup();
        prop_assert_eq!(&sorted, secondary, "secondary labels in order, once each");
        let listed_influencer_beats_selling = primary == Category::Influencer
            && listed_influencer
            && secondary.first() == Some(&Category::Vendor);
        if !listed_influencer_beats_selling {
            prop_assert!(
                secondary.iter().all(|c| primary < *c),
                "{:?} lost to {:?}", primary, secondary
            );
        }
        if bot_probability >= bot_threshold && !is_organisation {
            prop_assert_eq!(primary, Category::Bot);
        }
        if lists.contains(&CompanyList::OwnCompany) && primary != Category::Bot {
            prop_assert_eq!(primary, Category::Employee);
        }
        if social_events > 0 {
            prop_assert!(primary == Category::BrandFan || secondary.contains(&Category::BrandFan));
        }
    }

    /// One more event, counted or capped, never lowers the points at the same instant,
    /// whatever the weights and half-life; points stay finite and non-negative.
    #[test]
    fn a_new_event_never_lowers_points_at_the_same_instant(
        settings in settings(),
        entries in prop::collection::vec(ledger_entry(), 0..60),
        new in ledger_entry(),
        as_of_days in -30i64..400,
    ) {
        let as_of = Timestamp(BASE + as_of_days * SECONDS_PER_DAY);
        let before = summarize(&entries, &settings, as_of);
        // The event as the write path records it: counted only within the daily cap.
        let counted = new.counted && within_daily_cap(&entries, new.kind, new.occurred_at);
        let mut more = entries.clone();
        more.push(LedgerEntry { counted, ..new });
        let after = summarize(&more, &settings, as_of);
        prop_assert!(before.points.is_finite() && before.points >= 0.0);
        prop_assert!(after.points >= before.points, "{} then {}", before.points, after.points);
        prop_assert!(after.counted_events >= before.counted_events);
        prop_assert!(
            level(after.points, &settings.level_cutoffs)
                <= level(before.points, &settings.level_cutoffs),
            "a level never gets worse with one more event"
        );
        let same_day = more
            .iter()
            .filter(|e| e.counted && e.kind == new.kind && e.occurred_at.day() == new.occurred_at.day())
            .count() as u32;
        prop_assert!(
            counted || same_day >= DAILY_CAP_PER_TYPE || !new.counted,
            "an event under the cap counts"
        );
    }

    /// The tier matrix is total: every grade and any level give a tier and a label; grades
    /// are monotone in the fit score; the lead score is 0–100 for any fit and any points.
    #[test]
    fn the_tier_matrix_is_total(
        fit in any::<u8>(),
        more_fit in any::<u8>(),
        level_ in any::<u8>(),
        points in prop_oneof![any::<f64>(), 0.0f64..1e6],
        level1_cutoff in prop_oneof![any::<f64>(), 0.0f64..500.0],
        cutoffs in (0.0f64..=100.0, 0.0f64..=100.0, 0.0f64..=100.0),
    ) {
        let mut c = [cutoffs.0, cutoffs.1, cutoffs.2];
        c.sort_by(|a, b| b.total_cmp(a));
        let cutoffs = GradeCutoffs { a: c[0], b: c[1], c: c[2] };
        let (low, high) = (fit.min(more_fit), fit.max(more_fit));
        prop_assert!(grade(high, &cutoffs) <= grade(low, &cutoffs), "more fit, no worse grade");
        for g in FitGrade::ALL {
            let t = tier(*g, level_);
            prop_assert!(t != LeadTier::NotALead);
            let l = label(*g, level_);
            prop_assert_eq!(l.len(), 2);
            prop_assert!(l.starts_with(g.as_str()));
            prop_assert!(matches!(&l[1..], "1" | "2" | "3" | "4"));
            // More engaged (a lower level number) is never a colder tier.
            if level_ > 1 {
                prop_assert!(tier(*g, level_ - 1) <= t);
            }
        }
        prop_assert!(lead_score(fit, points, level1_cutoff) <= 100);
    }
}

/// Every cell of the grid, against SPEC §1's table order (HOT before WARM before NURTURE
/// before COLD), which `the_tier_matrix_is_total` relies on.
#[test]
fn tiers_are_declared_hottest_first() {
    assert!(LeadTier::Hot < LeadTier::Warm);
    assert!(LeadTier::Warm < LeadTier::Nurture);
    assert!(LeadTier::Nurture < LeadTier::Cold);
    assert!(FitGrade::A < FitGrade::B);
}
