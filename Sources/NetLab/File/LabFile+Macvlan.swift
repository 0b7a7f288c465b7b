import SystemKit

extension LabFile {
    /// Gives every macvlan network its parent, its gateway (the switch when the subnet holds the switch's address,
    /// the underlay's own LAN) and an address range of its own on each host with a node on it: each host's spliced
    /// hands out addresses alone, so the ranges are disjoint slices of the subnet, clear of the uplinks, the
    /// switch, the store and the nodes' fixed addresses.
    mutating func resolveMacvlan() throws(LabError) {
        var parents: [String: String] = [:]
        for index in networks.indices where networks[index].driver == "macvlan" {
            let network = networks[index]
            let name = "network '\(network.name)'"
            let parent = network.parent ?? "eth0"
            if let problem = InterfaceName.problem(with: parent) {
                throw .invalid(line: network.line, message: "\(name): parent '\(parent)': \(problem)")
            }
            let onHosts = hosts.filter { host in
                nodes.contains { $0.host == host.name && $0.networks.contains { $0.network == network.name } }
            }
            for host in onHosts {
                // Networks are made before links, so a parent is the uplink or one of the host's bridges.
                guard (["eth0"] + host.bridges).contains(parent) else {
                    throw .invalid(
                        line: network.line,
                        message: "\(name): host '\(host.name)' has no interface '\(parent)' to be the parent "
                            + "(eth0 or one of its bridges)")
                }
                if let other = parents.updateValue(network.name, forKey: host.name + " " + parent) {
                    throw .invalid(
                        line: network.line,
                        message: "\(name): '\(parent)' on host '\(host.name)' is already the parent of macvlan "
                            + "network '\(other)'; a parent takes one macvlan network")
                }
            }
            guard let subnet = network.subnet, let first = subnet.ipv4First, let last = subnet.ipv4Last else {
                continue
            }
            var reserved: Set<UInt32> = [first, last]
            if let address = switchAddress?.ipv4Address, subnet.contains(.v4(address)) {
                networks[index].gateway = address
                reserved.insert(address.value)
            } else {
                reserved.insert(first + 1)
            }
            for host in hosts {
                if let address = host.uplinkAddress?.ipv4Address { reserved.insert(address.value) }
            }
            for address in store?.addresses ?? [] {
                if let v4 = address.ipv4Address { reserved.insert(v4.value) }
            }
            for node in nodes {
                for attachment in node.networks where attachment.network == network.name {
                    if case .v4(let address) = attachment.address { reserved.insert(address.value) }
                }
            }
            guard let slices = Self.slices(of: subnet, count: onHosts.count, avoiding: reserved) else {
                throw .invalid(
                    line: network.line,
                    message: "\(name): subnet \(subnet) has no room for a separate address range on each of its "
                        + "\(onHosts.count) hosts clear of the uplinks, the switch, the store and fixed addresses; "
                        + "give a larger subnet")
            }
            networks[index].ranges = Dictionary(uniqueKeysWithValues: zip(onHosts.map(\.name), slices))
        }
    }

    /// `count` disjoint aligned blocks of `subnet`, as large as can be, none holding an address of `reserved`;
    /// nil when there are not that many.
    static func slices(of subnet: IPNetwork, count: Int, avoiding reserved: Set<UInt32>) -> [IPNetwork]? {
        guard count > 0 else { return [] }
        guard let first = subnet.ipv4First, let last = subnet.ipv4Last, subnet.prefixLength < 30 else { return nil }
        let taken = reserved.sorted()
        for prefix in (Int(subnet.prefixLength) + 1)...30 {
            let size = UInt64(1) << UInt64(32 - prefix)
            var free: [IPNetwork] = []
            var base = UInt64(first)
            while base + size - 1 <= UInt64(last), free.count < count {
                let low = UInt32(base)
                let high = UInt32(base + size - 1)
                if !taken.contains(where: { $0 >= low && $0 <= high }),
                    let block = IPNetwork(address: .v4(IPv4Address(value: low)), prefixLength: prefix)
                {
                    free.append(block)
                }
                base += size
            }
            if free.count == count { return free }
        }
        return nil
    }
}
