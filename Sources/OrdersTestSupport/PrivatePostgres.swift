import Foundation

/// A PostgreSQL 15 server of the test's own (initdb in a temporary folder owned by `postgres`, a
/// free loopback port, trust for the superuser on 127.0.0.1), for tests that stop, promote or
/// reconfigure a server: a primary, or a streaming standby of one (`init(standbyOf:)`). The shared
/// local stack is not touched. The test must run as root (CI does): the server runs as `postgres`.
public final class PrivatePostgres: Sendable {
    public static let bin = "/usr/lib/postgresql/15/bin"
    public let port: Int
    /// The name the primary knows this standby by (`synchronous_standby_names`), nil for a primary.
    public let standbyName: String?
    private let directory: URL

    private var data: String { directory.appendingPathComponent("data").path }

    /// A primary, started (what `ALTER SYSTEM` sets before a standby is made from it is copied to the standby).
    public init() throws {
        (directory, port, standbyName) = try Self.folder()
        try Self.check(
            Self.asPostgres(
                "\(Self.bin)/initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]),
            "initdb")
        let hba = "local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n"
        try Data(hba.utf8).write(to: URL(fileURLWithPath: data + "/pg_hba.conf"))
        try start()
    }

    /// A streaming standby of `primary` (a base backup, `standby.signal`), started; it connects
    /// under `name`, which the primary can list in `synchronous_standby_names`.
    public init(standbyOf primary: PrivatePostgres, name: String = "standby1") throws {
        let (directory, port, _) = try Self.folder()
        (self.directory, self.port, standbyName) = (directory, port, name)
        try Self.check(
            Self.asPostgres(
                "\(Self.bin)/pg_basebackup",
                ["-h", "127.0.0.1", "-p", String(primary.port), "-U", "postgres", "-D", data, "-X", "stream"]),
            "pg_basebackup")
        let conninfo = "host=127.0.0.1 port=\(primary.port) user=postgres application_name=\(name)"
        let auto = URL(fileURLWithPath: data + "/postgresql.auto.conf")
        let handle = try FileHandle(forWritingTo: auto)
        handle.seekToEndOfFile()
        handle.write(Data("primary_conninfo = '\(conninfo)'\n".utf8))
        try handle.close()
        try Data().write(to: URL(fileURLWithPath: data + "/standby.signal"))
        try Self.check(ChildProcess.run("/bin/chown", ["-R", "postgres:postgres", directory.path]), "chown")
        try start()
    }

    /// `postgresql://postgres@127.0.0.1:port/database`.
    public func url(database: String = "postgres") -> String { "postgresql://postgres@127.0.0.1:\(port)/\(database)" }

    /// Starts the server (after `stop`) and waits until it accepts connections.
    public func start() throws {
        try Self.pgCtlStart(
            data: data, log: directory.path + "/log",
            options: "-p \(port) -c listen_addresses=127.0.0.1 -k \(directory.path) -c fsync=off "
                + "-c wal_level=replica -c max_wal_senders=5 -c hot_standby=on")
    }

    /// `pg_ctl start` as `postgres` on the cluster in `data` with server `options`, waiting until it
    /// accepts connections; for every server of a test's own.
    public static func pgCtlStart(data: String, log: String, options: String) throws {
        // The server must not inherit this process's descriptors: Foundation watches one of them to
        // tell that a child has exited, and would wait for the server instead of pg_ctl.
        let detached = #"for fd in /proc/$$/fd/*; do fd=${fd##*/}; ((fd > 2)) && eval "exec $fd>&-"; done; exec "$@""#
        try check(
            ChildProcess.run(
                "/bin/bash",
                [
                    "-c", detached, "detached", "/usr/sbin/runuser", "-u", "postgres", "--", "\(bin)/pg_ctl",
                    "-D", data, "-o", options, "-l", log, "-w", "-t", "60", "start",
                ]), "pg_ctl start")
    }

    /// `pg_ctl stop` in `mode` (`fast`: sessions are ended, what is committed stays; `immediate`: a crash).
    public func stop(mode: String = "fast") throws {
        try Self.check(Self.asPostgres("\(Self.bin)/pg_ctl", ["-D", data, "-m", mode, "-w", "stop"]), "pg_ctl stop")
    }

    /// Makes a standby the primary (`pg_ctl promote`, waiting until it accepts writes).
    public func promote() throws {
        try Self.check(
            Self.asPostgres("\(Self.bin)/pg_ctl", ["-D", data, "-w", "-t", "60", "promote"]), "pg_ctl promote")
    }

    /// Runs SQL as the superuser through psql (settings, `pg_terminate_backend`); returns its output.
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        let result = try Self.asPostgres(
            "\(Self.bin)/psql", ["-h", "127.0.0.1", "-p", String(port), "-d", database, "-XAtq", "-c", sql])
        try Self.check(result, "psql")
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The last lines of the server's log, for a failure message.
    public var logTail: String {
        (try? ChildProcess.run("/usr/bin/tail", ["-20", directory.path + "/log"]).output) ?? ""
    }

    /// Stops the server at once and removes its folder.
    public func remove() {
        _ = try? Self.asPostgres("\(Self.bin)/pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(at: directory)
    }

    private static func folder() throws -> (URL, Int, String?) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "orderflow-pg-\(UUID().uuidString.prefix(8).lowercased())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try check(ChildProcess.run("/bin/chown", ["postgres:postgres", directory.path]), "chown")
        return (directory, try LoopbackPort.free(), nil)
    }

    /// Runs one of PostgreSQL's programs as the `postgres` user.
    public static func asPostgres(_ executable: String, _ arguments: [String]) throws -> ChildProcess.Result {
        try ChildProcess.run("/usr/sbin/runuser", ["-u", "postgres", "--", executable] + arguments)
    }

    /// Throws `what` failed, with its output, unless it exited 0.
    public static func check(_ result: ChildProcess.Result, _ what: String) throws {
        guard result.status == 0 else { throw TestFailure("\(what) failed: \(result.output)") }
    }
}
