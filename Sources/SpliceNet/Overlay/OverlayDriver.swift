import NetlinkKit
import SystemKit

/// The kernel side of overlay networks: per network and host a VXLAN device (VNI per network, no learning, ARP
/// answered from its neighbour table) on the network's bridge; one all-zeros FDB entry per peer host for
/// flooding, a static FDB entry and a permanent neighbour entry per remote endpoint. Forwarding lives in the
/// kernel, so it goes on while the daemon or the store is down.
public struct OverlayDriver: Sendable {
    /// A socket in the host namespace.
    public let host: NetlinkSocket
    /// The mark in the VXLAN device's alias.
    public static let aliasPrefix = "splice:overlay"
    static let zeroMAC = MACAddress.zero

    public init(host: NetlinkSocket) { self.host = host }

    /// Creates the tunnel device on its bridge, or keeps the one there. Equivalent to
    /// `ip link add vx-… type vxlan id VNI local IP dev UNDERLAY nolearning proxy dstport 4789` + master + up.
    public func ensureTunnel(_ tunnel: OverlayTunnel) throws(NetworkError) {
        do {
            guard let bridge = try host.link(named: tunnel.bridge) else {
                throw NetworkError(.notFound, "overlay bridge \(tunnel.bridge) does not exist")
            }
            if let existing = try host.link(named: tunnel.device) {
                if existing.master != bridge.index || !existing.isUp {
                    try host.setLink(existing.index, LinkChange(up: true, master: .some(bridge.index)),
                                     name: tunnel.device)
                }
                return
            }
            let options = VXLANOptions(id: tunnel.vni, local: .v4(tunnel.local), port: tunnel.port, learning: false,
                                       proxy: true)
            try host.addLink(LinkSpec(name: tunnel.device, kind: .vxlan(options), mtu: tunnel.mtu,
                                      master: bridge.index, parent: tunnel.underlay, up: true,
                                      alias: "\(Self.aliasPrefix) vni=\(tunnel.vni)"))
        } catch let error as NetworkError {
            throw error
        } catch {
            throw NetworkError(wrapping: error)
        }
    }

    /// Removes the tunnel device (with its FDB and neighbour entries); a missing one is success.
    public func removeTunnel(device: String) throws(NetworkError) {
        do {
            guard try host.link(named: device) != nil else { return }
            try host.deleteLink(named: device)
        } catch {
            throw NetworkError(wrapping: error)
        }
    }

    /// Brings the tunnel's FDB and neighbour entries to `forwarding`: missing ones added, moved endpoints
    /// replaced (never appended), stale ones deleted. Returns how many entries changed.
    @discardableResult
    public func reconcile(_ tunnel: OverlayTunnel, to forwarding: OverlayForwarding) throws(NetworkError) -> Int {
        do {
            guard let device = try host.link(named: tunnel.device) else {
                throw NetworkError(.notFound, "overlay device \(tunnel.device) does not exist")
            }
            let index = device.index
            var changes = 0
            let fdb = try host.neighbours(family: .bridge).filter {
                $0.interface == index && $0.master == nil && $0.address != nil
            }
            // Flooding: one all-zeros entry per peer.
            let flooding = Set(fdb.filter { $0.hardwareAddress == Self.zeroMAC }.compactMap(Self.ipv4))
            for peer in forwarding.peers.subtracting(flooding) {
                try host.appendNeighbour(.fdb(Self.zeroMAC, interface: index, destination: .v4(peer), onSelf: true))
                changes += 1
            }
            for stale in flooding.subtracting(forwarding.peers) {
                try ignoringMissing {
                    try host.deleteNeighbour(.fdb(Self.zeroMAC, interface: index, destination: .v4(stale),
                                                  onSelf: true))
                }
                changes += 1
            }
            // Unicast: MAC -> host, replaced when a container moved.
            let wanted = Dictionary(forwarding.remotes.map { ($0.mac, $0.host) },
                                    uniquingKeysWith: { first, _ in first })
            var present: [MACAddress: IPv4Address] = [:]
            for entry in fdb {
                if let mac = entry.hardwareAddress, mac != Self.zeroMAC, let address = Self.ipv4(entry) {
                    present[mac] = address
                }
            }
            for (mac, remote) in wanted where present[mac] != remote {
                try host.replaceNeighbour(.fdb(mac, interface: index, destination: .v4(remote), onSelf: true))
                changes += 1
            }
            for (mac, remote) in present where wanted[mac] == nil {
                try ignoringMissing {
                    try host.deleteNeighbour(.fdb(mac, interface: index, destination: .v4(remote), onSelf: true))
                }
                changes += 1
            }
            // ARP answers: IP -> MAC on the VXLAN device.
            let wantedNeighbours = Dictionary(forwarding.remotes.map { ($0.address, $0.mac) },
                                              uniquingKeysWith: { first, _ in first })
            var presentNeighbours: [IPv4Address: MACAddress] = [:]
            for entry in try host.neighbours(family: .inet) where entry.interface == index {
                if let address = Self.ipv4(entry), let mac = entry.hardwareAddress,
                   entry.state.contains(.permanent)
                {
                    presentNeighbours[address] = mac
                }
            }
            for (address, mac) in wantedNeighbours where presentNeighbours[address] != mac {
                try host.replaceNeighbour(NeighbourSpec(family: .inet, interface: index, address: .v4(address),
                                                        hardwareAddress: mac, state: .permanent))
                changes += 1
            }
            for (address, mac) in presentNeighbours where wantedNeighbours[address] == nil {
                try ignoringMissing {
                    try host.deleteNeighbour(NeighbourSpec(family: .inet, interface: index, address: .v4(address),
                                                           hardwareAddress: mac, state: .permanent))
                }
                changes += 1
            }
            return changes
        } catch let error as NetworkError {
            throw error
        } catch {
            throw NetworkError(wrapping: error)
        }
    }

    /// The overlay devices on this host (marked by their alias), by name.
    public func tunnelDevices() throws(NetworkError) -> [String] {
        do {
            return try host.links().filter { $0.alias?.hasPrefix(Self.aliasPrefix) == true }.map(\.name)
        } catch {
            throw NetworkError(wrapping: error)
        }
    }

    private static func ipv4(_ entry: Neighbour) -> IPv4Address? {
        if case .v4(let address)? = entry.address { address } else { nil }
    }

    private func ignoringMissing(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as NetlinkError {
            if case .kernel(let errno, _, _) = error, errno == .noSuchFileOrDirectory || errno == .noSuchDevice {
                return
            }
            throw error
        }
    }
}
