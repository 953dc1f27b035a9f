//! Forgiving company matching (SPEC §2 "Company matching"): is this follower at one of the
//! companies the account listed (its own company, customers, partners, vendors, competitors,
//! target accounts, analyst firms)?
//!
//! Owns name and domain normalisation, the per-configuration [`CompanyIndex`] and the
//! lookup that reads a profile's company field, company domain, URL and free texts (text is
//! folded by `text.rs`, as for every matcher; a listed name right after a title asks
//! `title.rs` whether the words before it are one). It does not decide what a match means
//! for the follower's category; that is `category.rs`.

use serde::{Deserialize, Serialize};

use super::text::{AMP, AT, FastMap, ReadText, SEGMENT, tokenize, with_read_texts, words};
use super::title::parse_title;
use crate::engine::vocabulary::CompanyList;

// ---------------------------------------------------------------------------------------
// Names and domains.
// ---------------------------------------------------------------------------------------

/// Legal-form words dropped from the end of a company name. "company" and "co" are only
/// ever dropped at the end, so "The Company Store" keeps its words.
fn is_legal_suffix(word: &str) -> bool {
    matches!(
        word,
        "inc"
            | "incorporated"
            | "corp"
            | "corporation"
            | "co"
            | "company"
            | "ltd"
            | "limited"
            | "llc"
            | "llp"
            | "lp"
            | "plc"
            | "gmbh"
            | "mbh"
            | "ag"
            | "kg"
            | "kgaa"
            | "ohg"
            | "ug"
            | "se"
            | "sa"
            | "sas"
            | "sasu"
            | "sarl"
            | "eurl"
            | "spa"
            | "srl"
            | "sl"
            | "slu"
            | "sau"
            | "bv"
            | "nv"
            | "oy"
            | "oyj"
            | "ab"
            | "as"
            | "asa"
            | "aps"
            | "pty"
            | "pte"
            | "pvt"
            | "kk"
            | "ltda"
            | "sro"
            | "kft"
            | "zrt"
            | "dac"
            | "uc"
            | "cv"
            | "sapi"
            | "sacv"
            | "ua"
            | "vzw"
            | "asbl"
            | "bvba"
            | "cvba"
            | "sprl"
            | "scrl"
            | "sca"
            | "scs"
            | "sc"
            | "lda"
            | "eireli"
    )
}

/// Drops a leading "the" and trailing legal forms ("GmbH & Co. KG", "Pty Ltd", "S. A."),
/// never down to nothing: a company called "The Company" stays "company".
fn strip_affixes<'a, 'b>(mut words: &'b [&'a str]) -> &'b [&'a str] {
    if words.len() > 1 && words[0] == "the" {
        words = &words[1..];
    }
    loop {
        let n = words.len();
        if n <= 1 {
            return words;
        }
        let last = words[n - 1];
        if is_legal_suffix(last) {
            words = &words[..n - 1];
            // "S.A. de C.V.", "S.A.P.I. de C.V.": the "de" joins two legal forms.
            if words.len() > 2
                && words[words.len() - 1] == "de"
                && is_legal_suffix(words[words.len() - 2])
            {
                words = &words[..words.len() - 1];
            }
            // "& Co", "and Company": the joining word goes with the suffix.
            if words.len() > 1 && matches!(words[words.len() - 1], "and" | AMP) {
                words = &words[..words.len() - 1];
            }
            continue;
        }
        // "Private Limited" (India), after "limited" went.
        if last == "private" && n > 1 {
            words = &words[..n - 1];
            continue;
        }
        // A run of single letters spelled with spaces: "S. A.", "B. V.", "S p A".
        let run = words.iter().rev().take_while(|w| w.len() == 1).count();
        if (2..=3).contains(&run) && run < n {
            let mut joined = [0u8; 3];
            for (slot, w) in joined.iter_mut().zip(&words[n - run..]) {
                *slot = w.as_bytes()[0];
            }
            if std::str::from_utf8(&joined[..run]).is_ok_and(is_legal_suffix) {
                words = &words[..n - run];
                continue;
            }
        }
        return words;
    }
}

/// Appends the company words to `key` the way the index stores names: words joined by one
/// space, `&` spelled "and", structure tokens left out.
fn push_key(key: &mut String, words: &[&str]) {
    for w in words {
        if matches!(*w, AT | SEGMENT | "") {
            continue;
        }
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(if *w == AMP { "and" } else { w });
    }
}

/// A key with its spaces dropped ("acme bank" → "acmebank"), the way `compact` is keyed.
fn without_spaces(key: &str) -> String {
    let mut compact = String::with_capacity(key.len());
    for part in key.split(' ') {
        compact.push_str(part);
    }
    compact
}

/// The words of a tokenized text without structure tokens.
fn name_words(tokens: &str) -> Vec<&str> {
    let mut name = words(tokens);
    name.retain(|t| !matches!(*t, AT | SEGMENT));
    name
}

/// Normalises a company name as people write it: case, accents, punctuation, legal
/// suffixes, a leading "The", "&" ≡ "and". "Acme, Inc.", "ACME", "The Acme Corporation"
/// and "acme ltd" all become "acme". Empty when the name has no letters or digits.
pub fn normalize_company_name(raw: &str) -> String {
    let tokens = tokenize(raw);
    let words = name_words(&tokens);
    let mut key = String::with_capacity(tokens.len());
    push_key(&mut key, strip_affixes(&words));
    key
}

/// Second-level labels that, under a two-letter country TLD, form a public suffix
/// (`co.uk`, `com.au`, `co.jp`, `com.br`, `gob.mx`, `ac.at`, ...). A rule rather than the
/// full public suffix list: it covers how companies register in those countries.
fn is_second_level_label(label: &str) -> bool {
    matches!(
        label,
        "co" | "com"
            | "net"
            | "org"
            | "gov"
            | "gob"
            | "edu"
            | "ac"
            | "ne"
            | "or"
            | "go"
            | "ltd"
            | "plc"
            | "nic"
            | "mil"
            | "firm"
            | "gen"
            | "ind"
    )
}

fn is_valid_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label.chars().all(|c| c == '-' || c.is_alphanumeric())
}

