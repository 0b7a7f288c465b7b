/// One container as the engine keeps it: identity, configuration and state, persisted as
/// `<graph>/containers/<id>/container.json`.
public struct ContainerRecord: Codable, Sendable, Equatable {
    /// 64 hex digits.
    public var id: String
    /// The name without the leading `/`.
    public var name: String
    /// RFC 3339 creation time.
    public var created: String
    /// Unix seconds of creation.
    public var createdSeconds: Int64
    /// What it runs.
    public var configuration: ContainerConfiguration
    /// What it does.
    public var state: ContainerState
    /// Its bridge endpoint while running in bridge mode.
    public var endpoint: ContainerEndpoint?

    /// Creates a record in the `created` state.
    public init(id: String, name: String, created: String, createdSeconds: Int64, configuration: ContainerConfiguration) {
        self.id = id
        self.name = name
        self.created = created
        self.createdSeconds = createdSeconds
        self.configuration = configuration
        self.state = ContainerState()
        self.endpoint = nil
    }

    /// The first 12 characters of the id.
    public var shortID: String { String(id.prefix(12)) }
}
