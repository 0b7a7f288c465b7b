/// A network as `GET /networks` and `GET /networks/{id}` return it (`net-inspect.txt`).
public struct NetworkResource: Codable, Sendable, Equatable {
    /// `IPAM` block.
    public struct IPAM: Codable, Sendable, Equatable {
        /// Always `default`.
        public var Driver: String = "default"
        /// Echo of the create request's options (`{}` from the CLI, null from compose).
        public var Options: [String: String]?
        /// The subnets.
        public var Config: [IPAMConfig] = []

        /// Creates an IPAM block.
        public init(Options: [String: String]? = nil, Config: [IPAMConfig] = []) {
            self.Options = Options
            self.Config = Config
        }
    }

    /// One `IPAM.Config` entry.
    public struct IPAMConfig: Codable, Sendable, Equatable {
        /// `10.231.0.0/24`.
        public var Subnet: String?
        /// Only when set.
        public var IPRange: String?
        /// The bridge's address.
        public var Gateway: String?
        /// Reserved addresses by name.
        public var AuxiliaryAddresses: [String: String]?

        /// Creates an entry.
        public init(Subnet: String? = nil, IPRange: String? = nil, Gateway: String? = nil,
                    AuxiliaryAddresses: [String: String]? = nil) {
            self.Subnet = Subnet
            self.IPRange = IPRange
            self.Gateway = Gateway
            self.AuxiliaryAddresses = AuxiliaryAddresses
        }
    }

    /// One attached container in `Containers`.
    public struct Endpoint: Codable, Sendable, Equatable {
        /// Container name.
        public var Name: String
        /// 64 hex digits.
        public var EndpointID: String
        /// `02:42:…`.
        public var MacAddress: String
        /// CIDR form, `172.28.0.2/16`.
        public var IPv4Address: String
        /// Empty without IPv6.
        public var IPv6Address: String = ""

        /// Creates an entry.
        public init(Name: String, EndpointID: String, MacAddress: String, IPv4Address: String) {
            self.Name = Name
            self.EndpointID = EndpointID
            self.MacAddress = MacAddress
            self.IPv4Address = IPv4Address
        }
    }

    /// `ConfigFrom`.
    public struct ConfigReference: Codable, Sendable, Equatable {
        /// Always empty.
        public var Network: String = ""
        /// Creates an empty reference.
        public init() {}
    }

    /// Name.
    public var Name: String = ""
    /// 64 hex digits.
    public var Id: String = ""
    /// RFC 3339 with nanoseconds.
    public var Created: String = ""
    /// Always `local`.
    public var Scope: String = "local"
    /// `bridge`, `host` or `null`.
    public var Driver: String = "bridge"
    /// IPv6 is not offered yet.
    public var EnableIPv6: Bool = false
    /// Addressing.
    public var IPAM = IPAM()
    /// No egress.
    public var Internal: Bool = false
    /// Compose asks for it; every Splice network is attachable.
    public var Attachable: Bool = false
    /// Always false.
    public var Ingress: Bool = false
    /// Always empty.
    public var ConfigFrom = ConfigReference()
    /// Always false.
    public var ConfigOnly: Bool = false
    /// Attached containers by id (filled only by the single-network GET).
    public var Containers: [String: Endpoint] = [:]
    /// Driver options.
    public var Options: [String: String] = [:]
    /// Labels.
    public var Labels: [String: String] = [:]

    /// Creates an empty network object.
    public init() {}
}
