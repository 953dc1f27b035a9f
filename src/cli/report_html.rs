//! The network quality report (SPEC §3) as one self-contained HTML page a marketer reads in
//! ten seconds: the audience quality score first, then who follows (categories), how the
//! audience grows, the lead tiers, the action lists and the top leads with their reasons.
//!
//! Owns the page: its inline stylesheet (light, dark and print), the SVG charts it draws
//! itself, and the escaping of every text that comes from data. It must not fetch, score
//! or compute report figures — it draws a `NetworkReport` whichever way it was made (files
//! scored offline, a server, a data directory) — and the page must make no request to any
//! outside address: no scripts, no web fonts, no external images or stylesheets, and a
//! Content-Security-Policy that forbids them, so a stray one shows up as a console error.

use std::fmt::Write as _;

use crate::engine::counting::report::{
    ENGAGED_SHARE_FULL_MARKS, GrowthWindow, NetworkReport, QUALITY_RATIO_FULL_MARKS, Share,
};
use crate::engine::reasons::Reason;
use crate::engine::result::FollowerResult;
use crate::engine::time::Timestamp;
use crate::engine::vocabulary::{Category, LeadTier, Platform};

/// How many reasons the top-leads table shows per lead.
const REASONS_PER_LEAD: usize = 3;

/// The page for `report` of the account `account_name`, rendered at `generated_at`.
pub fn render(account_name: &str, report: &NetworkReport, generated_at: Timestamp) -> String {
    let mut page = Page::default();
    page.raw(&head(account_name));
    page.raw("<body><main>");
    header(&mut page, account_name, report, generated_at);
    page.raw("<div class=\"grid two\">");
    score_section(&mut page, report);
    key_figures_section(&mut page, report);
    page.raw("</div><div class=\"grid two wide-left\">");
    composition_section(&mut page, report);
    page.raw("<div class=\"stack\">");
    tiers_section(&mut page, report);
    actions_section(&mut page, report);
    page.raw("</div></div>");
    growth_section(&mut page, report);
    leads_section(&mut page, report);
    footer(&mut page, report);
    page.raw("</main></body></html>\n");
    page.html
}

/// Escapes text from data for use in element content and in quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The HTML being written. Writing to a `String` cannot fail, so the `fmt::Result`s of
/// `write!` are dropped here, in one place.
#[derive(Default)]
struct Page {
    html: String,
}

impl Page {
    fn raw(&mut self, html: &str) {
        self.html.push_str(html);
    }

    fn fmt(&mut self, args: std::fmt::Arguments<'_>) {
        let _ = self.html.write_fmt(args);
    }
}

macro_rules! put {
    ($page:expr, $($arg:tt)*) => { $page.fmt(format_args!($($arg)*)) };
}

// ---------------------------------------------------------------------------------------
// Numbers and words.

/// A finite number, so that a division by zero upstream never prints "NaN" on the page.
fn finite(x: f64) -> f64 {
    if x.is_finite() { x } else { 0.0 }
}

/// 12400 → "12,400".
fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn signed(n: i64) -> String {
    match n {
        n if n > 0 => format!("+{}", count(n.unsigned_abs())),
        n if n < 0 => format!("−{}", count(n.unsigned_abs())),
        _ => "0".to_owned(),
    }
}

/// 0.174 → "17.4%".
fn percent(fraction: f64) -> String {
    format!("{:.1}%", finite(fraction) * 100.0)
}

fn interval_text(share: &Share) -> Option<String> {
    share.interval_95.map(|(lo, hi)| {
        format!(
            "95% CI {:.1}–{:.1}%",
            finite(lo) * 100.0,
            finite(hi) * 100.0
        )
    })
}

fn category_name(category: Category) -> &'static str {
    match category {
        Category::Bot => "Bots",
        Category::Employee => "Employees",
        Category::Competitor => "Competitors",
        Category::Customer => "Customers",
        Category::Partner => "Partners",
        Category::Vendor => "Vendors",
        Category::Prospect => "Prospects",
        Category::Influencer => "Influencers",
        Category::JobSeeker => "Job seekers",
        Category::BrandFan => "Brand fans",
        Category::Dormant => "Dormant",
        Category::Other => "Other",
    }
}

fn category_word(category: Category) -> &'static str {
    match category {
        Category::Bot => "Bot",
        Category::Employee => "Employee",
        Category::Competitor => "Competitor",
        Category::Customer => "Customer",
        Category::Partner => "Partner",
        Category::Vendor => "Vendor",
        Category::Prospect => "Prospect",
        Category::Influencer => "Influencer",
        Category::JobSeeker => "Job seeker",
        Category::BrandFan => "Brand fan",
        Category::Dormant => "Dormant",
        Category::Other => "Other",
    }
}

fn tier_name(tier: LeadTier) -> &'static str {
    match tier {
        LeadTier::Hot => "Hot",
        LeadTier::Warm => "Warm",
        LeadTier::Nurture => "Nurture",
        LeadTier::Cold => "Cold",
        LeadTier::NotALead => "Not a lead",
    }
}

fn tier_class(tier: LeadTier) -> &'static str {
    match tier {
        LeadTier::Hot => "hot",
        LeadTier::Warm => "warm",
        LeadTier::Nurture => "nurture",
        LeadTier::Cold => "cold",
        LeadTier::NotALead => "none",
    }
}

fn platform_name(platform: Platform) -> &'static str {
    match platform {
        Platform::LinkedIn => "LinkedIn",
        Platform::Twitter => "X (Twitter)",
        Platform::Facebook => "Facebook",
        Platform::Instagram => "Instagram",
        Platform::Other => "Other platform",
    }
}

