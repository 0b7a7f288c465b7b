/// `POST /networks/{id}/disconnect` body: `{"Container","Force"}`.
public struct NetworkDisconnectRequest: Codable, Sendable, Equatable {
    /// Container name or id.
    public var Container: String
    /// Disconnect even when the container is gone.
    public var Force: Bool?

    /// Creates a request.
    public init(Container: String, Force: Bool? = nil) {
        self.Container = Container
        self.Force = Force
    }
}
