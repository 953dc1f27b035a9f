//! Location understanding: which country a follower is in, from what profiles really say
//! ("Berlin, Germany", "San Francisco Bay Area", "New York, NY", "München", "Madrid,
//! Comunidad de Madrid, España", "🇩🇪", "UK"), and whether that country is in a region an
//! ideal customer profile names ("EMEA", "DACH", "North America", "UK&I", or a country).
//!
//! Owns static tables of about 90 countries (English and native names, ISO alpha-2 and
//! common alpha-3 codes), US states, the main subdivisions of the largest markets, about
//! 250 business cities, and the sales regions. Lookups hash into tables built once; the
//! only allocation per call is folding the input text. It does not geocode, and it does not
//! guess: "Remote", "Worldwide" and "🌍" have no country.
//!
//! Decisions: a two-letter part after a city ("Austin, TX", "Wilmington, DE") is read as a
//! US state or Canadian province code unless another part names a place ("Berlin, DE" is
//! Germany); a lone two-letter code is ISO ("CA" is Canada). "Georgia" alone is the US
//! state; with a Georgian city it is the country. "NA" in a region list is North America,
//! not Namibia, and North America is US + CA (Mexico is LATAM, as sales territories cut it).

use std::sync::LazyLock;

use super::text::{FastMap, tokenize};

// The place tables keep one country per line so a reviewer can scan them; rustfmt would
// put every name on its own line and quadruple the file.

/// Countries: ISO 3166-1 alpha-2 code, then names and codes people write.
#[rustfmt::skip]
const COUNTRIES: &[(&str, &[&str])] = &[
    ("US", &["United States", "United States of America", "USA", "U.S.", "U.S.A.", "America", "Estados Unidos", "EEUU", "EE.UU.", "États-Unis", "Vereinigte Staaten", "Stati Uniti"]),
    ("GB", &["United Kingdom", "UK", "U.K.", "Great Britain", "Britain", "England", "Scotland", "Wales", "Northern Ireland", "GBR", "Reino Unido", "Royaume-Uni", "Vereinigtes Königreich", "Großbritannien", "Regno Unito"]),
    ("DE", &["Germany", "Deutschland", "Allemagne", "Alemania", "Germania", "DEU", "GER", "Bundesrepublik Deutschland"]),
    ("FR", &["France", "Francia", "Frankreich", "FRA"]),
    ("ES", &["Spain", "España", "Espagne", "Spanien", "Spagna", "ESP"]),
    ("IT", &["Italy", "Italia", "Italie", "Italien", "ITA"]),
    ("NL", &["Netherlands", "The Netherlands", "Nederland", "Holland", "Pays-Bas", "Países Bajos", "Niederlande", "NLD"]),
    ("BE", &["Belgium", "Belgique", "België", "Belgien", "Bélgica", "BEL"]),
    ("LU", &["Luxembourg", "Luxemburg", "Luxemburgo", "LUX"]),
    ("CH", &["Switzerland", "Schweiz", "Suisse", "Svizzera", "Suiza", "CHE"]),
    ("AT", &["Austria", "Österreich", "Autriche", "AUT"]),
    ("IE", &["Ireland", "Republic of Ireland", "Éire", "Irlanda", "Irlande", "Irland", "IRL"]),
    ("PT", &["Portugal", "PRT"]),
    ("SE", &["Sweden", "Sverige", "Suecia", "Suède", "Schweden", "SWE"]),
    ("NO", &["Norway", "Norge", "Noruega", "Norvège", "Norwegen", "NOR"]),
    ("DK", &["Denmark", "Danmark", "Dinamarca", "Danemark", "Dänemark", "DNK"]),
    ("FI", &["Finland", "Suomi", "Finlandia", "Finlande", "Finnland", "FIN"]),
    ("IS", &["Iceland", "Ísland", "Islandia"]),
    ("PL", &["Poland", "Polska", "Polonia", "Pologne", "Polen", "POL"]),
    ("CZ", &["Czech Republic", "Czechia", "Česko", "Česká republika", "República Checa", "Tschechien"]),
    ("SK", &["Slovakia", "Slovensko", "Slowakei"]),
    ("HU", &["Hungary", "Magyarország", "Hungría", "Ungarn"]),
    ("RO", &["Romania", "România", "Rumania", "Rumänien", "Roumanie"]),
    ("BG", &["Bulgaria", "Bulgarien"]),
    ("GR", &["Greece", "Hellas", "Ellada", "Grecia", "Griechenland", "Grèce"]),
    ("HR", &["Croatia", "Hrvatska", "Croacia", "Kroatien"]),
    ("SI", &["Slovenia", "Slovenija", "Slowenien"]),
    ("RS", &["Serbia", "Srbija", "Serbien"]),
    ("BA", &["Bosnia and Herzegovina", "Bosnia"]),
    ("MK", &["North Macedonia", "Macedonia"]),
    ("AL", &["Albania"]),
    ("MD", &["Moldova"]),
    ("BY", &["Belarus"]),
    ("UA", &["Ukraine", "Україна", "Ucrania"]),
    ("RU", &["Russia", "Russian Federation", "Россия", "Rusia", "Russland", "Russie"]),
    ("EE", &["Estonia", "Eesti", "Estland"]),
    ("LV", &["Latvia", "Latvija", "Lettland"]),
    ("LT", &["Lithuania", "Lietuva", "Litauen"]),
    ("CY", &["Cyprus", "Chypre", "Zypern"]),
    ("MT", &["Malta"]),
    ("TR", &["Turkey", "Türkiye", "Turquía", "Türkei", "Turquie", "TUR"]),
    ("GE", &["Sakartvelo", "Republic of Georgia"]),
    ("AM", &["Armenia"]),
    ("KZ", &["Kazakhstan"]),
    ("IL", &["Israel", "ISR"]),
    ("AE", &["United Arab Emirates", "UAE", "U.A.E.", "Emirates", "Emiratos Árabes Unidos", "Émirats arabes unis"]),
    ("SA", &["Saudi Arabia", "KSA", "Kingdom of Saudi Arabia", "Arabia Saudita"]),
    ("QA", &["Qatar"]),
    ("KW", &["Kuwait"]),
    ("BH", &["Bahrain"]),
    ("OM", &["Oman"]),
    ("JO", &["Jordan"]),
    ("LB", &["Lebanon"]),
    ("EG", &["Egypt", "Egipto", "Ägypten", "Égypte"]),
    ("MA", &["Morocco", "Maroc", "Marruecos", "Marokko"]),
    ("TN", &["Tunisia", "Tunisie"]),
    ("DZ", &["Algeria", "Algérie"]),
    ("ZA", &["South Africa", "RSA", "Sudáfrica", "Afrique du Sud", "Südafrika"]),
    ("NG", &["Nigeria"]),
    ("KE", &["Kenya"]),
    ("GH", &["Ghana"]),
    ("ET", &["Ethiopia"]),
    ("RW", &["Rwanda"]),
    ("UG", &["Uganda"]),
    ("TZ", &["Tanzania"]),
    ("CI", &["Ivory Coast", "Côte d'Ivoire"]),
    ("SN", &["Senegal", "Sénégal"]),
    ("IN", &["India", "Bharat", "IND"]),
    ("PK", &["Pakistan", "PAK"]),
    ("BD", &["Bangladesh"]),
    ("LK", &["Sri Lanka"]),
    ("NP", &["Nepal"]),
    ("CN", &["China", "PRC", "People's Republic of China", "中国", "Chine", "CHN"]),
    ("HK", &["Hong Kong", "Hong Kong SAR", "HKG"]),
    ("TW", &["Taiwan", "TWN"]),
    ("JP", &["Japan", "Nippon", "日本", "Japón", "Japon", "JPN"]),
    ("KR", &["South Korea", "Korea", "Republic of Korea", "KOR", "대한민국"]),
    ("SG", &["Singapore", "Singapur", "SGP"]),
    ("MY", &["Malaysia", "MYS"]),
    ("ID", &["Indonesia", "IDN"]),
    ("TH", &["Thailand", "THA"]),
    ("VN", &["Vietnam", "Viet Nam", "VNM"]),
    ("PH", &["Philippines", "Filipinas", "PHL"]),
    ("MM", &["Myanmar"]),
    ("KH", &["Cambodia"]),
    ("AU", &["Australia", "AUS"]),
    ("NZ", &["New Zealand", "Aotearoa", "NZL"]),
    ("CA", &["Canada", "Kanada", "Canadá", "CAN"]),
    ("MX", &["Mexico", "México", "Mexiko", "Mexique", "MEX"]),
    ("BR", &["Brazil", "Brasil", "Brésil", "Brasilien", "BRA"]),
    ("AR", &["Argentina", "Argentine", "Argentinien", "ARG"]),
    ("CL", &["Chile", "Chili", "CHL"]),
    ("CO", &["Colombia", "Kolumbien", "Colombie", "COL"]),
    ("PE", &["Peru", "Perú", "Pérou", "PER"]),
    ("UY", &["Uruguay"]),
    ("VE", &["Venezuela"]),
    ("EC", &["Ecuador"]),
    ("BO", &["Bolivia"]),
    ("PY", &["Paraguay"]),
    ("CR", &["Costa Rica"]),
    ("PA", &["Panama", "Panamá"]),
    ("GT", &["Guatemala"]),
    ("SV", &["El Salvador"]),
    ("HN", &["Honduras"]),
    ("NI", &["Nicaragua"]),
    ("DO", &["Dominican Republic", "República Dominicana"]),
    ("PR", &["Puerto Rico"]),
    ("JM", &["Jamaica"]),
    ("TT", &["Trinidad and Tobago", "Trinidad"]),
];

