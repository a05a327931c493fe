internal import CLibPQ

/// The rows of one statement, copied out of libpq's `PGresult` (which is cleared at once).
/// Values are in PostgreSQL's text format; `nil` is SQL NULL.
public struct PostgresResult: Sendable {
    public let columns: [String]
    public let rows: [[String?]]
    /// Rows affected by INSERT/UPDATE/DELETE (`PQcmdTuples`), 0 for others.
    public let affectedRows: Int

    public var count: Int { rows.count }
    public var isEmpty: Bool { rows.isEmpty }

    public subscript(row: Int, column: String) -> String? {
        guard let index = columns.firstIndex(of: column) else { return nil }
        return rows[row][index]
    }

    public func int64(_ row: Int, _ column: String) -> Int64? { self[row, column].flatMap { Int64($0) } }
    public func bool(_ row: Int, _ column: String) -> Bool? { self[row, column].map { $0 == "t" } }

    /// A `bytea` column (text format `\x...` hex).
    public func bytes(_ row: Int, _ column: String) -> [UInt8]? {
        guard let text = self[row, column] else { return nil }
        return PostgresResult.decodeHexBytea(text)
    }

    static func decodeHexBytea(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"), utf8.count % 2 == 0 else {
            return nil
        }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var out = [UInt8](); out.reserveCapacity(utf8.count / 2 - 1)
        var i = 2
        while i < utf8.count {
            guard let hi = nibble(utf8[i]), let lo = nibble(utf8[i + 1]) else { return nil }
            out.append(hi << 4 | lo); i += 2
        }
        return out
    }

    /// Copies a tuples-or-command result; the caller clears `result`.
    init(copying result: OpaquePointer) {
        let columnCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        var rows = [[String?]](); rows.reserveCapacity(rowCount)
        for r in 0..<rowCount {
            var row = [String?](); row.reserveCapacity(columnCount)
            for c in 0..<columnCount {
                if PQgetisnull(result, Int32(r), Int32(c)) == 1 {
                    row.append(nil)
                } else {
                    let length = Int(PQgetlength(result, Int32(r), Int32(c)))
                    let pointer = PQgetvalue(result, Int32(r), Int32(c))!
                    row.append(
                        pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
                            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
                        })
                }
            }
            rows.append(row)
        }
        self.rows = rows
        affectedRows = Int(String(cString: PQcmdTuples(result))) ?? 0
    }
}
