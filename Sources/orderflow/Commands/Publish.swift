import AMQP
import ArgumentParser
import Foundation
import OrdersBroker
import OrdersDomain
import OrdersPublishing
import OrdersSamples

struct Publish: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Publish channel-order files or generated samples, with publisher confirms.",
        discussion: """
            Files are sent byte for byte, unvalidated, on order.<channel> (shipment.<source> with --shipment). \
            --sample N generates N realistic, distinct orders in the channel's native format; the same --seed \
            generates the same orders again (and the same message ids). --shipment --sample N generates \
            shipment.canonical notices for the sample orders of --orders <channel> with that seed. \
            Exit status 1 unless every message was confirmed by the broker. \
            Sample channels: \(OrderSampler.channels.joined(separator: ", ")).
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The channel (routing key order.<channel>), or with --shipment the source (shipment.<source>).")
    var channel: String

    @Argument(help: "Payload files ('-' for standard input).")
    var files: [String] = []

    @Flag(help: "Publish shipment notices instead of orders.")
    var shipment = false

    @Option(help: ArgumentHelp("Generate and publish this many sample messages instead of files.", valueName: "n"))
    var sample: Int?

    @Option(help: ArgumentHelp("Messages per second (default: as fast as the broker confirms).", valueName: "r"))
    var rate: Double?

    @Option(
        help: ArgumentHelp(
            "Seed of the samples, 0...\(SampleIdentity.seeds.upperBound) (default: random, printed).", valueName: "s"))
    var seed: UInt64?

    @Option(help: ArgumentHelp("With --shipment --sample: whose sample orders the notices ship.", valueName: "channel"))
    var orders = "shopify"

    @Option(help: ArgumentHelp("Exchange to publish to (a staging or test exchange of your own).", valueName: "name"))
    var exchange = Topology.inboundExchange

    @Flag(
        name: .customLong("print"),
        help: "With --sample: write the messages to standard output, one per line, and publish nothing.")
    var printOnly = false

    func validate() throws {
        guard (sample == nil) != files.isEmpty else {
            throw ValidationError("give either files or --sample N")
        }
        if let sample, !(1...SampleIdentity.maximumCount).contains(sample) {
            throw ValidationError("--sample must be 1...\(SampleIdentity.maximumCount)")
        }
        if let rate, !(rate > 0) { throw ValidationError("--rate must be positive") }
        if let seed, !SampleIdentity.seeds.contains(seed) {
            throw ValidationError("--seed must be 0...\(SampleIdentity.seeds.upperBound)")
        }
        if printOnly, sample == nil { throw ValidationError("--print goes with --sample") }
        guard sample != nil else { return }
        let sampled = shipment ? orders : channel
        guard OrderSampler.channels.contains(sampled) else {
            throw ValidationError(
                "no samples for channel '\(sampled)'; channels: \(OrderSampler.channels.joined(separator: ", "))")
        }
        if shipment, channel != ShipmentSampler.source {
            throw ValidationError(
                "sample shipment notices are \(ShipmentSampler.source) ones: publish \(ShipmentSampler.source) "
                    + "--shipment --sample N --orders <channel>"
            )
        }
    }

    func run() throws {
        let messages = try inboundMessages()
        if printOnly { return printMessages(messages) }
        let nodes = try connection.amqpNodes()
        var options = ConfirmedPublisher.Options()
        options.ratePerSecond = rate
        let publisher = ConfirmedPublisher(
            nodes: nodes, options: options,
            progress: { progress in
                Self.standardError(
                    "orderflow publish: \(progress.sent)/\(progress.total) sent, \(progress.confirmed) confirmed, "
                        + "\(progress.failed) failed, \(Int(progress.rate.rounded())) msg/s")
            }, notice: { Self.standardError("orderflow publish: \($0)") })
        let report = publisher.publish(messages)
        print(
            "published \(report.total) messages to \(messages.exchange) (\(messages.routingKey)): "
                + "\(report.confirmed) confirmed, \(report.failed) failed, \(Int(report.rate.rounded())) msg/s")
        guard report.succeeded else {
            explain(report, messages)
            throw ExitCode.failure
        }
    }

    private func inboundMessages() throws -> InboundMessages {
        guard let count = sample else {
            let bodies = try files.map(InputFile.bytes)
            return .files(
                bodies, routingKey: InboundMessages.routingKey(channel: channel, shipment: shipment), exchange: exchange
            )
        }
        let seed = self.seed ?? UInt64.random(in: SampleIdentity.seeds)
        let now = UTCTimestamp(epochMilliseconds: Int64(Date().timeIntervalSince1970 * 1000))
        Self.standardError(
            "orderflow publish: \(count) \(shipment ? "shipment notices for \(orders) orders" : "\(channel) orders"), "
                + "seed \(seed) (--seed \(seed) generates them again)")
        if shipment {
            // The channel was validated above.
            return .shipments(
                ShipmentSampler(orderChannel: orders, seed: seed, now: now)!, count: count, exchange: exchange)
        }
        return .orders(OrderSampler(channel: channel, seed: seed, now: now)!, count: count, exchange: exchange)
    }

    private func printMessages(_ messages: InboundMessages) {
        let output = FileHandle.standardOutput
        for index in 0..<messages.count {
            output.write(Data(messages.body(at: index)))
            output.write(Data("\n".utf8))
        }
    }

    /// Says why the run did not succeed, one line per kind of failure.
    private func explain(_ report: PublishReport, _ messages: InboundMessages) {
        if report.returned > 0 {
            Self.standardError(
                "orderflow publish: \(report.returned) returned as unroutable (\(report.returnReason ?? "no route")): "
                    + "no queue is bound to \(messages.routingKey) on \(messages.exchange); run `orderflow topology` "
                    + "first"
            )
        }
        if report.nacked > 0 {
            Self.standardError("orderflow publish: \(report.nacked) refused by the broker (nack): is the queue full?")
        }
        if let reason = report.abortReason { Self.standardError("orderflow publish: \(reason)") }
        if report.unconfirmed > 0 {
            Self.standardError(
                "orderflow publish: \(report.unconfirmed) sent but not confirmed: they may or may not have been "
                    + "stored; "
                    + "publishing them again is safe (same message ids for samples)")
        }
        if report.notSent > 0 { Self.standardError("orderflow publish: \(report.notSent) not sent") }
    }

    private static func standardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