/// US states and DC: name, postal code.
#[rustfmt::skip]
const US_STATES: &[(&str, &str)] = &[
    ("Alabama", "AL"), ("Alaska", "AK"), ("Arizona", "AZ"), ("Arkansas", "AR"),
    ("California", "CA"), ("Colorado", "CO"), ("Connecticut", "CT"), ("Delaware", "DE"),
    ("District of Columbia", "DC"), ("Florida", "FL"), ("Georgia", "GA"), ("Hawaii", "HI"),
    ("Idaho", "ID"), ("Illinois", "IL"), ("Indiana", "IN"), ("Iowa", "IA"), ("Kansas", "KS"),
    ("Kentucky", "KY"), ("Louisiana", "LA"), ("Maine", "ME"), ("Maryland", "MD"),
    ("Massachusetts", "MA"), ("Michigan", "MI"), ("Minnesota", "MN"), ("Mississippi", "MS"),
    ("Missouri", "MO"), ("Montana", "MT"), ("Nebraska", "NE"), ("Nevada", "NV"),
    ("New Hampshire", "NH"), ("New Jersey", "NJ"), ("New Mexico", "NM"), ("New York", "NY"),
    ("North Carolina", "NC"), ("North Dakota", "ND"), ("Ohio", "OH"), ("Oklahoma", "OK"),
    ("Oregon", "OR"), ("Pennsylvania", "PA"), ("Rhode Island", "RI"),
    ("South Carolina", "SC"), ("South Dakota", "SD"), ("Tennessee", "TN"), ("Texas", "TX"),
    ("Utah", "UT"), ("Vermont", "VT"), ("Virginia", "VA"), ("Washington", "WA"),
    ("West Virginia", "WV"), ("Wisconsin", "WI"), ("Wyoming", "WY"),
];

