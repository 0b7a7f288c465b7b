import NetlinkKit
import SystemKit

/// Why an address pool could not be created, changed or read.
public enum IPAMError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What a requested subnet collides with.
    public enum Overlap: Equatable, Sendable, CustomStringConvertible {
        /// A route the host already has.
        case route(IPNetwork)
        /// The subnet of another network's pool.
        case pool(name: String, subnet: IPNetwork)

        public var description: String {
            switch self {
            case .route(let route): "the host route \(route)"
            case .pool(let name, let subnet): "subnet \(subnet) of network \"\(name)\""
            }
        }
    }

    /// No pool exists for this network.
    case unknownNetwork(String)
    /// A pool for this network exists already.
    case networkExists(String)
    /// The network name is empty or contains control characters.
    case invalidName(String)
    /// The subnet cannot be used (IPv6, host bits set, too small); `reason` says which.
    case badSubnet(IPNetwork, reason: String)
    /// The subnet shares addresses with a host route or another pool.
    case subnetOverlaps(IPNetwork, network: String, overlap: Overlap)
    /// Every default subnet overlaps a host route or another pool.
    case noFreeSubnet(network: String)
    /// The allocation range (`--ip-range`) is not an IPv4 network inside the subnet, or leaves nothing to allocate.
    case badRange(IPNetwork, subnet: IPNetwork, reason: String)
    /// The gateway is outside the subnet or is its network or broadcast address.
    case badGateway(IPv4Address, subnet: IPNetwork, reason: String)
    /// The address is not inside the network's subnet.
    case addressOutsideSubnet(IPv4Address, network: String, subnet: IPNetwork)
    /// The address is the network's network, broadcast or gateway address; `role` says which.
    case addressReserved(IPv4Address, network: String, role: String)
    /// The address is allocated to `owner` already.
    case addressInUse(IPv4Address, network: String, owner: String)
    /// Every address of the allocation range is taken.
    case poolExhausted(network: String, range: IPNetwork)
    /// The pool still has allocations (address text to owner), so it cannot be deleted.
    case poolInUse(network: String, allocations: [String: String])
    /// The state file exists but cannot be decoded.
    case corruptState(path: String, reason: String)
    /// Reading, writing or locking the state directory failed.
    case state(SystemError)

    public var description: String {
        switch self {
        case .unknownNetwork(let name):
            return "network \"\(name)\" has no address pool"
        case .networkExists(let name):
            return "network \"\(name)\" already has an address pool"
        case .invalidName(let name):
            return "invalid network name \"\(name)\": it must be non-empty and printable"
        case .badSubnet(let subnet, let reason):
            return "invalid subnet \(subnet): \(reason)"
        case .subnetOverlaps(let subnet, let network, let overlap):
            return "subnet \(subnet) of network \"\(network)\" overlaps \(overlap)"
        case .noFreeSubnet(let network):
            let pools = "172.18.0.0/16 to 172.31.0.0/16 and 192.168.0.0/20 to 192.168.240.0/20"
            return "no free subnet for network \"\(network)\": every default pool (\(pools)) overlaps a host route "
                + "or another network; choose one with --subnet"
        case .badRange(let range, let subnet, let reason):
            return "invalid IP range \(range) for subnet \(subnet): \(reason)"
        case .badGateway(let gateway, let subnet, let reason):
            return "invalid gateway \(gateway) for subnet \(subnet): \(reason)"
        case .addressOutsideSubnet(let address, let network, let subnet):
            return "address \(address) is outside subnet \(subnet) of network \"\(network)\""
        case .addressReserved(let address, let network, let role):
            return "address \(address) is \(role) of network \"\(network)\""
        case .addressInUse(let address, let network, let owner):
            return "address \(address) of network \"\(network)\" is already in use by \(owner)"
        case .poolExhausted(let network, let range):
            return "no free address left in network \"\(network)\" (range \(range))"
        case .poolInUse(let network, let allocations):
            let listed = allocations.sorted { (IPv4Address($0.key)?.value ?? 0) < (IPv4Address($1.key)?.value ?? 0) }
                .map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
            return "network \"\(network)\" still has allocated addresses: \(listed)"
        case .corruptState(let path, let reason):
            return "unreadable IPAM state in \(path): \(reason)"
        case .state(let error):
            return "IPAM state: \(error.goDescription)"
        }
    }
}
