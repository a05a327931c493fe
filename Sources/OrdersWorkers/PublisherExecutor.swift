public import AMQP
import Dispatch

/// Runs an `AMQPPublisher` on a serial queue of its own: a librabbitmq connection belongs to one
/// thread, and its blocking calls must stay off Swift's cooperative pool. The connection is opened
/// on first use, replaced after a failure, and renewed after a long idle spell (librabbitmq only
/// answers heartbeats inside its own calls, so an idle connection may have been dropped meanwhile).
public final class PublisherExecutor: Sendable {
    private let queue: DispatchQueue
    private let holder = PublisherHolder()
    private let configuration: AMQPConfiguration
    private let prepare: @Sendable (AMQPConnection) throws(AMQPError) -> Void
    private let maximumIdle: Duration

    /// `prepare` runs on every new connection (to declare the topology).
    public init(configuration: AMQPConfiguration, label: String, maximumIdle: Duration = .seconds(10),
                prepare: @escaping @Sendable (AMQPConnection) throws(AMQPError) -> Void = { _ in }) {
        self.configuration = configuration
        self.prepare = prepare
        self.maximumIdle = maximumIdle
        queue = DispatchQueue(label: "orderflow.amqp.\(label)")
    }

    /// Publishes and waits for the confirms. Throws when no connection could be opened; a connection
    /// that fails during the publish is reported in the result's `failure` and replaced next time.
    public func publish(_ messages: [OutgoingMessage], timeout: Duration = .seconds(10)) async throws(AMQPError) -> PublishBatchResult {
        let result: Result<PublishBatchResult, AMQPError> = await withCheckedContinuation { continuation in
            queue.async { [holder, configuration, prepare, maximumIdle] in
                continuation.resume(returning: Result { () throws(AMQPError) -> PublishBatchResult in
                    if let idleSince = holder.idleSince, ContinuousClock.now - idleSince > maximumIdle {
                        holder.publisher?.underlyingConnection.abandon()
                        holder.publisher = nil
                    }
                    if holder.publisher == nil {
                        let publisher = try AMQPPublisher(configuration)
                        do throws(AMQPError) { try prepare(publisher.underlyingConnection) } catch {
                            publisher.underlyingConnection.abandon()
                            throw error
                        }
                        holder.publisher = publisher
                    }
                    let result = holder.publisher!.publish(messages, timeout: timeout)
                    if result.failure != nil {
                        holder.publisher?.underlyingConnection.abandon()
                        holder.publisher = nil
                    }
                    holder.idleSince = ContinuousClock.now
                    return result
                })
            }
        }
        return try result.get()
    }

    public func close() async {
        await withCheckedContinuation { continuation in
            queue.async { [holder] in
                holder.publisher?.close()
                holder.publisher = nil
                continuation.resume()
            }
        }
    }
}

/// Only ever touched from the executor's serial queue, which is the confinement librabbitmq needs.
private final class PublisherHolder: @unchecked Sendable {
    var publisher: AMQPPublisher?
    var idleSince: ContinuousClock.Instant?
}
