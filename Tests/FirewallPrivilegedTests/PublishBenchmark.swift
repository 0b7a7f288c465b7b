import Firewall
import Foundation
import Glibc
import SystemKit
import TestSupport
import Testing

/// Not a test: the in-process half of benchmarks/publish-ports.sh. It publishes N ports (BENCH_PORTS, default
/// 1,000) for one sandbox in a scratch namespace and prints the time of each `publish` call, everything included
/// (namespace thread, libnftables context, rendering, parsing, the kernel transaction).
@Suite(
    "Publish benchmark",
    .enabled(
        if: ProcessInfo.processInfo.environment["BENCH"] == "1" && Privileges.canCreateNamespaces,
        "benchmark; run benchmarks/publish-ports.sh (BENCH=1, root)"))
struct PublishBenchmark {
    private static var ports: Int { Int(ProcessInfo.processInfo.environment["BENCH_PORTS"] ?? "") ?? 1000 }

    private static func milliseconds(_ body: () throws -> Void) rethrows -> Double {
        var start = timespec()
        var end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        try body()
        clock_gettime(CLOCK_MONOTONIC, &end)
        return Double(end.tv_sec - start.tv_sec) * 1000 + Double(end.tv_nsec - start.tv_nsec) / 1_000_000
    }

    /// Publishes the ports five times (each into a freshly applied network) and prints every run and the median.
    @Test func publishPorts() throws {
        let count = Self.ports
        let network = try Lab.network("bench", bridge: "splice0", subnet: "10.88.0.0/16")
        let container = try Lab.address("10.88.0.2")
        let mappings = (0..<count).map { index in
            PortMapping(
                proto: .tcp, hostPort: UInt16(20_000 + index), containerAddress: container,
                containerPort: UInt16(20_000 + index), bridge: "splice0")
        }
        let namespace = try NetworkNamespace.anonymous(label: "bench")
        let firewall = try Firewall(namespace: namespace)
        var runs: [Double] = []
        for _ in 0..<5 {
            try firewall.apply(FirewallModel(networks: [network]))
            runs.append(try Self.milliseconds { try firewall.publish(mappings) })
        }
        #expect(try firewall.current().portMappings.count == count)
        let rules = try firewall.current().chains.map(\.ruleCount).reduce(0, +)
        var applyRuns: [Double] = []
        for _ in 0..<3 {
            applyRuns.append(
                try Self.milliseconds { try firewall.apply(FirewallModel(networks: [network], portMappings: mappings)) }
            )
        }
        try firewall.removeAll()
        let median = runs.sorted()[runs.count / 2]
        let formatted = runs.map { String(format: "%.2f", $0) }.joined(separator: " ")
        print(
            "BENCH splice-publish ports=\(count) rules=\(rules) runs_ms=[\(formatted)] "
                + "median_ms=\(String(format: "%.2f", median))"
        )
        print("BENCH splice-apply ports=\(count) median_ms=\(String(format: "%.2f", applyRuns.sorted()[1]))")
    }
}
