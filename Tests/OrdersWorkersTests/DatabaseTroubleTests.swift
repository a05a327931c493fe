import LibPQ
import OrdersWorkers
import Testing

@Suite("database trouble: retried errors named for what they are")
struct DatabaseTroubleTests {
    @Test(arguments: [
        ("40P01", DatabaseTrouble.transient(.deadlock)), ("40001", .transient(.serializationFailure)),
        ("55P03", .transient(.lockNotAvailable)),
        ("57P01", .transient(.serverShuttingDown)), ("08006", .transient(.connectionLost)),
        ("53300", .transient(.insufficientResources)), ("25006", .transient(.readOnly)),
    ])
    func serverErrorsByTheirSQLState(sqlState: String, trouble: DatabaseTrouble) {
        let error = PostgresError(.server, sqlState: sqlState, message: "")
        #expect(DatabaseTrouble(error) == trouble)
        #expect(error.isTransient)
    }

    @Test func connectionErrorsAndTheRest() {
        #expect(DatabaseTrouble(PostgresError(.connectionFailed, message: "refused")) == .transient(.connectionFailed))
        #expect(DatabaseTrouble(PostgresError(.connectionLost, message: "")) == .transient(.connectionLost))
        #expect(
            DatabaseTrouble(PostgresError(.commitOutcomeUnknown, message: "")) == .transient(.commitOutcomeUnknown))
        #expect(DatabaseTrouble(CancellationError()) == .other)
        #expect(PostgresError(.server, sqlState: "23505", message: "").transientKind == nil, "permanent")
    }

    @Test func onlyDeadlocksCountInTheDeadlockMetric() {
        #expect(DatabaseTrouble.transient(.deadlock).metric.label == "orderflow_db_deadlocks_total")
        #expect(DatabaseTrouble.transient(.deadlock).words.hasPrefix("deadlock"))
        for trouble in DatabaseTrouble.allCases where trouble != .transient(.deadlock) {
            #expect(trouble.metric.label == "orderflow_db_retries_total")
            #expect(trouble.metric.dimensions.map(\.1) == [trouble.name])
        }
    }
}
