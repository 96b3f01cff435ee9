// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]
// The fuzz targets' main.swift holds @main or, built for libFuzzer (-DFUZZING), no entry at all.
let fuzz = strict + [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "waymark",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "waymark", targets: ["waymark"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-openapi-generator", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"6.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
    ],
    targets: [
        .target(name: "WaymarkCore", swiftSettings: strict),
        // Plan interchange (MS Project XML, Primavera XER, CSV): pure parsing and writing.
        .target(name: "WaymarkInterchange", dependencies: ["WaymarkCore"], swiftSettings: strict),
        // Generated networks and plans for `waymark bench`, also the tests' large fixtures; kept
        // out of the server's targets.
        .target(name: "WaymarkBenchmarks", dependencies: ["WaymarkCore", "WaymarkInterchange"], swiftSettings: strict),
        .target(
            name: "WaymarkStorage",
            dependencies: ["WaymarkCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .target(
            name: "WaymarkSQLite",
            dependencies: ["WaymarkCore", "WaymarkStorage", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .target(
            name: "WaymarkPostgres",
            dependencies: [
                "WaymarkCore", "WaymarkStorage",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "WaymarkService",
            dependencies: [
                "WaymarkCore", "WaymarkStorage", "WaymarkInterchange",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The NSI products' Markdown templates, one per catalogue code.
            resources: [.copy("NSITemplates")],
            swiftSettings: strict
        ),
        .target(
            name: "WaymarkAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            resources: [.copy("openapi.yaml")],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        .target(
            name: "WaymarkServer",
            dependencies: [
                "WaymarkCore", "WaymarkStorage", "WaymarkService", "WaymarkAPI", "WaymarkInterchange",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "waymark",
            dependencies: [
                "WaymarkCore", "WaymarkStorage", "WaymarkService", "WaymarkSQLite", "WaymarkPostgres", "WaymarkServer",
                "WaymarkInterchange", "WaymarkBenchmarks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // libFuzzer targets for the plan readers (scripts/fuzz); a normal build makes corpus replayers.
        .executableTarget(name: "FuzzMSPDI", dependencies: ["WaymarkCore", "WaymarkInterchange"],
                          path: "Fuzz/FuzzMSPDI", swiftSettings: fuzz),
        .executableTarget(name: "FuzzXER", dependencies: ["WaymarkCore", "WaymarkInterchange"],
                          path: "Fuzz/FuzzXER", swiftSettings: fuzz),
        .executableTarget(name: "FuzzCSV", dependencies: ["WaymarkCore", "WaymarkInterchange"],
                          path: "Fuzz/FuzzCSV", swiftSettings: fuzz),
        // Test helpers shared by the storage and server suites: the backends and scratch databases.
        .target(
            name: "WaymarkTestSupport",
            dependencies: ["WaymarkCore", "WaymarkStorage", "WaymarkSQLite", "WaymarkPostgres"],
            path: "Tests/WaymarkTestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "WaymarkCLITests",
            dependencies: ["WaymarkCore", "WaymarkStorage", "WaymarkService", "WaymarkSQLite"],
            swiftSettings: strict
        ),
        .testTarget(name: "WaymarkCoreTests", dependencies: ["WaymarkCore", "WaymarkBenchmarks"], swiftSettings: strict),
        .testTarget(name: "WaymarkInterchangeTests", dependencies: ["WaymarkCore", "WaymarkInterchange", "WaymarkBenchmarks"],
                    resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(
            name: "WaymarkStorageTests",
            dependencies: ["WaymarkCore", "WaymarkStorage", "WaymarkService", "WaymarkSQLite", "WaymarkPostgres", "WaymarkTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(name: "WaymarkServiceTests", dependencies: ["WaymarkCore", "WaymarkService"], swiftSettings: strict),
        .testTarget(
            name: "WaymarkServerTests",
            dependencies: [
                "WaymarkCore", "WaymarkStorage", "WaymarkService", "WaymarkSQLite", "WaymarkPostgres", "WaymarkServer", "WaymarkTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
    ]
)
