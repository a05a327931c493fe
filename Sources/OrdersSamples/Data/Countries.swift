/// The countries of sample customers, weighted roughly like a German shop's order book.
enum Countries {
    static let weighted: [(SampleCountry, Int)] = [
        (germany, 52), (austria, 12), (switzerland, 9), (france, 7), (netherlands, 7), (italy, 6),
        (belgium, 4), (luxembourg, 3),
    ]

    /// Names shared by the German-speaking countries (with immigrant families, as in real order books).
    private static let germanFirstNames = [
        "Jürgen", "Lena", "Björn", "Sören", "Jörg", "Anna-Lena", "Günther", "Käthe", "Lukas", "Mia", "Jonas",
        "Sophie", "Maximilian", "Zoë", "René", "Hannah", "Felix", "Chloé", "Ömer", "Ayşe", "Bärbel", "Matthäus",
        "Jürgen-Peter", "Lea", "Noah", "Magdalena", "Tobias", "Grete",
    ]

    static let germany = SampleCountry(
        code: "DE", alpha3: "DEU", localName: "Deutschland", englishName: "Germany", language: "de",
        standardVAT: 1900, reducedVAT: 700, vatLabel: "MwSt.", phonePrefix: "+49", houseNumberFirst: false,
        cities: [
            SampleCity("Berlin", "10115"), SampleCity("München", "80331"), SampleCity("Köln", "50667"),
            SampleCity("Hamburg", "20095"), SampleCity("Düsseldorf", "40213"), SampleCity("Nürnberg", "90402"),
            SampleCity("Leipzig", "04109"), SampleCity("Freiburg im Breisgau", "79098"),
            SampleCity("Würzburg", "97070"),
            SampleCity("Lübeck", "23552"), SampleCity("Göttingen", "37073"), SampleCity("Heidelberg", "69117"),
            SampleCity("Saarbrücken", "66111"), SampleCity("Gießen", "35390"), SampleCity("Fürth", "90762"),
            SampleCity("Tübingen", "72070"), SampleCity("Osnabrück", "49074"),
            SampleCity("Mülheim an der Ruhr", "45468"),
            SampleCity("Dresden", "01067"), SampleCity("Frankfurt am Main", "60311"),
        ],
        streets: [
            "Hauptstraße", "Bahnhofstraße", "Schloßallee", "Königsallee", "Mühlenweg", "Gartenstraße", "Lindenstraße",
            "Am Bärenzwinger", "Große Straße", "Jägerstraße", "Rosenhöhe", "Kirchplatz", "Schäferweg", "Bergstraße",
            "Ölmühlenweg", "Friedrich-Ebert-Straße", "Straße des 17. Juni", "Fürstenwall", "An der Mühle",
        ],
        additions: ["2. OG", "Hinterhaus", "c/o Schröder", "Wohnung 4", "Seitenflügel links", "Packstation 117"],
        firstNames: germanFirstNames,
        lastNames: [
            "Müller", "Schröder", "Weiß", "Groß", "Köhler", "Meißner", "Jäger", "Bäcker", "Vogel", "Schmidt", "Fuchs",
            "Krüger", "Hoffmann", "Böhm", "Strauß", "Özdemir", "Yılmaz", "Kowalski", "Nguyễn", "Hüsken", "Dreßler",
            "Schäfer", "Günther", "von Löwenstein", "Lübke",
        ])

    static let austria = SampleCountry(
        code: "AT", alpha3: "AUT", localName: "Österreich", englishName: "Austria", language: "de",
        standardVAT: 2000, reducedVAT: 1000, vatLabel: "USt.", phonePrefix: "+43", houseNumberFirst: false,
        cities: [
            SampleCity("Wien", "1010"), SampleCity("Wien", "1070"), SampleCity("Graz", "8010"),
            SampleCity("Linz", "4020"),
            SampleCity("Salzburg", "5020"), SampleCity("Innsbruck", "6020"),
            SampleCity("Klagenfurt am Wörthersee", "9020"),
            SampleCity("Sankt Pölten", "3100"), SampleCity("Mödling", "2340"),
        ],
        streets: [
            "Mariahilfer Straße", "Getreidegasse", "Herrengasse", "Landstraßer Hauptstraße", "Währinger Straße",
            "Kärntner Straße", "Schönbrunner Schloßstraße", "Grünentorgasse",
        ],
        additions: ["Stiege 2/Tür 14", "Top 7", "2. Stock"],
        firstNames: germanFirstNames + ["Florian", "Theresa", "Valentin", "Leopold"],
        lastNames: [
            "Gruber", "Huber", "Pölzl", "Wallner", "Mößmer", "Bauer", "Steiner", "Hofstätter", "Pröll", "Lechner",
        ])

