/// `POST /auth` answer: `{"IdentityToken":"","Status":"Login Succeeded"}`.
public struct AuthResponse: Codable, Sendable, Equatable {
    /// Status text.
    public var Status: String
    /// Identity token (empty).
    public var IdentityToken: String
    /// Creates an auth answer.
    public init(Status: String = "Login Succeeded", IdentityToken: String = "") {
        self.Status = Status
        self.IdentityToken = IdentityToken
    }
}
