//! Text as the engine reads it: one folding of free text into words and structure tokens
//! (`tokenize`), a field folded once for all its readers (`ReadText`), the engine's fast
//! hasher, and the phrase table every matcher uses.
//!
//! Company names, titles, places and phrase signals must fold text exactly the same way, so
//! the folding lives here, below all of them; none of them imports another to reach it. This
//! module knows no vocabulary: which words mean what is the business of `company_match.rs`,
//! `title.rs`, `geo.rs` and `signals.rs`.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a. The engine's lookup tables are keyed by short words and built from trusted
/// configuration or static tables, so SipHash's flooding resistance buys nothing and costs
/// a good share of the per-follower budget.
#[derive(Clone, Copy)]
pub(crate) struct FnvHasher(u64);

impl Default for FnvHasher {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A `HashMap` with the engine's fast hasher.
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FnvHasher>>;

/// Token that [`tokenize`] emits where text breaks into segments (`|`, `/`, `,`, `·`, a
/// spaced dash, emoji, ...).
pub(crate) const SEGMENT: &str = "|";
/// Token for `@`, which introduces a company or a handle.
pub(crate) const AT: &str = "@";
/// Token for a free-standing `&` ("Sales & Marketing"); `R&D` and `AT&T` stay one word.
pub(crate) const AMP: &str = "&";

/// What one input character becomes once folded.
enum Fold {
    Char(char),
    Str(&'static str),
    /// A letter outside the folding tables: keep its lower case.
    Lower(char),
    /// Combining mark of decomposed text: part of the word, folds to nothing.
    Nothing,
}

/// Folds a word character to lowercase ASCII where that is cheap; `None` for anything that
/// is not part of a word (spaces, punctuation, symbols, emoji).
fn fold(c: char) -> Option<Fold> {
    if c.is_ascii() {
        return c
            .is_ascii_alphanumeric()
            .then(|| Fold::Char(c.to_ascii_lowercase()));
    }
    let cp = u32::from(c);
    // Mathematical alphanumeric symbols: the "𝐁𝐨𝐥𝐝 𝘊𝘌𝘖" styling LinkedIn headlines are full
    // of. Thirteen styles of 52 letters, then five styles of ten digits.
    if (0x1D400..=0x1D6A3).contains(&cp) {
        let i = (cp - 0x1D400) % 52;
        return ascii_letter(i % 26).map(Fold::Char);
    }
    if (0x1D7CE..=0x1D7FF).contains(&cp) {
        return char::from_digit((cp - 0x1D7CE) % 10, 10).map(Fold::Char);
    }
    // Full-width forms and circled letters.
    if (0xFF21..=0xFF3A).contains(&cp) {
        return ascii_letter(cp - 0xFF21).map(Fold::Char);
    }
    if (0xFF41..=0xFF5A).contains(&cp) {
        return ascii_letter(cp - 0xFF41).map(Fold::Char);
    }
    if (0xFF10..=0xFF19).contains(&cp) {
        return char::from_digit(cp - 0xFF10, 10).map(Fold::Char);
    }
    if (0x24B6..=0x24E9).contains(&cp) {
        return ascii_letter((cp - 0x24B6) % 26).map(Fold::Char);
    }
    if (0x0300..=0x036F).contains(&cp) {
        return Some(Fold::Nothing);
    }
    if let Some(s) = fold_latin(c) {
        return Some(Fold::Str(s));
    }
    c.is_alphanumeric().then_some(Fold::Lower(c))
}

fn ascii_letter(i: u32) -> Option<char> {
    char::from_u32(u32::from(b'a') + i)
}

/// Latin letters with diacritics, folded the way people type them without a keyboard
/// layout (ä → a, not ae: "Muller" is commoner than "Mueller" in exports).
fn fold_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å'
        | 'Ā' | 'Ă' | 'Ą' => "a",
        'æ' | 'Æ' => "ae",
        'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => "c",
        'ď' | 'đ' | 'Ď' | 'Đ' | 'ð' | 'Ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ė' | 'Ę'
        | 'Ě' => "e",
        'ğ' | 'Ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'Į' | 'İ' => {
            "i"
        }
        'ł' | 'ľ' | 'Ł' | 'Ľ' => "l",
        'ñ' | 'ń' | 'ň' | 'Ñ' | 'Ń' | 'Ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō'
        | 'Ő' => "o",
        'œ' | 'Œ' => "oe",
        'ř' | 'Ř' => "r",
        'ś' | 'š' | 'ş' | 'ș' | 'Ś' | 'Š' | 'Ş' | 'Ș' => "s",
        'ß' | 'ẞ' => "ss",
        'ť' | 'ţ' | 'ț' | 'Ť' | 'Ţ' | 'Ț' => "t",
        'þ' | 'Þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű'
        | 'Ų' => "u",
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "y",
        'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => "z",
        _ => return None,
    })
}

