"""Generate the sample account and follower files in this folder.

Run from the repository root (Python 3.11, standard library only):

    python3 examples/generate_examples.py

It rewrites, next to this script: account.json (the Account message in proto3 JSON),
followers_linkedin.csv, followers_twitter_v2.jsonl, followers_twitter_v11.jsonl and
followers_twitter.csv. The output is deterministic (fixed seed, fixed "now" of
2026-11-20), so running it twice gives the same bytes and a diff shows only intended
changes.

Everything is invented: the account "Northwind Analytics", its customers, partners,
vendors, competitors and target accounts, and every person. Only the analyst firms are
real names. Profiles are put together from hand-written phrases per persona (bought
follower, dormant member, agency, job seeker, employee, competitor, customer, partner,
decision maker at a target or ICP company, analyst or journalist, unrelated person), in
roughly the mix a B2B software company sees: most followers are irrelevant, a few are
gold. The persona a row was generated from is not written into the files; the README
lists the intended mix.
"""

import csv
import datetime as dt
import json
import pathlib
import random
import unicodedata
import urllib.parse

SEED = 20261120
NOW = dt.datetime(2026, 11, 20, 9, 0, 0, tzinfo=dt.timezone.utc)
OUT = pathlib.Path(__file__).resolve().parent

# ---------------------------------------------------------------------------------------
# Companies. (name, domain, LinkedIn industry, size bucket, region)
# ---------------------------------------------------------------------------------------

OWN_COMPANY = ("Northwind Analytics", "northwindanalytics.com", "Software Development",
               "201-500 employees", "US")
OWN_ALIASES = ["Northwind Analytics", "Northwind Analytics Inc.", "Northwind", "NorthwindHQ"]
OWN_DOMAINS = ["northwindanalytics.com", "northwind.ai"]

CUSTOMERS = [
    ("Alderbank Financial", "alderbank.com", "Financial Services", "1,001-5,000 employees", "US"),
    ("Brightwater Insurance", "brightwater-insurance.com", "Insurance", "501-1,000 employees", "US"),
    ("Cobalt Freight", "cobaltfreight.com", "Transportation, Logistics, Supply Chain and Storage", "201-500 employees", "US"),
    ("Dunmore Retail Group", "dunmoreretail.com", "Retail", "5,001-10,000 employees", "US"),
    ("Eastgate Health Systems", "eastgatehealth.org", "Hospitals and Health Care", "1,001-5,000 employees", "US"),
    ("Fernhill Foods", "fernhillfoods.com", "Food and Beverage Manufacturing", "501-1,000 employees", "UK"),
    ("Granite Ridge Manufacturing", "graniteridgemfg.com", "Industrial Machinery Manufacturing", "1,001-5,000 employees", "US"),
    ("Hanse Logistik GmbH", "hanse-logistik.de", "Transportation, Logistics, Supply Chain and Storage", "1,001-5,000 employees", "DE"),
    ("Ironleaf Software", "ironleaf.io", "Software Development", "201-500 employees", "US"),
    ("Juniper Pay", "juniperpay.com", "Financial Services", "201-500 employees", "UK"),
    ("Kestrel Components", "kestrelcomponents.com", "Appliances, Electrical, and Electronics Manufacturing", "501-1,000 employees", "US"),
    ("Lakeshore Credit Union", "lakeshorecu.org", "Banking", "201-500 employees", "US"),
    ("Maple & Moss Home", "mapleandmoss.com", "Retail", "1,001-5,000 employees", "CA"),
    ("Nordwerk Maschinenbau AG", "nordwerk.de", "Industrial Machinery Manufacturing", "5,001-10,000 employees", "DE"),
    ("Oakhurst Capital", "oakhurstcap.com", "Investment Management", "51-200 employees", "US"),
    ("Pinecrest Outfitters", "pinecrestoutfitters.com", "Retail", "501-1,000 employees", "US"),
    ("Quayside Telecom", "quaysidetel.co.uk", "Telecommunications", "1,001-5,000 employees", "UK"),
    ("Redfern Pharma", "redfernpharma.com", "Pharmaceutical Manufacturing", "1,001-5,000 employees", "UK"),
    ("Silverline Mobility", "silverlinemobility.com", "Motor Vehicle Manufacturing", "501-1,000 employees", "DE"),
    ("Tidewater Energy", "tidewaterenergy.com", "Utilities", "1,001-5,000 employees", "US"),
    ("Umbra Fashion House", "umbrafashion.com", "Retail Apparel and Fashion", "201-500 employees", "UK"),
    ("Vantage Point Media", "vantagepointmedia.com", "Media Production", "201-500 employees", "US"),
    ("Westbrook Bank plc", "westbrookbank.co.uk", "Banking", "5,001-10,000 employees", "UK"),
    ("Yellowfin Travel", "yellowfintravel.com", "Travel Arrangements", "201-500 employees", "US"),
    ("Zephyr Cloudworks", "zephyrcloud.io", "Software Development", "501-1,000 employees", "US"),
    ("Alpenglanz Versicherung", "alpenglanz.ch", "Insurance", "1,001-5,000 employees", "CH"),
    ("Brixton & Vale Solicitors", "brixtonvale.co.uk", "Law Practice", "51-200 employees", "UK"),
    ("Copperleaf Brewing Co.", "copperleafbrewing.com", "Beverage Manufacturing", "201-500 employees", "US"),
    ("Delmar Plastics", "delmarplastics.com", "Plastics Manufacturing", "501-1,000 employees", "US"),
    ("Elmstead Grocers", "elmsteadgrocers.co.uk", "Retail Groceries", "1,001-5,000 employees", "UK"),
]

PARTNERS = [
    ("Stratus Consulting Group", "stratusconsulting.com", "IT Services and IT Consulting", "501-1,000 employees", "US"),
    ("Bluepeak Data Partners", "bluepeakdata.com", "IT Services and IT Consulting", "51-200 employees", "US"),
    ("Datenwerk Beratung GmbH", "datenwerk-beratung.de", "IT Services and IT Consulting", "51-200 employees", "DE"),
    ("Lighthouse Systems Integration", "lighthouse-si.com", "IT Services and IT Consulting", "201-500 employees", "UK"),
    ("Quantis Cloud", "quantiscloud.com", "Software Development", "1,001-5,000 employees", "US"),
    ("Meridian Solutions", "meridiansolutions.co.uk", "IT Services and IT Consulting", "201-500 employees", "UK"),
    ("Arclight Partners", "arclightpartners.com", "Business Consulting and Services", "51-200 employees", "US"),
    ("Cloudbridge Distribution", "cloudbridge.eu", "IT Services and IT Consulting", "201-500 employees", "DE"),
    ("Vertex Data Labs", "vertexdatalabs.com", "IT Services and IT Consulting", "11-50 employees", "US"),
    ("Helix IT Services", "helixits.com", "IT Services and IT Consulting", "501-1,000 employees", "IN"),
]

VENDORS = [
    ("Pixelforge Creative", "pixelforge.agency", "Advertising Services", "11-50 employees", "UK"),
    ("GrowthLoop Media", "growthloopmedia.com", "Marketing Services", "11-50 employees", "US"),
    ("Brandwell PR", "brandwellpr.com", "Public Relations and Communications Services", "11-50 employees", "US"),
    ("Clickstream Ads", "clickstreamads.com", "Advertising Services", "2-10 employees", "US"),
    ("Hirewise Recruiting", "hirewise.io", "Staffing and Recruiting", "51-200 employees", "UK"),
    ("Printmark Events", "printmarkevents.com", "Events Services", "11-50 employees", "US"),
    ("Officely Supplies", "officely.com", "Wholesale", "201-500 employees", "US"),
    ("Ledgerline Accounting", "ledgerline.co", "Accounting", "11-50 employees", "US"),
    ("SecureStack", "securestack.io", "Computer and Network Security", "51-200 employees", "US"),
    ("TalentBridge Staffing", "talentbridgestaffing.com", "Staffing and Recruiting", "201-500 employees", "US"),
    ("Northpoint Legal LLP", "northpointlegal.com", "Law Practice", "51-200 employees", "US"),
    ("Swiftcloud Hosting", "swiftcloudhosting.com", "IT Services and IT Consulting", "51-200 employees", "DE"),
    ("Copywise Content Studio", "copywise.studio", "Writing and Editing", "2-10 employees", "UK"),
    ("EventHorizon Booths", "eventhorizonbooths.com", "Events Services", "11-50 employees", "US"),
    ("LeadNest Outreach", "leadnest.io", "Marketing Services", "2-10 employees", "IN"),
]

