//! Title and headline understanding (SPEC §2 "Title understanding"): the seniority on the
//! ladder OWNER > C_LEVEL > VP > HEAD > DIRECTOR > MANAGER > SENIOR > ENTRY > INTERN, and
//! the business functions, read from what people really write ("CTO | Co-founder @ Finly
//! 🚀", "Sr. Manager, Demand Gen", "Geschäftsführer", "Jefa de Compras", "𝗩𝗣 𝗦𝗮𝗹𝗲𝘀").
//!
//! Owns the title vocabulary in English, German, French and Spanish and the rules that keep
//! it honest. It does not score: `fit.rs` turns a [`ParsedTitle`] into fit points, and
//! `signals.rs` reads the same text for job seeking, students and influencers.
//!
//! Decisions (written here because the ladder is the contract):
//! - A multi-role headline takes its most senior role: "CTO | Co-founder" is OWNER, because
//!   founders outrank the C-suite on the ladder. Departments from that role come first.
//! - Functional chiefs carry their function only (CTO → ENGINEERING, CFO → FINANCE, CMO →
//!   MARKETING, CRO → SALES, CIO and CISO → IT, CPO → PRODUCT, COO → OPERATIONS); CEO,
//!   founders, owners, presidents, managing directors and general managers are EXECUTIVE.
//! - "Managing Director" and "Geschäftsführer" are C_LEVEL (the DACH sense: the legal head
//!   of the company); "General Manager" is HEAD (usually a business unit), "Gerente
//!   General" is C_LEVEL (how Latin America says CEO).
//! - Not what they look like: "Account Executive" (SALES, no seniority), "Product Owner"
//!   (PRODUCT, not OWNER), "Chief of Staff" (HEAD, EXECUTIVE), "Chief Architect" and other
//!   chiefs without "Officer" (HEAD), "Founder's Associate" (ENTRY), "Assistant to the CEO"
//!   (ENTRY), "Senior Living" and "Lead Generation" (no seniority), "Staff" only before a
//!   craft ("Staff Engineer" is SENIOR).
//! - Past and wished-for roles do not count: "Ex-CEO", "Former VP", "Aspiring Product
//!   Manager" and "looking for a CFO role" mute the rest of their segment, and so does the
//!   company after "@", "at", "bei", "chez" (so "Head of Sales at Acme Marketing" is not
//!   MARKETING).
//! - "Director of Photography" is DIRECTOR; "Assistant Manager" is MANAGER: the ladder
//!   takes the most senior word, it does not model every compound.

use std::sync::LazyLock;

use super::company_match::{AMP, AT, SEGMENT, tokenize};
use super::signals::PhraseTable;
use super::vocabulary::{Department, Seniority};

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
    /// "at", "bei", "chez": the rest of the segment names the employer.
    Employer,
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
    ("Founders Associate", role(S::Entry, EXECUTIVE)),
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
    ("Présidente", role(S::CLevel, EXECUTIVE)),
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
    ("Teamlead", role(S::Senior, NO_DEPT)),
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
    ("Opérations", dept(OPERATIONS)),
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
    ("General Counsel", dept(LEGAL)),
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

/// German compounds people write as one word ("Vertriebsleiter", "Einkaufsmanagerin",
/// "IT-Leiter" is two words and handled by the table): a role ending and a function stem.
const GERMAN_ROLE_ENDINGS: &[(&str, Seniority, &str, bool)] = &[
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
];

/// Stems of German compounds: the function, and whether the compound is a team-level role
/// ("Teamleiter", "Projektleiter" are managers, not heads).
const GERMAN_STEMS: &[(&str, Option<Department>, &str, bool)] = &[
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
    ("finanz", Some(D::Finance), "Finanzen", false),
    ("finanzen", Some(D::Finance), "Finanzen", false),
    ("buchhaltung", Some(D::Finance), "Buchhaltung", false),
    ("controlling", Some(D::Finance), "Controlling", false),
    ("it", Some(D::It), "IT", false),
    ("edv", Some(D::It), "EDV", false),
    ("informatik", Some(D::It), "Informatik", false),
    ("entwicklung", Some(D::Engineering), "Entwicklung", false),
    ("software", Some(D::Engineering), "Software", false),
    ("technik", Some(D::Engineering), "Technik", false),
    ("produkt", Some(D::Product), "Produkt", false),
    ("produktion", Some(D::Operations), "Produktion", false),
    ("logistik", Some(D::Operations), "Logistik", false),
    ("betrieb", Some(D::Operations), "Betrieb", false),
    ("recht", Some(D::Legal), "Recht", false),
    ("kundenservice", Some(D::Support), "Kundenservice", false),
    ("kunden", Some(D::Support), "Kunden", false),
    ("service", Some(D::Support), "Service", false),
    ("forschung", Some(D::Research), "Forschung", false),
    ("team", None, "", true),
    ("projekt", None, "", true),
    ("gruppen", None, "", true),
    ("filial", None, "", true),
    ("standort", None, "", true),
    ("bereich", None, "", false),
    ("abteilung", None, "", false),
    ("gesamt", None, "", false),
];

struct Compound {
    seniority: Seniority,
    seniority_evidence: &'static str,
    department: Option<(Department, &'static str)>,
}

fn german_compound(word: &str) -> Option<Compound> {
    let &(ending, seniority, evidence, needs_stem) = GERMAN_ROLE_ENDINGS
        .iter()
        .find(|(ending, ..)| word.len() > ending.len() && word.ends_with(ending))?;
    let prefix = &word[..word.len() - ending.len()];
    // The linking "s" of "Vertriebsleiter", "Einkaufsmanager".
    let stem = GERMAN_STEMS
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
    let folded = tokenize(text);
    let tokens: Vec<&str> = folded.split(' ').filter(|t| !t.is_empty()).collect();
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
        let Some(m) = TABLE.longest_at(&tokens, i) else {
            if let Some(c) = german_compound(token) {
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
            Rule::It => {
                let prev = i.checked_sub(1).map(|p| tokens[p]);
                let next = tokens.get(i + 1).copied();
                let alone = prev.is_none_or(is_break) && next.is_none_or(is_break);
                let beside_role = prev_was_role || prev.is_some_and(is_it_neighbour);
                if alone || beside_role || next.is_some_and(is_it_neighbour) {
                    found.department(D::It, m.text, segment);
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
