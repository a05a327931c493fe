import CoreMetrics
public import Prometheus

/// The process-wide Prometheus registry behind swift-metrics. Only the executable calls
/// `bootstrap()`, once, and only when a metrics address is configured; libraries just use the
/// swift-metrics API.
public enum MetricsBootstrap {
    public static func bootstrap(
        buildInfo: BuildInfo = BuildInfo(version: "unknown", revision: "unknown")
    )
        -> PrometheusCollectorRegistry
    {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Batches hold 1 to ORDERFLOW_BATCH_SIZE messages; the default buckets are for seconds.
        factory.valueHistogramBuckets["orderflow_ingest_batch_size"] = [1, 10, 50, 100, 200, 500, 1000, 2000]
        MetricsSystem.bootstrap(factory)
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "orderflow", metricName: "build", unitName: "info",
                helpText: "Always 1: the running build's version, commit and library versions as labels"),
            labels: buildInfo.labels
        ).set(to: 1)
        return registry
    }
}

/// The labels of `orderflow_build_info`: which build is running, for dashboards that compare hosts.
public struct BuildInfo: Sendable, Equatable {
    public var version: String
    /// The commit the build came from, or "unknown".
    public var revision: String
    /// Further labels, such as the versions of the C libraries linked in.
    public var libraries: [String: String]

    public init(version: String, revision: String, libraries: [String: String] = [:]) {
        self.version = version
        self.revision = revision
        self.libraries = libraries
    }

    var labels: [(String, String)] {
        [("version", version), ("revision", revision)] + libraries.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
