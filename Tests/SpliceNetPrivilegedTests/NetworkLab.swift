import Foundation
import Glibc
import NetlinkKit
import SpliceNet
import SystemKit
import TestSupport

/// A scratch "host" namespace with Splice's bridge driver acting in it, plus an "outside" namespace wired to
/// the host by a veth (host side 10.99.0.1/24, outside 10.99.0.2/24) standing in for another machine.
final class NetworkLab {
    let tag: String
    let hostName: String
    let outsideName: String
    let host: NetworkNamespace
    let outside: NetworkNamespace
    let state: String
    let driver: BridgeDriver
    let sandboxes: SandboxFactory

    init(_ tag: String, portRange: ClosedRange<UInt16> = 49153...65535) throws {
        self.tag = "spt\(getpid())-\(tag)"
        hostName = self.tag + "-h"
        outsideName = self.tag + "-o"
        host = try NetworkNamespace.create(named: hostName)
        outside = try NetworkNamespace.create(named: outsideName)
        state = NSTemporaryDirectory() + "splice-state-\(self.tag)"
        try run("ip", ["-n", hostName, "link", "set", "lo", "up"])
        try run("ip", ["-n", outsideName, "link", "set", "lo", "up"])
        try run("ip", ["-n", hostName, "link", "add", "uplink", "type", "veth", "peer", "name", "eth0", "netns", outsideName])
        try run("ip", ["-n", hostName, "addr", "add", "10.99.0.1/24", "dev", "uplink"])
        try run("ip", ["-n", hostName, "link", "set", "uplink", "up"])
        try run("ip", ["-n", outsideName, "addr", "add", "10.99.0.2/24", "dev", "eth0"])
        try run("ip", ["-n", outsideName, "link", "set", "eth0", "up"])
        driver = try BridgeDriver(stateDirectory: state, hostNamespace: host, portRange: portRange)
        sandboxes = try SandboxFactory(stateDirectory: state, host: host)
    }

    /// A new sandbox in bridge mode connected to `network`.
    func sandbox(_ id: String, on network: String, address: IPv4Address? = nil, publish: [String] = []) throws
        -> (Sandbox, EndpointRecord)
    {
        let sandbox = try sandboxes.create(id: "\(tag)-\(id)", mode: .bridge(network: network))
        let specs = try publish.map { try PortSpecParser.parse($0) }
        return (sandbox, try driver.connect(sandbox, to: network, address: address, publish: specs))
    }

    /// Whether `from` gets an answer to one ping of `address`.
    func ping(_ from: NetworkNamespace, _ address: String) throws -> Bool {
        for _ in 0..<3 {
            if try runIn(from, ["ping", "-c", "1", "-W", "1", address]).status == 0 { return true }
        }
        return false
    }

    /// The host namespace's interfaces, addresses and nftables tables, for before/after comparisons.
    func snapshot() throws -> String {
        let links = try ipJSON(in: host, ["link", "show"]).map { "\($0["ifname"] ?? "") \($0["master"] ?? "-")" }.sorted()
        let addresses = try ipJSON(in: host, ["addr", "show"]).flatMap { link in
            ((link["addr_info"] as? [[String: Any]]) ?? []).map { "\(link["ifname"] ?? "") \($0["local"] ?? "")" }
        }.sorted()
        let tables = try run("ip", ["netns", "exec", hostName, "nft", "list", "tables"])
        let pools = try driver.ipam.pools().map { "\($0.name) \($0.subnet) \($0.allocations.count)" }.sorted()
        return (links + addresses + [tables] + pools).joined(separator: "\n")
    }

    /// Splice's nftables tables in the host namespace, as `nft list tables` shows them.
    func spliceTables() throws -> [String] {
        try run("ip", ["netns", "exec", hostName, "nft", "list", "tables"]).split(separator: "\n")
            .map(String.init).filter { $0.contains("splice") }
    }

    deinit {
        try? driver.removeEverything(sandboxes: sandboxes)
        try? NetworkNamespace.delete(named: hostName)
        try? NetworkNamespace.delete(named: outsideName)
        try? FileManager.default.removeItem(atPath: state)
    }
}