/// The registrable domain in a domain, URL or e-mail address: "acme.com",
/// `https://www.acme.com/about`, "mail.acme.com", "jane@acme.com" and "ACME.COM." all give
/// "acme.com"; "shop.acme.co.uk" gives "acme.co.uk". `None` for anything that is not a
/// host name with a real top-level domain (IP addresses, "localhost", free text).
pub fn normalize_domain(raw: &str) -> Option<String> {
    let s = raw.trim();
    // A byte search: "://" is ASCII, so where its bytes start is a character boundary.
    let scheme_end = s.as_bytes().windows(3).position(|w| w == b"://");
    let s = scheme_end.map_or(s, |i| &s[i + 3..]);
    let end = s.find(['/', '?', '#']).unwrap_or(s.len());
    let mut host = &s[..end];
    if let Some(i) = host.rfind('@') {
        host = &host[i + 1..];
    }
    if let Some(i) = host.rfind(':') {
        host = &host[..i];
    }
    let host = host.trim_end_matches('.');
    // Validate in place and cut the registrable part before allocating: this runs for
    // every follower's domain and URL.
    let mut labels = 0;
    for label in host.split('.') {
        if !is_valid_label(label) {
            return None;
        }
        labels += 1;
    }
    let mut from_end = host.rsplit('.');
    let (Some(tld), Some(sld)) = (from_end.next(), from_end.next()) else {
        return None;
    };
    let tld_ok = tld.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("xn--"))
        || (tld.len() >= 2 && tld.chars().all(char::is_alphabetic));
    if !tld_ok {
        return None;
    }
    let keep = if tld.len() == 2 && is_second_level_label(&sld.to_ascii_lowercase()) {
        3
    } else {
        2
    };
    if labels < keep {
        // A bare public suffix such as "co.uk".
        return None;
    }
    let start = host
        .rmatch_indices('.')
        .nth(keep - 1)
        .map_or(0, |(i, _)| i + 1);
    Some(host[start..].to_lowercase())
}

/// Hosts shared by everyone: a profile URL on them says nothing about an employer. An
/// account that really is one of these lists it by company domain, which is still matched.
fn is_shared_host(domain: &str) -> bool {
    matches!(
        domain,
        "linkedin.com"
            | "lnkd.in"
            | "twitter.com"
            | "x.com"
            | "t.co"
            | "facebook.com"
            | "fb.com"
            | "instagram.com"
            | "youtube.com"
            | "youtu.be"
            | "tiktok.com"
            | "github.com"
            | "github.io"
            | "gitlab.com"
            | "medium.com"
            | "substack.com"
            | "linktr.ee"
            | "bit.ly"
            | "about.me"
            | "wordpress.com"
            | "blogspot.com"
            | "wixsite.com"
            | "notion.site"
            | "calendly.com"
            | "gmail.com"
            | "googlemail.com"
            | "outlook.com"
            | "hotmail.com"
            | "yahoo.com"
            | "icloud.com"
    )
}

// ---------------------------------------------------------------------------------------
// The index.
// ---------------------------------------------------------------------------------------

/// Where in the profile a company match was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MatchSource {
    /// The profile's company field.
    CompanyField,
    /// The company domain, or the host of the profile's URL.
    Domain,
    /// Free text: headline, title or bio ("VP Sales @ Acme", "Engineer at Acme | ...").
    Headline,
}

impl MatchSource {
    pub const fn as_str(self) -> &'static str {
        match self {
            MatchSource::CompanyField => "company",
            MatchSource::Domain => "domain",
            MatchSource::Headline => "headline",
        }
    }
}

/// One list the follower's company was found in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyMatch {
    pub list: CompanyList,
    /// The company as the account listed it ("Acme Inc", "acme.com").
    pub company: String,
    pub via: MatchSource,
}

#[derive(Debug, Clone)]
struct Listed {
    list: CompanyList,
    display: Box<str>,
}

/// Longest company name, in words, that free-text matching tries after a marker. Bounds the
/// work per marker whatever the configuration holds.
const MAX_NAME_WORDS: usize = 8;

/// The account's company lists, normalised once per configuration for constant-time
/// lookups: a follower is checked against 10,000 listed companies with a handful of hash
/// lookups, never a scan.
#[derive(Debug, Clone, Default)]
pub struct CompanyIndex {
    /// Normalised name → the lists it is in.
    names: FastMap<String, Vec<Listed>>,
    /// Names and domain labels without spaces or dots ("acmebank", "acmecom"), for
    /// "@AcmeBank" handles and run-together company fields.
    compact: FastMap<String, Vec<Listed>>,
    /// Registrable domain → the lists it is in.
    domains: FastMap<String, Vec<Listed>>,
    longest_name_words: usize,
    /// First words of listed names, so free text is tried for a name only where one can
    /// start ("Werkleiter Kronwerk": one hash lookup per word).
    first_words: FastMap<String, ()>,
    rejected: Vec<String>,
}

/// A short name a listed company may be written as, before the builder knows whether it is
/// distinctive: it must name one company only and not be a listed name itself.
#[derive(Debug)]
struct ShortName {
    /// The normalised full name it came from; two different ones make it ambiguous.
    full: String,
    entries: Vec<Listed>,
    ambiguous: bool,
}

/// Collects listed companies; see [`CompanyIndex::builder`].
#[derive(Debug, Default)]
pub struct CompanyIndexBuilder {
    index: CompanyIndex,
    short_names: FastMap<String, ShortName>,
}

fn insert(map: &mut FastMap<String, Vec<Listed>>, key: String, list: CompanyList, display: &str) {
    let entries = map.entry(key).or_default();
    // The first spelling listed wins; a name in several lists matches in each of them.
    if !entries.iter().any(|e| e.list == list) {
        entries.push(Listed {
            list,
            display: display.trim().into(),
        });
    }
}

impl CompanyIndexBuilder {
    /// Lists a company by name, shown as written.
    pub fn name(self, list: CompanyList, name: &str) -> Self {
        self.alias(list, name, name)
    }

    /// Lists `alias` as another name of `display` ("Alphabet" for "Google").
    pub fn alias(mut self, list: CompanyList, display: &str, alias: &str) -> Self {
        let tokens = tokenize(alias);
        let words = name_words(&tokens);
        let core = strip_affixes(&words);
        let mut key = String::with_capacity(tokens.len());
        push_key(&mut key, core);
        if key.is_empty() {
            self.index.rejected.push(alias.to_owned());
            return self;
        }
        if core.len() > 1 {
            self.propose_short_name(core, &key, list, display);
            insert(&mut self.index.compact, key.replace(' ', ""), list, display);
        }
        let index = &mut self.index;
        index.longest_name_words = index.longest_name_words.max(core.len()).min(MAX_NAME_WORDS);
        index.first_words.insert(core[0].to_owned(), ());
        insert(&mut index.names, key, list, display);
        self
    }

