import Foundation
import NetlinkKit
import SpliceNet
import SystemKit
import TestSupport
import Testing

/// A Linux bridge holds at most 1,023 ports: the 1,024th endpoint is refused with a message naming the limit,
/// not the kernel's "Exchange full".
@Suite(.enabled(if: Privileges.canCreateNamespaces, Comment(rawValue: Privileges.reason)))
struct BridgePortLimitTests {
    @Test func theEndpointPastTheBridgeLimitIsRefusedClearly() throws {
        let state = NSTemporaryDirectory() + "splice-limit-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: state) }
        // Torn down by dropping the namespaces (the kernel removes their interfaces in one pass) rather than
        // one veth at a time, which would cost a synchronize_net each.
        let host = try NetworkNamespace.anonymous(label: "limit-host")
        let driver = try BridgeDriver(stateDirectory: state, hostNamespace: host)
        let sandboxes = try SandboxFactory(stateDirectory: state, host: host)
        defer {
            for id in sandboxes.pinnedIDs() { try? NetworkNamespace.delete(pinnedAt: sandboxes.path(of: id)) }
        }
        try driver.createNetwork(BridgeNetworkOptions(name: "big", bridge: "spbig", subnet: IPNetwork("10.40.0.0/20")))
        for index in 0..<BridgeDriver.maximumEndpoints {
            let sandbox = try sandboxes.create(id: "l\(index)", mode: .bridge(network: "big"))
            try driver.connect(sandbox, to: "big")
        }
        let last = try sandboxes.create(id: "l-last", mode: .bridge(network: "big"))
        let error = #expect(throws: NetworkError.self) { try driver.connect(last, to: "big") }
        #expect(error?.message.contains("1023") == true, Comment(rawValue: error?.message ?? ""))
        #expect(try ipJSON(in: last.namespace, ["link", "show"]).count == 1)
        for id in sandboxes.pinnedIDs() { try NetworkNamespace.delete(pinnedAt: sandboxes.path(of: id)) }
        let mounts = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
        #expect(!mounts.contains(state), "sandbox namespaces left mounted under \(state)")
    }
}
