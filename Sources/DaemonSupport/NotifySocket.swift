#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The datagram half of systemd's notification protocol (sd_notify(3)), without libsystemd:
/// one `AF_UNIX`/`SOCK_DGRAM` datagram per message to the path in `$NOTIFY_SOCKET`.
///
/// A path starting with `@` names an abstract socket: the `@` becomes a NUL byte and the address
/// length ends at the name (no trailing NUL), as systemd expects.
public struct NotifySocket: Sendable, Equatable {
    public let path: String

    public struct SendError: Error, CustomStringConvertible {
        public let operation: String
        public let errno: Int32
        public var description: String { "sd_notify \(operation) failed (errno \(errno))" }
    }

    /// nil unless `path` is an absolute path or an abstract name (what systemd hands out).
    public init?(path: String) {
        guard path.hasPrefix("/") || (path.hasPrefix("@") && path.utf8.count > 1) else { return nil }
        self.path = path
    }

    /// Sends `message` as one datagram. Never blocks for long: a datagram socket either takes the
    /// message or fails at once.
    public func send(_ message: String) throws(SendError) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var name = Array(path.utf8)
        let abstract = name.first == UInt8(ascii: "@")
        if abstract { name[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        // A regular path needs room for its terminating NUL; an abstract name does not have one.
        guard name.count + (abstract ? 0 : 1) <= capacity else {
            throw SendError(operation: "address", errno: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: name)
        }
        let length = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + name.count + (abstract ? 0 : 1)

        #if canImport(Glibc)
            let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
            let fd = socket(AF_UNIX, SOCK_DGRAM, 0)
        #endif
        guard fd >= 0 else { throw SendError(operation: "socket", errno: errno) }
        defer { close(fd) }
        let bytes = Array(message.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bytes.withUnsafeBytes { body in
                    sendto(fd, body.baseAddress, body.count, Int32(MSG_NOSIGNAL), socketAddress, socklen_t(length))
                }
            }
        }
        guard sent == bytes.count else { throw SendError(operation: "sendto", errno: sent < 0 ? errno : EMSGSIZE) }
    }
}
