public import OrdersMail

/// Where composed emails go: an SMTP server, or a folder of .eml files.
public protocol MailTransport: Sendable {
    func deliver(_ message: EmailMessage) async -> DeliveryOutcome
    func close() async
}
