import OrdersDomain

/// WooCommerce's REST API v3: `POST /wp-json/wc/v3/coupons` (discount_type percent or fixed_cart,
/// amount as a decimal string, minimum_amount, date_expires_gmt, usage_limit 1 and one use per
/// customer, email_restrictions with the customer's address) and `GET /wp-json/wc/v3/coupons?code=`
/// to find one. Authenticated with the REST API key as HTTP basic auth ("ck_…:cs_…" over HTTPS).
public struct WooCommerceConnector: ShopConnector {
    private let base: String
    private let credentials: String
    private let client: HTTPClient
    private let gate = ThrottleGate()

    public init(baseURL: String, token: String, client: HTTPClient) {
        base = baseURL + "/wp-json/wc/v3/coupons"
        credentials = token
        self.client = client
    }

    public func find(code: String) async throws(ShopError) -> String? {
        let response = try await send(HTTPRequest(method: "GET", url: base + "?code=" + Self.queryEscaped(code)))
        guard case .array(let coupons) = HTTPOutcome.json(response) else {
            throw .retry(reason: "coupon search answered without a list", after: nil, uncertain: true)
        }
        // WooCommerce keeps codes in lower case and compares them without case.
        let match = coupons.first { $0["code"]?.stringValue?.lowercased() == code.lowercased() }
        return match.flatMap { coupon in
            if case .number(let id) = coupon["id"] { return id }
            return nil
        }
    }

    public func create(_ voucher: ShopVoucher) async throws(ShopError) -> String {
        let response = try await send(
            HTTPRequest(
                method: "POST", url: base, headers: ["Content-Type: application/json"],
                body: Array(JSON.serialize(Self.coupon(voucher)).utf8)))
        guard case .number(let id) = HTTPOutcome.json(response)?["id"] else {
            throw .retry(reason: "coupon created without an id", after: nil, uncertain: true)
        }
        return id
    }

    public func close() async { await client.close() }

    /// The coupon object of a create (also each entry of a batch's `create` list).
    static func coupon(_ voucher: ShopVoucher) -> JSONValue {
        var members: [(String, JSONValue)] = [("code", .string(voucher.code))]
        switch voucher.kind {
        case .percent(let percent):
            members += [("discount_type", .string("percent")), ("amount", .string(String(percent)))]
        case .amount(let money):
            members += [("discount_type", .string("fixed_cart")), ("amount", .string(money.decimalString))]
        }
        if let minimum = voucher.minimumOrder { members.append(("minimum_amount", .string(minimum.decimalString))) }
        // The GMT field: date_expires is read in the site's time zone, which orderflow does not know.
        members += [
            ("date_expires_gmt", .string(String(voucher.expiresAt.rfc3339.prefix(19)))),
            ("usage_limit", .number("1")), ("usage_limit_per_user", .number("1")), ("individual_use", .bool(true)),
            ("description", .string(voucher.title)),
        ]
        if let email = voucher.email { members.append(("email_restrictions", .array([.string(email)]))) }
        return .object(JSONObject(members))
    }

    private func send(_ request: HTTPRequest) async throws(ShopError) -> HTTPResponse {
        await gate.wait()
        var request = request
        request.headers.append("Accept: application/json")
        request.basicAuth = credentials
        let response: HTTPResponse
        do { response = try await client.send(request) } catch { throw HTTPOutcome.failure(error) }
        if let retryAfter = response.retryAfter { await gate.pause(for: retryAfter) }
        let json = HTTPOutcome.json(response)
        // WP REST errors: {"code": "woocommerce_rest_…", "message": "…", "data": {"status": 400}}.
        let code = json?["code"]?.stringValue ?? ""
        let message = HTTPOutcome.clip(json?["message"]?.stringValue ?? response.text)
        if code == "woocommerce_rest_coupon_code_already_exists" { throw .duplicate("\(code): \(message)") }
        if let failure = HTTPOutcome.check(response, message: code.isEmpty ? message : "\(code): \(message)") {
            throw failure
        }
        return response
    }

    /// A query value: codes are [2-9A-Z], but a code from elsewhere must not break the URL.
    static func queryEscaped(_ text: String) -> String {
        var escaped = ""
        for byte in text.utf8 {
            if (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x5F
            {
                escaped.append(Character(Unicode.Scalar(byte)))
            } else {
                escaped += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return escaped
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
