import CLinuxShims
import Glibc
import NetlinkKit
import SystemKit

extension PipeworkAttacher {
    /// Applies a validated plan, registering an undo for every step.
    func apply(_ plan: AttachPlan, transaction: inout Transaction) throws(PipeworkError) -> Result {
        let request = plan.request
        let (mode, hostName): (SpliceMark.Mode, String) =
            switch plan.hostSide {
            case .bridge(let name, _, _): (.veth, name)
            case .macvlan(let parent): (.macvlan, parent.name)
            case .physical(let device): (.phys, device.name)
            }
        let mark = SpliceMark(mode: mode, guest: request.guest.description, guestInterface: request.guestInterface,
                              host: hostName)
        var hostInterface: String?
        var bridgeCreated = false
        switch plan.hostSide {
        case .bridge(let name, let index, let mtu):
            let bridge = try ensureBridge(name: name, existing: index, mtu: mtu, transaction: &transaction)
            bridgeCreated = bridge.created
            // The host end carries the intent mark until the attach is complete (see `completeMark`).
            var intent = mark
            intent.pending = getpid()
            try createVeth(plan, bridge: bridge.index, mtu: bridge.mtu, mark: intent, transaction: &transaction)
            hostInterface = plan.localName
        case .macvlan(let parent):
            try createMacvlan(plan, parent: parent, transaction: &transaction)
        case .physical(let device):
            try movePhysical(plan, device: device, transaction: &transaction)
        }
        Failpoint.hit("pipework.veth")
        let guestLink = try configureGuestInterface(plan, mark: mark, transaction: &transaction)
        Failpoint.hit("pipework.guest")
        let addressing = try configureAddressing(plan, link: guestLink, hostEnd: hostInterface.map { ($0, mark) },
                                                 transaction: &transaction)
        if let hostInterface { try completeMark(hostInterface, mark: mark) }
        return Result(guest: request.guest.description, guestInterface: request.guestInterface,
                      hostInterface: hostInterface, mode: mode, bridgeCreated: bridgeCreated,
                      address: addressing.network, mac: plan.mac ?? guestLink.address, lease: addressing.lease)
    }

    /// Finds or creates the bridge under the host-wide lock, so parallel attaches to one new bridge agree.
    /// An `existing` bridge (with the `mtu` validation read) is used as it is: if it vanished since, enslaving
    /// to it fails cleanly.
    private func ensureBridge(name: String, existing: InterfaceIndex?, mtu: UInt32, transaction: inout Transaction)
        throws(PipeworkError) -> (index: InterfaceIndex, mtu: UInt32, created: Bool)
    {
        if let existing { return (existing, mtu, false) }
        let lock: FileLock
        do { lock = try FileLock(path: lockPath) } catch { throw PipeworkError(error) }
        defer { lock.unlock() }
        do {
            if let link = try host.link(named: name) {
                guard link.kind == "bridge" else {
                    throw PipeworkError("host interface \"\(name)\" appeared meanwhile and is not a bridge")
                }
                return (link.index, link.mtu ?? 1500, false)
            }
            try host.addLink(LinkSpec(name: name, kind: .bridge, up: true))
            guard let created = try host.link(named: name) else {
                throw PipeworkError("bridge \"\(name)\" vanished right after it was created")
            }
            let host = host
            let lockPath = lockPath
            transaction.onRollback("delete bridge \(name)") {
                // Another attach may have joined the new bridge meanwhile; only an empty bridge goes.
                let lock = try FileLock(path: lockPath)
                defer { lock.unlock() }
                let ports = try host.links().filter { $0.master == created.index }
                if ports.isEmpty { try host.deleteLink(created.index, name: name) }
            }
            return (created.index, created.mtu ?? 1500, true)
        } catch {
            throw PipeworkError(wrapping: error)
        }
    }

    /// Replaces the intent mark on the veth's host end with the plain one: the attach is complete.
    private func completeMark(_ name: String, mark: SpliceMark) throws(PipeworkError) {
        do {
            guard let link = try host.link(named: name) else {
                throw PipeworkError("host interface \"\(name)\" vanished during the attach")
            }
            try host.setLink(link.index, LinkChange(alias: mark.alias), name: name)
        } catch {
            throw PipeworkError(wrapping: error)
        }
    }

    private func createVeth(_ plan: AttachPlan, bridge: InterfaceIndex, mtu: UInt32, mark: SpliceMark,
                            transaction: inout Transaction) throws(PipeworkError)
    {
        let request = plan.request
        let peer = VethPeer(name: request.guestInterface, namespace: plan.guest, mtu: mtu, address: plan.mac)
        let spec = LinkSpec(name: plan.localName, kind: .veth(peer: peer), mtu: mtu, master: bridge, up: true,
                            alias: mark.alias)
        do { try host.addLink(spec) } catch { throw error.pipework }
        let host = host
        let name = plan.localName
        transaction.onRollback("delete \(name)") { try host.deleteLink(named: name) }
    }

