import Foundation
import Glibc
import Synchronization

/// A TCP relay on 127.0.0.1 in front of the broker that the test can cut: every open connection is
/// shut down at once, as when a network path or a broker node fails, while new connections are
/// still relayed. Lets reconnect behaviour be tested without stopping the shared broker.
public final class CuttableProxy: Sendable {
    public let port: UInt16
    private let listener: Int32
    private let targetPort: UInt16
    private let open = Mutex<[Int32]>([])
    private let stopped = Atomic<Bool>(false)
    private let accepted = Atomic<Int>(0)

    /// Connections relayed so far (each reconnect of a client is one more).
    public var connectionsRelayed: Int { accepted.load(ordering: .relaxed) }

    public init(targetPort: UInt16) throws {
        self.targetPort = targetPort
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = Self.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ready = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                fd >= 0 && bind(fd, $0, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ready else { throw POSIXError(.EADDRNOTAVAIL) }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        Thread { [self] in acceptLoop() }.start()
    }

    /// Shuts down every relayed connection; both ends see the connection drop.
    public func cut() {
        for fd in open.withLock({ fds in
            defer { fds = [] }; return fds
        }) { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    public func stop() {
        stopped.store(true, ordering: .relaxed)
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        cut()
    }

    private func acceptLoop() {
        while !stopped.load(ordering: .relaxed) {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: targetPort)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else { close(client); close(upstream); continue }
            open.withLock { $0 += [client, upstream] }
            accepted.add(1, ordering: .relaxed)
            let finished = Atomic<Int>(0)
            // The second direction to end closes both sockets, after they left the list that cut() uses.
            let done: @Sendable () -> Void = { [self] in
                guard finished.add(1, ordering: .acquiringAndReleasing).newValue == 2 else { return }
                open.withLock { $0.removeAll { $0 == client || $0 == upstream } }
                close(client)
                close(upstream)
            }
            Thread {
                Self.pump(from: client, to: upstream); done()
            }.start()
            Thread {
                Self.pump(from: upstream, to: client); done()
            }.start()
        }
    }

    private static func pump(from source: Int32, to destination: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            var written = 0
            while written < count {
                // MSG_NOSIGNAL: a peer already cut must not kill the test process with SIGPIPE.
                let n = buffer.withUnsafeBytes {
                    send(destination, $0.baseAddress! + written, count - written, Int32(MSG_NOSIGNAL))
                }
                guard n > 0 else { break }
                written += n
            }
            guard written == count else { break }
        }
        shutdown(source, Int32(SHUT_RDWR))
        shutdown(destination, Int32(SHUT_RDWR))
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
