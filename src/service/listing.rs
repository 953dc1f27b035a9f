//! The listing index: an account's current followers, highest lead score first, with what
//! ListFollowers and the report's top leads filter on.
//!
//! With a shared store (many replicas) the index cannot live in one replica's memory: it is
//! kept in the store, one entry per listed follower (`Entry`), changed by the same atomic
//! write as the follower, and walked in the store's order (`walk_entries`). What follows
//! describes the embedded store's in-memory index.
//!
//! It lives in memory, not in the store. On disk it cost 5–7 sled keys per follower (one per
//! facet), and sled's cost is per key: writes ran at a fraction of the one-key rate. The
//! index is derived data: it is built from the stored records the first time an account is
//! listed (seconds per million followers, without the account's lock: `ListingSlot`), then
//! kept up to date by the write path under the account's lock, and rebuilt from the records
//! after a failed write. Memory:
//! about 80 bytes per listed follower (its key and a few facet bytes in a B-tree).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::engine::ids::{FollowerId, FollowerKey};
use crate::engine::result::FollowerResult;
use crate::engine::vocabulary::{Action, Category, LeadTier, Platform};

/// ListFollowers filters; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct FollowerFilter {
    pub platform: Option<Platform>,
    pub category: Option<Category>,
    pub tier: Option<LeadTier>,
    pub action: Option<Action>,
}

impl FollowerFilter {
    /// Whether a served result still matches (rescoring on read can move it out): the
    /// same test the listing applies to its entries.
    pub(crate) fn accepts(&self, result: &FollowerResult) -> bool {
        result.is_following() && self.matches(&result.key, Facets::of(result))
    }

    /// The filter on what the listing keeps of a follower.
    fn matches(&self, key: &FollowerKey, facets: Facets) -> bool {
        self.platform.is_none_or(|p| p == key.platform)
            && self
                .category
                .is_none_or(|c| c.index() == usize::from(facets.category))
            && self
                .tier
                .is_none_or(|t| t.index() == usize::from(facets.tier))
            && self
                .action
                .is_none_or(|a| facets.actions & (1 << a.index()) != 0)
    }
}

/// Where a follower sits in the listing: by lead score, highest first, then by key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Position {
    /// 255 − lead score, so ascending order is highest score first.
    rank: u8,
    key: FollowerKey,
}

impl Position {
    fn of(result: &FollowerResult) -> Self {
        Self {
            rank: 255 - result.lead_score,
            key: result.key.clone(),
        }
    }

    /// Whether two results of a follower stand at the same place.
    fn same(a: &FollowerResult, b: &FollowerResult) -> bool {
        a.lead_score == b.lead_score && a.key == b.key
    }

    /// A page token: `v2.` then hex of the filter it belongs to (four bytes), rank,
    /// platform index and id bytes. A token only continues the listing it came from.
    pub(crate) fn to_token(&self, filter: &FollowerFilter) -> String {
        let id = self.key.id.as_str().as_bytes();
        let mut token = String::with_capacity(TOKEN_PREFIX.len() + 12 + id.len() * 2);
        token.push_str(TOKEN_PREFIX);
        for byte in filter_tag(filter)
            .iter()
            .chain(&[self.rank, self.key.platform.index() as u8])
            .chain(id)
        {
            token.push(HEX[usize::from(byte >> 4)] as char);
            token.push(HEX[usize::from(byte & 0xf)] as char);
        }
        token
    }

    /// The position a token of `filter`'s listing names; `None` for anything else.
    pub(crate) fn from_token(token: &str, filter: &FollowerFilter) -> Option<Self> {
        let hex = token.strip_prefix(TOKEN_PREFIX)?;
        if hex.len() % 2 != 0 || hex.len() > 600 || hex.len() < 14 {
            return None;
        }
        let bytes = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
            .collect::<Option<Vec<u8>>>()?;
        let (tag, bytes) = bytes.split_at(4);
        if tag != filter_tag(filter) {
            return None;
        }
        let platform = *Platform::ALL.get(usize::from(bytes[1]))?;
        let id = FollowerId::parse(std::str::from_utf8(&bytes[2..]).ok()?).ok()?;
        Some(Self {
            rank: bytes[0],
            key: FollowerKey { platform, id },
        })
    }
}

