import AMQP
import Foundation
import OrdersBroker
import OrdersTestSupport
import Testing

/// deploy/install.sh (the steps the package cannot take) and the files the package ships.
@Suite("install")
struct InstallTests {
    static let root = SystemdUnitTests.root
    static let script = root.appendingPathComponent("deploy/install.sh").path

    static func scratch(_ name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "orderflow-\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// A secret file as an operator keeps it: root-only.
    static func secret(_ value: String, in folder: URL, _ name: String) throws -> String {
        let file = folder.appendingPathComponent(name)
        try Data((value + "\n").utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        return file.path
    }

    /// `ps` shows every command line to every user: no option takes a secret itself.
    @Test func refusesSecretsOnTheCommandLine() throws {
        for arguments in [
            ["database", "--owner-password", "hunter2"], ["database", "--app-password=hunter2"],
            ["broker", "--password", "hunter2"], ["credentials", "--amqp-url", "amqp://orderflow:hunter2@mq/%2F"],
            ["credentials", "--database-url-app=postgres://orderflow_app:hunter2@db/orderflow"],
        ] {
            let (status, output) = try SystemdUnitTests.run(Self.script, arguments)
            #expect(status != 0, "\(arguments)")
            #expect(output.contains("would show the secret in ps"), "\(arguments): \(output)")
        }
        let (status, output) = try SystemdUnitTests.run(Self.script, ["bogus"])
        #expect(status == 2 && output.contains("install.sh database"), "usage: \(output)")
    }

    /// What the script runs never carries a password: rabbitmqctl reads it from stdin, psql from
    /// the environment (postgres-setup.sql's \getenv).
    @Test func theScriptPutsNoPasswordOnACommandLine() throws {
        let text = try String(contentsOfFile: Self.script, encoding: .utf8)
        let code = text.split(separator: "\n").map(String.init).filter {
            !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#")
        }
        let rabbitmqctl = code.filter { $0.contains("add_user") || $0.contains("change_password") }
        #expect(!rabbitmqctl.isEmpty)
        for line in rabbitmqctl {
            #expect(
                try Regex(#"(add_user|change_password) "\$user" >&2$"#).firstMatch(in: line) != nil,
                "user only, password on stdin: \(line)")
            #expect(line.contains("printf '%s\\n' \"$password\" |"), "\(line)")
        }
        #expect(
            !code.contains { $0.contains("authenticate_user") }, "authenticate_user takes the password as an argument")
        let psql = try #require(code.first { $0.contains("runuser -u postgres") })
        #expect(!psql.contains("-v ") && !psql.contains("password"), "\(psql)")
        #expect(
            code.contains {
                $0.contains("ORDERFLOW_OWNER_PASSWORD=$owner ORDERFLOW_APP_PASSWORD=$app ORDERFLOW_READ_PASSWORD=$read")
            })
        let setup = try String(
            contentsOf: Self.root.appendingPathComponent("deploy/postgres-setup.sql"), encoding: .utf8)
        for variable in ["ORDERFLOW_OWNER_PASSWORD", "ORDERFLOW_APP_PASSWORD", "ORDERFLOW_READ_PASSWORD"] {
            #expect(setup.contains("\\getenv") && setup.contains(variable), "postgres-setup.sql reads \(variable)")
        }
    }

