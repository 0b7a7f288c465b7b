/// Registry credentials: the `POST /auth` body and the decoded `X-Registry-Auth` header. Never log it.
public struct AuthConfig: Codable, Sendable, Equatable {
    /// User name.
    public var username: String?
    /// Password.
    public var password: String?
    /// Registry, for example `127.0.0.1:5000`.
    public var serveraddress: String?
    /// Identity token from an earlier login.
    public var identitytoken: String?
    /// Creates credentials.
    public init(username: String? = nil, password: String? = nil, serveraddress: String? = nil) {
        self.username = username
        self.password = password
        self.serveraddress = serveraddress
    }
}
