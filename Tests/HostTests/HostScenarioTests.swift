import Foundation
import LibPQ
import OrdersTestSupport
import Testing

/// orderflow as operators run it: the Debian package on a Debian 12 host with systemd as PID 1,
/// its units hardened and sandboxed, against this machine's RabbitMQ, PostgreSQL and SMTP sink.
/// One day of an operator's life in order: start, a rolling upgrade under load, a migration that
/// fails, a wedged worker, stops, and the journal. Each step prints its figures.
@Suite("the package under systemd (deploy/testhost.sh)", .serialized)
struct HostScenarioTests {
    @Test func anOperatorsDayUnderSystemd() async throws {
        let host = try HostInstallation.shared.get()
        try await startsEveryUnitReadyWithItsOwnUserCredentialAndPort(host)
        try await rollingUpgradeUnderLoadStoresEveryOrderOnce(host)
        try theDailyPruneRunsAsItsOwnUnit(host)
        try await aFailingMigrationLeavesTheWorkersRunning(host)
        try await aWedgedWorkerIsKilledByTheWatchdogAndRestarted(host)
        try await stoppingDrainsAndLosesNothing(host)
        try journalPrioritiesFilter()
        try removingAndPurgingLeaveNothingRunning()
    }

    // MARK: - Steps

    func startsEveryUnitReadyWithItsOwnUserCredentialAndPort(_ host: HostInstallation) async throws {
        try host.startAll()
        // systemctl returned: every Type=notify unit has said READY, so its consumer is registered.
        #expect(try HostInstallation.consumers("orderflow.ingest").consumers == 4)
        #expect(try HostInstallation.consumers("orderflow.notifier").consumers == 1)
        var uids: [String: Int] = [:]
        for unit in HostInstallation.daemons {
            #expect(try TestHost.property(unit, "ActiveState") == "active", "\(unit)")
            let pid = try TestHost.property(unit, "MainPID")
            let uid = Int(try TestHost.output("stat -c %u /proc/\(pid)")) ?? 0
            #expect((61184...65519).contains(uid), "\(unit) runs as a dynamic user, not uid \(uid)")
            uids[unit] = uid
            // The credential systemd handed over, readable by the service only.
            #expect(try TestHost.output("ls /run/credentials/\(unit)/").contains("database-url"), "\(unit)")
        }
        // A template's instances share one dynamic user; the notifier has another.
        #expect(Set(HostInstallation.workers.map { uids[$0] }).count == 1)
        #expect(uids["orderflow-notifier.service"] != uids["orderflow-worker@1.service"])
        for (port, unit) in zip(
            HostInstallation.metricsBase..., ["orderflow-notifier.service"] + HostInstallation.workers)
        {
            let health = try TestHost.sh("curl -fsS http://127.0.0.1:\(port)/healthz")
            #expect(health.output.contains("consuming"), "\(unit) on \(port): \(health.output)")
        }
        let status1 = try TestHost.sh("systemctl status --no-pager orderflow-worker@1", allowFailure: true).output
        #expect(status1.contains("Status: \"consuming orderflow.ingest"), "\(status1)")
        let metrics = try TestHost.output("curl -fsS http://127.0.0.1:\(HostInstallation.metricsBase + 3)/metrics")
        #expect(metrics.contains("orderflow_ingest_consumer_active 1"))
        // The daemons connect as the app role; the migrate unit created the schema as the owner.
        let roles = try host.query(
            """
            SELECT DISTINCT usename FROM pg_stat_activity
            WHERE application_name IN ('orderflow-worker', 'orderflow-relay', 'orderflow-sweeper', 'orderflow-notifier')
            """
        ).rows.compactMap { $0[0] }
        #expect(roles == ["orderflow_app"])
        let owners = Set(
            try host.query("SELECT tableowner FROM pg_tables WHERE schemaname = '\(host.schema)'").rows.compactMap {
                $0[0]
            })
        #expect(owners == ["orderflow_owner"])
        // Root's commands on the host read the same settings and the read role's credential.
        let status = try TestHost.sh("orderflow status --check")
        #expect(
            status.output.contains("orderflow.ingest") && status.output.contains("alerts  none"), "\(status.output)")
        #expect(!status.output.contains("guest:guest"))
        let config = try TestHost.output("orderflow config")
        #expect(config.contains("credential /etc/orderflow/credentials/database-url-read"), "\(config)")
        #expect(config.contains("/etc/orderflow/orderflow.env:"), "\(config)")
        #expect(config.contains("orderflow_read:***@"), "\(config)")
        print(
            "host: 4 workers and the notifier active; 4 + 1 consumers at READY; dynamic users (workers, notifier); "
                + "metrics on \(HostInstallation.metricsBase)-\(HostInstallation.metricsBase + 4); role orderflow_app"
        )
    }

    func rollingUpgradeUnderLoadStoresEveryOrderOnce(_ host: HostInstallation) async throws {
        let orders = 30_000
        let before = (orders: try host.count("orders"), processed: try host.count("processed_messages"))
        var invocations = try Self.invocations()
        let publisher = try HostInstallation.publish(orders, seed: Int.random(in: 1...999_999), rate: 1_200)
        try await Task.sleep(for: .seconds(3))
        // 1. The package: new files, daemon-reload; nothing restarts by itself.
        try host.install(TestHost.package("ORDERFLOW_TEST_PACKAGE_UPGRADE"))
        #expect(try TestHost.output("dpkg-query -W -f '${Version}' orderflow").hasSuffix("-2"))
        #expect(
            try TestHost.output("grep -c '^ORDERFLOW_METRICS_ADDR=127.0.0.1' /etc/orderflow/orderflow.env") == "1",
            "the operator's settings survive the upgrade")
        #expect(try Self.invocations() == invocations, "the package upgrade restarted a service")
        // 2. Migrations and topology.
        try TestHost.sh("systemctl restart orderflow-migrate.service")
        #expect(try Self.invocations() == invocations, "restarting the migrate unit restarted a worker")
        // 3. One worker at a time.
        for unit in HostInstallation.workers + ["orderflow-notifier.service"] {
            try TestHost.sh("systemctl restart \(unit)")
            let now = try Self.invocations()
            #expect(now[unit] != invocations[unit], "\(unit) restarted")
            for other in HostInstallation.daemons where other != unit {
                #expect(now[other] == invocations[other], "\(other) untouched")
            }
            invocations = now
        }
        #expect(try await publisher.waitForExit(timeout: .seconds(120)) == 0, "\(publisher.log.suffix(1000))")
        #expect(publisher.log.contains(", 0 failed,"), "\(publisher.log.suffix(500))")
        try await waitUntil(timeout: .seconds(300), poll: .seconds(1)) {
            try host.count("orders") - before.orders >= orders
        }
        try await Task.sleep(for: .seconds(2))
        #expect(try host.count("orders") - before.orders == orders)
        #expect(try host.count("processed_messages") - before.processed == orders)
        #expect(try host.count("rejects") == 0)
        for unit in HostInstallation.daemons { #expect(try TestHost.property(unit, "NRestarts") == "0", "\(unit)") }
        print(
            "host: rolling upgrade to -2 under \(orders) orders: \(try host.count("orders") - before.orders) stored "
                + "once, 5 units restarted one by one, 0 other restarts"
        )
    }

    /// The timer is enabled and scheduled; its service, started once, prunes exactly the aged message ids as
    /// the app role, beside the running workers, and succeeds.
    func theDailyPruneRunsAsItsOwnUnit(_ host: HostInstallation) throws {
        let aged = 1_000
        _ = try host.query(
            """
            UPDATE processed_messages SET processed_at = now() - interval '31 days'
            WHERE message_id IN (SELECT message_id FROM processed_messages ORDER BY message_id LIMIT \(aged))
            """)
        // Counted by age, not in total: the default queues of the broker are shared, so anything may arrive.
        let agedCount =
            "SELECT count(*) FROM processed_messages WHERE processed_at < now() - interval '30 days'"
        let before = try host.count("processed_messages")
        #expect(try host.query(agedCount).rows.first?.first == "\(aged)")
        try TestHost.sh("systemctl enable --now orderflow-prune.timer")
        #expect(try TestHost.property("orderflow-prune.timer", "ActiveState") == "active")
        #expect(try TestHost.property("orderflow-prune.timer", "NextElapseUSecRealtime") != "")
        let cursor = try TestHost.cursor()
        try TestHost.sh("systemctl start orderflow-prune.service")  // a oneshot: returns when it has finished
        #expect(try TestHost.property("orderflow-prune.service", "Result") == "success")
        #expect(try host.query(agedCount).rows.first?.first == "0")
        #expect(try host.count("processed_messages") >= before - aged)
        let log = try TestHost.journal("orderflow-prune.service", since: cursor).compactMap {
            $0["MESSAGE"] as? String
        }
        #expect(log.contains { $0.contains("older than 30 days: \(aged) deleted in") }, "\(log)")
        try TestHost.sh("systemctl disable --now orderflow-prune.timer")
        print("host: orderflow-prune.timer scheduled; orderflow-prune.service pruned \(aged) aged message ids, success")
    }

    func aFailingMigrationLeavesTheWorkersRunning(_ host: HostInstallation) async throws {
        let invocations = try Self.invocations()
        try TestHost.write(
            "[Service]\nEnvironment=ORDERFLOW_FAULT_INJECTION=broken-migration\n",
            to: "/etc/systemd/system/orderflow-migrate.service.d/broken.conf")
        try TestHost.sh("systemctl daemon-reload")
        let cursor = try TestHost.cursor()
        let failed = try TestHost.sh("systemctl restart orderflow-migrate.service", allowFailure: true)
        #expect(failed.status != 0)
        let migrateLog = try TestHost.journal("orderflow-migrate.service", since: cursor).compactMap {
            $0["MESSAGE"] as? String
        }
        #expect(
            migrateLog.contains { $0.contains("migration 9999") && $0.contains("division by zero") }, "\(migrateLog)")
        #expect(try Self.invocations() == invocations, "a failed migration touched a worker")
        // The fleet still ingests meanwhile.
        let before = try host.count("orders")
        let publisher = try HostInstallation.publish(1_000, seed: Int.random(in: 1...999_999), rate: 2_000)
        #expect(try await publisher.waitForExit() == 0)
        try await waitUntil(timeout: .seconds(60), poll: .milliseconds(500)) {
            try host.count("orders") - before == 1_000
        }
        try TestHost.sh("rm /etc/systemd/system/orderflow-migrate.service.d/broken.conf && systemctl daemon-reload")
        try TestHost.sh("systemctl reset-failed orderflow-migrate.service; systemctl restart orderflow-migrate.service")
        #expect(try TestHost.property("orderflow-migrate.service", "ActiveState") == "active")
        #expect(try Self.invocations() == invocations)
        print(
            "host: failing migration: unit failed, 5 services untouched, 1000 orders stored meanwhile; fixed "
                + "migration active again"
        )
    }

    func aWedgedWorkerIsKilledByTheWatchdogAndRestarted(_ host: HostInstallation) async throws {
        let unit = "orderflow-worker@4.service"
        try TestHost.write(
            "[Service]\nEnvironment=ORDERFLOW_FAULT_INJECTION=wedge\nWatchdogSec=5s\n",
            to: "/etc/systemd/system/\(unit).d/wedge.conf")
        try TestHost.sh("systemctl daemon-reload && systemctl restart \(unit)")
        let cursor = try TestHost.cursor()
        let restartsBefore = Int(try TestHost.property(unit, "NRestarts")) ?? 0
        let before = try host.count("orders")
        let publisher = try HostInstallation.publish(400, seed: Int.random(in: 1...999_999), rate: 400)
        #expect(try await publisher.waitForExit() == 0)
        let start = ContinuousClock.now
        try await waitUntil(timeout: .seconds(120), poll: .milliseconds(500)) {
            (Int(try TestHost.property(unit, "NRestarts")) ?? 0) > restartsBefore
        }
        let noticed = ContinuousClock.now - start
        let journal = try TestHost.journal(unit, since: cursor).compactMap { $0["MESSAGE"] as? String }
        #expect(journal.contains { $0.contains("wedged at wedge") }, "the fault point was reached")
        #expect(journal.contains { $0.contains("Watchdog timeout") }, "\(journal.suffix(20))")
        #expect(
            journal.contains { $0.contains("Program crashed") || $0.contains("crashed") },
            "a backtrace: \(journal.suffix(40))")
        // orderflow's frames are named from the debug symbols the package ships.
        let frames = journal.filter { $0.hasSuffix(" in orderflow") }
        #expect(!frames.isEmpty && frames.allSatisfy { !$0.contains("<unknown>") }, "\(frames)")
        #expect(noticed < .seconds(45), "WatchdogSec 5 s + TimeoutAbortSec 10 s + RestartSec 2 s")
        try TestHost.sh(
            "rm /etc/systemd/system/\(unit).d/wedge.conf && systemctl daemon-reload && systemctl restart \(unit)")
        try await waitUntil(timeout: .seconds(120), poll: .milliseconds(500)) {
            try host.count("orders") - before == 400
        }
        #expect(try TestHost.property(unit, "ActiveState") == "active")
        print(
            "host: wedged worker: watchdog restart \(noticed) after the orders came, backtrace in the journal, 400 "
                + "of 400 stored"
        )
    }

    func stoppingDrainsAndLosesNothing(_ host: HostInstallation) async throws {
        let orders = 6_000
        let before = try host.count("orders")
        let publisher = try HostInstallation.publish(orders, seed: Int.random(in: 1...999_999), rate: 1_500)
        try await Task.sleep(for: .seconds(2))
        try TestHost.sh("systemctl stop orderflow-worker@2.service")
        #expect(try TestHost.property("orderflow-worker@2.service", "ExecMainStatus") == "0")
        #expect(try TestHost.property("orderflow-worker@2.service", "Result") == "success")
        try await Task.sleep(for: .seconds(1))
        // The target stops first (it is ordered after what it wants); its units drain behind it.
        try TestHost.sh("systemctl stop orderflow.target")
        try await waitUntil(timeout: .seconds(60), poll: .milliseconds(200)) {
            try HostInstallation.daemons.allSatisfy { try TestHost.property($0, "ActiveState") == "inactive" }
        }
        for unit in HostInstallation.daemons {
            #expect(try TestHost.property(unit, "ActiveState") == "inactive", "\(unit)")
            #expect(try TestHost.property(unit, "Result") == "success", "\(unit)")
            #expect(try TestHost.property(unit, "ExecMainStatus") == "0", "\(unit)")
        }
        #expect(try await publisher.waitForExit(timeout: .seconds(60)) == 0)
        let stored = try host.count("orders") - before
        let queued = Int(try HostInstallation.consumers("orderflow.ingest").messages)
        #expect(stored + queued == orders, "stored \(stored) + queued \(queued)")
        try TestHost.sh("systemctl start orderflow.target")
        #expect(try HostInstallation.consumers("orderflow.ingest").consumers == 4)
        try await waitUntil(timeout: .seconds(120), poll: .milliseconds(500)) {
            try host.count("orders") - before >= orders
        }
        try await Task.sleep(for: .seconds(1))
        #expect(try host.count("orders") - before == orders)
        print(
            "host: stop under load: worker@2 and then the target exited 0 (\(stored) stored, \(queued) waiting); "
                + "after the start \(orders) of \(orders) stored once"
        )
    }

    func journalPrioritiesFilter() throws {
        let warnings = try TestHost.journal("orderflow-*", priority: "warning")
        #expect(warnings.allSatisfy { Int($0["PRIORITY"] as? String ?? "9")! <= 4 })
        let ours = warnings.filter { ($0["SYSLOG_IDENTIFIER"] as? String) == "orderflow" }.compactMap {
            $0["MESSAGE"] as? String
        }
        #expect(
            ours.contains { $0.contains("migration 9999") },
            "the failed migration's error at priority err: \(ours.suffix(10))")
        #expect(!ours.contains { $0.contains("consuming") }, "info lines are not warnings")
        let info = try TestHost.journal("orderflow-worker@1.service", priority: "info")
            .filter { ($0["SYSLOG_IDENTIFIER"] as? String) == "orderflow" }
        #expect(
            info.contains {
                ($0["MESSAGE"] as? String)?.contains("consuming") == true && ($0["PRIORITY"] as? String) == "6"
            })
        #expect(
            !(warnings + info).contains { ($0["MESSAGE"] as? String)?.hasPrefix("<") == true },
            "journald took the prefixes")
        let recent = try TestHost.output("journalctl --no-pager -u orderflow-worker@2 --since -10min")
        #expect(recent.contains("orderflow: consuming"), "\(recent.suffix(500))")
        print(
            "host: journal: \(warnings.count) entries at warning or above (\(ours.count) of orderflow's own), info "
                + "lines filtered out"
        )
    }

    func removingAndPurgingLeaveNothingRunning() throws {
        try TestHost.sh("systemctl start orderflow.target")
        try TestHost.sh("DEBIAN_FRONTEND=noninteractive apt-get remove -y -q orderflow")
        for unit in HostInstallation.daemons + ["orderflow-migrate.service"] {
            #expect(try TestHost.property(unit, "ActiveState") != "active", "\(unit) still runs after the removal")
        }
        #expect(try TestHost.sh("test -e /usr/bin/orderflow", allowFailure: true).status != 0)
        #expect(try TestHost.sh("test -e /etc/orderflow/orderflow.env").status == 0, "remove keeps the settings")
        try TestHost.sh("DEBIAN_FRONTEND=noninteractive apt-get purge -y -q orderflow")
        #expect(
            try TestHost.sh("test -e /etc/orderflow", allowFailure: true).status != 0, "purge removes /etc/orderflow")
        #expect(
            try TestHost.output("systemctl list-units --all --no-legend 'orderflow*' | grep -c running || true") == "0")
        print("host: apt-get remove stopped every unit and kept the settings; purge removed /etc/orderflow")
    }

    /// Each service's InvocationID: it changes exactly when systemd starts the service anew.
    static func invocations() throws -> [String: String] {
        var result: [String: String] = [:]
        for unit in HostInstallation.daemons { result[unit] = try TestHost.property(unit, "InvocationID") }
        return result
    }
}