/// Canadian province codes that are not also ISO country codes people use on their own.
const CA_PROVINCE_CODES: &[&str] = &["ON", "BC", "QC", "AB", "MB", "NS", "NB"];

/// Subdivisions and cities: ISO code, then the places people name.
#[rustfmt::skip]
const PLACES: &[(&str, &[&str])] = &[
    ("US", &[
        "New York City", "NYC", "Manhattan", "Brooklyn", "San Francisco", "SF", "San Francisco Bay Area", "Bay Area", "SF Bay Area", "Silicon Valley", "Los Angeles", "LA", "Chicago", "Boston", "Seattle", "Austin", "Dallas", "Houston", "Denver", "Atlanta", "Miami", "Washington DC", "Washington D.C.", "D.C.", "Philadelphia", "Phoenix", "San Diego", "San Jose", "Palo Alto", "Mountain View", "Menlo Park", "Sunnyvale", "Santa Clara", "Oakland", "Portland", "Minneapolis", "Detroit", "Pittsburgh", "Nashville", "Charlotte", "Raleigh", "Durham", "Salt Lake City", "Las Vegas", "Orlando", "Tampa", "St. Louis", "Kansas City", "Columbus", "Cleveland", "Cincinnati", "Indianapolis", "Milwaukee", "Baltimore", "Sacramento", "Boulder", "Irvine", "Scottsdale", "Jersey City", "Newark", "Stamford", "Greenwich", "Cambridge, MA", "Tri-State Area", "DMV",
    ]),
    ("GB", &[
        "London", "Manchester", "Birmingham", "Leeds", "Glasgow", "Edinburgh", "Bristol", "Liverpool", "Cambridge", "Oxford", "Cardiff", "Belfast", "Reading", "Newcastle", "Newcastle upon Tyne", "Nottingham", "Sheffield", "Brighton", "Southampton", "Milton Keynes", "Aberdeen", "Leicester",
    ]),
    ("DE", &[
        "Berlin", "München", "Munich", "Muenchen", "Hamburg", "Frankfurt", "Frankfurt am Main", "Köln", "Cologne", "Koeln", "Düsseldorf", "Duesseldorf", "Stuttgart", "Leipzig", "Dresden", "Hannover", "Hanover", "Nürnberg", "Nuremberg", "Bremen", "Essen", "Dortmund", "Bonn", "Karlsruhe", "Mannheim", "Heidelberg", "Walldorf", "Augsburg", "Bielefeld", "Münster", "Aachen", "Wiesbaden", "Mainz", "Freiburg", "Bayern", "Bavaria", "Baden-Württemberg", "Nordrhein-Westfalen", "NRW", "North Rhine-Westphalia", "Hessen", "Hesse", "Niedersachsen", "Lower Saxony", "Sachsen", "Saxony", "Brandenburg", "Schleswig-Holstein", "Rheinland-Pfalz", "Thüringen", "Rhein-Main", "Ruhrgebiet",
    ]),
    ("FR", &[
        "Paris", "Lyon", "Marseille", "Toulouse", "Nice", "Nantes", "Bordeaux", "Lille", "Strasbourg", "Montpellier", "Rennes", "Grenoble", "Sophia Antipolis", "La Défense", "Île-de-France", "Ile de France", "Auvergne-Rhône-Alpes", "Provence-Alpes-Côte d'Azur", "Occitanie", "Nouvelle-Aquitaine", "Hauts-de-France", "Bretagne", "Brittany", "Grand Est", "Pays de la Loire", "Normandie", "Normandy",
    ]),
    ("ES", &[
        "Madrid", "Barcelona", "Valencia", "Sevilla", "Seville", "Málaga", "Bilbao", "Zaragoza", "Palma", "Palma de Mallorca", "Alicante", "Las Palmas", "Comunidad de Madrid", "Community of Madrid", "Cataluña", "Catalunya", "Catalonia", "Andalucía", "Andalusia", "País Vasco", "Basque Country", "Comunidad Valenciana", "Galicia", "Islas Baleares", "Canarias", "Canary Islands",
    ]),
    ("IT", &[
        "Milano", "Milan", "Roma", "Rome", "Torino", "Turin", "Napoli", "Naples", "Bologna", "Firenze", "Florence", "Genova", "Genoa", "Venezia", "Venice", "Padova", "Verona", "Lombardia", "Lombardy", "Lazio", "Piemonte", "Piedmont", "Veneto", "Emilia-Romagna", "Toscana", "Tuscany",
    ]),
    ("NL", &["Amsterdam", "Rotterdam", "The Hague", "Den Haag", "Utrecht", "Eindhoven", "Groningen", "Leiden", "Delft", "Haarlem", "Amstelveen", "Noord-Holland", "North Holland", "Zuid-Holland", "South Holland", "Randstad"]),
    ("BE", &["Brussels", "Bruxelles", "Brussel", "Antwerp", "Antwerpen", "Anvers", "Ghent", "Gent", "Gand", "Leuven", "Louvain", "Liège", "Flanders", "Vlaanderen", "Wallonia", "Wallonie"]),
    ("CH", &["Zürich", "Zurich", "Zuerich", "Geneva", "Genève", "Genf", "Basel", "Bâle", "Bern", "Berne", "Lausanne", "Zug", "Lugano", "Luzern", "Lucerne", "Winterthur", "St. Gallen"]),
    ("AT", &["Wien", "Vienna", "Vienne", "Graz", "Linz", "Salzburg", "Innsbruck", "Klagenfurt"]),
    ("IE", &["Dublin", "Cork", "Galway", "Limerick"]),
    ("PT", &["Lisbon", "Lisboa", "Porto", "Oporto", "Braga", "Coimbra"]),
    ("SE", &["Stockholm", "Gothenburg", "Göteborg", "Malmö", "Uppsala"]),
    ("NO", &["Oslo", "Bergen", "Trondheim", "Stavanger"]),
    ("DK", &["Copenhagen", "København", "Aarhus", "Odense"]),
    ("FI", &["Helsinki", "Espoo", "Tampere", "Turku", "Oulu"]),
    ("IS", &["Reykjavik", "Reykjavík"]),
    ("PL", &["Warsaw", "Warszawa", "Kraków", "Krakow", "Cracow", "Wrocław", "Wroclaw", "Gdańsk", "Gdansk", "Poznań", "Poznan", "Łódź", "Lodz", "Katowice"]),
    ("CZ", &["Prague", "Praha", "Prag", "Brno", "Ostrava"]),
    ("SK", &["Bratislava", "Košice"]),
    ("HU", &["Budapest", "Debrecen"]),
    ("RO", &["Bucharest", "București", "Bucuresti", "Cluj-Napoca", "Cluj", "Timișoara", "Iași"]),
    ("BG", &["Sofia", "Plovdiv", "Varna"]),
    ("GR", &["Athens", "Athina", "Thessaloniki"]),
    ("HR", &["Zagreb", "Split"]),
    ("SI", &["Ljubljana"]),
    ("RS", &["Belgrade", "Beograd", "Novi Sad"]),
    ("UA", &["Kyiv", "Kiev", "Lviv", "Kharkiv", "Odesa", "Odessa", "Dnipro"]),
    ("RU", &["Moscow", "Moskva", "Saint Petersburg", "St. Petersburg"]),
    ("EE", &["Tallinn", "Tartu"]),
    ("LV", &["Riga"]),
    ("LT", &["Vilnius", "Kaunas"]),
    ("CY", &["Limassol", "Nicosia", "Larnaca"]),
    ("MT", &["Valletta", "Sliema"]),
    ("TR", &["Istanbul", "İstanbul", "Ankara", "Izmir", "İzmir"]),
    ("GE", &["Tbilisi", "Batumi"]),
    ("AM", &["Yerevan"]),
    ("KZ", &["Almaty", "Astana"]),
    ("IL", &["Tel Aviv", "Tel Aviv-Yafo", "Jerusalem", "Haifa", "Herzliya", "Ra'anana", "Petah Tikva"]),
    ("AE", &["Dubai", "Abu Dhabi", "Sharjah"]),
    ("SA", &["Riyadh", "Jeddah", "Dammam", "Khobar"]),
    ("QA", &["Doha"]),
    ("BH", &["Manama"]),
    ("OM", &["Muscat"]),
    ("JO", &["Amman"]),
    ("LB", &["Beirut"]),
    ("EG", &["Cairo", "Alexandria", "Giza"]),
    ("MA", &["Casablanca", "Rabat", "Marrakech", "Marrakesh", "Tangier"]),
    ("TN", &["Tunis"]),
    ("DZ", &["Algiers", "Alger"]),
    ("ZA", &["Johannesburg", "Cape Town", "Durban", "Pretoria", "Sandton", "Gauteng", "Western Cape"]),
    ("NG", &["Lagos", "Abuja"]),
    ("KE", &["Nairobi", "Mombasa"]),
    ("GH", &["Accra"]),
    ("ET", &["Addis Ababa"]),
    ("RW", &["Kigali"]),
    ("UG", &["Kampala"]),
    ("TZ", &["Dar es Salaam"]),
    ("SN", &["Dakar"]),
    ("IN", &["Mumbai", "Bombay", "Bangalore", "Bengaluru", "Delhi", "New Delhi", "Delhi NCR", "NCR", "Gurgaon", "Gurugram", "Noida", "Hyderabad", "Chennai", "Pune", "Kolkata", "Ahmedabad", "Jaipur", "Kochi", "Chandigarh", "Indore", "Coimbatore", "Maharashtra", "Karnataka", "Tamil Nadu", "Telangana", "Gujarat", "Haryana", "Kerala", "Uttar Pradesh", "West Bengal", "Rajasthan"]),
    ("PK", &["Karachi", "Lahore", "Islamabad"]),
    ("BD", &["Dhaka"]),
    ("LK", &["Colombo"]),
    ("NP", &["Kathmandu"]),
    ("CN", &["Beijing", "Shanghai", "Shenzhen", "Guangzhou", "Hangzhou", "Chengdu", "Nanjing", "Wuhan", "Suzhou"]),
    ("HK", &["Kowloon"]),
    ("TW", &["Taipei", "Hsinchu", "Taichung"]),
    ("JP", &["Tokyo", "Osaka", "Kyoto", "Yokohama", "Nagoya", "Fukuoka"]),
    ("KR", &["Seoul", "Busan", "Incheon", "Seongnam", "Pangyo"]),
    ("MY", &["Kuala Lumpur", "KL", "Penang", "Petaling Jaya", "Cyberjaya"]),
    ("ID", &["Jakarta", "Surabaya", "Bandung", "Bali"]),
    ("TH", &["Bangkok", "Chiang Mai"]),
    ("VN", &["Ho Chi Minh City", "Saigon", "Hanoi", "Ha Noi", "Da Nang"]),
    ("PH", &["Manila", "Metro Manila", "Makati", "Cebu", "Taguig", "Quezon City"]),
    ("AU", &["Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide", "Canberra", "Gold Coast", "Hobart", "New South Wales", "NSW", "Victoria", "Queensland", "Western Australia", "South Australia", "Tasmania", "Australian Capital Territory", "ACT"]),
    ("NZ", &["Auckland", "Wellington", "Christchurch"]),
    ("CA", &["Toronto", "Vancouver", "Montreal", "Montréal", "Calgary", "Ottawa", "Edmonton", "Waterloo", "Kitchener", "Quebec City", "Winnipeg", "Halifax", "Mississauga", "Ontario", "Quebec", "Québec", "British Columbia", "Alberta", "Manitoba", "Saskatchewan", "Nova Scotia", "New Brunswick", "Greater Toronto Area", "GTA"]),
    ("MX", &["Mexico City", "Ciudad de México", "CDMX", "Guadalajara", "Monterrey", "Puebla", "Querétaro", "Tijuana"]),
    ("BR", &["São Paulo", "Sao Paulo", "Rio de Janeiro", "Belo Horizonte", "Brasília", "Curitiba", "Porto Alegre", "Florianópolis", "Recife", "Campinas"]),
    ("AR", &["Buenos Aires", "Córdoba", "Rosario", "Mendoza", "CABA"]),
    ("CL", &["Santiago", "Santiago de Chile", "Valparaíso"]),
    ("CO", &["Bogotá", "Bogota", "Medellín", "Medellin", "Cali", "Barranquilla"]),
    ("PE", &["Lima"]),
    ("UY", &["Montevideo"]),
    ("VE", &["Caracas"]),
    ("EC", &["Quito", "Guayaquil"]),
    ("CR", &["San José, Costa Rica"]),
    ("GT", &["Guatemala City"]),
    ("DO", &["Santo Domingo"]),
    ("PR", &["San Juan"]),
];

