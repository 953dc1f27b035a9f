//! Phrase signals in a follower's own words (headline, title, bio) that the category rules
//! use: open to work, student or recent graduate, "aspiring X", selling services to
//! companies (agency, consultant, freelancer, recruiter, lead generation, "I help ..."),
//! selling to consumers, and an influencer role (journalist, editor, author, podcaster,
//! industry analyst, speaker).
//!
//! Owns the phrase lists in the seven supported languages, English, German, French,
//! Spanish, Portuguese, Dutch and Italian, and the `PhraseTable` matcher that `title.rs`
//! shares (one hash lookup per word; elided articles such as "l'agence" or "un'agenzia"
//! are indexed, not retried). Each signal names the phrase it found so a reason can quote
//! it. It does not decide categories (that is `category.rs`, which also weighs reach and
//! company matches): a signal is evidence, not a verdict.
//!
//! Decisions:
//! - Job seeking. Fixed phrases ("#OpenToWork", "open to work", "laid off", "between
//!   roles", "offen für neue Aufgaben", "en recherche d'emploi", "en búsqueda activa", "em
//!   recolocação", "werkzoekend", "disponibile da subito", ...) count as they are; so does
//!   Portuguese "disponível" on its own. "Looking for" and its kin ("seeking", "searching
//!   for", "auf der Suche nach", "suche", "à la recherche", "recherche", "cherche", "en
//!   busca de", "buscando", "busco", "em busca de", "procurando", "op zoek naar",
//!   "beschikbaar voor", "in cerca di", "alla ricerca di", "cerco", ...) count only when a
//!   job word follows within six words of the same segment ("role", "Stelle", "poste",
//!   "empleo", "recolocação", "baan", "lavoro", ...) before a word that says they look for
//!   something else (partners, clients, talent, colleagues, projects, investors: "looking
//!   for partners", "buscamos talento", "op zoek naar collega's", "auf der Suche nach neuen
//!   Projekten"), and never after "we"/"wir"/"nous"/"wij"/"estamos"/"stiamo"/"is"/"are"
//!   (a company hiring). "Seeking" alone at the end of a segment counts ("Sales Manager |
//!   Seeking"); "seeking to ..." does not, nor "en búsqueda de talento" (a recruiter).
//! - Students and trainees: a word ending in "student" or "studentin" counts
//!   ("Maschinenbaustudent", "Werkstudentin", "Masterstudent"), and so do "Azubi",
//!   "Auszubildende(r)", "Praktikant(in)", "Trainee", "étudiant(e)", "stagiaire",
//!   "alternant(e)", "estudiante", "becario/a", "estudante", "estagiário/a", "stagiair",
//!   "studente/studentessa", "tirocinante", "laureando/a", "neolaureato/a", doctoral
//!   students and recent graduates in every language. A word that only contains "student"
//!   ("studentenvereniging", "Studentenwerk") does not count, nor do jobs serving students
//!   ("Student Success Manager", "Trainee Program Manager"). Plain "intern" is left out: it
//!   means "internal" in German and Dutch.
//! - Selling services to companies: agency words ("agency", "Agentur" and "-agentur",
//!   "agence", "agencia/agência", "bureau" and Dutch "-bureau", "agenzia"), consultant and
//!   adviser words ("consultant(e)", "Berater(in)", "consultor(a)", "consultoria",
//!   "assessoria", "adviseur", "consulente"), freelancer words ("freelance(r)",
//!   "Freiberufler", "indépendant(e)", "autónomo", "zelfstandige", "ZZP'er", "libero
//!   professionista"), lead generation and appointment setting in every language
//!   ("wir vereinbaren Termine", "prise de rendez-vous", "agendamos reuniones", "geramos
//!   leads", "afspraken inplannen", "generazione lead"), outsourcing and white label. News
//!   and government agencies ("Nachrichtenagentur", "Bundesagentur", "agence de presse",
//!   "Agencia Tributaria", "persbureau") and in-house advisers ("HR-adviseur", "juridisch
//!   adviseur") are not vendors; a bare "Berater" is, a "Steuerberater" (a professional)
//!   is not.
//! - Recruiters: "recruiter", "headhunter", "executive search", "Personalberater(in)",
//!   "cabinet de recrutement" count, and so do the recruiting function words
//!   ("recruitment", "recrutement", "reclutamiento", "recrutamento", "werving en
//!   selectie", "ricerca e selezione") unless an in-house HR title surrounds them ("Head of
//!   Recruitment", "Recruiting Manager", "Responsable recrutement", "Chargée de
//!   recrutement", "Analista de Recrutamento", "Medewerker werving en selectie", "Internal
//!   Recruiter") or, for a function word, an employer follows ("Recruiting @ Zalando").
//!   "Talent Acquisition" titles never count: they are HR jobs. A "Recruiter at X" counts
//!   either way; the category rules weigh the company.
//! - Selling to consumers (`consumer_seller`): estate agents in every language, personal
//!   trainers, life, career, health, nutrition and yoga coaches, "Heilpraktiker(in)",
//!   "coach de vie", "coach personal". Words a consumer-selling phrase covers do not also
//!   count as selling services ("Life Coach" is not "coach"), and the generic "helping",
//!   "I help", "DM me", "book a call" are dropped beside one ("Life coach helping women
//!   find balance" sells to consumers). Agency, consultant and recruiter words still count
//!   ("Business Coach | Life Coach", "Executive Coach for SaaS leaders" sell services).
//! - Influencer roles: journalists, reporters, correspondents, editors and editors in chief
//!   ("Chefredakteur", "rédacteur en chef", "redactor jefe", "editor-chefe",
//!   "hoofdredacteur", "caporedattore", "direttore responsabile"), columnists, authors
//!   (with German "-autor(in)" and "-journalist(in)" compounds), podcasters and podcast
//!   hosts, industry and market analysts ("Branchenanalyst", "analyste sectoriel",
//!   "analista de mercado", "marktanalist", "analista di settore") and keynote or industry
//!   speakers ("Keynote-Speaker", "conférencier", "conferenciante", "palestrante",
//!   "spreker", "relatore"). A plain "Analyst"/"Analyste"/"Analista"/"Analist" is a junior
//!   title (`title.rs` says ENTRY), not an influencer, unless an analyst firm follows its
//!   employer marker ("Analyste chez IDC"): SOC, data and financial analysts stay out. A
//!   video, photo or film editor is not media.

use std::sync::LazyLock;

use super::text::{PhraseTable, SEGMENT, tokenize, words};

/// What a follower's own words say about them. Each field names the phrase found (as the
/// phrase lists spell it), for reasons; `None` when the text says nothing of the kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextSignals {
    pub job_seeking: Option<&'static str>,
    pub student_or_graduate: Option<&'static str>,
    pub aspiring: Option<&'static str>,
    /// Sells services to companies: agency, consultant, freelancer, recruiter, lead
    /// generation, "helping X do Y".
    pub sells_services: Option<&'static str>,
    /// Sells to consumers (estate agent, personal trainer, life or yoga coach): not a
    /// vendor to a B2B account (SPEC §2 "VENDOR by description").
    pub consumer_seller: Option<&'static str>,
    pub influencer_role: Option<&'static str>,
    /// Says whom it serves: businesses ("B2B", "for employers", "für Softwareunternehmen",
    /// "para empresas"). On an organisation's own account, with no ICP fit, that is a
    /// vendor's description.
    pub serves_businesses: Option<&'static str>,
}

