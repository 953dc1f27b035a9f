//! Title and headline understanding (SPEC §2 "Title understanding"): the seniority on the
//! ladder OWNER > C_LEVEL > VP > HEAD > DIRECTOR > MANAGER > SENIOR > ENTRY > INTERN, and
//! the business functions, read from what people really write ("CTO | Co-founder @ Finly
//! 🚀", "Sr. Manager, Demand Gen", "Geschäftsführer", "Jefa de Compras", "𝗩𝗣 𝗦𝗮𝗹𝗲𝘀").
//!
//! Owns the title vocabulary in the seven supported languages, English, German, French,
//! Spanish, Portuguese, Dutch and Italian (and Galician "Xefe"), and the rules that keep it
//! honest. It does not score: `fit.rs` turns a [`ParsedTitle`] into fit points, and
//! `signals.rs` reads the same text for job seeking, students and influencers. Text is
//! folded by `tokenize` (case, accents: "é" → "e", "ü" → "u", "ß" → "ss"; hyphens split
//! words; an apostrophe joins them, so "l'informatique" is one word, which the phrase
//! table also indexes without its elided article).
//!
//! Decisions (written here because the ladder is the contract):
//! - A multi-role headline takes its most senior role: "CTO | Co-founder" is OWNER, because
//!   founders outrank the C-suite on the ladder. Departments from that role come first.
//! - Functional chiefs carry their function only (CTO → ENGINEERING, CFO → FINANCE, CMO →
//!   MARKETING, CRO → SALES, CIO and CISO → IT, CPO → PRODUCT, COO → OPERATIONS); CEO,
//!   founders, owners, presidents, managing directors and general managers are EXECUTIVE.
//! - "Managing Director" and "Geschäftsführer" are C_LEVEL (the DACH sense: the legal head
//!   of the company), and so are "Vorstand", "Geschäftsleitung", "Algemeen directeur",
//!   "Statutair directeur", "Bestuurder", "Zaakvoerder", "Amministratore delegato/unico",
//!   "Direttore generale", "Diretor-presidente", "Diretor geral/executivo", PDG and DG.
//!   "General Manager" and Portuguese "Gerente Geral" are HEAD (usually a business unit or a
//!   branch); Spanish "Gerente General" is C_LEVEL (how Latin America says CEO).
//! - Plain "Director"/"Directeur"/"Direttore"/"Diretor" is DIRECTOR in every language, also
//!   the Dutch "Directeur" who may run a small company: only the qualified forms above
//!   reach C_LEVEL. "Prokurist" (statutory signing power below the Geschäftsführer) is
//!   DIRECTOR; "Directeur général adjoint" is VP; "Superintendente" (Brazil) is VP.
//! - Partners who own the firm are OWNER: "Sócio", "Socio", "Associé", "Managing Partner",
//!   "DGA" (the Dutch directeur-grootaandeelhouder, not the French deputy CEO),
//!   "Directeur-eigenaar", "Titolare". Plain English "Partner" is not on the ladder (it is
//!   as often a channel or HR business partner).
//! - HEAD words off the English ladder: "Hoofd", "Responsável", "Responsabile", "Capo",
//!   "Chefe", "Jefe/Jefa (de)", "Xefe/Xefa (de)", "Responsable de/des/du", "Leiter/Leiterin",
//!   "Bereichsleiter", "Abteilungsleiter", "Werksleiter", "Afdelingshoofd",
//!   "Bedrijfsleider". A bare French "Responsable" stays MANAGER ("Responsable Marketing").
//! - Team-level leads are MANAGER: "Teamleiter", "Teamleider", one-word "Teamlead" (the
//!   Dutch and German spelling of Teamleider), "Projektleiter", "Projectleider", "Capo
//!   progetto", "Chef de projet", "Gestor", and the Brazilian "Coordenador" (a management
//!   rung there, between supervisor and gerente; the Spanish and English coordinator stays
//!   ENTRY). The two-word English "Team Lead" stays SENIOR, as "Lead" on the ladder.
//! - Legal seniority off the ladder counts by meaning: "General Counsel" and "Chief Legal
//!   Officer" are C_LEVEL, "Deputy General Counsel" VP, "Associate General Counsel" and
//!   "Assistant General Counsel" DIRECTOR, all LEGAL.
//! - Departments: payroll ("Payroll", "Paie", "Nóminas", "Folha de pagamento",
//!   "Salarisadministratie", "Paghe") is HR, where European companies run it; quality
//!   ("Quality", "Qualität", "Qualité", "Calidad", "Qualidade", "Kwaliteit", "Qualità") is
//!   OPERATIONS, while "Quality Assurance" stays ENGINEERING (software QA). Italian
//!   "Amministrazione" (AFC) is FINANCE. German "Personal" is HR only after a role word
//!   ("Leiterin Personal", never "Personal Trainer"); "it" and Portuguese "TI" are IT only
//!   beside role words or on their own.
//! - Compounds written as one word are read by their ending and stem, in German and Dutch
//!   ("Vertriebsleiter", "Einkaufsmanagerin", "Werksleiter", "Verkoopleider",
//!   "Inkoopmanager", "Klantenservicemedewerker", "Maschinenbaustudent"); Dutch "-leider"
//!   and "-hoofd" need a known stem, because "Begeleider" is a counsellor.
//! - Not what they look like: "Account Executive" (SALES, no seniority), "Product Owner"
//!   (PRODUCT, not OWNER), "Chief of Staff" (HEAD, EXECUTIVE), "Chief Architect" and other
//!   chiefs without "Officer" (HEAD), "Founder's Associate" (ENTRY), "Assistant to the CEO"
//!   (ENTRY), "Senior Living" and "Lead Generation" (no seniority), "Staff" only before a
//!   craft ("Staff Engineer" is SENIOR).
//! - Past and wished-for roles do not count: "Ex-CEO", "Former VP", "ehemals", "ancien",
//!   "antiguo/antigo", "voormalig", "oud-", "già", "Aspiring/aspirante/aankomend" and
//!   looking-for words ("looking", "suche", "à la recherche", "buscando", "em busca",
//!   "procurando", "op zoek", "in cerca", "alla ricerca", "cerco") mute the rest of their
//!   segment.
//! - The company after an employer marker is muted (so "Head of Sales at Acme Marketing" is
//!   not MARKETING): "@", "at", "bei", "chez", "bij", "presso" always; "em", "na", "no",
//!   "à"/"a" and "en", which also mean "in", only after other words of the segment and
//!   before a word that is not vocabulary ("Gerente de Vendas na Acme Engenharia" mutes
//!   Acme's words, "Especialista em Marketing" keeps Marketing, "No-Code Developer" starts
//!   its segment). "de" never mutes: it introduces the function far more often
//!   ("Directora de Ventas").
//! - "Director of Photography" is DIRECTOR; "Assistant Manager" is MANAGER: the ladder
//!   takes the most senior word, it does not model every compound.

use std::sync::LazyLock;

use super::text::{AMP, AT, PhraseTable, SEGMENT, tokenize, words};
use crate::engine::vocabulary::{Department, Seniority};

/// What a title or headline says about the person's role.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedTitle {
    pub seniority: Option<Seniority>,
    /// The words that gave the seniority, as the vocabulary spells them ("VP", "Head of",
    /// "Geschäftsführer"), for reasons such as "title says VP".
    pub seniority_evidence: Option<&'static str>,
    /// Business functions, primary first, without repeats.
    pub departments: Vec<Department>,
    /// The words that gave the primary department.
    pub department_evidence: Option<&'static str>,
}

/// Context rules for words whose meaning depends on their neighbours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    Plain,
    /// "Chief … Officer" is C_LEVEL; "Chief of Staff" and "Chief Architect" are HEAD.
    Chief,
    /// "it" is IT only next to role words ("Head of IT", "IT Manager") or on its own.
    It,
    /// "people" is HR only next to role words ("Head of People", "People Partner").
    People,
    /// Past or wished-for roles ("ex", "former", "aspiring"): mute the rest of the segment.
    Mute,
    /// "at", "bei", "chez", "bij", "presso": the rest of the segment names the employer.
    Employer,
    /// "em", "na", "no", "à", "en": the employer only after other words of the segment and
    /// before a word that is not vocabulary ("Gerente de Vendas na Ambev" names Ambev,
    /// "Especialista em Marketing" names the function, "No-Code Developer" is a craft).
    MaybeEmployer,
    /// German "Personal" is HR only after a role word ("Leiterin Personal"), never in
    /// "Personal Trainer" or "Personal Assistant".
    Personal,
}

#[derive(Debug, Clone, Copy)]
struct Word {
    seniority: Option<Seniority>,
    departments: &'static [Department],
    rule: Rule,
}

const fn role(seniority: Seniority, departments: &'static [Department]) -> Word {
    Word {
        seniority: Some(seniority),
        departments,
        rule: Rule::Plain,
    }
}

const fn dept(departments: &'static [Department]) -> Word {
    Word {
        seniority: None,
        departments,
        rule: Rule::Plain,
    }
}

const fn rule(rule: Rule) -> Word {
    Word {
        seniority: None,
        departments: &[],
        rule,
    }
}

/// Matches and consumes its words, saying nothing ("senior living", "to the CEO").
const NOTHING: Word = dept(&[]);

use Department as D;
use Seniority as S;

const SALES: &[Department] = &[D::Sales];
const MARKETING: &[Department] = &[D::Marketing];
const ENGINEERING: &[Department] = &[D::Engineering];
const IT: &[Department] = &[D::It];
const PRODUCT: &[Department] = &[D::Product];
const FINANCE: &[Department] = &[D::Finance];
const PROCUREMENT: &[Department] = &[D::Procurement];
const OPERATIONS: &[Department] = &[D::Operations];
const HR: &[Department] = &[D::Hr];
const LEGAL: &[Department] = &[D::Legal];
const EXECUTIVE: &[Department] = &[D::Executive];
const SUPPORT: &[Department] = &[D::Support];
const RESEARCH: &[Department] = &[D::Research];
const NO_DEPT: &[Department] = &[];

