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
        .executable(name: "orderflow", targets: ["orderflow"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // C libraries from Debian's -dev packages, found through pkg-config.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CRabbitMQ", pkgConfig: "librabbitmq", providers: [.apt(["librabbitmq-dev"])]),
        // What Swift cannot call directly: variadic C functions.
        .target(name: "CShims", dependencies: ["CRabbitMQ"]),

        // Safe, generic, synchronous wrappers: the only modules that import C.
        .target(name: "LibPQ", dependencies: ["CLibPQ"], swiftSettings: strict),
        .target(name: "AMQP", dependencies: ["CRabbitMQ", "CShims"], swiftSettings: strict),

        // Pure domain: channel payloads to the canonical order. No I/O.
        .target(name: "OrdersDomain", swiftSettings: strict),
        // PostgreSQL schema (migrations) and the SQL of the read model.
        .target(name: "OrdersStore", dependencies: ["LibPQ", .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        // RabbitMQ topology and message conventions.
        .target(name: "OrdersBroker", dependencies: ["AMQP"], swiftSettings: strict),

        .executableTarget(
            name: "orderflow",
            dependencies: [
                "OrdersDomain", "OrdersStore", "OrdersBroker", "LibPQ", "AMQP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "NormalizeBenchmark", dependencies: ["OrdersDomain"], path: "Benchmarks/NormalizeBenchmark", swiftSettings: strict),

        .testTarget(name: "OrdersDomainTests", dependencies: ["OrdersDomain"], swiftSettings: strict),
        .testTarget(name: "LibPQIntegrationTests", dependencies: ["LibPQ"], swiftSettings: strict),
        .testTarget(name: "AMQPIntegrationTests", dependencies: ["AMQP"], swiftSettings: strict),
        .testTarget(name: "OrdersStoreIntegrationTests", dependencies: ["OrdersStore", "OrdersBroker", "LibPQ", "AMQP"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
