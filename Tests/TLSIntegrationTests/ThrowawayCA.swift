import Foundation
import OrdersTestSupport

/// A certificate authority made for one test run with the openssl command: a server certificate
/// for `localhost` only (so connecting to 127.0.0.1 with host-name checks fails), a client
/// certificate, and a second, unrelated CA for the negative cases. Removed by `remove()`.
struct ThrowawayCA {
    let directory: URL
    var caFile: String { path("ca.pem") }
    var otherCAFile: String { path("other-ca.pem") }
    var serverCertificate: String { path("server.pem") }
    var serverKey: String { path("server.key") }
    var clientCertificate: String { path("client.pem") }
    var clientKey: String { path("client.key") }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("orderflow-tls-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=orderflow test CA",
                    "-keyout", path("ca.key"), "-out", caFile)
        try openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=unrelated CA",
                    "-keyout", path("other-ca.key"), "-out", otherCAFile)
        try issue("server", subject: "/CN=localhost", extensions: "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n")
        try issue("client", subject: "/CN=orderflow", extensions: "extendedKeyUsage=clientAuth\n")
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    private func issue(_ name: String, subject: String, extensions: String) throws {
        try Data(extensions.utf8).write(to: URL(fileURLWithPath: path("\(name).ext")))
        try openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", subject, "-keyout", path("\(name).key"), "-out", path("\(name).csr"))
        try openssl("x509", "-req", "-in", path("\(name).csr"), "-CA", caFile, "-CAkey", path("ca.key"), "-CAcreateserial",
                    "-days", "1", "-extfile", path("\(name).ext"), "-out", path("\(name).pem"))
    }

    private func openssl(_ arguments: String...) throws {
        let result = try Shell.run("/usr/bin/openssl", arguments)
        guard result.status == 0 else { throw Shell.Failure(description: "openssl \(arguments.first ?? ""): \(result.output)") }
    }
}

enum Shell {
    struct Failure: Error, CustomStringConvertible { let description: String }
    typealias Result = ChildProcess.Result

    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        try ChildProcess.run(executable, arguments, environment: environment)
    }

    /// A TCP port that was free a moment ago (bound to port 0, then released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { throw Failure(description: "no free port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