const WORDS: &[(&str, Word)] = &[
    // OWNER.
    ("Owner", role(S::Owner, EXECUTIVE)),
    ("Business Owner", role(S::Owner, EXECUTIVE)),
    ("Founder", role(S::Owner, EXECUTIVE)),
    ("Co-founder", role(S::Owner, EXECUTIVE)),
    ("Cofounder", role(S::Owner, EXECUTIVE)),
    ("Founding Partner", role(S::Owner, EXECUTIVE)),
    ("Managing Partner", role(S::Owner, EXECUTIVE)),
    ("General Partner", role(S::Owner, EXECUTIVE)),
    ("Entrepreneur", role(S::Owner, EXECUTIVE)),
    ("Inhaber", role(S::Owner, EXECUTIVE)),
    ("Inhaberin", role(S::Owner, EXECUTIVE)),
    ("Gründer", role(S::Owner, EXECUTIVE)),
    ("Gründerin", role(S::Owner, EXECUTIVE)),
    ("Gruender", role(S::Owner, EXECUTIVE)),
    ("Mitgründer", role(S::Owner, EXECUTIVE)),
    ("Mitgründerin", role(S::Owner, EXECUTIVE)),
    ("Co-Gründer", role(S::Owner, EXECUTIVE)),
    ("Gesellschafter", role(S::Owner, EXECUTIVE)),
    (
        "Geschäftsführender Gesellschafter",
        role(S::Owner, EXECUTIVE),
    ),
    ("Unternehmer", role(S::Owner, EXECUTIVE)),
    ("Unternehmerin", role(S::Owner, EXECUTIVE)),
    ("Fondateur", role(S::Owner, EXECUTIVE)),
    ("Fondatrice", role(S::Owner, EXECUTIVE)),
    ("Cofondateur", role(S::Owner, EXECUTIVE)),
    ("Cofondatrice", role(S::Owner, EXECUTIVE)),
    ("Co-fondateur", role(S::Owner, EXECUTIVE)),
    ("Co-fondatrice", role(S::Owner, EXECUTIVE)),
    ("Propriétaire", role(S::Owner, EXECUTIVE)),
    ("Fundador", role(S::Owner, EXECUTIVE)),
    ("Fundadora", role(S::Owner, EXECUTIVE)),
    ("Cofundador", role(S::Owner, EXECUTIVE)),
    ("Cofundadora", role(S::Owner, EXECUTIVE)),
    ("Co-fundador", role(S::Owner, EXECUTIVE)),
    ("Co-fundadora", role(S::Owner, EXECUTIVE)),
    ("Socio fundador", role(S::Owner, EXECUTIVE)),
    ("Socia fundadora", role(S::Owner, EXECUTIVE)),
    ("Propietario", role(S::Owner, EXECUTIVE)),
    ("Propietaria", role(S::Owner, EXECUTIVE)),
    ("Dueño", role(S::Owner, EXECUTIVE)),
    ("Dueña", role(S::Owner, EXECUTIVE)),
    ("Emprendedor", role(S::Owner, EXECUTIVE)),
    ("Emprendedora", role(S::Owner, EXECUTIVE)),
    // Owners that are not owners.
    ("Product Owner", dept(PRODUCT)),
    ("Process Owner", NOTHING),
    ("Service Owner", NOTHING),
    ("Data Owner", NOTHING),
    ("Platform Owner", NOTHING),
    ("System Owner", NOTHING),
    ("Risk Owner", NOTHING),
    ("Budget Owner", NOTHING),
    ("Founder's Associate", role(S::Entry, EXECUTIVE)),
    ("Founding Engineer", dept(ENGINEERING)),
    ("Founding Member", NOTHING),
    ("Founding Team", NOTHING),
    // C_LEVEL.
    ("CEO", role(S::CLevel, EXECUTIVE)),
    ("CFO", role(S::CLevel, FINANCE)),
    ("CTO", role(S::CLevel, ENGINEERING)),
    ("CMO", role(S::CLevel, MARKETING)),
    ("COO", role(S::CLevel, OPERATIONS)),
    ("CIO", role(S::CLevel, IT)),
    ("CISO", role(S::CLevel, IT)),
    ("CRO", role(S::CLevel, SALES)),
    ("CPO", role(S::CLevel, PRODUCT)),
    ("CDO", role(S::CLevel, IT)),
    ("CHRO", role(S::CLevel, HR)),
    ("CCO", role(S::CLevel, NO_DEPT)),
    ("CSO", role(S::CLevel, NO_DEPT)),
    ("CGO", role(S::CLevel, MARKETING)),
    ("CXO", role(S::CLevel, NO_DEPT)),
    ("CAO", role(S::CLevel, NO_DEPT)),
    ("CBO", role(S::CLevel, NO_DEPT)),
    ("Chief", rule(Rule::Chief)),
    ("President", role(S::CLevel, EXECUTIVE)),
    ("Presidente", role(S::CLevel, EXECUTIVE)),
    ("Presidenta", role(S::CLevel, EXECUTIVE)),
    ("Chairman", role(S::CLevel, EXECUTIVE)),
    ("Chairwoman", role(S::CLevel, EXECUTIVE)),
    ("Chairperson", role(S::CLevel, EXECUTIVE)),
    ("Chair of the Board", role(S::CLevel, EXECUTIVE)),
    ("Managing Director", role(S::CLevel, EXECUTIVE)),
    ("Geschäftsführer", role(S::CLevel, EXECUTIVE)),
    ("Geschäftsführerin", role(S::CLevel, EXECUTIVE)),
    ("Geschaeftsfuehrer", role(S::CLevel, EXECUTIVE)),
    ("Geschaeftsfuehrerin", role(S::CLevel, EXECUTIVE)),
    ("Geschäftsführung", role(S::CLevel, EXECUTIVE)),
    ("Vorstand", role(S::CLevel, EXECUTIVE)),
    ("Vorstandsvorsitzender", role(S::CLevel, EXECUTIVE)),
    ("Vorstandsvorsitzende", role(S::CLevel, EXECUTIVE)),
    ("Vorstandsmitglied", role(S::CLevel, EXECUTIVE)),
    ("PDG", role(S::CLevel, EXECUTIVE)),
    ("DG", role(S::CLevel, EXECUTIVE)),
    ("Directeur Général", role(S::CLevel, EXECUTIVE)),
    ("Directrice Générale", role(S::CLevel, EXECUTIVE)),
    ("Gérant", role(S::CLevel, EXECUTIVE)),
    ("Gérante", role(S::CLevel, EXECUTIVE)),
    ("Director General", role(S::CLevel, EXECUTIVE)),
    ("Directora General", role(S::CLevel, EXECUTIVE)),
    ("Director Ejecutivo", role(S::CLevel, EXECUTIVE)),
    ("Directora Ejecutiva", role(S::CLevel, EXECUTIVE)),
    ("Consejero Delegado", role(S::CLevel, EXECUTIVE)),
    ("Consejera Delegada", role(S::CLevel, EXECUTIVE)),
    ("Gerente General", role(S::CLevel, EXECUTIVE)),
    // VP.
    ("VP", role(S::Vp, NO_DEPT)),
    ("SVP", role(S::Vp, NO_DEPT)),
    ("EVP", role(S::Vp, NO_DEPT)),
    ("AVP", role(S::Vp, NO_DEPT)),
    ("RVP", role(S::Vp, NO_DEPT)),
    ("GVP", role(S::Vp, NO_DEPT)),
    ("Vice President", role(S::Vp, NO_DEPT)),
    ("Vicepresident", role(S::Vp, NO_DEPT)),
    ("Vizepräsident", role(S::Vp, NO_DEPT)),
    ("Vizepräsidentin", role(S::Vp, NO_DEPT)),
    ("Vicepresidente", role(S::Vp, NO_DEPT)),
    ("Vicepresidenta", role(S::Vp, NO_DEPT)),
    ("Vice Presidente", role(S::Vp, NO_DEPT)),
    ("Vice Presidenta", role(S::Vp, NO_DEPT)),
    // HEAD.
    ("Head", role(S::Head, NO_DEPT)),
    ("Head of", role(S::Head, NO_DEPT)),
    ("General Manager", role(S::Head, EXECUTIVE)),
    ("GM", role(S::Head, EXECUTIVE)),
    ("Leiter", role(S::Head, NO_DEPT)),
    ("Leiterin", role(S::Head, NO_DEPT)),
    ("Leitung", role(S::Head, NO_DEPT)),
    ("Bereichsleiter", role(S::Head, NO_DEPT)),
    ("Bereichsleiterin", role(S::Head, NO_DEPT)),
    ("Abteilungsleiter", role(S::Head, NO_DEPT)),
    ("Abteilungsleiterin", role(S::Head, NO_DEPT)),
    ("Responsable de", role(S::Head, NO_DEPT)),
    ("Responsable des", role(S::Head, NO_DEPT)),
    ("Responsable du", role(S::Head, NO_DEPT)),
    ("Chef de service", role(S::Head, NO_DEPT)),
    ("Chef de département", role(S::Head, NO_DEPT)),
    ("Jefe", role(S::Head, NO_DEPT)),
    ("Jefa", role(S::Head, NO_DEPT)),
    ("Jefe de", role(S::Head, NO_DEPT)),
    ("Jefa de", role(S::Head, NO_DEPT)),
    // DIRECTOR.
    ("Director", role(S::Director, NO_DEPT)),
    ("Directora", role(S::Director, NO_DEPT)),
    ("Directeur", role(S::Director, NO_DEPT)),
    ("Directrice", role(S::Director, NO_DEPT)),
    ("Direktor", role(S::Director, NO_DEPT)),
    ("Direktorin", role(S::Director, NO_DEPT)),
    ("Subdirector", role(S::Director, NO_DEPT)),
    ("Subdirectora", role(S::Director, NO_DEPT)),
    ("Account Director", role(S::Director, SALES)),
    ("DRH", role(S::Director, HR)),
    ("DSI", role(S::Director, IT)),
    ("DAF", role(S::Director, FINANCE)),
    // MANAGER.
    ("Manager", role(S::Manager, NO_DEPT)),
    ("Managerin", role(S::Manager, NO_DEPT)),
    ("Mgr", role(S::Manager, NO_DEPT)),
    ("Gerente", role(S::Manager, NO_DEPT)),
    ("Supervisor", role(S::Manager, NO_DEPT)),
    ("Supervisora", role(S::Manager, NO_DEPT)),
    ("Teamleiter", role(S::Manager, NO_DEPT)),
    ("Teamleiterin", role(S::Manager, NO_DEPT)),
    ("Teamleitung", role(S::Manager, NO_DEPT)),
    ("Gruppenleiter", role(S::Manager, NO_DEPT)),
    ("Gruppenleiterin", role(S::Manager, NO_DEPT)),
    ("Projektleiter", role(S::Manager, NO_DEPT)),
    ("Projektleiterin", role(S::Manager, NO_DEPT)),
    ("Chef de projet", role(S::Manager, NO_DEPT)),
    ("Chef de produit", role(S::Manager, PRODUCT)),
    ("Chef d'équipe", role(S::Manager, NO_DEPT)),
    ("Responsable", role(S::Manager, NO_DEPT)),
    ("Encargado", role(S::Manager, NO_DEPT)),
    ("Encargada", role(S::Manager, NO_DEPT)),
    ("Jefe de equipo", role(S::Manager, NO_DEPT)),
    ("Jefa de equipo", role(S::Manager, NO_DEPT)),
    ("Account Manager", role(S::Manager, SALES)),
    ("Key Account Manager", role(S::Manager, SALES)),
    // SENIOR.
    ("Senior", role(S::Senior, NO_DEPT)),
    ("Sr", role(S::Senior, NO_DEPT)),
    ("Snr", role(S::Senior, NO_DEPT)),
    ("Lead", role(S::Senior, NO_DEPT)),
    ("Team Lead", role(S::Senior, NO_DEPT)),
    ("Tech Lead", role(S::Senior, ENGINEERING)),
    ("Principal", role(S::Senior, NO_DEPT)),
    ("Staff Engineer", role(S::Senior, ENGINEERING)),
    ("Staff Software", role(S::Senior, ENGINEERING)),
    ("Staff Data", role(S::Senior, NO_DEPT)),
    ("Staff Product", role(S::Senior, PRODUCT)),
    ("Staff Designer", role(S::Senior, PRODUCT)),
    ("Staff Scientist", role(S::Senior, RESEARCH)),
    ("Staff Developer", role(S::Senior, ENGINEERING)),
    ("Staff ML", role(S::Senior, ENGINEERING)),
    ("Senior Living", NOTHING),
    ("Senior Care", NOTHING),
    ("Senior Housing", NOTHING),
    ("Senior Citizens", NOTHING),
    ("Lead Generation", dept(MARKETING)),
    ("Lead Gen", dept(MARKETING)),
    ("Lead Magnet", NOTHING),
    // ENTRY.
    ("Associate", role(S::Entry, NO_DEPT)),
    ("Junior", role(S::Entry, NO_DEPT)),
    ("Jr", role(S::Entry, NO_DEPT)),
    ("Analyst", role(S::Entry, NO_DEPT)),
    ("Analyste", role(S::Entry, NO_DEPT)),
    ("Analista", role(S::Entry, NO_DEPT)),
    ("Specialist", role(S::Entry, NO_DEPT)),
    ("Spécialiste", role(S::Entry, NO_DEPT)),
    ("Especialista", role(S::Entry, NO_DEPT)),
    ("Spezialist", role(S::Entry, NO_DEPT)),
    ("Spezialistin", role(S::Entry, NO_DEPT)),
    ("Coordinator", role(S::Entry, NO_DEPT)),
    ("Coordinateur", role(S::Entry, NO_DEPT)),
    ("Coordinatrice", role(S::Entry, NO_DEPT)),
    ("Coordinador", role(S::Entry, NO_DEPT)),
    ("Coordinadora", role(S::Entry, NO_DEPT)),
    ("Koordinator", role(S::Entry, NO_DEPT)),
    ("Koordinatorin", role(S::Entry, NO_DEPT)),
    ("Assistant", role(S::Entry, NO_DEPT)),
    ("Assistante", role(S::Entry, NO_DEPT)),
    ("Asistente", role(S::Entry, NO_DEPT)),
    ("Assistent", role(S::Entry, NO_DEPT)),
    ("Assistentin", role(S::Entry, NO_DEPT)),
    ("Assistenz", role(S::Entry, NO_DEPT)),
    ("Executive Assistant", role(S::Entry, NO_DEPT)),
    ("Assistant de direction", role(S::Entry, NO_DEPT)),
    ("Assistante de direction", role(S::Entry, NO_DEPT)),
    ("Assistenz der Geschäftsführung", role(S::Entry, NO_DEPT)),
    ("Assistentin der Geschäftsführung", role(S::Entry, NO_DEPT)),
    ("Representative", role(S::Entry, NO_DEPT)),
    ("Representante", role(S::Entry, NO_DEPT)),
    ("Rep", role(S::Entry, NO_DEPT)),
    ("SDR", role(S::Entry, SALES)),
    ("BDR", role(S::Entry, SALES)),
    ("Referent", role(S::Entry, NO_DEPT)),
    ("Referentin", role(S::Entry, NO_DEPT)),
    ("Sachbearbeiter", role(S::Entry, NO_DEPT)),
    ("Sachbearbeiterin", role(S::Entry, NO_DEPT)),
    ("Mitarbeiter", role(S::Entry, NO_DEPT)),
    ("Mitarbeiterin", role(S::Entry, NO_DEPT)),
    ("Chargé de", role(S::Entry, NO_DEPT)),
    ("Chargée de", role(S::Entry, NO_DEPT)),
    ("Auxiliar", role(S::Entry, NO_DEPT)),
    // INTERN.
    ("Intern", role(S::Intern, NO_DEPT)),
    ("Internship", role(S::Intern, NO_DEPT)),
    ("Student", role(S::Intern, NO_DEPT)),
    ("Studentin", role(S::Intern, NO_DEPT)),
    ("Working Student", role(S::Intern, NO_DEPT)),
    ("Werkstudent", role(S::Intern, NO_DEPT)),
    ("Werkstudentin", role(S::Intern, NO_DEPT)),
    ("Praktikant", role(S::Intern, NO_DEPT)),
    ("Praktikantin", role(S::Intern, NO_DEPT)),
    ("Azubi", role(S::Intern, NO_DEPT)),
    ("Auszubildender", role(S::Intern, NO_DEPT)),
    ("Auszubildende", role(S::Intern, NO_DEPT)),
    ("Stagiaire", role(S::Intern, NO_DEPT)),
    ("Alternant", role(S::Intern, NO_DEPT)),
    ("Alternante", role(S::Intern, NO_DEPT)),
    ("Apprenti", role(S::Intern, NO_DEPT)),
    ("Apprentie", role(S::Intern, NO_DEPT)),
    ("Apprentice", role(S::Intern, NO_DEPT)),
    ("Étudiant", role(S::Intern, NO_DEPT)),
    ("Étudiante", role(S::Intern, NO_DEPT)),
    ("Becario", role(S::Intern, NO_DEPT)),
    ("Becaria", role(S::Intern, NO_DEPT)),
    ("Practicante", role(S::Intern, NO_DEPT)),
    ("Pasante", role(S::Intern, NO_DEPT)),
    ("Estudiante", role(S::Intern, NO_DEPT)),
    ("Trainee", role(S::Intern, NO_DEPT)),
    ("PhD Student", role(S::Intern, RESEARCH)),
    ("PhD Candidate", role(S::Intern, RESEARCH)),
    ("Doctoral Student", role(S::Intern, RESEARCH)),
    ("Student Success", dept(SUPPORT)),
    ("Student Recruitment", dept(HR)),
    // Roles that are not what they look like.
    ("Account Executive", dept(SALES)),
    ("Sales Executive", dept(SALES)),
    ("Ejecutivo de cuentas", dept(SALES)),
    ("Ejecutiva de cuentas", dept(SALES)),
    ("Ejecutivo comercial", dept(SALES)),
    ("Ejecutiva comercial", dept(SALES)),
    ("to the CEO", NOTHING),
    ("to CEO", NOTHING),
    ("to the Founder", NOTHING),
    ("to the Founders", NOTHING),
    ("to the President", NOTHING),
    ("to the Managing Director", NOTHING),
    ("to the CFO", NOTHING),
    ("to the COO", NOTHING),
    ("to the CTO", NOTHING),
    ("to the Board", NOTHING),
    ("to the Owner", NOTHING),
    ("der Geschäftsführung", NOTHING),
    ("Board Member", NOTHING),
    ("Self-employed", NOTHING),
    // Past, wished-for and employer words.
    ("ex", rule(Rule::Mute)),
    ("former", rule(Rule::Mute)),
    ("formerly", rule(Rule::Mute)),
    ("previously", rule(Rule::Mute)),
    ("prev", rule(Rule::Mute)),
    ("retired", rule(Rule::Mute)),
    ("aspiring", rule(Rule::Mute)),
    ("future", rule(Rule::Mute)),
    ("wannabe", rule(Rule::Mute)),
    ("seeking", rule(Rule::Mute)),
    ("looking", rule(Rule::Mute)),
    ("ehemaliger", rule(Rule::Mute)),
    ("ehemalige", rule(Rule::Mute)),
    ("angehender", rule(Rule::Mute)),
    ("angehende", rule(Rule::Mute)),
    ("ancien", rule(Rule::Mute)),
    ("ancienne", rule(Rule::Mute)),
    ("antiguo", rule(Rule::Mute)),
    ("antigua", rule(Rule::Mute)),
    ("at", rule(Rule::Employer)),
    ("bei", rule(Rule::Employer)),
    ("chez", rule(Rule::Employer)),
    ("presso", rule(Rule::Employer)),
    // SALES.
    ("Sales", dept(SALES)),
    ("Vertrieb", dept(SALES)),
    ("Verkauf", dept(SALES)),
    ("Ventas", dept(SALES)),
    ("Ventes", dept(SALES)),
    ("Commercial", dept(SALES)),
    ("Commerciale", dept(SALES)),
    ("Comercial", dept(SALES)),
    ("Revenue", dept(SALES)),
    ("Business Development", dept(SALES)),
    ("BizDev", dept(SALES)),
    ("Desarrollo de negocio", dept(SALES)),
    ("Desarrollo de negocios", dept(SALES)),
    ("Partnerships", dept(SALES)),
    ("Presales", dept(SALES)),
    ("Pre-sales", dept(SALES)),
    ("Sales Engineer", dept(SALES)),
    ("Solutions Engineer", dept(SALES)),
    ("Solution Engineer", dept(SALES)),
    ("Account Management", dept(SALES)),
    ("Key Account", dept(SALES)),
    ("KAM", dept(SALES)),
    ("RevOps", dept(SALES)),
    ("Revenue Operations", dept(SALES)),
    // MARKETING.
    ("Marketing", dept(MARKETING)),
    ("Product Marketing", dept(MARKETING)),
    ("Mercadeo", dept(MARKETING)),
    ("Mercadotecnia", dept(MARKETING)),
    ("Brand", dept(MARKETING)),
    ("Branding", dept(MARKETING)),
    ("Growth", dept(MARKETING)),
    ("Demand Generation", dept(MARKETING)),
    ("Demand Gen", dept(MARKETING)),
    ("Content", dept(MARKETING)),
    ("SEO", dept(MARKETING)),
    ("SEM", dept(MARKETING)),
    ("PPC", dept(MARKETING)),
    ("Communications", dept(MARKETING)),
    ("Communication", dept(MARKETING)),
    ("Comms", dept(MARKETING)),
    ("Kommunikation", dept(MARKETING)),
    ("Comunicación", dept(MARKETING)),
    ("PR", dept(MARKETING)),
    ("Public Relations", dept(MARKETING)),
    ("Social Media", dept(MARKETING)),
    ("Community", dept(MARKETING)),
    ("Events", dept(MARKETING)),
    // ENGINEERING.
    ("Engineering", dept(ENGINEERING)),
    ("Engineer", dept(ENGINEERING)),
    ("Developer", dept(ENGINEERING)),
    ("Development", dept(ENGINEERING)),
    ("Software", dept(ENGINEERING)),
    ("DevOps", dept(ENGINEERING)),
    ("SRE", dept(ENGINEERING)),
    ("Site Reliability", dept(ENGINEERING)),
    ("Frontend", dept(ENGINEERING)),
    ("Backend", dept(ENGINEERING)),
    ("Fullstack", dept(ENGINEERING)),
    ("Full Stack", dept(ENGINEERING)),
    ("Programmer", dept(ENGINEERING)),
    ("Architect", dept(ENGINEERING)),
    ("Tech", dept(ENGINEERING)),
    ("Technology", dept(ENGINEERING)),
    ("Technical", dept(ENGINEERING)),
    ("Tecnología", dept(ENGINEERING)),
    ("QA", dept(ENGINEERING)),
    ("Quality Assurance", dept(ENGINEERING)),
    ("Machine Learning", dept(ENGINEERING)),
    ("ML", dept(ENGINEERING)),
    ("Ingeniero", dept(ENGINEERING)),
    ("Ingeniera", dept(ENGINEERING)),
    ("Ingenieur", dept(ENGINEERING)),
    ("Ingenieurin", dept(ENGINEERING)),
    ("Ingénieure", dept(ENGINEERING)),
    ("Entwickler", dept(ENGINEERING)),
    ("Entwicklerin", dept(ENGINEERING)),
    ("Entwicklung", dept(ENGINEERING)),
    ("Développeur", dept(ENGINEERING)),
    ("Développeuse", dept(ENGINEERING)),
    ("Desarrollador", dept(ENGINEERING)),
    ("Desarrolladora", dept(ENGINEERING)),
    // IT.
    ("IT", rule(Rule::It)),
    ("Information Technology", dept(IT)),
    ("Information Security", dept(IT)),
    ("Infrastructure", dept(IT)),
    ("Sysadmin", dept(IT)),
    ("System Administrator", dept(IT)),
    ("Systems Administrator", dept(IT)),
    ("Helpdesk", dept(IT)),
    ("Help Desk", dept(IT)),
    ("Service Desk", dept(IT)),
    ("Security", dept(IT)),
    ("Cybersecurity", dept(IT)),
    ("Cyber Security", dept(IT)),
    ("InfoSec", dept(IT)),
    ("Business Intelligence", dept(IT)),
    ("Informatique", dept(IT)),
    ("Informática", dept(IT)),
    ("Informatik", dept(IT)),
    ("EDV", dept(IT)),
    ("Sistemas", dept(IT)),
    ("Network", dept(IT)),
    // PRODUCT.
    ("Product", dept(PRODUCT)),
    ("Produkt", dept(PRODUCT)),
    ("Produit", dept(PRODUCT)),
    ("Producto", dept(PRODUCT)),
    ("UX", dept(PRODUCT)),
    ("UI", dept(PRODUCT)),
    ("Product Design", dept(PRODUCT)),
    ("Product Designer", dept(PRODUCT)),
    // FINANCE.
    ("Finance", dept(FINANCE)),
    ("Financial", dept(FINANCE)),
    ("Finances", dept(FINANCE)),
    ("Finanzas", dept(FINANCE)),
    ("Finanzen", dept(FINANCE)),
    ("Financiero", dept(FINANCE)),
    ("Financiera", dept(FINANCE)),
    ("Accounting", dept(FINANCE)),
    ("Accountant", dept(FINANCE)),
    ("Controller", dept(FINANCE)),
    ("Controlling", dept(FINANCE)),
    ("Treasury", dept(FINANCE)),
    ("Treasurer", dept(FINANCE)),
    ("Tax", dept(FINANCE)),
    ("Audit", dept(FINANCE)),
    ("Auditor", dept(FINANCE)),
    ("FP&A", dept(FINANCE)),
    ("Investor Relations", dept(FINANCE)),
    ("Buchhaltung", dept(FINANCE)),
    ("Comptable", dept(FINANCE)),
    ("Comptabilité", dept(FINANCE)),
    ("Contabilidad", dept(FINANCE)),
    ("Contador", dept(FINANCE)),
    ("Contadora", dept(FINANCE)),
    // PROCUREMENT.
    ("Procurement", dept(PROCUREMENT)),
    ("Purchasing", dept(PROCUREMENT)),
    ("Purchaser", dept(PROCUREMENT)),
    ("Buyer", dept(PROCUREMENT)),
    ("Sourcing", dept(PROCUREMENT)),
    ("Strategic Sourcing", dept(PROCUREMENT)),
    ("Vendor Management", dept(PROCUREMENT)),
    ("Einkauf", dept(PROCUREMENT)),
    ("Einkäufer", dept(PROCUREMENT)),
    ("Einkäuferin", dept(PROCUREMENT)),
    ("Beschaffung", dept(PROCUREMENT)),
    ("Achats", dept(PROCUREMENT)),
    ("Achat", dept(PROCUREMENT)),
    ("Acheteur", dept(PROCUREMENT)),
    ("Acheteuse", dept(PROCUREMENT)),
    ("Compras", dept(PROCUREMENT)),
    ("Comprador", dept(PROCUREMENT)),
    ("Compradora", dept(PROCUREMENT)),
    // OPERATIONS.
    ("Operations", dept(OPERATIONS)),
    ("Ops", dept(OPERATIONS)),
    ("Operational", dept(OPERATIONS)),
    ("Business Operations", dept(OPERATIONS)),
    ("Logistics", dept(OPERATIONS)),
    ("Logistik", dept(OPERATIONS)),
    ("Logistique", dept(OPERATIONS)),
    ("Logística", dept(OPERATIONS)),
    ("Supply Chain", dept(OPERATIONS)),
    ("Operaciones", dept(OPERATIONS)),
    ("Facilities", dept(OPERATIONS)),
    ("Fulfillment", dept(OPERATIONS)),
    ("Warehouse", dept(OPERATIONS)),
    ("Manufacturing", dept(OPERATIONS)),
    ("Production", dept(OPERATIONS)),
    ("Produktion", dept(OPERATIONS)),
    // HR.
    ("HR", dept(HR)),
    ("Human Resources", dept(HR)),
    ("People", rule(Rule::People)),
    ("People Operations", dept(HR)),
    ("People Ops", dept(HR)),
    ("People & Culture", dept(HR)),
    ("Recruiting", dept(HR)),
    ("Recruiter", dept(HR)),
    ("Recruitment", dept(HR)),
    ("Talent", dept(HR)),
    ("Talent Acquisition", dept(HR)),
    ("Headhunter", dept(HR)),
    ("HRBP", dept(HR)),
    ("Payroll", dept(HR)),
    ("Employer Branding", dept(HR)),
    ("Personalwesen", dept(HR)),
    ("Personalabteilung", dept(HR)),
    ("RRHH", dept(HR)),
    ("Recursos Humanos", dept(HR)),
    ("Reclutamiento", dept(HR)),
    ("Reclutador", dept(HR)),
    ("Reclutadora", dept(HR)),
    ("Ressources Humaines", dept(HR)),
    ("RH", dept(HR)),
    // LEGAL.
    ("Legal", dept(LEGAL)),
    ("Counsel", dept(LEGAL)),
    ("General Counsel", role(S::CLevel, LEGAL)),
    ("Deputy General Counsel", role(S::Vp, LEGAL)),
    ("Associate General Counsel", role(S::Director, LEGAL)),
    ("Assistant General Counsel", role(S::Director, LEGAL)),
    ("Lawyer", dept(LEGAL)),
    ("Attorney", dept(LEGAL)),
    ("Paralegal", dept(LEGAL)),
    ("Compliance", dept(LEGAL)),
    ("Privacy", dept(LEGAL)),
    ("Jurist", dept(LEGAL)),
    ("Juristin", dept(LEGAL)),
    ("Juriste", dept(LEGAL)),
    ("Rechtsanwalt", dept(LEGAL)),
    ("Rechtsanwältin", dept(LEGAL)),
    ("Rechtsabteilung", dept(LEGAL)),
    ("Avocat", dept(LEGAL)),
    ("Avocate", dept(LEGAL)),
    ("Juridique", dept(LEGAL)),
    ("Abogado", dept(LEGAL)),
    ("Abogada", dept(LEGAL)),
    ("Jurídico", dept(LEGAL)),
    // EXECUTIVE (beyond the owner and C-level words above).
    ("Executive Committee", dept(EXECUTIVE)),
    ("Office of the CEO", dept(EXECUTIVE)),
    // SUPPORT.
    ("Support", dept(SUPPORT)),
    ("Customer Success", dept(SUPPORT)),
    ("Client Success", dept(SUPPORT)),
    ("Customer Service", dept(SUPPORT)),
    ("Customer Care", dept(SUPPORT)),
    ("Customer Experience", dept(SUPPORT)),
    ("Customer Support", dept(SUPPORT)),
    ("Technical Support", dept(SUPPORT)),
    ("Tech Support", dept(SUPPORT)),
    ("CX", dept(SUPPORT)),
    ("CSM", dept(SUPPORT)),
    ("Kundenservice", dept(SUPPORT)),
    ("Kundendienst", dept(SUPPORT)),
    ("Kundenbetreuung", dept(SUPPORT)),
    ("Soporte", dept(SUPPORT)),
    ("Atención al cliente", dept(SUPPORT)),
    ("Service client", dept(SUPPORT)),
    ("Service clients", dept(SUPPORT)),
    // RESEARCH.
    ("Research", dept(RESEARCH)),
    ("Researcher", dept(RESEARCH)),
    ("Scientist", dept(RESEARCH)),
    ("Data Scientist", dept(RESEARCH)),
    ("Data Science", dept(RESEARCH)),
    ("Science", dept(RESEARCH)),
    ("R&D", dept(RESEARCH)),
    ("Forschung", dept(RESEARCH)),
    (
        "Forschung und Entwicklung",
        dept(&[D::Research, D::Engineering]),
    ),
    ("Recherche", dept(RESEARCH)),
    ("Recherche d'emploi", NOTHING),
    ("Chercheur", dept(RESEARCH)),
    ("Chercheuse", dept(RESEARCH)),
    ("Investigación", dept(RESEARCH)),
    ("Investigador", dept(RESEARCH)),
    ("Investigadora", dept(RESEARCH)),
    ("Professor", dept(RESEARCH)),
    ("Professeur", dept(RESEARCH)),
    ("Profesor", dept(RESEARCH)),
    ("Profesora", dept(RESEARCH)),
    // ---- Gaps in German, French and Spanish. ----
    // German.
    ("Prokurist", role(S::Director, NO_DEPT)),
    ("Prokuristin", role(S::Director, NO_DEPT)),
    ("Geschäftsleitung", role(S::CLevel, EXECUTIVE)),
    ("Werksleiter", role(S::Head, OPERATIONS)),
    ("Werksleiterin", role(S::Head, OPERATIONS)),
    ("Doktorand", role(S::Intern, RESEARCH)),
    ("Doktorandin", role(S::Intern, RESEARCH)),
    ("Konstruktion", dept(ENGINEERING)),
    ("Konstrukteur", dept(ENGINEERING)),
    ("Konstrukteurin", dept(ENGINEERING)),
    ("Technik", dept(ENGINEERING)),
    ("Rechnungswesen", dept(FINANCE)),
    ("Finanzbuchhaltung", dept(FINANCE)),
    ("Steuern", dept(FINANCE)),
    ("Fertigung", dept(OPERATIONS)),
    ("Werk", dept(OPERATIONS)),
    ("Qualität", dept(OPERATIONS)),
    ("Qualitätsmanagement", dept(OPERATIONS)),
    ("Qualitätssicherung", dept(OPERATIONS)),
    ("Personal", rule(Rule::Personal)),
    ("Personalentwicklung", dept(HR)),
    ("Recht", dept(LEGAL)),
    ("Justiziar", dept(LEGAL)),
    ("Justiziarin", dept(LEGAL)),
    ("ehemals", rule(Rule::Mute)),
    ("suche", rule(Rule::Mute)),
    // French.
    ("Associé", role(S::Owner, EXECUTIVE)),
    ("Associée", role(S::Owner, EXECUTIVE)),
    ("Directeur Général Adjoint", role(S::Vp, EXECUTIVE)),
    ("Directrice Générale Adjointe", role(S::Vp, EXECUTIVE)),
    ("Chargé d'affaires", role(S::Entry, SALES)),
    ("Chargée d'affaires", role(S::Entry, SALES)),
    ("Doctorant", role(S::Intern, RESEARCH)),
    ("Doctorante", role(S::Intern, RESEARCH)),
    ("Ingénierie", dept(ENGINEERING)),
    ("Financier", dept(FINANCE)),
    ("Financière", dept(FINANCE)),
    ("Contrôle de gestion", dept(FINANCE)),
    ("Contrôleur de gestion", dept(FINANCE)),
    ("Contrôleuse de gestion", dept(FINANCE)),
    ("Trésorerie", dept(FINANCE)),
    ("Fiscalité", dept(FINANCE)),
    ("Approvisionnement", dept(PROCUREMENT)),
    ("Approvisionnements", dept(PROCUREMENT)),
    ("Qualité", dept(OPERATIONS)),
    ("Chaîne d'approvisionnement", dept(OPERATIONS)),
    ("Paie", dept(HR)),
    ("Recrutement", dept(HR)),
    ("Direction Générale", dept(EXECUTIVE)),
    ("Comité de direction", dept(EXECUTIVE)),
    ("CODIR", dept(EXECUTIVE)),
    ("Relation client", dept(SUPPORT)),
    ("Relations clients", dept(SUPPORT)),
    (
        "Recherche et développement",
        dept(&[D::Research, D::Engineering]),
    ),
    ("à la recherche", rule(Rule::Mute)),
    ("à", rule(Rule::MaybeEmployer)),
    // Spanish (and Galician "Xefe").
    ("Xefe", role(S::Head, NO_DEPT)),
    ("Xefa", role(S::Head, NO_DEPT)),
    ("Xefe de", role(S::Head, NO_DEPT)),
    ("Xefa de", role(S::Head, NO_DEPT)),
    ("Doctorando", role(S::Intern, RESEARCH)),
    ("Doctoranda", role(S::Intern, RESEARCH)),
    ("Ingeniería", dept(ENGINEERING)),
    ("Desarrollo", dept(ENGINEERING)),
    ("Control de gestión", dept(FINANCE)),
    ("Tesorería", dept(FINANCE)),
    ("Fiscal", dept(FINANCE)),
    ("Aprovisionamiento", dept(PROCUREMENT)),
    ("Abastecimiento", dept(PROCUREMENT)),
    ("Producción", dept(OPERATIONS)),
    ("Calidad", dept(OPERATIONS)),
    ("Cadena de suministro", dept(OPERATIONS)),
    ("Talento", dept(HR)),
    ("Gestión de personas", dept(HR)),
    ("Nóminas", dept(HR)),
    ("Jurídica", dept(LEGAL)),
    ("Asesoría jurídica", dept(LEGAL)),
    ("Servicio al cliente", dept(SUPPORT)),
    (
        "Investigación y desarrollo",
        dept(&[D::Research, D::Engineering]),
    ),
    ("Dirección General", dept(EXECUTIVE)),
    ("buscando", rule(Rule::Mute)),
    ("busco", rule(Rule::Mute)),
    ("en busca", rule(Rule::Mute)),
    ("aspirante", rule(Rule::Mute)),
    ("en", rule(Rule::MaybeEmployer)),
    // English.
    ("Quality", dept(OPERATIONS)),
    // ---- Portuguese. ----
    ("Sócio", role(S::Owner, EXECUTIVE)),
    ("Sócia", role(S::Owner, EXECUTIVE)),
    ("Sócio-diretor", role(S::Owner, EXECUTIVE)),
    ("Sócia-diretora", role(S::Owner, EXECUTIVE)),
    ("Sócio-proprietário", role(S::Owner, EXECUTIVE)),
    ("Sócia-proprietária", role(S::Owner, EXECUTIVE)),
    ("Proprietário", role(S::Owner, EXECUTIVE)),
    ("Proprietária", role(S::Owner, EXECUTIVE)),
    ("Dono", role(S::Owner, EXECUTIVE)),
    ("Empreendedor", role(S::Owner, EXECUTIVE)),
    ("Empreendedora", role(S::Owner, EXECUTIVE)),
    ("Empresário", role(S::Owner, EXECUTIVE)),
    ("Empresária", role(S::Owner, EXECUTIVE)),
    ("Diretor-presidente", role(S::CLevel, EXECUTIVE)),
    ("Diretora-presidente", role(S::CLevel, EXECUTIVE)),
    ("Diretor Executivo", role(S::CLevel, EXECUTIVE)),
    ("Diretora Executiva", role(S::CLevel, EXECUTIVE)),
    ("Diretor Geral", role(S::CLevel, EXECUTIVE)),
    ("Diretora Geral", role(S::CLevel, EXECUTIVE)),
    ("Superintendente", role(S::Vp, NO_DEPT)),
    ("Diretor", role(S::Director, NO_DEPT)),
    ("Diretora", role(S::Director, NO_DEPT)),
    ("Responsável", role(S::Head, NO_DEPT)),
    ("Chefe", role(S::Head, NO_DEPT)),
    ("Gerente Geral", role(S::Head, EXECUTIVE)),
    ("Coordenador", role(S::Manager, NO_DEPT)),
    ("Coordenadora", role(S::Manager, NO_DEPT)),
    ("Gestor", role(S::Manager, NO_DEPT)),
    ("Gestora", role(S::Manager, NO_DEPT)),
    ("Líder", role(S::Senior, NO_DEPT)),
    ("Assistente", role(S::Entry, NO_DEPT)),
    ("Estagiário", role(S::Intern, NO_DEPT)),
    ("Estagiária", role(S::Intern, NO_DEPT)),
    ("Aprendiz", role(S::Intern, NO_DEPT)),
    ("Estudante", role(S::Intern, NO_DEPT)),
    ("Doutorando", role(S::Intern, RESEARCH)),
    ("Doutoranda", role(S::Intern, RESEARCH)),
    ("Executivo de Contas", dept(SALES)),
    ("Executiva de Contas", dept(SALES)),
    ("Executivo Comercial", dept(SALES)),
    ("Executiva Comercial", dept(SALES)),
    ("Executivo de Vendas", dept(SALES)),
    ("Executiva de Vendas", dept(SALES)),
    ("Vendas", dept(SALES)),
    ("Desenvolvimento de Negócios", dept(SALES)),
    ("Comunicação", dept(MARKETING)),
    ("Engenharia", dept(ENGINEERING)),
    ("Engenheiro", dept(ENGINEERING)),
    ("Engenheira", dept(ENGINEERING)),
    ("Desenvolvedor", dept(ENGINEERING)),
    ("Desenvolvedora", dept(ENGINEERING)),
    ("Desenvolvimento", dept(ENGINEERING)),
    ("Tecnologia da Informação", dept(IT)),
    ("Sistemas de Informação", dept(IT)),
    ("TI", rule(Rule::It)),
    ("Produto", dept(PRODUCT)),
    ("Financeiro", dept(FINANCE)),
    ("Financeira", dept(FINANCE)),
    ("Finanças", dept(FINANCE)),
    ("Contabilidade", dept(FINANCE)),
    ("Controladoria", dept(FINANCE)),
    ("Tesouraria", dept(FINANCE)),
    ("Suprimentos", dept(PROCUREMENT)),
    ("Operações", dept(OPERATIONS)),
    ("Produção", dept(OPERATIONS)),
    ("Qualidade", dept(OPERATIONS)),
    ("Cadeia de suprimentos", dept(OPERATIONS)),
    ("Recrutamento", dept(HR)),
    ("Recrutamento e Seleção", dept(HR)),
    ("Gente e Gestão", dept(HR)),
    ("Gente & Gestão", dept(HR)),
    ("Gestão de Pessoas", dept(HR)),
    ("Departamento Pessoal", dept(HR)),
    ("Folha de pagamento", dept(HR)),
    ("Advogado", dept(LEGAL)),
    ("Advogada", dept(LEGAL)),
    ("Suporte", dept(SUPPORT)),
    ("Atendimento", dept(SUPPORT)),
    ("Sucesso do Cliente", dept(SUPPORT)),
    ("Pesquisa", dept(RESEARCH)),
    ("Pesquisador", dept(RESEARCH)),
    ("Pesquisadora", dept(RESEARCH)),
    (
        "Pesquisa e Desenvolvimento",
        dept(&[D::Research, D::Engineering]),
    ),
    ("antigo", rule(Rule::Mute)),
    ("antiga", rule(Rule::Mute)),
    ("procurando", rule(Rule::Mute)),
    ("em busca", rule(Rule::Mute)),
    ("à procura", rule(Rule::Mute)),
    ("em", rule(Rule::MaybeEmployer)),
    ("na", rule(Rule::MaybeEmployer)),
    ("no", rule(Rule::MaybeEmployer)),
    // ---- Dutch. ----
    ("Eigenaar", role(S::Owner, EXECUTIVE)),
    ("Mede-eigenaar", role(S::Owner, EXECUTIVE)),
    ("Oprichter", role(S::Owner, EXECUTIVE)),
    ("Oprichtster", role(S::Owner, EXECUTIVE)),
    ("Medeoprichter", role(S::Owner, EXECUTIVE)),
    ("Mede-oprichter", role(S::Owner, EXECUTIVE)),
    ("Ondernemer", role(S::Owner, EXECUTIVE)),
    ("Directeur-eigenaar", role(S::Owner, EXECUTIVE)),
    ("Directeur-grootaandeelhouder", role(S::Owner, EXECUTIVE)),
    ("DGA", role(S::Owner, EXECUTIVE)),
    ("Algemeen directeur", role(S::CLevel, EXECUTIVE)),
    ("Algemeen directrice", role(S::CLevel, EXECUTIVE)),
    ("Statutair directeur", role(S::CLevel, EXECUTIVE)),
    ("Bestuurder", role(S::CLevel, EXECUTIVE)),
    ("Bestuursvoorzitter", role(S::CLevel, EXECUTIVE)),
    ("Voorzitter", role(S::CLevel, EXECUTIVE)),
    ("Gedelegeerd bestuurder", role(S::CLevel, EXECUTIVE)),
    ("Zaakvoerder", role(S::CLevel, EXECUTIVE)),
    ("Hoofd", role(S::Head, NO_DEPT)),
    ("Afdelingshoofd", role(S::Head, NO_DEPT)),
    ("Bedrijfsleider", role(S::Head, EXECUTIVE)),
    ("Teamleider", role(S::Manager, NO_DEPT)),
    ("Teamleidster", role(S::Manager, NO_DEPT)),
    ("Teamlead", role(S::Manager, NO_DEPT)),
    ("Projectleider", role(S::Manager, NO_DEPT)),
    ("Projectleidster", role(S::Manager, NO_DEPT)),
    ("Leidinggevende", role(S::Manager, NO_DEPT)),
    ("Medewerker", role(S::Entry, NO_DEPT)),
    ("Medewerkster", role(S::Entry, NO_DEPT)),
    ("Analist", role(S::Entry, NO_DEPT)),
    ("Stagiair", role(S::Intern, NO_DEPT)),
    ("Promovendus", role(S::Intern, RESEARCH)),
    ("Promovenda", role(S::Intern, RESEARCH)),
    ("Verkoop", dept(SALES)),
    ("Commercieel", dept(SALES)),
    ("Commerciële", dept(SALES)),
    ("Accountmanagement", dept(SALES)),
    ("Bedrijfsontwikkeling", dept(SALES)),
    ("Communicatie", dept(MARKETING)),
    ("Techniek", dept(ENGINEERING)),
    ("Technisch", dept(ENGINEERING)),
    ("Technische", dept(ENGINEERING)),
    ("Ontwikkeling", dept(ENGINEERING)),
    ("Ontwikkelaar", dept(ENGINEERING)),
    ("Softwareontwikkelaar", dept(ENGINEERING)),
    ("ICT", dept(IT)),
    ("Automatisering", dept(IT)),
    ("Financiën", dept(FINANCE)),
    ("Financieel", dept(FINANCE)),
    ("Financiële", dept(FINANCE)),
    ("Boekhouding", dept(FINANCE)),
    ("Inkoop", dept(PROCUREMENT)),
    ("Inkoper", dept(PROCUREMENT)),
    ("Operaties", dept(OPERATIONS)),
    ("Operationeel", dept(OPERATIONS)),
    ("Productie", dept(OPERATIONS)),
    ("Logistiek", dept(OPERATIONS)),
    ("Kwaliteit", dept(OPERATIONS)),
    ("Facilitair", dept(OPERATIONS)),
    ("Personeelszaken", dept(HR)),
    ("HRM", dept(HR)),
    ("Werving", dept(HR)),
    ("Werving en selectie", dept(HR)),
    ("Werving & selectie", dept(HR)),
    ("Salarisadministratie", dept(HR)),
    ("Juridisch", dept(LEGAL)),
    ("Juridische", dept(LEGAL)),
    ("Advocaat", dept(LEGAL)),
    ("Bedrijfsjurist", dept(LEGAL)),
    ("Klantenservice", dept(SUPPORT)),
    ("Onderzoek", dept(RESEARCH)),
    ("Onderzoeker", dept(RESEARCH)),
    (
        "Onderzoek en ontwikkeling",
        dept(&[D::Research, D::Engineering]),
    ),
    ("Directie", dept(EXECUTIVE)),
    ("voormalig", rule(Rule::Mute)),
    ("voormalige", rule(Rule::Mute)),
    ("oud", rule(Rule::Mute)),
    ("aankomend", rule(Rule::Mute)),
    ("aankomende", rule(Rule::Mute)),
    ("op zoek", rule(Rule::Mute)),
    ("bij", rule(Rule::Employer)),
    // ---- Italian. ----
    ("Fondatore", role(S::Owner, EXECUTIVE)),
    ("Cofondatore", role(S::Owner, EXECUTIVE)),
    ("Co-fondatore", role(S::Owner, EXECUTIVE)),
    ("Titolare", role(S::Owner, EXECUTIVE)),
    ("Imprenditore", role(S::Owner, EXECUTIVE)),
    ("Imprenditrice", role(S::Owner, EXECUTIVE)),
    ("Amministratore delegato", role(S::CLevel, EXECUTIVE)),
    ("Amministratrice delegata", role(S::CLevel, EXECUTIVE)),
    ("Amministratore unico", role(S::CLevel, EXECUTIVE)),
    ("Consigliere delegato", role(S::CLevel, EXECUTIVE)),
    ("Direttore generale", role(S::CLevel, EXECUTIVE)),
    ("Direttrice generale", role(S::CLevel, EXECUTIVE)),
    ("Direttore", role(S::Director, NO_DEPT)),
    ("Direttrice", role(S::Director, NO_DEPT)),
    ("Vicedirettore", role(S::Director, NO_DEPT)),
    ("Responsabile", role(S::Head, NO_DEPT)),
    ("Capo", role(S::Head, NO_DEPT)),
    ("Caporeparto", role(S::Head, NO_DEPT)),
    ("Capo progetto", role(S::Manager, NO_DEPT)),
    ("Capoprogetto", role(S::Manager, NO_DEPT)),
    ("Capo squadra", role(S::Manager, NO_DEPT)),
    ("Caposquadra", role(S::Manager, NO_DEPT)),
    ("Impiegato", role(S::Entry, NO_DEPT)),
    ("Impiegata", role(S::Entry, NO_DEPT)),
    ("Addetto", role(S::Entry, NO_DEPT)),
    ("Addetta", role(S::Entry, NO_DEPT)),
    ("Specialista", role(S::Entry, NO_DEPT)),
    ("Coordinatore", role(S::Entry, NO_DEPT)),
    ("Stagista", role(S::Intern, NO_DEPT)),
    ("Tirocinante", role(S::Intern, NO_DEPT)),
    ("Apprendista", role(S::Intern, NO_DEPT)),
    ("Studente", role(S::Intern, NO_DEPT)),
    ("Studentessa", role(S::Intern, NO_DEPT)),
    ("Laureando", role(S::Intern, NO_DEPT)),
    ("Laureanda", role(S::Intern, NO_DEPT)),
    ("Dottorando", role(S::Intern, RESEARCH)),
    ("Dottoranda", role(S::Intern, RESEARCH)),
    ("Vendite", dept(SALES)),
    ("Sviluppo commerciale", dept(SALES)),
    ("Comunicazione", dept(MARKETING)),
    ("Ingegneria", dept(ENGINEERING)),
    ("Ingegnere", dept(ENGINEERING)),
    ("Sviluppo", dept(ENGINEERING)),
    ("Sviluppatore", dept(ENGINEERING)),
    ("Sviluppatrice", dept(ENGINEERING)),
    ("Sistemi informativi", dept(IT)),
    ("Prodotto", dept(PRODUCT)),
    ("Finanza", dept(FINANCE)),
    ("Finanziario", dept(FINANCE)),
    ("Finanziaria", dept(FINANCE)),
    ("Amministrazione", dept(FINANCE)),
    ("Amministrativo", dept(FINANCE)),
    ("Amministrativa", dept(FINANCE)),
    ("Contabilità", dept(FINANCE)),
    ("Contabile", dept(FINANCE)),
    ("Controllo di gestione", dept(FINANCE)),
    ("Fiscale", dept(FINANCE)),
    ("Acquisti", dept(PROCUREMENT)),
    ("Approvvigionamenti", dept(PROCUREMENT)),
    ("Produzione", dept(OPERATIONS)),
    ("Qualità", dept(OPERATIONS)),
    ("Operazioni", dept(OPERATIONS)),
    ("Risorse umane", dept(HR)),
    ("del personale", dept(HR)),
    ("Ufficio personale", dept(HR)),
    ("Ricerca e selezione", dept(HR)),
    ("Paghe", dept(HR)),
    ("Legale", dept(LEGAL)),
    ("Avvocato", dept(LEGAL)),
    ("Avvocata", dept(LEGAL)),
    ("Avvocatessa", dept(LEGAL)),
    ("Assistenza clienti", dept(SUPPORT)),
    ("Servizio clienti", dept(SUPPORT)),
    ("Supporto", dept(SUPPORT)),
    ("Ricerca", dept(RESEARCH)),
    ("Ricercatore", dept(RESEARCH)),
    ("Ricercatrice", dept(RESEARCH)),
    ("Ricerca e sviluppo", dept(&[D::Research, D::Engineering])),
    ("Direzione generale", dept(EXECUTIVE)),
    ("già", rule(Rule::Mute)),
    ("in cerca", rule(Rule::Mute)),
    ("alla ricerca", rule(Rule::Mute)),
    ("cerco", rule(Rule::Mute)),
];

