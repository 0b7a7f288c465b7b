import NetlinkKit
import SystemKit

// Temporary seams until the DHCP client and the ARP announcer land (being written in parallel).
struct PendingLease {
    var address: IPNetwork
    var router: IPAddress?
}

extension PipeworkAttacher {

    func obtainLease(_ request: DHCPRequest, plan: AttachPlan, link: Link) throws(PipeworkError) -> PendingLease {
        throw PipeworkError("DHCP is not available in this build")
    }
}

extension PipeworkAttacher {
    public func keepRenewing(_ request: PipeworkAttachment, guest: NetworkNamespace) throws(PipeworkError) {}
}