const TOKEN_PREFIX: &str = "v2.";

/// A filter's values, one byte each (0 for any, else index + 1).
fn filter_tag(filter: &FollowerFilter) -> [u8; 4] {
    let tag = |index: Option<usize>| index.map_or(0, |i| i as u8 + 1);
    [
        tag(filter.platform.map(|p| p.index())),
        tag(filter.category.map(|c| c.index())),
        tag(filter.tier.map(|t| t.index())),
        tag(filter.action.map(|a| a.index())),
    ]
}
const HEX: &[u8; 16] = b"0123456789abcdef";

/// What a listing filters on, packed small: one entry per listed follower.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Facets {
    category: u8,
    tier: u8,
    /// Bit `Action::index()` per action.
    actions: u32,
}

impl Facets {
    fn of(result: &FollowerResult) -> Self {
        Self {
            category: result.category.index() as u8,
            tier: result.lead_tier.index() as u8,
            actions: result
                .actions
                .iter()
                .fold(0, |bits, action| bits | 1 << action.index()),
        }
    }
}

/// Which followers a walk of the index keeps.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Selection<'a> {
    pub filter: Option<&'a FollowerFilter>,
    /// Only lead categories (the report's top leads).
    pub leads_only: bool,
}

impl Selection<'_> {
    fn accepts(&self, key: &FollowerKey, facets: Facets) -> bool {
        if self.leads_only && !Category::ALL[usize::from(facets.category)].is_lead() {
            return false;
        }
        self.filter.is_none_or(|filter| filter.matches(key, facets))
    }
}

/// The followers a walk found, and where the next walk continues.
#[derive(Debug, Default)]
pub(crate) struct Walk {
    pub keys: Vec<FollowerKey>,
    /// Set when entries remain after the last one examined.
    pub resume_after: Option<Position>,
}

/// A listed follower as a shared store keeps it: rank, platform, id, a zero byte, then the
/// facets (category, tier, actions as 4 big-endian bytes). Entries sort by bytes exactly as
/// positions do (ids hold no control characters, so the zero byte ends every id first).
pub(crate) struct Entry;

impl Entry {
    const FACET_BYTES: usize = 6;

    /// The entry of a result, if it is listed (a current follower).
    pub(crate) fn of(result: &FollowerResult) -> Option<Vec<u8>> {
        if !result.is_following() {
            return None;
        }
        let facets = Facets::of(result);
        let mut bytes = Self::prefix(&Position::of(result));
        bytes.push(0);
        bytes.push(facets.category);
        bytes.push(facets.tier);
        bytes.extend_from_slice(&facets.actions.to_be_bytes());
        Some(bytes)
    }

    fn prefix(position: &Position) -> Vec<u8> {
        let id = position.key.id.as_str().as_bytes();
        let mut bytes = Vec::with_capacity(3 + id.len() + Self::FACET_BYTES);
        bytes.push(position.rank);
        bytes.push(position.key.platform.index() as u8);
        bytes.extend_from_slice(id);
        bytes
    }

    /// The least byte string after every entry of `position` (and before the next
    /// position's): where a walk that resumes after `position` starts.
    pub(crate) fn after(position: &Position) -> Vec<u8> {
        let mut bytes = Self::prefix(position);
        bytes.push(1);
        bytes
    }

    fn parse(bytes: &[u8]) -> Option<(Position, Facets)> {
        let (head, facets) =
            bytes.split_at_checked(bytes.len().checked_sub(Self::FACET_BYTES + 1)?)?;
        let (&[0, category, tier], actions) = facets.split_at(3) else {
            return None;
        };
        let [rank, platform, id @ ..] = head else {
            return None;
        };
        let position = Position {
            rank: *rank,
            key: FollowerKey {
                platform: *Platform::ALL.get(usize::from(*platform))?,
                id: FollowerId::parse(std::str::from_utf8(id).ok()?).ok()?,
            },
        };
        let facets = Facets {
            category,
            tier,
            actions: u32::from_be_bytes(actions.try_into().ok()?),
        };
        Some((position, facets))
    }
}

