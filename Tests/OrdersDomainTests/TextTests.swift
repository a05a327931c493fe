import Testing
@testable import OrdersDomain

@Suite("Text")
struct TextTests {
    @Test func cleanTrimsNormalisesAndDropsEmpty() {
        #expect(Text.clean("  Lena Vogel \n") == "Lena Vogel")
        #expect(Text.clean("") == nil)
        #expect(Text.clean(" \t\r\n\u{A0}\u{3000} ") == nil)
        #expect(Text.clean(nil) == nil)
        #expect(Text.clean("Teekanne 1 l") == "Teekanne 1 l")
        let decomposed = "Bergstra\u{DF}e, Mu\u{308}nchen, Cafe\u{301}"
        let cleaned = Text.clean(decomposed)
        #expect(cleaned == "Bergstraße, München, Café")
        #expect(cleaned?.unicodeScalars.count == "Bergstraße, München, Café".unicodeScalars.count)
        #expect(cleaned?.unicodeScalars.contains { $0.value == 0x308 || $0.value == 0x301 } == false)
        #expect(Text.clean("\u{212B}ngstr\u{F6}m")?.unicodeScalars.first?.value == 0xC5)  // Angstrom sign -> Å
    }

    @Test func cleanReplacesControlCharacters() {
        #expect(Text.clean("Lena\r\nBcc: x@y.z") == "Lena  Bcc: x@y.z")
        #expect(Text.clean("a\u{0}b\u{7F}c\u{85}d") == "a b c d")
        #expect(Text.clean("\u{1B}[31m") == "[31m")
    }

    @Test func cleanIsIdempotent() {
        for sample in ["  x ", "e\u{301}", "a\nb", "\u{A0}Ä\u{A0}", "日本", "Ｆｕｌｌ", "&amp;", "\u{1}\u{2}"] {
            let once = Text.clean(sample)
            #expect(Text.clean(once) == once, "\(sample.debugDescription)")
        }
    }

    @Test func decodesNumericEntities() {
        #expect(Text.decodeHTMLEntities("Teekanne &#8211; 1 l") == "Teekanne – 1 l")
        #expect(Text.decodeHTMLEntities("&#x2013;&#X2014;&#x20ac;") == "–—€")
        #expect(Text.decodeHTMLEntities("&#128512;") == "😀")
        #expect(Text.decodeHTMLEntities("&#150;") == "–")  // Windows-1252, as browsers read it
        #expect(Text.decodeHTMLEntities("&#0;&#xD800;&#x110000;") == "\u{FFFD}\u{FFFD}\u{FFFD}")
        #expect(Text.decodeHTMLEntities("&#;&#x;&#12a;&#99999999999;") == "&#;&#x;&#12a;&#99999999999;")
    }

