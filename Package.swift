// swift-tools-version: 6.1
// capsim: a deterministic discrete-event capacity simulator.
//
// Layering (one way, top depends on bottom):
//   capsim (CLI) -> World, Scenario, Reports -> SimCore -> CGSL
//   World -> Platform.   Platform imports nothing of the simulator.
import PackageDescription

let release: [SwiftSetting] = [
    .unsafeFlags(["-cross-module-optimization", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
    // Invariant checks in the engine and queue, compiled in for debug builds (tests).
    .define("SIM_INTERNAL_CHECKS", .when(configuration: .debug)),
]

// The release CLI links the Swift runtime and Foundation statically: loading and binding a
// dozen shared libraries took about half of `capsim --version`'s 20 ms, paid by every run
// (issue 13's M/M/8 benchmark times the whole process). The static Foundation archives do
// not name their own dependencies, hence the list (the toolchain's lib/swift_static/linux).
let staticRuntime: [LinkerSetting] = [
    .unsafeFlags(["-static-stdlib", "-lFoundation", "-lCoreFoundation", "-lFoundationInternationalization", "-l_FoundationICU",
                  "-lFoundationEssentials", "-l_FoundationCShims", "-l_FoundationCollections", "-lstdc++"],
                 .when(platforms: [.linux], configuration: .release)),
]

let package = Package(
    name: "capsim",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "capsim", targets: ["capsim"]),
        .library(name: "SimCore", targets: ["SimCore"]),
        .library(name: "Platform", targets: ["Platform"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // GNU Scientific Library through pkg-config (libgsl-dev).
        .systemLibrary(name: "CGSL", pkgConfig: "gsl", providers: [.apt(["libgsl-dev"])]),
        .target(
            name: "SimCore",
            dependencies: [
                "CGSL",
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            exclude: ["README.md"],
            swiftSettings: release
        ),
        .target(name: "Platform", exclude: ["Geo/README.md", "Partitioning/README.md", "Matching/README.md", "LoadBalancing/README.md",
                                            "Cache/README.md", "Autoscaling/README.md", "Resilience/README.md"],
                swiftSettings: release),
        .target(
            name: "Scenario",
            dependencies: ["SimCore", .product(name: "Yams", package: "Yams")],
            exclude: ["README.md"],
            swiftSettings: release
        ),
        .target(name: "Reports", dependencies: ["SimCore"], exclude: ["README.md"], swiftSettings: release),
        .target(
            name: "World",
            dependencies: ["SimCore", "Platform", "Scenario",
                           .product(name: "DequeModule", package: "swift-collections")],
            exclude: ["README.md", "MDRP/README.md", "Delivery/README.md", "Delivery/Kafka/README.md", "Delivery/Database/README.md",
                      "Delivery/Caches/README.md", "Delivery/Faults/README.md", "Delivery/Regions/README.md", "Delivery/Autoscaler/README.md",
                      "Delivery/Demand/README.md", "Delivery/Couriers/README.md", "Delivery/Matching/README.md",
                      "Delivery/Services/README.md", "Delivery/Metrics/README.md"],
            swiftSettings: release
        ),
        .executableTarget(
            name: "capsim",
            dependencies: ["SimCore", "Platform", "Scenario", "Reports", "World",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            exclude: ["README.md"],
            swiftSettings: release,
            linkerSettings: staticRuntime
        ),
        // Platform micro-benchmarks (scripts/bench runs them).
        .executableTarget(name: "capsim-bench", dependencies: ["Platform"], path: "Sources/CapsimBench",
                          sources: ["main.swift", "GeoBenchmark.swift", "PartitioningBenchmark.swift", "MatchingBenchmark.swift", "LoadBalancingBenchmark.swift", "CacheBenchmark.swift", "AutoscalingBenchmark.swift"] /*BENCHSRC*/, swiftSettings: release),
        // Helpers for tests: running external programs (redis-server, postgres, python).
        .target(name: "CapsimTestSupport", path: "Tests/CapsimTestSupport", exclude: ["README.md"]),
        .testTarget(name: "SimCoreTests", dependencies: ["SimCore", "CGSL", "CapsimTestSupport"]),
        .testTarget(name: "PlatformTests", dependencies: ["Platform", "CapsimTestSupport"]),
        .testTarget(name: "ScenarioTests", dependencies: ["Scenario", "CapsimTestSupport"]),
        .testTarget(name: "WorldTests", dependencies: ["World", "Platform", "Scenario", "Reports", "CapsimTestSupport"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "SimCore", "CapsimTestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["CapsimTestSupport"]),
    ]
)
