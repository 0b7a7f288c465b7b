import NetlinkKit

/// Turns `PortSpec`s into concrete host-to-container mappings: expands ranges one to one, checks fixed host ports
/// and chooses dynamic ones.
///
/// Dynamic ports are taken in order from `range`, continuing after the last one this allocator chose (wrapping
/// around, per protocol), skipping ports already published (`inUse`) and ports `isBound` reports as taken by
/// another process. A host range with a single container port (`8000-8010:80`) takes the lowest free port of
/// that range.
public struct PortAllocator: Sendable {
    /// The host ports dynamic mappings come from (Docker's default is 49153-65535).
    public let range: ClosedRange<UInt16>
    /// Every host port published so far, including the ones this allocator resolved.
    public private(set) var inUse: Set<PortKey>
    private let isBound: @Sendable (PortProtocol, UInt16) -> Bool
    private var next: [PortProtocol: UInt16] = [:]

    /// Creates an allocator over `range`, knowing the ports already published and how to ask whether a port is
    /// bound on the host.
    public init(
        range: ClosedRange<UInt16> = 49153...65535, inUse: Set<PortKey> = [],
        isBound: @escaping @Sendable (PortProtocol, UInt16) -> Bool = PortAllocator.isBoundOnHost
    ) {
        self.range = range
        self.inUse = inUse
        self.isBound = isBound
    }

    /// Resolves `specs` in order, all or nothing: on error neither `inUse` nor the dynamic-port position change.
    public mutating func resolve(_ specs: [PortSpec]) throws(PortSpecError) -> [ResolvedPort] {
        var working = self
        var resolved: [ResolvedPort] = []
        for spec in specs {
            let ip = spec.hostIP
            let proto = spec.proto
            if let hosts = spec.hostPorts, hosts.count == spec.containerPorts.count {
                for (host, container) in zip(hosts, spec.containerPorts) {
                    try working.claim(PortKey(hostIP: ip, hostPort: host, proto: proto))
                    resolved.append(ResolvedPort(hostIP: ip, hostPort: host, containerPort: container, proto: proto))
                }
            } else if let hosts = spec.hostPorts {
                guard let host = hosts.first(where: { working.isFree(PortKey(hostIP: ip, hostPort: $0, proto: proto)) })
                else { throw .noFreeHostPort(ports: hosts, proto: proto, hostIP: ip) }
                working.inUse.insert(PortKey(hostIP: ip, hostPort: host, proto: proto))
                let container = spec.containerPorts.lowerBound
                resolved.append(ResolvedPort(hostIP: ip, hostPort: host, containerPort: container, proto: proto))
            } else {
                for container in spec.containerPorts {
                    let host = try working.dynamicPort(hostIP: ip, proto: proto)
                    resolved.append(ResolvedPort(hostIP: ip, hostPort: host, containerPort: container, proto: proto))
                }
            }
        }
        self = working
        return resolved
    }

    /// Forgets published mappings (on container stop), so their host ports can be chosen again.
    public mutating func release(_ ports: [ResolvedPort]) {
        for port in ports { inUse.remove(port.key) }
    }

    // MARK: - Choosing

    /// Records a fixed host port, failing when it is published or bound by someone else.
    private mutating func claim(_ key: PortKey) throws(PortSpecError) {
        if let existing = inUse.first(where: { $0.conflicts(with: key) }) {
            throw .alreadyPublished(key, existing: existing)
        }
        if !publishesPort(key), isBound(key.proto, key.hostPort) { throw .hostPortInUse(key) }
        inUse.insert(key)
    }

    /// Whether `key` is neither published (conflicting) nor bound on the host.
    private func isFree(_ key: PortKey) -> Bool {
        key.hostPort != 0 && !inUse.contains { $0.conflicts(with: key) }
            && (publishesPort(key) || !isBound(key.proto, key.hostPort))
    }

    /// Whether Splice publishes `key`'s port and protocol on some other address, in which case a bind on the
    /// host port is Splice's own and says nothing about other processes.
    private func publishesPort(_ key: PortKey) -> Bool {
        inUse.contains { $0.hostPort == key.hostPort && $0.proto == key.proto }
    }

    /// The next free dynamic port after the previous one, wrapping around the range once.
    private mutating func dynamicPort(hostIP: IPAddress?, proto: PortProtocol) throws(PortSpecError) -> UInt16 {
        let start = next[proto].flatMap { range.contains($0) ? $0 : nil } ?? range.lowerBound
        var candidate = start
        for _ in 0..<range.count {
            let key = PortKey(hostIP: hostIP, hostPort: candidate, proto: proto)
            let following = candidate == range.upperBound ? range.lowerBound : candidate + 1
            if !publishesPort(key), isFree(key) {
                inUse.insert(key)
                next[proto] = following
                return candidate
            }
            candidate = following
        }
        throw .noFreeHostPort(ports: range, proto: proto, hostIP: hostIP)
    }
}