COMPETITORS = [
    ("Clarivue Analytics", "clarivue.com", "Software Development", "201-500 employees", "US"),
    ("Quantora BI", "quantora.io", "Software Development", "51-200 employees", "DE"),
    ("Graphyte Data", "graphyte.io", "Software Development", "201-500 employees", "US"),
    ("Lumetric Analytics", "lumetric.io", "Software Development", "501-1,000 employees", "UK"),
    ("Datavane", "datavane.com", "Software Development", "51-200 employees", "US"),
    ("Panoptic Metrics", "panopticmetrics.com", "Software Development", "201-500 employees", "US"),
    ("Tallyforge", "tallyforge.com", "Software Development", "11-50 employees", "FR"),
    ("Insightbay", "insightbay.com", "Software Development", "51-200 employees", "UK"),
]

TARGET_ACCOUNTS = [
    ("Contoso Retail", "contosoretail.com", "Retail", "5,001-10,000 employees", "US"),
    ("Fabrikam Manufacturing", "fabrikam-mfg.com", "Industrial Machinery Manufacturing", "1,001-5,000 employees", "US"),
    ("Finly", "finly.io", "Financial Services", "201-500 employees", "UK"),
    ("Lumen Foods S.A.", "lumenfoods.es", "Food and Beverage Manufacturing", "1,001-5,000 employees", "ES"),
    ("Vía Norte Logística", "vianorte.es", "Transportation, Logistics, Supply Chain and Storage", "501-1,000 employees", "ES"),
    ("Rheinstahl Komponenten GmbH", "rheinstahl-komponenten.de", "Industrial Machinery Manufacturing", "1,001-5,000 employees", "DE"),
    ("Bayside Bank", "baysidebank.com", "Banking", "1,001-5,000 employees", "US"),
    ("Harbor & Pine Insurance", "harborpine.com", "Insurance", "501-1,000 employees", "US"),
    ("Kingsbridge Retail plc", "kingsbridgeretail.co.uk", "Retail", "5,001-10,000 employees", "UK"),
    ("Albion Building Society", "albionbs.co.uk", "Banking", "1,001-5,000 employees", "UK"),
    ("Sternberg Automotive AG", "sternberg-auto.de", "Motor Vehicle Manufacturing", "5,001-10,000 employees", "DE"),
    ("Polaris Freight Lines", "polarisfreight.com", "Transportation, Logistics, Supply Chain and Storage", "1,001-5,000 employees", "US"),
    ("Greenfield Grocers", "greenfieldgrocers.com", "Retail Groceries", "5,001-10,000 employees", "US"),
    ("Tessellate Software", "tessellate.dev", "Software Development", "201-500 employees", "US"),
    ("Wavecrest Payments", "wavecrestpay.com", "Financial Services", "501-1,000 employees", "UK"),
    ("Altmark Textil GmbH", "altmark-textil.de", "Textile Manufacturing", "501-1,000 employees", "DE"),
    ("Clearwater Mutual", "clearwatermutual.com", "Insurance", "1,001-5,000 employees", "US"),
    ("Summit Ridge Outdoor", "summitridgeoutdoor.com", "Retail", "1,001-5,000 employees", "US"),
    ("Novacore Semiconductors", "novacore-semi.com", "Semiconductor Manufacturing", "1,001-5,000 employees", "US"),
    ("Zürisee Uhrenwerke AG", "zuerisee-uhren.ch", "Manufacturing", "501-1,000 employees", "CH"),
    ("Thornbury Home Retail", "thornburyhome.co.uk", "Retail", "1,001-5,000 employees", "UK"),
    ("Orchard Lane Markets", "orchardlanemarkets.com", "Retail Groceries", "1,001-5,000 employees", "CA"),
    ("Ferrovia Components", "ferroviacomponents.com", "Industrial Machinery Manufacturing", "501-1,000 employees", "US"),
    ("Kappa Capital Partners", "kappacapital.com", "Investment Management", "201-500 employees", "US"),
    ("Ostsee Versand GmbH", "ostsee-versand.de", "Retail", "501-1,000 employees", "DE"),
]

# Companies that fit the ICP but are on no list: industry, size and region all match.
ICP_COMPANIES = [
    ("Riverton Components", "rivertoncomponents.com", "Manufacturing", "1,001-5,000 employees", "US"),
    ("Bergmann Logistik AG", "bergmann-logistik.de", "Transportation, Logistics, Supply Chain and Storage", "1,001-5,000 employees", "DE"),
    ("Ashcombe Building Supplies", "ashcombe.co.uk", "Retail", "1,001-5,000 employees", "UK"),
    ("Cedar Point Bank", "cedarpointbank.com", "Banking", "501-1,000 employees", "US"),
    ("Ledgerstone Software", "ledgerstone.io", "Software Development", "201-500 employees", "US"),
    ("Hofmann Präzisionstechnik GmbH", "hofmann-praezision.de", "Industrial Machinery Manufacturing", "501-1,000 employees", "DE"),
    ("Marlow & Finch", "marlowfinch.co.uk", "Retail Apparel and Fashion", "1,001-5,000 employees", "UK"),
    ("Great Lakes Mutual", "greatlakesmutual.com", "Insurance", "1,001-5,000 employees", "US"),
    ("Vireo Payments", "vireopay.com", "Financial Services", "201-500 employees", "US"),
    ("Donau Elektronik AG", "donau-elektronik.at", "Appliances, Electrical, and Electronics Manufacturing", "1,001-5,000 employees", "AT"),
    ("Redwood Retail Co.", "redwoodretail.com", "Retail", "5,001-10,000 employees", "US"),
    ("Calder Systems", "caldersystems.co.uk", "Software Development", "201-500 employees", "UK"),
    ("Prairie Mills", "prairiemills.com", "Food and Beverage Manufacturing", "1,001-5,000 employees", "US"),
    ("Keystone Auto Parts", "keystoneautoparts.com", "Retail", "1,001-5,000 employees", "US"),
    ("Alpina Finanz AG", "alpinafinanz.ch", "Financial Services", "501-1,000 employees", "CH"),
]

# Employers with no business fit: too small, wrong industry, or elsewhere.
OTHER_EMPLOYERS = [
    ("Sunrise Dental Care", "", "Hospitals and Health Care", "11-50 employees", "US"),
    ("City of Springfield", "", "Government Administration", "1,001-5,000 employees", "US"),
    ("Bella Napoli Ristorante", "", "Restaurants", "11-50 employees", "US"),
    ("St. Anne's Primary School", "", "Primary and Secondary Education", "51-200 employees", "UK"),
    ("Harbourview Hotel", "", "Hospitality", "51-200 employees", "UK"),
    ("Greenway Landscaping", "", "Landscaping Services", "2-10 employees", "US"),
    ("Metro Transit Authority", "", "Transportation", "5,001-10,000 employees", "US"),
    ("Klinikum Nordstadt", "", "Hospitals and Health Care", "1,001-5,000 employees", "DE"),
    ("Boulangerie Martin", "", "Food and Beverage Services", "2-10 employees", "FR"),
    ("Clínica Dental Sonrisa", "", "Hospitals and Health Care", "11-50 employees", "ES"),
    ("Lakeside Realty", "", "Real Estate", "11-50 employees", "US"),
    ("Oakwood Fitness Club", "", "Wellness and Fitness Services", "11-50 employees", "US"),
    ("Shree Ganesh Textiles", "", "Textile Manufacturing", "51-200 employees", "IN"),
    ("Manila Outsourcing Hub", "", "Outsourcing and Offshoring Consulting", "501-1,000 employees", "PH"),
    ("Universidad Autónoma de Valle", "", "Higher Education", "1,001-5,000 employees", "MX"),
]

