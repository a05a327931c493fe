import OrdersDomain

/// Shopware 6's Admin API: one fixed-code promotion per voucher (`POST /api/promotion`: the code,
/// validity, one redemption in all and per customer, a cart discount, the minimum order value as
/// an inline cart rule `cartCartAmount >=`, and the order's sales channel when its body named one),
/// found with `POST /api/search/promotion` filtered on
/// `code`. The integration's access key id and secret ("id:secret") buy a bearer token at
/// `/api/oauth/token` (client credentials), kept until shortly before it expires.
public struct ShopwareConnector: ShopConnector {
    private let base: String
    private let clientID: String
    private let clientSecret: String
    private let client: HTTPClient
    private let tokens = TokenCache()
    private let gate = ThrottleGate()

    public init(baseURL: String, token: String, client: HTTPClient) {
        base = baseURL
        let parts = token.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        clientID = String(parts[0])
        clientSecret = parts.count > 1 ? String(parts[1]) : ""
        self.client = client
    }

    public func find(code: String) async throws(ShopError) -> String? {
        let search = JSONValue.object(
            JSONObject([
                (
                    "filter",
                    .array([
                        .object(
                            JSONObject([
                                ("type", .string("equals")), ("field", .string("code")), ("value", .string(code)),
                            ]))
                    ])
                ),
                ("limit", .number("1")),
            ]))
        let response = try await send(method: "POST", path: "/api/search/promotion", body: search)
        guard case .array(let found) = HTTPOutcome.json(response)?["data"] else {
            throw .retry(reason: "promotion search answered without data", after: nil, uncertain: true)
        }
        return found.first?["id"]?.stringValue
    }

    public func create(_ voucher: ShopVoucher) async throws(ShopError) -> String {
        let id = Self.newID()
        _ = try await send(method: "POST", path: "/api/promotion", body: Self.promotion(voucher, id: id))
        return id
    }

    public func close() async { await client.close() }

    static func promotion(_ voucher: ShopVoucher, id: String) -> JSONValue {
        let discount: [(String, JSONValue)]
        switch voucher.kind {
        case .percent(let percent): discount = [("type", .string("percentage")), ("value", .number(String(percent)))]
        case .amount(let money): discount = [("type", .string("absolute")), ("value", .number(money.decimalString))]
        }
        var members: [(String, JSONValue)] = [
            ("id", .string(id)), ("name", .string(voucher.title)), ("active", .bool(true)),
            ("validFrom", .string(voucher.startsAt.rfc3339)), ("validUntil", .string(voucher.expiresAt.rfc3339)),
            ("maxRedemptionsGlobal", .number("1")), ("maxRedemptionsPerCustomer", .number("1")),
            ("exclusive", .bool(false)), ("useCodes", .bool(true)), ("useIndividualCodes", .bool(false)),
            ("code", .string(voucher.code)),
            (
                "discounts",
                .array([
                    .object(
                        JSONObject(
                            [("scope", .string("cart"))] + discount + [("considerAdvancedRules", .bool(false))]))
                ])
            ),
        ]
        if let salesChannel = voucher.salesChannel {
            let assignment = JSONValue.object(
                JSONObject([("salesChannelId", .string(salesChannel)), ("priority", .number("1"))]))
            members.append(("salesChannels", .array([assignment])))
        }
        if let minimum = voucher.minimumOrder {
            let condition = JSONValue.object(
                JSONObject([
                    ("type", .string("cartCartAmount")),
                    (
                        "value",
                        .object(JSONObject([("operator", .string(">=")), ("amount", .number(minimum.decimalString))]))
                    ),
                ]))
            members.append(
                (
                    "cartRules",
                    .array([
                        .object(
                            JSONObject([
                                ("name", .string("Minimum order \(minimum)")), ("priority", .number("1")),
                                ("conditions", .array([condition])),
                            ]))
                    ])
                ))
        }
        return .object(JSONObject(members))
    }

    /// Shopware's ids: 32 lower-case hex digits (a UUID without dashes).
    static func newID() -> String {
        var random = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let word = String(random.next() as UInt32, radix: 16)
            return String(repeating: "0", count: 8 - word.count) + word
        }.joined()
    }

    private func send(method: String, path: String, body: JSONValue) async throws(ShopError) -> HTTPResponse {
        var renewed = false
        while true {
            let token = try await bearerToken()
            await gate.wait()
            let response: HTTPResponse
            do {
                response = try await client.send(
                    HTTPRequest(
                        method: method, url: base + path,
                        headers: [
                            "Content-Type: application/json", "Accept: application/json",
                            "Authorization: Bearer \(token)",
                        ],
                        body: Array(JSON.serialize(body).utf8)))
            } catch { throw HTTPOutcome.failure(error) }
            if let retryAfter = response.retryAfter { await gate.pause(for: retryAfter) }
            // An expired token: buy a new one, once.
            if response.status == 401, !renewed {
                await tokens.forget()
                renewed = true
                continue
            }
            let (code, message) = Self.firstError(response)
            if code == "PROMOTION_DUPLICATED_CODE_VIOLATION" { throw .duplicate("\(code): \(message)") }
            if let failure = HTTPOutcome.check(response, message: code.isEmpty ? message : "\(code): \(message)") {
                throw failure
            }
            return response
        }
    }

    private func bearerToken() async throws(ShopError) -> String {
        if let token = await tokens.current() { return token }
        let request = JSONValue.object(
            JSONObject([
                ("grant_type", .string("client_credentials")), ("client_id", .string(clientID)),
                ("client_secret", .string(clientSecret)),
            ]))
        let response: HTTPResponse
        do {
            response = try await client.send(
                HTTPRequest(
                    method: "POST", url: base + "/api/oauth/token",
                    headers: ["Content-Type: application/json", "Accept: application/json"],
                    body: Array(JSON.serialize(request).utf8)))
        } catch { throw HTTPOutcome.failure(error) }
        let (code, message) = Self.firstError(response)
        if let failure = HTTPOutcome.check(response, message: code.isEmpty ? message : "\(code): \(message)") {
            throw failure
        }
        let json = HTTPOutcome.json(response)
        guard let token = json?["access_token"]?.stringValue else {
            throw .retry(reason: "token response without access_token", after: nil, uncertain: false)
        }
        var lifetime = 600
        if case .number(let text) = json?["expires_in"], let seconds = Int(text) { lifetime = seconds }
        await tokens.keep(token, for: .seconds(max(lifetime - 30, 1)))
        return token
    }

    /// Shopware's errors: `{"errors": [{"code": "…", "status": "400", "detail": "…"}]}`.
    static func firstError(_ response: HTTPResponse) -> (code: String, message: String) {
        guard response.status >= 300 else { return ("", "") }
        let json = HTTPOutcome.json(response)
        guard case .array(let errors) = json?["errors"], let first = errors.first else {
            return ("", HTTPOutcome.clip(response.text))
        }
        let message = first["detail"]?.stringValue ?? first["title"]?.stringValue ?? "error"
        return (first["code"]?.stringValue ?? "", HTTPOutcome.clip(message))
    }
}

/// The current bearer token and when it stops being used.
private actor TokenCache {
    private var token: (value: String, until: ContinuousClock.Instant)?

    func current() -> String? {
        guard let token, token.until > .now else { return nil }
        return token.value
    }

    func keep(_ value: String, for lifetime: Duration) { token = (value, .now + lifetime) }

    func forget() { token = nil }
}
