public import Foundation
public import OrdersDomain

/// Turns an event into the customer's email: subject, text and HTML in the customer's language,
/// and the headers (From, Reply-To, To, Date, a Message-ID derived from the event id).
public struct EmailComposer: Sendable {
    public var merchant: Merchant
    public var from: MailAddress
    public var replyTo: MailAddress?
    /// Where the merchant counts days: order dates and a voucher's last valid day are this zone's.
    public var timeZone: TimeZone
    /// The language of an order whose locale and country name none of ours.
    public var defaultLanguage: MailLanguage
    /// What the emails say and how they look: the shipped templates, or with an operator's overrides.
    public var templates: MailTemplates
    public var branding: Branding

    public init(
        merchant: Merchant, from: MailAddress, replyTo: MailAddress? = nil,
        timeZone: TimeZone = MailFormatting.defaultTimeZone, defaultLanguage: MailLanguage = .de,
        templates: MailTemplates = .shipped, branding: Branding = Branding()
    ) {
        self.merchant = merchant
        self.from = from
        self.replyTo = replyTo
        self.timeZone = timeZone
        self.defaultLanguage = defaultLanguage
        self.templates = templates
        self.branding = branding
    }

    /// The merchant's look: a logo above every HTML email and the colour of its accents.
    public struct Branding: Sendable {
        /// An https URL; the logo's alt text is the shop's name.
        public var logoURL: String?
        /// A CSS colour, `#rrggbb`.
        public var accentColor: String
        /// The From name in each language ("Teehaus Vogel" / "Vogel Tea House"); the sender's own
        /// name in a language without one.
        public var senderNames: [MailLanguage: String]

        public init(
            logoURL: String? = nil, accentColor: String = "#222222", senderNames: [MailLanguage: String] = [:]
        ) {
            self.logoURL = logoURL
            self.accentColor = accentColor
            self.senderNames = senderNames
        }
    }

    /// Subject and both bodies.
    public struct Content: Sendable, Equatable {
        public let subject: String
        public let text: String
        public let html: HTML
    }

    public func content(for event: OrderEvent) -> Content {
        content(for: event, in: event.language(default: defaultLanguage))
    }

    /// The email in a language of the caller's choice (previews).
    public func content(for event: OrderEvent, in language: MailLanguage) -> Content {
        let kind: MailTemplates.Kind =
            switch event.kind {
            case .shipmentDispatched: .shipmentDispatched
            case .orderDelayed: .orderDelayed
            case .voucherIssued:
                switch event.voucher?.reason ?? .delay {
                case .delay: .voucherDelay
                case .cancellation: .voucherCancellation
                case .incident: .voucherIncident
                }
            }
        var context = EmailContext.values(for: event, merchant: merchant, language: language, timeZone: timeZone)
        context["language"] = language.rawValue
        context["accentColor"] = branding.accentColor
        if let logoURL = branding.logoURL { context["logoURL"] = logoURL }
        // The subject is a header: the order number in it is capped (the body keeps it whole).
        var subjectContext = context
        subjectContext["orderNumber"] = HeaderText.capped(event.order.displayNumber)
        let subject = Self.singleLine(templates.subject(kind, language, context: subjectContext))
        context["subject"] = subject
        return Content(
            subject: subject,
            text: Self.normalizedText(templates.text(kind, language, context: context)),
            html: HTML(renderedMarkup: Self.normalizedText(templates.html(kind, language, context: context).markup)))
    }

    /// The whole message, or nil when the event has no usable recipient (the email is skipped).
    /// Throws when any header value would carry a control character.
    public func message(for event: OrderEvent, date: Date = Date()) throws(HeaderError) -> EmailMessage? {
        guard let email = event.customer.email else { return nil }
        let to = try MailAddress(email, name: event.customer.name, header: "To")
        let language = event.language(default: defaultLanguage)
        let content = content(for: event, in: language)
        var from = from
        if let name = branding.senderNames[language] {
            from = try MailAddress(from.address, name: name, header: "From")
        }
        return EmailMessage(
            eventID: event.eventId, from: from, replyTo: replyTo, to: to, subject: content.subject,
            messageID: Self.messageID(eventID: event.eventId, domain: from.domain),
            date: MailFormatting.rfc5322(date), text: content.text, html: content.html
        )
    }

    /// `<EVENTID@domain>`: the same for every attempt, so a resend after a crash can be folded.
    public static func messageID(eventID: String, domain: String) -> String { "<\(eventID)@\(domain)>" }

    /// Subjects are one line whatever the data says, with single spaces, so a header folds only
    /// between words (they are checked again as header values).
    private static func singleLine(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ")
    }

    /// CRLF line ends, no blank lines at either end and never two in a row (a template's sections
    /// leave them behind).
    private static func normalizedText(_ text: String) -> String {
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
            let blank = line.allSatisfy { $0 == " " || $0 == "\t" }
            if blank && (lines.isEmpty || lines.last?.isEmpty == true) { continue }
            lines.append(blank ? "" : line)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
