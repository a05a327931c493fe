import AMQP
import Foundation
import LibPQ
import OrdersDomain
import OrdersTestSupport
import OrdersWorkers
import Testing

/// Faults while the servers stay up but stop answering, and the long chaos run. These restart or
/// freeze the local servers: the first suite runs with the fault tests, the second only with
/// `deploy/local.sh test --chaos`.
@Suite("broker frozen (SIGSTOP) under the worker", .serialized)
struct BrokerFreezeFaultTests {
    @Test func aFrozenBrokerIsDetectedWithinTwoHeartbeatsAndTheWorkerReconnectsAfterIt() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        try harness.publish((1...500).map { ("order.canonical", CanonicalSamples.order($0), "f-\($0)") })
        let worker = try WorkerProcess(
            harness, extraArguments: ["--no-relay", "--no-sweeper"],
            extraEnvironment: ["ORDERFLOW_AMQP_URL": amqpURL + "?heartbeat=2"])
        try await harness.waitFor("SELECT count(*) FROM orders", toBe: 500)
        try localStack("freeze", "rabbitmq")
        let frozenAt = ContinuousClock.now
        var detected = false
        do {
            try await waitUntil(timeout: .seconds(15)) { worker.log.contains("broker connection lost") }
            detected = true
        } catch {}
        let detectedAfter = ContinuousClock.now - frozenAt
        try localStack("thaw", "rabbitmq")
        #expect(detected, "a silent broker is noticed: \(worker.log.suffix(1000))")
        #expect(detectedAfter < .seconds(10), "within about two heartbeat intervals (2 s each), not \(detectedAfter)")
        try harness.publish((501...1000).map { ("order.canonical", CanonicalSamples.order($0), "f-\($0)") })
        try await harness.waitFor("SELECT count(*) FROM orders", toBe: 1000, timeout: .seconds(120))
        worker.signal(SIGTERM)
        #expect(try await worker.waitForExit() == 0)
        #expect(try harness.scalar("SELECT count(*) FROM processed_messages") == 1000)
        print(
            "broker frozen: the worker noticed after \(detectedAfter), reconnected after the thaw, 1000 orders "
                + "stored once"
        )
    }
}

