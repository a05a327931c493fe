import AMQP
import Foundation
import LibPQ
import OrdersTestSupport
import Testing

/// TLS to both servers with a CA the test makes: PostgreSQL `sslmode=verify-full` against a
/// cluster of the test's own with `ssl = on`, and `amqps://` with a client certificate against a
/// RabbitMQ node of the test's own with its TLS listener on. Then the worker binary over both at once.
@Suite("TLS with a throwaway CA", .serialized)
struct TLSTests {
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["ORDERFLOW_BIN"], !path.isEmpty { return path }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent(".build/debug/orderflow").path
    }

    @Test func postgresVerifyFullConnectsOverTLSAndRefusesAWrongCAOrHost() async throws {
        try await offThePool {
            let ca = try ThrowawayCA()
            defer { ca.remove() }
            let pg = try TLSPostgres(ca: ca)
            defer { pg.stop() }
            let verified = "sslmode=verify-full&sslrootcert=\(ca.caFile)"

            let db = try PostgresConnection(url: pg.url(query: verified))
            #expect(try db.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").rows.first?.first == "t")
            db.close()

            // Another CA, or a host name the certificate does not name: refused, and the password stays out of the
            // error.
            for url in [
                pg.url(query: "sslmode=verify-full&sslrootcert=\(ca.otherCAFile)"),
                pg.url(host: "127.0.0.1", query: verified),
            ] {
                do {
                    _ = try PostgresConnection(url: url)
                    Issue.record("connected despite verification: \(url)")
                } catch {
                    #expect(
                        !"\(error)".contains("unused-secret") && !String(reflecting: error).contains("unused-secret"))
                }
            }
            // verify-ca checks the chain, not the name.
            _ = try PostgresConnection(
                url: pg.url(host: "127.0.0.1", query: "sslmode=verify-ca&sslrootcert=\(ca.caFile)"))
            // Without TLS the server refuses (hostssl only).
            #expect(throws: PostgresError.self) { _ = try PostgresConnection(url: pg.url(query: "sslmode=disable")) }
        }
    }

    @Test func amqpsWithCAAndClientCertificateAndPeerVerification() async throws {
        try await offThePool {
            let ca = try ThrowawayCA()
            defer { ca.remove() }
            let broker = try PrivateBroker(tls: ca)
            defer { broker.stop() }
            let port = try #require(broker.tlsPort)
            let client = "certfile=\(ca.clientCertificate)&keyfile=\(ca.clientKey)"
            let good = "amqps://guest:guest@localhost:\(port)/%2F?cacertfile=\(ca.caFile)&\(client)"

            let queue = "test.tls.\(UUID().uuidString.prefix(8))"
            let connection = try AMQPConnection(AMQPConfiguration(url: good))
            try connection.declareQueue(queue)
            #expect(try connection.declareQueue(queue, passive: true).messages == 0)
            _ = try connection.deleteQueue(queue)
            connection.close()

            let refused = [
                "amqps://guest:guest@localhost:\(port)/%2F?cacertfile=\(ca.caFile)",  // no client certificate
                // The broker's certificate is not signed by this CA.
                "amqps://guest:guest@localhost:\(port)/%2F?cacertfile=\(ca.otherCAFile)&\(client)",
                // The name is not in the certificate.
                "amqps://guest:guest@127.0.0.1:\(port)/%2F?cacertfile=\(ca.caFile)&\(client)",
            ]
            for url in refused {
                #expect(throws: AMQPError.self, "\(url)") { _ = try AMQPConnection(AMQPConfiguration(url: url)) }
            }
            // verify_none accepts any server certificate (the broker still demands the client's).
            let unverified = try AMQPConnection(
                AMQPConfiguration(
                    url:
                        "amqps://guest:guest@127.0.0.1:\(port)/%2F"
                        + "?cacertfile=\(ca.otherCAFile)&\(client)&verify=verify_none"
                ))
            unverified.close()
        }
    }

    @Test func theWorkerIngestsOverAmqpsIntoAVerifyFullDatabase() async throws {
        let ca = try ThrowawayCA()
        defer { ca.remove() }
        let pg = try await offThePool { try TLSPostgres(ca: ca) }
        defer { pg.stop() }
        let broker = try await offThePool { try PrivateBroker(tls: ca) }
        defer { broker.stop() }
        let port = try #require(broker.tlsPort)
        let databaseURL = pg.url(query: "sslmode=verify-full&sslrootcert=\(ca.caFile)")
        let amqpsURL =
            "amqps://guest:guest@localhost:\(port)/%2F"
            + "?cacertfile=\(ca.caFile)&certfile=\(ca.clientCertificate)&keyfile=\(ca.clientKey)"
        let environment = ["ORDERFLOW_DATABASE_URL": databaseURL, "ORDERFLOW_AMQP_URL": amqpsURL]

        let migrate = try await ChildProcess.run(Self.binary, ["migrate"], environment: environment)
        #expect(migrate.status == 0, "\(migrate.output)")

        // A queue of the test's own on the default exchange, filled over the node's plain port.
        let queue = "test.tls.ingest"
        let plain = try AMQPConnection(AMQPConfiguration(url: broker.amqpURL))
        defer { plain.close() }
        try plain.declareQueue(queue, arguments: ["x-queue-type": .string("quorum")])
        let publisher = try AMQPPublisher(AMQPConfiguration(url: broker.amqpURL))
        let result = publisher.publish(
            (1...20).map { n in
                OutgoingMessage(
                    exchange: "", routingKey: queue, body: Self.order(n),
                    properties: .persistentJSON(messageID: "tls-\(n)"))
            })
        publisher.close()
        let confirmed = result.outcomes.filter { $0.isConfirmed }.count
        #expect(confirmed == 20)

        // The default exchange routes by queue name, so the worker sees routing key = queue: the
        // messages become rejects ("unknown routing key"), which is as good a proof of the path.
        let worker = Process()
        worker.executableURL = URL(fileURLWithPath: Self.binary)
        worker.arguments = ["worker", "--queue", queue, "--drain-timeout", "5"]
        worker.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let logURL = FileManager.default.temporaryDirectory.appendingPathComponent(
            "orderflow-tls-worker-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: logURL) }
        let log = try FileHandle(forWritingTo: logURL)
        worker.standardOutput = log
        worker.standardError = log
        worker.standardInput = FileHandle.nullDevice
        try worker.run()
        let db = try PostgresConnection(url: databaseURL)
        let deadline = TestTime.deadline(after: .seconds(30))
        var stored: Int64 = 0
        while ContinuousClock.now < deadline, stored < 20 {
            stored =
                try db.execute("SELECT count(*) FROM rejects").rows.first?.first.flatMap { $0.flatMap { Int64($0) } }
                ?? 0
            try await Task.sleep(for: .milliseconds(100))
        }
        worker.terminate()
        worker.waitUntilExit()
        let output = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
        #expect(stored == 20, "\(output)")
        #expect(worker.terminationStatus == 0, "\(output)")
        #expect(!output.contains("unused-secret"))
        #expect(try plain.declareQueue(queue, passive: true).messages == 0)
    }

    static func order(_ n: Int) -> [UInt8] {
        let json =
            #"{"channel":"webshop","externalId":"TLS-\#(n)","status":"paid","placedAt":"2026-11-02T14:05:00Z","#
            + #""currency":"EUR","totals":{"grand":"1.00"},"lines":[{"quantity":1,"unitPrice":"1.00"}]}"#
        return Array(json.utf8)
    }
}
