/// `POST /containers/create` body: the `ContainerConfig` fields at top level plus `HostConfig` and
/// `NetworkingConfig` (`docker-api-captures/run-fg.txt`). Unknown keys are ignored.
public struct ContainerCreateRequest: Codable, Sendable, Equatable {
    /// `NetworkingConfig` block.
    public struct NetworkingConfig: Codable, Sendable, Equatable {
        /// Endpoint settings by network name (`default`, `bridge`, ...).
        public var EndpointsConfig: [String: EndpointSettings]?
        /// Creates a networking config.
        public init(EndpointsConfig: [String: EndpointSettings]? = nil) { self.EndpointsConfig = EndpointsConfig }
    }

    /// The flattened top-level container config.
    public var config: ContainerConfig
    /// `HostConfig`.
    public var hostConfig: HostConfig?
    /// `NetworkingConfig`.
    public var networkingConfig: NetworkingConfig?

    private enum CodingKeys: String, CodingKey {
        case hostConfig = "HostConfig"
        case networkingConfig = "NetworkingConfig"
    }

    /// Creates a create body.
    public init(config: ContainerConfig = ContainerConfig(), hostConfig: HostConfig? = nil,
                networkingConfig: NetworkingConfig? = nil) {
        self.config = config
        self.hostConfig = hostConfig
        self.networkingConfig = networkingConfig
    }

    /// Decodes the flattened body.
    public init(from decoder: any Decoder) throws {
        config = try ContainerConfig(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        hostConfig = try container.decodeIfPresent(HostConfig.self, forKey: .hostConfig)
        networkingConfig = try container.decodeIfPresent(NetworkingConfig.self, forKey: .networkingConfig)
    }

    /// Encodes the flattened body.
    public func encode(to encoder: any Encoder) throws {
        try config.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(hostConfig, forKey: .hostConfig)
        try container.encodeIfPresent(networkingConfig, forKey: .networkingConfig)
    }
}
