import SpliceNet
import SystemKit

/// Picks the lowest free address of a global network, as Docker's IPAM does: never the subnet's network or
/// broadcast address nor the gateway.
public struct AddressPicker: Sendable {
    public let subnet: IPNetwork
    public let range: IPNetwork
    public let gateway: IPv4Address

    public init(network: ClusterNetwork) {
        subnet = network.subnet
        range = network.ipRange ?? network.subnet
        gateway = network.gateway
    }

    /// Whether `address` may be given to an endpoint at all (inside the subnet and not reserved).
    public func isAssignable(_ address: IPv4Address) -> Bool {
        guard let first = subnet.ipv4First, let last = subnet.ipv4Last else { return false }
        let value = address.value
        if subnet.prefixLength < 31, value == first || value == last { return false }
        return value >= first && value <= last && address != gateway
    }

    /// The lowest assignable address of the range that is not in `taken`, or nil when the range is full.
    public func lowestFree(excluding taken: Set<IPv4Address>) -> IPv4Address? {
        guard let first = range.ipv4First, let last = range.ipv4Last else { return nil }
        var value = first
        while true {
            let candidate = IPv4Address(value: value)
            if isAssignable(candidate), !taken.contains(candidate) { return candidate }
            if value == last { return nil }
            value += 1
        }
    }
}
