import OrdersDomain

/// What each email says, per event (and voucher reason) and language, as Mustache templates over
/// the fields of `EmailContext`. The paragraphs are rendered twice, as text and HTML-escaped, and
/// placed in the layouts (`Layouts.swift`); an empty paragraph is dropped.
///
/// The tone is a merchant's: a plain apology, then what the customer gets and has to do. A voucher
/// is always worded as compensation for this one order (SPEC 3.7), never as a promotion.
struct Wording: Sendable {
    let subject: String
    let paragraphs: [String]

    enum Topic: Hashable, Sendable {
        case shipment, delayNotice
        case voucher(VoucherReason)
    }

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

    static func of(_ topic: Topic, _ language: MailLanguage) -> Wording {
        switch (topic, language) {
        case (.voucher(.delay), .de):
            Wording(
                subject: "Ihre Bestellung {{orderNumber}} verspätet sich – unsere Entschuldigung",
                paragraphs: [
                    "Ihre Bestellung {{orderNumber}} vom {{orderDate}} hätte längst bei Ihnen sein sollen. Leider "
                        + "dauert es bei uns länger als versprochen, und dafür möchten wir uns entschuldigen.",
                    "Als Entschädigung für die Verspätung dieser Bestellung erhalten Sie von uns einen Gutschein. "
                        + "Sie müssen nichts weiter tun: Wir versenden Ihre Bestellung so schnell wie möglich, und Sie "
                        + "erhalten eine Versandbestätigung mit der Sendungsnummer.",
                ])
        case (.voucher(.delay), .en):
            Wording(
                subject: "Your order {{orderNumber}} is running late – our apologies",
                paragraphs: [
                    "Your order {{orderNumber}} of {{orderDate}} should have reached you by now. It is taking us "
                        + "longer than we promised, and we are sorry.",
                    "To make up for the delay to this order, we would like to give you a voucher. There is nothing "
                        + "you need to do: we will ship your order as soon as we can and send you a dispatch "
                        + "confirmation with the tracking number.",
                ])
        case (.voucher(.cancellation), .de):
            Wording(
                subject: "Ihre Bestellung {{orderNumber}} wurde storniert – unsere Entschuldigung",
                paragraphs: [
                    "leider mussten wir Ihre Bestellung {{orderNumber}} vom {{orderDate}} stornieren. Es tut uns "
                        + "aufrichtig leid, dass wir sie nicht wie zugesagt ausführen können.",
                    "Falls Sie bereits bezahlt haben, erstatten wir Ihnen den vollen Betrag über die Zahlungsart "
                        + "Ihrer Bestellung. Als Entschädigung für diese stornierte Bestellung erhalten Sie außerdem "
                        + "einen Gutschein.",
                ])
        case (.voucher(.cancellation), .en):
            Wording(
                subject: "Your order {{orderNumber}} has been cancelled – our apologies",
                paragraphs: [
                    "Unfortunately we had to cancel your order {{orderNumber}} of {{orderDate}}. We are truly sorry "
                        + "that we could not fulfil it as promised.",
                    "If you have already paid, we will refund the full amount to the payment method you used. To "
                        + "make up for this cancelled order, we would also like to give you a voucher.",
                ])
        case (.voucher(.incident), .de):
            Wording(
                subject: "Eine Störung bei Ihrer Bestellung {{orderNumber}} – unsere Entschuldigung",
                paragraphs: [
                    "bei Ihrer Bestellung {{orderNumber}} vom {{orderDate}} ist bei uns etwas schiefgelaufen. Das "
                        + "tut uns leid.",
                    "{{incidentMessage}}",
                    "Als Entschädigung für die Unannehmlichkeiten mit dieser Bestellung erhalten Sie von uns einen "
                        + "Gutschein.",
                ])
        case (.voucher(.incident), .en):
            Wording(
                subject: "A problem with your order {{orderNumber}} – our apologies",
                paragraphs: [
                    "Something went wrong on our side with your order {{orderNumber}} of {{orderDate}}, and we are "
                        + "sorry.",
                    "{{incidentMessage}}",
                    "To make up for the trouble with this order, we would like to give you a voucher.",
                ])
        case (.delayNotice, .de):
            Wording(
                subject: "Ihre Bestellung {{orderNumber}} wird später versendet",
                paragraphs: [
                    "leider können wir Ihre Bestellung {{orderNumber}} vom {{orderDate}} nicht wie "
                        + "zugesagt{{#shipBy}} bis zum {{shipBy}}{{/shipBy}} versenden. Das tut uns leid.",
                    "Wir versenden sie so bald wie möglich; sobald das Paket unterwegs ist, erhalten Sie eine "
                        + "Versandbestätigung mit der Sendungsnummer. Wenn Sie nicht länger warten möchten, können Sie "
                        + "die Bestellung in Ihrem Konto bei {{channelName}} stornieren.",
                ])
        case (.delayNotice, .en):
            Wording(
                subject: "Your order {{orderNumber}} will ship later than promised",
                paragraphs: [
                    "We are sorry to tell you that your order {{orderNumber}} of {{orderDate}} cannot be "
                        + "shipped{{#shipBy}} by {{shipBy}}{{/shipBy}} as promised.",
                    "We will ship it as soon as we can and send you a dispatch confirmation with the tracking "
                        + "number. If you would rather not wait, you can cancel the order in your {{channelName}} "
                        + "account.",
                ])
        case (.shipment, .de):
            Wording(
                subject: "Ihre Bestellung {{orderNumber}} ist unterwegs",
                paragraphs: [
                    "Ihre Bestellung {{orderNumber}} hat{{#shippedAt}} am {{shippedAt}}{{/shippedAt}} unser Lager "
                        + "verlassen{{#carrier}} und ist mit {{carrier}} unterwegs zu Ihnen{{/carrier}}."
                ])
        case (.shipment, .en):
            Wording(
                subject: "Your order {{orderNumber}} is on its way",
                paragraphs: [
                    "Your order {{orderNumber}} left our warehouse{{#shippedAt}} on {{shippedAt}}{{/shippedAt}}"
                        + "{{#carrier}} and is on its way to you with {{carrier}}{{/carrier}}."
                ])
        case (.voucher(.delay), .fr):
            Wording(
                subject: "Votre commande {{orderNumber}} a du retard – toutes nos excuses",
                paragraphs: [
                    "Votre commande {{orderNumber}} du {{orderDate}} aurait dû vous parvenir depuis longtemps. Son "
                        + "traitement prend plus de temps que promis, et nous vous prions de nous en excuser.",
                    "Pour compenser le retard de cette commande, nous vous offrons un bon d'achat. Vous n'avez rien "
                        + "à faire : nous expédierons votre commande dès que possible et vous enverrons une "
                        + "confirmation d'expédition avec le numéro de suivi.",
                ])
        case (.voucher(.cancellation), .fr):
            Wording(
                subject: "Votre commande {{orderNumber}} a été annulée – toutes nos excuses",
                paragraphs: [
                    "Nous avons malheureusement dû annuler votre commande {{orderNumber}} du {{orderDate}}. Nous "
                        + "regrettons sincèrement de ne pas pouvoir l'honorer comme promis.",
                    "Si vous avez déjà payé, nous vous rembourserons l'intégralité du montant sur le moyen de "
                        + "paiement utilisé. Pour compenser cette commande annulée, nous vous offrons en outre un bon "
                        + "d'achat.",
                ])
        case (.voucher(.incident), .fr):
            Wording(
                subject: "Un incident concernant votre commande {{orderNumber}} – toutes nos excuses",
                paragraphs: [
                    "Un problème est survenu de notre côté avec votre commande {{orderNumber}} du {{orderDate}}, et "
                        + "nous en sommes désolés.",
                    "{{incidentMessage}}",
                    "Pour compenser la gêne occasionnée par cette commande, nous vous offrons un bon d'achat.",
                ])
        case (.delayNotice, .fr):
            Wording(
                subject: "Votre commande {{orderNumber}} sera expédiée plus tard que prévu",
                paragraphs: [
                    "Nous sommes au regret de vous informer que votre commande {{orderNumber}} du {{orderDate}} ne "
                        + "pourra pas être expédiée{{#shipBy}} d'ici le {{shipBy}}{{/shipBy}} comme promis.",
                    "Nous l'expédierons dès que possible et vous enverrons une confirmation d'expédition avec le "
                        + "numéro de suivi. Si vous ne souhaitez pas attendre, vous pouvez annuler la commande dans "
                        + "votre compte {{channelName}}.",
                ])
        case (.shipment, .fr):
            Wording(
                subject: "Votre commande {{orderNumber}} est en route",
                paragraphs: [
                    "Votre commande {{orderNumber}} a quitté notre entrepôt{{#shippedAt}} le {{shippedAt}}"
                        + "{{/shippedAt}}{{#carrier}} et vous est acheminée par {{carrier}}{{/carrier}}."
                ])
        case (.voucher(.delay), .nl):
            Wording(
                subject: "Uw bestelling {{orderNumber}} is vertraagd – onze excuses",
                paragraphs: [
                    "Uw bestelling {{orderNumber}} van {{orderDate}} had al bij u moeten zijn. Het duurt bij ons "
                        + "langer dan beloofd, en daarvoor bieden wij u onze excuses aan.",
                    "Als compensatie voor de vertraging van deze bestelling ontvangt u van ons een waardebon. U hoeft "
                        + "niets te doen: wij verzenden uw bestelling zo snel mogelijk en sturen u een "
                        + "verzendbevestiging met het trackingnummer.",
                ])
        case (.voucher(.cancellation), .nl):
            Wording(
                subject: "Uw bestelling {{orderNumber}} is geannuleerd – onze excuses",
                paragraphs: [
                    "Helaas moesten wij uw bestelling {{orderNumber}} van {{orderDate}} annuleren. Het spijt ons "
                        + "oprecht dat wij deze niet zoals beloofd kunnen uitvoeren.",
                    "Als u al betaald hebt, betalen wij het volledige bedrag terug via de betaalmethode van uw "
                        + "bestelling. Als compensatie voor deze geannuleerde bestelling ontvangt u daarnaast een "
                        + "waardebon.",
                ])
        case (.voucher(.incident), .nl):
            Wording(
                subject: "Een storing bij uw bestelling {{orderNumber}} – onze excuses",
                paragraphs: [
                    "Bij uw bestelling {{orderNumber}} van {{orderDate}} is bij ons iets misgegaan. Dat spijt ons.",
                    "{{incidentMessage}}",
                    "Als compensatie voor het ongemak met deze bestelling ontvangt u van ons een waardebon.",
                ])
        case (.delayNotice, .nl):
            Wording(
                subject: "Uw bestelling {{orderNumber}} wordt later verzonden",
                paragraphs: [
                    "Helaas kunnen wij uw bestelling {{orderNumber}} van {{orderDate}} niet zoals "
                        + "beloofd{{#shipBy}} uiterlijk {{shipBy}}{{/shipBy}} verzenden. Dat spijt ons.",
                    "Wij verzenden haar zo snel mogelijk en sturen u een verzendbevestiging met het trackingnummer "
                        + "zodra het pakket onderweg is. Wilt u niet langer wachten, dan kunt u de bestelling "
                        + "annuleren in uw account bij {{channelName}}.",
                ])
        case (.shipment, .nl):
            Wording(
                subject: "Uw bestelling {{orderNumber}} is onderweg",
                paragraphs: [
                    "Uw bestelling {{orderNumber}} heeft{{#shippedAt}} op {{shippedAt}}{{/shippedAt}} ons magazijn "
                        + "verlaten{{#carrier}} en is met {{carrier}} onderweg naar u{{/carrier}}."
                ])
        case (.voucher(.delay), .it):
            Wording(
                subject: "Il Suo ordine {{orderNumber}} è in ritardo – Le porgiamo le nostre scuse",
                paragraphs: [
                    "Il Suo ordine {{orderNumber}} del {{orderDate}} avrebbe dovuto raggiungerLa già da tempo. "
                        + "Purtroppo ci sta volendo più del previsto e ce ne scusiamo.",
                    "Come risarcimento per il ritardo di questo ordine, Le offriamo un buono. Non deve fare nulla: "
                        + "spediremo il Suo ordine il prima possibile e Le invieremo una conferma di spedizione con "
                        + "il numero di tracciamento.",
                ])
        case (.voucher(.cancellation), .it):
            Wording(
                subject: "Il Suo ordine {{orderNumber}} è stato annullato – Le porgiamo le nostre scuse",
                paragraphs: [
                    "Purtroppo abbiamo dovuto annullare il Suo ordine {{orderNumber}} del {{orderDate}}. Ci dispiace "
                        + "sinceramente di non poterlo evadere come promesso.",
                    "Se ha già pagato, Le rimborseremo l'intero importo con il metodo di pagamento utilizzato. Come "
                        + "risarcimento per questo ordine annullato, Le offriamo inoltre un buono.",
                ])
        case (.voucher(.incident), .it):
            Wording(
                subject: "Un problema con il Suo ordine {{orderNumber}} – Le porgiamo le nostre scuse",
                paragraphs: [
                    "Con il Suo ordine {{orderNumber}} del {{orderDate}} qualcosa è andato storto da parte nostra, e "
                        + "ce ne scusiamo.",
                    "{{incidentMessage}}",
                    "Come risarcimento per il disagio legato a questo ordine, Le offriamo un buono.",
                ])
        case (.delayNotice, .it):
            Wording(
                subject: "Il Suo ordine {{orderNumber}} verrà spedito più tardi del previsto",
                paragraphs: [
                    "Siamo spiacenti di comunicarLe che il Suo ordine {{orderNumber}} del {{orderDate}} non potrà "
                        + "essere spedito{{#shipBy}} entro il {{shipBy}}{{/shipBy}} come promesso.",
                    "Lo spediremo il prima possibile e Le invieremo una conferma di spedizione con il numero di "
                        + "tracciamento. Se preferisce non attendere, può annullare l'ordine nel Suo account "
                        + "{{channelName}}.",
                ])
        case (.shipment, .it):
            Wording(
                subject: "Il Suo ordine {{orderNumber}} è in viaggio",
                paragraphs: [
                    "Il Suo ordine {{orderNumber}} ha lasciato il nostro magazzino{{#shippedAt}} il {{shippedAt}}"
                        + "{{/shippedAt}}{{#carrier}} ed è in viaggio verso di Lei con {{carrier}}{{/carrier}}."
                ])
        }
    }
}
