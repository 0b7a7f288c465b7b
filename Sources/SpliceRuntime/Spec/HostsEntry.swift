/// One `/etc/hosts` line: an address and its names.
public struct HostsEntry: Codable, Sendable, Equatable {
    /// The IPv4 or IPv6 address, as text.
    public var address: String
    /// The names for that address.
    public var names: [String]

    /// Creates a hosts entry.
    public init(address: String, names: [String]) {
        self.address = address
        self.names = names
    }
}