ANALYST_FIRMS = [
    ("Gartner", "gartner.com"),
    ("Forrester", "forrester.com"),
    ("IDC", "idc.com"),
    ("451 Research", "451research.com"),
    ("Constellation Research", "constellationr.com"),
    ("Omdia", "omdia.com"),
    ("Bloor Research", "bloorresearch.com"),
    ("Data Pipeline Weekly", "datapipelineweekly.com"),
    ("The BI Brief", "thebibrief.com"),
]

INFLUENCER_TWITTER = ["dataviz_dana", "bi_ben_talks", "analyticsanna", "moderndatastackpod", "sqlwhisperer"]
INFLUENCER_LINKEDIN = ["priya-raman-data", "marcus-hale-analytics", "sofie-lindqvist-bi"]

# ---------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------

REGION_NAMES = {
    "US": ("en", [("Chicago, Illinois, United States", "United States"),
                  ("Austin, Texas, United States", "United States"),
                  ("New York, New York, United States", "United States"),
                  ("Seattle, Washington, United States", "United States"),
                  ("Atlanta, Georgia, United States", "United States"),
                  ("Denver, Colorado, United States", "United States"),
                  ("Boston, Massachusetts, United States", "United States")]),
    "CA": ("en", [("Toronto, Ontario, Canada", "Canada"), ("Vancouver, British Columbia, Canada", "Canada")]),
    "UK": ("en", [("London, England, United Kingdom", "United Kingdom"),
                  ("Manchester, England, United Kingdom", "United Kingdom"),
                  ("Leeds, England, United Kingdom", "United Kingdom"),
                  ("Edinburgh, Scotland, United Kingdom", "United Kingdom"),
                  ("Bristol, England, United Kingdom", "United Kingdom")]),
    "DE": ("de", [("München, Bayern, Deutschland", "Deutschland"),
                  ("Hamburg, Deutschland", "Deutschland"),
                  ("Berlin, Berlin, Germany", "Germany"),
                  ("Frankfurt am Main, Hessen, Deutschland", "Deutschland"),
                  ("Stuttgart, Baden-Württemberg, Germany", "Germany")]),
    "AT": ("de", [("Wien, Österreich", "Österreich"), ("Linz, Oberösterreich, Österreich", "Österreich")]),
    "CH": ("de", [("Zürich, Schweiz", "Schweiz"), ("Basel, Basel-Stadt, Switzerland", "Switzerland")]),
    "FR": ("fr", [("Paris, Île-de-France, France", "France"), ("Lyon, Auvergne-Rhône-Alpes, France", "France"),
                  ("Nantes, Pays de la Loire, France", "France")]),
    "ES": ("es", [("Madrid, Comunidad de Madrid, España", "España"), ("Barcelona, Cataluña, España", "España"),
                  ("Valencia, Comunidad Valenciana, España", "España")]),
    "MX": ("es", [("Ciudad de México, México", "México"), ("Guadalajara, Jalisco, México", "México")]),
    "IN": ("en", [("Bengaluru, Karnataka, India", "India"), ("Pune, Maharashtra, India", "India"),
                  ("Hyderabad, Telangana, India", "India")]),
    "PH": ("en", [("Manila, National Capital Region, Philippines", "Philippines")]),
    "NG": ("en", [("Lagos, Lagos State, Nigeria", "Nigeria")]),
    "BR": ("en", [("São Paulo, São Paulo, Brazil", "Brazil")]),
}

FIRST_NAMES = {
    "en": ["James", "Emily", "Michael", "Sarah", "David", "Jessica", "Chris", "Laura", "Daniel", "Megan",
           "Ryan", "Olivia", "Kevin", "Rachel", "Brian", "Hannah", "Tom", "Sophie", "Priya", "Raj", "Wei",
           "Mei", "Aisha", "Marcus", "Nina", "Owen", "Grace", "Ethan", "Chloe", "Sam", "Dana", "Amy",
           "Jordan", "Kayla", "Tyler", "Fiona", "Liam", "Zoe", "Arjun", "Ananya", "Tunde", "Ngozi"],
    "de": ["Lena", "Jonas", "Katharina", "Lukas", "Anna", "Felix", "Sabine", "Matthias", "Julia", "Stefan",
           "Jürgen", "Birgit", "Tobias", "Miriam", "Florian", "Carina", "Henrik", "Nadine"],
    "fr": ["Camille", "Julien", "Chloé", "Mathieu", "Élodie", "Nicolas", "Inès", "Antoine", "Léa", "Hugo"],
    "es": ["Marta", "Carlos", "Lucía", "Javier", "Sofía", "Alejandro", "Carmen", "Diego", "Elena", "Pablo"],
}

LAST_NAMES = {
    "en": ["Smith", "Johnson", "Carter", "Mitchell", "Brooks", "Hughes", "Patel", "Nguyen", "Kim", "Garcia",
           "O'Brien", "Walsh", "Turner", "Reid", "Fletcher", "Hale", "Sharma", "Chen", "Okafor", "Adeyemi",
           "Bennett", "Foster", "Murphy", "Kowalski", "Iyer", "Whitfield", "Lawson", "Park", "Rossi", "Evans"],
    "de": ["Vogt", "Müller", "Schneider", "Becker", "Hoffmann", "Wagner", "Krüger", "Brandt", "Weiß",
           "Schäfer", "Köhler", "Lehmann", "Zimmermann", "Hartmann", "Fuchs", "Keller"],
    "fr": ["Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Fontaine", "Rousseau", "Mercier", "Bonnet", "Faure"],
    "es": ["Ruiz García", "Méndez", "Fernández", "López", "Navarro", "Ortega", "Castillo", "Romero", "Vidal", "Serrano"],
}

# Decision-making roles: (English, German, French, Spanish).
DECISION_ROLES = [
    ("VP Data & Analytics", "Leiter Data & Analytics", "VP Data & Analytics", "VP de Datos y Analítica"),
    ("Head of Business Intelligence", "Leiter Business Intelligence", "Responsable Business Intelligence", "Jefe de Business Intelligence"),
    ("Director of IT", "IT-Leiter", "Directeur des Systèmes d'Information", "Director de Sistemas"),
    ("Chief Information Officer", "CIO", "DSI", "CIO"),
    ("CFO", "Finanzvorstand (CFO)", "Directrice Financière", "Directora de Finanzas"),
    ("Director of FP&A", "Leiterin Controlling", "Directeur Contrôle de Gestion", "Directora de Control de Gestión"),
    ("VP Engineering", "Head of Engineering", "Directeur Technique", "Director de Ingeniería"),
    ("Head of Operations", "Leiter Operations", "Directeur des Opérations", "Gerente de Operaciones"),
    ("Data Platform Manager", "Teamleiter Datenplattform", "Manager Plateforme Data", "Gerente de Plataforma de Datos"),
    ("Analytics Manager", "Teamleiterin Analytics", "Responsable Analytics", "Gerente de Analítica"),
    ("Director, Enterprise Data", "Bereichsleiter Datenmanagement", "Directrice Data", "Jefa de Datos Corporativos"),
    ("Senior Manager, Supply Chain Analytics", "Abteilungsleiter Supply Chain Analytics", "Responsable Supply Chain Analytics", "Jefe de Analítica de Cadena de Suministro"),
    ("Chief Technology Officer", "Geschäftsführer Technik", "Directeur Technique (CTO)", "Director de Tecnología (CTO)"),
    ("IT Manager", "IT-Manager", "Responsable Informatique", "Responsable de Sistemas"),
]

# Individual-contributor roles at fitting companies (real people, weaker fit).
STAFF_ROLES = [
    ("Data Analyst", "Datenanalyst", "Analyste Data", "Analista de Datos"),
    ("BI Developer", "BI-Entwickler", "Développeur BI", "Desarrollador BI"),
    ("Senior Data Engineer", "Senior Data Engineer", "Data Engineer Senior", "Ingeniero de Datos Senior"),
    ("Financial Analyst", "Controller", "Contrôleur de Gestion", "Analista Financiero"),
    ("Software Engineer", "Softwareentwickler", "Ingénieur Logiciel", "Ingeniero de Software"),
    ("Marketing Coordinator", "Marketing Manager", "Chargée de Marketing", "Coordinadora de Marketing"),
    ("Store Associate", "Verkäuferin", "Conseiller de Vente", "Dependiente"),
    ("Operations Specialist", "Sachbearbeiter Logistik", "Chargé d'Opérations", "Especialista de Operaciones"),
]