static TABLE: LazyLock<PhraseTable<Word>> =
    LazyLock::new(|| PhraseTable::new(WORDS.iter().copied()));

/// Function words between "Chief" and "Officer" that the main table does not carry.
fn chief_function(word: &str) -> Option<(Department, &'static str)> {
    Some(match word {
        "executive" => (D::Executive, "Chief Executive Officer"),
        "operating" | "operations" => (D::Operations, "Chief Operating Officer"),
        "financial" | "finance" => (D::Finance, "Chief Financial Officer"),
        "technology" | "technical" => (D::Engineering, "Chief Technology Officer"),
        "information" | "digital" | "data" | "security" => (D::It, "Chief Information Officer"),
        "marketing" | "growth" | "brand" => (D::Marketing, "Chief Marketing Officer"),
        "revenue" | "sales" | "commercial" | "business" => (D::Sales, "Chief Revenue Officer"),
        "product" => (D::Product, "Chief Product Officer"),
        "people" | "human" | "talent" => (D::Hr, "Chief People Officer"),
        "legal" | "compliance" => (D::Legal, "Chief Legal Officer"),
        "customer" | "client" | "experience" => (D::Support, "Chief Customer Officer"),
        "procurement" | "purchasing" => (D::Procurement, "Chief Procurement Officer"),
        "scientific" | "science" | "research" | "innovation" => {
            (D::Research, "Chief Scientific Officer")
        }
        _ => return None,
    })
}

