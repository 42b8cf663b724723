// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Flamegate",
    products: [
        .library(name: "Flamegate", targets: ["Flamegate"]),
        .executable(name: "flamegate", targets: ["flamegate"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // gzip through the system zlib (zlib1g-dev); Foundation on Linux has none.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(
            name: "Flamegate",
            dependencies: ["CZlib", .product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "flamegate",
            dependencies: [
                "Flamegate",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "FlamegateTests",
            dependencies: ["Flamegate"],
            exclude: []
        ),
    ]
)
