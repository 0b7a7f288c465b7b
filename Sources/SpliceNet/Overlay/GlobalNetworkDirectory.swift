import SystemKit

/// How the engine's network service sees global-scope (overlay) networks: cluster-wide addresses, published
/// endpoints and the names of containers on other hosts. The cluster store implements it above SpliceNet.
public protocol GlobalNetworkDirectory: Sendable {
    /// Whether the local network `name` is this host's side of a global network.
    func isGlobal(_ name: String) -> Bool
    /// Reserves an address of global network `name` for container `container` across the cluster: `requested`,
    /// or the lowest free one.
    func reserveAddress(network name: String, container: String, requested: IPv4Address?) async throws
        -> IPv4Address
    /// Publishes the container's endpoint, so other hosts forward to it and resolve its names.
    func publishEndpoint(network name: String, container: String, address: IPv4Address, mac: MACAddress)
        async throws
    /// Withdraws the container's endpoint and frees its address (nil: only the endpoint).
    func withdrawEndpoint(network name: String, container: String, address: IPv4Address?) async
    /// The containers of global networks on other hosts, for the embedded DNS.
    func remoteMembers() async -> [EmbeddedResolver.Member]
}
