import Foundation

/// An aiosmtpd sink of this test's own (deploy/smtp_sink.py on a free port, its own folder), for
/// tests that switch the server into an outage with its control file without disturbing others,
/// or that need TLS (implicit, or STARTTLS required) and a login.
/// Uses the local stack's aiosmtpd venv; fails when it is not installed. `@unchecked Sendable`:
/// after init only the file system is touched, and the process only again in deinit.
public final class PrivateSink: @unchecked Sendable {
    public enum Security {
        case none
        /// TLS from the first byte (smtps://) with the CA's `localhost` certificate.
        case implicitTLS(ThrowawayCA)
        /// Plain connection; STARTTLS offered and required before mail.
        case startTLS(ThrowawayCA)
    }

    public let port: Int
    public let mailbox: Mailbox
    public let tempfailFile: String
    private let process = Process()
    private let folder: URL

    /// `login`: "user:password" the server demands (AUTH, over TLS only); `smtputf8`: whether the
    /// server offers SMTPUTF8 (aiosmtpd does by default).
    public init(security: Security = .none, login: String? = nil, smtputf8: Bool = true) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("orderflow-sink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        mailbox = Mailbox(directory: folder.appendingPathComponent("mail").path)
        tempfailFile = folder.appendingPathComponent("tempfail").path
        port = try LoopbackPort.free()
        let root = LocalStack.checkout
        let python =
            ProcessInfo.processInfo.environment["ORDERFLOW_TEST_SMTP_PYTHON"]
            ?? URL(fileURLWithPath: Mailbox.shared.directory).deletingLastPathComponent().appendingPathComponent(
                "venv/bin/python"
            ).path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw TestFailure("no aiosmtpd venv at \(python): run deploy/local.sh up")
        }
        process.executableURL = URL(fileURLWithPath: python)
        var arguments = [
            root.appendingPathComponent("deploy/smtp_sink.py").path, "127.0.0.1", String(port), mailbox.directory,
            tempfailFile,
        ]
        switch security {
        case .none: break
        case .implicitTLS(let ca):
            arguments += ["--tls-cert", ca.serverCertificate, "--tls-key", ca.serverKey, "--implicit-tls"]
        case .startTLS(let ca): arguments += ["--tls-cert", ca.serverCertificate, "--tls-key", ca.serverKey]
        }
        if let login { arguments += ["--auth", login] }
        if !smtputf8 { arguments.append("--no-smtputf8") }
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try LoopbackPort.awaitListening(port, what: "the private SMTP sink") { process.isRunning }
    }

    public var url: String { "smtp://127.0.0.1:\(port)" }

    public func beginOutage() { _ = FileManager.default.createFile(atPath: tempfailFile, contents: Data()) }
    public func endOutage() { try? FileManager.default.removeItem(atPath: tempfailFile) }

    deinit {
        // SIGKILL: the child may inherit a blocked SIGTERM from the test runner's thread.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: folder)
    }
}
