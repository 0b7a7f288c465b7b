/// What a user-defined network carries beyond its bridge options: its Docker identity and what `network create`
/// asked for, kept so inspect can echo it.
public struct NetworkMetadata: Sendable, Equatable, Codable {
    /// 64 hex digits.
    public var id: String
    /// RFC 3339 creation time.
    public var created: String
    /// `--internal`: no traffic leaves the bridge except to its own containers.
    public var `internal`: Bool
    /// `--attachable`.
    public var attachable: Bool
    /// `--label`s.
    public var labels: [String: String]
    /// `-o` driver options, as given.
    public var options: [String: String]
    /// `IPAM.Options` as given (nil when the client sent none).
    public var ipamOptions: [String: String]?
    /// `--aux-address` entries.
    public var auxiliaryAddresses: [String: String]?
    /// The driver when it is not `bridge` (`macvlan`); nil for a bridge network.
    public var driver: String? = nil
    /// A macvlan network's parent and mode.
    public var macvlan: MacvlanNetworkOptions? = nil
    /// An `--ipv6` network's IPv6 subnet and gateway.
    public var ipv6: IPv6NetworkOptions? = nil

    /// Creates metadata.
    public init(id: String, created: String, internal: Bool = false, attachable: Bool = false,
                labels: [String: String] = [:], options: [String: String] = [:],
                ipamOptions: [String: String]? = nil, auxiliaryAddresses: [String: String]? = nil) {
        self.id = id
        self.created = created
        self.internal = `internal`
        self.attachable = attachable
        self.labels = labels
        self.options = options
        self.ipamOptions = ipamOptions
        self.auxiliaryAddresses = auxiliaryAddresses
    }
}
