/// `POST /networks/{id}/connect` body: `{"Container","EndpointConfig":{"IPAMConfig","Aliases",…}}`.
public struct NetworkConnectRequest: Codable, Sendable, Equatable {
    /// Container name or id.
    public var Container: String
    /// Aliases and a static address.
    public var EndpointConfig: EndpointSettings?

    /// Creates a request.
    public init(Container: String, EndpointConfig: EndpointSettings? = nil) {
        self.Container = Container
        self.EndpointConfig = EndpointConfig
    }
}