/// Walks entries a shared store returns in order, `batch` at a time from `read(after,
/// count)`, as `ListingIndex::walk` walks memory: the same selection, limit and budget.
/// Entries that do not parse are skipped (and logged), never served.
pub(crate) fn walk_entries<E>(
    selection: Selection<'_>,
    after: Option<&Position>,
    limit: usize,
    budget: usize,
    mut read: impl FnMut(Option<&[u8]>, usize) -> Result<Vec<Vec<u8>>, E>,
) -> Result<Walk, E> {
    let mut walk = Walk::default();
    let mut from = after.map(Entry::after);
    let mut last: Option<Position> = after.cloned();
    let mut examined = 0;
    loop {
        let want = (budget - examined).min(limit.saturating_mul(2).clamp(64, 1_024));
        let entries = read(from.as_deref(), want)?;
        let exhausted = entries.len() < want;
        for bytes in &entries {
            if walk.keys.len() == limit || examined == budget {
                walk.resume_after = last;
                return Ok(walk);
            }
            examined += 1;
            match Entry::parse(bytes) {
                Some((position, facets)) => {
                    if selection.accepts(&position.key, facets) {
                        walk.keys.push(position.key.clone());
                    }
                    last = Some(position);
                }
                None => tracing::error!("a stored listing entry does not parse; skipped"),
            }
        }
        if exhausted {
            return Ok(walk);
        }
        if walk.keys.len() == limit || examined == budget {
            walk.resume_after = last;
            return Ok(walk);
        }
        from = entries.last().map(|bytes| {
            let mut next = bytes.clone();
            next.push(0);
            next
        });
    }
}

#[derive(Debug, Default)]
pub(crate) struct ListingIndex {
    entries: BTreeMap<Position, Facets>,
}

/// A follower's move in the listing, kept while the index is being built and replayed onto
/// it once the build is done (`ListingSlot`).
#[derive(Debug)]
pub(crate) struct ListingChange {
    old: Option<Position>,
    new: Option<(Position, Facets)>,
}

impl ListingChange {
    fn of(old: Option<&FollowerResult>, new: Option<&FollowerResult>) -> Self {
        Self {
            old: old.filter(|r| r.is_following()).map(Position::of),
            new: new
                .filter(|r| r.is_following())
                .map(|r| (Position::of(r), Facets::of(r))),
        }
    }
}

impl ListingIndex {
    /// Replaces a follower's old entry (if it was listed) with its new one (if it is).
    /// Only current followers are listed; an unfollowed or forgotten one is not.
    pub(crate) fn update(&mut self, old: Option<&FollowerResult>, new: Option<&FollowerResult>) {
        let old = old.filter(|r| r.is_following());
        let new = new.filter(|r| r.is_following());
        if let (Some(old), Some(new)) = (old, new)
            && Position::same(old, new)
        {
            // Most rewrites (a rescoring pass) keep the follower's place: one lookup.
            if let Some(facets) = self.entries.get_mut(&Position::of(new)) {
                *facets = Facets::of(new);
                return;
            }
        }
        if let Some(old) = old {
            self.entries.remove(&Position::of(old));
        }
        if let Some(new) = new {
            self.entries.insert(Position::of(new), Facets::of(new));
        }
    }

