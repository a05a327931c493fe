public import Foundation

/// A certificate authority made for one test run with the openssl command: a server certificate
/// for `localhost` only (so connecting to 127.0.0.1 with host-name checks fails), a client
/// certificate, and a second, unrelated CA for the negative cases. Removed by `remove()`.
public struct ThrowawayCA: Sendable {
    public let directory: URL
    public var caFile: String { path("ca.pem") }
    public var otherCAFile: String { path("other-ca.pem") }
    public var serverCertificate: String { path("server.pem") }
    public var serverKey: String { path("server.key") }
    public var clientCertificate: String { path("client.pem") }
    public var clientKey: String { path("client.key") }

    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "orderflow-tls-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try openssl(
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=orderflow test CA",
            "-keyout", path("ca.key"), "-out", caFile)
        try openssl(
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=unrelated CA",
            "-keyout", path("other-ca.key"), "-out", otherCAFile)
        try issue(
            "server", subject: "/CN=localhost",
            extensions: "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n")
        try issue("client", subject: "/CN=orderflow", extensions: "extendedKeyUsage=clientAuth\n")
    }

    public func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    public func remove() { try? FileManager.default.removeItem(at: directory) }

    private func issue(_ name: String, subject: String, extensions: String) throws {
        try Data(extensions.utf8).write(to: URL(fileURLWithPath: path("\(name).ext")))
        try openssl(
            "req", "-newkey", "rsa:2048", "-nodes", "-subj", subject, "-keyout", path("\(name).key"), "-out",
            path("\(name).csr"))
        try openssl(
            "x509", "-req", "-in", path("\(name).csr"), "-CA", caFile, "-CAkey", path("ca.key"), "-CAcreateserial",
            "-days", "1", "-extfile", path("\(name).ext"), "-out", path("\(name).pem"))
    }

    private func openssl(_ arguments: String...) throws {
        let result = try ChildProcess.run("/usr/bin/openssl", arguments)
        guard result.status == 0 else { throw TestFailure("openssl \(arguments.first ?? ""): \(result.output)") }
    }
}
