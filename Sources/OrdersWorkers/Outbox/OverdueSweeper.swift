public import Logging
import LibPQ
public import OrdersDomain
public import OrdersStore
public import Resilience
public import ServiceLifecycle

/// Every `interval`, issues what late and merchant-cancelled orders are owed (SPEC 3.6): a delay
/// voucher, or on marketplace channels a delay notice, for open orders past their ship-by date;
/// a cancellation voucher for merchant cancellations. Every worker runs one; the store's row locks
/// and unique constraints make concurrent sweeps issue each voucher once.
public final class OverdueSweeper: Service {
    /// What to issue and how often.
    public struct Schedule: Sendable {
        public var policy: VoucherPolicy
        public var interval: Duration
        /// Which channels' vouchers wait for their shop before they are announced.
        public var shops: VoucherStore.ShopSync

        public init(policy: VoucherPolicy, interval: Duration, shops: VoucherStore.ShopSync = .init()) {
            self.policy = policy
            self.interval = interval
            self.shops = shops
        }
    }

    private let database: DatabaseExecutor
    private let store: VoucherStore
    private let interval: Duration
    private let batchSize: Int
    private let logger: Logger
    private let troubles = Counters<DatabaseTrouble>()

    public init(database: DatabaseExecutor, schedule: Schedule, batchSize: Int = 200, logger: Logger) {
        self.database = database
        store = VoucherStore(policy: schedule.policy, shops: schedule.shops)
        interval = schedule.interval
        self.batchSize = batchSize
        self.logger = logger
    }

    public convenience init(
        database: DatabaseExecutor, policy: VoucherPolicy, interval: Duration, batchSize: Int = 200,
        logger: Logger
    ) {
        self.init(
            database: database, schedule: Schedule(policy: policy, interval: interval), batchSize: batchSize,
            logger: logger)
    }

    public func run() async throws {
        logger.info("overdue sweeper starting", metadata: ["sweep.interval_s": "\(interval.components.seconds)"])
        // A random first delay spreads the sweeps of workers started together.
        var pause = interval * Double.random(in: 0.05...0.25)
        var backoff = Backoff()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { [pause] in try await Task.sleep(for: pause) }
            guard !Task.isShuttingDownGracefully && !Task.isCancelled else { break }
            do {
                try await sweep()
                backoff.reset()
                pause = interval * Double.random(in: 0.9...1.1)
            } catch {
                pause = backoff.delay()
                let trouble = DatabaseTrouble(error)
                troubles.add(trouble)
                logger.warning(
                    "overdue sweep failed (\(trouble.words)); retrying",
                    metadata: ["pg.error": "\(error)", "retry.in_ms": "\(pause.milliseconds)"])
            }
        }
        await database.close()
        logger.info("overdue sweeper stopped")
    }

    /// One full sweep: batches until a batch comes back short.
    public func sweep() async throws {
        var total = VoucherStore.Outcome()
        for trigger in [VoucherReason.delay, .cancellation] {
            while !Task.isShuttingDownGracefully {
                let (outcome, examined) = try await database.run { [store, batchSize] connection in
                    trigger == .delay
                        ? try store.sweepDelays(limit: batchSize, on: connection)
                        : try store.sweepCancellations(limit: batchSize, on: connection)
                }
                total.vouchers += outcome.vouchers
                total.delayNotices += outcome.delayNotices
                total.alreadyIssued += outcome.alreadyIssued
                total.failures += outcome.failures
                if examined < batchSize { break }
            }
        }
        for failure in total.failures.prefix(20) {
            logger.error("voucher not issued", metadata: ["order": "\(failure)"])
        }
        if !total.vouchers.isEmpty || total.delayNotices > 0 {
            let byReason = Dictionary(grouping: total.vouchers, by: \.reason).mapValues(\.count)
            logger.info(
                "apologies issued",
                metadata: [
                    "vouchers.delay": "\(byReason[.delay] ?? 0)",
                    "vouchers.cancellation": "\(byReason[.cancellation] ?? 0)",
                    "delay_notices": "\(total.delayNotices)",
                ])
        }
    }
}