HEADLINE_JOINERS = {
    "en": ["{role} at {company}", "{role} @ {company}", "{role} | {company}", "{role}, {company}"],
    "de": ["{role} bei {company}", "{role} @ {company}", "{role} | {company}"],
    "fr": ["{role} chez {company}", "{role} @ {company}", "{role} | {company}"],
    "es": ["{role} en {company}", "{role} @ {company}", "{role} | {company}"],
}

HEADLINE_TAILS = {
    "en": ["", "", "", " | Data-driven decisions", " | dbt, Snowflake, Power BI", " 📊", " | Speaker",
           " | Turning data into decisions", " | MBA", " | Ex-Deloitte"],
    "de": ["", "", " | Daten & Digitalisierung", " | Controlling mit Leidenschaft", " 📈"],
    "fr": ["", "", " | Data & IA", " | Transformation digitale"],
    "es": ["", "", " | Transformación digital", " | Datos y negocio 📊"],
}

ABOUTS = {
    "en": [
        "I lead a team of {n} analysts and engineers building the reporting platform for {company}.\n\n"
        "Focus areas: self-service BI, data quality, and getting finance and operations to trust the same numbers.",
        "15+ years in {industry}. Passionate about analytics that actually changes decisions.\n"
        "Opinions are my own.",
        "Responsible for data strategy and the analytics roadmap at {company}. Previously consulting.",
        "Building a modern data stack: ingestion, modelling, dashboards and the people side of it.",
    ],
    "de": [
        "Ich verantworte Reporting und Business Intelligence bei {company}.\n"
        "Schwerpunkte: Datenqualität, Self-Service-Analytics und Controlling.",
        "Über 12 Jahre Erfahrung in der {industry}-Branche. Zahlen, Daten, Fakten – und gute Teams.",
    ],
    "fr": [
        "Je pilote la stratégie data de {company}.\nGouvernance, BI et culture de la donnée.",
    ],
    "es": [
        "Lidero el área de datos y analítica en {company}.\nMe apasiona convertir datos en decisiones.",
    ],
}

VENDOR_LINES = [
    ("Helping SaaS founders scale with paid ads | Google & Meta Ads specialist", "Freelance"),
    ("Freelance web designer | Webflow & WordPress | DM for a free audit", "Self-employed"),
    ("Founder @ GrowthLoop Media — we book 20+ demos a month for B2B SaaS", "GrowthLoop Media"),
    ("Salesforce consultant | 7x certified | Helping companies get more out of their CRM", "Self-employed"),
    ("Fractional CMO for B2B tech companies | Ex-HubSpot partner", "Freelance"),
    ("Lead generation expert | LinkedIn outreach that converts", "LeadNest Outreach"),
    ("Business coach for ambitious founders 🚀 | 1:1 coaching & masterminds", "Self-employed"),
    ("Recruiter @ Hirewise | Placing data & engineering talent across EMEA", "Hirewise Recruiting"),
    ("Account Executive at Swiftcloud Hosting | Managed Kubernetes for scale-ups", "Swiftcloud Hosting"),
    ("Offshore development partner | React, Node, Python | 150+ projects delivered", "Freelance"),
    ("SEO specialist helping B2B brands rank on page one", "Clickstream Ads"),
    ("We build custom Power BI & Tableau dashboards for mid-market companies | Freelance BI consultant", "Self-employed"),
    ("Creative Director at Pixelforge Creative | Brand, web, motion", "Pixelforge Creative"),
    ("Event booths that stop traffic 🎪 | EventHorizon Booths", "EventHorizon Booths"),
    ("Senior Account Manager at TalentBridge Staffing | IT contractors in 48 hours", "TalentBridge Staffing"),
    ("Content writer for tech companies | Blogs, white papers, case studies", "Copywise Content Studio"),
    ("PR for B2B tech brands | Brandwell PR", "Brandwell PR"),
    ("Penetration tester & security consultant | OSCP", "SecureStack"),
    ("Freiberuflicher SAP-Berater | S/4HANA, FI/CO | Verfügbar ab Januar", "Selbstständig"),
    ("Consultant marketing digital indépendant | Growth & Automation", "Indépendant"),
]

JOB_SEEKER_LINES = [
    ("#OpenToWork | Data Analyst | SQL, Python, Tableau", "en"),
    ("Seeking new opportunities in business intelligence", "en"),
    ("Aspiring data scientist | MSc Business Analytics, University of Leeds", "en"),
    ("Recent graduate in Computer Science, looking for my first role in data engineering", "en"),
    ("Former BI Manager at Redwood Retail Co. | Open to new roles in analytics leadership", "en"),
    ("Student at Georgia Tech | Industrial Engineering | Looking for a summer internship", "en"),
    ("Looking for my next challenge in FP&A | CPA", "en"),
    ("Werkstudent gesucht? Student Wirtschaftsinformatik an der TU München", "de"),
    ("Auf der Suche nach einer neuen Herausforderung im Bereich Controlling", "de"),
    ("À la recherche d'une alternance en data analyse | Étudiant en Master MIAGE", "fr"),
    ("En búsqueda activa de empleo | Analista de datos | Power BI", "es"),
    ("Junior Data Analyst | Bootcamp graduate | Open to work", "en"),
]

OTHER_LINES = [
    ("Registered Nurse", "Sunrise Dental Care"), ("Teacher", "St. Anne's Primary School"),
    ("Photographer | Weddings & portraits", ""), ("Real estate agent | Helping families find home", "Lakeside Realty"),
    ("Chef", "Bella Napoli Ristorante"), ("Bus operator", "Metro Transit Authority"),
    ("Personal trainer", "Oakwood Fitness Club"), ("Retired", ""), ("Front Desk Manager", "Harbourview Hotel"),
    ("Pflegefachkraft", "Klinikum Nordstadt"), ("Boulanger", "Boulangerie Martin"),
    ("Higienista dental", "Clínica Dental Sonrisa"), ("Customer Service Representative", "Manila Outsourcing Hub"),
    ("Merchandiser", "Shree Ganesh Textiles"), ("Landscaper and small business owner", "Greenway Landscaping"),
    ("Profesor de matemáticas", "Universidad Autónoma de Valle"), ("Clerk", "City of Springfield"),
]

OTHER_BIOS = [
    "Dad of two. Runner. Coffee first.", "Liverpool till I die ⚽", "Dog mom 🐶 | Netflix | travel",
    "Gamer. Streamer on weekends.", "Just here for the memes", "Teacher by day, baker by night 🍞",
    "Photographer 📷 | Nature lover", "Crypto enthusiast | HODL", "Life is short, eat dessert first",
    "Football, family and good food", "Music is life 🎶", "Living one day at a time",
    "Mama von zwei Kindern | Bergliebe ⛰️", "Passionné de vélo et de cuisine", "Amante del café y los viajes ✈️",
    "Nurse. Night shifts and dark humour.", "",
]

BOT_BIOS = [
    "", "", "", "", "Follow back 100% 💯", "Crypto | NFT | DM for promo 🚀", "Love life, travel and coffee ☕",
    "Earn $500/day from home, link below 👇", "Gifts & giveaways every week 🎁", "Just a simple girl",
    "Entrepreneur | Investor | Forex", "Promoting the best deals online",
]

EMPLOYEE_ROLES = [
    "Senior Data Engineer", "Customer Success Manager", "Account Executive", "Head of Marketing",
    "Software Engineer", "Product Manager", "Solutions Engineer", "Sales Development Representative",
    "VP Sales, EMEA", "Werkstudent Marketing", "Technical Writer", "Head of People",
]

COMPETITOR_ROLES = [
    "Senior Product Manager", "Solutions Engineer", "Head of Growth", "Account Executive, DACH",
    "Chief Executive Officer", "Product Marketing Manager", "Data Scientist",
]

