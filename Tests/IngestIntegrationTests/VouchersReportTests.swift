import Foundation
import LibPQ
import OrdersTestSupport
import Testing

/// A history published with `orderflow publish` and ingested by an `orderflow worker`: late orders that earn delay
/// vouchers (their parcels come after the sweep), two incident campaigns (5.00 EUR off, 10 % off), then orders that
/// use some of the codes: by the voucher's customer, by another customer of the same shop, on another shop, twice,
/// redelivered, in a newer version, cancelled, and codes nobody issued. `vouchers report` must give exactly what an
/// independent query over the tables gives, and what the scenario was built to produce.
@Suite("vouchers report", .serialized, .workerSlot)
struct VouchersReportTests {
    /// One order that uses a code: the voucher of order `voucherOf` (nil: a code nobody issued), spelled in lower
    /// case or not, with or without the amount it took off.
    struct Use {
        let n: Int
        let voucherOf: Int?
        var email: String
        var channel = "webshop"
        var amount: String?
        var lowercase = false
        var status = "paid"
        var unknownCode: String?
    }

    static let delayOrders = 1...12, onTimeOrders = 13...16, campaignA = 21...26, campaignB = 27...30

    static func email(_ n: Int) -> String { "kunde\(n)@example.de" }
    /// The shop of history order `n`: the campaign orders alternate between the two.
    static func channel(_ n: Int) -> String { n >= 21 && n % 3 == 0 ? "otto" : "webshop" }

    @Test func reportMatchesTheTablesAndTheScenario() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vouchers-report-\(harness.schema)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let now = Date()
        func time(_ days: Double) -> String {
            ISO8601DateFormatter().string(from: now.addingTimeInterval(days * 86_400))
        }

        // The history: late orders (ship-by three days ago, not shipped), orders shipped in time, and the orders of
        // the two incident windows (shipped, so no delay voucher). otto is a second shop.
        var history: [[UInt8]] = []
        for n in Self.delayOrders {
            history.append(
                CanonicalSamples.order(
                    n, updatedAt: time(-5), lines: 1, email: Self.email(n), placedAt: time(-5), shipBy: time(-3)))
        }
        for n in Self.onTimeOrders {
            history.append(
                CanonicalSamples.order(
                    n, updatedAt: time(-4), status: "shipped", lines: 1, email: Self.email(n), placedAt: time(-5),
                    shipBy: time(-3)))
        }
        for n in Array(Self.campaignA) + Array(Self.campaignB) {
            let placed = Self.campaignA.contains(n) ? time(-11) : time(-9)
            history.append(
                CanonicalSamples.order(
                    n, updatedAt: placed, status: "shipped", lines: 1, email: Self.email(n),
                    channel: Self.channel(n), placedAt: placed))
        }
        try publish(history, name: "history", harness: harness, folder: folder)

        let worker = try WorkerProcess(harness, extraArguments: ["--sweep-interval", "1"])
        var stopped = false
        defer { if !stopped { worker.signal(SIGKILL) } }
        try await harness.waitFor("SELECT count(*) FROM orders", toBe: Int64(history.count))
        try await harness.waitFor(
            "SELECT count(*) FROM vouchers WHERE reason = 'delay'", toBe: Int64(Self.delayOrders.count))

        // The late parcels, after the vouchers.
        try publish(
            Self.delayOrders.map { CanonicalSamples.shipment($0, shippedAt: time(0)) }, name: "parcel",
            harness: harness, folder: folder, shipment: true)

        for (window, reason, offer) in [
            ((time(-12), time(-10)), "print shop offline", ["--amount", "5.00"]),
            ((time(-10), time(-8)), "courier strike", ["--percent", "10"]),
        ] {
            let campaign = try OrderflowCommand.run(
                ["vouchers", "incident", "--from", window.0, "--to", window.1, "--reason", reason] + offer,
                databaseURL: harness.databaseURL)
            #expect(campaign.status == 0, "\(campaign.output)")
        }
        let vouchers = Self.delayOrders.count + Self.campaignA.count + Self.campaignB.count
        try await harness.waitFor("SELECT count(*) FROM vouchers", toBe: Int64(vouchers))
        try await harness.waitFor(
            "SELECT count(*) FROM outbox WHERE type = 'voucher.issued' AND published_at IS NOT NULL",
            toBe: Int64(vouchers))

