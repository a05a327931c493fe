import AMQP
import Foundation
import LibPQ
import Logging
import OrdersDomain
import OrdersStore
import OrdersTestSupport
import OrdersWorkers
import Resilience
import ShopConnections
import Testing

/// Vouchers exist in the shop before a customer reads their code (SPEC 3.6): late orders in three
/// shops (contract servers, one answering 429 and 503 at random, one slower than the client's
/// timeout now and then), three syncers at once as three workers would run them, the relay and the
/// notifier mailing through the SMTP sink. Every code is created exactly once in its shop, every mail
/// arrives after its code was created there, none twice.
@Suite(
    "vouchers created in their shops before any mail (real PostgreSQL, RabbitMQ, SMTP; contract servers)", .workerSlot)
struct VoucherSyncScenarioTests {
    static let channels = ["shopify", "woocommerce", "shopware"]
    static let tokens = [
        "shopify": "shpat_0123456789abcdef", "woocommerce": "ck_4f1e2d:cs_9a8b7c", "shopware": "SWIAQ0FKTEXK:c2VjcmV0",
    ]

    @Test func fiveHundredDelayVouchersInThreeShopsEachCreatedOnceAndMailedAfterwards() async throws {
        try requireSMTPSink()
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let shops = [
            "shopify": try ShopContract(api: "shopify", token: Self.tokens["shopify"]!, faultRate: 0.15),
            "woocommerce": try ShopContract(
                api: "woocommerce", token: Self.tokens["woocommerce"]!, slowRate: 0.03, slowSeconds: 2),
            "shopware": try ShopContract(api: "shopware", token: Self.tokens["shopware"]!),
        ]
        let count = 500
        try Self.storeLateOrders(count, in: harness)
        let connections = try Self.channels.map {
            try ShopConnection(channel: $0, url: shops[$0]!.url, token: Self.tokens[$0]!)
        }
        let sweeper = OverdueSweeper(
            database: DatabaseExecutor(url: harness.databaseURL, applicationName: "test-sweeper"),
            schedule: .init(
                policy: VoucherPolicy(), interval: .seconds(60),
                shops: VoucherStore.ShopSync(connectedChannels: Set(Self.channels))),
            logger: Logger(label: "test"))
        try await sweeper.sweep()
        #expect(try harness.scalar("SELECT count(*) FROM vouchers WHERE shop_state = 'issued'") == Int64(count))
        #expect(try harness.scalar("SELECT count(*) FROM outbox") == 0, "no event before the shop has the code")

        var options = VoucherSyncer.Options(connections: connections)
        options.timeout = .seconds(1)
        options.pollInterval = .milliseconds(50)
        options.retry = RetryPolicy(initialDelay: .milliseconds(100), maximumDelay: .seconds(1))
        let syncers = (1...3).map { n in
            VoucherSyncer(
                database: DatabaseExecutor(url: harness.databaseURL, applicationName: "test-sync-\(n)"),
                options: options, logger: Logger(label: "test-sync-\(n)"))
        }
        let started = ContinuousClock.now
        try await withRunningService(syncers[0]) {
            try await withRunningService(syncers[1]) {
                try await withRunningService(syncers[2]) {
                    try await harness.waitFor(
                        "SELECT count(*) FROM vouchers WHERE shop_state = 'synced'", toBe: Int64(count),
                        timeout: .seconds(240))
                }
            }
        }
        let elapsed = ContinuousClock.now - started

        // Exactly once in its shop: every code of the channel, each created once, no duplicate refused.
        var createdAt: [String: Double] = [:]
        var figures: [String] = []
        for channel in Self.channels {
            let codes = try harness.query(
                "SELECT v.code FROM vouchers v JOIN orders o ON o.id = v.order_id WHERE o.channel = $1",
                [.text(channel)]
            ).rows.compactMap { $0[0] }
            let stats = try await shops[channel]!.stats()
            let keys = codes.map { channel == "woocommerce" ? $0.lowercased() : $0 }
            #expect(stats.created.count == codes.count, "\(channel): \(stats.created.count) of \(codes.count)")
            #expect(Set(stats.created.keys) == Set(keys), "\(channel): the shop's codes are orderflow's")
            #expect(stats.created.values.allSatisfy { $0 == 1 }, "\(channel): a code created twice")
            #expect(stats.duplicates == 0, "\(channel): a create refused as a duplicate")
            for (code, key) in zip(codes, keys) { createdAt[code] = stats.createdAt[key] }
            figures.append(
                "\(channel) \(codes.count) codes, \(stats.requests) requests, "
                    + "faults \(stats.faults.sorted { $0.key < $1.key })"
            )
        }
        #expect(try await shops["shopify"]!.stats().faults["429", default: 0] > 0)
        #expect(try await shops["woocommerce"]!.stats().faults["slow", default: 0] > 0)
        let created = syncers.map { $0.counters[.created] }.reduce(0, +)
        let found = syncers.map { $0.counters[.found] }.reduce(0, +)
        #expect(created + found == count)

        // One event per voucher, written after the shop created the code.
        let events = try harness.query(
            """
            SELECT voucher_code, event_id::text, extract(epoch FROM created_at)::float8::text FROM outbox
            WHERE type = 'voucher.issued'
            """
        ).rows
        #expect(events.count == count)
        for row in events {
            guard let code = row[0], let written = row[2].flatMap(Double.init), let inShop = createdAt[code] else {
                Issue.record("event without its code's creation: \(row)")
                continue
            }
            #expect(written >= inShop, "\(code): event written before the shop had the code")
        }

        // Mailed once each, after the code existed in the shop.
        var relayOptions = OutboxRelay.Options()
        relayOptions.exchange = harness.exchange
        relayOptions.declareTopology = false
        let relay = OutboxRelay(
            amqp: try AMQPNodes(urls: LocalStack.amqpURL),
            database: DatabaseExecutor(url: harness.databaseURL, applicationName: "test-relay"),
            options: relayOptions, logger: Logger(label: "test-relay"))
        while try await relay.relayOnce().claimed > 0 {}
        let codeByEvent = Dictionary(uniqueKeysWithValues: events.compactMap { row in row[1].map { ($0, row[0]!) } })
        let mails = try await harness.withNotifier { _ in
            try await Mailbox.shared.waitForMails(Set(codeByEvent.keys), timeout: .seconds(180))
        }
        #expect(mails.count == count)
        #expect(mails.values.allSatisfy { $0.count == 1 }, "one mail per voucher")
        for (eventID, received) in mails {
            guard let code = codeByEvent[eventID], let inShop = createdAt[code], let mail = received.first else {
                continue
            }
            let arrived =
                (try? FileManager.default.attributesOfItem(atPath: mail.path)[.modificationDate] as? Date)?
                .timeIntervalSince1970 ?? 0
            #expect(arrived > inShop, "\(code): mailed before the shop had the code")
            #expect(mail.raw.contains(code), "\(code): the mail names its code")
        }
        print(
            "voucher sync scenario: \(count) vouchers in \(elapsed); created \(created), found after a timeout "
                + "\(found); " + figures.joined(separator: "; "))
    }

