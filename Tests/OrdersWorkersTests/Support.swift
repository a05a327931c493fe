import DaemonSupport
import Logging
import OrdersTestSupport
import OrdersWorkers

/// Quiet loggers: the tests assert on decisions, not on log lines.
func testLogger(_ label: String) -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = .critical
    return logger
}

/// Ingest options for unit tests: short drains, small batches.
func ingestOptions(batchSize: Int = 100, drainTimeout: Duration = .seconds(5)) -> IngestOptions {
    var options = IngestOptions()
    options.batchSize = batchSize
    options.drainTimeout = drainTimeout
    options.progressInterval = .seconds(3600)
    return options
}

func canonicalOrder(_ n: Int) -> String { String(decoding: CanonicalSamples.order(n), as: UTF8.self) }
