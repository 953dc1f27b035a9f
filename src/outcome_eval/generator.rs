//! The synthetic world of the outcome benchmark: invented accounts whose real buyers differ
//! from their typed ICP by a known number of criteria, realistic follower mixes, engagement
//! that follows real interest, and win probabilities drawn from the hidden buyer profile.
//!
//! Deterministic: everything comes from one seed through `SplitMix64`. The hidden buyer is
//! itself an ICP (an `AccountConfig` the engine scores), so "the typed ICP is right" means
//! the rules are the true model's shape, and a wrong ICP is wrong in criteria the features
//! can see (departments, seniority, company size, target accounts). Industry and region
//! identities are not features, so the generator never hides the buyer there (OUTCOMES.md).

use std::sync::Arc;

use crate::engine::account::{AccountConfig, CompanySet};
use crate::engine::bot::shipped_model;
use crate::engine::context::ScoringContext;
use crate::engine::deciding::engagement::{self, EngagementSummary, LedgerEntry};
use crate::engine::deciding::tier;
use crate::engine::ids::{AccountId, FollowerId, FollowerKey};
use crate::engine::learning::{FrozenFeatures, freeze};
use crate::engine::profile::FollowerProfile;
use crate::engine::score::score;
use crate::engine::time::{SECONDS_PER_DAY, Timestamp};
use crate::engine::vocabulary::{Department, EngagementType, Platform, Seniority};
use crate::sampling::SplitMix64;

/// 2024-01-01T00:00:00Z: the synthetic timeline's first day.
pub const START: Timestamp = Timestamp(1_704_067_200);
/// Days of follows simulated per account.
pub const TIMELINE_DAYS: i64 = 900;

const INDUSTRIES: &[&str] = &[
    "Software",
    "Financial Services",
    "Retail",
    "Manufacturing",
    "Healthcare",
    "Logistics",
    "Education",
    "Telecommunications",
];
const COUNTRIES: &[&str] = &[
    "United States",
    "Canada",
    "Germany",
    "France",
    "United Kingdom",
    "Netherlands",
    "Spain",
    "Brazil",
    "Japan",
    "India",
    "Australia",
];
const DEPARTMENTS: &[(Department, &str)] = &[
    (Department::Sales, "Sales"),
    (Department::Marketing, "Marketing"),
    (Department::Engineering, "Engineering"),
    (Department::It, "IT"),
    (Department::Finance, "Finance"),
    (Department::Operations, "Operations"),
    (Department::Product, "Product"),
    (Department::Hr, "HR"),
];
const SENIORITIES: &[(Seniority, u32)] = &[
    (Seniority::Owner, 2),
    (Seniority::CLevel, 4),
    (Seniority::Vp, 6),
    (Seniority::Head, 7),
    (Seniority::Director, 14),
    (Seniority::Manager, 25),
    (Seniority::Senior, 20),
    (Seniority::Entry, 20),
    (Seniority::Intern, 2),
];
const WORDS_A: &[&str] = &[
    "North", "Blue", "Silver", "Bright", "Iron", "Quantum", "Green", "Swift", "Cedar", "Atlas",
    "Nova", "Crimson", "Summit", "Harbor", "Pioneer", "Vertex", "Lumen", "Orbit", "Granite",
    "Maple",
];
const WORDS_B: &[&str] = &[
    "wind", "stone", "field", "bridge", "works", "point", "gate", "line", "path", "forge", "crest",
    "wave", "spring", "light", "mark", "peak", "vale", "port", "ridge", "brook",
];
const WORDS_C: &[&str] = &[
    "Traders",
    "Dynamics",
    "Industries",
    "Partners",
    "Networks",
    "Foods",
    "Motors",
    "Health",
    "Capital",
    "Freight",
    "Learning",
    "Telecom",
    "Retail",
    "Finance",
    "Labs",
];

/// Outcome and engagement strengths of the hidden buyer: logit = α + `FIT_EFFECT` × hidden
/// fit / 100 + `ENGAGEMENT_EFFECT` × engagement scale / 100.
pub const FIT_EFFECT: f64 = 8.0;
pub const ENGAGEMENT_EFFECT: f64 = 2.0;

/// How the typed ICP misses the real buyer, one criterion at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Miss {
    /// Buyers sit in one of the typed departments only.
    Department,
    /// Buyers are managers and above (typed: decision makers), or VPs and above.
    Seniority,
    /// Buyers work at companies of 501–5,000 employees, a part of the typed range.
    CompanySize,
    /// The typed target-account list does not predict buying.
    TargetAccounts,
}

