//! The LinkedIn bot estimate: Bayes' rule on the odds, from the prior and a few documented,
//! conservative likelihood ratios over what a LinkedIn profile has (photo, connections,
//! followers, headline and about phrasing, name shape, completeness).
//!
//! There is no labelled LinkedIn data, so the X-trained forest is not run on LinkedIn
//! profiles: its strongest evidence (following far above followers, posts, likes, lists)
//! has no LinkedIn counterpart (a connection is mutual), and what it learnt about photos is
//! an artefact of one 2013 crawl (those fakes had stolen photos). What carries over from
//! the X data is the direction of a few signals, taken with ratios far below what the X
//! data shows (MODEL.md, "LinkedIn"). Missing is never evidence: an absent headline, photo
//! flag or count contributes nothing, so a profile that lacks signals stays at the prior,
//! and only positive evidence (scam phrasing, a bare network with no photo) moves it up.
//!
//! Each signal gives one reason with a stable code; the reasons' weights are the change in
//! probability from the prior, shared out in proportion to each signal's log likelihood
//! ratio, so they add up to probability − prior.

use std::sync::LazyLock;

use crate::engine::profile::FollowerProfile;
use crate::engine::reading::text::{PhraseTable, tokenize, words};
use crate::engine::reasons::Reason;

use super::BotAssessment;

/// What the estimate may know beyond the profile itself. `Default` is "nothing more".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkedInContext {
    /// How many of the account's followers (this one included) followed on the same day as
    /// this one, when the caller counted them. Bought followers arrive in batches.
    pub same_day_follows: Option<u32>,
}

/// One piece of evidence: a stable code, a sentence, and its likelihood ratio
/// P(signal | bought follower) / P(signal | real person).
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub code: &'static str,
    pub message: String,
    pub likelihood_ratio: f64,
}

/// Generation of the ratios and phrase lists below; bump it with any change to them.
pub const ESTIMATE_VERSION: &str = "li-2";

/// Likelihood ratios (bought follower : real person). Conservative on purpose: each is
/// well below what the X data or the phrasing alone would suggest, so that no single
/// signal but scam phrasing can carry a profile over the default threshold.
pub mod ratio {
    /// No photo. X: 19% of the 2018 vendor-bought followers had the default avatar against
    /// 1–2% of every human set (ratio ~10), but the 2013 bought followers had photos; and a
    /// LinkedIn profile without a photo is usually a dormant person.
    pub const NO_PHOTO: f64 = 1.5;
    pub const HAS_PHOTO: f64 = 0.7;
    /// Fewer than 10 connections: bought profiles are made in bulk and connect to nobody.
    pub const UNDER_10_CONNECTIONS: f64 = 1.6;
    /// 10–49 connections: a thin network, common among dormant people too.
    pub const UNDER_50_CONNECTIONS: f64 = 1.15;
    /// 300–499 connections: a working network.
    pub const OVER_300_CONNECTIONS: f64 = 0.5;
    /// 500+ connections (LinkedIn shows "500+").
    pub const OVER_500_CONNECTIONS: f64 = 0.35;
    /// 1,000+ followers: people follow this person.
    pub const OVER_1000_FOLLOWERS: f64 = 0.5;
    /// Get-rich-quick / crypto / "DM me" phrasing, by the number of distinct kinds found
    /// (contact-me, crypto/trading, easy money, money emoji).
    pub const PHRASING: [f64; 4] = [3.0, 8.0, 20.0, 30.0];
    /// Two or more digits in the display name ("Maria 8842"): generated names.
    pub const NAME_DIGITS: f64 = 2.0;
    /// A headline, a photo and where the person works or lives: someone built this profile.
    pub const COMPLETE_PROFILE: f64 = 0.7;
    /// Scam phrasing, no photo and fewer than 10 connections together: SPEC's portrait of a
    /// bought LinkedIn follower. The three are not independent among real people (someone
    /// who really sells trading courses has a photo and a network), so their product above
    /// understates how rarely a person shows all three; this ratio is that dependence.
    pub const BOUGHT_PROFILE_PORTRAIT: f64 = 3.0;
    /// At least this many follows on the same day as this one.
    pub const SAME_DAY_BURST_MIN: u32 = 50;
    pub const SAME_DAY_BURST: f64 = 2.0;
}