/// Words next to "it" that make it the IT department rather than the pronoun.
fn is_it_neighbour(word: &str) -> bool {
    matches!(
        word,
        "of" | "head"
            | "director"
            | "directeur"
            | "directora"
            | "manager"
            | "vp"
            | "svp"
            | "senior"
            | "sr"
            | "lead"
            | "de"
            | "des"
            | "del"
            | "responsable"
            | "jefe"
            | "jefa"
            | "gerente"
            | "leiter"
            | "leiterin"
            | "global"
            | "corporate"
            | "administrator"
            | "admin"
            | "support"
            | "security"
            | "operations"
            | "ops"
            | "infrastructure"
            | "consultant"
            | "specialist"
            | "services"
            | "service"
            | "project"
            | "projekt"
            | "architect"
            | "analyst"
            | "engineer"
            | "technician"
            | "helpdesk"
            | "sicherheit"
            | "systems"
            | "governance"
            | "strategy"
            | "audit"
            | "auditor"
            | "coordinator"
            | "berater"
            | "beraterin"
            | "leader"
            | "professional"
            | "expert"
            | "team"
            | "department"
            | "abteilung"
            | "da"
            | "do"
            | "em"
            | "diretor"
            | "diretora"
            | "analista"
            | "coordenador"
            | "coordenadora"
            | "suporte"
            | "infraestrutura"
            | "seguranca"
            | "especialista"
            | "consultor"
            | "hoofd"
            | "afdeling"
            | "medewerker"
            | "responsabile"
            | "direttore"
            | "tecnico"
    )
}

