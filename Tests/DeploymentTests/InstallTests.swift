import AMQP
import Foundation
import OrdersBroker
import OrdersTestSupport
import Testing

/// deploy/install.sh into a scratch root, and the artefacts it installs.
@Suite("install")
struct InstallTests {
    static let root = SystemdUnitTests.root

    @Test func installsEverythingAndKeepsTheOperatorsSettingsOnASecondRun() throws {
        let dest = FileManager.default.temporaryDirectory.appendingPathComponent("orderflow-install-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: dest) }
        let binary = Self.root.appendingPathComponent(".build/debug/orderflow").path
        let script = Self.root.appendingPathComponent("deploy/install.sh").path
        let first = try SystemdUnitTests.run(script, ["--root", dest.path, "--binary", binary])
        #expect(first.0 == 0, "\(first.1)")
        for path in ["usr/local/bin/orderflow", "etc/systemd/system/orderflow-worker@.service", "etc/systemd/system/orderflow-notifier.service",
                     "etc/systemd/system/orderflow-migrate.service", "etc/systemd/system/orderflow.target", "etc/orderflow/orderflow.env",
                     "usr/local/share/orderflow/rabbitmq-definitions.json", "usr/local/share/orderflow/postgres-setup.sql"] {
            #expect(FileManager.default.fileExists(atPath: dest.appendingPathComponent(path).path), "\(path) missing")
        }
        for name in ["amqp-url", "database-url", "smtp-url"] {
            let path = dest.appendingPathComponent("etc/orderflow/credentials/\(name)").path
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(name) must be readable by root only")
        }
        let env = dest.appendingPathComponent("etc/orderflow/orderflow.env")
        let credential = dest.appendingPathComponent("etc/orderflow/credentials/database-url")
        try Data("ORDERFLOW_PREFETCH=200\n".utf8).write(to: env)
        try Data("postgres://orderflow:pw@db/orderflow\n".utf8).write(to: credential)

        let second = try SystemdUnitTests.run(script, ["--root", dest.path, "--binary", binary])
        #expect(second.0 == 0, "\(second.1)")
        #expect(try String(contentsOf: env, encoding: .utf8) == "ORDERFLOW_PREFETCH=200\n")
        #expect(try String(contentsOf: credential, encoding: .utf8) == "postgres://orderflow:pw@db/orderflow\n")
        #expect(FileManager.default.fileExists(atPath: env.path + ".new"))
    }

    /// Every ORDERFLOW_ setting the executable reads is described in the env file template.
    @Test func theEnvTemplateDocumentsEverySetting() throws {
        let template = try String(contentsOf: Self.root.appendingPathComponent("deploy/orderflow.env"), encoding: .utf8)
        let sources = Self.root.appendingPathComponent("Sources/orderflow")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        var settings = Set<String>()
        let pattern = try Regex("ORDERFLOW_[A-Z_]*[A-Z]")
        for file in files {
            for match in try String(contentsOf: file, encoding: .utf8).matches(of: pattern) { settings.insert(String(match.output[0].substring ?? "")) }
        }
        // ORDERFLOW_<NAME>_FILE variants, and prefixes built into names by interpolation (ORDERFLOW_MERCHANT_\(key)).
        settings = settings.filter { setting in !setting.hasSuffix("_FILE") && !settings.contains { $0.hasPrefix(setting + "_") } }
        #expect(settings.contains("ORDERFLOW_PREFETCH"))
        for setting in settings.sorted() {
            #expect(template.contains("#\(setting)=") || template.contains("\n\(setting)="), "\(setting) is not in deploy/orderflow.env")
        }
    }

    /// The definitions for `rabbitmqctl import_definitions` declare what `orderflow topology` declares.
    @Test func theRabbitMQDefinitionsMatchTheTopology() throws {
        let data = try Data(contentsOf: Self.root.appendingPathComponent("deploy/rabbitmq-definitions.json"))
        let definitions = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let queues = try #require(definitions["queues"] as? [[String: Any]])
        let bindings = try #require(definitions["bindings"] as? [[String: Any]])
        let exchanges = Set((definitions["exchanges"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
        #expect(exchanges == [Topology.inboundExchange, Topology.eventsExchange, Topology.deadLetterExchange])
        let topology = Topology()
        for queue in topology.workQueues {
            let declared = try #require(queues.first { $0["name"] as? String == queue.name }, "\(queue.name)")
            let arguments = try #require(declared["arguments"] as? [String: Any])
            for (key, value) in topology.arguments(for: queue) {
                switch value {
                case .string(let text): #expect(arguments[key] as? String == text, "\(queue.name) \(key)")
                case .int(let number): #expect((arguments[key] as? NSNumber)?.int64Value == number, "\(queue.name) \(key)")
                default: Issue.record("unexpected argument type for \(key)")
                }
            }
            #expect(arguments.count == topology.arguments(for: queue).count, "\(queue.name): no extra arguments")
            #expect(queues.contains { $0["name"] as? String == queue.deadLetterQueue })
            let keys = Set(bindings.filter { $0["destination"] as? String == queue.name }.compactMap { $0["routing_key"] as? String })
            #expect(keys == Set(queue.bindings), "\(queue.name) bindings")
            #expect(bindings.contains { $0["destination"] as? String == queue.deadLetterQueue && $0["routing_key"] as? String == queue.name })
        }
        #expect((definitions["policies"] as? [Any])?.count == 2)
    }
}

/// A crash of the installed binary with the units' own SWIFT_BACKTRACE setting (the backtracer that
/// install.sh puts next to it) leaves a backtrace in the log, as the journal would get it. (Under
/// the units' sandbox itself this needs systemd as PID 1, which this test machine does not have.)
@Suite("crash backtraces")
struct CrashBacktraceTests {
    @Test func anAbortedInstalledWorkerPrintsABacktraceWithTheUnitsSetting() async throws {
        let dest = FileManager.default.temporaryDirectory.appendingPathComponent("orderflow-crash-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: dest) }
        let install = try SystemdUnitTests.run(InstallTests.root.appendingPathComponent("deploy/install.sh").path,
                                               ["--root", dest.path, "--binary", OrderflowProcess.binary])
        #expect(install.0 == 0, "\(install.1)")
        let unit = try String(contentsOf: InstallTests.root.appendingPathComponent("systemd/orderflow-worker@.service"), encoding: .utf8)
        let setting = try #require(unit.split(separator: "\n").first { $0.hasPrefix("Environment=SWIFT_BACKTRACE=") })
            .dropFirst("Environment=SWIFT_BACKTRACE=".count)
            .replacingOccurrences(of: "swift-backtrace=/", with: "swift-backtrace=\(dest.path)/")
        // A queue of the test's own with one message that makes the worker abort (the poison crash point).
        let queue = "test.crash.\(UUID().uuidString.prefix(8))"
        let broker = try AMQPConnection(AMQPConfiguration(url: LocalStack.amqpURL))
        defer { _ = try? broker.deleteQueue(queue); broker.close() }
        try broker.declareQueue(queue, arguments: ["x-queue-type": .string("quorum"), "x-delivery-limit": .int(5)])
        try broker.publish(exchange: "", routingKey: queue, body: Array(#"{"crash": "CRASH-HERE"}"#.utf8), properties: .persistentJSON(messageID: "crash-1"))
        let worker = try OrderflowProcess(["worker", "--no-relay", "--no-sweeper", "--queue", queue], environment: [
            "SWIFT_BACKTRACE": setting, "ORDERFLOW_AMQP_URL": LocalStack.amqpURL, "ORDERFLOW_DATABASE_URL": LocalStack.databaseURL,
            "ORDERFLOW_FAULT_INJECTION": "poison", "ORDERFLOW_FAULT_MARKER": "CRASH-HERE",
        ])
        _ = try await worker.waitForExit(timeout: .seconds(240))
        #expect(worker.process.terminationReason == .uncaughtSignal)
        let log = worker.log
        #expect(log.contains("*** Program crashed: Aborted"), "\(log.prefix(2000))")
        #expect(log.contains(" crashed:") && log.contains("Registers:"), "the crashed thread's frames: \(log.prefix(2000))")
    }
}