    /// "Uptimo" for "Uptimo Analytics": the name without its generic trailing words, kept
    /// (at `build`) only if it is no common word and names one listed company.
    fn propose_short_name(&mut self, core: &[&str], full: &str, list: CompanyList, display: &str) {
        let mut short = core;
        while short.len() > 1 && is_generic_trailing_word(short[short.len() - 1]) {
            short = &short[..short.len() - 1];
        }
        if short.len() == core.len() || (short.len() == 1 && is_common_word(short[0])) {
            return;
        }
        let mut key = String::with_capacity(full.len());
        push_key(&mut key, short);
        let entry = self.short_names.entry(key).or_insert_with(|| ShortName {
            full: full.to_owned(),
            entries: Vec::new(),
            ambiguous: false,
        });
        if entry.full != full {
            entry.ambiguous = true;
        } else if !entry.entries.iter().any(|e| e.list == list) {
            entry.entries.push(Listed {
                list,
                display: display.trim().into(),
            });
        }
    }

    /// Lists a company by domain, shown as written.
    pub fn domain(self, list: CompanyList, domain: &str) -> Self {
        self.domain_of(list, domain, domain)
    }

    /// Lists `domain` as a domain of `display`.
    pub fn domain_of(mut self, list: CompanyList, display: &str, domain: &str) -> Self {
        let Some(key) = normalize_domain(domain) else {
            self.index.rejected.push(domain.to_owned());
            return self;
        };
        // "@acme.com" in a bio folds to "acmecom".
        insert(&mut self.index.compact, key.replace('.', ""), list, display);
        insert(&mut self.index.domains, key, list, display);
        self
    }

    /// Lists an entry that may be a name or a domain: "acme.com" and "Booking.com" are
    /// indexed as both, "Acme Inc" as a name.
    pub fn entry(self, list: CompanyList, name_or_domain: &str) -> Self {
        let looks_like_domain = !name_or_domain.trim().contains(char::is_whitespace)
            && normalize_domain(name_or_domain).is_some();
        let builder = self.name(list, name_or_domain);
        if looks_like_domain {
            builder.domain(list, name_or_domain)
        } else {
            builder
        }
    }

    pub fn build(mut self) -> CompanyIndex {
        for (key, short) in self.short_names {
            // A listed name always wins over another company's short form.
            if short.ambiguous || self.index.names.contains_key(&key) {
                continue;
            }
            let compact = key.replace(' ', "");
            if let Some(first) = key.split(' ').next() {
                self.index.first_words.insert(first.to_owned(), ());
            }
            for listed in short.entries {
                insert(
                    &mut self.index.compact,
                    compact.clone(),
                    listed.list,
                    &listed.display,
                );
                insert(
                    &mut self.index.names,
                    key.clone(),
                    listed.list,
                    &listed.display,
                );
            }
        }
        self.index
    }
}

/// Markers that introduce a company in free text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Marker {
    /// "@", "at", "bei" (de), "chez" (fr), "bij" (nl), "presso" (it), "na"/"no"/"em" (pt):
    /// what follows is the employer.
    Strong,
    /// "en", "de" (es/fr), "à" (fr, folded to "a"): far more often "Máster en Marketing",
    /// "Jefe de Ventas" or "à Lyon", so they only count when the company name ends the
    /// segment ("Gerente de Ventas en Telefónica").
    Weak,
}

fn marker(token: &str) -> Option<Marker> {
    match token {
        AT | "at" | "bei" | "chez" | "bij" | "presso" | "na" | "no" | "em" => Some(Marker::Strong),
        "en" | "de" | "a" => Some(Marker::Weak),
        _ => None,
    }
}

/// Words that make a company mentioned in the same segment a past employer ("ex @Acme",
/// "formerly at Acme", "oud-Acme", "Acme alumni"), in the supported languages. Folded
/// spellings: "früher" is "fruher", "già" is "gia".
fn is_past(token: &str) -> bool {
    matches!(
        token,
        "ex" | "former"
            | "formerly"
            | "previously"
            | "prev"
            | "past"
            | "alum"
            | "alumni"
            | "alumnus"
            | "alumna"
            | "retired"
            | "ehemals"
            | "ehemalig"
            | "ehemalige"
            | "ehemaliger"
            | "vormals"
            | "fruher"
            | "anciennement"
            | "ancien"
            | "ancienne"
            | "auparavant"
            | "antes"
            | "anteriormente"
            | "antiguo"
            | "antigua"
            | "oud"
            | "voorheen"
            | "voormalig"
            | "voormalige"
            | "precedentemente"
            | "gia"
            // "laid off at Acme".
            | "laid"
    )
}

/// Whether the words before a company mention make it a past employer: a past word, or
/// "most recently" (said of the last job once it is over; "recently joined" is not).
fn past_before(words: &[&str]) -> bool {
    words.iter().enumerate().any(|(i, w)| {
        is_past(w) || (*w == "recently" && i > 0 && matches!(words[i - 1], "most" | "until"))
    })
}

/// Words that, before a year, end an employment: "Acme (until 2023)", "bis 2022",
/// "hasta 2021", "até 2023", "tot 2022", "fino al 2020", "jusqu'en 2021".
fn is_until(token: &str) -> bool {
    matches!(
        token,
        "until" | "till" | "bis" | "hasta" | "ate" | "tot" | "fino" | "jusquen" | "jusqu"
    )
}

fn is_year(token: &str) -> bool {
    token.len() == 4 && token.bytes().all(|b| b.is_ascii_digit())
}

/// "until 2023", "fino al 2020", "jusqu'en 2021" anywhere in `tokens`.
fn names_an_end(tokens: &[&str]) -> bool {
    tokens
        .iter()
        .enumerate()
        .any(|(i, t)| is_until(t) && tokens[i + 1..].iter().take(2).any(|next| is_year(next)))
}

