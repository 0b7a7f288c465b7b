import NetlinkKit

/// IPv4 address management for bridge networks: one pool per network, persisted in a state directory and safe
/// to use from several processes and threads at once (every change happens under an exclusive `flock(2)`).
///
/// Addresses are handed out as Docker's default IPAM does: the lowest free address of the allocation range,
/// never the subnet's network or broadcast address nor the gateway.
public final class IPAM: Sendable {
    /// The name of the default bridge network.
    public static let defaultNetworkName = "splice0"

    /// Subnets tried in order when a pool is created without one: 172.18.0.0/16 through 172.31.0.0/16, then
    /// 192.168.0.0/20 through 192.168.240.0/20 (Docker's default pools, starting one /16 later).
    public static let defaultSubnets: [IPNetwork] =
        (18...31).compactMap { IPNetwork(address: .v4(IPv4Address(172, UInt8($0), 0, 0)), prefixLength: 16) }
        + (0..<16).compactMap { IPNetwork(address: .v4(IPv4Address(192, 168, UInt8($0 * 16), 0)), prefixLength: 20) }

    /// The longest subnet prefix accepted: a /30 holds a gateway and one container.
    static let longestPrefix = 30

    private let store: IPAMStore

    /// The directory holding `ipam.json` and its lock file.
    public var stateDirectory: String { store.directory }

    /// Uses (and creates if needed) `stateDirectory` for the pools' state.
    public init(stateDirectory: String) throws(IPAMError) {
        store = try IPAMStore(directory: stateDirectory)
    }