/// How sure a hit is: a country name beats a place, a place beats an ambiguous code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    /// "Georgia" (the US state or the country), "DE" after a city (Delaware or Germany).
    Ambiguous,
    Place,
    Country,
}

#[derive(Debug, Clone, Copy)]
struct Hit {
    country: &'static str,
    strength: Strength,
}

struct Tables {
    /// Folded names of countries, states and places.
    names: FastMap<String, Hit>,
    /// Lower-case ISO alpha-2 codes.
    iso: FastMap<String, &'static str>,
    us_states: FastMap<String, ()>,
    ca_provinces: FastMap<String, ()>,
}

fn folded_key(raw: &str) -> String {
    tokenize(raw)
        .replace(['|', '&', '@'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let mut names: FastMap<String, Hit> = FastMap::default();
    let mut add = |name: &str, country: &'static str, strength: Strength| {
        let key = folded_key(name);
        let hit = Hit { country, strength };
        // The stronger meaning wins; on a tie the first listed.
        names
            .entry(key)
            .and_modify(|h| {
                if strength > h.strength {
                    *h = hit;
                }
            })
            .or_insert(hit);
    };
    for (code, aliases) in COUNTRIES {
        for alias in *aliases {
            add(alias, code, Strength::Country);
        }
    }
    for (name, _) in US_STATES {
        let strength = if *name == "Georgia" {
            Strength::Ambiguous
        } else {
            Strength::Place
        };
        add(name, "US", strength);
    }
    for (code, places) in PLACES {
        for place in *places {
            add(place, code, Strength::Place);
        }
    }
    let iso = COUNTRIES
        .iter()
        .map(|(code, _)| (code.to_ascii_lowercase(), *code))
        .collect();
    let us_states = US_STATES
        .iter()
        .map(|(_, code)| (code.to_ascii_lowercase(), ()))
        .collect();
    let ca_provinces = CA_PROVINCE_CODES
        .iter()
        .map(|code| (code.to_ascii_lowercase(), ()))
        .collect();
    Tables {
        names,
        iso,
        us_states,
        ca_provinces,
    }
});

