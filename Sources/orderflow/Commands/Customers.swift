import ArgumentParser
import Foundation
import LibPQ
import OrdersStore

struct Customers: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A customer's personal data.",
        subcommands: [Erase.self])

    struct Erase: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replaces a customer's personal data by \"[erased]\", keeping amounts and ids.",
            discussion: """
                Finds the customer's orders by email address (any case) and, in one transaction, replaces \
                the name, the email address, the addresses (their country kept) and the channel's document \
                of each order, the recipient, subject and reply of every email about them or to that address, \
                and the body of every rejected message that names the address or one of the orders. Amounts, \
                lines, parcels, vouchers and ids stay. A later version of an erased order (a redelivery, an \
                update from the channel) is stored with the marker, never with the data. The erasure is \
                recorded in the erasures table: when, by whom (--by, else $SUDO_USER, else $USER), which \
                orders and how many rows of each table; no personal data. Running it again changes nothing. \
                --dry-run counts what would change.
                """)

        @OptionGroup var connection: ConnectionOptions

        @Argument(help: "The customer's email address.")
        var email: String

        @Option(help: ArgumentHelp("Who erases, for the record (default: $SUDO_USER, else $USER).", valueName: "name"))
        var by: String?

        @Flag(help: "Count what would be erased; change nothing.")
        var dryRun = false

        func validate() throws {
            guard email.contains("@"), !email.contains(where: \.isWhitespace) else {
                throw ValidationError("'\(email)' is not an email address")
            }
        }

        func run() throws {
            let environment = ProcessInfo.processInfo.environment
            let operatorName =
                [by, environment["SUDO_USER"], environment["USER"]].compactMap { $0 }.first { !$0.isEmpty }
                ?? "unknown"
            let db = try PostgresConnection(url: connection.resolvedDatabaseURL, applicationName: "orderflow-customers")
            let outcome = try CustomerEraser().erase(email: email, by: operatorName, dryRun: dryRun, on: db)
            print(Self.report(outcome, dryRun: dryRun, by: operatorName))
        }

        static func report(_ outcome: CustomerEraser.Outcome, dryRun: Bool, by operatorName: String) -> String {
            var lines = [
                outcome.orders.isEmpty
                    ? "no orders with that address"
                    : "\(outcome.orders.count) order(s): \(outcome.orders.joined(separator: ", "))"
            ]
            let width = outcome.rows.map(\.0.count).max() ?? 0
            for (table, count) in outcome.rows {
                lines.append("  \(table.padding(toLength: width, withPad: " ", startingAt: 0)) \(count) row(s)")
            }
            if dryRun {
                lines.append("dry run: \(outcome.total) row(s) would be erased; nothing changed")
            } else {
                lines.append(
                    "\(outcome.total) row(s) erased; recorded as erasure \(outcome.erasureID.map(String.init) ?? "?") "
                        + "by \(operatorName) at \(outcome.erasedAt ?? "?")")
            }
            return lines.joined(separator: "\n")
        }
    }
}