/// Words before German "Personal" that make it the HR function ("Leiterin Personal",
/// "Referent Personal", "Bereich Personal").
fn is_personal_neighbour(word: &str) -> bool {
    matches!(
        word,
        "leiter"
            | "leiterin"
            | "leitung"
            | "head"
            | "of"
            | "referent"
            | "referentin"
            | "sachbearbeiter"
            | "sachbearbeiterin"
            | "bereich"
            | "abteilung"
            | "fur"
            | "bereichsleiter"
            | "bereichsleiterin"
            | "abteilungsleiter"
            | "abteilungsleiterin"
            | "direktor"
            | "direktorin"
            | "vorstand"
            | "und"
    )
}

/// Words next to "people" that make it HR rather than people in general.
fn is_people_neighbour(word: &str) -> bool {
    matches!(
        word,
        "of" | "head"
            | "vp"
            | "chief"
            | "director"
            | "operations"
            | "ops"
            | "partner"
            | "business"
            | "team"
            | "manager"
            | "lead"
            | "officer"
            | "culture"
            | "experience"
            | "development"
            | "analytics"
            | "leader"
            | "and"
    )
}

/// Compounds people write as one word in German and Dutch ("Vertriebsleiter",
/// "Einkaufsmanagerin", "Verkoopleider", "Afdelingshoofd", "Maschinenbaustudent"; "IT-Leiter"
/// is two words and handled by the table): a role ending and a function stem. Only words
/// longer than the ending are looked at.
const ROLE_ENDINGS: &[(&str, Seniority, &str, bool)] = &[
    // (ending, seniority, evidence, needs a known stem)
    ("leiterin", S::Head, "Leiterin", false),
    ("leiter", S::Head, "Leiter", false),
    ("leitung", S::Head, "Leitung", false),
    ("direktorin", S::Director, "Direktorin", false),
    ("direktor", S::Director, "Direktor", false),
    ("vorstand", S::CLevel, "Vorstand", false),
    ("chefin", S::Head, "Chefin", true),
    ("chef", S::Head, "Chef", true),
    ("managerin", S::Manager, "Managerin", true),
    ("manager", S::Manager, "Manager", true),
    ("referentin", S::Entry, "Referentin", false),
    ("referent", S::Entry, "Referent", false),
    ("mitarbeiterin", S::Entry, "Mitarbeiterin", false),
    ("mitarbeiter", S::Entry, "Mitarbeiter", false),
    ("spezialistin", S::Entry, "Spezialistin", true),
    ("spezialist", S::Entry, "Spezialist", true),
    ("assistentin", S::Entry, "Assistentin", true),
    ("assistent", S::Entry, "Assistent", true),
    ("koordinatorin", S::Entry, "Koordinatorin", true),
    ("koordinator", S::Entry, "Koordinator", true),
    ("studentin", S::Intern, "Studentin", false),
    ("student", S::Intern, "Student", false),
    // Dutch. "leider" needs a known stem: "begeleider" (a counsellor) ends the same way.
    ("leidster", S::Head, "Leidster", true),
    ("leider", S::Head, "Leider", true),
    ("hoofd", S::Head, "Hoofd", true),
    ("directeur", S::Director, "Directeur", false),
    ("medewerkster", S::Entry, "Medewerkster", false),
    ("medewerker", S::Entry, "Medewerker", false),
];