PARTNER_ROLES = [
    "Partner, Data & AI practice", "Senior Consultant", "Alliance Manager", "Managing Director",
    "BI Consultant", "Presales Architect",
]

INFLUENCERS = [
    # (kind, role, company, handle hint, bio)
    ("analyst", "Senior Director Analyst", "Gartner", "", "Covering analytics & BI platforms and data management. Views are my own, not Gartner's."),
    ("analyst", "VP, Principal Analyst", "Forrester", "", "I help CIOs and CDOs make better decisions about analytics and AI. Research, keynotes, advisory."),
    ("analyst", "Research Director, European Data & Analytics", "IDC", "", "Market sizing, forecasts and buyer research on data platforms across Europe."),
    ("analyst", "Principal Analyst", "Constellation Research", "", "Data-to-decisions, BI and the future of work."),
    ("journalist", "Editor", "Data Pipeline Weekly", "", "Editor of Data Pipeline Weekly — the newsletter 40,000 data people read on Mondays. Pitches: DM."),
    ("journalist", "Senior Reporter, Enterprise Software", "The BI Brief", "", "Reporting on enterprise software, funding and the data stack. Tips welcome."),
    ("voice", "Host", "The Data Driven Podcast", "moderndatastackpod", "Host of The Data Driven Podcast 🎙️ 200+ episodes with data leaders."),
    ("voice", "Author & keynote speaker", "Self-employed", "dataviz_dana", "Author of 'Dashboards That Matter'. Data visualization trainer and keynote speaker."),
    ("voice", "Data Advocate", "Self-employed", "sqlwhisperer", "SQL, data modelling and bad puns. 100k+ people learn SQL with my threads."),
    ("voice", "Fractional Chief Data Officer", "Self-employed", "bi_ben_talks", "Writing about BI strategy every week. Former CDO at two retailers."),
    ("voice", "Analytics educator", "Self-employed", "analyticsanna", "Teaching analytics engineering to 30k students. Newsletter every Thursday."),
]

# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------


def ascii_fold(text):
    """'Jürgen Müller' -> 'Jurgen Muller' (for handles and most slugs)."""
    folded = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    return "".join(c for c in folded if not unicodedata.combining(c))


def slugify(text):
    out = []
    for c in ascii_fold(text).lower():
        if c.isalnum():
            out.append(c)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


def region_of(company):
    return company[4]


def person_locale(rng, region):
    lang, places = REGION_NAMES[region]
    location, country = rng.choice(places)
    return lang, location, country


def name_for(rng, lang):
    # A few names from other cultures everywhere, as in real teams.
    pool = lang if rng.random() < 0.8 else rng.choice(list(FIRST_NAMES))
    return rng.choice(FIRST_NAMES[pool]), rng.choice(LAST_NAMES[pool])


def role_text(rng, roles, lang):
    row = rng.choice(roles)
    index = {"en": 0, "de": 1, "fr": 2, "es": 3}[lang]
    # Many Europeans write their title in English anyway.
    if lang != "en" and rng.random() < 0.35:
        index = 0
    return row[index]


def headline(rng, role, company, lang):
    joiner = rng.choice(HEADLINE_JOINERS[lang])
    return joiner.format(role=role, company=company) + rng.choice(HEADLINE_TAILS[lang])


def days_ago(rng, low, high):
    return NOW - dt.timedelta(days=rng.uniform(low, high))


def followed_date(rng, kind):
    """Follow dates over the last ~120 days: a steady trickle, a spike after the October
    webinar, and bought followers arriving in two bursts."""
    if kind == "bot" and rng.random() < 0.7:
        burst = rng.choice([dt.datetime(2026, 9, 14, tzinfo=dt.timezone.utc),
                            dt.datetime(2026, 10, 27, tzinfo=dt.timezone.utc)])
        return burst + dt.timedelta(hours=rng.uniform(0, 30))
    if kind in ("prospect", "customer") and rng.random() < 0.3:
        return dt.datetime(2026, 10, 8, tzinfo=dt.timezone.utc) + dt.timedelta(days=rng.uniform(0, 5))
    return days_ago(rng, 0, 120)


def created_between(rng, first_year, last_year):
    start = dt.datetime(first_year, 1, 1, tzinfo=dt.timezone.utc)
    end = min(dt.datetime(last_year, 12, 31, tzinfo=dt.timezone.utc), NOW - dt.timedelta(days=3))
    return start + (end - start) * rng.random()


def bot_handle(rng, first, last):
    style = rng.randrange(4)
    digits = str(rng.randrange(10_000, 99_999_999))
    base = ascii_fold(first).lower()
    if style == 0:
        return f"{base}{digits}"
    if style == 1:
        return f"{ascii_fold(first)}{ascii_fold(last)[:1]}{digits}"[:15]
    if style == 2:
        return f"{base}_{ascii_fold(last).lower()[:1]}{digits[:5]}"
    return f"{base}{ascii_fold(last).lower()}{digits[:4]}"[:15]


def person_handle(rng, first, last, suffix_words=("data", "bi", "analytics", "dev", "hq", "")):
    first_a = ascii_fold(first).replace(" ", "").replace("'", "")
    last_a = ascii_fold(last).replace(" ", "").replace("'", "")
    style = rng.randrange(5)
    if style == 0:
        handle = f"{first_a}{last_a}"
    elif style == 1:
        handle = f"{first_a.lower()}_{last_a.lower()}"
    elif style == 2:
        handle = f"{first_a[0].lower()}{last_a.lower()}"
    elif style == 3:
        handle = f"{first_a}{last_a[0]}_{rng.choice(suffix_words)}".rstrip("_")
    else:
        handle = f"{first_a.lower()}{last_a.lower()}{rng.randrange(1, 99)}"
    return handle[:15]


def linkedin_slug(rng, first, last):
    base = slugify(f"{first} {last}")
    roll = rng.random()
    if roll < 0.45:
        return f"{base}-{rng.getrandbits(32):08x}"[: len(base) + 9]
    if roll < 0.6:
        return f"{base}-{rng.randrange(10, 999)}"
    if roll < 0.7 and any(ord(c) > 127 for c in first + last):
        # LinkedIn keeps accented vanity names; exports write them percent-encoded.
        return urllib.parse.quote(f"{first}-{last}".lower().replace(" ", "-"))
    return base


# ---------------------------------------------------------------------------------------
# Personas: one function per kind, returning a platform-neutral person.
# ---------------------------------------------------------------------------------------


def base_person(rng, kind, region):
    lang, location, country = person_locale(rng, region)
    first, last = name_for(rng, lang)
    return {
        "kind": kind, "lang": lang, "first": first, "last": last, "name": f"{first} {last}",
        "location": location, "country": country, "headline": "", "title": "", "company": None,
        "about": "", "open_to_work": False, "has_photo": True, "premium": rng.random() < 0.12,
        "connections": rng.choice(["500+", str(rng.randrange(150, 500))]),
        "li_followers": None, "org": False, "verified": False, "handle": None,
    }


def company_role_person(rng, kind, company, roles, region=None):
    p = base_person(rng, kind, region or region_of(company))
    role = role_text(rng, roles, p["lang"]) if isinstance(roles[0], tuple) else rng.choice(roles)
    p["title"] = role
    p["company"] = company
    p["headline"] = headline(rng, role, company[0], p["lang"])
    if rng.random() < 0.4:
        p["about"] = rng.choice(ABOUTS[p["lang"]]).format(
            n=rng.randrange(4, 40), company=company[0], industry=company[2])
    return p


