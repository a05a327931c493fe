import Logging
public import ServiceLifecycle

/// Runs `service` in a service group while `body` runs, then shuts it down gracefully, as SIGTERM
/// would; also when `body` throws, so that a failing test leaves no service behind.
public func withRunningService<T: Sendable>(_ service: some Service, _ body: () async throws -> T) async throws -> T {
    let group = ServiceGroup(configuration: .init(services: [.init(service: service)], logger: Logger(label: "test")))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        do {
            let result = try await body()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
    }
}
