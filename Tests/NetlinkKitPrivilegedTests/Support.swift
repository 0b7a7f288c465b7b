import Foundation
import NetlinkKit
import SystemKit
import TestSupport
import Testing

/// Kernel features probed once per test process, so tests of missing features skip with the reason.
enum KernelProbe {
    /// Nil when this kernel creates 802.1Q interfaces; otherwise NetlinkKit's error for trying, which names
    /// CONFIG_VLAN_8021Q. Probed by creating a vlan on a veth in a throwaway namespace.
    static let vlanFailure: NetlinkError? = {
        guard Privileges.canCreateNamespaces else { return nil }
        do {
            return try withScratchNetworkNamespace { _, socket -> NetlinkError? in
                try socket.addLink(LinkSpec(name: "probe0", kind: .veth(peer: VethPeer(name: "probe1"))))
                guard let parent = try socket.link(named: "probe0") else { return nil }
                do throws(NetlinkError) {
                    try socket.addLink(LinkSpec(name: "probe0.10", kind: .vlan(id: 10), parent: parent.index))
                    return nil
                } catch {
                    return error
                }
            }
        } catch let error as NetlinkError {
            return error
        } catch {
            return .kernel(errno: .ioError, operation: "probe 802.1Q", message: "\(error)")
        }
    }()

    /// Whether 802.1Q interfaces can be created here.
    static var hasVLAN: Bool { Privileges.canCreateNamespaces && vlanFailure == nil }

    static let vlanSkipReason = Comment(rawValue: "needs 802.1Q (CONFIG_VLAN_8021Q); probing it failed: "
                                        + (vlanFailure.map { "\($0)" } ?? "not probed"))
}

/// The privileged suites' trait.
let needsNamespaces = ConditionTrait.enabled(if: Privileges.canCreateNamespaces, Comment(rawValue: Privileges.reason))

/// Runs `bridge -j ARGS` inside `namespace` and decodes its JSON: the oracle for FDB state.
func bridgeJSON(in namespace: NetworkNamespace, _ arguments: [String]) throws -> [[String: Any]] {
    let result = try runIn(namespace, ["bridge", "-j"] + arguments)
    guard result.status == 0 else {
        throw CommandFailure(command: "bridge -j " + arguments.joined(separator: " "), status: result.status,
                             stderr: result.stderr)
    }
    let trimmed = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.isEmpty { return [] }
    return try JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [[String: Any]] ?? []
}

/// Runs a setup command inside `namespace`, failing the test with its stderr if it fails.
func setUp(_ namespace: NetworkNamespace, _ command: [String]) throws {
    let result = try runIn(namespace, command)
    guard result.status == 0 else {
        throw CommandFailure(command: command.joined(separator: " "), status: result.status, stderr: result.stderr)
    }
}

/// The one interface `ip -j -d link show NAME` reports, or nil when there is none.
func ipLink(in namespace: NetworkNamespace, _ name: String) throws -> [String: Any]? {
    let result = try runIn(namespace, ["ip", "-j", "-d", "link", "show", "dev", name])
    guard result.status == 0 else { return nil }
    let array = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
    return array?.first
}

/// `linkinfo.info_kind` and `linkinfo.info_data` of an `ip -j -d link` entry.
func linkInfo(_ link: [String: Any]?) -> (kind: String?, data: [String: Any]) {
    let info = link?["linkinfo"] as? [String: Any]
    return (info?["info_kind"] as? String, info?["info_data"] as? [String: Any] ?? [:])
}

/// The `flags` array of an `ip -j` entry.
func flags(_ entry: [String: Any]?) -> [String] { entry?["flags"] as? [String] ?? [] }

/// Parses test literals, failing the test on a typo.
func address(_ text: String) throws -> IPAddress { try #require(IPAddress(text), "bad address literal \(text)") }
func network(_ text: String) throws -> IPNetwork { try #require(IPNetwork(text), "bad network literal \(text)") }
func mac(_ text: String) throws -> MACAddress { try #require(MACAddress(text), "bad MAC literal \(text)") }

extension NetlinkSocket {
    /// The index of `name`, failing the test when it is missing.
    func index(of name: String) throws -> InterfaceIndex {
        try #require(try link(named: name), "no interface \(name)").index
    }

    /// Creates a bridge (up, so it has addresses and routes that work) and returns its index.
    @discardableResult
    func makeBridge(_ name: String = "br0", up: Bool = true) throws -> InterfaceIndex {
        try addLink(LinkSpec(name: name, kind: .bridge, up: up))
        return try index(of: name)
    }

    /// Creates a veth pair in this namespace, both ends up so they have carrier, and returns their indexes.
    @discardableResult
    func makeVethPair(_ name: String = "veth0", peer: String = "veth1") throws -> (InterfaceIndex, InterfaceIndex) {
        try addLink(LinkSpec(name: name, kind: .veth(peer: VethPeer(name: peer)), up: true))
        let peerIndex = try index(of: peer)
        try setLink(peerIndex, LinkChange(up: true))
        return (try index(of: name), peerIndex)
    }
}