def make_person(rng, kind):
    if kind == "prospect":
        pool = TARGET_ACCOUNTS if rng.random() < 0.55 else ICP_COMPANIES
        company = rng.choice(pool)
        p = company_role_person(rng, kind, company, DECISION_ROLES)
        if company[0] == "Finly" and rng.random() < 0.5:
            p["title"] = "CTO"
            p["headline"] = "CTO | Co-founder @ Finly 🚀"
        return p
    if kind == "staff":  # real people at fitting companies, below the seniority bar
        return company_role_person(rng, kind, rng.choice(TARGET_ACCOUNTS + ICP_COMPANIES), STAFF_ROLES)
    if kind == "customer":
        return company_role_person(rng, kind, rng.choice(CUSTOMERS), DECISION_ROLES + STAFF_ROLES)
    if kind == "partner":
        return company_role_person(rng, kind, rng.choice(PARTNERS), PARTNER_ROLES)
    if kind == "competitor":
        return company_role_person(rng, kind, rng.choice(COMPETITORS), COMPETITOR_ROLES)
    if kind == "employee":
        region = rng.choice(["US", "US", "US", "UK", "DE", "CA"])
        p = company_role_person(rng, kind, OWN_COMPANY, EMPLOYEE_ROLES, region)
        company_word = rng.choice(["Northwind Analytics", "Northwind Analytics", "Northwind", "@NorthwindHQ"])
        p["headline"] = rng.choice([
            f"{p['title']} at {company_word}", f"{p['title']} | {company_word} 📊",
            f"{p['title']} @ {company_word} — we're hiring!",
        ])
        return p
    if kind == "vendor":
        line, employer = rng.choice(VENDOR_LINES)
        region = rng.choice(["US", "UK", "IN", "DE", "US", "FR"])
        p = base_person(rng, kind, region)
        p["headline"] = line
        company = next((c for c in VENDORS if c[0] == employer), None)
        p["company"] = company or (employer, "", "", "", region)
        p["title"] = line.split("|")[0].split(" at ")[0].strip() if company else ""
        p["connections"] = "500+"
        if rng.random() < 0.5:
            p["about"] = ("I help B2B companies grow.\n\n✅ More qualified leads\n✅ Lower cost per acquisition\n"
                          "✅ No long contracts\n\nBook a free 15-minute call 👇")
        return p
    if kind == "job_seeker":
        line, lang = rng.choice(JOB_SEEKER_LINES)
        region = {"en": rng.choice(["US", "UK", "IN", "NG", "CA"]), "de": "DE", "fr": "FR", "es": rng.choice(["ES", "MX"])}[lang]
        p = base_person(rng, kind, region)
        p["headline"] = line
        p["open_to_work"] = rng.random() < 0.8
        p["connections"] = str(rng.randrange(40, 500))
        return p
    if kind == "influencer":
        kind_, role, firm, handle, bio = INFLUENCERS[rng.randrange(len(INFLUENCERS))]
        p = base_person(rng, kind, rng.choice(["US", "UK", "DE", "US"]))
        p["title"] = role
        firm_row = next((c for c in ANALYST_FIRMS if c[0] == firm), None)
        p["company"] = (firm, firm_row[1] if firm_row else "", "Research Services" if kind_ == "analyst" else "Online Audio and Video Media", "", "US")
        p["headline"] = f"{role} at {firm}" if firm != "Self-employed" else f"{role} | {bio.split('.')[0]}"
        p["about"] = bio
        p["li_followers"] = rng.randrange(8_000, 120_000)
        p["connections"] = "500+"
        p["handle"] = handle or None
        return p
    if kind == "other":
        line, employer = rng.choice(OTHER_LINES)
        company = next((c for c in OTHER_EMPLOYERS if c[0] == employer), None)
        p = base_person(rng, kind, region_of(company) if company else rng.choice(["US", "UK", "IN", "PH", "BR"]))
        p["headline"] = f"{line} at {employer}" if employer and rng.random() < 0.6 else line
        p["title"] = line
        p["company"] = company
        p["connections"] = str(rng.randrange(20, 480))
        return p
    if kind == "dormant":
        p = base_person(rng, kind, rng.choice(["US", "UK", "IN", "DE", "FR", "ES", "BR", "PH"]))
        p["headline"] = rng.choice(["", "", "--", "Student", "Employee"]) if rng.random() < 0.7 else ""
        p["has_photo"] = rng.random() < 0.25
        p["connections"] = str(rng.randrange(0, 40))
        p["premium"] = False
        return p
    if kind == "bot":
        p = base_person(rng, kind, rng.choice(["US", "US", "IN", "NG", "PH", "BR", "UK"]))
        p["headline"] = rng.choice(["", "", "CEO at Self-employed", "Entrepreneur | Investor | Crypto",
                                    "Student at Harvard University", "Manager", "Forex trader 💸"])
        p["has_photo"] = rng.random() < 0.35
        p["connections"] = rng.choice(["0", "1", "3", "7", "12", "500+"])
        p["premium"] = False
        return p
    if kind == "company_page":
        company = rng.choice(VENDORS + COMPETITORS[:3] + PARTNERS[:3] + OTHER_EMPLOYERS[:2])
        p = base_person(rng, kind, region_of(company))
        p["org"] = True
        p["name"] = company[0]
        p["company"] = company
        p["headline"] = rng.choice([
            f"{company[0]} | {company[2]}", "We help businesses grow.", f"{company[2]} · {company[3]}",
        ])
        p["connections"] = ""
        p["li_followers"] = rng.randrange(200, 25_000)
        return p
    raise ValueError(kind)


# Intended mix per platform (share of rows). Twitter has more bots and fewer titles.
LINKEDIN_MIX = [
    ("other", 0.22), ("dormant", 0.14), ("bot", 0.05), ("vendor", 0.12), ("job_seeker", 0.08),
    ("employee", 0.05), ("competitor", 0.025), ("customer", 0.05), ("partner", 0.025),
    ("prospect", 0.12), ("staff", 0.07), ("influencer", 0.02), ("company_page", 0.03),
]
TWITTER_MIX = [
    ("other", 0.27), ("dormant", 0.15), ("bot", 0.22), ("vendor", 0.10), ("job_seeker", 0.05),
    ("employee", 0.03), ("competitor", 0.02), ("customer", 0.03), ("partner", 0.01),
    ("prospect", 0.06), ("staff", 0.03), ("influencer", 0.03),
]


def draw_kinds(rng, mix, total):
    """Exactly `total` kinds in the given proportions (largest remainder), shuffled."""
    raw = [(kind, share * total) for kind, share in mix]
    counts = {kind: int(value) for kind, value in raw}
    leftovers = sorted(raw, key=lambda kv: kv[1] - int(kv[1]), reverse=True)
    for kind, _ in leftovers[: total - sum(counts.values())]:
        counts[kind] += 1
    kinds = [kind for kind, _ in mix for _ in range(counts[kind])]
    rng.shuffle(kinds)
    return kinds


# ---------------------------------------------------------------------------------------
# LinkedIn export
# ---------------------------------------------------------------------------------------

LINKEDIN_COLUMNS = [
    "Profile URL", "Full Name", "First Name", "Last Name", "Headline", "Job Title", "Company",
    "Company Domain", "Industry", "Company Size", "Location", "Country", "Connections", "Followers",
    "Followed At", "Open To Work", "Has Photo", "Premium", "About",
]


def linkedin_row(rng, p, used_slugs):
    if p["org"]:
        url = f"https://www.linkedin.com/company/{slugify(p['name'])}/"
        first = last = ""
    else:
        slug = linkedin_slug(rng, p["first"], p["last"])
        if p["kind"] == "influencer" and rng.random() < 0.5:
            slug = rng.choice(INFLUENCER_LINKEDIN)
        while slug in used_slugs:
            slug = f"{slug}-{rng.randrange(10, 99)}"
        used_slugs.add(slug)
        url = f"https://www.linkedin.com/in/{slug}/"
        first, last = p["first"], p["last"]
    company = p["company"]
    enriched = company is not None and p["kind"] not in ("bot", "dormant") and rng.random() < 0.75
    followers = p["li_followers"]
    if followers is None and p["connections"] not in ("", "0"):
        followers = rng.randrange(20, 3_000) if p["connections"] == "500+" else int(p["connections"]) + rng.randrange(0, 60)
    open_to_work = "Yes" if p["open_to_work"] else rng.choice(["No", "No", ""])
    return {
        "Profile URL": url,
        "Full Name": p["name"],
        "First Name": first,
        "Last Name": last,
        "Headline": p["headline"],
        "Job Title": p["title"] if rng.random() < 0.8 else "",
        "Company": company[0] if company and p["kind"] not in ("bot", "dormant") else "",
        "Company Domain": company[1] if enriched else "",
        "Industry": company[2] if enriched else "",
        "Company Size": company[3] if enriched else "",
        "Location": p["location"] if p["kind"] != "bot" or rng.random() < 0.5 else "",
        "Country": p["country"] if rng.random() < 0.7 else "",
        "Connections": p["connections"],
        "Followers": "" if followers is None else str(followers),
        "Followed At": followed_date(rng, p["kind"]).strftime("%Y-%m-%d"),
        "Open To Work": "" if p["org"] else open_to_work,
        "Has Photo": "Yes" if p["has_photo"] else "No",
        "Premium": "" if p["org"] else ("Yes" if p["premium"] else "No"),
        "About": p["about"],
    }


