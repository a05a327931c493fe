import Foundation
import OrdersTestSupport
import Testing

/// A wrong password is not an outage: the worker says which server refused whom, never the
/// password; a broker that refuses the login ends the worker with EX_CONFIG, so systemd shows
/// a failed unit instead of a worker waiting forever.
@Suite("refused logins (real RabbitMQ and PostgreSQL)", .workerSlot)
struct RefusedLoginTests {
    @Test func aRefusedBrokerLoginEndsTheWorkerWithExitStatus78AndTheReason() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        var url = URLComponents(string: amqpURL)!
        url.password = "not-the-password-77"
        let worker = try OrderflowProcess(harness, extraEnvironment: ["ORDERFLOW_AMQP_URL": url.string!])
        #expect(try await worker.waitForExit(timeout: .seconds(30)) == 78)
        #expect(worker.log.contains("login refused for user '\(url.user!)'"), "\(worker.log)")
        #expect(worker.log.contains("not retrying"))
        #expect(!worker.log.contains("not-the-password-77"))
    }

    @Test func aRefusedDatabaseLoginIsLoggedWithTheServersReasonAndRetried() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        var url = URLComponents(string: harness.databaseURL)!
        url.password = "not-the-password-78"
        let worker = try OrderflowProcess(harness, extraEnvironment: ["ORDERFLOW_DATABASE_URL": url.string!])
        try await waitUntil(timeout: .seconds(30), poll: .milliseconds(200)) {
            worker.log.contains("password authentication failed for user \"\(url.user!)\"")
        }
        #expect(worker.process.isRunning, "a database refusal is retried: the password may be fixed on the server")
        worker.signal(SIGTERM)
        #expect(try await worker.waitForExit() == 0)
        #expect(!worker.log.contains("not-the-password-78"))
    }
}
