import Foundation
public import OrdersMail

/// Writes each email as `<event id>.eml` into a folder instead of sending it (ORDERFLOW_MAIL_DIR): the
/// bytes the SMTP path sends (`EmailMessage.bytes()`), written to a hidden temporary name, then
/// renamed, so a reader never sees half a file. The name
/// comes from the event id, so writing the same event again replaces the file rather than adding one.
public final class MailDirectory: MailTransport {
    public let path: String
    private let queue = DispatchQueue(label: "orderflow.maildir")

    public init(path: String) throws(MailTransportError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw MailTransportError("cannot create the mail folder \(path): \(error.localizedDescription)")
        }
        self.path = path
    }

    public func deliver(_ message: EmailMessage) async -> DeliveryOutcome {
        await withCheckedContinuation { continuation in
            queue.async { [path] in
                continuation.resume(returning: Self.write(message, into: path))
            }
        }
    }

    public func close() async {}

    private static func write(_ message: EmailMessage, into folder: String) -> DeliveryOutcome {
        let bytes: [UInt8]
        do { bytes = try message.bytes() } catch { return .deferred(reason: "refused header: \(error)") }
        let final = URL(fileURLWithPath: folder).appendingPathComponent("\(message.eventID).eml")
        let temporary = URL(fileURLWithPath: folder).appendingPathComponent(".\(message.eventID).eml.tmp")
        do {
            try Data(bytes).write(to: temporary)
            if rename(temporary.path, final.path) != 0 { throw MailTransportError("rename failed: errno \(errno)") }
        } catch {
            return .deferred(reason: "cannot write \(final.path): \(error)")
        }
        return .accepted(reply: "saved \(final.path)")
    }
}