    static let switzerland = SampleCountry(
        code: "CH", alpha3: "CHE", localName: "Schweiz", englishName: "Switzerland", language: "de",
        standardVAT: 810, reducedVAT: 260, vatLabel: "MWST", phonePrefix: "+41", houseNumberFirst: false,
        cities: [
            SampleCity("Zürich", "8001", region: "Zürich", code: "ZH"),
            SampleCity("Bern", "3011", region: "Bern", code: "BE"),
            SampleCity("Basel", "4051", region: "Basel-Stadt", code: "BS"),
            SampleCity("Luzern", "6003", region: "Luzern", code: "LU"),
            SampleCity("St. Gallen", "9000", region: "St. Gallen", code: "SG"),
            SampleCity("Genève", "1201", region: "Genève", code: "GE"),
            SampleCity("Lausanne", "1003", region: "Vaud", code: "VD"),
            SampleCity("Winterthur", "8400", region: "Zürich", code: "ZH"),
        ],
        // Swiss German writes "ss", never "ß".
        streets: [
            "Bahnhofstrasse", "Rämistrasse", "Zürichbergstrasse", "Spitalgasse", "Rue du Rhône", "Avenue de la Gare",
            "Löwenstrasse", "Marktgasse",
        ],
        additions: ["Postfach 12", "3. Stock"],
        firstNames: ["Reto", "Nadja", "Urs", "Séverine", "Beat", "Ursula", "Mélanie", "Jörg", "Corinne", "Lukas"],
        lastNames: [
            "Brunner", "Käser", "Bühler", "Favre", "Zürcher", "Müller", "Rüegg", "Gerber", "Frésard", "Schnyder",
        ])

    static let france = SampleCountry(
        code: "FR", alpha3: "FRA", localName: "France", englishName: "France", language: "fr",
        standardVAT: 2000, reducedVAT: 550, vatLabel: "TVA", phonePrefix: "+33", houseNumberFirst: true,
        cities: [
            SampleCity("Paris", "75011"), SampleCity("Lyon", "69002"), SampleCity("Strasbourg", "67000"),
            SampleCity("Montpellier", "34000"), SampleCity("Nîmes", "30000"), SampleCity("Besançon", "25000"),
            SampleCity("Orléans", "45000"), SampleCity("Saint-Étienne", "42000"),
        ],
        streets: [
            "Rue de la Roquette", "Boulevard Saint-Germain", "Rue des Écoles", "Place Bellecour", "Quai Saint-Étienne",
            "Avenue Jean-Jaurès", "Rue du Faubourg Saint-Honoré", "Impasse des Mûriers",
        ],
        additions: ["Appartement 12", "Bâtiment B", "3e étage"],
        firstNames: ["Amélie", "François", "Hélène", "Jérôme", "Noël", "Maëlle", "Loïc", "Célia", "Benoît", "Gaëlle"],
        lastNames: [
            "Durand", "Lefèvre", "Moreau", "Garçon", "Benoît", "Rousseau", "Bézier", "Chênevert", "Dupré", "Ménard",
        ])

