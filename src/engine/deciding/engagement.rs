//! Engagement points (SPEC §1): weighted events with exponential time decay, at most
//! `DAILY_CAP_PER_TYPE` events of one type per follower per day, and the level cut-offs.
//!
//! Points are always recomputed from the follower's event ledger with the account's current
//! weights and half-life, so a settings change rescored later gives exact figures. This
//! module does not deduplicate events by id (the store knows which ids it has seen).

use serde::{Deserialize, Serialize};

use crate::engine::account::{LevelCutoffs, ScoringSettings};
use crate::engine::time::Timestamp;
use crate::engine::vocabulary::{ENGAGEMENT_TYPE_COUNT, EngagementType};

/// At most this many events of one type per follower per UTC day count.
pub const DAILY_CAP_PER_TYPE: u32 = 20;

/// An accepted event as the ledger keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub kind: EngagementType,
    pub occurred_at: Timestamp,
    /// False for events beyond the daily cap: kept so a resend is still a duplicate, but
    /// never counted.
    pub counted: bool,
}

/// What a follower's engagement amounts to as of one moment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EngagementSummary {
    /// Decayed points as of `as_of`.
    pub points: f64,
    pub as_of: Option<Timestamp>,
    pub last_engaged_at: Option<Timestamp>,
    /// Counted events that are public engagement with the account's content (shares,
    /// comments, mentions, replies, likes): what makes a BRAND_FAN.
    pub social_events: u32,
    pub counted_events: u32,
    /// Counted events per type (for reasons).
    pub by_type: [u32; ENGAGEMENT_TYPE_COUNT],
}

/// The decay factor for an event `age_days` old: halves every `half_life_days`. Events
/// dated after `as_of` count in full (clock skew between callers is not a penalty).
pub fn decay(age_days: f64, half_life_days: f64) -> f64 {
    if age_days <= 0.0 {
        1.0
    } else {
        (-age_days * std::f64::consts::LN_2 / half_life_days).exp()
    }
}

/// Sums the counted ledger entries with the account's weights, decayed to `as_of`.
pub fn summarize<'a>(
    entries: impl IntoIterator<Item = &'a LedgerEntry>,
    settings: &ScoringSettings,
    as_of: Timestamp,
) -> EngagementSummary {
    let mut summary = EngagementSummary {
        as_of: Some(as_of),
        ..EngagementSummary::default()
    };
    for entry in entries.into_iter().filter(|e| e.counted) {
        let weight = settings.engagement_weights[entry.kind.index()];
        let age = as_of.days_since(entry.occurred_at);
        summary.points += weight * decay(age, settings.half_life_days);
        summary.counted_events += 1;
        summary.by_type[entry.kind.index()] += 1;
        if entry.kind.is_social() {
            summary.social_events += 1;
        }
        summary.last_engaged_at = summary.last_engaged_at.max(Some(entry.occurred_at));
    }
    summary
}

/// The summary moved forward to a later moment: only the decay changes.
pub fn decay_to(summary: &EngagementSummary, settings: &ScoringSettings, now: Timestamp) -> f64 {
    match summary.as_of {
        Some(as_of) => summary.points * decay(now.days_since(as_of), settings.half_life_days),
        None => summary.points,
    }
}

/// Whether one more event of `kind` on the day of `at` still counts, given the ledger.
pub fn within_daily_cap<'a>(
    entries: impl IntoIterator<Item = &'a LedgerEntry>,
    kind: EngagementType,
    at: Timestamp,
) -> bool {
    let day = at.day();
    let same_day = entries
        .into_iter()
        .filter(|e| e.counted && e.kind == kind && e.occurred_at.day() == day)
        .count();
    (same_day as u32) < DAILY_CAP_PER_TYPE
}

/// Level 1 is the most engaged; default cut-offs 50/20/5 points.
pub fn level(points: f64, cutoffs: &LevelCutoffs) -> u8 {
    if points >= cutoffs.level1 {
        1
    } else if points >= cutoffs.level2 {
        2
    } else if points >= cutoffs.level3 {
        3
    } else {
        4
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::account::DEFAULT_LEVEL_CUTOFFS;
    use crate::engine::time::SECONDS_PER_DAY;

    const NOW: Timestamp = Timestamp(1_800_000_000);

    fn entry(kind: EngagementType, days_ago: i64) -> LedgerEntry {
        LedgerEntry {
            kind,
            occurred_at: NOW.minus_days(days_ago),
            counted: true,
        }
    }

    #[test]
    fn points_halve_every_half_life() {
        let settings = ScoringSettings::default();
        let check = |entries: &[LedgerEntry], expected: f64| {
            let got = summarize(entries, &settings, NOW).points;
            assert!(
                (got - expected).abs() < 1e-9,
                "{entries:?}: {got} != {expected}"
            );
        };
        check(&[entry(EngagementType::DemoRequest, 0)], 40.0);
        check(&[entry(EngagementType::DemoRequest, 30)], 20.0);
        check(&[entry(EngagementType::DemoRequest, 60)], 10.0);
        check(
            &[
                entry(EngagementType::Like, 0),
                entry(EngagementType::Comment, 30),
            ],
            2.0 + 4.0,
        );
        let uncounted = LedgerEntry {
            counted: false,
            ..entry(EngagementType::DemoRequest, 0)
        };
        check(&[uncounted], 0.0);
    }

    #[test]
    fn decaying_a_summary_equals_summarizing_later() {
        let settings = ScoringSettings::default();
        let entries = [
            entry(EngagementType::WebinarAttended, 3),
            entry(EngagementType::Share, 10),
        ];
        let earlier = summarize(&entries, &settings, NOW);
        let later = NOW.minus_days(-20);
        let expected = summarize(&entries, &settings, later).points;
        assert!((decay_to(&earlier, &settings, later) - expected).abs() < 1e-9);
    }

    #[test]
    fn cap_allows_twenty_events_of_a_type_per_day() {
        let at = Timestamp(NOW.day() * SECONDS_PER_DAY + 3600);
        let mut ledger = Vec::new();
        for i in 0..DAILY_CAP_PER_TYPE {
            assert!(
                within_daily_cap(&ledger, EngagementType::Like, at),
                "event {i}"
            );
            ledger.push(LedgerEntry {
                kind: EngagementType::Like,
                occurred_at: at,
                counted: true,
            });
        }
        assert!(!within_daily_cap(&ledger, EngagementType::Like, at));
        assert!(within_daily_cap(&ledger, EngagementType::Comment, at));
        assert!(within_daily_cap(
            &ledger,
            EngagementType::Like,
            at.minus_days(-1)
        ));
    }

    #[test]
    fn levels_follow_the_cutoffs() {
        let check = |points, expected| assert_eq!(level(points, &DEFAULT_LEVEL_CUTOFFS), expected);
        check(80.0, 1);
        check(50.0, 1);
        check(49.9, 2);
        check(20.0, 2);
        check(5.0, 3);
        check(4.9, 4);
        check(0.0, 4);
    }

    #[test]
    fn social_events_and_last_engagement_are_tracked() {
        let settings = ScoringSettings::default();
        let s = summarize(
            &[
                entry(EngagementType::Share, 5),
                entry(EngagementType::WebsiteVisit, 2),
            ],
            &settings,
            NOW,
        );
        assert_eq!(s.social_events, 1);
        assert_eq!(s.counted_events, 2);
        assert_eq!(s.last_engaged_at, Some(NOW.minus_days(2)));
    }
}
