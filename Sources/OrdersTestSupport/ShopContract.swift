import Foundation
public import OrdersDomain
import ShopConnections

/// A shop's coupon API of this test's own: deploy/shop_contract.py (Python 3, standard library) on a
/// free loopback port, implementing the documented requests, responses and errors of one API. It
/// counts creations per code, which the tests compare with orderflow's ledger. `@unchecked
/// Sendable`: after init only the process is touched, in deinit.
public final class ShopContract: @unchecked Sendable {
    public let api: String
    public let port: Int
    public let token: String
    private let process = Process()

    /// `faultRate`: share of requests answered 429 (Retry-After 1) or 503; `slowRate`: share of creates
    /// carried out but answered only after `slowSeconds`.
    public init(
        api: String, token: String, faultRate: Double = 0, slowRate: Double = 0, slowSeconds: Double = 5,
        bucket: Int = 1000
    ) throws {
        self.api = api
        self.token = token
        port = try LoopbackPort.free()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [
            LocalStack.checkout.appendingPathComponent("deploy/shop_contract.py").path, api, String(port),
            "--token", token, "--fault-rate", String(faultRate), "--slow-rate", String(slowRate),
            "--slow-seconds", String(slowSeconds), "--bucket", String(bucket), "--seed", "14",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try LoopbackPort.awaitListening(port, what: "the \(api) contract server") { process.isRunning }
    }

    public var url: String { "http://127.0.0.1:\(port)" }

    deinit {
        // SIGKILL: the child may inherit a blocked SIGTERM from the test runner's thread; and no
        // waitUntilExit, which would hold a thread of the cooperative pool.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// What the server did so far.
    public struct Stats: Sendable {
        /// Creations per code (as the shop keys it: Shopify and Shopware as sent, WooCommerce lower case).
        public let created: [String: Int]
        /// When each code was first created, seconds since 1970.
        public let createdAt: [String: Double]
        /// Creates refused because the code existed.
        public let duplicates: Int
        public let requests: Int
        /// WooCommerce batch requests (`POST /wp-json/wc/v3/coupons/batch`) answered.
        public let batches: Int
        /// "429", "503", "slow", "throttled": how often each fault was served.
        public let faults: [String: Int]
        /// The stored coupons, as the server keeps them.
        public let coupons: JSONValue
    }

    public func stats() async throws -> Stats {
        let json = try await request("GET", "/_contract/stats", body: nil)
        func counts(_ value: JSONValue?) -> [String: Int] {
            guard case .object(let object) = value else { return [:] }
            var result: [String: Int] = [:]
            for key in object.keys { if case .number(let n) = object[key] { result[key] = Int(n) } }
            return result
        }
        var createdAt: [String: Double] = [:]
        if case .object(let object) = json["createdAt"] {
            for key in object.keys { if case .number(let n) = object[key] { createdAt[key] = Double(n) } }
        }
        func scalar(_ key: String) -> Int {
            if case .number(let n) = json[key] { return Int(n) ?? 0 }
            return 0
        }
        return Stats(
            created: counts(json["created"]), createdAt: createdAt, duplicates: scalar("duplicates"),
            requests: scalar("requests"), batches: scalar("batches"), faults: counts(json["faults"]),
            coupons: json["coupons"] ?? .null)
    }

    /// The behaviours of the next API requests, in order: "429", "500", "503", "slow", "throttle".
    public func script(_ behaviours: [String]) async throws {
        _ = try await request("POST", "/_contract/script", body: .array(behaviours.map(JSONValue.string)))
    }

    private func request(_ method: String, _ path: String, body: JSONValue?) async throws -> JSONValue {
        let client = HTTPClient(label: "contract", timeout: .seconds(10))
        defer { Task { await client.close() } }
        let response = try await client.send(
            HTTPRequest(
                method: method, url: url + path, headers: ["Content-Type: application/json"],
                body: body.map { Array(JSON.serialize($0).utf8) }))
        guard response.status < 300 else { throw TestFailure("\(method) \(path): HTTP \(response.status)") }
        return response.body.isEmpty ? .null : try JSON.parse(response.body)
    }
}
