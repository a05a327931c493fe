import Foundation
import OrdersTestSupport
import Testing

/// The unit files in systemd/ stay valid and hardened: deploy/check-units.sh runs
/// `systemd-analyze verify` and `systemd-analyze security --offline=true` (2.0 or lower each).
@Suite("systemd units")
struct SystemdUnitTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `ORDERFLOW_BIN`, else the orderflow binary built beside this test bundle (whatever the
    /// scratch path: `swift test --scratch-path .build-pkg` builds both into .build-pkg/debug/).
    static var debugBinary: String {
        if let path = ProcessInfo.processInfo.environment["ORDERFLOW_BIN"], !path.isEmpty { return path }
        let bundle =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")).map(
                URL.init(fileURLWithPath:))
            ?? Bundle.main.executableURL ?? root.appendingPathComponent(".build/debug/x")
        return bundle.deletingLastPathComponent().appendingPathComponent("orderflow").path
    }

    static func unit(_ name: String) throws -> [String] {
        try String(contentsOf: root.appendingPathComponent("systemd/\(name)"), encoding: .utf8).split(separator: "\n")
            .map(String.init)
    }

    @Test func unitsVerifyCleanlyAndRateTwoOrLower() throws {
        let (status, output) = try Self.run(
            Self.root.appendingPathComponent("deploy/check-units.sh").path, [Self.debugBinary])
        #expect(status == 0, "deploy/check-units.sh failed:\n\(output)")
        #expect(output.contains("verify: 6 units clean"), "\(output)")
        for unit in [
            "orderflow-worker@.service", "orderflow-notifier.service", "orderflow-migrate.service",
            "orderflow-prune.service",
        ] {
            #expect(output.contains("security: \(unit) exposure"), "\(unit) not rated:\n\(output)")
        }
    }

    @Test func everyServiceIsNotifyTypedWatchedOrOneshotAndTakesItsSecretsAsCredentials() throws {
        // Each unit its own database role: the owner migrates, the daemons read and write rows.
        let services = [
            ("orderflow-worker@.service", "notify", "database-url-app"),
            ("orderflow-notifier.service", "notify", "database-url-app"),
            ("orderflow-migrate.service", "oneshot", "database-url-owner"),
        ]
        for (unit, type, database) in services {
            let lines = Set(try Self.unit(unit))
            #expect(lines.contains("Type=\(type)"), "\(unit)")
            #expect(lines.contains("EnvironmentFile=-/etc/orderflow/orderflow.env"), "\(unit)")
            #expect(lines.contains("LoadCredential=database-url:/etc/orderflow/credentials/\(database)"), "\(unit)")
            #expect(
                lines.filter { $0.hasPrefix("LoadCredential=database-url:") }.count == 1,
                "\(unit): one database credential")
            #expect(lines.contains("LoadCredential=amqp-url:/etc/orderflow/credentials/amqp-url"), "\(unit)")
            #expect(
                lines.contains(
                    "Environment=SWIFT_BACKTRACE=enable=yes,sanitize=yes,threads=all,images=all,interactive=no,"
                        + "swift-backtrace=/usr/libexec/orderflow/swift-backtrace-static"
                ),
                "\(unit): crash backtraces from the packaged backtracer")
            #expect(
                lines.contains { $0.hasPrefix("RestrictAddressFamilies=") && $0.contains("AF_UNIX") },
                "\(unit): AF_UNIX for NOTIFY_SOCKET")
            #expect(lines.contains { $0.hasPrefix("Documentation=") && $0.contains("man:orderflow(1)") }, "\(unit)")
            let commands = lines.filter { $0.hasPrefix("ExecStart=") }
            #expect(
                !commands.isEmpty && commands.allSatisfy { $0.hasPrefix("ExecStart=/usr/bin/orderflow ") },
                "\(unit): the packaged binary")
            #expect(
                lines.contains { $0.hasPrefix("MemoryMax=") } && lines.contains { $0.hasPrefix("TasksMax=") },
                "\(unit): resource limits")
            if type == "notify" {
                #expect(
                    lines.contains { $0.hasPrefix("WatchdogSec=") } && lines.contains("Restart=on-failure"), "\(unit)")
                #expect(lines.contains("StartLimitBurst=5"), "\(unit)")
                #expect(lines.contains { $0.hasPrefix("MemoryHigh=") }, "\(unit)")
            }
        }
        #expect(
            Set(try Self.unit("orderflow-notifier.service")).contains(
                "LoadCredential=smtp-url:/etc/orderflow/credentials/smtp-url"))
        // Retention needs rows only, and no broker.
        let prune = Set(try Self.unit("orderflow-prune.service"))
        #expect(prune.contains("Type=oneshot") && prune.contains("ExecStart=/usr/bin/orderflow prune"))
        #expect(prune.contains("LoadCredential=database-url:/etc/orderflow/credentials/database-url-app"))
        #expect(prune.contains("EnvironmentFile=-/etc/orderflow/orderflow.env"))
        #expect(!prune.contains { $0.hasPrefix("LoadCredential=amqp-url") })
        #expect(prune.contains { $0.hasPrefix("MemoryMax=") } && prune.contains { $0.hasPrefix("TasksMax=") })
        let worker = Set(try Self.unit("orderflow-worker@.service"))
        // The stop timeout outlasts the worker's default drain (20 s) with room to close.
        #expect(worker.contains("TimeoutStopSec=45s"))
        // Each instance its own metrics port (ORDERFLOW_METRICS_ADDR's port plus N).
        #expect(worker.contains("ExecStart=/usr/bin/orderflow worker --instance %i"))
    }

    /// The prune service runs once a day, spread over an hour across hosts, and a day missed while the host
    /// was down is made up at boot; enabling the timer is what starts it.
    @Test func thePruneTimerRunsItDaily() throws {
        let timer = Set(try Self.unit("orderflow-prune.timer"))
        #expect(timer.contains("OnCalendar=daily"))
        #expect(timer.contains("Persistent=yes"))
        #expect(timer.contains { $0.hasPrefix("RandomizedDelaySec=") })
        #expect(timer.contains("WantedBy=timers.target"))
        // No Unit=: the timer starts the service of its own name.
        #expect(!timer.contains { $0.hasPrefix("Unit=") })
    }

    /// Requires= would restart or stop every worker with the migrate unit, and stop the fleet when a
    /// migration fails (systemd.unit(5)); Wants= and After= keep only the order.
    @Test func theDaemonsWantTheMigrationsWithoutDependingOnThem() throws {
        for unit in ["orderflow-worker@.service", "orderflow-notifier.service"] {
            let lines = try Self.unit(unit)
            let requirements = lines.filter { line in
                ["Requires=", "BindsTo=", "Requisite=", "PartOf="].contains { line.hasPrefix($0) }
                    && line.contains("orderflow-migrate")
            }
            #expect(requirements.isEmpty, "\(unit): \(requirements)")
            #expect(lines.contains("Wants=orderflow-migrate.service"), "\(unit)")
            #expect(
                lines.contains { $0.hasPrefix("After=") && $0.contains("orderflow-migrate.service") },
                "\(unit): migrations still first")
        }
    }

    /// The worker's memory limits hold its prefetch window of the largest messages the broker
    /// accepts (deploy/rabbitmq.conf.example), plus the measured 56 MiB of a million-message drain.
    @Test func theWorkersMemoryLimitsCoverItsPrefetchWindow() throws {
        let config = try String(
            contentsOf: Self.root.appendingPathComponent("deploy/rabbitmq.conf.example"), encoding: .utf8)
        let maxMessage = try #require(
            config.split(separator: "\n").first { $0.hasPrefix("max_message_size") }
                .flatMap { Int($0.split(separator: "=").last?.trimmingCharacters(in: .whitespaces) ?? "") })
        // orderflow refuses bodies over 1 MiB (NormalizationLimits.maxBodyBytes): the broker lets a bit more through.
        #expect(maxMessage > 1 << 20 && maxMessage <= 4 << 20, "max_message_size \(maxMessage)")
        let env = try String(contentsOf: Self.root.appendingPathComponent("deploy/orderflow.env"), encoding: .utf8)
        let prefetch = try #require(
            env.split(separator: "\n").first { $0.hasPrefix("#ORDERFLOW_PREFETCH=") }.flatMap {
                Int($0.split(separator: "=")[1])
            })
        let worker = try Self.unit("orderflow-worker@.service")
        let high = try #require(Self.bytes(worker, "MemoryHigh="))
        let max = try #require(Self.bytes(worker, "MemoryMax="))
        #expect(high >= prefetch * maxMessage + 56 << 20, "MemoryHigh \(high) below the prefetch window")
        #expect(max > high)
        let tasks = try #require(
            worker.first { $0.hasPrefix("TasksMax=") }.flatMap { Int($0.dropFirst("TasksMax=".count)) })
        #expect(tasks >= 64, "11 threads measured on 2 cores, about 2 more per core")
    }

    /// "2560M" / "3G" in bytes.
    static func bytes(_ lines: [String], _ key: String) -> Int? {
        guard let value = lines.first(where: { $0.hasPrefix(key) })?.dropFirst(key.count), let unit = value.last else {
            return nil
        }
        let factors: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        if let factor = factors[unit], let number = Int(value.dropLast()) { return number * factor }
        return Int(value)
    }

    static func run(
        _ script: String, _ arguments: [String], environment: [String: String] = [:]
    ) throws -> (Int32, String) {
        let result = try ChildProcess.run("/bin/bash", [script] + arguments, environment: environment)
        return (result.status, result.output)
    }
}
