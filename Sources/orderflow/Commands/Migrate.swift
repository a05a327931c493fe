import ArgumentParser
import LibPQ
import OrdersStore
import OrdersWorkers
import Settings

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply the database migrations that have not been applied yet.",
        discussion: "Safe to run repeatedly and from several hosts at once (an advisory lock serialises them)."
    )

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let logger = LogSetup.bootstrap()
        let db = try PostgresConnection(url: connection.resolvedDatabaseURL, applicationName: "orderflow-migrate")
        var migrations = Migrations.all
        if FaultInjection.isArmed(.brokenMigration) {
            migrations.append(
                Migration(
                    version: 9_999, name: "broken (fault injection)",
                    sql: "ALTER TABLE orders ADD COLUMN broken integer NOT NULL DEFAULT 1 / 0"))
        }
        let migrator = Migrator(migrations: migrations, logger: logger)
        let applied = try migrator.migrate(db)
        let version = try migrator.currentVersion(db).map(String.init) ?? "none"
        print(
            applied.isEmpty
                ? "schema is current (version \(version))"
                : "applied \(applied.count) migration(s); schema version \(version)")
    }
}

extension Migrate: ConnectsAsRole {
    static let databaseRole = DatabaseRole.owner
}
