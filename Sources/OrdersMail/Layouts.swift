import Foundation

/// The frame around the wording, one per language and format: greeting, paragraphs, the voucher,
/// parcel or delay facts, sign-off and the merchant's company details. Mustache templates; the
/// HTML ones escape every value, the text ones none. The labels are constants of this file; every
/// value from an event goes through {{ }}.
enum Layouts {
    struct Labels {
        let greeting, codeLabel, valueLabel, minimumLabel, expiryLabel, inclusive: String
        let redeemLabel, redeemText, compensation: String
        let carrierLabel, numberLabel, trackLabel, itemsLabel, questions: String
        let closing: [String]
    }

    static func labels(_ language: MailLanguage) -> Labels {
        switch language {
        case .de:
            Labels(
                greeting: "Guten Tag", codeLabel: "Ihr Gutscheincode", valueLabel: "Wert",
                minimumLabel: "Mindestbestellwert", expiryLabel: "Gültig bis", inclusive: "(einschließlich)",
                redeemLabel: "Einlösen", redeemText: "im Shop unter",
                compensation: "Der Gutschein ist unsere Entschädigung für Ihre Bestellung {{orderNumber}} und kann "
                    + "einmal eingelöst werden; eine Barauszahlung ist nicht möglich.",
                carrierLabel: "Versanddienstleister", numberLabel: "Sendungsnummer", trackLabel: "Sendung verfolgen",
                itemsLabel: "Im Paket", questions: "Bei Fragen antworten Sie einfach auf diese E-Mail.",
                closing: ["Mit freundlichen Grüßen", "Ihr Team von {{merchant}}"])
        case .en:
            Labels(
                greeting: "Hello", codeLabel: "Your voucher code", valueLabel: "Value",
                minimumLabel: "Minimum order value", expiryLabel: "Valid until", inclusive: "(inclusive)",
                redeemLabel: "Redeem", redeemText: "in our shop at",
                compensation: "This voucher is our compensation for your order {{orderNumber}}. It can be redeemed "
                    + "once and cannot be exchanged for cash.",
                carrierLabel: "Carrier", numberLabel: "Tracking number", trackLabel: "Track parcel",
                itemsLabel: "In the parcel", questions: "If you have any questions, simply reply to this email.",
                closing: ["Kind regards,", "The {{merchant}} team"])
        case .fr:
            Labels(
                greeting: "Bonjour", codeLabel: "Votre code de bon d'achat", valueLabel: "Valeur",
                minimumLabel: "Montant minimum de commande", expiryLabel: "Valable jusqu'au", inclusive: "(inclus)",
                redeemLabel: "Utilisation", redeemText: "dans notre boutique sur",
                compensation: "Ce bon d'achat est notre dédommagement pour votre commande {{orderNumber}}. Il est "
                    + "utilisable une seule fois et ne peut pas être échangé contre de l'argent.",
                carrierLabel: "Transporteur", numberLabel: "Numéro de suivi", trackLabel: "Suivre le colis",
                itemsLabel: "Dans le colis", questions: "Pour toute question, répondez simplement à cet e-mail.",
                closing: ["Cordialement,", "L'équipe {{merchant}}"])
        case .nl:
            Labels(
                greeting: "Goedendag", codeLabel: "Uw waardeboncode", valueLabel: "Waarde",
                minimumLabel: "Minimale bestelwaarde", expiryLabel: "Geldig tot", inclusive: "(inclusief)",
                redeemLabel: "Inwisselen", redeemText: "in onze winkel op",
                compensation: "Deze waardebon is onze compensatie voor uw bestelling {{orderNumber}}. Hij kan één keer "
                    + "worden ingewisseld en kan niet worden omgezet in contant geld.",
                carrierLabel: "Vervoerder", numberLabel: "Trackingnummer", trackLabel: "Zending volgen",
                itemsLabel: "In het pakket", questions: "Hebt u vragen? Beantwoord dan gewoon deze e-mail.",
                closing: ["Met vriendelijke groet,", "Het team van {{merchant}}"])
        case .it:
            Labels(
                greeting: "Buongiorno", codeLabel: "Il Suo codice buono", valueLabel: "Valore",
                minimumLabel: "Importo minimo d'ordine", expiryLabel: "Valido fino al", inclusive: "(incluso)",
                redeemLabel: "Utilizzo", redeemText: "nel nostro negozio su",
                compensation: "Questo buono è il nostro risarcimento per il Suo ordine {{orderNumber}}. Può essere "
                    + "utilizzato una sola volta e non è convertibile in denaro.",
                carrierLabel: "Corriere", numberLabel: "Numero di tracciamento", trackLabel: "Traccia la spedizione",
                itemsLabel: "Nel pacco", questions: "Per qualsiasi domanda, risponda semplicemente a questa e-mail.",
                closing: ["Cordiali saluti,", "Il team di {{merchant}}"])
        }
    }

