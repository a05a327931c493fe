import Foundation
import LibPQ
import Synchronization
import OrdersTestSupport
import Testing

/// The database of `deploy/local.sh up` unless ORDERFLOW_DATABASE_URL says otherwise. A missing
/// server fails these tests: they never skip.
let databaseURL = LocalStack.databaseURL

@Suite("PostgreSQL connection (real server)", .serialized)
struct PostgresConnectionTests {
    let db: PostgresConnection

    init() throws {
        db = try PostgresConnection(url: databaseURL, applicationName: "orderflow-tests")
    }

    @Test func typesRoundTrip() throws {
        let bytes: [UInt8] = [0, 1, 2, 0x7F, 0x80, 0xFE, 0xFF]
        let result = try db.execute(
            """
            SELECT $1::text AS t, $2::bigint AS n, $3::timestamptz AS ts, $4::jsonb AS j, $5::text AS missing, \
            $6::bytea AS b,
                   $7::boolean AS flag
            """,
            [
                .text("Bergstraße 12, Müller & Söhne"), .int(Int64.max), .text("2026-11-02T14:05:00Z"),
                .text(#"{"a": [1, "ü"]}"#), .null, .bytes(bytes), .bool(true),
            ])
        #expect(result["t"] == "Bergstraße 12, Müller & Söhne")
        #expect(result.int64(0, "n") == Int64.max)
        #expect(result[0, "missing"] == nil)
        #expect(result.bytes(0, "b") == bytes)
        #expect(result.bool(0, "flag") == true)
        #expect(result[0, "j"] == #"{"a": [1, "ü"]}"#)
        let utc = try db.execute(
            "SELECT to_char($1::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS s",
            [.text("2026-11-02T15:05:00+01:00")])
        #expect(utc[0, "s"] == "2026-11-02 14:05:00")
    }

    @Test func parametersAreNeverInterpolated() throws {
        let hostile = "'); DROP TABLE pg_class; --"
        let result = try db.execute("SELECT $1::text AS v", [.text(hostile)])
        #expect(result[0, "v"] == hostile)
    }

    @Test func textParameterWithNULIsRefusedBeforeLibpq() throws {
        try db.execute("CREATE TEMP TABLE nul_ids (k text PRIMARY KEY)")
        try db.execute("INSERT INTO nul_ids VALUES ($1)", [.text("a")])
        for send in [
            { try db.execute("INSERT INTO nul_ids VALUES ($1)", [.text("a\u{0}b")]) },
            {
                try db.pipeline(
                    [PostgresStatement(sql: "INSERT INTO nul_ids VALUES ($1)", [.text("a\u{0}b")])], transaction: true)
            },
        ] as [() throws -> Void] {
            let error = try #require(throws: PostgresError.self) { try send() }
            #expect(error.code == .invalidParameter)
            #expect(!error.isTransient)  // the ingest path keeps the message as a reject
            #expect(error.description == "PostgresError(invalidParameter): text parameter $1 contains a NUL byte")
        }
        let stored = try db.execute("SELECT k FROM nul_ids ORDER BY k")
        #expect(stored.count == 1)
        #expect(stored["k"] == "a")
    }

    @Test func uniqueViolationCarriesSQLState() throws {
        try db.execute("CREATE TEMP TABLE uv (k text PRIMARY KEY)")
        try db.execute("INSERT INTO uv VALUES ($1)", [.text("a")])
        let error = #expect(throws: PostgresError.self) { try db.execute("INSERT INTO uv VALUES ($1)", [.text("a")]) }
        #expect(error?.sqlState == "23505")
        #expect(error?.isUniqueViolation == true)
        #expect(error?.isTransient == false)
        // The generic description never quotes the statement's data.
        #expect(error.map { !$0.description.contains("\"a\"") } == true)
    }

    @Test func preparedStatementsAndTransactions() throws {
        try db.execute("CREATE TEMP TABLE tx (n bigint)")
        let insert = PreparedStatement(name: "tx_insert", sql: "INSERT INTO tx VALUES ($1)")
        try db.transaction { db in
            for n in 1...10 { try db.execute(insert, [.int(n)]) }
        }
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try db.transaction { db in
                try db.execute(insert, [.int(99)])
                throw Boom()
            }
        }
        #expect(try db.execute("SELECT count(*) AS c, sum(n) AS s FROM tx").int64(0, "c") == 10)
        #expect(try db.execute("SELECT sum(n) AS s FROM tx").int64(0, "s") == 55)
    }

    @Test func pipelineOfAThousandStatementsInOneTransaction() throws {
        try db.execute("CREATE TEMP TABLE pipe (n bigint PRIMARY KEY, label text)")
        let insert = PreparedStatement(name: "pipe_insert", sql: "INSERT INTO pipe VALUES ($1, $2)")
        let statements = (1...1000).map { PostgresStatement(insert, [.int($0), .text("Zeile \($0) – ä")]) }
        let results = try db.pipeline(statements, transaction: true)
        #expect(results.count == 1000)
        #expect(results.allSatisfy { $0.affectedRows == 1 })
        #expect(try db.execute("SELECT count(*) AS c FROM pipe").int64(0, "c") == 1000)
    }

