import Foundation

/// ISO 3166-1 codes and the names shops actually send (English, native, German), for `Text.countryAlpha2`.
enum Country {
    /// Countries whose customers get German e-mails.
    /// The language most customers of a country read, where it is one the emails are written in.
    static let language: [String: String] = [
        "DE": "de", "AT": "de", "CH": "de", "LI": "de", "LU": "de",
        "FR": "fr", "MC": "fr",
        "NL": "nl", "BE": "nl",
        "IT": "it", "SM": "it", "VA": "it",
    ]

    /// Alpha-2 for a code or a name; nil when we do not recognise it.
    static func alpha2(for text: String) -> String? {
        let upper = text.uppercased()
        switch upper.utf8.count {
        case 2:
            if byAlpha2[upper] != nil { return upper }
            if let alias = codeAliases[upper] { return alias }
        case 3:
            if let code = byAlpha3[upper] { return code }
            if let alias = codeAliases[upper] { return alias }
        default:
            break
        }
        return byName[nameKey(text)]
    }

    /// Lowercase letters and digits only, accents removed, "&" read as "and": "Côte d'Ivoire" and
    /// "cote divoire" meet; so do "Antigua & Barbuda" and "Antigua and Barbuda".
    static func nameKey(_ name: String) -> String {
        var key = String.UnicodeScalarView()
        let folded = name.lowercased().replacingOccurrences(of: "&", with: "and").decomposedStringWithCanonicalMapping
        for scalar in folded.unicodeScalars where scalar.properties.generalCategory != .nonspacingMark {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) { key.append(scalar) }
        }
        return String(key)
    }

    /// alpha-2, alpha-3, English short name: the full ISO 3166-1 list, plus XK (Kosovo, user-assigned
    /// but used by every shop system).
    private static let table = """
        AD AND Andorra|AE ARE United Arab Emirates|AF AFG Afghanistan|AG ATG Antigua and Barbuda|AI AIA Anguilla
        AL ALB Albania|AM ARM Armenia|AO AGO Angola|AQ ATA Antarctica|AR ARG Argentina|AS ASM American Samoa
        AT AUT Austria|AU AUS Australia|AW ABW Aruba|AX ALA Åland Islands|AZ AZE Azerbaijan
        BA BIH Bosnia and Herzegovina|BB BRB Barbados|BD BGD Bangladesh|BE BEL Belgium|BF BFA Burkina Faso
        BG BGR Bulgaria|BH BHR Bahrain|BI BDI Burundi|BJ BEN Benin|BL BLM Saint Barthélemy|BM BMU Bermuda
        BN BRN Brunei Darussalam|BO BOL Bolivia|BQ BES Bonaire, Sint Eustatius and Saba|BR BRA Brazil
        BS BHS Bahamas|BT BTN Bhutan|BV BVT Bouvet Island|BW BWA Botswana|BY BLR Belarus|BZ BLZ Belize
        CA CAN Canada|CC CCK Cocos (Keeling) Islands|CD COD Democratic Republic of the Congo
        CF CAF Central African Republic|CG COG Congo|CH CHE Switzerland|CI CIV Côte d'Ivoire|CK COK Cook Islands
        CL CHL Chile|CM CMR Cameroon|CN CHN China|CO COL Colombia|CR CRI Costa Rica|CU CUB Cuba|CV CPV Cabo Verde
        CW CUW Curaçao|CX CXR Christmas Island|CY CYP Cyprus|CZ CZE Czechia|DE DEU Germany|DJ DJI Djibouti
        DK DNK Denmark|DM DMA Dominica|DO DOM Dominican Republic|DZ DZA Algeria|EC ECU Ecuador|EE EST Estonia
        EG EGY Egypt|EH ESH Western Sahara|ER ERI Eritrea|ES ESP Spain|ET ETH Ethiopia|FI FIN Finland|FJ FJI Fiji
        FK FLK Falkland Islands|FM FSM Micronesia|FO FRO Faroe Islands|FR FRA France|GA GAB Gabon
        GB GBR United Kingdom|GD GRD Grenada|GE GEO Georgia|GF GUF French Guiana|GG GGY Guernsey|GH GHA Ghana
        GI GIB Gibraltar|GL GRL Greenland|GM GMB Gambia|GN GIN Guinea|GP GLP Guadeloupe|GQ GNQ Equatorial Guinea
        GR GRC Greece|GS SGS South Georgia and the South Sandwich Islands|GT GTM Guatemala|GU GUM Guam
        GW GNB Guinea-Bissau|GY GUY Guyana|HK HKG Hong Kong|HM HMD Heard Island and McDonald Islands
        HN HND Honduras|HR HRV Croatia|HT HTI Haiti|HU HUN Hungary|ID IDN Indonesia|IE IRL Ireland|IL ISR Israel
        IM IMN Isle of Man|IN IND India|IO IOT British Indian Ocean Territory|IQ IRQ Iraq|IR IRN Iran
        IS ISL Iceland|IT ITA Italy|JE JEY Jersey|JM JAM Jamaica|JO JOR Jordan|JP JPN Japan|KE KEN Kenya
        KG KGZ Kyrgyzstan|KH KHM Cambodia|KI KIR Kiribati|KM COM Comoros|KN KNA Saint Kitts and Nevis
        KP PRK North Korea|KR KOR South Korea|KW KWT Kuwait|KY CYM Cayman Islands|KZ KAZ Kazakhstan|LA LAO Laos
        LB LBN Lebanon|LC LCA Saint Lucia|LI LIE Liechtenstein|LK LKA Sri Lanka|LR LBR Liberia|LS LSO Lesotho
        LT LTU Lithuania|LU LUX Luxembourg|LV LVA Latvia|LY LBY Libya|MA MAR Morocco|MC MCO Monaco|MD MDA Moldova
        ME MNE Montenegro|MF MAF Saint Martin|MG MDG Madagascar|MH MHL Marshall Islands|MK MKD North Macedonia
        ML MLI Mali|MM MMR Myanmar|MN MNG Mongolia|MO MAC Macao|MP MNP Northern Mariana Islands|MQ MTQ Martinique
        MR MRT Mauritania|MS MSR Montserrat|MT MLT Malta|MU MUS Mauritius|MV MDV Maldives|MW MWI Malawi
        MX MEX Mexico|MY MYS Malaysia|MZ MOZ Mozambique|NA NAM Namibia|NC NCL New Caledonia|NE NER Niger
        NF NFK Norfolk Island|NG NGA Nigeria|NI NIC Nicaragua|NL NLD Netherlands|NO NOR Norway|NP NPL Nepal
        NR NRU Nauru|NU NIU Niue|NZ NZL New Zealand|OM OMN Oman|PA PAN Panama|PE PER Peru|PF PYF French Polynesia
        PG PNG Papua New Guinea|PH PHL Philippines|PK PAK Pakistan|PL POL Poland|PM SPM Saint Pierre and Miquelon
        PN PCN Pitcairn|PR PRI Puerto Rico|PS PSE Palestine|PT PRT Portugal|PW PLW Palau|PY PRY Paraguay
        QA QAT Qatar|RE REU Réunion|RO ROU Romania|RS SRB Serbia|RU RUS Russia|RW RWA Rwanda|SA SAU Saudi Arabia
        SB SLB Solomon Islands|SC SYC Seychelles|SD SDN Sudan|SE SWE Sweden|SG SGP Singapore
        SH SHN Saint Helena, Ascension and Tristan da Cunha|SI SVN Slovenia|SJ SJM Svalbard and Jan Mayen
        SK SVK Slovakia|SL SLE Sierra Leone|SM SMR San Marino|SN SEN Senegal|SO SOM Somalia|SR SUR Suriname
        SS SSD South Sudan|ST STP Sao Tome and Principe|SV SLV El Salvador|SX SXM Sint Maarten|SY SYR Syria
        SZ SWZ Eswatini|TC TCA Turks and Caicos Islands|TD TCD Chad|TF ATF French Southern Territories|TG TGO Togo
        TH THA Thailand|TJ TJK Tajikistan|TK TKL Tokelau|TL TLS Timor-Leste|TM TKM Turkmenistan|TN TUN Tunisia
        TO TON Tonga|TR TUR Türkiye|TT TTO Trinidad and Tobago|TV TUV Tuvalu|TW TWN Taiwan|TZ TZA Tanzania
        UA UKR Ukraine|UG UGA Uganda|UM UMI United States Minor Outlying Islands|US USA United States
        UY URY Uruguay|UZ UZB Uzbekistan|VA VAT Holy See|VC VCT Saint Vincent and the Grenadines|VE VEN Venezuela
        VG VGB British Virgin Islands|VI VIR United States Virgin Islands|VN VNM Viet Nam|VU VUT Vanuatu
        WF WLF Wallis and Futuna|WS WSM Samoa|XK XKX Kosovo|YE YEM Yemen|YT MYT Mayotte|ZA ZAF South Africa
        ZM ZMB Zambia|ZW ZWE Zimbabwe
        """

    /// Other names per alpha-2: native names, German names (German shops), official and older names.
    private static let otherNames: [String: [String]] = [
        "AD": ["Andorra"], "AL": ["Shqipëria", "Albanien"], "AT": ["Österreich", "Oesterreich", "Republik Österreich"],
        "BA": ["Bosna i Hercegovina", "Bosnien und Herzegowina"],
        "BE": ["België", "Belgique", "Belgien"], "BG": ["България", "Bulgarien"], "BY": ["Weißrussland", "Belarus"],
        "CA": ["Kanada"], "CH": ["Schweiz", "Suisse", "Svizzera", "Svizra", "Confoederatio Helvetica"],
        "CI": ["Ivory Coast", "Elfenbeinküste"],
        "CN": ["中国", "中华人民共和国", "People's Republic of China", "PR China", "Zhongguo"],
        "CY": ["Κύπρος", "Kıbrıs", "Zypern"],
        "CZ": ["Česko", "Česká republika", "Czech Republic", "Tschechien", "Tschechische Republik"],
        "CD": ["DR Congo", "Congo, Democratic Republic of the", "Kongo"],
        "DE": [
            "Deutschland", "Bundesrepublik Deutschland", "Federal Republic of Germany", "Allemagne", "Germania",
            "Alemania", "Niemcy", "Duitsland", "Tyskland", "Saksa",
        ],
        "DK": ["Danmark", "Dänemark"], "EE": ["Eesti", "Estland"], "ES": ["España", "Spanien", "Espagne", "Spagna"],
        "FI": ["Suomi", "Finnland"], "FO": ["Føroyar", "Färöer"], "FR": ["Frankreich", "République française"],
        "GB": [
            "UK", "U.K.", "Great Britain", "Britain", "England", "Scotland", "Wales", "Northern Ireland",
            "United Kingdom of Great Britain and Northern Ireland", "Großbritannien", "Grossbritannien",
            "Vereinigtes Königreich", "Royaume-Uni", "Regno Unito",
        ],
        "GF": ["Guyane", "Französisch-Guayana"], "GP": ["Guadeloupe"],
        "GR": ["Ελλάδα", "Ελλάς", "Hellas", "Griechenland", "Grèce"], "HR": ["Hrvatska", "Kroatien"],
        "HU": ["Magyarország", "Ungarn"], "IE": ["Éire", "Irland", "Republic of Ireland"],
        "IS": ["Ísland", "Island"], "IT": ["Italia", "Italien", "Italie"], "JP": ["日本", "日本国", "Nippon", "Nihon"],
        "KR": ["Korea", "Republic of Korea", "Korea, Republic of", "Südkorea", "대한민국"],
        "KP": ["Korea, Democratic People's Republic of", "Nordkorea"],
        "LI": ["Liechtenstein"], "LT": ["Lietuva", "Litauen"], "LU": ["Luxemburg", "Lëtzebuerg"],
        "LV": ["Latvija", "Lettland"], "MC": ["Monaco"], "MD": ["Moldova, Republic of", "Moldau", "Moldawien"],
        "ME": ["Crna Gora", "Montenegro"], "MK": ["Macedonia", "Nordmazedonien", "Северна Македонија"],
        "MQ": ["Martinique"], "MT": ["Malta"], "MX": ["México", "Mexiko"],
        "NL": ["Nederland", "Holland", "The Netherlands", "Niederlande", "Pays-Bas"],
        "NO": ["Norge", "Noreg", "Norwegen"], "NZ": ["Aotearoa", "Neuseeland"], "PL": ["Polska", "Polen"],
        "PT": ["Portugal"], "RE": ["La Réunion", "Reunion"], "RO": ["România", "Rumänien"],
        "RS": ["Srbija", "Србија", "Serbien"], "RU": ["Russian Federation", "Россия", "Russland"],
        "SE": ["Sverige", "Schweden"], "SI": ["Slovenija", "Slowenien"], "SK": ["Slovensko", "Slowakei"],
        "SM": ["San Marino"], "TR": ["Turkey", "Türkei", "Turkiye"], "TW": ["台灣", "臺灣"],
        "UA": ["Україна", "Ukraine"],
        "US": [
            "United States of America", "USA", "U.S.A.", "U.S.", "America",
            "Vereinigte Staaten", "Vereinigte Staaten von Amerika", "États-Unis",
        ],
        "VA": ["Vatican", "Vatican City", "Città del Vaticano", "Vatikanstadt"], "VN": ["Vietnam"],
        "AE": ["UAE", "Vereinigte Arabische Emirate"], "AU": ["Australien"], "BR": ["Brasil", "Brasilien"],
        "CV": ["Cape Verde"], "SZ": ["Swaziland"], "LA": ["Lao People's Democratic Republic"],
        "SY": ["Syrian Arab Republic"], "IR": ["Iran, Islamic Republic of"], "BO": ["Bolivia, Plurinational State of"],
        "VE": ["Venezuela, Bolivarian Republic of"], "TZ": ["Tanzania, United Republic of"], "BN": ["Brunei"],
        "MM": ["Burma"], "CG": ["Republic of the Congo"], "PS": ["Palestine, State of"], "CW": ["Curacao"],
        "ZA": ["Südafrika"], "IN": ["Indien"], "EG": ["Ägypten"], "IL": ["Israel"], "SG": ["Singapur"],
    ]

    /// Codes that are not ISO alpha codes but are used for a country: "UK", "EL" (the EU's code for Greece), "UAE".
    private static let codeAliases: [String: String] = ["UK": "GB", "EL": "GR", "UAE": "AE"]

    private static let entries: [(alpha2: String, alpha3: String, name: String)] =
        table
        .split(whereSeparator: { $0 == "|" || $0 == "\n" })
        .map { entry in
            let trimmed = entry.trimmingCharacters(in: .whitespaces)
            let parts = trimmed.split(separator: " ", maxSplits: 2)
            return (String(parts[0]), String(parts[1]), String(parts[2]))
        }

    /// Every alpha-2 code we know (ISO 3166-1 plus XK).
    static let allAlpha2: [String] = entries.map(\.alpha2)

    private static let byAlpha2: [String: String] = Dictionary(
        uniqueKeysWithValues: entries.map { ($0.alpha2, $0.name) })
    private static let byAlpha3: [String: String] = Dictionary(
        uniqueKeysWithValues: entries.map { ($0.alpha3, $0.alpha2) })

    private static let byName: [String: String] = {
        var names: [String: String] = [:]
        for entry in entries { names[nameKey(entry.name)] = entry.alpha2 }
        for (code, others) in otherNames {
            for name in others { names[nameKey(name)] = code }
        }
        return names
    }()
}
