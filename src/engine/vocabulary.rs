//! The product's vocabulary (SPEC §1) as closed Rust enums: platforms, categories, grades,
//! tiers, actions, seniorities, departments, engagement types and company lists.
//!
//! Owns the fixed tables that belong to the words themselves (category precedence, the
//! default qualified and excluded sets, default engagement weights). It does not decide
//! which category a follower gets; that is `category.rs`.

use serde::{Deserialize, Serialize};

/// Declares a closed enum with a stable `as_str` name (used in reasons, logs and docs) and
/// an `ALL` list in declaration order.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Position in `ALL`; used to index fixed-size counters.
            pub const fn index(self) -> usize {
                self as usize
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary!(
    /// The social platform a follower follows the account on.
    Platform {
        LinkedIn => "LINKEDIN",
        Twitter => "TWITTER",
        Facebook => "FACEBOOK",
        Instagram => "INSTAGRAM",
        Other => "OTHER",
    }
);

vocabulary!(
    /// Who a follower is. Declaration order is the precedence order of SPEC §1: when several
    /// categories apply, the earliest wins and the others become secondary labels.
    Category {
        Bot => "BOT",
        Employee => "EMPLOYEE",
        Competitor => "COMPETITOR",
        Customer => "CUSTOMER",
        Partner => "PARTNER",
        Vendor => "VENDOR",
        Prospect => "PROSPECT",
        Influencer => "INFLUENCER",
        JobSeeker => "JOB_SEEKER",
        BrandFan => "BRAND_FAN",
        Dormant => "DORMANT",
        Other => "OTHER",
    }
);

pub const CATEGORY_COUNT: usize = Category::ALL.len();

impl Category {
    /// SPEC §1 default: these count as qualified followers.
    pub const DEFAULT_QUALIFIED: &'static [Category] = &[
        Category::Prospect,
        Category::Customer,
        Category::Partner,
        Category::Influencer,
    ];

    /// SPEC §1 default: these are left out of growth figures and count as "excluded".
    pub const DEFAULT_EXCLUDED: &'static [Category] = &[
        Category::Employee,
        Category::Competitor,
        Category::Vendor,
        Category::Bot,
    ];

    /// Leads get a tier from the grade × level matrix; everyone else is NOT_A_LEAD.
    pub const fn is_lead(self) -> bool {
        matches!(
            self,
            Category::Prospect | Category::Customer | Category::Partner
        )
    }
}

vocabulary!(
    /// How well a follower fits the ideal customer profile.
    FitGrade {
        A => "A",
        B => "B",
        C => "C",
        D => "D",
    }
);

vocabulary!(
    /// How hot a lead is.
    LeadTier {
        Hot => "HOT",
        Warm => "WARM",
        Nurture => "NURTURE",
        Cold => "COLD",
        NotALead => "NOT_A_LEAD",
    }
);

pub const TIER_COUNT: usize = LeadTier::ALL.len();

vocabulary!(
    /// What to do next about a follower.
    Action {
        None => "NONE",
        FollowBack => "FOLLOW_BACK",
        ThankAndShareContent => "THANK_AND_SHARE_CONTENT",
        RouteToSales => "ROUTE_TO_SALES",
        Nurture => "NURTURE",
        RouteToAccountManager => "ROUTE_TO_ACCOUNT_MANAGER",
        EngageInfluencer => "ENGAGE_INFLUENCER",
        ExcludeFromMetrics => "EXCLUDE_FROM_METRICS",
        Watch => "WATCH",
        Prune => "PRUNE",
        RouteToRecruiting => "ROUTE_TO_RECRUITING",
        Amplify => "AMPLIFY",
    }
);

pub const ACTION_COUNT: usize = Action::ALL.len();

vocabulary!(
    /// The seniority ladder, most senior first.
    Seniority {
        Owner => "OWNER",
        CLevel => "C_LEVEL",
        Vp => "VP",
        Head => "HEAD",
        Director => "DIRECTOR",
        Manager => "MANAGER",
        Senior => "SENIOR",
        Entry => "ENTRY",
        Intern => "INTERN",
    }
);

