/// The content of a container's `/etc/resolv.conf`.
public struct DNSConfig: Codable, Sendable, Equatable {
    /// `nameserver` addresses.
    public var nameservers: [String]
    /// `search` domains.
    public var searches: [String]
    /// `options` entries, such as `ndots:2`.
    public var options: [String]

    /// Creates a resolver configuration.
    public init(nameservers: [String] = [], searches: [String] = [], options: [String] = []) {
        self.nameservers = nameservers
        self.searches = searches
        self.options = options
    }
}
