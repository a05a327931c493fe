public import MailTransport
public import OrdersMail
import Synchronization

/// A mail transport that answers from a script (then accepts everything) and keeps what it was
/// given, for unit tests of the notifier's decisions.
public final class ScriptedMailTransport: MailTransport {
    private struct State: Sendable {
        var script: [DeliveryOutcome]
        var delivered: [EmailMessage] = []
        var started = 0
    }

    private let state: Mutex<State>
    /// How long each delivery takes (a slow server).
    private let latency: Duration

    public init(_ script: [DeliveryOutcome] = [], latency: Duration = .zero) {
        state = Mutex(State(script: script))
        self.latency = latency
    }

    public var delivered: [EmailMessage] { state.withLock { $0.delivered } }
    /// Deliveries begun, including one still in progress.
    public var started: Int { state.withLock { $0.started } }

    public func deliver(_ message: EmailMessage) async -> DeliveryOutcome {
        state.withLock { $0.started += 1 }
        if latency > .zero { try? await Task.sleep(for: latency) }
        return state.withLock { state in
            state.delivered.append(message)
            return state.script.isEmpty ? .accepted(reply: "250 2.0.0 queued") : state.script.removeFirst()
        }
    }

    public func close() async {}
}
