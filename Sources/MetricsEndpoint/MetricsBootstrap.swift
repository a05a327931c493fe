import CoreMetrics
public import Prometheus

/// The process-wide Prometheus registry behind swift-metrics. Only the executable calls
/// `bootstrap()`, once, and only when a metrics address is configured; libraries just use the
/// swift-metrics API.
public enum MetricsBootstrap {
    public static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Batches hold 1 to ORDERFLOW_BATCH_SIZE messages; the default buckets are for seconds.
        factory.valueHistogramBuckets["orderflow_ingest_batch_size"] = [1, 10, 50, 100, 200, 500, 1000, 2000]
        MetricsSystem.bootstrap(factory)
        return registry
    }
}