/// The kinds of scam phrasing, each with its phrases in the seven supported languages
/// (English, German, French, Spanish, Portuguese, Dutch, Italian), written as
/// `text::tokenize` folds text (lowercase, no accents, hyphens split).
const PHRASES: [(&str, &[&str]); 3] = [
    (
        "contact_me",
        &[
            // English
            "dm me",
            "dm for",
            "dm to",
            "inbox me",
            "message me for",
            "text me on",
            "whatsapp",
            "telegram",
            "follow back",
            "followback",
            "f4f",
            // German
            "schreib mir",
            "schreibt mir",
            "melde dich per dm",
            // French
            "ecris moi",
            "ecrivez moi",
            "contactez moi en prive",
            "envoie moi un message",
            // Spanish
            "escribeme",
            "mandame un mensaje",
            "mandame dm",
            "hablame al privado",
            // Portuguese
            "me chama no direct",
            "chama no direct",
            "chama no privado",
            "manda mensagem",
            // Dutch
            "stuur me een bericht",
            "stuur me een dm",
            // Italian
            "scrivimi",
            "contattami in privato",
        ],
    ),
    (
        "crypto_trading",
        &[
            "crypto",
            "bitcoin",
            "btc",
            "forex",
            "binary option",
            "binary options",
            "trading signals",
            "crypto signals",
            "signals group",
            "nft",
            "usdt",
            "krypto",
            "kryptowahrung",
            "cryptomonnaie",
            "cryptomonnaies",
            "criptomonedas",
            "criptomoedas",
            "cryptovaluta",
            "criptovalute",
            "opcoes binarias",
            "opciones binarias",
            "opzioni binarie",
        ],
    ),
    (
        "easy_money",
        &[
            // English
            "passive income",
            "financial freedom",
            "make money",
            "earn money",
            "get rich",
            "work from home",
            "guaranteed return",
            "guaranteed returns",
            "guaranteed profit",
            "daily profit",
            "100 profit",
            "be your own boss",
            "6 figures",
            "7 figures",
            "six figures",
            "investment opportunity",
            "double your",
            // German
            "passives einkommen",
            "finanzielle freiheit",
            "geld verdienen",
            "schnell reich",
            "von zu hause arbeiten",
            "nebenverdienst",
            // French
            "revenu passif",
            "revenus passifs",
            "liberte financiere",
            "gagner de l argent",
            "gagner de largent",
            "travail a domicile",
            "devenir riche",
            // Spanish
            "ingresos pasivos",
            "libertad financiera",
            "ganar dinero",
            "trabajo desde casa",
            "hazte rico",
            // Portuguese
            "renda passiva",
            "liberdade financeira",
            "ganhar dinheiro",
            "trabalhe de casa",
            "fique rico",
            "renda extra",
            // Dutch
            "passief inkomen",
            "financiele vrijheid",
            "snel rijk",
            "geld verdienen",
            // Italian
            "reddito passivo",
            "liberta finanziaria",
            "guadagnare soldi",
            "guadagno facile",
            "lavoro da casa",
        ],
    ),
];

/// Money and hype emoji of get-rich-quick profiles.
const MONEY_EMOJI: [char; 9] = ['💰', '💸', '🤑', '💵', '💲', '🚀', '📈', '💎', '🔥'];

/// Every phrase of `PHRASES`, indexed by its first word with the kind's position as its
/// value: a text is read in one pass with one hash lookup per word.
static SCAM_PHRASES: LazyLock<PhraseTable<usize>> = LazyLock::new(|| {
    PhraseTable::new(
        PHRASES
            .iter()
            .enumerate()
            .flat_map(|(kind, (_, phrases))| phrases.iter().map(move |phrase| (*phrase, kind))),
    )
});

/// The kinds of scam phrasing found in `text`, in a stable order.
pub fn scam_phrasing(text: &str) -> Vec<&'static str> {
    scam_phrasing_read(&words(&tokenize(text)), [text])
}

