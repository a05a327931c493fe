import Foundation
import OrdersTestSupport
import Testing

/// One fault under load on the cluster: two workers (w1, w2) and a notifier (n1) run while the shop
/// host publishes `Cluster.orders` Shopify orders and a parcel notice for every tenth; the fault
/// strikes once a third of the orders are stored, `heal` (if any) runs `healAfter` later. At the
/// end every count is exact: orders = unique orders published, each stored once; every event
/// published; one email per sent event.
struct Scenario {
    let name: String
    var orders = Cluster.orders
    var parcels: Int { orders / 10 }
    /// Publishing spans about 40 s whatever the count, so the fault falls inside it.
    var rate: Int { max(100, orders / 40) }
    let fault: (Cluster) async throws -> Void
    var healAfter: Duration = .seconds(15)
    var heal: ((Cluster) async throws -> Void)?
    /// Duplicate emails allowed: when the primary dies between the SMTP server's acceptance and the
    /// commit of the notifier's "sent", the event comes back and the email goes out again.
    var duplicateEmailsAllowed = 0

    func run() async throws {
        let cluster = try await Cluster.fresh()
        let start = ContinuousClock.now
        let workers = [("w1", try cluster.worker(on: "w1")), ("w2", try cluster.worker(on: "w2"))]
        let notifier = try cluster.notifier(on: "n1")
        let seed = Int.random(in: 1...999_999)
        let publishers = try cluster.publish(orders: orders, parcels: parcels, seed: seed, rate: rate)

        try await waitUntil(timeout: .seconds(300), poll: .milliseconds(200)) {
            (try? await cluster.count("SELECT count(*) FROM orders")) ?? 0 >= Int64(orders / 3)
        }
        let reconnects = Reconnects(workers + [("n1", notifier)])
        let faultTime = Date.nowSeconds
        try await fault(cluster)
        let faultAt = ContinuousClock.now
        var healed = heal == nil

        // Unique orders published: those the broker confirmed (a publisher reports the rest as failed,
        // which fails the test below, but the counts must still add up).
        func confirmed(_ publisher: OrderflowProcess) -> Int? {
            guard let line = publisher.log.split(separator: "\n").last(where: { $0.hasPrefix("published ") }),
                let part = line.split(separator: ":").last?.split(separator: " ").first
            else { return nil }
            return Int(part)
        }
        func done() async -> Bool {
            guard publishers.allSatisfy({ !$0.process.isRunning }), let published = confirmed(publishers[0]),
                (try? await cluster.count("SELECT count(*) FROM orders")) == Int64(published),
                (try? await cluster.count("SELECT count(*) FROM outbox WHERE published_at IS NULL")) == 0,
                let events = try? await cluster.count("SELECT count(*) FROM outbox"), events >= Int64(parcels)
            else { return false }
            return
                (try? await cluster.count(
                    "SELECT count(*) FROM emails WHERE status IN ('sent', 'skipped', 'failed')")) == events
        }
        let deadline = TestTime.deadline(after: .seconds(900))
        while !(await done()) || !healed {
            reconnects.poll()
            if !healed, ContinuousClock.now - faultAt >= healAfter, let heal {
                try await heal(cluster)
                healed = true
            }
            guard ContinuousClock.now < deadline else {
                Issue.record("\(name): not done after 15 minutes; worker log: \(workers[0].1.log.suffix(2000))")
                break
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        reconnects.poll()
        let elapsed = ContinuousClock.now - start

        for (_, process) in workers + [("n1", notifier)] { process.signal(SIGTERM) }
        for (name, process) in workers + [("n1", notifier)] {
            #expect(try await process.waitForExit() == 0, "\(name): \(process.log.suffix(2000))")
        }
        var republished = 0
        for publisher in publishers {
            #expect(try await publisher.waitForExit() == 0, "\(publisher.log.suffix(2000))")
            #expect(publisher.log.contains(", 0 failed,"), "every message confirmed: \(publisher.log.suffix(800))")
            republished += publisher.log.split(separator: "\n").filter { $0.contains("again in") }.count
        }

        let publishedOrders = confirmed(publishers[0]) ?? -1
        let publishedParcels = publishers.count > 1 ? confirmed(publishers[1]) ?? -1 : 0
        #expect(try await cluster.count("SELECT count(*) FROM orders") == Int64(publishedOrders))
        #expect(
            try await cluster.count("SELECT count(*) FROM processed_messages")
                == Int64(publishedOrders + publishedParcels))
        #expect(try await cluster.count("SELECT count(*) FROM rejects") == 0)
        #expect(try await cluster.count("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0)
        try await cluster.waitForEmptyQueue("orderflow.ingest")
        try await cluster.waitForEmptyQueue("orderflow.notifier")
        let events = try await cluster.count("SELECT count(*) FROM outbox")
        let sent = try await cluster.count("SELECT count(*) FROM emails WHERE status = 'sent'")
        #expect(try await cluster.count("SELECT count(*) FROM emails WHERE status = 'failed'") == 0)
        let sentIDs = Set(
            try await Cluster.run("sql", "SELECT event_id::text FROM emails WHERE status = 'sent'")
                .split(separator: "\n").map(String.init))
        let mails = try await cluster.mailbox.waitForMails(sentIDs, timeout: .seconds(120))
        let delivered = mails.values.reduce(0) { $0 + $1.count }
        #expect(Int64(mails.count) == sent, "one email per sent event")
        #expect(delivered - mails.count <= duplicateEmailsAllowed, "\(delivered - mails.count) duplicate emails")

        let emailRate = try await cluster.count(
            "SELECT (count(*) / greatest(extract(epoch FROM max(sent_at) - min(sent_at)), 1))::bigint FROM emails "
                + "WHERE status = 'sent'")
        let outage = Outage(fault: faultTime, stored: try await cluster.storedTimes())
        print(
            "cluster, \(name): \(publishedOrders) of \(orders) orders and \(publishedParcels) of \(parcels) parcel "
                + "notices confirmed (\(republished) "
                + "re-publish notices) in \(Reconnects.seconds(elapsed)); \(outage); "
                + "\(reconnects.description); orders stored once, \(events) events, \(sent) emails sent "
                + "(\(emailRate)/s by one notifier), \(delivered - mails.count) duplicate email(s)")
    }
}