impl TextSignals {
    pub fn is_empty(&self) -> bool {
        *self == TextSignals::default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Signal {
    JobSeeking,
    /// "looking for", "auf der Suche nach", "op zoek naar", ...: job seeking only when a job
    /// word ("role", "Stelle", "poste", "empleo", "baan", "lavoro") follows in the same
    /// segment before a word that says they look for something else (clients, partners,
    /// talent, colleagues, projects), and not after "we" ("wir sind auf der Suche nach").
    /// `true` when the phrase alone, ending its segment, is enough ("Sales Manager |
    /// Seeking").
    LookingFor(bool),
    Student,
    Aspiring,
    /// Agency, consultant, freelancer, lead generation, outsourcing: selling to companies.
    SellsServices,
    /// "helping", "I help", "DM me": selling, unless a consumer-selling phrase says to whom
    /// ("Life coach helping women find balance" sells to consumers).
    SellsWeak,
    /// Recruiting words: selling (agency recruiters and headhunters), except inside an
    /// in-house HR title ("Responsable recrutement", "Head of Recruitment", "Recruiting
    /// Manager", "Internal Recruiter"). `true` for the function words ("recruitment",
    /// "recrutement", "werving en selectie"), which are in-house too when an employer
    /// follows ("Recruiting @ Zalando", "Recrutement chez L'Oréal").
    Recruiting(bool),
    ConsumerSeller,
    Influencer,
    /// "class of" counts as student only before a year ("Class of 2026").
    ClassOf,
    /// "analyst" counts as an influencer role only before "at" or "@" and an analyst firm.
    Analyst,
    /// A phrase that looks like a signal and is not ("student success manager", "video
    /// editor", "influencer marketing"); matching it consumes the words.
    Nothing,
}

use Signal::*;

const PHRASES: &[(&str, Signal)] = &[
    // ---- Job seeking. ----
    // English.
    ("open to work", JobSeeking),
    ("#opentowork", JobSeeking),
    ("open for work", JobSeeking),
    ("open to new opportunities", JobSeeking),
    ("open to opportunities", JobSeeking),
    ("open for new opportunities", JobSeeking),
    ("open to new roles", JobSeeking),
    ("open to new challenges", JobSeeking),
    ("seeking new opportunities", JobSeeking),
    ("seeking opportunities", JobSeeking),
    ("seeking a new role", JobSeeking),
    ("seeking new role", JobSeeking),
    ("seeking a new position", JobSeeking),
    ("seeking employment", JobSeeking),
    ("seeking a position", JobSeeking),
    ("seeking my next", JobSeeking),
    ("seeking", LookingFor(true)),
    ("looking for new opportunities", JobSeeking),
    ("looking for opportunities", JobSeeking),
    ("looking for a new role", JobSeeking),
    ("looking for new role", JobSeeking),
    ("looking for a new position", JobSeeking),
    ("looking for a new job", JobSeeking),
    ("looking for a new challenge", JobSeeking),
    ("looking for new challenges", JobSeeking),
    ("looking for my next", JobSeeking),
    ("looking for my next role", JobSeeking),
    ("looking for a job", JobSeeking),
    ("looking for work", JobSeeking),
    ("looking for employment", JobSeeking),
    ("looking for a position", JobSeeking),
    ("looking for an internship", JobSeeking),
    ("looking for internship", JobSeeking),
    ("looking for full time", JobSeeking),
    ("looking for", LookingFor(false)),
    ("searching for", LookingFor(false)),
    ("in search of", LookingFor(false)),
    ("actively looking", JobSeeking),
    ("actively seeking", JobSeeking),
    ("available for hire", JobSeeking),
    ("available for work", JobSeeking),
    ("available immediately", JobSeeking),
    ("job seeker", JobSeeking),
    ("jobseeker", JobSeeking),
    ("job hunting", JobSeeking),
    ("between jobs", JobSeeking),
    ("between roles", JobSeeking),
    ("in transition", JobSeeking),
    ("currently unemployed", JobSeeking),
    ("unemployed", JobSeeking),
    ("laid off", JobSeeking),
    ("recently laid off", JobSeeking),
    ("impacted by layoffs", JobSeeking),
    ("impacted by the layoffs", JobSeeking),
    ("impacted by a layoff", JobSeeking),
    ("affected by layoffs", JobSeeking),
    ("affected by the layoffs", JobSeeking),
    ("laid off workers", Nothing),
    ("laid off employees", Nothing),
    ("laid off professionals", Nothing),
    ("laid off talent", Nothing),
    // German.
    ("auf jobsuche", JobSeeking),
    ("auf stellensuche", JobSeeking),
    ("auf arbeitssuche", JobSeeking),
    ("jobsuchend", JobSeeking),
    ("arbeitssuchend", JobSeeking),
    ("stellensuchend", JobSeeking),
    ("arbeitslos", JobSeeking),
    ("suche neue herausforderung", JobSeeking),
    ("auf der suche nach einer neuen herausforderung", JobSeeking),
    ("auf der suche nach", LookingFor(false)),
    ("suche", LookingFor(false)),
    ("offen für neue herausforderungen", JobSeeking),
    ("offen für neue aufgaben", JobSeeking),
    ("offen für neue möglichkeiten", JobSeeking),
    // French.
    ("en recherche d'emploi", JobSeeking),
    ("recherche d'emploi", JobSeeking),
    ("en recherche active", JobSeeking),
    ("en recherche de poste", JobSeeking),
    ("en recherche", LookingFor(false)),
    ("à la recherche d'un emploi", JobSeeking),
    ("à la recherche d'un nouveau poste", JobSeeking),
    ("à la recherche d'une nouvelle opportunité", JobSeeking),
    ("à la recherche", LookingFor(false)),
    ("recherche", LookingFor(false)),
    ("cherche", LookingFor(false)),
    ("demandeur d'emploi", JobSeeking),
    ("demandeuse d'emploi", JobSeeking),
    ("ouvert aux opportunités", JobSeeking),
    ("ouverte aux opportunités", JobSeeking),
    ("ouvert à de nouvelles opportunités", JobSeeking),
    ("ouverte à de nouvelles opportunités", JobSeeking),
    ("à l'écoute du marché", JobSeeking),
    ("disponible immédiatement", JobSeeking),
    // Spanish.
    ("en búsqueda activa", JobSeeking),
    ("en búsqueda de empleo", JobSeeking),
    ("en búsqueda de trabajo", JobSeeking),
    ("en búsqueda de nuevas oportunidades", JobSeeking),
    ("en búsqueda de", LookingFor(false)),
    ("en busca de", LookingFor(false)),
    ("buscando empleo", JobSeeking),
    ("buscando trabajo", JobSeeking),
    ("buscando nuevas oportunidades", JobSeeking),
    ("buscando nuevos retos", JobSeeking),
    ("buscando", LookingFor(false)),
    ("busco", LookingFor(false)),
    ("abierto a nuevas oportunidades", JobSeeking),
    ("abierta a nuevas oportunidades", JobSeeking),
    ("disponible para trabajar", JobSeeking),
    ("disponibilidad inmediata", JobSeeking),
    ("desempleado", JobSeeking),
    ("desempleada", JobSeeking),
    // Portuguese.
    ("em busca de", LookingFor(false)),
    ("à procura de", LookingFor(false)),
    ("procurando emprego", JobSeeking),
    ("procurando", LookingFor(false)),
    ("em recolocação", JobSeeking),
    ("em transição de carreira", JobSeeking),
    ("aberto a novas oportunidades", JobSeeking),
    ("aberta a novas oportunidades", JobSeeking),
    ("disponível", JobSeeking),
    ("desempregado", JobSeeking),
    ("desempregada", JobSeeking),
    // Dutch.
    ("op zoek naar", LookingFor(false)),
    ("werkzoekend", JobSeeking),
    ("werkzoekende", JobSeeking),
    ("werkloos", JobSeeking),
    ("open voor werk", JobSeeking),
    ("open voor nieuwe uitdagingen", JobSeeking),
    ("open voor een nieuwe uitdaging", JobSeeking),
    ("beschikbaar voor", LookingFor(false)),
    // Italian.
    ("in cerca di", LookingFor(false)),
    ("alla ricerca di", LookingFor(false)),
    ("cerco", LookingFor(false)),
    ("disponibile da subito", JobSeeking),
    ("disponibile per", LookingFor(false)),
    ("aperto a nuove opportunità", JobSeeking),
    ("aperta a nuove opportunità", JobSeeking),
    ("disoccupato", JobSeeking),
    ("disoccupata", JobSeeking),
    // ---- Students, trainees and recent graduates. ----
    // English (and Dutch "student").
    ("student", Student),
    ("studying", Student),
    ("working student", Student),
    ("undergraduate", Student),
    ("undergrad", Student),
    ("recent graduate", Student),
    ("recent grad", Student),
    ("new grad", Student),
    ("fresh graduate", Student),
    ("graduate student", Student),
    ("grad student", Student),
    ("graduated", Student),
    ("graduating", Student),
    ("mba candidate", Student),
    ("mba student", Student),
    ("phd student", Student),
    ("phd candidate", Student),
    ("doctoral student", Student),
    ("doctoral candidate", Student),
    ("bachelor student", Student),
    ("master student", Student),
    ("master's student", Student),
    ("trainee", Student),
    ("class of", ClassOf),
    ("student success", Nothing),
    ("student recruitment", Nothing),
    ("student affairs", Nothing),
    ("student services", Nothing),
    ("student experience", Nothing),
    ("student engagement", Nothing),
    ("student loans", Nothing),
    ("student loan", Nothing),
    ("student housing", Nothing),
    ("trainee program", Nothing),
    ("trainee programme", Nothing),
    // German (compounds ending in -student/-studentin are read by suffix).
    ("studentin", Student),
    ("studierende", Student),
    ("studierender", Student),
    ("werkstudent", Student),
    ("werkstudentin", Student),
    ("azubi", Student),
    ("auszubildende", Student),
    ("auszubildender", Student),
    ("praktikant", Student),
    ("praktikantin", Student),
    ("doktorand", Student),
    ("doktorandin", Student),
    ("absolvent", Student),
    ("absolventin", Student),
    // French.
    ("étudiant", Student),
    ("étudiante", Student),
    ("stagiaire", Student),
    ("alternant", Student),
    ("alternante", Student),
    ("en alternance", Student),
    ("apprenti", Student),
    ("apprentie", Student),
    ("doctorant", Student),
    ("doctorante", Student),
    ("jeune diplômé", Student),
    ("jeune diplômée", Student),
    // Spanish.
    ("estudiante", Student),
    ("estudiando", Student),
    ("becario", Student),
    ("becaria", Student),
    ("practicante", Student),
    ("pasante", Student),
    ("doctorando", Student),
    ("doctoranda", Student),
    ("recién graduado", Student),
    ("recién graduada", Student),
    ("recién egresado", Student),
    ("recién egresada", Student),
    ("recién titulado", Student),
    ("recién titulada", Student),
    // Portuguese.
    ("estudante", Student),
    ("estagiário", Student),
    ("estagiária", Student),
    ("aprendiz", Student),
    ("graduando", Student),
    ("graduanda", Student),
    ("mestrando", Student),
    ("mestranda", Student),
    ("doutorando", Student),
    ("doutoranda", Student),
    ("recém-formado", Student),
    ("recém-formada", Student),
    ("recém-graduado", Student),
    ("recém-graduada", Student),
    // Dutch.
    ("stagiair", Student),
    ("promovendus", Student),
    ("promovenda", Student),
    ("pas afgestudeerd", Student),
    ("net afgestudeerd", Student),
    // Italian.
    ("studente", Student),
    ("studentessa", Student),
    ("stagista", Student),
    ("tirocinante", Student),
    ("apprendista", Student),
    ("laureando", Student),
    ("laureanda", Student),
    ("neolaureato", Student),
    ("neolaureata", Student),
    ("neo laureato", Student),
    ("neo laureata", Student),
    ("dottorando", Student),
    ("dottoranda", Student),
    // ---- Aspiring. ----
    ("aspiring", Aspiring),
    ("aspirant", Aspiring),
    ("aspirante", Aspiring),
    ("angehender", Aspiring),
    ("angehende", Aspiring),
    ("in spe", Aspiring),
    ("en devenir", Aspiring),
    ("em formação", Aspiring),
    ("aankomend", Aspiring),
    ("aankomende", Aspiring),
    ("soon to be", Aspiring),
    ("wannabe", Aspiring),
    // ---- Selling services to companies. ----
    // Agencies (compounds ending in -agentur and -bureau are read by suffix).
    ("agency", SellsServices),
    ("agentur", SellsServices),
    ("agence", SellsServices),
    ("agencia", SellsServices),
    ("agenzia", SellsServices),
    ("bureau", SellsServices),
    ("news agency", Nothing),
    ("government agency", Nothing),
    ("nachrichtenagentur", Nothing),
    ("presseagentur", Nothing),
    ("bundesagentur", Nothing),
    ("arbeitsagentur", Nothing),
    ("agence de presse", Nothing),
    ("agence france presse", Nothing),
    ("agencia de noticias", Nothing),
    ("agencia tributaria", Nothing),
    ("agenzia di stampa", Nothing),
    ("agenzia delle entrate", Nothing),
    ("persbureau", Nothing),
    ("membre du bureau", Nothing),
    // Consultants and advisers.
    ("consultant", SellsServices),
    ("consultants", SellsServices),
    ("consulting", SellsServices),
    ("consultancy", SellsServices),
    ("consultante", SellsServices),
    ("consultor", SellsServices),
    ("consultora", SellsServices),
    ("consultoría", SellsServices),
    ("assessoria", SellsServices),
    ("asesoría", SellsServices),
    ("asesoría jurídica", Nothing),
    ("consulente", SellsServices),
    ("consulenza", SellsServices),
    ("adviseur", SellsServices),
    ("hr adviseur", Nothing),
    ("hrm adviseur", Nothing),
    ("juridisch adviseur", Nothing),
    ("communicatie adviseur", Nothing),
    ("interne adviseur", Nothing),
    ("conseil", SellsServices),
    ("conseil d'administration", Nothing),
    ("berater", SellsServices),
    ("beraterin", SellsServices),
    ("beratung", SellsServices),
    ("unternehmensberater", SellsServices),
    ("unternehmensberaterin", SellsServices),
    ("unternehmensberatung", SellsServices),
    ("independent consultant", SellsServices),
    ("fractional", SellsServices),
    ("coach", SellsServices),
    ("coaching", SellsServices),
    // Freelancers.
    ("freelancer", SellsServices),
    ("freelance", SellsServices),
    ("freiberufler", SellsServices),
    ("freiberuflerin", SellsServices),
    ("freiberuflich", SellsServices),
    ("selbständig", SellsServices),
    ("selbstständig", SellsServices),
    ("indépendant", SellsServices),
    ("indépendante", SellsServices),
    ("administrateur indépendant", Nothing),
    ("administratrice indépendante", Nothing),
    ("auto-entrepreneur", SellsServices),
    ("micro-entrepreneur", SellsServices),
    ("autónomo", SellsServices),
    ("autónoma", SellsServices),
    ("zelfstandige", SellsServices),
    ("zelfstandig ondernemer", SellsServices),
    ("zzp", SellsServices),
    ("zzp'er", SellsServices),
    ("libero professionista", SellsServices),
    // "I help ..." in every language.
    ("helping", SellsWeak),
    ("i help", SellsWeak),
    ("we help", SellsWeak),
    ("ich helfe", SellsWeak),
    ("wir helfen", SellsWeak),
    ("ich unterstütze", SellsWeak),
    ("wir unterstützen", SellsWeak),
    ("j'aide", SellsWeak),
    ("nous aidons", SellsWeak),
    ("j'accompagne", SellsWeak),
    ("nous accompagnons", SellsWeak),
    ("ayudo", SellsWeak),
    ("ayudamos", SellsWeak),
    ("acompaño", SellsWeak),
    ("ajudo", SellsWeak),
    ("ajudamos", SellsWeak),
    ("ik help", SellsWeak),
    ("wij helpen", SellsWeak),
    ("we helpen", SellsWeak),
    ("aiuto", SellsWeak),
    ("aiutiamo", SellsWeak),
    ("done for you", SellsWeak),
    ("book a call", SellsWeak),
    ("dm me", SellsWeak),
    // Recruiters and headhunters.
    ("recruiter", Recruiting(false)),
    ("recruiters", Recruiting(false)),
    ("recruitment", Recruiting(true)),
    ("recruiting", Recruiting(true)),
    ("recrutement", Recruiting(true)),
    ("recruteur", Recruiting(false)),
    ("recruteuse", Recruiting(false)),
    ("reclutamiento", Recruiting(true)),
    ("reclutamiento y selección", Recruiting(true)),
    ("reclutador", Recruiting(false)),
    ("reclutadora", Recruiting(false)),
    ("recrutamento", Recruiting(true)),
    ("recrutamento e seleção", Recruiting(true)),
    ("recrutador", Recruiting(false)),
    ("recrutadora", Recruiting(false)),
    ("werving en selectie", Recruiting(true)),
    ("werving & selectie", Recruiting(true)),
    ("ricerca e selezione", Recruiting(true)),
    ("selezione del personale", Recruiting(true)),
    ("headhunter", SellsServices),
    ("head hunter", SellsServices),
    ("headhunting", SellsServices),
    ("executive search", SellsServices),
    ("personalberater", SellsServices),
    ("personalberaterin", SellsServices),
    ("personalberatung", SellsServices),
    ("personalvermittlung", SellsServices),
    ("personalvermittler", SellsServices),
    ("personalvermittlerin", SellsServices),
    ("cabinet de recrutement", SellsServices),
    ("talent acquisition", Nothing),
    // Lead generation, appointment setting, outsourcing, white label.
    ("lead generation", SellsServices),
    ("lead gen", SellsServices),
    ("appointment setting", SellsServices),
    ("appointment setter", SellsServices),
    ("we book meetings", SellsServices),
    ("book meetings for", SellsServices),
    ("booking meetings for", SellsServices),
    ("leadgenerierung", SellsServices),
    ("lead-generierung", SellsServices),
    ("wir vereinbaren termine", SellsServices),
    ("terminvereinbarung", SellsServices),
    ("terminierung", SellsServices),
    ("génération de leads", SellsServices),
    ("prise de rendez-vous", SellsServices),
    ("prise de rdv", SellsServices),
    ("generación de leads", SellsServices),
    ("generamos leads", SellsServices),
    ("agendamos reuniones", SellsServices),
    ("geração de leads", SellsServices),
    ("geramos leads", SellsServices),
    ("agendamento de reuniões", SellsServices),
    ("leadgeneratie", SellsServices),
    ("afspraken inplannen", SellsServices),
    ("generazione lead", SellsServices),
    ("generazione di lead", SellsServices),
    ("fissiamo appuntamenti", SellsServices),
    ("growth hacker", SellsServices),
    ("growth hacking", SellsServices),
    ("outsourcing", SellsServices),
    ("outsourced", SellsServices),
    ("terceirização", SellsServices),
    ("nearshore", SellsServices),
    ("nearshoring", SellsServices),
    ("offshore development", SellsServices),
    ("staff augmentation", SellsServices),
    ("white label", SellsServices),
    ("whitelabel", SellsServices),
    ("marque blanche", SellsServices),
    ("marca blanca", SellsServices),
    ("marca branca", SellsServices),
    ("ghostwriter", SellsServices),
    ("ghostwriting", SellsServices),
    // ---- Selling to consumers (not a vendor to a B2B account). ----
    ("estate agent", ConsumerSeller),
    ("mortgage adviser", ConsumerSeller),
    ("mortgage advisor", ConsumerSeller),
    ("mortgage broker", ConsumerSeller),
    ("hypotheekadviseur", ConsumerSeller),
    ("baufinanzierungsberater", ConsumerSeller),
    ("baufinanzierungsberaterin", ConsumerSeller),
    ("courtier en credit immobilier", ConsumerSeller),
    ("asesor hipotecario", ConsumerSeller),
    ("asesora hipotecaria", ConsumerSeller),
    ("correspondente bancario", ConsumerSeller),
    ("consulente del credito", ConsumerSeller),
    ("real estate agent", ConsumerSeller),
    ("real estate broker", ConsumerSeller),
    ("realtor", ConsumerSeller),
    ("immobilienmakler", ConsumerSeller),
    ("immobilienmaklerin", ConsumerSeller),
    ("agent immobilier", ConsumerSeller),
    ("agente immobilière", ConsumerSeller),
    ("conseiller immobilier", ConsumerSeller),
    ("conseillère immobilière", ConsumerSeller),
    ("agente inmobiliario", ConsumerSeller),
    ("agente inmobiliaria", ConsumerSeller),
    ("asesor inmobiliario", ConsumerSeller),
    ("asesora inmobiliaria", ConsumerSeller),
    ("corretor de imóveis", ConsumerSeller),
    ("corretora de imóveis", ConsumerSeller),
    ("makelaar", ConsumerSeller),
    ("agente immobiliare", ConsumerSeller),
    ("personal trainer", ConsumerSeller),
    ("personal coach", ConsumerSeller),
    ("fitness coach", ConsumerSeller),
    ("fitness trainer", ConsumerSeller),
    ("fitnesstrainer", ConsumerSeller),
    ("fitnesstrainerin", ConsumerSeller),
    ("coach sportif", ConsumerSeller),
    ("coach sportive", ConsumerSeller),
    ("entrenador personal", ConsumerSeller),
    ("entrenadora personal", ConsumerSeller),
    ("coach personal", ConsumerSeller),
    ("treinador pessoal", ConsumerSeller),
    ("treinadora pessoal", ConsumerSeller),
    ("life coach", ConsumerSeller),
    ("lifecoach", ConsumerSeller),
    ("coach de vie", ConsumerSeller),
    ("coach de vida", ConsumerSeller),
    ("lebenscoach", ConsumerSeller),
    ("levenscoach", ConsumerSeller),
    ("coach di vita", ConsumerSeller),
    ("career coach", ConsumerSeller),
    ("dating coach", ConsumerSeller),
    ("relationship coach", ConsumerSeller),
    ("parenting coach", ConsumerSeller),
    ("health coach", ConsumerSeller),
    ("wellness coach", ConsumerSeller),
    ("nutrition coach", ConsumerSeller),
    ("yoga teacher", ConsumerSeller),
    ("yoga coach", ConsumerSeller),
    ("yoga instructor", ConsumerSeller),
    ("yogalehrer", ConsumerSeller),
    ("yogalehrerin", ConsumerSeller),
    ("professeur de yoga", ConsumerSeller),
    ("professeure de yoga", ConsumerSeller),
    ("prof de yoga", ConsumerSeller),
    ("profesor de yoga", ConsumerSeller),
    ("profesora de yoga", ConsumerSeller),
    ("professor de yoga", ConsumerSeller),
    ("professora de yoga", ConsumerSeller),
    ("yogadocent", ConsumerSeller),
    ("yogadocente", ConsumerSeller),
    ("yogaleraar", ConsumerSeller),
    ("insegnante di yoga", ConsumerSeller),
    ("insegnante yoga", ConsumerSeller),
    ("heilpraktiker", ConsumerSeller),
    ("heilpraktikerin", ConsumerSeller),
    ("ernährungsberater", ConsumerSeller),
    ("ernährungsberaterin", ConsumerSeller),
    // ---- Influencer roles. ----
    // Industry and market analysts (an in-house analyst is not one: see `Analyst`).
    ("industry analyst", Influencer),
    ("principal analyst", Influencer),
    ("vp analyst", Influencer),
    ("distinguished analyst", Influencer),
    ("distinguished vp analyst", Influencer),
    ("research director", Influencer),
    ("research vice president", Influencer),
    ("branchenanalyst", Influencer),
    ("branchenanalystin", Influencer),
    ("marktanalyst", Influencer),
    ("marktanalystin", Influencer),
    ("analyste sectoriel", Influencer),
    ("analyste sectorielle", Influencer),
    ("analyste du secteur", Influencer),
    ("analyste de l'industrie", Influencer),
    ("analista de la industria", Influencer),
    ("analista de industria", Influencer),
    ("analista de mercado", Influencer),
    ("analista setorial", Influencer),
    ("marktanalist", Influencer),
    ("branche-analist", Influencer),
    ("analista di settore", Influencer),
    ("analista di mercato", Influencer),
    ("analyst", Analyst),
    ("analyste", Analyst),
    ("analista", Analyst),
    ("analist", Analyst),
    // Journalists and reporters (compounds ending in -journalist(in) are read by suffix).
    ("journalist", Influencer),
    ("journalistin", Influencer),
    ("journaliste", Influencer),
    ("periodista", Influencer),
    ("jornalista", Influencer),
    ("giornalista", Influencer),
    ("reporter", Influencer),
    ("reporterin", Influencer),
    ("verslaggever", Influencer),
    ("correspondent", Influencer),
    ("korrespondent", Influencer),
    ("korrespondentin", Influencer),
    ("correspondant", Influencer),
    ("correspondante", Influencer),
    ("corresponsal", Influencer),
    ("correspondente", Influencer),
    ("corrispondente", Influencer),
    // Editors.
    ("editor", Influencer),
    ("editora", Influencer),
    ("editor in chief", Influencer),
    ("editor-at-large", Influencer),
    ("managing editor", Influencer),
    ("contributing editor", Influencer),
    ("redakteur", Influencer),
    ("redakteurin", Influencer),
    ("chefredakteur", Influencer),
    ("chefredakteurin", Influencer),
    ("rédacteur", Influencer),
    ("rédactrice", Influencer),
    ("rédacteur en chef", Influencer),
    ("rédactrice en chef", Influencer),
    ("directeur de la rédaction", Influencer),
    ("directrice de la rédaction", Influencer),
    ("redactor", Influencer),
    ("redactora", Influencer),
    ("redactor jefe", Influencer),
    ("redactora jefa", Influencer),
    ("redactor en jefe", Influencer),
    ("redactora en jefe", Influencer),
    ("redator", Influencer),
    ("redatora", Influencer),
    ("editor-chefe", Influencer),
    ("editora-chefe", Influencer),
    ("hoofdredacteur", Influencer),
    ("hoofdredactrice", Influencer),
    ("redattore", Influencer),
    ("redattrice", Influencer),
    ("caporedattore", Influencer),
    ("caporedattrice", Influencer),
    ("direttore responsabile", Influencer),
    ("direttrice responsabile", Influencer),
    ("columnist", Influencer),
    ("kolumnist", Influencer),
    ("kolumnistin", Influencer),
    ("columnista", Influencer),
    ("colunista", Influencer),
    ("editorialista", Influencer),
    ("chroniqueur", Influencer),
    ("chroniqueuse", Influencer),
    // Authors (compounds ending in -autor(in) are read by suffix).
    ("author", Influencer),
    ("bestselling author", Influencer),
    ("autor", Influencer),
    ("autorin", Influencer),
    ("autora", Influencer),
    ("auteur", Influencer),
    ("autrice", Influencer),
    ("autore", Influencer),
    ("blogger", Influencer),
    ("bloggerin", Influencer),
    // Podcasters.
    ("podcaster", Influencer),
    ("podcasterin", Influencer),
    ("podcast host", Influencer),
    ("host do podcast", Influencer),
    ("host del podcast", Influencer),
    ("host van de podcast", Influencer),
    ("host of", Influencer),
    ("host von", Influencer),
    ("animateur du podcast", Influencer),
    ("animatrice du podcast", Influencer),
    ("animateur de podcast", Influencer),
    ("animatrice de podcast", Influencer),
    ("presentador del podcast", Influencer),
    ("presentadora del podcast", Influencer),
    ("presentador de podcast", Influencer),
    ("presentadora de podcast", Influencer),
    ("apresentador do podcast", Influencer),
    ("apresentadora do podcast", Influencer),
    ("presentator van de podcast", Influencer),
    ("podcastmaker", Influencer),
    ("conduttore del podcast", Influencer),
    ("conduttrice del podcast", Influencer),
    // Speakers.
    ("industry speaker", Influencer),
    ("keynote speaker", Influencer),
    ("keynotespeaker", Influencer),
    ("public speaker", Influencer),
    ("tedx speaker", Influencer),
    ("international speaker", Influencer),
    ("keynote redner", Influencer),
    ("keynote-rednerin", Influencer),
    ("conférencier", Influencer),
    ("conférencière", Influencer),
    ("conferenciante", Influencer),
    ("conferencista", Influencer),
    ("palestrante", Influencer),
    ("spreker", Influencer),
    ("keynote spreker", Influencer),
    ("relatore", Influencer),
    ("relatrice", Influencer),
    // Voices.
    ("linkedin top voice", Influencer),
    ("top voice", Influencer),
    ("influencer", Influencer),
    ("influenciador", Influencer),
    ("influenciadora", Influencer),
    ("content creator", Influencer),
    ("forbes contributor", Influencer),
    ("contributing writer", Influencer),
    ("video editor", Nothing),
    ("photo editor", Nothing),
    ("film editor", Nothing),
    ("influencer marketing", Nothing),
    ("influencer relations", Nothing),
    ("analyst relations", Nothing),
];

/// Compounds read by their ending, for words the phrase table does not know: German and
/// Dutch write "Maschinenbaustudent", "Wirtschaftsjournalistin", "Fachautor",
/// "Digitalagentur", "Marketingbureau" as one word. Only words longer than the ending are
/// looked at, and only a word ending in it counts ("Studentenvereniging" does not).
const SUFFIXES: &[(&str, Signal, &str)] = &[
    ("studentin", Student, "studentin"),
    ("student", Student, "student"),
    ("journalistin", Influencer, "journalistin"),
    ("journalist", Influencer, "journalist"),
    ("journaliste", Influencer, "journaliste"),
    ("redakteurin", Influencer, "redakteurin"),
    ("redakteur", Influencer, "redakteur"),
    ("redacteur", Influencer, "redacteur"),
    ("autorin", Influencer, "autorin"),
    ("autor", Influencer, "autor"),
    ("agentur", SellsServices, "agentur"),
    ("bureau", SellsServices, "bureau"),
];

/// The shortest ending in [`SUFFIXES`]: shorter words are not looked at.
const SHORTEST_SUFFIX: usize = 5;

/// Bucket (0..128) of a word's last three letters, for [`SUFFIX_TAILS`].
const fn tail_bucket(a: u8, b: u8, c: u8) -> u32 {
    ((a as u32) | (b as u32) << 8 | (c as u32) << 16).wrapping_mul(0x9E37_79B1) >> 25
}

const fn suffix_tails() -> u128 {
    let mut mask = 0u128;
    let mut i = 0;
    while i < SUFFIXES.len() {
        let e = SUFFIXES[i].0.as_bytes();
        let n = e.len();
        mask |= 1 << tail_bucket(e[n - 3], e[n - 2], e[n - 1]);
        i += 1;
    }
    mask
}

/// The buckets of the last three letters of every ending in [`SUFFIXES`].
const SUFFIX_TAILS: u128 = suffix_tails();

/// Whether `word` may end like one of [`SUFFIXES`]: one multiplication and one bit test
/// that spare nearly every word the scan of the endings.
fn may_have_suffix(word: &str) -> bool {
    let b = word.as_bytes();
    let n = b.len();
    n > SHORTEST_SUFFIX && (SUFFIX_TAILS >> tail_bucket(b[n - 3], b[n - 2], b[n - 1])) & 1 == 1
}

fn suffix_signal(word: &str) -> Option<(Signal, &'static str)> {
    if !may_have_suffix(word) {
        return None;
    }
    SUFFIXES
        .iter()
        .find(|(suffix, ..)| word.len() > suffix.len() && word.ends_with(suffix))
        .map(|&(_, signal, label)| (signal, label))
}

/// Words after "looking for" / "op zoek naar" / ... that name a job.
fn is_job_word(word: &str) -> bool {
    matches!(
        word,
        // English.
        "role" | "roles" | "position" | "positions" | "job" | "jobs" | "employment" | "work"
            | "opportunity" | "opportunities" | "internship" | "internships" | "placement"
            | "challenge" | "challenges" | "career"
            // German.
            | "stelle" | "herausforderung" | "herausforderungen" | "aufgabe" | "aufgaben"
            | "anstellung" | "festanstellung" | "arbeit" | "arbeitsstelle" | "beschaftigung"
            | "praktikum" | "praktikumsplatz" | "ausbildungsplatz" | "werkstudentenstelle"
            | "tatigkeit"
            // French.
            | "poste" | "postes" | "emploi" | "demploi" | "opportunite" | "opportunites"
            | "dopportunites" | "stage" | "alternance" | "dalternance" | "cdi" | "cdd"
            | "travail" | "defi" | "defis" | "aventure"
            // Spanish.
            | "empleo" | "trabajo" | "oportunidad" | "oportunidades" | "puesto" | "reto"
            | "retos" | "desafio" | "desafios" | "practicas" | "pasantia" | "pasantias"
            // Portuguese.
            | "emprego" | "oportunidade" | "recolocacao" | "vaga" | "trabalho" | "estagio"
            | "colocacao"
            // Dutch.
            | "baan" | "werk" | "uitdaging" | "functie" | "stageplek" | "stageplaats"
            // Italian.
            | "lavoro" | "opportunita" | "impiego" | "occupazione" | "posizione" | "tirocinio"
            | "sfida" | "sfide" | "ruolo"
    )
}

/// Words after "looking for" / "op zoek naar" / ... that say they look for something other
/// than a job: clients, partners, talent, colleagues, investors, projects.
fn is_not_a_job_word(word: &str) -> bool {
    matches!(
        word,
        // English.
        "partner" | "partners" | "partnership" | "partnerships" | "investor" | "investors"
            | "investment" | "investments" | "funding" | "client" | "clients" | "customer"
            | "customers" | "talent" | "talents" | "talented" | "candidate" | "candidates"
            | "people" | "collaboration" | "collaborations" | "collaborators" | "cofounder"
            | "founder" | "business" | "deals" | "leads" | "project" | "projects" | "speakers"
            | "volunteers" | "sponsors" | "to" | "hire" | "hires" | "colleague" | "colleagues"
            | "members" | "someone" | "brands" | "companies"
            // German.
            | "kunden" | "partnern" | "partnerschaften" | "investoren" | "talente" | "kandidaten"
            | "kollegen" | "kollegin" | "kolleginnen" | "verstarkung" | "mitarbeiter"
            | "mitarbeiterin" | "mitarbeitende" | "mitarbeitenden" | "projekte" | "projekten"
            | "auftrage" | "mitgrunder" | "unternehmen"
            // French.
            | "partenaires" | "candidats" | "collaborateurs" | "collaborateur" | "collaboratrice"
            | "missions" | "projets" | "investisseurs" | "financement" | "associe" | "cofondateur"
            | "entreprises" | "prestataires" | "profils"
            // Spanish.
            | "clientes" | "socios" | "talento" | "talentos" | "candidatos" | "colaboradores"
            | "proyectos" | "inversores" | "inversion" | "financiacion" | "empresas"
            | "cofundador" | "companeros" | "perfiles" | "profesionales"
            // Portuguese.
            | "parceiros" | "parcerias" | "projetos" | "investidores" | "investimento"
            | "profissionais" | "perfis"
            // Dutch.
            | "klanten" | "collega" | "collegas" | "investeerders" | "samenwerking"
            | "samenwerkingen" | "opdrachten" | "opdrachtgevers" | "projecten" | "versterking"
            | "teamleden" | "bedrijven" | "professionals"
            // Italian.
            | "clienti" | "talenti" | "candidati" | "collaboratori" | "collaborazioni"
            | "progetti" | "investitori" | "aziende" | "professionisti" | "figure" | "risorse"
    )
}

/// Words just before "looking for" that make it someone else's search: a company hiring
/// ("we are looking for", "wir sind auf der Suche nach", "estamos buscando").
fn is_hiring_subject(word: &str) -> bool {
    matches!(
        word,
        "we" | "were" | "wir" | "nous" | "wij" | "estamos" | "stiamo" | "is" | "are"
    )
}

/// How far after "looking for" a job word may come ("looking for a Product Marketing
/// Manager role").
const LOOKING_FOR_WINDOW: usize = 6;

/// Whether "looking for" at `tokens[i..i + len]` looks for a job.
fn looks_for_a_job(tokens: &[&str], i: usize, len: usize, alone_counts: bool) -> bool {
    if tokens[i.saturating_sub(2)..i]
        .iter()
        .any(|t| is_hiring_subject(t))
    {
        return false;
    }
    let mut after = tokens[i + len..]
        .iter()
        .take(LOOKING_FOR_WINDOW)
        .take_while(|t| **t != SEGMENT)
        .peekable();
    if after.peek().is_none() {
        return alone_counts;
    }
    for word in after {
        if is_not_a_job_word(word) {
            return false;
        }
        if is_job_word(word) {
            return true;
        }
    }
    false
}

/// In-house HR words around a recruiting word: "Responsable recrutement", "Chargée de
/// recrutement", "Head of Recruitment", "Internal Recruiter", "Analista de Recrutamento".
fn is_in_house_before(word: &str) -> bool {
    matches!(
        word,
        "head"
            | "responsable"
            | "responsavel"
            | "responsabile"
            | "charge"
            | "chargee"
            | "analista"
            | "analyst"
            | "medewerker"
            | "medewerkster"
            | "addetto"
            | "addetta"
            | "assistant"
            | "assistante"
            | "assistente"
            | "coordinator"
            | "coordinateur"
            | "coordinatrice"
            | "coordinador"
            | "coordinadora"
            | "coordenador"
            | "coordenadora"
            | "coordinatore"
            | "internal"
            | "interne"
            | "house"
            | "corporate"
            | "leiter"
            | "leiterin"
            | "referent"
            | "referentin"
            | "gerente"
            | "jefe"
            | "jefa"
            | "director"
            | "directeur"
            | "directrice"
            | "directora"
            | "diretor"
            | "diretora"
            | "direttore"
            | "hoofd"
            | "hr"
            | "rh"
            | "rrhh"
    )
}

/// Words after a recruiting word that make it an in-house title ("Recruiting Manager").
fn is_in_house_after(word: &str) -> bool {
    matches!(
        word,
        "manager"
            | "managerin"
            | "coordinator"
            | "lead"
            | "specialist"
            | "partner"
            | "officer"
            | "team"
            | "director"
            | "assistant"
            | "administrator"
            | "analyst"
    )
}

/// Little words skipped when looking for an in-house word before a recruiting word.
fn is_connector(word: &str) -> bool {
    matches!(
        word,
        "of" | "de"
            | "du"
            | "des"
            | "la"
            | "le"
            | "del"
            | "da"
            | "do"
            | "en"
            | "em"
            | "and"
            | "y"
            | "e"
            | "et"
            | "alla"
            | "al"
            | "della"
            | "van"
            | "voor"
            | "&"
    )
}

/// Whether the recruiting word at `tokens[i..i + len]` belongs to an in-house HR title;
/// `function` for the function words, which an employer after them makes in-house.
fn in_house_recruiting(tokens: &[&str], i: usize, len: usize, function: bool) -> bool {
    let before = tokens[..i]
        .iter()
        .rev()
        .take(3)
        .take_while(|t| **t != SEGMENT)
        .find(|t| !is_connector(t));
    let after = tokens.get(i + len).copied();
    before.is_some_and(|t| is_in_house_before(t))
        || after.is_some_and(is_in_house_after)
        || (function && after.is_some_and(is_employer_marker))
}

/// Words that introduce an employer, in every supported language.
fn is_employer_marker(word: &str) -> bool {
    matches!(
        word,
        "at" | "@" | "bei" | "chez" | "bij" | "presso" | "na" | "no" | "em" | "en"
    )
}

/// Well-known industry-analyst firms, for "analyst at Gartner". The account's own analyst
/// and media firm list is matched by `company_match.rs`; this built-in list only lets the
/// phrase signal say "analyst at an analyst firm" without configuration.
const ANALYST_FIRMS: &[(&str, &str)] = &[
    ("gartner", "analyst at Gartner"),
    ("forrester", "analyst at Forrester"),
    ("idc", "analyst at IDC"),
    ("451 research", "analyst at 451 Research"),
    ("omdia", "analyst at Omdia"),
    ("everest group", "analyst at Everest Group"),
    ("hfs research", "analyst at HFS Research"),
    (
        "constellation research",
        "analyst at Constellation Research",
    ),
    ("redmonk", "analyst at RedMonk"),
    ("isg", "analyst at ISG"),
    ("nelsonhall", "analyst at NelsonHall"),
    ("canalys", "analyst at Canalys"),
    ("ventana research", "analyst at Ventana Research"),
];

static TABLE: LazyLock<PhraseTable<Signal>> =
    LazyLock::new(|| PhraseTable::new(PHRASES.iter().copied()));

static FIRMS: LazyLock<PhraseTable<&'static str>> =
    LazyLock::new(|| PhraseTable::new(ANALYST_FIRMS.iter().copied()));

/// Reads `text` (any case; folded once here) for the phrase signals. The first phrase of
/// each kind wins.
pub fn detect_signals(text: &str) -> TextSignals {
    read_signals(&words(&tokenize(text)))
}

/// [`detect_signals`] of a text already folded into its tokens.
pub(crate) fn read_signals(tokens: &[&str]) -> TextSignals {
    let mut found = TextSignals::default();
    // Selling to companies: the first phrase of any strength, and the first strong one
    // (what is left when a consumer-selling phrase says who the "helping" is for).
    let mut sells_any = None;
    let mut sells_strong = None;
    let mut i = 0;
    while i < tokens.len() {
        let (signal, len, text) = match TABLE.longest_at(tokens, i) {
            Some(m) => (m.value, m.len, m.text),
            None => match suffix_signal(tokens[i]) {
                Some((signal, label)) => (signal, 1, label),
                None => {
                    i += 1;
                    continue;
                }
            },
        };
        let slot = match signal {
            JobSeeking => Some((&mut found.job_seeking, text)),
            LookingFor(alone) => {
                looks_for_a_job(tokens, i, len, alone).then_some((&mut found.job_seeking, text))
            }
            Student => Some((&mut found.student_or_graduate, text)),
            Aspiring => Some((&mut found.aspiring, text)),
            SellsServices => {
                sells_strong.get_or_insert(text);
                sells_any.get_or_insert(text);
                None
            }
            Recruiting(function) => {
                if !in_house_recruiting(tokens, i, len, function) {
                    sells_strong.get_or_insert(text);
                    sells_any.get_or_insert(text);
                }
                None
            }
            SellsWeak => {
                sells_any.get_or_insert(text);
                None
            }
            ConsumerSeller => Some((&mut found.consumer_seller, text)),
            Influencer => Some((&mut found.influencer_role, text)),
            ClassOf => tokens
                .get(i + len)
                .filter(|year| year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()))
                .map(|_| (&mut found.student_or_graduate, text)),
            Analyst => {
                analyst_firm_after(tokens, i + len).map(|label| (&mut found.influencer_role, label))
            }
            Nothing => None,
        };
        if let Some((slot, label)) = slot {
            slot.get_or_insert(label);
        }
        i += len;
    }
    found.sells_services = if found.consumer_seller.is_some() {
        sells_strong
    } else {
        sells_any
    };
    found.serves_businesses = serves_businesses(tokens);
    found
}

/// Words that say a text addresses businesses, in the supported languages (folded).
const FOR_WORDS: [&str; 8] = ["for", "fur", "pour", "para", "voor", "per", "pra", "a"];
const BUSINESS_WORDS: [(&str, &str); 14] = [
    ("businesses", "for businesses"),
    ("companies", "for companies"),
    ("employers", "for employers"),
    ("brands", "for brands"),
    ("unternehmen", "für Unternehmen"),
    ("firmen", "für Firmen"),
    ("anbieter", "für Anbieter"),
    ("entreprises", "pour les entreprises"),
    ("empresas", "para empresas"),
    ("bedrijven", "voor bedrijven"),
    ("aziende", "per le aziende"),
    ("saas", "for SaaS"),
    ("fintech", "for fintech"),
    ("startups", "for startups"),
];

/// "B2B", or a "for" word followed within four words by a word for businesses (German
/// compounds by their ending: "für Software- und Industrieunternehmen").
fn serves_businesses(tokens: &[&str]) -> Option<&'static str> {
    if tokens.contains(&"b2b") {
        return Some("B2B");
    }
    tokens.iter().enumerate().find_map(|(i, token)| {
        if !FOR_WORDS.contains(token) {
            return None;
        }
        tokens[i + 1..].iter().take(5).find_map(|word| {
            BUSINESS_WORDS
                .iter()
                .find(|(ending, _)| word.ends_with(ending))
                .map(|(_, label)| *label)
        })
    })
}

