// swift-tools-version:6.0
import PackageDescription

// Layers, each importing only those below it (the compiler checks the architecture):
// FlamegateCore < FlamegateRender < FlamegateGate; FlamegateCapture (the only networking)
// on Core; the `flamegate` executable on top. See docs/ARCHITECTURE.md.
let package = Package(
    name: "Flamegate",
    products: [
        .library(name: "FlamegateCore", targets: ["FlamegateCore"]),
        .library(name: "FlamegateRender", targets: ["FlamegateRender"]),
        .library(name: "FlamegateGate", targets: ["FlamegateGate"]),
        .library(name: "FlamegateCapture", targets: ["FlamegateCapture"]),
        .library(name: "FlamegateServer", targets: ["FlamegateServer"]),
        .executable(name: "flamegate", targets: ["flamegate"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        // https:// for `fetch` (issue 22): streaming with back-pressure, no redirects of its own.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // Already brought by AsyncHTTPClient; named for the tests' TLS server.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.0.0"),
        // Profile history (issue 21): SQLite by default, PostgreSQL for a shared store.
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // Brought by Hummingbird and postgres-nio; named so the server and the store can quiet their logs.
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // `flamegate serve` (issue 17): only FlamegateServer depends on it.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Also brought by Hummingbird; named for the server's own header names.
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
    ],
    targets: [
        // gzip through the system zlib (zlib1g-dev); Foundation on Linux has none.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // Model, format readers/writers, analysis. No networking, no rendering.
        .target(
            name: "FlamegateCore",
            dependencies: ["CZlib", .product(name: "Yams", package: "Yams")]
        ),
        // Text tables, JSON, Markdown, SVG/HTML flame graphs (JS/CSS are resource files).
        .target(
            name: "FlamegateRender",
            dependencies: ["FlamegateCore"],
            // Compiled into the binary as byte arrays (`PackageResources`): no files to install.
            resources: [
                .embedInCode("FlameGraph/flamegraph-svg.css"),
                .embedInCode("FlameGraph/flamegraph-svg-config.js"),
                .embedInCode("FlameGraph/flamegraph-svg.js"),
                .embedInCode("FlameGraph/flamegraph-html.css"),
                .embedInCode("FlameGraph/flamegraph-html.js"),
            ]
        ),
        // Rules, verdicts, gate reports.
        .target(
            name: "FlamegateGate",
            dependencies: ["FlamegateCore", "FlamegateRender"]
        ),
        // HTTP capture from /debug/pprof and URL inputs: the only networking.
        .target(
            name: "FlamegateCapture",
            dependencies: [
                "FlamegateCore", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // Profile history: stored profiles, `store:` selectors, bisect (on Core; SQLite
        // through GRDB, PostgreSQL through postgres-nio).
        .target(
            name: "FlamegateStore",
            dependencies: [
                "FlamegateCore", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `flamegate serve`: the web UI and its JSON API, a second front end over Render's
        // request functions (the same the CLI calls); the only target on Hummingbird.
        .target(
            name: "FlamegateServer",
            dependencies: [
                "FlamegateCore", "FlamegateRender", "FlamegateCapture",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [
                .embedInCode("Page/serve.html"),
                .embedInCode("Page/serve.css"),
                .embedInCode("Page/serve.js"),
            ]
        ),
        .executableTarget(
            name: "flamegate",
            dependencies: [
                "FlamegateCore", "FlamegateRender", "FlamegateGate", "FlamegateCapture", "FlamegateStore",
                "FlamegateServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Tests mirror the sources: a test target per library target, each depending only on
        // the layers it tests; FlamegateCLITests runs the built `flamegate` binary end to end.
        // FlamegateTestSupport holds what they share (fixture paths, the binary, servers).
        .target(
            name: "FlamegateTestSupport",
            dependencies: [
                "FlamegateCore", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Tests/FlamegateTestSupport"
        ),
        .testTarget(
            name: "FlamegateCoreTests",
            dependencies: ["FlamegateCore", "FlamegateTestSupport"]
        ),
        .testTarget(
            name: "FlamegateRenderTests",
            dependencies: ["FlamegateCore", "FlamegateRender", "FlamegateTestSupport"]
        ),
        .testTarget(
            name: "FlamegateGateTests",
            dependencies: ["FlamegateCore", "FlamegateGate", "FlamegateTestSupport"]
        ),
        .testTarget(
            name: "FlamegateCaptureTests",
            dependencies: ["FlamegateCore", "FlamegateCapture", "FlamegateTestSupport"]
        ),
        .testTarget(
            name: "FlamegateStoreTests",
            dependencies: [
                "FlamegateCore", "FlamegateStore", "FlamegateTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "FlamegateServerTests",
            dependencies: ["FlamegateServer"]
        ),
        .testTarget(
            name: "FlamegateCLITests",
            dependencies: ["FlamegateCore", "FlamegateGate", "FlamegateTestSupport"]
        ),
    ]
)
