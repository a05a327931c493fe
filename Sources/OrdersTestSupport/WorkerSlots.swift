import Foundation
public import Testing

/// Tests that run workers, notifiers or relays take one of a few slots for as long as they run:
/// with every such suite at once on two cores, each worker crawls and a test's wait measures the
/// neighbours instead of the code. `ORDERFLOW_TEST_WORKER_SLOTS` sets how many (default: the
/// number of cores, at least 2). A suite marked `.workerSlot` gives each of its tests a slot.
public struct WorkerSlotTrait: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    /// A scope per test case (a suite takes none itself, or it would hold a slot its tests wait for).
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? { testCase == nil ? nil : self }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        await WorkerSlots.shared.acquire()
        do {
            try await function()
        } catch {
            await WorkerSlots.shared.release()
            throw error
        }
        await WorkerSlots.shared.release()
    }
}

extension Trait where Self == WorkerSlotTrait {
    /// Runs the test (each test of the suite) in one of the bounded worker slots.
    public static var workerSlot: Self { WorkerSlotTrait() }
}

actor WorkerSlots {
    static let shared = WorkerSlots(count: configuredCount)

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(count: Int) { free = count }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }

    private static var configuredCount: Int {
        let environment = ProcessInfo.processInfo.environment["ORDERFLOW_TEST_WORKER_SLOTS"] ?? ""
        if let count = Int(environment), count > 0 { return count }
        return max(2, ProcessInfo.processInfo.activeProcessorCount)
    }
}
