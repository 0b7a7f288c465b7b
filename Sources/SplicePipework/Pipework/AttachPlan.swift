import NetlinkKit
import SystemKit

/// A validated attach: every name resolved and checked before anything changes.
struct AttachPlan {
    enum HostSide {
        /// An existing bridge, or one to create (`index` nil).
        case bridge(name: String, index: InterfaceIndex?, mtu: UInt32)
        /// An existing non-bridge interface that gets a macvlan child.
        case macvlan(parent: Link)
        /// `--direct-phys`: the interface itself moves.
        case physical(Link)
    }

    var request: PipeworkAttachment
    var guest: NetworkNamespace
    var guestSocket: NetlinkSocket
    var hostSide: HostSide
    /// The host-side veth name (bridge mode).
    var localName: String
    var mac: MACAddress?
}

extension PipeworkAttacher {
    /// Checks the request against the kernel without changing anything.
    func validate(_ request: PipeworkAttachment, guest: NetworkNamespace) throws(PipeworkError) -> AttachPlan {
        let guestSocket = try socket(in: guest)
        let sharesHost: Bool
        do { sharesHost = try guest.identity() == hostNamespace.identity() } catch { throw PipeworkError(error) }
        if sharesHost {
            throw PipeworkError("guest \(request.guest) shares the host's network namespace (--net=host?);"
                + " there is nothing to attach an interface to")
        }
        let existingGuestLink: Link?
        do { existingGuestLink = try guestSocket.link(named: request.guestInterface) } catch { throw error.pipework }
        if existingGuestLink != nil {
            throw PipeworkError("guest \(request.guest) already has an interface \"\(request.guestInterface)\";"
                + " choose another with -i")
        }
        let hostSide = try resolveHostSide(request)
        if case .bridge = hostSide, request.vlan != nil {
            throw PipeworkError("@\(request.vlan ?? 0): VLAN tagging on a Linux bridge needs bridge vlan_filtering;"
                + " give a physical interface to tag a macvlan, or drop @VLAN")
        }
        let localName = try chooseLocalName(request, guest: guest, hostSide: hostSide)
        let mac: MACAddress? =
            switch request.mac {
            case .address(let address): address
            case .derived(let text): MACAddress.pipeworkDerived(from: text)
            case nil: nil
            }
        if case .dhcp(let dhcp) = request.addressing, request.family == .inet6 {
            throw PipeworkError("-a 6 with \(dhcp.client): Splice's DHCP client speaks DHCPv4 only; give a static IPv6"
                + " address, or let the guest's own DHCPv6/SLAAC client configure it with 0/0")
        }
        if case .dhcp(let dhcp) = request.addressing {
            // OPTS are checked before anything changes.
            do { _ = try DHCPClientSettings(dhcp) } catch { throw PipeworkError("\(dhcp.client): \(error)") }
        }
        if case .static(let network, let gateway) = request.addressing, let gateway,
           network.address.family != gateway.family
        {
            throw PipeworkError("gateway \(gateway) is not of the same family as \(network)")
        }
        return AttachPlan(request: request, guest: guest, guestSocket: guestSocket, hostSide: hostSide,
                          localName: localName, mac: mac)
    }

    private func resolveHostSide(_ request: PipeworkAttachment) throws(PipeworkError) -> AttachPlan.HostSide {
        let link: Link?
        let name: String
        do {
            switch request.host {
            case .name(let hostName):
                name = hostName
                link = try host.link(named: hostName)
            case .mac(let mac):
                name = "mac:\(mac)"
                link = try host.links().first { $0.address == mac && $0.kind != "veth" } ?? host.links().first { $0.address == mac }
                if link == nil { throw PipeworkError("no host interface has MAC address \(mac)") }
            }
        } catch {
            throw PipeworkError(wrapping: error)
        }
        guard let link else {
            if request.directPhysical {
                throw PipeworkError("--direct-phys: host interface \"\(name)\" does not exist")
            }
            guard name.hasPrefix("br") else {
                throw PipeworkError("host interface \"\(name)\" does not exist; only a name beginning with \"br\""
                    + " creates a bridge")
            }
            return .bridge(name: name, index: nil, mtu: 1500)
        }
        if request.directPhysical {
            if link.kind == "bridge" { throw PipeworkError("--direct-phys: \"\(link.name)\" is a bridge, which cannot move") }
            if link.name == "lo" { throw PipeworkError("--direct-phys: the loopback interface cannot move") }
            return .physical(link)
        }
        if link.kind == "bridge" { return .bridge(name: link.name, index: link.index, mtu: link.mtu ?? 1500) }
        if link.name == "lo" { throw PipeworkError("host interface \"lo\" is the loopback; give a bridge or an Ethernet interface") }
        return .macvlan(parent: link)
    }

    private func chooseLocalName(_ request: PipeworkAttachment, guest: NetworkNamespace,
                                 hostSide: AttachPlan.HostSide) throws(PipeworkError) -> String
    {
        guard case .bridge = hostSide else {
            if let local = request.localInterface {
                throw PipeworkError("-l \(local): a host-side name only applies when attaching to a bridge")
            }
            return ""
        }
        if let local = request.localInterface {
            let exists: Bool
            do { exists = try host.link(named: local) != nil } catch { throw error.pipework }
            if exists { throw PipeworkError("-l \(local): the host already has an interface with that name") }
            return local
        }
        let inode: UInt64
        do { inode = try guest.identity().inode } catch { throw PipeworkError(error) }
        // vsp + 8 hex digits of a hash of (guest namespace, guest interface): stable for the same guest.
        for attempt in 0..<16 {
            let candidate = InterfaceName.hashed(prefix: "vsp", key: "\(inode)/\(request.guestInterface)/\(attempt)")
            let exists: Bool
            do { exists = try host.link(named: candidate) != nil } catch { throw error.pipework }
            if !exists { return candidate }
        }
        throw PipeworkError("could not find a free host-side interface name; give one with -l")
    }
}
