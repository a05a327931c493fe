import LibPQ
import OrdersWorkers
import Testing

@Suite("database trouble: retried errors named for what they are")
struct DatabaseTroubleTests {
    @Test(arguments: [
        ("40P01", DatabaseTrouble.deadlock), ("40001", .serializationFailure), ("55P03", .lockNotAvailable),
        ("57P01", .serverShuttingDown), ("08006", .connectionLost), ("53300", .insufficientResources),
    ])
    func serverErrorsByTheirSQLState(sqlState: String, trouble: DatabaseTrouble) {
        let error = PostgresError(.server, sqlState: sqlState, message: "")
        #expect(DatabaseTrouble(error) == trouble)
        #expect(error.isTransient)
    }

    @Test func connectionErrorsAndTheRest() {
        #expect(DatabaseTrouble(PostgresError(.connectionFailed, message: "refused")) == .connectionFailed)
        #expect(DatabaseTrouble(PostgresError(.connectionLost, message: "")) == .connectionLost)
        #expect(DatabaseTrouble(CancellationError()) == .other)
        #expect(PostgresError(.server, sqlState: "23505", message: "").transientKind == nil, "permanent")
    }

    @Test func onlyDeadlocksCountInTheDeadlockMetric() {
        #expect(DatabaseTrouble.deadlock.metric.label == "orderflow_db_deadlocks_total")
        #expect(DatabaseTrouble.deadlock.words.hasPrefix("deadlock"))
        for trouble in DatabaseTrouble.allCases where trouble != .deadlock {
            #expect(trouble.metric.label == "orderflow_db_retries_total")
            #expect(trouble.metric.dimensions.map(\.1) == [trouble.rawValue])
        }
    }
}
