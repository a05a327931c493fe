import ArgumentParser
import Foundation
import OrdersDomain

struct Normalize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the canonical order JSON for a channel's native payload (no broker, no database).",
        discussion:
            "Exit status 1 with an error naming the field when the payload is refused. Channels: "
            + "\(Normalizer.standard.orderChannels.joined(separator: ", "))."
    )

    @Argument(help: "The channel: shopify, woocommerce, amazon, ebay, shopware, pos or canonical.")
    var channel: String

    @Argument(help: "The payload file ('-' for standard input).")
    var file: String

    @Flag(help: "Normalise a shipment notice (shipment.<source>) instead of an order.")
    var shipment = false

    func run() throws {
        let body = try InputFile.bytes(file)
        let normalizer = Normalizer.standard(
            context: NormalizationContext(shopwareCurrencies: try Setting.shopwareCurrencies()))
        do {
            let json =
                shipment
                ? try normalizer.normalizeShipment(source: channel, body: body).json
                : try normalizer.normalizeOrder(channel: channel, body: body, receivedAt: .now()).json
            print(JSON.serialize(json, pretty: true))
        } catch let error as NormalizationError {
            FileHandle.standardError.write(Data("orderflow normalize: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}
