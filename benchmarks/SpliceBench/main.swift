import Foundation
import Glibc
import NetlinkKit
import SpliceImages
import SpliceNet
import SystemKit

/// `splice-bench`: in-process measurements of Splice's network driver, for the scripts in benchmarks/.
///   splice-bench publish-ports N   publish N ports for one sandbox through BridgeDriver.publish (5 runs)
///   splice-bench connect N         connect N sandboxes, split across two networks (the bridge holds 1,023)
///   splice-bench unpack LAYER DIR  extract the layer tar LAYER (any compression) into the empty DIR through
///                                  LayerUnpacker, as a pull does (diff id and size computed, whiteouts as overlayfs
///                                  reads them); prints the time and the uncompressed bytes
/// Everything happens in a scratch host namespace and a temporary state directory, removed at the end.

func milliseconds(since start: timespec) -> Double {
    var end = timespec()
    clock_gettime(CLOCK_MONOTONIC, &end)
    return Double(end.tv_sec - start.tv_sec) * 1000 + Double(end.tv_nsec - start.tv_nsec) / 1_000_000
}

func now() -> timespec {
    var value = timespec()
    clock_gettime(CLOCK_MONOTONIC, &value)
    return value
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// A scratch host: namespace, state directory, driver, sandbox factory.
struct Scratch {
    let state: String
    let host: NetworkNamespace
    let driver: BridgeDriver
    let sandboxes: SandboxFactory

    init() throws {
        var template = Array("/tmp/splice-bench-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SystemError.current("mkdtemp") }
        state = String(cString: made)
        host = try NetworkNamespace.anonymous(label: "bench-host")
        driver = try BridgeDriver(stateDirectory: state, hostNamespace: host)
        sandboxes = try SandboxFactory(stateDirectory: state, host: host)
    }

    func cleanUp() {
        try? driver.removeEverything(sandboxes: sandboxes)
        _ = try? FileManager.default.removeItem(atPath: state)
    }
}

func publishPorts(_ count: Int) throws {
    var runs: [Double] = []
    for run in 0..<5 {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        try scratch.driver.createNetwork(BridgeNetworkOptions(name: "bench", bridge: "splice0"))
        let sandbox = try scratch.sandboxes.create(id: "bench\(run)", mode: .bridge(network: "bench"))
        try scratch.driver.connect(sandbox, to: "bench")
        let spec = try PortSpecParser.parse("20000-\(20000 + count - 1):20000-\(20000 + count - 1)")
        let start = now()
        let ports = try scratch.driver.publish([spec], for: sandbox, on: "bench")
        runs.append(milliseconds(since: start))
        guard ports.count == count else { throw NetworkError(.internal, "published \(ports.count) of \(count)") }
    }
    let text = runs.map { String(format: "%.2f", $0) }.joined(separator: ",")
    print("BENCH splice-publish ports=\(count) runs_ms=\(text) median_ms=\(String(format: "%.2f", median(runs)))")
}

func connect(_ count: Int) throws {
    let scratch = try Scratch()
    defer { scratch.cleanUp() }
    try scratch.driver.createNetwork(BridgeNetworkOptions(name: "east", bridge: "spe0", subnet: IPNetwork("10.60.0.0/16")))
    try scratch.driver.createNetwork(BridgeNetworkOptions(name: "west", bridge: "spw0", subnet: IPNetwork("10.61.0.0/16")))
    let sandboxes = try (0..<count).map { index in
        try scratch.sandboxes.create(id: "s\(index)", mode: .bridge(network: index % 2 == 0 ? "east" : "west"))
    }
    var samples: [Double] = []
    let all = now()
    for (index, sandbox) in sandboxes.enumerated() {
        let start = now()
        try scratch.driver.connect(sandbox, to: index % 2 == 0 ? "east" : "west")
        samples.append(milliseconds(since: start))
    }
    let total = milliseconds(since: all)
    let middle = String(format: "%.3f", median(samples))
    let mean = String(format: "%.3f", total / Double(count))
    print("BENCH splice-connect sandboxes=\(count) median_ms=\(middle) mean_ms=\(mean) total_ms=\(String(format: "%.1f", total))")
}

func allocate(_ count: Int) throws {
    let scratch = try Scratch()
    defer { scratch.cleanUp() }
    _ = try scratch.driver.ipam.createPool(name: "p", subnet: IPNetwork("10.70.0.0/16"))
    var samples: [Double] = []
    for index in 0..<count {
        let start = now()
        _ = try scratch.driver.ipam.allocate(in: "p", owner: "o\(index)")
        samples.append(milliseconds(since: start))
    }
    print("BENCH ipam-allocate count=\(count) first_ms=\(samples.prefix(10).reduce(0, +) / 10)"
        + " last_ms=\(samples.suffix(10).reduce(0, +) / 10)")
}

func unpack(_ layer: String, into target: String) throws {
    let start = now()
    let summary = try LayerUnpacker.unpack(archiveAt: layer, into: target, whiteouts: .overlay)
    print("BENCH unpack bytes=\(summary.size) ms=\(milliseconds(since: start))")
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    if arguments.first == "unpack", arguments.count == 3 {
        try unpack(arguments[1], into: arguments[2])
        exit(0)
    }
    switch (arguments.first, arguments.dropFirst().first.flatMap { Int($0) }) {
    case ("publish-ports", let count?): try publishPorts(count)
    case ("connect", let count?): try connect(count)
    case ("allocate", let count?): try allocate(count)
    default:
        print("usage: splice-bench publish-ports N | connect N | allocate N | unpack LAYER DIR")
        exit(2)
    }
} catch {
    print("splice-bench: \(error)")
    exit(1)
}