    /// Late orders spread over the three shops: order n goes to channels[n % 3].
    static func storeLateOrders(_ count: Int, in harness: NotifierHarness) throws {
        let now = UTCTimestamp.now()
        let orders = (1...count).map { n in
            EndToEndTests.order(
                n, channel: channels[n % 3], locale: n % 2 == 0 ? "de" : "en",
                placedAt: now.adding(seconds: -72 * 3600).rfc3339, shipBy: now.adding(seconds: -2 * 3600).rfc3339)
        }
        try storeCanonical(orders, routingKey: "order.canonical", databaseURL: harness.databaseURL)
    }
}

/// `orderflow vouchers sync` processes, one aborted right after the shop created a code and one
/// SIGKILLed while a slow request is in flight: nothing is lost, nothing created or announced twice.
@Suite("voucher sync killed mid-request (real PostgreSQL; contract server; orderflow processes)", .workerSlot)
struct VoucherSyncCrashTests {
    @Test func aKilledSyncLosesAndDuplicatesNothing() async throws {
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let token = "ck_4f1e2d:cs_9a8b7c"
        let shop = try ShopContract(api: "woocommerce", token: token, slowRate: 0.2, slowSeconds: 3)
        let count = 60
        let now = UTCTimestamp.now()
        let orders = (1...count).map { n in
            EndToEndTests.order(
                n, channel: "woocommerce", locale: "de", placedAt: now.adding(seconds: -72 * 3600).rfc3339,
                shipBy: now.adding(seconds: -2 * 3600).rfc3339)
        }
        try storeCanonical(orders, routingKey: "order.canonical", databaseURL: harness.databaseURL)
        _ = try VoucherStore(
            policy: VoucherPolicy(), shops: .init(connectedChannels: ["woocommerce"])
        ).sweepDelays(limit: 500, on: PostgresConnection(url: harness.databaseURL))
        let environment: [String: String?] = [
            "ORDERFLOW_DATABASE_URL": harness.databaseURL, "ORDERFLOW_SHOP_WOOCOMMERCE_URL": shop.url,
            "ORDERFLOW_SHOP_WOOCOMMERCE_TOKEN": token, "ORDERFLOW_SHOP_TIMEOUT": "1",
        ]
        func sync(_ extra: [String: String?] = [:]) throws -> OrderflowProcess {
            try OrderflowProcess(
                ["vouchers", "sync", "--batch-size", "5"], environment: environment.merging(extra) { $1 },
                daemon: false)
        }
        // 1: aborts right after its 10th creation, before marking that voucher synced.
        let aborted = try sync(["ORDERFLOW_FAULT_INJECTION": "after-shop-create", "ORDERFLOW_FAULT_AFTER": "10"])
        #expect(try await aborted.waitForExit() != 0)
        #expect(aborted.log.contains("fault injection: aborting at after-shop-create"))
        let afterAbort = try await shop.stats().created.count
        #expect(afterAbort >= 10, "a timed-out create also counts in the shop")
        #expect(try harness.scalar("SELECT count(*) FROM vouchers WHERE shop_state = 'synced'") >= 9)

        // 2: SIGKILLed once it has created ten more (a slow answer is in flight one time in five).
        let killed = try sync()
        try await waitUntil(timeout: .seconds(60)) { try await shop.stats().created.count >= afterAbort + 10 }
        killed.signal(SIGKILL)
        _ = try await killed.waitForExit()

        // 3: runs until every voucher is synced; claims of the dead processes come free when their lease ends.
        try await waitForCount("synced vouchers", toBe: Int64(count), timeout: .seconds(180)) {
            let finisher = try sync()
            _ = try await finisher.waitForExit(timeout: .seconds(120))
            let synced = try harness.scalar("SELECT count(*) FROM vouchers WHERE shop_state = 'synced'")
            if synced < count { try await Task.sleep(for: .seconds(2)) }
            return synced
        }
        let stats = try await shop.stats()
        #expect(stats.created.count == count)
        #expect(stats.created.values.allSatisfy { $0 == 1 }, "a code created twice")
        #expect(stats.duplicates == 0, "a retry created before looking the code up")
        #expect(try harness.scalar("SELECT count(*) FROM outbox WHERE type = 'voucher.issued'") == Int64(count))
        #expect(try harness.scalar("SELECT count(DISTINCT voucher_code) FROM outbox") == Int64(count))
        let references = try harness.query(
            "SELECT v.shop_reference FROM vouchers v"
        ).rows.compactMap { $0[0] }
        #expect(Set(references).count == count, "each voucher holds its own coupon id")
        print(
            "voucher sync crash: \(count) vouchers, \(stats.requests) requests, faults \(stats.faults), "
                + "created once each, 0 duplicates")
    }
}