        // The orders that use codes, placed after the vouchers were issued.
        let uses: [Use] = [
            Use(n: 101, voucherOf: 1, email: Self.email(1), amount: "3.09", lowercase: true),
            Use(n: 102, voucherOf: 2, email: Self.email(2)),  // no amount: 10 % of the items
            Use(n: 103, voucherOf: 2, email: Self.email(2), amount: "9.27"),  // the same code again
            Use(n: 104, voucherOf: 3, email: Self.email(3), amount: "9.27", status: "cancelled"),
            Use(n: 105, voucherOf: 6, email: "jemand@example.de", amount: "9.27"),  // same shop, another customer
            Use(n: 106, voucherOf: 7, email: "fremd@example.de", channel: "otto", amount: "9.27"),  // neither
            Use(n: 107, voucherOf: nil, email: Self.email(8), unknownCode: "WILLKOMMEN10"),
            Use(n: 108, voucherOf: nil, email: Self.email(9), unknownCode: "ABCDEFGHJKLM"),
            Use(n: 109, voucherOf: 21, email: Self.email(21), amount: "5.00"),
            Use(n: 110, voucherOf: 23, email: Self.email(23)),  // no amount: the voucher's 5.00
            Use(n: 111, voucherOf: 22, email: Self.email(22), channel: "otto", amount: "5.00"),  // same customer
            Use(n: 112, voucherOf: 28, email: Self.email(28), amount: "9.27"),
            Use(n: 113, voucherOf: 29, email: Self.email(29)),
        ]
        let codes = try codesByOrder(harness)
        func body(_ use: Use, updatedAt: String) throws -> [UInt8] {
            var code: String
            if let unknown = use.unknownCode {
                code = unknown
            } else {
                code = try #require(use.voucherOf.flatMap { codes["T-\($0)"] })
            }
            if use.lowercase { code = code.lowercased() }
            let entry = #"{"code": "\#(code)", "amount": \#(use.amount.map { "\"\($0)\"" } ?? "null")}"#
            let order = String(
                decoding: CanonicalSamples.order(
                    use.n, updatedAt: updatedAt, status: use.status, email: use.email, channel: use.channel,
                    placedAt: time(1.0 / 24), shipBy: time(3)), as: UTF8.self)
            let withCodes = order.replacingOccurrences(
                of: #""lines": ["#, with: #""discountCodes": [\#(entry)], "lines": ["#)
            return Array(withCodes.utf8)
        }
        let later = try uses.map { try body($0, updatedAt: time(1.0 / 24)) }
        // Delay customer 5 orders again without a code; order 101 comes twice, and a newer version of 109.
        let reorder = CanonicalSamples.order(
            120, updatedAt: time(1.0 / 24), email: Self.email(5), placedAt: time(1.0 / 24), shipBy: time(3))
        try publish(later + [reorder, later[0]], name: "later", harness: harness, folder: folder)
        var newer = uses[8]
        newer.amount = "4.50"
        try publish([try body(newer, updatedAt: time(2.0 / 24))], name: "newer", harness: harness, folder: folder)
        try await harness.waitFor("SELECT count(*) FROM orders", toBe: Int64(history.count + uses.count + 1))
        try await harness.waitFor(
            "SELECT count(*) FROM orders WHERE external_id = 'T-109' AND discount_codes->0->>'amount_minor' = '450'",
            toBe: 1)
        worker.signal(SIGTERM)
        #expect(try await worker.waitForExit() == 0, "\(worker.log.suffix(2000))")
        stopped = true
        #expect(try harness.scalar("SELECT count(*) FROM rejects") == 0)

        // What the scenario was built to give: each code used by its customer or in its shop counts once.
        let counted = Set(
            uses.compactMap { use in
                use.voucherOf.flatMap { use.channel == Self.channel($0) || use.email == Self.email($0) ? $0 : nil }
            })
        #expect(counted == [1, 2, 3, 6, 21, 22, 23, 28, 29])
        #expect(try harness.scalar("SELECT count(*) FROM voucher_redemptions") == Int64(counted.count + 1))
        #expect(try harness.scalar("SELECT count(*) FROM redeemed_vouchers") == Int64(counted.count))

        // No shop connection here (the shop connections' own tests sync codes): some codes marked as in
        // their shop, as the syncer leaves them, so that `synced` counts something.
        _ = try harness.query(
            "UPDATE vouchers SET shop_state = 'synced' WHERE code IN (SELECT code FROM vouchers ORDER BY code LIMIT 5)")

        let readURL = LocalStack.url(LocalStack.readDatabaseURL, schema: harness.schema)
        let report = try OrderflowCommand.run(["vouchers", "report", "--json"], databaseURL: readURL)
        #expect(report.status == 0, "\(report.output)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(report.output.utf8)) as? [String: Any], "\(report.output)")
        let groups = try #require(document["groups"] as? [[String: Any]])
        let expected = try independentFigures(harness)
        #expect(groups.count == 3)
        #expect(
            Set(expected.keys) == [
                "delay|-|10 %", "incident|courier strike|10 %", "incident|print shop offline|5.00 EUR",
            ])
        for group in groups {
            let trigger = group["trigger"] as? String ?? "?", offer = group["offer"] as? String ?? "?"
            let key = "\(trigger)|\(group["campaign"] as? String ?? "-")|\(offer)"
            let figures = try #require(expected[key], "\(key)")
            #expect(group["currency"] as? String == "EUR")
            for (field, value) in figures {
                #expect("\(group[field].map { "\($0)" } ?? "nil")" == value, "\(key) \(field)")
            }
        }
        // And the scenario's own counts.
        let byKey = Dictionary(uniqueKeysWithValues: groups.map { ("\($0["trigger"]!)|\($0["offer"]!)", $0) })
        #expect(byKey["delay|10 %"]?["redeemed"] as? Int == 4)  // 1, 2, 3, 6; not 7 (another shop and customer)
        #expect(byKey["delay|10 %"]?["redeemedAgain"] as? Int == 1)
        #expect(byKey["incident|5.00 EUR"]?["redeemed"] as? Int == 3)
        #expect(byKey["incident|10 %"]?["redeemed"] as? Int == 2)
        #expect(byKey["delay|10 %"]?["issued"] as? Int == Self.delayOrders.count)
        #expect(groups.map { $0["synced"] as? Int ?? 0 }.reduce(0, +) == 5)

