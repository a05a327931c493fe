public import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
public import Prometheus
public import ServiceLifecycle

/// The small HTTP endpoint of ORDERFLOW_METRICS_ADDR: `/metrics` for Prometheus, `/healthz` for
/// load balancers and checks. A `Service`: it binds in `run()`, serves until graceful shutdown and
/// then closes. Put it first in the ServiceGroup, so that it stops last and can still be scraped
/// while the workers drain.
public final class MetricsServer: Service {
    public struct Health: Sendable {
        public let healthy: Bool
        /// One line for the response body ("consuming orderflow.ingest", "broker connection lost").
        public let detail: String
        public init(healthy: Bool, detail: String) {
            self.healthy = healthy
            self.detail = detail
        }
    }

    private let address: MetricsAddress
    private let registry: PrometheusCollectorRegistry
    private let health: @Sendable () -> Health
    private let logger: Logger
    private let bound: (@Sendable (Int) -> Void)?
    private let pages: (any MountedPages)?

    /// `bound` is told the port actually bound (useful with port 0 in tests); `pages` are served
    /// under their prefix beside /metrics (the console).
    public init(
        address: MetricsAddress, registry: PrometheusCollectorRegistry, logger: Logger,
        pages: (any MountedPages)? = nil, bound: (@Sendable (Int) -> Void)? = nil,
        health: @escaping @Sendable () -> Health
    ) {
        self.address = address
        self.registry = registry
        self.pages = pages
        self.health = health
        self.logger = logger
        self.bound = bound
    }

    public func run() async throws {
        let registry = self.registry, health = self.health, pages = self.pages
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        MetricsHTTPHandler(registry: registry, pages: pages, health: health))
                }
            }
            .bind(host: address.host, port: address.port)
            .get()
        let port = channel.localAddress?.port ?? address.port
        logger.info(
            "metrics endpoint listening",
            metadata: ["http.address": "\(MetricsAddress(host: address.host, port: port))"])
        if let pages {
            logger.info(
                "console listening",
                metadata: [
                    "http.address": "\(MetricsAddress(host: address.host, port: port))", "http.path": "\(pages.prefix)",
                ])
        }
        bound?(port)
        try? await gracefulShutdown()
        try? await channel.close()
    }
}
