import Firewall
import Foundation
import Glibc
import SystemKit
import TestSupport
import Testing

/// A scratch "host" namespace with Splice's firewall in it, bridges, sandbox namespaces on veth pairs and an
/// "outside" namespace on its own subnet, all named `spt<pid>-<tag>-…` and removed at the end. The machine's own
/// ruleset is never touched: nftables tables belong to the namespace they were made in.
final class FirewallLab {
    let tag: String
    let host: ScratchNamedNamespace
    let firewall: Firewall
    private(set) var others: [String: ScratchNamedNamespace] = [:]

    /// The host's address towards the outside namespace, and the outside namespace's own.
    static let hostUplinkAddress = "192.0.2.1"
    static let outsideAddress = "192.0.2.2"

    init(_ tag: String) throws {
        self.tag = tag
        let host = try ScratchNamedNamespace(tag: "\(tag)-h")
        self.host = host
        try run("ip", ["-n", host.name, "link", "set", "lo", "up"])
        try run("ip", ["netns", "exec", host.name, "sysctl", "-qw", "net.ipv4.ip_forward=1"])
        firewall = try Firewall(namespace: host.namespace)
    }

    /// The host namespace handle.
    var hostNamespace: NetworkNamespace { host.namespace }

    /// The namespace `suffix` made by `sandbox` or `outside`.
    func namespace(_ suffix: String) -> NetworkNamespace? { others[suffix]?.namespace }

    /// Runs `ip -n <namespace> ARGS`.
    @discardableResult
    func ip(_ namespace: ScratchNamedNamespace, _ arguments: [String]) throws -> String {
        try run("ip", ["-n", namespace.name] + arguments)
    }

    /// Sets a sysctl inside the host namespace.
    func sysctl(_ key: String, _ value: String) throws {
        try run("ip", ["netns", "exec", host.name, "sysctl", "-qw", "\(key)=\(value)"])
    }

    /// Runs `nft ARGS` in the host namespace: the independent oracle, and the way the tests play "another tool".
    @discardableResult
    func nft(_ arguments: [String], input: String? = nil) throws -> String {
        try run("ip", ["netns", "exec", host.name, "nft"] + arguments, input: input)
    }

    /// Creates bridge `name` in the host with `address` (such as `10.10.0.1/24`), up, with route_localnet=1 as the
    /// bridge driver sets it (so host -> 127.0.0.1 -> sandbox works).
    func bridge(_ name: String, address: String) throws {
        try ip(host, ["link", "add", name, "type", "bridge"])
        try ip(host, ["addr", "add", address, "dev", name])
        try ip(host, ["link", "set", name, "up"])
        try sysctl("net.ipv4.conf.\(name).route_localnet", "1")
    }

    /// Creates sandbox namespace `suffix` with `eth0` at `address` (such as `10.10.0.2/24`) whose host end `port`
    /// is attached to `bridge`, default route via `gateway`. Returns the namespace.
    @discardableResult
    func sandbox(
        _ suffix: String, bridge: String, address: String, gateway: String, port: String
    ) throws
        -> NetworkNamespace
    {
        let sandbox = try ScratchNamedNamespace(tag: "\(tag)-\(suffix)")
        others[suffix] = sandbox
        try ip(sandbox, ["link", "set", "lo", "up"])
        try ip(host, ["link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", sandbox.name])
        try ip(host, ["link", "set", port, "master", bridge, "up"])
        try ip(sandbox, ["addr", "add", address, "dev", "eth0"])
        try ip(sandbox, ["link", "set", "eth0", "up"])
        try ip(sandbox, ["route", "add", "default", "via", gateway])
        return sandbox.namespace
    }

    /// Creates the "outside" namespace: another host on 192.0.2.0/24, reached through the host's `up0`. With
    /// `routes`, it also knows the way back to those subnets through the host (for checks without masquerade).
    @discardableResult
    func outside(routes: [String] = []) throws -> NetworkNamespace {
        let outside = try ScratchNamedNamespace(tag: "\(tag)-o")
        others["outside"] = outside
        try ip(outside, ["link", "set", "lo", "up"])
        try ip(host, ["link", "add", "up0", "type", "veth", "peer", "name", "eth0", "netns", outside.name])
        try ip(host, ["addr", "add", "\(Self.hostUplinkAddress)/24", "dev", "up0"])
        try ip(host, ["link", "set", "up0", "up"])
        try ip(outside, ["addr", "add", "\(Self.outsideAddress)/24", "dev", "eth0"])
        try ip(outside, ["link", "set", "eth0", "up"])
        for route in routes { try ip(outside, ["route", "add", route, "via", Self.hostUplinkAddress]) }
        return outside.namespace
    }

    deinit {
        for namespace in others.values { namespace.remove() }
        host.remove()
    }
}

/// Test helpers for building models.
enum Lab {
    static func address(_ text: String) throws -> IPv4Address { try #require(IPv4Address(text)) }

    static func network(
        _ name: String, bridge: String, subnet: String, masquerade: Bool = true, interContainer: Bool = true,
        ports: [String] = []
    ) throws -> NetworkRules {
        NetworkRules(
            name: name, bridge: bridge, subnet: try #require(IPNetwork(subnet)), masquerade: masquerade,
            interContainer: interContainer, ports: ports)
    }

    static func mapping(
        _ proto: PortMapping.`Protocol`, _ hostPort: UInt16, to container: String, _ containerPort: UInt16,
        on bridge: String, hostAddress: String? = nil
    ) throws -> PortMapping {
        PortMapping(
            proto: proto, hostAddress: try hostAddress.map { try address($0) }, hostPort: hostPort,
            containerAddress: try address(container), containerPort: containerPort, bridge: bridge)
    }
}