/// Trailing words that many company names carry and people drop when they write the name
/// ("Uptimo" for "Uptimo Analytics"), in the supported languages. Only these are dropped to
/// form a short name, and only when the rest is distinctive (see `CompanyIndexBuilder`).
fn is_generic_trailing_word(word: &str) -> bool {
    matches!(
        word,
        "analytics"
            | "systems"
            | "system"
            | "systeme"
            | "sistemas"
            | "software"
            | "group"
            | "groupe"
            | "gruppe"
            | "grupo"
            | "gruppo"
            | "groep"
            | "holding"
            | "holdings"
            | "solutions"
            | "soluciones"
            | "solucoes"
            | "technologies"
            | "technology"
            | "tecnologia"
            | "tecnologias"
            | "labs"
            | "security"
            | "consulting"
            | "conseil"
            | "beratung"
            | "consultoria"
            | "consultores"
            | "services"
            | "servicios"
            | "servicos"
            | "servizi"
            | "diensten"
            | "logistics"
            | "logistica"
            | "logistik"
            | "logistique"
            | "logistiek"
            | "industries"
            | "international"
    )
}

/// Words too common to stand for one company on their own, whatever a list holds: a short
/// name that is one of these is never formed ("Data" from "Data Systems", "Nova" from "Nova
/// Group"). Common business words and short common nouns in the supported languages.
fn is_common_word(word: &str) -> bool {
    word.len() < 4
        || is_generic_trailing_word(word)
        || matches!(
            word,
            "data"
                | "digital"
                | "global"
                | "smart"
                | "cloud"
                | "tech"
                | "united"
                | "general"
                | "national"
                | "first"
                | "best"
                | "open"
                | "blue"
                | "green"
                | "black"
                | "white"
                | "north"
                | "south"
                | "east"
                | "west"
                | "star"
                | "nova"
                | "alpha"
                | "beta"
                | "delta"
                | "omega"
                | "prime"
                | "core"
                | "next"
                | "future"
                | "media"
                | "euro"
                | "europe"
                | "total"
                | "royal"
                | "city"
                | "metro"
                | "union"
                | "capital"
                | "plus"
                | "bright"
                | "clear"
                | "true"
                | "pure"
                | "power"
                | "energy"
                | "health"
                | "care"
                | "home"
                | "life"
                | "work"
                | "team"
                | "people"
                | "business"
                | "market"
                | "finance"
                | "bank"
                | "insurance"
                | "trade"
                | "industrial"
                | "industrie"
                | "industria"
                | "service"
                | "consult"
                | "partner"
                | "partners"
                | "network"
                | "networks"
                | "logic"
                | "vision"
                | "quantum"
                | "summit"
                | "pioneer"
                | "apex"
                | "vertex"
                | "zenith"
                | "atlas"
                | "orion"
                | "phoenix"
                | "titan"
                | "eagle"
                | "falcon"
                | "lion"
                | "tiger"
                | "river"
                | "ocean"
                | "mountain"
                | "stone"
                | "rock"
                | "solar"
                | "terra"
                | "aqua"
                | "nord"
                | "sud"
                | "ouest"
                | "este"
                | "oeste"
                | "norte"
                | "nuevo"
                | "nueva"
                | "novo"
                | "neue"
                | "neu"
                | "nieuw"
                | "nuovo"
                | "grand"
                | "gran"
                | "groot"
                | "gross"
                | "haus"
                | "casa"
                | "maison"
                | "huis"
                | "welt"
                | "monde"
                | "mundo"
                | "mondo"
                | "wereld"
                | "horizon"
                | "horizonte"
                | "orizzonte"
                | "sierra"
                | "monte"
                | "costa"
                | "valle"
                | "vale"
                | "porto"
                | "puerto"
                | "santa"
                | "santo"
                | "vida"
                | "tierra"
                | "mare"
                | "luce"
                | "alto"
                | "central"
                | "centro"
                | "zentrum"
                | "centre"
                | "premier"
                | "premium"
                | "elite"
                | "direct"
                | "express"
                | "rapid"
                | "swift"
                | "agile"
                | "simple"
                | "easy"
                | "active"
                | "dynamic"
                | "modern"
                | "classic"
                | "standard"
                | "select"
                | "peak"
                | "bridge"
                | "gate"
                | "harbour"
                | "harbor"
                | "anchor"
                | "compass"
                | "beacon"
                | "signal"
                | "spark"
                | "flow"
                | "wave"
                | "pulse"
                | "link"
                | "connect"
                | "technik"
                | "technique"
                | "tecnica"
                | "techniek"
                | "engineering"
                | "ingenieria"
        )
}

/// Handle endings dropped when "@acmehq" is not itself listed.
const HANDLE_ENDINGS: [&str; 7] = ["hq", "inc", "app", "io", "official", "corp", "team"];

impl CompanyIndex {
    pub fn builder() -> CompanyIndexBuilder {
        CompanyIndexBuilder::default()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty() && self.domains.is_empty()
    }

    /// Listed entries that normalised to nothing (no letters, not a domain), for
    /// configuration validation to report.
    pub fn rejected(&self) -> &[String] {
        &self.rejected
    }

    /// Every list the follower's company is in now (see [`CompanyIndex::lookup_all`]).
    pub fn lookup(
        &self,
        company: Option<&str>,
        company_domain: Option<&str>,
        url: Option<&str>,
        texts: &[Option<&str>],
    ) -> Vec<CompanyMatch> {
        self.lookup_all(company, company_domain, url, texts).current
    }

    /// Every list the follower's company is in, at most one match per list, strongest
    /// evidence first: the company field, then the company domain and URL, then `texts`
    /// (headline, title, bio; `None`s are skipped): a name after a marker or as a whole
    /// segment, or a listed domain written in the text. Companies the texts name as past
    /// employers ("ex-Acme", "formerly at Acme", "Acme (until 2023)") are returned apart,
    /// in `former`. Each field is folded once.
    pub fn lookup_all(
        &self,
        company: Option<&str>,
        company_domain: Option<&str>,
        url: Option<&str>,
        texts: &[Option<&str>],
    ) -> CompanyMatches {
        with_read_texts(texts, |read| {
            self.lookup_read(company, company_domain, url, read)
        })
    }