/// Words around a place name that do not change the place.
const DECORATION_PREFIXES: &[&str] = &["greater ", "grand ", "metropolitan ", "metro ", "region "];
const DECORATION_SUFFIXES: &[&str] = &[
    " metropolitan area",
    " metro area",
    " metropolitan region",
    " bay area",
    " area",
    " metro",
    " region",
    " city",
];

fn lookup_name(tables: &Tables, part: &str) -> Option<Hit> {
    if let Some(hit) = tables.names.get(part) {
        return Some(*hit);
    }
    let mut stripped = part;
    for prefix in DECORATION_PREFIXES {
        stripped = stripped.strip_prefix(prefix).unwrap_or(stripped);
    }
    for suffix in DECORATION_SUFFIXES {
        if let Some(s) = stripped.strip_suffix(suffix) {
            stripped = s;
            break;
        }
    }
    if stripped.len() < part.len() {
        return tables.names.get(stripped).copied();
    }
    None
}

/// One comma-separated part of a location.
fn lookup_part(tables: &Tables, part: &str, after_first: bool) -> Option<Hit> {
    if let Some(hit) = lookup_name(tables, part) {
        return Some(hit);
    }
    if part.len() != 2 {
        return None;
    }
    let iso = tables.iso.get(part).copied();
    // "Austin, TX", "Toronto, ON": a code after a city is a state or province.
    if after_first && tables.us_states.contains_key(part) {
        let strength = if iso.is_some() {
            Strength::Ambiguous
        } else {
            Strength::Place
        };
        return Some(Hit {
            country: "US",
            strength,
        });
    }
    if after_first && tables.ca_provinces.contains_key(part) {
        return Some(Hit {
            country: "CA",
            strength: Strength::Place,
        });
    }
    iso.map(|country| Hit {
        country,
        strength: Strength::Place,
    })
}

