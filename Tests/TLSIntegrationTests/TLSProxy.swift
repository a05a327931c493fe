import Foundation
import OrdersTestSupport

/// TLS in front of the local RabbitMQ's plain AMQP port: socat terminates TLS with the throwaway
/// CA's server certificate, demands a client certificate signed by that CA, and relays to the
/// broker. What it exercises is orderflow's side of amqps:// (CA, client certificate, peer and
/// host-name verification); the shared broker is not reconfigured.
final class TLSProxy {
    let port: Int
    private let pid: pid_t

    init(ca: ThrowawayCA, brokerPort: Int) throws {
        port = try Shell.freePort()
        // bash closes every descriptor above 2 (none of this process's leaks into socat), then becomes socat.
        let detached = #"for fd in /proc/$$/fd/*; do fd=${fd##*/}; ((fd > 2)) && eval "exec $fd>&-"; done; exec "$@""#
        pid = try Self.spawn(["/bin/bash", "-c", detached, "detached", "/usr/bin/socat",
            "OPENSSL-LISTEN:\(port),bind=127.0.0.1,reuseaddr,fork,cert=\(ca.serverCertificate),key=\(ca.serverKey),cafile=\(ca.caFile),verify=1",
            "TCP:127.0.0.1:\(brokerPort)"])
        // Listening once a plain TCP connect succeeds.
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if Self.canConnect(port) { return }
            usleep(20_000)
        }
        stop()
        throw Shell.Failure(description: "socat did not listen on \(port)")
    }

    /// Ends socat and the children it forked per connection (its own process group).
    func stop() {
        kill(-pid, SIGKILL)  // SIGTERM may be blocked in the mask a spawned child inherits from a test thread
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// socat in a process group of its own, with only stdin/out/err (on /dev/null): not through
    /// Foundation's Process, whose exit detection would wait for socat's forked children too.
    private static func spawn(_ arguments: [String]) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in 0...2 { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
        guard result == 0 else { throw Shell.Failure(description: "cannot start \(arguments[0]): error \(result)") }
        return pid
    }

    static func canConnect(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// The local broker's port, from LocalStack's URL.
    static var brokerPort: Int {
        let url = LocalStack.amqpURL
        guard let at = url.lastIndex(of: "@"), let colon = url[at...].firstIndex(of: ":") else { return 5672 }
        return Int(url[url.index(after: colon)...].prefix { $0.isNumber }) ?? 5672
    }
}