impl Seniority {
    /// True when `self` is at least as senior as `minimum`.
    pub fn at_least(self, minimum: Seniority) -> bool {
        self.index() <= minimum.index()
    }

    /// Decision makers sign or strongly influence a purchase.
    pub fn is_decision_maker(self) -> bool {
        self.at_least(Seniority::Director)
    }
}

vocabulary!(
    /// The business function a title belongs to.
    Department {
        Sales => "SALES",
        Marketing => "MARKETING",
        Engineering => "ENGINEERING",
        It => "IT",
        Product => "PRODUCT",
        Finance => "FINANCE",
        Procurement => "PROCUREMENT",
        Operations => "OPERATIONS",
        Hr => "HR",
        Legal => "LEGAL",
        Executive => "EXECUTIVE",
        Support => "SUPPORT",
        Research => "RESEARCH",
    }
);

vocabulary!(
    /// Kinds of engagement event, with the SPEC §1 default weights.
    EngagementType {
        DemoRequest => "DEMO_REQUEST",
        WebinarAttended => "WEBINAR_ATTENDED",
        WebinarRegistration => "WEBINAR_REGISTRATION",
        ContentDownload => "CONTENT_DOWNLOAD",
        Share => "SHARE",
        Comment => "COMMENT",
        Mention => "MENTION",
        Reply => "REPLY",
        WebsiteVisit => "WEBSITE_VISIT",
        ProfileVisit => "PROFILE_VISIT",
        Like => "LIKE",
    }
);

pub const ENGAGEMENT_TYPE_COUNT: usize = EngagementType::ALL.len();

impl EngagementType {
    pub const fn default_weight(self) -> f64 {
        match self {
            EngagementType::DemoRequest => 40.0,
            EngagementType::WebinarAttended => 25.0,
            EngagementType::WebinarRegistration => 20.0,
            EngagementType::ContentDownload => 15.0,
            EngagementType::Share => 10.0,
            EngagementType::Comment => 8.0,
            EngagementType::Mention => 8.0,
            EngagementType::Reply => 6.0,
            EngagementType::WebsiteVisit => 5.0,
            EngagementType::ProfileVisit => 3.0,
            EngagementType::Like => 2.0,
        }
    }

    /// Public engagement with the account's content (what makes a BRAND_FAN); visits and
    /// form fills are not.
    pub const fn is_social(self) -> bool {
        matches!(
            self,
            EngagementType::Share
                | EngagementType::Comment
                | EngagementType::Mention
                | EngagementType::Reply
                | EngagementType::Like
        )
    }
}

vocabulary!(
    /// The account list a follower's company matched in.
    CompanyList {
        OwnCompany => "OWN_COMPANY",
        Customers => "CUSTOMERS",
        Partners => "PARTNERS",
        Vendors => "VENDORS",
        Competitors => "COMPETITORS",
        TargetAccounts => "TARGET_ACCOUNTS",
        AnalystFirms => "ANALYST_FIRMS",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_order_is_the_spec_precedence() {
        let names: Vec<_> = Category::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            names,
            [
                "BOT",
                "EMPLOYEE",
                "COMPETITOR",
                "CUSTOMER",
                "PARTNER",
                "VENDOR",
                "PROSPECT",
                "INFLUENCER",
                "JOB_SEEKER",
                "BRAND_FAN",
                "DORMANT",
                "OTHER"
            ]
        );
    }

    #[test]
    fn seniority_comparison_runs_down_the_ladder() {
        assert!(Seniority::Vp.at_least(Seniority::Director));
        assert!(Seniority::Director.at_least(Seniority::Director));
        assert!(!Seniority::Manager.at_least(Seniority::Director));
        assert!(Seniority::Owner.is_decision_maker());
        assert!(!Seniority::Senior.is_decision_maker());
    }
}
