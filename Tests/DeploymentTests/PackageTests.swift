import AMQP
import Foundation
import OrdersTestSupport
import Testing

/// deploy/package.sh, from a release binary with the Swift runtime linked in: what the package
/// holds (dpkg-deb), lintian's verdict, byte-identical rebuilds, and the packaged binary crashing
/// with the units' own backtrace setting. The tests build no Swift: the binary is
/// ORDERFLOW_PACKAGE_BINARY, else .build-release/release/orderflow (deploy/package.sh builds it).
@Suite("Debian package", .serialized)
struct PackageTests {
    static let script = SystemdUnitTests.root.appendingPathComponent("deploy/package.sh").path

    @Test func holdsTheUnitsTheConffileAndTheSecurityMinimum() throws {
        let built = try BuiltPackage.shared.get()
        #expect(
            built.path.hasPrefix("/") && built.path.hasSuffix("_amd64.deb"),
            "the last line is the package's absolute path: \(built.path)")
        let contents = try Self.dpkgDeb(["-c", built.path])
        for path in [
            "./usr/bin/orderflow", "./usr/libexec/orderflow/swift-backtrace-static",
            "./lib/systemd/system/orderflow-worker@.service", "./lib/systemd/system/orderflow-notifier.service",
            "./lib/systemd/system/orderflow-migrate.service", "./lib/systemd/system/orderflow.target",
            "./lib/systemd/system/orderflow-prune.service", "./lib/systemd/system/orderflow-prune.timer",
            "./usr/share/man/man1/orderflow.prune.1.gz", "./etc/orderflow/orderflow.env",
            "./usr/share/orderflow/rabbitmq-definitions.json",
            "./usr/share/orderflow/postgres-setup.sql", "./usr/share/orderflow/rabbitmq.conf.example",
            "./usr/share/orderflow/orderflow.json", "./usr/share/orderflow/orderflow-rules.yml",
            "./usr/share/orderflow/templates/layout.html.mustache",
            "./usr/share/orderflow/templates/shipment-dispatched.de.text.mustache",
            "./usr/share/orderflow/console/layout.html.mustache", "./usr/share/orderflow/console/order.html.mustache",
            "./usr/share/orderflow/console/console.css",
            "./usr/share/man/man1/orderflow.1.gz", "./usr/share/man/man1/orderflow.worker.1.gz",
            "./usr/share/doc/orderflow/copyright", "./usr/share/doc/orderflow/changelog.Debian.gz",
            "./usr/share/doc/orderflow/build-info",
        ] {
            #expect(contents.contains { $0.hasSuffix(" \(path)") }, "\(path) missing")
        }
        #expect(contents.allSatisfy { $0.contains(" root/root ") }, "every file root's")
        #expect(try Self.dpkgDeb(["-I", built.path, "conffiles"]) == ["/etc/orderflow/orderflow.env"])
        let depends = try Self.dpkgDeb(["-f", built.path, "Depends"]).joined()
        for dependency in ["librabbitmq4 (>= 0.11.0-1+deb12u3)", "libpq5", "libcurl4", "ca-certificates"] {
            #expect(depends.contains(dependency), "Depends: \(depends)")
        }
        let version = try #require(
            try ChildProcess.run(built.binary, ["--version"]).output.split(separator: " ").dropFirst().first)
        #expect(try Self.dpkgDeb(["-f", built.path, "Version"]) == ["\(version)-1"])
    }

    /// Nothing starts, restarts or enables a unit from the maintainer scripts: an upgrade is the
    /// operator's rolling restart, and a fresh install has no credentials yet.
    @Test func theMaintainerScriptsOnlyReloadAndStopOnRemoval() throws {
        let built = try BuiltPackage.shared.get()
        let control = built.folder.appendingPathComponent("control")
        defer { try? FileManager.default.removeItem(at: control) }
        _ = try Self.dpkgDeb(["-e", built.path, control.path])
        let postinst = try String(contentsOf: control.appendingPathComponent("postinst"), encoding: .utf8)
        let prerm = try String(contentsOf: control.appendingPathComponent("prerm"), encoding: .utf8)
        let postrm = try String(contentsOf: control.appendingPathComponent("postrm"), encoding: .utf8)
        for (name, text) in [("postinst", postinst), ("prerm", prerm), ("postrm", postrm)] {
            let code = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
                .joined(separator: "\n")
            for verb in ["enable", "start", "restart", "try-restart", "reload-or-restart"] {
                #expect(
                    code.range(of: "(systemctl|deb-systemd-invoke)[^\\n]* \(verb)( |$)", options: .regularExpression)
                        == nil, "\(name) calls \(verb)")
            }
            #expect(code.contains("[ -d /run/systemd/system ]"), "\(name) acts only when systemd runs")
        }
        #expect(
            postinst.contains("mkdir -m 0700 /etc/orderflow/credentials")
                && postinst.contains("systemctl daemon-reload"))
        #expect(prerm.contains("[ \"$1\" = remove ]") && prerm.contains("deb-systemd-invoke stop orderflow.target"))
        #expect(postrm.contains("rm -rf /etc/orderflow"))
    }

    @Test func lintianFindsNoErrors() throws {
        let built = try BuiltPackage.shared.get()
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/lintian") else {
            Issue.record("lintian is not installed: `deploy/local.sh up` installs it (apt-get install lintian)")
            return
        }
        let result = try ChildProcess.run("/usr/bin/lintian", ["--tag-display-limit", "0", built.path])
        let errors = result.output.split(separator: "\n").filter { $0.hasPrefix("E: ") }
        #expect(errors.isEmpty, "lintian errors:\n\(result.output)")
        #expect(
            !result.output.contains("Non-zero status") && !result.output.contains("internal error"), "\(result.output)")
    }

    @Test func packagingTheSameBinaryAgainGivesTheSameBytes() throws {
        let built = try BuiltPackage.shared.get()
        let again = built.folder.appendingPathComponent("again")
        defer { try? FileManager.default.removeItem(at: again) }
        let result = try ChildProcess.run("/bin/bash", [Self.script, "--binary", built.binary, "--output", again.path])
        #expect(result.status == 0, "\(result.output.suffix(3000))")
        let path = try #require(result.output.split(separator: "\n").last.map(String.init))
        #expect(URL(fileURLWithPath: path).lastPathComponent == URL(fileURLWithPath: built.path).lastPathComponent)
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: path)) == Data(contentsOf: URL(fileURLWithPath: built.path)),
            "not reproducible")
    }

    /// A debug build loads the Swift runtime from /opt/swift: not a binary for another host.
    @Test func refusesABinaryThatNeedsTheToolchainsRuntime() throws {
        let debug = SystemdUnitTests.debugBinary
        let result = try ChildProcess.run(
            "/bin/bash", [Self.script, "--binary", debug, "--output", FileManager.default.temporaryDirectory.path])
        #expect(result.status != 0)
        #expect(result.output.contains("--static-swift-stdlib"), "\(result.output.suffix(2000))")
    }

    /// The packaged binary, aborted with the units' own SWIFT_BACKTRACE setting (pointing into the
    /// unpacked package), writes a backtrace of the crashed thread, as the journal would get it.
    /// (Under systemd and the units' sandbox: HostTests.)
    @Test func thePackagedBinaryCrashesWithABacktrace() async throws {
        let built = try BuiltPackage.shared.get()
        let root = built.folder.appendingPathComponent("unpacked")
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try Self.dpkgDeb(["-x", built.path, root.path])
        let unit = try String(
            contentsOf: root.appendingPathComponent("lib/systemd/system/orderflow-worker@.service"), encoding: .utf8)
        let setting = try #require(unit.split(separator: "\n").first { $0.hasPrefix("Environment=SWIFT_BACKTRACE=") })
            .dropFirst("Environment=SWIFT_BACKTRACE=".count)
            .replacingOccurrences(of: "swift-backtrace=/", with: "swift-backtrace=\(root.path)/")
        // A queue of the test's own with one message that makes the worker abort (the poison crash point).
        let queue = "test.crash.\(UUID().uuidString.prefix(8))"
        let broker = try AMQPConnection(AMQPConfiguration(url: LocalStack.amqpURL))
        defer { _ = try? broker.deleteQueue(queue); broker.close() }
        try broker.declareQueue(queue, arguments: ["x-queue-type": .string("quorum"), "x-delivery-limit": .int(5)])
        try broker.publish(
            exchange: "", routingKey: queue, body: Array(#"{"crash": "CRASH-HERE"}"#.utf8),
            properties: .persistentJSON(messageID: "crash-1"))

        let log = built.folder.appendingPathComponent("crash.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        defer { try? output.close() }
        let worker = Process()
        worker.executableURL = root.appendingPathComponent("usr/bin/orderflow")
        worker.arguments = ["worker", "--no-relay", "--no-sweeper", "--queue", queue, "--instance", "1"]
        worker.environment = [
            "PATH": "/usr/bin:/bin", "SWIFT_BACKTRACE": setting, "ORDERFLOW_AMQP_URL": LocalStack.amqpURL,
            "ORDERFLOW_DATABASE_URL": LocalStack.databaseURL, "ORDERFLOW_FAULT_INJECTION": "poison",
            "ORDERFLOW_FAULT_MARKER": "CRASH-HERE",
        ]
        worker.standardOutput = output
        worker.standardError = output
        worker.standardInput = FileHandle.nullDevice
        try worker.run()
        defer { if worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
        try await waitUntil(timeout: .seconds(240), poll: .milliseconds(100)) { !worker.isRunning }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(worker.terminationReason == .uncaughtSignal, "\(text.suffix(2000))")
        #expect(text.contains("*** Program crashed: Aborted"), "\(text.prefix(2000))")
        #expect(
            text.contains(" crashed:") && text.contains("Registers:"),
            "the crashed thread's frames: \(text.prefix(2000))")
    }

    static func dpkgDeb(_ arguments: [String]) throws -> [String] {
        let result = try ChildProcess.run("/usr/bin/dpkg-deb", arguments)
        guard result.status == 0 else {
            throw TestFailure("dpkg-deb \(arguments.joined(separator: " ")) failed: \(result.output)")
        }
        return result.output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    }
}

/// The package these tests share, built once per run (revision 1) into a temporary folder that
/// outlives the run (about 20 MB): the tests' own extra files are removed by each test.
final class BuiltPackage: Sendable {
    let binary: String
    let folder: URL
    let path: String

    static let shared: Result<BuiltPackage, any Error> = Result { try BuiltPackage() }

    private init() throws {
        let environment = ProcessInfo.processInfo.environment
        binary =
            environment["ORDERFLOW_PACKAGE_BINARY"].flatMap { $0.isEmpty ? nil : $0 }
            ?? SystemdUnitTests.root.appendingPathComponent(".build-release/release/orderflow").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw TestFailure(
                "no release binary at \(binary): `deploy/package.sh` builds one (swift build -c release "
                    + "--static-swift-stdlib --scratch-path .build-release), or set ORDERFLOW_PACKAGE_BINARY"
            )
        }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "orderflow-package-\(UUID().uuidString.prefix(8))")
        let result = try ChildProcess.run(
            "/bin/bash",
            [PackageTests.script, "--binary", binary, "--output", folder.appendingPathComponent("out").path])
        guard result.status == 0, let last = result.output.split(separator: "\n").last else {
            throw TestFailure("deploy/package.sh failed (\(result.status)):\n\(result.output.suffix(3000))")
        }
        path = String(last)
    }
}
