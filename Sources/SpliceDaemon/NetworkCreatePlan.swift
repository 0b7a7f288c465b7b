import NetlinkKit
import SpliceAPI
import SpliceNet
import SystemKit
import struct EngineErrors.EngineError

/// Turns a `POST /networks/create` body into the bridge driver's options, refusing what dockerd refuses (an
/// unknown driver, a bad subnet, range or gateway) before anything is made.
enum NetworkCreatePlan {
    /// Drivers Docker has that Splice does not offer yet.
    static let knownDrivers: Set<String> = ["macvlan", "ipvlan", "overlay"]

    /// The driver options and metadata for `request`.
    static func plan(_ request: NetworkCreateRequest, id: String, created: String) throws(EngineError)
        -> (BridgeNetworkOptions, NetworkMetadata)
    {
        let name = request.Name
        guard !name.isEmpty else { throw EngineError(.invalidArgument, "network name must not be empty") }
        let driver = request.Driver.flatMap { $0.isEmpty ? nil : $0 } ?? "bridge"
        switch driver {
        case "bridge", "macvlan": break
        case "host", "null":
            throw EngineError(.forbidden, "only one instance of \"\(driver)\" network is allowed")
        case let other where knownDrivers.contains(other):
            throw EngineError(.invalidArgument, "the \(other) driver is not supported by Splice yet")
        default:
            throw EngineError(.notFound, "plugin \"\(driver)\" not found")
        }
        if let ipamDriver = request.IPAM?.Driver, !ipamDriver.isEmpty, ipamDriver != "default" {
            throw EngineError(.notFound, "plugin \"\(ipamDriver)\" not found")
        }
        let (configs, ipv6) = try planIPv6(request)
        guard configs.count <= 1 else {
            throw EngineError(.invalidArgument, "Splice networks take one IPv4 subnet; \(configs.count) were given")
        }
        let given = configs.first
        let subnet = try given?.Subnet.flatMap { $0.isEmpty ? nil : $0 }.map { text throws(EngineError) in
            guard let parsed = IPNetwork(text), parsed.ipv4Address != nil else {
                throw EngineError(.invalidArgument, "invalid subnet \(text): not an IPv4 network")
            }
            guard parsed.isAligned else {
                throw EngineError(.invalidArgument, "invalid subnet \(text): host bits are set")
            }
            return parsed
        }
        let range = try given?.IPRange.flatMap { $0.isEmpty ? nil : $0 }.map { text throws(EngineError) in
            guard let parsed = IPNetwork(text), parsed.ipv4Address != nil else {
                throw EngineError(.invalidArgument, "invalid ip-range \(text)")
            }
            return parsed
        }
        var bridgeAddress: IPNetwork?
        if let text = given?.Gateway, !text.isEmpty {
            guard let subnet else {
                throw EngineError(.invalidArgument, "a gateway needs a subnet (--subnet)")
            }
            guard let gateway = IPv4Address(text), subnet.contains(.v4(gateway)),
                  let address = IPNetwork(address: .v4(gateway), prefixLength: Int(subnet.prefixLength))
            else {
                throw EngineError(.invalidArgument, "Invalid gateway \(text): it does not belong to subnet \(subnet)")
            }
            bridgeAddress = address
        }
        if range != nil, subnet == nil {
            throw EngineError(.invalidArgument, "an ip-range needs a subnet (--subnet)")
        }
        if let range, let subnet, !(subnet.contains(range.address) && range.prefixLength >= subnet.prefixLength) {
            throw EngineError(.invalidArgument, "Invalid ip-range \(range): it does not belong to subnet \(subnet)")
        }
        let options = request.Options ?? [:]
        var bridge = BridgeNetworkOptions(name: name, bridge: options["com.docker.network.bridge.name"]
            ?? "br-" + String(id.prefix(12)), bridgeAddress: bridgeAddress, subnet: subnet, ipRange: range)
        if let text = options["com.docker.network.driver.mtu"] {
            guard let mtu = UInt32(text) else { throw EngineError(.invalidArgument, "invalid mtu \(text)") }
            bridge.mtu = mtu
        }
        bridge.interContainer = try flag(options, "com.docker.network.bridge.enable_icc") ?? true
        bridge.ipMasquerade = try flag(options, "com.docker.network.bridge.enable_ip_masquerade") ?? true
        if request.Internal == true { bridge.ipMasquerade = false }
        if let problem = InterfaceName.problem(with: bridge.bridge) {
            throw EngineError(.invalidArgument, "bridge name \"\(bridge.bridge)\": \(problem)")
        }
        try checkAuxiliaryAddresses(given?.AuxiliaryAddresses, subnet: subnet)
        var metadata = NetworkMetadata(id: id, created: created, internal: request.Internal ?? false,
                                       attachable: request.Attachable ?? false, labels: request.Labels ?? [:],
                                       options: options, ipamOptions: request.IPAM?.Options,
                                       auxiliaryAddresses: given?.AuxiliaryAddresses)
        metadata.ipv6 = ipv6
        if driver == "macvlan" { try planMacvlan(options, bridge: &bridge, metadata: &metadata) }
        return (bridge, metadata)
    }

    private static func flag(_ options: [String: String], _ key: String) throws(EngineError) -> Bool? {
        guard let text = options[key] else { return nil }
        switch text.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw EngineError(.invalidArgument, "invalid value \(text) for \(key)")
        }
    }
}