/// Stems of compounds: the function, and whether the compound is a team-level role
/// ("Teamleiter", "Projektleiter", "Projectleider" are managers, not heads).
const STEMS: &[(&str, Option<Department>, &str, bool)] = &[
    ("vertrieb", Some(D::Sales), "Vertrieb", false),
    ("verkauf", Some(D::Sales), "Verkauf", false),
    ("sales", Some(D::Sales), "Sales", false),
    ("account", Some(D::Sales), "Account", false),
    ("keyaccount", Some(D::Sales), "Key Account", false),
    ("marketing", Some(D::Marketing), "Marketing", false),
    ("kommunikation", Some(D::Marketing), "Kommunikation", false),
    ("einkauf", Some(D::Procurement), "Einkauf", false),
    ("beschaffung", Some(D::Procurement), "Beschaffung", false),
    ("personal", Some(D::Hr), "Personal", false),
    ("hr", Some(D::Hr), "HR", false),
    ("finanz", Some(D::Finance), "Finanzen", false),
    ("finanzen", Some(D::Finance), "Finanzen", false),
    ("buchhaltung", Some(D::Finance), "Buchhaltung", false),
    ("controlling", Some(D::Finance), "Controlling", false),
    ("rechnungswesen", Some(D::Finance), "Rechnungswesen", false),
    ("it", Some(D::It), "IT", false),
    ("edv", Some(D::It), "EDV", false),
    ("informatik", Some(D::It), "Informatik", false),
    ("entwicklung", Some(D::Engineering), "Entwicklung", false),
    ("software", Some(D::Engineering), "Software", false),
    ("technik", Some(D::Engineering), "Technik", false),
    ("konstruktion", Some(D::Engineering), "Konstruktion", false),
    ("produkt", Some(D::Product), "Produkt", false),
    ("produktion", Some(D::Operations), "Produktion", false),
    ("fertigung", Some(D::Operations), "Fertigung", false),
    ("werk", Some(D::Operations), "Werk", false),
    ("qualitat", Some(D::Operations), "Qualität", false),
    ("logistik", Some(D::Operations), "Logistik", false),
    ("betrieb", Some(D::Operations), "Betrieb", false),
    ("recht", Some(D::Legal), "Recht", false),
    ("kundenservice", Some(D::Support), "Kundenservice", false),
    ("kunden", Some(D::Support), "Kunden", false),
    ("service", Some(D::Support), "Service", false),
    ("forschung", Some(D::Research), "Forschung", false),
    // Dutch stems.
    ("verkoop", Some(D::Sales), "Verkoop", false),
    ("inkoop", Some(D::Procurement), "Inkoop", false),
    ("communicatie", Some(D::Marketing), "Communicatie", false),
    ("product", Some(D::Product), "Product", false),
    ("ict", Some(D::It), "ICT", false),
    ("personeel", Some(D::Hr), "Personeel", false),
    ("kwaliteit", Some(D::Operations), "Kwaliteit", false),
    ("productie", Some(D::Operations), "Productie", false),
    ("logistiek", Some(D::Operations), "Logistiek", false),
    ("magazijn", Some(D::Operations), "Magazijn", false),
    ("klantenservice", Some(D::Support), "Klantenservice", false),
    ("team", None, "", true),
    ("projekt", None, "", true),
    ("project", None, "", true),
    ("gruppen", None, "", true),
    ("groep", None, "", true),
    ("ploeg", None, "", true),
    ("filial", None, "", true),
    ("filiaal", None, "", true),
    ("vestiging", None, "", true),
    ("standort", None, "", true),
    ("bereich", None, "", false),
    ("abteilung", None, "", false),
    ("afdeling", None, "", false),
    ("gesamt", None, "", false),
    ("office", None, "", false),
];

