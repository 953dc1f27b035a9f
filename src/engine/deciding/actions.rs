//! Next actions per category (SPEC §1 "Actions").

use crate::engine::vocabulary::{Action, Category, LeadTier};

/// The default actions for a follower of `category` whose lead tier is `tier`.
pub fn actions_for(category: Category, tier: LeadTier) -> Vec<Action> {
    use Action::*;
    match category {
        Category::Prospect => {
            let follow_up = if matches!(tier, LeadTier::Hot | LeadTier::Warm) {
                RouteToSales
            } else {
                Nurture
            };
            vec![FollowBack, ThankAndShareContent, follow_up]
        }
        Category::Customer => vec![FollowBack, RouteToAccountManager],
        Category::Partner => vec![FollowBack],
        Category::Influencer => vec![FollowBack, EngageInfluencer],
        Category::Employee | Category::Vendor => vec![ExcludeFromMetrics],
        Category::Competitor => vec![ExcludeFromMetrics, Watch],
        Category::Bot => vec![ExcludeFromMetrics, Prune],
        Category::JobSeeker => vec![RouteToRecruiting],
        Category::BrandFan => vec![Amplify],
        Category::Dormant | Category::Other => vec![None],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_follow_the_spec_table() {
        use Action::*;
        let check = |category, tier, expected: &[Action]| {
            assert_eq!(actions_for(category, tier), expected, "{category} {tier}");
        };
        check(
            Category::Prospect,
            LeadTier::Hot,
            &[FollowBack, ThankAndShareContent, RouteToSales],
        );
        check(
            Category::Prospect,
            LeadTier::Warm,
            &[FollowBack, ThankAndShareContent, RouteToSales],
        );
        check(
            Category::Prospect,
            LeadTier::Cold,
            &[FollowBack, ThankAndShareContent, Nurture],
        );
        check(
            Category::Customer,
            LeadTier::Hot,
            &[FollowBack, RouteToAccountManager],
        );
        check(Category::Partner, LeadTier::Cold, &[FollowBack]);
        check(
            Category::Influencer,
            LeadTier::NotALead,
            &[FollowBack, EngageInfluencer],
        );
        check(
            Category::Employee,
            LeadTier::NotALead,
            &[ExcludeFromMetrics],
        );
        check(
            Category::Competitor,
            LeadTier::NotALead,
            &[ExcludeFromMetrics, Watch],
        );
        check(Category::Vendor, LeadTier::NotALead, &[ExcludeFromMetrics]);
        check(
            Category::Bot,
            LeadTier::NotALead,
            &[ExcludeFromMetrics, Prune],
        );
        check(
            Category::JobSeeker,
            LeadTier::NotALead,
            &[RouteToRecruiting],
        );
        check(Category::BrandFan, LeadTier::NotALead, &[Amplify]);
        check(Category::Dormant, LeadTier::NotALead, &[None]);
        check(Category::Other, LeadTier::NotALead, &[None]);
    }
}
