// swift-tools-version: 6.2
import PackageDescription

// ExistentialAny only: MemberImportVisibility and InternalImportsByDefault would make every file that
// touches `JSONObject` import OrderedCollections by hand, for no safety we need yet.
let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "flowrun",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "flowrun", targets: ["flowrun"]),
        .library(name: "FlowrunCore", targets: ["FlowrunCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
    ],
    targets: [
        // The JavaScript-subset expression language and the JSON value type. No I/O, no logging.
        .target(
            name: "FlowrunExpressions",
            dependencies: [.product(name: "OrderedCollections", package: "swift-collections")],
            swiftSettings: upcoming
        ),
        // Workflow model, loading, validation, the engine and the narrow node protocol.
        .target(
            name: "FlowrunCore",
            dependencies: [
                "FlowrunExpressions",
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: upcoming
        ),
        // Built-in node types and their registry.
        .target(
            name: "FlowrunNodes",
            dependencies: ["FlowrunCore", "FlowrunExpressions"],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "flowrun",
            dependencies: [
                "FlowrunCore", "FlowrunNodes", "FlowrunExpressions",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        // The benchmark program (not installed): flowrun beside baselines, as ratios.
        .executableTarget(
            name: "flowbench",
            dependencies: [
                "FlowrunCore", "FlowrunNodes", "FlowrunExpressions",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(name: "FlowrunExpressionsTests", dependencies: ["FlowrunExpressions"], swiftSettings: upcoming),
        .testTarget(name: "FlowrunCoreTests", dependencies: ["FlowrunCore", "FlowrunNodes"], swiftSettings: upcoming),
        .testTarget(name: "FlowrunNodesTests", dependencies: ["FlowrunNodes", "FlowrunCore"], swiftSettings: upcoming),
        .testTarget(name: "FlowrunCLITests", dependencies: ["flowrun"], swiftSettings: upcoming),
        .testTarget(
            name: "ConformanceTests",
            dependencies: ["FlowrunCore", "FlowrunNodes", "FlowrunExpressions"],
            swiftSettings: upcoming
        ),
    ]
)
