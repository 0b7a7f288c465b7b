import NetlinkKit
import SystemKit

extension PipeworkAttacher {
    /// Removes what an attach made: the guest interface (and with it the veth's host end), or for
    /// `--direct-phys` moves the device back to the host under its original name. Only interfaces that carry
    /// Splice's mark are touched.
    public func detach(interface name: String, guest: NetworkNamespace, guestLabel: String) throws(PipeworkError) {
        let guestSocket = try socket(in: guest)
        do {
            guard let link = try guestSocket.link(named: name) else {
                throw PipeworkError("guest \(guestLabel) has no interface \"\(name)\"")
            }
            guard let mark = SpliceMark(alias: link.alias) else {
                throw PipeworkError("\"\(name)\" in guest \(guestLabel) was not attached by Splice (it has no splice"
                    + " mark); refusing to remove it")
            }
            switch mark.mode {
            case .veth, .macvlan:
                try guestSocket.deleteLink(link.index, name: name)
            case .phys:
                try guestSocket.setLink(link.index, LinkChange(up: false, name: mark.host, alias: "",
                                                               ), name: name)
                try guestSocket.moveLink(link.index, to: hostNamespace, name: mark.host)
            }
        } catch {
            throw PipeworkError(wrapping: error)
        }
    }

    /// One interface Splice attached, as `--list` reports it.
    public struct Attachment: Sendable, Equatable {
        public var mark: SpliceMark
        /// The host-side veth name, for veth attaches.
        public var hostInterface: String?
        /// Where the entry was found: `host` or the namespace's label.
        public var foundIn: String
    }

    /// What Splice attached: veth host ends marked in the host namespace, plus macvlan and moved devices
    /// marked inside the given guest namespaces.
    public func attachments(searching namespaces: [NetworkNamespace] = []) throws(PipeworkError) -> [Attachment] {
        var result: [Attachment] = []
        do {
            for link in try host.links() {
                if let mark = SpliceMark(alias: link.alias), mark.mode == .veth {
                    result.append(Attachment(mark: mark, hostInterface: link.name, foundIn: "host"))
                }
            }
            for namespace in namespaces {
                guard let socket = try? socket(in: namespace) else { continue }
                for link in try socket.links() {
                    if let mark = SpliceMark(alias: link.alias), mark.mode != .veth {
                        result.append(Attachment(mark: mark, hostInterface: nil, foundIn: namespace.label))
                    }
                }
            }
        } catch {
            throw PipeworkError(wrapping: error)
        }
        return result
    }
}
