import Foundation
import Synchronization

/// Who may read the console: a request carrying the token (`Authorization: Bearer …`) or the cookie
/// of a session opened by signing in with it. The token is compared in constant time and kept only
/// here; the cookie carries a random session id, never the token.
final class ConsoleAccess: Sendable {
    static let cookieName = "orderflow_console"
    /// A session ends this long after sign-in (and when the process restarts).
    static let sessionLifetime: Duration = .seconds(8 * 3600)

    private let token: [UInt8]
    private let sessions = Mutex<[String: ContinuousClock.Instant]>([:])

    init(token: String) { self.token = Array(token.utf8) }

    /// The same bytes as the token, in a time that depends only on the lengths.
    func isToken(_ candidate: String) -> Bool {
        let given = Array(candidate.utf8)
        var difference = UInt8(given.count == token.count ? 0 : 1)
        for index in 0..<max(given.count, token.count) {
            let a = index < given.count ? given[index] : 0
            let b = index < token.count ? token[index] : 0
            difference |= a ^ b
        }
        return difference == 0 && !token.isEmpty
    }

    func allows(headers: [String: String]) -> Bool {
        if let authorization = headers["authorization"] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer", isToken(String(parts[1])) { return true }
        }
        guard let session = Self.cookie(Self.cookieName, in: headers["cookie"]) else { return false }
        let now = ContinuousClock.now
        return sessions.withLock { $0[session].map { now < $0 } ?? false }
    }

    /// A new session id (256 random bits, hex); sessions that ended are forgotten.
    func openSession() -> String {
        var generator = SystemRandomNumberGenerator()
        let id = (0..<4).map { _ in
            let word = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - word.count) + word
        }.joined()
        let now = ContinuousClock.now
        sessions.withLock { sessions in
            sessions = sessions.filter { now < $0.value }
            sessions[id] = now + Self.sessionLifetime
        }
        return id
    }

    func closeSession(headers: [String: String]) {
        guard let session = Self.cookie(Self.cookieName, in: headers["cookie"]) else { return }
        _ = sessions.withLock { $0.removeValue(forKey: session) }
    }

    static func cookie(_ name: String, in header: String?) -> String? {
        for pair in (header ?? "").split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}
