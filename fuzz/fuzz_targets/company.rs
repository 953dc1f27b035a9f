//! The company normaliser and matcher: the first line's `;`-separated entries become an
//! index's lists (names and domains), the rest are looked up as a company field, a domain,
//! a URL and free text.
#![no_main]

use followscore::engine::reading::company_match::{
    CompanyIndex, normalize_company_name, normalize_domain,
};
use followscore::engine::vocabulary::CompanyList;

const LISTS: [CompanyList; 4] = [
    CompanyList::OwnCompany,
    CompanyList::Customers,
    CompanyList::Competitors,
    CompanyList::TargetAccounts,
];

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (entries, rest) = text.split_once('\n').unwrap_or((&text, ""));
    // Normalising is deterministic, and a registrable domain is its own. (Normalising a
    // normalised name again may strip one more leading "The": both sides of a match are
    // normalised once, so that is no defect.)
    assert_eq!(normalize_company_name(rest), normalize_company_name(rest));
    if let Some(domain) = normalize_domain(rest) {
        assert_eq!(normalize_domain(&domain).as_deref(), Some(domain.as_str()));
    }
    let mut builder = CompanyIndex::builder();
    for (i, entry) in entries.split(';').take(32).enumerate() {
        builder = builder.entry(LISTS[i % LISTS.len()], entry);
    }
    let index = builder.build();
    let mut parts = rest.splitn(4, '\n');
    let (a, b, c, d) = (parts.next(), parts.next(), parts.next(), parts.next());
    let _ = index.lookup_all(a, b, c, &[d, a]);
    let _ = index.own_account(a, b);
});
