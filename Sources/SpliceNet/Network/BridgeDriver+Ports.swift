import NetlinkKit
import SystemKit

extension BridgeDriver {
    /// Turns `-p`/`-P` specs into concrete host ports: fixed ones checked against what is already published
    /// and bound, dynamic ones taken from `portRange`. IPv4 only, as the firewall's maps are.
    func resolvePorts(_ specs: [PortSpec], network: NetworkRecord, existing: [EndpointRecord]) throws(NetworkError)
        -> [ResolvedPort]
    {
        guard !specs.isEmpty else { return [] }
        if !network.options.firewall {
            throw NetworkError(.invalidArgument, "network \(network.options.name) was created with --iptables=false;"
                + " ports cannot be published on it")
        }
        for spec in specs {
            if case .v6 = spec.hostIP {
                throw NetworkError(.invalidArgument, "-p \(spec): publishing on an IPv6 host address is not supported yet")
            }
        }
        var allocator = PortAllocator(range: portRange, inUse: Set(existing.flatMap { $0.ports.map(\.key) }))
        do {
            return try allocator.resolve(specs)
        } catch {
            throw NetworkError(.conflict, "\(error)")
        }
    }
}

extension ResolvedPort: Codable {
    private enum CodingKeys: String, CodingKey { case hostIP, hostPort, containerPort, proto }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decodeIfPresent(String.self, forKey: .hostIP)
        let proto = try container.decode(String.self, forKey: .proto)
        self.init(hostIP: text.flatMap(IPAddress.init), hostPort: try container.decode(UInt16.self, forKey: .hostPort),
                  containerPort: try container.decode(UInt16.self, forKey: .containerPort),
                  proto: PortProtocol(rawValue: proto) ?? .tcp)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(hostIP?.description, forKey: .hostIP)
        try container.encode(hostPort, forKey: .hostPort)
        try container.encode(containerPort, forKey: .containerPort)
        try container.encode(proto.rawValue, forKey: .proto)
    }
}

extension BridgeDriver {
    /// Publishes more ports for a sandbox already connected to `networkName`, as one firewall transaction.
    @discardableResult
    public func publish(_ specs: [PortSpec], for sandbox: Sandbox, on networkName: String) throws(NetworkError)
        -> [ResolvedPort]
    {
        try store.locked { () throws(NetworkError) -> [ResolvedPort] in
            guard let network = try store.network(named: networkName) else {
                throw NetworkError(.notFound, "network \(networkName) not found")
            }
            guard var record = try store.endpoint(sandbox: sandbox.id, network: networkName) else {
                throw NetworkError(.notFound, "sandbox \(sandbox.id) is not connected to \(networkName)")
            }
            let ports = try resolvePorts(specs, network: network, existing: try store.endpoints())
            var added = record
            added.ports = ports
            let mappings = Self.mappings(for: added, bridge: network.options.bridge)
            let firewall = try firewall()
            do { try firewall.publish(mappings) } catch { throw NetworkError(.internal, "\(error)") }
            record.ports += ports
            do {
                try store.save(record)
            } catch {
                try? firewall.unpublish(mappings)
                throw NetworkError(wrapping: error)
            }
            return ports
        }
    }
}

extension BridgeDriver {
    /// Unpublishes the ports of every endpoint of sandbox `id` and saves its records without them, so the host
    /// ports are free at once; the rest of the teardown (`disconnect`: veth, address, record) may come later.
    /// Deleting a veth waits for an RCU barrier (some 20 ms), which a released container's ports should not hold
    /// the next container's `-p` behind. Throws, publishing nothing back, when a firewall change fails: the caller
    /// then disconnects as usual.
    public func unpublishPorts(sandbox id: String) throws(NetworkError) {
        try store.locked { () throws(NetworkError) in
            for key in store.endpointKeys() where key.sandbox == id {
                guard var record = try store.endpoint(sandbox: id, network: key.network), !record.ports.isEmpty
                else { continue }
                let network = try store.network(named: key.network)
                do { try unpublishPorts(of: record, on: network) } catch { throw NetworkError(.internal, "\(error)") }
                record.ports = []
                try store.save(record)
            }
        }
    }

    /// Removes `record`'s published ports from the firewall of `network` (nothing when it has none, or the network
    /// keeps no firewall); the `endpoint.unpublish` failpoint follows the attempt. The caller holds the store's lock.
    func unpublishPorts(of record: EndpointRecord, on network: NetworkRecord?) throws {
        guard !record.ports.isEmpty, network?.options.firewall ?? true else { return }
        defer { Failpoint.hit("endpoint.unpublish") }
        try firewall().unpublish(Self.mappings(for: record, bridge: network?.options.bridge ?? ""))
    }
}
