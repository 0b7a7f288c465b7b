import NetlinkKit
import SpliceAPI
import SpliceNet
import SystemKit
import struct EngineErrors.EngineError

/// The parts of `network create` beyond a plain bridge: the macvlan driver's options and aux addresses.
extension NetworkCreatePlan {
    /// `-o parent=IF` and `-o macvlan_mode=bridge|private|vepa|passthru` of a macvlan network.
    static func planMacvlan(_ options: [String: String], bridge: inout BridgeNetworkOptions,
                            metadata: inout NetworkMetadata) throws(EngineError)
    {
        guard let parent = options["parent"], !parent.isEmpty else {
            throw EngineError(.invalidArgument, "a macvlan network needs its parent interface: -o parent=INTERFACE"
                + " (Splice does not make a dummy parent: this kernel has no dummy interfaces)")
        }
        if let problem = InterfaceName.problem(with: parent) {
            throw EngineError(.invalidArgument, "-o parent=\(parent): \(problem)")
        }
        let mode = options["macvlan_mode"].flatMap { $0.isEmpty ? nil : $0 } ?? "bridge"
        guard MacvlanMode(name: mode) != nil else {
            throw EngineError(.invalidArgument, "requested macvlan mode '\(mode)' is not valid, 'bridge' mode is the"
                + " macvlan driver default")
        }
        metadata.driver = "macvlan"
        metadata.macvlan = MacvlanNetworkOptions(parent: parent, mode: mode)
        bridge.bridge = parent
    }

    /// `--aux-address NAME=IP`: each an IPv4 address inside the subnet (IPAM reserves them at create).
    static func checkAuxiliaryAddresses(_ addresses: [String: String]?, subnet: IPNetwork?) throws(EngineError) {
        guard let addresses, !addresses.isEmpty else { return }
        for (name, text) in addresses.sorted(by: { $0.key < $1.key }) {
            guard let address = IPAddress(text) else {
                throw EngineError(.invalidArgument, "invalid auxiliary address \(name)=\(text)")
            }
            guard case .v4 = address else { continue }
            guard let subnet, subnet.contains(address) else {
                throw EngineError(.invalidArgument, "no matching subnet for aux-address \(text)")
            }
        }
    }
}

extension NetworkCreatePlan {
    /// Splits `IPAM.Config` into the IPv4 configs and, with `--ipv6`, the IPv6 subnet and gateway.
    static func planIPv6(_ request: NetworkCreateRequest) throws(EngineError)
        -> ([NetworkResource.IPAMConfig], IPv6NetworkOptions?)
    {
        let configs = request.IPAM?.Config ?? []
        var v4: [NetworkResource.IPAMConfig] = []
        var v6: [NetworkResource.IPAMConfig] = []
        for config in configs {
            if let subnet = config.Subnet, let parsed = IPNetwork(subnet), case .v6 = parsed.address {
                v6.append(config)
            } else {
                v4.append(config)
            }
        }
        let enabled = request.EnableIPv6 == true
        if !enabled, !v6.isEmpty {
            throw EngineError(.invalidArgument, "an IPv6 subnet (\(v6[0].Subnet ?? "")) needs an IPv6 network:"
                + " add --ipv6")
        }
        guard enabled else { return (v4, nil) }
        guard v6.count == 1, let text = v6[0].Subnet, let subnet = IPNetwork(text) else {
            throw EngineError(.invalidArgument, v6.isEmpty
                ? "--ipv6 needs an IPv6 subnet (--subnet fd00:1::/64): Splice has no default IPv6 pool"
                : "Splice networks take one IPv6 subnet; \(v6.count) were given")
        }
        guard subnet.prefixLength <= 126 else {
            throw EngineError(.invalidArgument, "invalid subnet \(text): an IPv6 subnet needs at least a /126")
        }
        guard alignedV6(subnet) == subnet else {
            throw EngineError(.invalidArgument, "invalid subnet \(text): host bits are set")
        }
        var gateway = NetworkCreatePlan.hostAddress(subnet, number: 1)
        if let given = v6[0].Gateway, !given.isEmpty {
            guard let parsed = IPv6Address(given), subnet.contains(.v6(parsed)) else {
                throw EngineError(.invalidArgument, "Invalid gateway \(given): it does not belong to subnet \(subnet)")
            }
            gateway = parsed
        }
        let aux = v6[0].AuxiliaryAddresses.flatMap { $0.isEmpty ? nil : $0 }
        for (name, text) in (aux ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let address = IPv6Address(text) else {
                throw EngineError(.invalidArgument, "invalid auxiliary address \(name)=\(text)")
            }
            guard subnet.contains(.v6(address)) else {
                throw EngineError(.invalidArgument, "no matching subnet for aux-address \(text)")
            }
        }
        return (v4, IPv6NetworkOptions(subnet: subnet, gateway: gateway, auxiliaryAddresses: aux))
    }

    /// Host `number` of IPv6 `subnet` (low 64 bits).
    static func hostAddress(_ subnet: IPNetwork, number: UInt64) -> IPv6Address {
        var bytes = subnet.address.bytes
        var low: UInt64 = 0
        for index in 8..<16 { low = low << 8 | UInt64(bytes[index]) }
        low &+= number
        for index in (8..<16).reversed() {
            bytes[index] = UInt8(low & 0xFF)
            low >>= 8
        }
        return IPv6Address(bytes: bytes)
    }
}

extension NetworkCreatePlan {
    /// An IPv6 network with its host bits cleared.
    static func alignedV6(_ network: IPNetwork) -> IPNetwork? {
        var bytes = network.address.bytes
        var remaining = Int(network.prefixLength)
        for index in bytes.indices {
            let bits = max(0, min(8, remaining))
            bytes[index] &= bits == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            remaining -= 8
        }
        guard let address = IPAddress(bytes: bytes) else { return nil }
        return IPNetwork(address: address, prefixLength: Int(network.prefixLength))
    }
}
