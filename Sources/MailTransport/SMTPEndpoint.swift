import Foundation

/// Where and how to send: an `smtp://` or `smtps://` URL, optionally with `user:password@` and
/// `?starttls=required` (refuse to send unless the server upgrades the plain connection to TLS).
public struct SMTPEndpoint: Sendable, CustomStringConvertible {
    /// The URL libcurl gets: the query removed, credentials kept (libcurl decodes them).
    let curlURL: String
    public let requireStartTLS: Bool
    public let isImplicitTLS: Bool
    /// The URL with the password replaced, for log lines and errors.
    public let redacted: String

    public init(url: String) throws(MailTransportError) {
        guard var components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "smtp" || scheme == "smtps", let host = components.host, !host.isEmpty
        else {
            throw MailTransportError("SMTP URL must look like smtp://[user:password@]host[:port][?starttls=required] or smtps://…")
        }
        var requireStartTLS = false
        for item in components.queryItems ?? [] {
            switch (item.name, item.value) {
            case ("starttls", "required"?): requireStartTLS = true
            case ("starttls", "no"?), ("starttls", "none"?): requireStartTLS = false
            default: throw MailTransportError("unknown SMTP URL parameter '\(item.name)'; known: starttls=required")
            }
        }
        components.query = nil
        curlURL = components.string ?? url
        self.requireStartTLS = requireStartTLS
        isImplicitTLS = scheme == "smtps"
        if components.password != nil { components.password = "***" }
        redacted = components.string ?? "\(scheme)://\(host)"
    }

    public var description: String { redacted }
}
