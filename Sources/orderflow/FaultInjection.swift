import ArgumentParser
import Foundation
import OrdersWorkers
import Synchronization

/// Crash points for the reliability suite: `ORDERFLOW_FAULT_INJECTION=<point>` makes the process
/// abort (or wedge) at that point, the `ORDERFLOW_FAULT_AFTER`-th time it gets there (default 1);
/// with `poison`, at every message whose body holds `ORDERFLOW_FAULT_MARKER`. Production never
/// sets these variables, and the services then get `FaultHooks.none`.
enum FaultInjection {
    static func hooks(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> FaultHooks {
        guard let name = environment["ORDERFLOW_FAULT_INJECTION"], !name.isEmpty else { return .none }
        guard let point = FaultPoint(rawValue: name) else {
            let known = FaultPoint.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("unknown ORDERFLOW_FAULT_INJECTION '\(name)'; known: \(known)")
        }
        let after = max(1, Int(environment["ORDERFLOW_FAULT_AFTER"] ?? "") ?? 1)
        let hits = Hits()
        let marker = environment["ORDERFLOW_FAULT_MARKER"].flatMap { $0.isEmpty ? nil : Array($0.utf8) }
        return FaultHooks(
            armed: point,
            reached: { reached in
                guard reached == point, hits.increment() == after else { return }
                stop("aborting at \(point.rawValue)")
            },
            inspect: { body in
                guard point == .poison, let marker, contains(body, marker) else { return }
                stop("aborting on a poison message")
            },
            wedge: {
                guard point == .wedge, hits.increment() == after else { return }
                FileHandle.standardError.write(Data("orderflow: fault injection: wedged at \(point.rawValue)\n".utf8))
                while true { try? await Task.sleep(for: .seconds(3600)) }
            })
    }

    /// Whether `point` is armed (for points the executable itself acts on).
    static func isArmed(_ point: FaultPoint) -> Bool { (try? hooks())?.armed == point }

    private static func stop(_ what: String) -> Never {
        FileHandle.standardError.write(Data("orderflow: fault injection: \(what)\n".utf8))
        abort()
    }

    private static func contains(_ body: [UInt8], _ marker: [UInt8]) -> Bool {
        guard body.count >= marker.count else { return false }
        return (0...(body.count - marker.count)).contains { start in
            body[start] == marker[0] && body[start..<start + marker.count].elementsEqual(marker)
        }
    }

    private final class Hits: Sendable {
        private let value = Mutex(0)
        func increment() -> Int {
            value.withLock {
                $0 += 1; return $0
            }
        }
    }
}