/// A flag emoji ("🇩🇪") names its country: two regional indicator symbols.
fn flag_country(raw: &str) -> Option<&'static str> {
    let mut previous: Option<u8> = None;
    for c in raw.chars() {
        let cp = u32::from(c);
        if !(0x1F1E6..=0x1F1FF).contains(&cp) {
            previous = None;
            continue;
        }
        let letter = b'A' + u8::try_from(cp - 0x1F1E6).ok()?;
        match previous.take() {
            None => previous = Some(letter),
            Some(first) => {
                let code = [first, letter];
                if let Some((found, _)) = COUNTRIES.iter().find(|(c, _)| c.as_bytes() == code) {
                    return Some(found);
                }
            }
        }
    }
    None
}

/// The ISO 3166-1 alpha-2 code of the country a location or country field names, or `None`
/// when it names none ("Remote", "Worldwide", "🌍", "").
pub fn country_of(location_or_country: &str) -> Option<&'static str> {
    if let Some(code) = flag_country(location_or_country) {
        return Some(code);
    }
    let tables = &*TABLES;
    let folded = tokenize(location_or_country);
    // Read twice at most, split again rather than collected: most fields have one part.
    let parts = || {
        folded
            .split(['|', '&', '@'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
    };
    let mut best: Option<Hit> = None;
    for (i, part) in parts().enumerate() {
        if let Some(hit) = lookup_part(tables, part, i > 0) {
            // The strongest part wins; on a tie the later one ("Paris, Texas").
            if best.is_none_or(|b| hit.strength >= b.strength) {
                best = Some(hit);
            }
        }
    }
    if let Some(hit) = best {
        return Some(hit.country);
    }
    // Free text ("Living in Berlin", "Based in NYC and Remote"): the longest known place
    // name among the words, codes excluded (they are ordinary words in a sentence).
    for part in parts() {
        let words: Vec<(usize, usize)> = word_spans(part);
        for n in (1..=3.min(words.len())).rev() {
            for window in words.windows(n) {
                let span = &part[window[0].0..window[n - 1].1];
                if span.len() <= 3 {
                    continue;
                }
                if let Some(hit) = tables.names.get(span) {
                    return Some(hit.country);
                }
            }
        }
    }
    None
}

/// Byte spans of the space-separated words of a folded part.
fn word_spans(part: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = 0;
    for (i, c) in part.char_indices() {
        if c == ' ' {
            if i > start {
                spans.push((start, i));
            }
            start = i + 1;
        }
    }
    if part.len() > start {
        spans.push((start, part.len()));
    }
    spans
}

/// A named group of countries that ideal customer profiles target.
#[derive(Debug, PartialEq, Eq)]
pub struct Region {
    pub name: &'static str,
    countries: &'static [&'static str],
    everywhere: bool,
}

const DACH: &[&str] = &["DE", "AT", "CH"];
const BENELUX: &[&str] = &["BE", "NL", "LU"];
const NORDICS: &[&str] = &["SE", "NO", "DK", "FI", "IS"];
const UKI: &[&str] = &["GB", "IE"];
const EUROPE: &[&str] = &[
    "GB", "IE", "FR", "DE", "NL", "BE", "LU", "CH", "AT", "ES", "PT", "IT", "SE", "NO", "DK", "FI",
    "IS", "PL", "CZ", "SK", "HU", "RO", "BG", "GR", "HR", "SI", "RS", "BA", "MK", "AL", "MD", "BY",
    "UA", "RU", "EE", "LV", "LT", "CY", "MT",
];
const EU: &[&str] = &[
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
];
const CEE: &[&str] = &[
    "PL", "CZ", "SK", "HU", "RO", "BG", "HR", "SI", "RS", "BA", "MK", "AL", "MD", "BY", "UA", "EE",
    "LV", "LT",
];
const MIDDLE_EAST: &[&str] = &["AE", "SA", "QA", "KW", "BH", "OM", "IL", "JO", "LB", "TR"];
const GCC: &[&str] = &["AE", "SA", "QA", "KW", "BH", "OM"];
const MENA: &[&str] = &[
    "AE", "SA", "QA", "KW", "BH", "OM", "IL", "JO", "LB", "TR", "EG", "MA", "TN", "DZ",
];
const AFRICA: &[&str] = &[
    "ZA", "NG", "KE", "GH", "EG", "MA", "TN", "DZ", "ET", "RW", "UG", "TZ", "CI", "SN",
];
const EMEA: &[&str] = &[
    "GB", "IE", "FR", "DE", "NL", "BE", "LU", "CH", "AT", "ES", "PT", "IT", "SE", "NO", "DK", "FI",
    "IS", "PL", "CZ", "SK", "HU", "RO", "BG", "GR", "HR", "SI", "RS", "BA", "MK", "AL", "MD", "BY",
    "UA", "RU", "EE", "LV", "LT", "CY", "MT", "TR", "GE", "AM", "KZ", "IL", "AE", "SA", "QA", "KW",
    "BH", "OM", "JO", "LB", "EG", "MA", "TN", "DZ", "ZA", "NG", "KE", "GH", "ET", "RW", "UG", "TZ",
    "CI", "SN",
];
const NORTH_AMERICA: &[&str] = &["US", "CA"];
const LATAM: &[&str] = &[
    "MX", "BR", "AR", "CL", "CO", "PE", "UY", "VE", "EC", "BO", "PY", "CR", "PA", "GT", "SV", "HN",
    "NI", "DO", "PR", "JM", "TT",
];
const SOUTH_AMERICA: &[&str] = &["BR", "AR", "CL", "CO", "PE", "UY", "VE", "EC", "BO", "PY"];
const AMERICAS: &[&str] = &[
    "US", "CA", "MX", "BR", "AR", "CL", "CO", "PE", "UY", "VE", "EC", "BO", "PY", "CR", "PA", "GT",
    "SV", "HN", "NI", "DO", "PR", "JM", "TT",
];
const APAC: &[&str] = &[
    "AU", "NZ", "JP", "CN", "HK", "TW", "KR", "SG", "MY", "ID", "TH", "VN", "PH", "IN", "PK", "BD",
    "LK", "NP", "MM", "KH",
];
const ASIA: &[&str] = &[
    "JP", "CN", "HK", "TW", "KR", "SG", "MY", "ID", "TH", "VN", "PH", "IN", "PK", "BD", "LK", "NP",
    "MM", "KH", "KZ",
];
const SOUTHEAST_ASIA: &[&str] = &["SG", "MY", "ID", "TH", "VN", "PH", "MM", "KH"];
const ANZ: &[&str] = &["AU", "NZ"];

