//! SPEC §2 "Hard cases", one table per family, run through the whole scoring pipeline with
//! text as people write it in the seven supported languages (English, German, French,
//! Spanish, Portuguese, Dutch, Italian). Test-only: the rules themselves live in
//! `reading/` (`company_match.rs`, `title.rs`, `signals.rs`) and `deciding/` (`fit.rs`,
//! `category.rs`).

use std::sync::Arc;

use super::account::{AccountConfig, CompanySet};
use super::bot::shipped_model;
use super::context::ScoringContext;
use super::deciding::engagement::EngagementSummary;
use super::ids::{AccountId, FollowerId, FollowerKey};
use super::profile::FollowerProfile;
use super::score::score;
use super::time::Timestamp;
use super::vocabulary::{Category, Department, Platform, Seniority};

use Category::*;

/// 2026-11-15T00:00:00Z.
const NOW: Timestamp = Timestamp(1_794_700_800);
const DAY: i64 = 86_400;

/// An industrial-software account in DACH that also sells to Italy, Benelux and Iberia.
fn context() -> ScoringContext {
    let set = |names: &[&str], domains: &[&str]| CompanySet {
        names: names.iter().map(|s| s.to_string()).collect(),
        domains: domains.iter().map(|s| s.to_string()).collect(),
    };
    let mut config = AccountConfig::new(AccountId::parse("kronwerk").unwrap());
    config.own_company = set(&["Kronwerk Systems GmbH", "KronwerkHQ"], &["kronwerk.de"]);
    config.customers = set(&["Uptimo Analytics", "Lusomar, Lda."], &["uptimo.io"]);
    config.partners = set(&["Ledgerhaus B.V."], &[]);
    config.vendors = set(&["PixelForge Agentur"], &[]);
    config.competitors = set(&["Prodexa Systems AG"], &[]);
    config.target_accounts = set(&["Dolomiti Laminati S.r.l."], &[]);
    config.analyst_firms = set(&["Gartner"], &[]);
    config.influencer_handles = vec!["sabine_smartfactory".into()];
    config.icp.industries = vec!["Manufacturing".into(), "Machinery".into()];
    config.icp.min_company_size = Some(250);
    config.icp.max_company_size = Some(20_000);
    config.icp.regions = [
        "DACH",
        "Italy",
        "Netherlands",
        "Belgium",
        "Spain",
        "Portugal",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    config.icp.departments = vec![
        Department::Engineering,
        Department::Operations,
        Department::It,
        Department::Finance,
    ];
    config.icp.min_seniority = Some(Seniority::Manager);
    config.config_version = 1;
    ScoringContext::new(Arc::new(config), shipped_model())
}

/// A real-looking LinkedIn member: photo, a full network, a location.
fn linkedin(headline: &str) -> FollowerProfile {
    let mut p = FollowerProfile::new(FollowerKey {
        platform: Platform::LinkedIn,
        id: FollowerId::parse("member").unwrap(),
    });
    p.headline = Some(headline.to_owned());
    p.flags.has_photo = Some(true);
    p.flags.is_organization = Some(false);
    p.counts.connections = Some(500);
    p.location = Some("Graz, Austria".into());
    p
}

/// A real-looking, active X account whose bio is `bio`.
fn x(bio: &str) -> FollowerProfile {
    let mut p = FollowerProfile::new(FollowerKey {
        platform: Platform::Twitter,
        id: FollowerId::parse("4711").unwrap(),
    });
    p.handle = Some("someone".into());
    p.display_name = Some("Alex Someone".into());
    p.bio = Some(bio.to_owned());
    p.headline = bio.lines().next().map(str::to_owned);
    p.location = Some("Bolzano, Italy".into());
    p.counts.followers = Some(640);
    p.counts.following = Some(410);
    p.counts.posts = Some(2_300);
    p.counts.likes = Some(5_100);
    p.counts.listed = Some(6);
    p.flags.default_profile_image = Some(false);
    p.flags.has_photo = Some(true);
    p.created_at = Some(Timestamp(NOW.0 - 3_000 * DAY));
    p.last_active_at = Some(Timestamp(NOW.0 - 2 * DAY));
    p
}

/// A company with ICP-fitting facts: what an export gives for a person's employer.
fn at_fitting_company(mut p: FollowerProfile, company: &str) -> FollowerProfile {
    p.company = Some(company.to_owned());
    p.industry = Some("Industrial Machinery Manufacturing".into());
    p.company_size = Some(1_200);
    p
}

fn check(cases: Vec<(FollowerProfile, Category)>) {
    check_engaged(cases, &EngagementSummary::default());
}

fn check_engaged(cases: Vec<(FollowerProfile, Category)>, engagement: &EngagementSummary) {
    let ctx = context();
    for (profile, expected) in cases {
        let result = score(&ctx, &profile, engagement, None, NOW);
        assert_eq!(
            result.category,
            expected,
            "{:?} / {:?} / {:?}: {:#?}",
            profile.headline,
            profile.company,
            profile.bio,
            result
                .reasons
                .iter()
                .map(|r| &r.message)
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn where_someone_works_now_in_every_language() {
    let mut with_url = x("Plant IT, opinions my own");
    with_url.url = Some("https://www.kronwerk.de/team".into());
    check(vec![
        (linkedin("Leiterin Instandhaltung bei Uptimo"), Customer),
        (
            linkedin("Responsable maintenance chez Uptimo Analytics"),
            Customer,
        ),
        (linkedin("Hoofd IT bij Ledgerhaus"), Partner),
        (
            linkedin("Direttore Tecnico presso Dolomiti Laminati"),
            Prospect,
        ),
        (linkedin("Diretor Financeiro na Lusomar | Porto"), Customer),
        (linkedin("Jefa de Tesorería en Lusomar"), Customer),
        (linkedin("Werkleiter Prodexa | Lean & TPM"), Competitor),
        (linkedin("CISO, Prodexa Systems"), Competitor),
        (linkedin("Uptimo Analytics | Head of Data | Wien"), Customer),
        (x("Plant IT | @KronwerkHQ | Radfahrer"), Employee),
        (x("Shopfloor IT — kronwerk.de — Meinung privat"), Employee),
        (x("Mail me: jana@uptimo.io"), Customer),
        (with_url, Employee),
        // A listed name inside another word never matches.
        (x("Gründerin von Uptimology, Yoga am Wochenende"), Other),
        (linkedin("Einkauf bei Prodexaworks Handels GmbH"), Other),
    ]);
}

#[test]
fn former_employment_is_not_employment() {
    check(vec![
        (
            linkedin("Ex-Prodexa | jetzt Werkleiter bei Dolomiti Laminati"),
            Prospect,
        ),
        (
            linkedin("Formerly VP Operations at Uptimo. Retired."),
            Other,
        ),
        (linkedin("Ehemals Kronwerk, heute Imker im Allgäu"), Other),
        (linkedin("Ancien directeur technique chez Uptimo"), Other),
        (
            x("Antiguo CFO de Lusomar. Ahora, viajes y fotografía"),
            Other,
        ),
        (linkedin("Oud-medewerker Ledgerhaus | Fietser"), Other),
        (x("Data engineer, Uptimo (until 2023) | Bergsteiger"), Other),
        (x("Tesoureira na Lusomar até 2023 | corredora"), Other),
        (
            linkedin("Ex Kronwerk | Già in Prodexa fino al 2022 | Sommelier"),
            Other,
        ),
        (
            linkedin("Laid off after 9 years at Uptimo – looking for my next role in MES"),
            JobSeeker,
        ),
    ]);
}

#[test]
fn organisations_take_their_list_or_their_fit() {
    let page = |name: &str, industry: Option<&str>, size: Option<u64>, about: &str| {
        let mut p = linkedin(about);
        p.key.id = FollowerId::parse("company/page").unwrap();
        p.flags.is_organization = Some(true);
        p.display_name = Some(name.to_owned());
        p.company = Some(name.to_owned());
        p.industry = industry.map(str::to_owned);
        p.company_size = size;
        p.counts.connections = None;
        p
    };
    let mut own_x = x("Software für die smarte Fabrik. Impressum: kronwerk.de/impressum");
    own_x.display_name = Some("Kronwerk Systems GmbH".into());
    own_x.handle = Some("KronwerkHQ".into());
    let mut silent_org = page(
        "Lindqvist Maschinenbau GmbH",
        Some("Machinery Manufacturing"),
        Some(800),
        "Sondermaschinen seit 1962",
    );
    silent_org.last_active_at = Some(Timestamp(NOW.0 - 400 * DAY));
    check(vec![
        (
            page("Prodexa Systems AG", None, None, "MES für den Mittelstand"),
            Competitor,
        ),
        (own_x, Employee),
        (silent_org, Prospect),
        (
            page(
                "Growthmotor Agentur",
                Some("Marketing Services"),
                Some(12),
                "Wir helfen Softwarefirmen, Leads zu gewinnen",
            ),
            Vendor,
        ),
        (
            page(
                "Bäckerei Huber",
                Some("Food and Beverage"),
                Some(30),
                "Brot und Brezen seit 1901",
            ),
            Other,
        ),
    ]);
}

#[test]
fn prospects_need_a_fitting_role_and_uncontradicted_company_facts() {
    let fitting =
        |headline: &str| at_fitting_company(linkedin(headline), "Lindqvist Maschinenbau GmbH");
    let mut abroad = fitting("Head of Production");
    abroad.location = Some("Chicago, Illinois, United States".into());
    let mut hospital = fitting("Head of IT");
    hospital.industry = Some("Hospitals and Health Care".into());
    let mut werkstudent = linkedin("Werkstudent bei Dolomiti Laminati");
    werkstudent.location = Some("Innsbruck, Austria".into());
    check(vec![
        (fitting("Head of Production"), Prospect),
        (fitting("Leiter Konstruktion"), Prospect),
        (fitting("Responsable de Production"), Prospect),
        (fitting("Hoofd Engineering"), Prospect),
        (fitting("Responsabile IT"), Prospect),
        (fitting("Xefe de Tesouraría"), Prospect),
        (fitting("Gerente de TI"), Prospect),
        // Role below the minimum, or outside the ICP's departments.
        (fitting("Production Technician"), Other),
        (fitting("Marketing Manager"), Other),
        // A company fact contradicts: region, industry.
        (abroad, Other),
        (hospital, Other),
        // Anyone real at a target account, whatever the role.
        (werkstudent, Prospect),
        // No current employer.
        (linkedin("Retired CFO | grandfather | sailing"), Other),
    ]);
}

#[test]
fn influencers_by_list_firm_or_role_with_reach() {
    let reach = |bio: &str, followers: u64| {
        let mut p = x(bio);
        p.counts.followers = Some(followers);
        p
    };
    let mut listed = x("I help manufacturers sell smarter | Keynotes & workshops");
    listed.handle = Some("Sabine_SmartFactory".into());
    check(vec![
        (listed, Influencer),
        (linkedin("VP Analyst at Gartner covering MES"), Influencer),
        (
            linkedin("Account Executive at Gartner | DACH manufacturing"),
            Vendor,
        ),
        (
            reach("Journalist für Industrie 4.0 bei der Fachpresse", 12_000),
            Influencer,
        ),
        (
            reach(
                "Giornalista, caporedattrice di una rivista di automazione",
                9_000,
            ),
            Influencer,
        ),
        (
            reach("Freelance journalist: factories, robots and people", 7_400),
            Influencer,
        ),
        (
            reach("Journaliste indépendante, industrie et énergie", 800),
            Other,
        ),
        (reach("Data Analyst | Python | Power BI", 6_000), Other),
    ]);
}

#[test]
fn vendors_by_description_and_consumer_sellers_who_are_not() {
    check(vec![
        (
            linkedin("Headhunter für Ingenieure | Executive Search DACH"),
            Vendor,
        ),
        (
            linkedin("Tech Recruiter | Contratando talento fintech en LATAM"),
            Vendor,
        ),
        (
            linkedin("Agendamos reuniones con CFOs para tu equipo comercial | SDR as a service"),
            Vendor,
        ),
        (linkedin("Fractional CFO for SaaS scale-ups"), Vendor),
        (
            linkedin("Consulente marketing B2B | Aiuto le aziende a generare lead"),
            Vendor,
        ),
        (linkedin("Personal Trainer & Yoga-Coach in Zürich"), Other),
        (linkedin("Agent immobilier à Lyon"), Other),
        (linkedin("Abogada de familia en Madrid"), Other),
        (
            linkedin("Yogadocent & life coach | Workshops in Utrecht"),
            Other,
        ),
    ]);
}

#[test]
fn job_seekers_in_every_language_unless_a_list_comes_first() {
    let mut flagged = linkedin("Supply Chain Planner");
    flagged.flags.open_to_work = Some(true);
    let mut customer_flagged = linkedin("Data Engineer at Uptimo");
    customer_flagged.flags.open_to_work = Some(true);
    check(vec![
        (flagged, JobSeeker),
        (linkedin("Maschinenbaustudentin @ TU Graz"), JobSeeker),
        (linkedin("Werkstudentin Einkauf"), JobSeeker),
        (
            linkedin("Op zoek naar een nieuwe uitdaging in inkoop"),
            JobSeeker,
        ),
        (x("Em busca de recolocação na área financeira"), JobSeeker),
        (
            linkedin("In cerca di nuove opportunità nel settore manifatturiero"),
            JobSeeker,
        ),
        (linkedin("Étudiant en logistique à Lille"), JobSeeker),
        (linkedin("Estudiante de ADE en la Complutense"), JobSeeker),
        (
            linkedin("Recently laid off | 8 yrs in payroll | #OpenToWork"),
            JobSeeker,
        ),
        (customer_flagged, Customer),
    ]);
}

#[test]
fn dormant_means_no_sign_of_life() {
    let mut empty = linkedin("");
    empty.headline = None;
    empty.counts.connections = Some(12);
    let mut empty_but_connected = empty.clone();
    empty_but_connected.counts.connections = Some(500);
    let mut silent = x("Krankenpfleger, Bergfex");
    silent.last_active_at = Some(Timestamp(NOW.0 - 200 * DAY));
    let mut quiet = silent.clone();
    quiet.last_active_at = Some(Timestamp(NOW.0 - 100 * DAY));
    let mut v2_empty = x("");
    v2_empty.bio = None;
    v2_empty.headline = None;
    v2_empty.last_active_at = None;
    v2_empty.counts.posts = Some(3);
    check(vec![
        (empty.clone(), Dormant),
        (empty_but_connected, Other),
        (silent, Dormant),
        (quiet, Other),
        (v2_empty, Dormant),
    ]);
    // Engagement with the account is a sign of life.
    let engaged = EngagementSummary {
        counted_events: 1,
        ..EngagementSummary::default()
    };
    check_engaged(vec![(empty, Other)], &engaged);
}
