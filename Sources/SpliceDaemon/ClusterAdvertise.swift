import NetlinkKit
import SystemKit

/// `--cluster-advertise` resolved on this host: the tunnel endpoint address and the MTU of its interface.
struct ClusterAdvertise: Sendable, Equatable {
    var address: IPv4Address
    var interfaceName: String
    var mtu: UInt32

    /// Resolves `IP`, `IFACE`, `IP:PORT` or `IFACE:PORT` (the port is Docker's and ignored) against the
    /// addresses of this host's namespace; an address no local interface holds is an error.
    static func resolve(_ text: String, socket: NetlinkSocket) throws(DaemonError) -> ClusterAdvertise {
        var value = text
        if let colon = value.lastIndex(of: ":"), !value[value.index(after: colon)...].isEmpty,
           value[value.index(after: colon)...].allSatisfy(\.isNumber)
        {
            value = String(value[..<colon])
        }
        let links: [Link]
        let addresses: [Address]
        do {
            links = try socket.links()
            addresses = try socket.addresses(family: .inet)
        } catch {
            throw DaemonError("--cluster-advertise \(text): cannot read this host's interfaces: \(error)")
        }
        if let address = IPv4Address(value) {
            guard let owner = addresses.first(where: { $0.network.address == .v4(address) }),
                  let link = links.first(where: { $0.index == owner.interface })
            else {
                throw DaemonError("--cluster-advertise \(text): \(address) is not an address of this host (no local"
                    + " interface has it)")
            }
            return ClusterAdvertise(address: address, interfaceName: link.name, mtu: link.mtu ?? 1500)
        }
        guard let link = links.first(where: { $0.name == value }) else {
            throw DaemonError("--cluster-advertise \(text): no interface \(value) on this host")
        }
        guard let owner = addresses.first(where: { $0.interface == link.index }),
              case .v4(let address) = owner.network.address
        else {
            throw DaemonError("--cluster-advertise \(text): interface \(value) has no IPv4 address")
        }
        return ClusterAdvertise(address: address, interfaceName: link.name, mtu: link.mtu ?? 1500)
    }
}
