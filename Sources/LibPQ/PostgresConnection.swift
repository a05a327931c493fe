internal import CLibPQ
import Glibc

/// A statement prepared once per connection under a fixed name and re-prepared after a reconnect.
public struct PreparedStatement: Sendable, Hashable {
    public let name: String
    public let sql: String
    public init(name: String, sql: String) { self.name = name; self.sql = sql }
}

/// One statement of a pipeline: a prepared statement or plain SQL, with its parameters.
public struct PostgresStatement: Sendable {
    enum Kind: Sendable { case prepared(PreparedStatement), sql(String) }
    let kind: Kind
    let parameters: [PostgresValue]
    public init(_ statement: PreparedStatement, _ parameters: [PostgresValue] = []) {
        kind = .prepared(statement); self.parameters = parameters
    }
    public init(sql: String, _ parameters: [PostgresValue] = []) { kind = .sql(sql); self.parameters = parameters }
}

/// A synchronous libpq connection.
///
/// Not `Sendable` on purpose: libpq forbids two threads using one `PGconn` at the same time, so a
/// connection lives on the thread (or serial executor) that created it. Every statement is
/// parameterised (`PQexecParams`/`PQexecPrepared`); no SQL is ever built from values.
/// A broken connection is reported as `.connectionLost` and re-established by the next call; a
/// connection that found its server read-only is re-established too (see `isTransient`). With a
/// multi-host URL (`postgresql://u@h1:5432,h2:5432/db?target_session_attrs=read-write`) libpq tries
/// the hosts in turn on every (re)connect, which is how a failover to a promoted standby is followed.
public final class PostgresConnection {
    private var handle: OpaquePointer?
    private var prepared: Set<String> = []
    /// The server said it is read-only (a standby): connect afresh, so libpq looks for the primary.
    private var mustReconnect = false

    /// libpq's version as an integer, e.g. 150018.
    public static var libraryVersion: Int { Int(PQlibVersion()) }