    private func createMacvlan(_ plan: AttachPlan, parent: Link, transaction: inout Transaction) throws(PipeworkError) {
        let request = plan.request
        var lower = parent
        do {
            if let vlan = request.vlan {
                lower = try ensureVLAN(on: parent, id: vlan, transaction: &transaction)
            }
            if !lower.isUp {
                try host.setLink(lower.index, LinkChange(up: true), name: lower.name)
                let host = host
                let index = lower.index
                let name = lower.name
                transaction.onRollback("set \(name) down") { try host.setLink(index, LinkChange(up: false), name: name) }
            }
            let spec = LinkSpec(name: request.guestInterface, kind: .macvlan(mode: .bridge), mtu: lower.mtu,
                                address: plan.mac, parent: lower.index, namespace: plan.guest)
            try host.addLink(spec)
        } catch {
            throw PipeworkError(wrapping: error)
        }
        let guestSocket = plan.guestSocket
        let name = request.guestInterface
        transaction.onRollback("delete \(name) in the guest") { try guestSocket.deleteLink(named: name) }
    }

    /// The 802.1Q child `PARENT.VLAN`, created if missing (pipework's naming).
    private func ensureVLAN(on parent: Link, id: UInt16, transaction: inout Transaction) throws -> Link {
        let name = "\(parent.name).\(id)"
        if let existing = try host.link(named: name) {
            guard existing.kind == "vlan",
                  existing.kindData[UInt16(IFLA_VLAN_ID)].map({ Array($0).readVLANID() }) == id
            else { throw PipeworkError("\(name) already exists but is not a VLAN device for tag \(id)") }
            return existing
        }
        try host.addLink(LinkSpec(name: name, kind: .vlan(id: id), mtu: parent.mtu, parent: parent.index, up: true))
        guard let created = try host.link(named: name) else { throw PipeworkError("\(name) vanished after creation") }
        let host = host
        transaction.onRollback("delete \(name)") { try host.deleteLink(created.index, name: name) }
        return created
    }

    private func movePhysical(_ plan: AttachPlan, device: Link, transaction: inout Transaction) throws(PipeworkError) {
        let request = plan.request
        do {
            try host.setLink(device.index, LinkChange(name: request.guestInterface, namespace: plan.guest),
                             name: device.name)
        } catch {
            throw error.pipework
        }
        let guestSocket = plan.guestSocket
        let host = host
        let hostNamespace = hostNamespace
        let guestName = request.guestInterface
        let originalName = device.name
        let wasUp = device.isUp
        let originalAddress = device.address
        transaction.onRollback("move \(guestName) back to the host as \(originalName)") {
            guard let link = try guestSocket.link(named: guestName) else { return }
            try guestSocket.setLink(link.index, LinkChange(up: false, name: originalName, address: originalAddress,
                                                           namespace: hostNamespace), name: guestName)
            if wasUp, let back = try host.link(named: originalName) {
                try host.setLink(back.index, LinkChange(up: true), name: originalName)
            }
        }
    }

    /// Marks the guest interface, turns on `arp_notify` (so that the kernel announces the address with a
    /// gratuitous ARP when Splice later re-sets the MAC), sets the MAC where creation could not, and brings it
    /// up early, so the bridge port is forwarding by the time the address is announced. A moved physical
    /// device keeps its own settings (no `arp_notify`) and gets its alias back if the attach fails.
    private func configureGuestInterface(_ plan: AttachPlan, mark: SpliceMark, transaction: inout Transaction)
        throws(PipeworkError) -> Link
    {
        let guestSocket = plan.guestSocket
        let name = plan.request.guestInterface
        do {
            guard let link = try guestSocket.link(named: name) else {
                throw PipeworkError("interface \"\(name)\" did not appear in guest \(plan.request.guest)")
            }
            var change = LinkChange(up: true, alias: mark.alias)
            if case .physical = plan.hostSide {
                change.address = plan.mac
                let original = LinkChange(address: plan.mac == nil ? nil : link.address, alias: link.alias ?? "")
                transaction.onRollback("restore the alias of \(name)") {
                    try guestSocket.setLink(link.index, original, name: name)
                }
            } else {
                change.ipv4 = [.arpNotify: 1]
            }
            try guestSocket.setLink(link.index, change, name: name)
            var configured = link
            if let mac = change.address { configured.address = mac }
            return configured
        } catch {
            throw PipeworkError(wrapping: error)
        }
    }
}

extension Array where Element == UInt8 {
    /// Reads a little-endian `u16` (`IFLA_VLAN_ID`).
    func readVLANID() -> UInt16 { count >= 2 ? UInt16(self[0]) | UInt16(self[1]) << 8 : 0 }
}