/// The colour group of a category. The report does not carry the account's own qualified
/// and excluded sets, so the page colours by SPEC §1's defaults; the figures themselves
/// (qualified share, excluded share) come from the report and follow the account's sets.
fn category_class(category: Category) -> &'static str {
    if Category::DEFAULT_QUALIFIED.contains(&category) {
        "q"
    } else if Category::DEFAULT_EXCLUDED.contains(&category) {
        "x"
    } else {
        "o"
    }
}

fn date_time(at: Timestamp) -> String {
    chrono::DateTime::from_timestamp(at.unix_seconds(), 0)
        .map(|t| t.format("%-d %B %Y, %H:%M UTC").to_string())
        .unwrap_or_else(|| format!("{} seconds after 1970", at.unix_seconds()))
}

// ---------------------------------------------------------------------------------------
// The page's frame.

fn head(account_name: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"color-scheme\" content=\"light dark\">\
         <title>Network quality report: {}</title><style>{STYLE}</style></head>\n",
        escape(account_name)
    )
}

const STYLE: &str = r#"
:root{--bg:#f4f6fa;--card:#fff;--ink:#1b2330;--muted:#5b6678;--line:#dde2ea;--track:#e9edf3;
--q:#1f9d6b;--x:#d4552f;--o:#8d97a8;--raw:#5a6fd6;--hot:#d9363e;--warm:#ec8a12;
--nurture:#2f80d1;--cold:#7fb2e5;--none:#b3bac6;--good:#1f9d6b;--fair:#e0a100;--poor:#d4552f}
@media (prefers-color-scheme: dark){:root{--bg:#10141b;--card:#1a212c;--ink:#e8edf4;
--muted:#9aa6b8;--line:#2c3544;--track:#2a3340;--q:#3cc58e;--x:#f0774f;--o:#7d889a;
--raw:#8c9cf0;--hot:#f0646b;--warm:#f5a742;--nurture:#5aa2ea;--cold:#9cc6f0;--none:#6c7686}}
*{box-sizing:border-box}
html{background:var(--bg);color:var(--ink);
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"DejaVu Sans",sans-serif}
body{margin:0}
main{max-width:1180px;margin:0 auto;padding:22px 28px 28px}
header.top{display:flex;justify-content:space-between;align-items:flex-end;gap:24px;
flex-wrap:wrap;margin-bottom:10px}
h1{font-size:28px;line-height:1.2;margin:0}
h1 small{display:block;font-size:14px;font-weight:600;color:var(--muted);letter-spacing:.06em;
text-transform:uppercase;margin-bottom:4px}
h2{font-size:17px;margin:0 0 4px}
.meta{color:var(--muted);font-size:13px;text-align:right}
.basis{display:inline-block;margin:0 0 18px;padding:5px 12px;border-radius:999px;
background:var(--track);color:var(--ink);font-weight:600;font-size:13.5px}
section{background:var(--card);border:1px solid var(--line);border-radius:14px;
padding:18px 20px;break-inside:avoid}
.grid{display:grid;gap:18px;margin-bottom:18px}
.two{grid-template-columns:1fr 1fr}
.wide-left{grid-template-columns:1.25fr 1fr}
.stack{display:grid;gap:18px;align-content:start}
.sub{color:var(--muted);font-size:13px;margin:0 0 10px}
.note{color:var(--muted);font-size:12px;margin:10px 0 0}
.score{display:flex;align-items:baseline;gap:10px;margin:6px 0 4px}
.score .big{font-size:76px;font-weight:800;line-height:1;letter-spacing:-.02em}
.score .of{font-size:22px;color:var(--muted);font-weight:600}
.score .band{margin-left:8px;padding:3px 10px;border-radius:999px;font-size:14px;
font-weight:700;color:#fff}
.band.none{background:var(--none)}.band.good{background:var(--good)}.band.fair{background:var(--fair)}.band.poor{background:var(--poor)}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:12px}
.tile{border:1px solid var(--line);border-radius:10px;padding:10px 12px}
.tile .label{font-size:12px;color:var(--muted);font-weight:600;text-transform:uppercase;
letter-spacing:.04em}
.tile .value{font-size:26px;font-weight:750;line-height:1.2}
.tile .detail{font-size:12px;color:var(--muted)}
.tile.q{border-left:5px solid var(--q)}.tile.x{border-left:5px solid var(--x)}
.tile.o{border-left:5px solid var(--o)}
.legend{display:flex;flex-wrap:wrap;gap:14px;font-size:12px;color:var(--muted);margin:0 0 8px}
.legend i{display:inline-block;width:11px;height:11px;border-radius:3px;margin-right:5px;
vertical-align:-1px}
.legend .ci{width:16px;height:0;border-top:2px solid var(--ink);border-radius:0;vertical-align:3px}
i.q{background:var(--q)}i.x{background:var(--x)}i.o{background:var(--o)}i.raw{background:var(--raw)}
svg{display:block;width:100%;height:auto;overflow:visible}
svg text{fill:var(--ink);font-size:12px}
svg text.muted{fill:var(--muted)}
svg text.strong{font-weight:700}
.mark.q{fill:var(--q)}.mark.x{fill:var(--x)}.mark.o{fill:var(--o)}.mark.raw{fill:var(--raw)}
.mark.hot{fill:var(--hot)}.mark.warm{fill:var(--warm)}.mark.nurture{fill:var(--nurture)}
.mark.cold{fill:var(--cold)}.mark.none{fill:var(--none)}
.mark.good{fill:var(--good)}.mark.fair{fill:var(--fair)}.mark.poor{fill:var(--poor)}
.track{fill:var(--track)}
.axis{stroke:var(--muted);stroke-width:1}
.ci{stroke:var(--ink);stroke-width:1.5;fill:none}
#growth{margin-bottom:18px}
.windows{display:grid;grid-template-columns:repeat(3,1fr);gap:18px}
.window h3{font-size:14px;margin:0 0 2px}
.window p{margin:2px 0 0;font-size:13px;color:var(--muted)}
.up{color:var(--q);font-weight:700}.down{color:var(--x);font-weight:700}
.actions{display:grid;grid-template-columns:repeat(3,1fr);gap:12px}
.actions .tile .value{font-size:30px}
.others{font-size:13px;color:var(--muted);margin:10px 0 0}
table{width:100%;border-collapse:collapse;font-size:13.5px}
th{white-space:nowrap;text-align:left;font-size:12px;text-transform:uppercase;letter-spacing:.04em;
color:var(--muted);border-bottom:2px solid var(--line);padding:6px 8px}
td{border-bottom:1px solid var(--line);padding:6px 8px;vertical-align:top}
tr{break-inside:avoid}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.who{font-weight:650;overflow-wrap:anywhere;width:15em}
.who small{display:block;font-weight:400;color:var(--muted)}
.pill{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:700;
color:#fff;white-space:nowrap}
.pill.hot{background:var(--hot)}.pill.warm{background:var(--warm)}
.pill.nurture{background:var(--nurture)}.pill.cold{background:var(--cold);color:#10243a}
.pill.none{background:var(--none)}
.label-code{font-weight:750;margin-right:6px}
ul.reasons{margin:0;padding:0;list-style:none}
ul.reasons li{display:inline}
ul.reasons li+li::before{content:" · ";color:var(--muted)}
td.tier{white-space:nowrap}
th.why{width:50%}
.leadscore{display:flex;align-items:center;gap:8px;justify-content:flex-end}
.leadscore svg{width:44px}
.empty{color:var(--muted);font-style:italic}
footer{color:var(--muted);font-size:12px;margin-top:18px}
@media screen and (max-width:860px){.two,.wide-left,.windows,.actions{grid-template-columns:1fr}}
@media print{
:root{--bg:#fff;--card:#fff;--ink:#000;--muted:#444;--line:#bbb;--track:#e6e6e6}
html{font-size:9.5pt;-webkit-print-color-adjust:exact;print-color-adjust:exact}
main{max-width:none;padding:0}
section{border:1px solid #bbb;box-shadow:none;padding:10px 12px}
.grid,.stack{gap:10px;margin-bottom:10px}
.two,.wide-left{grid-template-columns:1fr}
.tiles{grid-template-columns:repeat(5,1fr)}
svg[data-chart=score],svg[data-chart=tiers]{max-width:470px}
#leads{break-inside:auto}
.who{width:auto}
.leadscore svg{display:none}
h1{font-size:20pt}
.score .big{font-size:48pt}
@page{margin:14mm}
}
"#;

fn header(page: &mut Page, account_name: &str, report: &NetworkReport, generated_at: Timestamp) {
    let scope = report
        .platform
        .map(platform_name)
        .unwrap_or("All platforms");
    put!(
        page,
        "<header class=\"top\"><h1><small>Network quality report · {}</small>{}</h1>\
         <div class=\"meta\">Report as of {}",
        escape(scope),
        escape(account_name),
        date_time(report.as_of),
    );
    if (generated_at.unix_seconds() - report.as_of.unix_seconds()).abs() > 60 {
        put!(page, " · page generated {}", date_time(generated_at));
    }
    put!(
        page,
        "</div></header><p class=\"basis\" id=\"basis\">{}</p>\n",
        basis_note(report)
    );
}

/// "Based on N followers", and when they are a sample, of how many.
fn basis_note(report: &NetworkReport) -> String {
    match (report.is_sample, report.stated_total_followers) {
        (true, Some(stated)) => format!(
            "Based on {} followers — a sample of the {} the platforms state; ranges are 95% confidence intervals",
            count(report.based_on_followers),
            count(stated)
        ),
        _ if report.based_on_followers == 0 => "No followers scored yet".to_owned(),
        _ => format!(
            "Based on {} followers — all of them",
            count(report.based_on_followers)
        ),
    }
}

// ---------------------------------------------------------------------------------------
// Sections.

/// The four parts of the audience quality score, as points out of their weight; they add
/// up to the score (SPEC §3; the formula is `engine::report::audience_quality_score`).
fn score_parts(report: &NetworkReport) -> [(&'static str, f64, f64); 4] {
    let part = |weight: f64, fraction: f64| weight * finite(fraction).clamp(0.0, 1.0);
    [
        (
            "Qualified audience",
            40.0,
            part(40.0, report.quality_ratio / QUALITY_RATIO_FULL_MARKS),
        ),
        (
            "Not excluded",
            25.0,
            part(25.0, 1.0 - report.excluded.share),
        ),
        (
            "Engaged (90 days)",
            20.0,
            part(20.0, report.engaged.share / ENGAGED_SHARE_FULL_MARKS),
        ),
        ("Not dormant", 15.0, part(15.0, 1.0 - report.dormant.share)),
    ]
}

fn band(score: f64) -> (&'static str, &'static str) {
    if score >= 70.0 {
        ("good", "Strong")
    } else if score >= 45.0 {
        ("fair", "Fair")
    } else {
        ("poor", "Weak")
    }
}

fn score_section(page: &mut Page, report: &NetworkReport) {
    let score = finite(report.audience_quality_score).clamp(0.0, 100.0);
    let (class, word) = band(score);
    page.raw(
        "<section id=\"score\" data-section=\"score\"><h2>Audience quality score</h2>\
         <p class=\"sub\">0–100, comparable across accounts and months</p>",
    );
    if report.total_followers == 0 {
        // The formula gives an empty audience 40 points for having no one excluded or
        // dormant; a number would read as a verdict on nobody.
        page.raw(
            "<div class=\"score\"><span class=\"big\">–</span><span class=\"of\">/ 100</span>\
             <span class=\"band none\">no followers yet</span></div>",
        );
    } else {
        put!(
            page,
            "<div class=\"score\"><span class=\"big\">{score:.1}</span><span class=\"of\">/ 100</span>\
             <span class=\"band {class}\">{word}</span></div>"
        );
    }
    // The four parts as bars whose tracks are as long as each part's weight, so the empty
    // end of a track shows where points were lost.
    const LABEL: f64 = 150.0;
    const PER_POINT: f64 = 5.0;
    put!(
        page,
        "<svg class=\"chart\" data-chart=\"score\" viewBox=\"0 0 420 112\" role=\"img\" \
         aria-labelledby=\"score-title\"><title id=\"score-title\">Audience quality score \
         {score:.1} of 100, by part</title>"
    );
    for (i, (name, weight, points)) in score_parts(report).into_iter().enumerate() {
        let y = 4.0 + i as f64 * 27.0;
        let fill = (points * PER_POINT).max(1.0);
        put!(
            page,
            "<g><title>{name}: {points:.1} of {weight:.0} points</title>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{name}</text>\
             <rect class=\"track\" x=\"{LABEL}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"17\" rx=\"3\"/>\
             <rect class=\"mark {class}\" x=\"{LABEL}\" y=\"{y:.1}\" width=\"{fill:.1}\" height=\"17\" rx=\"3\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\"><tspan class=\"strong\">{points:.1}</tspan> / {weight:.0}</text></g>",
            LABEL - 8.0,
            y + 13.0,
            weight * PER_POINT,
            LABEL + weight * PER_POINT + 8.0,
            y + 13.0,
        );
    }
    page.raw("</svg>");
    put!(
        page,
        "<p class=\"note\">Score = 100 × (0.40 · min(1, quality ratio ÷ {QUALITY_RATIO_FULL_MARKS}) \
         + 0.25 · (1 − excluded share) + 0.20 · min(1, engaged share ÷ {ENGAGED_SHARE_FULL_MARKS}) \
         + 0.15 · (1 − dormant share)). Quality ratio = qualified ÷ all followers = {:.3}. \
         Strong from 70, fair from 45.</p></section>\n",
        finite(report.quality_ratio)
    );
}

fn share_tile(page: &mut Page, class: &str, label: &str, share: &Share, what: &str) {
    let detail = match interval_text(share) {
        Some(ci) => format!("{} {what}<br>{ci}", count(share.count)),
        None => format!("{} {what}", count(share.count)),
    };
    put!(
        page,
        "<div class=\"tile {class}\"><div class=\"label\">{}</div>\
         <div class=\"value\">{}</div><div class=\"detail\">{}</div></div>",
        escape(label),
        percent(share.share),
        detail
    );
}

fn key_figures_section(page: &mut Page, report: &NetworkReport) {
    put!(
        page,
        "<section id=\"figures\" data-section=\"figures\"><h2>Who follows, in five numbers</h2>\
         <p class=\"sub\">Shares of all {} followers</p><div class=\"tiles\">",
        count(report.total_followers)
    );
    share_tile(page, "q", "Qualified", &report.qualified, "followers");
    share_tile(page, "x", "Excluded", &report.excluded, "followers");
    share_tile(page, "x", "Bots", &report.bots, "likely bots");
    share_tile(page, "o", "Dormant", &report.dormant, "inactive");
    share_tile(page, "q", "Engaged", &report.engaged, "in 90 days");
    page.raw(
        "</div><p class=\"note\"><b>Qualified</b>: prospects, customers, partners and \
         influencers. <b>Excluded</b> from metrics: employees, vendors, competitors and bots.</p>",
    );
    if !report.platforms.is_empty() {
        page.raw("<p class=\"note\">");
        let parts: Vec<String> = report
            .platforms
            .iter()
            .map(|p| {
                format!(
                    "<b>{}</b>: {} followers, {} qualified ({})",
                    platform_name(p.platform),
                    count(p.total_followers),
                    count(p.qualified_followers),
                    percent(p.quality_ratio)
                )
            })
            .collect();
        page.raw(&parts.join(" · "));
        page.raw("</p>");
    }
    if report.stale_results > 0 {
        put!(
            page,
            "<p class=\"note\">{} results were scored with an older account configuration or \
             model and are being rescored.</p>",
            count(report.stale_results)
        );
    }
    page.raw("</section>\n");
}

/// One bar of a horizontal bar chart: a share of the followers.
struct Bar {
    label: String,
    class: &'static str,
    share: Share,
}

/// A horizontal bar chart of shares with the count and share written after each bar, and
/// the 95% interval drawn as an error bar where there is one.
fn share_bars(page: &mut Page, id: &str, title: &str, width: f64, bars: &[Bar]) {
    const LABEL: f64 = 112.0;
    const ROOM: f64 = 150.0;
    const ROW: f64 = 27.0;
    let plot = width - LABEL - ROOM;
    let top = bars
        .iter()
        .map(|b| finite(b.share.interval_95.map_or(b.share.share, |(_, hi)| hi)))
        .fold(0.0_f64, f64::max);
    let scale = if top > 0.0 { plot / top } else { 0.0 };
    let height = ROW * bars.len() as f64 + 6.0;
    put!(
        page,
        "<svg class=\"chart\" data-chart=\"{id}\" viewBox=\"0 0 {width} {height}\" role=\"img\" \
         aria-labelledby=\"{id}-title\"><title id=\"{id}-title\">{}</title>",
        escape(title)
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = 3.0 + i as f64 * ROW;
        let share = finite(bar.share.share);
        // Zero bars keep a hairline so every row visibly starts at the axis.
        let w = (share * scale).max(1.0);
        let mut end = LABEL + w;
        let mut tip = format!(
            "{}: {} followers, {}",
            bar.label,
            count(bar.share.count),
            percent(share)
        );
        put!(
            page,
            "<g><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect class=\"mark {}\" x=\"{LABEL}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"17\" rx=\"2\"/>",
            LABEL - 8.0,
            y + 13.0,
            escape(&bar.label),
            bar.class,
            y + 1.0
        );
        if let Some((lo, hi)) = bar.share.interval_95 {
            let (x1, x2) = (LABEL + finite(lo) * scale, LABEL + finite(hi) * scale);
            let mid = y + 9.5;
            put!(
                page,
                "<path class=\"ci\" d=\"M{x1:.1} {mid:.1}H{x2:.1}M{x1:.1} {:.1}V{:.1}M{x2:.1} {:.1}V{:.1}\"/>",
                mid - 5.0,
                mid + 5.0,
                mid - 5.0,
                mid + 5.0
            );
            end = end.max(x2);
            let _ = write!(tip, " (95% CI {}–{})", percent(lo), percent(hi));
        }
        put!(
            page,
            "<text x=\"{:.1}\" y=\"{:.1}\"><tspan class=\"strong\">{}</tspan> · {}</text>\
             <title>{}</title></g>",
            end + 7.0,
            y + 13.0,
            count(bar.share.count),
            percent(share),
            escape(&tip)
        );
    }
    page.raw("</svg>");
}

fn composition_section(page: &mut Page, report: &NetworkReport) {
    page.raw(
        "<section id=\"composition\" data-section=\"composition\"><h2>Composition by category</h2>\
         <p class=\"sub\">Who the followers are, as the classifier decided</p>\
         <div class=\"legend\"><span><i class=\"q\"></i>qualified</span>\
         <span><i class=\"x\"></i>excluded from metrics</span><span><i class=\"o\"></i>neither</span>",
    );
    if report.is_sample {
        page.raw("<span><i class=\"ci\"></i>95% confidence interval</span>");
    }
    page.raw("</div>");
    let bars: Vec<Bar> = report
        .categories
        .iter()
        .map(|(category, share)| Bar {
            label: category_name(*category).to_owned(),
            class: category_class(*category),
            share: *share,
        })
        .collect();
    share_bars(page, "categories", "Followers by category", 560.0, &bars);
    page.raw("</section>\n");
}

fn tiers_section(page: &mut Page, report: &NetworkReport) {
    page.raw(
        "<section id=\"tiers\" data-section=\"tiers\"><h2>Lead tiers</h2>\
         <p class=\"sub\">Prospects, customers and partners by fit grade × engagement level</p>",
    );
    let bars: Vec<Bar> = report
        .tiers
        .iter()
        .map(|(tier, share)| Bar {
            label: tier_name(*tier).to_owned(),
            class: tier_class(*tier),
            share: *share,
        })
        .collect();
    share_bars(page, "tiers", "Followers by lead tier", 440.0, &bars);
    page.raw("</section>\n");
}

fn actions_section(page: &mut Page, report: &NetworkReport) {
    let lists = &report.action_lists;
    page.raw(
        "<section id=\"actions\" data-section=\"actions\"><h2>What to do next</h2>\
         <p class=\"sub\">Sizes of the action lists</p><div class=\"actions\">",
    );
    let total = report.total_followers;
    let tiles = [
        ("To route to sales", "q", lists.to_route_to_sales, "sales"),
        ("To follow back", "o", lists.to_follow_back, "follow-back"),
        ("To prune", "x", lists.to_prune, "prune"),
    ];
    for (label, class, n, id) in tiles {
        let fraction = if total == 0 {
            0.0
        } else {
            n as f64 / total as f64
        };
        let w = (finite(fraction).clamp(0.0, 1.0) * 200.0).max(1.0);
        put!(
            page,
            "<div class=\"tile {class}\"><div class=\"label\">{label}</div>\
             <div class=\"value\">{}</div>\
             <svg class=\"chart\" data-chart=\"{id}\" viewBox=\"0 0 200 10\" role=\"img\" \
             aria-labelledby=\"{id}-title\"><title id=\"{id}-title\">{label}: {} of {} followers</title>\
             <rect class=\"track\" x=\"0\" y=\"1\" width=\"200\" height=\"8\" rx=\"4\"/>\
             <rect class=\"mark {class}\" x=\"0\" y=\"1\" width=\"{w:.1}\" height=\"8\" rx=\"4\"/></svg>\
             <div class=\"detail\">{} of followers</div></div>",
            count(n),
            count(n),
            count(total),
            percent(fraction)
        );
    }
    put!(
        page,
        "</div><p class=\"others\">Also: {} to account managers · {} to recruiting · \
         {} influencers to engage</p></section>\n",
        count(lists.to_route_to_account_manager),
        count(lists.to_route_to_recruiting),
        count(lists.to_engage_influencer)
    );
}

fn growth_section(page: &mut Page, report: &NetworkReport) {
    page.raw(
        "<section id=\"growth\" data-section=\"growth\"><h2>Growth: all followers against qualified growth</h2>\
         <p class=\"sub\">New followers, unfollows and net change over the last 7, 30 and 90 days. \
         Qualified growth leaves out employees, vendors, competitors and bots.</p>\
         <div class=\"legend\"><span><i class=\"raw\"></i>all followers</span>\
         <span><i class=\"q\"></i>qualified growth</span></div>",
    );
    if report.growth.is_empty() {
        page.raw("<p class=\"empty\">No growth figures in this report.</p></section>\n");
        return;
    }
    // One scale for the three windows, so the bars compare across them.
    let values = |g: &GrowthWindow| {
        [
            g.new_followers as f64,
            g.unfollows as f64,
            g.net_change as f64,
            g.qualified_new_followers as f64,
            g.qualified_unfollows as f64,
            g.qualified_net_change as f64,
        ]
    };
    let all: Vec<f64> = report.growth.iter().flat_map(values).collect();
    let high = all.iter().copied().fold(0.0_f64, f64::max);
    let low = all.iter().copied().fold(0.0_f64, f64::min);
    let scale = Scale::new(low, high);
    page.raw("<div class=\"windows\">");
    for g in &report.growth {
        growth_window(page, g, &scale);
    }
    page.raw("</div></section>\n");
}

/// A vertical value scale from `low` (≤ 0) to `high` (≥ 0) onto the plot's pixel rows.
struct Scale {
    low: f64,
    high: f64,
}

impl Scale {
    const TOP: f64 = 22.0;
    const HEIGHT: f64 = 90.0;

    fn new(low: f64, high: f64) -> Self {
        let (low, high) = (finite(low).min(0.0), finite(high).max(0.0));
        if high - low <= 0.0 {
            Self {
                low: 0.0,
                high: 1.0,
            }
        } else {
            Self { low, high }
        }
    }

    fn y(&self, value: f64) -> f64 {
        Self::TOP + (self.high - finite(value)) / (self.high - self.low) * Self::HEIGHT
    }
}

fn growth_window(page: &mut Page, g: &GrowthWindow, scale: &Scale) {
    let days = g.window_days;
    let id = format!("growth-{days}");
    const WIDTH: f64 = 330.0;
    let base = scale.y(0.0);
    let bottom = Scale::TOP + Scale::HEIGHT;
    put!(
        page,
        "<div class=\"window\"><h3>Last {days} days</h3>\
         <svg class=\"chart\" data-chart=\"{id}\" viewBox=\"0 0 {WIDTH} {:.0}\" role=\"img\" \
         aria-labelledby=\"{id}-title\"><title id=\"{id}-title\">Growth over the last {days} days: \
         all followers {} new, {} unfollows, net {}; qualified {} new, {} unfollows, net {}</title>",
        bottom + 26.0,
        count(g.new_followers),
        count(g.unfollows),
        signed(g.net_change),
        count(g.qualified_new_followers),
        count(g.qualified_unfollows),
        signed(g.qualified_net_change),
    );
    let groups = [
        (
            "New",
            g.new_followers as i64,
            g.qualified_new_followers as i64,
        ),
        (
            "Unfollows",
            g.unfollows as i64,
            g.qualified_unfollows as i64,
        ),
        ("Net", g.net_change, g.qualified_net_change),
    ];
    let group_width = WIDTH / 3.0;
    for (i, (name, raw, qualified)) in groups.into_iter().enumerate() {
        let center = group_width * (i as f64 + 0.5);
        for (j, (value, class, who)) in
            [(raw, "raw", "all followers"), (qualified, "q", "qualified")]
                .into_iter()
                .enumerate()
        {
            let x = center - 38.0 + j as f64 * 40.0;
            let y = scale.y(value as f64);
            let (top, height) = if y < base {
                (y, base - y)
            } else {
                (base, y - base)
            };
            // A hairline for zero keeps the pair visible and readable as "nothing".
            let (top, height) = if height < 1.0 {
                (base - 1.0, 1.0)
            } else {
                (top, height)
            };
            let label_y = if value < 0 {
                top + height + 14.0
            } else {
                top - 5.0
            };
            let text = if name == "Net" {
                signed(value)
            } else {
                count(value.unsigned_abs())
            };
            put!(
                page,
                "<g><title>{name}, {who}: {text}</title>\
                 <rect class=\"mark {class}\" x=\"{x:.1}\" y=\"{top:.1}\" width=\"36\" height=\"{height:.1}\" rx=\"2\"/>\
                 <text x=\"{:.1}\" y=\"{label_y:.1}\" text-anchor=\"middle\" class=\"strong\">{text}</text></g>",
                x + 18.0
            );
        }
        put!(
            page,
            "<text x=\"{center:.1}\" y=\"{:.1}\" text-anchor=\"middle\" class=\"muted\">{name}</text>",
            bottom + 20.0
        );
    }
    put!(
        page,
        "<line class=\"axis\" x1=\"0\" x2=\"{WIDTH}\" y1=\"{base:.1}\" y2=\"{base:.1}\"/></svg>"
    );
    let change = finite(g.quality_ratio_change);
    let (class, arrow) = if change > 0.0 {
        ("up", "▲")
    } else if change < 0.0 {
        ("down", "▼")
    } else {
        ("", "")
    };
    put!(
        page,
        "<p>Quality ratio <span class=\"{class}\">{arrow} {:+.1} points</span> over {days} days</p></div>",
        change * 100.0
    );
}

/// The reasons a salesperson reads first: the fit reasons with the largest weights, then
/// the facts (matched lists, overrides). Bot-model evidence is left out: a lead is not a
/// bot, and "has a profile photo" does not sell.
fn top_reasons(lead: &FollowerResult) -> Vec<&Reason> {
    let mut reasons: Vec<&Reason> = lead
        .reasons
        .iter()
        .filter(|r| !r.code.starts_with("bot_") && finite(r.weight) >= 0.0)
        .collect();
    reasons.sort_by(|a, b| finite(b.weight).total_cmp(&finite(a.weight)));
    reasons.truncate(REASONS_PER_LEAD);
    reasons
}

fn leads_section(page: &mut Page, report: &NetworkReport) {
    put!(
        page,
        "<section id=\"leads\" data-section=\"leads\"><h2>Top{} leads</h2>\
         <p class=\"sub\">Prospects, customers and partners by lead score (60% fit, 40% engagement)</p>",
        match report.top_leads.len() {
            0 => String::new(),
            n => format!(" {n}"),
        }
    );
    if report.top_leads.is_empty() {
        page.raw("<p class=\"empty\">No leads yet: no follower is a prospect, customer or partner.</p></section>\n");
        return;
    }
    page.raw(
        "<table><thead><tr><th>#</th><th>Follower</th><th>Category</th><th>Tier</th>\
         <th class=\"num\">Lead score</th><th class=\"why\">Top reasons</th></tr></thead><tbody>",
    );
    for (rank, lead) in report.top_leads.iter().enumerate() {
        let company = lead
            .matched_company
            .as_deref()
            .map(|c| format!(" · {}", escape(c)))
            .unwrap_or_default();
        let category = match &lead.category_override {
            Some(_) => format!("{} (set by hand)", category_word(lead.category)),
            None => category_word(lead.category).to_owned(),
        };
        let score = u32::from(lead.lead_score.min(100));
        put!(
            page,
            "<tr><td class=\"num\">{}</td><td class=\"who\">{}<small>{}{company}</small></td>\
             <td>{}</td><td class=\"tier\"><span class=\"label-code\">{}</span><span class=\"pill {}\">{}</span></td>\
             <td class=\"num\"><div class=\"leadscore\"><b>{score}</b>\
             <svg class=\"chart\" data-chart=\"lead-{rank}\" viewBox=\"0 0 60 10\" role=\"img\" \
             aria-label=\"lead score {score} of 100\"><title>Lead score {score} of 100</title>\
             <rect class=\"track\" x=\"0\" y=\"1\" width=\"60\" height=\"8\" rx=\"4\"/>\
             <rect class=\"mark {}\" x=\"0\" y=\"1\" width=\"{:.1}\" height=\"8\" rx=\"4\"/></svg></div></td><td>",
            rank + 1,
            escape(lead.key.id.as_str()),
            platform_name(lead.key.platform),
            escape(&category),
            escape(&lead.tier_label()),
            tier_class(lead.lead_tier),
            tier_name(lead.lead_tier),
            tier_class(lead.lead_tier),
            (f64::from(score) * 0.6).max(1.0),
        );
        let reasons = top_reasons(lead);
        if reasons.is_empty() {
            page.raw("<span class=\"empty\">no reasons recorded</span>");
        } else {
            page.raw("<ul class=\"reasons\">");
            for reason in reasons {
                put!(page, "<li>{}</li>", escape(&reason.message));
            }
            page.raw("</ul>");
        }
        page.raw("</td></tr>");
    }
    page.raw("</tbody></table></section>\n");
}

fn footer(page: &mut Page, report: &NetworkReport) {
    put!(
        page,
        "<footer>Made by followscore from stored results; no follower was rescored for this page. \
         Categories are coloured by the default qualified and excluded sets. {}</footer>",
        escape(&basis_note(report))
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::account::AccountConfig;
    use crate::engine::counting::aggregates::AccountAggregates;
    use crate::engine::counting::report::{self, ActionListSizes, ReportInputs, make_share};

    const NOW: Timestamp = Timestamp::from_unix_seconds(1_790_000_000);

    fn config() -> AccountConfig {
        AccountConfig::new(crate::engine::ids::AccountId::parse("acme").unwrap())
    }

    fn empty_report() -> NetworkReport {
        report::build(
            &AccountAggregates::default(),
            ReportInputs {
                config: &config(),
                platform: None,
                now: NOW,
                top_leads: Vec::new(),
            },
        )
    }

    /// A report with data in every section, sampled so that intervals are drawn, and a
    /// lead whose name and reasons try to inject markup.
    fn full_report() -> NetworkReport {
        let mut report = empty_report();
        let n = 1_000;
        let population = Some(20_000);
        report.total_followers = n;
        report.based_on_followers = n;
        report.stated_total_followers = population;
        report.is_sample = true;
        report.categories = Category::ALL
            .iter()
            .enumerate()
            .map(|(i, c)| (*c, make_share(10 + 15 * i as u64, n, population)))
            .collect();
        report.tiers = LeadTier::ALL
            .iter()
            .enumerate()
            .map(|(i, t)| (*t, make_share(5 + 40 * i as u64, n, population)))
            .collect();
        report.qualified = make_share(180, n, population);
        report.excluded = make_share(260, n, population);
        report.quality_ratio = 0.18;
        report.audience_quality_score = 59.1;
        for (i, g) in report.growth.iter_mut().enumerate() {
            let k = i as u64 + 1;
            g.new_followers = 20 * k;
            g.unfollows = 30 * k;
            g.net_change = -10 * k as i64;
            g.qualified_new_followers = 10 * k;
            g.qualified_unfollows = 4 * k;
            g.qualified_net_change = 6 * k as i64;
            g.quality_ratio_change = 0.01;
        }
        report.action_lists = ActionListSizes {
            to_prune: 90,
            to_follow_back: 180,
            to_route_to_sales: 12,
            ..ActionListSizes::default()
        };
        report.top_leads = vec![lead()];
        report
    }

    fn lead() -> FollowerResult {
        let mut lead = crate::engine::score::score(
            &test_context(),
            &crate::engine::profile::FollowerProfile::new(crate::engine::ids::FollowerKey {
                platform: Platform::LinkedIn,
                id: crate::engine::ids::FollowerId::parse("<script>alert(1)</script>").unwrap(),
            }),
            &crate::engine::deciding::engagement::EngagementSummary::default(),
            None,
            NOW,
        );
        lead.category = Category::Prospect;
        lead.lead_tier = LeadTier::Hot;
        lead.lead_score = 88;
        lead.matched_company = Some("Smith & \"Sons\" <b>Ltd</b>".to_owned());
        lead.reasons = vec![
            Reason::new("icp_title", "Title says <img src=x onerror=alert(1)>", 20.0),
            Reason::new("bot_photo", "Has a profile photo of its own", -0.01),
            Reason::new("company_matches_target", "Works at 'Acme' & co", 0.0),
        ];
        lead
    }

    fn test_context() -> crate::engine::context::ScoringContext {
        crate::engine::context::ScoringContext::new(
            std::sync::Arc::new(config()),
            crate::engine::bot::shipped_model(),
        )
    }

    #[test]
    fn escape_neutralises_markup() {
        let check = |input: &str, expected: &str| assert_eq!(escape(input), expected);
        check("plain", "plain");
        check("<script>", "&lt;script&gt;");
        check("a & b", "a &amp; b");
        check("\"quoted\" 'single'", "&quot;quoted&quot; &#39;single&#39;");
        check("Zürich — ok", "Zürich — ok");
    }

    #[test]
    fn text_from_data_is_escaped_on_the_page() {
        let html = render("Acme <Corp> & \"Friends\"", &full_report(), NOW);
        for injected in ["<script", "<img", "<b>Ltd", "onerror=alert(1)>"] {
            assert!(!html.contains(injected), "{injected} reached the page");
        }
        assert!(html.contains("Acme &lt;Corp&gt; &amp; &quot;Friends&quot;"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("Smith &amp; &quot;Sons&quot; &lt;b&gt;Ltd&lt;/b&gt;"));
        assert!(html.contains("Works at &#39;Acme&#39; &amp; co"));
    }

    #[test]
    fn every_section_is_present() {
        let html = render("Acme", &full_report(), NOW);
        for section in [
            "score",
            "figures",
            "composition",
            "tiers",
            "actions",
            "growth",
            "leads",
        ] {
            assert!(
                html.contains(&format!("data-section=\"{section}\"")),
                "section {section} missing"
            );
        }
        assert!(html.contains("Based on 1,000 followers — a sample of the 20,000"));
        assert!(html.contains("59.1"));
        assert!(html.contains("Score = 100 × (0.40"));
        assert!(html.contains("@media print"));
        assert!(html.contains("@media (prefers-color-scheme: dark)"));
    }

    /// The marks of each chart: the text between `data-chart="NAME"` and its `</svg>`.
    fn charts(html: &str) -> Vec<(String, &str)> {
        html.split("data-chart=\"")
            .skip(1)
            .map(|rest| {
                let (name, body) = rest.split_once('"').unwrap();
                let body = &body[..body.find("</svg>").unwrap()];
                (name.to_owned(), body)
            })
            .collect()
    }

    #[test]
    fn each_chart_has_marks_and_a_title() {
        let html = render("Acme", &full_report(), NOW);
        let charts = charts(&html);
        let names: Vec<&str> = charts.iter().map(|(n, _)| n.as_str()).collect();
        for expected in [
            "score",
            "categories",
            "tiers",
            "sales",
            "follow-back",
            "prune",
            "growth-7",
            "growth-30",
            "growth-90",
            "lead-0",
        ] {
            assert!(
                names.contains(&expected),
                "chart {expected} missing: {names:?}"
            );
        }
        for (name, body) in &charts {
            assert!(body.contains("<rect class=\"mark"), "{name} has no marks");
            assert!(body.contains("<title"), "{name} has no title");
        }
        let (_, categories) = charts.iter().find(|(n, _)| n == "categories").unwrap();
        assert_eq!(
            categories.matches("<rect class=\"mark").count(),
            Category::ALL.len()
        );
        assert_eq!(
            categories.matches("class=\"ci\"").count(),
            Category::ALL.len(),
            "a sample draws an interval on every bar"
        );
        let (_, growth) = charts.iter().find(|(n, _)| n == "growth-30").unwrap();
        assert_eq!(growth.matches("<rect class=\"mark").count(), 6);
        assert!(growth.contains("−20"), "negative net change is labelled");
    }

    #[test]
    fn empty_report_renders_without_nan() {
        let html = render("Empty", &empty_report(), NOW);
        // "inf" as a word of its own: Rust's infinity, not "influencers".
        let words: Vec<&str> = html
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        for bad in ["NaN", "inf", "undefined"] {
            assert!(!words.contains(&bad), "{bad} on the page");
        }
        assert!(html.contains("No leads yet"));
        assert!(html.contains("No followers scored yet"));
        assert!(html.contains("no followers yet"), "no score for nobody");
        assert!(
            !html.contains("class=\"ci\""),
            "no intervals without a sample"
        );
    }

    #[test]
    fn the_page_asks_for_nothing_from_outside() {
        let html = render("Acme", &full_report(), NOW);
        for outside in [
            "://", "<script", "<link", "<img", "url(", "@import", "src=\"", "href=\"",
        ] {
            assert!(!html.contains(outside), "{outside} on the page");
        }
        assert!(html.contains("Content-Security-Policy"));
    }

    #[test]
    fn numbers_read_as_people_write_them() {
        let check = |n: u64, expected: &str| assert_eq!(count(n), expected);
        check(0, "0");
        check(999, "999");
        check(1_000, "1,000");
        check(12_400, "12,400");
        check(1_234_567, "1,234,567");
        assert_eq!(signed(-20), "−20");
        assert_eq!(signed(5), "+5");
        assert_eq!(percent(f64::NAN), "0.0%");
    }

    #[test]
    fn score_parts_add_up_to_the_score() {
        let report = full_report();
        let mut report = report;
        report.engaged = make_share(50, 1_000, None);
        report.dormant = make_share(100, 1_000, None);
        let expected = report::audience_quality_score(
            report.quality_ratio,
            report.excluded.share,
            report.engaged.share,
            report.dormant.share,
        );
        let sum: f64 = score_parts(&report).iter().map(|(_, _, p)| p).sum();
        assert!((sum - expected).abs() < 0.06, "{sum} vs {expected}");
    }

    #[test]
    fn lead_reasons_skip_bot_evidence_and_put_weight_first() {
        let lead = lead();
        let codes: Vec<&str> = top_reasons(&lead).iter().map(|r| &*r.code).collect();
        assert_eq!(codes, ["icp_title", "company_matches_target"]);
    }
}
