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
        .library(name: "SpliceNet", targets: ["SpliceNet"]),
        .library(name: "SplicePipework", targets: ["SplicePipework"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .target(name: "CLinuxShims"),
        .target(name: "SystemKit", dependencies: ["CLinuxShims"], swiftSettings: strict),
        .target(name: "NetlinkKit", dependencies: ["CLinuxShims", "SystemKit"], swiftSettings: strict),
        .systemLibrary(name: "CNftables", pkgConfig: "libnftables", providers: [.apt(["libnftables-dev"])]),
        .target(name: "Firewall", dependencies: ["CNftables", "SystemKit"], swiftSettings: strict),
        // The network drivers (bridge, IPAM, ports, NAT through the firewall).
        .target(name: "SpliceNet", dependencies: ["CLinuxShims", "SystemKit", "NetlinkKit", "Firewall"],
                swiftSettings: strict),
        // pipework's operations, kept apart from the firewall: `pipework` links fully static and Debian ships
        // libnftables only as a shared library.
        .target(name: "SplicePipework", dependencies: ["CLinuxShims", "SystemKit", "NetlinkKit"], swiftSettings: strict),
        .executableTarget(name: "pipework", dependencies: ["SplicePipework"], swiftSettings: strict),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CSeccomp", pkgConfig: "libseccomp", providers: [.apt(["libseccomp-dev"])]),
        // The engine's layers (the container engine issue): images, runtime, API.
        .target(name: "SpliceImages", dependencies: ["CArchive", "SystemKit", .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: strict),
        .target(name: "SpliceRuntime", dependencies: ["CLinuxShims", "CSeccomp", "SystemKit"], swiftSettings: strict),
        .executableTarget(name: "splice-init", dependencies: ["SpliceRuntime"], swiftSettings: strict),
        // The Engine API's JSON shapes, shared by the server and the `splice` client (no NIO).
        .target(name: "DockerModels", swiftSettings: strict),
        .target(name: "SpliceAPI", dependencies: [
            "DockerModels",
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ], swiftSettings: strict),
        .target(name: "SpliceEngine", dependencies: ["SpliceNet", "SpliceRuntime", "SpliceImages", "DockerModels",
                                                     "NetlinkKit", "SystemKit"],
                swiftSettings: strict),
        .target(name: "SpliceDaemon", dependencies: ["SpliceAPI", "SpliceEngine"], swiftSettings: strict),
        // spliced parses dockerd's flags itself (`--icc=false`, single-dash long forms), so no ArgumentParser.
        .executableTarget(name: "spliced", dependencies: ["SpliceDaemon"], swiftSettings: strict),
        .target(name: "SpliceClient", dependencies: ["DockerModels", "SystemKit"], swiftSettings: strict),
        // The client parses docker's flags itself (SpliceClient/CLI), so its tests can reach the parser.
        .executableTarget(name: "splice", dependencies: ["SpliceClient"], swiftSettings: strict),
        // In-process measurements for the scripts in benchmarks/ (not shipped, not a test).
        .executableTarget(name: "splice-bench", dependencies: ["SpliceNet", "NetlinkKit", "SystemKit"],
                          path: "benchmarks/SpliceBench"),

        .target(name: "TestSupport", dependencies: ["SystemKit", "NetlinkKit"], path: "Tests/TestSupport"),
        .testTarget(name: "NetlinkKitTests", dependencies: ["NetlinkKit", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "SpliceNetTests", dependencies: ["SpliceNet", "TestSupport"]),
        .testTarget(name: "SplicePipeworkTests", dependencies: ["SplicePipework", "TestSupport"]),
        .testTarget(name: "FirewallTests", dependencies: ["Firewall", "TestSupport"]),
        .testTarget(name: "SpliceImagesTests", dependencies: ["SpliceImages", "TestSupport"]),
        .testTarget(name: "SpliceRuntimeTests", dependencies: ["SpliceRuntime", "TestSupport"]),
        .testTarget(name: "SpliceRuntimePrivilegedTests", dependencies: ["SpliceRuntime", "SystemKit", "TestSupport"]),
        .testTarget(name: "SpliceAPITests", dependencies: ["SpliceAPI", "TestSupport"]),
        .testTarget(name: "SpliceEngineTests", dependencies: ["SpliceEngine", "TestSupport"]),
        .testTarget(name: "SpliceDaemonPrivilegedTests", dependencies: ["SpliceDaemon", "SpliceEngine", "TestSupport"]),
        .testTarget(name: "SpliceClientTests", dependencies: ["SpliceClient", "SpliceAPI", "TestSupport"]),
        .testTarget(name: "FirewallPrivilegedTests", dependencies: ["Firewall", "SystemKit", "TestSupport"]),
        .testTarget(name: "NetlinkKitPrivilegedTests", dependencies: ["NetlinkKit", "SystemKit", "TestSupport"]),
        .testTarget(name: "SpliceNetPrivilegedTests", dependencies: ["SpliceNet", "SystemKit", "NetlinkKit", "CLinuxShims", "TestSupport"]),
        .testTarget(name: "SplicePipeworkPrivilegedTests",
                    dependencies: ["SplicePipework", "SystemKit", "CLinuxShims", "TestSupport"]),
    ]
)
