import CLinuxShims
import Glibc
import NetlinkKit
import SystemKit

extension PipeworkAttacher {
    /// Gives the (already up) guest interface its address and gateway, static or from DHCP, then announces
    /// an IPv4 address with a gratuitous ARP.
    /// `hostEnd` is a veth's host end and its plain mark: before a default route is replaced, the one replaced is
    /// added to its intent mark, so the cleanup of a cut attach puts it back.
    func configureAddressing(_ plan: AttachPlan, link: Link, hostEnd: (name: String, mark: SpliceMark)? = nil,
                             transaction: inout Transaction) throws(PipeworkError)
        -> (network: IPNetwork?, lease: DHCPLease?)
    {
        let socket = plan.guestSocket
        do {
            let network: IPNetwork
            let gateway: IPAddress?
            var lease: DHCPLease?
            switch plan.request.addressing {
            case .none:
                return (nil, nil)
            case .static(let address, let router):
                (network, gateway) = (address, router)
            case .dhcp(let dhcp):
                let obtained = try obtainLease(dhcp, plan: plan, link: link)
                (network, gateway, lease) = (obtained.address, obtained.router.map(IPAddress.v4), obtained)
            }
            // A Docker container has IPv6 disabled; the user asking for an IPv6 address wants it on.
            if network.address.family == .inet6 { try InterfaceIPv6.enable(interface: link.name, in: plan.guest) }
            // A guest's IPv6 address is usable at once, as Docker adds container addresses (no DAD wait).
            try socket.addAddress(network, to: link.index, name: link.name,
                                  skipDuplicateDetection: network.address.family == .inet6)
            Failpoint.hit("pipework.address")
            if let gateway {
                try setDefaultRoute(via: gateway, network: network, socket: socket, link: link, hostEnd: hostEnd,
                                    transaction: &transaction)
                Failpoint.hit("pipework.routes")
            }
            if case .v4(let address) = network.address { announce(address, plan: plan, link: link) }
            return (network, lease)
        } catch {
            throw PipeworkError(wrapping: error)
        }
    }

    /// Sends the gratuitous ARP pipework sent with `arping -A`; its failure is not fatal, as there.
    ///
    /// For veth and macvlan the kernel sends it: `arp_notify` is on, and re-setting the interface's own MAC
    /// raises `NETDEV_CHANGEADDR`, which announces every address. That avoids an AF_PACKET socket, whose
    /// close waits for an RCU grace period (about 14 ms here, more than a whole attach). On a bridge the frame
    /// would be dropped while the new port is still disabled: the port is enabled by the link watcher, under
    /// the RTNL lock, right after it marks the host end operationally up. So this waits (briefly) to see that
    /// state; the MAC request that follows takes the RTNL lock, so it runs after the port was enabled.
    /// A moved physical device keeps its own settings, so it is announced from a packet socket.
    private func announce(_ address: IPv4Address, plan: AttachPlan, link: Link) {
        switch plan.hostSide {
        case .physical:
            try? GratuitousARP.announce(address, interface: link.name, in: plan.guest)
        case .bridge, .macvlan:
            if case .bridge = plan.hostSide { host.waitUntilOperationallyUp(plan.localName) }
            if let mac = link.address {
                try? plan.guestSocket.setLink(link.index, LinkChange(address: mac), name: link.name)
            }
        }
    }

    /// Replaces the guest's default route with one via `gateway`, remembering the old ones for rollback. A
    /// gateway outside the interface's prefix gets a host route first, as pipework does.
    private func setDefaultRoute(via gateway: IPAddress, network: IPNetwork, socket: NetlinkSocket, link: Link,
                                 hostEnd: (name: String, mark: SpliceMark)?, transaction: inout Transaction) throws
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
        if let hostEnd, let first = previous.first, let router = first.gateway,
           let device = try socket.links().first(where: { $0.index == first.device })?.name,
           let end = try host.link(named: hostEnd.name)
        {
            var intent = hostEnd.mark
            intent.pending = getpid()
            intent.previousRoute = "\(router)%\(device)"
            try host.setLink(end.index, LinkChange(alias: intent.alias), name: hostEnd.name)
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
