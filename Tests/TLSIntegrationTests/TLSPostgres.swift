import Foundation
import OrdersTestSupport

/// A PostgreSQL 15 cluster of the test's own (initdb in a temporary folder, its own port), with
/// `ssl = on` and the throwaway CA's server certificate; only `hostssl` connections are allowed.
/// The shared local stack is not touched.
struct TLSPostgres: Sendable {
    let directory: URL
    let port: Int

    init(ca: ThrowawayCA) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "orderflow-tls-pg-\(UUID().uuidString.prefix(8))")
        port = try LoopbackPort.free()
        let data = directory.appendingPathComponent("data").path
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for file in ["server.pem", "server.key"] {
            try FileManager.default.copyItem(atPath: ca.path(file), toPath: directory.appendingPathComponent(file).path)
        }
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o600], ofItemAtPath: directory.appendingPathComponent("server.key").path)
        try PrivatePostgres.check(
            ChildProcess.run("/bin/chown", ["-R", "postgres:postgres", directory.path]), "chown")
        try PrivatePostgres.check(
            PrivatePostgres.asPostgres(
                "\(PrivatePostgres.bin)/initdb",
                ["-D", data, "-U", "postgres", "--auth-local=trust", "--auth-host=reject"]),
            "initdb")
        let hba = "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 reject\n"
        try Data(hba.utf8).write(to: URL(fileURLWithPath: data + "/pg_hba.conf"))
        try PrivatePostgres.pgCtlStart(
            data: data, log: directory.path + "/log",
            options: "-p \(port) -c listen_addresses=127.0.0.1 -k \(directory.path) -c ssl=on "
                + "-c ssl_cert_file=\(directory.path)/server.pem -c ssl_key_file=\(directory.path)/server.key "
                + "-c fsync=off")
    }

    /// A URL that reaches the cluster as the superuser (trust over TLS), plus `query`.
    func url(host: String = "localhost", query: String) -> String {
        "postgres://postgres:unused-secret@\(host):\(port)/postgres?\(query)"
    }

    func stop() {
        _ = try? PrivatePostgres.asPostgres(
            "\(PrivatePostgres.bin)/pg_ctl",
            ["-D", directory.appendingPathComponent("data").path, "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(at: directory)
    }
}
