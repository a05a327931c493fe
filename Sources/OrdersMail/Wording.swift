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
        }
    }
}