struct Compound {
    seniority: Seniority,
    seniority_evidence: &'static str,
    department: Option<(Department, &'static str)>,
}

/// Bucket (0..128) of a word's last three letters, for [`ROLE_TAILS`].
const fn tail_bucket(a: u8, b: u8, c: u8) -> u32 {
    ((a as u32) | (b as u32) << 8 | (c as u32) << 16).wrapping_mul(0x9E37_79B1) >> 25
}

const fn role_tails() -> u128 {
    let mut mask = 0u128;
    let mut i = 0;
    while i < ROLE_ENDINGS.len() {
        let e = ROLE_ENDINGS[i].0.as_bytes();
        let n = e.len();
        mask |= 1 << tail_bucket(e[n - 3], e[n - 2], e[n - 1]);
        i += 1;
    }
    mask
}

/// The buckets of the last three letters of every ending in [`ROLE_ENDINGS`].
const ROLE_TAILS: u128 = role_tails();

/// Whether `word` may end like one of [`ROLE_ENDINGS`]: one multiplication and one bit
/// test that spare nearly every word the scan of the endings (no table, no branch per
/// ending).
fn may_end_in_role(word: &str) -> bool {
    // The shortest ending, "chef", and at least one letter before it.
    let b = word.as_bytes();
    let n = b.len();
    n > 4 && (ROLE_TAILS >> tail_bucket(b[n - 3], b[n - 2], b[n - 1])) & 1 == 1
}

fn compound(word: &str) -> Option<Compound> {
    if !may_end_in_role(word) {
        return None;
    }
    let &(ending, seniority, evidence, needs_stem) = ROLE_ENDINGS
        .iter()
        .find(|(ending, ..)| word.len() > ending.len() && word.ends_with(ending))?;
    let prefix = &word[..word.len() - ending.len()];
    // The linking "s" of "Vertriebsleiter", "Einkaufsmanager", "Afdelingshoofd".
    let stem = STEMS
        .iter()
        .find(|(stem, ..)| prefix == *stem || prefix.strip_suffix('s') == Some(*stem));
    match stem {
        Some(&(_, department, dept_evidence, team_level)) => Some(Compound {
            seniority: if team_level && seniority == S::Head {
                S::Manager
            } else {
                seniority
            },
            seniority_evidence: evidence,
            department: department.map(|d| (d, dept_evidence)),
        }),
        None if !needs_stem => Some(Compound {
            seniority,
            seniority_evidence: evidence,
            department: None,
        }),
        None => None,
    }
}

/// Collects what the scan finds, segment by segment.
#[derive(Default)]
struct Findings {
    /// Most senior role so far, with its evidence and segment.
    best: Option<(Seniority, &'static str, usize)>,
    departments: Vec<(usize, Department, &'static str)>,
}

impl Findings {
    fn seniority(&mut self, seniority: Seniority, evidence: &'static str, segment: usize) {
        // Strictly more senior only: the first of equal roles keeps its evidence.
        if self
            .best
            .is_none_or(|(s, ..)| seniority.index() < s.index())
        {
            self.best = Some((seniority, evidence, segment));
        }
    }

    fn department(&mut self, department: Department, evidence: &'static str, segment: usize) {
        self.departments.push((segment, department, evidence));
    }

    fn into_parsed(self) -> ParsedTitle {
        let winner = self.best.map(|(_, _, segment)| segment);
        // The primary department belongs to the role that set the seniority.
        let ordered = self
            .departments
            .iter()
            .filter(|(seg, ..)| Some(*seg) == winner)
            .chain(
                self.departments
                    .iter()
                    .filter(|(seg, ..)| Some(*seg) != winner),
            );
        let mut departments: Vec<Department> = Vec::new();
        let mut department_evidence = None;
        for &(_, department, evidence) in ordered {
            if !departments.contains(&department) {
                department_evidence.get_or_insert(evidence);
                departments.push(department);
            }
        }
        ParsedTitle {
            seniority: self.best.map(|(s, ..)| s),
            seniority_evidence: self.best.map(|(_, e, _)| e),
            departments,
            department_evidence,
        }
    }
}

fn is_break(token: &str) -> bool {
    matches!(token, SEGMENT | AMP | AT)
}

/// Reads a title or headline. Never fails: an empty or unreadable text gives an empty
/// [`ParsedTitle`].
pub fn parse_title(text: &str) -> ParsedTitle {
    read_title(&words(&tokenize(text)))
}

/// [`parse_title`] of a text already folded into its tokens.
pub(crate) fn read_title(tokens: &[&str]) -> ParsedTitle {
    let mut found = Findings::default();
    let mut segment = 0usize;
    let mut muted = false;
    // Whether the words just before ended in a role ("Bereichsleiter IT").
    let mut after_role = false;
    let mut i = 0;
    while i < tokens.len() {
        let token = tokens[i];
        let prev_was_role = std::mem::take(&mut after_role);
        if token == SEGMENT || token == AMP {
            segment += 1;
            muted = false;
            i += 1;
            continue;
        }
        if token == AT {
            muted = true;
            i += 1;
            continue;
        }
        if muted {
            i += 1;
            continue;
        }
        let Some(m) = TABLE.longest_at(tokens, i) else {
            if let Some(c) = compound(token) {
                after_role = true;
                found.seniority(c.seniority, c.seniority_evidence, segment);
                if let Some((department, evidence)) = c.department {
                    found.department(department, evidence, segment);
                }
            }
            i += 1;
            continue;
        };
        let word = m.value;
        match word.rule {
            Rule::Plain => {}
            Rule::Mute | Rule::Employer => muted = true,
            Rule::MaybeEmployer => {
                let after_words = i > 0 && !is_break(tokens[i - 1]);
                let next = tokens.get(i + m.len).copied();
                if after_words
                    && next.is_some_and(|n| !is_break(n))
                    && !is_vocabulary(tokens, i + m.len)
                {
                    muted = true;
                }
            }
            Rule::It => {
                let prev = i.checked_sub(1).map(|p| tokens[p]);
                let next = tokens.get(i + 1).copied();
                let alone = prev.is_none_or(is_break) && next.is_none_or(is_break);
                let beside_role = prev_was_role || prev.is_some_and(is_it_neighbour);
                if alone || beside_role || next.is_some_and(is_it_neighbour) {
                    found.department(D::It, m.text, segment);
                }
            }
            Rule::Personal => {
                let prev = i.checked_sub(1).map(|p| tokens[p]);
                let next = tokens.get(i + 1).copied();
                if prev.is_some_and(is_personal_neighbour)
                    || next.is_some_and(|n| matches!(n, "und" | "organisation" | "recruiting"))
                {
                    found.department(D::Hr, m.text, segment);
                }
            }
            Rule::People => {
                let prev = i.checked_sub(1).map(|p| tokens[p]);
                let next = tokens.get(i + 1).copied();
                if prev.is_some_and(is_people_neighbour) || next.is_some_and(is_people_neighbour) {
                    found.department(D::Hr, m.text, segment);
                }
            }
            Rule::Chief => {
                i += read_chief(&tokens[i..], segment, &mut found);
                continue;
            }
        }
        if let Some(seniority) = word.seniority {
            after_role = true;
            found.seniority(seniority, m.text, segment);
        }
        for &department in word.departments {
            found.department(department, m.text, segment);
        }
        i += m.len;
    }
    found.into_parsed()
}

/// Whether the words at `tokens[i]` say something about a role (a seniority, a function,
/// a compound), as opposed to a company or place name.
fn is_vocabulary(tokens: &[&str], i: usize) -> bool {
    match TABLE.longest_at(tokens, i) {
        Some(m) => {
            m.value.seniority.is_some()
                || !m.value.departments.is_empty()
                || matches!(
                    m.value.rule,
                    Rule::Chief | Rule::It | Rule::People | Rule::Personal
                )
        }
        None => tokens.get(i).is_some_and(|t| compound(t).is_some()),
    }
}

/// Reads "Chief … Officer", "Chief of Staff" or another chief at the start of `tokens`;
/// returns how many tokens it used.
fn read_chief(tokens: &[&str], segment: usize, found: &mut Findings) -> usize {
    if tokens.get(1..3) == Some(&["of", "staff"][..]) {
        found.seniority(S::Head, "Chief of Staff", segment);
        found.department(D::Executive, "Chief of Staff", segment);
        return 3;
    }
    // "Chief Marketing & Growth Officer": the officer may come a few words later.
    let officer = tokens
        .iter()
        .take(7)
        .take_while(|t| !matches!(**t, SEGMENT | AT))
        .position(|t| *t == "officer");
    let Some(officer) = officer else {
        found.seniority(S::Head, "Chief", segment);
        return 1;
    };
    // The evidence names the officer only when one function word says which one
    // ("Chief Revenue Officer"); "Chief Information Security Officer" stays generic.
    let between = &tokens[1..officer];
    let mut evidence = "Chief … Officer";
    for word in between {
        if let Some((department, label)) = chief_function(word) {
            if between.len() == 1 {
                evidence = label;
            }
            found.department(department, evidence, segment);
        }
    }
    found.seniority(S::CLevel, evidence, segment);
    officer + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, seniority: Option<Seniority>, departments: &[Department]) {
        let parsed = parse_title(text);
        assert_eq!(
            (parsed.seniority, parsed.departments.as_slice()),
            (seniority, departments),
            "parse_title({text:?}) = {parsed:?}"
        );
    }

    #[test]
    fn seniority_ladder_in_english_titles() {
        let cases = [
            ("Founder & CEO", Some(S::Owner), &[D::Executive][..]),
            (
                "CTO | Co-founder @ Finly 🚀",
                Some(S::Owner),
                &[D::Executive, D::Engineering],
            ),
            ("Chief Revenue Officer", Some(S::CLevel), &[D::Sales]),
            (
                "Chief Information Security Officer",
                Some(S::CLevel),
                &[D::It],
            ),
            (
                "Chief Marketing & Growth Officer",
                Some(S::CLevel),
                &[D::Marketing],
            ),
            ("CFO", Some(S::CLevel), &[D::Finance]),
            (
                "President & COO",
                Some(S::CLevel),
                &[D::Executive, D::Operations],
            ),
            ("Managing Director, DACH", Some(S::CLevel), &[D::Executive]),
            ("SVP, Global Sales", Some(S::Vp), &[D::Sales]),
            (
                "Vice-President of Engineering",
                Some(S::Vp),
                &[D::Engineering],
            ),
            (
                "VP Sales & Marketing",
                Some(S::Vp),
                &[D::Sales, D::Marketing],
            ),
            ("Head of Talent Acquisition", Some(S::Head), &[D::Hr]),
            ("Head of People & Culture", Some(S::Head), &[D::Hr]),
            ("General Manager EMEA", Some(S::Head), &[D::Executive]),
            (
                "Director of Product Marketing",
                Some(S::Director),
                &[D::Marketing],
            ),
            ("Director of Photography", Some(S::Director), &[]),
            (
                "Associate Director, Procurement",
                Some(S::Director),
                &[D::Procurement],
            ),
            ("Sr. Product Manager", Some(S::Manager), &[D::Product]),
            ("Key Account Manager", Some(S::Manager), &[D::Sales]),
            (
                "Senior Software Engineer",
                Some(S::Senior),
                &[D::Engineering],
            ),
            ("Staff Engineer", Some(S::Senior), &[D::Engineering]),
            ("Principal Data Scientist", Some(S::Senior), &[D::Research]),
            ("Team Lead Customer Success", Some(S::Senior), &[D::Support]),
            ("Financial Analyst", Some(S::Entry), &[D::Finance]),
            ("SDR", Some(S::Entry), &[D::Sales]),
            ("Jr. Accountant", Some(S::Entry), &[D::Finance]),
            ("Marketing Intern", Some(S::Intern), &[D::Marketing]),
            (
                "PhD Student in Machine Learning",
                Some(S::Intern),
                &[D::Research, D::Engineering],
            ),
        ];
        for (text, seniority, departments) in cases {
            check(text, seniority, departments);
        }
    }

    #[test]
    fn titles_in_german_french_and_spanish() {
        let cases = [
            ("Geschäftsführer", Some(S::CLevel), &[D::Executive][..]),
            ("Geschaeftsfuehrerin", Some(S::CLevel), &[D::Executive]),
            ("Inhaber & Gründer", Some(S::Owner), &[D::Executive]),
            ("Vertriebsleiter", Some(S::Head), &[D::Sales]),
            ("Leiterin Einkauf", Some(S::Head), &[D::Procurement]),
            ("Bereichsleiter IT", Some(S::Head), &[D::It]),
            ("IT-Leiter", Some(S::Head), &[D::It]),
            ("Teamleiter Buchhaltung", Some(S::Manager), &[D::Finance]),
            ("Projektleiterin", Some(S::Manager), &[]),
            ("Einkaufsmanagerin", Some(S::Manager), &[D::Procurement]),
            ("Werkstudent Marketing", Some(S::Intern), &[D::Marketing]),
            ("Personalreferentin", Some(S::Entry), &[D::Hr]),
            ("PDG", Some(S::CLevel), &[D::Executive]),
            ("Directeur Général", Some(S::CLevel), &[D::Executive]),
            ("Directrice Commerciale", Some(S::Director), &[D::Sales]),
            ("Directeur commercial", Some(S::Director), &[D::Sales]),
            ("Responsable des Achats", Some(S::Head), &[D::Procurement]),
            ("Responsable Marketing", Some(S::Manager), &[D::Marketing]),
            ("DRH", Some(S::Director), &[D::Hr]),
            ("Stagiaire Ressources Humaines", Some(S::Intern), &[D::Hr]),
            ("Consejero Delegado", Some(S::CLevel), &[D::Executive]),
            ("Directora de Ventas", Some(S::Director), &[D::Sales]),
            ("Jefa de Compras", Some(S::Head), &[D::Procurement]),
            ("Gerente de Sistemas", Some(S::Manager), &[D::It]),
            ("Gerente General", Some(S::CLevel), &[D::Executive]),
            ("Becario de Finanzas", Some(S::Intern), &[D::Finance]),
        ];
        for (text, seniority, departments) in cases {
            check(text, seniority, departments);
        }
    }

    #[test]
    fn look_alikes_do_not_fool_the_ladder() {
        let cases = [
            ("Account Executive", None, &[D::Sales][..]),
            ("Senior Account Executive", Some(S::Senior), &[D::Sales]),
            ("Chief of Staff to the CEO", Some(S::Head), &[D::Executive]),
            ("Chief Architect", Some(S::Head), &[D::Engineering]),
            ("Product Owner", None, &[D::Product]),
            ("Executive Assistant to the CEO", Some(S::Entry), &[]),
            ("Founder's Associate", Some(S::Entry), &[D::Executive]),
            (
                "Sales Director | Senior Living",
                Some(S::Director),
                &[D::Sales],
            ),
            (
                "Lead Generation Specialist",
                Some(S::Entry),
                &[D::Marketing],
            ),
            ("Ex-CEO | Board Advisor", None, &[]),
            ("Aspiring Product Manager", None, &[]),
            (
                "Head of Sales at Acme Marketing",
                Some(S::Head),
                &[D::Sales],
            ),
            ("Making it happen", None, &[]),
            ("Head of IT", Some(S::Head), &[D::It]),
            ("Sales | IT | Cloud", None, &[D::Sales, D::It]),
            ("I love people", None, &[]),
            ("Student Success Manager", Some(S::Manager), &[D::Support]),
            ("Head of R&D", Some(S::Head), &[D::Research]),
        ];
        for (text, seniority, departments) in cases {
            check(text, seniority, departments);
        }
    }

    #[test]
    fn robust_to_emoji_styling_case_and_empty_text() {
        let cases = [
            ("", None, &[][..]),
            ("🚀🚀🚀", None, &[]),
            ("   ", None, &[]),
            ("𝗩𝗣 𝗦𝗮𝗹𝗲𝘀 💼", Some(S::Vp), &[D::Sales]),
            ("vp SALES", Some(S::Vp), &[D::Sales]),
            ("Sr Manager, Demand Gen", Some(S::Manager), &[D::Marketing]),
            (
                "🎯 Director, Customer Success 🎯",
                Some(S::Director),
                &[D::Support],
            ),
            (
                "CEO @ Acme • Investor • Dad",
                Some(S::CLevel),
                &[D::Executive],
            ),
            ("VICE PRESIDENT - FINANCE", Some(S::Vp), &[D::Finance]),
        ];
        for (text, seniority, departments) in cases {
            check(text, seniority, departments);
        }
    }

    #[test]
    fn portuguese_titles() {
        let cases = [
            ("CEO e Fundador", Some(S::Owner), &[D::Executive][..]),
            (
                "Sócio-fundador da Vinci Partners",
                Some(S::Owner),
                &[D::Executive],
            ),
            ("Sócia-Diretora", Some(S::Owner), &[D::Executive]),
            (
                "Proprietário | Padaria Pão Quente",
                Some(S::Owner),
                &[D::Executive],
            ),
            ("Diretor-Presidente", Some(S::CLevel), &[D::Executive]),
            ("Diretora Executiva", Some(S::CLevel), &[D::Executive]),
            ("Presidente do Conselho", Some(S::CLevel), &[D::Executive]),
            ("Superintendente Comercial", Some(S::Vp), &[D::Sales]),
            ("Diretora de Vendas", Some(S::Director), &[D::Sales]),
            ("Diretor Financeiro", Some(S::Director), &[D::Finance]),
            ("Diretor Jurídico", Some(S::Director), &[D::Legal]),
            ("Responsável pelo Marketing", Some(S::Head), &[D::Marketing]),
            ("Head de Engenharia", Some(S::Head), &[D::Engineering]),
            ("Gerente de TI", Some(S::Manager), &[D::It]),
            (
                "Gerente de Compras e Suprimentos",
                Some(S::Manager),
                &[D::Procurement],
            ),
            (
                "Coordenadora de Recursos Humanos",
                Some(S::Manager),
                &[D::Hr],
            ),
            (
                "Coordenador de Logística",
                Some(S::Manager),
                &[D::Operations],
            ),
            ("Gestora de Qualidade", Some(S::Manager), &[D::Operations]),
            ("Analista de Controladoria", Some(S::Entry), &[D::Finance]),
            ("Analista de Gente & Gestão", Some(S::Entry), &[D::Hr]),
            (
                "Assistente de Atendimento ao Cliente",
                Some(S::Entry),
                &[D::Support],
            ),
            (
                "Estagiário em Engenharia de Produção",
                Some(S::Intern),
                &[D::Engineering, D::Operations],
            ),
            ("Estagiária de Marketing", Some(S::Intern), &[D::Marketing]),
            ("Executiva de Contas", None, &[D::Sales]),
            ("Desenvolvedor Back-end", None, &[D::Engineering]),
            (
                "Pesquisadora | Pesquisa e Desenvolvimento",
                None,
                &[D::Research, D::Engineering],
            ),
            ("Advogada Trabalhista", None, &[D::Legal]),
        ];
        for (text, seniority, departments) in cases {
            check(text, seniority, departments);
        }
    }

    #[test]
    fn dutch_titles() {
        let cases = [
            ("Eigenaar | Oprichter", Some(S::Owner), &[D::Executive][..]),
            (
                "Mede-oprichter & CTO",
                Some(S::Owner),
                &[D::Executive, D::Engineering],
            ),
            ("Directeur-eigenaar", Some(S::Owner), &[D::Executive]),
            (
                "DGA bij Bakker Installaties",
                Some(S::Owner),
                &[D::Executive],
            ),
            ("Algemeen directeur", Some(S::CLevel), &[D::Executive]),
            ("Statutair directeur", Some(S::CLevel), &[D::Executive]),
            ("Zaakvoerder", Some(S::CLevel), &[D::Executive]),
            ("Commercieel directeur", Some(S::Director), &[D::Sales]),
            ("Financieel Directeur", Some(S::Director), &[D::Finance]),
            ("Salesdirecteur Benelux", Some(S::Director), &[D::Sales]),
            ("Hoofd Inkoop", Some(S::Head), &[D::Procurement]),
            ("Hoofd IT", Some(S::Head), &[D::It]),
            ("Hoofd Personeelszaken", Some(S::Head), &[D::Hr]),
            ("Afdelingshoofd Financiën", Some(S::Head), &[D::Finance]),
            ("Verkoopleider", Some(S::Head), &[D::Sales]),
            ("Manager Klantenservice", Some(S::Manager), &[D::Support]),
            ("Teamleider Logistiek", Some(S::Manager), &[D::Operations]),
            ("Teamlead Sales", Some(S::Manager), &[D::Sales]),
            (
                "Projectleider Techniek",
                Some(S::Manager),
                &[D::Engineering],
            ),
            ("Inkoopmanager", Some(S::Manager), &[D::Procurement]),
            ("Productmanager", Some(S::Manager), &[D::Product]),
            (
                "Medewerker Financiële Administratie",
                Some(S::Entry),
                &[D::Finance],
            ),
            ("Klantenservicemedewerker", Some(S::Entry), &[D::Support]),
            (
                "Stagiair Marketing & Communicatie",
                Some(S::Intern),
                &[D::Marketing],
            ),
            ("Bedrijfsjurist", None, &[D::Legal]),
            ("Onderzoeker", None, &[D::Research]),
            // "Begeleider" (a counsellor) ends like "leider" and is no manager.
            ("Begeleider", None, &[]),
            ("Oud-directeur | Adviseur", None, &[]),
        ];
        for (text, seniority, departments) in cases {
            check(text, seniority, departments);
        }
    }

    #[test]
    fn italian_titles() {
        let cases = [
            ("Fondatore e Titolare", Some(S::Owner), &[D::Executive][..]),
            (
                "Co-fondatore | CTO",
                Some(S::Owner),
                &[D::Executive, D::Engineering],
            ),
            ("Amministratore Delegato", Some(S::CLevel), &[D::Executive]),
            ("Amministratore Unico", Some(S::CLevel), &[D::Executive]),
            ("Direttore Generale", Some(S::CLevel), &[D::Executive]),
            ("Direttrice Commerciale", Some(S::Director), &[D::Sales]),
            ("Direttore Finanziario", Some(S::Director), &[D::Finance]),
            ("Responsabile Acquisti", Some(S::Head), &[D::Procurement]),
            ("Responsabile Risorse Umane", Some(S::Head), &[D::Hr]),
            (
                "Responsabile dell'Ufficio Legale",
                Some(S::Head),
                &[D::Legal],
            ),
            ("Capo Reparto Produzione", Some(S::Head), &[D::Operations]),
            ("Capo Progetto", Some(S::Manager), &[]),
            ("Marketing Manager", Some(S::Manager), &[D::Marketing]),
            ("Impiegata Amministrativa", Some(S::Entry), &[D::Finance]),
            ("Addetto Vendite", Some(S::Entry), &[D::Sales]),
            ("Specialista Qualità", Some(S::Entry), &[D::Operations]),
            (
                "Stagista Ufficio Acquisti",
                Some(S::Intern),
                &[D::Procurement],
            ),
            (
                "Tirocinante in Ingegneria",
                Some(S::Intern),
                &[D::Engineering],
            ),
            ("Studentessa di Informatica", Some(S::Intern), &[D::It]),
            ("Ingegnere del Software", None, &[D::Engineering]),
            (
                "Ricercatrice | Ricerca e Sviluppo",
                None,
                &[D::Research, D::Engineering],
            ),
            ("Assistenza Clienti", None, &[D::Support]),
            ("Ex Direttore Vendite", None, &[]),
        ];
        for (text, seniority, departments) in cases {
            check(text, seniority, departments);
        }
    }

    #[test]
    fn gaps_in_german_french_and_spanish() {
        let cases = [
            ("Leiter Vertrieb", Some(S::Head), &[D::Sales][..]),
            (
                "Abteilungsleiterin Rechnungswesen",
                Some(S::Head),
                &[D::Finance],
            ),
            ("Werksleiter", Some(S::Head), &[D::Operations]),
            ("Leiterin Fertigung", Some(S::Head), &[D::Operations]),
            ("Leiter Konstruktion", Some(S::Head), &[D::Engineering]),
            ("Leiterin Personal", Some(S::Head), &[D::Hr]),
            ("Leiter Recht & Compliance", Some(S::Head), &[D::Legal]),
            ("Qualitätsmanager", Some(S::Manager), &[D::Operations]),
            ("Teamleiterin Controlling", Some(S::Manager), &[D::Finance]),
            (
                "Mitglied der Geschäftsleitung",
                Some(S::CLevel),
                &[D::Executive],
            ),
            (
                "Vorstand Finanzen",
                Some(S::CLevel),
                &[D::Executive, D::Finance],
            ),
            (
                "Prokurist | Leiter Einkauf",
                Some(S::Head),
                &[D::Procurement],
            ),
            ("Informatikstudentin", Some(S::Intern), &[D::It]),
            ("Maschinenbaustudent", Some(S::Intern), &[]),
            ("Personal Trainer", None, &[]),
            (
                "Responsable de la production",
                Some(S::Head),
                &[D::Operations],
            ),
            ("Chef de projet informatique", Some(S::Manager), &[D::It]),
            ("Directrice Qualité", Some(S::Director), &[D::Operations]),
            ("DAF", Some(S::Director), &[D::Finance]),
            ("DSI", Some(S::Director), &[D::It]),
            ("Directeur Général Adjoint", Some(S::Vp), &[D::Executive]),
            ("Contrôleur de gestion", None, &[D::Finance]),
            ("Ingénieure en ingénierie système", None, &[D::Engineering]),
            (
                "Responsable Approvisionnements",
                Some(S::Manager),
                &[D::Procurement],
            ),
            ("Gestionnaire de paie", None, &[D::Hr]),
            // Elided articles are glued to the next word by folding.
            ("Responsable de l'informatique", Some(S::Head), &[D::It]),
            (
                "Directeur de l'ingénierie",
                Some(S::Director),
                &[D::Engineering],
            ),
            ("Xefe de Vendas", Some(S::Head), &[D::Sales]),
            ("Jefe de Producción", Some(S::Head), &[D::Operations]),
            ("Jefa de Tesorería", Some(S::Head), &[D::Finance]),
            (
                "Subdirector de Ingeniería",
                Some(S::Director),
                &[D::Engineering],
            ),
            ("Directora de Calidad", Some(S::Director), &[D::Operations]),
            (
                "Gerente de Cadena de Suministro",
                Some(S::Manager),
                &[D::Operations],
            ),
            (
                "Responsable de Aprovisionamiento",
                Some(S::Head),
                &[D::Procurement],
            ),
            ("Técnica de Nóminas", None, &[D::Hr]),
            ("Quality Manager", Some(S::Manager), &[D::Operations]),
        ];
        for (text, seniority, departments) in cases {
            check(text, seniority, departments);
        }
    }

    #[test]
    fn legal_seniority_off_the_english_ladder() {
        let cases = [
            ("General Counsel", Some(S::CLevel), &[D::Legal][..]),
            (
                "Group General Counsel & Company Secretary",
                Some(S::CLevel),
                &[D::Legal],
            ),
            ("Chief Legal Officer", Some(S::CLevel), &[D::Legal]),
            ("Deputy General Counsel", Some(S::Vp), &[D::Legal]),
            ("Associate General Counsel", Some(S::Director), &[D::Legal]),
            (
                "Assistant General Counsel, Privacy",
                Some(S::Director),
                &[D::Legal],
            ),
            ("Senior Legal Counsel", Some(S::Senior), &[D::Legal]),
            ("Legal Counsel", None, &[D::Legal]),
        ];
        for (text, seniority, departments) in cases {
            check(text, seniority, departments);
        }
    }

    #[test]
    fn employer_markers_mute_the_company_in_every_language() {
        let cases = [
            // The company after the marker says nothing about the role.
            (
                "Accountmanager bij Marketing Groep",
                Some(S::Manager),
                &[D::Sales][..],
            ),
            (
                "Responsabile Vendite presso Software Italia",
                Some(S::Head),
                &[D::Sales],
            ),
            (
                "Gerente de Vendas na Acme Engenharia",
                Some(S::Manager),
                &[D::Sales],
            ),
            (
                "Analista Financeiro no Acme Marketing",
                Some(S::Entry),
                &[D::Finance],
            ),
            (
                "Coordenador de Vendas em Acme Tecnologia",
                Some(S::Manager),
                &[D::Sales],
            ),
            (
                "Directeur commercial à Dupont Logistique",
                Some(S::Director),
                &[D::Sales],
            ),
            (
                "Jefe de Ventas en Andino Software",
                Some(S::Head),
                &[D::Sales],
            ),
            (
                "Leiterin Einkauf bei Marketing GmbH",
                Some(S::Head),
                &[D::Procurement],
            ),
            // The same little words before a function name it.
            (
                "Especialista em Marketing Digital",
                Some(S::Entry),
                &[D::Marketing],
            ),
            ("Ingeniera en Software", None, &[D::Engineering]),
            ("Consultor em TI", None, &[D::It]),
            // "No" at the start of a segment is not an employer marker.
            ("No-Code Developer", None, &[D::Engineering]),
        ];
        for (text, seniority, departments) in cases {
            check(text, seniority, departments);
        }
    }

    #[test]
    fn past_and_wished_for_roles_are_muted_in_every_language() {
        let cases = [
            ("Ehemals Geschäftsführer", None, &[][..]),
            ("Voormalig directeur", None, &[]),
            ("Antigo Diretor Comercial", None, &[]),
            ("Già Direttore Commerciale", None, &[]),
            ("Op zoek naar een functie als Hoofd Inkoop", None, &[]),
            ("Em busca de recolocação como Gerente de Vendas", None, &[]),
            ("Buscando empleo como Jefe de Compras", None, &[]),
            (
                "À la recherche d'un poste de Directeur Commercial",
                None,
                &[],
            ),
            ("In cerca di lavoro come Responsabile Acquisti", None, &[]),
            ("Suche neue Herausforderung als Vertriebsleiter", None, &[]),
            ("Aspirante Direttore | Studente", Some(S::Intern), &[]),
        ];
        for (text, seniority, departments) in cases {
            check(text, seniority, departments);
        }
    }

    #[test]
    fn every_table_phrase_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for (text, _) in WORDS {
            let folded = tokenize(text);
            assert!(
                seen.insert(folded.clone()),
                "{text:?} ({folded:?}) is listed twice"
            );
        }
        for (ending, ..) in ROLE_ENDINGS {
            assert_eq!(tokenize(ending), *ending, "endings are written folded");
            assert!(
                ending.len() >= 4,
                "{ending}: may_end_in_role assumes four letters"
            );
            assert!(
                may_end_in_role(&format!("x{ending}")),
                "{ending} passes the prefilter"
            );
        }
        for (stem, ..) in STEMS {
            assert_eq!(tokenize(stem), *stem, "stems are written folded");
        }
    }

    fn check_evidence(text: &str, seniority: Option<&str>, department: Option<&str>) {
        let parsed = parse_title(text);
        assert_eq!(
            (parsed.seniority_evidence, parsed.department_evidence),
            (seniority, department),
            "evidence of {text:?}"
        );
    }

    #[test]
    fn evidence_names_the_words_that_decided() {
        let cases = [
            ("VP Sales", Some("VP"), Some("Sales")),
            (
                "CTO | Co-founder @ Finly",
                Some("Co-founder"),
                Some("Co-founder"),
            ),
            (
                "Chief Revenue Officer",
                Some("Chief Revenue Officer"),
                Some("Chief Revenue Officer"),
            ),
            ("Head of Marketing", Some("Head of"), Some("Marketing")),
            ("Vertriebsleiter", Some("Leiter"), Some("Vertrieb")),
            (
                "Geschäftsführer",
                Some("Geschäftsführer"),
                Some("Geschäftsführer"),
            ),
            ("", None, None),
        ];
        for (text, seniority, department) in cases {
            check_evidence(text, seniority, department);
        }
    }
}