/// "analyst at Gartner", "Analyst @ Forrester", "Analyste chez IDC", "Analist bij
/// Gartner": the label when an analyst firm follows.
fn analyst_firm_after(tokens: &[&str], i: usize) -> Option<&'static str> {
    let marker = tokens.get(i)?;
    if !is_employer_marker(marker) {
        return None;
    }
    FIRMS.longest_at(tokens, i + 1).map(|m| m.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected signals in field order: job seeking, student, aspiring, sells services,
    /// consumer seller, influencer.
    type Expected = [Option<&'static str>; 6];

    fn check(text: &str, expected: Expected) {
        let s = detect_signals(text);
        let got = [
            s.job_seeking,
            s.student_or_graduate,
            s.aspiring,
            s.sells_services,
            s.consumer_seller,
            s.influencer_role,
        ];
        assert_eq!(got, expected, "detect_signals({text:?})");
    }

    fn check_all(cases: &[(&str, Expected)]) {
        for &(text, expected) in cases {
            check(text, expected);
        }
    }

    const NONE: Expected = [None; 6];

    fn job(p: &'static str) -> Expected {
        [Some(p), None, None, None, None, None]
    }
    fn student(p: &'static str) -> Expected {
        [None, Some(p), None, None, None, None]
    }
    fn aspiring(p: &'static str) -> Expected {
        [None, None, Some(p), None, None, None]
    }
    fn sells(p: &'static str) -> Expected {
        [None, None, None, Some(p), None, None]
    }
    fn consumer(p: &'static str) -> Expected {
        [None, None, None, None, Some(p), None]
    }
    fn influencer(p: &'static str) -> Expected {
        [None, None, None, None, None, Some(p)]
    }

    #[test]
    fn job_seeking_in_english() {
        check_all(&[
            ("Marketing Manager | #OpenToWork", job("#opentowork")),
            ("Open to work - Data Analyst", job("open to work")),
            (
                "Seeking new opportunities in B2B SaaS sales",
                job("seeking new opportunities"),
            ),
            (
                "Product leader looking for my next challenge",
                job("looking for my next"),
            ),
            (
                "Looking for my next role in RevOps",
                job("looking for my next role"),
            ),
            (
                "Looking for a Product Marketing Manager role",
                job("looking for"),
            ),
            ("Seeking Senior Data Engineer positions", job("seeking")),
            ("Customer Success Lead | Seeking", job("seeking")),
            (
                "Recently laid off from Meta, open to chat",
                job("recently laid off"),
            ),
            ("Laid off in March. Ex-Stripe PM", job("laid off")),
            ("Impacted by layoffs at Twilio", job("impacted by layoffs")),
            ("Between roles | Ex-Salesforce AE", job("between roles")),
            ("Actively looking | Ex-Salesforce", job("actively looking")),
            (
                "Full-stack dev, available for hire",
                job("available for hire"),
            ),
            // Not job seeking: hiring, partnerships, investors, selling.
            ("We're hiring! Looking for talented engineers", NONE),
            ("We are looking for a new Head of Sales role to fill", NONE),
            ("Looking for partners in DACH", NONE),
            ("Seeking investors for our Series A", NONE),
            ("Always seeking to work with ambitious founders", NONE),
            ("Seeking Alpha contributor", NONE),
            ("Looking for a technical co-founder", NONE),
            ("Always looking for new business opportunities", NONE),
            (
                "Outplacement coach for laid-off professionals",
                sells("coach"),
            ),
            ("", NONE),
        ]);
    }

    #[test]
    fn job_seeking_in_german_french_and_spanish() {
        check_all(&[
            ("Vertriebsprofi | Auf Jobsuche", job("auf jobsuche")),
            (
                "Auf der Suche nach einer neuen Herausforderung im Vertrieb",
                job("auf der suche nach einer neuen herausforderung"),
            ),
            (
                "Controllerin, auf der Suche nach einer neuen Stelle",
                job("auf der suche nach"),
            ),
            (
                "Offen für neue Aufgaben | Einkauf",
                job("offen für neue aufgaben"),
            ),
            (
                "Chef de projet en recherche d'emploi",
                job("en recherche d'emploi"),
            ),
            (
                "À la recherche d'un nouveau poste en contrôle de gestion",
                job("à la recherche d'un nouveau poste"),
            ),
            (
                "À la recherche d'une opportunité en marketing B2B",
                job("à la recherche"),
            ),
            (
                "Comptable en recherche de poste",
                job("en recherche de poste"),
            ),
            (
                "Ingeniera en búsqueda activa de empleo",
                job("en búsqueda activa"),
            ),
            ("Buscando empleo en Madrid", job("buscando empleo")),
            ("Buscando nuevo empleo en logística", job("buscando")),
            ("Desempleada | Administrativa", job("desempleada")),
            // Not job seeking.
            ("Wir suchen Verstärkung im Vertrieb!", NONE),
            ("Wir sind auf der Suche nach einer neuen Kollegin", NONE),
            (
                "Auf der Suche nach neuen Projekten als Interim Manager",
                NONE,
            ),
            ("Nous recrutons ! À la recherche de talents tech", NONE),
            ("Responsable Recherche et Développement", NONE),
            ("Buscamos talento para nuestro equipo", NONE),
            ("Estamos buscando nuevos clientes", NONE),
            ("Especialista en búsqueda de talento", NONE),
        ]);
    }

    #[test]
    fn job_seeking_in_portuguese_dutch_and_italian() {
        check_all(&[
            (
                "Em busca de novas oportunidades | Analista Financeiro",
                job("em busca de"),
            ),
            ("Em busca de recolocação em RH", job("em busca de")),
            ("Procurando emprego em São Paulo", job("procurando emprego")),
            ("Em recolocação | Gerente Comercial", job("em recolocação")),
            ("Disponível | Desenvolvedor Java", job("disponível")),
            (
                "Op zoek naar een nieuwe uitdaging als accountmanager",
                job("op zoek naar"),
            ),
            ("Op zoek naar werk in de logistiek", job("op zoek naar")),
            ("Werkzoekend | HR-adviseur", job("werkzoekend")),
            (
                "In cerca di nuove opportunità lavorative",
                job("in cerca di"),
            ),
            ("Alla ricerca di un nuovo lavoro", job("alla ricerca di")),
            (
                "Disponibile da subito | Contabile",
                job("disponibile da subito"),
            ),
            // Not job seeking.
            ("Procurando parceiros para expansão", NONE),
            ("Wij zijn op zoek naar collega's!", NONE),
            ("Op zoek naar collega's voor ons team", NONE),
            ("Beschikbaar voor opdrachten", NONE),
            (
                "Stiamo cercando nuovi talenti | Alla ricerca di talenti",
                NONE,
            ),
            ("Sempre alla ricerca di nuovi clienti", NONE),
        ]);
    }

    #[test]
    fn students_trainees_and_graduates_in_every_language() {
        check_all(&[
            ("Student at TU München", student("student")),
            (
                "Computer Science Student | Class of 2026",
                student("student"),
            ),
            (
                "Harvard Business School | Class of 2025",
                student("class of"),
            ),
            ("Recent graduate in Economics", student("recent graduate")),
            ("MBA Candidate @ INSEAD", student("mba candidate")),
            ("Graduate Trainee at Unilever", student("trainee")),
            // German, with compounds.
            ("Studentin der Wirtschaftsinformatik", student("studentin")),
            ("Maschinenbaustudent an der RWTH", student("student")),
            (
                "Informatikstudentin | Werkstudentin bei SAP",
                student("studentin"),
            ),
            ("Werkstudentin Marketing", student("werkstudentin")),
            ("Azubi Industriekauffrau", student("azubi")),
            (
                "Auszubildender zum Fachinformatiker",
                student("auszubildender"),
            ),
            ("Praktikantin im Einkauf", student("praktikantin")),
            // French, Spanish.
            ("Étudiante en marketing digital", student("étudiante")),
            (
                "Stage de fin d'études | l'étudiante de l'année",
                student("étudiante"),
            ),
            ("Stagiaire Ressources Humaines", student("stagiaire")),
            ("Alternante chargée de communication", student("alternante")),
            ("Estudiante de Ingeniería", student("estudiante")),
            ("Becaria en el departamento de Finanzas", student("becaria")),
            // Portuguese, Dutch, Italian.
            ("Estudante de Administração", student("estudante")),
            ("Estagiário de Engenharia", student("estagiário")),
            ("Recém-formada em Direito", student("recém-formada")),
            ("HBO-student Bedrijfskunde", student("student")),
            ("Masterstudent Economie", student("student")),
            ("Stagiair Marketing bij Coolblue", student("stagiair")),
            ("Studentessa di Economia", student("studentessa")),
            ("Tirocinante presso Intesa", student("tirocinante")),
            ("Laureando in Ingegneria Gestionale", student("laureando")),
            ("Neolaureata in Giurisprudenza", student("neolaureata")),
            // Decisions: words that only contain "student" do not count, and neither do
            // jobs serving students.
            ("Student Success Manager at Coursera", NONE),
            ("Bestuurslid studentenvereniging", NONE),
            ("Trainee Program Manager", NONE),
            ("Class of the year winner", NONE),
        ]);
    }

    #[test]
    fn aspiring_in_every_language() {
        check_all(&[
            ("Aspiring Data Scientist | Python", aspiring("aspiring")),
            ("Angehender Steuerberater", aspiring("angehender")),
            ("Data scientist en devenir", aspiring("en devenir")),
            ("Aspirante a Product Manager", aspiring("aspirante")),
            ("Psicóloga em formação", aspiring("em formação")),
            ("Aankomend verpleegkundige", aspiring("aankomend")),
            ("Ingenieur in spe", aspiring("in spe")),
            (
                "Recent grad, aspiring product manager, open to work",
                [
                    Some("open to work"),
                    Some("recent grad"),
                    Some("aspiring"),
                    None,
                    None,
                    None,
                ],
            ),
        ]);
    }

    #[test]
    fn selling_services_to_companies() {
        check_all(&[
            (
                "Founder @ GrowthLab | B2B Marketing Agency",
                sells("agency"),
            ),
            ("Salesforce Consultant", sells("consultant")),
            ("Helping SaaS founders scale to $10M ARR", sells("helping")),
            ("I help B2B companies get more meetings", sells("i help")),
            ("We help CFOs close the books faster", sells("we help")),
            (
                "Lead Generation | Appointment Setting",
                sells("lead generation"),
            ),
            (
                "We book meetings for IT service providers",
                sells("we book meetings"),
            ),
            ("Freelance UX designer", sells("freelance")),
            ("Executive Coach for SaaS leaders", sells("coach")),
            ("Fractional CMO for startups", sells("fractional")),
            ("White label SEO for agencies", sells("white label")),
            // German.
            (
                "Geschäftsführer | Digitalagentur & Berater",
                sells("agentur"),
            ),
            ("Freiberufler | SAP-Berater", sells("freiberufler")),
            (
                "Ich helfe Maschinenbauern, mehr Anfragen zu gewinnen",
                sells("ich helfe"),
            ),
            (
                "Wir vereinbaren Termine für IT-Dienstleister",
                sells("wir vereinbaren termine"),
            ),
            (
                "B2B Leadgenerierung für den Mittelstand",
                sells("leadgenerierung"),
            ),
            // French.
            ("Fondatrice d'une agence web", sells("agence")),
            ("Directrice de l'agence Nova", sells("agence")),
            (
                "Consultante indépendante en stratégie",
                sells("consultante"),
            ),
            ("J'aide les PME à recruter", sells("j'aide")),
            ("J'accompagne les dirigeants de PME", sells("j'accompagne")),
            (
                "Prise de rendez-vous B2B qualifiés",
                sells("prise de rendez-vous"),
            ),
            // Spanish.
            ("CEO en agencia de marketing digital", sells("agencia")),
            ("Consultor SAP", sells("consultor")),
            ("Ayudo a empresas a vender más", sells("ayudo")),
            (
                "Agendamos reuniones con tu cliente ideal",
                sells("agendamos reuniones"),
            ),
            ("Autónomo | Desarrollo web", sells("autónomo")),
            // Portuguese.
            ("Sócio da Agência Digital Pixel", sells("agencia")),
            ("Consultoria em vendas B2B", sells("consultoría")),
            ("Ajudo empresas a escalar vendas", sells("ajudo")),
            (
                "Geramos leads qualificados para SaaS",
                sells("geramos leads"),
            ),
            // Dutch.
            ("Eigenaar marketingbureau", sells("bureau")),
            ("Zelfstandig adviseur | ZZP'er", sells("adviseur")),
            ("ZZP'er in de IT", sells("zzp'er")),
            ("Ik help MKB-bedrijven groeien", sells("ik help")),
            (
                "Afspraken inplannen voor SaaS-bedrijven",
                sells("afspraken inplannen"),
            ),
            // Italian.
            ("Titolare di un'agenzia di comunicazione", sells("agenzia")),
            ("Consulente di direzione", sells("consulente")),
            (
                "Libero professionista | Web designer",
                sells("libero professionista"),
            ),
            ("Aiuto le PMI a digitalizzarsi", sells("aiuto")),
            ("Generazione lead B2B", sells("generazione lead")),
            // Not selling.
            ("Membre du conseil d'administration", NONE),
            ("Administrateur indépendant", NONE),
            ("Berater bei der Bundesagentur für Arbeit", sells("berater")),
            (
                "Redakteur bei einer Nachrichtenagentur",
                influencer("redakteur"),
            ),
            ("Asesoría Jurídica | Abogada", NONE),
            ("VP Engineering at Acme", NONE),
            ("Steuerberater", NONE),
        ]);
    }

    #[test]
    fn recruiters_and_headhunters_sell_in_house_recruiting_does_not() {
        check_all(&[
            ("Tech Recruiter | Fintech", sells("recruiter")),
            ("Headhunter für den Mittelstand", sells("headhunter")),
            ("Executive Search Partner", sells("executive search")),
            (
                "Personalberaterin | Finance & Controlling",
                sells("personalberaterin"),
            ),
            ("Cabinet de recrutement IT", sells("cabinet de recrutement")),
            ("Recrutement | Tech & Digital", sells("recrutement")),
            (
                "Reclutamiento y selección de perfiles IT",
                sells("reclutamiento y selección"),
            ),
            (
                "Recrutamento e seleção | Tech",
                sells("recrutamento e seleção"),
            ),
            (
                "Werving en selectie | Finance",
                sells("werving en selectie"),
            ),
            (
                "Ricerca e selezione del personale",
                sells("ricerca e selezione"),
            ),
            // In-house HR titles.
            ("Talent Acquisition Manager", NONE),
            ("Talent Acquisition Partner at Siemens", NONE),
            ("Head of Recruitment", NONE),
            ("Recruiting Manager EMEA", NONE),
            ("Internal Recruiter", NONE),
            ("Chargée de recrutement", NONE),
            ("Responsable recrutement", NONE),
            ("Analista de Recrutamento e Seleção", NONE),
            ("Medewerker werving en selectie", NONE),
            ("Addetta alla ricerca e selezione", NONE),
            ("Recruiting @ Zalando | Employer Branding", NONE),
            ("Recrutement chez L'Oréal", NONE),
            ("Recrutamento e Seleção na Ambev", NONE),
            // A recruiter names an employer either way: agency or in-house, it counts.
            ("Senior Recruiter at Hays", sells("recruiter")),
        ]);
    }

    #[test]
    fn selling_to_consumers_is_not_selling_services() {
        check_all(&[
            ("Life Coach", consumer("life coach")),
            ("Real Estate Agent | Realtor", consumer("real estate agent")),
            (
                "Immobilienmaklerin in München",
                consumer("immobilienmaklerin"),
            ),
            (
                "Agent immobilier indépendant",
                [
                    None,
                    None,
                    None,
                    Some("indépendant"),
                    Some("agent immobilier"),
                    None,
                ],
            ),
            (
                "Agente inmobiliario en Valencia",
                consumer("agente inmobiliario"),
            ),
            (
                "Corretor de imóveis | CRECI",
                consumer("corretor de imóveis"),
            ),
            ("Makelaar en taxateur", consumer("makelaar")),
            ("Agente immobiliare", consumer("agente immobiliare")),
            (
                "Personal Trainer | Nutrition Coach",
                consumer("personal trainer"),
            ),
            ("Yoga teacher & life coach", consumer("yoga teacher")),
            ("Heilpraktikerin", consumer("heilpraktikerin")),
            ("Coach de vie certifiée", consumer("coach de vie")),
            (
                "Coach personal y entrenadora personal",
                consumer("coach personal"),
            ),
            // "Helping" says to whom only with the consumer phrase beside it.
            (
                "Life coach helping women find balance",
                consumer("life coach"),
            ),
            // A coach for companies sells services.
            ("Executive Coach for SaaS leaders", sells("coach")),
            (
                "Business Coach | Life Coach",
                [None, None, None, Some("coach"), Some("life coach"), None],
            ),
        ]);
    }

    #[test]
    fn influencer_roles_in_every_language() {
        check_all(&[
            (
                "VP Analyst at Gartner covering CRM",
                influencer("vp analyst"),
            ),
            (
                "Senior Analyst @ Forrester",
                influencer("analyst at Forrester"),
            ),
            ("Analyste chez IDC", influencer("analyst at IDC")),
            ("Research Director, IDC", influencer("research director")),
            (
                "Industry Analyst | Author | Speaker",
                influencer("industry analyst"),
            ),
            (
                "Branchenanalyst für Industrie 4.0",
                influencer("branchenanalyst"),
            ),
            (
                "Analyste sectoriel télécoms",
                influencer("analyste sectoriel"),
            ),
            ("Analista de mercado TIC", influencer("analista de mercado")),
            ("Marktanalist energie", influencer("marktanalist")),
            ("Analista di settore", influencer("analista di settore")),
            ("Tech journalist at Handelsblatt", influencer("journalist")),
            ("Wirtschaftsjournalistin", influencer("journalistin")),
            ("Redakteurin bei t3n", influencer("redakteurin")),
            ("Journaliste économique", influencer("journaliste")),
            ("Periodista de tecnología", influencer("periodista")),
            ("Jornalista | Editora-chefe", influencer("jornalista")),
            ("Hoofdredacteur Emerce", influencer("hoofdredacteur")),
            ("Giornalista e caporedattore", influencer("giornalista")),
            (
                "Direttore responsabile di Wired Italia",
                influencer("direttore responsabile"),
            ),
            ("Rédacteur en chef adjoint", influencer("rédacteur en chef")),
            ("Redactora jefa de Expansión", influencer("redactora jefa")),
            (
                "Editor-in-Chief, SaaS Weekly",
                influencer("editor in chief"),
            ),
            ("Fachautor und Dozent", influencer("autor")),
            ("Autrice di \"Vendere nel B2B\"", influencer("autrice")),
            ("Host of the Revenue Podcast", influencer("host of")),
            ("Host von \"Digital Leaders\"", influencer("host von")),
            (
                "Animateur du podcast Growth Room",
                influencer("animateur du podcast"),
            ),
            (
                "Presentador del podcast Ventas B2B",
                influencer("presentador del podcast"),
            ),
            (
                "Keynote-Speaker | Digitalisierung",
                influencer("keynote speaker"),
            ),
            ("Conférencier et auteur", influencer("conférencier")),
            ("Palestrante | Vendas Complexas", influencer("palestrante")),
            ("Spreker over AI", influencer("spreker")),
            ("Relatore a convegni di settore", influencer("relatore")),
            (
                "LinkedIn Top Voice | Keynote Speaker",
                influencer("linkedin top voice"),
            ),
            // Decisions: in-house analysts, video editors and marketers are not media.
            ("Financial Analyst at Siemens", NONE),
            ("Data Analyst", NONE),
            ("SOC Analyst", NONE),
            ("Analista de datos", NONE),
            ("Analista financeiro", NONE),
            ("Analyste financier chez Airbus", NONE),
            ("Video Editor & Motion Designer", NONE),
            ("Influencer Marketing Manager", NONE),
        ]);
    }

    #[test]
    fn every_phrase_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for (text, _) in PHRASES {
            let folded = tokenize(text);
            assert!(
                seen.insert(folded.clone()),
                "{text:?} ({folded:?}) is listed twice"
            );
        }
        for (suffix, ..) in SUFFIXES {
            assert_eq!(tokenize(suffix), *suffix, "suffixes are written folded");
            assert!(suffix.len() >= SHORTEST_SUFFIX);
            assert!(
                may_have_suffix(&format!("x{suffix}")),
                "{suffix} passes the prefilter"
            );
        }
    }

    #[test]
    fn phrase_table_reads_words_behind_an_elided_article() {
        let table = PhraseTable::new([("agence", 1), ("agenzia", 2), ("lagenzia", 3), ("it", 4)]);
        let at = |word: &str| table.longest_at(&[word], 0).map(|m| m.value);
        assert_eq!(at("lagence"), Some(1));
        assert_eq!(at("dagence"), Some(1));
        assert_eq!(at("unagenzia"), Some(2));
        assert_eq!(at("dellagenzia"), Some(2));
        // A first word of its own keeps its meaning; short words take no article.
        assert_eq!(at("lagenzia"), Some(3));
        assert_eq!(at("lit"), None);
        assert_eq!(at("xagence"), None);
    }

    #[test]
    fn organisations_say_whom_they_serve() {
        let cases = [
            ("Contenidos y SEO para fintech y SaaS B2B", Some("B2B")),
            (
                "Leads & Content für Software- und Industrieunternehmen",
                Some("für Unternehmen"),
            ),
            (
                "We run payroll for 400+ UK employers",
                Some("for employers"),
            ),
            (
                "Logiciels pour les entreprises industrielles",
                Some("pour les entreprises"),
            ),
            ("Brot und Brezen seit 1901", None),
            ("Concerts, défilés, école de musique", None),
        ];
        for (text, expected) in cases {
            assert_eq!(detect_signals(text).serves_businesses, expected, "{text}");
        }
        assert_eq!(
            detect_signals("Mortgage adviser helping first-time buyers in Kent").consumer_seller,
            Some("mortgage adviser")
        );
        assert_eq!(
            detect_signals("Mortgage adviser helping first-time buyers in Kent").sells_services,
            None
        );
        assert_eq!(
            detect_signals("Host do podcast Caixa Forte").influencer_role,
            Some("host do podcast")
        );
    }
}