const MISSES: &[Miss] = &[
    Miss::Department,
    Miss::Seniority,
    Miss::CompanySize,
    Miss::TargetAccounts,
];

/// What kind of follower a synthetic profile is drawn as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A person at a company with a role: a prospect when the typed ICP agrees.
    Professional,
    Employee,
    Competitor,
    Vendor,
    JobSeeker,
    Bot,
    Other,
}

/// One synthetic follower with what only the simulation knows.
#[derive(Debug, Clone)]
pub struct SyntheticFollower {
    pub kind: Kind,
    pub profile: FollowerProfile,
    pub ledger: Vec<LedgerEntry>,
    /// Engagement points at `scored_at`.
    pub points: f64,
    /// When the follower is scored and its features frozen (a few days after following).
    pub scored_at: Timestamp,
    /// Features as the typed rules see them at `scored_at` (`explored` is the simulation's).
    pub frozen: FrozenFeatures,
    /// The hidden buyer's fit before and after the ICP shift, 0–100.
    pub hidden_fit: [f64; 2],
    /// A uniform draw: the follower would win if routed when it falls below the win
    /// probability of its regime.
    pub draw: f64,
    /// Days from scoring to the opportunity and from the opportunity to the decision.
    pub opportunity_delay_days: i64,
    pub decision_delay_days: i64,
    /// A decided loss is a disqualification rather than a lost deal.
    pub disqualified: bool,
}

/// One invented account.
#[derive(Debug, Clone)]
pub struct SyntheticAccount {
    pub index: usize,
    pub config: AccountConfig,
    /// The hidden buyer before the shift, as an ICP.
    pub hidden: AccountConfig,
    /// Criteria the typed ICP misses (empty: the typed ICP is right).
    pub misses: Vec<Miss>,
    /// Share of professionals who would win if worked, before the shift.
    pub base_rate: f64,
    /// α of each regime, solved so that professionals win at `base_rate`.
    pub alpha: [f64; 2],
    /// When the buyer profile shifts (to the typed ICP for a wrong one; to a narrower one
    /// for a right one).
    pub shift_at: Timestamp,
    pub followers: Vec<SyntheticFollower>,
}

impl SyntheticAccount {
    /// The hidden win probability of follower `i` in the regime in force at `at`.
    pub fn win_probability(&self, i: usize, shifted: bool) -> f64 {
        let f = &self.followers[i];
        if f.kind != Kind::Professional {
            return 0.0;
        }
        let regime = usize::from(shifted);
        let e = f.frozen.features.engagement_scale();
        sigmoid(
            self.alpha[regime]
                + FIT_EFFECT * f.hidden_fit[regime] / 100.0
                + ENGAGEMENT_EFFECT * e / 100.0,
        )
    }

