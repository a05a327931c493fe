import AMQP
import Foundation
import LibPQ
import OrdersTestSupport

/// The Debian 12 test host of `deploy/testhost.sh`: systemd as PID 1 in a container that shares
/// this machine's network, with the orderflow package installed as an operator installs it.
/// Commands run inside through the script; their output comes back whole.
enum TestHost {
    static let script = LocalStack.checkout.appendingPathComponent("deploy/testhost.sh").path

    /// The packages `deploy/local.sh test` built for this run: a release and the same code one
    /// Debian revision later (the upgrade).
    static func package(_ variable: String) throws -> String {
        guard let path = ProcessInfo.processInfo.environment[variable], FileManager.default.fileExists(atPath: path)
        else {
            throw TestFailure(
                "\(variable) names no package: run these tests through `deploy/local.sh test` (its host phase builds "
                    + "them)"
            )
        }
        return path
    }

    @discardableResult
    static func script(_ arguments: [String], allowFailure: Bool = false) throws -> ChildProcess.Result {
        let result = try ChildProcess.run("/bin/bash", [script] + arguments)
        if !allowFailure, result.status != 0 {
            throw TestFailure(
                "testhost.sh \(arguments.joined(separator: " ")) exited \(result.status): \(result.output.suffix(3000))"
            )
        }
        return result
    }

    /// `sh -c COMMAND` inside the host; throws on a non-zero exit unless `allowFailure`.
    @discardableResult
    static func sh(_ command: String, allowFailure: Bool = false) throws -> ChildProcess.Result {
        try script(["exec", "sh", "-c", command], allowFailure: allowFailure)
    }

    static func output(_ command: String) throws -> String {
        try sh(command).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A unit property (`systemctl show -p NAME --value`).
    static func property(_ unit: String, _ name: String) throws -> String {
        try output("systemctl show -p \(name) --value \(unit)")
    }

    /// Writes `text` to `path` inside the host with `mode` (root-owned).
    static func write(_ text: String, to path: String, mode: String = "0644") throws {
        let local = FileManager.default.temporaryDirectory.appendingPathComponent("testhost-\(UUID().uuidString)")
        try Data(text.utf8).write(to: local)
        defer { try? FileManager.default.removeItem(at: local) }
        try sh("mkdir -p \(URL(fileURLWithPath: path).deletingLastPathComponent().path)")
        try script(["copy-in", local.path, path])
        try sh("chown root:root \(path) && chmod \(mode) \(path)")
    }

    /// Journal lines of the units matching `pattern` since `cursor` (from `cursor()`), as JSON entries.
    static func journal(
        _ pattern: String, priority: String? = nil, since cursor: String? = nil
    ) throws -> [[String: Any]] {
        var command = "journalctl --no-pager -o json -u '\(pattern)'"
        if let priority { command += " -p \(priority)" }
        if let cursor { command += " --after-cursor='\(cursor)'" }
        return try sh(command + " 2>/dev/null").output.split(separator: "\n").compactMap { line in
            try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        }
    }

    static func cursor() throws -> String {
        try output("journalctl --no-pager -n 0 --show-cursor | sed -n 's/^-- cursor: //p'")
    }
}

/// The orderflow installation on the test host, against this machine's stack: its own database
/// schema (the units' URLs carry its search_path), the broker's default topology, the SMTP sink.
final class HostInstallation: Sendable {
    static let metricsBase = 19_400
    let schema: String
    let databaseURL: String

    static let shared: Result<HostInstallation, any Error> = Result { try HostInstallation() }

    private init() throws {
        schema = "host_\(UUID().uuidString.prefix(8).lowercased())"
        databaseURL = LocalStack.url(LocalStack.databaseURL, schema: schema)
        let owner = try PostgresConnection(url: LocalStack.databaseURL)
        try owner.execute("CREATE SCHEMA \(schema)")  // from a UUID, not from input
        try TestHost.script(["up"])
        try install(TestHost.package("ORDERFLOW_TEST_PACKAGE"))
        try writeConfiguration()
        try Self.purgeDefaultQueues()
    }

