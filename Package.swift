// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "CareLedger",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "careledger", targets: ["careledger"]),
        .library(name: "CareLedger", targets: ["CareLedger"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        // Both already in Hummingbird's graph: named so the server can end live subscriptions on
        // shutdown and read the Last-Event-ID header.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // A provider's return as the .xlsx file it came in: a workbook is a ZIP of XML.
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        // The server reads a posted workbook in a child process (a file that crashes the XML
        // parser stops that child, not the server); swift-system, already in NIO's graph, for its paths.
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
    ],
    targets: [
        // LMDB from Debian's liblmdb-dev, found through pkg-config. Tools/setup.sh installs it.
        .systemLibrary(
            name: "CLMDB",
            path: "Sources/CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        // A small safe layer over LMDB: environments, transactions as closures, named databases, cursors.
        .target(name: "LMDBStore", dependencies: ["CLMDB"]),
        // A byte-level JSON reader (a tape of tokens) and the RFC 8785 canonical writer.
        .target(name: "LedgerJSON"),
        // The ledger: event catalogue and schemas, validation at the door, the log and its hash chain.
        .target(
            name: "CareLedger",
            dependencies: [
                "LMDBStore", "LedgerJSON",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The projection engine: facts stamped with both times, folded into LMDB beside the log.
        .target(name: "ProjectionKit", dependencies: ["CareLedger", "LMDBStore", "LedgerJSON"]),
        // The read models of SPEC section 5, one target each.
        .target(name: "Caseload", dependencies: ["CareLedger", "ProjectionKit", "LedgerJSON"], path: "Projections/Caseload"),
        .target(name: "Retention", dependencies: ["CareLedger", "ProjectionKit", "LedgerJSON"], path: "Projections/Retention"),
        .target(name: "PartnerActivity", dependencies: ["CareLedger", "ProjectionKit", "LedgerJSON"], path: "Projections/PartnerActivity"),
        // The programme timeline's openCases is the caseload's count, so Timelines reads Caseload.
        .target(name: "Timelines", dependencies: ["CareLedger", "ProjectionKit", "LedgerJSON", "Caseload"], path: "Projections/Timelines"),
        // A workbook's sheet as rows, as CSVRows reads a CSV file: .xlsx and .ods (ZIPs of XML),
        // .fods, Excel 2003 XML, and a web page's tables (what an "export to Excel" writes).
        .target(name: "SpreadsheetRows", dependencies: ["CareLedger", "LedgerJSON", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // The read models over one data folder: what the CLI and the server query.
        .target(name: "ReadModels", dependencies: ["CareLedger", "ProjectionKit", "Caseload", "Retention", "PartnerActivity", "Timelines"]),
        // The HTTP endpoint (SPEC section 8) on Hummingbird 2.
        .target(
            name: "CareLedgerServer",
            dependencies: [
                "CareLedger", "LMDBStore", "LedgerJSON", "ProjectionKit", "ReadModels", "Caseload", "Retention", "PartnerActivity", "Timelines",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                "SpreadsheetRows",
            ]
        ),
        // The `careledger` command line.
        .executableTarget(
            name: "careledger",
            dependencies: [
                "CareLedger", "LedgerJSON", "LMDBStore", "ProjectionKit", "ReadModels", "Caseload", "Retention", "PartnerActivity",
                "Timelines", "CareLedgerServer", "SpreadsheetRows",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks, run by hand (never by the test suite).
        .executableTarget(
            name: "careledger-bench-import",
            dependencies: ["CareLedger", "LMDBStore", "LedgerJSON", .product(name: "Crypto", package: "swift-crypto")],
            path: "Tools/BenchImport"
        ),
        .executableTarget(
            name: "careledger-bench-projections",
            dependencies: ["CareLedger", "ProjectionKit", "ReadModels", "Timelines"],
            path: "Tools/BenchProjections"
        ),
        // Fixtures shared by the test targets: temporary folders, event builders, the built binary.
        .target(
            name: "LedgerTestSupport",
            dependencies: ["CareLedger", "LedgerJSON"],
            path: "Tests/LedgerTestSupport"
        ),
        .testTarget(
            name: "LedgerJSONTests",
            dependencies: ["LedgerJSON", "LedgerTestSupport"]
        ),
        .testTarget(
            name: "CareLedgerTests",
            dependencies: ["CareLedger", "LMDBStore", "LedgerJSON", "LedgerTestSupport", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "ReadModelTests",
            dependencies: ["ReadModels", "ProjectionKit", "Caseload", "Retention", "PartnerActivity", "Timelines",
                           "CareLedger", "LedgerJSON", "LMDBStore", "LedgerTestSupport"]
        ),
        .testTarget(
            name: "CareLedgerCLITests",
            dependencies: ["careledger", "CareLedger", "CareLedgerServer", "LMDBStore", "LedgerTestSupport", "SpreadsheetRows", "ProjectionKit",
                           .product(name: "Hummingbird", package: "hummingbird"), .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
    ]
)

// The same language settings on every Swift target, as swift-log does it.
for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
