// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "Splice",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pipework", targets: ["pipework"]),
        .executable(name: "spliced", targets: ["spliced"]),
        .executable(name: "splice", targets: ["splice"]),
        .executable(name: "splice-lab", targets: ["splice-lab"]),
        .library(name: "SpliceNet", targets: ["SpliceNet"]),
        .library(name: "SplicePipework", targets: ["SplicePipework"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .target(name: "CLinuxShims"),
        .target(name: "SystemKit", dependencies: ["CLinuxShims"], swiftSettings: strict),
        // The one JSON reader and string escaper, without Foundation (the firewall and splice-init use it too).
        .target(name: "JSONKit", swiftSettings: strict),
        .target(name: "NetlinkKit", dependencies: ["CLinuxShims", "SystemKit"], swiftSettings: strict),
        .systemLibrary(name: "CNftables", pkgConfig: "libnftables", providers: [.apt(["libnftables-dev"])]),
        .target(name: "Firewall", dependencies: ["CNftables", "SystemKit", "JSONKit"], swiftSettings: strict),
        // The network drivers (bridge, IPAM, ports, NAT through the firewall).
        .target(name: "SpliceNet", dependencies: ["CLinuxShims", "SystemKit", "NetlinkKit", "Firewall"],
                swiftSettings: strict),
        // The cluster store: etcd v3 through its JSON gateway over AsyncHTTPClient; records of hosts, global
        // networks, endpoints and address allocations.
        .target(name: "SpliceCluster", dependencies: ["SpliceNet", "SystemKit",
                                                      .product(name: "AsyncHTTPClient", package: "async-http-client"),
                                                      .product(name: "NIOCore", package: "swift-nio")],
                swiftSettings: strict),
        // pipework's operations, kept apart from the firewall: `pipework` links fully static and Debian ships
        // libnftables only as a shared library.
        .target(name: "SplicePipework", dependencies: ["CLinuxShims", "SystemKit", "NetlinkKit"], swiftSettings: strict),
        .executableTarget(name: "pipework", dependencies: ["SplicePipework", "NetlinkKit", "SystemKit"], swiftSettings: strict),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CSeccomp", pkgConfig: "libseccomp", providers: [.apt(["libseccomp-dev"])]),
        // The engine's layers (the container engine issue): images, runtime, API. The image store answers
        // `docker images`, `inspect` and `history` in the API's own types (DockerModels, a leaf without NIO).
        .target(name: "SpliceImages", dependencies: [
            "CArchive", "CLinuxShims", "DockerModels", "SystemKit", .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], swiftSettings: strict),
        .target(name: "SpliceRuntime", dependencies: ["CLinuxShims", "CSeccomp", "SystemKit", "JSONKit"],
                swiftSettings: strict),
        .executableTarget(name: "splice-init", dependencies: ["SpliceRuntime"], swiftSettings: strict),
        // The engine's error (a code and a message, and its cause), below both the engine and the API that maps it to
        // an HTTP status, so neither imports the other's types for it.
        .target(name: "EngineErrors", swiftSettings: strict),
        // The Engine API's JSON shapes, shared by the server and the `splice` client (no NIO).
        .target(name: "DockerModels", dependencies: ["EngineErrors"], swiftSettings: strict),
        .target(name: "SpliceAPI", dependencies: [
            "DockerModels", "EngineErrors", "SystemKit",
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .target(name: "SpliceEngine", dependencies: ["SpliceNet", "SpliceRuntime", "SpliceImages", "DockerModels",
                                                     "EngineErrors", "NetlinkKit", "SystemKit", "CLinuxShims",
                                                     .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        .target(name: "SpliceDaemon", dependencies: ["SpliceAPI", "SpliceEngine", "SpliceImages", "SpliceNet", "SpliceCluster",
                                                     "DockerModels", "EngineErrors",
                                                     "SpliceRuntime", "NetlinkKit", "SystemKit", "JSONKit",
                                                     .product(name: "Logging", package: "swift-log"),
                                                     // `docker import URL` downloads with NIO's HTTP/1.1 codec.
                                                     .product(name: "NIOCore", package: "swift-nio"),
                                                     .product(name: "NIOPosix", package: "swift-nio"),
                                                     .product(name: "NIOHTTP1", package: "swift-nio")],
                swiftSettings: strict),
        // spliced parses dockerd's flags itself (`--icc=false`, single-dash long forms), so no ArgumentParser.
        .executableTarget(name: "spliced", dependencies: ["SpliceDaemon"], swiftSettings: strict),
        // libarchive for `splice cp` (the tar of a local path, and the copy out of a container extracted safely),
        // opened on first use: linked, it loaded 13 libraries into every `splice` command (about 1 ms each).
        .target(name: "CArchiveLoader"),
        .target(name: "SpliceClient", dependencies: ["DockerModels", "SystemKit", "JSONKit", "CArchiveLoader"],
                swiftSettings: strict),
        // The client parses docker's flags itself (SpliceClient/CLI), so its tests can reach the parser.
        .executableTarget(name: "splice", dependencies: ["SpliceClient"], swiftSettings: strict),
        // The parsers that take outside input, as fuzz targets; libFuzzer's harness (benchmarks/fuzz.sh builds it
        // with -sanitize=fuzzer) and the corpus replay in the tests share them.
        .target(name: "FuzzTargets", dependencies: ["DockerModels", "JSONKit", "NetlinkKit", "SpliceClient",
                                                    "EngineErrors", "SpliceNet", "SplicePipework", "SystemKit",
                                                    "SpliceAPI", "SpliceEngine", "SpliceImages",
                                                    .product(name: "NIOCore", package: "swift-nio"),
                                                    .product(name: "NIOEmbedded", package: "swift-nio"),
                                                    .product(name: "NIOHTTP1", package: "swift-nio")],
                swiftSettings: strict),
        .executableTarget(name: "splice-fuzz", dependencies: ["FuzzTargets"], path: "fuzz/Harness"),
        // `splice lab`: lab files (Yams), simulated hosts, tests in the file, graphs. Yams needs full Foundation,
        // so the lab runner is its own executable, which `splice lab ...` execs (splice stays on
        // FoundationEssentials).
        .target(name: "NetLab", dependencies: ["SpliceClient", "NetlinkKit", "SystemKit",
                                               .product(name: "Yams", package: "Yams")],
                swiftSettings: strict),
        .executableTarget(name: "splice-lab", dependencies: ["NetLab"], swiftSettings: strict),
        // In-process measurements for the scripts in benchmarks/ (not shipped, not a test).
        .executableTarget(name: "splice-bench", dependencies: ["SpliceNet", "SpliceImages", "NetlinkKit", "SystemKit"],
                          path: "benchmarks/SpliceBench"),

        .target(name: "TestSupport", dependencies: ["SystemKit", "NetlinkKit"], path: "Tests/TestSupport"),
        // The fake engine, in-process server and raw HTTP client that the API and client suites share.
        .target(name: "APITestSupport", dependencies: ["SpliceAPI", "EngineErrors", "SystemKit"],
                path: "Tests/APITestSupport"),
        .testTarget(name: "NetlinkKitTests", dependencies: ["NetlinkKit", "SystemKit", "CLinuxShims", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "SpliceNetTests", dependencies: ["SpliceNet", "NetlinkKit", "CLinuxShims", "TestSupport"]),
        .testTarget(name: "SplicePipeworkTests", dependencies: ["SplicePipework", "NetlinkKit", "SystemKit", "TestSupport"]),
        .testTarget(name: "JSONKitTests", dependencies: ["JSONKit"]),
        .testTarget(name: "FuzzReplayTests", dependencies: ["FuzzTargets"]),
        .testTarget(name: "SpliceClusterTests", dependencies: ["SpliceCluster", "SpliceNet", "SystemKit", "TestSupport"]),
        .testTarget(name: "NetLabTests", dependencies: ["NetLab"]),
        .testTarget(name: "NetLabPrivilegedTests", dependencies: ["NetLab", "SystemKit"]),
        .testTarget(name: "FirewallTests", dependencies: ["Firewall", "SystemKit", "TestSupport"]),
        .testTarget(name: "SpliceImagesTests",
                    dependencies: ["SpliceImages", "DockerModels", "SystemKit", "TestSupport"]),
        .testTarget(name: "SpliceRuntimeTests", dependencies: ["SpliceRuntime", "TestSupport"]),
        .testTarget(name: "SpliceRuntimePrivilegedTests", dependencies: ["SpliceRuntime", "SystemKit", "TestSupport"]),
        .testTarget(name: "SpliceAPITests",
                    dependencies: ["SpliceAPI", "DockerModels", "EngineErrors", "APITestSupport", "SystemKit",
                                   "TestSupport"]),
        .testTarget(name: "SpliceEngineTests",
                    dependencies: ["SpliceEngine", "SpliceImages", "SpliceRuntime", "DockerModels", "EngineErrors",
                                   "TestSupport"]),
        .testTarget(name: "SpliceDaemonPrivilegedTests",
                    dependencies: ["SpliceDaemon", "SpliceEngine", "SpliceAPI", "SpliceNet", "SpliceRuntime", "SystemKit",
                                   "EngineErrors", "TestSupport",
                                   .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "SpliceClientTests",
                    dependencies: ["SpliceClient", "SpliceAPI", "DockerModels", "APITestSupport", "TestSupport"]),
        .testTarget(name: "FirewallPrivilegedTests", dependencies: ["Firewall", "SystemKit", "TestSupport"]),
        .testTarget(name: "NetlinkKitPrivilegedTests", dependencies: ["NetlinkKit", "SystemKit", "TestSupport"]),
        .testTarget(name: "SpliceNetPrivilegedTests", dependencies: ["SpliceNet", "SystemKit", "NetlinkKit", "CLinuxShims", "TestSupport"]),
        .testTarget(name: "SplicePipeworkPrivilegedTests",
                    dependencies: ["SplicePipework", "NetlinkKit", "SystemKit", "CLinuxShims", "TestSupport"]),
    ]
)
