/// The frame around the wording, one per language and format: greeting, paragraphs, the voucher,
/// parcel or delay facts, sign-off and the merchant's company details. Mustache templates; the
/// HTML ones escape every value, the text ones none.
enum Layouts {
    static func text(_ language: MailLanguage) -> String {
        switch language {
        case .de: textDE
        case .en: textEN
        }
    }

    static func html(_ language: MailLanguage) -> String {
        switch language {
        case .de: htmlDE
        case .en: htmlEN
        }
    }

    private static let textDE = """
        {{% CONTENT_TYPE: TEXT}}
        {{#name}}Guten Tag {{name}},{{/name}}{{^name}}Guten Tag,{{/name}}

        {{#paragraphs}}
        {{.}}

        {{/paragraphs}}
        {{#voucher}}
        Ihr Gutscheincode: {{code}}

          Wert:               {{value}}
          Mindestbestellwert: {{minimum}}
          Gültig bis:         {{expiry}} (einschließlich)
        {{#shopURL}}
          Einlösen:           im Shop unter {{shopURL}}
        {{/shopURL}}

        Der Gutschein ist unsere Entschädigung für Ihre Bestellung {{orderNumber}} und kann einmal eingelöst werden; \
        eine Barauszahlung ist nicht möglich.

        {{/voucher}}
        {{#shipment}}
        Versanddienstleister: {{carrier}}
        {{#trackingNumber}}
        Sendungsnummer:       {{trackingNumber}}
        {{/trackingNumber}}
        {{#trackingLink}}
        Sendung verfolgen:    {{trackingLink}}
        {{/trackingLink}}
        {{#hasItems}}

        Im Paket:
        {{#items}}
          {{quantity}} × {{title}}
        {{/items}}
        {{/hasItems}}

        {{/shipment}}
        Bei Fragen antworten Sie einfach auf diese E-Mail.

        Mit freundlichen Grüßen
        Ihr Team von {{merchant}}

        --\u{20}
        {{#imprint}}
        {{.}}
        {{/imprint}}
        """

    private static let textEN = """
        {{% CONTENT_TYPE: TEXT}}
        {{#name}}Hello {{name}},{{/name}}{{^name}}Hello,{{/name}}

        {{#paragraphs}}
        {{.}}

        {{/paragraphs}}
        {{#voucher}}
        Your voucher code: {{code}}

          Value:               {{value}}
          Minimum order value: {{minimum}}
          Valid until:         {{expiry}} (inclusive)
        {{#shopURL}}
          Redeem:              in our shop at {{shopURL}}
        {{/shopURL}}

        This voucher is our compensation for your order {{orderNumber}}. It can be redeemed once and cannot be \
        exchanged for cash.

        {{/voucher}}
        {{#shipment}}
        Carrier:         {{carrier}}
        {{#trackingNumber}}
        Tracking number: {{trackingNumber}}
        {{/trackingNumber}}
        {{#trackingLink}}
        Track parcel:    {{trackingLink}}
        {{/trackingLink}}
        {{#hasItems}}

        In the parcel:
        {{#items}}
          {{quantity}} × {{title}}
        {{/items}}
        {{/hasItems}}

        {{/shipment}}
        If you have any questions, simply reply to this email.

        Kind regards,
        The {{merchant}} team

        --\u{20}
        {{#imprint}}
        {{.}}
        {{/imprint}}
        """

    private static let htmlDE = htmlLayout(
        lang: "de", greeting: "Guten Tag", codeLabel: "Ihr Gutscheincode", valueLabel: "Wert",
        minimumLabel: "Mindestbestellwert",
        expiryLabel: "Gültig bis", inclusive: "(einschließlich)", redeemLabel: "Einlösen", redeemText: "im Shop unter",
        compensation:
            "Der Gutschein ist unsere Entschädigung für Ihre Bestellung {{orderNumber}} und kann einmal eingelöst "
            + "werden; eine Barauszahlung ist nicht möglich.",
        carrierLabel: "Versanddienstleister", numberLabel: "Sendungsnummer", trackLabel: "Sendung verfolgen",
        itemsLabel: "Im Paket",
        questions: "Bei Fragen antworten Sie einfach auf diese E-Mail.",
        closing: "Mit freundlichen Grüßen<br>Ihr Team von {{merchant}}"
    )