    /// Creates the pool for network `name`. Without `subnet`, takes the first of `defaultSubnets` that overlaps
    /// neither another pool nor one of `routes` (the host's current IPv4 routes; default routes are ignored).
    /// A given subnet must not overlap either, unless `overlapping` (a detached network's, which the host does not
    /// route; its addresses are kept apart by pool). `gateway` defaults to the subnet's first usable address.
    public func createPool(
        name: String, subnet: IPNetwork? = nil, range: IPNetwork? = nil, gateway: IPv4Address? = nil,
        avoiding routes: [IPNetwork] = [], overlapping: Bool = false
    ) throws(IPAMError) -> IPAMPool {
        guard !name.isEmpty, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw .invalidName(name) }
        let routes = routes.filter { $0.ipv4Address != nil && $0.prefixLength > 0 }
        return try store.modify { (state) throws(IPAMError) -> IPAMPool in
            guard state.index(of: name) == nil else { throw .networkExists(name) }
            let chosen: IPNetwork
            if let subnet {
                try Self.validate(subnet: subnet)
                if !overlapping, let overlap = Self.overlap(of: subnet, pools: state.pools, routes: routes) {
                    throw .subnetOverlaps(subnet, network: name, overlap: overlap)
                }
                chosen = subnet
            } else {
                guard
                    let free = Self.defaultSubnets.first(where: {
                        Self.overlap(of: $0, pools: state.pools, routes: routes) == nil
                    })
                else { throw .noFreeSubnet(network: name) }
                chosen = free
            }
            let gateway = try Self.gateway(gateway, in: chosen)
            if let range { try Self.validate(range: range, subnet: chosen, gateway: gateway) }
            let pool = IPAMPool(name: name, subnet: chosen, range: range, gateway: gateway)
            state.pools.append(pool)
            return pool
        }
    }

    /// Deletes the pool for network `name`; fails while any address is still allocated, naming them.
    public func deletePool(name: String) throws(IPAMError) {
        try store.modify(usesReserve: true) { (state) throws(IPAMError) in
            guard let index = state.index(of: name) else { throw .unknownNetwork(name) }
            let pool = state.pools[index]
            guard pool.allocations.isEmpty else {
                throw .poolInUse(network: name, allocations: pool.allocations)
            }
            state.pools.remove(at: index)
        }
    }

    /// Allocates an address in network `name` to `owner`: `requested` if given (it must be in the subnet, not
    /// reserved and free; it need not be in the range), otherwise the lowest free address of the range.
    public func allocate(in name: String, owner: String, requested: IPv4Address? = nil) throws(IPAMError)
        -> IPv4Address
    {
        try store.modify { (state) throws(IPAMError) -> IPv4Address in
            guard let index = state.index(of: name) else { throw .unknownNetwork(name) }
            let pool = state.pools[index]
            let address: IPv4Address
            if let requested {
                try Self.checkAssignable(requested, in: pool)
                if let holder = pool.owner(of: requested) {
                    throw .addressInUse(requested, network: name, owner: holder)
                }
                address = requested
            } else {
                guard let free = Self.lowestFree(in: pool) else {
                    throw .poolExhausted(network: name, range: pool.allocationRange)
                }
                address = free
            }
            state.pools[index].allocations[address.description] = owner
            return address
        }
    }

    /// Returns `address` in network `name` to the pool. Releasing an address that is already free does nothing,
    /// so teardown can repeat it. It commits on a full disk too (from the store's reserve).
    public func release(_ address: IPv4Address, in name: String) throws(IPAMError) {
        try store.modify(usesReserve: true) { (state) throws(IPAMError) in
            guard let index = state.index(of: name) else { throw .unknownNetwork(name) }
            let pool = state.pools[index]
            guard pool.subnet.contains(.v4(address)) else {
                throw .addressOutsideSubnet(address, network: name, subnet: pool.subnet)
            }
            state.pools[index].allocations[address.description] = nil
        }
    }

    /// The pool for network `name`, or nil when there is none.
    public func pool(named name: String) throws(IPAMError) -> IPAMPool? {
        let state = try store.load()
        return state.index(of: name).map { state.pools[$0] }
    }

    /// Every pool, in creation order.
    public func pools() throws(IPAMError) -> [IPAMPool] { try store.load().pools }

    // MARK: - Validation

    private static func validate(subnet: IPNetwork) throws(IPAMError) {
        guard subnet.ipv4Address != nil else { throw .badSubnet(subnet, reason: "only IPv4 subnets are supported") }
        guard subnet.isAligned else {
            throw .badSubnet(subnet, reason: "host bits are set; did you mean \(subnet.aligned)?")
        }
        guard subnet.prefixLength <= longestPrefix else {
            throw .badSubnet(subnet, reason: "a bridge subnet needs at least a /\(longestPrefix) (4 addresses)")
        }
    }

    private static func validate(range: IPNetwork, subnet: IPNetwork, gateway: IPv4Address) throws(IPAMError) {
        guard range.ipv4Address != nil else {
            throw .badRange(range, subnet: subnet, reason: "only IPv4 ranges are supported")
        }
        guard range.isAligned else {
            throw .badRange(range, subnet: subnet, reason: "host bits are set; did you mean \(range.aligned)?")
        }
        guard subnet.encloses(range) else {
            throw .badRange(range, subnet: subnet, reason: "the range must lie inside the subnet")
        }
        let probe = IPAMPool(name: "", subnet: subnet, range: range, gateway: gateway)
        guard lowestFree(in: probe) != nil else {
            throw .badRange(
                range, subnet: subnet, reason: "it holds only the network, broadcast or gateway address")
        }
    }

    /// The given gateway after checking it, or the subnet's first usable address.
    private static func gateway(_ given: IPv4Address?, in subnet: IPNetwork) throws(IPAMError) -> IPv4Address {
        let first = subnet.ipv4First ?? 0
        let last = subnet.ipv4Last ?? 0
        guard let given else { return IPv4Address(value: first + 1) }
        guard subnet.contains(.v4(given)) else {
            throw .badGateway(given, subnet: subnet, reason: "it is outside the subnet")
        }
        if given.value == first { throw .badGateway(given, subnet: subnet, reason: "it is the network address") }
        if given.value == last { throw .badGateway(given, subnet: subnet, reason: "it is the broadcast address") }
        return given
    }

    /// Checks that `address` is inside the subnet and is not its network, broadcast or gateway address.
    private static func checkAssignable(_ address: IPv4Address, in pool: IPAMPool) throws(IPAMError) {
        let subnet = pool.subnet
        guard subnet.contains(.v4(address)) else {
            throw .addressOutsideSubnet(address, network: pool.name, subnet: subnet)
        }
        let role: String? =
            switch address.value {
            case subnet.ipv4First: "the network address"
            case subnet.ipv4Last: "the broadcast address"
            case pool.gateway.value: "the gateway"
            default: nil
            }
        if let role { throw .addressReserved(address, network: pool.name, role: role) }
    }

    /// The lowest address of the allocation range that is not reserved and not allocated.
    private static func lowestFree(in pool: IPAMPool) -> IPv4Address? {
        let range = pool.allocationRange
        guard let first = range.ipv4First, let last = range.ipv4Last,
            let subnetFirst = pool.subnet.ipv4First, let subnetLast = pool.subnet.ipv4Last
        else { return nil }
        for value in first...last where value != subnetFirst && value != subnetLast && value != pool.gateway.value {
            let address = IPv4Address(value: value)
            if pool.allocations[address.description] == nil { return address }
        }
        return nil
    }

    /// The first pool or route that `subnet` shares addresses with.
    private static func overlap(of subnet: IPNetwork, pools: [IPAMPool], routes: [IPNetwork]) -> IPAMError.Overlap? {
        if let pool = pools.first(where: { $0.subnet.overlaps(subnet) }) {
            return .pool(name: pool.name, subnet: pool.subnet)
        }
        return routes.first { $0.overlaps(subnet) }.map { .route($0) }
    }
}