    /// Opens a connection from a `postgres://` or `postgresql://` URL (libpq parses it; `sslmode`,
    /// `sslrootcert`, `connect_timeout` and the other libpq URL parameters apply).
    public init(url: String, applicationName: String = "orderflow") throws(PostgresError) {
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
            throw PostgresError(.invalidURL, message: "database URL must start with postgres:// or postgresql://")
        }
        // Defaults first: with expand_dbname the URL's own settings override them.
        let keywords = ["application_name", "connect_timeout", "keepalives_idle", "dbname"]
        let values = [applicationName, "10", "30", url]
        handle = withCStringArray(keywords) { k in withCStringArray(values) { v in PQconnectdbParams(k, v, 1) } }
        guard let handle, PQstatus(handle) == CONNECTION_OK else {
            let message = handle.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
            if let handle { PQfinish(handle) }
            self.handle = nil
            throw PostgresError(.connectionFailed, message: message)
        }
        silenceNotices(handle)
    }

    deinit { close() }

    /// Closes the connection; later calls fail. Safe to call twice.
    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil  // never leave a dangling PGconn behind
        prepared.removeAll()
    }

    /// Whether the connection is open and usable right now (no round trip).
    public var isConnected: Bool { handle.map { PQstatus($0) == CONNECTION_OK } ?? false }

    /// The server's version as an integer, e.g. 150018.
    public var serverVersion: Int { handle.map { Int(PQserverVersion($0)) } ?? 0 }

    /// The backend's process id (for `pg_terminate_backend` in tests and for logs).
    public var backendPID: Int32 { handle.map { PQbackendPID($0) } ?? 0 }

    // MARK: statements

    /// Runs one statement with bound parameters.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [PostgresValue] = []) throws(PostgresError) -> PostgresResult {
        try refuseUnsendable(parameters)
        let conn = try usableHandle()
        let result = withParameters(parameters) { values, lengths, formats in
            PQexecParams(conn, sql, Int32(parameters.count), nil, values, lengths, formats, 0)
        }
        return try consume(result, on: conn)
    }

    /// Runs a prepared statement, preparing it on this connection first if needed.
    @discardableResult
    public func execute(
        _ statement: PreparedStatement, _ parameters: [PostgresValue] = []
    ) throws(PostgresError) -> PostgresResult {
        try refuseUnsendable(parameters)
        let conn = try usableHandle()
        try prepareIfNeeded(statement, on: conn)
        let result = withParameters(parameters) { values, lengths, formats in
            PQexecPrepared(conn, statement.name, Int32(parameters.count), values, lengths, formats, 0)
        }
        return try consume(result, on: conn)
    }

    /// Runs a script of several statements without parameters (migrations only).
    public func executeScript(_ sql: String) throws(PostgresError) {
        let conn = try usableHandle()
        _ = try consume(PQexec(conn, sql), on: conn)
    }

    /// Runs `body` inside BEGIN/COMMIT; any error rolls back and is rethrown. A connection lost
    /// during COMMIT is `.commitOutcomeUnknown`.
    public func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let value = try body(self)
            do throws(PostgresError) {
                try execute("COMMIT")
            } catch  where error.code == .connectionLost {
                throw PostgresError(.commitOutcomeUnknown, sqlState: error.sqlState, message: error.message)
            }
            return value
        } catch {
            rollbackQuietly()
            throw error
        }
    }

    /// Sends all statements in one round trip (libpq pipeline mode) and returns their results in order.
    /// With `transaction: true` they run between BEGIN and COMMIT, all or nothing. The first failing
    /// statement's error is thrown after the pipeline is drained; the transaction is then rolled back.
    /// When the connection breaks after COMMIT was sent and before its answer (and no statement
    /// before it failed), the error is `.commitOutcomeUnknown`: the transaction may have committed.
    @discardableResult
    public func pipeline(_ statements: [PostgresStatement], transaction: Bool) throws(PostgresError) -> [PostgresResult]
    {
        for statement in statements { try refuseUnsendable(statement.parameters) }
        let conn = try usableHandle()
        for case .prepared(let statement) in statements.map(\.kind) { try prepareIfNeeded(statement, on: conn) }
        guard PQenterPipelineMode(conn) == 1 else { throw pipelineError(conn) }
        defer { _ = PQexitPipelineMode(conn) }

        var sent = 0
        var sendFailure: PostgresError?
        func send(_ statement: PostgresStatement) -> Bool {
            let ok: Int32 = withParameters(statement.parameters) { values, lengths, formats in
                switch statement.kind {
                case .prepared(let p):
                    PQsendQueryPrepared(conn, p.name, Int32(statement.parameters.count), values, lengths, formats, 0)
                case .sql(let sql):
                    PQsendQueryParams(conn, sql, Int32(statement.parameters.count), nil, values, lengths, formats, 0)
                }
            }
            if ok == 1 { sent += 1 }
            return ok == 1
        }
        let all =
            transaction
            ? [PostgresStatement(sql: "BEGIN")] + statements + [PostgresStatement(sql: "COMMIT")] : statements
        for statement in all where !send(statement) { sendFailure = pipelineError(conn); break }
        guard PQpipelineSync(conn) == 1 else { throw lostOrFailed(conn, pipelineError(conn)) }

        // Read one result per statement sent (each followed by a NULL), then the sync marker.
        var results: [PostgresResult] = []; results.reserveCapacity(sent)
        var firstError: PostgresError? = sendFailure
        var firstErrorIndex: Int?  // the statement whose answer was an error, nil when the answers stopped
        for index in 0..<sent {
            guard let result = PQgetResult(conn) else {
                firstError = firstError ?? lostOrFailed(conn, pipelineError(conn)); break
            }
            switch PQresultStatus(result) {
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK: results.append(PostgresResult(copying: result))
            case PGRES_PIPELINE_ABORTED: break
            default:
                if firstError == nil { (firstError, firstErrorIndex) = (serverError(result, conn), index) }
            }
            PQclear(result)
            while let extra = PQgetResult(conn) { PQclear(extra) }  // the NULL that ends this statement
        }
        while let result = PQgetResult(conn) {  // up to and including PGRES_PIPELINE_SYNC
            let done = PQresultStatus(result) == PGRES_PIPELINE_SYNC
            PQclear(result)
            if done { break }
        }
        if let firstError {
            _ = PQexitPipelineMode(conn)
            if transaction, PQstatus(conn) == CONNECTION_OK, PQtransactionStatus(conn) != PQTRANS_IDLE {
                rollbackQuietly()
            }
            let error = lostOrFailed(conn, firstError)
            let commitSent = transaction && sendFailure == nil && sent == all.count
            if commitSent, error.code == .connectionLost, firstErrorIndex.map({ $0 == all.count - 1 }) ?? true {
                throw PostgresError(.commitOutcomeUnknown, sqlState: error.sqlState, message: error.message)
            }
            throw error
        }
        return transaction ? Array(results.dropFirst().dropLast()) : results
    }

    // MARK: internals

    /// The handle, re-established first if the previous call found the connection broken.
    private func usableHandle() throws(PostgresError) -> OpaquePointer {
        guard let handle else { throw PostgresError(.connectionLost, message: "connection is closed") }
        if PQstatus(handle) != CONNECTION_OK || mustReconnect {
            mustReconnect = false
            prepared.removeAll()
            PQreset(handle)
            guard PQstatus(handle) == CONNECTION_OK else {
                throw PostgresError(.connectionFailed, message: String(cString: PQerrorMessage(handle)))
            }
            silenceNotices(handle)
        }
        return handle
    }

    private func prepareIfNeeded(_ statement: PreparedStatement, on conn: OpaquePointer) throws(PostgresError) {
        guard !prepared.contains(statement.name) else { return }
        _ = try consume(PQprepare(conn, statement.name, statement.sql, 0, nil), on: conn)
        prepared.insert(statement.name)
    }

    private func consume(_ result: OpaquePointer?, on conn: OpaquePointer) throws(PostgresError) -> PostgresResult {
        guard let result else {
            throw lostOrFailed(conn, PostgresError(.protocolViolation, message: String(cString: PQerrorMessage(conn))))
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY: return PostgresResult(copying: result)
        default: throw lostOrFailed(conn, serverError(result, conn))
        }
    }

    private func serverError(_ result: OpaquePointer, _ conn: OpaquePointer) -> PostgresError {
        let sqlState = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
        let message = String(cString: PQresultErrorMessage(result)).trimmingTrailingNewlines()
        return PostgresError(
            .server, sqlState: sqlState, message: message.isEmpty ? String(cString: PQerrorMessage(conn)) : message)
    }

    private func pipelineError(_ conn: OpaquePointer) -> PostgresError {
        PostgresError(.pipeline, message: String(cString: PQerrorMessage(conn)).trimmingTrailingNewlines())
    }

    /// A failure on a connection that is now broken is a lost connection, whatever else it said.
    private func lostOrFailed(_ conn: OpaquePointer, _ error: PostgresError) -> PostgresError {
        if error.transientKind == .readOnly { mustReconnect = true }
        guard PQstatus(conn) != CONNECTION_OK else { return error }
        prepared.removeAll()
        return PostgresError(.connectionLost, sqlState: error.sqlState, message: error.message)
    }

    private func rollbackQuietly() {
        guard let handle, PQstatus(handle) == CONNECTION_OK else { return }
        if let result = PQexec(handle, "ROLLBACK") { PQclear(result) }
    }
}