    private static let htmlEN = htmlLayout(
        lang: "en", greeting: "Hello", codeLabel: "Your voucher code", valueLabel: "Value",
        minimumLabel: "Minimum order value",
        expiryLabel: "Valid until", inclusive: "(inclusive)", redeemLabel: "Redeem", redeemText: "in our shop at",
        compensation:
            "This voucher is our compensation for your order {{orderNumber}}. It can be redeemed once and cannot be "
            + "exchanged for cash.",
        carrierLabel: "Carrier", numberLabel: "Tracking number", trackLabel: "Track parcel",
        itemsLabel: "In the parcel",
        questions: "If you have any questions, simply reply to this email.",
        closing: "Kind regards,<br>The {{merchant}} team"
    )

    // The labels are constants of this file; every value from an event goes through {{ }} and is escaped.
    private static func htmlLayout(
        lang: String, greeting: String, codeLabel: String, valueLabel: String, minimumLabel: String,
        expiryLabel: String, inclusive: String, redeemLabel: String, redeemText: String,
        compensation: String, carrierLabel: String, numberLabel: String, trackLabel: String,
        itemsLabel: String, questions: String, closing: String
    ) -> String {
        """
        {{% CONTENT_TYPE: HTML}}
        <!DOCTYPE html>
        <html lang="\(lang)">
        <head><meta charset="utf-8"><title>{{subject}}</title></head>
        <body style="margin:0;padding:24px;background:#f6f6f4;font-family:Helvetica,Arial,sans-serif;font-size:15px;\
        line-height:1.5;color:#222">
        <div style="max-width:600px;margin:0 auto;background:#fff;padding:24px 28px;border-radius:6px">
        <p>\(greeting){{#name}} {{name}}{{/name}},</p>
        {{#paragraphs}}
        <p>{{.}}</p>
        {{/paragraphs}}
        {{#voucher}}
        <p style="margin:24px 0 4px">\(codeLabel):</p>
        <p style="margin:0 0 16px;padding:14px;border:2px dashed #222;text-align:center;\
        font-family:Menlo,Consolas,monospace;font-size:26px;font-weight:bold;letter-spacing:3px">{{code}}</p>
        <table style="border-collapse:collapse;margin-bottom:16px">
        <tr><td style="padding:2px 16px 2px 0">\(valueLabel):</td><td><strong>{{value}}</strong></td></tr>
        <tr><td style="padding:2px 16px 2px 0">\(minimumLabel):</td><td>{{minimum}}</td></tr>
        <tr><td style="padding:2px 16px 2px 0">\(expiryLabel):</td><td>{{expiry}} \(inclusive)</td></tr>
        {{#shopURL}}
        <tr><td style="padding:2px 16px 2px 0">\(redeemLabel):</td><td>\(redeemText) <a \
        href="{{shopURL}}">{{shopURL}}</a></td></tr>
        {{/shopURL}}
        </table>
        <p style="font-size:13px;color:#555">\(compensation)</p>
        {{/voucher}}
        {{#shipment}}
        <table style="border-collapse:collapse;margin:16px 0">
        <tr><td style="padding:2px 16px 2px 0">\(carrierLabel):</td><td>{{carrier}}</td></tr>
        {{#trackingNumber}}
        <tr><td style="padding:2px 16px 2px 0">\(numberLabel):</td><td>\
        {{#trackingLink}}<a href="{{trackingLink}}">{{trackingNumber}}</a>{{/trackingLink}}\
        {{^trackingLink}}{{trackingNumber}}{{/trackingLink}}</td></tr>
        {{/trackingNumber}}
        </table>
        {{#trackingLink}}
        <p><a href="{{trackingLink}}" style="display:inline-block;padding:10px \
        18px;background:#222;color:#fff;text-decoration:none;border-radius:4px">\(trackLabel)</a></p>
        {{/trackingLink}}
        {{#hasItems}}
        <p style="margin-bottom:4px">\(itemsLabel):</p>
        <ul style="margin-top:0">
        {{#items}}
        <li>{{quantity}} × {{title}}</li>
        {{/items}}
        </ul>
        {{/hasItems}}
        {{/shipment}}
        <p>\(questions)</p>
        <p>\(closing)</p>
        <hr style="border:none;border-top:1px solid #ddd;margin:24px 0 12px">
        <p style="font-size:12px;color:#777">{{#imprint}}{{.}}<br>{{/imprint}}</p>
        </div>
        </body>
        </html>
        """
    }
}