def write_linkedin(rng, total):
    used = set()
    rows = []
    for kind in draw_kinds(rng, LINKEDIN_MIX, total - 2):
        person = make_person(rng, kind)
        # A company page follows once: draw again until the page is a new one.
        while person["org"] and slugify(person["name"]) in used:
            person = make_person(rng, kind)
        if person["org"]:
            used.add(slugify(person["name"]))
        rows.append(linkedin_row(rng, person, used))
    # Private profiles appear in real exports as "LinkedIn Member" with no URL: they cannot
    # be identified, and the importer reports them (a realistic malformed row).
    for position in (57, 211):
        member = {column: "" for column in LINKEDIN_COLUMNS}
        member.update({"Full Name": "LinkedIn Member", "Followed At": days_ago(rng, 0, 120).strftime("%Y-%m-%d")})
        rows.insert(position, member)
    # Excel-style: byte order mark and CRLF line endings, as LinkedIn and most tools write.
    with open(OUT / "followers_linkedin.csv", "w", newline="", encoding="utf-8-sig") as file:
        writer = csv.DictWriter(file, fieldnames=LINKEDIN_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


# ---------------------------------------------------------------------------------------
# X/Twitter
# ---------------------------------------------------------------------------------------

TWITTER_EPOCH_MS = 1288834974657
DEFAULT_AVATAR = "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"
DEFAULT_AVATAR_V1 = "http://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"


def snowflake(rng, when):
    ms = int(when.timestamp() * 1000)
    if ms < TWITTER_EPOCH_MS:
        # Sequential ids before November 2010: roughly 5 million in 2007 to 210 million.
        span = (ms - 1167609600000) / (TWITTER_EPOCH_MS - 1167609600000)
        return int(5_000_000 + span * 205_000_000) + rng.randrange(1000)
    return ((ms - TWITTER_EPOCH_MS) << 22) | rng.getrandbits(22)


def tco(rng):
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return "https://t.co/" + "".join(rng.choice(alphabet) for _ in range(10))


def twitter_person(rng, kind):
    """A person as an X account: counts, dates and a bio that fit the persona."""
    p = make_person(rng, "other" if kind == "company_page" else kind)
    r = rng.randrange
    if kind == "bot":
        created = days_ago(rng, 20, 700)
        counts = dict(posts=r(0, 6), followers=r(0, 26), following=r(800, 4_900), likes=r(0, 21), listed=0)
        p["handle"] = bot_handle(rng, p["first"], p["last"])
        p["display"] = p["handle"] if rng.random() < 0.4 else p["name"]
        p["bio"] = rng.choice(BOT_BIOS)
        p["default_image"] = rng.random() < 0.7
        p["default_profile"] = rng.random() < 0.95
        p["last_status"] = None if counts["posts"] == 0 else days_ago(rng, 5, 300)
        p["site"] = None
    elif kind == "dormant":
        created = created_between(rng, 2009, 2018)
        counts = dict(posts=r(0, 41), followers=r(0, 41), following=r(10, 200), likes=r(0, 51), listed=0)
        p["handle"] = person_handle(rng, p["first"], p["last"], ("",)) if rng.random() < 0.6 else \
            f"{ascii_fold(p['first']).lower()}{created.year % 100:02d}{rng.randrange(10, 99)}"
        p["display"] = p["name"] if rng.random() < 0.8 else p["handle"]
        p["bio"] = ""
        p["default_image"] = rng.random() < 0.45
        p["default_profile"] = rng.random() < 0.8
        p["last_status"] = None if counts["posts"] == 0 else created_between(rng, 2013, 2020)
        p["site"] = None
    else:
        created = created_between(rng, 2009, 2024)
        if kind == "influencer":
            counts = dict(posts=r(3_000, 60_000), followers=r(8_000, 150_000), following=r(300, 3_000),
                          likes=r(5_000, 90_000), listed=r(200, 3_000))
            p["verified"] = rng.random() < 0.5
        elif kind == "vendor":
            counts = dict(posts=r(500, 20_000), followers=r(300, 8_000), following=r(1_000, 5_000),
                          likes=r(1_000, 40_000), listed=r(0, 40))
        elif kind == "other":
            counts = dict(posts=r(100, 15_000), followers=r(50, 2_000), following=r(100, 1_500),
                          likes=r(200, 30_000), listed=r(0, 10))
        elif kind == "job_seeker":
            counts = dict(posts=r(20, 2_000), followers=r(30, 800), following=r(200, 2_000),
                          likes=r(100, 8_000), listed=r(0, 5))
        else:
            counts = dict(posts=r(50, 5_000), followers=r(100, 5_000), following=r(150, 1_200),
                          likes=r(100, 12_000), listed=r(1, 80))
        professional = kind not in ("other", "job_seeker")
        p["handle"] = p["handle"] or person_handle(
            rng, p["first"], p["last"], ("data", "bi", "analytics", "dev", "") if professional else ("",))
        p["display"] = p["name"] + (rng.choice([" 📊", " 🚀", ""]) if kind in ("prospect", "vendor") else "")
        p["bio"] = twitter_bio(rng, p, kind)
        p["default_image"] = rng.random() < 0.03
        p["default_profile"] = rng.random() < 0.3
        p["last_status"] = days_ago(rng, 0, 30) if rng.random() < 0.85 else days_ago(rng, 30, 400)
        company = p["company"]
        p["site"] = f"https://{company[1]}" if company and company[1] and rng.random() < 0.3 else (
            f"https://{slugify(p['name'])}.com" if rng.random() < 0.2 else None)
    p["created"] = created
    p["counts"] = counts
    p["protected"] = kind in ("other", "dormant") and rng.random() < 0.05
    p["id"] = snowflake(rng, created)
    return p


def twitter_bio(rng, p, kind):
    company = p["company"]
    views = rng.choice(["", " Views my own.", " Opinions my own.", " RTs ≠ endorsements."])
    if kind in ("prospect", "customer", "partner", "competitor", "staff", "employee"):
        name = company[0]
        style = rng.randrange(4)
        if style == 0:
            text = f"{p['title']} at {name}.{views}"
        elif style == 1:
            handle = "@" + slugify(name).replace("-", "")[:15]
            text = f"{p['title']} {handle} | {rng.choice(['data nerd', 'coffee', 'dashboards & dogs', 'cycling', 'dad'])}"
        elif style == 2:
            text = f"{p['headline']}\n{rng.choice(['Daten, Fußball, Kaffee ☕', 'SQL > Excel', 'Building things with data', 'Marathoner 🏃'])}"
        else:
            text = f"{p['title']} @ {name} 🚀{views}"
        if kind == "employee":
            text = rng.choice([f"{p['title']} at @NorthwindHQ.{views}", p["headline"], f"{p['title']} @ Northwind Analytics | we're hiring"])
        return text
    if kind == "vendor":
        return p["headline"] + rng.choice(["", "\n📩 DM me", " | Free audit → link below"])
    if kind == "job_seeker":
        return p["headline"]
    if kind == "influencer":
        return p["about"]
    return rng.choice(OTHER_BIOS)


def v2_object(rng, p):
    obj = {
        "id": str(p["id"]),
        "name": p["display"],
        "username": p["handle"],
        "created_at": p["created"].strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "description": p["bio"],
        "location": "" if p["kind"] == "bot" and rng.random() < 0.6 else p["location"],
        "profile_image_url": DEFAULT_AVATAR if p["default_image"] else
        f"https://pbs.twimg.com/profile_images/{snowflake(rng, p['created'])}/{rng.getrandbits(40):010x}_normal.jpg",
        "protected": p["protected"],
        "verified": p["verified"],
        "verified_type": "blue" if p["verified"] else "none",
        "public_metrics": {
            "followers_count": p["counts"]["followers"],
            "following_count": p["counts"]["following"],
            "tweet_count": p["counts"]["posts"],
            "listed_count": p["counts"]["listed"],
            "like_count": p["counts"]["likes"],
        },
    }
    if p["site"]:
        short = tco(rng)
        obj["url"] = short
        obj["entities"] = {"url": {"urls": [{"start": 0, "end": 23, "url": short, "expanded_url": p["site"],
                                             "display_url": p["site"].split("://", 1)[1]}]}}
    else:
        obj["url"] = ""
    return obj


def v11_object(rng, p):
    short = tco(rng) if p["site"] else None
    image = DEFAULT_AVATAR_V1 if p["default_image"] else \
        f"http://pbs.twimg.com/profile_images/{snowflake(rng, p['created'])}/{rng.getrandbits(40):010x}_normal.jpg"
    obj = {
        "id": p["id"],
        "id_str": str(p["id"]),
        "name": p["display"],
        "screen_name": p["handle"],
        "location": "" if p["kind"] == "bot" and rng.random() < 0.6 else p["location"],
        "description": p["bio"],
        "url": short,
        "entities": {
            "description": {"urls": []},
        },
        "protected": p["protected"],
        "followers_count": p["counts"]["followers"],
        "friends_count": p["counts"]["following"],
        "listed_count": p["counts"]["listed"],
        "created_at": p["created"].strftime("%a %b %d %H:%M:%S +0000 %Y"),
        "favourites_count": p["counts"]["likes"],
        "utc_offset": None,
        "time_zone": None,
        "geo_enabled": rng.random() < 0.2,
        "verified": p["verified"],
        "statuses_count": p["counts"]["posts"],
        "lang": None,
        "contributors_enabled": False,
        "is_translator": False,
        "profile_background_color": "F5F8FA" if p["default_profile"] else rng.choice(["000000", "1A1B1F", "C0DEED"]),
        "profile_image_url": image,
        "profile_image_url_https": image.replace("http://", "https://"),
        "profile_link_color": "1DA1F2" if p["default_profile"] else rng.choice(["1B95E0", "E81C4F", "19CF86"]),
        "default_profile": p["default_profile"],
        "default_profile_image": p["default_image"],
        "following": False,
        "follow_request_sent": False,
        "notifications": False,
        "translator_type": "none",
        "withheld_in_countries": [],
    }
    if short:
        obj["entities"]["url"] = {"urls": [{"url": short, "expanded_url": p["site"],
                                            "display_url": p["site"].split("://", 1)[1], "indices": [0, 23]}]}
    if p["last_status"] is not None:
        obj["status"] = {
            "created_at": p["last_status"].strftime("%a %b %d %H:%M:%S +0000 %Y"),
            "id_str": str(snowflake(rng, max(p["last_status"], p["created"]))),
            "text": rng.choice(["Great session today!", "Anyone else going to the conference next week?",
                                "New post is up 👇", "Happy Friday!", "Thread 🧵", "RT if you agree"]),
            "lang": "en",
        }
    return obj


TWITTER_CSV_COLUMNS = [
    "id", "name", "screen_name", "statuses_count", "followers_count", "friends_count", "favourites_count",
    "listed_count", "created_at", "url", "lang", "time_zone", "location", "default_profile",
    "default_profile_image", "geo_enabled", "profile_image_url", "protected", "verified", "description",
    "updated",
]


def csv_row(rng, p):
    flag = lambda value: "1" if value else ""  # noqa: E731 - the research data's boolean style
    v11 = v11_object(rng, p)
    return {
        "id": v11["id_str"],
        "name": p["display"],
        "screen_name": p["handle"],
        "statuses_count": p["counts"]["posts"],
        "followers_count": p["counts"]["followers"],
        "friends_count": p["counts"]["following"],
        "favourites_count": p["counts"]["likes"],
        "listed_count": p["counts"]["listed"],
        "created_at": v11["created_at"],
        "url": v11["url"] or "",
        "lang": p["lang"],
        "time_zone": "",
        "location": v11["location"],
        "default_profile": flag(p["default_profile"]),
        "default_profile_image": flag(p["default_image"]),
        "geo_enabled": flag(v11["geo_enabled"]),
        "profile_image_url": v11["profile_image_url"],
        "protected": flag(p["protected"]),
        "verified": flag(p["verified"]),
        "description": p["bio"],
        "updated": (NOW - dt.timedelta(minutes=rng.randrange(0, 90))).strftime("%Y-%m-%d %H:%M:%S"),
    }


def twitter_people(rng, total, used_handles):
    people = []
    for kind in draw_kinds(rng, TWITTER_MIX, total):
        p = twitter_person(rng, kind)
        while p["handle"].lower() in used_handles:
            p["handle"] = (p["handle"][:12] + str(rng.randrange(10, 999)))[:15]
        used_handles.add(p["handle"].lower())
        people.append(p)
    return people


def write_jsonl(path, objects):
    with open(path, "w", encoding="utf-8", newline="\n") as file:
        for obj in objects:
            file.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")


# ---------------------------------------------------------------------------------------
# Account
# ---------------------------------------------------------------------------------------


def company_set(companies):
    return {"names": [c[0] for c in companies], "domains": [c[1] for c in companies if c[1]]}


def account():
    return {
        "accountId": "northwind-analytics",
        "displayName": "Northwind Analytics",
        "ownCompany": {"names": OWN_ALIASES, "domains": OWN_DOMAINS},
        "customers": company_set(CUSTOMERS),
        "partners": company_set(PARTNERS),
        "vendors": company_set(VENDORS),
        "competitors": company_set(COMPETITORS),
        "targetAccounts": company_set(TARGET_ACCOUNTS),
        "icp": {
            "industries": ["Software", "Financial Services", "Banking", "Insurance", "Manufacturing", "Retail"],
            "minCompanySize": "200",
            "maxCompanySize": "10000",
            "regions": ["North America", "DACH", "UK"],
            "departments": ["DEPARTMENT_IT", "DEPARTMENT_ENGINEERING", "DEPARTMENT_FINANCE", "DEPARTMENT_OPERATIONS"],
            "minSeniority": "SENIORITY_MANAGER",
            "titleKeywords": ["data", "analytics", "BI", "business intelligence", "reporting", "FP&A", "controlling"],
        },
        "influencerHandles": INFLUENCER_TWITTER + INFLUENCER_LINKEDIN,
        "analystFirms": company_set([(name, domain) for name, domain in ANALYST_FIRMS]),
        "platformTotals": [
            {"platform": "PLATFORM_LINKEDIN", "followers": "12400"},
            {"platform": "PLATFORM_TWITTER", "followers": "8100"},
        ],
    }


def main():
    rng = random.Random(SEED)
    with open(OUT / "account.json", "w", encoding="utf-8", newline="\n") as file:
        json.dump(account(), file, ensure_ascii=False, indent=2)
        file.write("\n")
    counts = {"followers_linkedin.csv": write_linkedin(rng, 300)}

    used_handles = set()
    v2 = twitter_people(rng, 250, used_handles)
    write_jsonl(OUT / "followers_twitter_v2.jsonl", [v2_object(rng, p) for p in v2])
    v11 = twitter_people(rng, 250, used_handles)
    write_jsonl(OUT / "followers_twitter_v11.jsonl", [v11_object(rng, p) for p in v11])
    research = twitter_people(rng, 250, used_handles)
    with open(OUT / "followers_twitter.csv", "w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=TWITTER_CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(csv_row(rng, p) for p in research)
    counts.update({"followers_twitter_v2.jsonl": len(v2), "followers_twitter_v11.jsonl": len(v11),
                   "followers_twitter.csv": len(research)})
    for name, rows in counts.items():
        print(f"{name}: {rows} followers")


if __name__ == "__main__":
    main()