/// Server notices (e.g. "relation already exists, skipping") would go to stderr; the wrapper drops them.
private func silenceNotices(_ conn: OpaquePointer) {
    PQsetNoticeProcessor(conn, { _, _ in }, nil)
}

/// libpq ends a text parameter at its first NUL byte: "a\u{0}b" would arrive as "a" and could overwrite another row.
/// Such a parameter is refused before anything is sent (not transient: retrying cannot help).
private func refuseUnsendable(_ parameters: [PostgresValue]) throws(PostgresError) {
    for (index, parameter) in parameters.enumerated() {
        guard case .text(let text) = parameter, text.utf8.contains(0) else { continue }
        throw PostgresError(.invalidParameter, message: "text parameter $\(index + 1) contains a NUL byte")
    }
}

/// Calls `body` with libpq's three parallel parameter arrays; the memory lives only for the call.
private func withParameters<R>(
    _ parameters: [PostgresValue],
    _ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> R
) -> R {
    if parameters.isEmpty { return body(nil, nil, nil) }
    var buffers: [UnsafeMutablePointer<CChar>?] = []
    var lengths: [Int32] = []
    var formats: [Int32] = []
    buffers.reserveCapacity(parameters.count)
    defer { for buffer in buffers { buffer?.deallocate() } }
    for parameter in parameters {
        switch parameter {
        case .null:
            buffers.append(nil); lengths.append(0); formats.append(0)
        case .text(let text):
            let utf8 = Array(text.utf8)
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count + 1)
            utf8.withUnsafeBufferPointer { src in
                src.withMemoryRebound(to: CChar.self) { buffer.initialize(from: $0.baseAddress!, count: utf8.count) }
            }
            buffer[utf8.count] = 0
            buffers.append(buffer); lengths.append(Int32(utf8.count)); formats.append(0)
        case .bytes(let bytes):
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: max(bytes.count, 1))
            bytes.withUnsafeBufferPointer { src in
                if let base = src.baseAddress {
                    base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                        buffer.initialize(from: $0, count: bytes.count)
                    }
                }
            }
            buffers.append(buffer); lengths.append(Int32(bytes.count)); formats.append(1)
        }
    }
    return buffers.withUnsafeBufferPointer { b in
        b.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: b.count) { values in
            lengths.withUnsafeBufferPointer { l in
                formats.withUnsafeBufferPointer { f in body(values, l.baseAddress, f.baseAddress) }
            }
        }
    }
}

/// A NULL-terminated array of C strings for libpq's keyword/value API.
private func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
    defer { for copy in copies { free(copy) } }
    return copies.withUnsafeBufferPointer { buffer in
        buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) { body($0) }
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while let last = s.last, last.isNewline || last == " " { s = s.dropLast() }
        return String(s)
    }
}