    static func text(_ language: MailLanguage) -> String {
        let l = labels(language)
        // The facts as aligned columns: each label padded to the longest of its block.
        func column(_ labels: [String]) -> [String] {
            let width = (labels.map(\.count).max() ?? 0) + 2
            return labels.map { ($0 + ":").padding(toLength: width, withPad: " ", startingAt: 0) }
        }
        let voucher = column([l.valueLabel, l.minimumLabel, l.expiryLabel, l.redeemLabel])
        let parcel = column([l.carrierLabel, l.numberLabel, l.trackLabel])
        return """
            {{% CONTENT_TYPE: TEXT}}
            {{#name}}\(l.greeting) {{name}},{{/name}}{{^name}}\(l.greeting),{{/name}}

            {{#paragraphs}}
            {{.}}

            {{/paragraphs}}
            {{#voucher}}
            \(l.codeLabel): {{code}}

              \(voucher[0]){{value}}
              \(voucher[1]){{minimum}}
              \(voucher[2]){{expiry}} \(l.inclusive)
            {{#shopURL}}
              \(voucher[3])\(l.redeemText) {{shopURL}}
            {{/shopURL}}

            \(l.compensation)

            {{/voucher}}
            {{#shipment}}
            \(parcel[0]){{carrier}}
            {{#trackingNumber}}
            \(parcel[1]){{trackingNumber}}
            {{/trackingNumber}}
            {{#trackingLink}}
            \(parcel[2]){{trackingLink}}
            {{/trackingLink}}
            {{#hasItems}}

            \(l.itemsLabel):
            {{#items}}
              {{quantity}} × {{title}}
            {{/items}}
            {{/hasItems}}

            {{/shipment}}
            \(l.questions)

            \(l.closing.joined(separator: "\n"))

            --\u{20}
            {{#imprint}}
            {{.}}
            {{/imprint}}
            """
    }

    static func html(_ language: MailLanguage) -> String {
        let l = labels(language)
        return """
            {{% CONTENT_TYPE: HTML}}
            <!DOCTYPE html>
            <html lang="\(language.rawValue)">
            <head><meta charset="utf-8"><title>{{subject}}</title></head>
            <body style="margin:0;padding:24px;background:#f6f6f4;font-family:Helvetica,Arial,sans-serif;\
            font-size:15px;line-height:1.5;color:#222">
            <div style="max-width:600px;margin:0 auto;background:#fff;padding:24px 28px;border-radius:6px">
            <p>\(l.greeting){{#name}} {{name}}{{/name}},</p>
            {{#paragraphs}}
            <p>{{.}}</p>
            {{/paragraphs}}
            {{#voucher}}
            <p style="margin:24px 0 4px">\(l.codeLabel):</p>
            <p style="margin:0 0 16px;padding:14px;border:2px dashed #222;text-align:center;\
            font-family:Menlo,Consolas,monospace;font-size:26px;font-weight:bold;letter-spacing:3px">{{code}}</p>
            <table style="border-collapse:collapse;margin-bottom:16px">
            <tr><td style="padding:2px 16px 2px 0">\(l.valueLabel):</td><td><strong>{{value}}</strong></td></tr>
            <tr><td style="padding:2px 16px 2px 0">\(l.minimumLabel):</td><td>{{minimum}}</td></tr>
            <tr><td style="padding:2px 16px 2px 0">\(l.expiryLabel):</td><td>{{expiry}} \(l.inclusive)</td></tr>
            {{#shopURL}}
            <tr><td style="padding:2px 16px 2px 0">\(l.redeemLabel):</td><td>\(l.redeemText) <a \
            href="{{shopURL}}">{{shopURL}}</a></td></tr>
            {{/shopURL}}
            </table>
            <p style="font-size:13px;color:#555">\(l.compensation)</p>
            {{/voucher}}
            {{#shipment}}
            <table style="border-collapse:collapse;margin:16px 0">
            <tr><td style="padding:2px 16px 2px 0">\(l.carrierLabel):</td><td>{{carrier}}</td></tr>
            {{#trackingNumber}}
            <tr><td style="padding:2px 16px 2px 0">\(l.numberLabel):</td><td>\
            {{#trackingLink}}<a href="{{trackingLink}}">{{trackingNumber}}</a>{{/trackingLink}}\
            {{^trackingLink}}{{trackingNumber}}{{/trackingLink}}</td></tr>
            {{/trackingNumber}}
            </table>
            {{#trackingLink}}
            <p><a href="{{trackingLink}}" style="display:inline-block;padding:10px \
            18px;background:#222;color:#fff;text-decoration:none;border-radius:4px">\(l.trackLabel)</a></p>
            {{/trackingLink}}
            {{#hasItems}}
            <p style="margin-bottom:4px">\(l.itemsLabel):</p>
            <ul style="margin-top:0">
            {{#items}}
            <li>{{quantity}} × {{title}}</li>
            {{/items}}
            </ul>
            {{/hasItems}}
            {{/shipment}}
            <p>\(l.questions)</p>
            <p>\(l.closing.joined(separator: "<br>"))</p>
            <hr style="border:none;border-top:1px solid #ddd;margin:24px 0 12px">
            <p style="font-size:12px;color:#777">{{#imprint}}{{.}}<br>{{/imprint}}</p>
            </div>
            </body>
            </html>
            """
    }
}