@Suite("chaos: kills and broker restarts under load", .serialized)
struct ChaosTests {
    /// The whole pipeline under fire: `orderflow publish` sends 50,000 Shopify orders and 10,000
    /// parcel notices while the broker is restarted twice; two workers (ingest and relay) and two
    /// notifiers (emails to an SMTP sink of the test's own) are SIGKILLed at random. At the end every
    /// order is stored once, every event published, every email sent, and the only duplicate
    /// emails are those a notifier killed between SMTP acceptance and its record can leave.
    @Test func ordersEventsAndEmailsThroughRandomKillsAndTwoBrokerRestarts() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let sink = try await offThePool { try PrivateSink() }
        let orders = 50_000, parcels = 10_000
        let seed = String(Int.random(in: 1...999_999))
        // Paced so that both broker restarts fall inside the publishers' runs.
        let publishing: [String: String?] = ["ORDERFLOW_AMQP_URL": amqpURL]
        let publishers = [
            try OrderflowProcess(
                [
                    "publish", "shopify", "--sample", "\(orders)", "--seed", seed, "--rate", "1800", "--exchange",
                    harness.exchange,
                ],
                environment: publishing, daemon: false),
            try OrderflowProcess(
                [
                    "publish", "canonical", "--shipment", "--sample", "\(parcels)", "--orders", "shopify", "--seed",
                    seed,
                    "--rate", "360", "--exchange", harness.exchange,
                ], environment: publishing, daemon: false),
        ]
        func worker() throws -> OrderflowProcess { try WorkerProcess(harness, extraArguments: ["--no-sweeper"]) }
        func notifier() throws -> OrderflowProcess {
            try OrderflowProcess(notifier: harness.eventsQueue, databaseURL: harness.databaseURL, smtpURL: sink.url)
        }
        var workers = try [worker(), worker()]
        var notifiers = try [notifier(), notifier()]
        var workerKills = 0, notifierKills = 0, restarts = 0
        let start = ContinuousClock.now
        func done() -> Bool {
            guard publishers.allSatisfy({ !$0.process.isRunning }),
                (try? harness.scalar("SELECT count(*) FROM orders")) == Int64(orders),
                (try? harness.scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL")) == 0,
                let events = try? harness.scalar("SELECT count(*) FROM outbox"), events >= Int64(parcels)
            else { return false }
            return (try? harness.scalar("SELECT count(*) FROM emails WHERE status IN ('sent', 'skipped', 'failed')"))
                == events
        }
        while !done() {
            guard ContinuousClock.now - start < .seconds(600) else { Issue.record("not done after 10 minutes"); break }
            try await Task.sleep(for: .milliseconds(Int.random(in: 1500...4000)))
            if restarts < 2, ContinuousClock.now - start > .seconds(restarts == 0 ? 6 : 18) {
                try localStack("stop", "rabbitmq")
                try localStack("start", "rabbitmq")
                restarts += 1
                continue
            }
            let victim = Int.random(in: 0..<4)
            if victim < 2 {
                workers[victim].signal(SIGKILL)
                _ = try await workers[victim].waitForExit()
                workers[victim] = try worker()
                workerKills += 1
            } else {
                notifiers[victim - 2].signal(SIGKILL)
                _ = try await notifiers[victim - 2].waitForExit()
                notifiers[victim - 2] = try notifier()
                notifierKills += 1
            }
        }
        for process in workers + notifiers { process.signal(SIGTERM) }
        for process in workers + notifiers {
            #expect(try await process.waitForExit() == 0, "\(process.log.suffix(1000))")
        }

        // The publishers bridged both restarts: every message confirmed, the unconfirmed sent again.
        var republished = 0
        for publisher in publishers {
            #expect(try await publisher.waitForExit() == 0, "\(publisher.log.suffix(2000))")
            #expect(publisher.log.contains(", 0 failed,"), "\(publisher.log.suffix(500))")
            republished += publisher.log.split(separator: "\n").filter { $0.contains("again in") }.count
        }
        #expect(try harness.scalar("SELECT count(*) FROM orders") == Int64(orders))
        #expect(
            try harness.scalar(
                "SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)")
                == 0)
        #expect(try harness.scalar("SELECT count(*) FROM processed_messages") == Int64(orders + parcels))
        #expect(try harness.scalar("SELECT count(*) FROM rejects") == 0)
        #expect(try harness.queueDepth() == 0)

        let events = try harness.query("SELECT event_id::text AS id FROM outbox").rows.compactMap { $0.first ?? nil }
        let sent = try harness.scalar("SELECT count(*) FROM emails WHERE status = 'sent'") ?? 0
        #expect(try harness.scalar("SELECT count(*) FROM emails WHERE status = 'failed'") == 0)
        let mails = try await sink.mailbox.waitForMails(
            Set(
                try harness.query("SELECT event_id::text FROM emails WHERE status = 'sent'").rows.compactMap {
                    $0.first ?? nil
                }))
        let delivered = mails.values.reduce(0) { $0 + $1.count }
        #expect(Int64(mails.count) == sent, "one email per sent event")
        #expect(
            delivered - mails.count <= notifierKills,
            "duplicates only from notifiers killed between SMTP acceptance and record")
        print(
            "chaos: \(orders) orders and \(parcels) parcel notices published by `orderflow publish` (\(republished) "
                + "reconnect/re-publish notices, "
                + "all confirmed) through \(restarts) broker restarts, \(workerKills) worker and \(notifierKills) "
                + "notifier SIGKILLs in "
                + "\(ContinuousClock.now - start): orders stored once, \(events.count) events, \(sent) emails sent "
                + "(\(events.count - Int(sent)) without "
                + "address), \(delivered - mails.count) duplicate email(s)")
    }
}

