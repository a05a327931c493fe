import Foundation
import OrdersDomain

/// An address with an optional display name, as it goes into From, Reply-To and To. The domain
/// is kept in its ASCII form (IDNA: `bücher.de` is `xn--bcher-kva.de`); a local part that is not
/// ASCII is kept as it is and needs a server that offers SMTPUTF8.
public struct MailAddress: Sendable, Equatable, CustomStringConvertible {
    /// `local@ascii-domain`, as the envelope and the headers carry it.
    public let address: String
    public let name: String?

    /// Refuses anything `Text.email` would not keep and any control character in the name.
    public init(_ address: String, name: String? = nil, header: String = "address") throws(HeaderError) {
        try HeaderValue.check(address, header: header)
        if let name { try HeaderValue.check(name, header: header) }
        guard let usable = Text.email(address), usable == address, let at = usable.lastIndex(of: "@"),
            let domain = IDNA.asciiDomain(String(usable[usable.index(after: at)...]))
        else {
            throw HeaderError(header: header, reason: "not a usable e-mail address")
        }
        self.address = usable[..<at] + "@" + domain
        self.name = name.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Parses "Name <addr@example.com>" or a bare "addr@example.com" (how settings give them).
    public init(parsing text: String, header: String) throws(HeaderError) {
        try HeaderValue.check(text, header: header)
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") {
            var name = String(trimmed[..<open]).trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 {
                name = String(name.dropFirst().dropLast())
            }
            let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            try self.init(address, name: name.isEmpty ? nil : name, header: header)
        } else {
            try self.init(trimmed, header: header)
        }
    }

    /// The domain after the '@', in ASCII (Message-IDs are made under the sender's domain).
    public var domain: String { String(address[address.index(after: address.lastIndex(of: "@")!)...]) }

    /// A local part that is not ASCII: only a server that offers SMTPUTF8 (RFC 6531) may get it.
    public var needsSMTPUTF8: Bool { !address.unicodeScalars.allSatisfy(\.isASCII) }

    /// The header form, unfolded: `Name <address>` with the name quoted or encoded as needed, and
    /// capped at `HeaderText.maximumCharacters`.
    public var headerValue: String {
        guard let name else { return address }
        return EncodedWord.displayName(HeaderText.capped(name)) + " <" + address + ">"
    }

    public var description: String { headerValue }
}
