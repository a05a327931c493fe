import OrdersDomain

/// The words the code supplies to the templates (`templates/`, where what each email says lives):
/// the short phrases the facts are written with, and an incident's neutral sentence.
enum Wording {
    /// An incident mail's explanation when the campaign gave none in the customer's language.
    static func neutralIncidentMessage(_ language: MailLanguage) -> String {
        switch language {
        case .de: "Wir haben die Ursache behoben und arbeiten daran, dass sich so etwas nicht wiederholt."
        case .en: "We have dealt with the cause and are working to make sure it does not happen again."
        case .fr: "Nous avons remédié à la cause et faisons le nécessaire pour que cela ne se reproduise pas."
        case .nl: "Wij hebben de oorzaak verholpen en doen er alles aan om herhaling te voorkomen."
        case .it: "Abbiamo eliminato la causa e ci stiamo impegnando perché non si ripeta."
        }
    }

    /// The short phrases the facts are written with.
    struct Phrases {
        /// "10 % auf den Warenwert einer Bestellung": `%@` is the formatted percentage.
        let percentOff: String
        let noMinimum: String
        let unknownCarrier: String
        let unnamedItem: String
        let directors: String
        let vatID: String
    }

    static func phrases(_ language: MailLanguage) -> Phrases {
        switch language {
        case .de:
            Phrases(
                percentOff: "%@ auf den Warenwert einer Bestellung", noMinimum: "keiner", unknownCarrier: "Paketdienst",
                unnamedItem: "Artikel", directors: "Geschäftsführung", vatID: "USt-IdNr.")
        case .en:
            Phrases(
                percentOff: "%@ off the goods of one order", noMinimum: "none", unknownCarrier: "parcel service",
                unnamedItem: "Item", directors: "Managing directors", vatID: "VAT ID")
        case .fr:
            Phrases(
                percentOff: "%@ de réduction sur les articles d'une commande", noMinimum: "aucun",
                unknownCarrier: "transporteur", unnamedItem: "Article", directors: "Gérants", vatID: "N° de TVA")
        case .nl:
            Phrases(
                percentOff: "%@ korting op de artikelen van één bestelling", noMinimum: "geen",
                unknownCarrier: "pakketdienst", unnamedItem: "Artikel", directors: "Bestuurders",
                vatID: "Btw-nummer")
        case .it:
            Phrases(
                percentOff: "%@ di sconto sugli articoli di un ordine", noMinimum: "nessuno",
                unknownCarrier: "corriere",
                unnamedItem: "Articolo", directors: "Amministratori", vatID: "Partita IVA")
        }
    }
}