    @Test func failingPipelineRollsBackEverything() throws {
        try db.execute("CREATE TEMP TABLE pipefail (n bigint PRIMARY KEY)")
        let insert = PreparedStatement(name: "pipefail_insert", sql: "INSERT INTO pipefail VALUES ($1)")
        let statements = [1, 2, 2, 3].map { PostgresStatement(insert, [.int($0)]) }
        let error = #expect(throws: PostgresError.self) { try db.pipeline(statements, transaction: true) }
        #expect(error?.sqlState == "23505")
        #expect(try db.execute("SELECT count(*) AS c FROM pipefail").int64(0, "c") == 0)
        // The connection is usable afterwards, in and out of pipelines.
        try db.pipeline([PostgresStatement(insert, [.int(7)])], transaction: true)
        #expect(try db.execute("SELECT count(*) AS c FROM pipefail").int64(0, "c") == 1)
    }

    /// Two transactions that lock two rows in opposite orders: the server breaks the cycle, and
    /// the loser's error says deadlock (what the workers count and name in their logs).
    @Test func aDeadlockIsNamedADeadlock() throws {
        let table = "deadlock_\(UInt32.random(in: 0...UInt32.max))"
        try db.execute("CREATE TABLE \(table) (id int PRIMARY KEY, n int)")
        defer { _ = try? db.execute("DROP TABLE \(table)") }
        try db.execute("INSERT INTO \(table) VALUES (1, 0), (2, 0)")
        // Used by one thread at a time: the other thread, then (after it signalled) this one.
        nonisolated(unsafe) let other = try PostgresConnection(
            url: databaseURL, applicationName: "orderflow-tests-other")
        try db.execute("BEGIN")
        try other.execute("BEGIN")
        try db.execute("UPDATE \(table) SET n = 1 WHERE id = 1")
        try other.execute("UPDATE \(table) SET n = 2 WHERE id = 2")
        // The other connection waits for row 1 on a thread of its own; this one then waits for row 2.
        let otherOutcome = Mutex<Result<Void, PostgresError>?>(nil)
        let otherDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let result = Result<Void, PostgresError> { () throws(PostgresError) in
                try other.execute("UPDATE \(table) SET n = 2 WHERE id = 1")
            }
            otherOutcome.withLock { $0 = result }
            otherDone.signal()
        }
        Thread.sleep(forTimeInterval: 0.2)
        let mine = Result<Void, PostgresError> { () throws(PostgresError) in
            try db.execute("UPDATE \(table) SET n = 1 WHERE id = 2")
        }
        // Whichever lost, the winner still holds its locks: end it so the loser's wait ends too.
        if case .success = mine { try db.execute("ROLLBACK") }
        otherDone.wait()
        if case .success = otherOutcome.withLock({ $0 }) { try other.execute("ROLLBACK") }
        _ = try? db.execute("ROLLBACK")
        _ = try? other.execute("ROLLBACK")
        let errors = [mine, otherOutcome.withLock { $0 }!].compactMap { outcome -> PostgresError? in
            if case .failure(let error) = outcome { error } else { nil }
        }
        try #require(errors.count == 1, "exactly one transaction loses")
        #expect(errors[0].sqlState == "40P01")
        #expect(errors[0].transientKind == .deadlock)
        #expect(errors[0].isTransient)
    }

    @Test func killedBackendIsDetectedAndTheNextCallReconnects() throws {
        let victimPID = db.backendPID
        let admin = try PostgresConnection(url: databaseURL, applicationName: "orderflow-tests-admin")
        try admin.execute("SELECT pg_terminate_backend($1)", [.int(Int64(victimPID))])
        let error = #expect(throws: PostgresError.self) { try db.execute("SELECT 1") }
        #expect(error?.code == .connectionLost)
        #expect(error?.isTransient == true)
        #expect(error?.transientKind == .connectionLost)
        let result = try db.execute("SELECT 41 + 1 AS answer")
        #expect(result.int64(0, "answer") == 42)
        #expect(db.backendPID != victimPID)
        // Prepared statements are prepared again on the new backend.
        let stmt = PreparedStatement(name: "after_reconnect", sql: "SELECT $1::int AS v")
        #expect(try db.execute(stmt, [.int(5)]).int64(0, "v") == 5)
        try admin.execute("SELECT pg_terminate_backend($1)", [.int(Int64(db.backendPID))])
        #expect(throws: PostgresError.self) { try db.execute(stmt, [.int(6)]) }
        #expect(try db.execute(stmt, [.int(6)]).int64(0, "v") == 6)
    }

    @Test func badURLAndUnreachableServerAreTypedErrors() throws {
        #expect(throws: PostgresError.self) { try PostgresConnection(url: "mysql://x") }
        let error = #expect(throws: PostgresError.self) {
            try PostgresConnection(url: "postgres://nobody:secret-pw@127.0.0.1:1/none?connect_timeout=2")
        }
        #expect(error?.code == .connectionFailed)
        #expect(
            error.map { !$0.description.contains("secret-pw") && !$0.debugDescription.contains("secret-pw") } == true)
        #expect(error?.description.contains("Connection refused") == true, "\(String(describing: error))")
    }

    @Test func aWrongPasswordSaysSoWithoutThePassword() throws {
        var url = URLComponents(string: LocalStack.databaseURL)!
        url.password = "not-the-password-42"
        let error = #expect(throws: PostgresError.self) { try PostgresConnection(url: url.string!) }
        #expect(error?.code == .connectionFailed)
        let description = error?.description ?? ""
        #expect(description.contains("password authentication failed for user \"\(url.user!)\""), "\(description)")
        #expect(!description.contains("not-the-password-42") && !description.contains("\n"))
    }
}

extension PostgresResult {
    subscript(column: String) -> String? { self[0, column] }
}
