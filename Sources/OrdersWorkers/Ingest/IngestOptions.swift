/// Tuning of the ingest worker; the defaults suit one worker process on a small host.
public struct IngestOptions: Sendable {
    /// The queue to consume (SPEC: orderflow.ingest).
    public var queue = "orderflow.ingest"
    /// Deliveries the broker sends ahead (per consumer). Bounds memory and in-flight work.
    public var prefetch: UInt16 = 1000
    /// Most messages written in one transaction.
    public var batchSize = 500
    /// How long a partial batch waits for more messages before it is written. None by default:
    /// messages that arrive during a write already make the next batch, and waiting only adds latency.
    public var batchWindow: Duration = .zero
    /// On SIGTERM: how long in-flight and already-delivered messages may take to be stored and acked.
    public var drainTimeout: Duration = .seconds(20)
    /// First wait before reconnecting to the broker after the connection was lost; doubles (with
    /// jitter) up to 30 s while the broker stays away, back to this once consuming again.
    public var reconnectDelay: Duration = .milliseconds(500)
    /// Declare the topology on every (re)connect, so a deleted queue comes back.
    public var declareTopology = true
    public var deliveryLimit: Int64 = 5
    /// How often the worker logs a progress line (only when something was stored).
    public var progressInterval: Duration = .seconds(10)
    /// Parcels shipped longer ago than this are stored without a shipment event (history imports).
    public var eventHorizon: Duration = .seconds(7 * 86_400)

    public init() {}
}