    pub fn is_right_icp(&self) -> bool {
        self.misses.is_empty()
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

struct Rng(SplitMix64);

impl Rng {
    fn unit(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.0.next_u64() % n as u64) as usize
    }
    fn range(&mut self, low: i64, high: i64) -> i64 {
        low + (self.0.next_u64() % (high - low + 1) as u64) as i64
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn poisson(&mut self, mean: f64) -> u32 {
        let limit = (-mean).exp();
        let (mut k, mut p) = (0, 1.0);
        loop {
            p *= self.unit();
            if p <= limit || k > 60 {
                return k;
            }
            k += 1;
        }
    }
}

fn company_name(rng: &mut Rng) -> String {
    format!(
        "{}{} {}",
        rng.pick(WORDS_A),
        rng.pick(WORDS_B),
        rng.pick(WORDS_C)
    )
}

fn set(names: Vec<String>) -> CompanySet {
    CompanySet {
        names,
        domains: Vec::new(),
    }
}

fn title(seniority: Seniority, department: Department, word: &str) -> String {
    match seniority {
        Seniority::Owner => format!("Founder, {word}"),
        Seniority::CLevel => match department {
            Department::Marketing => "CMO".to_owned(),
            Department::It => "CIO".to_owned(),
            Department::Engineering => "CTO".to_owned(),
            Department::Finance => "CFO".to_owned(),
            Department::Operations => "COO".to_owned(),
            _ => format!("Chief {word} Officer"),
        },
        Seniority::Vp => format!("VP {word}"),
        Seniority::Head => format!("Head of {word}"),
        Seniority::Director => format!("Director of {word}"),
        Seniority::Manager => format!("{word} Manager"),
        Seniority::Senior => format!("Senior {word} Specialist"),
        Seniority::Entry => format!("{word} Associate"),
        Seniority::Intern => format!("{word} Intern"),
    }
}

fn seniority(rng: &mut Rng) -> Seniority {
    let total: u32 = SENIORITIES.iter().map(|(_, w)| w).sum();
    let mut roll = (rng.unit() * f64::from(total)) as u32;
    for (s, w) in SENIORITIES {
        if roll < *w {
            return *s;
        }
        roll -= w;
    }
    Seniority::Entry
}

/// The typed ICP of an account and the hidden buyer that differs from it by `misses`.
fn account_configs(index: usize, rng: &mut Rng, misses: &[Miss]) -> (AccountConfig, AccountConfig) {
    let id = AccountId::parse(&format!("synthetic-{index:03}"))
        .unwrap_or_else(|_| unreachable!("synthetic account ids are short and printable"));
    let mut typed = AccountConfig::new(id);
    typed.display_name = format!("Synthetic account {index}");
    typed.own_company = set(vec![format!("Ownco {index} Systems")]);
    typed.competitors = set(vec![format!("Rivalco {index} Analytics")]);
    let targets: Vec<String> = (0..40).map(|_| company_name(rng)).collect();
    typed.target_accounts = set(targets);
    let mut industries: Vec<String> = INDUSTRIES.iter().map(|s| (*s).to_owned()).collect();
    rng.0.shuffle(&mut industries);
    typed.icp.industries = industries[..3].to_vec();
    typed.icp.min_company_size = Some(50);
    typed.icp.max_company_size = Some(10_000);
    typed.icp.regions = vec!["North America".into(), "EMEA".into()];
    let mut departments: Vec<Department> = DEPARTMENTS.iter().map(|(d, _)| *d).collect();
    rng.0.shuffle(&mut departments);
    typed.icp.departments = departments[..3].to_vec();
    typed.config_version = 1;

    let mut hidden = typed.clone();
    for miss in misses {
        match miss {
            Miss::Department => hidden.icp.departments = vec![departments[rng.below(3)]],
            Miss::Seniority => {
                hidden.icp.min_seniority = Some(if rng.unit() < 0.5 {
                    Seniority::Manager
                } else {
                    Seniority::Vp
                })
            }
            Miss::CompanySize => {
                hidden.icp.min_company_size = Some(501);
                hidden.icp.max_company_size = Some(5_000);
            }
            Miss::TargetAccounts => hidden.target_accounts = CompanySet::default(),
        }
    }
    (typed, hidden)
}

fn professional(rng: &mut Rng, typed: &AccountConfig, key: FollowerKey) -> FollowerProfile {
    let mut p = FollowerProfile::new(key);
    let (department, word) = *rng.pick(DEPARTMENTS);
    // Half the professionals work in one of the typed departments.
    let department = if rng.unit() < 0.5 {
        typed.icp.departments[rng.below(typed.icp.departments.len())]
    } else {
        department
    };
    let word = DEPARTMENTS
        .iter()
        .find(|(d, _)| *d == department)
        .map_or(word, |(_, w)| *w);
    let title_text = title(seniority(rng), department, word);
    let company = if rng.unit() < 0.12 {
        rng.pick(&typed.target_accounts.names).clone()
    } else {
        company_name(rng)
    };
    p.headline = Some(format!("{title_text} at {company}"));
    p.title = Some(title_text);
    p.company = Some(company);
    p.industry = Some(if rng.unit() < 0.7 {
        rng.pick(&typed.icp.industries).clone()
    } else {
        (*rng.pick(INDUSTRIES)).to_owned()
    });
    // Log-uniform company sizes from 5 to 50,000 employees.
    p.company_size = Some((5.0 * 10_000f64.powf(rng.unit())).round() as u64);
    let country = if rng.unit() < 0.75 {
        *rng.pick(&COUNTRIES[..7])
    } else {
        *rng.pick(COUNTRIES)
    };
    p.country = Some(country.to_owned());
    p.flags.has_photo = Some(true);
    p.counts.connections = Some(rng.range(80, 3_000) as u64);
    p
}

fn other_profile(
    rng: &mut Rng,
    kind: Kind,
    typed: &AccountConfig,
    key: FollowerKey,
) -> FollowerProfile {
    let mut p = FollowerProfile::new(key);
    p.flags.has_photo = Some(kind != Kind::Bot);
    p.counts.connections = Some(rng.range(50, 1_500) as u64);
    p.country = Some((*rng.pick(COUNTRIES)).to_owned());
    let (department, word) = *rng.pick(DEPARTMENTS);
    match kind {
        Kind::Employee => {
            p.headline = Some(format!(
                "{} at {}",
                title(seniority(rng), department, word),
                typed.own_company.names[0]
            ));
        }
        Kind::Competitor => {
            p.headline = Some(format!(
                "{} at {}",
                title(seniority(rng), department, word),
                typed.competitors.names[0]
            ));
        }
        Kind::Vendor => {
            p.headline = Some(
                (*rng.pick(&[
                    "Helping SaaS founders scale with paid ads",
                    "Fractional CMO for B2B startups",
                    "We book meetings for B2B sales teams",
                ]))
                .to_owned(),
            );
        }
        Kind::JobSeeker => {
            p.headline = Some("Recent graduate | Seeking new opportunities".to_owned());
            p.flags.open_to_work = Some(true);
        }
        Kind::Bot => {
            p.headline = Some("💰 Crypto signals | DM me for passive income".to_owned());
            p.counts.connections = Some(rng.range(0, 12) as u64);
        }
        Kind::Other | Kind::Professional => {
            p.headline = Some(
                (*rng.pick(&[
                    "Dad, runner, coffee enthusiast",
                    "Photographer",
                    "Traveller and reader",
                ]))
                .to_owned(),
            );
        }
    }
    p
}

fn kind(rng: &mut Rng) -> Kind {
    let roll = rng.unit();
    match roll {
        r if r < 0.55 => Kind::Professional,
        r if r < 0.60 => Kind::Employee,
        r if r < 0.63 => Kind::Competitor,
        r if r < 0.68 => Kind::Vendor,
        r if r < 0.73 => Kind::JobSeeker,
        r if r < 0.80 => Kind::Bot,
        _ => Kind::Other,
    }
}

const EVENT_MIX: &[(EngagementType, f64)] = &[
    (EngagementType::Like, 0.30),
    (EngagementType::ProfileVisit, 0.20),
    (EngagementType::WebsiteVisit, 0.20),
    (EngagementType::Comment, 0.10),
    (EngagementType::ContentDownload, 0.08),
    (EngagementType::WebinarRegistration, 0.06),
    (EngagementType::WebinarAttended, 0.04),
    (EngagementType::DemoRequest, 0.02),
];

fn event_kind(rng: &mut Rng) -> EngagementType {
    let mut roll = rng.unit();
    for (kind, share) in EVENT_MIX {
        if roll < *share {
            return *kind;
        }
        roll -= share;
    }
    EngagementType::Like
}

/// Solves α so that the mean of σ(α + rest) over `rests` is `rate` (bisection).
fn solve_alpha(rests: &[f64], rate: f64) -> f64 {
    let (mut low, mut high) = (-20.0, 5.0);
    for _ in 0..60 {
        let mid = (low + high) / 2.0;
        let mean = rests.iter().map(|r| sigmoid(mid + r)).sum::<f64>() / rests.len().max(1) as f64;
        if mean < rate {
            low = mid;
        } else {
            high = mid;
        }
    }
    (low + high) / 2.0
}

/// Sizes of a benchmark run.
#[derive(Debug, Clone, Copy)]
pub struct WorldSize {
    pub min_followers: usize,
    pub max_followers: usize,
}

impl Default for WorldSize {
    fn default() -> Self {
        Self {
            min_followers: 40_000,
            max_followers: 250_000,
        }
    }
}

/// Account `index` of the world of `seed`: every fourth account's typed ICP is right, the
/// others miss 1, 2 or 3 criteria.
pub fn account(seed: u64, index: usize, size: WorldSize) -> SyntheticAccount {
    let mut rng = Rng(SplitMix64(
        seed ^ (index as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15),
    ));
    let miss_count = index % 4;
    let mut misses = MISSES.to_vec();
    rng.0.shuffle(&mut misses);
    misses.truncate(miss_count);
    let (typed, hidden) = account_configs(index, &mut rng, &misses);
    // After the shift a wrong ICP's market comes round to what was typed; a right one
    // narrows to one department.
    let shifted = if misses.is_empty() {
        let mut narrower = typed.clone();
        narrower.icp.departments.truncate(1);
        narrower
    } else {
        typed.clone()
    };
    let contexts = [&typed, &hidden, &shifted]
        .map(|c| ScoringContext::new(Arc::new(c.clone()), shipped_model()));
    let base_rate = 0.01 + 0.04 * rng.unit();
    let span = size.max_followers.saturating_sub(size.min_followers).max(1);
    let n = size.min_followers + rng.below(span);
    let shift_at = START.minus_days(-(TIMELINE_DAYS * 55 / 100));
    let settings = typed.settings.clone();

    let mut followers = Vec::with_capacity(n);
    for i in 0..n {
        let key = FollowerKey {
            platform: Platform::LinkedIn,
            id: FollowerId::parse(&format!("a{index}-f{i}"))
                .unwrap_or_else(|_| unreachable!("synthetic follower ids are short")),
        };
        let kind = kind(&mut rng);
        let mut profile = match kind {
            Kind::Professional => professional(&mut rng, &typed, key),
            _ => other_profile(&mut rng, kind, &typed, key),
        };
        let followed_at =
            Timestamp(START.0 + (rng.unit() * (TIMELINE_DAYS * SECONDS_PER_DAY) as f64) as i64);
        profile.followed_at = Some(followed_at);
        let scored_at = Timestamp(followed_at.0 + rng.range(0, 7 * SECONDS_PER_DAY));
        let bare = EngagementSummary::default();
        let hidden_fit = [1, 2]
            .map(|c| f64::from(score(&contexts[c], &profile, &bare, None, scored_at).fit_score));
        // Interest follows the real buyer: engaged people are likelier buyers.
        let interest = if kind == Kind::Professional {
            0.15 + 2.5 * (hidden_fit[0] / 100.0).powi(2)
        } else {
            0.1
        };
        let ledger: Vec<LedgerEntry> = (0..rng.poisson(interest))
            .map(|_| LedgerEntry {
                kind: event_kind(&mut rng),
                occurred_at: Timestamp(
                    followed_at.0 + rng.range(-20 * SECONDS_PER_DAY, scored_at.0 - followed_at.0),
                ),
                counted: true,
            })
            .collect();
        let summary = engagement::summarize(&ledger, &settings, scored_at);
        let frozen = freeze(&contexts[0], &profile, &summary, scored_at);
        followers.push(SyntheticFollower {
            kind,
            profile,
            ledger,
            points: summary.points,
            scored_at,
            frozen,
            hidden_fit,
            draw: rng.unit(),
            opportunity_delay_days: rng.range(1, 14),
            decision_delay_days: rng.range(30, 120),
            disqualified: rng.unit() < 0.3,
        });
    }
    followers.sort_by(|a, b| {
        a.scored_at
            .cmp(&b.scored_at)
            .then(a.profile.key.cmp(&b.profile.key))
    });
    let rests = |regime: usize| -> Vec<f64> {
        followers
            .iter()
            .filter(|f| f.kind == Kind::Professional)
            .map(|f| {
                FIT_EFFECT * f.hidden_fit[regime] / 100.0
                    + ENGAGEMENT_EFFECT * f.frozen.features.engagement_scale() / 100.0
            })
            .collect()
    };
    let alpha = [
        solve_alpha(&rests(0), base_rate),
        solve_alpha(&rests(1), base_rate),
    ];
    SyntheticAccount {
        index,
        config: typed,
        hidden,
        misses,
        base_rate,
        alpha,
        shift_at,
        followers,
    }
}

/// One account's data as a service would receive it: the configuration, the profiles with
/// their follower ids (in scoring order), each profile's engagement events, and the CRM
/// outcome events in time order. Deals are the followers the rules route (HOT or WARM
/// prospects) plus the default exploration share of lower-tier prospects; outcomes follow
/// the hidden buyer, with no ICP shift. For integration tests of the service.
#[derive(Debug, Clone)]
pub struct AccountOutcomes {
    pub config: AccountConfig,
    pub profiles: Vec<FollowerProfile>,
    pub engagement: Vec<Vec<LedgerEntry>>,
    pub scored_at: Vec<Timestamp>,
    pub events: Vec<(FollowerId, crate::engine::learning::OutcomeKind, Timestamp)>,
}

/// [`AccountOutcomes`] for account `index` of the world of `seed`, with `followers`
/// followers.
pub fn account_outcomes(seed: u64, index: usize, followers: usize) -> AccountOutcomes {
    use crate::engine::learning::{LearningPolicy, OutcomeKind, explores};
    use crate::engine::vocabulary::{Category, LeadTier};
    let world = account(
        seed,
        index,
        WorldSize {
            min_followers: followers,
            max_followers: followers + 1,
        },
    );
    let policy = LearningPolicy::default();
    let mut events = Vec::new();
    for (i, f) in world.followers.iter().enumerate() {
        let frozen = &f.frozen;
        if frozen.category != Category::Prospect {
            continue;
        }
        let grade = tier::grade(frozen.rule_fit_score, &world.config.settings.grade_cutoffs);
        let tier_now = tier::tier(
            grade,
            engagement::level(f.points, &world.config.settings.level_cutoffs),
        );
        let routed = matches!(tier_now, LeadTier::Hot | LeadTier::Warm)
            || explores(&f.profile.key, tier_now, frozen.category, &policy);
        if !routed {
            continue;
        }
        let opened = f.scored_at.minus_days(-f.opportunity_delay_days);
        let decided = opened.minus_days(-f.decision_delay_days);
        let won = f.draw < world.win_probability(i, false);
        let outcome = match (won, f.disqualified) {
            (true, _) => OutcomeKind::Won,
            (false, true) => OutcomeKind::Disqualified,
            (false, false) => OutcomeKind::Lost,
        };
        events.push((
            f.profile.key.id.clone(),
            OutcomeKind::OpportunityCreated,
            opened,
        ));
        events.push((f.profile.key.id.clone(), outcome, decided));
    }
    events.sort_by(|a, b| a.2.cmp(&b.2).then(a.0.cmp(&b.0)));
    AccountOutcomes {
        config: world.config,
        profiles: world.followers.iter().map(|f| f.profile.clone()).collect(),
        engagement: world.followers.iter().map(|f| f.ledger.clone()).collect(),
        scored_at: world.followers.iter().map(|f| f.scored_at).collect(),
        events,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::learning::OutcomeKind;

    const SMALL: WorldSize = WorldSize {
        min_followers: 1_500,
        max_followers: 1_501,
    };

    #[test]
    fn the_world_is_deterministic_and_mixes_right_and_wrong_icps() {
        let a = account(3, 0, SMALL);
        let b = account(3, 0, SMALL);
        assert_eq!(a.followers.len(), b.followers.len());
        assert_eq!(a.config, b.config);
        assert!(
            a.followers
                .iter()
                .zip(&b.followers)
                .all(|(x, y)| x.profile == y.profile && x.frozen == y.frozen && x.draw == y.draw)
        );
        assert!(a.is_right_icp());
        let wrong = account(3, 2, SMALL);
        assert_eq!(wrong.misses.len(), 2);
        assert_ne!(wrong.hidden, wrong.config);
        for world in [&a, &wrong] {
            assert!((0.01..=0.05).contains(&world.base_rate));
            let professionals: Vec<usize> = (0..world.followers.len())
                .filter(|&i| world.followers[i].kind == Kind::Professional)
                .collect();
            let mean = professionals
                .iter()
                .map(|&i| world.win_probability(i, false))
                .sum::<f64>()
                / professionals.len() as f64;
            assert!((mean - world.base_rate).abs() < 1e-6, "{mean}");
            let prospects = world
                .followers
                .iter()
                .filter(|f| f.frozen.category == crate::engine::vocabulary::Category::Prospect)
                .count();
            assert!(prospects > world.followers.len() / 10, "{prospects}");
        }
    }

    #[test]
    fn outcomes_come_after_the_opportunity_with_realistic_delays() {
        let data = account_outcomes(5, 1, 3_000);
        assert_eq!(data.profiles.len(), 3_000);
        assert!(!data.events.is_empty());
        assert!(data.events.windows(2).all(|w| w[0].2 <= w[1].2));
        let opened: std::collections::HashMap<_, _> = data
            .events
            .iter()
            .filter(|e| e.1 == OutcomeKind::OpportunityCreated)
            .map(|e| (e.0.clone(), e.2))
            .collect();
        for (id, kind, at) in &data.events {
            if *kind != OutcomeKind::OpportunityCreated {
                let days = (at.0 - opened[id].0) / SECONDS_PER_DAY;
                assert!((30..=120).contains(&days), "{days}");
            }
        }
    }
}
