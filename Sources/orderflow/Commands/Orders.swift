import ArgumentParser
import LibPQ
import OrdersOperations
import OrdersStore
import Settings

struct Orders: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "An order's whole trail; orders by customer email, number or time.",
        discussion: """
            `show` prints the order with its lines and totals, its shipments, vouchers, outbox events \
            (published or not, attempts), emails (sent, failed with the server's reply, skipped with the \
            reason), the rejected messages that name it, and a timeline. `search` lists orders, newest first. \
            --json prints the same as JSON for scripts (field names in the README, "Orders").
            """,
        subcommands: [Show.self, Search.self]
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "An order's lines, totals, shipments, vouchers, events, emails, rejects and timeline.",
            discussion: "Exit status 1 when there is no such order.")

        @OptionGroup var connection: ConnectionOptions

        @Argument(help: "The channel (shopify, woocommerce, amazon, ebay, shopware, pos, canonical...).")
        var channel: String

        @Argument(help: "The order's id in the channel (orders.external_id).")
        var externalID: String

        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            let db = try PostgresConnection(url: connection.resolvedDatabaseURL, applicationName: "orderflow-orders")
            guard let trail = try OrderTrailStore().find(channel: channel, externalID: externalID, on: db) else {
                throw OrderNotFound(channel: channel, externalID: externalID)
            }
            print(json ? OrderTrailFormatter.json(trail) : OrderTrailFormatter.text(trail))
        }
    }

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Orders by the customer's email, the shop's order number or the time placed, newest first.",
            discussion: "Every filter given must match; at least one is needed. --since: placed in the last hours.")

        @OptionGroup var connection: ConnectionOptions

        @Option(help: ArgumentHelp("The customer's email address (any case).", valueName: "address"))
        var email: String?

        @Option(help: ArgumentHelp("The order number the shop shows the customer.", valueName: "number"))
        var number: String?

        @OptionGroup var recent: RecentOptions

        @Flag(help: "Print JSON.")
        var json = false

        func validate() throws {
            guard email != nil || number != nil || recent.since != nil else {
                throw ValidationError("give --email, --number or --since")
            }
        }

        func run() throws {
            let db = try PostgresConnection(url: connection.resolvedDatabaseURL, applicationName: "orderflow-orders")
            let orders = try OrderTrailStore().search(
                email: email, number: number, sinceHours: recent.since, limit: recent.limit, on: db)
            print(json ? OrderTrailFormatter.json(orders) : OrderTrailFormatter.table(orders))
        }
    }
}

/// `orders show` for an order that is not stored: exit status 1, with the order named.
struct OrderNotFound: Error, CustomStringConvertible {
    let channel: String
    let externalID: String
    var description: String { "no order \(externalID) of channel \(channel)" }
}

extension Orders.Show: ConnectsAsRole {
    static let databaseRole = DatabaseRole.read
}

extension Orders.Search: ConnectsAsRole {
    static let databaseRole = DatabaseRole.read
}