/// [`scam_phrasing`] of texts already folded: `tokens` are theirs, with a segment between
/// two texts (`reading::text::joined_tokens`), and `texts` are as written, for the emoji
/// that folding drops. No phrase holds a segment, so the kinds found do not depend on the
/// order of the texts.
fn scam_phrasing_read<'a>(
    tokens: &[&str],
    texts: impl IntoIterator<Item = &'a str>,
) -> Vec<&'static str> {
    let mut seen = [false; PHRASES.len()];
    let mut i = 0;
    while i < tokens.len() {
        match SCAM_PHRASES.longest_at(tokens, i) {
            Some(found) => {
                seen[found.value] = true;
                i += found.len;
            }
            None => i += 1,
        }
    }
    let mut kinds: Vec<&'static str> = PHRASES
        .iter()
        .zip(seen)
        .filter(|(_, seen)| *seen)
        .map(|((kind, _), _)| *kind)
        .collect();
    if texts
        .into_iter()
        .any(|text| text.chars().any(|c| MONEY_EMOJI.contains(&c)))
    {
        kinds.push("money_emoji");
    }
    kinds
}

/// The evidence a LinkedIn profile carries, strongest meaning first. `text_tokens`: the
/// headline, title and bio as the engine's readers fold them, when the caller has them
/// (`reading::text::joined_tokens`); otherwise they are folded here.
pub fn evidence(
    profile: &FollowerProfile,
    context: &LinkedInContext,
    text_tokens: Option<&[&str]>,
) -> Vec<Evidence> {
    let mut found = Vec::new();
    let mut push = |code, message: String, likelihood_ratio| {
        found.push(Evidence {
            code,
            message,
            likelihood_ratio,
        })
    };

    let texts = [&profile.headline, &profile.title, &profile.bio]
        .into_iter()
        .filter_map(|field| field.as_deref());
    let kinds = match text_tokens {
        Some(tokens) => scam_phrasing_read(tokens, texts),
        None => scam_phrasing(&texts.collect::<Vec<_>>().join(" | ")),
    };
    if let Some(kinds_found) = kinds.len().checked_sub(1) {
        let ratio = ratio::PHRASING[kinds_found.min(ratio::PHRASING.len() - 1)];
        push(
            "bot_get_rich_quick_headline",
            format!(
                "Its headline or about text reads like a bought profile ({})",
                kinds
                    .iter()
                    .map(|kind| kind.replace('_', " "))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ratio,
        );
    }

    match profile.flags.has_photo {
        Some(false) => push(
            "bot_no_profile_photo",
            "Has no profile photo".to_owned(),
            ratio::NO_PHOTO,
        ),
        Some(true) => push(
            "bot_has_profile_photo",
            "Has a profile photo of its own".to_owned(),
            ratio::HAS_PHOTO,
        ),
        None => {}
    }

    let counts = &profile.counts;
    if let Some(connections) = counts.connections {
        let band = match connections {
            0..=9 => Some(("bot_very_few_connections", ratio::UNDER_10_CONNECTIONS)),
            10..=49 => Some(("bot_few_connections", ratio::UNDER_50_CONNECTIONS)),
            50..=299 => None,
            300..=499 => Some(("bot_established_network", ratio::OVER_300_CONNECTIONS)),
            _ => Some(("bot_established_network", ratio::OVER_500_CONNECTIONS)),
        };
        if let Some((code, ratio)) = band {
            let message = if ratio > 1.0 {
                format!("Has only {connections} connections")
            } else {
                format!("Has a working network ({connections} connections)")
            };
            push(code, message, ratio);
        }
    }
    if let Some(followers) = counts.followers.filter(|followers| *followers >= 1_000) {
        push(
            "bot_many_followers",
            format!("{followers} people follow this profile"),
            ratio::OVER_1000_FOLLOWERS,
        );
    }

    if let Some(name) = profile.display_name.as_deref() {
        let digits = name.chars().filter(char::is_ascii_digit).count();
        if digits >= 2 {
            push(
                "bot_name_digits",
                format!("Its name contains {digits} digits, unlike a person's name"),
                ratio::NAME_DIGITS,
            );
        }
    }

    let has_text = |field: &Option<String>| field.as_deref().is_some_and(|t| !t.trim().is_empty());
    let situated = has_text(&profile.company)
        || has_text(&profile.title)
        || has_text(&profile.location)
        || has_text(&profile.country);
    if kinds.is_empty()
        && has_text(&profile.headline)
        && profile.flags.has_photo == Some(true)
        && situated
    {
        push(
            "bot_complete_profile",
            "Has a complete profile (headline, photo, where they work or live)".to_owned(),
            ratio::COMPLETE_PROFILE,
        );
    }

    let very_few_connections = counts.connections.is_some_and(|n| n < 10);
    if !kinds.is_empty() && profile.flags.has_photo == Some(false) && very_few_connections {
        push(
            "bot_bought_profile_portrait",
            "Scam phrasing, no photo and almost no connections: how bought profiles look"
                .to_owned(),
            ratio::BOUGHT_PROFILE_PORTRAIT,
        );
    }

    if let Some(same_day) = context
        .same_day_follows
        .filter(|count| *count >= ratio::SAME_DAY_BURST_MIN)
    {
        push(
            "bot_same_day_burst",
            format!("Followed on the same day as {same_day} other followers"),
            ratio::SAME_DAY_BURST,
        );
    }
    found
}

/// The estimate for a LinkedIn profile at `prior`, with one reason per signal.
pub fn assess(
    profile: &FollowerProfile,
    prior: f64,
    context: &LinkedInContext,
    text_tokens: Option<&[&str]>,
) -> BotAssessment {
    let evidence = evidence(profile, context, text_tokens);
    let log_ratio: f64 = evidence.iter().map(|e| e.likelihood_ratio.ln()).sum();
    let prior_odds = prior / (1.0 - prior);
    let odds = prior_odds * log_ratio.exp();
    let probability = odds / (1.0 + odds);
    let change = probability - prior;
    let reasons = evidence
        .iter()
        .map(|e| {
            let share = if log_ratio.abs() > 1e-12 {
                e.likelihood_ratio.ln() / log_ratio
            } else {
                0.0
            };
            Reason::new(e.code, e.message.clone(), change * share)
        })
        .collect();
    BotAssessment {
        probability,
        reasons,
        missing_signals: missing_signals(profile),
    }
}

/// The LinkedIn signals the estimate uses that the profile lacks.
fn missing_signals(profile: &FollowerProfile) -> Vec<&'static str> {
    let mut missing = Vec::new();
    if profile.flags.has_photo.is_none() {
        missing.push("photo");
    }
    if profile.counts.connections.is_none() {
        missing.push("connections");
    }
    if profile.headline.is_none() && profile.bio.is_none() {
        missing.push("headline");
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ids::{FollowerId, FollowerKey};
    use crate::engine::vocabulary::Platform;

    const PRIOR: f64 = 0.1;

    struct Row {
        name: &'static str,
        headline: Option<&'static str>,
        photo: Option<bool>,
        connections: Option<u64>,
        company: Option<&'static str>,
    }

    fn profile(row: &Row) -> FollowerProfile {
        let mut p = FollowerProfile::new(FollowerKey {
            platform: Platform::LinkedIn,
            id: FollowerId::parse("li-row").unwrap(),
        });
        p.display_name = Some(row.name.to_owned());
        p.headline = row.headline.map(str::to_owned);
        p.flags.has_photo = row.photo;
        p.counts.connections = row.connections;
        p.company = row.company.map(str::to_owned);
        p
    }

    #[test]
    fn phrasing_in_the_seven_languages() {
        let cases: [(&str, &[&str]); 10] = [
            (
                "DM me for crypto signals 💰",
                &["contact_me", "crypto_trading", "money_emoji"],
            ),
            ("Passive income | Financial freedom", &["easy_money"]),
            (
                "Passives Einkommen & finanzielle Freiheit – schreib mir",
                &["contact_me", "easy_money"],
            ),
            (
                "Liberté financière, écris-moi",
                &["contact_me", "easy_money"],
            ),
            (
                "Ingresos pasivos con criptomonedas",
                &["crypto_trading", "easy_money"],
            ),
            (
                "Renda extra? Me chama no direct",
                &["contact_me", "easy_money"],
            ),
            ("Passief inkomen 🚀", &["easy_money", "money_emoji"]),
            ("Reddito passivo, scrivimi", &["contact_me", "easy_money"]),
            ("VP Sales at Acme", &[]),
            ("Head of Treasury | Deutsche Bank", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(scam_phrasing(text), expected.to_vec(), "{text}");
        }
    }

    #[test]
    fn table_of_realistic_rows() {
        // (row, lower bound, upper bound) for the probability at a 10% prior.
        let rows = [
            // A bought follower: no photo, a handful of connections, a scam headline.
            (
                Row {
                    name: "Crypto Queen",
                    headline: Some("DM me for crypto signals 💰"),
                    photo: Some(false),
                    connections: Some(4),
                    company: None,
                },
                0.7,
                1.0,
            ),
            (
                Row {
                    name: "Anna 4471",
                    headline: Some("Passive income | Financial freedom | DM me"),
                    photo: Some(false),
                    connections: Some(2),
                    company: None,
                },
                0.7,
                1.0,
            ),
            // SPEC's portrait with one kind of phrasing: the portrait itself carries it over
            // the default threshold (0.7609).
            (
                Row {
                    name: "Emma Wilson",
                    headline: Some("Make money online 🔥 link in bio"),
                    photo: Some(false),
                    connections: Some(3),
                    company: None,
                },
                0.7609,
                1.0,
            ),
            // The same phrasing from someone with a photo and a network is a salesperson.
            (
                Row {
                    name: "Tom Berger",
                    headline: Some("Founder | DM me for a demo 🚀"),
                    photo: Some(true),
                    connections: Some(500),
                    company: Some("Acme"),
                },
                0.0,
                0.3,
            ),
            // An ordinary person.
            (
                Row {
                    name: "Jane Doe",
                    headline: Some("VP Sales at Acme"),
                    photo: Some(true),
                    connections: Some(300),
                    company: Some("Acme"),
                },
                0.0,
                0.05,
            ),
            (
                Row {
                    name: "Jürgen Weiß",
                    headline: Some("Vertriebsleiter DACH"),
                    photo: Some(true),
                    connections: Some(500),
                    company: Some("Siemens"),
                },
                0.0,
                0.05,
            ),
            // A nearly empty real profile: missing is not suspicious.
            (
                Row {
                    name: "Paul Martin",
                    headline: None,
                    photo: Some(false),
                    connections: Some(12),
                    company: None,
                },
                0.1,
                0.2,
            ),
            // Nothing known: exactly the prior.
            (
                Row {
                    name: "Ana Lima",
                    headline: None,
                    photo: None,
                    connections: None,
                    company: None,
                },
                PRIOR,
                PRIOR,
            ),
        ];
        for (row, low, high) in rows {
            let assessment = assess(&profile(&row), PRIOR, &LinkedInContext::default(), None);
            let p = assessment.probability;
            assert!(
                p >= low - 1e-12 && p <= high + 1e-12,
                "{}: {p} not in {low}..{high}: {assessment:?}",
                row.name
            );
            let total: f64 = assessment.reasons.iter().map(|r| r.weight).sum();
            assert!(
                (total - (p - PRIOR)).abs() < 1e-9,
                "{}: reasons add up to {total}",
                row.name
            );
        }
    }

    #[test]
    fn no_photo_raises_and_a_photo_lowers_with_matching_reasons() {
        let mut row = Row {
            name: "Paul Martin",
            headline: Some("Engineer"),
            photo: Some(false),
            connections: Some(120),
            company: None,
        };
        let without = assess(&profile(&row), PRIOR, &LinkedInContext::default(), None);
        row.photo = Some(true);
        let with = assess(&profile(&row), PRIOR, &LinkedInContext::default(), None);
        assert!(without.probability > with.probability);
        assert!(
            without
                .reasons
                .iter()
                .any(|r| r.code == "bot_no_profile_photo" && r.weight > 0.0)
        );
        assert!(
            without
                .reasons
                .iter()
                .all(|r| r.code != "bot_has_profile_photo")
        );
        assert!(
            with.reasons
                .iter()
                .any(|r| r.code == "bot_has_profile_photo" && r.weight < 0.0)
        );
    }

    #[test]
    fn same_day_burst_is_evidence_when_counted() {
        let row = Row {
            name: "Paul Martin",
            headline: None,
            photo: Some(false),
            connections: Some(3),
            company: None,
        };
        let alone = assess(&profile(&row), PRIOR, &LinkedInContext::default(), None);
        let burst = assess(
            &profile(&row),
            PRIOR,
            &LinkedInContext {
                same_day_follows: Some(400),
            },
            None,
        );
        assert!(burst.probability > alone.probability);
        assert!(burst.reasons.iter().any(|r| r.code == "bot_same_day_burst"));
    }
}
