import OrdersDomain

/// Shopify's Admin GraphQL API: `discountCodeBasicCreate` for a code (percentage or fixed amount,
/// minimum subtotal, ends at the voucher's expiry, usage limit 1, once per customer) and
/// `codeDiscountNodeByCode` to find one. The API version is pinned and named in the path.
/// Shopify throttles by query cost: every response's `extensions.cost.throttleStatus` says how many
/// points are left and how fast they come back; a request that would exceed them waits.
public struct ShopifyConnector: ShopConnector {
    public static let apiVersion = "2025-01"
    /// What one of our requests costs, at most (Shopify's `requestedQueryCost` for a mutation is 10).
    static let requestCost = 10.0

    private let endpoint: String
    private let token: String
    private let client: HTTPClient
    private let gate = ThrottleGate()

    public init(baseURL: String, token: String, client: HTTPClient) {
        endpoint = baseURL + "/admin/api/\(Self.apiVersion)/graphql.json"
        self.token = token
        self.client = client
    }

    public func find(code: String) async throws(ShopError) -> String? {
        let data = try await graphQL(
            "query codeDiscountNodeByCode($code: String!) { codeDiscountNodeByCode(code: $code) { id } }",
            variables: ["code": .string(code)])
        return data["codeDiscountNodeByCode"]?["id"]?.stringValue
    }

    public func create(_ voucher: ShopVoucher) async throws(ShopError) -> String {
        let data = try await graphQL(Self.createMutation, variables: ["basicCodeDiscount": Self.input(voucher)])
        let result = data["discountCodeBasicCreate"]
        if case .array(let errors) = result?["userErrors"], let first = errors.first {
            let message = HTTPOutcome.clip(first["message"]?.stringValue ?? "user error")
            if first["code"]?.stringValue == "TAKEN" { throw .duplicate(message) }
            throw .refused("discountCodeBasicCreate: \(message)")
        }
        guard let id = result?["codeDiscountNode"]?["id"]?.stringValue else {
            throw .retry(reason: "discountCodeBasicCreate answered without an id", after: nil, uncertain: true)
        }
        return id
    }

    public func close() async { await client.close() }

    /// The create, with `$basicCodeDiscount` as its one variable: also the mutation a bulk import
    /// (`bulkOperationRunMutation`) runs once per line of `vouchers export --format shopify`.
    public static let createMutation = """
        mutation discountCodeBasicCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
          discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
            codeDiscountNode { id }
            userErrors { field code message }
          }
        }
        """

    /// The `basicCodeDiscount` variable (DiscountCodeBasicInput) for a voucher.
    static func input(_ voucher: ShopVoucher) -> JSONValue {
        let value: JSONValue
        switch voucher.kind {
        case .percent: value = .object(JSONObject([("percentage", .number(voucher.kind.fraction ?? "0"))]))
        case .amount(let money):
            value = .object(
                JSONObject([
                    (
                        "discountAmount",
                        .object(
                            JSONObject([("amount", .string(money.decimalString)), ("appliesOnEachItem", .bool(false))]))
                    )
                ]))
        }
        var members: [(String, JSONValue)] = [
            ("title", .string(voucher.title)), ("code", .string(voucher.code)),
            ("startsAt", .string(voucher.startsAt.rfc3339)), ("endsAt", .string(voucher.expiresAt.rfc3339)),
            ("customerSelection", .object(JSONObject([("all", .bool(true))]))),
            (
                "customerGets",
                .object(JSONObject([("value", value), ("items", .object(JSONObject([("all", .bool(true))])))]))
            ),
            ("usageLimit", .number("1")), ("appliesOncePerCustomer", .bool(true)),
        ]
        if let minimum = voucher.minimumOrder {
            members.append(
                (
                    "minimumRequirement",
                    .object(
                        JSONObject([
                            (
                                "subtotal",
                                .object(JSONObject([("greaterThanOrEqualToSubtotal", .string(minimum.decimalString))]))
                            )
                        ]))
                ))
        }
        return .object(JSONObject(members))
    }

    /// One GraphQL request; returns `data`. Honours and records the throttle status.
    private func graphQL(_ query: String, variables: [String: JSONValue]) async throws(ShopError) -> JSONValue {
        await gate.wait()
        let body = JSONValue.object(
            JSONObject([
                ("query", .string(query)),
                ("variables", .object(JSONObject(variables.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))),
            ]))
        let response: HTTPResponse
        do {
            response = try await client.send(
                HTTPRequest(
                    method: "POST", url: endpoint,
                    headers: [
                        "Content-Type: application/json", "Accept: application/json",
                        "X-Shopify-Access-Token: \(token)",
                    ],
                    body: Array(JSON.serialize(body).utf8)))
        } catch { throw HTTPOutcome.failure(error) }
        let json = HTTPOutcome.json(response)
        if let status = json?["extensions"]?["cost"]?["throttleStatus"], let wait = Self.throttleWait(status) {
            await gate.pause(for: wait)
        }
        if response.status == 429, response.retryAfter == nil {
            // Shopify's REST answer to a burst: Retry-After is documented but a default keeps us polite.
            await gate.pause(for: .seconds(2))
        }
        if let retryAfter = response.retryAfter { await gate.pause(for: retryAfter) }
        if let failure = HTTPOutcome.check(response, message: Self.message(json, response)) { throw failure }
        if case .array(let errors) = json?["errors"], let first = errors.first {
            let message = HTTPOutcome.clip(first["message"]?.stringValue ?? "error")
            if first["extensions"]?["code"]?.stringValue == "THROTTLED" {
                let wait = json?["extensions"]?["cost"]?["throttleStatus"].flatMap(Self.throttleWait) ?? .seconds(1)
                throw .retry(reason: "throttled: \(message)", after: wait, uncertain: false)
            }
            throw .refused("GraphQL: \(message)")
        }
        guard let data = json?["data"], case .object = data else {
            throw .retry(reason: "HTTP \(response.status) without data", after: nil, uncertain: true)
        }
        return data
    }

    /// How long until the bucket holds a request's cost again; nil when it does now.
    static func throttleWait(_ status: JSONValue) -> Duration? {
        guard case .number(let availableText) = status["currentlyAvailable"],
            case .number(let rateText) = status["restoreRate"],
            let available = Double(availableText), let rate = Double(rateText), rate > 0,
            available < requestCost
        else { return nil }
        return .milliseconds(Int64((requestCost - available) / rate * 1000) + 1)
    }

    /// Shopify's error text: `errors` is a string (401) or a list of `{message}`.
    static func message(_ json: JSONValue?, _ response: HTTPResponse) -> String {
        if let text = json?["errors"]?.stringValue { return HTTPOutcome.clip(text) }
        if case .array(let errors) = json?["errors"], let first = errors.first?["message"]?.stringValue {
            return HTTPOutcome.clip(first)
        }
        return HTTPOutcome.clip(response.text)
    }
}