/// The worker binary runs the voucher sync beside its sweeper when a shop is configured: its sweeper
/// issues the vouchers of the connected channel as `issued` (no event), the sync creates them in the
/// shop and writes their events; the other channel's vouchers are announced at once.
@Suite("the worker's voucher sync (real PostgreSQL and RabbitMQ; contract server; orderflow worker)", .workerSlot)
struct WorkerVoucherSyncTests {
    @Test func theWorkerSweepsThenCreatesInTheShopThenAnnounces() async throws {
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let token = "SWIAQ0FKTEXK:c2VjcmV0"
        let shop = try ShopContract(api: "shopware", token: token, faultRate: 0.1)
        let now = UTCTimestamp.now()
        let orders = (1...30).map { n in
            EndToEndTests.order(
                n, channel: n <= 20 ? "shopware" : "webshop", locale: "de",
                placedAt: now.adding(seconds: -72 * 3600).rfc3339, shipBy: now.adding(seconds: -2 * 3600).rfc3339)
        }
        try storeCanonical(orders, routingKey: "order.canonical", databaseURL: harness.databaseURL)
        let ingestQueue = harness.queue + ".ingest"
        let broker = try AMQPConnection(try AMQPConfiguration(url: LocalStack.amqpURL))
        try broker.declareQueue(
            ingestQueue, durable: true, arguments: ["x-queue-type": .string("quorum"), "x-delivery-limit": .int(5)])
        defer {
            _ = try? broker.deleteQueue(ingestQueue)
            broker.close()
        }
        let worker = try OrderflowProcess(
            worker: ingestQueue, databaseURL: harness.databaseURL, eventsExchange: harness.exchange,
            extraArguments: ["--no-relay", "--sweep-interval", "1"],
            extraEnvironment: [
                "ORDERFLOW_SHOP_SHOPWARE_URL": shop.url, "ORDERFLOW_SHOP_SHOPWARE_TOKEN": token,
                "ORDERFLOW_SHOP_TIMEOUT": "2",
            ])
        try await harness.waitFor(
            "SELECT count(*) FROM vouchers WHERE shop_state = 'synced'", toBe: 20, timeout: .seconds(120))
        worker.signal(SIGTERM)
        #expect(try await worker.waitForExit() == 0, "\(worker.log.suffix(2000))")
        let stats = try await shop.stats()
        #expect(stats.created.count == 20)
        #expect(stats.created.values.allSatisfy { $0 == 1 })
        #expect(stats.duplicates == 0)
        #expect(try harness.scalar("SELECT count(*) FROM vouchers WHERE shop_state = 'unsynced'") == 10)
        #expect(try harness.scalar("SELECT count(*) FROM outbox WHERE type = 'voucher.issued'") == 30)
        #expect(worker.log.contains("voucher sync starting"), "\(worker.log.suffix(2000))")
        #expect(!worker.log.contains(token), "the token never in the log")
    }
}