fn is_word_char(c: char) -> bool {
    fold(c).is_some()
}

/// Folds free text into lowercase words separated by single spaces, with the structure
/// people put into headlines kept as one-character tokens: [`SEGMENT`] where the text
/// breaks (`|`, `/`, `,`, `;`, `·`, `•`, brackets, a spaced dash, emoji), [`AT`] for `@` and
/// [`AMP`] for a free-standing `&`.
///
/// Joiners are dropped so written variants agree: `S.A.` and `Sr.` become `sa` and `sr`,
/// `McDonald's` becomes `mcdonalds`, and a short `&` word (`R&D`, `AT&T`, `M&A`) stays one
/// word. A hyphen inside a word splits it (`co-founder` → `co founder`). One allocation.
pub(crate) fn tokenize(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = String::with_capacity(raw.len() + 8);
    // Characters in the current word, 0 between words.
    let mut word_len = 0usize;
    let mut after_space = true;
    let mut pending = Pending::default();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b' ' {
            word_len = 0;
            after_space = true;
            i += 1;
            continue;
        }
        // ASCII words are nearly all of real profile text: copy a whole run at once.
        if b.is_ascii_alphanumeric() {
            let run = bytes[i..]
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .unwrap_or(bytes.len() - i);
            if word_len == 0 {
                pending.flush(&mut out);
            }
            let start = out.len();
            out.push_str(&raw[i..i + run]);
            out[start..].make_ascii_lowercase();
            word_len += run;
            after_space = false;
            i += run;
            continue;
        }
        let (c, folded) = if b.is_ascii() {
            let c = char::from(b);
            let folded = b
                .is_ascii_alphanumeric()
                .then(|| Fold::Char(char::from(b.to_ascii_lowercase())));
            (c, folded)
        } else {
            let Some(c) = raw[i..].chars().next() else {
                break;
            };
            (c, fold(c))
        };
        i += c.len_utf8();
        if let Some(folded) = folded {
            if word_len == 0 {
                pending.flush(&mut out);
            }
            match folded {
                Fold::Char(ch) => out.push(ch),
                Fold::Str(s) => out.push_str(s),
                Fold::Lower(ch) => out.extend(ch.to_lowercase()),
                Fold::Nothing => {}
            }
            word_len += 1;
            after_space = false;
            continue;
        }
        match c {
            // Joiners inside a word.
            '.' | '\'' | '’' | '‘' | 'ʼ' if word_len > 0 && word_at(raw, i) => continue,
            // A full stop that ends a sentence ("Ex-Acme. Now at Globex") breaks the text;
            // one after a short word is an abbreviation ("Sr. Manager", "Dr. Weber").
            '.' if word_len >= 4 && sentence_starts_at(raw, i) => pending.segment = true,
            '&' if (1..=3).contains(&word_len) && word_at(raw, i) => continue,
            // Zero-width characters and emoji variation selectors belong to what they join.
            '\u{200B}'..='\u{200D}' | '\u{FE0E}' | '\u{FE0F}' | '\u{2060}' => continue,
            '-' | '‐' | '‑' => {
                let next_is_space = raw[i..].chars().next().is_none_or(char::is_whitespace);
                if after_space && next_is_space {
                    pending.segment = true;
                }
            }
            '@' => pending.at = true,
            '&' => pending.amp = true,
            '#' | '.' | '\'' | '’' | '‘' | 'ʼ' | '"' | '“' | '”' | '„' | '*' | '_' | '~' | '^'
            | '`' => {}
            c if c.is_whitespace() => {}
            // Everything else (| / , ; : · • brackets, dashes, emoji, symbols) breaks the text.
            _ => pending.segment = true,
        }
        word_len = 0;
        after_space = c.is_whitespace();
    }
    out
}

/// The tokens of [`tokenize`]'s output, in order: the same as splitting it at spaces and
/// dropping empty pieces, without a searcher per token.
pub(crate) fn words(folded: &str) -> Vec<&str> {
    // Tokens average five or more bytes with their space; one growth at most, usually none.
    let mut out = Vec::with_capacity(folded.len() / 5 + 2);
    let bytes = folded.as_bytes();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b' ' {
            if i > start {
                out.push(&folded[start..i]);
            }
            start = i + 1;
        }
    }
    if bytes.len() > start {
        out.push(&folded[start..]);
    }
    out
}

