import CLinuxShims
import NetlinkKit
import SystemKit

extension PipeworkAttacher {
    /// Gives the guest interface its address and gateway (static or from DHCP) and brings it up. A static
    /// IPv4 address is in place before the interface comes up, so the kernel's `arp_notify` announces it; a
    /// DHCP address arrives after, so Splice sends that announcement itself.
    func configureAddressing(_ plan: AttachPlan, link: Link, transaction: inout Transaction) throws(PipeworkError)
        -> IPNetwork?
    {
        let socket = plan.guestSocket
        do {
            switch plan.request.addressing {
            case .none:
                try socket.setLink(link.index, LinkChange(up: true), name: link.name)
                return nil
            case .static(let network, let gateway):
                try socket.addAddress(network, to: link.index, name: link.name)
                try socket.setLink(link.index, LinkChange(up: true), name: link.name)
                if let gateway {
                    try setDefaultRoute(via: gateway, network: network, socket: socket, link: link,
                                        transaction: &transaction)
                }
                if case .physical = plan.hostSide, case .v4(let address) = network.address {
                    // A moved device has no arp_notify from Splice, so it is announced explicitly.
                    try? GratuitousARP.announce(address, interface: link.name, in: plan.guest)
                }
                return network
            case .dhcp(let dhcp):
                try socket.setLink(link.index, LinkChange(up: true), name: link.name)
                let lease = try obtainLease(dhcp, plan: plan, link: link)
                try socket.addAddress(lease.address, to: link.index, name: link.name)
                if let router = lease.router {
                    try setDefaultRoute(via: router, network: lease.address, socket: socket, link: link,
                                        transaction: &transaction)
                }
                if case .v4(let address) = lease.address.address {
                    // Its failure is not fatal, as with pipework's `arping -A`.
                    try? GratuitousARP.announce(address, interface: link.name, in: plan.guest)
                }
                return lease.address
            }
        } catch {
            throw PipeworkError(wrapping: error)
        }
    }

    /// Replaces the guest's default route with one via `gateway`, remembering the old ones for rollback. A
    /// gateway outside the interface's prefix gets a host route first, as pipework does.
    private func setDefaultRoute(via gateway: IPAddress, network: IPNetwork, socket: NetlinkSocket, link: Link,
                                 transaction: inout Transaction) throws
    {
        let family = network.address.family
        if !network.contains(gateway) {
            let prefix = family == .inet ? 32 : 128
            try socket.addRoute(RouteSpec(destination: IPNetwork(address: gateway, prefixLength: prefix),
                                          device: link.index, scope: .link))
        }
        let mainTable: UInt32 = 254
        let previous = try socket.routes(family: family).filter {
            $0.isDefault && $0.table == mainTable && $0.type == UInt8(RTN_UNICAST)
        }
        for route in previous {
            let spec = RouteSpec(gateway: route.gateway, device: route.device, metric: route.metric,
                                 scope: RouteScope(rawValue: route.scope), onlink: route.flags & UInt32(RTNH_F_ONLINK) != 0, family: family)
            try socket.deleteRoute(spec)
            transaction.onRollback("restore default route \(route.gateway?.description ?? "")") {
                try socket.replaceRoute(spec)
            }
        }
        let ours = RouteSpec(gateway: gateway, device: link.index, family: family)
        try socket.replaceRoute(ours)
        transaction.onRollback("delete default route via \(gateway)") { try? socket.deleteRoute(ours) }
    }
}