    static let netherlands = SampleCountry(
        code: "NL", alpha3: "NLD", localName: "Nederland", englishName: "Netherlands", language: "nl",
        standardVAT: 2100, reducedVAT: 900, vatLabel: "BTW", phonePrefix: "+31", houseNumberFirst: false,
        cities: [
            SampleCity("Amsterdam", "1012 AB"), SampleCity("Rotterdam", "3011 AD"), SampleCity("Utrecht", "3511 LN"),
            SampleCity("Den Haag", "2511 BT"), SampleCity("Eindhoven", "5611 AZ"),
            SampleCity("'s-Hertogenbosch", "5211 HX"),
        ],
        streets: ["Prinsengracht", "Keizersgracht", "Coolsingel", "Oudegracht", "Lange Voorhout", "Stratumseind"],
        additions: ["3e verdieping", "huis"],
        firstNames: ["Daan", "Sanne", "Joëlle", "Sven", "Fleur", "Geert", "Anouk", "Thijs"],
        lastNames: ["de Vries", "van den Berg", "Bakker", "van Dijk", "Jansen", "van 't Hoff", "Smit", "Visser"])

    static let italy = SampleCountry(
        code: "IT", alpha3: "ITA", localName: "Italia", englishName: "Italy", language: "it",
        standardVAT: 2200, reducedVAT: 1000, vatLabel: "IVA", phonePrefix: "+39", houseNumberFirst: false,
        cities: [
            SampleCity("Milano", "20121", region: "Milano", code: "MI"),
            SampleCity("Roma", "00184", region: "Roma", code: "RM"),
            SampleCity("Torino", "10121", region: "Torino", code: "TO"),
            SampleCity("Bologna", "40121", region: "Bologna", code: "BO"),
            SampleCity("Firenze", "50122", region: "Firenze", code: "FI"),
            SampleCity("Bolzano", "39100", region: "Bolzano", code: "BZ"),
            SampleCity("Forlì", "47121", region: "Forlì-Cesena", code: "FC"),
        ],
        streets: [
            "Via Giuseppe Verdi", "Corso Vittorio Emanuele II", "Piazza del Duomo", "Via dei Mille",
            "Via Niccolò Machiavelli", "Viale Città d'Europa",
        ],
        additions: ["Scala B, interno 5", "piano 2"],
        firstNames: ["Giulia", "Niccolò", "Chiara", "Mattia", "Francesca", "Andrea", "Gianluca", "Sofia"],
        lastNames: ["Rossi", "Bianchi", "Esposito", "Ferrari", "D'Angelo", "Santoro", "Cantù", "Dell'Acqua"])

    static let belgium = SampleCountry(
        code: "BE", alpha3: "BEL", localName: "België", englishName: "Belgium", language: "nl",
        standardVAT: 2100, reducedVAT: 600, vatLabel: "BTW", phonePrefix: "+32", houseNumberFirst: false,
        cities: [
            SampleCity("Bruxelles", "1000"), SampleCity("Antwerpen", "2000"), SampleCity("Gent", "9000"),
            SampleCity("Liège", "4000"), SampleCity("Leuven", "3000"),
        ],
        streets: ["Rue Neuve", "Meir", "Korenmarkt", "Boulevard d'Avroy", "Naamsestraat"],
        additions: ["bus 3", "boîte 12"],
        firstNames: ["Lotte", "Thibaut", "Hélène", "Wouter", "Elise", "Maxime", "Jef", "Noémie"],
        lastNames: ["Peeters", "Dubois", "Lambert", "Maes", "Janssens", "Lefèbvre", "Claes", "Vandenbroeck"])

    static let luxembourg = SampleCountry(
        code: "LU", alpha3: "LUX", localName: "Luxembourg", englishName: "Luxembourg", language: "de",
        standardVAT: 1700, reducedVAT: 800, vatLabel: "TVA", phonePrefix: "+352", houseNumberFirst: true,
        cities: [
            SampleCity("Luxembourg", "L-1611"), SampleCity("Esch-sur-Alzette", "L-4002"),
            SampleCity("Differdange", "L-4530"),
        ],
        streets: ["avenue de la Gare", "Grand-Rue", "rue de l'Alzette", "boulevard Royal"],
        additions: ["2e étage"],
        firstNames: ["Jean", "Mireille", "Luc", "Anne", "Gérard", "Tessy", "Joël"],
        lastNames: ["Schmit", "Weber", "Hoffmann", "Muller", "Wagner", "Kremer", "Thill"])
}