@Suite("chaos: a thousand forced reconnects", .serialized)
struct ReconnectChaosTests {
    /// The connection to the broker cut over and over under a running ingest service (a TCP relay
    /// in front of the broker shuts every connection down): first while it stores a backlog, a cut
    /// each time it has stored another batch, so acks and reconnects interleave (no ack crosses a
    /// reconnect: the broker logs no unknown delivery tag; every order stored once); then 1,000
    /// times in a row, each once it consumes again: every reconnect closes what the last one
    /// opened, so neither descriptors nor memory grow.
    @Test func aThousandCutConnectionsLeaveNoDescriptorsOrMemoryBehind() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        var viaProxy = try AMQPConfiguration(url: amqpURL)
        let proxy = try CuttableProxy(targetPort: UInt16(viaProxy.port))
        defer { proxy.stop() }
        viaProxy.port = Int(proxy.port)
        let brokerLog = LocalStack.checkout.appendingPathComponent(".state/rabbitmq/log/orderflow@localhost.log").path
        #expect(FileManager.default.fileExists(atPath: brokerLog), "the local broker's log")
        let unknownTagsBefore = Self.count("unknown delivery tag", in: brokerLog)
        let backlog = 5000, cuts = 1000
        try harness.publish((1...backlog).map { ("order.canonical", CanonicalSamples.order($0), "r-\($0)") })
        let start = ContinuousClock.now
        // Batches of 50 with a prefetch of 50: every delivery of a connection is in its first batch,
        // so no message is returned by more cuts than the queue's delivery limit allows.
        let (trafficCuts, baseline, after) = try await harness.withWorker(
            batchSize: 50, amqp: AMQPNodes(viaProxy),
            configure: {
                $0.reconnectDelay = .milliseconds(5)
                $0.prefetch = 50
            }
        ) { progress in
            var trafficCuts = 0
            while progress.stored < backlog {
                let before = progress.stored
                try await waitUntil(timeout: .seconds(60), poll: .milliseconds(2)) { progress.stored > before }
                guard progress.stored < backlog else { break }
                proxy.cut()
                trafficCuts += 1
            }
            var baseline = Self.usage()
            // Each cut once the consumer is registered on a new connection (a new generation): that
            // connection has been through the relay, so the cut ends it.
            var generation = progress.consumingGeneration
            for cut in 1...cuts {
                try await waitUntil(timeout: .seconds(30), poll: .milliseconds(2)) {
                    progress.consumingGeneration > generation && progress.isConsuming
                }
                generation = progress.consumingGeneration
                // After the first reconnects have warmed every cache, and with a connection up through the
                // relay (three sockets of this process), as at the last measurement.
                if cut == 101 { baseline = Self.usage() }
                proxy.cut()
            }
            try await waitUntil(timeout: .seconds(30)) {
                progress.consumingGeneration > generation && progress.isConsuming
            }
            try harness.publish(
                (backlog + 1...backlog + 200).map { ("order.canonical", CanonicalSamples.order($0), "r-\($0)") })
            _ = try await harness.waitFor(
                "SELECT count(*) FROM orders", toBe: Int64(backlog + 200), timeout: .seconds(120))
            return (trafficCuts, baseline, Self.usage())
        }
        #expect(trafficCuts >= 50, "cuts while storing: \(trafficCuts)")
        #expect(try harness.scalar("SELECT count(*) FROM processed_messages") == Int64(backlog + 200))
        #expect(try harness.queueDepth() == 0)
        #expect(Self.count("unknown delivery tag", in: brokerLog) == unknownTagsBefore, "an ack crossed a reconnect")
        #expect(
            after.descriptors <= baseline.descriptors + 2, "descriptors \(baseline.descriptors) -> \(after.descriptors)"
        )
        #expect(
            after.residentKiB - baseline.residentKiB < 8 * 1024,
            "RSS \(baseline.residentKiB) -> \(after.residentKiB) KiB")
        print(
            "reconnects: \(trafficCuts) cuts while storing \(backlog) orders (each stored once, no unknown delivery "
                + "tag), then \(cuts) "
                + "forced reconnects in a row; \(ContinuousClock.now - start) in all; descriptors "
                + "\(baseline.descriptors) -> \(after.descriptors), "
                + "RSS \(baseline.residentKiB / 1024) -> \(after.residentKiB / 1024) MiB (after 100 -> after \(cuts))")
    }

    static func usage() -> (descriptors: Int, residentKiB: Int) {
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let rss =
            status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }?.split(separator: " ").dropFirst().first
            .flatMap { Int($0) } ?? -1
        return (descriptors, rss)
    }

    static func count(_ text: String, in file: String) -> Int {
        ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").components(separatedBy: text).count - 1
    }
}
