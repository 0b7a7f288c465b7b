// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "Splice",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pipework", targets: ["pipework"]),
        .library(name: "SpliceNet", targets: ["SpliceNet"]),
    ],
    targets: [
        .target(name: "CLinuxShims"),
        .target(name: "SystemKit", dependencies: ["CLinuxShims"], swiftSettings: strict),
        .target(name: "NetlinkKit", dependencies: ["CLinuxShims", "SystemKit"], swiftSettings: strict),
        .target(name: "SpliceNet", dependencies: ["CLinuxShims", "SystemKit", "NetlinkKit"], swiftSettings: strict),
        .executableTarget(name: "pipework", dependencies: ["SpliceNet"], swiftSettings: strict),

        .target(name: "TestSupport", dependencies: ["SystemKit", "NetlinkKit"], path: "Tests/TestSupport"),
        .testTarget(name: "NetlinkKitTests", dependencies: ["NetlinkKit", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "SpliceNetTests", dependencies: ["SpliceNet", "TestSupport"]),
        .testTarget(name: "NetlinkKitPrivilegedTests", dependencies: ["NetlinkKit", "SystemKit", "TestSupport"]),
        .testTarget(name: "SpliceNetPrivilegedTests", dependencies: ["SpliceNet", "SystemKit", "CLinuxShims", "TestSupport"]),
    ]
)
