/// Crash points of the reliability suite. The executable arms one from its settings
/// (`ORDERFLOW_FAULT_INJECTION`) and passes the hooks in; the library only calls them.
public enum FaultPoint: String, Sendable, CaseIterable {
    /// Ingest: the batch's statements were executed, COMMIT not yet sent.
    case beforeCommit = "before-commit"
    /// Ingest: COMMIT returned, the batch not yet acked.
    case afterCommit = "after-commit"
    /// Relay: the broker confirmed the events, the outbox not yet marked.
    case afterPublish = "after-publish"
    /// Voucher sync: the shop created the code, the voucher not yet marked synced.
    case afterShopCreate = "after-shop-create"
    /// Notifier: the SMTP server accepted the email, the ledger not yet updated.
    case afterSMTPAccept = "after-smtp-accept"
    /// Ingest: every message whose body contains the configured marker crashes the worker.
    case poison = "poison"
    /// Ingest: the loop stops turning before it stores a batch, while the process lives on: what
    /// a deadlock looks like from outside (no watchdog pings, no acks).
    case wedge = "wedge"
    /// Migrate: a migration whose SQL fails, as a broken release would bring.
    case brokenMigration = "broken-migration"
}

/// What the services call at their fault points. `none` in production: every call does nothing.
public struct FaultHooks: Sendable {
    /// The armed point, if any.
    public let armed: FaultPoint?
    /// Called when a point is reached (the armed one may end the process there).
    public let reached: @Sendable (FaultPoint) -> Void
    /// Called with every ingested body before it is normalised (a poison message ends the process).
    public let inspect: @Sendable (_ body: [UInt8]) -> Void
    /// Awaited before each batch; never returns once a wedge is due.
    public let wedge: @Sendable () async -> Void

    public init(
        armed: FaultPoint?, reached: @escaping @Sendable (FaultPoint) -> Void,
        inspect: @escaping @Sendable ([UInt8]) -> Void = { _ in }, wedge: @escaping @Sendable () async -> Void = {}
    ) {
        self.armed = armed
        self.reached = reached
        self.inspect = inspect
        self.wedge = wedge
    }

    public static let none = FaultHooks(armed: nil, reached: { _ in })

    /// The hook for a point that must be called from inside another call (before COMMIT), or nil
    /// when that point is not armed, so the call takes its one-round-trip form.
    public func hook(_ point: FaultPoint) -> (@Sendable () -> Void)? {
        guard armed == point else { return nil }
        return { [reached] in reached(point) }
    }
}