        let table = try OrderflowCommand.run(["vouchers", "report"], databaseURL: readURL)
        #expect(table.status == 0, "\(table.output)")
        let lines = table.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 6, "\(table.output)")
        #expect(lines.first == "vouchers issued at any time")
        #expect(lines[1].hasPrefix("TRIGGER      CAMPAIGN"), "\(table.output)")
        #expect(lines[2].hasPrefix("delay        -"), "\(table.output)")
        #expect(lines.last == "1 order(s) used a code an earlier order had already redeemed (not counted again)")
        // Aligned: every row's DISCOUNTS figure ends where the heading does.
        let end = try #require(lines[1].range(of: "DISCOUNTS")).upperBound.utf16Offset(in: lines[1])
        for row in lines[2...4] {
            let characters = Array(row)
            #expect(characters.count > end && characters[end - 1].isNumber && characters[end] == " ", "\(row)")
        }

        let empty = try OrderflowCommand.run(
            ["vouchers", "report", "--from", time(1), "--to", time(2)], databaseURL: readURL)
        #expect(empty.output.hasSuffix(": none\n"), "\(empty.output)")
    }

    /// The report's figures per group, from the tables by another route: the first use by a window function,
    /// costs rounded in numeric, the reorders counted per customer.
    func independentFigures(_ harness: IngestHarness) throws -> [String: [String: String]] {
        let result = try harness.query(
            """
            WITH uses AS (
                SELECT r.*, row_number() OVER (PARTITION BY r.voucher_code ORDER BY r.redeemed_at, r.order_id) AS nth
                FROM voucher_redemptions r
            ), grouped AS (
                SELECT v.*, o.customer_email,
                       v.reason || '|' || CASE WHEN v.reason = 'incident' THEN v.note ELSE '-' END || '|'
                           || CASE WHEN v.kind = 'percent' THEN v.percent || ' %'
                                   ELSE to_char(v.amount_minor / 100.0, 'FM999990.00') || ' ' || v.currency END AS grp
                FROM vouchers v JOIN orders o ON o.id = v.order_id
            )
            SELECT g.grp, count(*) AS issued,
                   count(*) FILTER (WHERE g.shop_state = 'synced') AS synced,
                   count(u.order_id) AS redeemed,
                   (SELECT count(*) FROM uses u2 JOIN grouped g2 ON g2.code = u2.voucher_code
                    WHERE g2.grp = g.grp AND u2.nth > 1) AS again,
                   COALESCE(sum(ro.grand_total_minor) FILTER (WHERE ro.status NOT IN ('cancelled', 'refunded')), 0)
                       AS revenue,
                   COALESCE(sum(COALESCE(u.amount_minor, g.amount_minor,
                                         round(ro.items_total_minor * g.percent / 100.0)))
                                FILTER (WHERE u.order_id IS NOT NULL), 0) AS cost,
                   count(DISTINCT lower(g.customer_email)) AS customers,
                   count(DISTINCT lower(g.customer_email)) FILTER (WHERE EXISTS (
                       SELECT 1 FROM orders later WHERE lower(later.customer_email) = lower(g.customer_email)
                         AND later.placed_at BETWEEN g.issued_at AND g.expires_at)) AS reordered
            FROM grouped g
            LEFT JOIN uses u ON u.voucher_code = g.code AND u.nth = 1
            LEFT JOIN orders ro ON ro.id = u.order_id
            GROUP BY g.grp
            """)
        var figures: [String: [String: String]] = [:]
        for row in 0..<result.count {
            let value = { (column: String) in result[row, column] ?? "?" }
            let cents = { (column: String) -> String in
                let minor = Int(value(column)) ?? -1
                return "\(minor / 100).\(minor % 100 < 10 ? "0" : "")\(minor % 100)"
            }
            let issued = Int(value("issued")) ?? 0, redeemed = Int(value("redeemed")) ?? 0
            let delay = value("grp").hasPrefix("delay|")
            let customers = Int(value("customers")) ?? 0, reordered = Int(value("reordered")) ?? 0
            figures[value("grp")] = [
                "issued": value("issued"), "synced": value("synced"), "redeemed": value("redeemed"),
                "redeemedAgain": value("again"), "revenue": cents("revenue"), "discountCost": cents("cost"),
                "redemptionRate": Self.fourPlaces(redeemed, issued),
                "customers": delay ? value("customers") : "<null>",
                "customersReordered": delay ? value("reordered") : "<null>",
                "reorderedWithinValidity": delay ? Self.fourPlaces(reordered, customers) : "<null>",
            ]
        }
        return figures
    }

    /// part / whole to four places, rounded half up, by Foundation's Decimal (another route than the formatter's).
    static func fourPlaces(_ part: Int, _ whole: Int) -> String {
        var quotient = Decimal(part) / Decimal(whole)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &quotient, 4, .plain)
        let text = "\(rounded)"
        let parts = text.split(separator: ".").map(String.init)
        let (integer, fraction) = (parts[0], parts.count > 1 ? parts[1] : "")
        return integer + "." + fraction + String(repeating: "0", count: 4 - fraction.count)
    }

    /// Order external id -> its voucher's code.
    func codesByOrder(_ harness: IngestHarness) throws -> [String: String] {
        let result = try harness.query(
            "SELECT o.external_id, v.code FROM vouchers v JOIN orders o ON o.id = v.order_id")
        var codes: [String: String] = [:]
        for row in 0..<result.count { codes[result[row, "external_id"] ?? ""] = result[row, "code"] }
        return codes
    }

    /// Writes the bodies as files and publishes them with `orderflow publish` to the harness's exchange.
    func publish(
        _ bodies: [[UInt8]], name: String, harness: IngestHarness, folder: URL, shipment: Bool = false
    ) throws {
        let files = try bodies.enumerated().map { index, body in
            let file = folder.appendingPathComponent("\(name)-\(index).json")
            try Data(body).write(to: file)
            return file.path
        }
        let result = try OrderflowCommand.run(
            ["publish", "canonical"] + (shipment ? ["--shipment"] : []) + files + ["--exchange", harness.exchange],
            databaseURL: harness.databaseURL)
        #expect(result.status == 0, "\(result.output)")
    }
}