/// A field of free text as the readers take it: its tokens, folded once ([`tokenize`],
/// [`words`]), and the text as written, for what folding drops (the dots of a domain).
/// Titles, phrase signals and company matching read the same field; each folding it again
/// was a sixth of the engine's work (BENCHMARKS.md, "Engine").
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReadText<'a> {
    pub raw: &'a str,
    pub tokens: &'a [&'a str],
}

/// The tokens of several fields read as one text: each field's tokens, with [`SEGMENT`]
/// between fields, so no phrase spans two of them. Fields with no word are skipped. This is
/// what folding the fields joined by " | " gives, except that a mark after a field's last
/// word (a trailing `@`) is not carried over to the next field's first word.
pub(crate) fn joined_tokens<'a>(texts: &[Option<ReadText<'a>>]) -> Vec<&'a str> {
    let fields = texts.iter().flatten().filter(|t| !t.tokens.is_empty());
    let mut joined = Vec::with_capacity(fields.clone().map(|t| t.tokens.len() + 1).sum());
    for text in fields {
        if !joined.is_empty() {
            joined.push(SEGMENT);
        }
        joined.extend_from_slice(text.tokens);
    }
    joined
}

/// Texts as written (`None`s kept in place), each folded alone as the readers get them,
/// handed to `read`: for callers that have only the texts. The scorer folds its fields
/// itself, into arrays, once for all its readers.
pub(crate) fn with_read_texts<R>(
    texts: &[Option<&str>],
    read: impl FnOnce(&[Option<ReadText<'_>>]) -> R,
) -> R {
    let folded: Vec<Option<String>> = texts.iter().map(|t| t.map(tokenize)).collect();
    let tokens: Vec<Vec<&str>> = folded
        .iter()
        .map(|f| f.as_deref().map(words).unwrap_or_default())
        .collect();
    let texts: Vec<Option<ReadText>> = texts
        .iter()
        .zip(&tokens)
        .map(|(raw, tokens)| raw.map(|raw| ReadText { raw, tokens }))
        .collect();
    read(&texts)
}

/// [`joined_tokens`] of texts as written, each folded alone as the readers get them: for
/// tests that hold a caller's folding against another reader's.
#[cfg(test)]
pub(crate) fn joined_tokens_of(fields: &[Option<&str>]) -> Vec<String> {
    with_read_texts(fields, |texts| {
        joined_tokens(texts)
            .into_iter()
            .map(str::to_owned)
            .collect()
    })
}

/// Whether a new sentence starts after the full stop that ends before byte `i`: a space,
/// then an upper-case letter.
fn sentence_starts_at(raw: &str, i: usize) -> bool {
    let mut rest = raw[i..].chars();
    rest.next().is_some_and(char::is_whitespace)
        && rest
            .find(|c| !c.is_whitespace())
            .is_some_and(char::is_uppercase)
}

/// Structure seen between two words, written out when the next word starts (so trailing
/// marks and runs of separators leave no trace).
#[derive(Default)]
struct Pending {
    segment: bool,
    at: bool,
    amp: bool,
}

impl Pending {
    #[inline(always)]
    fn flush(&mut self, out: &mut String) {
        // Nearly always: a space between two words, nothing else.
        if !(self.segment || self.at || self.amp) {
            if !out.is_empty() {
                out.push(' ');
            }
            return;
        }
        if !out.is_empty() {
            if self.segment {
                out.push_str(" |");
            } else if self.amp {
                out.push_str(" &");
            }
        }
        if self.at {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push('@');
        }
        if !out.is_empty() {
            out.push(' ');
        }
        *self = Pending::default();
    }
}

/// Whether a word character starts at byte `i` of `raw`.
fn word_at(raw: &str, i: usize) -> bool {
    match raw.as_bytes().get(i) {
        None => false,
        Some(b) if b.is_ascii() => b.is_ascii_alphanumeric(),
        Some(_) => raw[i..].chars().next().is_some_and(is_word_char),
    }
}

/// Phrases written naturally, tokenized like the text they are matched against, and indexed
/// by their first word so a text is read in one pass with one hash lookup per word.
///
/// French and Italian glue an elided article to the next word, and folding drops the
/// apostrophe ("l'agence" is read "lagence", "un'agenzia" "unagenzia"). So a first word that
/// can follow one (at least four letters, starting with a vowel or "h") is also indexed with
/// each elided article in front ([`ELIDED`]), unless that spelling is a first word of its
/// own: the lookup stays one hash lookup per word.
pub(crate) struct PhraseTable<T> {
    /// Index into `lists` by the hash of a first word (or of an elided spelling of one): a
    /// compact table that a word missing from it (most words) leaves without touching any
    /// stored text; a hit is confirmed against the list's own first word.
    by_first: HashMap<u64, u32, BuildHasherDefault<PreHashed>>,
    lists: Vec<PhraseList<T>>,
}

struct PhraseList<T> {
    /// The first word as folded, or an elided spelling of it.
    first: Box<str>,
    phrases: std::sync::Arc<[Phrase<T>]>,
}

/// The hash of a folded word.
fn word_hash(word: &str) -> u64 {
    let mut hasher = FnvHasher::default();
    hasher.write(word.as_bytes());
    hasher.finish()
}

/// Keys that are hashes already.
#[derive(Default)]
struct PreHashed(u64);

impl Hasher for PreHashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `u64` keys are hashed here; fold anything else in for completeness.
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, hash: u64) {
        self.0 = hash;
    }
}

