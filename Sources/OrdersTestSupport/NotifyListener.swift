import Foundation
import Synchronization

/// systemd's side of `$NOTIFY_SOCKET`, for tests: binds a unix datagram socket (a path, or an
/// abstract name starting with `@`) and records every datagram with the time it arrived.
public final class NotifyListener: Sendable {
    public struct Message: Sendable {
        public let at: ContinuousClock.Instant
        /// The datagram's `KEY=VALUE` lines.
        public let fields: [String]
        public func has(_ field: String) -> Bool { fields.contains(field) }
        public func value(_ key: String) -> String? {
            fields.first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
        }
    }

    /// What to put in `NOTIFY_SOCKET`.
    public let address: String
    private let fd: Int32
    private let messages = Mutex<[Message]>([])
    private let stopped = Atomic<Bool>(false)
    private let done = Mutex<Bool>(false)

    public init(abstract: Bool) throws {
        address =
            abstract
            ? "@orderflow-test-\(UUID().uuidString)"
            : FileManager.default.temporaryDirectory.appendingPathComponent(
                "notify-\(UUID().uuidString.prefix(8)).sock"
            ).path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: errno \(errno)") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        var name = Array(address.utf8)
        if abstract { name[0] = 0 }
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: name) }
        let length = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + name.count + (abstract ? 0 : 1)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(length)) }
        }
        guard bound == 0 else { let e = errno; close(fd); throw TestFailure("bind \(address): errno \(e)") }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let thread = Thread { [self] in receive() }
        thread.name = "notify-listener"
        thread.start()
    }

    private func receive() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !stopped.load(ordering: .relaxed) {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { continue }
            let text = String(decoding: buffer[0..<n], as: UTF8.self)
            let message = Message(at: .now, fields: text.split(separator: "\n").map(String.init))
            messages.withLock { $0.append(message) }
        }
        close(fd)
        done.withLock { $0 = true }
    }

    public var received: [Message] { messages.withLock { $0 } }

    /// Waits for the first message with `field` (e.g. "READY=1"); throws at the deadline.
    @discardableResult
    public func waitFor(_ field: String, timeout: Duration) async throws -> Message {
        let deadline = TestTime.deadline(after: timeout)
        // Checked once more after the deadline: a test process starved of threads may wake late.
        while true {
            if let message = received.first(where: { $0.has(field) }) { return message }
            guard ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestFailure("no \(field) within \(timeout); received: \(received.map(\.fields))")
    }

    public func stop() {
        stopped.store(true, ordering: .relaxed)
        while !done.withLock({ $0 }) { usleep(10_000) }
        if !address.hasPrefix("@") { unlink(address) }
    }
}
