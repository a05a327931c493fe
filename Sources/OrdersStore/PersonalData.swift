/// Where a customer's personal data is stored, column by column, and what takes its place when it is
/// removed. `CustomerEraser` (`orderflow customers erase`), `Retention` (`orderflow prune`) and the
/// ingest upsert (which keeps an erased order erased) all read these lists: a new column that holds
/// personal data is one more line here.
///
/// What is not listed stays: amounts, currencies, statuses, times, ids, order numbers, SKUs and line
/// titles, parcels (carrier and tracking number, the merchant's proof of delivery), and the country of
/// an address (what taxes and the email's language are decided by).
public enum PersonalData {
    /// What erased personal data becomes.
    public static let erasedMarker = "[erased]"
    /// What personal data removed after its retention period becomes.
    public static let removedMarker = "[removed]"

    public struct Column: Sendable {
        public enum Kind: Sendable {
            /// Text: the marker.
            case text
            /// A JSON address object: `{"erased": true, "country": …}`, the country kept.
            case address
            /// Bytes (a raw message body): the marker's bytes.
            case bytes
        }

        public let name: String
        public let kind: Kind

        static func text(_ name: String) -> Column { Column(name: name, kind: .text) }
        static func address(_ name: String) -> Column { Column(name: name, kind: .address) }
        static func bytes(_ name: String) -> Column { Column(name: name, kind: .bytes) }

        /// `name = <the marker in this column's type>`; a NULL stays NULL (it holds nothing). The
        /// marker is one of ours, never input, so it is written into the SQL as a literal.
        func assignment(marker: String) -> String {
            let replacement =
                switch kind {
                case .text: "'\(marker)'"
                case .address: "jsonb_build_object('erased', true, 'country', \(name)->'country')"
                case .bytes: "convert_to('\(marker)', 'UTF8')"
                }
            return "\(name) = CASE WHEN \(name) IS NULL THEN NULL ELSE \(replacement) END"
        }
    }

    /// `orders`: the customer and the channel's document as it came (`raw_body`).
    public static let orders: [Column] = [
        .text("customer_email"), .text("customer_name"), .address("shipping_address"), .address("billing_address"),
        .bytes("raw_body"),
    ]
    /// `rejects`: the message as it came.
    public static let rejects: [Column] = [.bytes("body")]
    /// `emails`, the notifier's ledger: whom it wrote, what the subject said (names, order numbers), and the
    /// server's reply (which may quote the address).
    public static let emails: [Column] = [.text("recipient"), .text("subject"), .text("smtp_reply")]
    /// `email_attempts`, every attempt at an email: the server's reply (which may quote the address).
    public static let emailAttempts: [Column] = [.text("smtp_reply")]
    /// `vouchers`: a voucher names no customer on this schema; a customer field added to it goes here.
    public static let vouchers: [Column] = []

    /// Whether a stored body is only one of the markers (removed or erased).
    public static func isMarker(_ body: [UInt8]) -> Bool {
        body.elementsEqual(erasedMarker.utf8) || body.elementsEqual(removedMarker.utf8)
    }

    /// The SET list that replaces `columns` by `marker`.
    static func assignments(_ columns: [Column], marker: String) -> String {
        columns.map { $0.assignment(marker: marker) }.joined(separator: ", ")
    }

    /// For the ingest upsert: a new version of an erased order keeps the stored marker in every personal
    /// column, so neither a redelivery nor an update from the channel brings the data back.
    static var upsertKeepingErasure: String {
        orders.map { column in
            let name = column.name
            return "\(name) = CASE WHEN orders.erased_at IS NULL THEN EXCLUDED.\(name) ELSE orders.\(name) END"
        }.joined(separator: ", ")
    }
}
