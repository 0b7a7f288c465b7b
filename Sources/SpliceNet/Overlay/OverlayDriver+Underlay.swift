import Glibc
import NetlinkKit
import SystemKit

extension OverlayDriver {
    /// Whether VXLAN packets from `local` reach `peer` over the underlay, by the kernel's route lookup for that flow
    /// (`ip route get PEER from LOCAL`): no route, an `unreachable`, `prohibit` or `blackhole` route, or a peer
    /// address that is this host's own is `.unreachable`. It says nothing of what happens past the first hop.
    public func underlayReachability(of peer: IPv4Address, from local: IPv4Address)
        throws(NetworkError) -> UnderlayReachability
    {
        do throws(NetlinkError) {
            let route = try host.lookupRoute(to: .v4(peer), from: .v4(local))
            if route.isUnicast { return .reachable(gateway: route.gateway) }
            if route.isLocal { return .unreachable(reason: "\(peer) is an address of this host") }
            return .unreachable(reason: "the route to \(peer) is of type \(route.type), not unicast")
        } catch {
            let route = "from \(local) to \(peer)"
            guard let errno = error.errno else { throw NetworkError(wrapping: error) }
            switch errno.rawValue {
            case ENETUNREACH: return .unreachable(reason: "no route \(route)")
            case EHOSTUNREACH: return .unreachable(reason: "an unreachable route \(route)")
            case EACCES: return .unreachable(reason: "a prohibit route \(route)")
            case EINVAL: return .unreachable(reason: "a blackhole route \(route), or \(local) is not usable here")
            default: throw NetworkError(wrapping: error)
            }
        }
    }
}
