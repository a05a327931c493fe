import ArgumentParser
import LibPQ
import OrdersStore

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply the database migrations that have not been applied yet.",
        discussion: "Safe to run repeatedly and from several hosts at once (an advisory lock serialises them)."
    )

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let logger = LogSetup.bootstrap()
        let db = try PostgresConnection(url: connection.resolvedDatabaseURL, applicationName: "orderflow-migrate")
        let migrator = Migrator(logger: logger)
        let applied = try migrator.migrate(db)
        let version = try migrator.currentVersion(db).map(String.init) ?? "none"
        print(applied.isEmpty ? "schema is current (version \(version))"
                              : "applied \(applied.count) migration(s); schema version \(version)")
    }
}
