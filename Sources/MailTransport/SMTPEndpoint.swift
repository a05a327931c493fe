import Foundation

/// Where and how to send: an `smtp://` or `smtps://` URL, optionally with `user:password@`,
/// `starttls=required` (refuse to send unless the server upgrades the plain connection to TLS) and
/// `cacertfile=PATH` (trust the CAs in this PEM file instead of the system's, e.g. a company CA).
/// The server's certificate and host name are always verified when TLS is used. An `smtp://` URL
/// with a login requires STARTTLS unless it says `starttls=no`: a password and every customer's
/// address must not cross the wire in clear text by default.
public struct SMTPEndpoint: Sendable, CustomStringConvertible {
    /// The URL libcurl gets: the query removed, credentials kept (libcurl decodes them).
    let curlURL: String
    public let requireStartTLS: Bool
    public let isImplicitTLS: Bool
    public let caCertificateFile: String?
    /// The URL with the password replaced, for log lines and errors.
    public let redacted: String

    public init(url: String) throws(MailTransportError) {
        guard var components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "smtp" || scheme == "smtps", let host = components.host, !host.isEmpty
        else {
            throw MailTransportError(
                "SMTP URL must look like smtp://[user:password@]host[:port][?starttls=required][&cacertfile=PATH] or "
                    + "smtps://…"
            )
        }
        var requireStartTLS = components.user.map { !$0.isEmpty } ?? false
        var caCertificateFile: String?
        for item in components.queryItems ?? [] {
            switch (item.name, item.value) {
            case ("starttls", "required"?): requireStartTLS = true
            case ("starttls", "no"?): requireStartTLS = false
            case ("cacertfile", let path?) where !path.isEmpty: caCertificateFile = path
            default:
                throw MailTransportError(
                    "unknown SMTP URL parameter '\(item.name)'; known: starttls=required, starttls=no, cacertfile=PATH")
            }
        }
        components.query = nil
        curlURL = components.string ?? url
        self.requireStartTLS = requireStartTLS
        isImplicitTLS = scheme == "smtps"
        self.caCertificateFile = caCertificateFile
        if components.password != nil { components.password = "***" }
        redacted = components.string ?? "\(scheme)://\(host)"
    }

    public var description: String { redacted }
}
