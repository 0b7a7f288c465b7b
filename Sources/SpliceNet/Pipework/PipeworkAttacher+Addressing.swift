import CLinuxShims
import NetlinkKit
import SystemKit

extension PipeworkAttacher {
    /// Gives the guest interface its address and gateway (static or from DHCP) and announces it.
    func configureAddressing(_ plan: AttachPlan, link: Link, transaction: inout Transaction) throws(PipeworkError)
        -> IPNetwork?
    {
        switch plan.request.addressing {
        case .none:
            return nil
        case .static(let network, let gateway):
            try assign(network, gateway: gateway, plan: plan, link: link, transaction: &transaction)
            return network
        case .dhcp(let dhcp):
            let lease = try obtainLease(dhcp, plan: plan, link: link)
            try assign(lease.address, gateway: lease.router, plan: plan, link: link, transaction: &transaction)
            return lease.address
        }
    }

    private func assign(_ network: IPNetwork, gateway: IPAddress?, plan: AttachPlan, link: Link,
                        transaction: inout Transaction) throws(PipeworkError)
    {
        let guestSocket = plan.guestSocket
        do {
            try guestSocket.addAddress(network, to: link.index, name: link.name)
            if let gateway { try setDefaultRoute(via: gateway, network: network, socket: guestSocket, link: link,
                                                 transaction: &transaction) }
        } catch {
            throw PipeworkError(wrapping: error)
        }
        if case .v4(let address) = network.address {
            // A nudge for the neighbours' ARP caches, as pipework's `arping -A`; its failure is not fatal.
            try? GratuitousARP.announce(address, interface: link.name, in: plan.guest)
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
