import Glibc
import NetlinkKit
import SystemKit

extension PipeworkAttacher {
    /// Obtains a lease inside the guest's namespace. The host name sent is `-x hostname:NAME` from OPTS, or
    /// the guest's name, as pipework passed it to udhcpc. Nothing is written to any `resolv.conf`.
    func obtainLease(_ request: DHCPRequest, plan: AttachPlan, link: Link) throws(PipeworkError) -> DHCPLease {
        guard let mac = link.address else {
            throw PipeworkError("guest interface \(link.name) has no hardware address; DHCP needs one")
        }
        var settings: DHCPClientSettings
        do { settings = try DHCPClientSettings(request) } catch { throw PipeworkError("\(request.client): \(error)") }
        if settings.hostname == nil, case .name(let name) = plan.request.guest { settings.hostname = name }
        do {
            return try DHCPClient(interface: link.name, namespace: plan.guest, mac: mac, settings: settings).acquire()
        } catch {
            throw PipeworkError("DHCP on \(link.name) in guest \(plan.request.guest): \(error)")
        }
    }

    /// `udhcpc-f` (or `-f` in OPTS): stays in the foreground and renews the lease at half its time, as a DHCP
    /// client daemon would; if the server hands out another address, the interface follows. Returns only by
    /// throwing, when the lease can no longer be renewed or the interface is gone.
    public func keepRenewing(_ result: Result, request: DHCPRequest, guest: NetworkNamespace) throws(PipeworkError) -> Never {
        guard var lease = result.lease, let mac = result.mac else {
            throw PipeworkError("no DHCP lease to renew for \(result.guestInterface)")
        }
        let settings: DHCPClientSettings
        do { settings = try DHCPClientSettings(request) } catch { throw PipeworkError("\(request.client): \(error)") }
        let guestSocket = try socket(in: guest)
        let client = DHCPClient(interface: result.guestInterface, namespace: guest, mac: mac, settings: settings)
        while true {
            sleep(UInt32(max(1, lease.leaseSeconds / 2)))
            let renewed: DHCPLease
            do { renewed = try client.renew(lease) } catch {
                throw PipeworkError("DHCP renewal on \(result.guestInterface) in guest \(result.guest): \(error)")
            }
            if renewed.address != lease.address {
                do {
                    guard let link = try guestSocket.link(named: result.guestInterface) else {
                        throw PipeworkError("\(result.guestInterface) is gone from guest \(result.guest)")
                    }
                    try guestSocket.addAddress(renewed.address, to: link.index, name: link.name)
                    try? guestSocket.deleteAddress(lease.address, from: link.index)
                } catch {
                    throw PipeworkError(wrapping: error)
                }
            }
            lease = renewed
        }
    }
}
