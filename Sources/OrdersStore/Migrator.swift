public import LibPQ
public import Logging

/// Applies `Migrations.all` that a database has not seen yet.
///
/// Safe to run repeatedly and concurrently: a session advisory lock lets one migrator work at a
/// time, and each migration is recorded in `schema_migrations` in the same transaction as its DDL.
public struct Migrator {
    /// An arbitrary constant that names orderflow's migration lock.
    static let lockKey: Int64 = 0x6F72_6465_7266_6C77

    private let migrations: [Migration]
    private let logger: Logger

    public init(migrations: [Migration] = Migrations.all, logger: Logger) {
        self.migrations = migrations
        self.logger = logger
    }

    /// Returns the versions it applied (empty when the schema was already current).
    @discardableResult
    public func migrate(_ connection: PostgresConnection) throws -> [Int] {
        try connection.execute("SELECT pg_advisory_lock($1)", [.int(Self.lockKey)])
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock($1)", [.int(Self.lockKey)]) }
        try connection.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        let done = Set(
            try connection.execute("SELECT version FROM schema_migrations").rows.compactMap {
                $0[0].flatMap { Int($0) }
            })
        var applied: [Int] = []
        for migration in migrations.sorted(by: { $0.version < $1.version }) where !done.contains(migration.version) {
            do {
                try connection.transaction { connection in
                    try connection.executeScript(migration.sql)
                    try connection.execute(
                        "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                        [.int(migration.version), .text(migration.name)])
                }
            } catch let error as PostgresError where error.code == .server {
                // The statement is our own SQL, not data: the server's message is safe to show.
                throw MigrationError(version: migration.version, name: migration.name, reason: error.debugDescription)
            }
            logger.info(
                "applied migration",
                metadata: ["migration.version": "\(migration.version)", "migration.name": "\(migration.name)"])
            applied.append(migration.version)
        }
        return applied
    }

    /// The highest applied version, or nil for an empty database.
    public func currentVersion(_ connection: PostgresConnection) throws -> Int? {
        let exists = try connection.execute("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
        guard exists.bool(0, "present") == true else { return nil }
        return try connection.execute("SELECT max(version) AS v FROM schema_migrations").int64(0, "v").map(Int.init)
    }
}

/// A migration the server refused; it was rolled back whole, and the schema stays as it was.
public struct MigrationError: Error, CustomStringConvertible {
    public let version: Int
    public let name: String
    public let reason: String

    public var description: String { "migration \(version) (\(name)) failed and was rolled back: \(reason)" }
}