    /// [`CompanyIndex::lookup_all`] of texts already folded by the caller, which reads
    /// them for its titles and phrase signals too.
    pub(crate) fn lookup_read(
        &self,
        company: Option<&str>,
        company_domain: Option<&str>,
        url: Option<&str>,
        texts: &[Option<ReadText<'_>>],
    ) -> CompanyMatches {
        let mut found = CompanyMatches::default();
        let mut key = String::with_capacity(64);
        if !self.is_empty() {
            let out = &mut found.current;
            if let Some(company) = company {
                self.match_company_field(company, out);
            }
            if let Some(domain) = company_domain.and_then(normalize_domain) {
                self.push(self.domains.get(&domain), MatchSource::Domain, out);
            }
            if let Some(domain) = url.and_then(normalize_domain)
                && !is_shared_host(&domain)
            {
                self.push(self.domains.get(&domain), MatchSource::Domain, out);
            }
        }
        for text in texts.iter().flatten() {
            let tokens = text.tokens;
            found.names_an_employer |= names_an_employer(tokens);
            found.says_retired |= says_retired(tokens);
            found.says_official_account |= says_official_account(tokens);
            if !self.names.is_empty() || !self.compact.is_empty() {
                self.match_text(tokens, &mut key, &mut found);
            }
            if !self.domains.is_empty() {
                self.match_domains_in_text(text.raw, &mut found.current);
            }
        }
        found
    }

    /// Whether an account is an organisation's own, from its display name and handle: the
    /// listed company it is ("Kronwerk Systems GmbH", "@KronwerkHQ"), and whether its name
    /// carries a legal form ("Lindqvist Maschinenbau GmbH"), as a person's never does.
    pub fn own_account(&self, display_name: Option<&str>, handle: Option<&str>) -> OwnAccount {
        let mut own = OwnAccount::default();
        if let Some(name) = display_name {
            let tokens = tokenize(name);
            let words = name_words(&tokens);
            let core = strip_affixes(&words);
            let without_the = usize::from(words.first() == Some(&"the") && words.len() > 1);
            own.legal_form_in_name = core.len() + without_the < words.len();
            if !self.is_empty() {
                let mut key = String::with_capacity(tokens.len());
                push_key(&mut key, core);
                self.push(
                    self.names.get(&key),
                    MatchSource::CompanyField,
                    &mut own.listed,
                );
                if own.listed.is_empty() {
                    let compact = self.compact.get(&without_spaces(&key));
                    self.push(compact, MatchSource::CompanyField, &mut own.listed);
                }
            }
        }
        if own.listed.is_empty()
            && !self.is_empty()
            && let Some(handle) = handle
        {
            let folded = tokenize(handle.trim_start_matches('@'));
            let compact: String = folded
                .split(' ')
                .filter(|t| !matches!(*t, AT | SEGMENT | AMP))
                .collect();
            self.match_handle(&compact, &mut own.listed);
        }
        own
    }

    fn push(&self, entries: Option<&Vec<Listed>>, via: MatchSource, out: &mut Vec<CompanyMatch>) {
        for e in entries.into_iter().flatten() {
            if !out.iter().any(|m| m.list == e.list) {
                out.push(CompanyMatch {
                    list: e.list,
                    company: e.display.to_string(),
                    via,
                });
            }
        }
    }

    fn match_company_field(&self, raw: &str, out: &mut Vec<CompanyMatch>) {
        let tokens = tokenize(raw);
        let words = name_words(&tokens);
        let mut key = String::with_capacity(tokens.len());
        push_key(&mut key, strip_affixes(&words));
        let via = MatchSource::CompanyField;
        if let Some(found) = self.names.get(&key) {
            return self.push(Some(found), via, out);
        }
        // "AcmeBank" for "Acme Bank", "Acme Bank" for "AcmeBank".
        let compact = if key.contains(' ') {
            self.compact.get(&without_spaces(&key))
        } else {
            self.compact.get(&key)
        };
        if let Some(found) = compact {
            return self.push(Some(found), via, out);
        }
        // "Acme (acquired by Globex)", "Acme - Germany": the first segment names the company.
        if let Some(end) = tokens.find(" | ") {
            let first: Vec<&str> = tokens[..end]
                .split(' ')
                .filter(|t| !matches!(*t, AT | ""))
                .collect();
            key.clear();
            push_key(&mut key, strip_affixes(&first));
            if let Some(found) = self.names.get(&key) {
                return self.push(Some(found), via, out);
            }
        }
        // A company field that is a domain: "acme.com".
        if !raw.trim().contains(char::is_whitespace)
            && let Some(domain) = normalize_domain(raw)
        {
            self.push(self.domains.get(&domain), via, out);
        }
    }

    fn match_text(&self, tokens: &[&str], key: &mut String, found: &mut CompanyMatches) {
        let via = MatchSource::Headline;
        let segments: Vec<&[&str]> = tokens.split(|t| *t == SEGMENT).collect();
        for (n, segment) in segments.iter().enumerate() {
            // "Formerly: Acme", "Acme (until 2023)": the neighbouring segment dates it.
            let after_past =
                n > 0 && !segments[n - 1].is_empty() && segments[n - 1].iter().all(|t| is_past(t));
            let dated_past = names_an_end(segment)
                || segments.get(n + 1).is_some_and(|next| {
                    next.first().is_some_and(|t| is_until(t)) && names_an_end(next)
                });
            // "VP Sales | Acme Inc | Berlin": a segment that is exactly a listed company
            // ("@ Acme" as a whole segment too; an "@" further in is a marker, below), or a
            // past word and a listed company ("ex-Acme", "oud-Acme").
            let words = segment.strip_prefix(&[AT]).unwrap_or(segment);
            let past_words = words.iter().take_while(|t| is_past(t)).count();
            let words = &words[past_words..];
            let words = words.strip_prefix(&[AT]).unwrap_or(words);
            let core = strip_affixes(words);
            let plain = !core.contains(&AT) && core.first() != Some(&AMP);
            if plain && !core.is_empty() && core.len() <= self.longest_name_words {
                key.clear();
                push_key(key, core);
                if let Some(entries) = self.names.get(key.as_str()) {
                    let former = after_past || dated_past || past_words > 0;
                    self.push(Some(entries), via, found.pick(former));
                    continue;
                }
            }
            for (i, token) in segment.iter().enumerate() {
                let Some(kind) = marker(token) else { continue };
                let former = after_past || dated_past || past_before(&segment[..i]);
                let mut start = i + 1;
                if segment.get(start) == Some(&"the") {
                    start += 1;
                }
                self.match_after_marker(
                    &segment[start.min(segment.len())..],
                    kind,
                    *token == AT,
                    key,
                    found.pick(former),
                );
            }
            self.match_after_title(segment, after_past || dated_past, key, found);
        }
    }

    /// "Werkleiter Kronwerk", "Head of Reward Northcote Building Society": a listed name
    /// right after a title, with no marker between them. Only where a listed name can start,
    /// and only when the words before it read as a title (a seniority or a department).
    fn match_after_title(
        &self,
        segment: &[&str],
        dated_past: bool,
        key: &mut String,
        found: &mut CompanyMatches,
    ) {
        for i in 1..segment.len() {
            if !self.first_words.contains_key(segment[i]) || marker(segment[i - 1]).is_some() {
                continue;
            }
            let longest = self.longest_name_words.min(segment.len() - i);
            for n in (1..=longest).rev() {
                let words = &segment[i..i + n];
                if words.iter().any(|w| matches!(*w, AT | AMP)) {
                    continue;
                }
                key.clear();
                push_key(key, strip_affixes(words));
                let Some(entries) = self.names.get(key.as_str()) else {
                    continue;
                };
                let before = segment[..i].join(" ");
                let title = parse_title(&before);
                if title.seniority.is_none() && title.departments.is_empty() {
                    return;
                }
                let former = dated_past || past_before(&segment[..i]);
                self.push(Some(entries), MatchSource::Headline, found.pick(former));
                return;
            }
        }
    }

    /// Tries the n-grams that follow a marker, longest first, against the listed names.
    fn match_after_marker(
        &self,
        rest: &[&str],
        kind: Marker,
        is_at: bool,
        key: &mut String,
        out: &mut Vec<CompanyMatch>,
    ) {
        let via = MatchSource::Headline;
        let longest = self.longest_name_words.min(rest.len());
        for n in (1..=longest).rev() {
            let words = &rest[..n];
            if words.iter().any(|w| matches!(*w, AT | AMP)) {
                continue;
            }
            if kind == Marker::Weak && !rest[n..].iter().all(|w| is_legal_suffix(w)) {
                continue;
            }
            key.clear();
            push_key(key, words);
            if let Some(found) = self.names.get(key.as_str()) {
                return self.push(Some(found), via, out);
            }
        }
        // "@AcmeBank", "@acmehq", "@acme.com": a handle names the company without spaces.
        if let (true, Some(handle)) = (is_at, rest.first()) {
            self.match_handle(handle, out);
        }
    }

    /// A handle (folded, without "@") that is a listed name written without spaces, or
    /// one with a usual ending ("acmehq", "acme_official").
    fn match_handle(&self, handle: &str, out: &mut Vec<CompanyMatch>) {
        let via = MatchSource::Headline;
        if let Some(found) = self.compact.get(handle) {
            return self.push(Some(found), via, out);
        }
        for ending in HANDLE_ENDINGS {
            let Some(stem) = handle.strip_suffix(ending) else {
                continue;
            };
            if stem.len() < 3 {
                continue;
            }
            if let Some(found) = self.names.get(stem).or_else(|| self.compact.get(stem)) {
                return self.push(Some(found), via, out);
            }
        }
    }

    /// A listed domain written in free text: "kronwerk.de", "www.kronwerk.de/karriere",
    /// "jane@kronwerk.de". Hosts everyone shares (mail providers, link shorteners) say
    /// nothing about an employer and are skipped.
    fn match_domains_in_text(&self, raw: &str, out: &mut Vec<CompanyMatch>) {
        // Every candidate has a dot; most texts have none.
        if !raw.contains('.') {
            return;
        }
        let chunks = raw.split(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '|' | ',' | ';' | '(' | ')' | '[' | ']' | '<' | '>' | '"' | '\'' | '·' | '•'
                )
        });
        for chunk in chunks {
            let chunk = chunk
                .trim_start_matches('@')
                .trim_end_matches(['.', ':', '!', '?']);
            let Some(dot) = chunk.find('.') else { continue };
            let letters_around = chunk[..dot]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
                && chunk[dot + 1..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphabetic);
            if !letters_around {
                continue;
            }
            if let Some(domain) = normalize_domain(chunk)
                && !is_shared_host(&domain)
            {
                self.push(self.domains.get(&domain), MatchSource::Domain, out);
            }
        }
    }
}

