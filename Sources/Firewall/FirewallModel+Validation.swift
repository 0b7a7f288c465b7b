import SystemKit

extension FirewallModel {
    /// Checks the model before anything reaches the kernel: valid and distinct bridge names, disjoint subnets (a
    /// detached network's may overlap), mappings on known bridges with container addresses inside their subnets, no two mappings on one host port.
    public func validate() throws(FirewallError) {
        var names: Set<String> = []
        var bridges: [String: NetworkRules] = [:]
        var ports: [String: String] = [:]
        for (index, network) in networks.enumerated() {
            guard !network.name.isEmpty else { throw .invalidModel("network \(index + 1) has an empty name") }
            guard names.insert(network.name).inserted else {
                throw .invalidModel("network name \"\(network.name)\" is used twice")
            }
            try Self.checkInterfaceName(network.bridge, role: "bridge of network \"\(network.name)\"")
            try Self.checkSubnet(network)
            if let other = bridges[network.bridge] {
                throw .invalidModel("networks \"\(other.name)\" and \"\(network.name)\" share bridge \(network.bridge)")
            }
            for other in bridges.values
            where !other.detached && !network.detached && other.subnet.overlaps(network.subnet) {
                throw .invalidModel(
                    "subnet \(network.subnet) of network \"\(network.name)\" overlaps \(other.subnet) "
                        + "of \"\(other.name)\"")
            }
            bridges[network.bridge] = network
            for port in network.ports {
                try Self.checkInterfaceName(port, role: "port of network \"\(network.name)\"")
                if port == network.bridge || bridges[port] != nil {
                    throw .invalidModel("port \(port) of network \"\(network.name)\" is a bridge")
                }
                if let owner = ports.updateValue(network.name, forKey: port) {
                    throw .invalidModel("port \(port) belongs to both \"\(owner)\" and \"\(network.name)\"")
                }
            }
        }
        if let range = portRange, range.lowerBound == 0 {
            throw .invalidModel("port range \(range.lowerBound)-\(range.upperBound) includes port 0")
        }
        var taken: [PortMapping.HostKey: PortMapping] = [:]
        var specific: [PortMapping.HostKey: PortMapping] = [:]  // keyed without the address
        for mapping in portMappings {
            try mapping.validate()
            guard let network = bridges[mapping.bridge] else {
                throw .invalidModel("mapping \(mapping) names bridge \(mapping.bridge), which no network uses")
            }
            guard network.subnet.contains(.v4(mapping.containerAddress)) else {
                throw .invalidModel(
                    "mapping \(mapping): \(mapping.containerAddress) is outside \(network.subnet) "
                        + "of network \"\(network.name)\"")
            }
            if let range = portRange, !range.contains(mapping.hostPort) {
                throw .invalidModel(
                    "mapping \(mapping): host port \(mapping.hostPort) is outside the port range "
                        + "\(range.lowerBound)-\(range.upperBound)")
            }
            let key = mapping.hostKey
            let everyAddress = PortMapping.HostKey(proto: key.proto, hostAddress: nil, hostPort: key.hostPort)
            // The same key twice, or one address beside every address on the same port and protocol.
            let clash = taken[key] ?? (key.hostAddress == nil ? specific[everyAddress] : taken[everyAddress])
            if let other = clash {
                throw .invalidModel(
                    "host port \(other.hostKey) is already published by \(other); cannot also publish \(mapping)")
            }
            taken[key] = mapping
            if key.hostAddress != nil { specific[everyAddress] = mapping }
        }
    }

    /// Checks that a network's subnet is an IPv4 network address (`10.0.0.0/24`, not `10.0.0.5/24`).
    static func checkSubnet(_ network: NetworkRules) throws(FirewallError) {
        let subnet = network.subnet
        guard subnet.ipv4Address != nil else {
            throw .invalidModel("subnet \(subnet) of network \"\(network.name)\" is not an IPv4 subnet")
        }
        guard subnet.isAligned else {
            throw .invalidModel("\(subnet) has host bits set; the network is \(subnet.aligned)")
        }
    }

    /// Checks that `name` is a Linux interface name (`InterfaceName`'s kernel rules) that is also safe to quote in an
    /// nftables script: no quote, backslash or wildcard can reach the script.
    static func checkInterfaceName(_ name: String, role: String) throws(FirewallError) {
        let quotable: (UInt8) -> Bool = { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
        guard InterfaceName.problem(with: name) == nil, name.utf8.allSatisfy(quotable) else {
            throw .invalidModel(
                "\(role) \"\(name)\" is not a valid interface name (1-15 characters from a-z A-Z 0-9 - _ .)")
        }
    }
}

extension PortMapping {
    /// Checks one mapping on its own: non-zero ports, a specific host address other than 0.0.0.0, a valid bridge name.
    public func validate() throws(FirewallError) {
        guard hostPort != 0 else { throw .invalidModel("mapping \(self): host port 0 is not a port") }
        guard containerPort != 0 else { throw .invalidModel("mapping \(self): container port 0 is not a port") }
        if hostAddress?.value == 0 {
            throw .invalidModel("mapping \(self): publish on every address with hostAddress nil, not 0.0.0.0")
        }
        try FirewallModel.checkInterfaceName(bridge, role: "bridge of mapping \(self)")
    }
}
