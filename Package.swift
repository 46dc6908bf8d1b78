// swift-tools-version: 6.2
import PackageDescription

// ExistentialAny only: MemberImportVisibility and InternalImportsByDefault would make every file that
// touches `JSONObject` import OrderedCollections by hand, for no safety we need yet.
let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

// Release builds of the installed `flowrun` (and of `flowbench-hello`, its start-up baseline, so the
// two stay built the same way) link the Swift runtime and Foundation statically, with lld:
// - no symbol binding against a dozen Swift shared libraries at every start (ld.so spent about a
//   third of `flowrun run`'s CPU time on it), and one image instead of 13 mapped libraries;
// - `--no-export-dynamic`: `-static-stdlib` exports every symbol (2.7 MB of symbol tables read at
//   start, and symbolic relocations instead of relative ones); the one symbol looked up by name is
//   exported on its own (`flowrunExecutable`);
// - `-z pack-relative-relocs` (glibc >= 2.36): 160,000 relative relocations in 32 KB instead of 3.8 MB.
// -static-stdlib names the runtime's archives but not Foundation's own dependencies, hence the -l's.
// Measured: CPU time of `flowrun run examples/five-nodes.json` 27 -> 19.5 ms; VmRSS of `flowrun serve`
// idle 49.8 -> 38.8 MB, after 10,000 webhooks 53.6 -> 43.0 MB (flowbench memory suite).
// Debug builds (and so the tests, which build debug) link dynamically as before.
let leanExecutable: [LinkerSetting] = [
    .unsafeFlags(
        [
            "-static-stdlib", "-use-ld=lld",
            "-l_FoundationICU", "-l_FoundationCollections", "-l_FoundationCShims", "-lCoreFoundation",
            "-Xlinker", "--no-export-dynamic",
            "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
        ],
        .when(platforms: [.linux], configuration: .release)
    ),
]

// `flowrun` also exports Swift Concurrency's enqueue hook, found with dlsym when `serve` and `worker`
// make NIO's event loops the global executor (Sources/flowrun/EventLoopExecutor.swift). -static-stdlib
// links the runtime with `--exclude-libs ALL` (its symbols stay local), hence an alias of our own.
let flowrunExecutable: [LinkerSetting] = leanExecutable + [
    .unsafeFlags(
        [
            "-Xlinker", "--defsym=flowrun_task_enqueueGlobal_hook=swift_task_enqueueGlobal_hook",
            "-Xlinker", "--export-dynamic-symbol=flowrun_task_enqueueGlobal_hook",
        ],
        .when(platforms: [.linux], configuration: .release)
    ),
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
        // Outside the engine: each backend target takes only the client library it wraps, so that
        // the expression/engine/node targets (and their tests) build without them.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.25.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.25.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.0.0"),
    ],
    targets: [
        // The JavaScript-subset expression language and the JSON value type. No I/O, no logging.
        .target(
            name: "FlowrunExpressions",
            dependencies: [
                .product(name: "OrderedCollections", package: "swift-collections"),
                // hash(): MD5, SHA-1, SHA-2 and SHA3 from BoringSSL rather than written by hand.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
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
        // hiredis (Debian libhiredis-dev): RESP reader and command formatter for the Redis client.
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
        // Backends: implementations of Core's service protocols over one client library each.
        .target(
            name: "FlowrunHTTPClient",
            dependencies: [
                "FlowrunCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "FlowrunPostgres",
            dependencies: [
                "FlowrunCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "FlowrunRedis",
            dependencies: [
                "FlowrunCore", "CHiredis",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "FlowrunSQLite",
            dependencies: ["FlowrunCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: upcoming
        ),
        // Assembles a runnable flowrun from configuration: credentials (file, environment,
        // encryption at rest), the backends, the state store and the node registry.
        .target(
            name: "FlowrunRuntime",
            dependencies: [
                "FlowrunCore", "FlowrunNodes", "FlowrunHTTPClient", "FlowrunPostgres", "FlowrunRedis", "FlowrunSQLite",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        // `flowrun serve` and `flowrun worker`: webhooks, schedules, metrics, queue mode.
        .target(
            name: "FlowrunServer",
            dependencies: [
                "FlowrunRuntime", "FlowrunCore", "FlowrunNodes", "FlowrunRedis", "FlowrunPostgres", "FlowrunSQLite",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            swiftSettings: upcoming
        ),
        // Local stand-ins for the paid APIs (Anthropic, PhantomBuster, Instantly, Cal.com, BuiltWith)
        // and a scriptable test HTTP server, following their public wire formats.
        .target(
            name: "FlowrunStandIns",
            dependencies: [
                "FlowrunExpressions",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "flowrun-standins",
            dependencies: [
                "FlowrunStandIns",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "flowrun",
            dependencies: [
                "FlowrunCore", "FlowrunNodes", "FlowrunExpressions", "FlowrunRuntime", "FlowrunServer", "FlowrunRedis",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming,
            linkerSettings: flowrunExecutable
        ),
        // The benchmark program (not installed): flowrun beside baselines, as ratios.
        .executableTarget(
            name: "flowbench",
            dependencies: [
                "FlowrunCore", "FlowrunNodes", "FlowrunExpressions", "FlowrunRuntime", "FlowrunServer", "FlowrunStandIns",
                "FlowrunHTTPClient", "FlowrunPostgres", "FlowrunRedis",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        // The start-up baseline of flowbench: a hello-world binary built like flowrun.
        .executableTarget(name: "flowbench-hello", path: "Sources/flowbench-hello", linkerSettings: leanExecutable),
        .testTarget(name: "FlowrunExpressionsTests", dependencies: ["FlowrunExpressions"], swiftSettings: upcoming),
        .testTarget(name: "FlowrunCoreTests", dependencies: ["FlowrunCore", "FlowrunNodes"], swiftSettings: upcoming),
        .testTarget(name: "FlowrunNodesTests", dependencies: ["FlowrunNodes", "FlowrunCore"], swiftSettings: upcoming),
        .testTarget(name: "FlowrunCLITests", dependencies: ["flowrun"], swiftSettings: upcoming),
        // Against real Postgres and Redis (started by scripts/test.sh) and the local stand-ins.
        .testTarget(
            name: "FlowrunIntegrationTests",
            dependencies: [
                "FlowrunRuntime", "FlowrunStandIns", "FlowrunHTTPClient", "FlowrunPostgres", "FlowrunRedis",
                "FlowrunSQLite", "FlowrunCore", "FlowrunNodes", "FlowrunServer",
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "FlowrunServerTests",
            dependencies: ["FlowrunServer", "FlowrunRuntime", "FlowrunStandIns", "FlowrunCore", "FlowrunNodes"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "ConformanceTests",
            dependencies: ["FlowrunCore", "FlowrunNodes", "FlowrunExpressions", "FlowrunRuntime", "FlowrunStandIns"],
            swiftSettings: upcoming
        ),
    ]
)
