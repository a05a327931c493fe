import ArgumentParser
import Foundation
import LibPQ
import Logging
import OrdersDomain
import OrdersMail
import OrdersStore

struct Vouchers: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apology vouchers: incident campaigns, the list, exports, the shops' copies and what they paid back.",
        subcommands: [Incident.self, List.self, Export.self, Sync.self, Report.self]
    )
}

extension Vouchers {
    struct Incident: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue an apology voucher for every order placed in a time window (an outage, a jam).",
            discussion: """
                Every order placed in [--from, --to) on a channel that gets vouchers receives one incident voucher, \
                in its own currency, with the policy's terms unless overridden here. Each order gets at most one \
                incident voucher ever: running the campaign again issues nothing new. Marketplace orders \
                (--no-voucher-channels) are counted, not given vouchers. Prints one line per voucher issued \
                (channel, order, e-mail, code, value), then a summary. The apology e-mails go out through the \
                workers' outbox relay and the notifier.
                --reason is kept with each voucher for operators and never shown to a customer. What the e-mail \
                says happened comes from --message-de, --message-en, --message-fr, --message-nl and --message-it \
                (a language without one gets a neutral built-in sentence). --dry-run prints how many vouchers \
                would be issued per channel (marketplace orders apart) and one sample e-mail per language, and \
                issues nothing.
                Times are RFC 3339 with a zone (2026-12-14T08:00:00+01:00). --valid-until takes a date: the voucher \
                is valid through the end of that day in the merchant's time zone (ORDERFLOW_MAIL_TIME_ZONE, default \
                Europe/Berlin), and its e-mail names that day.
                """
        )

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup(title: "Voucher policy (defaults for this campaign)") var policyOptions: VoucherPolicyOptions

        @Option(help: ArgumentHelp("Start of the window, inclusive", valueName: "time"))
        var from: String

        @Option(help: ArgumentHelp("End of the window, exclusive", valueName: "time"))
        var to: String

        @Option(
            help: ArgumentHelp(
                "What happened, for operators: kept with each voucher, never in a customer's e-mail "
                    + "(e.g. \"print shop offline\")",
                valueName: "text")
        )
        var reason: String

        @Option(
            name: .customLong("message-de"),
            help: ArgumentHelp("What the German e-mails say happened", valueName: "text"))
        var messageDE: String?

        @Option(
            name: .customLong("message-en"),
            help: ArgumentHelp("What the English e-mails say happened", valueName: "text"))
        var messageEN: String?

        @Option(
            name: .customLong("message-fr"),
            help: ArgumentHelp("What the French e-mails say happened", valueName: "text"))
        var messageFR: String?

        @Option(
            name: .customLong("message-nl"),
            help: ArgumentHelp("What the Dutch e-mails say happened", valueName: "text"))
        var messageNL: String?

        @Option(
            name: .customLong("message-it"),
            help: ArgumentHelp("What the Italian e-mails say happened", valueName: "text"))
        var messageIT: String?

        @Flag(help: "Print the counts per channel and one sample e-mail per language; issue nothing.")
        var dryRun = false

        @OptionGroup(title: "E-mail (for the samples of --dry-run)") var mail: MailOptions

        @Option(help: ArgumentHelp("Percent off for this campaign, 1-100", valueName: "n"))
        var percent: Int?

        @Option(
            help: ArgumentHelp("A fixed amount off for this campaign, in each order's currency", valueName: "decimal"))
        var amount: String?

        @Option(
            help: ArgumentHelp("Minimum order value for this campaign, in each order's currency", valueName: "decimal"))
        var minOrder: String?

        @Option(
            help: ArgumentHelp(
                "Last valid day for this campaign, e.g. 2027-03-31 (through its end in the merchant's time zone)",
                valueName: "date"))
        var validUntil: String?

        /// The customer-facing messages by language code, as given.
        var customerMessages: [String: String] {
            var messages: [String: String] = [:]
            let given = [("de", messageDE), ("en", messageEN), ("fr", messageFR), ("nl", messageNL), ("it", messageIT)]
            for (language, text) in given {
                if let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
                    messages[language] = text
                }
            }
            return messages
        }

        func validate() throws {
            if percent != nil && amount != nil { throw ValidationError("give --percent or --amount, not both") }
            if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw ValidationError("--reason must not be empty")
            }
            for (language, text) in customerMessages {
                if text.count > 1000 { throw ValidationError("--message-\(language) is longer than 1000 characters") }
                if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                    throw ValidationError("--message-\(language) must be one paragraph without control characters")
                }
            }
        }

        func run() throws {
            let logger = LogSetup.bootstrap()
            var policy = try policyOptions.resolve()
            if let percent { policy.value = .percent(percent) }
            if let amount { policy.value = .amount(amount) }
            if let minOrder { policy.minimumOrder = minOrder }
            do { try policy.validate() } catch { throw ValidationError("\(error)") }
            let window = (from: try Self.time(from, option: "--from"), to: try Self.time(to, option: "--to"))
            guard window.from < window.to else { throw ValidationError("--from must be before --to") }
            let timeZone = try MailOptions.timeZone(flag: mail.mailTimeZone)
            let expiry = try validUntil.map { try Self.expiry($0, timeZone: timeZone) }

            let db = try PostgresConnection(url: connection.resolvedDatabaseURL, applicationName: "orderflow-vouchers")
            let store = VoucherStore(policy: policy, shops: try ShopSettings.sync())
            if dryRun {
                try preview(store: store, window: window, expiry: expiry, policy: policy, on: db)
                return
            }
            var total = VoucherStore.Outcome()
            var lastID: Int64 = 0
            var lastProgress = ContinuousClock.now
            while true {
                let (outcome, last) = try store.issueIncident(
                    from: window.from, to: window.to, note: reason, customerMessages: customerMessages,
                    validUntil: expiry,
                    afterID: lastID, limit: 500, on: db)
                for voucher in outcome.vouchers {
                    print(
                        [
                            voucher.channel, voucher.externalId, voucher.number ?? "-", voucher.email ?? "-",
                            voucher.code,
                            voucher.terms.valueDescription,
                        ].joined(separator: "\t"))
                }
                total.vouchers += outcome.vouchers
                total.alreadyIssued += outcome.alreadyIssued
                total.failures += outcome.failures
                guard let last else { break }
                lastID = last
                if ContinuousClock.now - lastProgress > .seconds(2) {
                    FileHandle.standardError.write(
                        Data("… \(total.vouchers.count) issued, \(total.alreadyIssued) already had one\n".utf8))
                    lastProgress = ContinuousClock.now
                }
            }
            let marketplace = try store.countWithoutVouchers(from: window.from, to: window.to, on: db)
            fflush(nil)  // the listing before the summary, also when both go to one pipe
            for failure in total.failures { FileHandle.standardError.write(Data("not issued: \(failure)\n".utf8)) }
            let summary =
                "issued \(total.vouchers.count) incident voucher(s) for orders placed \(window.from) to \(window.to); "
                + "\(total.alreadyIssued) order(s) already had one; \(marketplace) marketplace order(s) get none"
                + (total.failures.isEmpty ? "" : "; \(total.failures.count) failed")
            FileHandle.standardError.write(Data((summary + "\n").utf8))
            logger.info(
                "incident campaign",
                metadata: ["vouchers.issued": "\(total.vouchers.count)", "vouchers.existing": "\(total.alreadyIssued)"])
            if !total.failures.isEmpty { throw ExitCode(1) }
        }

        /// The counts a real run would print, then one sample e-mail per language with this campaign's
        /// terms and messages. Reads orders, writes nothing.
        private func preview(
            store: VoucherStore, window: (from: UTCTimestamp, to: UTCTimestamp), expiry: UTCTimestamp?,
            policy: VoucherPolicy, on db: PostgresConnection
        ) throws {
            let counts = try store.incidentPreview(from: window.from, to: window.to, on: db)
            print("dry run: nothing issued; orders placed \(window.from) to \(window.to)")
            for count in counts where count.getsVouchers {
                print(
                    "\(count.channel)\t\(count.orders - count.alreadyIssued) voucher(s) would be issued\t"
                        + "\(count.alreadyIssued) order(s) already have one")
            }
            for count in counts where !count.getsVouchers {
                print("\(count.channel)\t\(count.orders) marketplace order(s) get none")
            }
            let issued = counts.filter(\.getsVouchers).reduce(0) { $0 + $1.orders - $1.alreadyIssued }
            let marketplace = counts.filter { !$0.getsVouchers }.reduce(0) { $0 + $1.orders }
            print("total\t\(issued) voucher(s) would be issued\t\(marketplace) marketplace order(s) get none")

            let composer = try mail.composer(placeholders: true)
            let currency = Currency(code: "EUR")!
            let terms: VoucherTerms
            do { terms = try policy.terms(currency: currency, issuedAt: .now(), validUntil: expiry) } catch {
                throw ValidationError("\(error)")
            }
            for language in MailLanguage.allCases {
                let event = OrderEvent(
                    eventId: "sample-incident-\(language.rawValue)", kind: .voucherIssued, occurredAt: .now(),
                    order: .init(
                        channel: "shop", externalId: "1001", number: "#1001", placedAt: window.from, shipBy: nil,
                        currency: currency, grandTotal: nil, country: nil),
                    customer: .init(email: "customer@example.com", name: "Lena Vogel", locale: language.rawValue),
                    voucher: .init(
                        code: "SAMPLECODE23", reason: .incident, terms: terms, note: reason,
                        customerMessages: customerMessages))
                let content = composer.content(for: event)
                print("\n----- sample e-mail (\(language.rawValue)) -----")
                print("Subject: \(content.subject)\n")
                print(content.text.replacingOccurrences(of: "\r\n", with: "\n"), terminator: "")
            }
        }

        static func time(_ text: String, option: String) throws -> UTCTimestamp {
            guard let time = UTCTimestamp(rfc3339: text) else {
                throw ValidationError(
                    "\(option) \"\(text)\" is not an RFC 3339 time with a zone, e.g. 2026-12-14T08:00:00+01:00")
            }
            return time
        }

        /// Valid through the end of that day where the merchant is; the mail shows that same day.
        static func expiry(_ text: String, timeZone: TimeZone) throws -> UTCTimestamp {
            guard let end = MailFormatting.endOfDay(text, timeZone: timeZone) else {
                throw ValidationError("--valid-until \"\(text)\" is not a date like 2027-03-31")
            }
            return end
        }
    }
}
