/// `POST /networks/create` body from the CLI, compose and docker-py (`net-create*.txt`). Unknown keys are ignored.
public struct NetworkCreateRequest: Codable, Sendable, Equatable {
    /// `IPAM` block of the request.
    public struct IPAM: Codable, Sendable, Equatable {
        /// `default` or absent.
        public var Driver: String?
        /// Echoed in inspect.
        public var Options: [String: String]?
        /// Requested subnets.
        public var Config: [NetworkResource.IPAMConfig]?

        /// Creates an IPAM request.
        public init(Driver: String? = nil, Options: [String: String]? = nil,
                    Config: [NetworkResource.IPAMConfig]? = nil) {
            self.Driver = Driver
            self.Options = Options
            self.Config = Config
        }
    }

    /// Network name.
    public var Name: String = ""
    /// Refuse an existing name (Splice always does).
    public var CheckDuplicate: Bool?
    /// Absent means `bridge`.
    public var Driver: String?
    /// Addressing.
    public var IPAM: IPAM?
    /// No egress.
    public var Internal: Bool?
    /// Attachable.
    public var Attachable: Bool?
    /// Swarm only.
    public var Ingress: Bool?
    /// IPv6 subnet beside the IPv4 one.
    public var EnableIPv6: Bool?
    /// Driver options (`com.docker.network.bridge.name`, …).
    public var Options: [String: String]?
    /// Labels.
    public var Labels: [String: String]?

    /// Creates a request for `name`.
    public init(Name: String = "") { self.Name = Name }
}
