import ArgumentParser
import LibPQ
import OrdersDomain
import OrdersOperations
import OrdersStore
import Settings

extension Vouchers {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What the vouchers paid back, per trigger, campaign and offer.",
            discussion: """
                Vouchers issued in [--from, --to) (either end open when left out), one row per trigger (delay, \
                cancellation, incident), incident campaign (its --reason), offer (10 %, 5.00 EUR) and currency: \
                issued, synced, redeemed (a voucher counts once, by the first order that used its code), the \
                redemption rate, the revenue of the redeeming orders (grand totals, cancelled and refunded orders \
                left out), what the discounts cost, and for delay vouchers the share of their customers who ordered \
                again while the voucher was valid. --json prints the same for scripts (field names in the README, \
                "Shipments, vouchers and events"). Times are RFC 3339 with a zone (2026-12-01T00:00:00+01:00).
                """)

        @OptionGroup var connection: ConnectionOptions

        @Option(help: ArgumentHelp("Vouchers issued at or after this time", valueName: "time"))
        var from: String?

        @Option(help: ArgumentHelp("Vouchers issued before this time", valueName: "time"))
        var to: String?

        @Flag(help: "Print JSON.")
        var json = false

        func validate() throws {
            let window = try self.window()
            if let from = window.from, let to = window.to, !(from < to) {
                throw ValidationError("--from must be before --to")
            }
        }

        func run() throws {
            let window = try self.window()
            let db = try PostgresConnection(url: connection.resolvedDatabaseURL, applicationName: "orderflow-vouchers")
            let groups = try VoucherReportStore().report(from: window.from, to: window.to, on: db)
            print(
                json
                    ? VoucherReportFormatter.json(groups, from: window.from, to: window.to)
                    : VoucherReportFormatter.table(groups, from: window.from, to: window.to))
        }

        private func window() throws -> (from: UTCTimestamp?, to: UTCTimestamp?) {
            (
                try from.map { try Incident.time($0, option: "--from") },
                try to.map { try Incident.time($0, option: "--to") }
            )
        }
    }
}

extension Vouchers.Report: ConnectsAsRole {
    static let databaseRole = DatabaseRole.read
}
