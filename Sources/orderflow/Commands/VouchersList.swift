import ArgumentParser
import Foundation
import LibPQ
import Logging
import OrdersOperations
import OrdersStore
import OrdersWorkers
import Settings
import ShopConnections

extension Vouchers {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Vouchers, newest first, with where each stands with its shop.",
            discussion: """
                One row per voucher: when it was issued, its code, status, reason, the order (channel and id, as \
                `orders show` takes them), its value, expiry, and the shop's id for it or the last error. \
                Statuses: issued (waiting to be created in the shop), synced (the shop has it; its e-mail is on \
                its way), announced (its voucher.issued event is published), unsynced (no shop connection for the \
                channel: export it), failed (the shop refused it: see the message, then `vouchers sync \
                --retry-failed`). --json prints the same for scripts (field names in the README, "Shipments, \
                vouchers and events").
                """)

        @OptionGroup var connection: ConnectionOptions

        @Option(help: ArgumentHelp("Only vouchers in this status.", valueName: "status"))
        var status: String?

        @Option(help: ArgumentHelp("Only vouchers of orders from this channel.", valueName: "channel"))
        var channel: String?

        @Option(
            help: ArgumentHelp(
                "Only vouchers issued for this reason (delay, cancellation, incident).", valueName: "reason"))
        var reason: String?

        @Option(help: ArgumentHelp("Show at most this many.", valueName: "n"))
        var limit = 100

        @Flag(help: "Print JSON.")
        var json = false

        static let statuses = ["issued", "synced", "announced", "unsynced", "failed"]

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be positive") }
            if let status, !Self.statuses.contains(status) {
                throw ValidationError("--status must be one of \(Self.statuses.joined(separator: ", "))")
            }
            if let reason, !["delay", "cancellation", "incident"].contains(reason) {
                throw ValidationError("--reason must be delay, cancellation or incident")
            }
        }

        func run() throws {
            let db = try PostgresConnection(url: connection.resolvedDatabaseURL, applicationName: "orderflow-vouchers")
            let vouchers = try VoucherSyncStore().list(
                status: status, channel: channel, reason: reason, limit: limit, on: db)
            print(json ? VouchersFormatter.json(vouchers) : VouchersFormatter.table(vouchers))
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Vouchers as a file to import, for shops orderflow has no connection to.",
            discussion: """
                By default only unsynced vouchers are exported: the ones no shop knows (--status, --channel \
                choose others). --format csv writes every voucher with all its fields: code, channel, \
                external_id, order_number, email, reason, status, kind, value, currency, minimum_order, \
                issued_at, expires_at. --format shopify writes JSON Lines for Shopify's bulk import \
                (stagedUploadsCreate, then bulkOperationRunMutation): one line per voucher with the variables of \
                discountCodeBasicCreate, as the Shopify connection sends them; the mutation to run is printed on \
                standard error. --format woocommerce writes one request body a line for WooCommerce's POST \
                /wp-json/wc/v3/coupons/batch, {"create": [...]} with at most 100 coupons each, as the WooCommerce \
                connection sends them. Amounts are in each voucher's own currency.
                """)

        @OptionGroup var connection: ConnectionOptions

        @Option(help: ArgumentHelp("csv, shopify or woocommerce.", valueName: "format"))
        var format: String

        @Option(
            help: ArgumentHelp(
                "Only vouchers in this status (default unsynced; 'all' for every one).", valueName: "status"))
        var status = "unsynced"

        @Option(help: ArgumentHelp("Only vouchers of orders from this channel.", valueName: "channel"))
        var channel: String?

        static let formats = ["csv", "shopify", "woocommerce"]

        func validate() throws {
            guard Self.formats.contains(format) else {
                throw ValidationError("--format must be csv, shopify or woocommerce")
            }
            guard status == "all" || List.statuses.contains(status) else {
                throw ValidationError("--status must be all or one of \(List.statuses.joined(separator: ", "))")
            }
        }

        func run() throws {
            let db = try PostgresConnection(url: connection.resolvedDatabaseURL, applicationName: "orderflow-vouchers")
            let vouchers = try VoucherSyncStore().list(
                status: status == "all" ? nil : status, channel: channel, reason: nil, limit: nil, on: db)
            // The shops' files hold what their connector would send; oldest first, as the sync creates them.
            let shopVouchers = vouchers.reversed().map { voucher in
                ShopVoucher(
                    code: voucher.code, reason: voucher.reason, terms: voucher.terms, issuedAt: voucher.issuedAt,
                    email: voucher.email)
            }
            switch format {
            case "shopify":
                print(CouponImports.shopifyBulkVariables(shopVouchers), terminator: "")
                FileHandle.standardError.write(
                    Data(
                        """
                        \(shopVouchers.count) voucher(s). Upload this file with stagedUploadsCreate (resource \
                        BULK_MUTATION_VARIABLES, mimeType text/jsonl), then run bulkOperationRunMutation with its \
                        stagedUploadPath and this mutation (Admin API \(ShopifyConnector.apiVersion)):
                        \(ShopifyConnector.createMutation)

                        """.utf8))
            case "woocommerce": print(CouponImports.wooCommerceBatches(shopVouchers), terminator: "")
            default: print(VouchersFormatter.csv(vouchers), terminator: "")
            }
        }
    }

    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the due vouchers in their shops now (what the workers do in the background).",
            discussion: """
                Runs the workers' voucher sync in the foreground until no voucher is due, then prints what it did. \
                --retry-failed first puts the vouchers their shop refused (status failed) back to issued, e.g. \
                after a new token: each is looked up in the shop before it is created again. Safe while workers \
                run: a voucher is claimed by one process at a time and created once.
                """)

        @OptionGroup var connection: ConnectionOptions

        @Flag(help: "Try the vouchers their shop refused again.")
        var retryFailed = false

        @Option(help: ArgumentHelp("With --retry-failed: only this channel's.", valueName: "channel"))
        var channel: String?

        @Option(help: ArgumentHelp("Vouchers claimed at once (default 20).", valueName: "n"))
        var batchSize: Int?

        func validate() throws {
            if let batchSize, !(1...500).contains(batchSize) {
                throw ValidationError("--batch-size must be between 1 and 500")
            }
        }

        func run() async throws {
            let logger = LogSetup.bootstrap()
            let databaseURL = connection.resolvedDatabaseURL
            if retryFailed {
                let db = try PostgresConnection(url: databaseURL, applicationName: "orderflow-vouchers")
                let count = try VoucherSyncStore().retryFailed(channel: channel, on: db)
                db.close()
                print("\(count) failed voucher(s) to try again")
            }
            var options = VoucherSyncer.Options(connections: try ShopSettings.connections())
            options.timeout = try ShopSettings.timeout()
            if let batchSize { options.batchSize = batchSize }
            guard !options.connections.isEmpty else {
                print("no shop connection configured (ORDERFLOW_SHOP_<CHANNEL>_URL): nothing to sync")
                return
            }
            let syncer = VoucherSyncer(
                database: DatabaseExecutor(url: databaseURL, applicationName: "orderflow-vouchers"), options: options,
                logger: logger, faults: try FaultInjection.hooks())
            while try await syncer.syncOnce() > 0 {}
            let counts = syncer.counters
            print(
                "created \(counts[.created]), found already in the shop \(counts[.found]), "
                    + "to retry later \(counts[.retried]), refused \(counts[.refused])")
        }
    }
}

extension Vouchers.List: ConnectsAsRole {
    static let databaseRole = DatabaseRole.read
}

extension Vouchers.Export: ConnectsAsRole {
    static let databaseRole = DatabaseRole.read
}
