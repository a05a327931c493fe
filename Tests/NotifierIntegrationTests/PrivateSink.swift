import Foundation
import OrdersTestSupport

/// An aiosmtpd sink of this test's own (deploy/smtp_sink.py on a free port, its own folder), for
/// tests that switch the server into an outage with its control file without disturbing others.
/// Uses the local stack's aiosmtpd venv; fails when it is not installed. `@unchecked Sendable`:
/// after init only the file system is touched, and the process only again in deinit.
final class PrivateSink: @unchecked Sendable {
    let port: Int
    let mailbox: Mailbox
    let tempfailFile: String
    private let process = Process()
    private let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("orderflow-sink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        mailbox = Mailbox(directory: folder.appendingPathComponent("mail").path)
        tempfailFile = folder.appendingPathComponent("tempfail").path
        port = try Self.freePort()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
        let python = ProcessInfo.processInfo.environment["ORDERFLOW_TEST_SMTP_PYTHON"]
            ?? URL(fileURLWithPath: Mailbox.shared.directory).deletingLastPathComponent().appendingPathComponent("venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw MailboxError(description: "no aiosmtpd venv at \(python): run deploy/local.sh up")
        }
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [root.appendingPathComponent("deploy/smtp_sink.py").path, "127.0.0.1", String(port), mailbox.directory, tempfailFile]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(15)
        while !Self.accepts(port: port) {
            guard ContinuousClock.now < deadline, process.isRunning else { throw MailboxError(description: "the private SMTP sink did not start") }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    var url: String { "smtp://127.0.0.1:\(port)" }

    func beginOutage() { _ = FileManager.default.createFile(atPath: tempfailFile, contents: Data()) }
    func endOutage() { try? FileManager.default.removeItem(atPath: tempfailFile) }

    deinit {
        // SIGKILL: the child may inherit a blocked SIGTERM from the test runner's thread.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: folder)
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { throw MailboxError(description: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
