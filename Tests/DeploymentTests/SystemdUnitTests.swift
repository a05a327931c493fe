import Foundation
import OrdersTestSupport
import Testing

/// The unit files in systemd/ stay valid and hardened: deploy/check-units.sh runs
/// `systemd-analyze verify` and `systemd-analyze security --offline=true` (2.0 or lower each).
@Suite("systemd units")
struct SystemdUnitTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func unitsVerifyCleanlyAndRateTwoOrLower() throws {
        let binary = ProcessInfo.processInfo.environment["ORDERFLOW_BIN"].flatMap { $0.isEmpty ? nil : $0 }
            ?? Self.root.appendingPathComponent(".build/debug/orderflow").path
        let (status, output) = try Self.run(Self.root.appendingPathComponent("deploy/check-units.sh").path, [binary])
        #expect(status == 0, "deploy/check-units.sh failed:\n\(output)")
        #expect(output.contains("verify: 4 units clean"), "\(output)")
        for unit in ["orderflow-worker@.service", "orderflow-notifier.service", "orderflow-migrate.service"] {
            #expect(output.contains("security: \(unit) exposure"), "\(unit) not rated:\n\(output)")
        }
    }

    @Test func everyServiceIsNotifyTypedWatchedOrOneshotAndTakesItsSecretsAsCredentials() throws {
        for (unit, type) in [("orderflow-worker@.service", "notify"), ("orderflow-notifier.service", "notify"), ("orderflow-migrate.service", "oneshot")] {
            let text = try String(contentsOf: Self.root.appendingPathComponent("systemd/\(unit)"), encoding: .utf8)
            let lines = Set(text.split(separator: "\n").map(String.init))
            #expect(lines.contains("Type=\(type)"), "\(unit)")
            #expect(lines.contains("EnvironmentFile=-/etc/orderflow/orderflow.env"), "\(unit)")
            #expect(lines.contains("LoadCredential=database-url:/etc/orderflow/credentials/database-url"), "\(unit)")
            #expect(lines.contains("LoadCredential=amqp-url:/etc/orderflow/credentials/amqp-url"), "\(unit)")
            #expect(lines.contains { $0.hasPrefix("Environment=SWIFT_BACKTRACE=") && $0.contains("swift-backtrace=") }, "\(unit): crash backtraces")
            #expect(lines.contains { $0.hasPrefix("RestrictAddressFamilies=") && $0.contains("AF_UNIX") }, "\(unit): AF_UNIX for NOTIFY_SOCKET")
            if type == "notify" {
                #expect(lines.contains { $0.hasPrefix("WatchdogSec=") } && lines.contains("Restart=on-failure"), "\(unit)")
                #expect(lines.contains("StartLimitBurst=5"), "\(unit)")
            }
        }
        // The stop timeout outlasts the worker's default drain (20 s) with room to close.
        let worker = try String(contentsOf: Self.root.appendingPathComponent("systemd/orderflow-worker@.service"), encoding: .utf8)
        #expect(worker.contains("TimeoutStopSec=45s"))
    }

    static func run(_ script: String, _ arguments: [String]) throws -> (Int32, String) {
        let result = try ChildProcess.run("/bin/bash", [script] + arguments)
        return (result.status, result.output)
    }
}
