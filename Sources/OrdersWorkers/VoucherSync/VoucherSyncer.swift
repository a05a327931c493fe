public import Logging
import LibPQ
import OrdersDomain
import OrdersStore
public import Resilience
public import ServiceLifecycle
public import ShopConnections

/// Creates issued vouchers in the shops their orders came from (SPEC 3.6), and only then writes
/// their `voucher.issued` event: claims a batch of due vouchers (a lease under SKIP LOCKED keeps
/// other workers off them), asks each channel's shop in parallel (one request at a time per shop),
/// and records each answer at once. Runs in every worker beside the relay and the sweeper.
///
/// Exactly once in the shop: a voucher whose earlier attempt may have reached the shop (a timeout, a
/// worker killed mid-request, a lease that ran out) is looked up before it is created, and a create
/// the shop refuses as a duplicate is looked up too. Passing failures retry with the one backoff (or
/// after the shop's Retry-After); a permanent refusal marks that voucher `failed` with the shop's
/// message and the others go on.
public final class VoucherSyncer: Service {
    public struct Options: Sendable {
        public var connections: [ShopConnection]
        /// Every request to a shop, whole.
        public var timeout: Duration = .seconds(15)
        /// Vouchers claimed at once, over all shops.
        public var batchSize = 20
        /// How often an idle syncer looks for new vouchers.
        public var pollInterval: Duration = .seconds(1)
        /// Waits between a voucher's attempts after passing failures.
        public var retry = RetryPolicy(initialDelay: .seconds(2), maximumDelay: .seconds(600))
        /// A client certificate authority for the shops (tests), else the system's.
        public var caFile: String?

        public init(connections: [ShopConnection]) { self.connections = connections }

        /// Long enough for a whole batch of slow answers; a claim outliving its worker expires after it.
        public var lease: Duration { timeout * 2 * batchSize + .seconds(10) }
    }

    private let database: DatabaseExecutor
    private let options: Options
    private let connectors: [String: any ShopConnector]
    private let logger: Logger
    private let faults: FaultHooks
    private let store = VoucherSyncStore()
    /// What the syncer did with each voucher attempt (also exported as metrics).
    public let counters = Counters<VoucherSyncCount>()
    private let troubles = Counters<DatabaseTrouble>()

    public init(database: DatabaseExecutor, options: Options, logger: Logger, faults: FaultHooks = .none) {
        self.database = database
        self.options = options
        var connectors: [String: any ShopConnector] = [:]
        for connection in options.connections {
            connectors[connection.channel] = connection.connector(timeout: options.timeout, caFile: options.caFile)
        }
        self.connectors = connectors
        self.logger = logger
        self.faults = faults
    }

    public func run() async throws {
        logger.info(
            "voucher sync starting", metadata: ["shops": "\(connectors.keys.sorted().joined(separator: ","))"])
        var backoff = Backoff()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let pause: Duration?
            do {
                let claimed = try await syncOnce()
                backoff.reset()
                pause = claimed < options.batchSize ? options.pollInterval : nil
            } catch {
                let delay = backoff.delay()
                let trouble = DatabaseTrouble(error)
                troubles.add(trouble)
                logger.warning(
                    "voucher sync: \(trouble.words); retrying",
                    metadata: ["pg.error": "\(error)", "retry.in_ms": "\(delay.milliseconds)"])
                pause = delay
            }
            if let pause { try? await cancelWhenGracefulShutdown { [pause] in try await Task.sleep(for: pause) } }
        }
        for connector in connectors.values { await connector.close() }
        await database.close()
        logger.info("voucher sync stopped", metadata: ["vouchers.synced": "\(counters[.created] + counters[.found])"])
    }

    /// One claim and the shops' answers. Returns how many vouchers it claimed.
    public func syncOnce() async throws -> Int {
        let channels = connectors.keys.sorted()
        guard !channels.isEmpty else { return 0 }
        let claimed = try await database.run { [store, options] connection in
            try store.claim(channels: channels, limit: options.batchSize, lease: options.lease, on: connection)
        }
        guard !claimed.isEmpty else { return 0 }
        let byChannel = Dictionary(grouping: claimed, by: \.channel)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (channel, vouchers) in byChannel {
                guard let connector = connectors[channel] else { continue }
                group.addTask { [self] in
                    for voucher in vouchers { try await sync(voucher, with: connector) }
                }
            }
            try await group.waitForAll()
        }
        return claimed.count
    }

    private func sync(_ voucher: VoucherSyncStore.Pending, with connector: any ShopConnector) async throws {
        let request = ShopVoucher(
            code: voucher.code, reason: voucher.reason, terms: voucher.terms, issuedAt: voucher.issuedAt,
            email: voucher.email, salesChannel: voucher.salesChannel)
        do {
            let (reference, created) = try await connector.ensure(request, lookFirst: voucher.attempts > 1)
            if created { faults.reached(.afterShopCreate) }
            counters.add(created ? .created : .found)
            _ = try await database.run { [store] in
                try store.markSynced(code: voucher.code, reference: reference, on: $0)
            }
        } catch let error as ShopError {
            switch error {
            case .retry(let reason, let after, _):
                var backoff = options.retry.backoff()
                var delay = backoff.delay()
                for _ in 1..<min(voucher.attempts, 16) { delay = backoff.delay() }
                if let after { delay = after }
                let wait = delay
                counters.add(.retried)
                logger.notice(
                    "voucher not yet in the shop; retrying",
                    metadata: [
                        "voucher.channel": "\(voucher.channel)", "shop.error": "\(reason)",
                        "retry.in_ms": "\(wait.milliseconds)", "voucher.attempts": "\(voucher.attempts)",
                    ])
                try await database.run { [store] in
                    try store.retryLater(code: voucher.code, delay: wait, error: reason, on: $0)
                }
            case .refused(let message), .duplicate(let message):
                counters.add(.refused)
                logger.error(
                    "shop refused a voucher; kept as failed",
                    metadata: ["voucher.channel": "\(voucher.channel)", "shop.error": "\(message)"])
                try await database.run { [store] in try store.markFailed(code: voucher.code, error: message, on: $0) }
            }
        }
    }
}

/// What the voucher sync counts; each count is also a metric.
public enum VoucherSyncCount: CounterKey {
    /// Created in the shop by this worker.
    case created
    /// Found in the shop already (an earlier attempt had created it).
    case found
    /// A passing failure (timeout, 429, 5xx, throttled): tried again later.
    case retried
    /// Refused by the shop for good (invalid token, code rejected).
    case refused

    public var metric: (label: String, dimensions: [(String, String)]) {
        switch self {
        case .created: ("orderflow_voucher_sync_total", [("result", "created")])
        case .found: ("orderflow_voucher_sync_total", [("result", "found")])
        case .retried: ("orderflow_voucher_sync_total", [("result", "retried")])
        case .refused: ("orderflow_voucher_sync_total", [("result", "refused")])
        }
    }
}
