import NetlinkKit
import SystemKit

// Temporary seams until the DHCP client and the ARP announcer land (being written in parallel).
struct PendingLease {
    var address: IPNetwork
    var router: IPAddress?
}

extension PipeworkAttacher {
    func announce(_ address: IPv4Address, interface: String, in namespace: NetworkNamespace) {}

    func obtainLease(_ request: DHCPRequest, plan: AttachPlan, link: Link) throws(PipeworkError) -> PendingLease {
        throw PipeworkError("DHCP is not available in this build")
    }
}

extension MACAddress {
    static func pipeworkDerivedPending(from text: String) -> MACAddress? { nil }
}

extension PipeworkAttacher {
    public func keepRenewing(_ request: PipeworkAttachment, guest: NetworkNamespace) throws(PipeworkError) {}
}
