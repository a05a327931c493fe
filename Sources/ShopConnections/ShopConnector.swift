public import OrdersDomain

/// A voucher as a shop is asked to create it: one code, redeemable once, by one customer where
/// the shop can restrict that, until it expires.
public struct ShopVoucher: Sendable, Equatable {
    public let code: String
    public let kind: VoucherTerms.Kind
    public let minimumOrder: Money?
    public let startsAt: UTCTimestamp
    public let expiresAt: UTCTimestamp
    /// The customer's address, for shops that restrict a coupon to it (WooCommerce).
    public let email: String?
    /// A title for the shop's back office, e.g. "orderflow delay 7NQX…".
    public let title: String
    /// Shopware: the sales channel of the order, where the promotion is to be valid.
    public let salesChannel: String?

    public init(
        code: String, kind: VoucherTerms.Kind, minimumOrder: Money?, startsAt: UTCTimestamp,
        expiresAt: UTCTimestamp, email: String?, title: String, salesChannel: String? = nil
    ) {
        self.salesChannel = salesChannel
        self.code = code
        self.kind = kind
        self.minimumOrder = minimumOrder
        self.startsAt = startsAt
        self.expiresAt = expiresAt
        self.email = email
        self.title = title
    }

    /// An orderflow voucher as every shop gets it: valid from its issue until its expiry, titled with
    /// its reason and code. The sync and `vouchers export` both build it here, so a file imported by
    /// hand holds what the connector would have sent.
    public init(
        code: String, reason: String, terms: VoucherTerms, issuedAt: UTCTimestamp, email: String?,
        salesChannel: String? = nil
    ) {
        self.init(
            code: code, kind: terms.kind, minimumOrder: terms.minimumOrder, startsAt: issuedAt,
            expiresAt: terms.expiresAt, email: email, title: "orderflow \(reason) voucher \(code)",
            salesChannel: salesChannel)
    }
}

/// Why a shop did not take a voucher.
public enum ShopError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Passing: try again, not before `after` when the shop said so (Retry-After, throttle status).
    /// `uncertain`: the shop may have acted on the request (a timeout), so look the code up first.
    case retry(reason: String, after: Duration?, uncertain: Bool)
    /// The shop refuses for good (invalid token, code rejected): kept with the shop's own message.
    case refused(String)
    /// The shop already has a coupon with this code.
    case duplicate(String)

    public var description: String {
        switch self {
        case .retry(let reason, _, _): reason
        case .refused(let message): message
        case .duplicate(let message): message
        }
    }
}

/// One shop's coupon API. `find` and `create` are each one request (after any token request);
/// `ShopConnector.ensure` combines them so that a voucher is created at most once.
public protocol ShopConnector: Sendable {
    /// The shop's id of the coupon with this code, nil when it has none.
    func find(code: String) async throws(ShopError) -> String?
    /// Creates the coupon; returns the shop's id for it.
    func create(_ voucher: ShopVoucher) async throws(ShopError) -> String
    func close() async
}

extension ShopConnector {
    /// The coupon in the shop, created unless it is there already. `lookFirst` when an earlier attempt
    /// may have reached the shop (a timeout, a worker that died mid-request): then the code is looked
    /// up before anything is created. A create refused as a duplicate is looked up too.
    public func ensure(
        _ voucher: ShopVoucher, lookFirst: Bool
    ) async throws(ShopError) -> (
        reference: String, created: Bool
    ) {
        if lookFirst, let existing = try await find(code: voucher.code) { return (existing, false) }
        do {
            return (try await create(voucher), true)
        } catch .duplicate(let message) {
            if let existing = try await find(code: voucher.code) { return (existing, false) }
            throw .refused(message)
        }
    }
}

/// The shared reading of an HTTP outcome: what every shop API means by these statuses.
enum HTTPOutcome {
    static func failure(_ failure: HTTPFailure) -> ShopError {
        switch failure {
        case .timedOut: .retry(reason: "no response within the timeout", after: nil, uncertain: true)
        case .transport(let reason): .retry(reason: reason, after: nil, uncertain: true)
        }
    }

    /// nil for a 2xx; else the error (`message` is the shop's, read from its error body).
    static func check(_ response: HTTPResponse, message: String) -> ShopError? {
        switch response.status {
        case 200..<300: nil
        case 401, 403: .refused("HTTP \(response.status): \(message)")
        case 408, 409, 425, 429, 500..<600:
            .retry(reason: "HTTP \(response.status): \(message)", after: response.retryAfter, uncertain: false)
        default: .refused("HTTP \(response.status): \(message)")
        }
    }

    static func json(_ response: HTTPResponse) -> JSONValue? { try? JSON.parse(response.body) }

    /// A shop's text for the operator: one line, at most 300 characters.
    static func clip(_ text: String) -> String {
        let line = text.map { $0.isNewline ? " " : $0 }
        return line.count > 300 ? String(line.prefix(300)) + "…" : String(line)
    }
}

extension VoucherTerms.Kind {
    /// "0.1" for 10 %, as an exact decimal fraction (Shopify's percentage is 0.0...1.0).
    var fraction: String? {
        guard case .percent(let percent) = self else { return nil }
        if percent >= 100 { return "1.0" }
        return percent % 10 == 0 ? "0.\(percent / 10)" : (percent < 10 ? "0.0\(percent)" : "0.\(percent)")
    }
}

/// Waits before a shop's next request when it asked for a pause (429 Retry-After, Shopify's
/// throttle status), so a worker does not spend the pause hammering the shop.
actor ThrottleGate {
    private var notBefore = ContinuousClock.now

    func pause(for delay: Duration) {
        notBefore = max(notBefore, .now + min(delay, .seconds(60)))
    }

    func wait() async {
        let now = ContinuousClock.now
        if notBefore > now { try? await Task.sleep(until: notBefore, clock: .continuous) }
    }
}