const fn region(name: &'static str, countries: &'static [&'static str]) -> Region {
    Region {
        name,
        countries,
        everywhere: false,
    }
}

#[rustfmt::skip]
static REGIONS: &[(&[&str], Region)] = &[
    (&["DACH", "D-A-CH"], region("DACH", DACH)),
    (&["Benelux"], region("Benelux", BENELUX)),
    (&["Nordics", "Nordic", "Nordic countries", "Scandinavia"], region("Nordics", NORDICS)),
    (&["UK&I", "UKI", "UK & Ireland", "UK and Ireland", "British Isles"], region("UK&I", UKI)),
    (&["Europe", "European"], region("Europe", EUROPE)),
    (&["EU", "European Union", "EU27"], region("EU", EU)),
    (&["CEE", "Central and Eastern Europe", "Eastern Europe"], region("CEE", CEE)),
    (&["Middle East", "ME"], region("Middle East", MIDDLE_EAST)),
    (&["GCC", "Gulf"], region("GCC", GCC)),
    (&["MENA"], region("MENA", MENA)),
    (&["Africa"], region("Africa", AFRICA)),
    (&["EMEA", "Europe, Middle East and Africa"], region("EMEA", EMEA)),
    (&["North America", "NA", "NAM", "NAMER", "US & Canada", "US and Canada", "USCAN"], region("North America", NORTH_AMERICA)),
    (&["LATAM", "Latin America", "LATAM & Caribbean", "LAC"], region("LATAM", LATAM)),
    (&["South America"], region("South America", SOUTH_AMERICA)),
    (&["Americas", "AMER", "AMS"], region("Americas", AMERICAS)),
    (&["APAC", "Asia Pacific", "Asia-Pacific", "APJ", "APJC"], region("APAC", APAC)),
    (&["Asia"], region("Asia", ASIA)),
    (&["Southeast Asia", "South East Asia", "SEA", "ASEAN"], region("Southeast Asia", SOUTHEAST_ASIA)),
    (&["ANZ", "Australia and New Zealand", "Australia & New Zealand", "Oceania"], region("ANZ", ANZ)),
    (
        &["Global", "Worldwide", "World", "International", "All"],
        Region {
            name: "Global",
            countries: &[],
            everywhere: true,
        },
    ),
];

/// Region names compared without spaces or punctuation: "UK & I", "uk&i" and "UKI" agree.
fn compact_key(raw: &str) -> String {
    tokenize(raw)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// The lower-case ASCII letters and digits of a short ASCII `raw`, in `buf`, without
/// allocating (the same key as `compact_key`): regions and country codes are compared for
/// every follower.
fn ascii_key<'b>(raw: &str, buf: &'b mut [u8; 48]) -> Option<&'b str> {
    if !raw.is_ascii() {
        return None;
    }
    let mut len = 0;
    for b in raw.bytes().filter(u8::is_ascii_alphanumeric) {
        *buf.get_mut(len)? = b.to_ascii_lowercase();
        len += 1;
    }
    std::str::from_utf8(&buf[..len]).ok()
}

static REGION_INDEX: LazyLock<FastMap<String, &'static Region>> = LazyLock::new(|| {
    let mut index = FastMap::default();
    for (aliases, region) in REGIONS {
        for alias in *aliases {
            index.entry(compact_key(alias)).or_insert(region);
        }
    }
    index
});

/// A place an ideal customer profile targets: one country or a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeoArea {
    Country(&'static str),
    Region(&'static Region),
}

impl GeoArea {
    /// Whether a country (ISO alpha-2, any case) is in this area.
    pub fn contains(self, country_code: &str) -> bool {
        match self {
            GeoArea::Country(code) => code.eq_ignore_ascii_case(country_code),
            GeoArea::Region(region) => {
                region.everywhere
                    || region
                        .countries
                        .iter()
                        .any(|c| c.eq_ignore_ascii_case(country_code))
            }
        }
    }

    /// The area's name for reasons: "DACH", or the country code.
    pub fn name(self) -> &'static str {
        match self {
            GeoArea::Country(code) => code,
            GeoArea::Region(region) => region.name,
        }
    }
}

