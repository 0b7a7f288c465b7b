import SpliceNet
import SystemKit

/// Who holds an address of a global network; created only if absent (compare-and-swap), so two hosts never hand
/// out the same address.
public struct AddressAllocation: Sendable, Equatable, Codable {
    public var network: String
    public var address: IPv4Address
    /// The host that allocated it.
    public var host: String
    /// The endpoint (or `gateway`) it was allocated for.
    public var owner: String

    public init(network: String, address: IPv4Address, host: String, owner: String) {
        self.network = network
        self.address = address
        self.host = host
        self.owner = owner
    }
}
