import Foundation
import Logging

/// Crash points for the reliability suite: `ORDERFLOW_FAULT_INJECTION=<point>` makes the process
/// abort at that point, the `ORDERFLOW_FAULT_AFTER`-th time it gets there (default 1). Production
/// never sets these variables; when they are unset every check is one comparison.
public enum FaultPoint: String, Sendable, CaseIterable {
    /// Ingest: the batch's statements were executed, COMMIT not yet sent.
    case beforeCommit = "before-commit"
    /// Ingest: COMMIT returned, the batch not yet acked.
    case afterCommit = "after-commit"
    /// Relay: the broker confirmed the events, the outbox not yet marked.
    case afterPublish = "after-publish"
    /// Notifier: the SMTP server accepted the email, the ledger not yet updated.
    case afterSMTPAccept = "after-smtp-accept"
    /// Ingest: every message whose body contains `ORDERFLOW_FAULT_MARKER` crashes the worker.
    case poison = "poison"
    /// Ingest: the loop stops turning before it stores a batch, while the process lives on: what
    /// a deadlock looks like from outside (no watchdog pings, no acks).
    case wedge = "wedge"
    /// Migrate: a migration whose SQL fails, as a broken release would bring.
    case brokenMigration = "broken-migration"
}

public enum FaultInjection {
    private static let armed: (point: FaultPoint, after: Int)? = {
        let environment = ProcessInfo.processInfo.environment
        guard let name = environment["ORDERFLOW_FAULT_INJECTION"], !name.isEmpty else { return nil }
        guard let point = FaultPoint(rawValue: name) else {
            FileHandle.standardError.write(Data("orderflow: unknown ORDERFLOW_FAULT_INJECTION '\(name)'; known: \(FaultPoint.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
            exit(64)
        }
        return (point, max(1, Int(environment["ORDERFLOW_FAULT_AFTER"] ?? "") ?? 1))
    }()
    private static let hits = Counter()
    private static let poisonMarker: [UInt8]? = {
        guard armed?.point == .poison, let marker = ProcessInfo.processInfo.environment["ORDERFLOW_FAULT_MARKER"], !marker.isEmpty else { return nil }
        return Array(marker.utf8)
    }()

    /// Whether `point` is armed (to take a slower path that makes the point reachable).
    public static func isArmed(_ point: FaultPoint) -> Bool { armed?.point == point }

    /// Aborts the process if `point` is armed and reached for the configured time.
    public static func reached(_ point: FaultPoint) {
        guard let armed, armed.point == point else { return }
        if hits.increment() == armed.after {
            FileHandle.standardError.write(Data("orderflow: fault injection: aborting at \(point.rawValue)\n".utf8))
            abort()
        }
    }

    /// Never returns if `point` is armed and reached for the configured time: the caller is wedged.
    public static func wedgeIfReached(_ point: FaultPoint) async {
        guard let armed, armed.point == point, hits.increment() == armed.after else { return }
        FileHandle.standardError.write(Data("orderflow: fault injection: wedged at \(point.rawValue)\n".utf8))
        while true { try? await Task.sleep(for: .seconds(3600)) }
    }

    /// Aborts the process when the poison point is armed and `body` carries the marker.
    public static func crashIfPoison(_ body: [UInt8]) {
        guard let poisonMarker, body.count >= poisonMarker.count else { return }
        for start in 0...(body.count - poisonMarker.count) where body[start] == poisonMarker[0] {
            if body[start..<start + poisonMarker.count].elementsEqual(poisonMarker) {
                FileHandle.standardError.write(Data("orderflow: fault injection: aborting on a poison message\n".utf8))
                abort()
            }
        }
    }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func increment() -> Int { lock.withLock { value += 1; return value } }
    }
}