    func install(_ package: String) throws {
        try TestHost.script(["install", package])
    }

    /// What an operator writes after installing: credentials (one per role), the settings file.
    private func writeConfiguration() throws {
        let smtp = ProcessInfo.processInfo.environment["ORDERFLOW_SMTP_URL"] ?? "smtp://127.0.0.1:55025"
        let credentials = [
            "amqp-url": LocalStack.amqpURL, "smtp-url": smtp,
            "database-url-owner": LocalStack.url(LocalStack.databaseURL, schema: schema),
            "database-url-app": LocalStack.url(LocalStack.appDatabaseURL, schema: schema),
            "database-url-read": LocalStack.url(LocalStack.readDatabaseURL, schema: schema),
        ]
        // Written by the package's own tool, from files only root can read (never from arguments).
        for (name, value) in credentials { try TestHost.write(value + "\n", to: "/root/secrets/\(name)", mode: "0600") }
        try TestHost.sh(
            "orderflow-setup credentials "
                + credentials.keys.sorted().map { "--\($0)-file /root/secrets/\($0)" }.joined(separator: " "))
        let template = try TestHost.output("cat /etc/orderflow/orderflow.env")
        try TestHost.write(
            template + """

                # --- this host ---
                ORDERFLOW_METRICS_ADDR=127.0.0.1:\(Self.metricsBase)
                ORDERFLOW_DRAIN_TIMEOUT=15
                ORDERFLOW_MAIL_FROM=Teehaus Vogel <service@teehaus-vogel.example>
                ORDERFLOW_MERCHANT_NAME=Teehaus Vogel
                ORDERFLOW_MERCHANT_LEGAL_NAME=Teehaus Vogel GmbH
                ORDERFLOW_MERCHANT_ADDRESS=Hauptstraße 1, 80331 München
                ORDERFLOW_MERCHANT_REGISTER=Amtsgericht München, HRB 123456
                ORDERFLOW_MERCHANT_DIRECTORS=Lena Vogel

                """, to: "/etc/orderflow/orderflow.env")
    }

    /// Earlier runs may have left messages in the default queues this host consumes.
    static func purgeDefaultQueues() throws {
        let broker = try AMQPConnection(try AMQPConfiguration(url: LocalStack.amqpURL))
        defer { broker.close() }
        for queue in ["orderflow.ingest", "orderflow.notifier"] { _ = try? broker.purgeQueue(queue) }
    }

    static let workers = (1...4).map { "orderflow-worker@\($0).service" }
    static let daemons = workers + ["orderflow-notifier.service"]

    /// Enables and starts everything, as the README says; returns when systemctl does (each
    /// `Type=notify` unit has sent READY by then).
    func startAll() throws {
        try TestHost.sh(
            "systemctl enable --now orderflow.target orderflow-notifier.service " + Self.workers.joined(separator: " "))
    }

    func query(_ sql: String) throws -> PostgresResult {
        try PostgresConnection(url: databaseURL).execute(sql)
    }

    func count(_ table: String) throws -> Int {
        Int(try query("SELECT count(*) FROM \(table)").rows.first?.first??.description ?? "") ?? -1
    }

    /// Consumers the broker counts on a queue (passive declare).
    static func consumers(_ queue: String) throws -> (messages: UInt32, consumers: UInt32) {
        let broker = try AMQPConnection(try AMQPConfiguration(url: LocalStack.amqpURL))
        defer { broker.close() }
        return try broker.declareQueue(queue, passive: true)
    }

    /// `orderflow publish shopify --sample N` from this machine onto orderflow.inbound.
    static func publish(_ count: Int, seed: Int, rate: Int) throws -> OrderflowProcess {
        try OrderflowProcess(
            ["publish", "shopify", "--sample", String(count), "--seed", String(seed), "--rate", String(rate)],
            environment: ["ORDERFLOW_AMQP_URL": LocalStack.amqpURL], daemon: false)
    }
}