/// Whether folded text names a current employer, listed or not: a strong marker ("at",
/// "@", "bei", "chez", "bij", "presso", "na", "no", "em") followed by a word, with no past
/// word before it in its segment ("VP Ops at Lindqvist", not "formerly at Lindqvist").
/// Someone with no current employer is never a PROSPECT (SPEC "Hard cases").
fn names_an_employer(tokens: &[&str]) -> bool {
    tokens.split(|t| *t == SEGMENT).any(|segment| {
        !names_an_end(segment)
            && segment.iter().enumerate().any(|(i, token)| {
                marker(token) == Some(Marker::Strong)
                    && segment
                        .get(i + 1)
                        .is_some_and(|next| !matches!(*next, AT | AMP) && !is_past(next))
                    && !past_before(&segment[..i])
            })
    })
}

/// Whether folded text says the person has retired ("Retired CFO", "jubilado", "im
/// Ruhestand", "gepensioneerd", "in pensione"): a past role, no current employer.
fn says_retired(tokens: &[&str]) -> bool {
    tokens.iter().any(|t| {
        matches!(
            *t,
            "retired"
                | "retiree"
                | "jubilado"
                | "jubilada"
                | "pensionado"
                | "pensionada"
                | "pensionista"
                | "retraite"
                | "retraitee"
                | "aposentado"
                | "aposentada"
                | "gepensioneerd"
                | "pensioen"
                | "rentner"
                | "rentnerin"
                | "ruhestand"
                | "pensionato"
                | "pensionata"
                | "pensione"
        )
    })
}

/// Whether folded text calls the account an organisation's official one ("Official
/// account of …", "Offizieller Account", "Compte officiel", "Cuenta oficial", "Conta
/// oficial", "Officieel account", "Account ufficiale").
fn says_official_account(tokens: &[&str]) -> bool {
    tokens.windows(2).any(|pair| {
        matches!(
            (pair[0], pair[1]),
            ("official", "account")
                | ("offizieller", "account")
                | ("offizielles", "profil")
                | ("compte", "officiel")
                | ("cuenta", "oficial")
                | ("conta", "oficial")
                | ("officieel", "account")
                | ("officiele", "account")
                | ("account", "ufficiale")
                | ("profilo", "ufficiale")
        )
    })
}

