import NetlinkKit
import SystemKit

/// The kernel side of routed (host-gw) networks: on each host a bridge for the host's own subnet of the network,
/// and a route per other host's subnet through that host's underlay address (`ip route replace SUBNET via PEER
/// proto 83`). The routes carry Splice's own protocol number, so they are told from everyone else's and removed
/// with the network. No encapsulation: the peers must share an L2 underlay (their addresses on-link).
public struct RoutedDriver: Sendable {
    /// A socket in the host namespace.
    public let host: NetlinkSocket
    /// `rtm_protocol` of Splice's routes (`ip route show proto 83`); unassigned in iproute2's rt_protos.
    public static let routeProtocol: UInt8 = 83
    /// The main routing table.
    static let mainTable: UInt32 = 254

    public init(host: NetlinkSocket) { self.host = host }

    /// The local bridge of a routed network: `rt-<12 hex digits of the network id>`.
    public static func bridgeName(networkID: String) -> String { "rt-" + String(networkID.prefix(12)) }

    /// Splice's routes inside `network` now: destination to gateway.
    public func routes(in network: IPNetwork) throws(NetworkError) -> [IPNetwork: IPv4Address] {
        do {
            var found: [IPNetwork: IPv4Address] = [:]
            for route in try host.routes(family: .inet)
            where route.protocolID == Self.routeProtocol && route.table == Self.mainTable {
                guard let destination = route.destination, network.contains(destination.address),
                      destination.prefixLength >= network.prefixLength,
                      case .v4(let gateway) = route.gateway
                else { continue }
                found[destination] = gateway
            }
            return found
        } catch {
            throw NetworkError(wrapping: error)
        }
    }

    /// Brings Splice's routes inside `network` to `wanted` (destination to gateway): replaces those missing or
    /// different, deletes the others. Returns how many changed.
    @discardableResult
    public func reconcile(network: IPNetwork, to wanted: [IPNetwork: IPv4Address]) throws(NetworkError) -> Int {
        let current = try routes(in: network)
        var changes = 0
        do {
            for (destination, gateway) in current where wanted[destination] != gateway {
                try host.deleteRoute(RouteSpec(destination: destination, gateway: .v4(gateway),
                                               table: Self.mainTable))
                changes += 1
            }
            for (destination, gateway) in wanted.sorted(by: { $0.key.description < $1.key.description })
            where current[destination] != gateway {
                var spec = RouteSpec(destination: destination, gateway: .v4(gateway))
                spec.protocolID = Self.routeProtocol
                try host.replaceRoute(spec)
                changes += 1
            }
        } catch {
            throw NetworkError(wrapping: error)
        }
        return changes
    }

    /// Whether `address` is on a directly connected subnet of this host (a link-scope route without a gateway
    /// covers it), so a route through it works without a router in between.
    public func isOnLink(_ address: IPv4Address) throws(NetworkError) -> Bool {
        do {
            return try host.routes(family: .inet).contains { route in
                route.table == Self.mainTable && route.gateway == nil && route.protocolID != Self.routeProtocol
                    && route.scope == RouteScope.link.rawValue
                    && (route.destination?.contains(.v4(address)) ?? true)
            }
        } catch {
            throw NetworkError(wrapping: error)
        }
    }
}
