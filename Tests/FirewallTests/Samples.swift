import Firewall
import SystemKit

/// The networks and mappings the hermetic tests render and decode.
enum Samples {
    static func address(_ text: String) -> IPv4Address { IPv4Address(text) ?? IPv4Address(value: 0) }

    static func subnet(_ text: String) -> IPNetwork {
        guard let network = IPNetwork(text) else { preconditionFailure("bad sample subnet \(text)") }
        return network
    }

    /// `front`: masquerade on, inter-container on.
    static let front = NetworkRules(
        name: "front", bridge: "br-front", subnet: subnet("10.10.0.0/24"), masquerade: true, interContainer: true)

    /// `back`: masquerade off, inter-container off, two ports.
    static let back = NetworkRules(
        name: "back", bridge: "br-back", subnet: subnet("10.20.0.0/24"), masquerade: false, interContainer: false,
        ports: ["vb-back1", "vb-back2"])

    /// `plain`: masquerade off, inter-container on.
    static let plain = NetworkRules(
        name: "p", bridge: "br-p", subnet: subnet("10.40.0.0/24"), masquerade: false, interContainer: true)

    /// `m`: masquerade on, inter-container off, no ports yet.
    static let isolatedNoPorts = NetworkRules(
        name: "m", bridge: "br-m", subnet: subnet("10.30.0.0/16"), masquerade: true, interContainer: false)

    /// TCP 8080 on every host address to 10.10.0.2:80.
    static let webAny = PortMapping(
        proto: .tcp, hostPort: 8080, containerAddress: address("10.10.0.2"), containerPort: 80, bridge: "br-front")

    /// UDP 192.0.2.1:5353 to 10.10.0.2:53.
    static let dnsSpecific = PortMapping(
        proto: .udp, hostAddress: address("192.0.2.1"), hostPort: 5353, containerAddress: address("10.10.0.2"),
        containerPort: 53, bridge: "br-front")

    /// TCP 127.0.0.1:9090 to 10.20.0.3:90.
    static let adminLoopback = PortMapping(
        proto: .tcp, hostAddress: .loopback, hostPort: 9090, containerAddress: address("10.20.0.3"),
        containerPort: 90, bridge: "br-back")

    /// UDP 6000 on every host address to 10.20.0.3:60.
    static let gameAny = PortMapping(
        proto: .udp, hostPort: 6000, containerAddress: address("10.20.0.3"), containerPort: 60, bridge: "br-back")

    /// Both sample networks, every kind of mapping, ports 1024-65535.
    static let both = FirewallModel(
        networks: [front, back], portMappings: [webAny, dnsSpecific, adminLoopback, gameAny], portRange: 1024...65535)
}
