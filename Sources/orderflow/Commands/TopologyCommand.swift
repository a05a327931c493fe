import AMQP
import ArgumentParser
import OrdersBroker

struct TopologyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topology",
        abstract: "Declare the exchanges, queues, bindings and dead-letter routes on the broker.",
        discussion: "Idempotent: running it again changes nothing."
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(
        help: ArgumentHelp(
            "Deliveries before a message is dead-lettered [env: ORDERFLOW_DELIVERY_LIMIT]", valueName: "n"))
    var deliveryLimit: Int64?

    func run() throws {
        _ = LogSetup.bootstrap()
        let limit =
            try Setting.number("ORDERFLOW_DELIVERY_LIMIT", flag: deliveryLimit.map(Int.init)).map(Int64.init)
            ?? Topology().deliveryLimit
        let broker = try AMQPNodeRotation(connection.amqpNodes()).connect()
        defer { broker.close() }
        let topology = Topology(deliveryLimit: limit)
        do {
            try topology.declare(on: broker)
        } catch {
            guard error.replyCode == 406 else { throw error }
            throw ValidationError(
                """
                a queue exists with other arguments (\(error.message)); \
                delete it or change it with a policy, then run topology again
                """)
        }
        for queue in topology.workQueues {
            print(
                "\(queue.name): quorum, delivery limit \(limit), bound to \(queue.exchange) "
                    + "\(queue.bindings.joined(separator: " ")), dead letters to \(queue.deadLetterQueue)"
            )
        }
    }
}
