// swift-tools-version: 6.1
import PackageDescription

// Strict settings on every Swift target (see README "Layout").
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "orderflow",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "orderflow", targets: ["orderflow"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // C libraries from Debian's -dev packages, found through pkg-config.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CMalloc"),
        .systemLibrary(name: "CRabbitMQ", pkgConfig: "librabbitmq", providers: [.apt(["librabbitmq-dev"])]),
        // What Swift cannot call directly: variadic C functions.
        .target(name: "CShims", dependencies: ["CRabbitMQ"]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // curl_easy_setopt/getinfo are variadic: one typed wrapper per argument kind.
        .target(name: "CCurlShims", dependencies: ["CCurl"]),

        // Backoff, retry policy and the confined executor that owns a blocking C handle. No I/O of its own.
        .target(name: "Resilience", swiftSettings: strict),

        // Safe, generic, synchronous wrappers: the only modules that import C.
        .target(name: "LibPQ", dependencies: ["CLibPQ"], swiftSettings: strict),
        .target(name: "AMQP", dependencies: ["CRabbitMQ", "CShims", "Resilience"], swiftSettings: strict),
        // libcurl: SMTP upload of OrdersMail's message bytes with connection reuse; the mail folder (.eml).
        .target(
            name: "MailTransport", dependencies: ["CCurl", "CCurlShims", "OrdersMail", "Resilience"],
            swiftSettings: strict),

        // Shops' coupon APIs (Shopify, WooCommerce, Shopware) over libcurl, one connector per file.
        .target(
            name: "ShopConnections", dependencies: ["CCurl", "MailTransport", "OrdersDomain", "Resilience"],
            swiftSettings: strict),

        // Pure domain: channel payloads to the canonical order. No I/O.
        .target(name: "OrdersDomain", swiftSettings: strict),
        // Notifier events to customer emails (templates, headers, tracking links, MIME bytes). No I/O but
        // reading the template files when they are loaded.
        .target(
            name: "OrdersMail",
            dependencies: ["OrdersDomain", .product(name: "Mustache", package: "swift-mustache")],
            // The shipped email templates: copied beside the executable in a build, installed as
            // /usr/share/orderflow/templates by deploy/package.sh.
            resources: [.copy("templates")],
            swiftSettings: strict
        ),
        // PostgreSQL: the schema (migrations) and all of orderflow's SQL.
        .target(
            name: "OrdersStore",
            dependencies: ["LibPQ", "OrdersDomain", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        // RabbitMQ topology and message conventions.
        .target(name: "OrdersBroker", dependencies: ["AMQP"], swiftSettings: strict),
        // Pure: realistic sample orders in each channel's native format (`publish --sample`).
        .target(name: "OrdersSamples", dependencies: ["OrdersDomain"], swiftSettings: strict),
        // Publishing with confirms, reconnects and retries: files and samples (`publish`).
        .target(
            name: "OrdersPublishing", dependencies: ["AMQP", "OrdersBroker", "OrdersSamples", "Resilience"],
            swiftSettings: strict),

        // Process plumbing shared by the daemons: systemd notifications (sd_notify without libsystemd),
        // returning freed memory to the system.
        .target(
            name: "DaemonSupport",
            dependencies: [
                "CMalloc", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // Settings: flags, environment, /etc/orderflow/orderflow.env, credentials; where each value came from.
        .target(name: "Settings", swiftSettings: strict),

        // Operator commands' logic: status report and alerts, rejects, dead letters, email resends.
        .target(
            name: "OrdersOperations",
            dependencies: [
                "AMQP", "LibPQ", "MailTransport", "OrdersBroker", "OrdersDomain", "OrdersMail", "OrdersPublishing",
                "OrdersStore", "Resilience",
            ],
            swiftSettings: strict),

        // /metrics (Prometheus text) and /healthz over a small swift-nio HTTP server.
        .target(
            name: "MetricsEndpoint",
            dependencies: [
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // The read-only web console at /console on the metrics address: pages over the operators' stores.
        .target(
            name: "OrdersConsole",
            dependencies: [
                "AMQP", "LibPQ", "MetricsEndpoint", "OrdersDomain", "OrdersOperations", "OrdersStore", "Resilience",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            // The pages' templates and style sheet: copied beside the executable in a build, installed as
            // /usr/share/orderflow/console by deploy/package.sh.
            resources: [.copy("templates")],
            swiftSettings: strict
        ),

        // The daemons' services: one consuming loop with the ingest and notifier handlers, the outbox
        // relay, the overdue sweeper, the seams they use, and the builders that wire a process.
        .target(
            name: "OrdersWorkers",
            dependencies: [
                "AMQP", "LibPQ", "OrdersDomain", "OrdersStore", "OrdersBroker", "OrdersMail", "MailTransport",
                "DaemonSupport",
                "MetricsEndpoint", "Resilience", "ShopConnections",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "orderflow",
            dependencies: [
                "OrdersDomain", "OrdersStore", "OrdersBroker", "OrdersWorkers", "OrdersSamples", "OrdersPublishing",
                "LibPQ", "AMQP",
                "OrdersMail", "MailTransport", "DaemonSupport", "OrdersOperations", "MetricsEndpoint", "Settings",
                "OrdersConsole", "Resilience", "ShopConnections",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "IngestBenchmark",
            dependencies: [
                "AMQP", "LibPQ", "OrdersDomain", "OrdersSamples", "OrdersStore",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/IngestBenchmark",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "NormalizeBenchmark", dependencies: ["OrdersDomain"], path: "Benchmarks/NormalizeBenchmark",
            swiftSettings: strict),

        // Shared by the test targets: where the channel fixtures and the local stack are, child processes, stored
        // orders,
        // and in-memory fakes of the services' seams.
        .target(
            name: "OrdersTestSupport",
            dependencies: [
                "LibPQ", "AMQP", "OrdersDomain", "OrdersStore", "OrdersWorkers", "OrdersMail", "MailTransport",
                "ShopConnections",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // Each shop connector against a local server implementing that API's documented contract.
        .testTarget(
            name: "ShopConnectionsTests",
            dependencies: ["ShopConnections", "OrdersDomain", "OrdersTestSupport"], swiftSettings: strict),
        // The consuming loop's and the handlers' decisions, against the in-memory fakes: no servers.
        .testTarget(
            name: "OrdersWorkersTests",
            dependencies: [
                "OrdersWorkers", "OrdersTestSupport", "AMQP", "OrdersStore", "OrdersMail", "MailTransport",
                "DaemonSupport", "LibPQ",
                "OrdersDomain", "Resilience", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "OrdersDomainTests", dependencies: ["OrdersDomain", "OrdersTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "DaemonSupportTests",
            dependencies: ["DaemonSupport", "OrdersTestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(name: "SettingsTests", dependencies: ["Settings"], swiftSettings: strict),
        // The deployment files: systemd units (systemd-analyze), install artefacts.
        .testTarget(
            name: "DeploymentTests", dependencies: ["AMQP", "OrdersBroker", "OrdersTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "OrdersSamplesTests", dependencies: ["OrdersSamples", "OrdersDomain"], swiftSettings: strict),
        .testTarget(
            name: "LibPQIntegrationTests", dependencies: ["OrdersTestSupport", "LibPQ"], swiftSettings: strict),
        .testTarget(name: "AMQPIntegrationTests", dependencies: ["OrdersTestSupport", "AMQP"], swiftSettings: strict),
        .testTarget(
            name: "PublishIntegrationTests",
            dependencies: [
                "OrdersTestSupport", "OrdersPublishing", "OrdersSamples", "OrdersBroker", "OrdersDomain", "AMQP",
            ], swiftSettings: strict),
        .testTarget(
            name: "IngestIntegrationTests",
            dependencies: [
                "OrdersWorkers", "OrdersStore", "OrdersDomain", "OrdersTestSupport", "LibPQ", "AMQP", "OrdersConsole",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // TLS to both servers with a CA made by the test (a PostgreSQL cluster and a TLS terminator of its own).
        .testTarget(
            name: "TLSIntegrationTests", dependencies: ["OrdersTestSupport", "LibPQ", "AMQP"], swiftSettings: strict),
        .testTarget(
            name: "OrdersMailTests",
            dependencies: ["OrdersMail", "MailTransport", "OrdersDomain", "OrdersTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "NotifierIntegrationTests",
            dependencies: [
                "OrdersWorkers", "OrdersStore", "OrdersMail", "MailTransport", "OrdersDomain", "OrdersTestSupport",
                "LibPQ", "AMQP", "ShopConnections",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // The Debian package under systemd as PID 1 on a test host (deploy/testhost.sh); `local.sh test` runs them
        // last.
        .testTarget(name: "HostTests", dependencies: ["OrdersTestSupport", "LibPQ", "AMQP"], swiftSettings: strict),
        // Hosts of deploy/cluster.sh (network namespaces): broker and database failover, latency, scaling.
        .testTarget(name: "ClusterTests", dependencies: ["OrdersTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "OrdersStoreIntegrationTests",
            dependencies: ["OrdersTestSupport", "OrdersStore", "OrdersBroker", "LibPQ", "AMQP"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
