import SpliceNet
import SystemKit

/// Cuts a routed network's subnet into per-host subnets of one size and picks a free one: the host's previous one
/// when it is still free, else the lowest free one.
public struct HostSubnetPicker: Sendable, Equatable {
    /// Why a network cannot be cut into host subnets.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The per-host size is not longer than the network's prefix (at most one host would fit), or leaves no
        /// room for a gateway and a container.
        case tooSmall(network: IPNetwork, hostPrefix: Int)

        public var description: String {
            switch self {
            case .tooSmall(let network, let hostPrefix):
                "routed network subnet \(network) is too small for per-host subnets of /\(hostPrefix): it needs a"
                    + " prefix shorter than /\(hostPrefix) (for example /16), and host subnets need at most /30"
            }
        }
    }

    /// The default per-host size.
    public static let defaultHostPrefix = 24
    /// The network option that sets the per-host size (`-o splice.routed.host_prefix=26`).
    public static let hostPrefixOption = "splice.routed.host_prefix"

    public let network: IPNetwork
    public let hostPrefix: Int

    /// A picker for `network` cut into subnets of `/hostPrefix`, refused when fewer than two would fit.
    public init(network: IPNetwork, hostPrefix: Int = Self.defaultHostPrefix) throws(Failure) {
        guard network.ipv4Address != nil, hostPrefix > Int(network.prefixLength), hostPrefix <= 30 else {
            throw .tooSmall(network: network, hostPrefix: hostPrefix)
        }
        self.network = network
        self.hostPrefix = hostPrefix
    }

    /// How many host subnets the network holds.
    public var count: Int { 1 << min(hostPrefix - Int(network.prefixLength), 24) }

    /// Host subnet number `index` (0-based).
    public func subnet(_ index: Int) -> IPNetwork? {
        guard index >= 0, index < count, let first = network.ipv4First else { return nil }
        let base = first + UInt32(index) << UInt32(32 - hostPrefix)
        return IPNetwork(address: .v4(IPv4Address(value: base)), prefixLength: hostPrefix)
    }

    /// `preferred` when it is one of the network's host subnets and not in `taken`, else the lowest free one;
    /// nil when every one is taken.
    public func pick(excluding taken: Set<IPNetwork>, preferred: IPNetwork? = nil) -> IPNetwork? {
        if let preferred, isHostSubnet(preferred), !taken.contains(preferred) { return preferred }
        for index in 0..<count {
            guard let candidate = subnet(index) else { return nil }
            if !taken.contains(candidate) { return candidate }
        }
        return nil
    }

    /// Whether `subnet` is one of the network's host subnets (inside it, of the host size, aligned).
    public func isHostSubnet(_ subnet: IPNetwork) -> Bool {
        Int(subnet.prefixLength) == hostPrefix && subnet.isAligned && network.contains(subnet.address)
    }
}