    /// [`update`](Self::update) from a change kept during a build. Replaying in write order
    /// is exact whichever of the follower's versions the build read: an entry the build
    /// read is removed by the change that replaced it, and the last change leaves the
    /// follower where its last write put it.
    fn replay(&mut self, change: ListingChange) {
        if let Some(old) = &change.old {
            self.entries.remove(old);
        }
        if let Some((position, facets)) = change.new {
            self.entries.insert(position, facets);
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Up to `limit` followers after `after` that `selection` accepts, examining at most
    /// `budget` entries so one call's cost stays bounded.
    pub(crate) fn walk(
        &self,
        selection: Selection<'_>,
        after: Option<&Position>,
        limit: usize,
        budget: usize,
    ) -> Walk {
        use std::ops::Bound;
        let range = match after {
            Some(position) => self
                .entries
                .range((Bound::Excluded(position), Bound::Unbounded)),
            None => self.entries.range(..),
        };
        let mut walk = Walk::default();
        let mut last = None;
        let mut exhausted = true;
        for (examined, (position, facets)) in range.enumerate() {
            if walk.keys.len() == limit || examined == budget {
                exhausted = false;
                break;
            }
            if selection.accepts(&position.key, *facets) {
                walk.keys.push(position.key.clone());
            }
            last = Some(position);
        }
        if !exhausted {
            walk.resume_after = last.cloned();
        }
        walk
    }
}

/// An account's in-memory listing: not built yet, being built, or ready.
///
/// The index is built from every stored record, which takes seconds at a million
/// followers, so it is built without the account's lock: the builder marks the slot
/// `Building`, reads the records unlocked, then installs the index under the lock. Writes
/// meanwhile keep their listing changes in the slot, and the install replays them, so the
/// account's writes and reads never wait for a build (only another listing waits, for the
/// same build). The changes kept meanwhile cost about a hundred bytes each: a build that
/// takes seconds while followers stream in keeps megabytes, not the records. A write that
/// fails empties the slot: memory and disk may disagree, and a build under way when it
/// happened is discarded rather than installed.
#[derive(Debug, Default)]
pub(crate) enum ListingSlot {
    #[default]
    Absent,
    Building {
        build: BuildId,
        pending: Vec<ListingChange>,
    },
    Ready(ListingIndex),
}

/// Which build a `Building` slot waits for, so that a build the slot has since given up
/// on (a failed write emptied it, another build started) is not installed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BuildId(u64);

impl ListingSlot {
    /// A follower's stored result changed from `old` to `new` (`None`: not stored).
    pub(crate) fn update(&mut self, old: Option<&FollowerResult>, new: Option<&FollowerResult>) {
        match self {
            Self::Absent => {}
            Self::Building { pending, .. } => pending.push(ListingChange::of(old, new)),
            Self::Ready(index) => index.update(old, new),
        }
    }

    /// Marks the slot as being built by a new build, whose id the builder hands back to
    /// [`finish`](Self::finish) or [`abandon`](Self::abandon).
    pub(crate) fn begin(&mut self) -> BuildId {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let build = BuildId(NEXT.fetch_add(1, Ordering::Relaxed));
        *self = Self::Building {
            build,
            pending: Vec::new(),
        };
        build
    }

    /// Installs `index`, read from the store while `build` ran, with the changes written
    /// meanwhile, unless the slot no longer waits for `build` (then `index` is dropped).
    pub(crate) fn finish(&mut self, build: BuildId, mut index: ListingIndex) {
        match std::mem::take(self) {
            Self::Building {
                build: awaited,
                pending,
            } if awaited == build => {
                for change in pending {
                    index.replay(change);
                }
                *self = Self::Ready(index);
            }
            other => *self = other,
        }
    }

    /// A build that ended without installing: the slot is empty again, unless it has moved
    /// on since.
    pub(crate) fn abandon(&mut self, build: BuildId) {
        if matches!(self, Self::Building { build: awaited, .. } if *awaited == build) {
            *self = Self::Absent;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::vocabulary::{Action, Category, LeadTier};

    fn result(id: &str, score: u8, category: Category) -> FollowerResult {
        use crate::engine::time::Timestamp;
        use crate::engine::vocabulary::FitGrade;
        FollowerResult {
            key: FollowerKey {
                platform: Platform::Twitter,
                id: FollowerId::parse(id).unwrap(),
            },
            category,
            computed_category: category,
            secondary_labels: Vec::new(),
            bot_probability: 0.1,
            fit_score: score,
            fit_grade: FitGrade::ALL[0],
            engagement_points: 0.0,
            engagement_level: 4,
            lead_tier: LeadTier::ALL[3],
            lead_score: score,
            actions: vec![Action::ALL[1]],
            reasons: Vec::new(),
            seniority: None,
            department: None,
            matched_company: None,
            matched_list: None,
            confidence: 1.0,
            missing_fields: Vec::new(),
            scored_at: Timestamp::from_unix_seconds(0),
            model_version: String::new(),
            config_version: 1,
            category_override: None,
            followed_at: None,
            unfollowed_at: None,
            last_engaged_at: None,
            win_probability: 0.0,
            fit_source: crate::engine::learning::FitSource::Rules,
            explored: false,
        }
    }

    #[test]
    fn walks_highest_score_first_and_resumes_where_it_stopped() {
        let mut index = ListingIndex::default();
        for (id, score) in [("a", 10), ("b", 90), ("c", 50), ("d", 90)] {
            index.update(None, Some(&result(id, score, Category::Prospect)));
        }
        let first = index.walk(Selection::default(), None, 3, usize::MAX);
        let ids: Vec<_> = first.keys.iter().map(|k| k.id.as_str()).collect();
        assert_eq!(ids, ["b", "d", "c"]);
        let any = FollowerFilter::default();
        let token = first.resume_after.unwrap().to_token(&any);
        let resume = Position::from_token(&token, &any).unwrap();
        let bots = FollowerFilter {
            category: Some(Category::Bot),
            ..FollowerFilter::default()
        };
        assert!(
            Position::from_token(&token, &bots).is_none(),
            "another filter's token"
        );
        let second = index.walk(Selection::default(), Some(&resume), 3, usize::MAX);
        let ids: Vec<_> = second.keys.iter().map(|k| k.id.as_str()).collect();
        assert_eq!(ids, ["a"]);
        assert!(second.resume_after.is_none());
    }

    #[test]
    fn a_rescored_follower_moves_and_an_unfollowed_one_leaves() {
        let mut index = ListingIndex::default();
        let before = result("a", 10, Category::Prospect);
        index.update(None, Some(&before));
        let moved = result("a", 80, Category::Prospect);
        index.update(Some(&before), Some(&moved));
        assert_eq!(index.len(), 1);
        // In place: the same score, another category.
        let after = result("a", 80, Category::Customer);
        index.update(Some(&moved), Some(&after));
        assert_eq!(index.len(), 1);
        let of = |category| {
            let filter = FollowerFilter {
                category: Some(category),
                ..FollowerFilter::default()
            };
            let selection = Selection {
                filter: Some(&filter),
                leads_only: false,
            };
            index.walk(selection, None, 10, usize::MAX).keys.len()
        };
        assert_eq!((of(Category::Prospect), of(Category::Customer)), (0, 1));
        let mut gone = after.clone();
        gone.unfollowed_at = Some(crate::engine::time::Timestamp::from_unix_seconds(1));
        index.update(Some(&after), Some(&gone));
        assert_eq!(index.len(), 0);
    }

    /// A shared store's listing (entries in byte order, walked in batches) answers every
    /// walk exactly as the in-memory index does, page after page.
    #[test]
    fn stored_entries_walk_exactly_like_the_index() {
        let mut index = ListingIndex::default();
        let mut entries = Vec::new();
        for i in 0..300u32 {
            let category = [Category::Customer, Category::Bot, Category::Employee][i as usize % 3];
            // Scores repeat, so ties are broken by id, ids of different lengths included.
            let id = format!("f{}", (i * 7919) % 1000);
            let r = result(&id, (i % 17) as u8 * 13, category);
            index.update(None, Some(&r));
            entries.push(Entry::of(&r).unwrap());
            let (position, facets) = Entry::parse(entries.last().unwrap()).unwrap();
            assert_eq!((position, facets), (Position::of(&r), Facets::of(&r)));
        }
        entries.sort();
        let read = |from: Option<&[u8]>, count: usize| -> Result<Vec<Vec<u8>>, ()> {
            Ok(entries
                .iter()
                .filter(|e| from.is_none_or(|f| e.as_slice() >= f))
                .take(count)
                .cloned()
                .collect())
        };
        let bots = FollowerFilter {
            category: Some(Category::Bot),
            ..FollowerFilter::default()
        };
        for (filter, leads_only) in [(None, false), (Some(&bots), false), (None, true)] {
            for (limit, budget) in [(1, usize::MAX), (7, usize::MAX), (50, 40), (500, 1_000)] {
                let selection = Selection { filter, leads_only };
                let mut after: Option<Position> = None;
                for _page in 0..400 {
                    let expected = index.walk(selection, after.as_ref(), limit, budget);
                    let stored =
                        walk_entries(selection, after.as_ref(), limit, budget, read).unwrap();
                    assert_eq!(stored.keys, expected.keys);
                    assert_eq!(stored.resume_after, expected.resume_after);
                    match expected.resume_after {
                        Some(next) => after = Some(next),
                        None => break,
                    }
                }
            }
        }
        // An unfollowed follower has no entry.
        let mut gone = result("gone", 10, Category::Bot);
        gone.unfollowed_at = Some(crate::engine::time::Timestamp(1));
        assert!(Entry::of(&gone).is_none());
    }

    #[test]
    fn filters_and_leads_only_select_and_the_budget_bounds_a_walk() {
        let mut index = ListingIndex::default();
        for i in 0..100u8 {
            let category = if i % 10 == 0 {
                Category::Customer
            } else {
                Category::Bot
            };
            index.update(None, Some(&result(&format!("f{i}"), i, category)));
        }
        let leads = index.walk(
            Selection {
                filter: None,
                leads_only: true,
            },
            None,
            100,
            usize::MAX,
        );
        assert_eq!(leads.keys.len(), 10);
        let filter = FollowerFilter {
            category: Some(Category::Bot),
            ..FollowerFilter::default()
        };
        let bounded = index.walk(
            Selection {
                filter: Some(&filter),
                leads_only: false,
            },
            None,
            100,
            20,
        );
        assert_eq!(bounded.keys.len(), 18, "20 examined, 2 of them customers");
        assert!(bounded.resume_after.is_some());
    }

    fn ids(slot: &ListingSlot) -> Vec<String> {
        let ListingSlot::Ready(index) = slot else {
            panic!("the listing is not ready: {slot:?}");
        };
        let walk = index.walk(Selection::default(), None, usize::MAX, usize::MAX);
        walk.keys.iter().map(|k| k.id.as_str().to_owned()).collect()
    }

    /// A build installs what it read with every change made meanwhile replayed, whichever
    /// version of a follower it read; a build the slot gave up on is never installed.
    #[test]
    fn a_build_installs_with_the_changes_made_meanwhile_or_not_at_all() {
        let (a, b, c) = (
            result("a", 10, Category::Prospect),
            result("b", 20, Category::Prospect),
            result("c", 30, Category::Prospect),
        );
        let (b_moved, b_moved_again) = (
            result("b", 90, Category::Prospect),
            result("b", 50, Category::Prospect),
        );
        let mut unfollowed = c.clone();
        unfollowed.unfollowed_at = Some(crate::engine::time::Timestamp::from_unix_seconds(1));
        // What the build read: "a", "b" as first stored, and "c" after its unfollow.
        let mut read = ListingIndex::default();
        for r in [&a, &b] {
            read.update(None, Some(r));
        }
        let mut slot = ListingSlot::default();
        slot.update(None, Some(&a));
        assert!(
            matches!(slot, ListingSlot::Absent),
            "nothing is kept before a build"
        );
        let build = slot.begin();
        // Meanwhile: "b" moves twice, "c" unfollows, "d" is new.
        slot.update(Some(&b), Some(&b_moved));
        slot.update(Some(&b_moved), Some(&b_moved_again));
        slot.update(Some(&c), Some(&unfollowed));
        slot.update(None, Some(&result("d", 70, Category::Prospect)));
        slot.finish(build, read);
        assert_eq!(ids(&slot), ["d", "b", "a"]);

        // A failed write empties the slot: the build under way is not installed, and one
        // that ends after another build began does not replace it.
        let build = slot.begin();
        slot = ListingSlot::Absent;
        slot.finish(build, ListingIndex::default());
        assert!(matches!(slot, ListingSlot::Absent));
        let stale = slot.begin();
        let current = slot.begin();
        slot.finish(stale, ListingIndex::default());
        slot.abandon(stale);
        assert!(matches!(slot, ListingSlot::Building { build, .. } if build == current));
        slot.abandon(current);
        assert!(matches!(slot, ListingSlot::Absent));
    }

    #[test]
    fn tokens_that_are_not_positions_are_refused() {
        let any = FollowerFilter::default();
        for token in ["", "v1.00", "v2.zz00", "v2.0a", "v2.0000000000ff61"] {
            assert!(Position::from_token(token, &any).is_none(), "{token}");
        }
    }
}