    @Test func credentialsAreWrittenRootOnlyFromFilesAndStandardInput() throws {
        let folder = try Self.scratch("credentials")
        defer { try? FileManager.default.removeItem(at: folder) }
        let dir = folder.appendingPathComponent("credentials")
        let amqp = try Self.secret("amqp://orderflow:pw@mq:5672/%2F", in: folder, "amqp")
        let owner = try Self.secret("postgres://orderflow_owner:o@db/orderflow", in: folder, "owner")
        let app = try Self.secret("postgres://orderflow_app:a@db/orderflow", in: folder, "app")
        let first = try ChildProcess.run(
            "/bin/bash",
            [
                "-c",
                "\"$0\" credentials --dir \"$1\" --amqp-url-file \"$2\" --database-url-owner-file \"$3\" "
                    + "--smtp-url-file - < \"$4\"",
                Self.script, dir.path, amqp, owner,
                try Self.secret("smtp://relay:587?starttls=required", in: folder, "smtp"),
            ])
        #expect(first.status == 0, "\(first.output)")
        #expect(first.output.contains("not yet written: database-url-app database-url-read"), "\(first.output)")
        #expect(
            !first.output.contains("pw@") && !first.output.contains("relay:587"),
            "values are never printed: \(first.output)")
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.path)
        #expect(attributes[.posixPermissions] as? Int == 0o700)
        for (name, value) in [
            ("amqp-url", "amqp://orderflow:pw@mq:5672/%2F"),
            ("database-url-owner", "postgres://orderflow_owner:o@db/orderflow"),
            ("smtp-url", "smtp://relay:587?starttls=required"),
        ] {
            let path = dir.appendingPathComponent(name).path
            #expect(try String(contentsOfFile: path, encoding: .utf8) == value + "\n")
            let file = try FileManager.default.attributesOfItem(atPath: path)
            #expect(
                file[.posixPermissions] as? Int == 0o600 && file[.ownerAccountID] as? Int == 0,
                "\(name) must be root's only")
        }
        // A second run replaces one credential and keeps the others.
        let second = try SystemdUnitTests.run(
            Self.script, ["credentials", "--dir", dir.path, "--database-url-app-file", app])
        #expect(second.0 == 0, "\(second.1)")
        #expect(
            try String(contentsOfFile: dir.appendingPathComponent("database-url-app").path, encoding: .utf8)
                == "postgres://orderflow_app:a@db/orderflow\n")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("amqp-url").path))
        // Refused, and nothing written: empty, the wrong kind of URL, white space, two lines.
        for (option, value) in [
            ("--smtp-url-file", ""), ("--smtp-url-file", "amqp://mq"),
            ("--database-url-read-file", "postgres://a b@db/x"),
            ("--amqp-url-file", "amqp://a@mq\namqp://b@mq"),
        ] {
            let file = try Self.secret(value, in: folder, "bad")
            let (status, output) = try SystemdUnitTests.run(
                Self.script, ["credentials", "--dir", dir.path, option, file])
            #expect(status != 0, "\(option) \(value.debugDescription) accepted: \(output)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("database-url-read").path))
        #expect(
            try String(contentsOfFile: dir.appendingPathComponent("smtp-url").path, encoding: .utf8)
                == "smtp://relay:587?starttls=required\n")
    }

    /// `install.sh broker` against an empty RabbitMQ node of the test's own: the user (its password
    /// from a file, then changed from stdin), its permissions on ^orderflow\. names, the definitions.
    @Test func brokerSetsUpTheUserItsPermissionsAndTheDefinitions() throws {
        let broker = try PrivateBroker()
        defer { broker.stop() }
        let folder = try Self.scratch("broker")
        defer { try? FileManager.default.removeItem(at: folder) }
        // rabbitmqctl for that node, as an operator would pass one with --rabbitmqctl. The node's
        // folder (and cookie) is PrivateBroker's: orderflow-broker-ID beside this test's temp files.
        let id = try #require(broker.nodeName.split(separator: "@").first?.split(separator: "-").last)
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("orderflow-broker-\(id)").path
        #expect(
            FileManager.default.fileExists(atPath: home + "/.erlang.cookie"),
            "PrivateBroker keeps its cookie in \(home)")
        let ctl = folder.appendingPathComponent("rabbitmqctl")
        let script =
            "#!/bin/sh\nexec env HOME='\(home)' ERL_EPMD_ADDRESS=127.0.0.1 /usr/sbin/runuser -u rabbitmq -- "
            + "/usr/lib/rabbitmq/bin/rabbitmqctl -n '\(broker.nodeName)' \"$@\"\n"
        try Data(script.utf8).write(to: ctl)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: ctl.path)

        let first = try SystemdUnitTests.run(
            Self.script,
            [
                "broker", "--rabbitmqctl", ctl.path, "--password-file",
                try Self.secret("first-Secret-1", in: folder, "pw"),
            ])
        #expect(first.0 == 0, "\(first.1)")
        #expect(first.1.contains("adding broker user orderflow"), "\(first.1)")
        let url = { (password: String) in "amqp://orderflow:\(password)@127.0.0.1:\(broker.port)/%2F" }
        do {
            let connection = try AMQPConnection(AMQPConfiguration(url: url("first-Secret-1")))
            defer { connection.close() }
            // The imported queues are there, and the user may declare what orderflow declares.
            #expect(try connection.declareQueue(Topology.ingestQueue, passive: true).messages == 0)
            try Topology().declare(on: connection)
        }
        do {
            // Nothing outside ^orderflow\. names.
            let connection = try AMQPConnection(AMQPConfiguration(url: url("first-Secret-1")))
            defer { connection.close() }
            #expect(throws: (any Error).self) { try connection.declareQueue("other.queue") }
        }
        let policies = try broker.ctl(["-q", "list_policies"])
        #expect(policies.output.contains("orderflow-work-queues"), "\(policies.output)")

        // Again, the new password on stdin: changed, not added; the old one no longer works.
        let second = try ChildProcess.run(
            "/bin/bash",
            [
                "-c", "\"$0\" broker --rabbitmqctl \"$1\" < \"$2\"", Self.script, ctl.path,
                try Self.secret("second-Secret-2", in: folder, "pw2"),
            ])
        #expect(second.status == 0, "\(second.output)")
        #expect(second.output.contains("changing the password of broker user orderflow"), "\(second.output)")
        #expect(!first.1.contains("first-Secret-1") && !second.output.contains("second-Secret-2"))
        #expect(throws: (any Error).self) { try AMQPConnection(AMQPConfiguration(url: url("first-Secret-1"))).close() }
        try AMQPConnection(AMQPConfiguration(url: url("second-Secret-2"))).close()
    }

    /// Every ORDERFLOW_ setting the executable reads is described in the env file template.
    @Test func theEnvTemplateDocumentsEverySetting() throws {
        let template = try String(contentsOf: Self.root.appendingPathComponent("deploy/orderflow.env"), encoding: .utf8)
        let sources = Self.root.appendingPathComponent("Sources/orderflow")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!.compactMap {
            $0 as? URL
        }.filter { $0.pathExtension == "swift" }
        var settings = Set<String>()
        let pattern = try Regex("ORDERFLOW_[A-Z_]*[A-Z]")
        for file in files {
            for match in try String(contentsOf: file, encoding: .utf8).matches(of: pattern) {
                settings.insert(String(match.output[0].substring ?? ""))
            }
        }
        // ORDERFLOW_<NAME>_FILE variants, prefixes built into names by interpolation (ORDERFLOW_MERCHANT_\(key)),
        // and the reliability suite's crash points (ORDERFLOW_FAULT_*), which production never sets.
        settings = settings.filter { setting in
            !setting.hasSuffix("_FILE") && !settings.contains { $0.hasPrefix(setting + "_") }
                && !setting.hasPrefix("ORDERFLOW_FAULT_")
        }
        #expect(settings.contains("ORDERFLOW_PREFETCH"))
        for setting in settings.sorted() {
            #expect(
                template.contains("#\(setting)=") || template.contains("\n\(setting)="),
                "\(setting) is not in deploy/orderflow.env")
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
                case .int(let number):
                    #expect((arguments[key] as? NSNumber)?.int64Value == number, "\(queue.name) \(key)")
                default: Issue.record("unexpected argument type for \(key)")
                }
            }
            #expect(arguments.count == topology.arguments(for: queue).count, "\(queue.name): no extra arguments")
            #expect(queues.contains { $0["name"] as? String == queue.deadLetterQueue })
            let keys = Set(
                bindings.filter { $0["destination"] as? String == queue.name }.compactMap {
                    $0["routing_key"] as? String
                })
            #expect(keys == Set(queue.bindings), "\(queue.name) bindings")
            #expect(
                bindings.contains {
                    $0["destination"] as? String == queue.deadLetterQueue && $0["routing_key"] as? String == queue.name
                })
        }
        #expect((definitions["policies"] as? [Any])?.count == 2)
    }

    /// The broker settings orderflow expects: a message limit a little above orderflow's own, guest
    /// on loopback only, a consumer timeout that outlasts a database outage.
    @Test func theRabbitMQConfigExampleHasTheSettingsOrderflowExpects() throws {
        let lines = try String(
            contentsOf: Self.root.appendingPathComponent("deploy/rabbitmq.conf.example"), encoding: .utf8
        )
        .split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
        let settings = Dictionary(
            lines.compactMap { line -> (String, String)? in
                let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                return parts.count == 2 ? (parts[0], parts[1]) : nil
            }, uniquingKeysWith: { $1 })
        #expect(settings["max_message_size"] == "2097152")
        #expect(settings["loopback_users.guest"] == "true")
        #expect((Int(settings["consumer_timeout"] ?? "") ?? 0) >= 30 * 60 * 1000)
        #expect(settings["queue_leader_locator"] == "balanced")
    }
}
