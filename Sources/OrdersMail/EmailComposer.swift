public import Foundation
import Mustache
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

    public init(
        merchant: Merchant, from: MailAddress, replyTo: MailAddress? = nil,
        timeZone: TimeZone = MailFormatting.defaultTimeZone, defaultLanguage: MailLanguage = .de
    ) {
        self.merchant = merchant
        self.from = from
        self.replyTo = replyTo
        self.timeZone = timeZone
        self.defaultLanguage = defaultLanguage
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
        let topic: Wording.Topic =
            switch event.kind {
            case .shipmentDispatched: .shipment
            case .orderDelayed: .delayNotice
            case .voucherIssued: .voucher(event.voucher?.reason ?? .delay)
            }
        let compiled = EmailTemplates.wording(topic, language)
        var context = EmailContext.values(for: event, merchant: merchant, language: language, timeZone: timeZone)
        // The subject is a header: the order number in it is capped (the body keeps it whole).
        var subjectContext = context
        subjectContext["orderNumber"] = HeaderText.capped(event.order.displayNumber)
        let subject = Self.singleLine(compiled.subject.render(subjectContext))
        context["subject"] = subject
        // Paragraphs go in as templates, not as rendered text: they render inside each layout.
        context["paragraphs"] = compiled.paragraphs.filter { !$0.render(context).allSatisfy(\.isWhitespace) }
        return Content(
            subject: subject,
            text: Self.normalizedText(EmailTemplates.text(language).render(context)),
            html: HTML(renderedMarkup: Self.normalizedText(EmailTemplates.html(language).render(context))))
    }

    /// The whole message, or nil when the event has no usable recipient (the email is skipped).
    /// Throws when any header value would carry a control character.
    public func message(for event: OrderEvent, date: Date = Date()) throws(HeaderError) -> EmailMessage? {
        guard let email = event.customer.email else { return nil }
        let to = try MailAddress(email, name: event.customer.name, header: "To")
        let content = content(for: event)
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

    /// CRLF line ends, no trailing blank lines.
    private static func normalizedText(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