/// French and Italian articles and prepositions that elide before a vowel or "h" and
/// come before a title or a trade: "l'", "d'", "un'", "all'", "dell'" ("l'agence",
/// "d'analyste", "un'agenzia", "dell'ufficio"). Rarer ones ("qu'", "nell'", "sull'") would
/// only grow the tables.
const ELIDED: &[&str] = &["l", "d", "un", "dell", "all"];

/// Whether an elided article can be glued to the front of `word`.
fn can_follow_elision(word: &str) -> bool {
    word.len() >= 4 && word.starts_with(['a', 'e', 'i', 'o', 'u', 'h'])
}

struct Phrase<T> {
    rest: Vec<String>,
    text: &'static str,
    value: T,
}

/// A phrase found at a position in a token list.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PhraseMatch<T> {
    /// Tokens the phrase covers.
    pub len: usize,
    /// The phrase as written in the table, for reasons.
    pub text: &'static str,
    pub value: T,
}

impl<T: Copy> PhraseTable<T> {
    pub(crate) fn new(entries: impl IntoIterator<Item = (&'static str, T)>) -> Self {
        // Group the phrases by first word, in table order.
        let mut groups: Vec<(String, Vec<Phrase<T>>)> = Vec::new();
        let mut group_of: HashMap<String, usize> = HashMap::new();
        for (text, value) in entries {
            let tokens = tokenize(text);
            let mut words = tokens.split(' ').filter(|w| !w.is_empty() && *w != SEGMENT);
            let Some(first) = words.next() else { continue };
            let rest = words.map(str::to_owned).collect();
            let next = groups.len();
            let group = *group_of.entry(first.to_owned()).or_insert(next);
            if group == next {
                groups.push((first.to_owned(), Vec::new()));
            }
            groups[group].1.push(Phrase { rest, text, value });
        }
        let mut table = Self {
            by_first: HashMap::default(),
            lists: Vec::new(),
        };
        let mut shared = Vec::with_capacity(groups.len());
        for (first, mut phrases) in groups {
            // Longest first, so "product marketing" wins over "product"; stable, so the
            // table's order decides between phrases of one length.
            phrases.sort_by_key(|p| std::cmp::Reverse(p.rest.len()));
            let phrases: std::sync::Arc<[Phrase<T>]> = phrases.into();
            table.insert(first.clone(), phrases.clone());
            shared.push((first, phrases));
        }
        // Elided spellings after every first word of its own, which they never replace.
        for (first, phrases) in shared {
            if can_follow_elision(&first) {
                for article in ELIDED {
                    table.insert(format!("{article}{first}"), phrases.clone());
                }
            }
        }
        table
    }

    /// Indexes `phrases` under `first`, unless that word is indexed already.
    fn insert(&mut self, first: String, phrases: std::sync::Arc<[Phrase<T>]>) {
        let list = u32::try_from(self.lists.len()).expect("phrase tables are small");
        match self.by_first.entry(word_hash(&first)) {
            Entry::Occupied(taken) => {
                // The same word again (an elided spelling that is a word of its own) keeps
                // its first meaning. Two different words with one 64-bit hash would hide
                // one of them: the tables are fixed, so the tests that build them see it.
                let other = &self.lists[*taken.get() as usize].first;
                assert_eq!(**other, *first, "phrase table hash collision");
            }
            Entry::Vacant(slot) => {
                slot.insert(list);
                self.lists.push(PhraseList {
                    first: first.into_boxed_str(),
                    phrases,
                });
            }
        }
    }

    /// The longest phrase that starts at `tokens[i]`.
    pub(crate) fn longest_at(&self, tokens: &[&str], i: usize) -> Option<PhraseMatch<T>> {
        let first = *tokens.get(i)?;
        let &list = self.by_first.get(&word_hash(first))?;
        let list = &self.lists[list as usize];
        if *list.first != *first {
            return None;
        }
        let after = tokens.get(i + 1..).unwrap_or_default();
        list.phrases.iter().find_map(|p| {
            let fits = p.rest.len() <= after.len()
                && p.rest.iter().zip(after).all(|(want, got)| want == got);
            fits.then_some(PhraseMatch {
                len: 1 + p.rest.len(),
                text: p.text,
                value: p.value,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_tokens(raw: &str, expected: &str) {
        assert_eq!(tokenize(raw), expected, "tokenize({raw:?})");
    }

    #[test]
    fn text_folds_case_accents_styling_and_punctuation() {
        let cases = [
            ("", ""),
            ("  Hello   World  ", "hello world"),
            ("Geschäftsführer", "geschaftsfuhrer"),
            ("Straße", "strasse"),
            ("Île-de-France", "ile de france"),
            ("Société Générale S.A.", "societe generale sa"),
            ("Sr. Manager", "sr manager"),
            ("McDonald's", "mcdonalds"),
            ("R&D | Sales & Marketing", "rd | sales & marketing"),
            ("AT&T", "att"),
            ("CTO | Co-founder @ Finly 🚀", "cto | co founder @ finly"),
            ("@acme", "@ acme"),
            ("Founder @Finly 🚀 Building", "founder @ finly | building"),
            ("Sales - Marketing / IT", "sales | marketing | it"),
            ("𝐂𝐄𝐎 𝘢𝘵 𝗔𝗰𝗺𝗲", "ceo at acme"),
            ("Ｃｅｏ", "ceo"),
            ("#OpenToWork", "opentowork"),
            ("e\u{301}tudiant", "etudiant"),
            ("Head of Growth — Acme", "head of growth | acme"),
            ("🇩🇪 Berlin", "berlin"),
        ];
        for (raw, expected) in cases {
            check_tokens(raw, expected);
        }
    }

    #[test]
    fn fields_joined_read_as_the_joined_text_folded() {
        let cases: [&[Option<&str>]; 6] = [
            &[
                Some("Head of Sales | ACME"),
                None,
                Some("Helping B2B teams. Ex-Globex"),
            ],
            &[Some("🚀🚀"), Some("VP Marketing"), Some("")],
            &[
                Some("R&D lead -"),
                Some("- Sales & Marketing &"),
                Some("@Initech"),
            ],
            &[
                Some("Dr. Weber"),
                Some("S.A. / Ltd."),
                Some("co-founder, CEO"),
            ],
            &[None, None, None],
            &[Some("  "), Some("Geschäftsführer"), Some("𝐁𝐨𝐥𝐝 CEO 🌍")],
        ];
        for fields in cases {
            let text: Vec<&str> = fields.iter().flatten().copied().collect();
            let whole = tokenize(&text.join(" | "));
            assert_eq!(joined_tokens_of(fields), words(&whole), "{fields:?}");
        }
    }

    #[test]
    fn a_mark_after_a_fields_last_word_stays_in_its_field() {
        // Folding the joined text would carry the `@` over to the bio's first word.
        assert_eq!(
            joined_tokens_of(&[Some("CEO @"), Some("Helping founders")]),
            ["ceo", SEGMENT, "helping", "founders"]
        );
        assert_eq!(
            words(&tokenize("CEO @ | Helping founders")),
            ["ceo", SEGMENT, AT, "helping", "founders"]
        );
    }

    #[test]
    fn phrase_table_prefers_the_longest_phrase() {
        let table = PhraseTable::new([("product", 1), ("product marketing", 2), ("head of", 3)]);
        let tokens = ["head", "of", "product", "marketing"];
        let found: Vec<_> = (0..tokens.len())
            .filter_map(|i| table.longest_at(&tokens, i).map(|m| (i, m.len, m.value)))
            .collect();
        assert_eq!(found, [(0, 2, 3), (2, 2, 2)]);
        assert!(table.longest_at(&tokens, 9).is_none());
    }
}