/// What an account's own name and handle say about it (see [`CompanyIndex::own_account`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnAccount {
    /// The listed companies the account is.
    pub listed: Vec<CompanyMatch>,
    /// The display name ends in a legal form ("… GmbH", "… S.L.").
    pub legal_form_in_name: bool,
}

/// What [`CompanyIndex::lookup_all`] found: where the follower works now, and the listed
/// companies their texts name as past employers (kept for reasons, never for categories).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompanyMatches {
    pub current: Vec<CompanyMatch>,
    pub former: Vec<CompanyMatch>,
    /// The texts name a current employer, listed or not ("Head of IT at Lindqvist").
    pub names_an_employer: bool,
    /// The texts say the person has retired.
    pub says_retired: bool,
    /// The texts call the account an organisation's official one.
    pub says_official_account: bool,
}

impl CompanyMatches {
    fn pick(&mut self, former: bool) -> &mut Vec<CompanyMatch> {
        if former {
            &mut self.former
        } else {
            &mut self.current
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use CompanyList::*;
    use MatchSource::*;

    fn check_name(raw: &str, expected: &str) {
        assert_eq!(
            normalize_company_name(raw),
            expected,
            "normalize_company_name({raw:?})"
        );
    }

    #[test]
    fn company_names_normalise_as_people_write_them() {
        let cases = [
            ("Acme, Inc.", "acme"),
            ("ACME", "acme"),
            ("The Acme Corporation", "acme"),
            ("acme ltd", "acme"),
            ("Acme Limited", "acme"),
            ("Acme LLC", "acme"),
            ("Acme GmbH & Co. KG", "acme"),
            ("Acme Pty Ltd", "acme"),
            ("Acme S.p.A.", "acme"),
            ("Acme S. A.", "acme"),
            ("Acme B.V.", "acme"),
            ("Acme Oy", "acme"),
            ("Acme Private Limited", "acme"),
            ("Acme & Co.", "acme"),
            ("Société Générale S.A.", "societe generale"),
            ("Müller Holding AG", "muller holding"),
            ("Procter & Gamble", "procter and gamble"),
            ("Procter and Gamble Co.", "procter and gamble"),
            ("AT&T Inc.", "att"),
            ("The Company", "company"),
            ("The Company Store", "company store"),
            ("  Acme   Labs  ", "acme labs"),
            ("Booking.com", "bookingcom"),
            ("Ünïcödé Gmbh", "unicode"),
            ("", ""),
            ("!!!", ""),
        ];
        for (raw, expected) in cases {
            check_name(raw, expected);
        }
    }

    fn check_domain(raw: &str, expected: Option<&str>) {
        assert_eq!(
            normalize_domain(raw).as_deref(),
            expected,
            "normalize_domain({raw:?})"
        );
    }

    #[test]
    fn domains_reduce_to_the_registrable_domain() {
        let cases = [
            ("acme.com", Some("acme.com")),
            ("https://www.acme.com/about", Some("acme.com")),
            ("mail.acme.com", Some("acme.com")),
            ("jane@acme.com", Some("acme.com")),
            ("ACME.COM.", Some("acme.com")),
            ("http://shop.acme.co.uk:8080/x?y=1", Some("acme.co.uk")),
            ("www.acme.com.au", Some("acme.com.au")),
            ("acme.co.jp", Some("acme.co.jp")),
            ("eu.app.acme.io", Some("acme.io")),
            ("www.acme.de", Some("acme.de")),
            ("co.uk", None),
            ("not a domain", None),
            ("acme", None),
            ("localhost", None),
            ("192.168.1.1", None),
            ("-acme.com", None),
            ("acme..com", None),
            ("", None),
            ("https://", None),
        ];
        for (raw, expected) in cases {
            check_domain(raw, expected);
        }
    }

    fn index() -> CompanyIndex {
        CompanyIndex::builder()
            .name(OwnCompany, "Finly GmbH")
            .domain(OwnCompany, "finly.io")
            .name(Customers, "Acme Inc.")
            .domain(Customers, "acme.com")
            .name(Customers, "Deutsche Bank AG")
            .name(Customers, "Telefónica S.A.")
            .name(Competitors, "Globex Corporation")
            .domain_of(Competitors, "Globex Corporation", "globex.co.uk")
            .name(Competitors, "Apple")
            .name(TargetAccounts, "Acme")
            .name(TargetAccounts, "AT&T")
            .name(Vendors, "Initech Consulting LLC")
            .name(Partners, "Acme Bank")
            .entry(AnalystFirms, "Gartner")
            .name(Customers, "")
            .domain(Customers, "not a domain")
            .build()
    }

    type Expected<'a> = &'a [(CompanyList, &'a str, MatchSource)];

    /// What `lookup` takes: company, company domain, URL, texts.
    type Query<'a> = (
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        [Option<&'a str>; 3],
    );

    fn check((company, domain, url, texts): Query<'_>, expected: Expected<'_>) {
        let got: Vec<(CompanyList, String, MatchSource)> = index()
            .lookup(company, domain, url, &texts)
            .into_iter()
            .map(|m| (m.list, m.company, m.via))
            .collect();
        let expected: Vec<(CompanyList, String, MatchSource)> = expected
            .iter()
            .map(|(l, c, v)| (*l, (*c).to_owned(), *v))
            .collect();
        assert_eq!(
            got, expected,
            "lookup({company:?}, {domain:?}, {url:?}, {texts:?})"
        );
    }

    fn company(c: &str) -> Query<'_> {
        (Some(c), None, None, [None; 3])
    }

    fn headline(h: &str) -> Query<'_> {
        (None, None, None, [Some(h), None, None])
    }

    #[test]
    fn company_field_matches_forgivingly_in_every_list() {
        let cases: [(_, Expected<'_>); 9] = [
            (
                company("ACME, Inc."),
                &[
                    (Customers, "Acme Inc.", CompanyField),
                    (TargetAccounts, "Acme", CompanyField),
                ],
            ),
            (
                company("The Acme Corporation"),
                &[
                    (Customers, "Acme Inc.", CompanyField),
                    (TargetAccounts, "Acme", CompanyField),
                ],
            ),
            (
                company("deutsche bank"),
                &[(Customers, "Deutsche Bank AG", CompanyField)],
            ),
            (
                company("Telefonica"),
                &[(Customers, "Telefónica S.A.", CompanyField)],
            ),
            (
                company("Finly"),
                &[(OwnCompany, "Finly GmbH", CompanyField)],
            ),
            (
                company("AcmeBank"),
                &[(Partners, "Acme Bank", CompanyField)],
            ),
            (
                company("Globex (acquired by Initech)"),
                &[(Competitors, "Globex Corporation", CompanyField)],
            ),
            (
                company("acme.com"),
                &[(Customers, "acme.com", CompanyField)],
            ),
            (company("Acmeology"), &[]),
        ];
        for (input, expected) in cases {
            check(input, expected);
        }
    }

    #[test]
    fn domains_and_urls_match_on_the_registrable_domain() {
        let cases: [(_, Expected<'_>); 6] = [
            (
                (None, Some("mail.acme.com"), None, [None; 3]),
                &[(Customers, "acme.com", Domain)],
            ),
            (
                (None, Some("jane@finly.io"), None, [None; 3]),
                &[(OwnCompany, "finly.io", Domain)],
            ),
            (
                (None, None, Some("https://www.globex.co.uk/team"), [None; 3]),
                &[(Competitors, "Globex Corporation", Domain)],
            ),
            (
                (
                    None,
                    None,
                    Some("https://www.linkedin.com/in/jane"),
                    [None; 3],
                ),
                &[],
            ),
            ((None, Some("acmeology.com"), None, [None; 3]), &[]),
            // The company field comes first; the domain adds only lists not yet matched.
            (
                (Some("Globex"), Some("acme.com"), None, [None; 3]),
                &[
                    (Competitors, "Globex Corporation", CompanyField),
                    (Customers, "acme.com", Domain),
                ],
            ),
        ];
        for (input, expected) in cases {
            check(input, expected);
        }
    }

    #[test]
    fn headlines_match_after_markers_and_in_exact_segments() {
        let cases: [(_, Expected<'_>); 22] = [
            (
                headline("VP Sales @ Acme"),
                &[
                    (Customers, "Acme Inc.", Headline),
                    (TargetAccounts, "Acme", Headline),
                ],
            ),
            (
                headline("CTO | Co-founder @Finly 🚀"),
                &[(OwnCompany, "Finly GmbH", Headline)],
            ),
            (
                headline("Head of Marketing at The Globex Corporation"),
                &[(Competitors, "Globex Corporation", Headline)],
            ),
            (
                headline("Senior Engineer at Deutsche Bank, Frankfurt"),
                &[(Customers, "Deutsche Bank AG", Headline)],
            ),
            (
                headline("Vertriebsleiter bei Deutsche Bank"),
                &[(Customers, "Deutsche Bank AG", Headline)],
            ),
            (
                headline("Directrice marketing chez Acme"),
                &[
                    (Customers, "Acme Inc.", Headline),
                    (TargetAccounts, "Acme", Headline),
                ],
            ),
            (
                headline("Gerente de Ventas en Telefónica"),
                &[(Customers, "Telefónica S.A.", Headline)],
            ),
            (
                headline("Director de Marketing de Telefónica S.A."),
                &[(Customers, "Telefónica S.A.", Headline)],
            ),
            (
                headline("Product Designer | Apple | Cupertino"),
                &[(Competitors, "Apple", Headline)],
            ),
            (
                headline("Engineer at AT&T"),
                &[(TargetAccounts, "AT&T", Headline)],
            ),
            (
                headline("Treasury @ Acme Bank"),
                &[(Partners, "Acme Bank", Headline)],
            ),
            (
                headline("Talking fintech @AcmeBank"),
                &[(Partners, "Acme Bank", Headline)],
            ),
            (
                headline("Engineer @acmehq"),
                &[
                    (Customers, "Acme Inc.", Headline),
                    (TargetAccounts, "Acme", Headline),
                ],
            ),
            (
                headline("Research VP @ Gartner"),
                &[(AnalystFirms, "Gartner", Headline)],
            ),
            // Never inside a longer word, never a bare word elsewhere in a sentence.
            (headline("Founder at Acmeology"), &[]),
            (headline("Apple & movie lover"), &[]),
            (headline("I love Apple products"), &[]),
            (headline("Máster en Acme Studies"), &[]),
            // Past employers are not employers.
            (
                headline("Founder @ Finly | ex @Apple"),
                &[(OwnCompany, "Finly GmbH", Headline)],
            ),
            (headline("Consultant, formerly at Globex"), &[]),
            (headline("ex-Apple | Building something new"), &[]),
            (headline(""), &[]),
        ];
        for (input, expected) in cases {
            check(input, expected);
        }
    }

    #[test]
    fn every_text_is_read_and_lists_are_deduplicated() {
        check(
            (
                None,
                None,
                None,
                [
                    Some("Engineer"),
                    Some("Staff Engineer at Acme"),
                    Some("Ex-Globex. Now @ Acme. Apple fan."),
                ],
            ),
            &[
                (Customers, "Acme Inc.", Headline),
                (TargetAccounts, "Acme", Headline),
            ],
        );
        check(
            (
                Some("Acme"),
                Some("acme.com"),
                Some("https://acme.com"),
                [Some("Sales @ Acme"), None, None],
            ),
            &[
                (Customers, "Acme Inc.", CompanyField),
                (TargetAccounts, "Acme", CompanyField),
            ],
        );
    }

    #[test]
    fn empty_index_and_rejected_entries() {
        let empty = CompanyIndex::builder().build();
        assert!(empty.is_empty());
        assert!(
            empty
                .lookup(Some("Acme"), Some("acme.com"), None, &[Some("@ Acme")])
                .is_empty()
        );
        assert_eq!(index().rejected(), ["", "not a domain"]);
    }

    #[test]
    fn large_lists_are_indexed_not_scanned() {
        let mut builder = CompanyIndex::builder();
        for i in 0..20_000 {
            builder = builder.name(Customers, &format!("Customer {i} GmbH"));
        }
        let index = builder.name(Competitors, "Customer 19999").build();
        let found = index.lookup(Some("customer 19999 gmbh"), None, None, &[]);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].company, "Customer 19999 GmbH");
    }
}