/// Reads an ICP region entry: a region name ("EMEA", "DACH", "UK&I", "North America", "NA")
/// or a country ("Germany", "US", "United States"). Parse once per configuration.
pub fn parse_area(raw: &str) -> Option<GeoArea> {
    let mut buf = [0u8; 48];
    let region = match ascii_key(raw, &mut buf) {
        Some(key) => REGION_INDEX.get(key),
        None => REGION_INDEX.get(&compact_key(raw)),
    };
    if let Some(region) = region {
        return Some(GeoArea::Region(region));
    }
    country_of(raw).map(GeoArea::Country)
}

/// Whether `country` (an ISO code such as [`country_of`] returns, or a country name) is in
/// `region` (a region or country name, see [`parse_area`]).
pub fn region_contains(region: &str, country: &str) -> bool {
    let mut buf = [0u8; 48];
    let code = if country.len() == 2 {
        ascii_key(country, &mut buf).and_then(|key| TABLES.iso.get(key).copied())
    } else {
        country_of(country)
    };
    match (parse_area(region), code) {
        (Some(area), Some(code)) => area.contains(code),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(location: &str, expected: Option<&str>) {
        assert_eq!(country_of(location), expected, "country_of({location:?})");
    }

    #[test]
    fn countries_from_linkedin_and_twitter_locations() {
        let cases = [
            ("Berlin, Germany", Some("DE")),
            ("San Francisco Bay Area", Some("US")),
            ("New York, NY", Some("US")),
            ("New York City Metropolitan Area", Some("US")),
            ("London, England, United Kingdom", Some("GB")),
            ("Greater London", Some("GB")),
            ("Deutschland", Some("DE")),
            ("München", Some("DE")),
            ("Muenchen, Bayern", Some("DE")),
            ("Paris, Île-de-France, France", Some("FR")),
            ("Madrid, Comunidad de Madrid, España", Some("ES")),
            ("Zürich, Switzerland", Some("CH")),
            ("Wien", Some("AT")),
            ("Bengaluru, Karnataka, India", Some("IN")),
            ("Toronto, ON", Some("CA")),
            ("Austin, TX", Some("US")),
            ("Wilmington, DE", Some("US")),
            ("Berlin, DE", Some("DE")),
            ("Paris, Texas", Some("US")),
            ("London, Ontario, Canada", Some("CA")),
            ("Atlanta, Georgia", Some("US")),
            ("Georgia", Some("US")),
            ("Tbilisi, Georgia", Some("GE")),
            ("São Paulo, Brasil", Some("BR")),
            ("Ciudad de México", Some("MX")),
            ("Dubai, United Arab Emirates", Some("AE")),
            ("Sydney NSW", Some("AU")),
            ("Tel Aviv-Yafo, Israel", Some("IL")),
            ("Greater Seattle Area", Some("US")),
            ("Living in Berlin & loving it", Some("DE")),
            ("NYC | Remote", Some("US")),
        ];
        for (location, expected) in cases {
            check(location, expected);
        }
    }

    #[test]
    fn codes_flags_and_nowhere() {
        let cases = [
            ("UK", Some("GB")),
            ("USA", Some("US")),
            ("U.S.", Some("US")),
            ("DE", Some("DE")),
            ("de", Some("DE")),
            ("CA", Some("CA")),
            ("IN", Some("IN")),
            ("GBR", Some("GB")),
            ("🇩🇪", Some("DE")),
            ("Berlin 🇩🇪", Some("DE")),
            ("🇺🇸 / 🇬🇧", Some("US")),
            ("Remote", None),
            ("Worldwide", None),
            ("🌍", None),
            ("Earth", None),
            ("", None),
            ("ZZ", None),
            ("in the cloud", None),
        ];
        for (location, expected) in cases {
            check(location, expected);
        }
    }

    fn check_region(region: &str, country: &str, expected: bool) {
        assert_eq!(
            region_contains(region, country),
            expected,
            "region_contains({region:?}, {country:?})"
        );
    }

    #[test]
    fn regions_contain_their_countries() {
        let cases = [
            ("EMEA", "DE", true),
            ("EMEA", "AE", true),
            ("EMEA", "US", false),
            ("Europe", "GB", true),
            ("EU", "GB", false),
            ("EU", "FR", true),
            ("DACH", "CH", true),
            ("DACH", "FR", false),
            ("D-A-CH", "AT", true),
            ("North America", "CA", true),
            ("NA", "US", true),
            ("NA", "MX", false),
            ("LATAM", "MX", true),
            ("APAC", "SG", true),
            ("APAC", "DE", false),
            ("Nordics", "FI", true),
            ("Benelux", "LU", true),
            ("UK&I", "IE", true),
            ("UK & Ireland", "GB", true),
            ("uki", "GB", true),
            ("Global", "BR", true),
            ("Germany", "DE", true),
            ("US", "US", true),
            ("United States", "US", true),
            ("Germany", "AT", false),
            ("DACH", "Deutschland", true),
            ("Atlantis", "DE", false),
            ("EMEA", "", false),
        ];
        for (region, country, expected) in cases {
            check_region(region, country, expected);
        }
    }

    #[test]
    fn areas_parse_once_and_name_themselves() {
        let dach = parse_area("dach");
        assert_eq!(dach.map(GeoArea::name), Some("DACH"));
        assert!(dach.is_some_and(|a| a.contains("de")));
        assert_eq!(parse_area("Deutschland"), Some(GeoArea::Country("DE")));
        assert_eq!(parse_area("nowhere at all"), None);
    }

    #[test]
    fn every_region_lists_only_known_countries() {
        let tables = &*TABLES;
        for (aliases, region) in REGIONS {
            for code in region.countries {
                assert!(
                    tables.iso.contains_key(&code.to_ascii_lowercase()),
                    "{} lists unknown {code} ({aliases:?})",
                    region.name
                );
            }
        }
    }
}
