import Foundation

/// A RabbitMQ node of the test's own (its own node name, ports and folder; the local stack's epmd),
/// for tests that need the broker configured differently: its TLS listener with a throwaway CA, or
/// definitions imported into an empty node. The shared local broker is not touched. Runs as the
/// `rabbitmq` user like the local stack's node, so the test must run as root (CI does).
public final class PrivateBroker: @unchecked Sendable {
    public let nodeName: String
    /// The plain AMQP port (127.0.0.1), and the TLS port when started with a CA.
    public let port: Int
    public let tlsPort: Int?
    private let folder: URL

    /// `tls`: adds a TLS listener with the CA's server certificate that demands a client
    /// certificate signed by the same CA (`verify_peer`, `fail_if_no_peer_cert`).
    public init(tls ca: ThrowawayCA? = nil) throws {
        let id = UUID().uuidString.prefix(8).lowercased()
        nodeName = "orderflow-test-\(id)@localhost"
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("orderflow-broker-\(id)")
        port = try LoopbackPort.free()
        tlsPort = ca == nil ? nil : try LoopbackPort.free()
        let distributionPort = try LoopbackPort.free()
        let files = FileManager.default
        for sub in ["mnesia", "log", "tls"] {
            try files.createDirectory(at: folder.appendingPathComponent(sub), withIntermediateDirectories: true)
        }

        var config =
            "listeners.tcp.1 = 127.0.0.1:\(port)\nloopback_users.guest = true\ndisk_free_limit.absolute = 50MB\n"
        if let ca, let tlsPort {
            // The broker reads the files as the rabbitmq user: copies in its own folder.
            for file in ["ca.pem", "server.pem", "server.key"] {
                try files.copyItem(atPath: ca.path(file), toPath: folder.appendingPathComponent("tls/\(file)").path)
            }
            config += """
                listeners.ssl.1 = 127.0.0.1:\(tlsPort)
                ssl_options.cacertfile = \(folder.path)/tls/ca.pem
                ssl_options.certfile = \(folder.path)/tls/server.pem
                ssl_options.keyfile = \(folder.path)/tls/server.key
                ssl_options.verify = verify_peer
                ssl_options.fail_if_no_peer_cert = true

                """
        }
        try Data(config.utf8).write(to: folder.appendingPathComponent("rabbitmq.conf"))
        try Data("[].".utf8).write(to: folder.appendingPathComponent("enabled_plugins"))
        let cookie = folder.appendingPathComponent(".erlang.cookie")
        try Data(UUID().uuidString.replacingOccurrences(of: "-", with: "").utf8).write(to: cookie)
        try files.setAttributes([.posixPermissions: 0o400], ofItemAtPath: cookie.path)
        environment = [
            "HOME": folder.path, "RABBITMQ_NODENAME": nodeName, "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": String(port), "RABBITMQ_DIST_PORT": String(distributionPort),
            "RABBITMQ_MNESIA_BASE": folder.appendingPathComponent("mnesia").path,
            "RABBITMQ_LOG_BASE": folder.appendingPathComponent("log").path,
            "RABBITMQ_CONFIG_FILE": folder.appendingPathComponent("rabbitmq.conf").path,
            "RABBITMQ_ENABLED_PLUGINS_FILE": folder.appendingPathComponent("enabled_plugins").path,
            "RABBITMQ_PID_FILE": folder.appendingPathComponent("rabbitmq.pid").path,
            "ERL_EPMD_ADDRESS": "127.0.0.1",
        ]
        try check(ChildProcess.run("/bin/chown", ["-R", "rabbitmq:rabbitmq", folder.path]), "chown")
        // The node must not inherit this process's descriptors (Foundation would wait for it).
        let detached =
            #"for fd in /proc/$$/fd/*; do fd=${fd##*/}; ((fd > 2)) && eval "exec $fd>&-"; done; exec "$@" </dev/null"#
        try check(
            ChildProcess.run(
                "/bin/bash",
                [
                    "-c", detached, "detached", "/usr/sbin/runuser", "-u", "rabbitmq", "--",
                    "/usr/lib/rabbitmq/bin/rabbitmq-server", "-detached",
                ], environment: environment), "rabbitmq-server")
        // await_startup gives up at once while the node is not reachable yet: poll.
        let deadline = TestTime.deadline(after: .seconds(90))
        while try ctl(["-q", "await_startup", "--timeout", "10"]).status != 0 {
            guard ContinuousClock.now < deadline else {
                let log =
                    (try? ChildProcess.run("/bin/bash", ["-c", "tail -30 \(folder.path)/log/*.log"]).output) ?? ""
                stop()
                throw TestFailure("the private RabbitMQ node did not start:\n\(log)")
            }
            usleep(500_000)
        }
    }

    private let environment: [String: String]

    /// `amqp://guest:guest@127.0.0.1:port/%2F`.
    public var amqpURL: String { "amqp://guest:guest@127.0.0.1:\(port)/%2F" }

    /// Runs rabbitmqctl against this node.
    public func ctl(_ arguments: [String]) throws -> ChildProcess.Result {
        try ChildProcess.run(
            "/usr/sbin/runuser",
            ["-u", "rabbitmq", "--", "/usr/lib/rabbitmq/bin/rabbitmqctl", "-n", nodeName] + arguments,
            environment: environment)
    }

    /// Stops the broker on the node (`rabbitmqctl stop_app`): every client connection is closed,
    /// nothing new is accepted; durable queues and their messages stay for `startApp`.
    public func stopApp() throws { try check(ctl(["-q", "stop_app"]), "stop_app") }

    /// Starts the broker again after `stopApp` and waits until it accepts connections.
    public func startApp() throws {
        try check(ctl(["-q", "start_app"]), "start_app")
        try check(ctl(["-q", "await_startup", "--timeout", "60"]), "await_startup")
    }

    /// Stops the node and removes its folder.
    public func stop() {
        _ = try? ctl(["-q", "stop"])
        try? FileManager.default.removeItem(at: folder)
    }

    private func check(_ result: ChildProcess.Result, _ what: String) throws {
        guard result.status == 0 else { throw TestFailure("\(what) failed: \(result.output)") }
    }
}