    @Test func decodesNamedEntities() {
        #expect(Text.decodeHTMLEntities("Tee &amp; Kaffee &ndash; 1&nbsp;l") == "Tee & Kaffee – 1\u{A0}l")
        #expect(Text.decodeHTMLEntities("&lt;b&gt; &quot;x&quot; &apos;y&apos;") == "<b> \"x\" 'y'")
        #expect(Text.decodeHTMLEntities("&auml;&ouml;&uuml;&Auml;&Ouml;&Uuml;&szlig;") == "äöüÄÖÜß")
        #expect(Text.decodeHTMLEntities("&eacute;&egrave;&agrave;&ccedil;&ntilde;&oslash;&aring;") == "éèàçñøå")
        #expect(
            Text.decodeHTMLEntities("&hellip;&mdash;&lsquo;&rsquo;&ldquo;&rdquo;&bdquo;&laquo;&raquo;") == "…—‘’“”„«»")
        #expect(Text.decodeHTMLEntities("&euro;&pound;&yen;&copy;&reg;&trade;&deg;&times;&frac12;") == "€£¥©®™°×½")
        #expect(Text.decodeHTMLEntities("&scaron;&Zcaron;&lstrok;&oelig;") == "šŽłœ")
    }

    @Test func decodingIsOnePassAndLeavesUnknownText() {
        #expect(Text.decodeHTMLEntities("&amp;lt;") == "&lt;")
        #expect(Text.decodeHTMLEntities("AT&T") == "AT&T")
        #expect(Text.decodeHTMLEntities("&unknown; &amp") == "&unknown; &amp")
        #expect(Text.decodeHTMLEntities("a & b;") == "a & b;")
        #expect(Text.decodeHTMLEntities("&&amp;;") == "&&;")
        #expect(Text.decodeHTMLEntities("no entities") == "no entities")
        #expect(Text.decodeHTMLEntities("&") == "&")
        #expect(Text.decodeHTMLEntities("&AMP;&Amp;") == "&&Amp;")
    }

    @Test func acceptsUsableEmailAddresses() {
        #expect(Text.email("lena.vogel@example.de") == "lena.vogel@example.de")
        #expect(Text.email("  Lena.Vogel+shop@Example.de \n") == "Lena.Vogel+shop@Example.de")
        #expect(Text.email("jürgen@müller.de") == "jürgen@müller.de")
        #expect(Text.email("o'brien@example.ie") == "o'brien@example.ie")
    }

    @Test func surroundingWhitespaceIsTrimmedAway() {
        #expect(Text.email("lena@example.de\r\n") == "lena@example.de")
        #expect(Text.email("\tlena@example.de ") == "lena@example.de")
    }

    @Test func refusesUnusableOrDangerousEmailAddresses() {
        for bad: String? in [
            nil, "", " ", "lena", "lena@", "@example.de", "lena@example", "lena@@example.de",
            "a@b@example.de", "lena vogel@example.de", "lena@example.de\r\nBcc: all@example.de",
            "lena\r@example.de", "<lena@example.de>", "lena@example.de,", "a;b@example.de",
            "\"lena\"@example.de", "lena@.example.de", "lena@example.", "lena@example..de", "lena@exa mple.de",
            "\u{0}lena@example.de", "lena@exam\u{200B}ple.de", "lena@exam\u{2028}ple.de",
            String(repeating: "a", count: 250) + "@example.de",
        ] {
            #expect(Text.email(bad) == nil, "\(bad.debugDescription)")
        }
    }

    @Test(arguments: [
        ("DE", "DE"), ("de", "DE"), (" de ", "DE"), ("DEU", "DE"), ("deu", "DE"), ("Germany", "DE"),
        ("Deutschland", "DE"),
        ("DEUTSCHLAND", "DE"), ("Bundesrepublik Deutschland", "DE"), ("AT", "AT"), ("Österreich", "AT"),
        ("Oesterreich", "AT"),
        ("Austria", "AT"), ("Schweiz", "CH"), ("Suisse", "CH"), ("Svizzera", "CH"), ("Switzerland", "CH"),
        ("CHE", "CH"),
        ("UK", "GB"), ("GB", "GB"), ("GBR", "GB"), ("United Kingdom", "GB"), ("Great Britain", "GB"), ("England", "GB"),
        ("US", "US"), ("USA", "US"), ("United States", "US"), ("United States of America", "US"), ("Canada", "CA"),
        ("Australia", "AU"), ("New Zealand", "NZ"), ("Japan", "JP"), ("日本", "JP"), ("China", "CN"), ("中国", "CN"),
        ("Türkiye", "TR"), ("Turkey", "TR"), ("Guadeloupe", "GP"), ("GP", "GP"), ("GLP", "GP"), ("France", "FR"),
        ("Nederland", "NL"), ("Netherlands", "NL"), ("België", "BE"), ("Belgique", "BE"), ("Luxemburg", "LU"),
        ("Italia", "IT"), ("España", "ES"), ("Espana", "ES"), ("Polska", "PL"), ("Česko", "CZ"),
        ("Czech Republic", "CZ"),
        ("Magyarország", "HU"), ("Ελλάδα", "GR"), ("EL", "GR"), ("Sverige", "SE"), ("Danmark", "DK"), ("Suomi", "FI"),
        ("Norge", "NO"), ("Ísland", "IS"), ("Liechtenstein", "LI"), ("Eesti", "EE"), ("Latvija", "LV"),
        ("Lietuva", "LT"),
        ("Slovensko", "SK"), ("Slovenija", "SI"), ("Hrvatska", "HR"), ("România", "RO"), ("България", "BG"),
        ("Κύπρος", "CY"), ("Malta", "MT"), ("Éire", "IE"), ("Ireland", "IE"), ("Portugal", "PT"),
        ("Côte d'Ivoire", "CI"),
        ("cote divoire", "CI"), ("Antigua & Barbuda", "AG"), ("Korea, Republic of", "KR"), ("Russian Federation", "RU"),
    ])
    func countryNamesAndCodesBecomeAlpha2(input: String, expected: String) {
        #expect(Text.countryAlpha2(input) == expected)
    }

    @Test func unknownCountriesStayAsGiven() {
        #expect(Text.countryAlpha2("Narnia") == "Narnia")
        #expect(Text.countryAlpha2("  Narnia ") == "Narnia")
        #expect(Text.countryAlpha2("XX") == "XX")
        #expect(Text.countryAlpha2("zz") == "zz")
        #expect(Text.countryAlpha2(nil) == nil)
        #expect(Text.countryAlpha2("") == nil)
    }

    @Test func everyAlpha2CodeMapsToItselfAndIsIdempotent() {
        #expect(Country.allAlpha2.count == 250)  // ISO 3166-1 (249) + XK
        for code in Country.allAlpha2 {
            #expect(Text.countryAlpha2(code) == code)
            #expect(Text.countryAlpha2(code.lowercased()) == code)
        }
        for sample in ["Deutschland", "Narnia", "uk", "ΕΛΛΆΔΑ"] {
            let once = Text.countryAlpha2(sample)
            #expect(Text.countryAlpha2(once) == once)
        }
    }

    @Test func localeFromLanguageOrCountry() {
        // The channel's tag is kept whole, in BCP 47's usual case.
        #expect(Text.locale(language: "de-DE", country: nil) == "de-DE")
        #expect(Text.locale(language: "de_ch", country: "US") == "de-CH")
        #expect(Text.locale(language: "DE", country: nil) == "de")
        #expect(Text.locale(language: "en-US", country: "DE") == "en-US")
        #expect(Text.locale(language: "fr-CH", country: "CH") == "fr-CH")
        #expect(Text.locale(language: "zh-hant-tw", country: nil) == "zh-Hant-TW")
        #expect(Text.locale(language: "fr", country: "DE") == "fr")
        // Without a tag, the country's language.
        #expect(Text.locale(language: nil, country: "AT") == "de")
        #expect(Text.locale(language: nil, country: "Schweiz") == "de")
        #expect(Text.locale(language: nil, country: "LI") == "de")
        #expect(Text.locale(language: nil, country: "lu") == "de")
        #expect(Text.locale(language: nil, country: "FR") == "fr")
        #expect(Text.locale(language: nil, country: "Nederland") == "nl")
        #expect(Text.locale(language: nil, country: "BE") == "nl")
        #expect(Text.locale(language: nil, country: "IT") == "it")
        #expect(Text.locale(language: nil, country: "US") == "en")
        // Not a tag, not a country: nothing known.
        #expect(Text.locale(language: "Deutsch (Österreich)", country: "Narnia") == nil)
        #expect(Text.locale(language: nil, country: nil) == nil)
        #expect(Text.locale(language: " ", country: "") == nil)
    }
}
