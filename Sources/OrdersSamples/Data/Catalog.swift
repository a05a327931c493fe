/// A product a sample order line sells. Prices are gross euro cents as the shop lists them.
struct SampleProduct: Sendable {
    let sku: String
    let title: String
    /// The variant part of the title where the shop sells variants ("Größe M, Rosé"), for channels
    /// that list product and variant separately.
    let variant: String?
    let euroCents: Int64
    let vat: VATCategory
    let grams: Int

    /// "Strickpullover Schurwolle - Größe M, Rosé": product and variant as one line title.
    var fullTitle: String { variant.map { "\(title) - \($0)" } ?? title }
}

/// A home-and-kitchen, garden and textiles shop: what a mid-sized German merchant sells on all channels.
enum Catalog {
    static let products: [SampleProduct] = [
        SampleProduct(
            sku: "KANNE-1L", title: "Teekanne Gusseisen 1 l", variant: nil, euroCents: 3090, vat: .standard, grams: 1450
        ),
        SampleProduct(
            sku: "TASSE-SET4", title: "Espressotassen-Set „Café Crème“, 4 Stück", variant: nil, euroCents: 2495,
            vat: .standard, grams: 620),
        SampleProduct(
            sku: "MESSER-KOCH-20", title: "Kochmesser Damaszener Stahl 20 cm", variant: nil, euroCents: 8900,
            vat: .standard, grams: 240),
        SampleProduct(
            sku: "BRETT-EICHE-40", title: "Schneidebrett Eiche geölt", variant: "40 × 25 cm", euroCents: 3450,
            vat: .standard, grams: 1800),
        SampleProduct(
            sku: "KAFFEE-ETH-1KG", title: "Bio-Kaffeebohnen Äthiopien Yirgacheffe, 1 kg", variant: nil, euroCents: 2190,
            vat: .reduced, grams: 1000),
        SampleProduct(
            sku: "TEE-KRAEUTER-100", title: "Kräutertee „Alpenwiese“, 100 g", variant: nil, euroCents: 649,
            vat: .reduced, grams: 110),
        SampleProduct(
            sku: "HONIG-WALD-500", title: "Waldhonig aus dem Schwarzwald, 500 g", variant: nil, euroCents: 995,
            vat: .reduced, grams: 700),
        SampleProduct(
            sku: "BUCH-KUECHE", title: "Buch: Die süddeutsche Küche", variant: nil, euroCents: 2800, vat: .reduced,
            grams: 900),
        SampleProduct(
            sku: "SOCKEN-MERINO-3", title: "Merino-Socken, 3 Paar", variant: "Größe 39–42", euroCents: 1999,
            vat: .standard, grams: 150),
        SampleProduct(
            sku: "PULLI-WOLLE-M-ROSE", title: "Strickpullover Schurwolle", variant: "Größe M, Rosé", euroCents: 7995,
            vat: .standard, grams: 480),
        SampleProduct(
            sku: "PULLI-WOLLE-L-GRAU", title: "Strickpullover Schurwolle", variant: "Größe L, Grau meliert",
            euroCents: 7995, vat: .standard, grams: 520),
        SampleProduct(
            sku: "SCHAL-KASCHMIR", title: "Kaschmirschal", variant: "Anthrazit", euroCents: 5900, vat: .standard,
            grams: 180),
        SampleProduct(
            sku: "RUCKSACK-25L", title: "Wanderrucksack 25 l, wasserabweisend", variant: "Tannengrün", euroCents: 6490,
            vat: .standard, grams: 950),
        SampleProduct(
            sku: "FLASCHE-075", title: "Edelstahl-Trinkflasche 0,75 l", variant: nil, euroCents: 1795, vat: .standard,
            grams: 320),
        SampleProduct(
            sku: "LED-E27-2ER", title: "LED-Lampe E27 warmweiß, 2er-Pack", variant: nil, euroCents: 899, vat: .standard,
            grams: 120),
        SampleProduct(
            sku: "KERZE-SOJA-ZEDER", title: "Duftkerze Soja „Zedernholz & Moos“", variant: nil, euroCents: 1450,
            vat: .standard, grams: 400),
        SampleProduct(
            sku: "SPIEL-GLUECKSPILZ", title: "Würfelspiel „Glückspilz“", variant: nil, euroCents: 1299, vat: .standard,
            grams: 350),
        SampleProduct(
            sku: "PUZZLE-1000-NSW", title: "Puzzle 1000 Teile „Schloss Neuschwanstein“", variant: nil, euroCents: 1699,
            vat: .standard, grams: 600),
        SampleProduct(
            sku: "GARTENSCHERE-BP", title: "Gartenschere Bypass, rostfrei", variant: nil, euroCents: 2750,
            vat: .standard, grams: 260),
        SampleProduct(
            sku: "SAMEN-TOM-50", title: "Tomatensamen Ochsenherz, 50 Stück", variant: nil, euroCents: 295,
            vat: .reduced, grams: 20),
        SampleProduct(
            sku: "OEL-OLIVE-750", title: "Natives Olivenöl extra, Kreta, 0,75 l", variant: nil, euroCents: 1390,
            vat: .reduced, grams: 1100),
        SampleProduct(
            sku: "SCHOKO-70-100", title: "Zartbitterschokolade 70 %, 100 g", variant: nil, euroCents: 329,
            vat: .reduced, grams: 110),
        SampleProduct(
            sku: "HANDTUCH-SET4", title: "Frottee-Handtuch-Set, 4-teilig", variant: "Salbeigrün", euroCents: 3990,
            vat: .standard, grams: 1600),
        SampleProduct(
            sku: "BW-LEINEN-155", title: "Bettwäsche Leinen 155×220 cm", variant: "Naturweiß", euroCents: 11900,
            vat: .standard, grams: 2100),
        SampleProduct(
            sku: "KISSEN-DINKEL", title: "Dinkelspreu-Kissen 40×80 cm", variant: nil, euroCents: 4400, vat: .standard,
            grams: 1900),
        SampleProduct(
            sku: "SCHUERZE-LEINEN", title: "Kochschürze Leinen", variant: "Naturfarben", euroCents: 2900,
            vat: .standard, grams: 300),
        SampleProduct(
            sku: "CREME-MAINS-75", title: "Crème pour les mains à la lavande, 75 ml", variant: nil, euroCents: 750,
            vat: .standard, grams: 90),
        SampleProduct(
            sku: "PFANNE-GUSS-28", title: "Gusseisenpfanne Ø 28 cm", variant: nil, euroCents: 5490, vat: .standard,
            grams: 2900),
        SampleProduct(
            sku: "GIESSKANNE-10L", title: "Gießkanne Zink 10 l", variant: nil, euroCents: 3990, vat: .standard,
            grams: 1400),
        SampleProduct(
            sku: "MUESLI-BIO-750", title: "Bio-Müsli „Früchte & Nüsse“, 750 g", variant: nil, euroCents: 599,
            vat: .reduced, grams: 780),
    ]
}
